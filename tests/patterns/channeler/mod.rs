//! `Channeler`: one socket on its own thread, shared by threads and tasks
//! through queues. Every test is bounded by a watchdog, so that a lost
//! wake-up fails the test instead of hanging it.
#![cfg(feature = "channeler")]

mod ending;
#[cfg(target_os = "linux")]
mod idle;

use std::collections::HashSet;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::{inproc, socket, TIMEOUT};
use zmq4::{Channeler, Context, ErrorKind, Message, RecvFlags, SendFlags, SocketType};

/// Runs `f` on a thread and returns its result, failing the test if it
/// takes longer than `limit`.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("watchdog: still running after {limit:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the watched closure panicked"),
    }
}

const LIMIT: Duration = Duration::from_secs(30);

fn text(parts: &[Message]) -> Vec<String> {
    parts
        .iter()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect()
}

#[test]
fn a_handle_is_clone_send_sync() {
    fn check<T: Clone + Send + Sync + 'static>() {}
    check::<Channeler>();
}

#[test]
fn many_threads_send_through_clones_nothing_lost_or_duplicated() {
    within(LIMIT, || {
        const THREADS: usize = 8;
        const EACH: usize = 2_000;
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-many-senders");
        let pull = socket(&ctx, SocketType::Pull);
        pull.bind(&endpoint).unwrap();
        // A small queue, so that the senders block on it often.
        let push = ctx.owned_socket(SocketType::Push).unwrap();
        push.connect(&endpoint).unwrap();
        let push = Channeler::with_capacity(push, 4).unwrap();

        let senders: Vec<_> = (0..THREADS)
            .map(|t| {
                let push = push.clone();
                std::thread::spawn(move || {
                    for i in 0..EACH {
                        push.send([format!("{t}"), format!("{i}")]).unwrap();
                    }
                })
            })
            .collect();
        let mut seen = HashSet::new();
        let mut next = [0usize; THREADS];
        for _ in 0..THREADS * EACH {
            let parts = pull.recv_multipart(RecvFlags::empty()).unwrap();
            let [t, i] = <[String; 2]>::try_from(text(&parts)).unwrap();
            let (t, i): (usize, usize) = (t.parse().unwrap(), i.parse().unwrap());
            assert!(seen.insert((t, i)), "message {t}/{i} received twice");
            // One thread's messages keep their order.
            assert_eq!(i, next[t], "thread {t}'s messages out of order");
            next[t] += 1;
        }
        for s in senders {
            s.join().unwrap();
        }
        assert_eq!(seen.len(), THREADS * EACH);
        pull.set_rcvtimeo(Some(Duration::from_millis(50))).unwrap();
        let extra = pull.recv_msg(RecvFlags::empty());
        assert!(extra.is_err(), "a message more than was sent");
    });
}

#[test]
fn receivers_share_the_messages_blocking_and_async() {
    within(LIMIT, || {
        const TOTAL: usize = 3_000;
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-many-receivers");
        let pull = Channeler::with_capacity(
            {
                let s = ctx.owned_socket(SocketType::Pull).unwrap();
                s.bind(&endpoint).unwrap();
                s
            },
            8,
        )
        .unwrap();
        let push = ctx.owned_socket(SocketType::Push).unwrap();
        push.connect(&endpoint).unwrap();
        let producer = std::thread::spawn(move || {
            for i in 0..TOTAL {
                push.send(i.to_string(), SendFlags::empty()).unwrap();
            }
            for _ in 0..4 {
                push.send("end", SendFlags::empty()).unwrap();
            }
        });

        // Two blocking receivers and two tasks on a tokio runtime.
        let blocking: Vec<_> = (0..2)
            .map(|_| {
                let pull = pull.clone();
                std::thread::spawn(move || {
                    let mut got = Vec::new();
                    loop {
                        let parts = pull.recv().unwrap();
                        if &parts[0][..] == b"end" {
                            return got;
                        }
                        got.push(text(&parts)[0].parse::<usize>().unwrap());
                    }
                })
            })
            .collect();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        let tasks: Vec<_> = (0..2)
            .map(|_| {
                let pull = pull.clone();
                runtime.spawn(async move {
                    let mut got = Vec::new();
                    loop {
                        let parts = pull.recv_async().await.unwrap();
                        if &parts[0][..] == b"end" {
                            return got;
                        }
                        got.push(text(&parts)[0].parse::<usize>().unwrap());
                    }
                })
            })
            .collect();
        let mut all = Vec::new();
        for b in blocking {
            all.extend(b.join().unwrap());
        }
        for t in tasks {
            let got = runtime.block_on(t).unwrap();
            assert!(!got.is_empty() || all.len() < TOTAL, "an async receiver");
            all.extend(got);
        }
        producer.join().unwrap();
        all.sort_unstable();
        assert_eq!(all, (0..TOTAL).collect::<Vec<_>>());
    });
}

