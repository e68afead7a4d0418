//! How a channeler ends, whatever goes first: its last handle (on any
//! thread, even its own), the thread holding it, the context handle, or
//! the context itself (a shutdown); and that no message the docs say comes
//! back is lost on the way.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{text, within, LIMIT};
use crate::support::{inproc, socket, TIMEOUT};
use zmq4::{Channeler, Context, ErrorKind, RecvFlags, SendFlags, SocketType};

/// Dropping the last handle ends the thread and closes the sockets; the
/// drop returns at once when nothing waits to be sent.
#[test]
fn dropping_the_last_handle_ends_the_thread() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let before = ctx.open_sockets();
        let router = Channeler::new(&ctx, SocketType::Router, &inproc("ch-drop")).unwrap();
        assert_eq!(
            ctx.open_sockets(),
            before + 3,
            "the socket and the wake PAIR"
        );
        let clone = router.clone();
        drop(router);
        assert_eq!(ctx.open_sockets(), before + 3, "a clone keeps it running");
        let start = Instant::now();
        drop(clone);
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(ctx.open_sockets(), before);
        // The context terminates: nothing else keeps it alive.
        ctx.term().map_err(|(_, e)| e).unwrap();
    });
}

/// What was queued when the last handle went still reaches a peer that
/// reads.
#[test]
fn dropping_the_last_handle_sends_what_was_queued() {
    within(LIMIT, || {
        const N: usize = 500;
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-drop-flush");
        let pull = ctx.owned_socket(SocketType::Pull).unwrap();
        pull.set_rcvtimeo(Some(TIMEOUT)).unwrap();
        pull.set_rcvhwm(Some(10)).unwrap();
        pull.bind(&endpoint).unwrap();
        let push = ctx.owned_socket(SocketType::Push).unwrap();
        push.set_sndhwm(Some(10)).unwrap();
        push.connect(&endpoint).unwrap();
        let push = Channeler::with_capacity(push, N).unwrap();
        for i in 0..N {
            push.send([i.to_string()]).unwrap();
        }
        // The peer reads only once the drop has begun.
        let reader = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            (0..N)
                .map(|_| pull.recv_string(RecvFlags::empty()).unwrap())
                .collect::<Vec<_>>()
        });
        drop(push);
        let got = reader.join().unwrap();
        assert_eq!(got, (0..N).map(|i| i.to_string()).collect::<Vec<_>>());
    });
}

/// No peer ever reads: the drop waits for room at most the socket's
/// LINGER.
#[test]
fn dropping_the_last_handle_is_bounded_by_linger() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        // No peer at all: libzmq has no queue to take a message.
        let push = ctx.owned_socket(SocketType::Push).unwrap();
        push.set_linger(Some(Duration::from_millis(300))).unwrap();
        let push = Channeler::from_socket(push).unwrap();
        for i in 0..10 {
            push.send([i.to_string()]).unwrap();
        }
        let start = Instant::now();
        drop(push);
        let took = start.elapsed();
        assert!(took >= Duration::from_millis(250), "{took:?}");
        assert!(took < Duration::from_secs(3), "{took:?}");
        // And the context's termination does not wait again.
        let start = Instant::now();
        drop(ctx);
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "{:?}",
            start.elapsed()
        );
    });
}

