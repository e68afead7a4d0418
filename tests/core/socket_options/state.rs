//! Read-only options report the socket's state, and options take effect.

use super::*;

#[test]
fn type_matches_every_socket_type() {
    let ctx = Context::new().unwrap();
    for &kind in SocketType::ALL {
        let s = ctx.socket(kind).unwrap();
        assert_eq!(s.type_().unwrap(), kind);
    }
}

#[test]
fn read_only_options_report_state() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    assert!(!pull.rcvmore().unwrap());
    assert!(!pull.thread_safe().unwrap());
    assert_eq!(pull.mechanism().unwrap(), Mechanism::Null);
    assert_eq!(pull.events().unwrap(), PollEvents::empty());

    assert_eq!(pull.last_endpoint().unwrap(), "");
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = pull.last_endpoint().unwrap();
    let port: u16 = endpoint
        .strip_prefix("tcp://127.0.0.1:")
        .unwrap_or_else(|| panic!("{endpoint}"))
        .parse()
        .unwrap();
    assert_ne!(port, 0);

    // PUB can always send: messages to no subscriber are dropped.
    let publisher = socket(&ctx, SocketType::Pub);
    assert_eq!(publisher.events().unwrap(), PollEvents::POLLOUT);
}

#[cfg(unix)]
#[test]
fn fd_is_a_live_descriptor() {
    use std::os::fd::AsRawFd;

    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    let fd = s.fd().unwrap();
    assert!(fd >= 0);
    assert_eq!(s.as_raw_fd(), fd);
    // It is open: fcntl answers for it.
    // SAFETY: F_GETFD only queries the descriptor's flags.
    assert_ne!(unsafe { libc::fcntl(fd, libc::F_GETFD) }, -1);
}

#[test]
fn events_follow_messages() {
    let ctx = Context::new().unwrap();
    let a = socket(&ctx, SocketType::Pair);
    let b = socket(&ctx, SocketType::Pair);
    a.bind("inproc://socket-options-events").unwrap();
    b.connect("inproc://socket-options-events").unwrap();
    assert!(b.events().unwrap().contains(PollEvents::POLLOUT));
    assert!(!a.events().unwrap().contains(PollEvents::POLLIN));

    b.send("ping", SendFlags::empty()).unwrap();
    let deadline = Instant::now() + secs(5);
    while !a.events().unwrap().contains(PollEvents::POLLIN) {
        assert!(Instant::now() < deadline, "POLLIN never came");
        std::thread::sleep(ms(1));
    }
    assert_eq!(a.recv_bytes(RecvFlags::empty()).unwrap(), b"ping");
    assert!(!a.events().unwrap().contains(PollEvents::POLLIN));
}

#[test]
fn rcvtimeo_is_in_milliseconds() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Pull);
    s.set_rcvtimeo(Some(ms(100))).unwrap();
    let start = Instant::now();
    let err = s.recv_msg(RecvFlags::empty()).unwrap_err();
    let waited = start.elapsed();
    assert_eq!(err.kind(), ErrorKind::TimedOut);
    assert!(waited >= ms(90) && waited < secs(5), "waited {waited:?}");
}

#[test]
fn rcvmore_follows_multipart_messages() {
    let ctx = Context::new().unwrap();
    let a = socket(&ctx, SocketType::Pair);
    let b = socket(&ctx, SocketType::Pair);
    a.bind("inproc://socket-options-rcvmore").unwrap();
    b.connect("inproc://socket-options-rcvmore").unwrap();
    a.set_rcvtimeo(Some(secs(5))).unwrap();
    b.send("head", SendFlags::SNDMORE).unwrap();
    b.send("tail", SendFlags::empty()).unwrap();
    assert_eq!(a.recv_bytes(RecvFlags::empty()).unwrap(), b"head");
    assert!(a.rcvmore().unwrap());
    assert_eq!(a.recv_bytes(RecvFlags::empty()).unwrap(), b"tail");
    assert!(!a.rcvmore().unwrap());
}

#[test]
fn subscriptions_filter_messages() {
    let ctx = Context::new().unwrap();
    let publisher = socket(&ctx, SocketType::Pub);
    let sub = socket(&ctx, SocketType::Sub);
    publisher.bind("inproc://socket-options-subscribe").unwrap();
    sub.connect("inproc://socket-options-subscribe").unwrap();
    sub.set_rcvtimeo(Some(secs(5))).unwrap();
    sub.set_subscribe("weather.").unwrap();
    // The subscription reaches the publisher asynchronously: publish until
    // the subscriber gets something.
    let deadline = Instant::now() + secs(5);
    loop {
        publisher.send("sport.1", SendFlags::empty()).unwrap();
        publisher.send("weather.1", SendFlags::empty()).unwrap();
        match sub.recv_bytes(RecvFlags::DONTWAIT) {
            Ok(got) => {
                assert_eq!(got, b"weather.1");
                break;
            }
            Err(e) if e.is_would_block() => {
                assert!(Instant::now() < deadline, "no message came through");
                std::thread::sleep(ms(5));
            }
            Err(e) => panic!("{e}"),
        }
    }
    // Once subscribed, only matching messages arrive, in order.
    publisher.send("sport.2", SendFlags::empty()).unwrap();
    publisher.send("weather.2", SendFlags::empty()).unwrap();
    loop {
        let got = sub.recv_bytes(RecvFlags::empty()).unwrap();
        assert!(got.starts_with(b"weather."), "{got:?}");
        if got == b"weather.2" {
            break;
        }
    }
}

#[test]
fn routing_id_names_the_peer_at_the_router() {
    let ctx = Context::new().unwrap();
    let router = socket(&ctx, SocketType::Router);
    let dealer = socket(&ctx, SocketType::Dealer);
    router.bind("inproc://socket-options-routing-id").unwrap();
    router.set_rcvtimeo(Some(secs(5))).unwrap();
    dealer.set_routing_id("worker-7").unwrap();
    dealer
        .connect("inproc://socket-options-routing-id")
        .unwrap();
    dealer.send("hello", SendFlags::empty()).unwrap();
    let parts = router.recv_multipart(RecvFlags::empty()).unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(&parts[0][..], b"worker-7");
    assert_eq!(&parts[1][..], b"hello");

    // ROUTER_MANDATORY turns a send to an unknown peer into an error.
    router.set_router_mandatory(true).unwrap();
    router.send("nobody", SendFlags::SNDMORE).unwrap_err();
}

#[test]
fn sndhwm_and_sndtimeo_bound_a_send() {
    let ctx = Context::new().unwrap();
    let push = socket(&ctx, SocketType::Push);
    let pull = socket(&ctx, SocketType::Pull);
    push.set_sndhwm(Some(1)).unwrap();
    pull.set_rcvhwm(Some(1)).unwrap();
    pull.bind("inproc://socket-options-hwm").unwrap();
    push.connect("inproc://socket-options-hwm").unwrap();
    push.set_sndtimeo(Some(ms(50))).unwrap();
    // With nobody reading, the queues fill up and a send times out.
    let mut sent = 0;
    let err = loop {
        match push.send("x", SendFlags::empty()) {
            Ok(()) => sent += 1,
            Err(e) => break e,
        }
        assert!(sent < 100, "the high-water mark did not stop sends");
    };
    assert_eq!(err.kind(), ErrorKind::TimedOut);
}
