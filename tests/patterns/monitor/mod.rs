//! Socket monitors: events provoked on real connections, stopping, and the
//! frame parser on hand-made frames.

mod parse;

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use crate::support::{inproc, socket, TIMEOUT};
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

/// Whether a socket handle from an event is one: not negative on Unix.
#[cfg(unix)]
fn valid_fd(fd: ffi::zmq_fd_t) -> bool {
    fd >= 0
}

/// Whether a socket handle from an event is one: not `INVALID_SOCKET` (all
/// bits set) on Windows, where it is unsigned.
#[cfg(windows)]
fn valid_fd(fd: ffi::zmq_fd_t) -> bool {
    fd != ffi::zmq_fd_t::MAX
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
    assert!(valid_fd(fd), "a listening fd: {fd}");

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
        assert!(matches!(ev.kind(), EventKind::Accepted { fd } if valid_fd(fd)));
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
    server.stop_monitor().unwrap();
    server.stop_monitor().unwrap(); // again: nothing to do

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

/// The next event's kind, failing after `TIMEOUT`.
fn next_kind(mon: &mut Monitor<'_>) -> EventKind {
    mon.next_event(Some(TIMEOUT))
        .expect("read an event")
        .unwrap_or_else(|| panic!("no event within {TIMEOUT:?}"))
        .kind()
}

/// Sends a two-part message one way and back.
fn bounce(client: &Socket<'_>, server: &Socket<'_>) {
    let data = b"12345678ABCDEFGH12345678abcdefgh";
    client
        .send_multipart([&data[..], &data[..]], SendFlags::empty())
        .unwrap();
    let got = server.recv_multipart(RecvFlags::empty()).unwrap();
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|part| &part[..] == data));
    server.send_multipart(got, SendFlags::empty()).unwrap();
    let back = client.recv_multipart(RecvFlags::empty()).unwrap();
    assert!(back.len() == 2 && back.iter().all(|part| &part[..] == data));
}

/// rust-zmq's `test_monitor_events`, through the safe API: both sockets
/// are closed while their monitors live, and the monitors read the events
/// of the close, up to MONITOR_STOPPED.
#[test]
fn the_events_of_a_close_reach_the_monitor() {
    let ctx = Context::new().unwrap();
    let client = ctx.socket(SocketType::Dealer).unwrap();
    let server = ctx.socket(SocketType::Dealer).unwrap();
    let err = client
        .monitor_on("tcp://127.0.0.1:9999", MonitorEvents::all())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProtocolNotSupported);
    let mut client_mon = client.monitor(MonitorEvents::all()).unwrap();
    let mut server_mon = server.monitor(MonitorEvents::all()).unwrap();

    server.bind("tcp://127.0.0.1:*").unwrap();
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    bounce(&client, &server);

    client.set_linger(Some(Duration::ZERO)).unwrap();
    drop(client);
    let mut event = next_kind(&mut client_mon);
    if matches!(event, EventKind::ConnectDelayed { .. }) {
        event = next_kind(&mut client_mon);
    }
    assert!(matches!(event, EventKind::Connected { .. }), "{event:?}");
    assert_eq!(next_kind(&mut client_mon), EventKind::HandshakeSucceeded);
    assert_eq!(next_kind(&mut client_mon), EventKind::MonitorStopped);
    assert!(client_mon.is_finished());
    assert!(client_mon.next_event(Some(TIMEOUT)).unwrap().is_none());

    assert!(matches!(
        next_kind(&mut server_mon),
        EventKind::Listening { .. }
    ));
    assert!(matches!(
        next_kind(&mut server_mon),
        EventKind::Accepted { .. }
    ));
    assert_eq!(next_kind(&mut server_mon), EventKind::HandshakeSucceeded);
    assert!(matches!(
        next_kind(&mut server_mon),
        EventKind::Disconnected { .. }
    ));
    server.set_linger(Some(Duration::ZERO)).unwrap();
    drop(server);
    assert!(matches!(
        next_kind(&mut server_mon),
        EventKind::Closed { .. }
    ));
    assert_eq!(next_kind(&mut server_mon), EventKind::MonitorStopped);
    // The context terminates: nothing of the monitors is left behind.
    drop((client_mon, server_mon));
    ctx.term().map_err(|(_, e)| e).unwrap();
}

