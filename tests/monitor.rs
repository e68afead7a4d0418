//! Socket monitors: events provoked on real connections, stopping, and the
//! frame parser on hand-made frames.

mod common;
#[path = "monitor/parse.rs"]
mod parse;

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use common::{inproc, socket, TIMEOUT};
use zmq4::sys::ffi;
use zmq4::{
    Context, CurveKey, CurveKeyPair, CurveSecretKey, ErrorKind, EventKind, Monitor, MonitorEvent,
    MonitorEvents, ProtocolError, RecvFlags, SendFlags, Socket, SocketType,
};

/// Reads events until one matches `want`, failing after `TIMEOUT`; returns
/// it and every event read before it.
fn wait_for(
    mon: &mut Monitor<'_>,
    what: &str,
    want: impl Fn(&EventKind) -> bool,
) -> (MonitorEvent, Vec<MonitorEvent>) {
    let deadline = Instant::now() + TIMEOUT;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match mon.next_event(Some(left)).expect("read an event") {
            Some(ev) if want(&ev.kind()) => return (ev, seen),
            Some(ev) => seen.push(ev),
            None => panic!("no {what} event within {TIMEOUT:?}; saw {seen:#?}"),
        }
    }
}

fn free_tcp_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

#[test]
fn listening_accepted_connected_handshake_disconnected_closed() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Rep);
    let mut smon = server.monitor(MonitorEvents::all()).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();

    let (ev, _) = wait_for(&mut smon, "listening", |k| {
        matches!(k, EventKind::Listening { .. })
    });
    assert_eq!(ev.endpoint(), endpoint);
    assert_eq!(ev.id(), ffi::ZMQ_EVENT_LISTENING as u64);
    let EventKind::Listening { fd } = ev.kind() else {
        unreachable!()
    };
    assert!(fd >= 0, "a listening fd: {fd}");

    {
        let client = socket(&ctx, SocketType::Req);
        let mut cmon = client.monitor(MonitorEvents::all()).unwrap();
        client.connect(&endpoint).unwrap();

        let (ev, _) = wait_for(&mut cmon, "connected", |k| {
            matches!(k, EventKind::Connected { .. })
        });
        #[cfg(not(feature = "draft"))]
        assert_eq!(ev.endpoint(), endpoint);
        #[cfg(feature = "draft")]
        assert_eq!(ev.remote(), Some(endpoint.as_str()));
        let (_, _) = wait_for(&mut cmon, "client handshake succeeded", |k| {
            *k == EventKind::HandshakeSucceeded
        });

        let (ev, _) = wait_for(&mut smon, "accepted", |k| {
            matches!(k, EventKind::Accepted { .. })
        });
        assert!(matches!(ev.kind(), EventKind::Accepted { fd } if fd >= 0));
        assert_eq!(ev.value(), ev.values()[0]);
        wait_for(&mut smon, "server handshake succeeded", |k| {
            *k == EventKind::HandshakeSucceeded
        });

        // The connection works while monitored.
        client.send("ping", SendFlags::empty()).unwrap();
        assert_eq!(server.recv_bytes(RecvFlags::empty()).unwrap(), b"ping");
        server.send("pong", SendFlags::empty()).unwrap();
        assert_eq!(client.recv_bytes(RecvFlags::empty()).unwrap(), b"pong");
        // Monitor then client dropped here: the server sees the peer go.
    }
    wait_for(&mut smon, "disconnected", |k| {
        matches!(k, EventKind::Disconnected { .. })
    });

    // Unbinding closes the listener.
    server.unbind(&endpoint).unwrap();
    let (ev, _) = wait_for(&mut smon, "closed", |k| {
        matches!(k, EventKind::Closed { .. })
    });
    assert_eq!(ev.endpoint(), endpoint);
}

