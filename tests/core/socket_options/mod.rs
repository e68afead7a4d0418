//! Socket options: every getter/setter pair round-trips, defaults decode
//! as documented, bad values are typed errors, read-only and write-only
//! options work, and the option table covers every option of zmq.h.
#![allow(deprecated)] // the deprecated IPC/TCP filter options are tested too

use std::time::{Duration, Instant};

use zmq4::{
    Context, CurveKey, CurveSecretKey, Error, ErrorKind, GssapiNameType, Mechanism, PollEvents,
    RecvFlags, SendFlags, Socket, SocketType,
};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
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
    roundtrip!(s, set_sndhwm, sndhwm, Some(10), None, Some(i32::MAX));
    roundtrip!(s, set_rcvhwm, rcvhwm, Some(20), None);
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
    // SAFETY: the socket never binds, so libzmq never uses the number.
    unsafe { s.set_use_fd(Some(100)) }.unwrap();
    assert_eq!(s.use_fd().unwrap(), Some(100));
    // SAFETY: None turns the option off.
    unsafe { s.set_use_fd(None) }.unwrap();
    assert_eq!(s.use_fd().unwrap(), None);
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
    if zmq4::has("gssapi") {
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

    if zmq4::has("curve") {
        let public: CurveKey = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7".parse().unwrap();
        let secret: CurveSecretKey = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6".parse().unwrap();
        let secret_as_public = CurveKey::from_bytes(secret.as_bytes()).unwrap();
        roundtrip!(s, set_curve_server, curve_server, true);
        assert_eq!(s.mechanism().unwrap(), Mechanism::Curve);
        roundtrip!(s, set_curve_server, curve_server, false);
        roundtrip_ref!(s, set_curve_secretkey, curve_secretkey, secret.clone());
        roundtrip_ref!(s, set_curve_publickey, curve_publickey, public.clone());
        roundtrip_ref!(
            s,
            set_curve_serverkey,
            curve_serverkey,
            public,
            secret_as_public
        );
        assert_eq!(s.mechanism().unwrap(), Mechanism::Curve);
    } else {
        assert!(s.set_curve_server(true).is_err());
    }

    if zmq4::has("gssapi") {
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
    assert_eq!(s.sndhwm().unwrap(), Some(1000));
    assert_eq!(s.rcvhwm().unwrap(), Some(1000));
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
        if zmq4::has("vmci") {
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
    // Rejected before libzmq: a limit of nothing (None is no limit).
    assert_invalid(s.set_sndhwm(Some(-1)), "ZMQ_SNDHWM");
    assert_invalid(s.set_rcvhwm(Some(-1)), "ZMQ_RCVHWM");
    assert_invalid(s.set_sndhwm(Some(0)), "ZMQ_SNDHWM");
    assert_invalid(s.set_rcvhwm(Some(0)), "ZMQ_RCVHWM");
    // Rejected by libzmq.
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
    // SAFETY: refused before libzmq sees it.
    assert_invalid(unsafe { s.set_use_fd(Some(-3)) }, "ZMQ_USE_FD");

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
    assert_eq!(s.sndhwm().unwrap(), Some(1000));
    assert_eq!(s.rcvhwm().unwrap(), Some(1000));
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

#[cfg(feature = "draft")]
mod draft;

mod completeness;
mod hwm;
mod keys;
mod state;

#[cfg(unix)]
#[test]
fn use_fd_listens_on_a_listener_handed_over() {
    use std::os::fd::IntoRawFd;
    // What a service manager does: the listening socket exists before the
    // program, which hands it to libzmq.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let ctx = Context::new().unwrap();
    let pull = ctx.socket(SocketType::Pull).unwrap();
    pull.set_linger(Some(Duration::ZERO)).unwrap();
    pull.set_rcvtimeo(Some(Duration::from_secs(10))).unwrap();
    // SAFETY: a bound, listening TCP socket, given up by its owner
    // (into_raw_fd) and bound exactly once below, after which the option is
    // turned off again.
    unsafe { pull.set_use_fd(Some(listener.into_raw_fd())) }.unwrap();
    pull.bind(&format!("tcp://127.0.0.1:{port}")).unwrap();
    // SAFETY: None turns the option off.
    unsafe { pull.set_use_fd(None) }.unwrap();

    let push = ctx.socket(SocketType::Push).unwrap();
    push.set_linger(Some(Duration::ZERO)).unwrap();
    push.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
    push.send("through the inherited listener", SendFlags::empty())
        .unwrap();
    assert_eq!(
        pull.recv_bytes(RecvFlags::empty()).unwrap(),
        b"through the inherited listener"
    );
}
