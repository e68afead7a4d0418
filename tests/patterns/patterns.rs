//! Every valid pairing of socket types exchanges a single-part and a
//! multipart message over every transport (inproc, ipc on Unix, tcp).
//!
//! One table lists the pairings; each row names the socket that binds, the
//! one that connects, and the exchange that proves the pattern works.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::support::*;
use zmq4::{Attach, Context, ErrorKind, Message, RecvFlags, SendFlags, Socket, SocketType};

const NONE: SendFlags = SendFlags::empty();
const WAIT: RecvFlags = RecvFlags::empty();

#[derive(Debug, Clone, Copy, PartialEq)]
enum Transport {
    Inproc,
    #[cfg(unix)]
    Ipc,
    Tcp,
}

/// The peer that connects: a libzmq socket, or a plain TCP stream for
/// STREAM.
#[derive(Debug, Clone, Copy)]
enum Peer {
    Zmq(SocketType),
    RawTcp,
}

/// One pairing: `exchange(bound, connected)` runs once both are wired.
struct Row {
    bind: SocketType,
    connect: Peer,
    exchange: fn(&Socket<'_>, &Socket<'_>),
}

/// A STREAM row is driven by its own function (its peer is no libzmq
/// socket), so it has no exchange of its own.
fn unused(_: &Socket<'_>, _: &Socket<'_>) {}

const ROWS: &[Row] = &[
    Row {
        bind: SocketType::Pair,
        connect: Peer::Zmq(SocketType::Pair),
        exchange: pair_pair,
    },
    Row {
        bind: SocketType::Pub,
        connect: Peer::Zmq(SocketType::Sub),
        exchange: pub_sub,
    },
    Row {
        bind: SocketType::XPub,
        connect: Peer::Zmq(SocketType::XSub),
        exchange: xpub_xsub,
    },
    Row {
        bind: SocketType::Pub,
        connect: Peer::Zmq(SocketType::XSub),
        exchange: pub_xsub,
    },
    Row {
        bind: SocketType::XPub,
        connect: Peer::Zmq(SocketType::Sub),
        exchange: xpub_sub,
    },
    Row {
        bind: SocketType::Rep,
        connect: Peer::Zmq(SocketType::Req),
        exchange: rep_req,
    },
    Row {
        bind: SocketType::Router,
        connect: Peer::Zmq(SocketType::Req),
        exchange: router_req,
    },
    Row {
        bind: SocketType::Rep,
        connect: Peer::Zmq(SocketType::Dealer),
        exchange: rep_dealer,
    },
    Row {
        bind: SocketType::Router,
        connect: Peer::Zmq(SocketType::Dealer),
        exchange: router_dealer,
    },
    Row {
        bind: SocketType::Dealer,
        connect: Peer::Zmq(SocketType::Dealer),
        exchange: dealer_dealer,
    },
    Row {
        bind: SocketType::Router,
        connect: Peer::Zmq(SocketType::Router),
        exchange: router_router,
    },
    Row {
        bind: SocketType::Pull,
        connect: Peer::Zmq(SocketType::Push),
        exchange: pull_push,
    },
    Row {
        bind: SocketType::Stream,
        connect: Peer::RawTcp,
        exchange: unused,
    },
];

const SINGLE: &[u8] = b"hello";
const MULTI: &[&[u8]] = &[
    b"first",
    b"",
    b"third part, a little longer than the others",
];

/// Sends `payload` from `from` to `to` with `envelope` (routing frames) in
/// front, and checks that `to` receives it after `expect_envelope`.
fn check(
    from: &Socket<'_>,
    to: &Socket<'_>,
    envelope: &[&[u8]],
    expect_envelope: &[&[u8]],
    payload: &[&[u8]],
) {
    let mut parts = envelope.to_vec();
    parts.extend_from_slice(payload);
    from.send_multipart(msgs(&parts), NONE).unwrap();

    let got = to.recv_multipart(WAIT).unwrap();
    let mut expected = expect_envelope.to_vec();
    expected.extend_from_slice(payload);
    assert_eq!(bytes(&got), expected);
    assert!(got[..got.len() - 1].iter().all(Message::more));
    assert!(!got.last().unwrap().more());
}

/// A single-part, then a multipart message from `from` to `to`.
fn one_way(from: &Socket<'_>, to: &Socket<'_>) {
    for payload in [&[SINGLE][..], MULTI] {
        check(from, to, &[], &[], payload);
    }
}

