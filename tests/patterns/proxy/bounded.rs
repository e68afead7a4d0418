//! The steerable proxies' promise: `stop()`, drop and every command return
//! within a bound whatever the peers do. Each test builds a proxy whose
//! destination cannot take more (a consumer that never reads), or whose
//! capture socket cannot, and checks the bound under a watchdog, so that a
//! regression fails instead of hanging. libzmq's `zmq_proxy_steerable`,
//! which sends with blocking calls, hangs in them (stop, drop, statistics
//! and the capture case were checked with 4.3.4 and 4.3.5). The last two
//! tests check what the plain `zmq4::proxy`, libzmq's loop, does instead.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::support::{inproc, socket, TIMEOUT};
use zmq4::{
    Context, ProxyStatistics, RecvFlags, SendFlags, Socket, SocketType, SteerableProxy,
    ThreadedProxy,
};

/// How long a stop, a drop or a command may take.
const BOUND: Duration = Duration::from_secs(2);

/// How long the watchdog waits, once it has shut the context down, before
/// it aborts the process.
const GRACE: Duration = Duration::from_secs(20);

/// How many messages the producer sends in the scenarios.
const MESSAGES: u32 = 100;

/// Runs `body`, which must return within [`BOUND`]. If it has not by
/// then, the watchdog shuts the context down, which ends every libzmq
/// call blocked in it, so that the test goes on and fails; if even that
/// does not end `body` within [`GRACE`], it aborts the process.
pub(super) fn bounded<T>(ctx: &Context, what: &str, body: impl FnOnce() -> T) -> T {
    let (done, wait) = mpsc::channel::<()>();
    let dog_ctx = ctx.clone();
    let dog_what = what.to_string();
    let dog = std::thread::spawn(move || {
        if wait.recv_timeout(BOUND) != Err(RecvTimeoutError::Timeout) {
            return;
        }
        eprintln!("watchdog: {dog_what} still runs after {BOUND:?}; shutting the context down");
        let _ = dog_ctx.shutdown();
        if wait.recv_timeout(GRACE) == Err(RecvTimeoutError::Timeout) {
            eprintln!("watchdog: {dog_what} still runs after the shutdown; aborting");
            std::process::abort();
        }
    });
    let start = Instant::now();
    let out = body();
    let took = start.elapsed();
    drop(done);
    dog.join().unwrap();
    assert!(took < BOUND, "{what} took {took:?}, more than {BOUND:?}");
    out
}

pub(super) fn number(i: u32) -> [u8; 4] {
    i.to_be_bytes()
}

/// A socket of an owning context handle, with no send timeout (a proxy's
/// sends must not rely on one) and linger 0.
pub(super) fn owned(ctx: &Context, kind: SocketType) -> Socket<'static> {
    let s = ctx.owned_socket(kind).unwrap();
    s.set_linger(Some(Duration::ZERO)).unwrap();
    s
}

/// A consumer with RCVHWM 1 that reads nothing until the test says so.
pub(super) fn sluggish<'c>(ctx: &'c Context, kind: SocketType, endpoint: &str) -> Socket<'c> {
    let s = socket(ctx, kind);
    s.set_rcvhwm(Some(1)).unwrap();
    s.connect(endpoint).unwrap();
    s
}

/// The scenario that used to hang: a PULL frontend and a PUSH backend with
/// SNDHWM 1, one consumer with RCVHWM 1 that never reads, and
/// [`MESSAGES`] messages sent to the frontend.
pub(super) struct Stuck<'c> {
    pub(super) frontend: Socket<'static>,
    pub(super) backend: Socket<'static>,
    pub(super) producer: Socket<'c>,
    pub(super) consumer: Socket<'c>,
}

pub(super) fn stuck(ctx: &Context) -> Stuck<'_> {
    let (fe, be) = (inproc("stuck-fe"), inproc("stuck-be"));
    let frontend = owned(ctx, SocketType::Pull);
    frontend.bind(&fe).unwrap();
    let backend = owned(ctx, SocketType::Push);
    backend.set_sndhwm(Some(1)).unwrap();
    backend.bind(&be).unwrap();
    let consumer = sluggish(ctx, SocketType::Pull, &be);
    let producer = socket(ctx, SocketType::Push);
    producer.connect(&fe).unwrap();
    for i in 0..MESSAGES {
        producer.send(number(i), SendFlags::empty()).unwrap();
    }
    Stuck {
        frontend,
        backend,
        producer,
        consumer,
    }
}

