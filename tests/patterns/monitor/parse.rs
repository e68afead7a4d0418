//! The frame parsers of both event formats, on hand-made frames: every
//! event id, unknown ids, malformed frames.

use std::time::Duration;

use zmq4::sys::ffi;
use zmq4::{ErrorKind, EventKind, MonitorEvent, ProtocolError};

fn v1_head(event: u16, value: u32) -> Vec<u8> {
    let mut head = event.to_ne_bytes().to_vec();
    head.extend_from_slice(&value.to_ne_bytes());
    head
}

fn v2_frames(event: u64, values: &[u64], local: &str, remote: &str) -> Vec<Vec<u8>> {
    let mut frames = vec![
        event.to_ne_bytes().to_vec(),
        (values.len() as u64).to_ne_bytes().to_vec(),
    ];
    frames.extend(values.iter().map(|v| v.to_ne_bytes().to_vec()));
    frames.push(local.as_bytes().to_vec());
    frames.push(remote.as_bytes().to_vec());
    frames
}

/// Every event id with a value, and the kind it must give.
fn every_event() -> Vec<(i32, u32, EventKind)> {
    use EventKind::*;
    vec![
        (ffi::ZMQ_EVENT_CONNECTED, 7, Connected { fd: 7 }),
        (
            ffi::ZMQ_EVENT_CONNECT_DELAYED,
            115,
            ConnectDelayed { errno: 115 },
        ),
        (
            ffi::ZMQ_EVENT_CONNECT_RETRIED,
            250,
            ConnectRetried {
                interval: Duration::from_millis(250),
            },
        ),
        (ffi::ZMQ_EVENT_LISTENING, 9, Listening { fd: 9 }),
        (ffi::ZMQ_EVENT_BIND_FAILED, 98, BindFailed { errno: 98 }),
        (ffi::ZMQ_EVENT_ACCEPTED, 10, Accepted { fd: 10 }),
        (ffi::ZMQ_EVENT_ACCEPT_FAILED, 24, AcceptFailed { errno: 24 }),
        (
            ffi::ZMQ_EVENT_CLOSED,
            u32::MAX,
            Closed { fd: fd_minus_one() },
        ),
        (ffi::ZMQ_EVENT_CLOSE_FAILED, 5, CloseFailed { errno: 5 }),
        (ffi::ZMQ_EVENT_DISCONNECTED, 11, Disconnected { fd: 11 }),
        (ffi::ZMQ_EVENT_MONITOR_STOPPED, 0, MonitorStopped),
        (
            ffi::ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL,
            104,
            HandshakeFailedNoDetail { errno: 104 },
        ),
        (
            ffi::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
            ffi::ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC as u32,
            HandshakeFailedProtocol {
                code: ProtocolError::ZmtpCryptographic,
            },
        ),
        (
            ffi::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
            0x1234,
            HandshakeFailedProtocol {
                code: ProtocolError::Unknown(0x1234),
            },
        ),
        (
            ffi::ZMQ_EVENT_HANDSHAKE_FAILED_AUTH,
            400,
            HandshakeFailedAuth { status_code: 400 },
        ),
        (ffi::ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 0, HandshakeSucceeded),
        (
            0x8000,
            3,
            Unknown {
                event: 0x8000,
                value: 3,
            },
        ),
        (0, 0, Unknown { event: 0, value: 0 }),
    ]
}

#[cfg(unix)]
fn fd_minus_one() -> ffi::zmq_fd_t {
    -1
}
#[cfg(not(unix))]
fn fd_minus_one() -> ffi::zmq_fd_t {
    !0
}

#[test]
fn parse_v1_every_event() {
    for (id, value, kind) in every_event() {
        let head = v1_head(id as u16, value);
        let ev = MonitorEvent::parse_v1(&[&head[..], b"tcp://1.2.3.4:5"]).unwrap();
        assert_eq!(ev.kind(), kind, "event {id}");
        assert_eq!(ev.id(), id as u64);
        assert_eq!(ev.value(), u64::from(value));
        assert_eq!(ev.values(), &[u64::from(value)]);
        assert_eq!(ev.endpoint(), "tcp://1.2.3.4:5");
        assert_eq!(ev.remote(), None);
    }
}