/// A single-part, then a multipart request, each answered by a reply of
/// the same shape; the envelopes are what each side adds and sees.
fn request_reply(
    client: &Socket<'_>,
    server: &Socket<'_>,
    client_adds: &[&[u8]],
    server_sees: &[&[u8]],
    server_adds: &[&[u8]],
    client_sees: &[&[u8]],
) {
    for payload in [&[SINGLE][..], MULTI] {
        check(client, server, client_adds, server_sees, payload);
        check(server, client, server_adds, client_sees, payload);
    }
}

/// Sends "hi" from `client` and returns the routing id `router` sees it
/// under, after replying so that a REQ client stays in step.
fn learn_routing_id(router: &Socket<'_>, client: &Socket<'_>, delimiter: bool) -> Vec<u8> {
    client.send("hi", NONE).unwrap();
    let got = router.recv_multipart(WAIT).unwrap();
    let id = got[0].to_vec();
    let mut reply: Vec<&[u8]> = vec![&id];
    if delimiter {
        assert!(got[1].is_empty(), "REQ puts an empty delimiter first");
        reply.push(b"");
    }
    assert_eq!(&got.last().unwrap()[..], b"hi");
    reply.push(b"hi");
    router.send_multipart(msgs(&reply), NONE).unwrap();
    assert_eq!(client.recv_bytes(WAIT).unwrap(), b"hi");
    id
}

fn pair_pair(a: &Socket<'_>, b: &Socket<'_>) {
    request_reply(b, a, &[], &[], &[], &[]);
}

/// A publisher drops messages until the subscription arrives: publish
/// probes until one gets through, then a marker, and skip to the marker.
fn wait_subscribed(publisher: &Socket<'_>, subscriber: &Socket<'_>) {
    let deadline = Instant::now() + TIMEOUT;
    let mut msg = Message::new();
    loop {
        publisher.send("probe", NONE).unwrap();
        std::thread::sleep(Duration::from_millis(5));
        match subscriber.recv(&mut msg, RecvFlags::DONTWAIT) {
            Ok(()) => break,
            Err(e) if e.is_would_block() && Instant::now() < deadline => {}
            Err(e) => panic!("subscription never arrived: {e}"),
        }
    }
    publisher.send("marker", NONE).unwrap();
    loop {
        subscriber.recv(&mut msg, WAIT).unwrap();
        if &msg[..] == b"marker" {
            return;
        }
        assert_eq!(&msg[..], b"probe");
    }
}

fn pub_sub(publisher: &Socket<'_>, sub: &Socket<'_>) {
    sub.set_subscribe(b"").unwrap();
    wait_subscribed(publisher, sub);
    one_way(publisher, sub);
}

/// An XPUB receives subscriptions as messages: once it has one, it is
/// subscribed, and nothing published after is dropped.
fn expect_subscription(xpub: &Socket<'_>) {
    let sub = xpub.recv_bytes(WAIT).unwrap();
    assert_eq!(sub, b"\x01", "a subscription to everything");
}

fn xpub_xsub(xpub: &Socket<'_>, xsub: &Socket<'_>) {
    xsub.send(b"\x01", NONE).unwrap();
    expect_subscription(xpub);
    one_way(xpub, xsub);
}

fn pub_xsub(publisher: &Socket<'_>, xsub: &Socket<'_>) {
    xsub.send(b"\x01", NONE).unwrap();
    wait_subscribed(publisher, xsub);
    one_way(publisher, xsub);
}

fn xpub_sub(xpub: &Socket<'_>, sub: &Socket<'_>) {
    sub.set_subscribe(b"").unwrap();
    expect_subscription(xpub);
    one_way(xpub, sub);
}

fn rep_req(rep: &Socket<'_>, req: &Socket<'_>) {
    request_reply(req, rep, &[], &[], &[], &[]);
}

fn router_req(router: &Socket<'_>, req: &Socket<'_>) {
    // REQ adds an empty delimiter; ROUTER adds the peer's routing id.
    let id = learn_routing_id(router, req, true);
    request_reply(req, router, &[], &[&id, b""], &[&id, b""], &[]);
}

fn rep_dealer(rep: &Socket<'_>, dealer: &Socket<'_>) {
    // A DEALER talking to a REP writes the empty delimiter itself.
    request_reply(dealer, rep, &[b""], &[], &[], &[b""]);
}

fn router_dealer(router: &Socket<'_>, dealer: &Socket<'_>) {
    let id = learn_routing_id(router, dealer, false);
    request_reply(dealer, router, &[], &[&id], &[&id], &[]);
}

