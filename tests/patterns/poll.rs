//! Polling: `zmq4::poll` over sockets and OS handles, `Socket::poll`, and
//! the `Poller` set with its add/update/remove rules. The same tests run
//! on `zmq_poll` and (with feature `draft`) on `zmq_poller_*`.

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use crate::support::*;
use zmq4::{Context, ErrorKind, PollEvents, PollItem, Poller, RecvFlags, SendFlags, SocketType};

const IN: PollEvents = PollEvents::POLLIN;
const OUT: PollEvents = PollEvents::POLLOUT;
const NOW: Option<Duration> = Some(Duration::ZERO);
const WAIT: Option<Duration> = Some(TIMEOUT);

#[cfg(unix)]
fn raw(s: &UdpSocket) -> zmq4::RawFd {
    use std::os::unix::io::AsRawFd;
    s.as_raw_fd()
}

#[cfg(windows)]
fn raw(s: &UdpSocket) -> zmq4::RawFd {
    use std::os::windows::io::AsRawSocket;
    s.as_raw_socket()
}

/// A UDP socket on the loopback and a sender that is not yet sending.
fn udp_pair() -> (UdpSocket, UdpSocket) {
    let receiver = UdpSocket::bind("127.0.0.1:0").unwrap();
    let sender = UdpSocket::bind("127.0.0.1:0").unwrap();
    sender.connect(receiver.local_addr().unwrap()).unwrap();
    (receiver, sender)
}

#[test]
fn poll_wakes_only_the_socket_that_has_a_message() {
    let ctx = Context::new().unwrap();
    let endpoints: Vec<String> = (0..5).map(|_| inproc("poll-five")).collect();
    let pulls: Vec<_> = endpoints
        .iter()
        .map(|e| {
            let s = socket(&ctx, SocketType::Pull);
            s.bind(e).unwrap();
            s
        })
        .collect();
    let push = socket(&ctx, SocketType::Push);
    push.connect(&endpoints[2]).unwrap();

    let mut items: Vec<PollItem<'_>> = pulls.iter().map(|s| PollItem::from_socket(s, IN)).collect();
    assert_eq!(zmq4::poll(&mut items, NOW).unwrap(), 0);
    assert!(items.iter().all(|i| i.revents().is_empty()));

    push.send("for the third", SendFlags::empty()).unwrap();
    assert_eq!(zmq4::poll(&mut items, WAIT).unwrap(), 1);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item.is_readable(), i == 2, "item {i}: {item:?}");
        assert!(!item.is_writable() && !item.is_error());
    }
    assert!(items[2].is_socket(&pulls[2]) && !items[2].is_socket(&pulls[1]));
    assert_eq!(items[2].revents(), IN);
    assert_eq!(
        pulls[2].recv_string(RecvFlags::DONTWAIT).unwrap(),
        "for the third"
    );

    // Once the message is taken, nothing is ready again.
    assert_eq!(zmq4::poll(&mut items, NOW).unwrap(), 0);
    assert!(!items[2].is_readable());
}

#[test]
fn poll_waits_on_an_os_handle_beside_sockets() {
    let ctx = Context::new().unwrap();
    let endpoint = inproc("poll-fd");
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind(&endpoint).unwrap();
    let (receiver, sender) = udp_pair();

    let mut items = [
        PollItem::from_socket(&pull, IN),
        PollItem::from_fd(raw(&receiver), IN),
    ];
    assert_eq!(items[1].fd(), Some(raw(&receiver)));
    assert_eq!(items[0].fd(), None);
    assert_eq!(zmq4::poll(&mut items, NOW).unwrap(), 0);

    sender.send(b"datagram").unwrap();
    assert_eq!(zmq4::poll(&mut items, WAIT).unwrap(), 1);
    assert!(!items[0].is_readable());
    assert!(items[1].is_readable());

    // Then the socket too: both are reported.
    let push = socket(&ctx, SocketType::Push);
    push.connect(&endpoint).unwrap();
    push.send("message", SendFlags::empty()).unwrap();
    assert_eq!(pull.poll(IN, WAIT).unwrap(), IN);
    assert_eq!(zmq4::poll(&mut items, WAIT).unwrap(), 2);
    assert!(items[0].is_readable() && items[1].is_readable());

    let mut buf = [0u8; 16];
    assert_eq!(receiver.recv(&mut buf).unwrap(), 8);
    pull.recv_bytes(RecvFlags::DONTWAIT).unwrap();
    assert_eq!(zmq4::poll(&mut items, NOW).unwrap(), 0);
}