#[test]
fn async_send_and_receive_on_a_runtime() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-async");
        let router = Channeler::new(&ctx, SocketType::Router, &endpoint).unwrap();
        let dealer = Channeler::new(&ctx, SocketType::Dealer, &endpoint).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            for i in 0..100 {
                dealer
                    .send_async([b"hello".to_vec(), i.to_string().into_bytes()])
                    .await
                    .unwrap();
                let request = router.recv_async().await.unwrap();
                assert_eq!(text(&request[1..]), ["hello", &i.to_string()]);
                let id = request[0].to_vec();
                router.send_async([id, b"world".to_vec()]).await.unwrap();
                let reply = dealer.recv_async().await.unwrap();
                assert_eq!(text(&reply), ["world"]);
            }
            // A receive that is cancelled takes nothing: the message is
            // still there for the next one.
            let cancelled =
                tokio::time::timeout(Duration::from_millis(20), router.recv_async()).await;
            assert!(cancelled.is_err(), "nothing was sent yet");
            dealer.send_async(["after"]).await.unwrap();
            let request = router.recv_async().await.unwrap();
            assert_eq!(text(&request[1..]), ["after"]);
        });
    });
}

#[test]
fn timeouts_and_empty_receives() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let pull = Channeler::new(&ctx, SocketType::Pull, &inproc("ch-timeout")).unwrap();
        assert_eq!(pull.try_recv().unwrap_err().kind(), ErrorKind::WouldBlock);
        let start = Instant::now();
        let err = pull.recv_timeout(Duration::from_millis(100)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TimedOut);
        assert!(
            err.error().is_would_block(),
            "EAGAIN, as a socket's timeout"
        );
        assert!(err.to_string().contains("100 ms"), "{err}");
        assert!(err.unsent().is_none());
        assert!(start.elapsed() >= Duration::from_millis(100));
    });
}

#[test]
fn sends_that_cannot_be_made_hand_the_message_back() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let pull = Channeler::new(&ctx, SocketType::Pull, &inproc("ch-refuse")).unwrap();
        let err = pull.send([b"kept".to_vec()]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotSupported);
        assert_eq!(&err.parts()[0][..], b"kept");
        let push = Channeler::new(&ctx, SocketType::Push, &inproc("ch-refuse-2")).unwrap();
        let err = push.send(Vec::<Message>::new()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        let socket = ctx.owned_socket(SocketType::Push).unwrap();
        let err = Channeler::with_capacity(socket, 0).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    });
}

/// A full socket: the thread keeps the message the socket refused, the
/// queue fills, then `try_send` fails with the message back and `send`
/// blocks; once the peer reads, everything arrives, in order.
#[test]
fn a_full_socket_blocks_send_and_fails_try_send() {
    within(LIMIT, || {
        const CAPACITY: usize = 4;
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-hwm");
        let pull = socket(&ctx, SocketType::Pull);
        pull.set_rcvhwm(Some(1)).unwrap();
        pull.bind(&endpoint).unwrap();
        let push = ctx.owned_socket(SocketType::Push).unwrap();
        push.set_sndhwm(Some(1)).unwrap();
        push.connect(&endpoint).unwrap();
        let push = Channeler::with_capacity(push, CAPACITY).unwrap();

        // Fill everything: libzmq's pipe, the thread's pending message,
        // the queue. try_send says when it is full.
        let mut accepted = 0usize;
        let deadline = Instant::now() + TIMEOUT;
        let refused = loop {
            match push.try_send([accepted.to_string()]) {
                Ok(()) => accepted += 1,
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    // The thread may not have moved the queue into the
                    // socket yet: full only when it stays full.
                    std::thread::sleep(Duration::from_millis(20));
                    if push.try_send([accepted.to_string()]).is_err() {
                        break e;
                    }
                    accepted += 1;
                }
                Err(e) => panic!("{e}"),
            }
            assert!(Instant::now() < deadline, "the queue never filled");
        };
        assert_eq!(text(refused.parts()), [accepted.to_string()]);
        assert!(
            (CAPACITY..=CAPACITY + 8).contains(&accepted),
            "{accepted} messages accepted with a queue of {CAPACITY} and high-water marks of 1"
        );

        // A blocking send waits...
        let (done_tx, done_rx) = mpsc::channel();
        let blocked = {
            let push = push.clone();
            let n = accepted;
            std::thread::spawn(move || {
                push.send([n.to_string()]).unwrap();
                done_tx.send(()).unwrap();
            })
        };
        assert!(
            done_rx.recv_timeout(Duration::from_millis(200)).is_err(),
            "send returned although the socket and the queue are full"
        );
        // ...until the peer reads: then everything arrives, in order.
        for i in 0..=accepted {
            let msg = pull.recv_string(RecvFlags::empty()).unwrap();
            assert_eq!(msg, i.to_string());
        }
        done_rx
            .recv_timeout(TIMEOUT)
            .expect("the blocked send returned");
        blocked.join().unwrap();
    });
}

