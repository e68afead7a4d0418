//! CURVE through the one-call helpers: the right server key talks, a wrong
//! one does not; allow-listed client keys get in, others do not; User-Id
//! arrives; a server is never left open by accident.

use zmq4::auth::{Authenticator, Policy};
use zmq4::{
    Context, CurveKeyPair, ErrorKind, EventKind, Mechanism, ProtocolError, RecvFlags, SendFlags,
    SocketType,
};

use super::common::socket;
use super::{assert_refused, curve, handshake_events, handshake_outcome};

#[test]
fn right_server_key_talks_and_user_id_is_the_client_key() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let server_keys = CurveKeyPair::generate().unwrap();
    let client_keys = CurveKeyPair::generate().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy("", Policy::new().curve_allow_keys([client_keys.public()]));

    let server = socket(&ctx, SocketType::Rep);
    server.make_curve_server("", &server_keys).unwrap();
    assert_eq!(server.mechanism().unwrap(), Mechanism::Curve);
    assert!(server.curve_server().unwrap());
    server.bind("tcp://127.0.0.1:*").unwrap();

    let client = socket(&ctx, SocketType::Req);
    client
        .make_curve_client(server_keys.public(), &client_keys)
        .unwrap();
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    client.send("ping", SendFlags::empty()).unwrap();
    let msg = server.recv_msg(RecvFlags::empty()).unwrap();
    assert_eq!(&msg[..], b"ping");
    let expected = client_keys.public().to_string();
    assert_eq!(msg.user_id(), Some(expected.as_str()));
    server.send("pong", SendFlags::empty()).unwrap();
    assert_eq!(client.recv_string(RecvFlags::empty()).unwrap(), "pong");
}

#[test]
fn wrong_server_key_fails_the_handshake() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let server_keys = CurveKeyPair::generate().unwrap();
    let client_keys = CurveKeyPair::generate().unwrap();
    let impostor = CurveKeyPair::generate().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy("", Policy::new().curve_allow_any());

    let server = socket(&ctx, SocketType::Pull);
    server.make_curve_server("", &server_keys).unwrap();
    let mut mon = server.monitor(handshake_events()).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();

    let client = socket(&ctx, SocketType::Push);
    client
        .make_curve_client(impostor.public(), &client_keys)
        .unwrap();
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    client.send("secret", SendFlags::DONTWAIT).ok();

    assert_eq!(
        handshake_outcome(&mut mon),
        EventKind::HandshakeFailedProtocol {
            code: ProtocolError::ZmtpCryptographic
        }
    );
    let err = server.recv_msg(RecvFlags::DONTWAIT).unwrap_err();
    assert!(err.is_would_block(), "{err}");
}

#[test]
fn listed_client_key_in_unlisted_out() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let server_keys = CurveKeyPair::generate().unwrap();
    let listed = CurveKeyPair::generate().unwrap();
    let unlisted = CurveKeyPair::generate().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy("keys", Policy::new().curve_allow_keys([listed.public()]));

    let server = socket(&ctx, SocketType::Pull);
    server.make_curve_server("keys", &server_keys).unwrap();
    let mut mon = server.monitor(handshake_events()).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();

    let outsider = socket(&ctx, SocketType::Push);
    outsider
        .make_curve_client(server_keys.public(), &unlisted)
        .unwrap();
    outsider.connect(&endpoint).unwrap();
    outsider.send("let me in", SendFlags::DONTWAIT).ok();
    assert_refused(&mut mon, &server);

    let insider = socket(&ctx, SocketType::Push);
    insider
        .make_curve_client(server_keys.public(), &listed)
        .unwrap();
    insider.connect(&endpoint).unwrap();
    insider.send("hello", SendFlags::empty()).unwrap();
    assert_eq!(handshake_outcome(&mut mon), EventKind::HandshakeSucceeded);
    let msg = server.recv_msg(RecvFlags::empty()).unwrap();
    assert_eq!(&msg[..], b"hello");
    assert_eq!(msg.user_id(), Some(listed.public().to_string().as_str()));
}