#[test]
fn poll_times_out_when_nothing_arrives() {
    let ctx = Context::new().unwrap();
    let (a, b) = (
        socket(&ctx, SocketType::Pull),
        socket(&ctx, SocketType::Sub),
    );
    a.bind(&inproc("poll-timeout-a")).unwrap();
    b.bind(&inproc("poll-timeout-b")).unwrap();
    let timeout = Duration::from_millis(100);

    let mut items = [PollItem::from_socket(&a, IN), PollItem::from_socket(&b, IN)];
    let start = Instant::now();
    assert_eq!(zmq4::poll(&mut items, Some(timeout)).unwrap(), 0);
    assert!(
        start.elapsed() >= timeout,
        "returned after {:?}",
        start.elapsed()
    );
    assert!(items.iter().all(|i| i.revents().is_empty()));

    let start = Instant::now();
    assert_eq!(a.poll(IN, Some(timeout)).unwrap(), PollEvents::empty());
    assert!(
        start.elapsed() >= timeout,
        "returned after {:?}",
        start.elapsed()
    );

    let mut poller = Poller::new();
    poller.add(&a, IN, 'a').unwrap();
    poller.add(&b, IN, 'b').unwrap();
    let start = Instant::now();
    assert_eq!(poller.poll(Some(timeout)).unwrap().len(), 0);
    assert!(
        start.elapsed() >= timeout,
        "returned after {:?}",
        start.elapsed()
    );

    // A sub-millisecond timeout is rounded up, not down to "don't wait".
    let start = Instant::now();
    assert_eq!(
        a.poll(IN, Some(Duration::from_nanos(1))).unwrap(),
        PollEvents::empty()
    );
    assert!(start.elapsed() >= Duration::from_millis(1));
}

