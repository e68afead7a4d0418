//! Security: keys and Z85, PLAIN and CURVE set up through the one-call
//! helpers, the ZAP authenticator's policies and protocol, certificate
//! files, and interop with pyzmq's CURVE and ThreadAuthenticator.
//! `cargo test --test security`.

#[path = "../support/mod.rs"]
mod support;

mod authenticator;
mod certs;
mod curve;
mod interop;
mod keys;
mod plain;
mod zap;

use std::time::Instant;

use crate::support::TIMEOUT;
use zmq4::{EventKind, Monitor, MonitorEvent, MonitorEvents, RecvFlags, Socket};

/// Whether the linked libzmq has CURVE; a note when it has not.
pub fn curve() -> bool {
    let ok = zmq4::has("curve");
    if !ok {
        eprintln!("libzmq without CURVE: skipped");
    }
    ok
}

/// The handshake events a server's monitor watches.
pub fn handshake_events() -> MonitorEvents {
    MonitorEvents::HANDSHAKE_SUCCEEDED
        | MonitorEvents::HANDSHAKE_FAILED_AUTH
        | MonitorEvents::HANDSHAKE_FAILED_PROTOCOL
        | MonitorEvents::HANDSHAKE_FAILED_NO_DETAIL
}

/// Reads events until the first handshake outcome (or fails after the
/// test timeout).
pub fn handshake_outcome(mon: &mut Monitor<'_>) -> EventKind {
    let deadline = Instant::now() + TIMEOUT;
    let mut seen: Vec<MonitorEvent> = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match mon.next_event(Some(left)).expect("read an event") {
            Some(ev)
                if matches!(
                    ev.kind(),
                    EventKind::HandshakeSucceeded
                        | EventKind::HandshakeFailedAuth { .. }
                        | EventKind::HandshakeFailedProtocol { .. }
                        | EventKind::HandshakeFailedNoDetail { .. }
                ) =>
            {
                return ev.kind()
            }
            Some(ev) => seen.push(ev),
            None => panic!("no handshake outcome within {TIMEOUT:?}; saw {seen:#?}"),
        }
    }
}

/// Asserts that the server's monitor reports a ZAP refusal (status 400)
/// and that nothing reached the server.
pub fn assert_refused(mon: &mut Monitor<'_>, server: &Socket<'_>) {
    assert_eq!(
        handshake_outcome(mon),
        EventKind::HandshakeFailedAuth { status_code: 400 }
    );
    let err = server.recv_msg(RecvFlags::DONTWAIT).unwrap_err();
    assert!(err.is_would_block(), "{err}");
}

/// A PULL server with the NULL mechanism in ZAP domain `domain` and a PUSH
/// client over tcp: whether the client got in.
pub fn exchange_null(ctx: &zmq4::Context, domain: &str) -> bool {
    let server = crate::support::socket(ctx, zmq4::SocketType::Pull);
    server.make_null(domain).unwrap();
    let mut mon = server.monitor(handshake_events()).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let client = crate::support::socket(ctx, zmq4::SocketType::Push);
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    match handshake_outcome(&mut mon) {
        EventKind::HandshakeSucceeded => true,
        EventKind::HandshakeFailedAuth { status_code: 400 } => false,
        other => panic!("unexpected handshake outcome {other:?}"),
    }
}
