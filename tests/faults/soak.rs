//! The soak: four streams at once (PUSH->PULL, REQ->REP with Lazy
//! Pirate, DEALER<->ROUTER, PUB->SUB), each to a peer process, three of
//! them through relays, all with heartbeats, while a fault hits one of
//! them every period, in turn: resets, closes, partitions, black holes,
//! kills and stops. This process's resident memory and open descriptors
//! are sampled as it goes.
//!
//! It passes when no stream hangs (each moves again after the faults
//! end), every request is answered, and this process ends with the
//! descriptors it started with.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zmq4::{Context, SendFlags, SocketType};

use crate::peer::Peer;
use crate::relay::Relay;
use crate::scenarios::stream::{self, hb_setting, Pacer, HEARTBEAT};
use crate::scenarios::{wait_until, TempDir};
use crate::sys;
use crate::tally::{Sent, Tally};
use crate::watchdog::Guard;

/// Messages a second per stream.
const RATE: f64 = 1000.0;

/// One sample of this process.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub at: Duration,
    pub rss_kib: u64,
    pub fds: usize,
    /// Messages delivered so far, per stream.
    pub delivered: [u64; 4],
}

/// What the soak saw.
#[derive(Debug)]
pub struct Report {
    pub duration: Duration,
    pub faults: u64,
    /// Per stream: name, sent, delivered, and whether it moved again after
    /// the last fault.
    pub streams: Vec<(&'static str, u64, u64, bool)>,
    pub requests_unanswered: u64,
    pub samples: Vec<Sample>,
    pub fds_start: usize,
    pub fds_end: usize,
    pub rss_start_kib: u64,
    pub rss_end_kib: u64,
    /// Peers that did not end when asked.
    pub stuck_peers: u64,
}

impl Report {
    /// Streams that did not move again after the faults ended.
    pub fn hangs(&self) -> u64 {
        self.streams.iter().filter(|s| !s.3).count() as u64
    }

    pub fn fd_leak(&self) -> i64 {
        self.fds_end as i64 - self.fds_start as i64
    }

    /// Resident memory growth from the first sample after the warm-up (a
    /// tenth of the run) to the last, KiB.
    pub fn rss_growth_kib(&self) -> i64 {
        let warm = self.samples.len() / 10;
        match (self.samples.get(warm), self.samples.last()) {
            (Some(a), Some(b)) => b.rss_kib as i64 - a.rss_kib as i64,
            _ => 0,
        }
    }

