//! Every socket option setter of the typed API, with any value, on any
//! socket type, in any order, interleaved with binds, connects, sends and
//! receives between two sockets (so that options meet the code that reads
//! them): nothing may panic, abort the process or reach undefined
//! behaviour. A setter may refuse a value; that is an `Err`, not a crash.
//!
//! Runs only in a network namespace of its own (ci/fuzz.sh): a SOCKS
//! proxy, an interface or an endpoint here may name any address.
#![no_main]
// The deprecated setters are options like the others.
#![allow(deprecated)]

use std::time::Duration;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zmq4::{
    CurveKey, CurveKeyPair, CurveSecretKey, GssapiNameType, Message, PollEvents, RecvFlags,
    SendFlags, Socket, SocketType,
};

#[derive(Arbitrary, Debug)]
enum Set {
    Affinity(u64),
    RoutingId(Vec<u8>),
    Subscribe(Vec<u8>),
    Unsubscribe(Vec<u8>),
    Rate(i32),
    RecoveryIvl(Duration),
    Sndbuf(Option<i32>),
    Rcvbuf(Option<i32>),
    Linger(Option<Duration>),
    ReconnectIvl(Option<Duration>),
    ReconnectIvlMax(Duration),
    Backlog(i32),
    Maxmsgsize(Option<i64>),
    Sndhwm(Option<i32>),
    Rcvhwm(Option<i32>),
    MulticastHops(i32),
    Rcvtimeo(Option<Duration>),
    Sndtimeo(Option<Duration>),
    Ipv6(bool),
    Immediate(bool),
    RouterMandatory(bool),
    RouterRaw(bool),
    ProbeRouter(bool),
    XpubVerbose(bool),
    XpubVerboser(bool),
    ReqCorrelate(bool),
    ReqRelaxed(bool),
    Conflate(bool),
    Tos(i32),
    RouterHandover(bool),
    ConnectRoutingId(Vec<u8>),
    HandshakeIvl(Duration),
    SocksProxy(String),
    XpubNodrop(bool),
    XpubManual(bool),
    XpubWelcomeMsg(Vec<u8>),
    StreamNotify(bool),
    InvertMatching(bool),
    HeartbeatIvl(Duration),
    HeartbeatTtl(Duration),
    HeartbeatTimeout(Duration),
    ConnectTimeout(Duration),
    TcpMaxrt(Duration),
    MulticastMaxtpdu(i32),
    VmciBufferSize(u64),
    VmciBufferMinSize(u64),
    VmciBufferMaxSize(u64),
    VmciConnectTimeout(Option<Duration>),
    TcpKeepalive(Option<bool>),
    TcpKeepaliveCnt(Option<i32>),
    TcpKeepaliveIdle(Option<Duration>),
    TcpKeepaliveIntvl(Option<Duration>),
    TcpAcceptFilter(Option<String>),
    IpcFilterGid(Option<u32>),
    IpcFilterPid(Option<i32>),
    IpcFilterUid(Option<u32>),
    Bindtodevice(String),
    PlainServer(bool),
    PlainUsername(String),
    PlainPassword(String),
    CurveServer(bool),
    CurvePublickey([u8; 32]),
    CurveSecretkey([u8; 32]),
    CurveServerkey([u8; 32]),
    ZapDomain(String),
    GssapiServer(bool),
    GssapiPrincipal(String),
    GssapiServicePrincipal(String),
    GssapiPlaintext(bool),
    GssapiPrincipalNametype(u8),
    GssapiServicePrincipalNametype(u8),
    MakeNull(String),
    MakePlainServer(String),
    MakePlainClient(String, String),
    MakeCurveServer(String, [u8; 32]),
    MakeCurveServerAllowAny([u8; 32]),
    MakeCurveClient([u8; 32], [u8; 32]),
    MakeGssapiServer(String, String),
    MakeGssapiClient(String, String),
    #[cfg(feature = "draft")]
    Draft(DraftSet),
}