/// A context shutdown ends the thread: a blocked receive returns, the
/// messages that were queued to send come back, then Terminated for ever,
/// and sends hand their message back.
#[test]
fn a_context_shutdown_ends_the_thread_and_returns_what_was_not_sent() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        // A PAIR with no peer (libzmq has no queue for it): every message
        // sent waits in the channeler.
        let pair = ctx.owned_socket(SocketType::Pair).unwrap();
        let pair = Channeler::with_capacity(pair, 16).unwrap();
        for i in 0..5 {
            pair.send([i.to_string()]).unwrap();
        }
        let receiver = {
            let pair = pair.clone();
            std::thread::spawn(move || {
                let mut returned = Vec::new();
                loop {
                    match pair.recv() {
                        Ok(parts) => panic!("nothing to receive, got {:?}", text(&parts)),
                        Err(e) if e.unsent().is_some() => {
                            assert_eq!(e.kind(), ErrorKind::Terminated);
                            returned.push(text(&e.into_unsent().unwrap()).remove(0));
                        }
                        Err(e) => {
                            assert!(e.is_terminated(), "{e}");
                            return returned;
                        }
                    }
                }
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        ctx.shutdown().unwrap();
        let returned = receiver.join().unwrap();
        assert_eq!(returned, ["0", "1", "2", "3", "4"]);
        // Terminated for ever, and a send hands its message back.
        assert!(pair.recv().unwrap_err().is_terminated());
        assert!(pair.try_recv().unwrap_err().is_terminated());
        let err = pair.send(["late"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Terminated);
        assert_eq!(text(err.parts()), ["late"]);
        let err = pair.with_socket(|s| s.socket_type()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Terminated);
        let start = Instant::now();
        drop(pair);
        assert!(start.elapsed() < Duration::from_secs(1));
    });
}

/// Messages received before a shutdown are still received after it.
#[test]
fn messages_received_before_a_shutdown_are_not_lost() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-shutdown-received");
        let pull = Channeler::with_capacity(
            {
                let s = ctx.owned_socket(SocketType::Pull).unwrap();
                s.bind(&endpoint).unwrap();
                s
            },
            2,
        )
        .unwrap();
        let push = socket(&ctx, SocketType::Push);
        push.connect(&endpoint).unwrap();
        for i in 0..3 {
            push.send(i.to_string(), SendFlags::empty()).unwrap();
        }
        // The queue holds 2, the thread the third.
        std::thread::sleep(Duration::from_millis(200));
        drop(push);
        ctx.shutdown().unwrap();
        let mut got = Vec::new();
        loop {
            match pull.recv() {
                Ok(parts) => got.push(text(&parts).remove(0)),
                Err(e) => {
                    assert!(e.is_terminated(), "{e}");
                    break;
                }
            }
        }
        assert_eq!(got, ["0", "1", "2"]);
    });
}

/// The thread holding the last handle goes away (it returns, or it
/// panics): the drop on its way out still hands what it queued to the
/// socket, and every message reaches the peer.
#[test]
fn a_thread_that_goes_away_with_the_last_handle_loses_nothing() {
    within(LIMIT, || {
        const N: usize = 300;
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-thread-gone");
        let pull = ctx.owned_socket(SocketType::Pull).unwrap();
        pull.set_rcvtimeo(Some(TIMEOUT)).unwrap();
        pull.set_rcvhwm(Some(5)).unwrap();
        pull.bind(&endpoint).unwrap();
        let push = ctx.owned_socket(SocketType::Push).unwrap();
        push.set_sndhwm(Some(5)).unwrap();
        push.connect(&endpoint).unwrap();
        let push = Channeler::with_capacity(push, N).unwrap();
        // The peer reads from its own thread, slowly at first, so that
        // much is still queued when the threads go.
        let reader = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            let mut next = [0usize; 2];
            for _ in 0..N {
                let parts = pull.recv_multipart(RecvFlags::empty()).unwrap();
                let [who, i] = <[String; 2]>::try_from(text(&parts)).unwrap();
                let slot = usize::from(who == "returning");
                assert_eq!(i, next[slot].to_string(), "{who}'s messages in order");
                next[slot] += 1;
            }
            next
        });

        // A clone in a thread that panics after queueing its half.
        let panicking = {
            let push = push.clone();
            std::thread::spawn(move || {
                for i in 0..N / 2 {
                    push.send(["panicking".to_owned(), i.to_string()]).unwrap();
                }
                panic!("the thread goes away");
            })
        };
        assert!(panicking.join().is_err());
        // The last handle in a thread that returns after queueing its half.
        let returning = std::thread::spawn(move || {
            for i in 0..N / 2 {
                push.send(["returning".to_owned(), i.to_string()]).unwrap();
            }
        });
        returning.join().unwrap();
        let next = reader.join().unwrap();
        assert_eq!(next, [N / 2, N / 2]);
    });
}

/// The context handle goes first: the channelers' sockets keep the
/// context alive, they go on working, and their drops end it.
#[test]
fn the_context_handle_can_go_before_the_channelers() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-ctx-first");
        let router = Channeler::new(&ctx, SocketType::Router, &endpoint).unwrap();
        let dealer = Channeler::new(&ctx, SocketType::Dealer, &endpoint).unwrap();
        drop(ctx);
        for i in 0..10 {
            dealer.send([i.to_string()]).unwrap();
            let request = router.recv_timeout(TIMEOUT).unwrap();
            assert_eq!(text(&request[1..]), [i.to_string()]);
            router.send([request[0].to_vec(), b"ok".to_vec()]).unwrap();
            assert_eq!(text(&dealer.recv_timeout(TIMEOUT).unwrap()), ["ok"]);
        }
        let start = Instant::now();
        drop(router);
        drop(dealer);
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    });
}

