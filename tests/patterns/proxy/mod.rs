//! Proxies: the plain one, the steerable one and its handle, the threaded
//! one. Every test runs against whichever libzmq is linked; the handle must
//! give the same effects on all of them.

mod bounded;
mod idle;

use std::time::Duration;

use crate::support::{inproc, socket, TIMEOUT};
use zmq4::{
    Context, ErrorKind, ProxyControl, ProxyStatistics, RecvFlags, SendFlags, Socket,
    SocketStatistics, SocketType, SteerableProxy, ThreadedProxy,
};

/// How long a test waits to conclude that a message is held back.
const HELD_BACK: Duration = Duration::from_millis(300);

/// A PULL frontend and PUSH backend bound on fresh endpoints, with a
/// producer and a consumer connected to them.
struct Pipeline<'c> {
    frontend: Socket<'c>,
    backend: Socket<'c>,
    producer: Socket<'c>,
    consumer: Socket<'c>,
}

fn pipeline(ctx: &Context) -> Pipeline<'_> {
    let (fe, be) = (inproc("proxy-fe"), inproc("proxy-be"));
    let frontend = socket(ctx, SocketType::Pull);
    frontend.bind(&fe).unwrap();
    let backend = socket(ctx, SocketType::Push);
    backend.bind(&be).unwrap();
    let producer = socket(ctx, SocketType::Push);
    producer.connect(&fe).unwrap();
    let consumer = socket(ctx, SocketType::Pull);
    consumer.connect(&be).unwrap();
    Pipeline {
        frontend,
        backend,
        producer,
        consumer,
    }
}

fn expect(consumer: &Socket<'_>, want: &[u8]) {
    let got = consumer.recv_bytes(RecvFlags::empty()).expect("a message");
    assert_eq!(got, want);
}

fn held_back(consumer: &Socket<'_>) {
    consumer.set_rcvtimeo(Some(HELD_BACK)).unwrap();
    let err = consumer.recv_bytes(RecvFlags::empty()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut, "{err}");
    consumer.set_rcvtimeo(Some(TIMEOUT)).unwrap();
}

/// Runs a steerable proxy over a fresh [`pipeline`] on a scoped thread and
/// hands `body` the producer, the consumer and the control handle. `body`
/// must end the proxy; `run` must then have returned `Ok`. The handle is
/// given back for checks after the proxy thread has gone.
fn steered<'c>(
    ctx: &'c Context,
    body: impl FnOnce(&Socket<'c>, &Socket<'c>, &ProxyControl<'c>),
) -> ProxyControl<'c> {
    let Pipeline {
        frontend,
        backend,
        producer,
        consumer,
    } = pipeline(ctx);
    let (proxy, control) = SteerableProxy::new(ctx).unwrap();
    std::thread::scope(|s| {
        let _stop = crate::support::ShutdownOnPanic(ctx);
        let running = s.spawn(move || proxy.run(&frontend, &backend, None));
        body(&producer, &consumer, &control);
        running.join().unwrap().unwrap();
    });
    control
}

#[test]
fn plain_proxy_forwards_and_returns_ok_on_shutdown() {
    let ctx = Context::new().unwrap();
    let Pipeline {
        frontend,
        backend,
        producer,
        consumer,
    } = pipeline(&ctx);
    let capture = socket(&ctx, SocketType::Push);
    let cap = inproc("proxy-cap");
    capture.bind(&cap).unwrap();
    let tap = socket(&ctx, SocketType::Pull);
    tap.connect(&cap).unwrap();

    std::thread::scope(|s| {
        let _stop = crate::support::ShutdownOnPanic(&ctx);
        let running = s.spawn(move || zmq4::proxy(&frontend, &backend, Some(&capture)));
        producer.send("one", SendFlags::empty()).unwrap();
        expect(&consumer, b"one");
        expect(&tap, b"one");
        ctx.shutdown().unwrap();
        assert!(running.join().unwrap().is_ok());
    });
}

