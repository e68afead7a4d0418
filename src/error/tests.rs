//! The errno map, the kinds' texts, how an error reads, and what it turns
//! into for `std::io`: tables that cover every kind and every errno the
//! crate names.

use std::io;
use std::os::raw::c_int;

use super::*;

/// Every kind, in declaration order.
const ALL_KINDS: [ErrorKind; 23] = [
    ErrorKind::WouldBlock,
    ErrorKind::TimedOut,
    ErrorKind::Interrupted,
    ErrorKind::Terminated,
    ErrorKind::HostUnreachable,
    ErrorKind::InvalidEndpoint,
    ErrorKind::InvalidArgument,
    ErrorKind::ProtocolNotSupported,
    ErrorKind::IncompatibleProtocol,
    ErrorKind::AddressInUse,
    ErrorKind::AddressNotAvailable,
    ErrorKind::NoSuchDevice,
    ErrorKind::NotSupported,
    ErrorKind::InvalidState,
    ErrorKind::NotASocket,
    ErrorKind::NotFound,
    ErrorKind::TooManyOpen,
    ErrorKind::MessageTooLarge,
    ErrorKind::ConnectionRefused,
    ErrorKind::PermissionDenied,
    ErrorKind::OutOfMemory,
    ErrorKind::InvalidUtf8,
    ErrorKind::Other,
];

/// The position of `kind` in [`ALL_KINDS`]. The match has no wildcard, so a
/// new kind does not compile until it is listed here, and then the list
/// test fails until it is in `ALL_KINDS` too.
fn position(kind: ErrorKind) -> usize {
    match kind {
        ErrorKind::WouldBlock => 0,
        ErrorKind::TimedOut => 1,
        ErrorKind::Interrupted => 2,
        ErrorKind::Terminated => 3,
        ErrorKind::HostUnreachable => 4,
        ErrorKind::InvalidEndpoint => 5,
        ErrorKind::InvalidArgument => 6,
        ErrorKind::ProtocolNotSupported => 7,
        ErrorKind::IncompatibleProtocol => 8,
        ErrorKind::AddressInUse => 9,
        ErrorKind::AddressNotAvailable => 10,
        ErrorKind::NoSuchDevice => 11,
        ErrorKind::NotSupported => 12,
        ErrorKind::InvalidState => 13,
        ErrorKind::NotASocket => 14,
        ErrorKind::NotFound => 15,
        ErrorKind::TooManyOpen => 16,
        ErrorKind::MessageTooLarge => 17,
        ErrorKind::ConnectionRefused => 18,
        ErrorKind::PermissionDenied => 19,
        ErrorKind::OutOfMemory => 20,
        ErrorKind::InvalidUtf8 => 21,
        ErrorKind::Other => 22,
    }
}

/// Every errno of `sys::ffi::errno`, POSIX and libzmq's own, with its kind.
fn errno_table() -> Vec<(&'static str, c_int, ErrorKind)> {
    use ErrorKind as K;
    vec![
        ("EACCES", e::EACCES, K::PermissionDenied),
        ("EADDRINUSE", e::EADDRINUSE, K::AddressInUse),
        ("EADDRNOTAVAIL", e::EADDRNOTAVAIL, K::AddressNotAvailable),
        ("EAFNOSUPPORT", e::EAFNOSUPPORT, K::Other),
        ("EAGAIN", e::EAGAIN, K::WouldBlock),
        ("EBADF", e::EBADF, K::Other),
        ("ECONNABORTED", e::ECONNABORTED, K::Other),
        ("ECONNREFUSED", e::ECONNREFUSED, K::ConnectionRefused),
        ("ECONNRESET", e::ECONNRESET, K::Other),
        ("EFAULT", e::EFAULT, K::Other),
        ("EHOSTUNREACH", e::EHOSTUNREACH, K::HostUnreachable),
        ("EINPROGRESS", e::EINPROGRESS, K::Other),
        ("EINTR", e::EINTR, K::Interrupted),
        ("EINVAL", e::EINVAL, K::InvalidArgument),
        ("EMFILE", e::EMFILE, K::TooManyOpen),
        ("EMSGSIZE", e::EMSGSIZE, K::MessageTooLarge),
        ("ENETDOWN", e::ENETDOWN, K::Other),
        ("ENETRESET", e::ENETRESET, K::Other),
        ("ENETUNREACH", e::ENETUNREACH, K::Other),
        ("ENOBUFS", e::ENOBUFS, K::OutOfMemory),
        ("ENODEV", e::ENODEV, K::NoSuchDevice),
        ("ENOENT", e::ENOENT, K::NotFound),
        ("ENOMEM", e::ENOMEM, K::OutOfMemory),
        ("ENOTCONN", e::ENOTCONN, K::Other),
        ("ENOTSOCK", e::ENOTSOCK, K::NotASocket),
        ("ENOTSUP", e::ENOTSUP, K::NotSupported),
        ("EPERM", e::EPERM, K::PermissionDenied),
        ("EPROTO", e::EPROTO, K::Other),
        (
            "EPROTONOSUPPORT",
            e::EPROTONOSUPPORT,
            K::ProtocolNotSupported,
        ),
        // A timeout of a blocking call is told apart by the caller, which
        // knows whether DONTWAIT was given; the errno alone is no kind.
        ("ETIMEDOUT", e::ETIMEDOUT, K::Other),
        ("EFSM", e::EFSM, K::InvalidState),
        ("ENOCOMPATPROTO", e::ENOCOMPATPROTO, K::IncompatibleProtocol),
        ("ETERM", e::ETERM, K::Terminated),
        ("EMTHREAD", e::EMTHREAD, K::TooManyOpen),
    ]
}

