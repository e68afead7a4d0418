//! A program that exits with messages queued for a peer that is gone:
//! how long the exit takes, as the socket's LINGER says, and what becomes
//! of the messages. The program is a peer process (role `linger`): it
//! queues 100 messages on a PUSH, closes it and its context, and returns.

use std::sync::Arc;
use std::time::{Duration, Instant};

use zmq4::{Context, RecvFlags, SocketType};

use super::{TempDir, Transport};
use crate::peer::Peer;
use crate::tally::{ms, seq_of, Outcome, Promise, Tally};
use crate::watchdog::Guard;

/// The LINGER of the exiting program's socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linger {
    /// zmq4's default ([`zmq4::DEFAULT_LINGER`], 10 s).
    Default,
    Millis(u64),
    /// libzmq's own default: wait for ever.
    Forever,
}

/// One case: the LINGER, and whether the peer comes back during it.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    pub linger: Linger,
    /// The peer binds its endpoint this long after the messages were
    /// queued (`None`: it never does).
    pub peer_back_after: Option<Duration>,
    /// How long the exit may take before the process is killed.
    pub limit: Duration,
}

impl Case {
    pub fn name(&self) -> String {
        let linger = match self.linger {
            Linger::Default => "default LINGER (10 s)".to_owned(),
            Linger::Millis(0) => "LINGER 0".to_owned(),
            Linger::Millis(ms) => format!("LINGER {ms} ms"),
            Linger::Forever => "LINGER -1 (for ever)".to_owned(),
        };
        match self.peer_back_after {
            None => format!("exit, peer gone, {linger}"),
            Some(d) => format!("exit, peer back after {} ms, {linger}", d.as_millis()),
        }
    }
}

const COUNT: u64 = 100;

pub fn run(case: Case, transport: Transport, guard: &Guard) -> Outcome {
    let start = Instant::now();
    // Everything arrives when the peer comes back while the exit still
    // lingers; a LINGER that has run out by then (LINGER 0 drops at once)
    // promises nothing.
    let lingers_for = match case.linger {
        Linger::Default => Some(zmq4::DEFAULT_LINGER),
        Linger::Millis(ms) => Some(Duration::from_millis(ms)),
        Linger::Forever => None,
    };
    let promise = match (case.peer_back_after, lingers_for) {
        (Some(_), None) => Promise::Exactly,
        (Some(back), Some(linger)) if back < linger => Promise::Exactly,
        _ => Promise::Nothing,
    };
    let mut out = Outcome::new("PUSH (exiting)", transport.name(), &case.name(), promise);
    let dir = TempDir::new();
    // An endpoint nobody listens on: a port that was free a moment ago, or
    // a socket file that does not exist.
    let endpoint = match transport {
        Transport::Tcp => {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("tcp://{}", l.local_addr().unwrap())
        }
        Transport::Ipc => format!("ipc://{}/gone.sock", dir.path().display()),
    };
    let tally = Arc::new(Tally::new(COUNT));
    let mut settings = vec![("connect", endpoint.clone()), ("count", COUNT.to_string())];
    match case.linger {
        Linger::Default => {}
        Linger::Millis(ms) => settings.push(("linger", ms.to_string())),
        Linger::Forever => settings.push(("linger", "none".to_owned())),
    }
    guard.stage("starting the exiting program");
    let mut program = Peer::start("linger", &settings, &tally);
    guard.pid(program.pid());
    let queued = program.fact("queued", Duration::from_secs(20));
    assert_eq!(
        queued.as_deref(),
        Some("100"),
        "the program did not queue its messages"
    );
    let closing = Instant::now();

    // The peer, if it comes back, in this process.
    let ctx = Context::new().unwrap();
    guard.context(&ctx);
    let mut received = 0;
    let status = match case.peer_back_after {
        None => program.wait_exit(case.limit),
        Some(after) => {
            std::thread::sleep(after.saturating_sub(closing.elapsed()));
            let pull = ctx.socket(SocketType::Pull).unwrap();
            pull.set_linger(Some(Duration::ZERO)).unwrap();
            pull.set_rcvtimeo(Some(Duration::from_millis(200))).unwrap();
            pull.bind(&endpoint).unwrap();
            let mut msg = zmq4::Message::new();
            let deadline = closing + case.limit;
            let mut status = None;
            while Instant::now() < deadline {
                if pull.recv(&mut msg, RecvFlags::empty()).is_ok() {
                    if let Some(seq) = seq_of(&msg) {
                        tally.record(seq);
                        received += 1;
                    }
                } else if let Some(s) = program.wait_exit(Duration::ZERO) {
                    status = Some(s);
                    break;
                }
            }
            status.or_else(|| program.wait_exit(Duration::ZERO))
        }
    };
    let took = closing.elapsed();
    let _ = received;
    match status {
        Some(status) => {
            assert!(status.success(), "the exiting program failed: {status}");
            // The program's own measure, from its close to the end of its
            // context's termination: this process learns of the close
            // later, through a pipe, and would count the exit short.
            let closed_us = program
                .fact("closed_us", Duration::from_secs(5))
                .and_then(|ms| ms.parse().ok())
                .expect("the exiting program says how long its exit took");
            out.detect = Some(Duration::from_micros(closed_us));
            out.detect_by = "exit".to_owned();
        }
        None => {
            out.detect_by = format!("no exit: killed after {}", ms(case.limit));
            let (_, _) = program.finish(Duration::ZERO);
            out.note("the exit waits for ever for the gone peer, as LINGER -1 asks");
        }
    }
    out.faults = 1;
    let sent = crate::tally::Sent::default();
    for _ in 0..COUNT {
        sent.add_accepted();
    }
    out.count(&sent, &tally);
    out.note(format!("exit took {}", ms(took)));
    out.elapsed = start.elapsed();
    out
}