#[test]
fn connect_delayed_and_retried_when_nobody_listens() {
    let ctx = Context::new().unwrap();
    let endpoint = format!("tcp://127.0.0.1:{}", free_tcp_port());
    let client = socket(&ctx, SocketType::Dealer);
    client
        .set_reconnect_ivl(Some(Duration::from_millis(50)))
        .unwrap();
    let mut mon = client
        .monitor(
            MonitorEvents::CONNECT_DELAYED
                | MonitorEvents::CONNECT_RETRIED
                | MonitorEvents::CONNECTED,
        )
        .unwrap();
    client.connect(&endpoint).unwrap();

    let (ev, seen) = wait_for(&mut mon, "connect retried", |k| {
        matches!(k, EventKind::ConnectRetried { .. })
    });
    assert!(
        seen.iter()
            .any(|e| matches!(e.kind(), EventKind::ConnectDelayed { .. })),
        "a delayed connect comes first; saw {seen:#?}"
    );
    assert!(
        !seen
            .iter()
            .any(|e| matches!(e.kind(), EventKind::Connected { .. })),
        "nobody listens: {seen:#?}"
    );
    let EventKind::ConnectRetried { interval } = ev.kind() else {
        unreachable!()
    };
    assert!(
        // libzmq adds up to one interval of random jitter.
        interval >= Duration::from_millis(50) && interval <= Duration::from_millis(100),
        "retry interval {interval:?}"
    );
    #[cfg(not(feature = "draft"))]
    assert_eq!(ev.endpoint(), endpoint);
    #[cfg(feature = "draft")]
    assert_eq!(ev.remote(), Some(endpoint.as_str()));
}

#[test]
fn bind_failed_when_the_port_is_taken() {
    let ctx = Context::new().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("tcp://{}", taken.local_addr().unwrap());
    let server = socket(&ctx, SocketType::Pull);
    let mut mon = server.monitor(MonitorEvents::BIND_FAILED).unwrap();
    // libzmq 4.3 sends the event before it returns, which can overwrite
    // the errno of the bind (it then reads EAGAIN): only the event's errno
    // is checked.
    server.bind(&endpoint).unwrap_err();
    let (ev, _) = wait_for(&mut mon, "bind failed", |k| {
        matches!(k, EventKind::BindFailed { .. })
    });
    assert_eq!(
        ev.kind(),
        EventKind::BindFailed {
            errno: ffi::errno::EADDRINUSE
        }
    );
    // libzmq names the address without its transport here.
    assert_eq!(ev.endpoint(), endpoint.trim_start_matches("tcp://"));
}

#[test]
fn stop_reports_monitor_stopped_then_nothing() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Pull);
    let mut mon = server.monitor(MonitorEvents::all()).unwrap();
    server.bind(&inproc("monitor-stop")).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    mon.stop().unwrap();
    mon.stop().unwrap(); // again: nothing to do

    let events: Vec<MonitorEvent> = mon.by_ref().map(|e| e.unwrap()).collect();
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind()).collect();
    assert!(
        matches!(kinds.first(), Some(EventKind::Listening { .. })),
        "{kinds:?}"
    );
    assert_eq!(kinds.last(), Some(&EventKind::MonitorStopped), "{kinds:?}");
    // Nothing follows, and reading does not block.
    let start = Instant::now();
    assert!(mon.next_event(None).unwrap().is_none());
    assert!(mon.next().is_none());
    assert!(start.elapsed() < TIMEOUT);

    // Events after the stop are not reported.
    server.bind("tcp://127.0.0.1:*").unwrap();
    assert!(mon
        .next_event(Some(Duration::from_millis(100)))
        .unwrap()
        .is_none());
}

#[test]
fn dropping_the_monitor_stops_monitoring_and_a_new_one_can_start() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Pull);
    {
        let mon = server.monitor(MonitorEvents::all()).unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        drop(mon); // events queued but unread: dropping must not hang
    }
    // A new monitor, on an endpoint of our choice.
    for _ in 0..2 {
        let name = inproc("monitor-on");
        let mut mon = server.monitor_on(&name, MonitorEvents::LISTENING).unwrap();
        assert_eq!(mon.endpoint(), name);
        server.bind("tcp://127.0.0.1:*").unwrap();
        wait_for(&mut mon, "listening", |k| {
            matches!(k, EventKind::Listening { .. })
        });
    }
}

#[test]
fn a_second_monitor_replaces_the_first() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Pull);
    let mut first = server
        .monitor(MonitorEvents::LISTENING | MonitorEvents::MONITOR_STOPPED)
        .unwrap();
    let mut second = server.monitor(MonitorEvents::LISTENING).unwrap();
    assert_ne!(first.endpoint(), second.endpoint());
    wait_for(&mut first, "monitor stopped", |k| {
        *k == EventKind::MonitorStopped
    });
    assert!(first.next().is_none());
    // Dropping the replaced monitor leaves the current one running.
    drop(first);
    server.bind("tcp://127.0.0.1:*").unwrap();
    wait_for(&mut second, "listening", |k| {
        matches!(k, EventKind::Listening { .. })
    });
}

