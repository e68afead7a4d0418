//! The ZAP protocol as the authenticator speaks it (RFC 27), and address
//! lists against the peer addresses libzmq reports.

use std::sync::{Arc, Mutex};

use zmq4::auth::{Authenticator, Policy, ZapDecision};
use zmq4::{Context, EventKind, SocketType};

use super::{handshake_events, handshake_outcome};
use crate::support::{socket, TempDir};

/// A NULL PULL server in ZAP domain `domain`, IPv6-enabled when `ipv6`,
/// bound to `bind`, and a PUSH client connecting to the bound port on
/// `host` (or to the bound endpoint): whether the client got in. `None`
/// when the machine cannot bind or reach that address.
fn null_exchange(
    ctx: &Context,
    domain: &str,
    ipv6: bool,
    bind: &str,
    host: Option<&str>,
) -> Option<bool> {
    let server = socket(ctx, SocketType::Pull);
    server.set_ipv6(ipv6).unwrap();
    server.make_null(domain).unwrap();
    let mut mon = server.monitor(handshake_events()).unwrap();
    if let Err(err) = server.bind(bind) {
        eprintln!("cannot bind {bind} here ({err}): skipped");
        return None;
    }
    let mut endpoint = server.last_endpoint().unwrap();
    if let Some(host) = host {
        let port = endpoint.rsplit(':').next().unwrap().to_owned();
        endpoint = format!("tcp://{host}:{port}");
    }
    let client = socket(ctx, SocketType::Push);
    client.set_ipv6(ipv6).unwrap();
    client.connect(&endpoint).unwrap();
    match handshake_outcome(&mut mon) {
        EventKind::HandshakeSucceeded => Some(true),
        EventKind::HandshakeFailedAuth { status_code: 400 } => Some(false),
        other => panic!("unexpected handshake outcome {other:?}"),
    }
}

#[test]
fn peer_addresses_as_libzmq_reports_them() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    auth.set_policy(
        "d",
        Policy::new().callback(move |req| {
            record.lock().unwrap().push(req.address.clone());
            ZapDecision::allow("")
        }),
    );
    assert_eq!(
        null_exchange(&ctx, "d", false, "tcp://127.0.0.1:*", None),
        Some(true)
    );
    // ipc where this libzmq has it (not a MinGW build on Windows).
    let ipc = zmq4::has("ipc");
    let dir = TempDir::new("zmq4-zap-addr");
    if ipc {
        assert_eq!(
            null_exchange(&ctx, "d", false, &dir.ipc("a"), None),
            Some(true)
        );
    }
    let mapped = null_exchange(&ctx, "d", true, "tcp://*:*", Some("127.0.0.1"));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0], "127.0.0.1");
    let mut next = 1;
    if ipc {
        // ipc: no IP address (on Linux "localhost:uid:gid:pid").
        assert!(seen[1].parse::<std::net::IpAddr>().is_err(), "{seen:?}");
        next = 2;
    }
    if mapped.is_some() {
        // An IPv4 client of an IPv6 socket: an IPv4-mapped IPv6 address.
        assert_eq!(seen[next], "::ffff:127.0.0.1");
    }
    assert_eq!(seen.len(), next + usize::from(mapped.is_some()), "{seen:?}");
}

#[test]
fn address_lists_match_ipv4_clients_of_an_ipv6_socket() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy("deny", Policy::new().deny_ips(["127.0.0.1"]));
    auth.set_policy("allow", Policy::new().allow_ips(["127.0.0.1"]));
    let Some(denied) = null_exchange(&ctx, "deny", true, "tcp://*:*", Some("127.0.0.1")) else {
        return;
    };
    // Reported as "::ffff:127.0.0.1", denied as 127.0.0.1 all the same.
    assert!(!denied, "an IPv4-mapped address slipped past the deny list");
    assert_eq!(
        null_exchange(&ctx, "allow", true, "tcp://*:*", Some("127.0.0.1")),
        Some(true)
    );
    // IPv6 addresses are compared as addresses, not as text.
    auth.set_policy("deny6", Policy::new().deny_ips(["0:0:0:0:0:0:0:1"]));
    if let Some(admitted) = null_exchange(&ctx, "deny6", true, "tcp://[::1]:*", None) {
        assert!(!admitted, "::1 slipped past a deny list naming it in full");
    }
}

/// Sends one raw ZAP request to the context's handler and returns the
/// reply frames.
fn raw_request(req: &zmq4::Socket<'_>, frames: &[&[u8]]) -> Vec<Vec<u8>> {
    req.send_multipart(frames.iter().copied(), zmq4::SendFlags::empty())
        .unwrap();
    let reply = req.recv_multipart(zmq4::RecvFlags::empty()).unwrap();
    crate::support::bytes(&reply)
}

