//! The event table against libzmq's ids, the value conversions on 64-bit
//! values the frames can carry, the protocol error table in full, and
//! what the parsers say about malformed frames.

use super::*;

/// Every `ProtocolError` but `Unknown`. The match of [`listed`] has no
/// wildcard, so a new variant must be added here to compile.
const ALL_PROTOCOL_ERRORS: [ProtocolError; 21] = [
    ProtocolError::ZmtpUnspecified,
    ProtocolError::ZmtpUnexpectedCommand,
    ProtocolError::ZmtpInvalidSequence,
    ProtocolError::ZmtpKeyExchange,
    ProtocolError::ZmtpMalformedCommandUnspecified,
    ProtocolError::ZmtpMalformedCommandMessage,
    ProtocolError::ZmtpMalformedCommandHello,
    ProtocolError::ZmtpMalformedCommandInitiate,
    ProtocolError::ZmtpMalformedCommandError,
    ProtocolError::ZmtpMalformedCommandReady,
    ProtocolError::ZmtpMalformedCommandWelcome,
    ProtocolError::ZmtpInvalidMetadata,
    ProtocolError::ZmtpCryptographic,
    ProtocolError::ZmtpMechanismMismatch,
    ProtocolError::ZapUnspecified,
    ProtocolError::ZapMalformedReply,
    ProtocolError::ZapBadRequestId,
    ProtocolError::ZapBadVersion,
    ProtocolError::ZapInvalidStatusCode,
    ProtocolError::ZapInvalidMetadata,
    ProtocolError::WsUnspecified,
];

fn listed(e: ProtocolError) -> bool {
    match e {
        ProtocolError::ZmtpUnspecified
        | ProtocolError::ZmtpUnexpectedCommand
        | ProtocolError::ZmtpInvalidSequence
        | ProtocolError::ZmtpKeyExchange
        | ProtocolError::ZmtpMalformedCommandUnspecified
        | ProtocolError::ZmtpMalformedCommandMessage
        | ProtocolError::ZmtpMalformedCommandHello
        | ProtocolError::ZmtpMalformedCommandInitiate
        | ProtocolError::ZmtpMalformedCommandError
        | ProtocolError::ZmtpMalformedCommandReady
        | ProtocolError::ZmtpMalformedCommandWelcome
        | ProtocolError::ZmtpInvalidMetadata
        | ProtocolError::ZmtpCryptographic
        | ProtocolError::ZmtpMechanismMismatch
        | ProtocolError::ZapUnspecified
        | ProtocolError::ZapMalformedReply
        | ProtocolError::ZapBadRequestId
        | ProtocolError::ZapBadVersion
        | ProtocolError::ZapInvalidStatusCode
        | ProtocolError::ZapInvalidMetadata
        | ProtocolError::WsUnspecified => ALL_PROTOCOL_ERRORS.contains(&e),
        ProtocolError::Unknown(_) => false,
    }
}

/// The fd libzmq reports for a socket it no longer has.
#[cfg(unix)]
const NO_FD: RawFd = -1;
#[cfg(not(unix))]
const NO_FD: RawFd = !0;

fn v1(id: u16, value: u32, endpoint: &[u8]) -> Result<MonitorEvent> {
    let mut head = id.to_ne_bytes().to_vec();
    head.extend_from_slice(&value.to_ne_bytes());
    MonitorEvent::parse_v1(&[&head[..], endpoint])
}

fn v2(id: u64, values: &[u64], local: &str, remote: &str) -> Vec<Vec<u8>> {
    let mut frames = vec![
        id.to_ne_bytes().to_vec(),
        (values.len() as u64).to_ne_bytes().to_vec(),
    ];
    frames.extend(values.iter().map(|v| v.to_ne_bytes().to_vec()));
    frames.push(local.as_bytes().to_vec());
    frames.push(remote.as_bytes().to_vec());
    frames
}