#[test]
fn pause_holds_messages_back_and_resume_lets_them_through() {
    let ctx = Context::new().unwrap();
    steered(&ctx, |producer, consumer, control| {
        producer.send("before", SendFlags::empty()).unwrap();
        expect(consumer, b"before");

        control.pause().unwrap();
        producer.send("while paused", SendFlags::empty()).unwrap();
        held_back(consumer);
        // Pausing twice keeps it paused.
        control.pause().unwrap();
        held_back(consumer);

        control.resume().unwrap();
        expect(consumer, b"while paused");
        producer.send("after", SendFlags::empty()).unwrap();
        expect(consumer, b"after");

        // And once more, so that a mixed-up pair of commands cannot pass.
        control.pause().unwrap();
        producer.send("again", SendFlags::empty()).unwrap();
        held_back(consumer);
        control.resume().unwrap();
        expect(consumer, b"again");

        control.terminate().unwrap();
    });
}

#[test]
fn statistics_count_what_crossed_the_proxy() {
    let ctx = Context::new().unwrap();
    steered(&ctx, |producer, consumer, control| {
        assert_eq!(control.statistics().unwrap(), ProxyStatistics::default());

        let payloads: [&[u8]; 4] = [b"", b"a", b"hello", &[7u8; 1000]];
        for payload in payloads {
            producer.send(payload, SendFlags::empty()).unwrap();
            expect(consumer, payload);
        }
        let bytes: u64 = payloads.iter().map(|m| m.len() as u64).sum();
        let through = SocketStatistics {
            messages_received: 4,
            frames_received: 4,
            bytes_received: bytes,
            ..SocketStatistics::default()
        };
        let out = SocketStatistics {
            messages_sent: 4,
            frames_sent: 4,
            bytes_sent: bytes,
            ..SocketStatistics::default()
        };
        assert_eq!(
            control.statistics().unwrap(),
            ProxyStatistics {
                frontend: through,
                backend: out,
                ..ProxyStatistics::default()
            }
        );

        // A two-frame message: one message, two frames, with every libzmq.
        producer
            .send_multipart(crate::support::msgs(&[b"ab", b"cde"]), SendFlags::empty())
            .unwrap();
        let parts = consumer.recv_multipart(RecvFlags::empty()).unwrap();
        assert_eq!(
            crate::support::bytes(&parts),
            [b"ab".to_vec(), b"cde".to_vec()]
        );
        let stats = control.statistics().unwrap();
        assert_eq!(stats.frontend.messages_received, 5);
        assert_eq!(stats.frontend.frames_received, 6);
        assert_eq!(stats.frontend.bytes_received, bytes + 5);
        assert_eq!(stats.backend.messages_sent, 5);
        assert_eq!(stats.backend.frames_sent, 6);
        assert_eq!(stats.backend.bytes_sent, bytes + 5);
        assert_eq!(stats.frontend.messages_sent, 0);
        assert_eq!(stats.backend.messages_received, 0);
        assert_eq!((stats.dropped, stats.capture_dropped), (0, 0));

        // Pausing and resuming change no count.
        control.pause().unwrap();
        control.resume().unwrap();
        assert_eq!(control.statistics().unwrap(), stats);

        control.terminate().unwrap();
    });
}

#[test]
fn terminate_makes_run_return_and_the_handle_then_fails_cleanly() {
    let ctx = Context::new().unwrap();
    let control = steered(&ctx, |producer, consumer, control| {
        producer.send("x", SendFlags::empty()).unwrap();
        expect(consumer, b"x");

        control.terminate().unwrap();
        // terminate() returns once the proxy has stopped: the handle knows.
        assert_eq!(
            control.statistics().unwrap_err().kind(),
            ErrorKind::InvalidState
        );
    });
    // The handle says the proxy is gone instead of waiting.
    assert_eq!(control.pause().unwrap_err().kind(), ErrorKind::InvalidState);
    assert_eq!(
        control.statistics().unwrap_err().kind(),
        ErrorKind::InvalidState
    );
    control.terminate().unwrap();
}

