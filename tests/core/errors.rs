//! Errors: every errno maps to a kind, the text says what happened, the
//! conversion to `io::Error` keeps both, and real failures of libzmq come
//! out with the kind a program would branch on.

use std::error::Error as _;
use std::io;
use std::os::raw::c_int;
use std::time::Duration;

use zmq4::sys::ffi::errno as e;
use zmq4::{Context, Error, ErrorKind, RecvFlags, SendFlags, Socket, SocketType};

/// Every errno the raw layer names, with the kind it must map to.
fn errno_table() -> Vec<(&'static str, c_int, ErrorKind)> {
    vec![
        ("EACCES", e::EACCES, ErrorKind::PermissionDenied),
        ("EADDRINUSE", e::EADDRINUSE, ErrorKind::AddressInUse),
        (
            "EADDRNOTAVAIL",
            e::EADDRNOTAVAIL,
            ErrorKind::AddressNotAvailable,
        ),
        ("EAFNOSUPPORT", e::EAFNOSUPPORT, ErrorKind::Other),
        ("EAGAIN", e::EAGAIN, ErrorKind::WouldBlock),
        ("EBADF", e::EBADF, ErrorKind::Other),
        ("ECONNABORTED", e::ECONNABORTED, ErrorKind::Other),
        (
            "ECONNREFUSED",
            e::ECONNREFUSED,
            ErrorKind::ConnectionRefused,
        ),
        ("ECONNRESET", e::ECONNRESET, ErrorKind::Other),
        ("EFAULT", e::EFAULT, ErrorKind::Other),
        // Not in the raw layer's table; 1 on every platform.
        ("EPERM", 1, ErrorKind::PermissionDenied),
        ("EHOSTUNREACH", e::EHOSTUNREACH, ErrorKind::HostUnreachable),
        ("EINPROGRESS", e::EINPROGRESS, ErrorKind::Other),
        ("EINTR", e::EINTR, ErrorKind::Interrupted),
        ("EINVAL", e::EINVAL, ErrorKind::InvalidArgument),
        ("EMFILE", e::EMFILE, ErrorKind::TooManyOpen),
        ("EMSGSIZE", e::EMSGSIZE, ErrorKind::MessageTooLarge),
        ("ENETDOWN", e::ENETDOWN, ErrorKind::Other),
        ("ENETRESET", e::ENETRESET, ErrorKind::Other),
        ("ENETUNREACH", e::ENETUNREACH, ErrorKind::Other),
        ("ENOBUFS", e::ENOBUFS, ErrorKind::OutOfMemory),
        ("ENODEV", e::ENODEV, ErrorKind::NoSuchDevice),
        ("ENOENT", e::ENOENT, ErrorKind::NotFound),
        ("ENOMEM", e::ENOMEM, ErrorKind::OutOfMemory),
        ("ENOTCONN", e::ENOTCONN, ErrorKind::Other),
        ("ENOTSOCK", e::ENOTSOCK, ErrorKind::NotASocket),
        ("ENOTSUP", e::ENOTSUP, ErrorKind::NotSupported),
        ("EPROTO", e::EPROTO, ErrorKind::Other),
        (
            "EPROTONOSUPPORT",
            e::EPROTONOSUPPORT,
            ErrorKind::ProtocolNotSupported,
        ),
        ("ETIMEDOUT", e::ETIMEDOUT, ErrorKind::Other),
        ("EFSM", e::EFSM, ErrorKind::InvalidState),
        (
            "ENOCOMPATPROTO",
            e::ENOCOMPATPROTO,
            ErrorKind::IncompatibleProtocol,
        ),
        ("ETERM", e::ETERM, ErrorKind::Terminated),
        ("EMTHREAD", e::EMTHREAD, ErrorKind::TooManyOpen),
    ]
}

#[test]
fn every_named_errno_maps_to_its_kind() {
    for (name, errno, kind) in errno_table() {
        let err = Error::from_errno(errno);
        assert_eq!(err.kind(), kind, "{name}");
        assert_eq!(err.errno(), errno, "{name}");
        assert_eq!(err.detail(), None, "{name}");
        assert!(!err.message().is_empty(), "{name}");
        assert_eq!(err.to_string(), err.message(), "{name}");
        assert_eq!(err.is_would_block(), kind == ErrorKind::WouldBlock);
        assert_eq!(err.is_terminated(), kind == ErrorKind::Terminated);
    }
}