fn dealer_dealer(a: &Socket<'_>, b: &Socket<'_>) {
    request_reply(b, a, &[], &[], &[], &[]);
}

fn router_router(bound: &Socket<'_>, connected: &Socket<'_>) {
    // Both routing ids were set before wiring (see `run_row`). The
    // connecting ROUTER can address the bound one once the handshake is
    // done, which ROUTER_MANDATORY lets it see.
    connected.set_router_mandatory(true).unwrap();
    let deadline = Instant::now() + TIMEOUT;
    loop {
        match connected.send_multipart(msgs(&[b"bound", b"hi"]), NONE) {
            Ok(()) => break,
            Err(e) if e.kind() == ErrorKind::HostUnreachable && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => panic!("the bound ROUTER never became reachable: {e}"),
        }
    }
    assert_eq!(
        bytes(&bound.recv_multipart(WAIT).unwrap()),
        [b"connected".to_vec(), b"hi".to_vec()]
    );
    request_reply(
        connected,
        bound,
        &[b"bound"],
        &[b"connected"],
        &[b"connected"],
        &[b"bound"],
    );
}

fn pull_push(pull: &Socket<'_>, push: &Socket<'_>) {
    one_way(push, pull);
}

/// The endpoint to bind for a transport, and the directory that must live
/// as long as an ipc endpoint does.
fn endpoint(transport: Transport, name: &str) -> (String, Option<TempDir>) {
    match transport {
        Transport::Inproc => (inproc(name), None),
        #[cfg(unix)]
        Transport::Ipc => {
            let dir = TempDir::new("patterns");
            (dir.ipc("sock"), Some(dir))
        }
        Transport::Tcp => ("tcp://127.0.0.1:*".to_string(), None),
    }
}

/// Binds `bound`, and returns the endpoint a peer connects to.
fn bind(bound: &Socket<'_>, transport: Transport, name: &str) -> (String, Option<TempDir>) {
    let (endpoint, dir) = endpoint(transport, name);
    bound.bind(&endpoint).unwrap();
    (bound.last_endpoint().unwrap(), dir)
}

fn run_row(row: &Row, transport: Transport) {
    let ctx = Context::new().unwrap();
    let bound = socket(&ctx, row.bind);
    match row.connect {
        Peer::Zmq(kind) => {
            let connected = socket(&ctx, kind);
            if row.bind == SocketType::Router && kind == SocketType::Router {
                bound.set_routing_id(b"bound").unwrap();
                connected.set_routing_id(b"connected").unwrap();
            }
            let name = format!("{}-{}", row.bind.name(), kind.name()).to_lowercase();
            let (endpoint, _dir) = bind(&bound, transport, &name);
            connected.connect(&endpoint).unwrap();
            (row.exchange)(&bound, &connected);
        }
        Peer::RawTcp => {
            if transport == Transport::Tcp {
                stream_raw_tcp(&bound);
            }
        }
    }
}

/// STREAM talks raw TCP: every frame is [peer id, data].
fn stream_raw_tcp(stream: &Socket<'_>) {
    let (endpoint, _) = bind(stream, Transport::Tcp, "stream");
    let addr = endpoint.strip_prefix("tcp://").unwrap();
    let mut tcp = TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(TIMEOUT)).unwrap();

    // A connection shows up as an empty frame.
    let hello = stream.recv_multipart(WAIT).unwrap();
    assert_eq!(hello.len(), 2);
    assert!(hello[1].is_empty());
    let id = hello[0].to_vec();

    // Single part: raw bytes in, [id, bytes] out.
    tcp.write_all(SINGLE).unwrap();
    let mut got = Vec::new();
    while got.len() < SINGLE.len() {
        let parts = stream.recv_multipart(WAIT).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].to_vec(), id);
        got.extend_from_slice(&parts[1]);
    }
    assert_eq!(got, SINGLE);

    // Multipart: [id, data] per chunk, one after another on the wire. An
    // empty data frame would close the connection, so it comes last.
    let chunks: Vec<&[u8]> = MULTI.iter().copied().filter(|p| !p.is_empty()).collect();
    for chunk in &chunks {
        stream.send_multipart(msgs(&[&id, chunk]), NONE).unwrap();
    }
    let expected: Vec<u8> = chunks.concat();
    let mut buf = vec![0u8; expected.len()];
    tcp.read_exact(&mut buf).unwrap();
    assert_eq!(buf, expected);

    // An empty data frame closes the connection. libzmq finishes that
    // when the socket next processes its commands, as any call on it does.
    stream.send_multipart(msgs(&[&id, b""]), NONE).unwrap();
    tcp.set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let deadline = Instant::now() + TIMEOUT;
    loop {
        match tcp.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => panic!("unexpected bytes after close: {:?}", &buf[..n]),
            Err(e) if Instant::now() < deadline => {
                assert!(matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ));
                let _ = stream.recv_msg(RecvFlags::DONTWAIT);
            }
            Err(e) => panic!("the connection was not closed: {e}"),
        }
    }
}