/// A full incoming queue: the thread stops reading, the socket's queue
/// and then the sender's fill, and the sender sees the high-water mark;
/// nothing is lost. Sending through the same channeler goes on meanwhile.
#[test]
fn a_full_incoming_queue_pushes_back_to_the_peer() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-backpressure");
        let pair = ctx.owned_socket(SocketType::Pair).unwrap();
        pair.set_rcvhwm(Some(2)).unwrap();
        pair.bind(&endpoint).unwrap();
        let channeler = Channeler::with_capacity(pair, 2).unwrap();
        let peer = socket(&ctx, SocketType::Pair);
        peer.set_sndhwm(Some(2)).unwrap();
        peer.connect(&endpoint).unwrap();

        let mut sent = 0usize;
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match peer.send(sent.to_string(), SendFlags::DONTWAIT) {
                Ok(()) => sent += 1,
                Err(e) if e.is_would_block() => {
                    std::thread::sleep(Duration::from_millis(20));
                    match peer.send(sent.to_string(), SendFlags::DONTWAIT) {
                        Ok(()) => sent += 1,
                        Err(e) if e.is_would_block() => break,
                        Err(e) => panic!("{e}"),
                    }
                }
                Err(e) => panic!("{e}"),
            }
            assert!(sent < 1_000, "no backpressure: {sent} messages taken");
            assert!(Instant::now() < deadline);
        }
        assert!(sent >= 2, "{sent}");
        // The other direction is not held up by the full incoming queue.
        channeler.send(["the other way"]).unwrap();
        assert_eq!(
            peer.recv_string(RecvFlags::empty()).unwrap(),
            "the other way"
        );
        for i in 0..sent {
            assert_eq!(text(&channeler.recv().unwrap()), [i.to_string()]);
        }
        assert_eq!(
            channeler
                .recv_timeout(Duration::from_millis(50))
                .unwrap_err()
                .kind(),
            ErrorKind::TimedOut
        );
    });
}

/// A peer that disappears: a ROUTER with ROUTER_MANDATORY cannot reach it
/// any more, and the reply comes back through the receiving side with
/// HostUnreachable; the channeler goes on serving others.
#[test]
fn a_reply_to_a_peer_that_disappeared_comes_back() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let router = ctx.owned_socket(SocketType::Router).unwrap();
        router.set_router_mandatory(true).unwrap();
        router.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = router.last_endpoint().unwrap();
        let router = Channeler::from_socket(router).unwrap();

        let client_ctx = Context::new().unwrap();
        let gone = socket(&client_ctx, SocketType::Dealer);
        gone.set_routing_id("gone").unwrap();
        gone.connect(&endpoint).unwrap();
        gone.send("hello", SendFlags::empty()).unwrap();
        let request = router.recv_timeout(TIMEOUT).unwrap();
        assert_eq!(text(&request), ["gone", "hello"]);
        drop(gone);

        // Until the ROUTER sees the disconnection, the reply may still go
        // out (to nobody); then it is refused and comes back.
        let deadline = Instant::now() + TIMEOUT;
        let err = loop {
            router.send(["gone", "reply"]).unwrap();
            match router.recv_timeout(Duration::from_millis(50)) {
                Err(e) if e.kind() == ErrorKind::TimedOut => {}
                Err(e) => break e,
                Ok(parts) => panic!("unexpected {:?}", text(&parts)),
            }
            assert!(Instant::now() < deadline, "the reply was never refused");
        };
        assert_eq!(err.kind(), ErrorKind::HostUnreachable);
        assert_eq!(text(err.unsent().unwrap()), ["gone", "reply"]);

        // Still serving.
        let other = socket(&client_ctx, SocketType::Dealer);
        other.connect(&endpoint).unwrap();
        other.send("again", SendFlags::empty()).unwrap();
        let request = router.recv_timeout(TIMEOUT).unwrap();
        router.send([request[0].to_vec(), b"ok".to_vec()]).unwrap();
        assert_eq!(other.recv_string(RecvFlags::empty()).unwrap(), "ok");
    });
}

