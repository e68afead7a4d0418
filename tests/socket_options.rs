//! Socket options: every getter/setter pair round-trips, defaults decode
//! as documented, bad values are typed errors, read-only and write-only
//! options work, and the option table covers every option of zmq.h.
#![allow(deprecated)] // the deprecated IPC/TCP filter options are tested too

use std::collections::BTreeSet;
use std::ffi::CString;
use std::time::{Duration, Instant};

use zmq4::{
    Context, CurveKey, Error, ErrorKind, GssapiNameType, Mechanism, PollEvents, RecvFlags,
    SendFlags, Socket, SocketType,
};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Whether the linked libzmq has a capability (`zmq_has`).
fn has(capability: &str) -> bool {
    let c = CString::new(capability).unwrap();
    // SAFETY: zmq_has only reads the NUL-terminated string.
    unsafe { zmq4::sys::ffi::zmq_has(c.as_ptr()) != 0 }
}

fn socket(ctx: &Context, kind: SocketType) -> Socket<'_> {
    let s = ctx.socket(kind).unwrap();
    s.set_linger(Some(Duration::ZERO)).unwrap();
    s
}

/// Sets each value, reads it back, and checks it is the value set.
macro_rules! roundtrip {
    ($s:expr, $set:ident, $get:ident, $($v:expr),+ $(,)?) => {{
        $(
            let v = $v;
            $s.$set(v.clone())
                .unwrap_or_else(|e| panic!("{}({:?}): {e}", stringify!($set), v));
            let got = $s
                .$get()
                .unwrap_or_else(|e| panic!("{}(): {e}", stringify!($get)));
            assert_eq!(got, v, "{} after {}({:?})", stringify!($get), stringify!($set), v);
        )+
    }};
}

/// Like `roundtrip!` for options whose getter reports another type.
macro_rules! roundtrip_as {
    ($s:expr, $set:ident, $get:ident, $($v:expr => $expected:expr),+ $(,)?) => {{
        $(
            $s.$set($v).unwrap_or_else(|e| panic!("{}: {e}", stringify!($set)));
            assert_eq!($s.$get().unwrap(), $expected, "{} after {}", stringify!($get), stringify!($set));
        )+
    }};
}

/// Like `roundtrip!` for setters that take the value by reference.
macro_rules! roundtrip_ref {
    ($s:expr, $set:ident, $get:ident, $($v:expr),+ $(,)?) => {{
        $(
            let v = $v;
            $s.$set(&v).unwrap_or_else(|e| panic!("{}: {e}", stringify!($set)));
            assert_eq!($s.$get().unwrap(), v, "{} after {}", stringify!($get), stringify!($set));
        )+
    }};
}

#[track_caller]
fn assert_invalid<T: std::fmt::Debug>(result: Result<T, Error>, option: &str) {
    let err = result.expect_err("expected an error");
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err:?}");
    let detail = err.detail().unwrap_or_default();
    assert!(
        detail.contains(option),
        "detail {detail:?} should name {option}"
    );
}

// --------------------------------------------------------------- round trips

#[test]
fn roundtrip_integers() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    roundtrip!(s, set_affinity, affinity, 3u64, 0u64, u64::MAX);
    roundtrip!(s, set_rate, rate, 200, 1);
    roundtrip!(s, set_backlog, backlog, 50, 0);
    roundtrip!(s, set_sndhwm, sndhwm, 10, 0, i32::MAX);
    roundtrip!(s, set_rcvhwm, rcvhwm, 20, 0);
    roundtrip!(s, set_multicast_hops, multicast_hops, 5);
    roundtrip!(s, set_tos, tos, 0x28, 0);
    roundtrip!(s, set_multicast_maxtpdu, multicast_maxtpdu, 9000);
}

#[test]
fn roundtrip_optional_integers() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    roundtrip!(s, set_sndbuf, sndbuf, Some(65536), Some(0), None);
    roundtrip!(s, set_rcvbuf, rcvbuf, Some(131072), None);
    roundtrip!(
        s,
        set_maxmsgsize,
        maxmsgsize,
        Some(1i64 << 40),
        Some(0),
        None
    );
    roundtrip!(s, set_tcp_keepalive_cnt, tcp_keepalive_cnt, Some(5), None);
    roundtrip!(s, set_use_fd, use_fd, Some(100), None);
}

#[test]
fn roundtrip_flags() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    roundtrip!(s, set_immediate, immediate, true, false);
    roundtrip!(s, set_ipv6, ipv6, true, false);
    roundtrip!(s, set_conflate, conflate, true, false);
    roundtrip!(
        s,
        set_tcp_keepalive,
        tcp_keepalive,
        Some(true),
        Some(false),
        None
    );

    let sub = socket(&ctx, SocketType::Sub);
    roundtrip!(sub, set_invert_matching, invert_matching, true, false);
}