#[test]
fn malformed_requests_get_status_500_and_the_handler_lives_on() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy(
        "d",
        Policy::new()
            .plain_users([("u", "\u{FFFD}")])
            .curve_allow_any(),
    );
    let req = socket(&ctx, SocketType::Req);
    req.connect(zmq4::auth::ZAP_ENDPOINT).unwrap();

    let good: &[&[u8]] = &[b"1.0", b"7", b"d", b"192.0.2.1", b"", b"NULL"];
    let reply = raw_request(&req, good);
    assert_eq!(reply.len(), 6, "{reply:?}");
    assert_eq!(reply[0], b"1.0");
    assert_eq!(reply[1], b"7", "the request id is echoed");
    assert_eq!(reply[2], b"200");
    assert_eq!(reply[5], b"", "no metadata");

    let malformed: &[&[&[u8]]] = &[
        &[b"1.0"],
        &[b"1.0", b"8", b"d", b"a", b""],
        &[b"2.0", b"9", b"d", b"a", b"", b"NULL"],
        &[b"1.0", b"10", b"d", b"a", b"", b"NULL", b"extra"],
        &[b"1.0", b"11", b"d", b"a", b"", b"PLAIN", b"u"],
        &[b"1.0", b"12", b"d", b"a", b"", b"CURVE", &[0; 31]],
        &[b"1.0", b"13", b"d", b"a", b"", b"CURVE", &[0; 32], &[0; 32]],
        &[b"1.0", b"14", b"d", b"a", b"", b"KERBEROS"],
        &[b"", b"", b"", b"", b"", b""],
    ];
    for request in malformed {
        let reply = raw_request(&req, request);
        assert_eq!(reply.len(), 6, "{request:?} -> {reply:?}");
        assert_eq!(reply[0], b"1.0");
        assert_eq!(reply[1], request.get(1).copied().unwrap_or(b""));
        assert_eq!(reply[2], b"500", "{request:?} -> {reply:?}");
        assert_eq!(reply[4], b"", "no User-Id for a refusal");
    }

    // A password that is not UTF-8 is not read lossily: byte 0xFF must
    // not pass for the configured U+FFFD.
    let reply = raw_request(
        &req,
        &[b"1.0", b"15", b"d", b"a", b"", b"PLAIN", b"u", &[0xFF]],
    );
    assert_eq!(reply[2], b"400", "{reply:?}");
    let reply = raw_request(
        &req,
        &[
            b"1.0",
            b"16",
            b"d",
            b"a",
            b"",
            b"PLAIN",
            b"u",
            "\u{FFFD}".as_bytes(),
        ],
    );
    assert_eq!(reply[2], b"200", "{reply:?}");
    assert_eq!(reply[4], b"u");

    // Still answering the real thing.
    assert_eq!(
        null_exchange(&ctx, "d", false, "tcp://127.0.0.1:*", None),
        Some(true)
    );
}

#[test]
fn metadata_is_encoded_as_zmtp_properties_without_reserved_names() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    let long = "n".repeat(256);
    let longest = "m".repeat(255);
    auth.set_policy(
        "d",
        Policy::new()
            .callback(move |_| {
                ZapDecision::allow("someone")
                    .with_metadata("Team", "ops")
                    .with_metadata("", "dropped: empty name")
                    .with_metadata(long.clone(), "dropped: name too long")
                    .with_metadata(longest.clone(), "")
                    .with_metadata("Socket-Type", "ROUTER")
                    .with_metadata("identity", "someone-else")
                    .with_metadata("User-Id", "root")
            })
            .metadata("Site", vec![0u8; 300]),
    );
    let req = socket(&ctx, SocketType::Req);
    req.connect(zmq4::auth::ZAP_ENDPOINT).unwrap();
    let reply = raw_request(&req, &[b"1.0", b"1", b"d", b"a", b"", b"NULL"]);
    assert_eq!(reply[2], b"200");
    assert_eq!(reply[4], b"someone");
    let mut expected = vec![4u8];
    expected.extend_from_slice(b"Team");
    expected.extend_from_slice(&3u32.to_be_bytes());
    expected.extend_from_slice(b"ops");
    expected.push(255);
    expected.extend_from_slice("m".repeat(255).as_bytes());
    expected.extend_from_slice(&0u32.to_be_bytes());
    expected.push(4);
    expected.extend_from_slice(b"Site");
    expected.extend_from_slice(&300u32.to_be_bytes());
    expected.extend_from_slice(&[0u8; 300]);
    assert_eq!(reply[5], expected);

    // And libzmq takes it: the handshake succeeds (a Socket-Type of
    // ROUTER in the reply would have failed it for this PULL server).
    assert_eq!(
        null_exchange(&ctx, "d", false, "tcp://127.0.0.1:*", None),
        Some(true)
    );
}