#[test]
fn every_event_flag_is_one_bit_with_a_kind_of_its_own() {
    let mut kinds = Vec::new();
    for (name, flag) in MonitorEvents::all().iter_names() {
        let bits = flag.bits();
        assert_eq!(bits.count_ones(), 1, "{name}");
        let kind = EventKind::from_raw(bits, 0);
        #[cfg(feature = "draft")]
        if flag == MonitorEvents::PIPES_STATS {
            // Documented as reported with its values, as Unknown.
            assert!(matches!(kind, EventKind::Unknown { .. }), "{name}");
            continue;
        }
        assert!(!matches!(kind, EventKind::Unknown { .. }), "{name}");
        let variant = std::mem::discriminant(&kind);
        assert!(!kinds.contains(&variant), "{name} shares a kind");
        kinds.push(variant);
    }
    assert_eq!(kinds.len(), 15);
}

#[test]
fn all_events_are_within_libzmqs_event_all() {
    let all = MonitorEvents::ALL.bits();
    #[cfg(feature = "draft")]
    let all = all & !MonitorEvents::PIPES_STATS.bits();
    assert_eq!(all & !(ffi::ZMQ_EVENT_ALL as u64), 0, "{all:#x}");
    assert_eq!(MonitorEvents::ALL, MonitorEvents::all());
}

#[test]
fn every_event_id_reads_its_value_as_the_right_thing() {
    use EventKind::*;
    let value = 0x1_0000_0007u64; // 7, widened with bits above 32

    // An fd is a C int on Unix, cut to 32 bits as the errnos are; on
    // Windows a 64-bit SOCKET, kept whole.
    #[cfg(unix)]
    let fd = 7;
    #[cfg(not(unix))]
    let fd = value;
    let table = [
        (ffi::ZMQ_EVENT_CONNECTED, Connected { fd }),
        (ffi::ZMQ_EVENT_CONNECT_DELAYED, ConnectDelayed { errno: 7 }),
        (
            ffi::ZMQ_EVENT_CONNECT_RETRIED,
            ConnectRetried {
                interval: Duration::from_millis(value),
            },
        ),
        (ffi::ZMQ_EVENT_LISTENING, Listening { fd }),
        (ffi::ZMQ_EVENT_BIND_FAILED, BindFailed { errno: 7 }),
        (ffi::ZMQ_EVENT_ACCEPTED, Accepted { fd }),
        (ffi::ZMQ_EVENT_ACCEPT_FAILED, AcceptFailed { errno: 7 }),
        (ffi::ZMQ_EVENT_CLOSED, Closed { fd }),
        (ffi::ZMQ_EVENT_CLOSE_FAILED, CloseFailed { errno: 7 }),
        (ffi::ZMQ_EVENT_DISCONNECTED, Disconnected { fd }),
        (ffi::ZMQ_EVENT_MONITOR_STOPPED, MonitorStopped),
        (
            ffi::ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL,
            HandshakeFailedNoDetail { errno: 7 },
        ),
        (
            ffi::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
            HandshakeFailedProtocol {
                code: ProtocolError::Unknown(7),
            },
        ),
        (
            ffi::ZMQ_EVENT_HANDSHAKE_FAILED_AUTH,
            HandshakeFailedAuth { status_code: 7 },
        ),
        (ffi::ZMQ_EVENT_HANDSHAKE_SUCCEEDED, HandshakeSucceeded),
    ];
    for (id, kind) in table {
        assert_eq!(EventKind::from_raw(id as u64, value), kind, "event {id}");
    }
}

#[test]
fn errnos_come_back_with_their_sign() {
    // A negative C int widened to 64 bits, and one sent as 32 bits.
    for value in [u64::MAX, u64::from(u32::MAX)] {
        assert_eq!(
            EventKind::from_raw(ffi::ZMQ_EVENT_BIND_FAILED as u64, value),
            EventKind::BindFailed { errno: -1 }
        );
    }
    assert_eq!(
        EventKind::from_raw(ffi::ZMQ_EVENT_ACCEPT_FAILED as u64, 0x8000_0000),
        EventKind::AcceptFailed { errno: i32::MIN }
    );
}

#[test]
fn a_retry_interval_keeps_every_bit() {
    assert_eq!(
        EventKind::from_raw(ffi::ZMQ_EVENT_CONNECT_RETRIED as u64, u64::MAX),
        EventKind::ConnectRetried {
            interval: Duration::from_millis(u64::MAX)
        }
    );
}