#[test]
fn terminate_before_run_makes_run_return_at_once() {
    let ctx = Context::new().unwrap();
    let p = pipeline(&ctx);
    let (proxy, control) = SteerableProxy::new(&ctx).unwrap();
    control.terminate().unwrap();
    proxy.run(&p.frontend, &p.backend, None).unwrap();
}

#[test]
fn a_proxy_dropped_without_running_fails_the_handle() {
    let ctx = Context::new().unwrap();
    let (proxy, control) = SteerableProxy::new(&ctx).unwrap();
    drop(proxy);
    assert_eq!(
        control.resume().unwrap_err().kind(),
        ErrorKind::InvalidState
    );
    control.terminate().unwrap();
}

#[test]
fn steerable_proxy_returns_ok_on_context_shutdown() {
    let ctx = Context::new().unwrap();
    let Pipeline {
        frontend, backend, ..
    } = pipeline(&ctx);
    let (proxy, control) = SteerableProxy::new(&ctx).unwrap();
    std::thread::scope(|s| {
        let _stop = crate::support::ShutdownOnPanic(&ctx);
        let running = s.spawn(move || proxy.run(&frontend, &backend, None));
        control.pause().unwrap();
        ctx.shutdown().unwrap();
        running.join().unwrap().unwrap();
        // The handle gets ETERM (or sees the proxy gone): no hang.
        let err = control.resume().unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Terminated | ErrorKind::InvalidState),
            "{err}"
        );
        control.terminate().unwrap();
    });
}

#[test]
fn threaded_proxy_forwards_and_stops() {
    let ctx = Context::new().unwrap();
    let Pipeline {
        frontend,
        backend,
        producer,
        consumer,
    } = pipeline(&ctx);
    std::thread::scope(|s| {
        let _stop = crate::support::ShutdownOnPanic(&ctx);
        let proxy = ThreadedProxy::spawn_scoped(s, frontend, backend, None).unwrap();
        producer.send("one", SendFlags::empty()).unwrap();
        expect(&consumer, b"one");

        proxy.pause().unwrap();
        producer.send("two", SendFlags::empty()).unwrap();
        held_back(&consumer);
        proxy.resume().unwrap();
        expect(&consumer, b"two");
        assert_eq!(proxy.statistics().unwrap().backend.messages_sent, 2);

        assert!(!proxy.is_finished());
        proxy.stop().unwrap();
    });
}

fn rebind_eventually(ctx: &Context, kind: SocketType, endpoint: &str) {
    let deadline = std::time::Instant::now() + TIMEOUT;
    let again = socket(ctx, kind);
    loop {
        match again.bind(endpoint) {
            Ok(()) => return,
            Err(e)
                if e.kind() == ErrorKind::AddressInUse && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(e) => panic!("{endpoint} still in use: {e}"),
        }
    }
}

#[test]
fn threaded_proxy_stops_when_dropped() {
    let ctx = Context::new().unwrap();
    let (fe, be) = (inproc("threaded-fe"), inproc("threaded-be"));
    std::thread::scope(|s| {
        let _stop = crate::support::ShutdownOnPanic(&ctx);
        let frontend = socket(&ctx, SocketType::Pull);
        frontend.bind(&fe).unwrap();
        let backend = socket(&ctx, SocketType::Push);
        backend.bind(&be).unwrap();
        let proxy = ThreadedProxy::spawn_scoped(s, frontend, backend, None).unwrap();
        drop(proxy);
        // The thread has ended and closed its sockets: their inproc names
        // become free again (libzmq releases them as it reaps the sockets).
        rebind_eventually(&ctx, SocketType::Pull, &fe);
        rebind_eventually(&ctx, SocketType::Push, &be);
    });
}