#[test]
fn roundtrip_durations() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    roundtrip!(s, set_recovery_ivl, recovery_ivl, secs(5), Duration::ZERO);
    roundtrip!(
        s,
        set_linger,
        linger,
        Some(ms(250)),
        Some(Duration::ZERO),
        None
    );
    roundtrip!(s, set_reconnect_ivl, reconnect_ivl, Some(ms(500)), None);
    roundtrip!(
        s,
        set_reconnect_ivl_max,
        reconnect_ivl_max,
        secs(5),
        Duration::ZERO
    );
    roundtrip!(
        s,
        set_rcvtimeo,
        rcvtimeo,
        Some(ms(1500)),
        Some(Duration::ZERO),
        None
    );
    roundtrip!(s, set_sndtimeo, sndtimeo, Some(ms(2500)), None);
    roundtrip!(
        s,
        set_tcp_keepalive_idle,
        tcp_keepalive_idle,
        Some(secs(60)),
        None
    );
    roundtrip!(
        s,
        set_tcp_keepalive_intvl,
        tcp_keepalive_intvl,
        Some(secs(10)),
        None
    );
    roundtrip!(s, set_handshake_ivl, handshake_ivl, secs(5), Duration::ZERO);
    roundtrip!(s, set_heartbeat_ivl, heartbeat_ivl, ms(1500));
    roundtrip!(s, set_heartbeat_ttl, heartbeat_ttl, secs(3), ms(6_553_500));
    roundtrip!(s, set_connect_timeout, connect_timeout, secs(2));
    roundtrip!(s, set_tcp_maxrt, tcp_maxrt, secs(3));

    // The setter takes a Duration, the getter reports None while unset.
    assert_eq!(s.heartbeat_timeout().unwrap(), None);
    roundtrip_as!(s, set_heartbeat_timeout, heartbeat_timeout, secs(2) => Some(secs(2)));
}

#[test]
fn durations_round_up_to_the_unit() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    // A short non-zero wait never becomes zero ("do not wait").
    s.set_rcvtimeo(Some(Duration::from_nanos(1))).unwrap();
    assert_eq!(s.rcvtimeo().unwrap(), Some(ms(1)));
    s.set_sndtimeo(Some(Duration::from_micros(1500))).unwrap();
    assert_eq!(s.sndtimeo().unwrap(), Some(ms(2)));
    // Options in seconds.
    s.set_tcp_keepalive_idle(Some(ms(1500))).unwrap();
    assert_eq!(s.tcp_keepalive_idle().unwrap(), Some(secs(2)));
    // libzmq keeps the heartbeat TTL in tenths of a second, rounded down.
    s.set_heartbeat_ttl(ms(1550)).unwrap();
    assert_eq!(s.heartbeat_ttl().unwrap(), ms(1500));
    // The largest value a C int holds is accepted.
    s.set_rcvtimeo(Some(ms(i32::MAX as u64))).unwrap();
    assert_eq!(s.rcvtimeo().unwrap(), Some(ms(i32::MAX as u64)));
}

#[test]
fn roundtrip_strings() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    roundtrip!(s, set_plain_username, plain_username, "admin", "ünïcode");
    roundtrip!(s, set_plain_password, plain_password, "secret");
    roundtrip!(s, set_zap_domain, zap_domain, "global");
    roundtrip!(s, set_socks_proxy, socks_proxy, "127.0.0.1:1080", "");
    roundtrip!(s, set_bindtodevice, bindtodevice, "lo", "");
    // Longer than the first buffer the getter tries.
    let long_proxy = format!("{}:1080", "h".repeat(1000));
    roundtrip!(s, set_socks_proxy, socks_proxy, long_proxy.as_str());
    // 255 bytes is the longest PLAIN user name.
    let longest = "u".repeat(255);
    roundtrip!(s, set_plain_username, plain_username, longest.as_str());
}

#[test]
fn roundtrip_routing_id() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    roundtrip!(s, set_routing_id, routing_id, b"peer-1", b"\x01\xff binary");
    let longest = vec![7u8; 255];
    roundtrip!(s, set_routing_id, routing_id, longest);
}

#[test]
fn roundtrip_typed_values() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    if has("gssapi") {
        roundtrip!(
            s,
            set_gssapi_principal_nametype,
            gssapi_principal_nametype,
            GssapiNameType::UserName,
            GssapiNameType::Krb5Principal,
            GssapiNameType::HostBased
        );
        roundtrip!(
            s,
            set_gssapi_service_principal_nametype,
            gssapi_service_principal_nametype,
            GssapiNameType::Krb5Principal
        );
    } else {
        assert!(s
            .set_gssapi_principal_nametype(GssapiNameType::UserName)
            .is_err());
    }
}