    pub fn summary(&self) -> String {
        let mut s = format!(
            "soak {:.0} s: {} faults; fds {} -> {} ({:+}); RSS {} KiB -> {} KiB (after warm-up {:+} KiB); {} hangs; {} requests unanswered; {} stuck peers",
            self.duration.as_secs_f64(),
            self.faults,
            self.fds_start,
            self.fds_end,
            self.fd_leak(),
            self.rss_start_kib,
            self.rss_end_kib,
            self.rss_growth_kib(),
            self.hangs(),
            self.requests_unanswered,
            self.stuck_peers,
        );
        for (name, sent, delivered, moved) in &self.streams {
            s.push_str(&format!(
                "\n  {name}: sent {sent}, delivered {delivered}{}",
                if *moved { "" } else { ", HUNG" }
            ));
        }
        s
    }
}

/// The faults, in turn.
#[derive(Debug, Clone, Copy)]
enum Step {
    ResetPush,
    KillRep,
    PartitionDealer,
    BlackholePush,
    StopRouter,
    DropSub,
    ResetDealer,
    KillSub,
    PartitionPush,
    StopRep,
}

const STEPS: [Step; 10] = [
    Step::ResetPush,
    Step::KillRep,
    Step::PartitionDealer,
    Step::BlackholePush,
    Step::StopRouter,
    Step::DropSub,
    Step::ResetDealer,
    Step::KillSub,
    Step::PartitionPush,
    Step::StopRep,
];

pub fn run(duration: Duration, guard: &Guard) -> Report {
    let fds_start = sys::open_fds(None).unwrap();
    let rss_start_kib = sys::rss_kib(None).unwrap();
    let start = Instant::now();
    let period = if duration >= Duration::from_secs(300) {
        Duration::from_secs(10)
    } else {
        Duration::from_millis(1500)
    };
    let sample_every = if duration >= Duration::from_secs(300) {
        Duration::from_secs(10)
    } else {
        Duration::from_millis(500)
    };
    // Room for every message of the run, with a margin.
    let capacity = (RATE * (duration.as_secs_f64() + 120.0) * 1.5) as u64;
    let dir = TempDir::new();
    let mut report = {
        let ctx = Context::new().unwrap();
        guard.context(&ctx);
        let hb = [("hb", hb_setting())];
        let tallies: [Arc<Tally>; 4] = std::array::from_fn(|_| Arc::new(Tally::new(capacity)));
        let sents: [Arc<Sent>; 4] = std::array::from_fn(|_| Arc::new(Sent::default()));
        let wait = Duration::from_secs(20);
        let start_peer = |role: &str, settings: Vec<(&str, String)>, tally: &Arc<Tally>| {
            let mut all = hb.to_vec();
            all.extend(settings);
            let peer = Peer::start(role, &all, tally);
            guard.pid(peer.pid());
            let ep = peer.ready(wait).remove(0);
            (peer, ep)
        };
        let with_hb = |sock: &zmq4::Socket<'_>| {
            sock.set_linger(Some(Duration::ZERO)).unwrap();
            sock.set_heartbeat_ivl(HEARTBEAT.0).unwrap();
            sock.set_heartbeat_timeout(HEARTBEAT.1).unwrap();
        };
        guard.stage("soak: starting");
        // 0: PUSH -> relay -> PULL.
        let (pull, pull_ep) = start_peer(
            "pull",
            vec![("bind", "tcp://127.0.0.1:*".into())],
            &tallies[0],
        );
        let relay_push = Relay::start(&pull_ep, dir.path());
        let push = ctx.owned_socket(SocketType::Push).unwrap();
        with_hb(&push);
        push.connect(relay_push.endpoint()).unwrap();
        // 1: REQ -> REP (direct; the REP is killed and stopped).
        let rep_ep_bind = format!("ipc://{}/rep.sock", dir.path().display());
        let (mut rep, rep_ep) = start_peer("rep", vec![("bind", rep_ep_bind)], &tallies[1]);
        // 2: DEALER -> relay -> ROUTER.
        let (router, router_ep) = start_peer(
            "router",
            vec![("bind", "tcp://127.0.0.1:*".into())],
            &tallies[2],
        );
        let relay_dealer = Relay::start(&router_ep, dir.path());
        let dealer = ctx.owned_socket(SocketType::Dealer).unwrap();
        with_hb(&dealer);
        dealer.connect(relay_dealer.endpoint()).unwrap();
        // 3: PUB -> relay -> SUB.
        let publisher = ctx.owned_socket(SocketType::Pub).unwrap();
        with_hb(&publisher);
        publisher.bind("tcp://127.0.0.1:*").unwrap();
        let relay_sub = Relay::start(&publisher.last_endpoint().unwrap(), dir.path());
        let (mut sub, _) = start_peer(
            "sub",
            vec![("connect", relay_sub.endpoint().to_owned())],
            &tallies[3],
        );
        let subscribed = wait_until(wait, || {
            let _ = publisher.send("probe", SendFlags::DONTWAIT);
            std::thread::sleep(Duration::from_millis(5));
            sub.facts().contains_key("probe")
        });
        assert!(subscribed, "the subscriber never received a probe");

        let abort = Arc::new(AtomicBool::new(false));
        let timeouts = Arc::new(Mutex::new(Vec::new()));
        let replies = [
            Arc::new(Tally::new(capacity)),
            Arc::new(Tally::new(capacity)),
        ];
        let mut senders = Vec::new();
        {
            let (sent, abort) = (Arc::clone(&sents[0]), Arc::clone(&abort));
            senders.push(std::thread::spawn(move || {
                stream::push_all(&push, capacity, 64, &sent, &abort, &Pacer::new(Some(RATE)));
                drop(push);
            }));
        }
        {
            let (sent, abort, timeouts, answered) = (
                Arc::clone(&sents[1]),
                Arc::clone(&abort),
                Arc::clone(&timeouts),
                Arc::clone(&replies[0]),
            );
            let ctx = ctx.clone();
            senders.push(std::thread::spawn(move || {
                let pace = Pacer::new(Some(RATE));
                stream::lazy_pirate(
                    &ctx, &rep_ep, true, false, capacity, 64, &sent, &answered, &abort, &timeouts,
                    &pace,
                );
            }));
        }
        {
            let (sent, abort, timeouts, answered) = (
                Arc::clone(&sents[2]),
                Arc::clone(&abort),
                Arc::clone(&timeouts),
                Arc::clone(&replies[1]),
            );
            senders.push(std::thread::spawn(move || {
                let pace = Pacer::new(Some(RATE));
                stream::request_windowed(
                    &dealer, capacity, 64, &sent, &answered, &abort, &timeouts, &pace,
                );
                drop(dealer);
            }));
        }
        {
            let (sent, abort) = (Arc::clone(&sents[3]), Arc::clone(&abort));
            senders.push(std::thread::spawn(move || {
                stream::push_all(
                    &publisher,
                    capacity,
                    64,
                    &sent,
                    &abort,
                    &Pacer::new(Some(RATE)),
                );
                drop(publisher);
            }));
        }

        // The faults, and the samples, until the time is up.
        let mut samples = Vec::new();
        let mut faults = 0u64;
        let mut next_fault = Instant::now() + period;
        let mut next_sample = Instant::now();
        let mut step = 0usize;
        let faults_end = start + duration;
        while Instant::now() < faults_end {
            if Instant::now() >= next_sample {
                samples.push(Sample {
                    at: start.elapsed(),
                    rss_kib: sys::rss_kib(None).unwrap_or(0),
                    fds: sys::open_fds(None).unwrap_or(0),
                    delivered: std::array::from_fn(|i| tallies[i].unique()),
                });
                next_sample += sample_every;
            }
            if Instant::now() >= next_fault {
                let what = STEPS[step % STEPS.len()];
                guard.stage(format!("soak: fault {what:?}"));
                step += 1;
                faults += 1;
                match what {
                    Step::ResetPush => relay_push.reset_all(),
                    Step::ResetDealer => relay_dealer.reset_all(),
                    Step::DropSub => relay_sub.drop_all(),
                    Step::BlackholePush => relay_push.blackhole(),
                    Step::PartitionDealer | Step::PartitionPush => {
                        let relay = if matches!(what, Step::PartitionDealer) {
                            &relay_dealer
                        } else {
                            &relay_push
                        };
                        relay.partition();
                        std::thread::sleep(Duration::from_millis(700));
                        relay.heal();
                    }
                    Step::KillRep => {
                        rep.kill9();
                        std::thread::sleep(Duration::from_millis(200));
                        rep = rep.restart_with(&[]);
                        guard.pid(rep.pid());
                        rep.ready(wait);
                    }
                    Step::KillSub => {
                        sub.kill9();
                        std::thread::sleep(Duration::from_millis(200));
                        sub = sub.restart_with(&[]);
                        guard.pid(sub.pid());
                        sub.ready(wait);
                    }
                    Step::StopRouter => {
                        router.signal(libc::SIGSTOP);
                        std::thread::sleep(Duration::from_millis(500));
                        router.signal(libc::SIGCONT);
                    }
                    Step::StopRep => {
                        rep.signal(libc::SIGSTOP);
                        std::thread::sleep(Duration::from_millis(500));
                        rep.signal(libc::SIGCONT);
                    }
                }
                next_fault += period;
            }
            std::thread::sleep(Duration::from_millis(10));
        }

        // Every stream must move again now that the faults have ended.
        guard.stage("soak: checking that every stream moves");
        let at_end: [u64; 4] = std::array::from_fn(|i| tallies[i].unique());
        let moved: Vec<bool> = (0..4)
            .map(|i| {
                wait_until(Duration::from_secs(15), || {
                    tallies[i].unique() > at_end[i] + 10
                })
            })
            .collect();
        abort.store(true, Ordering::Relaxed);
        guard.stage("soak: stopping");
        for sender in senders {
            sender.join().expect("a soak sender");
        }
        // The last requests may still be answered.
        let sent_requests = sents[1].accepted();
        wait_until(Duration::from_secs(5), || {
            replies[0].unique() >= sent_requests
        });
        let requests_unanswered = sent_requests.saturating_sub(replies[0].unique());
        let _ = ctx.shutdown();
        let mut stuck_peers = 0;
        for peer in [pull, rep, router, sub] {
            let (_, killed) = peer.finish(Duration::from_secs(10));
            stuck_peers += u64::from(killed);
        }
        drop((relay_push, relay_dealer, relay_sub));
        guard.release();
        drop(ctx);
        let names = ["PUSH->PULL", "REQ->REP", "DEALER<->ROUTER", "PUB->SUB"];
        Report {
            duration: start.elapsed(),
            faults,
            streams: (0..4)
                .map(|i| (names[i], sents[i].accepted(), tallies[i].unique(), moved[i]))
                .collect(),
            // A REQ whose reply is on its way when the run stops is not
            // counted: only one may be.
            requests_unanswered: requests_unanswered.saturating_sub(1),
            samples,
            fds_start,
            fds_end: 0,
            rss_start_kib,
            rss_end_kib: 0,
            stuck_peers,
        }
    };
    // Everything is closed: the descriptors are back where they were (the
    // threads of the relays and libzmq may take a moment to go).
    wait_until(Duration::from_secs(5), || {
        sys::open_fds(None) == Some(fds_start)
    });
    report.fds_end = sys::open_fds(None).unwrap();
    report.rss_end_kib = sys::rss_kib(None).unwrap();
    report
}