#[cfg(feature = "draft")]
#[derive(Arbitrary, Debug)]
enum DraftSet {
    BusyPoll(bool),
    DisconnectMsg(Vec<u8>),
    HelloMsg(Vec<u8>),
    HiccupMsg(Vec<u8>),
    InBatchSize(i32),
    OutBatchSize(i32),
    LoopbackFastpath(bool),
    Metadata(String),
    MulticastLoop(bool),
    NormBlockSize(i32),
    NormBufferSize(i32),
    NormMode(u8),
    NormNumAutoparity(i32),
    NormNumParity(i32),
    NormPush(bool),
    NormSegmentSize(i32),
    NormUnicastNack(bool),
    OnlyFirstSubscribe(bool),
    Priority(i32),
    ReconnectStop(i32),
    RouterNotify(i32),
    SocksPassword(String),
    SocksUsername(String),
    WssCertPem(String),
    WssHostname(String),
    WssKeyPem(String),
    WssTrustPem(String),
    WssTrustSystem(bool),
    XpubManualLastValue(bool),
    XsubVerboseUnsubscribe(bool),
    ZapEnforceDomain(bool),
}

#[derive(Arbitrary, Debug)]
enum Act {
    /// Sets an option on the first socket (false) or the second (true).
    Set(bool, Set),
    /// The first socket binds a fresh endpoint of one of the transports;
    /// the second connects to it.
    Link(u8),
    Bind(bool, String),
    Connect(bool, String),
    Unbind(bool, String),
    Disconnect(bool, String),
    Send(bool, Vec<u8>, bool),
    Recv(bool),
    /// Waits up to this many milliseconds (at most 31) for the socket.
    Poll(bool, u8),
    Get(bool),
}

#[derive(Arbitrary, Debug)]
struct Case {
    first: u8,
    second: u8,
    acts: Vec<Act>,
}

fn name_type(n: u8) -> GssapiNameType {
    [
        GssapiNameType::HostBased,
        GssapiNameType::UserName,
        GssapiNameType::Krb5Principal,
    ][usize::from(n) % 3]
}

fn key_pair(secret: [u8; 32]) -> Option<CurveKeyPair> {
    CurveKeyPair::from_secret(CurveSecretKey::from_bytes(&secret).ok()?).ok()
}

