//! PLAIN passwords, IP allow and deny lists, callbacks and metadata.

use std::io::Write;

use zmq4::auth::{Authenticator, Credentials, Policy, ZapDecision};
use zmq4::{Context, ErrorKind, EventKind, Mechanism, RecvFlags, SendFlags, SocketType};

use super::{assert_refused, handshake_events, handshake_outcome};
use crate::support::socket;

/// A PULL server with the given setup and a PUSH client with its own,
/// connected over tcp; returns whether the client's message arrived, and
/// its User-Id.
fn exchange(
    ctx: &Context,
    server_setup: impl FnOnce(&zmq4::Socket<'_>),
    client_setup: impl FnOnce(&zmq4::Socket<'_>),
) -> Option<Option<String>> {
    let server = socket(ctx, SocketType::Pull);
    server_setup(&server);
    let mut mon = server.monitor(handshake_events()).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let client = socket(ctx, SocketType::Push);
    client_setup(&client);
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    client.send("hi", SendFlags::DONTWAIT).ok();
    match handshake_outcome(&mut mon) {
        EventKind::HandshakeSucceeded => {
            let msg = server.recv_msg(RecvFlags::empty()).unwrap();
            assert_eq!(&msg[..], b"hi");
            Some(msg.user_id().map(str::to_owned))
        }
        EventKind::HandshakeFailedAuth { status_code } => {
            assert_eq!(status_code, 400);
            assert!(server.recv_msg(RecvFlags::DONTWAIT).is_err());
            None
        }
        other => panic!("unexpected handshake outcome {other:?}"),
    }
}

#[test]
fn right_password_in_wrong_password_out() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy("", Policy::new().plain_users([("admin", "secret")]));
    let server = |s: &zmq4::Socket<'_>| {
        s.make_plain_server("").unwrap();
        assert_eq!(s.mechanism().unwrap(), Mechanism::Plain);
    };
    assert_eq!(
        exchange(&ctx, server, |c| c
            .make_plain_client("admin", "secret")
            .unwrap()),
        Some(Some("admin".to_owned()))
    );
    assert_eq!(
        exchange(&ctx, server, |c| c
            .make_plain_client("admin", "guess")
            .unwrap()),
        None
    );
    assert_eq!(
        exchange(&ctx, server, |c| c
            .make_plain_client("nobody", "secret")
            .unwrap()),
        None
    );
}

#[test]
fn users_from_a_password_file() {
    let path = std::env::temp_dir().join(crate::support::unique("zmq4-passwords"));
    let mut file = std::fs::File::create(&path).unwrap();
    writeln!(file, "# users\nalice=wonderland\n\nbob=builder=yes").unwrap();
    drop(file);
    let policy = Policy::new().plain_password_file(&path).unwrap();
    std::fs::remove_file(&path).ok();

    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy("files", policy);
    let server = |s: &zmq4::Socket<'_>| s.make_plain_server("files").unwrap();
    assert_eq!(
        exchange(&ctx, server, |c| c
            .make_plain_client("alice", "wonderland")
            .unwrap()),
        Some(Some("alice".to_owned()))
    );
    // The password is everything after the first '='.
    assert_eq!(
        exchange(&ctx, server, |c| c
            .make_plain_client("bob", "builder=yes")
            .unwrap()),
        Some(Some("bob".to_owned()))
    );
    assert_eq!(
        exchange(&ctx, server, |c| c
            .make_plain_client("alice", "builder=yes")
            .unwrap()),
        None
    );

    // A line without '=' and a missing file are clear errors.
    let bad = std::env::temp_dir().join(crate::support::unique("zmq4-bad-passwords"));
    std::fs::write(&bad, "alice=x\njust-a-name\n").unwrap();
    let err = Policy::new().plain_password_file(&bad).unwrap_err();
    std::fs::remove_file(&bad).ok();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.detail().unwrap().contains("line 2"), "{err}");
    let err = Policy::new()
        .plain_password_file(std::env::temp_dir().join(crate::support::unique("zmq4-missing")))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn ip_allow_and_deny_lists() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy("allow-me", Policy::new().allow_ips(["127.0.0.1"]));
    auth.set_policy("allow-other", Policy::new().allow_ips(["192.0.2.1"]));
    auth.set_policy("deny-me", Policy::new().deny_ips(["127.0.0.1"]));
    auth.set_policy("deny-other", Policy::new().deny_ips(["192.0.2.1"]));
    let none = |_: &zmq4::Socket<'_>| {};
    let with = |domain: &'static str| move |s: &zmq4::Socket<'_>| s.make_null(domain).unwrap();
    // A NULL client let in through ZAP has the empty User-Id.
    assert_eq!(
        exchange(&ctx, with("allow-me"), none),
        Some(Some(String::new()))
    );
    assert_eq!(exchange(&ctx, with("allow-other"), none), None);
    assert_eq!(exchange(&ctx, with("deny-me"), none), None);
    assert_eq!(
        exchange(&ctx, with("deny-other"), none),
        Some(Some(String::new()))
    );

    // The address lists apply before PLAIN's check.
    auth.set_policy(
        "plain-denied",
        Policy::new()
            .deny_ips(["127.0.0.1"])
            .plain_users([("admin", "secret")]),
    );
    assert_eq!(
        exchange(
            &ctx,
            |s| s.make_plain_server("plain-denied").unwrap(),
            |c| c.make_plain_client("admin", "secret").unwrap()
        ),
        None
    );
}