#[test]
fn roundtrip_security() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Rep);
    assert_eq!(s.mechanism().unwrap(), Mechanism::Null);

    roundtrip!(s, set_plain_server, plain_server, true);
    assert_eq!(s.mechanism().unwrap(), Mechanism::Plain);
    roundtrip!(s, set_plain_server, plain_server, false);
    assert_eq!(s.mechanism().unwrap(), Mechanism::Null);
    // A user name makes a PLAIN client; the empty one goes back to NULL.
    s.set_plain_username("user").unwrap();
    assert_eq!(s.mechanism().unwrap(), Mechanism::Plain);
    s.set_plain_username("").unwrap();
    assert_eq!(s.mechanism().unwrap(), Mechanism::Null);

    if has("curve") {
        let public: CurveKey = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7".parse().unwrap();
        let secret: CurveKey = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6".parse().unwrap();
        roundtrip!(s, set_curve_server, curve_server, true);
        assert_eq!(s.mechanism().unwrap(), Mechanism::Curve);
        roundtrip!(s, set_curve_server, curve_server, false);
        roundtrip_ref!(s, set_curve_secretkey, curve_secretkey, secret.clone());
        roundtrip_ref!(s, set_curve_publickey, curve_publickey, public.clone());
        roundtrip_ref!(s, set_curve_serverkey, curve_serverkey, public, secret);
        assert_eq!(s.mechanism().unwrap(), Mechanism::Curve);
    } else {
        assert!(s.set_curve_server(true).is_err());
    }

    if has("gssapi") {
        let g = socket(&ctx, SocketType::Dealer);
        roundtrip!(g, set_gssapi_server, gssapi_server, true, false);
        roundtrip!(g, set_gssapi_plaintext, gssapi_plaintext, true, false);
        roundtrip!(g, set_gssapi_principal, gssapi_principal, "zmq/host@REALM");
        roundtrip!(
            g,
            set_gssapi_service_principal,
            gssapi_service_principal,
            "service@host"
        );
        assert_eq!(g.mechanism().unwrap(), Mechanism::Gssapi);
    }
}

// ---------------------------------------------------------------- defaults

#[test]
fn defaults_decode_as_documented() {
    let ctx = Context::new().unwrap();
    let s = ctx.socket(SocketType::Dealer).unwrap();
    assert_eq!(s.affinity().unwrap(), 0);
    assert_eq!(s.routing_id().unwrap(), b"");
    assert_eq!(s.rate().unwrap(), 100);
    assert_eq!(s.recovery_ivl().unwrap(), secs(10));
    assert_eq!(s.sndbuf().unwrap(), None);
    assert_eq!(s.rcvbuf().unwrap(), None);
    assert_eq!(s.reconnect_ivl().unwrap(), Some(ms(100)));
    assert_eq!(s.reconnect_ivl_max().unwrap(), Duration::ZERO);
    assert_eq!(s.backlog().unwrap(), 100);
    assert_eq!(s.maxmsgsize().unwrap(), None);
    assert_eq!(s.sndhwm().unwrap(), 1000);
    assert_eq!(s.rcvhwm().unwrap(), 1000);
    assert_eq!(s.rcvtimeo().unwrap(), None);
    assert_eq!(s.sndtimeo().unwrap(), None);
    assert_eq!(s.tcp_keepalive().unwrap(), None);
    assert_eq!(s.tcp_keepalive_cnt().unwrap(), None);
    assert_eq!(s.tcp_keepalive_idle().unwrap(), None);
    assert_eq!(s.tcp_keepalive_intvl().unwrap(), None);
    assert!(!s.immediate().unwrap());
    assert!(!s.ipv6().unwrap());
    assert_eq!(s.handshake_ivl().unwrap(), secs(30));
    assert_eq!(s.heartbeat_ivl().unwrap(), Duration::ZERO);
    assert_eq!(s.heartbeat_ttl().unwrap(), Duration::ZERO);
    assert_eq!(s.heartbeat_timeout().unwrap(), None);
    assert_eq!(s.connect_timeout().unwrap(), Duration::ZERO);
    assert_eq!(s.multicast_maxtpdu().unwrap(), 1500);
    assert_eq!(s.use_fd().unwrap(), None);
    assert_eq!(s.socks_proxy().unwrap(), "");
    assert_eq!(s.zap_domain().unwrap(), "");
    assert_eq!(s.bindtodevice().unwrap(), "");
    assert_eq!(s.plain_username().unwrap(), "");
}

// ---------------------------------------------------------------- read-only

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
    assert_eq!(err.kind(), ErrorKind::WouldBlock);
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