#[test]
fn a_domain_without_a_policy_lets_no_one_in() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let server_keys = CurveKeyPair::generate().unwrap();
    let _auth = Authenticator::new(&ctx).unwrap();
    let server = socket(&ctx, SocketType::Pull);
    server
        .make_curve_server("unconfigured", &server_keys)
        .unwrap();
    let mut mon = server.monitor(handshake_events()).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let client = socket(&ctx, SocketType::Push);
    client
        .make_curve_client(server_keys.public(), &CurveKeyPair::generate().unwrap())
        .unwrap();
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    assert_refused(&mut mon, &server);
}

/// Fail closed: the helper refuses a CURVE server no authenticator guards;
/// "allow any" must be written down, and then any client key gets in,
/// which is exactly what libzmq does without ZAP.
#[test]
fn an_unguarded_curve_server_must_be_chosen_explicitly() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let server_keys = CurveKeyPair::generate().unwrap();
    let server = socket(&ctx, SocketType::Pull);
    let err = server.make_curve_server("", &server_keys).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidState);
    assert!(err.detail().unwrap().contains("Authenticator"), "{err}");
    assert_eq!(server.mechanism().unwrap(), Mechanism::Null);
    let err = server.make_plain_server("").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidState);

    server.make_curve_server_allow_any(&server_keys).unwrap();
    let mut mon = server.monitor(handshake_events()).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let anyone = socket(&ctx, SocketType::Push);
    anyone
        .make_curve_client(server_keys.public(), &CurveKeyPair::generate().unwrap())
        .unwrap();
    anyone.connect(&server.last_endpoint().unwrap()).unwrap();
    anyone.send("in", SendFlags::empty()).unwrap();
    assert_eq!(handshake_outcome(&mut mon), EventKind::HandshakeSucceeded);
    let msg = server.recv_msg(RecvFlags::empty()).unwrap();
    // No ZAP handler: no User-Id either.
    assert_eq!(msg.user_id(), None);
}

/// Whether libzmq took `ZMQ_ZAP_ENFORCE_DOMAIN` (a DRAFT option) on `s`.
fn enforces_zap(s: &zmq4::Socket<'_>) -> bool {
    const ZMQ_ZAP_ENFORCE_DOMAIN: i32 = 93;
    let mut value: i32 = 0;
    let mut len = std::mem::size_of::<i32>();
    // SAFETY: the socket is open, and `value`/`len` describe a writable
    // int, as zmq_getsockopt asks for an int option.
    let rc = unsafe {
        zmq4::sys::ffi::zmq_getsockopt(
            s.as_raw(),
            ZMQ_ZAP_ENFORCE_DOMAIN,
            (&mut value as *mut i32).cast(),
            &mut len,
        )
    };
    rc == 0 && value == 1
}

/// What happens when the authenticator stops before the server it guards,
/// exactly as the docs say: where libzmq has `ZMQ_ZAP_ENFORCE_DOMAIN`
/// (DRAFT builds) the helper set it for the non-empty domain and clients
/// are refused; elsewhere libzmq lets any client key in.
#[test]
fn a_server_that_outlives_its_authenticator() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let server_keys = CurveKeyPair::generate().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy("guarded", Policy::new());
    let server = socket(&ctx, SocketType::Pull);
    server.make_curve_server("guarded", &server_keys).unwrap();
    let enforced = enforces_zap(&server);
    auth.stop().unwrap();

    let mut mon = server.monitor(handshake_events()).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let client = socket(&ctx, SocketType::Push);
    client
        .make_curve_client(server_keys.public(), &CurveKeyPair::generate().unwrap())
        .unwrap();
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    client.send("after", SendFlags::DONTWAIT).ok();
    let outcome = handshake_outcome(&mut mon);
    if enforced {
        assert!(
            matches!(outcome, EventKind::HandshakeFailedNoDetail { .. }),
            "{outcome:?}"
        );
        assert!(server.recv_msg(RecvFlags::DONTWAIT).is_err());
    } else {
        eprintln!("libzmq without ZMQ_ZAP_ENFORCE_DOMAIN: the server is open again");
        assert_eq!(outcome, EventKind::HandshakeSucceeded);
    }
}