fn set(s: &Socket<'_>, opt: &Set) -> zmq4::Result<()> {
    use Set::*;
    match opt {
        Affinity(v) => s.set_affinity(*v),
        RoutingId(v) => s.set_routing_id(v),
        Subscribe(v) => s.set_subscribe(v),
        Unsubscribe(v) => s.set_unsubscribe(v),
        Rate(v) => s.set_rate(*v),
        RecoveryIvl(v) => s.set_recovery_ivl(*v),
        Sndbuf(v) => s.set_sndbuf(*v),
        Rcvbuf(v) => s.set_rcvbuf(*v),
        Linger(v) => s.set_linger(*v),
        ReconnectIvl(v) => s.set_reconnect_ivl(*v),
        ReconnectIvlMax(v) => s.set_reconnect_ivl_max(*v),
        Backlog(v) => s.set_backlog(*v),
        Maxmsgsize(v) => s.set_maxmsgsize(*v),
        Sndhwm(v) => s.set_sndhwm(*v),
        Rcvhwm(v) => s.set_rcvhwm(*v),
        MulticastHops(v) => s.set_multicast_hops(*v),
        Rcvtimeo(v) => s.set_rcvtimeo(*v),
        Sndtimeo(v) => s.set_sndtimeo(*v),
        Ipv6(v) => s.set_ipv6(*v),
        Immediate(v) => s.set_immediate(*v),
        RouterMandatory(v) => s.set_router_mandatory(*v),
        RouterRaw(v) => s.set_router_raw(*v),
        ProbeRouter(v) => s.set_probe_router(*v),
        XpubVerbose(v) => s.set_xpub_verbose(*v),
        XpubVerboser(v) => s.set_xpub_verboser(*v),
        ReqCorrelate(v) => s.set_req_correlate(*v),
        ReqRelaxed(v) => s.set_req_relaxed(*v),
        Conflate(v) => s.set_conflate(*v),
        Tos(v) => s.set_tos(*v),
        RouterHandover(v) => s.set_router_handover(*v),
        ConnectRoutingId(v) => s.set_connect_routing_id(v),
        HandshakeIvl(v) => s.set_handshake_ivl(*v),
        SocksProxy(v) => s.set_socks_proxy(v),
        XpubNodrop(v) => s.set_xpub_nodrop(*v),
        XpubManual(v) => s.set_xpub_manual(*v),
        XpubWelcomeMsg(v) => s.set_xpub_welcome_msg(v),
        StreamNotify(v) => s.set_stream_notify(*v),
        InvertMatching(v) => s.set_invert_matching(*v),
        HeartbeatIvl(v) => s.set_heartbeat_ivl(*v),
        HeartbeatTtl(v) => s.set_heartbeat_ttl(*v),
        HeartbeatTimeout(v) => s.set_heartbeat_timeout(*v),
        ConnectTimeout(v) => s.set_connect_timeout(*v),
        TcpMaxrt(v) => s.set_tcp_maxrt(*v),
        MulticastMaxtpdu(v) => s.set_multicast_maxtpdu(*v),
        VmciBufferSize(v) => s.set_vmci_buffer_size(*v),
        VmciBufferMinSize(v) => s.set_vmci_buffer_min_size(*v),
        VmciBufferMaxSize(v) => s.set_vmci_buffer_max_size(*v),
        VmciConnectTimeout(v) => s.set_vmci_connect_timeout(*v),
        TcpKeepalive(v) => s.set_tcp_keepalive(*v),
        TcpKeepaliveCnt(v) => s.set_tcp_keepalive_cnt(*v),
        TcpKeepaliveIdle(v) => s.set_tcp_keepalive_idle(*v),
        TcpKeepaliveIntvl(v) => s.set_tcp_keepalive_intvl(*v),
        TcpAcceptFilter(v) => s.set_tcp_accept_filter(v.as_deref()),
        IpcFilterGid(v) => s.set_ipc_filter_gid(*v),
        IpcFilterPid(v) => s.set_ipc_filter_pid(*v),
        IpcFilterUid(v) => s.set_ipc_filter_uid(*v),
        Bindtodevice(v) => s.set_bindtodevice(v),
        PlainServer(v) => s.set_plain_server(*v),
        PlainUsername(v) => s.set_plain_username(v),
        PlainPassword(v) => s.set_plain_password(v),
        CurveServer(v) => s.set_curve_server(*v),
        CurvePublickey(v) => s.set_curve_publickey(&CurveKey::from_bytes(v)?),
        CurveSecretkey(v) => s.set_curve_secretkey(&CurveSecretKey::from_bytes(v)?),
        CurveServerkey(v) => s.set_curve_serverkey(&CurveKey::from_bytes(v)?),
        ZapDomain(v) => s.set_zap_domain(v),
        GssapiServer(v) => s.set_gssapi_server(*v),
        GssapiPrincipal(v) => s.set_gssapi_principal(v),
        GssapiServicePrincipal(v) => s.set_gssapi_service_principal(v),
        GssapiPlaintext(v) => s.set_gssapi_plaintext(*v),
        GssapiPrincipalNametype(v) => s.set_gssapi_principal_nametype(name_type(*v)),
        GssapiServicePrincipalNametype(v) => s.set_gssapi_service_principal_nametype(name_type(*v)),
        MakeNull(domain) => s.make_null(domain),
        MakePlainServer(domain) => s.make_plain_server(domain),
        MakePlainClient(user, password) => s.make_plain_client(user, password),
        MakeCurveServer(domain, secret) => match key_pair(*secret) {
            Some(keys) => s.make_curve_server(domain, &keys),
            None => Ok(()),
        },
        MakeCurveServerAllowAny(secret) => match key_pair(*secret) {
            Some(keys) => s.make_curve_server_allow_any(&keys),
            None => Ok(()),
        },
        MakeCurveClient(server, secret) => {
            match (CurveKey::from_bytes(server), key_pair(*secret)) {
                (Ok(server), Some(keys)) => s.make_curve_client(&server, &keys),
                _ => Ok(()),
            }
        }
        MakeGssapiServer(domain, principal) => s.make_gssapi_server(domain, principal),
        MakeGssapiClient(principal, service) => s.make_gssapi_client(principal, service),
        #[cfg(feature = "draft")]
        Draft(opt) => set_draft(s, opt),
    }
}

