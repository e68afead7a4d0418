//! A black hole at the IP level: a peer process moves into a network
//! namespace of its own (`unshare`), where both ends of a PUSH->PULL
//! connection over 127.0.0.1 live, and takes its loopback interface down
//! for a while. Every packet is dropped and neither end is told, as when a
//! cable is cut; unlike the relay's black hole, no kernel answers TCP
//! keepalive probes, so this is where keepalive and `ZMQ_TCP_MAXRT`
//! (`TCP_USER_TIMEOUT`) are measured, beside ZMTP heartbeats.
//!
//! Two traffic shapes: `stream` sends 1,000 messages a second through the
//! outage (data is in flight, unacknowledged); `idle` sends half, waits for
//! them, and cuts the path while nothing is in flight.
//!
//! Namespaces need root or unprivileged user namespaces; without them the
//! run reports that it was skipped.

use std::sync::Arc;
use std::time::{Duration, Instant};

use zmq4::{Context, EventKind, RecvFlags, SendFlags, Socket, SocketType};

use super::EventLog;
use crate::peer::Peer;
use crate::roles::{fact, setting, setting_or};
use crate::sys;
use crate::tally::{payload, seq_of, Outcome, Promise, Sent, Tally};
use crate::watchdog::Guard;

/// How the ends detect a dead path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    None,
    /// ZMTP heartbeats, 200 ms interval, 1 s timeout.
    Heartbeat,
    /// TCP keepalive: 1 s idle, probes every 1 s, 2 probes.
    Keepalive,
    /// `ZMQ_TCP_MAXRT` 1 s: unacknowledged data kills the connection.
    Maxrt,
}

impl Mechanism {
    pub const ALL: [Mechanism; 4] = [
        Mechanism::None,
        Mechanism::Heartbeat,
        Mechanism::Keepalive,
        Mechanism::Maxrt,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Mechanism::None => "none",
            Mechanism::Heartbeat => "heartbeat",
            Mechanism::Keepalive => "keepalive",
            Mechanism::Maxrt => "maxrt",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Mechanism::None => "",
            Mechanism::Heartbeat => " + heartbeat",
            Mechanism::Keepalive => " + TCP keepalive",
            Mechanism::Maxrt => " + TCP_MAXRT",
        }
    }

    fn apply(self, sock: &Socket<'_>) {
        match self {
            Mechanism::None => {}
            Mechanism::Heartbeat => {
                sock.set_heartbeat_ivl(super::stream::HEARTBEAT.0).unwrap();
                sock.set_heartbeat_timeout(super::stream::HEARTBEAT.1)
                    .unwrap();
            }
            Mechanism::Keepalive => {
                sock.set_tcp_keepalive(Some(true)).unwrap();
                sock.set_tcp_keepalive_idle(Some(Duration::from_secs(1)))
                    .unwrap();
                sock.set_tcp_keepalive_intvl(Some(Duration::from_secs(1)))
                    .unwrap();
                sock.set_tcp_keepalive_cnt(Some(2)).unwrap();
            }
            Mechanism::Maxrt => sock.set_tcp_maxrt(Duration::from_secs(1)).unwrap(),
        }
    }
}

/// How long the loopback stays down at most: detection, or this.
const WINDOW: Duration = Duration::from_secs(6);
/// The rate of the `stream` shape.
const RATE: u64 = 1000;

/// The parent's side: runs the peer and makes the row from its facts.
pub fn run(mechanism: Mechanism, idle: bool, n: u64, guard: &Guard) -> Outcome {
    let start = Instant::now();
    let n = if idle { n.min(10_000) } else { n.min(5_000) };
    let fault = format!(
        "IP black hole (netns, loopback down){}{}",
        if idle {
            ", idle connection"
        } else {
            ", 1,000 msg/s"
        },
        mechanism.describe()
    );
    let promise = if mechanism == Mechanism::None {
        Promise::Exactly
    } else {
        Promise::Nothing
    };
    let mut out = Outcome::new("PUSH->PULL", "tcp", &fault, promise);
    let settings = [
        ("mech", mechanism.name().to_owned()),
        ("shape", if idle { "idle" } else { "stream" }.to_owned()),
        ("count", n.to_string()),
    ];
    let tally = Arc::new(Tally::new(0));
    let peer = Peer::start_in_network_namespace("netns", &settings, &tally);
    guard.pid(peer.pid());
    guard.stage("waiting for the namespace peer");
    let limit = Duration::from_secs(120);
    let done = peer.fact("done", limit);
    let facts = peer.facts();
    peer.finish(Duration::from_secs(10));
    if let Some(reason) = facts.get("skipped") {
        out.note(format!("skipped: {reason}"));
        out.detect_by = "skipped".to_owned();
        out.promise = Promise::Nothing;
        return out;
    }
    assert!(
        done.is_some(),
        "the namespace peer did not finish: {facts:?}"
    );
    let get = |k: &str| {
        facts
            .get(k)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(-1)
    };
    out.faults = 1;
    out.sent = get("sent") as u64;
    out.delivered = get("delivered") as u64;
    out.lost = out.sent.saturating_sub(out.delivered);
    out.dups = get("dups") as u64;
    out.reordered = get("reordered") as u64;
    out.outage = Duration::from_millis(get("outage_ms").max(0) as u64);
    let (push, pull) = (get("detect_push_ms"), get("detect_pull_ms"));
    if push >= 0 {
        out.detect = Some(Duration::from_millis(push as u64));
        out.detect_by = "monitor: disconnected".to_owned();
    } else {
        out.detect_by = format!("not within {} s", WINDOW.as_secs());
    }
    out.note(format!(
        "receiver: {}",
        if pull >= 0 {
            format!("disconnected after {pull} ms")
        } else {
            "not told".to_owned()
        }
    ));
    let reconnected = get("reconnected_ms");
    if reconnected >= 0 {
        out.note(format!("reconnected {reconnected} ms after the cut"));
    }
    out.violations = match promise {
        Promise::Exactly => out.lost + out.dups + out.reordered,
        _ => 0,
    };
    out.elapsed = start.elapsed();
    out
}