#[test]
fn monitor_on_rejects_other_transports_and_bad_endpoints() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Pull);
    let err = s
        .monitor_on("tcp://127.0.0.1:*", MonitorEvents::all())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProtocolNotSupported);
    let err = s
        .monitor_on("inproc://a\0b", MonitorEvents::all())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidEndpoint);
    // The socket can still be monitored afterwards.
    let mut mon = s.monitor(MonitorEvents::LISTENING).unwrap();
    s.bind("tcp://127.0.0.1:*").unwrap();
    wait_for(&mut mon, "listening", |k| {
        matches!(k, EventKind::Listening { .. })
    });
}

#[test]
fn next_event_times_out() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Pull);
    let mut mon = s.monitor(MonitorEvents::all()).unwrap();
    let start = Instant::now();
    assert!(mon
        .next_event(Some(Duration::from_millis(50)))
        .unwrap()
        .is_none());
    let waited = start.elapsed();
    assert!(waited >= Duration::from_millis(45), "{waited:?}");
    assert!(mon.next_event(Some(Duration::ZERO)).unwrap().is_none());
}

#[test]
fn handshake_failed_no_detail_when_a_peer_hangs_up_early() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Rep);
    let mut mon = server
        .monitor(MonitorEvents::ACCEPTED | MonitorEvents::HANDSHAKE_FAILED_NO_DETAIL)
        .unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let addr = server
        .last_endpoint()
        .unwrap()
        .trim_start_matches("tcp://")
        .to_string();
    {
        let mut raw = TcpStream::connect(&addr).unwrap();
        raw.set_read_timeout(Some(TIMEOUT)).unwrap();
        // Read the start of the server's greeting, then hang up.
        let mut buf = [0u8; 10];
        raw.read_exact(&mut buf).unwrap();
        assert_eq!(buf[0], 0xff, "ZMTP signature");
    }
    let (ev, _) = wait_for(&mut mon, "handshake failed, no detail", |k| {
        matches!(k, EventKind::HandshakeFailedNoDetail { .. })
    });
    assert_eq!(ev.id(), ffi::ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL as u64);
}

#[test]
fn handshake_failed_protocol_on_a_mechanism_mismatch() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Rep);
    server.set_plain_server(true).unwrap();
    let mut mon = server
        .monitor(MonitorEvents::HANDSHAKE_FAILED_PROTOCOL | MonitorEvents::HANDSHAKE_SUCCEEDED)
        .unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let client = socket(&ctx, SocketType::Req); // NULL mechanism
    let mut cmon = client
        .monitor(MonitorEvents::HANDSHAKE_FAILED_PROTOCOL | MonitorEvents::HANDSHAKE_SUCCEEDED)
        .unwrap();
    client.connect(&server.last_endpoint().unwrap()).unwrap();

    expect_mechanism_mismatch(&mut mon);
    expect_mechanism_mismatch(&mut cmon);
}

fn expect_mechanism_mismatch(mon: &mut Monitor<'_>) {
    {
        let (ev, seen) = wait_for(mon, "handshake failed, protocol", |k| {
            matches!(k, EventKind::HandshakeFailedProtocol { .. })
        });
        assert!(seen.is_empty(), "no handshake succeeds: {seen:#?}");
        assert_eq!(
            ev.kind(),
            EventKind::HandshakeFailedProtocol {
                code: ProtocolError::ZmtpMechanismMismatch
            }
        );
        assert_eq!(
            ev.value(),
            ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH as u64
        );
    }
}

/// A fresh CURVE key pair (public, secret).
fn curve_keypair() -> (CurveKey, CurveSecretKey) {
    let pair = CurveKeyPair::generate().expect("zmq_curve_keypair");
    (pair.public().clone(), pair.secret().clone())
}