#[cfg(feature = "draft")]
fn set_draft(s: &Socket<'_>, opt: &DraftSet) -> zmq4::Result<()> {
    use zmq4::{NormMode, ReconnectStop, RouterNotify};
    use DraftSet::*;
    match opt {
        BusyPoll(v) => s.set_busy_poll(*v),
        DisconnectMsg(v) => s.set_disconnect_msg(v),
        HelloMsg(v) => s.set_hello_msg(v),
        HiccupMsg(v) => s.set_hiccup_msg(v),
        InBatchSize(v) => s.set_in_batch_size(*v),
        OutBatchSize(v) => s.set_out_batch_size(*v),
        LoopbackFastpath(v) => s.set_loopback_fastpath(*v),
        Metadata(v) => s.set_metadata(v),
        MulticastLoop(v) => s.set_multicast_loop(*v),
        NormBlockSize(v) => s.set_norm_block_size(*v),
        NormBufferSize(v) => s.set_norm_buffer_size(*v),
        NormMode(v) => s.set_norm_mode(
            [
                NormMode::Fixed,
                NormMode::Cc,
                NormMode::Ccl,
                NormMode::Cce,
                NormMode::CceEcnOnly,
            ][usize::from(*v) % 5],
        ),
        NormNumAutoparity(v) => s.set_norm_num_autoparity(*v),
        NormNumParity(v) => s.set_norm_num_parity(*v),
        NormPush(v) => s.set_norm_push(*v),
        NormSegmentSize(v) => s.set_norm_segment_size(*v),
        NormUnicastNack(v) => s.set_norm_unicast_nack(*v),
        OnlyFirstSubscribe(v) => s.set_only_first_subscribe(*v),
        Priority(v) => s.set_priority(*v),
        ReconnectStop(v) => s.set_reconnect_stop(ReconnectStop::from_bits_retain(*v)),
        RouterNotify(v) => s.set_router_notify(RouterNotify::from_bits_retain(*v)),
        SocksPassword(v) => s.set_socks_password(v),
        SocksUsername(v) => s.set_socks_username(v),
        WssCertPem(v) => s.set_wss_cert_pem(v),
        WssHostname(v) => s.set_wss_hostname(v),
        WssKeyPem(v) => s.set_wss_key_pem(v),
        WssTrustPem(v) => s.set_wss_trust_pem(v),
        WssTrustSystem(v) => s.set_wss_trust_system(*v),
        XpubManualLastValue(v) => s.set_xpub_manual_last_value(*v),
        XsubVerboseUnsubscribe(v) => s.set_xsub_verbose_unsubscribe(*v),
        ZapEnforceDomain(v) => s.set_zap_enforce_domain(*v),
    }
}

/// Every getter: each reads back what libzmq holds, whatever was set.
fn get_all(s: &Socket<'_>) {
    let _ = (
        s.affinity(),
        s.routing_id(),
        s.rate(),
        s.recovery_ivl(),
        s.sndbuf(),
        s.rcvbuf(),
    );
    let _ = (
        s.rcvmore(),
        s.fd(),
        s.events(),
        s.type_(),
        s.linger(),
        s.reconnect_ivl(),
    );
    let _ = (
        s.backlog(),
        s.reconnect_ivl_max(),
        s.maxmsgsize(),
        s.sndhwm(),
        s.rcvhwm(),
    );
    let _ = (
        s.multicast_hops(),
        s.rcvtimeo(),
        s.sndtimeo(),
        s.last_endpoint(),
    );
    let _ = (
        s.tcp_keepalive(),
        s.tcp_keepalive_cnt(),
        s.tcp_keepalive_idle(),
    );
    let _ = (
        s.tcp_keepalive_intvl(),
        s.immediate(),
        s.ipv6(),
        s.mechanism(),
    );
    let _ = (
        s.plain_server(),
        s.plain_username(),
        s.plain_password(),
        s.curve_server(),
    );
    let _ = (
        s.curve_publickey(),
        s.curve_secretkey(),
        s.curve_serverkey(),
        s.conflate(),
    );
    let _ = (
        s.zap_domain(),
        s.tos(),
        s.gssapi_server(),
        s.gssapi_principal(),
    );
    let _ = (
        s.gssapi_service_principal(),
        s.gssapi_plaintext(),
        s.handshake_ivl(),
    );
    let _ = (
        s.socks_proxy(),
        s.invert_matching(),
        s.heartbeat_ivl(),
        s.heartbeat_ttl(),
    );
    let _ = (
        s.heartbeat_timeout(),
        s.connect_timeout(),
        s.tcp_maxrt(),
        s.thread_safe(),
    );
    let _ = (
        s.multicast_maxtpdu(),
        s.use_fd(),
        s.gssapi_principal_nametype(),
    );
    let _ = (s.gssapi_service_principal_nametype(), s.bindtodevice());
    #[cfg(feature = "draft")]
    {
        let _ = (
            s.zap_enforce_domain(),
            s.loopback_fastpath(),
            s.multicast_loop(),
        );
        let _ = (s.router_notify(), s.socks_username(), s.socks_password());
        let _ = (
            s.in_batch_size(),
            s.out_batch_size(),
            s.reconnect_stop(),
            s.priority(),
        );
        let _ = (
            s.topics_count(),
            s.norm_mode(),
            s.norm_unicast_nack(),
            s.norm_buffer_size(),
        );
        let _ = (
            s.norm_segment_size(),
            s.norm_block_size(),
            s.norm_num_parity(),
        );
        let _ = (s.norm_num_autoparity(), s.norm_push());
    }
}