fn run_transport(transport: Transport) {
    for row in ROWS {
        let what = format!("{} <- {:?} over {transport:?}", row.bind, row.connect);
        let result = std::panic::catch_unwind(|| run_row(row, transport));
        if let Err(panic) = result {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{what}: {msg}");
        }
    }
}

#[test]
fn every_pairing_over_inproc() {
    run_transport(Transport::Inproc);
}

#[cfg(unix)]
#[test]
fn every_pairing_over_ipc() {
    run_transport(Transport::Ipc);
}

#[test]
fn every_pairing_over_tcp() {
    run_transport(Transport::Tcp);
}

// Wiring: attach lists (goczmq style) and raw handles.

#[test]
fn attach_binds_or_connects_by_prefix_and_type() {
    let ctx = Context::new().unwrap();
    let (a, b, c) = (inproc("attach-a"), inproc("attach-b"), inproc("attach-c"));

    // A ROUTER binds by default, a DEALER connects, as goczmq's
    // NewRouter / NewDealer.
    let router = ctx
        .attached(SocketType::Router, &format!("{a}, @{b}"))
        .unwrap();
    let dealer = ctx.attached(SocketType::Dealer, &a).unwrap();
    let other = ctx
        .attached(SocketType::Dealer, &format!(">{b}, @{c}"))
        .unwrap();
    // `c` was bound by `other` despite the DEALER's default.
    let third = socket(&ctx, SocketType::Dealer);
    third.attach_with_default(&c, Attach::Connect).unwrap();

    for (sock, name) in [(&dealer, b"a"), (&other, b"b")] {
        sock.send(name, NONE).unwrap();
        let got = router.recv_multipart(WAIT).unwrap();
        assert_eq!(&got[1][..], name);
    }
    third.send("c", NONE).unwrap();
    assert_eq!(other.recv_bytes(WAIT).unwrap(), b"c");
}

#[test]
fn default_attach_follows_goczmq() {
    use SocketType::*;
    for kind in SocketType::ALL {
        let binds = matches!(kind, Pub | XPub | Rep | Router | Pull);
        #[cfg(feature = "draft")]
        let binds = binds || matches!(kind, Server | Radio | Gather);
        let expected = if binds { Attach::Bind } else { Attach::Connect };
        assert_eq!(kind.default_attach(), expected, "{kind}");
    }
}

#[test]
fn attach_errors_name_the_endpoint() {
    let ctx = Context::new().unwrap();
    let sock = socket(&ctx, SocketType::Router);
    for bad in ["", "  ", "inproc://x,,inproc://y", "@", ">", "inproc://z,"] {
        let err = sock.attach(bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidEndpoint, "{bad:?}");
        assert!(err.detail().unwrap().contains(&format!("{bad:?}")), "{err}");
    }
    let err = sock.attach("@nosuch://thing").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProtocolNotSupported);
    assert!(err.to_string().contains("nosuch://thing"), "{err}");
    let err = sock.attach(">tcp://no port here").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidEndpoint);
    assert!(err.to_string().contains("tcp://no port here"), "{err}");
    let err = ctx
        .attached(SocketType::Pull, "tcp://127.0.0.1:*, @bad\0nul")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidEndpoint);
}

#[test]
fn raw_handles_round_trip() {
    let ctx = Context::new().unwrap();
    let endpoint = inproc("raw");
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind(&endpoint).unwrap();

    let raw = socket(&ctx, SocketType::Push).into_raw();
    assert!(!raw.is_null());
    // SAFETY: `raw` was made on `ctx` by the socket given up above, and
    // nothing else uses it.
    let push = unsafe { Socket::from_raw(&ctx, raw) }.unwrap();
    assert_eq!(push.socket_type(), SocketType::Push);
    assert_eq!(push.as_raw(), raw);
    push.connect(&endpoint).unwrap();
    push.send("via raw", NONE).unwrap();
    assert_eq!(pull.recv_bytes(WAIT).unwrap(), b"via raw");

    // SAFETY: a null handle is allowed, and refused.
    let err = unsafe { Socket::from_raw(&ctx, std::ptr::null_mut()) }.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}