#[test]
fn the_kind_list_of_these_tests_is_complete_and_in_order() {
    for (i, kind) in ALL_KINDS.iter().enumerate() {
        assert_eq!(position(*kind), i, "{kind:?}");
    }
}

#[test]
fn every_named_errno_maps_to_its_kind() {
    for (name, errno, kind) in errno_table() {
        assert_eq!(ErrorKind::from_errno(errno), kind, "{name} ({errno})");
    }
}

#[test]
fn the_named_errnos_are_distinct_numbers() {
    // A map keyed by value would silently send two names to one kind.
    let table = errno_table();
    for (i, (a, x, _)) in table.iter().enumerate() {
        for (b, y, _) in &table[i + 1..] {
            assert_ne!(x, y, "{a} and {b} have the same value");
        }
    }
}

#[test]
fn libzmqs_own_errnos_sit_above_its_base_number() {
    for errno in [e::EFSM, e::ENOCOMPATPROTO, e::ETERM, e::EMTHREAD] {
        assert!(errno > crate::sys::ffi::ZMQ_HAUSNUMERO, "{errno}");
    }
}

#[test]
fn unknown_errnos_are_other() {
    let named: Vec<c_int> = errno_table().iter().map(|(_, n, _)| *n).collect();
    let odd = [
        0,
        -1,
        c_int::MIN,
        c_int::MAX,
        crate::sys::ffi::ZMQ_HAUSNUMERO,
        e::EMTHREAD + 1,
        e::EFSM - 1,
    ];
    for errno in odd.into_iter().chain(0..1000) {
        if !named.contains(&errno) {
            assert_eq!(ErrorKind::from_errno(errno), ErrorKind::Other, "{errno}");
        }
    }
}

#[test]
fn kinds_the_caller_decides_never_come_from_an_errno() {
    // TimedOut, InvalidEndpoint and InvalidUtf8 need to know the call;
    // the errno map must leave them to it.
    let caller_only = [
        ErrorKind::TimedOut,
        ErrorKind::InvalidEndpoint,
        ErrorKind::InvalidUtf8,
    ];
    let errnos = errno_table().into_iter().map(|(_, n, _)| n).chain(-5..1000);
    for errno in errnos {
        let kind = ErrorKind::from_errno(errno);
        assert!(!caller_only.contains(&kind), "{errno} gave {kind:?}");
    }
}

#[test]
fn every_kind_but_the_callers_own_is_reached_by_some_errno() {
    let reached: Vec<ErrorKind> = errno_table().into_iter().map(|(_, _, k)| k).collect();
    for kind in ALL_KINDS {
        let callers = matches!(
            kind,
            ErrorKind::TimedOut | ErrorKind::InvalidEndpoint | ErrorKind::InvalidUtf8
        );
        assert_eq!(reached.contains(&kind), !callers, "{kind:?}");
    }
}

#[test]
fn every_kind_has_its_own_description_which_display_shows() {
    for (i, kind) in ALL_KINDS.iter().enumerate() {
        let text = kind.description();
        assert!(!text.is_empty(), "{kind:?}");
        assert_eq!(kind.to_string(), text);
        // It is read inside sentences ("...: operation would block").
        assert!(
            text.starts_with(|c: char| c.is_ascii_lowercase()),
            "{text:?}"
        );
        assert!(!text.ends_with('.'), "{text:?}");
        for other in &ALL_KINDS[i + 1..] {
            assert_ne!(text, other.description(), "{kind:?} and {other:?}");
        }
    }
    assert_eq!(ErrorKind::WouldBlock.description(), "operation would block");
    assert_eq!(ErrorKind::Terminated.description(), "context terminated");
    assert_eq!(ErrorKind::Other.description(), "other error");
}

