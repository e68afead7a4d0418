//! The promises about blocking calls and the end of a context:
//! - `Context::shutdown`: "every blocking call on the context's sockets,
//!   in any thread, returns at once with `Terminated`, including calls
//!   blocked at this moment";
//! - `Context::term`: "fails with `InvalidState` ... instead of waiting for
//!   them for ever" while other handles (owned sockets) exist;
//! - `Socket`: "Dropping it closes it", including when a thread unwinds;
//! - `DEFAULT_LINGER`: "the exit bounded: at most this long after the last
//!   socket is closed".

use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::watchdog::Watchdog;
use crate::support::{inproc, ShutdownOnPanic};
use zmq4::{
    Context, ErrorKind, Message, MonitorEvents, PollEvents, PollItem, Poller, RecvFlags, SendFlags,
    SocketType, DEFAULT_LINGER,
};

/// How long after the shutdown a blocked call may take to return.
const BOUND: Duration = Duration::from_secs(2);

/// A TCP endpoint nobody listens on: a port that was just free.
fn dead_tcp() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("tcp://127.0.0.1:{port}")
}

/// Runs each blocking call in a thread of its own, shuts the context down
/// once they have all started blocking, and checks that every one returns
/// `Terminated` within [`BOUND`].
#[test]
fn shutdown_ends_every_kind_of_blocked_call() {
    let ctx = Context::new().unwrap();
    let _dog = Watchdog::with_context("blocked calls", Duration::from_secs(30), &ctx);
    let (tx, rx) = mpsc::channel::<(&'static str, Result<(), ErrorKind>, Instant)>();
    std::thread::scope(|scope| {
        let _guard = ShutdownOnPanic(&ctx);
        let report = |name: &'static str, r: zmq4::Result<()>| {
            tx.send((name, r.map_err(|e| e.kind()), Instant::now()))
                .unwrap();
        };

        // A send with no peer and no timeout: blocks for ever.
        let push = ctx.socket(SocketType::Push).unwrap();
        push.set_linger(Some(Duration::ZERO)).unwrap();
        push.bind(&inproc("nobody-pulls")).unwrap();
        scope.spawn(move || report("send", push.send("x", SendFlags::empty())));

        // A send of a multipart message, same.
        let dealer = ctx.socket(SocketType::Dealer).unwrap();
        dealer.set_linger(Some(Duration::ZERO)).unwrap();
        scope.spawn(move || {
            let r = dealer.send_multipart(["a", "b"], SendFlags::empty());
            report("send_multipart", r.map_err(|e| e.error().clone()))
        });

        // A receive of a multipart message with nothing to receive.
        let pull = ctx.socket(SocketType::Pull).unwrap();
        scope.spawn(move || {
            report(
                "recv_multipart",
                pull.recv_multipart(RecvFlags::empty()).map(drop),
            )
        });

        // A receive into a message that holds something already.
        let sub = ctx.socket(SocketType::Sub).unwrap();
        sub.set_subscribe("").unwrap();
        scope.spawn(move || {
            let mut msg = Message::from("old content, still readable afterwards");
            let r = sub.recv(&mut msg, RecvFlags::empty());
            // Never a broken message: old content or empty.
            let bytes = msg.to_vec();
            assert!(
                bytes.is_empty() || bytes == b"old content, still readable afterwards",
                "{bytes:?}"
            );
            report("recv", r)
        });

        // Socket::poll without a timeout.
        let rep = ctx.socket(SocketType::Rep).unwrap();
        scope.spawn(move || report("Socket::poll", rep.poll(PollEvents::POLLIN, None).map(drop)));

        // zmq4::poll without a timeout.
        let router = ctx.socket(SocketType::Router).unwrap();
        scope.spawn(move || {
            let mut items = [PollItem::from_socket(&router, PollEvents::POLLIN)];
            report("poll", zmq4::poll(&mut items, None).map(drop))
        });

        // Poller::poll without a timeout.
        // (A poller borrows its sockets, so it is made in the thread; the
        // shutdown waits until it is.)
        let pair = ctx.socket(SocketType::Pair).unwrap();
        let (added, poller_ready) = mpsc::channel();
        scope.spawn(move || {
            let mut poller = Poller::new();
            poller.add(&pair, PollEvents::POLLIN, ()).unwrap();
            added.send(()).unwrap();
            report("Poller::poll", poller.poll(None).map(drop))
        });

        // A monitor waiting for an event that never comes (its socket
        // stays open here, so monitoring goes on).
        let watched = ctx.socket(SocketType::Pub).unwrap();
        let mut monitor = watched.monitor(MonitorEvents::all()).unwrap();
        scope.spawn(move || report("Monitor::next_event", monitor.next_event(None).map(drop)));

        const CALLS: usize = 8;
        // Let every thread reach its blocking call.
        poller_ready.recv().unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            rx.try_recv().is_err(),
            "a call returned before the shutdown"
        );
        let shut = Instant::now();
        ctx.shutdown().unwrap();
        for _ in 0..CALLS {
            let (name, result, when) = rx.recv_timeout(BOUND * 2).expect("a blocked call returned");
            assert_eq!(result, Err(ErrorKind::Terminated), "{name}");
            let took = when - shut;
            assert!(took < BOUND, "{name} returned {took:?} after the shutdown");
        }
    });
    drop(tx);
    assert!(rx.try_recv().is_err());
}