/// MONITOR_STOPPED ends the monitor whether it was asked for or not; it is
/// reported only when it was.
#[test]
fn monitoring_ends_at_the_close_even_without_asking_for_monitor_stopped() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Pull);
    let mut mon = server
        .monitor(MonitorEvents::LISTENING | MonitorEvents::CLOSED)
        .unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    drop(server);
    let (_, before) = wait_for(&mut mon, "closed", |k| {
        matches!(k, EventKind::Closed { .. })
    });
    assert!(
        before
            .iter()
            .all(|e| matches!(e.kind(), EventKind::Listening { .. })),
        "{before:?}"
    );
    let start = Instant::now();
    assert!(
        mon.next_event(None).unwrap().is_none(),
        "ended, not blocked"
    );
    assert!(mon.is_finished());
    assert!(start.elapsed() < TIMEOUT);
}

/// A monitor of an owned socket is `'static`: it reads on a thread of its
/// own while the socket works on this one.
#[test]
fn a_monitor_moves_to_a_thread_of_its_own() {
    let ctx = Context::new().unwrap();
    let server = ctx.owned_socket(SocketType::Rep).unwrap();
    server.set_linger(Some(Duration::ZERO)).unwrap();
    let mut mon: Monitor<'static> = server
        .monitor(MonitorEvents::ACCEPTED | MonitorEvents::HANDSHAKE_SUCCEEDED)
        .unwrap();
    let watcher = std::thread::spawn(move || {
        let (event, _) = wait_for(&mut mon, "handshake", |k| {
            *k == EventKind::HandshakeSucceeded
        });
        event.kind()
    });
    server.bind("tcp://127.0.0.1:*").unwrap();
    let client = socket(&ctx, SocketType::Req);
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    client.send("hi", SendFlags::empty()).unwrap();
    assert_eq!(server.recv_bytes(RecvFlags::empty()).unwrap(), b"hi");
    assert_eq!(watcher.join().unwrap(), EventKind::HandshakeSucceeded);
}

/// Dropping a monitor whose socket goes on never blocks libzmq (whose
/// sends to a monitor whose receiving end is gone would block for ever),
/// in any order, and the context still terminates.
#[test]
fn a_dropped_monitor_blocks_nothing_in_any_order() {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let ctx = Context::new().unwrap();
        // The monitor goes first; the socket keeps making events.
        let server = socket(&ctx, SocketType::Pull);
        let mon = server.monitor(MonitorEvents::all()).unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = server.last_endpoint().unwrap();
        drop(mon);
        for _ in 0..20 {
            let client = socket(&ctx, SocketType::Push);
            client.connect(&endpoint).unwrap();
            client.send("x", SendFlags::empty()).unwrap();
            assert_eq!(server.recv_bytes(RecvFlags::empty()).unwrap(), b"x");
        }
        // Its next change of connections stops the monitoring.
        server.bind("tcp://127.0.0.1:*").unwrap();
        // A new monitor works at once.
        let mut again = server.monitor(MonitorEvents::LISTENING).unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        wait_for(&mut again, "listening", |k| {
            matches!(k, EventKind::Listening { .. })
        });
        drop(again);
        drop(server);
        // The socket goes first, and its monitor only later, unread.
        let other = socket(&ctx, SocketType::Pull);
        let mon = other.monitor(MonitorEvents::all()).unwrap();
        other.bind("tcp://127.0.0.1:*").unwrap();
        drop(other);
        drop(mon);
        ctx.term().map_err(|(_, e)| e).unwrap();
        done.send(()).unwrap();
    });
    finished
        .recv_timeout(Duration::from_secs(30))
        .expect("a dropped monitor blocked libzmq or the context's termination");
}