// ---------------------------------------------------------- options at work

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
    push.set_sndhwm(1).unwrap();
    pull.set_rcvhwm(1).unwrap();
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
    assert_eq!(err.kind(), ErrorKind::WouldBlock);
}

// --------------------------------------------------------------- write-only

#[test]
fn write_only_options_accept_valid_values() {
    let ctx = Context::new().unwrap();

    let sub = socket(&ctx, SocketType::Sub);
    sub.set_subscribe("").unwrap();
    sub.set_subscribe(b"topic").unwrap();
    sub.set_subscribe(vec![0u8, 1, 2]).unwrap();
    sub.set_unsubscribe("topic").unwrap();
    sub.set_unsubscribe("").unwrap();

    let router = socket(&ctx, SocketType::Router);
    router.set_router_mandatory(true).unwrap();
    router.set_router_handover(true).unwrap();
    router.set_probe_router(true).unwrap();
    router.set_connect_routing_id(b"next-peer").unwrap();
    router.set_router_raw(true).unwrap();

    let dealer = socket(&ctx, SocketType::Dealer);
    dealer.set_probe_router(true).unwrap();

    let req = socket(&ctx, SocketType::Req);
    req.set_req_correlate(true).unwrap();
    req.set_req_relaxed(true).unwrap();

    let xpub = socket(&ctx, SocketType::XPub);
    xpub.set_xpub_verbose(true).unwrap();
    xpub.set_xpub_verboser(true).unwrap();
    xpub.set_xpub_nodrop(true).unwrap();
    xpub.set_xpub_welcome_msg(b"welcome").unwrap();
    xpub.set_xpub_welcome_msg(b"").unwrap();
    xpub.set_xpub_manual(true).unwrap();
    xpub.set_subscribe(b"manual").unwrap();

    let publisher = socket(&ctx, SocketType::Pub);
    publisher.set_xpub_nodrop(true).unwrap();

    let stream = socket(&ctx, SocketType::Stream);
    stream.set_stream_notify(false).unwrap();
    stream.set_connect_routing_id(b"raw-peer").unwrap();

    let listener = socket(&ctx, SocketType::Pull);
    listener.set_tcp_accept_filter(Some("127.0.0.1")).unwrap();
    listener.set_tcp_accept_filter(Some("10.0.0.0/8")).unwrap();
    listener.set_tcp_accept_filter(None).unwrap();
    #[cfg(target_os = "linux")]
    {
        listener
            .set_ipc_filter_pid(Some(std::process::id() as i32))
            .unwrap();
        listener.set_ipc_filter_pid(None).unwrap();
        // SAFETY: getuid and getgid cannot fail.
        let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
        listener.set_ipc_filter_uid(Some(uid)).unwrap();
        listener.set_ipc_filter_uid(None).unwrap();
        listener.set_ipc_filter_gid(Some(gid)).unwrap();
        listener.set_ipc_filter_gid(None).unwrap();
    }

    let vmci = [
        listener.set_vmci_buffer_size(65536),
        listener.set_vmci_buffer_min_size(128),
        listener.set_vmci_buffer_max_size(262144),
        listener.set_vmci_connect_timeout(Some(secs(1))),
        listener.set_vmci_connect_timeout(None),
    ];
    for result in vmci {
        if has("vmci") {
            result.unwrap();
        } else {
            assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidArgument);
        }
    }
}

#[test]
fn tcp_accept_filter_rejects_a_bad_address() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Pull);
    assert_invalid(
        s.set_tcp_accept_filter(Some("not an address")),
        "ZMQ_TCP_ACCEPT_FILTER",
    );
}

// ------------------------------------------------------------------- errors