#[cfg(unix)]
#[test]
fn fds_are_c_ints_with_their_sign() {
    assert_eq!(fd_from(0), 0);
    assert_eq!(fd_from(7), 7);
    assert_eq!(fd_from(i32::MAX as u64), i32::MAX);
    assert_eq!(fd_from(u64::from(u32::MAX)), -1);
    assert_eq!(fd_from(u64::MAX), -1);
    assert_eq!(fd_from(0x8000_0000), i32::MIN);
    assert_eq!(fd_from(0xFFFF_FFFF_8000_0000), i32::MIN);
    assert_eq!(fd_from(0x1_0000_0005), 5);
}

#[cfg(not(unix))]
#[test]
fn fds_are_sockets_and_a_32_bit_invalid_socket_is_all_ones() {
    assert_eq!(fd_from(0), 0);
    assert_eq!(fd_from(7), 7);
    assert_eq!(fd_from(u64::from(u32::MAX)), !0);
    assert_eq!(fd_from(u64::MAX), !0);
    assert_eq!(fd_from(u64::from(u32::MAX) - 1), u64::from(u32::MAX) - 1);
}

#[test]
fn a_closed_socket_libzmq_no_longer_has_is_no_fd() {
    for value in [u64::from(u32::MAX), u64::MAX] {
        assert_eq!(
            EventKind::from_raw(ffi::ZMQ_EVENT_CLOSED as u64, value),
            EventKind::Closed { fd: NO_FD }
        );
    }
}

#[test]
fn ids_outside_the_table_are_unknown_and_keep_their_numbers() {
    let connected = ffi::ZMQ_EVENT_CONNECTED as u64;
    for event in [
        0,
        3, // two bits
        0x8000,
        0x2_0000,
        i32::MAX as u64,
        i32::MAX as u64 + 1,
        u32::MAX as u64,
        // A known id in the low bits is not that event.
        (1 << 32) | connected,
        u64::MAX,
    ] {
        assert_eq!(
            EventKind::from_raw(event, 42),
            EventKind::Unknown { event, value: 42 },
            "{event:#x}"
        );
    }
}

#[test]
fn every_protocol_error_has_its_own_code_and_comes_back_from_it() {
    for (i, e) in ALL_PROTOCOL_ERRORS.iter().enumerate() {
        assert!(listed(*e));
        let code = e.as_raw();
        assert_ne!(code, 0, "{e:?} is missing from the table");
        assert_eq!(ProtocolError::from_raw(code), *e);
        for other in &ALL_PROTOCOL_ERRORS[i + 1..] {
            assert_ne!(code, other.as_raw(), "{e:?} and {other:?}");
        }
    }
    assert_eq!(PROTOCOL_ERRORS.len(), ALL_PROTOCOL_ERRORS.len());
    assert!(!listed(ProtocolError::Unknown(1)));
    assert_eq!(
        ProtocolError::ZmtpUnspecified.as_raw(),
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED as u32
    );
    assert_eq!(
        ProtocolError::WsUnspecified.as_raw(),
        ffi::ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED as u32
    );
}

#[test]
fn unknown_protocol_codes_round_trip_as_unknown() {
    for code in [0, 1, 0x1000_0004, 0x2000_0006, 0x3000_0001, u32::MAX] {
        let e = ProtocolError::from_raw(code);
        assert_eq!(e, ProtocolError::Unknown(code), "{code:#x}");
        assert_eq!(e.as_raw(), code);
    }
}

#[test]
fn format_1_says_what_is_wrong_with_its_frames() {
    let head = [0u8; 6];
    let cases: [(&[&[u8]], &str); 5] = [
        (&[], "format 1 has 2 frames, got 0"),
        (&[&head], "format 1 has 2 frames, got 1"),
        (&[&head, b"e", b"x"], "format 1 has 2 frames, got 3"),
        (&[&head[..5], b"e"], "first frame has 6 bytes, got 5"),
        (&[&[0u8; 8], b"e"], "first frame has 6 bytes, got 8"),
    ];
    for (frames, why) in cases {
        let err = MonitorEvent::parse_v1(frames).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{why}");
        assert_eq!(err.errno(), ffi::errno::EINVAL);
        let text = err.to_string();
        assert!(text.starts_with("malformed monitor event: "), "{text}");
        assert!(text.contains(why), "{text}");
    }
}