thread_local! {
    /// Where a `with_socket` closure leaves a handle on the channeler's
    /// own thread.
    static KEPT: std::cell::RefCell<Option<Channeler>> = const { std::cell::RefCell::new(None) };
}

/// A handle kept on the channeler's own thread (left there by a
/// `with_socket` closure) keeps it running after the program's handles
/// are gone; a context shutdown ends the thread, whose exit drops that
/// last handle on the thread itself, which must not wait for itself.
#[test]
fn a_last_handle_dropped_on_the_channelers_own_thread() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-own-thread");
        let pull = Channeler::new(&ctx, SocketType::Pull, &endpoint).unwrap();
        let kept = pull.clone();
        pull.with_socket(move |_| KEPT.with(|k| *k.borrow_mut() = Some(kept)))
            .unwrap();
        let before = ctx.open_sockets();
        drop(pull);
        // Still running: the kept handle is alive, no socket was closed.
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(ctx.open_sockets(), before);
        assert!(before >= 3, "the socket and the wake PAIR: {before}");
        ctx.shutdown().unwrap();
        // The thread ends, its thread-local drops the last handle there,
        // and every socket closes: the context terminates.
        let (ctx, took) = {
            let start = Instant::now();
            let deadline = start + TIMEOUT;
            while ctx.open_sockets() > 0 {
                assert!(Instant::now() < deadline, "{} open", ctx.open_sockets());
                std::thread::sleep(Duration::from_millis(5));
            }
            (ctx, start.elapsed())
        };
        assert!(took < TIMEOUT);
        ctx.term().map_err(|(_, e)| e).unwrap();
    });
}

/// `send_async` dropped before it completes: the message was never
/// queued, so it neither reaches the socket nor comes back.
#[test]
fn a_cancelled_async_send_queues_nothing() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        // A PAIR with no peer: the thread holds "0", the queue of one
        // holds "1", and "2" waits for room.
        let pair = ctx.owned_socket(SocketType::Pair).unwrap();
        let pair = Channeler::with_capacity(pair, 1).unwrap();
        pair.send(["0"]).unwrap();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match pair.try_send(["1"]) {
                Ok(()) => break,
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    assert!(Instant::now() < deadline);
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(e) => panic!("{e}"),
            }
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let cancelled = runtime.block_on(async {
            tokio::time::timeout(Duration::from_millis(100), pair.send_async(["2"])).await
        });
        assert!(cancelled.is_err(), "the queue was full: the send waited");
        ctx.shutdown().unwrap();
        let mut returned = Vec::new();
        loop {
            match pair.recv() {
                Ok(parts) => panic!("nothing to receive, got {:?}", text(&parts)),
                Err(e) => match e.into_parts() {
                    (_, Some(parts)) => returned.push(text(&parts).remove(0)),
                    (e, None) => {
                        assert!(e.is_terminated(), "{e}");
                        break;
                    }
                },
            }
        }
        assert_eq!(returned, ["0", "1"]);
    });
}