#[test]
fn libzmqs_own_errnos_have_libzmqs_text() {
    assert_eq!(
        Error::from_errno(e::ETERM).message(),
        "Context was terminated"
    );
    assert_eq!(
        Error::from_errno(e::EFSM).message(),
        "Operation cannot be accomplished in current state"
    );
    assert_eq!(
        Error::from_errno(e::ENOCOMPATPROTO).message(),
        "The protocol is not compatible with the socket type"
    );
    assert_eq!(
        Error::from_errno(e::EMTHREAD).message(),
        "No thread available"
    );
}

#[test]
fn unknown_errnos_are_other_without_panicking() {
    let odd = [
        99999,
        0,
        -1,
        i32::MAX,
        i32::MIN,
        156_384_712,
        156_384_765 + 100,
    ];
    for errno in odd.into_iter().chain(0..300) {
        let err = Error::from_errno(errno);
        let named = errno_table().into_iter().any(|(_, n, _)| n == errno);
        if !named {
            assert_eq!(err.kind(), ErrorKind::Other, "errno {errno}");
        }
        assert_eq!(err.errno(), errno);
        // The text and the debug form never fail.
        let _ = err.to_string();
        let _ = format!("{err:?}");
    }
}

#[test]
fn the_text_of_an_unknown_errno_stays_its_own() {
    // The C library formats "Unknown error N" into a per-thread buffer
    // that its next such call replaces: a text handed out must be a copy.
    let first = Error::from_errno(10_000).message();
    let second = Error::from_errno(10_001).message();
    let elsewhere = std::thread::spawn(|| Error::from_errno(10_002).message())
        .join()
        .unwrap();
    // glibc and macOS put the number in the text; the Windows C runtime
    // says "Unknown error" for all of them.
    if cfg!(unix) {
        assert!(first.contains("10000"), "{first:?}");
        assert!(second.contains("10001"), "{second:?}");
        assert!(elsewhere.contains("10002"), "{elsewhere:?}");
    } else {
        assert!(!first.is_empty() && !second.is_empty() && !elsewhere.is_empty());
    }
    // An error kept while others are made keeps its own text.
    let kept = Error::from_errno(10_003);
    let _others: Vec<String> = (10_004..10_010)
        .map(|n| Error::from_errno(n).to_string())
        .collect();
    if cfg!(unix) {
        assert!(kept.to_string().contains("10003"), "{kept}");
    } else {
        assert_eq!(kept.message(), Error::from_errno(10_003).message());
    }
}

#[test]
fn error_kind_displays_a_description() {
    let mut seen = std::collections::HashSet::new();
    for (_, errno, kind) in errno_table() {
        let text = kind.to_string();
        assert!(!text.is_empty());
        assert_eq!(text, kind.description());
        seen.insert((kind, text));
        assert_eq!(Error::from_errno(errno).kind(), kind);
    }
    // Different kinds read differently.
    let texts: std::collections::HashSet<_> = seen.iter().map(|(_, t)| t.clone()).collect();
    assert_eq!(texts.len(), seen.len());
    assert_eq!(ErrorKind::Terminated.to_string(), "context terminated");
}

#[test]
fn display_has_libzmqs_text_and_the_detail() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    let err = sock.bind("tcp://127.0.0.1:notaport").unwrap_err();
    let text = err.to_string();
    assert_eq!(err.message(), "Invalid argument");
    assert!(text.contains(&err.message()), "{text}");
    assert!(text.contains("tcp://127.0.0.1:notaport"), "{text}");
    assert!(text.contains(err.detail().unwrap()), "{text}");

    let debug = format!("{err:?}");
    assert!(debug.contains("InvalidEndpoint"), "{debug}");
    assert!(debug.contains("tcp://127.0.0.1:notaport"), "{debug}");
}

#[test]
fn unknown_interface_is_no_such_device() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    // A bind address that is neither an IP address nor an interface.
    let err = sock.bind("tcp://zmq4-no-such-nic:*").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoSuchDevice, "{err}");
}

