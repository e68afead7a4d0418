//! A stream of numbered messages through one pattern, with one fault in
//! the middle: what arrives, what is lost, what the sender is told, and
//! when it notices.
//!
//! The sender is in this process; the receiver (or server, or proxy) is a
//! peer process, which a fault may kill or stop. Faults of the path go
//! through a [`Relay`] between the two. Who binds:
//!
//! | pattern | this process | peer process(es) |
//! |---|---|---|
//! | PUSH->PULL | PUSH connects | PULL binds |
//! | REQ->REP | REQ connects (Lazy Pirate: a timeout, then a fresh socket) | REP binds |
//! | DEALER<->ROUTER | DEALER connects, 100 requests in flight | ROUTER binds, echoes |
//! | PUB->SUB | PUB binds, paced | SUB connects |
//! | proxy | PUSH connects to the frontend | `zmq4::proxy` PULL->PUSH binds both; a PULL connects to its backend |
//!
//! For the proxy, a fault of the path is on the hop behind the proxy, and
//! a killed or stopped peer is the proxy itself.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zmq4::{Context, EventKind, SendFlags, SocketType};

use super::{wait_until, EventLog, TempDir, Transport};
use crate::peer::Peer;
use crate::relay::Relay;
use crate::tally::{Outcome, Promise, Sent, Tally};
use crate::watchdog::Guard;

mod senders;
pub use senders::{lazy_pirate, push_all, request_windowed, Gate, Pacer, PUB_RATE};

/// The messaging patterns of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    PushPull,
    ReqRep,
    DealerRouter,
    PubSub,
    Proxy,
}

impl Pattern {
    pub const ALL: [Pattern; 5] = [
        Pattern::PushPull,
        Pattern::ReqRep,
        Pattern::DealerRouter,
        Pattern::PubSub,
        Pattern::Proxy,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Pattern::PushPull => "PUSH->PULL",
            Pattern::ReqRep => "REQ->REP",
            Pattern::DealerRouter => "DEALER<->ROUTER",
            Pattern::PubSub => "PUB->SUB",
            Pattern::Proxy => "PUSH->proxy->PULL",
        }
    }
}

/// The fault injected a third of the way through the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// No fault: the baseline.
    None,
    /// A slow path: delay, jitter and a bandwidth cap, all along.
    SlowLink,
    /// The peer killed with SIGKILL, restarted after a moment.
    Kill,
    /// The peer stopped (SIGSTOP) for a while, then continued.
    Stop { heartbeat: bool },
    /// Every connection closed with an RST (over ipc, a plain close).
    Reset,
    /// Every connection closed with a FIN.
    Drop,
    /// The open connections stop carrying anything, without a FIN; new
    /// ones work.
    Blackhole { heartbeat: bool },
    /// Nothing crosses for a while, then everything resumes.
    Partition { heartbeat: bool },
}

impl Fault {
    pub fn name(self) -> String {
        let hb = |h: bool| if h { " + heartbeat" } else { "" };
        match self {
            Fault::None => "none (baseline)".to_owned(),
            Fault::SlowLink => "slow link (2-4 ms, 2 MB/s)".to_owned(),
            Fault::Kill => "peer killed (SIGKILL), restarted".to_owned(),
            Fault::Stop { heartbeat } => {
                format!("peer stopped (SIGSTOP), continued{}", hb(heartbeat))
            }
            Fault::Reset => "connection reset (RST)".to_owned(),
            Fault::Drop => "connection closed (FIN)".to_owned(),
            Fault::Blackhole { heartbeat } => format!("black hole, no FIN{}", hb(heartbeat)),
            Fault::Partition { heartbeat } => format!("partition, healed{}", hb(heartbeat)),
        }
    }

    fn heartbeat(self) -> bool {
        matches!(
            self,
            Fault::Stop { heartbeat: true }
                | Fault::Blackhole { heartbeat: true }
                | Fault::Partition { heartbeat: true }
        )
    }