#[test]
fn format_1_reads_a_16_bit_id_and_a_32_bit_value() {
    let ev = v1(u16::MAX, u32::MAX, b"tcp://a:1").unwrap();
    assert_eq!(ev.id(), u64::from(u16::MAX));
    assert_eq!(ev.values(), [u64::from(u32::MAX)]);
    assert_eq!(
        ev.kind(),
        EventKind::Unknown {
            event: 0xFFFF,
            value: 0xFFFF_FFFF
        }
    );
    assert_eq!(ev.remote(), None);
}

#[test]
fn format_2_says_what_is_wrong_with_its_frames() {
    let good = v2(1, &[5, 6], "l", "r");
    let frames = |f: &dyn Fn(&mut Vec<Vec<u8>>)| {
        let mut frames = good.clone();
        f(&mut frames);
        frames
    };
    let cases = [
        (good[..3].to_vec(), "at least 4 frames, got 3"),
        (Vec::new(), "at least 4 frames, got 0"),
        (frames(&|f| f[0].push(0)), "event frame has 8 bytes, got 9"),
        (
            frames(&|f| f[1].truncate(4)),
            "value count frame has 8 bytes, got 4",
        ),
        (frames(&|f| f[3].clear()), "value frame has 8 bytes, got 0"),
        (
            frames(&|f| {
                f.pop();
            }),
            "with 2 values has 2+4 frames, got 5",
        ),
        (
            frames(&|f| f.push(b"x".to_vec())),
            "with 2 values has 2+4 frames, got 7",
        ),
    ];
    for (frames, why) in cases {
        let err = MonitorEvent::parse_v2(&frames).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{why}");
        let text = err.to_string();
        assert!(text.starts_with("malformed monitor event: "), "{text}");
        assert!(text.contains(why), "{text}");
    }
}

#[test]
fn a_value_count_near_the_end_of_usize_is_refused_not_overflowed() {
    let max = usize::MAX as u64;
    for count in [max - 3, max - 2, max, u64::MAX, 1 << 40] {
        let mut frames = v2(1, &[], "l", "r");
        frames[1] = count.to_ne_bytes().to_vec();
        let err = MonitorEvent::parse_v2(&frames).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{count}");
        assert!(err.to_string().contains("got 4"), "{err}");
    }
}

#[test]
fn format_2_takes_its_kind_from_the_first_value() {
    let frames = v2(
        ffi::ZMQ_EVENT_ACCEPTED as u64,
        &[9, 1, 2],
        "tcp://l:1",
        "tcp://r:2",
    );
    let ev = MonitorEvent::parse_v2(&frames).unwrap();
    assert_eq!(ev.kind(), EventKind::Accepted { fd: 9 });
    assert_eq!(ev.value(), 9);
    assert_eq!(ev.values(), [9, 1, 2]);
    assert_eq!(ev.endpoint(), "tcp://l:1");
    assert_eq!(ev.remote(), Some("tcp://r:2"));

    // With no value, the kind reads 0.
    let frames = v2(ffi::ZMQ_EVENT_CONNECTED as u64, &[], "", "");
    let ev = MonitorEvent::parse_v2(&frames).unwrap();
    assert_eq!(ev.kind(), EventKind::Connected { fd: 0 });
    assert_eq!(ev.value(), 0);
}

#[test]
fn display_names_the_kind_the_endpoint_and_a_remote_when_there_is_one() {
    let ev = v1(ffi::ZMQ_EVENT_LISTENING as u16, 7, b"tcp://127.0.0.1:5555").unwrap();
    assert_eq!(
        ev.to_string(),
        "Listening { fd: 7 } on \"tcp://127.0.0.1:5555\""
    );
    let with_remote = MonitorEvent::parse_v2(&v2(
        ffi::ZMQ_EVENT_HANDSHAKE_SUCCEEDED as u64,
        &[0],
        "tcp://l:1",
        "tcp://r:2",
    ))
    .unwrap();
    assert_eq!(
        with_remote.to_string(),
        "HandshakeSucceeded on \"tcp://l:1\" (remote \"tcp://r:2\")"
    );
    let empty_remote =
        MonitorEvent::parse_v2(&v2(ffi::ZMQ_EVENT_MONITOR_STOPPED as u64, &[0], "", "")).unwrap();
    assert_eq!(empty_remote.to_string(), "MonitorStopped on \"\"");
}