/// Asks for statistics (each answer within the bound) until the proxy
/// holds a message for a full backend: it took one more than it sent.
pub(super) fn wait_until_held(
    ctx: &Context,
    statistics: impl Fn() -> zmq4::Result<ProxyStatistics>,
) {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let stats = bounded(ctx, "statistics()", &statistics).unwrap();
        if stats.frontend.messages_received == stats.backend.messages_sent + 1 {
            assert!(
                stats.backend.messages_sent < u64::from(MESSAGES),
                "{stats:?}"
            );
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the backend never filled: {stats:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Reads what `consumer` has, without waiting long: the numbers, in order.
pub(super) fn drain_numbers(consumer: &Socket<'_>) -> Vec<u32> {
    consumer
        .set_rcvtimeo(Some(Duration::from_millis(200)))
        .unwrap();
    let mut got = Vec::new();
    loop {
        match consumer.recv_bytes(RecvFlags::empty()) {
            Ok(bytes) => got.push(u32::from_be_bytes(bytes[..].try_into().unwrap())),
            Err(e) if e.is_would_block() => return got,
            Err(e) => panic!("{e}"),
        }
    }
}

/// What the final statistics of the stuck pipeline must say, and what the
/// consumer must then find: every message the proxy sent, in order, and
/// nothing else; the one it held dropped.
fn check_after_stop(stats: &ProxyStatistics, consumer: &Socket<'_>, held_dropped: u64) {
    assert_eq!(stats.dropped, held_dropped, "{stats:?}");
    assert_eq!(
        stats.frontend.messages_received,
        stats.backend.messages_sent + stats.dropped,
        "{stats:?}"
    );
    let sent = stats.backend.messages_sent;
    let expected: Vec<u32> = (0..sent as u32).collect();
    assert_eq!(drain_numbers(consumer), expected);
}

#[test]
fn stop_returns_while_the_consumer_never_reads() {
    let ctx = Context::new().unwrap();
    let s = stuck(&ctx);
    let proxy = ThreadedProxy::spawn(s.frontend, s.backend, None).unwrap();
    wait_until_held(&ctx, || proxy.statistics());
    let stats = bounded(&ctx, "stop()", || proxy.stop()).unwrap();
    check_after_stop(&stats, &s.consumer, 1);
    drop(s.producer);
}

#[test]
fn drop_returns_while_the_consumer_never_reads() {
    let ctx = Context::new().unwrap();
    let s = stuck(&ctx);
    let proxy = ThreadedProxy::spawn(s.frontend, s.backend, None).unwrap();
    wait_until_held(&ctx, || proxy.statistics());
    bounded(&ctx, "drop", || drop(proxy));
    // The thread has closed its sockets: the frontend takes no more.
    s.producer.set_sndtimeo(Some(Duration::ZERO)).unwrap();
    let mut refused = false;
    for i in 0..10_000 {
        match s.producer.send(number(i), SendFlags::empty()) {
            Ok(()) => {}
            Err(e) if e.is_would_block() => {
                refused = true;
                break;
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert!(refused, "the producer's peer still takes messages");
}

#[test]
fn the_held_message_goes_through_once_the_consumer_reads() {
    let ctx = Context::new().unwrap();
    let s = stuck(&ctx);
    let proxy = ThreadedProxy::spawn(s.frontend, s.backend, None).unwrap();
    wait_until_held(&ctx, || proxy.statistics());
    // Nothing lost, nothing twice, in order.
    s.consumer.set_rcvtimeo(Some(TIMEOUT)).unwrap();
    for i in 0..MESSAGES {
        let got = s.consumer.recv_bytes(RecvFlags::empty()).unwrap();
        assert_eq!(got, number(i));
    }
    let stats = bounded(&ctx, "stop()", || proxy.stop()).unwrap();
    assert_eq!(stats.dropped, 0);
    assert_eq!(stats.backend.messages_sent, u64::from(MESSAGES));
}

#[test]
fn stop_returns_while_paused_with_a_message_held() {
    let ctx = Context::new().unwrap();
    let s = stuck(&ctx);
    let proxy = ThreadedProxy::spawn(s.frontend, s.backend, None).unwrap();
    wait_until_held(&ctx, || proxy.statistics());
    bounded(&ctx, "pause()", || proxy.pause()).unwrap();
    // Room at the consumer: a paused proxy still sends nothing.
    let before = bounded(&ctx, "statistics()", || proxy.statistics()).unwrap();
    let first = s.consumer.recv_bytes(RecvFlags::empty()).unwrap();
    assert_eq!(first, number(0));
    std::thread::sleep(Duration::from_millis(100));
    let after = bounded(&ctx, "statistics()", || proxy.statistics()).unwrap();
    assert_eq!(before, after);
    let stats = bounded(&ctx, "stop()", || proxy.stop()).unwrap();
    // Paused: the held message gets no last try.
    assert_eq!(stats.dropped, 1);
    let expected: Vec<u32> = (1..stats.backend.messages_sent as u32).collect();
    assert_eq!(drain_numbers(&s.consumer), expected);
}

#[test]
fn stop_returns_after_the_context_was_shut_down() {
    let ctx = Context::new().unwrap();
    let s = stuck(&ctx);
    let proxy = ThreadedProxy::spawn(s.frontend, s.backend, None).unwrap();
    wait_until_held(&ctx, || proxy.statistics());
    ctx.shutdown().unwrap();
    let stats = bounded(&ctx, "stop()", || proxy.stop()).unwrap();
    assert_eq!(stats.dropped, 1);
    assert_eq!(
        stats.frontend.messages_received,
        stats.backend.messages_sent + 1
    );
}

#[test]
fn a_steerable_proxy_on_sockets_kept_leaves_the_rest_queued() {
    let ctx = Context::new().unwrap();
    let s = stuck(&ctx);
    let (proxy, control) = SteerableProxy::new(&ctx).unwrap();
    let (frontend, backend) = (s.frontend, s.backend);
    let (stats, frontend) = std::thread::scope(|scope| {
        let _stop = crate::support::ShutdownOnPanic(&ctx);
        let running = scope.spawn(move || {
            let stats = proxy.run(&frontend, &backend, None);
            (stats, frontend)
        });
        wait_until_held(&ctx, || control.statistics());
        bounded(&ctx, "terminate()", || control.terminate()).unwrap();
        let (stats, frontend) = running.join().unwrap();
        (stats.unwrap(), frontend)
    });
    let taken = stats.frontend.messages_received;
    assert_eq!(stats.dropped, 1);
    // What the proxy did not take is still in the frontend, in order.
    frontend.set_rcvtimeo(Some(TIMEOUT)).unwrap();
    for i in taken as u32..MESSAGES {
        assert_eq!(frontend.recv_bytes(RecvFlags::empty()).unwrap(), number(i));
    }
}

/// ROUTER/DEALER: the requests are stuck behind a worker that never
/// reads, and the replies still go through.
#[test]
fn router_dealer_replies_flow_while_requests_are_stuck_and_stop_returns() {
    let ctx = Context::new().unwrap();
    let (fe, be) = (inproc("rd-fe"), inproc("rd-be"));
    let frontend = owned(&ctx, SocketType::Router);
    frontend.bind(&fe).unwrap();
    let backend = owned(&ctx, SocketType::Dealer);
    backend.set_sndhwm(Some(1)).unwrap();
    backend.bind(&be).unwrap();
    let worker = sluggish(&ctx, SocketType::Dealer, &be);
    let client = socket(&ctx, SocketType::Dealer);
    client.set_routing_id(b"client").unwrap();
    client.connect(&fe).unwrap();
    let proxy = ThreadedProxy::spawn(frontend, backend, None).unwrap();
    for i in 0..MESSAGES {
        client.send(number(i), SendFlags::empty()).unwrap();
    }
    wait_until_held(&ctx, || proxy.statistics());

    worker
        .send_multipart([&b"client"[..], b"reply"], SendFlags::empty())
        .unwrap();
    assert_eq!(client.recv_bytes(RecvFlags::empty()).unwrap(), b"reply");

    let stats = bounded(&ctx, "stop()", || proxy.stop()).unwrap();
    assert_eq!(stats.dropped, 1);
    // A request is [client id, body]: one message, two frames; of the
    // one held, only the first frame was taken.
    let requests = stats.frontend.messages_received;
    assert_eq!(stats.frontend.frames_received, 2 * requests - 1);
    assert_eq!(stats.backend.messages_sent, requests - 1);
    assert_eq!(stats.backend.frames_sent, 2 * (requests - 1));
    assert_eq!(stats.backend.messages_received, 1);
    assert_eq!(stats.frontend.messages_sent, 1);
    assert_eq!(stats.frontend.frames_sent, 2);
}

/// A capture socket that never reads neither stops the traffic nor the
/// proxy: its copies are dropped, whole messages at a time, and counted.
#[test]
fn a_capture_socket_that_never_reads_costs_copies_only() {
    let ctx = Context::new().unwrap();
    let (fe, be, cap) = (inproc("cap-fe"), inproc("cap-be"), inproc("cap"));
    let frontend = owned(&ctx, SocketType::Pull);
    frontend.bind(&fe).unwrap();
    let backend = owned(&ctx, SocketType::Push);
    backend.bind(&be).unwrap();
    let capture = owned(&ctx, SocketType::Push);
    capture.set_sndhwm(Some(1)).unwrap();
    capture.bind(&cap).unwrap();
    let tap = sluggish(&ctx, SocketType::Pull, &cap);
    let consumer = socket(&ctx, SocketType::Pull);
    consumer.connect(&be).unwrap();
    let producer = socket(&ctx, SocketType::Push);
    producer.connect(&fe).unwrap();
    let proxy = ThreadedProxy::spawn(frontend, backend, Some(capture)).unwrap();

    // Three-frame messages: a copy is whole or absent, never cut.
    for i in 0..MESSAGES {
        producer
            .send_multipart([&number(i)[..], b"-", b"end"], SendFlags::empty())
            .unwrap();
    }
    for i in 0..MESSAGES {
        let parts = consumer.recv_multipart(RecvFlags::empty()).unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(&parts[0][..], number(i));
    }
    let stats = bounded(&ctx, "stop()", || proxy.stop()).unwrap();
    assert_eq!(stats.dropped, 0);
    assert_eq!(stats.backend.messages_sent, u64::from(MESSAGES));

    tap.set_rcvtimeo(Some(Duration::from_millis(200))).unwrap();
    let mut copies = Vec::new();
    loop {
        match tap.recv_multipart(RecvFlags::empty()) {
            Ok(parts) => {
                assert_eq!(parts.len(), 3, "a cut copy");
                copies.push(u32::from_be_bytes(parts[0][..].try_into().unwrap()));
            }
            Err(e) if e.is_would_block() => break,
            Err(e) => panic!("{e}"),
        }
    }
    assert!(!copies.is_empty() && stats.capture_dropped > 0, "{stats:?}");
    assert_eq!(
        copies.len() as u64 + stats.capture_dropped,
        u64::from(MESSAGES)
    );
    // The copies it took are the first ones, in order.
    assert_eq!(copies, (0..copies.len() as u32).collect::<Vec<_>>());
}

/// A ROUTER with `ROUTER_MANDATORY` refuses a message for a peer it does
/// not know: the message is dropped and counted, and the proxy goes on
/// (libzmq's proxy ends with `EHOSTUNREACH`).
#[test]
fn an_unroutable_message_is_dropped_and_the_proxy_goes_on() {
    let ctx = Context::new().unwrap();
    let (fe, be) = (inproc("unroutable-fe"), inproc("unroutable-be"));
    let frontend = owned(&ctx, SocketType::Pull);
    frontend.bind(&fe).unwrap();
    let backend = owned(&ctx, SocketType::Router);
    backend.set_router_mandatory(true).unwrap();
    backend.bind(&be).unwrap();
    let peer = socket(&ctx, SocketType::Dealer);
    peer.set_routing_id(b"peer").unwrap();
    peer.connect(&be).unwrap();
    let producer = socket(&ctx, SocketType::Push);
    producer.connect(&fe).unwrap();
    let proxy = ThreadedProxy::spawn(frontend, backend, None).unwrap();
    // The ROUTER learns the peer's id when it connects: wait for a first
    // message through.
    let deadline = Instant::now() + TIMEOUT;
    peer.set_rcvtimeo(Some(Duration::from_millis(50))).unwrap();
    loop {
        producer
            .send_multipart([&b"peer"[..], b"first"], SendFlags::empty())
            .unwrap();
        if peer.recv_bytes(RecvFlags::empty()).is_ok() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the ROUTER never learnt the peer"
        );
    }
    while peer.recv_bytes(RecvFlags::empty()).is_ok() {}
    let base = bounded(&ctx, "statistics()", || proxy.statistics()).unwrap();

    producer
        .send_multipart([&b"nobody"[..], b"lost", b"cause"], SendFlags::empty())
        .unwrap();
    producer
        .send_multipart([&b"peer"[..], b"after"], SendFlags::empty())
        .unwrap();
    peer.set_rcvtimeo(Some(TIMEOUT)).unwrap();
    assert_eq!(peer.recv_bytes(RecvFlags::empty()).unwrap(), b"after");
    let stats = bounded(&ctx, "stop()", || proxy.stop()).unwrap();
    assert_eq!(stats.dropped, base.dropped + 1);
    assert_eq!(stats.backend.messages_sent, base.backend.messages_sent + 1);
    assert_eq!(
        stats.frontend.frames_received,
        base.frontend.frames_received + 5
    );
}

/// Commands are answered while both directions are stuck.
#[test]
fn commands_are_answered_while_the_backend_is_full() {
    let ctx = Context::new().unwrap();
    let s = stuck(&ctx);
    let proxy = ThreadedProxy::spawn(s.frontend, s.backend, None).unwrap();
    wait_until_held(&ctx, || proxy.statistics());
    for _ in 0..3 {
        bounded(&ctx, "pause()", || proxy.pause()).unwrap();
        bounded(&ctx, "resume()", || proxy.resume()).unwrap();
    }
    let stats = bounded(&ctx, "statistics()", || proxy.statistics()).unwrap();
    assert_eq!(
        stats.frontend.messages_received,
        stats.backend.messages_sent + 1
    );
    let stats = bounded(&ctx, "stop()", || proxy.stop()).unwrap();
    check_after_stop(&stats, &s.consumer, 1);
}

/// libzmq's own proxy, `zmq4::proxy`, waits inside a send while the
/// backend is full; as documented, a context shutdown still ends it.
#[test]
fn the_plain_proxy_stuck_on_a_full_backend_ends_at_context_shutdown() {
    let ctx = Context::new().unwrap();
    let s = stuck(&ctx);
    let (frontend, backend) = (s.frontend, s.backend);
    let (done, ended) = mpsc::channel();
    let proxy = std::thread::spawn(move || {
        let result = zmq4::proxy(&frontend, &backend, None);
        let _ = done.send(());
        result
    });
    // It forwards what fits, then waits in the send for ever.
    assert_eq!(
        s.consumer.recv_bytes(RecvFlags::empty()).unwrap(),
        number(0)
    );
    assert_eq!(
        ended.recv_timeout(Duration::from_millis(300)),
        Err(RecvTimeoutError::Timeout)
    );
    let result = bounded(&ctx, "the plain proxy after shutdown", || {
        ctx.shutdown().unwrap();
        ended.recv_timeout(BOUND).ok();
        proxy.join().unwrap()
    });
    result.unwrap();
}

/// As documented: a send timeout on the plain proxy's backend ends the
/// proxy with `WouldBlock` once the backend has been full that long.
#[test]
fn the_plain_proxy_ends_when_its_backend_send_times_out() {
    let ctx = Context::new().unwrap();
    let s = stuck(&ctx);
    s.backend
        .set_sndtimeo(Some(Duration::from_millis(100)))
        .unwrap();
    let (frontend, backend) = (s.frontend, s.backend);
    let result = bounded(&ctx, "the plain proxy with SNDTIMEO", || {
        zmq4::proxy(&frontend, &backend, None)
    });
    assert_eq!(result.unwrap_err().kind(), zmq4::ErrorKind::WouldBlock);
}