#[test]
fn callback_decides_and_attaches_metadata() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy(
        "*",
        Policy::new()
            .callback(|req| match &req.credentials {
                Credentials::Plain { username, .. } if username.starts_with("ok-") => {
                    assert_eq!(req.address, "127.0.0.1");
                    assert_eq!(req.mechanism(), Mechanism::Plain);
                    ZapDecision::allow(format!("user:{username}")).with_metadata("Shard", "7")
                }
                Credentials::Plain { username, .. } if username == "panic" => {
                    panic!("a callback that panics keeps the client out")
                }
                _ => ZapDecision::deny("not ok"),
            })
            .metadata("Region", "eu"),
    );
    let server = ctx.socket(SocketType::Pull).unwrap();
    server.set_linger(Some(std::time::Duration::ZERO)).unwrap();
    server.set_rcvtimeo(Some(crate::support::TIMEOUT)).unwrap();
    // Any domain: "*" applies.
    server.make_plain_server("anything").unwrap();
    let mut mon = server.monitor(handshake_events()).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();

    let refused = socket(&ctx, SocketType::Push);
    refused.make_plain_client("mallory", "x").unwrap();
    refused.connect(&endpoint).unwrap();
    assert_refused(&mut mon, &server);

    let panicking = socket(&ctx, SocketType::Push);
    panicking.make_plain_client("panic", "x").unwrap();
    panicking.connect(&endpoint).unwrap();
    assert_eq!(
        handshake_outcome(&mut mon),
        EventKind::HandshakeFailedAuth { status_code: 500 }
    );

    let client = socket(&ctx, SocketType::Push);
    client.make_plain_client("ok-carol", "x").unwrap();
    client.connect(&endpoint).unwrap();
    client.send("data", SendFlags::empty()).unwrap();
    let msg = server.recv_msg(RecvFlags::empty()).unwrap();
    assert_eq!(msg.user_id(), Some("user:ok-carol"));
    assert_eq!(msg.property("Shard"), Some(&b"7"[..]));
    assert_eq!(msg.property("Region"), Some(&b"eu"[..]));
}

#[test]
fn gssapi_setup_says_when_libzmq_has_no_gssapi() {
    let ctx = Context::new().unwrap();
    let _auth = Authenticator::new(&ctx).unwrap();
    let s = socket(&ctx, SocketType::Req);
    let client = s.make_gssapi_client("client@EXAMPLE.COM", "server@EXAMPLE.COM");
    let server = s.make_gssapi_server("", "server@EXAMPLE.COM");
    if zmq4::has("gssapi") {
        client.unwrap();
        server.unwrap();
    } else {
        for result in [client, server] {
            let err = result.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::NotSupported);
            assert!(err.detail().unwrap().contains("GSSAPI"), "{err}");
        }
        assert_eq!(s.mechanism().unwrap(), Mechanism::Null);
    }
}