#[test]
fn out_of_range_values_are_errors() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    // Rejected by libzmq.
    assert_invalid(s.set_sndhwm(-1), "ZMQ_SNDHWM");
    assert_invalid(s.set_rcvhwm(-1), "ZMQ_RCVHWM");
    assert_invalid(s.set_rate(0), "ZMQ_RATE");
    assert_invalid(s.set_backlog(-1), "ZMQ_BACKLOG");
    assert_invalid(s.set_multicast_hops(0), "ZMQ_MULTICAST_HOPS");
    assert_invalid(s.set_multicast_maxtpdu(0), "ZMQ_MULTICAST_MAXTPDU");
    assert_invalid(s.set_tos(-1), "ZMQ_TOS");
    assert_invalid(s.set_heartbeat_ttl(ms(6_553_600)), "ZMQ_HEARTBEAT_TTL");
    assert_invalid(s.set_routing_id(b""), "ZMQ_ROUTING_ID");
    assert_invalid(s.set_routing_id([1u8; 256]), "ZMQ_ROUTING_ID");
    assert_invalid(s.set_plain_username(&"u".repeat(256)), "ZMQ_PLAIN_USERNAME");
    assert_invalid(s.set_bindtodevice(&"d".repeat(17)), "ZMQ_BINDTODEVICE");
    // libzmq cannot set the ZAP domain back to empty.
    assert_invalid(s.set_zap_domain(""), "ZMQ_ZAP_DOMAIN");

    // Rejected on our side: -1 is spelled None.
    assert_invalid(s.set_sndbuf(Some(-1)), "ZMQ_SNDBUF");
    assert_invalid(s.set_rcvbuf(Some(-2)), "ZMQ_RCVBUF");
    assert_invalid(s.set_maxmsgsize(Some(-5)), "ZMQ_MAXMSGSIZE");
    assert_invalid(s.set_tcp_keepalive_cnt(Some(-1)), "ZMQ_TCP_KEEPALIVE_CNT");
    assert_invalid(s.set_use_fd(Some(-3)), "ZMQ_USE_FD");

    // Durations that do not fit in a C int.
    let too_long_ms = ms(i32::MAX as u64 + 1);
    assert_invalid(s.set_linger(Some(too_long_ms)), "ZMQ_LINGER");
    assert_invalid(s.set_rcvtimeo(Some(Duration::MAX)), "ZMQ_RCVTIMEO");
    assert_invalid(s.set_sndtimeo(Some(too_long_ms)), "ZMQ_SNDTIMEO");
    assert_invalid(s.set_handshake_ivl(Duration::MAX), "ZMQ_HANDSHAKE_IVL");
    assert_invalid(
        s.set_heartbeat_timeout(too_long_ms),
        "ZMQ_HEARTBEAT_TIMEOUT",
    );
    assert_invalid(
        s.set_tcp_keepalive_idle(Some(secs(i32::MAX as u64 + 1))),
        "ZMQ_TCP_KEEPALIVE_IDLE",
    );
    // Nothing was changed by the failed calls.
    assert_eq!(s.sndhwm().unwrap(), 1000);
    assert_eq!(s.linger().unwrap(), Some(Duration::ZERO));
    assert_eq!(s.sndbuf().unwrap(), None);
}

#[test]
fn options_on_the_wrong_socket_type_are_errors() {
    let ctx = Context::new().unwrap();
    let push = socket(&ctx, SocketType::Push);
    assert_invalid(push.set_subscribe(b"x"), "ZMQ_SUBSCRIBE");
    assert_invalid(push.set_unsubscribe(b"x"), "ZMQ_UNSUBSCRIBE");
    let dealer = socket(&ctx, SocketType::Dealer);
    assert_invalid(dealer.set_router_mandatory(true), "ZMQ_ROUTER_MANDATORY");
    assert_invalid(dealer.set_router_handover(true), "ZMQ_ROUTER_HANDOVER");
    assert_invalid(dealer.set_req_correlate(true), "ZMQ_REQ_CORRELATE");
    assert_invalid(
        dealer.set_connect_routing_id(b"x"),
        "ZMQ_CONNECT_ROUTING_ID",
    );
    let sub = socket(&ctx, SocketType::Sub);
    assert_invalid(sub.set_xpub_verbose(true), "ZMQ_XPUB_VERBOSE");
    assert_invalid(sub.set_xpub_welcome_msg(b"hi"), "ZMQ_XPUB_WELCOME_MSG");
    let router = socket(&ctx, SocketType::Router);
    assert_invalid(router.set_stream_notify(true), "ZMQ_STREAM_NOTIFY");
    let publisher = socket(&ctx, SocketType::Pub);
    assert_invalid(publisher.set_probe_router(true), "ZMQ_PROBE_ROUTER");
    // XPUB takes subscriptions only in manual mode.
    let xpub = socket(&ctx, SocketType::XPub);
    assert_invalid(xpub.set_subscribe(b"x"), "ZMQ_SUBSCRIBE");
}

#[test]
fn nul_in_a_string_option_is_an_error() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    assert_invalid(s.set_plain_username("us\0er"), "ZMQ_PLAIN_USERNAME");
    assert_invalid(s.set_plain_password("\0"), "ZMQ_PLAIN_PASSWORD");
    assert_invalid(s.set_zap_domain("dom\0ain"), "ZMQ_ZAP_DOMAIN");
    assert_invalid(s.set_socks_proxy("host\0:1080"), "ZMQ_SOCKS_PROXY");
    assert_invalid(s.set_bindtodevice("lo\0"), "ZMQ_BINDTODEVICE");
    assert_invalid(
        s.set_tcp_accept_filter(Some("127.0.0.1\0")),
        "ZMQ_TCP_ACCEPT_FILTER",
    );
    assert_eq!(s.plain_username().unwrap(), "");
    // Binary options take any byte.
    s.set_routing_id(b"a\0b").unwrap();
    assert_eq!(s.routing_id().unwrap(), b"a\0b");
}

