//! The table of the stable socket options, in the order of zmq.h, then
//! the deprecated ones that still work.
//!
//! Left out on purpose: `ZMQ_BLOCKY` (a context option, despite its place
//! in zmq.h), `ZMQ_IPV4ONLY` (deprecated; the inverse of `ZMQ_IPV6`, which
//! carries its alias), and the other deprecated names that are aliases of
//! options below (`ZMQ_IDENTITY`, `ZMQ_CONNECT_RID`,
//! `ZMQ_DELAY_ATTACH_ON_CONNECT`, `ZMQ_FAIL_UNROUTABLE`,
//! `ZMQ_ROUTER_BEHAVIOR`), which are doc aliases of those options.

use std::time::Duration;

use super::codec;
use super::values::*;
use crate::key::{CurveKey, CurveSecretKey};
use crate::socket::{Socket, SocketType};

socket_options! {
    /// the I/O threads that handle the socket's new connections, as a
    /// bitmask (bit *n* is thread *n* of the context). Zero, the default,
    /// lets libzmq choose.
    ZMQ_AFFINITY "ZMQ_AFFINITY" = Int {
        affinity() -> u64;
        set_affinity(u64);
    }

    /// the name a ROUTER peer knows this socket by: 1 to 255 bytes, not
    /// starting with a zero byte (those are for ROUTER's own ids). Set it
    /// before connecting. Empty by default (the ROUTER makes one up).
    #[doc(alias = "ZMQ_IDENTITY")]
    ZMQ_ROUTING_ID "ZMQ_ROUTING_ID" = Bytes {
        routing_id() -> Vec<u8>;
        set_routing_id(impl AsRef<[u8]>);
    }

    /// subscribes to messages that start with the given prefix; the empty
    /// prefix subscribes to everything. SUB sockets (and XPUB with
    /// `ZMQ_XPUB_MANUAL`); a SUB receives nothing until it subscribes.
    ///
    /// ```
    /// # let ctx = zmq4::Context::new()?;
    /// let sub = ctx.socket(zmq4::SocketType::Sub)?;
    /// sub.set_subscribe("weather.")?;
    /// sub.set_subscribe(b"\x01binary")?;
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    ZMQ_SUBSCRIBE "ZMQ_SUBSCRIBE" = Bytes {
        set_subscribe(impl AsRef<[u8]>);
    }

    /// removes one subscription made with
    /// [`set_subscribe`](Socket::set_subscribe) with the same prefix.
    ZMQ_UNSUBSCRIBE "ZMQ_UNSUBSCRIBE" = Bytes {
        set_unsubscribe(impl AsRef<[u8]>);
    }

    /// the maximum send rate of multicast transports (PGM, EPGM, NORM),
    /// in kilobits per second; more than zero. Default 100.
    ZMQ_RATE "ZMQ_RATE" = Int {
        rate() -> i32;
        set_rate(i32);
    }

    /// how long a multicast receiver may be absent and still recover the
    /// data it missed. Default 10 s.
    ZMQ_RECOVERY_IVL "ZMQ_RECOVERY_IVL" = Millis {
        recovery_ivl() -> Duration;
        set_recovery_ivl(Duration);
    }

    /// the kernel send buffer size of the socket's connections, in
    /// bytes. `None`, the default, leaves the OS default.
    ZMQ_SNDBUF "ZMQ_SNDBUF" = OptInt {
        sndbuf() -> Option<i32>;
        set_sndbuf(Option<i32>);
    }

    /// the kernel receive buffer size of the socket's connections, in
    /// bytes. `None`, the default, leaves the OS default.
    ZMQ_RCVBUF "ZMQ_RCVBUF" = OptInt {
        rcvbuf() -> Option<i32>;
        set_rcvbuf(Option<i32>);
    }

    /// whether the last message part received is followed by more parts
    /// of the same message.
    ZMQ_RCVMORE "ZMQ_RCVMORE" = Bool {
        rcvmore() -> bool;
    }

    /// the file descriptor that becomes readable when the socket's
    /// [`events`](Socket::events) may have changed (edge-triggered), for
    /// event loops. Never read from or write to it. Thread-safe DRAFT
    /// socket types have none.
    #[cfg(unix)]
    ZMQ_FD "ZMQ_FD" = Fd {
        fd() -> std::os::fd::RawFd;
    }

    /// the socket handle that becomes readable when the socket's
    /// [`events`](Socket::events) may have changed (edge-triggered), for
    /// event loops. Never read from or write to it. Thread-safe DRAFT
    /// socket types have none.
    #[cfg(windows)]
    ZMQ_FD "ZMQ_FD" = Fd {
        fd() -> std::os::windows::io::RawSocket;
    }

    /// whether a message can be received ([`PollEvents::POLLIN`]) or
    /// sent ([`PollEvents::POLLOUT`]) now without blocking.
    ///
    /// ```
    /// use zmq4::{PollEvents, SocketType};
    /// # let ctx = zmq4::Context::new()?;
    /// let publisher = ctx.socket(SocketType::Pub)?;
    /// assert_eq!(publisher.events()?, PollEvents::POLLOUT);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    ZMQ_EVENTS "ZMQ_EVENTS" = Typed {
        events() -> PollEvents;
    }

    /// the socket's type, as libzmq reports it. [`Socket::socket_type`]
    /// gives the same without a call into libzmq.
    ZMQ_TYPE "ZMQ_TYPE" = Typed {
        type_() -> SocketType;
    }

    /// how long messages not yet sent are kept after the socket is
    /// closed: `None` waits until they are sent, zero drops them at once.
    /// The default is `None`, unless the context's `ZMQ_BLOCKY` is off (then
    /// zero).
    ZMQ_LINGER "ZMQ_LINGER" = OptMillis {
        linger() -> Option<Duration>;
        set_linger(Option<Duration>);
    }

    /// how long to wait before reconnecting a lost or refused
    /// connection. `None` never reconnects. Default 100 ms.
    ZMQ_RECONNECT_IVL "ZMQ_RECONNECT_IVL" = OptMillis {
        reconnect_ivl() -> Option<Duration>;
        set_reconnect_ivl(Option<Duration>);
    }

    /// the maximum number of pending connections on a listening socket
    /// (the `listen` backlog). Default 100.
    ZMQ_BACKLOG "ZMQ_BACKLOG" = Int {
        backlog() -> i32;
        set_backlog(i32);
    }

    /// the upper bound of the reconnection interval, which doubles after
    /// each failed attempt up to it. Zero, the default, keeps the interval
    /// at `ZMQ_RECONNECT_IVL`.
    ZMQ_RECONNECT_IVL_MAX "ZMQ_RECONNECT_IVL_MAX" = Millis {
        reconnect_ivl_max() -> Duration;
        set_reconnect_ivl_max(Duration);
    }

    /// the largest inbound message accepted, in bytes; a peer that sends
    /// a larger one is disconnected. `None`, the default, means no limit.
    ZMQ_MAXMSGSIZE "ZMQ_MAXMSGSIZE" = OptInt {
        maxmsgsize() -> Option<i64>;
        set_maxmsgsize(Option<i64>);
    }

    /// the high-water mark for outbound messages: how many messages are
    /// queued per peer before sending blocks or drops (as the socket type
    /// says). `None` means no limit. Default `Some(1000)`.
    ///
    /// Set it before the socket's first [`bind`](Socket::bind) or
    /// [`connect`](Socket::connect): afterwards (and on a socket from
    /// [`from_raw`](Socket::from_raw)) the call fails with
    /// [`ErrorKind::InvalidState`](crate::ErrorKind::InvalidState) and
    /// libzmq is not called. libzmq 4.3 hands a new value to every
    /// connection of the socket, one that is ending too, whose other end
    /// may already be freed: a use-after-free (docs/libzmq-asserts.md, D1).
    ///
    /// ```
    /// # let ctx = zmq4::Context::new()?;
    /// let publisher = ctx.socket(zmq4::SocketType::Pub)?;
    /// assert_eq!(publisher.sndhwm()?, Some(1000));
    /// publisher.set_sndhwm(None)?; // queue without limit: nothing dropped
    /// assert_eq!(publisher.sndhwm()?, None);
    /// publisher.bind("inproc://weather")?;
    /// assert!(publisher.set_sndhwm(Some(10)).is_err()); // too late
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    ZMQ_SNDHWM "ZMQ_SNDHWM" = Limit {
        sndhwm() -> Option<i32>;
        set_sndhwm(Option<i32>);
    }

    /// the high-water mark for inbound messages: how many messages are
    /// queued per peer before the socket stops reading from it. `None`
    /// means no limit. Default `Some(1000)`.
    ///
    /// Like [`set_sndhwm`](Socket::set_sndhwm), set it before the socket's
    /// first bind or connect: afterwards the call fails with
    /// [`ErrorKind::InvalidState`](crate::ErrorKind::InvalidState).
    ZMQ_RCVHWM "ZMQ_RCVHWM" = Limit {
        rcvhwm() -> Option<i32>;
        set_rcvhwm(Option<i32>);
    }

    /// the time-to-live of multicast packets, in network hops; more than
    /// zero. Default 1 (the local network).
    ZMQ_MULTICAST_HOPS "ZMQ_MULTICAST_HOPS" = Int {
        multicast_hops() -> i32;
        set_multicast_hops(i32);
    }

    /// how long a receive waits before failing with
    /// [`ErrorKind::TimedOut`](crate::ErrorKind::TimedOut). `None`,
    /// the default, waits forever; zero returns at once.
    ZMQ_RCVTIMEO "ZMQ_RCVTIMEO" = OptMillis {
        rcvtimeo() -> Option<Duration>;
        set_rcvtimeo(Option<Duration>);
    }

    /// how long a send waits before failing with
    /// [`ErrorKind::TimedOut`](crate::ErrorKind::TimedOut). `None`,
    /// the default, waits forever; zero returns at once.
    ZMQ_SNDTIMEO "ZMQ_SNDTIMEO" = OptMillis {
        sndtimeo() -> Option<Duration>;
        set_sndtimeo(Option<Duration>);
    }

    /// the endpoint of the last successful bind or connect, with wildcard
    /// ports and addresses resolved (`tcp://127.0.0.1:*` gives the port
    /// chosen). Empty before the first.
    ///
    /// ```
    /// # let ctx = zmq4::Context::new()?;
    /// let rep = ctx.socket(zmq4::SocketType::Rep)?;
    /// rep.bind("tcp://127.0.0.1:*")?;
    /// let endpoint = rep.last_endpoint()?;
    /// assert!(endpoint.starts_with("tcp://127.0.0.1:"));
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    ZMQ_LAST_ENDPOINT "ZMQ_LAST_ENDPOINT" = Str {
        last_endpoint() -> String;
    }

    /// whether a ROUTER fails a send to an unknown routing id with
    /// [`ErrorKind::HostUnreachable`](crate::ErrorKind::HostUnreachable)
    /// (and blocks or fails with `WouldBlock` at the high-water mark)
    /// instead of dropping the message silently. Default `false`.
    #[doc(alias("ZMQ_FAIL_UNROUTABLE", "ZMQ_ROUTER_BEHAVIOR"))]
    ZMQ_ROUTER_MANDATORY "ZMQ_ROUTER_MANDATORY" = Bool {
        set_router_mandatory(bool);
    }

    /// whether TCP keepalive (`SO_KEEPALIVE`) is on; `None`, the
    /// default, leaves the OS default.
    ZMQ_TCP_KEEPALIVE "ZMQ_TCP_KEEPALIVE" = OptBool {
        tcp_keepalive() -> Option<bool>;
        set_tcp_keepalive(Option<bool>);
    }

    /// how many unanswered keepalive probes close a TCP connection
    /// (`TCP_KEEPCNT`). `None`, the default, leaves the OS default.
    ZMQ_TCP_KEEPALIVE_CNT "ZMQ_TCP_KEEPALIVE_CNT" = OptInt {
        tcp_keepalive_cnt() -> Option<i32>;
        set_tcp_keepalive_cnt(Option<i32>);
    }

    /// how long a TCP connection is idle before keepalive probes start
    /// (`TCP_KEEPIDLE`). `None`, the default, leaves the OS default.
    ZMQ_TCP_KEEPALIVE_IDLE "ZMQ_TCP_KEEPALIVE_IDLE" = OptSecs {
        tcp_keepalive_idle() -> Option<Duration>;
        set_tcp_keepalive_idle(Option<Duration>);
    }

    /// the interval between TCP keepalive probes (`TCP_KEEPINTVL`).
    /// `None`, the default, leaves the OS default.
    ZMQ_TCP_KEEPALIVE_INTVL "ZMQ_TCP_KEEPALIVE_INTVL" = OptSecs {
        tcp_keepalive_intvl() -> Option<Duration>;
        set_tcp_keepalive_intvl(Option<Duration>);
    }

    /// whether messages are queued only to peers whose connection is
    /// complete, so that sends block (or fail) while there are none rather
    /// than queueing for peers that may never come. Default `false`.
    #[doc(alias = "ZMQ_DELAY_ATTACH_ON_CONNECT")]
    ZMQ_IMMEDIATE "ZMQ_IMMEDIATE" = Bool {
        immediate() -> bool;
        set_immediate(bool);
    }

    /// whether an XPUB passes every subscription message to the
    /// application, not only new ones. Default `false`.
    ZMQ_XPUB_VERBOSE "ZMQ_XPUB_VERBOSE" = Bool {
        set_xpub_verbose(bool);
    }

    /// whether a ROUTER works in raw mode: plain TCP without ZMTP, one
    /// routing-id frame then data. Prefer a STREAM socket. Default `false`.
    ZMQ_ROUTER_RAW "ZMQ_ROUTER_RAW" = Bool {
        set_router_raw(bool);
    }

    /// whether TCP endpoints may use IPv6 (and names resolve to IPv6
    /// addresses); `false`, the default, is IPv4 only. The deprecated
    /// `ZMQ_IPV4ONLY` is its inverse.
    #[doc(alias = "ZMQ_IPV4ONLY")]
    ZMQ_IPV6 "ZMQ_IPV6" = Bool {
        ipv6() -> bool;
        set_ipv6(bool);
    }

    /// the security mechanism the socket uses, chosen by the last
    /// security option set. Default [`Mechanism::Null`].
    ZMQ_MECHANISM "ZMQ_MECHANISM" = Typed {
        mechanism() -> Mechanism;
    }

    /// whether the socket is a PLAIN server (it checks user names and
    /// passwords through ZAP). Setting it chooses the PLAIN mechanism;
    /// `false` goes back to NULL. Default `false`.
    ZMQ_PLAIN_SERVER "ZMQ_PLAIN_SERVER" = Bool {
        plain_server() -> bool;
        set_plain_server(bool);
    }

    /// the user name a PLAIN client sends (at most 255 bytes). Setting
    /// it makes the socket a PLAIN client; the empty string goes back to
    /// the NULL mechanism.
    ZMQ_PLAIN_USERNAME "ZMQ_PLAIN_USERNAME" = Str {
        plain_username() -> String;
        set_plain_username(&str);
    }

    /// the password a PLAIN client sends (at most 255 bytes). Setting it
    /// makes the socket a PLAIN client; the empty string goes back to the
    /// NULL mechanism.
    ZMQ_PLAIN_PASSWORD "ZMQ_PLAIN_PASSWORD" = Str {
        plain_password() -> String;
        set_plain_password(&str);
    }

    /// whether the socket is a CURVE server, which needs its secret key
    /// (`ZMQ_CURVE_SECRETKEY`). Setting it chooses the CURVE mechanism;
    /// `false` goes back to NULL. Default `false`. Needs a libzmq with
    /// CURVE.
    ZMQ_CURVE_SERVER "ZMQ_CURVE_SERVER" = Bool {
        curve_server() -> bool;
        set_curve_server(bool);
    }

    /// the socket's long-term CURVE public key (a client's; a server
    /// needs only its secret key). Setting it chooses the CURVE mechanism.
    /// Needs a libzmq with CURVE.
    ZMQ_CURVE_PUBLICKEY "ZMQ_CURVE_PUBLICKEY" = Key {
        curve_publickey() -> CurveKey;
        set_curve_publickey(&CurveKey);
    }

    /// the socket's long-term CURVE secret key (a [`CurveSecretKey`],
    /// never a public [`CurveKey`]). Setting it chooses the CURVE
    /// mechanism. Needs a libzmq with CURVE.
    ZMQ_CURVE_SECRETKEY "ZMQ_CURVE_SECRETKEY" = SecretKey {
        curve_secretkey() -> CurveSecretKey;
        set_curve_secretkey(&CurveSecretKey);
    }

    /// the public key of the CURVE server a client connects to. Setting
    /// it makes the socket a CURVE client. Needs a libzmq with CURVE.
    ZMQ_CURVE_SERVERKEY "ZMQ_CURVE_SERVERKEY" = Key {
        curve_serverkey() -> CurveKey;
        set_curve_serverkey(&CurveKey);
    }

    /// whether a ROUTER, DEALER or REQ sends an empty message to each peer
    /// when the connection is made, so a ROUTER peer learns its routing id
    /// at once. Default `false`.
    ZMQ_PROBE_ROUTER "ZMQ_PROBE_ROUTER" = Bool {
        set_probe_router(bool);
    }

    /// whether a REQ adds a request id to each request and drops replies
    /// that do not carry the id of the last one. Default `false`.
    ZMQ_REQ_CORRELATE "ZMQ_REQ_CORRELATE" = Bool {
        set_req_correlate(bool);
    }

    /// whether a REQ may send a new request without waiting for the reply
    /// to the last one (which is then dropped). Usually with
    /// `ZMQ_REQ_CORRELATE`. Default `false`.
    ZMQ_REQ_RELAXED "ZMQ_REQ_RELAXED" = Bool {
        set_req_relaxed(bool);
    }

    /// whether only the last message is kept in the queues (older ones are
    /// dropped); multipart messages are not supported then. PUSH, PULL,
    /// PUB, SUB and DEALER. Default `false`.
    ZMQ_CONFLATE "ZMQ_CONFLATE" = Bool {
        conflate() -> bool;
        set_conflate(bool);
    }

    /// the ZAP authentication domain of the socket (at most 255 bytes).
    /// Empty by default, and libzmq refuses to set it back to empty.
    ZMQ_ZAP_DOMAIN "ZMQ_ZAP_DOMAIN" = Str {
        zap_domain() -> String;
        set_zap_domain(&str);
    }

    /// whether a ROUTER lets a new peer that claims a routing id already
    /// connected take it over (the old connection is closed). By default
    /// the new peer is refused.
    ZMQ_ROUTER_HANDOVER "ZMQ_ROUTER_HANDOVER" = Bool {
        set_router_handover(bool);
    }

    /// the IP type-of-service (DSCP and ECN) byte of outgoing packets
    /// (`IP_TOS`); non-negative. Default 0.
    ZMQ_TOS "ZMQ_TOS" = Int {
        tos() -> i32;
        set_tos(i32);
    }

    /// whether the socket is a GSSAPI server. Setting it chooses the
    /// GSSAPI mechanism. Default `false`. Needs a libzmq with GSSAPI.
    ZMQ_GSSAPI_SERVER "ZMQ_GSSAPI_SERVER" = Bool {
        gssapi_server() -> bool;
        set_gssapi_server(bool);
    }

    /// the name of the socket's own GSSAPI principal (at most 255 bytes).
    /// Setting it chooses the GSSAPI mechanism. Needs a libzmq with GSSAPI.
    ZMQ_GSSAPI_PRINCIPAL "ZMQ_GSSAPI_PRINCIPAL" = Str {
        gssapi_principal() -> String;
        set_gssapi_principal(&str);
    }

    /// the name of the GSSAPI principal of the server a client connects
    /// to (at most 255 bytes). Setting it makes the socket a GSSAPI
    /// client. Needs a libzmq with GSSAPI.
    ZMQ_GSSAPI_SERVICE_PRINCIPAL "ZMQ_GSSAPI_SERVICE_PRINCIPAL" = Str {
        gssapi_service_principal() -> String;
        set_gssapi_service_principal(&str);
    }

    /// whether GSSAPI leaves messages unencrypted (authentication only).
    /// Default `false`. Needs a libzmq with GSSAPI.
    ZMQ_GSSAPI_PLAINTEXT "ZMQ_GSSAPI_PLAINTEXT" = Bool {
        gssapi_plaintext() -> bool;
        set_gssapi_plaintext(bool);
    }

    /// the longest a connection may take to complete the ZMTP handshake
    /// (security included) before it is closed. Zero means no limit.
    /// Default 30 s.
    ZMQ_HANDSHAKE_IVL "ZMQ_HANDSHAKE_IVL" = Millis {
        handshake_ivl() -> Duration;
        set_handshake_ivl(Duration);
    }

    /// the SOCKS5 proxy that TCP connections go through, as `host:port`.
    /// Not set (empty) by default; the empty string unsets it.
    ZMQ_SOCKS_PROXY "ZMQ_SOCKS_PROXY" = Str {
        socks_proxy() -> String;
        set_socks_proxy(&str);
    }

    /// whether an XPUB (or PUB) at its send high-water mark fails sends
    /// with [`ErrorKind::WouldBlock`](crate::ErrorKind::WouldBlock)
    /// instead of dropping messages. Default `false`.
    ZMQ_XPUB_NODROP "ZMQ_XPUB_NODROP" = Bool {
        set_xpub_nodrop(bool);
    }

    /// whether an XPUB leaves subscriptions to the application: it
    /// receives them as messages and subscribes the peer that sent the
    /// last one with [`set_subscribe`](Socket::set_subscribe). Default
    /// `false`.
    ZMQ_XPUB_MANUAL "ZMQ_XPUB_MANUAL" = Bool {
        set_xpub_manual(bool);
    }

    /// the message an XPUB sends to each new subscriber. The empty message
    /// (the default) sends none.
    ZMQ_XPUB_WELCOME_MSG "ZMQ_XPUB_WELCOME_MSG" = Bytes {
        set_xpub_welcome_msg(impl AsRef<[u8]>);
    }

    /// whether a STREAM reports connections and disconnections as empty
    /// messages from the peer. Default `true`.
    ZMQ_STREAM_NOTIFY "ZMQ_STREAM_NOTIFY" = Bool {
        set_stream_notify(bool);
    }

    /// whether subscriptions work the other way round: PUB and XPUB send
    /// a message to peers whose subscriptions do not match, SUB receives
    /// messages that match none of its. Set it on both sides. Default
    /// `false`.
    ZMQ_INVERT_MATCHING "ZMQ_INVERT_MATCHING" = Bool {
        invert_matching() -> bool;
        set_invert_matching(bool);
    }

    /// the interval between ZMTP heartbeats (PING commands) on each
    /// connection. Zero, the default, sends none.
    ZMQ_HEARTBEAT_IVL "ZMQ_HEARTBEAT_IVL" = Millis {
        heartbeat_ivl() -> Duration;
        set_heartbeat_ivl(Duration);
    }

    /// how long the peer may go without traffic before it closes the
    /// connection, sent to it with each heartbeat. libzmq keeps it in
    /// tenths of a second (rounded down; at most 6553.5 s). Zero, the
    /// default, sets none.
    ZMQ_HEARTBEAT_TTL "ZMQ_HEARTBEAT_TTL" = Millis {
        heartbeat_ttl() -> Duration;
        set_heartbeat_ttl(Duration);
    }

    /// how long to wait for any traffic after a heartbeat before closing
    /// the connection. The getter gives `None` while it is not set; it then
    /// follows `ZMQ_HEARTBEAT_IVL`.
    ZMQ_HEARTBEAT_TIMEOUT "ZMQ_HEARTBEAT_TIMEOUT" = Millis {
        heartbeat_timeout() -> Option<Duration>;
        set_heartbeat_timeout(Duration);
    }

    /// whether an XPUB passes every subscription and unsubscription
    /// message to the application, not only those that change its set.
    /// Default `false`.
    ZMQ_XPUB_VERBOSER "ZMQ_XPUB_VERBOSER" = Bool {
        set_xpub_verboser(bool);
    }

    /// how long a TCP `connect` may take before it is abandoned (and
    /// retried). Zero, the default, leaves it to the OS.
    ZMQ_CONNECT_TIMEOUT "ZMQ_CONNECT_TIMEOUT" = Millis {
        connect_timeout() -> Duration;
        set_connect_timeout(Duration);
    }

    /// how long unacknowledged TCP data is retransmitted before the
    /// connection is dropped (`TCP_USER_TIMEOUT`). Zero, the default,
    /// leaves it to the OS.
    ZMQ_TCP_MAXRT "ZMQ_TCP_MAXRT" = Millis {
        tcp_maxrt() -> Duration;
        set_tcp_maxrt(Duration);
    }

    /// whether the socket may be used from several threads at once (only
    /// the thread-safe DRAFT types: SERVER, CLIENT, RADIO, DISH, ...).
    ZMQ_THREAD_SAFE "ZMQ_THREAD_SAFE" = Bool {
        thread_safe() -> bool;
    }

    /// the largest transport data unit of multicast transports, in bytes;
    /// more than zero. Default 1500.
    ZMQ_MULTICAST_MAXTPDU "ZMQ_MULTICAST_MAXTPDU" = Int {
        multicast_maxtpdu() -> i32;
        set_multicast_maxtpdu(i32);
    }

    /// the buffer size of VMCI connections, in bytes. Needs a libzmq with
    /// VMCI; libzmq 4.3 cannot report it back.
    ZMQ_VMCI_BUFFER_SIZE "ZMQ_VMCI_BUFFER_SIZE" = Int {
        set_vmci_buffer_size(u64);
    }

    /// the minimum buffer size of VMCI connections, in bytes. Needs a
    /// libzmq with VMCI; libzmq 4.3 cannot report it back.
    ZMQ_VMCI_BUFFER_MIN_SIZE "ZMQ_VMCI_BUFFER_MIN_SIZE" = Int {
        set_vmci_buffer_min_size(u64);
    }

    /// the maximum buffer size of VMCI connections, in bytes. Needs a
    /// libzmq with VMCI; libzmq 4.3 cannot report it back.
    ZMQ_VMCI_BUFFER_MAX_SIZE "ZMQ_VMCI_BUFFER_MAX_SIZE" = Int {
        set_vmci_buffer_max_size(u64);
    }

    /// how long a VMCI `connect` may take; `None`, the default, leaves it
    /// to the system. Needs a libzmq with VMCI; libzmq 4.3 cannot report
    /// it back.
    ZMQ_VMCI_CONNECT_TIMEOUT "ZMQ_VMCI_CONNECT_TIMEOUT" = OptMillis {
        set_vmci_connect_timeout(Option<Duration>);
    }

    /// a listening socket (TCP or IPC) already created, bound and
    /// listening, that the next [`bind`](Socket::bind) uses instead of
    /// making one. `None`, the default, makes one. On Windows the value is
    /// a `SOCKET`, which libzmq stores as a C `int`. Set it with
    /// [`set_use_fd`](Socket::set_use_fd), which is `unsafe`.
    ZMQ_USE_FD "ZMQ_USE_FD" = OptInt {
        use_fd() -> Option<i32>;
    }

    /// how the name of `ZMQ_GSSAPI_PRINCIPAL` is read. Default
    /// [`GssapiNameType::HostBased`]. Needs a libzmq with GSSAPI.
    ZMQ_GSSAPI_PRINCIPAL_NAMETYPE "ZMQ_GSSAPI_PRINCIPAL_NAMETYPE" = Typed {
        gssapi_principal_nametype() -> GssapiNameType;
        set_gssapi_principal_nametype(GssapiNameType);
    }

    /// how the name of `ZMQ_GSSAPI_SERVICE_PRINCIPAL` is read. Default
    /// [`GssapiNameType::HostBased`]. Needs a libzmq with GSSAPI.
    ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE "ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE" = Typed {
        gssapi_service_principal_nametype() -> GssapiNameType;
        set_gssapi_service_principal_nametype(GssapiNameType);
    }

    /// the network interface or VRF that TCP and UDP connections are
    /// bound to (`SO_BINDTODEVICE`; at most 15 bytes). Using it needs
    /// `CAP_NET_RAW`. Not set (empty) by default; the empty string unsets
    /// it.
    ZMQ_BINDTODEVICE "ZMQ_BINDTODEVICE" = Str {
        bindtodevice() -> String;
        set_bindtodevice(&str);
    }

    // ---- Deprecated by libzmq, still working in 4.3. ----

    /// adds an address range allowed to connect to a TCP listener
    /// (`"192.168.1.0/24"`, `"::1"`...); once one is set, others are
    /// refused. `None` clears the list. Set it before binding.
    #[deprecated(note = "deprecated by libzmq; use a ZAP handler")]
    ZMQ_TCP_ACCEPT_FILTER "ZMQ_TCP_ACCEPT_FILTER" = StrList {
        set_tcp_accept_filter(Option<&str>);
    }

    /// adds a process id allowed to connect to an IPC listener; once one
    /// is set, others are refused. `None` clears the set. Linux only.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[deprecated(note = "deprecated by libzmq; use a ZAP handler")]
    ZMQ_IPC_FILTER_PID "ZMQ_IPC_FILTER_PID" = IdList {
        set_ipc_filter_pid(Option<i32>);
    }

    /// adds a user id allowed to connect to an IPC listener; once one is
    /// set, others are refused. `None` clears the set. Unix systems with
    /// peer credentials (Linux, the BSDs, macOS).
    #[cfg(unix)]
    #[deprecated(note = "deprecated by libzmq; use a ZAP handler")]
    ZMQ_IPC_FILTER_UID "ZMQ_IPC_FILTER_UID" = IdList {
        set_ipc_filter_uid(Option<u32>);
    }

    /// adds a group id allowed to connect to an IPC listener; once one is
    /// set, others are refused. `None` clears the set. Unix systems with
    /// peer credentials (Linux, the BSDs, macOS).
    #[cfg(unix)]
    #[deprecated(note = "deprecated by libzmq; use a ZAP handler")]
    ZMQ_IPC_FILTER_GID "ZMQ_IPC_FILTER_GID" = IdList {
        set_ipc_filter_gid(Option<u32>);
    }
}