/// A shutdown with more to return than the incoming queue holds: the
/// messages received come first, in order, then every message queued to
/// send and not handed to the socket, in order, then Terminated.
#[test]
fn a_shutdown_returns_everything_beyond_the_queue_in_order() {
    within(LIMIT, || {
        const CAPACITY: usize = 2;
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-shutdown-all");
        let pair = ctx.owned_socket(SocketType::Pair).unwrap();
        pair.set_rcvhwm(Some(1)).unwrap();
        pair.set_sndhwm(Some(1)).unwrap();
        pair.bind(&endpoint).unwrap();
        let channeler = Channeler::with_capacity(pair, CAPACITY).unwrap();
        let peer = socket(&ctx, SocketType::Pair);
        peer.set_rcvhwm(Some(1)).unwrap();
        peer.set_sndhwm(Some(1)).unwrap();
        peer.connect(&endpoint).unwrap();

        // The peer sends until the channeler stops reading; it never
        // reads, so the channeler's sends stop too.
        let mut received = 0usize;
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match peer.send(format!("in {received}"), SendFlags::DONTWAIT) {
                Ok(()) => received += 1,
                Err(e) if e.is_would_block() => {
                    // Full only when it stays full.
                    std::thread::sleep(Duration::from_millis(20));
                    match peer.send(format!("in {received}"), SendFlags::DONTWAIT) {
                        Ok(()) => received += 1,
                        Err(e) if e.is_would_block() => break,
                        Err(e) => panic!("{e}"),
                    }
                }
                Err(e) => panic!("{e}"),
            }
            assert!(Instant::now() < deadline, "the incoming side never filled");
        }
        let mut sent = 0usize;
        loop {
            match channeler.try_send([format!("out {sent}")]) {
                Ok(()) => sent += 1,
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(20));
                    if channeler.try_send([format!("out {sent}")]).is_err() {
                        break;
                    }
                    sent += 1;
                }
                Err(e) => panic!("{e}"),
            }
            assert!(Instant::now() < deadline, "the outgoing side never filled");
        }
        ctx.shutdown().unwrap();

        let mut got = Vec::new();
        let mut returned = Vec::new();
        loop {
            match channeler.recv() {
                Ok(parts) => {
                    assert!(
                        returned.is_empty(),
                        "a received message after a returned one"
                    );
                    got.push(text(&parts).remove(0));
                }
                Err(e) => match e.into_parts() {
                    (e, Some(parts)) => {
                        assert_eq!(e.kind(), ErrorKind::Terminated);
                        returned.push(text(&parts).remove(0));
                    }
                    (e, None) => {
                        assert!(e.is_terminated(), "{e}");
                        break;
                    }
                },
            }
        }
        // What libzmq's pipes held is lost with them, as for a plain
        // socket: the received are a prefix of what the peer sent, the
        // returned the end of what the channeler was given, and together
        // they are more than the incoming queue holds.
        assert!(got.len() > CAPACITY, "{got:?}");
        assert!(got.len() <= received);
        assert_eq!(
            got,
            (0..got.len())
                .map(|i| format!("in {i}"))
                .collect::<Vec<_>>()
        );
        assert!(returned.len() > CAPACITY, "{returned:?} of {sent}");
        let first = sent - returned.len();
        assert_eq!(
            returned,
            (first..sent)
                .map(|i| format!("out {i}"))
                .collect::<Vec<_>>()
        );
        assert!(channeler.recv().unwrap_err().is_terminated());
    });
}

/// With an infinite LINGER and no peer, dropping the last handle waits
/// (the docs say for ever); a context shutdown releases it.
#[test]
fn an_infinite_linger_drop_waits_until_the_context_is_shut_down() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let push = ctx.owned_socket(SocketType::Push).unwrap();
        push.set_linger(None).unwrap();
        let push = Channeler::from_socket(push).unwrap();
        push.send(["never taken"]).unwrap();
        let (done_tx, done_rx) = mpsc::channel();
        let dropper = std::thread::spawn(move || {
            drop(push);
            done_tx.send(()).unwrap();
        });
        assert!(
            done_rx.recv_timeout(Duration::from_millis(500)).is_err(),
            "the drop returned with a message still to send and no LINGER bound"
        );
        ctx.shutdown().unwrap();
        done_rx
            .recv_timeout(TIMEOUT)
            .expect("the shutdown ended the drop");
        dropper.join().unwrap();
    });
}

/// A PUB drops at the high-water mark instead of blocking: so do its
/// channeler's sends, which never wait for a subscriber that does not read.
#[test]
fn a_pub_channeler_drops_instead_of_blocking() {
    within(LIMIT, || {
        const CAPACITY: usize = 4;
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-pub");
        let publisher = ctx.owned_socket(SocketType::Pub).unwrap();
        publisher.set_sndhwm(Some(1)).unwrap();
        publisher.bind(&endpoint).unwrap();
        let publisher = Channeler::with_capacity(publisher, CAPACITY).unwrap();
        let sub = socket(&ctx, SocketType::Sub);
        sub.set_rcvhwm(Some(1)).unwrap();
        sub.set_subscribe("").unwrap();
        sub.connect(&endpoint).unwrap();
        let start = Instant::now();
        for i in 0..CAPACITY * 1_000 {
            publisher.send([i.to_string()]).unwrap();
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
        // The subscriber, which never read, gets a few, not all.
        sub.set_rcvtimeo(Some(Duration::from_millis(200))).unwrap();
        let mut got = 0;
        while sub.recv_msg(RecvFlags::empty()).is_ok() {
            got += 1;
        }
        assert!(got < CAPACITY * 1_000, "{got}");
    });
}