#[test]
fn handshake_failed_protocol_on_a_wrong_curve_server_key() {
    if !zmq4::Capability::Curve.is_available() {
        eprintln!("libzmq without CURVE: skipped");
        return;
    }
    let ctx = Context::new().unwrap();
    let (_server_public, server_secret) = curve_keypair();
    let (client_public, client_secret) = curve_keypair();
    let (wrong_public, _) = curve_keypair();

    let server = socket(&ctx, SocketType::Rep);
    server.set_curve_server(true).unwrap();
    server.set_curve_secretkey(&server_secret).unwrap();
    let mut mon = server
        .monitor(MonitorEvents::HANDSHAKE_FAILED_PROTOCOL | MonitorEvents::HANDSHAKE_SUCCEEDED)
        .unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();

    let client = socket(&ctx, SocketType::Req);
    client.set_curve_serverkey(&wrong_public).unwrap();
    client.set_curve_publickey(&client_public).unwrap();
    client.set_curve_secretkey(&client_secret).unwrap();
    client.connect(&server.last_endpoint().unwrap()).unwrap();

    let (ev, seen) = wait_for(&mut mon, "handshake failed, protocol", |k| {
        matches!(k, EventKind::HandshakeFailedProtocol { .. })
    });
    assert!(seen.is_empty(), "no handshake succeeds: {seen:#?}");
    assert_eq!(
        ev.kind(),
        EventKind::HandshakeFailedProtocol {
            code: ProtocolError::ZmtpCryptographic
        }
    );
}

/// A ZAP handler (RFC 27) on the context that refuses every request with
/// status 400, for `requests` requests.
fn refuse_all(zap: Socket<'_>, requests: usize) {
    zap.set_rcvtimeo(Some(TIMEOUT)).unwrap();
    for _ in 0..requests {
        let Ok(req) = zap.recv_multipart(RecvFlags::empty()) else {
            return;
        };
        assert_eq!(&req[0][..], b"1.0", "ZAP version");
        let request_id = req[1].to_vec();
        let reply: Vec<Vec<u8>> = vec![
            b"1.0".to_vec(),
            request_id,
            b"400".to_vec(),
            b"go away".to_vec(),
            Vec::new(),
            Vec::new(),
        ];
        zap.send_multipart(reply, SendFlags::empty()).unwrap();
    }
}

#[test]
fn handshake_failed_auth_when_zap_refuses() {
    let ctx = Context::new().unwrap();
    let zap = socket(&ctx, SocketType::Rep);
    zap.bind("inproc://zeromq.zap.01").unwrap();

    let server = socket(&ctx, SocketType::Rep);
    server.set_plain_server(true).unwrap();
    let mut mon = server
        .monitor(MonitorEvents::HANDSHAKE_FAILED_AUTH | MonitorEvents::HANDSHAKE_SUCCEEDED)
        .unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();

    std::thread::scope(|scope| {
        scope.spawn(move || refuse_all(zap, 1));
        let client = socket(&ctx, SocketType::Req);
        client.set_plain_username("user").unwrap();
        client.set_plain_password("wrong").unwrap();
        client.connect(&endpoint).unwrap();
        let (ev, seen) = wait_for(&mut mon, "handshake failed, auth", |k| {
            matches!(k, EventKind::HandshakeFailedAuth { .. })
        });
        assert!(seen.is_empty(), "no handshake succeeds: {seen:#?}");
        assert_eq!(
            ev.kind(),
            EventKind::HandshakeFailedAuth { status_code: 400 }
        );
        assert_eq!(ev.value(), 400);
        drop(client);
    });
}

#[test]
fn unread_events_never_block_the_monitored_socket() {
    // More events than libzmq's default high-water mark (1000), none read
    // while they are made: sending them must not block the socket (with a
    // bounded queue, the first bind past the mark would never return).
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Pull);
    let mut mon = server
        .monitor(MonitorEvents::LISTENING | MonitorEvents::CLOSED)
        .unwrap();
    let rounds = 1200;
    for _ in 0..rounds {
        server.bind("tcp://127.0.0.1:*").unwrap();
        server.unbind(&server.last_endpoint().unwrap()).unwrap();
    }
    let mut listening = 0;
    while let Some(ev) = mon.next_event(Some(Duration::from_millis(500))).unwrap() {
        if matches!(ev.kind(), EventKind::Listening { .. }) {
            listening += 1;
        }
    }
    assert_eq!(listening, rounds);
}
