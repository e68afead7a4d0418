//! A slow consumer: the sender runs into its high-water mark, and each
//! socket type does what it does there: PUSH and DEALER block (or fail
//! with `EAGAIN` under `DONTWAIT`, handing the message back), PUB drops
//! silently (or, with `XPUB_NODROP`, fails with `EAGAIN`), ROUTER drops
//! silently (or, with `ROUTER_MANDATORY`, fails with `EAGAIN`).
//!
//! Both high-water marks are 100; the consumer, a peer process, sleeps
//! 1 ms after every 20 messages; the sender goes as fast as it can.

use std::sync::Arc;
use std::time::{Duration, Instant};

use zmq4::{Context, ErrorKind, RecvFlags, SendFlags, Socket, SocketType};

use super::{wait_until, TempDir, Transport};
use crate::peer::Peer;
use crate::tally::{payload, Outcome, Promise, Sent, Tally};
use crate::watchdog::Guard;

/// The sockets and the way of sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// PUSH, blocking sends.
    PushBlock,
    /// PUSH, `DONTWAIT`: `EAGAIN` hands the message back; it is sent again.
    PushDontwait,
    /// PUSH with a 5 ms send timeout: the same, after a wait.
    PushTimeout,
    /// DEALER to a ROUTER, blocking sends.
    DealerBlock,
    /// PUB: drops what does not fit.
    PubDrop,
    /// PUB with `XPUB_NODROP`, `DONTWAIT`: `EAGAIN` instead of a drop.
    PubNodrop,
    /// ROUTER to a DEALER: drops what does not fit.
    RouterDrop,
    /// ROUTER with `ROUTER_MANDATORY`, `DONTWAIT`: `EAGAIN` instead.
    RouterMandatory,
    /// PUSH through a `zmq4::proxy` to the slow PULL: the backpressure
    /// crosses the proxy.
    ProxyBlock,
}

impl Case {
    pub const ALL: [Case; 9] = [
        Case::PushBlock,
        Case::PushDontwait,
        Case::PushTimeout,
        Case::DealerBlock,
        Case::PubDrop,
        Case::PubNodrop,
        Case::RouterDrop,
        Case::RouterMandatory,
        Case::ProxyBlock,
    ];

    pub fn pattern(self) -> &'static str {
        match self {
            Case::PushBlock | Case::PushDontwait | Case::PushTimeout => "PUSH->PULL",
            Case::DealerBlock => "DEALER->ROUTER",
            Case::PubDrop | Case::PubNodrop => "PUB->SUB",
            Case::RouterDrop | Case::RouterMandatory => "ROUTER->DEALER",
            Case::ProxyBlock => "PUSH->proxy->PULL",
        }
    }

    pub fn fault(self) -> &'static str {
        match self {
            Case::PushBlock | Case::DealerBlock | Case::ProxyBlock => {
                "slow consumer at HWM, blocking send"
            }
            Case::PushDontwait => "slow consumer at HWM, DONTWAIT",
            Case::PushTimeout => "slow consumer at HWM, SNDTIMEO 5 ms",
            Case::PubDrop | Case::RouterDrop => "slow consumer at HWM",
            Case::PubNodrop => "slow consumer at HWM, XPUB_NODROP + DONTWAIT",
            Case::RouterMandatory => "slow consumer at HWM, ROUTER_MANDATORY + DONTWAIT",
        }
    }

    pub fn promise(self) -> Promise {
        match self {
            Case::PubDrop | Case::RouterDrop => Promise::Nothing,
            _ => Promise::Exactly,
        }
    }

    /// How a send that could not queue fails: a `DONTWAIT` send at once
    /// with `WouldBlock`, a send whose `SNDTIMEO` ran out with `TimedOut`.
    fn refusal(self) -> ErrorKind {
        if self.flags().contains(SendFlags::DONTWAIT) {
            ErrorKind::WouldBlock
        } else {
            ErrorKind::TimedOut
        }
    }

    fn flags(self) -> SendFlags {
        match self {
            Case::PushDontwait | Case::PubNodrop | Case::RouterMandatory => SendFlags::DONTWAIT,
            _ => SendFlags::empty(),
        }
    }
}

const HWM: i32 = 100;

