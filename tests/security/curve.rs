//! CURVE through the one-call helpers: the right server key talks, a wrong
//! one does not; allow-listed client keys get in, others do not; User-Id
//! arrives; a server is never left open by accident. [`curve_pair`] sets
//! up the server and client that most of them share.

use zmq4::auth::{Authenticator, Policy};
use zmq4::{
    Context, CurveKey, CurveKeyPair, ErrorKind, EventKind, Mechanism, Monitor, ProtocolError,
    RecvFlags, SendFlags, Socket, SocketType,
};

use super::{assert_refused, curve, handshake_events, handshake_outcome};
use crate::support::socket;

/// A CURVE server and a client of it over tcp, set up as most tests here
/// need them: the server with the one-call helper in a ZAP domain, its
/// monitor watching the handshake, bound; the client connected.
struct CurvePair<'c> {
    server: Socket<'c>,
    /// The server's monitor, watching [`handshake_events`] from before the
    /// bind.
    mon: Monitor<'c>,
    client: Socket<'c>,
    /// The server's endpoint, for more clients.
    endpoint: String,
}

/// A `server` socket serving `server_keys` in ZAP domain `domain`, and a
/// `client` socket with `client_keys` that takes `trusted` for the
/// server's public key (the server's own, or an impostor's), connected.
/// The authenticator and its policies come first: the handshake may start
/// as soon as this returns.
#[allow(clippy::too_many_arguments)]
fn curve_pair<'c>(
    ctx: &'c Context,
    server: SocketType,
    domain: &str,
    server_keys: &CurveKeyPair,
    client: SocketType,
    client_keys: &CurveKeyPair,
    trusted: &CurveKey,
) -> CurvePair<'c> {
    let server = socket(ctx, server);
    server.make_curve_server(domain, server_keys).unwrap();
    let mon = server.monitor(handshake_events()).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();
    let client = curve_client(ctx, client, trusted, client_keys, &endpoint);
    CurvePair {
        server,
        mon,
        client,
        endpoint,
    }
}

/// A `kind` socket with `keys` that takes `trusted` for the server's
/// public key, connected to `endpoint`.
fn curve_client<'c>(
    ctx: &'c Context,
    kind: SocketType,
    trusted: &CurveKey,
    keys: &CurveKeyPair,
    endpoint: &str,
) -> Socket<'c> {
    let client = socket(ctx, kind);
    client.make_curve_client(trusted, keys).unwrap();
    client.connect(endpoint).unwrap();
    client
}

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

    // The monitor goes at once (the fields left out are dropped here).
    let CurvePair { server, client, .. } = curve_pair(
        &ctx,
        SocketType::Rep,
        "",
        &server_keys,
        SocketType::Req,
        &client_keys,
        server_keys.public(),
    );
    assert_eq!(server.mechanism().unwrap(), Mechanism::Curve);
    assert!(server.curve_server().unwrap());
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

    let CurvePair {
        server,
        mut mon,
        client,
        ..
    } = curve_pair(
        &ctx,
        SocketType::Pull,
        "",
        &server_keys,
        SocketType::Push,
        &client_keys,
        impostor.public(),
    );
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

    let CurvePair {
        server,
        mut mon,
        client: outsider,
        endpoint,
    } = curve_pair(
        &ctx,
        SocketType::Pull,
        "keys",
        &server_keys,
        SocketType::Push,
        &unlisted,
        server_keys.public(),
    );
    outsider.send("let me in", SendFlags::DONTWAIT).ok();
    assert_refused(&mut mon, &server);

    let insider = curve_client(
        &ctx,
        SocketType::Push,
        server_keys.public(),
        &listed,
        &endpoint,
    );
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
    // The client stays until the end: it is the one refused.
    let CurvePair {
        server,
        mut mon,
        client: _client,
        ..
    } = curve_pair(
        &ctx,
        SocketType::Pull,
        "unconfigured",
        &server_keys,
        SocketType::Push,
        &CurveKeyPair::generate().unwrap(),
        server_keys.public(),
    );
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
    let anyone = curve_client(
        &ctx,
        SocketType::Push,
        server_keys.public(),
        &CurveKeyPair::generate().unwrap(),
        &server.last_endpoint().unwrap(),
    );
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
    let client = curve_client(
        server.context(),
        SocketType::Push,
        server_keys.public(),
        &CurveKeyPair::generate().unwrap(),
        &endpoint,
    );
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