    /// Whether the fault is on the path (through a relay).
    fn needs_relay(self) -> bool {
        matches!(
            self,
            Fault::SlowLink
                | Fault::Reset
                | Fault::Drop
                | Fault::Blackhole { .. }
                | Fault::Partition { .. }
        )
    }
}

/// Heartbeats when a fault asks for them: a PING every 200 ms, the
/// connection closed after 1 s without traffic.
pub const HEARTBEAT: (Duration, Duration) =
    (Duration::from_millis(200), Duration::from_millis(1000));

/// What the API promises for `pattern` under `fault`.
pub fn promise(pattern: Pattern, fault: Fault) -> Promise {
    match (pattern, fault) {
        // A PUB never promises anything: it drops at its high-water mark.
        (Pattern::PubSub, _) => Promise::Nothing,
        // The Lazy Pirate client resends until answered.
        (Pattern::ReqRep, _) => Promise::AtLeastOnce,
        // While a connection survives, TCP and libzmq lose nothing, and
        // without heartbeats nothing closes it.
        (_, Fault::None | Fault::SlowLink)
        | (_, Fault::Stop { heartbeat: false })
        | (_, Fault::Partition { heartbeat: false }) => Promise::Exactly,
        _ => Promise::Nothing,
    }
}

/// One run of the matrix.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub pattern: Pattern,
    pub transport: Transport,
    pub fault: Fault,
    pub messages: u64,
    /// Bytes per message.
    pub size: usize,
    /// Longer faults (the full matrix).
    pub full: bool,
}

impl Spec {
    pub fn new(
        pattern: Pattern,
        transport: Transport,
        fault: Fault,
        scale: crate::sys::Scale,
    ) -> Spec {
        // Lockstep round trips over a link with milliseconds of delay take
        // that long each: a twentieth of the messages.
        let messages = if pattern == Pattern::ReqRep && fault == Fault::SlowLink {
            scale.messages / 20
        } else {
            scale.messages
        };
        Spec {
            pattern,
            transport,
            fault,
            messages,
            size: 64,
            full: scale.full,
        }
    }

    /// How long a stopped peer stays stopped, or a partition lasts: past
    /// the heartbeat timeout.
    fn outage(&self) -> Duration {
        if self.full {
            Duration::from_secs(3)
        } else {
            Duration::from_millis(1500)
        }
    }

    /// How long to wait for the sender to notice a black hole before
    /// giving up and resetting the connection (as TCP would, after its
    /// retransmissions, some 15 minutes later).
    fn detect_window(&self) -> Duration {
        if self.full {
            Duration::from_secs(6)
        } else {
            Duration::from_secs(3)
        }
    }

    /// How long to wait before restarting a killed peer.
    fn restart_gap(&self) -> Duration {
        Duration::from_millis(300)
    }
}

/// Heartbeat settings for a peer, as its `HB` setting.
pub fn hb_setting() -> String {
    format!("{},{}", HEARTBEAT.0.as_millis(), HEARTBEAT.1.as_millis())
}