/// Runs `case` with `n` messages.
pub fn run(case: Case, transport: Transport, n: u64, guard: &Guard) -> Outcome {
    let start = Instant::now();
    let mut out = Outcome::new(
        case.pattern(),
        transport.name(),
        case.fault(),
        case.promise(),
    );
    let dir = TempDir::new();
    let ctx = Context::new().unwrap();
    guard.context(&ctx);
    let tally = Arc::new(Tally::new(n));
    let sent = Sent::default();
    let wait = Duration::from_secs(20);
    let slow = [("slow", "20,1".to_owned()), ("hwm", HWM.to_string())];
    let kind = match case {
        Case::PushBlock | Case::PushDontwait | Case::PushTimeout | Case::ProxyBlock => {
            SocketType::Push
        }
        Case::DealerBlock => SocketType::Dealer,
        Case::PubDrop | Case::PubNodrop => SocketType::Pub,
        Case::RouterDrop | Case::RouterMandatory => SocketType::Router,
    };
    let sock = ctx.socket(kind).unwrap();
    sock.set_linger(Some(Duration::ZERO)).unwrap();
    sock.set_sndhwm(Some(HWM)).unwrap();
    match case {
        Case::PushTimeout => sock.set_sndtimeo(Some(Duration::from_millis(5))).unwrap(),
        Case::PubNodrop => sock.set_xpub_nodrop(true).unwrap(),
        Case::RouterMandatory => sock.set_router_mandatory(true).unwrap(),
        _ => {}
    }
    guard.stage("starting peers");
    let mut peers = Vec::new();
    let mut bind_peer = |role: &str, extra: &[(&str, String)]| -> String {
        let mut settings = slow.to_vec();
        settings.extend(extra.iter().cloned());
        let peer = Peer::start(role, &settings, &tally);
        guard.pid(peer.pid());
        let eps = peer.ready(wait);
        peers.push(peer);
        eps.join(" ")
    };
    let mut routing_id = None;
    match case {
        Case::PushBlock | Case::PushDontwait | Case::PushTimeout => {
            let ep = bind_peer("pull", &[("bind", transport.endpoint(dir.path(), "pull"))]);
            sock.connect(&ep).unwrap();
        }
        Case::DealerBlock => {
            let ep = bind_peer(
                "router",
                &[("bind", transport.endpoint(dir.path(), "router"))],
            );
            sock.connect(&ep).unwrap();
        }
        Case::ProxyBlock => {
            let eps = bind_peer(
                "proxy",
                &[
                    ("bind", transport.endpoint(dir.path(), "front")),
                    ("bind2", transport.endpoint(dir.path(), "back")),
                ],
            );
            let (front, back) = eps.split_once(' ').unwrap();
            bind_peer("pull", &[("connect", back.to_owned())]);
            sock.connect(front).unwrap();
        }
        Case::PubDrop | Case::PubNodrop | Case::RouterDrop | Case::RouterMandatory => {
            sock.bind(&transport.endpoint(dir.path(), "sender"))
                .unwrap();
            let ep = sock.last_endpoint().unwrap();
            if kind == SocketType::Pub {
                bind_peer("sub", &[("connect", ep)]);
                guard.stage("waiting for the subscription");
                let subscribed = wait_until(wait, || {
                    let _ = sock.send("probe", SendFlags::DONTWAIT);
                    std::thread::sleep(Duration::from_millis(5));
                    peers[0].facts().contains_key("probe")
                });
                assert!(subscribed, "the subscriber never received a probe");
            } else {
                bind_peer("dealer", &[("connect", ep), ("id", "slow-peer".to_owned())]);
                sock.set_rcvtimeo(Some(wait)).unwrap();
                let hello = sock
                    .recv_multipart(RecvFlags::empty())
                    .expect("the DEALER's greeting");
                routing_id = Some(hello[0].to_vec());
            }
        }
    }

    guard.stage("sending");
    let flags = case.flags();
    let mut would_block = 0u64;
    for seq in 0..n {
        let mut msg = payload(seq, 64);
        loop {
            let result = match &routing_id {
                Some(id) => send_routed(&sock, id, msg, flags),
                None => sock.send_msg(msg, flags).map_err(|e| e.into_parts()),
            };
            match result {
                Ok(()) => {
                    sent.add_accepted();
                    break;
                }
                Err((err, back)) => {
                    sent.add_failure(seq, &back);
                    assert_eq!(err.kind(), case.refusal(), "{}: {err}", case.fault());
                    would_block += 1;
                    msg = back;
                    std::thread::sleep(Duration::from_micros(200));
                }
            }
        }
    }
    let sending = start.elapsed();
    guard.stage("waiting for the last messages");
    tally.settle(
        sent.accepted(),
        Duration::from_millis(1500),
        Duration::from_secs(120),
    );
    let _ = ctx.shutdown();
    drop(sock);
    for peer in peers {
        peer.finish(Duration::from_secs(10));
    }
    out.count(&sent, &tally);
    out.note(format!("sending took {}", crate::tally::ms(sending)));
    if would_block > 0 {
        out.note(format!(
            "{would_block} sends failed with EAGAIN and handed their message back"
        ));
    }
    if out.lost > 0 {
        out.note(format!("dropped silently: {}", out.lost));
    }
    out.elapsed = start.elapsed();
    out
}

/// Sends `[id, msg]` from a ROUTER; on failure, the error and the message.
fn send_routed(
    sock: &Socket<'_>,
    id: &[u8],
    msg: zmq4::Message,
    flags: SendFlags,
) -> Result<(), (zmq4::Error, zmq4::Message)> {
    let id = zmq4::Message::copy_from(id).unwrap();
    sock.send_multipart([id, msg], flags).map_err(|e| {
        let (err, _, mut unsent) = e.into_parts();
        (err, unsent.pop().expect("the message part comes back"))
    })
}