/// `term` on the last handle while an owned socket is blocked in another
/// thread: an error that hands the context back, not a wait for ever.
#[test]
fn term_during_a_blocked_receive_is_refused_not_a_hang() {
    let _dog = Watchdog::new("term during a blocked call", Duration::from_secs(30));
    let ctx = Context::new().unwrap();
    let pull = ctx.owned_socket(SocketType::Pull).unwrap();
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let r = pull.recv_msg(RecvFlags::empty()).map(drop);
        tx.send(r.map_err(|e| e.kind())).unwrap();
        // The socket is dropped (closed) when the thread ends.
    });
    std::thread::sleep(Duration::from_millis(200));
    let start = Instant::now();
    let (ctx, err) = ctx.term().expect_err("an owned socket keeps the context");
    assert!(start.elapsed() < BOUND, "term waited {:?}", start.elapsed());
    assert_eq!(err.kind(), ErrorKind::InvalidState, "{err}");
    // The handle came back alive: it can still shut the blocked call down.
    ctx.shutdown().unwrap();
    assert_eq!(rx.recv_timeout(BOUND).unwrap(), Err(ErrorKind::Terminated));
    worker.join().unwrap();
    let start = Instant::now();
    ctx.term().map_err(|(_, e)| e).unwrap();
    assert!(start.elapsed() < BOUND, "term took {:?}", start.elapsed());
}

/// A thread that panics while it holds sockets, one of them with a message
/// queued for a peer that never comes: unwinding closes them, and the
/// context then terminates within that socket's linger.
#[test]
fn a_thread_that_panics_holding_sockets_closes_them() {
    let _dog = Watchdog::new("panicking thread", Duration::from_secs(30));
    let ctx = Context::new().unwrap();
    let linger = Duration::from_millis(300);
    let endpoint = dead_tcp();
    let push = ctx.owned_socket(SocketType::Push).unwrap();
    let pull = ctx.owned_socket(SocketType::Pull).unwrap();
    let worker = std::thread::spawn(move || {
        push.set_linger(Some(linger)).unwrap();
        push.connect(&endpoint).unwrap();
        // Queued: the connection is never made.
        push.send("stuck", SendFlags::DONTWAIT).unwrap();
        pull.bind(&inproc("panicking")).unwrap();
        panic!("the worker fails while it holds its sockets");
    });
    assert!(worker.join().is_err(), "the worker panicked");
    let start = Instant::now();
    ctx.term().map_err(|(_, e)| e).unwrap();
    let took = start.elapsed();
    assert!(took < linger + BOUND, "term took {took:?}");

    // The same with borrowed sockets in a scoped thread.
    let ctx = Context::new().unwrap();
    let endpoint = dead_tcp();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let push = ctx.socket(SocketType::Push).unwrap();
                push.set_linger(Some(linger)).unwrap();
                push.connect(&endpoint).unwrap();
                push.send("stuck", SendFlags::DONTWAIT).unwrap();
                panic!("the scoped worker fails while it holds its socket");
            });
        })
    }));
    assert!(result.is_err(), "the scope passed the panic on");
    let start = Instant::now();
    drop(ctx);
    let took = start.elapsed();
    assert!(took < linger + BOUND, "the drop took {took:?}");
}

/// A thread that ends normally with its socket still in a local: the
/// socket is closed at the thread's end, so the context terminates.
#[test]
fn a_thread_that_ends_with_its_socket_closes_it() {
    let _dog = Watchdog::new("thread end", Duration::from_secs(30));
    let ctx = Context::new().unwrap();
    let endpoint = inproc("thread-end");
    let rep = ctx.socket(SocketType::Rep).unwrap();
    rep.bind(&endpoint).unwrap();
    let req = ctx.owned_socket(SocketType::Req).unwrap();
    let worker = std::thread::spawn(move || {
        req.connect(&endpoint).unwrap();
        req.send("bye", SendFlags::empty()).unwrap();
        // `req` goes with the thread, with its reply never read.
    });
    worker.join().unwrap();
    assert_eq!(rep.recv_string(RecvFlags::empty()).unwrap(), "bye");
    rep.send("unread", SendFlags::empty()).unwrap();
    drop(rep);
    let start = Instant::now();
    ctx.term().map_err(|(_, e)| e).unwrap();
    assert!(start.elapsed() < BOUND, "term took {:?}", start.elapsed());
}

/// With nothing changed, a message queued for a peer that never comes
/// holds the context's end for `DEFAULT_LINGER`, and no longer.
#[test]
fn the_default_linger_bounds_the_end_of_a_context() {
    let _dog = Watchdog::new("default linger", DEFAULT_LINGER * 3);
    let ctx = Context::new().unwrap();
    let push = ctx.socket(SocketType::Push).unwrap();
    assert_eq!(push.linger().unwrap(), Some(DEFAULT_LINGER));
    push.connect(&dead_tcp()).unwrap();
    push.send("never delivered", SendFlags::DONTWAIT).unwrap();
    drop(push);
    let start = Instant::now();
    drop(ctx);
    let took = start.elapsed();
    assert!(
        took >= DEFAULT_LINGER - Duration::from_millis(100),
        "{took:?}"
    );
    assert!(took < DEFAULT_LINGER + BOUND, "{took:?}");
}