/// A REQ that sends out of turn: the second request comes back with
/// InvalidState, as `send` would have said on a plain socket.
#[test]
fn a_send_out_of_turn_comes_back() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-req");
        let rep = socket(&ctx, SocketType::Rep);
        rep.bind(&endpoint).unwrap();
        let req = Channeler::new(&ctx, SocketType::Req, &endpoint).unwrap();
        req.send(["first"]).unwrap();
        req.send(["second"]).unwrap();
        let err = req.recv_timeout(TIMEOUT).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidState);
        assert_eq!(text(err.unsent().unwrap()), ["second"]);
        assert_eq!(rep.recv_string(RecvFlags::empty()).unwrap(), "first");
        rep.send("answer", SendFlags::empty()).unwrap();
        assert_eq!(text(&req.recv_timeout(TIMEOUT).unwrap()), ["answer"]);
    });
}

/// Subscriptions made while the channeler runs, as goczmq's Subscribe and
/// Unsubscribe; `with_socket` returns the closure's value and carries its
/// panic back.
#[test]
fn subscriptions_and_calls_on_the_thread() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-sub");
        let xpub = socket(&ctx, SocketType::XPub);
        xpub.bind(&endpoint).unwrap();
        let sub = Channeler::new(&ctx, SocketType::Sub, &endpoint).unwrap();
        sub.subscribe("a").unwrap();
        assert_eq!(xpub.recv_bytes(RecvFlags::empty()).unwrap(), b"\x01a");
        xpub.send_multipart(["b", "skipped"], SendFlags::empty())
            .unwrap();
        xpub.send_multipart(["a", "kept"], SendFlags::empty())
            .unwrap();
        assert_eq!(text(&sub.recv_timeout(TIMEOUT).unwrap()), ["a", "kept"]);
        sub.unsubscribe("a").unwrap();
        sub.subscribe("c").unwrap();
        assert_eq!(xpub.recv_bytes(RecvFlags::empty()).unwrap(), b"\x00a");
        assert_eq!(xpub.recv_bytes(RecvFlags::empty()).unwrap(), b"\x01c");
        xpub.send_multipart(["a", "dropped"], SendFlags::empty())
            .unwrap();
        xpub.send_multipart(["c", "kept"], SendFlags::empty())
            .unwrap();
        assert_eq!(text(&sub.recv_timeout(TIMEOUT).unwrap()), ["c", "kept"]);

        assert_eq!(
            sub.with_socket(|s| s.socket_type()).unwrap(),
            SocketType::Sub
        );
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            sub.with_socket(|_| panic!("on the thread")).unwrap();
        }));
        assert!(panicked.is_err());
        xpub.send_multipart(["c", "still"], SendFlags::empty())
            .unwrap();
        assert_eq!(text(&sub.recv_timeout(TIMEOUT).unwrap()), ["c", "still"]);
    });
}

/// Ping-pong through two channelers many times: every message needs a
/// wake-up of an idle thread, the case a lost wake-up would hang.
#[test]
fn many_round_trips_between_idle_threads() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-ping");
        let a = Channeler::with_capacity(
            {
                let s = ctx.owned_socket(SocketType::Pair).unwrap();
                s.bind(&endpoint).unwrap();
                s
            },
            1,
        )
        .unwrap();
        let b = Channeler::with_capacity(
            {
                let s = ctx.owned_socket(SocketType::Pair).unwrap();
                s.connect(&endpoint).unwrap();
                s
            },
            1,
        )
        .unwrap();
        let echo = std::thread::spawn(move || {
            for _ in 0..5_000 {
                let parts = b.recv().unwrap();
                b.send(parts).unwrap();
            }
        });
        for i in 0..5_000 {
            a.send([i.to_string()]).unwrap();
            assert_eq!(text(&a.recv().unwrap()), [i.to_string()]);
        }
        echo.join().unwrap();
    });
}