#[test]
fn parse_v2_every_event() {
    for (id, value, kind) in every_event() {
        // Format 2 widens C ints to 64 bits with their sign.
        let wide = if value == u32::MAX {
            u64::MAX
        } else {
            u64::from(value)
        };
        let frames = v2_frames(id as u64, &[wide], "tcp://l:1", "tcp://r:2");
        let ev = MonitorEvent::parse_v2(&frames).unwrap();
        assert_eq!(ev.kind(), kind, "event {id}");
        assert_eq!(ev.id(), id as u64);
        assert_eq!(ev.value(), wide);
        assert_eq!(ev.endpoint(), "tcp://l:1");
        assert_eq!(ev.remote(), Some("tcp://r:2"));
    }
    // Several values, a 64-bit event id, no values at all.
    let frames = v2_frames(1 << 40, &[1, 2, 3], "", "");
    let ev = MonitorEvent::parse_v2(&frames).unwrap();
    assert_eq!(
        ev.kind(),
        EventKind::Unknown {
            event: 1 << 40,
            value: 1
        }
    );
    assert_eq!(ev.values(), &[1, 2, 3]);
    let ev = MonitorEvent::parse_v2(&v2_frames(0x10000, &[], "a", "b")).unwrap();
    assert_eq!(ev.values(), &[] as &[u64]);
    assert_eq!(ev.value(), 0);
}

#[test]
fn parse_v1_rejects_malformed_frames() {
    let head = v1_head(1, 2);
    let cases: Vec<Vec<&[u8]>> = vec![
        vec![],
        vec![&head[..]],                 // no endpoint frame
        vec![&head[..5], b"x"],          // truncated
        vec![b"1234567", b"x"],          // too long
        vec![&head[..], b"x", b"extra"], // a third frame
    ];
    for frames in cases {
        let err = MonitorEvent::parse_v1(&frames).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{frames:?}");
        assert!(err.to_string().contains("malformed monitor event"), "{err}");
    }
    // Bytes that are not UTF-8 in the endpoint are replaced, not an error.
    let ev = MonitorEvent::parse_v1(&[&head[..], b"ipc://\xff"]).unwrap();
    assert_eq!(ev.endpoint(), "ipc://\u{fffd}");
}

#[test]
fn parse_v2_rejects_malformed_frames() {
    let good = v2_frames(1, &[5, 6], "l", "r");
    let mut cases: Vec<Vec<Vec<u8>>> = Vec::new();
    cases.push(good[..3].to_vec()); // too few frames
    cases.push(good[..good.len() - 1].to_vec()); // remote address missing
    let mut extra = good.clone();
    extra.push(b"x".to_vec());
    cases.push(extra);
    let mut short_event = good.clone();
    short_event[0].pop();
    cases.push(short_event);
    let mut short_value = good.clone();
    short_value[3].truncate(3);
    cases.push(short_value);
    let mut huge_count = good.clone();
    huge_count[1] = u64::MAX.to_ne_bytes().to_vec();
    cases.push(huge_count);
    for frames in cases {
        let err = MonitorEvent::parse_v2(&frames).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{frames:?}");
    }
}

#[test]
fn protocol_error_codes_round_trip() {
    for code in [
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH,
        ffi::ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA,
        ffi::ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED,
    ] {
        let e = ProtocolError::from_raw(code as u32);
        assert!(!matches!(e, ProtocolError::Unknown(_)), "{code:#x}");
        assert_eq!(e.as_raw(), code as u32);
    }
    assert_eq!(ProtocolError::from_raw(7), ProtocolError::Unknown(7));
    assert_eq!(ProtocolError::Unknown(7).as_raw(), 7);
}