#[test]
fn io_error_keeps_kind_and_source() {
    let cases = [
        (e::EAGAIN, io::ErrorKind::WouldBlock),
        (e::EINTR, io::ErrorKind::Interrupted),
        (e::EINVAL, io::ErrorKind::InvalidInput),
        (e::EADDRINUSE, io::ErrorKind::AddrInUse),
        (e::EADDRNOTAVAIL, io::ErrorKind::AddrNotAvailable),
        (e::ECONNREFUSED, io::ErrorKind::ConnectionRefused),
        (e::ENOENT, io::ErrorKind::NotFound),
        (e::EACCES, io::ErrorKind::PermissionDenied),
        (e::ENOTSUP, io::ErrorKind::Unsupported),
        (e::EPROTONOSUPPORT, io::ErrorKind::Unsupported),
        (e::ENOCOMPATPROTO, io::ErrorKind::Unsupported),
        (e::ENOMEM, io::ErrorKind::OutOfMemory),
        (e::ETERM, io::ErrorKind::BrokenPipe),
        (e::EFSM, io::ErrorKind::Other),
        (99999, io::ErrorKind::Other),
    ];
    for (errno, io_kind) in cases {
        let err = Error::from_errno(errno);
        let io_err = io::Error::from(err.clone());
        assert_eq!(io_err.kind(), io_kind, "errno {errno}");
        assert_eq!(io_err.to_string(), err.to_string());
        let inner = io_err
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<Error>())
            .expect("the zmq4 error is kept inside");
        assert_eq!(inner, &err);
        let back = io_err.into_inner().unwrap().downcast::<Error>().unwrap();
        assert_eq!(*back, err);
    }

    // A real failure keeps its kind and detail through the conversion.
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    let err = sock.bind("tcp://bad").unwrap_err();
    let io_err: io::Error = err.clone().into();
    assert_eq!(io_err.kind(), io::ErrorKind::InvalidInput);
    let inner = io_err.get_ref().unwrap().downcast_ref::<Error>().unwrap();
    assert_eq!(inner.kind(), ErrorKind::InvalidEndpoint);
    assert_eq!(inner.detail(), err.detail());
    // The zmq4 error is a leaf: it has no source of its own.
    assert!(inner.source().is_none());

    // `?` converts into io::Error.
    fn open(sock: &Socket<'_>) -> io::Result<()> {
        sock.bind("nosuch://x")?;
        Ok(())
    }
    assert_eq!(open(&sock).unwrap_err().kind(), io::ErrorKind::Unsupported);
}

#[test]
fn unknown_transport_is_protocol_not_supported() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    for endpoint in ["nosuch://x", "http://127.0.0.1:80"] {
        let err = sock.bind(endpoint).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ProtocolNotSupported, "{endpoint}");
        assert_eq!(err.errno(), e::EPROTONOSUPPORT);
        let err = sock.connect(endpoint).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ProtocolNotSupported, "{endpoint}");
    }
}

#[test]
fn malformed_endpoints_are_invalid_endpoint() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    for endpoint in [
        "tcp://127.0.0.1",
        "tcp://127.0.0.1:notaport",
        "tcp://",
        "no-scheme",
        "",
    ] {
        let err = sock.bind(endpoint).unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::InvalidEndpoint,
            "{endpoint:?}: {err}"
        );
        assert_eq!(err.errno(), e::EINVAL);
        assert!(err.detail().unwrap().contains(endpoint), "{err}");
    }
    let err = sock.connect("tcp://127.0.0.1").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidEndpoint, "{err}");
}

#[test]
fn nul_in_endpoint_is_invalid_endpoint() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    let endpoint = "inproc://before\0after";
    for result in [
        sock.bind(endpoint),
        sock.connect(endpoint),
        sock.unbind(endpoint),
        sock.disconnect(endpoint),
    ] {
        let err = result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidEndpoint);
        assert_eq!(err.errno(), e::EINVAL);
        assert!(err.detail().unwrap().contains("NUL"), "{err}");
    }
    // Nothing was bound under the name cut at the NUL.
    let err = sock.unbind("inproc://before").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn same_tcp_port_twice_is_address_in_use() {
    let ctx = Context::new().unwrap();
    let first = ctx.socket(SocketType::Pull).unwrap();
    first.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = first.last_endpoint().unwrap();
    let second = ctx.socket(SocketType::Pull).unwrap();
    let err = second.bind(&endpoint).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AddressInUse, "{err}");
    assert!(err.to_string().contains(&endpoint), "{err}");
}