fn socket(ctx: &zmq4::Context, kind: u8) -> Option<Socket<'_>> {
    let kind = SocketType::ALL[usize::from(kind) % SocketType::ALL.len()];
    let s = ctx.socket(kind).ok()?;
    s.set_linger(Some(Duration::ZERO)).unwrap();
    Some(s)
}

fuzz_target!(|case: Case| {
    zmq4_fuzz::require_isolated_network();
    // A context per case (see zmq4_fuzz::case_context): its termination
    // at the end waits until both sockets are gone, inside this case.
    let ctx = zmq4_fuzz::case_context();
    let (Some(a), Some(b)) = (socket(&ctx, case.first), socket(&ctx, case.second)) else {
        return;
    };
    let pick = |second: bool| if second { &b } else { &a };
    // A use-after-free inside libzmq 4.3.5, found here: setting SNDHWM or
    // RCVHWM on a socket with connections makes update_pipe_options send
    // pipe_hwm to each pipe's peer, which may already be freed while a
    // connection ends (a failed handshake, say). The safe API refuses the
    // high-water marks once a socket has called bind or connect; the
    // harness checks that refusal after a bind or connect that succeeded
    // (a failed one may or may not have reached libzmq). A value that is
    // no limit at all (zero or less) is refused before the state is
    // looked at, as InvalidArgument; either way libzmq is not called.
    let mut linked = [false, false];
    for act in case.acts.iter().take(64) {
        match act {
            Act::Set(which, opt @ (Set::Sndhwm(v) | Set::Rcvhwm(v)))
                if linked[usize::from(*which)] =>
            {
                let err = set(pick(*which), opt).expect_err("a high-water mark after bind/connect");
                let expected = match v {
                    Some(n) if *n <= 0 => zmq4::ErrorKind::InvalidArgument,
                    _ => zmq4::ErrorKind::InvalidState,
                };
                assert_eq!(err.kind(), expected, "{err:?}");
            }
            Act::Set(which, opt) => {
                let _ = set(pick(*which), opt);
            }
            Act::Link(transport) => {
                let endpoint = match transport % 4 {
                    0 => format!("inproc://fuzz-{}", zmq4_fuzz::unique()),
                    1 => format!(
                        "ipc://@zmq4-fuzz-{}-{}",
                        std::process::id(),
                        zmq4_fuzz::unique()
                    ),
                    2 => "tcp://127.0.0.1:*".to_owned(),
                    _ => "tcp://[::1]:*".to_owned(),
                };
                if a.bind(&endpoint).is_ok() {
                    linked[0] = true;
                    if let Ok(bound) = a.last_endpoint() {
                        linked[1] |= b.connect(&bound).is_ok();
                    }
                }
            }
            Act::Bind(which, e) if zmq4_fuzz::harmless_endpoints(e) => {
                linked[usize::from(*which)] |= pick(*which).bind(e).is_ok();
            }
            Act::Connect(which, e) if zmq4_fuzz::harmless_endpoints(e) => {
                linked[usize::from(*which)] |= pick(*which).connect(e).is_ok();
            }
            Act::Unbind(which, e) => {
                let _ = pick(*which).unbind(e);
            }
            Act::Disconnect(which, e) => {
                let _ = pick(*which).disconnect(e);
            }
            Act::Send(which, data, more) => {
                let flags = if *more {
                    SendFlags::DONTWAIT | SendFlags::SNDMORE
                } else {
                    SendFlags::DONTWAIT
                };
                let _ = pick(*which).send_msg(Message::from(data.clone()), flags);
            }
            Act::Recv(which) => {
                let _ = pick(*which).recv_msg(RecvFlags::DONTWAIT);
            }
            Act::Poll(which, ms) => {
                let wait = Duration::from_millis(u64::from(ms % 32));
                let _ = pick(*which).poll(PollEvents::POLLIN | PollEvents::POLLOUT, Some(wait));
            }
            Act::Get(which) => get_all(pick(*which)),
            _ => {}
        }
    }
    // A case may have set an infinite linger (Linger(None)) with messages
    // that no peer will take: terminating the context would then wait for
    // ever, as libzmq documents. Linger 0 before closing.
    for s in [&a, &b] {
        let _ = s.set_linger(Some(Duration::ZERO));
    }
    drop((a, b));
    drop(ctx);
});