/// The peer's side, in its own network namespace.
pub fn child() {
    let ours = std::fs::read_link("/proc/self/ns/net")
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    if setting("parent_netns").as_deref() == Some(ours.as_str()) {
        fact(
            "skipped",
            "no network namespace could be made (needs root or user namespaces)",
        );
        fact("done", 1);
        return;
    }
    if let Err(err) = sys::set_loopback(true) {
        fact(
            "skipped",
            format!("the loopback of the new namespace cannot be brought up: {err}"),
        );
        fact("done", 1);
        return;
    }
    let mechanism = match setting("mech").as_deref() {
        Some("heartbeat") => Mechanism::Heartbeat,
        Some("keepalive") => Mechanism::Keepalive,
        Some("maxrt") => Mechanism::Maxrt,
        _ => Mechanism::None,
    };
    let idle = setting("shape").as_deref() == Some("idle");
    let n: u64 = setting_or("count", 5000);
    let ctx = Context::new().unwrap();
    let pull = ctx.owned_socket(SocketType::Pull).unwrap();
    let push = ctx.owned_socket(SocketType::Push).unwrap();
    for sock in [&pull, &push] {
        sock.set_linger(Some(Duration::ZERO)).unwrap();
        mechanism.apply(sock);
    }
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let pull_log = EventLog::start(&pull);
    let push_log = EventLog::start(&push);
    push.connect(&pull.last_endpoint().unwrap()).unwrap();

    let tally = Arc::new(Tally::new(n));
    let sent = Sent::default();
    std::thread::scope(|s| {
        let receiver = {
            let tally = Arc::clone(&tally);
            s.spawn(move || {
                let mut msg = zmq4::Message::new();
                while pull.recv(&mut msg, RecvFlags::empty()).is_ok() {
                    if let Some(seq) = seq_of(&msg) {
                        tally.record(seq);
                    }
                }
            })
        };
        let send = |seq: u64| {
            push.send_msg(payload(seq, 64), SendFlags::empty()).unwrap();
            sent.add_accepted();
        };
        let down;
        if idle {
            for seq in 0..n / 2 {
                send(seq);
            }
            tally.settle(n / 2, Duration::from_secs(5), Duration::from_secs(30));
            down = cut(&push_log, &pull_log);
            for seq in n / 2..n {
                send(seq);
            }
        } else {
            // The sender paces itself; the cut comes from this thread a
            // third of the way.
            let begin = Instant::now();
            let mut cut_at = None;
            for seq in 0..n {
                let due = begin + Duration::from_secs_f64(seq as f64 / RATE as f64);
                if let Some(wait) = due.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
                if seq == n / 3 {
                    // Cut in a helper thread, so that sending goes on.
                    let (push_log, pull_log) = (&push_log, &pull_log);
                    cut_at = Some(s.spawn(move || cut(push_log, pull_log)));
                }
                send(seq);
            }
            down = cut_at.unwrap().join().unwrap();
        }
        tally.settle(
            sent.accepted(),
            Duration::from_secs(3),
            Duration::from_secs(60),
        );
        let counts = tally.counts();
        fact("sent", sent.accepted());
        fact("delivered", counts.unique);
        fact("dups", counts.dups);
        fact("reordered", counts.reordered);
        fact("outage_ms", counts.longest_gap.as_millis());
        let ms = |d: Option<Duration>| d.map_or(-1, |d| d.as_millis() as i64);
        fact("detect_push_ms", ms(push_log.disconnected_after(down)));
        fact("detect_pull_ms", ms(pull_log.disconnected_after(down)));
        fact(
            "reconnected_ms",
            push_log
                .first_after(down, |k| matches!(k, EventKind::HandshakeSucceeded))
                .map_or(-1, |d| d.as_millis() as i64),
        );
        let _ = ctx.shutdown();
        receiver.join().unwrap();
    });
    drop(push);
    fact("done", 1);
}

/// Takes the loopback down until either end notices (or [`WINDOW`]
/// passes), plus a moment for the other end, then up again; returns when
/// it went down.
fn cut(push_log: &EventLog, pull_log: &EventLog) -> Instant {
    sys::set_loopback(false).unwrap();
    let down = Instant::now();
    while down.elapsed() < WINDOW
        && push_log.disconnected_after(down).is_none()
        && pull_log.disconnected_after(down).is_none()
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(200));
    sys::set_loopback(true).unwrap();
    down
}