#[test]
fn same_inproc_name_twice_is_address_in_use() {
    let ctx = Context::new().unwrap();
    let first = ctx.socket(SocketType::Pull).unwrap();
    first.bind("inproc://errors-inproc-twice").unwrap();
    let second = ctx.socket(SocketType::Pull).unwrap();
    let err = second.bind("inproc://errors-inproc-twice").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AddressInUse, "{err}");
}

#[test]
fn non_local_address_is_address_not_available() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    // 203.0.113.0/24 is reserved for documentation: never a local address.
    let err = sock.bind("tcp://203.0.113.7:*").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AddressNotAvailable, "{err}");
}

#[test]
fn unbind_or_disconnect_of_unknown_endpoint_is_not_found() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    let err = sock.unbind("tcp://127.0.0.1:5999").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    let err = sock
        .disconnect("inproc://errors-never-connected")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");

    // After a real unbind, a second one finds nothing.
    sock.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = sock.last_endpoint().unwrap();
    sock.unbind(&endpoint).unwrap();
    assert_eq!(
        sock.unbind(&endpoint).unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn socket_on_terminated_context_is_terminated() {
    let ctx = Context::new().unwrap();
    let before = ctx.socket(SocketType::Pull).unwrap();
    before.set_linger(Some(Duration::ZERO)).unwrap();
    ctx.shutdown().unwrap();
    let err = ctx.socket(SocketType::Push).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Terminated);
    assert!(err.is_terminated());
    assert_eq!(err.errno(), e::ETERM);
    // Sockets that already exist fail the same way.
    let err = before.recv_bytes(RecvFlags::empty()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Terminated);
    let err = before.bind("inproc://errors-after-shutdown").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Terminated);
}

#[test]
fn req_out_of_turn_is_invalid_state() {
    let ctx = Context::new().unwrap();
    let req = ctx.socket(SocketType::Req).unwrap();
    req.set_linger(Some(Duration::ZERO)).unwrap();
    let err = req.recv_bytes(RecvFlags::DONTWAIT).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidState, "{err}");
    assert_eq!(err.errno(), e::EFSM);

    req.connect("inproc://errors-req-turn").unwrap();
    let rep = ctx.socket(SocketType::Rep).unwrap();
    rep.set_linger(Some(Duration::ZERO)).unwrap();
    rep.bind("inproc://errors-req-turn").unwrap();
    req.send(b"one", SendFlags::empty()).unwrap();
    let err = req.send(b"two", SendFlags::empty()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidState, "{err}");
    // A REP socket cannot send before it has received.
    let err = ctx
        .socket(SocketType::Rep)
        .unwrap()
        .send(b"x", SendFlags::empty())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidState, "{err}");
}

#[test]
fn nothing_to_receive_is_would_block() {
    let ctx = Context::new().unwrap();
    let pull = ctx.socket(SocketType::Pull).unwrap();
    let err = pull.recv_bytes(RecvFlags::DONTWAIT).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WouldBlock);
    assert!(err.is_would_block());
}

#[test]
fn receiving_on_a_send_only_socket_is_not_supported() {
    let ctx = Context::new().unwrap();
    let push = ctx.socket(SocketType::Push).unwrap();
    let err = push.recv_bytes(RecvFlags::DONTWAIT).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotSupported, "{err}");
}

#[test]
fn router_mandatory_to_unknown_peer_is_host_unreachable() {
    let ctx = Context::new().unwrap();
    let router = ctx.socket(SocketType::Router).unwrap();
    router.set_linger(Some(Duration::ZERO)).unwrap();
    router.set_router_mandatory(true).unwrap();
    let err = router.send(b"nobody", SendFlags::SNDMORE).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HostUnreachable, "{err}");
}

#[test]
fn zero_io_threads_and_tcp_is_too_many_open() {
    let ctx = Context::builder().io_threads(0).build().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    let err = sock.bind("tcp://127.0.0.1:*").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooManyOpen, "{err}");
    assert_eq!(err.errno(), e::EMTHREAD);
}

#[cfg(unix)]
#[test]
fn ipc_path_in_a_missing_directory_is_an_error() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    let dir = std::env::temp_dir().join(format!("zmq4-errors-missing-{}", std::process::id()));
    let endpoint = format!("ipc://{}/sock", dir.join("no/such/dir").display());
    let err = sock.bind(&endpoint).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert!(err.to_string().contains(&endpoint));
}