/// The peers of a run and how to restart the one a fault hits.
struct Peers {
    /// The peer a kill or stop hits.
    victim: Peer,
    /// Settings that make a restarted victim bind where it was.
    rebind: Vec<(&'static str, String)>,
    /// Other peers (the proxy's consumer).
    others: Vec<Peer>,
}

/// Runs `spec` and returns its row.
pub fn run(spec: Spec, guard: &Guard) -> Outcome {
    let start = Instant::now();
    let mut out = Outcome::new(
        spec.pattern.name(),
        spec.transport.name(),
        &spec.fault.name(),
        promise(spec.pattern, spec.fault),
    );
    let dir = TempDir::new();
    let ctx = Context::new().unwrap();
    guard.context(&ctx);
    let n = spec.messages;
    let tally = Arc::new(Tally::new(n));
    let sent = Arc::new(Sent::default());
    let mut peer_settings: Vec<(&str, String)> = Vec::new();
    if spec.fault.heartbeat() {
        peer_settings.push(("hb", hb_setting()));
    }
    let wait = Duration::from_secs(20);

    // The sending socket, and where it meets the peers.
    guard.stage("starting peers");
    let kind = match spec.pattern {
        Pattern::PushPull | Pattern::Proxy => SocketType::Push,
        Pattern::ReqRep => SocketType::Req,
        Pattern::DealerRouter => SocketType::Dealer,
        Pattern::PubSub => SocketType::Pub,
    };
    let sock = ctx.owned_socket(kind).unwrap();
    sock.set_linger(Some(Duration::ZERO)).unwrap();
    if spec.fault.heartbeat() {
        sock.set_heartbeat_ivl(HEARTBEAT.0).unwrap();
        sock.set_heartbeat_timeout(HEARTBEAT.1).unwrap();
    }
    let log = (spec.pattern != Pattern::ReqRep).then(|| EventLog::start(&sock));
    let mut relay: Option<Relay> = None;
    let relayed = |target: &str, relay: &mut Option<Relay>| -> String {
        if spec.fault.needs_relay() {
            let r = Relay::start(target, dir.path());
            if spec.fault == Fault::SlowLink {
                r.set_delay(Duration::from_millis(2), Duration::from_millis(2));
                r.set_rate(Some(2_000_000));
            }
            let ep = r.endpoint().to_owned();
            *relay = Some(r);
            ep
        } else {
            target.to_owned()
        }
    };
    let (peers, target) = match spec.pattern {
        Pattern::PushPull | Pattern::ReqRep | Pattern::DealerRouter => {
            let role = match spec.pattern {
                Pattern::PushPull => "pull",
                Pattern::ReqRep => "rep",
                _ => "router",
            };
            let mut settings = peer_settings.clone();
            settings.push(("bind", spec.transport.endpoint(dir.path(), "peer")));
            let victim = Peer::start(role, &settings, &tally);
            guard.pid(victim.pid());
            let ep = victim.ready(wait).remove(0);
            let target = relayed(&ep, &mut relay);
            if spec.pattern != Pattern::ReqRep {
                sock.connect(&target).unwrap();
            }
            out.note(format!(
                "sender connects to {}",
                if relay.is_some() { "relay" } else { "peer" }
            ));
            let peers = Peers {
                victim,
                rebind: vec![("bind", ep)],
                others: Vec::new(),
            };
            (peers, target)
        }
        Pattern::PubSub => {
            sock.bind(&spec.transport.endpoint(dir.path(), "pub"))
                .unwrap();
            let ep = sock.last_endpoint().unwrap();
            let target = relayed(&ep, &mut relay);
            let mut settings = peer_settings.clone();
            settings.push(("connect", target.clone()));
            let victim = Peer::start("sub", &settings, &tally);
            guard.pid(victim.pid());
            victim.ready(wait);
            let peers = Peers {
                victim,
                rebind: Vec::new(),
                others: Vec::new(),
            };
            (peers, target)
        }
        Pattern::Proxy => {
            let mut settings = peer_settings.clone();
            settings.push(("bind", spec.transport.endpoint(dir.path(), "front")));
            settings.push(("bind2", spec.transport.endpoint(dir.path(), "back")));
            let proxy = Peer::start("proxy", &settings, &tally);
            guard.pid(proxy.pid());
            let eps = proxy.ready(wait);
            let (front, back) = (eps[0].clone(), eps[1].clone());
            let target = relayed(&back, &mut relay);
            let mut settings = peer_settings.clone();
            settings.push(("connect", target));
            let consumer = Peer::start("pull", &settings, &tally);
            guard.pid(consumer.pid());
            consumer.ready(wait);
            sock.connect(&front).unwrap();
            let peers = Peers {
                victim: proxy,
                rebind: vec![("bind", front.clone()), ("bind2", back)],
                others: vec![consumer],
            };
            (peers, front)
        }
    };
    if spec.pattern == Pattern::PubSub {
        guard.stage("waiting for the subscription");
        let subscribed = wait_until(wait, || {
            let _ = sock.send("probe", SendFlags::DONTWAIT);
            std::thread::sleep(Duration::from_millis(5));
            peers.victim.facts().contains_key("probe")
        });
        assert!(subscribed, "the subscriber never received a probe");
    }

    // The sender, held before the fault's message until the fault is in
    // place.
    guard.stage("sending");
    let at = n / 3;
    let gate = Arc::new(Gate::default());
    let abort = Arc::new(AtomicBool::new(false));
    let timeouts = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let replies = Arc::new(Tally::new(n));
    let sender = {
        let (sent, abort, timeouts, replies, gate) = (
            Arc::clone(&sent),
            Arc::clone(&abort),
            Arc::clone(&timeouts),
            Arc::clone(&replies),
            Arc::clone(&gate),
        );
        let ctx = ctx.clone();
        let size = spec.size;
        let pattern = spec.pattern;
        let hb = spec.fault.heartbeat();
        let full = spec.full;
        // The socket comes back: closing it (LINGER 0) would drop what
        // it still has queued, before the end of the run.
        let held = move |rate| Pacer::new(rate).hold_at(at, gate);
        std::thread::spawn(move || match pattern {
            Pattern::PushPull | Pattern::Proxy => {
                push_all(&sock, n, size, &sent, &abort, &held(None));
                Some(sock)
            }
            Pattern::PubSub => {
                push_all(&sock, n, size, &sent, &abort, &held(Some(PUB_RATE)));
                Some(sock)
            }
            Pattern::DealerRouter => {
                request_windowed(
                    &sock,
                    n,
                    size,
                    &sent,
                    &replies,
                    &abort,
                    &timeouts,
                    &held(None),
                );
                Some(sock)
            }
            Pattern::ReqRep => {
                drop(sock);
                let pace = held(None);
                lazy_pirate(
                    &ctx, &target, hb, full, n, size, &sent, &replies, &abort, &timeouts, &pace,
                );
                None
            }
        })
    };

    // The fault.
    let reached = wait_until(Duration::from_secs(120), || {
        sent.accepted() >= at || sender.is_finished()
    });
    assert!(reached, "the sender did not reach message {at}");
    let fault_at = Instant::now();
    let mut detect_by = String::new();
    let mut detect: Option<Duration> = None;
    guard.stage(format!("fault {}", spec.fault.name()));
    let Peers {
        victim,
        rebind,
        others,
    } = peers;
    let mut victim = victim;
    match spec.fault {
        Fault::None | Fault::SlowLink => gate.release(),
        Fault::Kill => {
            victim.kill9();
            out.faults += 1;
            gate.release();
            std::thread::sleep(spec.restart_gap());
            victim = victim.restart_with(
                &rebind
                    .iter()
                    .map(|(k, v)| (*k, v.clone()))
                    .collect::<Vec<_>>(),
            );
            guard.pid(victim.pid());
            victim.ready(wait);
        }
        Fault::Stop { .. } => {
            victim.signal(libc::SIGSTOP);
            out.faults += 1;
            gate.release();
            std::thread::sleep(spec.outage());
            victim.signal(libc::SIGCONT);
        }
        Fault::Reset => {
            relay.as_ref().unwrap().reset_all();
            out.faults += 1;
            gate.release();
        }
        Fault::Drop => {
            relay.as_ref().unwrap().drop_all();
            out.faults += 1;
            gate.release();
        }
        Fault::Blackhole { .. } => {
            let r = relay.as_ref().unwrap();
            r.blackhole();
            out.faults += 1;
            gate.release();
            // Wait for the sender to notice; if it does not, end the dead
            // connection as TCP eventually would, so that the run ends.
            let noticed = match &log {
                Some(log) => log
                    .wait_disconnected(fault_at, spec.detect_window())
                    .is_some(),
                None => wait_until(spec.detect_window(), || {
                    timeouts.lock().unwrap().iter().any(|t| *t >= fault_at)
                }),
            };
            if !noticed {
                detect_by = format!("not within {} s", spec.detect_window().as_secs());
                r.reset_all();
            }
        }
        Fault::Partition { .. } => {
            let r = relay.as_ref().unwrap();
            r.partition();
            out.faults += 1;
            gate.release();
            std::thread::sleep(spec.outage());
            r.heal();
        }
    }

    // Released in every arm above; once more should an arm be added
    // without it.
    gate.release();

    // The end: everything sent, then what arrives. A peer may die by
    // itself meanwhile (libzmq aborts on an assertion now and then, after
    // a fault): a blocking sender would then wait for ever for a peer,
    // as it should, so the run is cut short and says why.
    guard.stage("waiting for the sender");
    let mut others = others;
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut died = None;
    while !sender.is_finished() && Instant::now() < deadline && died.is_none() {
        died = std::iter::once(&mut victim)
            .chain(others.iter_mut())
            .find_map(|peer| peer.wait_exit(Duration::ZERO));
        std::thread::sleep(Duration::from_millis(5));
    }
    if let Some(status) = died {
        out.note(format!(
            "a peer process died by itself ({status}); the run was cut short"
        ));
        out.crashed_peers += 1;
        abort.store(true, Ordering::Relaxed);
        // Unblocks the sender (its calls return Terminated).
        let _ = ctx.shutdown();
    } else if !sender.is_finished() {
        abort.store(true, Ordering::Relaxed);
        out.note("sender aborted after 300 s");
    }
    let sock = sender.join().expect("the sender thread");
    guard.stage("waiting for the last messages");
    let quiet = if spec.full {
        Duration::from_secs(3)
    } else {
        Duration::from_millis(1500)
    };
    tally.settle(sent.accepted(), quiet, Duration::from_secs(60));

    // Detection, from the sender's point of view.
    if spec.fault != Fault::None && spec.fault != Fault::SlowLink && detect_by.is_empty() {
        match &log {
            Some(log) => {
                detect = log.disconnected_after(fault_at);
                detect_by = match (detect, spec.pattern) {
                    (Some(_), _) => "monitor: disconnected".to_owned(),
                    (None, Pattern::Proxy) if spec.fault.needs_relay() => {
                        "sender not told (fault behind the proxy)".to_owned()
                    }
                    (None, _) => "sender not told".to_owned(),
                };
            }
            None => {
                detect = timeouts
                    .lock()
                    .unwrap()
                    .iter()
                    .find(|t| **t >= fault_at)
                    .map(|t| *t - fault_at);
                detect_by = if detect.is_some() {
                    "reply timeout".to_owned()
                } else {
                    "no timeout".to_owned()
                };
            }
        }
    }
    out.detect = detect;
    out.detect_by = detect_by;
    if let Some(log) = &log {
        let reconnects = log
            .count(|k| matches!(k, EventKind::HandshakeSucceeded))
            .saturating_sub(1);
        if reconnects > 0 {
            out.note(format!("{reconnects} reconnects"));
        }
    }

    guard.stage("stopping peers");
    if let Some(log) = log {
        log.stop();
    }
    let _ = ctx.shutdown();
    drop(sock);
    for peer in std::iter::once(victim).chain(others) {
        let (_, killed) = peer.finish(Duration::from_secs(10));
        if killed {
            out.note("a peer did not end when asked");
        }
    }
    if let Some(r) = relay.take() {
        let s = r.stats();
        if s.bytes_discarded > 0 {
            out.note(format!("relay discarded {} bytes", s.bytes_discarded));
        }
    }
    out.count(&sent, &tally);
    if out.lost > 0 {
        out.note(format!("missing {}", tally.missing(sent.accepted(), 4)));
    }
    if matches!(spec.pattern, Pattern::ReqRep | Pattern::DealerRouter) {
        let answered = replies.unique();
        out.note(format!("{answered} replies"));
        let given_up = sent.given_up.load(Ordering::Relaxed);
        if given_up > 0 {
            out.note(format!("{given_up} requests given up"));
        }
        match out.promise {
            Promise::Exactly | Promise::AtLeastOnce => {
                out.violations += given_up + n.saturating_sub(answered);
            }
            _ => {}
        }
    }
    if spec.pattern == Pattern::ReqRep {
        // A request is "sent" once; the resends are what the client was
        // told (timeouts).
        out.told = sent.given_up.load(Ordering::Relaxed) + timeouts.lock().unwrap().len() as u64;
    }
    out.elapsed = start.elapsed();
    out
}
