//! The authenticator's life: one per context, a clean stop on drop, and a
//! new one after the old one stopped.

use zmq4::auth::{Authenticator, Policy, ZAP_ENDPOINT};
use zmq4::{Context, ErrorKind, SocketType};

use super::{exchange_null, handshake_events};
use crate::support::socket;

#[test]
fn a_second_authenticator_in_one_context_is_a_clear_error() {
    let ctx = Context::new().unwrap();
    let first = Authenticator::new(&ctx).unwrap();
    let err = Authenticator::new(&ctx).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AddressInUse);
    assert!(err.detail().unwrap().contains(ZAP_ENDPOINT), "{err}");
    // Another context has its own ZAP endpoint.
    let other = Context::new().unwrap();
    let second = Authenticator::new(&other).unwrap();
    drop(second);
    drop(first);
}

#[test]
fn drop_stops_cleanly_and_a_new_one_can_start() {
    let ctx = Context::new().unwrap();
    for round in 0..3 {
        let auth = Authenticator::new(&ctx).unwrap_or_else(|e| panic!("round {round}: {e}"));
        auth.set_policy("d", Policy::new().deny_ips(["127.0.0.1"]));
        assert!(!exchange_null(&ctx, "d"), "round {round}: denied");
        auth.stop().unwrap();
    }
    // No authenticator now: the helpers refuse again.
    let server = socket(&ctx, SocketType::Pull);
    assert_eq!(
        server.make_plain_server("").unwrap_err().kind(),
        ErrorKind::InvalidState
    );
    drop(server);
    // And the context terminates: nothing of the authenticator is left.
    ctx.term().map_err(|(_, e)| e).unwrap();
}

#[test]
fn a_context_shut_down_under_the_authenticator_ends_it() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    ctx.shutdown().unwrap();
    // The thread sees ETERM and ends; stopping reports no error.
    auth.stop().unwrap();
}

#[test]
fn policies_change_while_running() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy("live", Policy::new());
    assert!(exchange_null(&ctx, "live"));
    auth.set_policy("live", Policy::new().allow_ips(["192.0.2.7"]));
    assert!(!exchange_null(&ctx, "live"));
    assert!(auth.remove_policy("live").is_some());
    // No policy for the domain, none for "*": no one gets in.
    assert!(!exchange_null(&ctx, "live"));
    let shown = format!("{auth:?}");
    assert!(shown.contains("Authenticator"), "{shown}");
    let _ = handshake_events();
}

#[test]
fn dropping_it_mid_handshake_answers_the_request_under_way() {
    use std::sync::mpsc;
    use std::sync::Mutex;
    use zmq4::auth::ZapDecision;
    use zmq4::EventKind;

    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    let (entered_tx, entered) = mpsc::channel::<()>();
    let (go, go_rx) = mpsc::channel::<()>();
    let (entered_tx, go_rx) = (Mutex::new(entered_tx), Mutex::new(go_rx));
    auth.set_policy(
        "mid",
        Policy::new().callback(move |_| {
            entered_tx.lock().unwrap().send(()).ok();
            go_rx
                .lock()
                .unwrap()
                .recv_timeout(crate::support::TIMEOUT)
                .ok();
            ZapDecision::deny("decided while stopping")
        }),
    );
    let server = socket(&ctx, SocketType::Pull);
    server.make_null("mid").unwrap();
    let mut mon = server.monitor(handshake_events()).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let client = socket(&ctx, SocketType::Push);
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    entered
        .recv_timeout(crate::support::TIMEOUT)
        .expect("the callback runs");
    std::thread::scope(|s| {
        s.spawn(|| {
            // Lets the callback finish once the drop below is under way
            // (or, at worst, just before it: the outcome is the same).
            std::thread::sleep(std::time::Duration::from_millis(50));
            go.send(()).unwrap();
        });
        drop(auth);
    });
    // The request under way was answered, not abandoned.
    assert_eq!(
        super::handshake_outcome(&mut mon),
        EventKind::HandshakeFailedAuth { status_code: 400 }
    );
}

#[test]
fn stop_returns_once_the_zap_endpoint_is_free() {
    let ctx = Context::new().unwrap();
    for round in 0..20 {
        let auth = Authenticator::new(&ctx).unwrap();
        auth.stop().unwrap();
        // A handler of the program's own binds at once: the endpoint is
        // not left to the background closing of the old socket.
        let own = socket(&ctx, SocketType::Rep);
        own.bind(ZAP_ENDPOINT)
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        own.unbind(ZAP_ENDPOINT).unwrap();
    }
}