/// The mistakes a newcomer makes, and what the errors say about them:
/// what happened and the rule broken, never a contradicting errno text.
#[test]
fn a_newcomers_mistakes_read_as_what_happened() {
    let ctx = Context::new().unwrap();
    let text = |err: &Error| err.to_string();
    let no_errno_text = |err: &Error| {
        let t = err.to_string();
        assert!(!t.contains("Resource temporarily unavailable"), "{t}");
        assert!(!t.ends_with("Invalid argument"), "{t}");
        t
    };

    // A receive that times out.
    let pull = ctx.socket(SocketType::Pull).unwrap();
    pull.set_rcvtimeo(Some(Duration::from_millis(50))).unwrap();
    pull.bind("inproc://newcomer-timeout").unwrap();
    let err = pull.recv_msg(RecvFlags::empty()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut);
    assert!(err.is_timed_out() && err.is_would_block(), "both EAGAIN");
    assert!(
        no_errno_text(&err).contains("receive timed out after 50ms (RCVTIMEO)"),
        "{err}"
    );
    // Under DONTWAIT it is still "would block".
    let err = pull.recv_msg(RecvFlags::DONTWAIT).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WouldBlock);

    // A send that times out.
    let push = ctx.socket(SocketType::Push).unwrap();
    push.set_linger(Some(Duration::ZERO)).unwrap();
    push.set_sndtimeo(Some(Duration::from_millis(40))).unwrap();
    let err = push.send("nobody", SendFlags::empty()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut);
    assert!(
        no_errno_text(&err).contains("send timed out after 40ms (SNDTIMEO)"),
        "{err}"
    );

    // REQ out of turn.
    let req = ctx.socket(SocketType::Req).unwrap();
    req.set_linger(Some(Duration::ZERO)).unwrap();
    req.connect("inproc://newcomer-req").unwrap();
    req.send("one", SendFlags::DONTWAIT).ok();
    let err = req.send("two", SendFlags::DONTWAIT).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidState);
    assert!(
        text(&err)
            .contains("a REQ socket must receive the reply to its request before it sends another"),
        "{err}"
    );

    // The wrong direction for the type.
    let err = pull.send("x", SendFlags::DONTWAIT).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotSupported);
    assert!(text(&err).contains("a PULL socket cannot send"), "{err}");
    let publisher = ctx.socket(SocketType::Pub).unwrap();
    let err = publisher.recv_msg(RecvFlags::DONTWAIT).unwrap_err();
    assert!(text(&err).contains("a PUB socket cannot receive"), "{err}");

    // A secured server without an authenticator: no contradicting errno.
    if zmq4::has("curve") {
        let server = ctx.socket(SocketType::Rep).unwrap();
        let keys = zmq4::CurveKeyPair::generate().unwrap();
        let err = server.make_curve_server("", &keys).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidState);
        no_errno_text(&err);
    }

    // A host that is not this machine's, for bind.
    let s = ctx.socket(SocketType::Pull).unwrap();
    let err = s.bind("tcp://nosuchhost:5555").unwrap_err();
    assert!(
        text(&err)
            .contains("\"nosuchhost\" is not an address or a network interface of this machine"),
        "{err}"
    );
    // A port out of range, for connect and bind alike.
    for result in [
        s.connect("tcp://127.0.0.1:99999"),
        s.bind("tcp://127.0.0.1:70000"),
    ] {
        let err = result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidEndpoint);
        assert!(text(&err).contains("is out of range (0 to 65535)"), "{err}");
    }

    // Option values and socket types.
    let router = ctx.socket(SocketType::Router).unwrap();
    let err = router.set_routing_id([7u8; 300]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(
        no_errno_text(&err).contains("a routing id is 1 to 255 bytes long; this one has 300"),
        "{err}"
    );
    let rep = ctx.socket(SocketType::Rep).unwrap();
    let err = rep.set_subscribe("topic").unwrap_err();
    assert!(
        no_errno_text(&err).contains("ZMQ_SUBSCRIBE applies to SUB sockets, not to a REP socket"),
        "{err}"
    );
    let err = rep.set_req_relaxed(true).unwrap_err();
    assert!(
        text(&err).contains("ZMQ_REQ_RELAXED applies to REQ sockets, not to a REP socket"),
        "{err}"
    );
    let err = rep.set_xpub_nodrop(true).unwrap_err();
    assert!(
        text(&err).contains("ZMQ_XPUB_NODROP applies to XPUB and PUB sockets"),
        "{err}"
    );
}
