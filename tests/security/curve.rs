//! CURVE through the one-call helpers: the right server key talks, a wrong
//! one does not; allow-listed client keys get in, others do not; User-Id
//! arrives; a server is never left open by accident.

use zmq4::auth::{Authenticator, Policy};
use zmq4::{
    Context, CurveKeyPair, ErrorKind, EventKind, Mechanism, ProtocolError, RecvFlags, SendFlags,
    SocketType,
};

use crate::support::socket;
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

/// A client whose key the policy does not list tries to connect: the
/// handshake's outcome, as the server's monitor reports it.
fn stranger_outcome(server: &zmq4::Socket<'_>, server_keys: &CurveKeyPair) -> EventKind {
    let mut mon = server.monitor(handshake_events()).unwrap();
    let endpoint = match server.last_endpoint().unwrap() {
        e if e.is_empty() => {
            server.bind("tcp://127.0.0.1:*").unwrap();
            server.last_endpoint().unwrap()
        }
        e => e,
    };
    let ctx = server.context();
    let client = socket(ctx, SocketType::Push);
    client
        .make_curve_client(server_keys.public(), &CurveKeyPair::generate().unwrap())
        .unwrap();
    client.connect(&endpoint).unwrap();
    client.send("let me in", SendFlags::DONTWAIT).ok();
    let outcome = handshake_outcome(&mut mon);
    if outcome != EventKind::HandshakeSucceeded {
        assert!(server.recv_msg(RecvFlags::DONTWAIT).is_err());
    }
    outcome
}

fn refused(outcome: EventKind) -> bool {
    matches!(outcome, EventKind::HandshakeFailedAuth { status_code: 400 })
}

/// The authenticator goes before the server it guards, in every way it
/// can go: the server stays closed to keys its policy does not list
/// (libzmq would let every key in once no ZAP handler is bound).
#[test]
fn a_server_that_outlives_its_authenticator_stays_closed() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let server_keys = CurveKeyPair::generate().unwrap();

    // Dropped.
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy("", Policy::new());
    let server = socket(&ctx, SocketType::Pull);
    server.make_curve_server("", &server_keys).unwrap();
    assert_eq!(auth.relying_sockets(), 1);
    drop(auth);
    let outcome = stranger_outcome(&server, &server_keys);
    assert!(refused(outcome), "after a drop: {outcome:?}");

    // Stopped: the stop says why the handler goes on.
    let auth = Authenticator::new(&ctx).unwrap(); // takes the handler over
    let err = auth.stop().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidState);
    assert!(err.to_string().contains("1 socket"), "{err}");
    let outcome = stranger_outcome(&server, &server_keys);
    assert!(refused(outcome), "after a stop: {outcome:?}");

    // A new authenticator takes over, with the policies it finds, and
    // its changes apply.
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy("", Policy::new().curve_allow_any());
    assert_eq!(
        stranger_outcome(&server, &server_keys),
        EventKind::HandshakeSucceeded
    );
    auth.set_policy("", Policy::new());
    drop(auth);

    // Closed the other way round: nothing relies on the handler any more,
    // it stops, and a new authenticator starts from no policy.
    drop(server);
    let auth = Authenticator::new(&ctx).unwrap();
    assert_eq!(auth.relying_sockets(), 0);
    auth.stop().unwrap();
}

/// A server set up with the raw options rather than the helper relies on
/// the authenticator that runs when it is set up, all the same.
#[test]
fn a_server_set_up_by_options_relies_on_the_authenticator_too() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let server_keys = CurveKeyPair::generate().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy("", Policy::new());
    let server = socket(&ctx, SocketType::Pull);
    server.set_curve_server(true).unwrap();
    server.set_curve_secretkey(server_keys.secret()).unwrap();
    drop(auth);
    let outcome = stranger_outcome(&server, &server_keys);
    assert!(refused(outcome), "{outcome:?}");
}

/// An owned server socket on another thread outlives the authenticator
/// dropped on the main thread: still closed.
#[test]
fn an_owned_server_on_another_thread_stays_closed() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let server_keys = CurveKeyPair::generate().unwrap();
    let auth = Authenticator::owned(&ctx).unwrap();
    auth.set_policy("", Policy::new());
    let server = ctx.owned_socket(SocketType::Pull).unwrap();
    server.set_linger(Some(std::time::Duration::ZERO)).unwrap();
    server.make_curve_server("", &server_keys).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    drop(auth);
    drop(ctx);
    let keys = server_keys.clone();
    let outcome = std::thread::spawn(move || stranger_outcome(&server, &keys))
        .join()
        .unwrap();
    assert!(refused(outcome), "{outcome:?}");
}