#[test]
fn threaded_proxy_on_the_global_context() {
    let ctx = Context::global();
    let (fe, be) = (inproc("global-fe"), inproc("global-be"));
    let frontend = socket(ctx, SocketType::Pull);
    frontend.bind(&fe).unwrap();
    let backend = socket(ctx, SocketType::Push);
    backend.bind(&be).unwrap();
    let proxy = ThreadedProxy::spawn(frontend, backend, None).unwrap();

    let producer = socket(ctx, SocketType::Push);
    producer.connect(&fe).unwrap();
    let consumer = socket(ctx, SocketType::Pull);
    consumer.connect(&be).unwrap();
    producer.send("global", SendFlags::empty()).unwrap();
    expect(&consumer, b"global");

    proxy.stop().unwrap();
    // The proxy thread has closed the frontend: nothing takes messages.
    rebind_eventually(ctx, SocketType::Pull, &fe);
}

#[test]
fn threaded_proxy_after_context_shutdown_stops_without_hanging() {
    let ctx = Context::new().unwrap();
    let Pipeline {
        frontend, backend, ..
    } = pipeline(&ctx);
    std::thread::scope(|s| {
        let _stop = crate::support::ShutdownOnPanic(&ctx);
        let proxy = ThreadedProxy::spawn_scoped(s, frontend, backend, None).unwrap();
        ctx.shutdown().unwrap();
        proxy.stop().unwrap();
    });
}

/// A remote peer's subscription longer than [`zmq4::MAX_SUBSCRIPTION_LEN`]
/// (libzmq's XSUB trie recurses once per byte of it, until the stack
/// overflows) is dropped on its way to the XSUB and counted, and the
/// proxy goes on forwarding. libzmq's own loop, `zmq4::proxy`, passes it
/// on and the process dies (tests/libzmq_asserts.rs).
#[test]
fn a_long_remote_subscription_is_dropped_on_its_way_to_an_xsub() {
    let ctx = Context::new().unwrap();
    let frontend = ctx.owned_socket(SocketType::XPub).unwrap();
    frontend.set_linger(Some(Duration::ZERO)).unwrap();
    frontend.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = frontend.last_endpoint().unwrap();
    let port: u16 = endpoint.rsplit(':').next().unwrap().parse().unwrap();
    let backend = ctx.owned_socket(SocketType::XSub).unwrap();
    backend.set_linger(Some(Duration::ZERO)).unwrap();
    let upstream = inproc("xsub-upstream");
    backend.bind(&upstream).unwrap();
    let publisher = socket(&ctx, SocketType::Pub);
    publisher.connect(&upstream).unwrap();
    let proxy = ThreadedProxy::spawn(frontend, backend, None).unwrap();

    let mut long = vec![b'z'; 1 << 20];
    long[0] = 1; // subscribe
    let _peer = crate::support::zmtp::zmtp_peer(port, "SUB", &[&long]);
    let deadline = std::time::Instant::now() + TIMEOUT;
    while proxy.statistics().unwrap().dropped == 0 {
        assert!(std::time::Instant::now() < deadline, "never dropped");
        std::thread::sleep(Duration::from_millis(5));
    }

    // A subscriber that keeps to the bound is served as before.
    let good = socket(&ctx, SocketType::Sub);
    good.set_subscribe(b"t").unwrap();
    good.set_rcvtimeo(Some(Duration::from_millis(50))).unwrap();
    good.connect(&endpoint).unwrap();
    loop {
        publisher.send(b"topic", SendFlags::empty()).unwrap();
        if good.recv_bytes(RecvFlags::empty()).is_ok() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "nothing came through");
    }
    let stats = proxy.stop().unwrap();
    assert_eq!(stats.dropped, 1);
    // The long subscription and the good one came in; only the good one
    // went on.
    assert_eq!(
        stats.frontend.messages_received,
        stats.backend.messages_sent + 1
    );
}