// ---------------------------------------------------------------- CURVE keys

#[test]
fn curve_keys_parse_and_print() {
    // Test vector of ZeroMQ RFC 32: 8 bytes <-> "HelloWorld".
    let bytes: [u8; 32] = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B].repeat(4)[..]
        .try_into()
        .unwrap();
    let text = "HelloWorld".repeat(4);
    let key = CurveKey::from_z85(&text).unwrap();
    assert_eq!(key.as_bytes(), &bytes);
    assert_eq!(key, CurveKey::from(bytes));
    assert_eq!(key, CurveKey::new(bytes));
    assert_eq!(key, CurveKey::from_bytes(&bytes).unwrap());
    assert_eq!(key, text.parse::<CurveKey>().unwrap());
    assert_eq!(key.to_string(), text);
    assert_eq!(key.to_z85(), text);
    // Debug never shows the key.
    assert_eq!(format!("{key:?}"), "CurveKey(..)");
}

#[test]
fn bad_curve_keys_are_errors() {
    let kind = |r: Result<CurveKey, Error>| r.unwrap_err().kind();
    assert_eq!(
        kind(CurveKey::from_bytes(&[0; 31])),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        kind(CurveKey::from_bytes(&[0; 33])),
        ErrorKind::InvalidArgument
    );
    assert_eq!(kind(CurveKey::from_bytes(&[])), ErrorKind::InvalidArgument);
    // 32 characters are not 32 bytes: never handed to libzmq as a key.
    let err = CurveKey::from_z85(&"a".repeat(32)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.detail().unwrap().contains("40"), "{err}");
    assert_eq!(
        kind(CurveKey::from_z85(&"a".repeat(41))),
        ErrorKind::InvalidArgument
    );
    assert_eq!(kind(CurveKey::from_z85("")), ErrorKind::InvalidArgument);
    // Characters outside the alphabet (space, quote, tilde, non-ASCII, NUL).
    for bad in [" ", "\"", "~", "\0", "é"] {
        let text = format!("{bad}{}", "a".repeat(40 - bad.len()));
        assert_eq!(text.len(), 40);
        assert_eq!(
            kind(text.parse::<CurveKey>()),
            ErrorKind::InvalidArgument,
            "{bad:?}"
        );
    }
    // Groups worth more than 2^32 - 1.
    assert_eq!(
        kind(CurveKey::from_z85(&"#".repeat(40))),
        ErrorKind::InvalidArgument
    );
}

// ------------------------------------------------------------- DRAFT options

#[cfg(feature = "draft")]
mod draft {
    use super::*;
    use zmq4::{NormMode, ReconnectStop, RouterNotify};

    #[test]
    fn roundtrip_draft_options() {
        let ctx = Context::new().unwrap();
        let s = socket(&ctx, SocketType::Dealer);
        roundtrip!(s, set_zap_enforce_domain, zap_enforce_domain, true, false);
        roundtrip!(s, set_loopback_fastpath, loopback_fastpath, true, false);
        roundtrip!(s, set_multicast_loop, multicast_loop, false, true);
        roundtrip!(s, set_socks_username, socks_username, "socks-user", "");
        roundtrip!(s, set_socks_password, socks_password, "socks-pass", "");
        roundtrip!(s, set_in_batch_size, in_batch_size, 4096);
        roundtrip!(s, set_out_batch_size, out_batch_size, 16384);
        roundtrip!(s, set_priority, priority, 3, 0);
        roundtrip!(
            s,
            set_reconnect_stop,
            reconnect_stop,
            ReconnectStop::CONN_REFUSED | ReconnectStop::AFTER_DISCONNECT,
            ReconnectStop::HANDSHAKE_FAILED,
            ReconnectStop::empty()
        );

        let router = socket(&ctx, SocketType::Router);
        roundtrip!(
            router,
            set_router_notify,
            router_notify,
            RouterNotify::CONNECT,
            RouterNotify::CONNECT | RouterNotify::DISCONNECT,
            RouterNotify::empty()
        );

        if has("norm") {
            roundtrip!(
                s,
                set_norm_mode,
                norm_mode,
                NormMode::Fixed,
                NormMode::CceEcnOnly
            );
            roundtrip!(s, set_norm_unicast_nack, norm_unicast_nack, true);
            roundtrip!(s, set_norm_buffer_size, norm_buffer_size, 1024);
            roundtrip!(s, set_norm_segment_size, norm_segment_size, 1000);
            roundtrip!(s, set_norm_block_size, norm_block_size, 255);
            roundtrip!(s, set_norm_num_parity, norm_num_parity, 8);
            roundtrip!(s, set_norm_num_autoparity, norm_num_autoparity, 2);
            roundtrip!(s, set_norm_push, norm_push, true);
        } else {
            assert_invalid(s.set_norm_mode(NormMode::Fixed), "ZMQ_NORM_MODE");
        }
    }

