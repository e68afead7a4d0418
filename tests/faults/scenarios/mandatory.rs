//! A ROUTER sending to a peer that vanishes (SIGKILL), then comes back
//! with the same routing id.
//!
//! Without `ROUTER_MANDATORY` every send succeeds and what goes to the
//! vanished peer is dropped without a word. With it, once libzmq has seen
//! the connection go, a send to that peer fails with `EHOSTUNREACH` and
//! hands the message back: the sender keeps it and sends it again when the
//! peer is back. What was in flight when the peer died is lost either way.
//!
//! The ROUTER has `ROUTER_HANDOVER`: without it, a peer that comes back
//! with the same routing id before the ROUTER has dealt with the old
//! connection's end is ignored for good (libzmq issues 2892, 4503);
//! [`same_id`] measures that.

use std::sync::Arc;
use std::time::{Duration, Instant};

use zmq4::{Context, ErrorKind, RecvFlags, SendFlags, SocketType};

use super::{EventLog, TempDir, Transport};
use crate::peer::Peer;
use crate::tally::{ms, payload, Outcome, Promise, Sent, Tally};
use crate::watchdog::Guard;

/// Messages per second: slow enough that the peer keeps up, so that the
/// high-water mark plays no part.
const RATE: f64 = 20_000.0;

/// How long the peer stays dead at least, if the stream is held up.
const DEAD: Duration = Duration::from_millis(500);