#[test]
fn bad_timeouts_and_empty_polls() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    let err = pull.poll(IN, Some(Duration::MAX)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    let mut items = [PollItem::from_socket(&pull, IN)];
    let err = zmq4::poll(&mut items, Some(Duration::MAX)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");

    // Nothing to poll: a sleep with a timeout, an error without one.
    let start = Instant::now();
    assert_eq!(
        zmq4::poll(&mut [], Some(Duration::from_millis(20))).unwrap(),
        0
    );
    assert!(start.elapsed() >= Duration::from_millis(20));
    let err = zmq4::poll(&mut [], None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");

    let mut poller: Poller<'_, ()> = Poller::new();
    assert!(poller.is_empty());
    assert_eq!(poller.poll(NOW).unwrap().count(), 0);
    let err = poller.poll(None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    poller.add(&pull, IN, ()).unwrap();
    let err = poller.poll(Some(Duration::MAX)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
}

#[test]
fn pollout_on_a_connected_push() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = pull.last_endpoint().unwrap();

    // Without a peer a PUSH cannot send.
    let push = socket(&ctx, SocketType::Push);
    assert_eq!(push.poll(OUT, NOW).unwrap(), PollEvents::empty());

    push.connect(&endpoint).unwrap();
    assert_eq!(push.poll(OUT | IN, WAIT).unwrap(), OUT);
    let mut items = [PollItem::from_socket(&push, OUT)];
    assert_eq!(zmq4::poll(&mut items, WAIT).unwrap(), 1);
    assert!(items[0].is_writable() && !items[0].is_readable());

    // A PULL is never writable: asking for POLLOUT only times out.
    items[0] = PollItem::from_socket(&pull, OUT);
    assert_eq!(zmq4::poll(&mut items, NOW).unwrap(), 0);
    items[0].set_events(IN | OUT);
    assert_eq!(items[0].events(), IN | OUT);
    push.send("x", SendFlags::empty()).unwrap();
    assert_eq!(zmq4::poll(&mut items, WAIT).unwrap(), 1);
    assert_eq!(items[0].revents(), IN);
}

#[test]
fn poller_add_update_remove() {
    let ctx = Context::new().unwrap();
    let names = ["a", "b", "c"].map(|n| inproc(&format!("poller-{n}")));
    let pulls = names.each_ref().map(|e| {
        let s = socket(&ctx, SocketType::Pull);
        s.bind(e).unwrap();
        s
    });
    let pushes = names.each_ref().map(|e| {
        let s = socket(&ctx, SocketType::Push);
        s.connect(e).unwrap();
        s
    });

    let mut poller = Poller::new();
    poller.add(&pulls[0], IN, "a").unwrap();
    poller.add(&pulls[1], IN, "b").unwrap();
    poller.add(&pulls[2], IN, "c").unwrap();
    assert_eq!(poller.len(), 3);
    let err = poller.add(&pulls[1], OUT, "again").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert_eq!(poller.len(), 3);
    assert_eq!(poller.poll(NOW).unwrap().len(), 0);

    // Sent to c, then b: reported in the order they were added.
    pushes[2].send("to c", SendFlags::empty()).unwrap();
    pushes[1].send("to b", SendFlags::empty()).unwrap();
    assert_eq!(pulls[1].poll(IN, WAIT).unwrap(), IN);
    assert_eq!(pulls[2].poll(IN, WAIT).unwrap(), IN);
    let ready: Vec<_> = poller.poll(WAIT).unwrap().map(|(t, e)| (*t, e)).collect();
    assert_eq!(ready, [("b", IN), ("c", IN)]);

    // A removed socket no longer fires, and its token comes back.
    assert_eq!(poller.remove(&pulls[1]).unwrap(), "b");
    assert_eq!(poller.len(), 2);
    let ready: Vec<_> = poller.poll(WAIT).unwrap().map(|(t, e)| (*t, e)).collect();
    assert_eq!(ready, [("c", IN)]);
    let err = poller.remove(&pulls[1]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    let err = poller.update(&pulls[1], IN).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");

    // Update changes the interest set: c's message no longer counts.
    poller.update(&pulls[2], OUT).unwrap();
    assert_eq!(poller.poll(NOW).unwrap().len(), 0);
    poller.update(&pulls[2], IN).unwrap();
    let ready: Vec<_> = poller.poll(WAIT).unwrap().map(|(t, e)| (*t, e)).collect();
    assert_eq!(ready, [("c", IN)]);

    // Added again after removal: allowed, with a new token, last in order.
    poller.add(&pulls[1], IN, "b2").unwrap();
    pushes[0].send("to a", SendFlags::empty()).unwrap();
    assert_eq!(pulls[0].poll(IN, WAIT).unwrap(), IN);
    let ready: Vec<_> = poller.poll(WAIT).unwrap().map(|(t, e)| (*t, e)).collect();
    assert_eq!(ready, [("a", IN), ("c", IN), ("b2", IN)]);

    // Writable sockets fire for POLLOUT, with the events that occurred.
    poller.add(&pushes[0], OUT | IN, "push a").unwrap();
    let ready: Vec<_> = poller.poll(WAIT).unwrap().map(|(t, e)| (*t, e)).collect();
    assert_eq!(ready, [("a", IN), ("c", IN), ("b2", IN), ("push a", OUT)]);
}

#[test]
fn poller_tokens_can_be_the_sockets() {
    let ctx = Context::new().unwrap();
    let names = [inproc("poller-token-x"), inproc("poller-token-y")];
    let pulls = names.each_ref().map(|e| {
        let s = socket(&ctx, SocketType::Pull);
        s.bind(e).unwrap();
        s
    });
    let push = socket(&ctx, SocketType::Push);
    push.connect(&names[1]).unwrap();

    let mut poller = Poller::new();
    for pull in &pulls {
        poller.add(pull, IN, pull).unwrap();
    }
    push.send("hello", SendFlags::empty()).unwrap();
    let mut got = Vec::new();
    for (pull, events) in poller.poll(WAIT).unwrap() {
        assert_eq!(events, IN);
        got.push(pull.recv_string(RecvFlags::DONTWAIT).unwrap());
    }
    assert_eq!(got, ["hello"]);
    assert_eq!(poller.poll(NOW).unwrap().len(), 0);
}

#[test]
fn poller_with_an_os_handle() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind(&inproc("poller-fd")).unwrap();
    let (receiver, sender) = udp_pair();
    let fd = raw(&receiver);

    let mut poller = Poller::new();
    poller.add(&pull, IN, 1).unwrap();
    poller.add_fd(fd, IN, 2).unwrap();
    let err = poller.add_fd(fd, IN, 3).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert_eq!(poller.poll(NOW).unwrap().len(), 0);

    sender.send(b"datagram").unwrap();
    let ready: Vec<_> = poller.poll(WAIT).unwrap().map(|(t, e)| (*t, e)).collect();
    assert_eq!(ready, [(2, IN)]);

    // A UDP socket can always send.
    poller.update_fd(fd, IN | OUT).unwrap();
    let ready: Vec<_> = poller.poll(WAIT).unwrap().map(|(t, e)| (*t, e)).collect();
    assert_eq!(ready, [(2, IN | OUT)]);

    assert_eq!(poller.remove_fd(fd).unwrap(), 2);
    assert_eq!(poller.poll(NOW).unwrap().len(), 0);
    let err = poller.remove_fd(fd).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    let err = poller.update_fd(fd, IN).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
}