#[test]
fn an_errno_error_reads_as_libzmqs_text_without_a_detail() {
    let err = Error::from_errno(e::EINVAL);
    assert_eq!(err.errno(), e::EINVAL);
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert_eq!(err.detail(), None);
    assert!(!err.message().is_empty());
    assert_eq!(err.to_string(), err.message());
    assert_eq!(err.to_string(), Errno(e::EINVAL).message());
}

#[test]
fn a_detail_is_put_before_libzmqs_text() {
    let err = Error::from_errno(e::EADDRINUSE).with_detail("binding tcp://*:5555");
    assert_eq!(err.detail(), Some("binding tcp://*:5555"));
    assert_eq!(
        err.to_string(),
        format!("binding tcp://*:5555: {}", err.message())
    );
    // A second detail replaces the first.
    let err = err.with_detail("binding tcp://*:6666");
    assert_eq!(err.detail(), Some("binding tcp://*:6666"));
    assert!(!err.to_string().contains("5555"), "{err}");
}

#[test]
fn an_error_of_our_own_reads_as_its_detail_alone_with_errno_einval() {
    let err = Error::invalid(ErrorKind::InvalidEndpoint, "no port in \"tcp://x\"");
    assert_eq!(err.kind(), ErrorKind::InvalidEndpoint);
    assert_eq!(err.errno(), e::EINVAL);
    assert_eq!(err.detail(), Some("no port in \"tcp://x\""));
    assert_eq!(err.to_string(), "no port in \"tcp://x\"");
    // Another detail keeps it complete: libzmq's text is still left out.
    let err = err.with_detail("endpoint tcp://x: no port");
    assert_eq!(err.to_string(), "endpoint tcp://x: no port");
}

#[test]
fn an_explained_error_keeps_its_errno_and_reads_as_the_explanation() {
    let err = Error::from_errno(e::EAGAIN)
        .with_detail("receiving")
        .explained(ErrorKind::TimedOut, "no message within RCVTIMEO (100ms)");
    assert_eq!(err.kind(), ErrorKind::TimedOut);
    assert_eq!(err.errno(), e::EAGAIN);
    assert_eq!(err.detail(), Some("no message within RCVTIMEO (100ms)"));
    assert_eq!(err.to_string(), "no message within RCVTIMEO (100ms)");
    assert!(!err.to_string().contains(&err.message()), "{err}");
}

#[test]
fn with_kind_changes_the_kind_only() {
    let err = Error::from_errno(e::EINVAL)
        .with_detail("binding x")
        .with_kind(ErrorKind::InvalidEndpoint);
    assert_eq!(err.kind(), ErrorKind::InvalidEndpoint);
    assert_eq!(err.errno(), e::EINVAL);
    assert_eq!(err.detail(), Some("binding x"));
    assert_eq!(err.to_string(), format!("binding x: {}", err.message()));
}

#[test]
fn an_invalid_utf8_error_gives_the_bytes_back() {
    let bytes = vec![b'o', b'k', 0xff, 0xfe];
    let err = Error::invalid_utf8(String::from_utf8(bytes.clone()).unwrap_err());
    assert_eq!(err.kind(), ErrorKind::InvalidUtf8);
    assert_eq!(err.errno(), e::EINVAL);
    assert!(err.to_string().contains("not valid UTF-8"), "{err}");
    assert!(err.to_string().contains("index 2"), "{err}");
    assert_eq!(err.into_bytes(), Some(bytes));
    assert_eq!(Error::from_errno(e::EINVAL).into_bytes(), None);
}

#[test]
fn unsent_parts_travel_with_the_error() {
    let err = Error::from_errno(e::EAGAIN);
    assert!(err.unsent().is_empty());
    // No parts: nothing is allocated for them, and the error stays plain.
    let err = err.with_unsent(Vec::new());
    assert!(err.extra.is_none());
    assert_eq!(err, Error::from_errno(e::EAGAIN));

    let parts = vec![
        Message::from(b"one".to_vec()),
        Message::from(b"two".to_vec()),
    ];
    let err = Error::from_errno(e::EAGAIN)
        .with_detail("sending")
        .with_unsent(parts);
    assert_eq!(err.unsent().len(), 2);
    assert_eq!(&err.unsent()[1][..], b"two");
    assert_eq!(err.detail(), Some("sending"));
    let back = err.into_unsent();
    assert_eq!(&back[0][..], b"one");
    assert!(Error::from_errno(e::EINTR).into_unsent().is_empty());
}

