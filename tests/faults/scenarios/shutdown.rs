//! `Context::shutdown` while other threads block in libzmq: a send (its
//! message must come back), a receive, a REQ waiting for its reply, a
//! poll, a proxy and a monitor. Each must return at once, with `ETERM`
//! (the proxy with `Ok`), and the context must then terminate.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use zmq4::{Context, ErrorKind, MonitorEvents, PollEvents, RecvFlags, SendFlags, SocketType};

use crate::tally::{ms, payload, seq_of, Outcome, Promise};
use crate::watchdog::Guard;

/// How each blocked call ended, and how long after the shutdown.
type Ended = (&'static str, Duration, String);

pub fn run(guard: &Guard) -> Outcome {
    let start = Instant::now();
    let mut out = Outcome::new(
        "all (one context)",
        "inproc, tcp",
        "context shutdown while threads block in send/recv/poll/proxy",
        Promise::Told,
    );
    let ctx = Context::new().unwrap();
    guard.context(&ctx);
    let (tx, rx) = mpsc::channel::<(&'static str, Instant, String)>();
    let blocked = 6;
    std::thread::scope(|s| {
        // A PUSH with no peer (not even a connect, which would give it a
        // pipe to queue on): the send blocks; its message must come back.
        let tx1 = tx.clone();
        let ctx1 = &ctx;
        s.spawn(move || {
            let push = ctx1.socket(SocketType::Push).unwrap();
            push.set_linger(Some(Duration::ZERO)).unwrap();
            let result = match push.send_msg(payload(7, 64), SendFlags::empty()) {
                Ok(()) => "sent?!".to_owned(),
                Err(err) => {
                    let kind = err.kind();
                    let back = err.into_message();
                    format!("{kind:?}, message back: {}", seq_of(&back) == Some(7))
                }
            };
            tx1.send(("send", Instant::now(), result)).unwrap();
        });
        // A PULL nobody sends to.
        let tx2 = tx.clone();
        let ctx2 = &ctx;
        s.spawn(move || {
            let pull = ctx2.socket(SocketType::Pull).unwrap();
            pull.bind("inproc://shutdown-recv").unwrap();
            let result = pull.recv_msg(RecvFlags::empty()).map(drop);
            tx2.send((
                "recv",
                Instant::now(),
                format!("{:?}", result.map_err(|e| e.kind())),
            ))
            .unwrap();
        });
        // A REQ waiting for a reply that never comes.
        let tx3 = tx.clone();
        let ctx3 = &ctx;
        s.spawn(move || {
            let rep = ctx3.socket(SocketType::Rep).unwrap();
            rep.bind("inproc://shutdown-req").unwrap();
            let req = ctx3.socket(SocketType::Req).unwrap();
            req.connect("inproc://shutdown-req").unwrap();
            req.send("request", SendFlags::empty()).unwrap();
            let result = req.recv_msg(RecvFlags::empty()).map(drop);
            tx3.send((
                "REQ recv",
                Instant::now(),
                format!("{:?}", result.map_err(|e| e.kind())),
            ))
            .unwrap();
        });
        // A poll with no timeout.
        let tx4 = tx.clone();
        let ctx4 = &ctx;
        s.spawn(move || {
            let sub = ctx4.socket(SocketType::Sub).unwrap();
            sub.bind("inproc://shutdown-poll").unwrap();
            let result = sub.poll(PollEvents::POLLIN, None).map(drop);
            tx4.send((
                "poll",
                Instant::now(),
                format!("{:?}", result.map_err(|e| e.kind())),
            ))
            .unwrap();
        });
        // zmq4::proxy between two idle sockets.
        let tx5 = tx.clone();
        let ctx5 = &ctx;
        s.spawn(move || {
            let front = ctx5.socket(SocketType::Pull).unwrap();
            front.bind("inproc://shutdown-front").unwrap();
            let back = ctx5.socket(SocketType::Push).unwrap();
            back.bind("inproc://shutdown-back").unwrap();
            let result = zmq4::proxy(&front, &back, None);
            tx5.send((
                "proxy",
                Instant::now(),
                format!("{:?}", result.map_err(|e| e.kind())),
            ))
            .unwrap();
        });
        // A monitor waiting for an event.
        let tx6 = tx.clone();
        let ctx6 = &ctx;
        s.spawn(move || {
            let watched = ctx6.socket(SocketType::Dealer).unwrap();
            let mut monitor = watched.monitor(MonitorEvents::all()).unwrap();
            let result = monitor
                .next_event(None)
                .map(|e| e.map(|e| format!("{:?}", e.kind())));
            tx6.send((
                "monitor",
                Instant::now(),
                format!("{:?}", result.map_err(|e| e.kind())),
            ))
            .unwrap();
        });
        drop(tx);
        // Long enough for every thread to be blocked.
        std::thread::sleep(Duration::from_millis(300));
        guard.stage("shutting the context down");
        let shutdown_at = Instant::now();
        ctx.shutdown().unwrap();
        out.faults = 1;
        let mut ended: Vec<Ended> = Vec::new();
        while let Ok((what, at, result)) = rx.recv_timeout(Duration::from_secs(10)) {
            ended.push((what, at - shutdown_at, result));
        }
        assert_eq!(
            ended.len(),
            blocked,
            "not every blocked call returned: {ended:?}"
        );
        let slowest = ended.iter().map(|e| e.1).max().unwrap();
        out.detect = Some(slowest);
        out.detect_by = "slowest return".to_owned();
        for (what, took, result) in &ended {
            out.note(format!("{what}: {result} after {}", ms(*took)));
            let expected = match *what {
                "send" => format!("{:?}, message back: true", ErrorKind::Terminated),
                "proxy" => "Ok(())".to_owned(),
                "monitor" => format!("Err({:?})", ErrorKind::Terminated),
                _ => format!("Err({:?})", ErrorKind::Terminated),
            };
            if *result != expected && !(*what == "monitor" && result == "Ok(None)") {
                out.violations += 1;
                out.note(format!("{what}: expected {expected}"));
            }
        }
        if slowest > Duration::from_secs(1) {
            out.violations += 1;
            out.note("a blocked call took more than 1 s to return");
        }
    });
    // The one message that was offered came back: told, not lost.
    out.sent = 0;
    out.told = 1;
    guard.stage("terminating the context");
    guard.release();
    let term = Instant::now();
    ctx.term()
        .map_err(|(_, e)| e)
        .expect("the context terminates");
    out.note(format!(
        "context terminated {} after the sockets closed",
        ms(term.elapsed())
    ));
    out.elapsed = start.elapsed();
    out
}