pub fn run(mandatory: bool, transport: Transport, n: u64, guard: &Guard) -> Outcome {
    let start = Instant::now();
    let fault = if mandatory {
        "peer vanished (SIGKILL), ROUTER_MANDATORY"
    } else {
        "peer vanished (SIGKILL)"
    };
    let promise = if mandatory {
        Promise::ToldAfterDetection
    } else {
        Promise::Nothing
    };
    let mut out = Outcome::new("ROUTER->DEALER", transport.name(), fault, promise);
    let dir = TempDir::new();
    let ctx = Context::new().unwrap();
    guard.context(&ctx);
    let tally = Arc::new(Tally::new(n));
    let sent = Sent::default();
    let router = ctx.owned_socket(SocketType::Router).unwrap();
    router.set_linger(Some(Duration::ZERO)).unwrap();
    router.set_router_mandatory(mandatory).unwrap();
    router.set_router_handover(true).unwrap();
    router.set_rcvtimeo(Some(Duration::from_secs(20))).unwrap();
    let log = EventLog::start(&router);
    router
        .bind(&transport.endpoint(dir.path(), "router"))
        .unwrap();
    let ep = router.last_endpoint().unwrap();
    let id = b"vanishing-peer".to_vec();
    let settings = [
        ("connect", ep),
        ("id", String::from_utf8(id.clone()).unwrap()),
    ];
    guard.stage("starting the peer");
    let mut peer = Peer::start("dealer", &settings, &tally);
    guard.pid(peer.pid());
    let greeting = |peer: &Peer| {
        peer.ready(Duration::from_secs(20));
        let hello = router
            .recv_multipart(RecvFlags::empty())
            .expect("the DEALER's greeting");
        assert_eq!(hello[0].to_vec(), id);
    };
    greeting(&peer);

    guard.stage("sending");
    let kill_at = n / 3;
    let mut killed_at: Option<Instant> = None;
    let mut back = false;
    let mut first_unreachable: Option<(Instant, u64)> = None;
    let mut unreachable = 0u64;
    let begin = Instant::now();
    for seq in 0..n {
        if seq % 64 == 0 {
            let due = begin + Duration::from_secs_f64(seq as f64 / RATE);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
        }
        if seq == kill_at {
            // Before the kill: the ROUTER may see it before kill9 returns.
            killed_at = Some(Instant::now());
            peer.kill9();
            out.faults += 1;
        }
        let mut msg = payload(seq, 64);
        let mut refused_since: Option<Instant> = None;
        loop {
            // The peer comes back half-way through the stream, or after a
            // while if the sender is held up by refusals; but only once
            // the ROUTER has seen the old connection end: a peer that
            // returns with the same routing id before that is ignored
            // (without ROUTER_HANDOVER), which is not what this measures.
            if !back
                && killed_at.is_some_and(|t| seq >= n / 2 || t.elapsed() >= DEAD)
                && log.disconnected_after(killed_at.unwrap()).is_some()
            {
                peer = peer.restart_with(&[]);
                guard.pid(peer.pid());
                greeting(&peer);
                back = true;
                refused_since = None;
            }
            let routing = zmq4::Message::copy_from(&id).unwrap();
            match router.send_multipart([routing, msg], SendFlags::empty()) {
                Ok(()) => {
                    sent.add_accepted();
                    break;
                }
                Err(err) => {
                    let (err, _, mut parts) = err.into_parts();
                    let returned = parts.pop().expect("the message comes back");
                    sent.add_failure(seq, &returned);
                    assert_eq!(err.kind(), ErrorKind::HostUnreachable, "{err}");
                    assert!(
                        mandatory,
                        "a ROUTER without ROUTER_MANDATORY failed a send: {err}"
                    );
                    unreachable += 1;
                    // Refused for long (the peer is back, or should be): a
                    // defect.
                    let since = *refused_since.get_or_insert_with(Instant::now);
                    if since.elapsed() > Duration::from_secs(5) * crate::sys::slack() {
                        sent.given_up
                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        out.violations += 1;
                        out.note(format!("message {seq} refused for 5 s (peer back: {back})"));
                        break;
                    }
                    if first_unreachable.is_none() {
                        first_unreachable = Some((Instant::now(), seq));
                    }
                    msg = returned;
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        }
    }
    guard.stage("waiting for the last messages");
    tally.settle(
        sent.accepted(),
        Duration::from_millis(1500),
        Duration::from_secs(60),
    );
    let killed_at = killed_at.expect("the peer was killed");
    let disconnected = log.disconnected_after(killed_at);
    log.stop();
    let _ = ctx.shutdown();
    drop(router);
    peer.finish(Duration::from_secs(10));
    out.count(&sent, &tally);
    match first_unreachable {
        Some((at, seq)) => {
            out.detect = Some(at - killed_at);
            out.detect_by = "send: EHOSTUNREACH".to_owned();
            // Once told, nothing may vanish: every message from the first
            // refused one on was handed back until the peer was back, and
            // then delivered.
            let after = (seq..n).filter(|s| !tally.has(*s)).count() as u64;
            out.violations += after;
            out.note(format!(
                "{} accepted between the kill and the first EHOSTUNREACH, {unreachable} sends refused",
                seq - kill_at
            ));
        }
        None => {
            out.detect = disconnected;
            out.detect_by = if disconnected.is_some() {
                "monitor: disconnected; sends still succeed".to_owned()
            } else {
                "sender not told".to_owned()
            };
            if mandatory {
                // With ROUTER_MANDATORY a vanished peer must be reported.
                out.violations += 1;
                out.note("no send was refused while the peer was gone");
            }
        }
    }
    if let Some(d) = disconnected {
        out.note(format!("monitor saw the disconnection after {}", ms(d)));
    }
    out.elapsed = start.elapsed();
    out
}

/// A peer killed and restarted at once with the same routing id, `rounds`
/// times: how often the ROUTER hears from the new one (its greeting, within
/// 2 s), with or without `ROUTER_HANDOVER`.
pub fn same_id(handover: bool, transport: Transport, rounds: u64, guard: &Guard) -> Outcome {
    let start = Instant::now();
    let fault = if handover {
        "peer back at once, same routing id, ROUTER_HANDOVER"
    } else {
        "peer back at once, same routing id"
    };
    let promise = if handover {
        Promise::Exactly
    } else {
        Promise::Nothing
    };
    let mut out = Outcome::new("DEALER->ROUTER", transport.name(), fault, promise);
    let dir = TempDir::new();
    let ctx = Context::new().unwrap();
    guard.context(&ctx);
    let router = ctx.socket(SocketType::Router).unwrap();
    router.set_linger(Some(Duration::ZERO)).unwrap();
    router.set_router_handover(handover).unwrap();
    router.set_rcvtimeo(Some(Duration::from_secs(2))).unwrap();
    router
        .bind(&transport.endpoint(dir.path(), "router"))
        .unwrap();
    let settings = [
        ("connect", router.last_endpoint().unwrap()),
        ("id", "returning-peer".to_owned()),
    ];
    let tally = Arc::new(Tally::new(0));
    let sent = Sent::default();
    let heard = Tally::new(rounds);
    let mut peer = Peer::start("dealer", &settings, &tally);
    guard.pid(peer.pid());
    peer.ready(Duration::from_secs(20));
    router
        .recv_multipart(RecvFlags::empty())
        .expect("the first greeting");
    guard.stage("restarting the peer");
    for round in 0..rounds {
        peer.kill9();
        out.faults += 1;
        peer = peer.restart_with(&[]);
        guard.pid(peer.pid());
        peer.ready(Duration::from_secs(20));
        sent.add_accepted();
        if let Ok(hello) = router.recv_multipart(RecvFlags::empty()) {
            if hello[0][..] == b"returning-peer"[..] {
                heard.record(round);
            }
        }
    }
    drop(peer);
    out.count(&sent, &heard);
    out.detect_by = format!("{} of {rounds} returning peers heard", heard.unique());
    out.elapsed = start.elapsed();
    out
}