#[test]
fn a_password_file_line_without_a_user_name_is_an_error() {
    let dir = TempDir::new("zmq4-zap-passwords");
    let path = std::path::PathBuf::from(dir.ipc("passwords").trim_start_matches("ipc://"));
    std::fs::write(&path, "alice=wonderland\n=letmein\n").unwrap();
    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    match Policy::new().plain_password_file(&path) {
        Err(err) => {
            assert_eq!(err.kind(), zmq4::ErrorKind::InvalidArgument);
            let detail = err.detail().unwrap();
            assert!(detail.contains("line 2"), "{err}");
            assert!(detail.contains("passwords"), "{err}");
        }
        Ok(policy) => {
            // What it would have let in: an empty user name (a raw ZMTP
            // client can send one).
            auth.set_policy("d", policy);
            let req = socket(&ctx, SocketType::Req);
            req.connect(zmq4::auth::ZAP_ENDPOINT).unwrap();
            let reply = raw_request(
                &req,
                &[b"1.0", b"1", b"d", b"a", b"", b"PLAIN", b"", b"letmein"],
            );
            panic!(
                "accepted; an empty user name gets status {:?}",
                String::from_utf8_lossy(&reply[2])
            );
        }
    }
}

/// Connects to `endpoint` (tcp) as a raw ZMTP 3.1 NULL client that puts
/// `User-Id: root` in its READY metadata, and sends one message.
fn raw_client_claiming_user_id(endpoint: &str) -> std::net::TcpStream {
    use std::io::{Read, Write};
    let addr = endpoint.trim_start_matches("tcp://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let mut greeting = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 3, 1];
    greeting.extend_from_slice(b"NULL");
    greeting.resize(64, 0);
    let mut ready = vec![5u8];
    ready.extend_from_slice(b"READY");
    for (name, value) in [("Socket-Type", "PUSH"), ("User-Id", "root")] {
        ready.push(name.len() as u8);
        ready.extend_from_slice(name.as_bytes());
        ready.extend_from_slice(&(value.len() as u32).to_be_bytes());
        ready.extend_from_slice(value.as_bytes());
    }
    let mut out = greeting;
    out.extend_from_slice(&[0x04, ready.len() as u8]);
    out.extend_from_slice(&ready);
    stream.write_all(&out).unwrap();
    // The server's greeting and READY (a short command frame): the
    // handshake is over, a message may follow.
    stream
        .set_read_timeout(Some(crate::support::TIMEOUT))
        .unwrap();
    let mut greeting = [0u8; 64];
    stream.read_exact(&mut greeting).unwrap();
    let mut head = [0u8; 2];
    stream.read_exact(&mut head).unwrap();
    assert_eq!(head[0], 0x04, "a short command");
    let mut body = vec![0u8; head[1] as usize];
    stream.read_exact(&mut body).unwrap();
    assert!(body.starts_with(b"\x05READY"), "{body:?}");
    stream.write_all(&[0x00, 2, b'h', b'i']).unwrap();
    stream
}

#[test]
fn user_id_is_the_clients_own_claim_unless_zap_answered() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Pull);
    server.bind("tcp://127.0.0.1:*").unwrap();
    let _client = raw_client_claiming_user_id(&server.last_endpoint().unwrap());
    let msg = server.recv_msg(zmq4::RecvFlags::empty()).unwrap();
    assert_eq!(&msg[..], b"hi");
    // libzmq's own behaviour, documented: no ZAP, no trustworthy User-Id.
    assert_eq!(msg.user_id(), Some("root"));

    // With a ZAP handler answering, the User-Id is the handler's.
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy("d", Policy::new());
    let guarded = socket(&ctx, SocketType::Pull);
    guarded.make_null("d").unwrap();
    guarded.bind("tcp://127.0.0.1:*").unwrap();
    let _client = raw_client_claiming_user_id(&guarded.last_endpoint().unwrap());
    let msg = guarded.recv_msg(zmq4::RecvFlags::empty()).unwrap();
    assert_eq!(&msg[..], b"hi");
    assert_ne!(msg.user_id(), Some("root"));
}

#[test]
fn inproc_connections_never_ask_the_authenticator() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    // A policy that lets no PLAIN user in.
    auth.set_policy("", Policy::new());
    let server = socket(&ctx, SocketType::Pull);
    server.make_plain_server("").unwrap();
    let endpoint = crate::support::inproc("zap-inproc");
    server.bind(&endpoint).unwrap();
    let client = socket(&ctx, SocketType::Push);
    client.make_plain_client("nobody", "wrong").unwrap();
    client.connect(&endpoint).unwrap();
    client.send("in anyway", zmq4::SendFlags::empty()).unwrap();
    let msg = server.recv_msg(zmq4::RecvFlags::empty()).unwrap();
    assert_eq!(&msg[..], b"in anyway");
}