    #[test]
    fn draft_defaults() {
        let ctx = Context::new().unwrap();
        let s = socket(&ctx, SocketType::Router);
        assert!(s.multicast_loop().unwrap());
        assert_eq!(s.in_batch_size().unwrap(), 8192);
        assert_eq!(s.out_batch_size().unwrap(), 8192);
        assert_eq!(s.router_notify().unwrap(), RouterNotify::empty());
        assert_eq!(s.reconnect_stop().unwrap(), ReconnectStop::empty());
    }

    #[test]
    fn draft_write_only_options() {
        let ctx = Context::new().unwrap();
        let s = socket(&ctx, SocketType::Router);
        s.set_metadata("X-Color:blue").unwrap();
        s.set_hello_msg(b"hello").unwrap();
        s.set_hello_msg(b"").unwrap();
        s.set_disconnect_msg(b"gone").unwrap();
        s.set_busy_poll(true).unwrap();
        let dealer = socket(&ctx, SocketType::Dealer);
        dealer.set_hiccup_msg(b"hiccup").unwrap();
        let xpub = socket(&ctx, SocketType::XPub);
        xpub.set_xpub_manual_last_value(true).unwrap();
        xpub.set_only_first_subscribe(true).unwrap();
        let xsub = socket(&ctx, SocketType::XSub);
        xsub.set_only_first_subscribe(true).unwrap();
        xsub.set_xsub_verbose_unsubscribe(true).unwrap();

        let wss = [
            s.set_wss_key_pem("-----BEGIN PRIVATE KEY-----"),
            s.set_wss_cert_pem("-----BEGIN CERTIFICATE-----"),
            s.set_wss_trust_pem("-----BEGIN CERTIFICATE-----"),
            s.set_wss_hostname("example.com"),
            s.set_wss_trust_system(true),
        ];
        for result in wss {
            if has("WSS") {
                result.unwrap();
            } else {
                assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidArgument);
            }
        }
    }

    #[test]
    fn draft_errors() {
        let ctx = Context::new().unwrap();
        let s = socket(&ctx, SocketType::Dealer);
        assert_invalid(
            s.set_router_notify(RouterNotify::CONNECT),
            "ZMQ_ROUTER_NOTIFY",
        );
        assert_invalid(s.set_metadata("Color:blue"), "ZMQ_METADATA");
        assert_invalid(s.set_metadata("X-Color"), "ZMQ_METADATA");
        assert_invalid(s.set_metadata("X-Color:\0"), "ZMQ_METADATA");
        assert_invalid(s.set_in_batch_size(0), "ZMQ_IN_BATCH_SIZE");
        assert_invalid(s.set_priority(-1), "ZMQ_PRIORITY");
        assert_invalid(s.set_only_first_subscribe(true), "ZMQ_ONLY_FIRST_SUBSCRIBE");
        assert_invalid(s.topics_count(), "ZMQ_TOPICS_COUNT");
        let router = socket(&ctx, SocketType::Router);
        assert_invalid(
            router.set_router_notify(RouterNotify::from_bits_retain(4)),
            "ZMQ_ROUTER_NOTIFY",
        );
    }

    #[test]
    fn topics_count_counts_subscriptions() {
        let ctx = Context::new().unwrap();
        let sub = socket(&ctx, SocketType::Sub);
        assert_eq!(sub.topics_count().unwrap(), 0);
        sub.set_subscribe("a").unwrap();
        sub.set_subscribe("b").unwrap();
        assert_eq!(sub.topics_count().unwrap(), 2);
        sub.set_unsubscribe("a").unwrap();
        assert_eq!(sub.topics_count().unwrap(), 1);
        let xpub = socket(&ctx, SocketType::XPub);
        assert_eq!(xpub.topics_count().unwrap(), 0);
    }

    #[test]
    fn thread_safe_sockets_have_no_fd() {
        let ctx = Context::new().unwrap();
        let s = socket(&ctx, SocketType::Server);
        assert!(s.thread_safe().unwrap());
        assert_eq!(s.fd().unwrap_err().kind(), ErrorKind::InvalidArgument);
        #[cfg(unix)]
        assert_eq!(std::os::fd::AsRawFd::as_raw_fd(&s), -1);
    }
}

// -------------------------------------------------------------- completeness

