//! An EINTR storm: a signal every millisecond to each of three threads
//! blocked in libzmq (a PUSH sending into a full pipe, a PULL receiving,
//! a poll that never sees an event) while numbered messages stream over
//! tcp.
//!
//! With the default context every interrupted call fails with
//! `Interrupted`: a send hands its message back, and sending it again
//! loses nothing and duplicates nothing. With
//! `retry_on_interrupt(true)` no call ever reports the signal.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use zmq4::{Context, ErrorKind, PollEvents, RecvFlags, SendFlags, SocketType};

use super::Transport;
use crate::sys;
use crate::tally::{payload, seq_of, Outcome, Promise, Sent, Tally};
use crate::watchdog::Guard;

pub fn run(retry: bool, transport: Transport, n: u64, guard: &Guard) -> Outcome {
    let start = Instant::now();
    let fault = if retry {
        "EINTR storm (a signal every ms), retry_on_interrupt"
    } else {
        "EINTR storm (a signal every ms)"
    };
    let mut out = Outcome::new("PUSH->PULL", transport.name(), fault, Promise::Exactly);
    sys::install_counting_handler(libc::SIGUSR2);
    let ctx = Context::builder()
        .retry_on_interrupt(retry)
        .build()
        .unwrap();
    guard.context(&ctx);
    let dir = super::TempDir::new();
    let pull = ctx.socket(SocketType::Pull).unwrap();
    pull.set_linger(Some(Duration::ZERO)).unwrap();
    pull.set_rcvhwm(Some(10)).unwrap();
    pull.bind(&transport.endpoint(dir.path(), "pull")).unwrap();
    let push = ctx.socket(SocketType::Push).unwrap();
    push.set_linger(Some(Duration::ZERO)).unwrap();
    push.set_sndhwm(Some(10)).unwrap();
    push.connect(&pull.last_endpoint().unwrap()).unwrap();
    let idle = ctx.socket(SocketType::Sub).unwrap();
    idle.bind("inproc://eintr-idle").unwrap();

    let tally = Tally::new(n);
    let sent = Sent::default();
    let recv_interrupted = AtomicU64::new(0);
    let poll_interrupted = AtomicU64::new(0);
    let polls = AtomicU64::new(0);
    let other_errors = AtomicU64::new(0);
    let done = [
        AtomicBool::new(false),
        AtomicBool::new(false),
        AtomicBool::new(false),
    ];
    let signalling_stopped = AtomicBool::new(false);
    let signals_before = sys::SIGNALS.load(Ordering::Relaxed);
    let mut signals_sent = 0u64;
    guard.stage("streaming under signals");
    // Each worker, once done, waits for the signalling to stop before it
    // ends, so that no signal is sent to a thread that is gone.
    let finish = |i: usize| {
        done[i].store(true, Ordering::SeqCst);
        while !signalling_stopped.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(1));
        }
    };
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel();
        let tx0 = tx.clone();
        let (sent, tally, other_errors) = (&sent, &tally, &other_errors);
        let (recv_interrupted, poll_interrupted, polls, done) =
            (&recv_interrupted, &poll_interrupted, &polls, &done);
        let finish = &finish;
        s.spawn(move || {
            tx0.send(sys::this_thread()).unwrap();
            'messages: for seq in 0..n {
                let mut msg = payload(seq, 64);
                loop {
                    match push.send_msg(msg, SendFlags::empty()) {
                        Ok(()) => {
                            sent.add_accepted();
                            break;
                        }
                        Err(err) => {
                            sent.add_failure(seq, err.unsent());
                            match err.kind() {
                                ErrorKind::Interrupted => msg = err.into_message(),
                                _ => {
                                    other_errors.fetch_add(1, Ordering::Relaxed);
                                    break 'messages;
                                }
                            }
                        }
                    }
                }
            }
            finish(0);
        });
        let tx1 = tx.clone();
        s.spawn(move || {
            tx1.send(sys::this_thread()).unwrap();
            let mut msg = zmq4::Message::new();
            let mut got = 0;
            while got < n {
                match pull.recv(&mut msg, RecvFlags::empty()) {
                    Ok(()) => {
                        got += 1;
                        match seq_of(&msg) {
                            Some(seq) => tally.record(seq),
                            None => {
                                other_errors.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                    Err(err) if err.kind() == ErrorKind::Interrupted => {
                        recv_interrupted.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) => {
                        other_errors.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                }
            }
            finish(1);
        });
        let tx2 = tx;
        s.spawn(move || {
            tx2.send(sys::this_thread()).unwrap();
            while !(done[0].load(Ordering::SeqCst) && done[1].load(Ordering::SeqCst)) {
                polls.fetch_add(1, Ordering::Relaxed);
                match idle.poll(PollEvents::POLLIN, Some(Duration::from_millis(50))) {
                    Ok(_) => {}
                    Err(err) if err.kind() == ErrorKind::Interrupted => {
                        poll_interrupted.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) => {
                        other_errors.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                }
            }
            finish(2);
        });
        let threads: Vec<libc::pthread_t> = (0..3).map(|_| rx.recv().unwrap()).collect();
        // The storm: every thread, every millisecond, until all are done.
        let limit = Instant::now() + Duration::from_secs(240);
        while !done.iter().all(|d| d.load(Ordering::SeqCst)) && Instant::now() < limit {
            for (i, thread) in threads.iter().enumerate() {
                if !done[i].load(Ordering::SeqCst) {
                    sys::signal_thread(*thread, libc::SIGUSR2);
                    signals_sent += 1;
                }
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        signalling_stopped.store(true, Ordering::SeqCst);
        if Instant::now() >= limit {
            // Unblock the workers: the storm did not let them finish.
            let _ = ctx.shutdown();
        }
    });
    let handled = sys::SIGNALS.load(Ordering::Relaxed) - signals_before;
    out.count(&sent, &tally);
    out.faults = signals_sent;
    out.violations += other_errors.load(Ordering::Relaxed);
    let interrupted = out.told
        + recv_interrupted.load(Ordering::Relaxed)
        + poll_interrupted.load(Ordering::Relaxed);
    if retry && interrupted > 0 {
        // Retrying contexts must never report a signal.
        out.violations += interrupted;
        out.note("an interrupted call was reported despite retry_on_interrupt");
    }
    out.detect_by = format!(
        "{} sends, {} receives, {} of {} polls interrupted",
        out.told,
        recv_interrupted.load(Ordering::Relaxed),
        poll_interrupted.load(Ordering::Relaxed),
        polls.load(Ordering::Relaxed)
    );
    out.note(format!("{signals_sent} signals sent, {handled} handled"));
    out.elapsed = start.elapsed();
    out
}

/// How long a receive with a 100 ms `RCVTIMEO`, a send with a 100 ms
/// `SNDTIMEO` (a PUSH without peers), and a `Socket::poll` and a `Poller`
/// with a 100 ms timeout take on a socket that never gets a message while this thread
/// is signalled every millisecond, with `retry_on_interrupt(retry)`. A
/// timeout is a promise about time: signals must not stretch it. Returns
/// the time each call took and how it ended (`None` if it had not
/// returned after `limit`, when the signals stop).
pub fn timeouts_under_storm(
    retry: bool,
    limit: Duration,
) -> Vec<(&'static str, Option<Duration>, String)> {
    sys::install_counting_handler(libc::SIGUSR2);
    let ctx = Context::builder()
        .retry_on_interrupt(retry)
        .build()
        .unwrap();
    let pull = ctx.socket(SocketType::Pull).unwrap();
    pull.bind("inproc://eintr-timeouts").unwrap();
    pull.set_rcvtimeo(Some(Duration::from_millis(100))).unwrap();
    let push = ctx.socket(SocketType::Push).unwrap();
    push.set_sndtimeo(Some(Duration::from_millis(100))).unwrap();
    let mut poller = zmq4::Poller::new();
    poller.add(&pull, PollEvents::POLLIN, ()).unwrap();
    let mut results = Vec::new();
    let calls: [&'static str; 4] = [
        "recv with RCVTIMEO 100 ms",
        "send with SNDTIMEO 100 ms",
        "poll with timeout 100 ms",
        "Poller with timeout 100 ms",
    ];
    for call in calls {
        let stop = AtomicBool::new(false);
        let (took, how) = std::thread::scope(|s| {
            let me = sys::this_thread();
            let stop = &stop;
            let signaller = s.spawn(move || {
                let begin = Instant::now();
                while !stop.load(Ordering::SeqCst) && begin.elapsed() < limit {
                    sys::signal_thread(me, libc::SIGUSR2);
                    std::thread::sleep(Duration::from_millis(1));
                }
            });
            let begin = Instant::now();
            let wait = Some(Duration::from_millis(100));
            let result = match call.split(' ').next() {
                Some("recv") => pull.recv_msg(RecvFlags::empty()).map(drop),
                Some("send") => push.send("x", SendFlags::empty()),
                Some("poll") => pull.poll(PollEvents::POLLIN, wait).map(drop),
                _ => poller.poll(wait).map(|ready| assert_eq!(ready.count(), 0)),
            };
            // One call: a caller that does not retry sees the signal (and
            // would call again); one that retries, the timeout.
            let how = match result {
                Err(e) if e.kind() == ErrorKind::Interrupted => "Interrupted".to_owned(),
                other => format!("{:?}", other.map_err(|e| e.kind())),
            };
            let took = begin.elapsed();
            stop.store(true, Ordering::SeqCst);
            signaller.join().unwrap();
            (took, how)
        });
        // The signaller stops at `limit`: a call still waiting then was
        // stretched until the signals stopped.
        let took = (took < limit).then_some(took);
        results.push((call, took, how));
    }
    results
}