#[test]
fn debug_shows_kind_errno_text_and_a_detail_only_when_there_is_one() {
    let plain = format!("{:?}", Error::from_errno(e::ETERM));
    assert!(plain.contains("Terminated"), "{plain}");
    assert!(plain.contains(&e::ETERM.to_string()), "{plain}");
    assert!(plain.contains("Context was terminated"), "{plain}");
    assert!(!plain.contains("detail"), "{plain}");
    let detailed = format!(
        "{:?}",
        Error::from_errno(e::ENOENT).with_detail("unbinding x")
    );
    assert!(detailed.contains("detail: \"unbinding x\""), "{detailed}");
}

#[test]
fn would_block_timed_out_and_terminated_follow_errno_and_kind() {
    let would_block = Error::from_errno(e::EAGAIN);
    assert!(would_block.is_would_block());
    assert!(!would_block.is_timed_out());
    assert!(!would_block.is_terminated());

    // A timeout is still EAGAIN: both questions answer yes.
    let timed_out = Error::from_errno(e::EAGAIN).with_kind(ErrorKind::TimedOut);
    assert!(timed_out.is_would_block());
    assert!(timed_out.is_timed_out());

    let terminated = Error::from_errno(e::ETERM);
    assert!(terminated.is_terminated());
    assert!(!terminated.is_would_block());

    for (name, errno, _) in errno_table() {
        let err = Error::from_errno(errno);
        assert_eq!(err.is_would_block(), errno == e::EAGAIN, "{name}");
        assert_eq!(err.is_terminated(), errno == e::ETERM, "{name}");
        assert!(!err.is_timed_out(), "{name}");
    }
    // A kind given on our side counts, whatever the errno.
    assert!(Error::invalid(ErrorKind::Terminated, "x").is_terminated());
    assert!(!Error::invalid(ErrorKind::WouldBlock, "x").is_would_block());
}

#[test]
fn every_kind_becomes_the_nearest_io_error_kind_and_stays_inside() {
    use io::ErrorKind as Io;
    // No wildcard: a new kind must say what it becomes.
    let expected = |kind: ErrorKind| match kind {
        ErrorKind::WouldBlock => Io::WouldBlock,
        ErrorKind::TimedOut => Io::TimedOut,
        ErrorKind::Interrupted => Io::Interrupted,
        ErrorKind::Terminated => Io::BrokenPipe,
        ErrorKind::InvalidEndpoint | ErrorKind::InvalidArgument => Io::InvalidInput,
        ErrorKind::ProtocolNotSupported
        | ErrorKind::IncompatibleProtocol
        | ErrorKind::NotSupported => Io::Unsupported,
        ErrorKind::AddressInUse => Io::AddrInUse,
        ErrorKind::AddressNotAvailable => Io::AddrNotAvailable,
        ErrorKind::NotFound => Io::NotFound,
        ErrorKind::ConnectionRefused => Io::ConnectionRefused,
        ErrorKind::PermissionDenied => Io::PermissionDenied,
        ErrorKind::OutOfMemory => Io::OutOfMemory,
        ErrorKind::InvalidUtf8 => Io::InvalidData,
        ErrorKind::HostUnreachable
        | ErrorKind::NoSuchDevice
        | ErrorKind::InvalidState
        | ErrorKind::NotASocket
        | ErrorKind::TooManyOpen
        | ErrorKind::MessageTooLarge
        | ErrorKind::Other => Io::Other,
    };
    for kind in ALL_KINDS {
        let err = Error::invalid(kind, format!("a {kind:?} error"));
        let io_err = io::Error::from(err.clone());
        assert_eq!(io_err.kind(), expected(kind), "{kind:?}");
        // The zmq4 error is inside, whole, for whoever wants it back.
        let inner = io_err.get_ref().and_then(|e| e.downcast_ref::<Error>());
        assert_eq!(inner, Some(&err), "{kind:?}");
        assert_eq!(io_err.to_string(), err.to_string());
    }
}

#[cfg(target_pointer_width = "64")]
#[test]
fn a_result_of_nothing_or_an_error_is_two_words() {
    // The details are boxed so that the hot paths return in registers.
    assert_eq!(
        std::mem::size_of::<Result<()>>(),
        2 * std::mem::size_of::<usize>()
    );
}
