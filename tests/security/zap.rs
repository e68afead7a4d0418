//! The ZAP protocol as the authenticator speaks it (RFC 27), and address
//! lists against the peer addresses libzmq reports.

use std::sync::{Arc, Mutex};

use zmq4::auth::{Authenticator, Policy, ZapDecision};
use zmq4::{Context, EventKind, SocketType};

use super::common::{socket, TempDir};
use super::{handshake_events, handshake_outcome};

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
    let dir = TempDir::new("zmq4-zap-addr");
    assert_eq!(
        null_exchange(&ctx, "d", false, &dir.ipc("a"), None),
        Some(true)
    );
    let mapped = null_exchange(&ctx, "d", true, "tcp://*:*", Some("127.0.0.1"));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0], "127.0.0.1");
    // ipc: no IP address (on Linux "localhost:uid:gid:pid").
    assert!(seen[1].parse::<std::net::IpAddr>().is_err(), "{seen:?}");
    if mapped.is_some() {
        // An IPv4 client of an IPv6 socket: an IPv4-mapped IPv6 address.
        assert_eq!(seen[2], "::ffff:127.0.0.1");
    }
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