/// `pub const ZMQ_X: i32 = N;` lines of a bindings file, from `first` to
/// `last` inclusive.
fn constants_between(bindings: &str, first: &str, last: &str) -> Vec<String> {
    let names: Vec<String> = bindings
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub const "))
        .filter_map(|l| l.split(':').next())
        .map(str::to_string)
        .collect();
    let start = names.iter().position(|n| n == first).expect(first);
    let end = names.iter().position(|n| n == last).expect(last);
    names[start..=end].to_vec()
}

/// The rows of the option table: (constant, getter, setter).
fn table_rows() -> Vec<(String, Option<String>, Option<String>)> {
    let table = include_str!("../src/socket/options/table.rs");
    let mut rows = Vec::new();
    let mut lines = table.lines().map(str::trim);
    while let Some(line) = lines.next() {
        let Some((name, rest)) = line.split_once(' ') else {
            continue;
        };
        if !name.starts_with("ZMQ_") || !rest.starts_with(&format!("\"{name}\" = ")) {
            continue;
        }
        let (mut getter, mut setter) = (None, None);
        for body in lines.by_ref() {
            if body == "}" {
                break;
            }
            let fn_name = body.split('(').next().unwrap().to_string();
            if body.contains("() ->") {
                getter = Some(fn_name);
            } else {
                setter = Some(fn_name);
            }
        }
        rows.push((name.to_string(), getter, setter));
    }
    rows
}

#[test]
fn the_table_covers_every_socket_option_of_zmq_h() {
    let stable = include_str!("../src/sys/bindings.rs");
    let draft = include_str!("../src/sys/bindings_draft.rs");

    let mut stable_options = constants_between(stable, "ZMQ_AFFINITY", "ZMQ_BINDTODEVICE");
    // Deprecated options that are not aliases of a current one.
    stable_options.extend(
        [
            "ZMQ_TCP_ACCEPT_FILTER",
            "ZMQ_IPC_FILTER_PID",
            "ZMQ_IPC_FILTER_UID",
            "ZMQ_IPC_FILTER_GID",
            "ZMQ_IPV4ONLY",
        ]
        .map(String::from),
    );
    for name in &stable_options {
        assert!(stable.contains(&format!("pub const {name}: i32")), "{name}");
    }
    let draft_options = constants_between(draft, "ZMQ_ZAP_ENFORCE_DOMAIN", "ZMQ_NORM_PUSH");

    // Left out on purpose, with the reason.
    let left_out = [
        (
            "ZMQ_BLOCKY",
            "a context option (zmq_ctx_set), not a socket option",
        ),
        (
            "ZMQ_IPV4ONLY",
            "deprecated inverse of ZMQ_IPV6, an alias of set_ipv6",
        ),
    ];

    let rows = table_rows();
    let in_table: BTreeSet<&str> = rows.iter().map(|(n, _, _)| n.as_str()).collect();
    let all: BTreeSet<&str> = stable_options
        .iter()
        .chain(&draft_options)
        .map(String::as_str)
        .collect();
    let excluded: BTreeSet<&str> = left_out.iter().map(|(n, _)| *n).collect();

    let missing: Vec<_> = all
        .difference(&in_table)
        .filter(|n| !excluded.contains(*n))
        .collect();
    assert!(
        missing.is_empty(),
        "options missing from the table: {missing:?}"
    );
    let unknown: Vec<_> = in_table.difference(&all).collect();
    assert!(
        unknown.is_empty(),
        "table rows that are not options: {unknown:?}"
    );
    let both: Vec<_> = in_table.intersection(&excluded).collect();
    assert!(both.is_empty(), "left out but in the table: {both:?}");

    let covered_stable = stable_options
        .iter()
        .filter(|n| in_table.contains(n.as_str()))
        .count();
    let covered_draft = draft_options
        .iter()
        .filter(|n| in_table.contains(n.as_str()))
        .count();
    println!(
        "stable: {covered_stable} of {} covered; draft: {covered_draft} of {} covered",
        stable_options.len(),
        draft_options.len()
    );
    assert_eq!(covered_stable + left_out.len(), stable_options.len());
    assert_eq!(covered_draft, draft_options.len());
}

#[test]
fn every_getter_setter_pair_is_round_tripped_here() {
    let this_file = include_str!("socket_options.rs");
    let mut untested = Vec::new();
    for (name, getter, setter) in table_rows() {
        if let (Some(getter), Some(setter)) = (getter, setter) {
            // Written `roundtrip!(s, set_x, x, ...)` (rustfmt may break the
            // line after any comma).
            let compact: String = this_file.split_whitespace().collect();
            if !compact.contains(&format!("{setter},{getter},")) {
                untested.push(name);
            }
        }
    }
    assert!(untested.is_empty(), "no round trip for {untested:?}");
}
