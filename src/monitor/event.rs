//! Monitor events: the typed event set, the typed events, and the parser of
//! the frames libzmq sends for them.

use std::fmt;
use std::time::Duration;

use bitflags::bitflags;

use crate::error::{Error, ErrorKind, Result};
use crate::poll::RawFd;
use crate::sys::ffi;

bitflags! {
    /// Which events a [`Monitor`](crate::Monitor) reports (`ZMQ_EVENT_*`).
    ///
    /// `MonitorEvents::all()` is every event libzmq 4.3 names, plus
    /// `PIPES_STATS` with the `draft` feature. libzmq's `ZMQ_EVENT_ALL`
    /// (`0xFFFF`) also sets a bit that names no event; asking for it
    /// reports nothing more.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct MonitorEvents: u64 {
        /// `ZMQ_EVENT_CONNECTED`: a connection to a remote peer was made.
        const CONNECTED = ffi::ZMQ_EVENT_CONNECTED as u64;
        /// `ZMQ_EVENT_CONNECT_DELAYED`: a connect is in progress.
        const CONNECT_DELAYED = ffi::ZMQ_EVENT_CONNECT_DELAYED as u64;
        /// `ZMQ_EVENT_CONNECT_RETRIED`: a connect is tried again later.
        const CONNECT_RETRIED = ffi::ZMQ_EVENT_CONNECT_RETRIED as u64;
        /// `ZMQ_EVENT_LISTENING`: the socket listens on an endpoint.
        const LISTENING = ffi::ZMQ_EVENT_LISTENING as u64;
        /// `ZMQ_EVENT_BIND_FAILED`: a bind failed.
        const BIND_FAILED = ffi::ZMQ_EVENT_BIND_FAILED as u64;
        /// `ZMQ_EVENT_ACCEPTED`: a connection from a peer was accepted.
        const ACCEPTED = ffi::ZMQ_EVENT_ACCEPTED as u64;
        /// `ZMQ_EVENT_ACCEPT_FAILED`: accepting a connection failed.
        const ACCEPT_FAILED = ffi::ZMQ_EVENT_ACCEPT_FAILED as u64;
        /// `ZMQ_EVENT_CLOSED`: a connection or listener was closed.
        const CLOSED = ffi::ZMQ_EVENT_CLOSED as u64;
        /// `ZMQ_EVENT_CLOSE_FAILED`: closing a connection failed.
        const CLOSE_FAILED = ffi::ZMQ_EVENT_CLOSE_FAILED as u64;
        /// `ZMQ_EVENT_DISCONNECTED`: a connection was broken.
        const DISCONNECTED = ffi::ZMQ_EVENT_DISCONNECTED as u64;
        /// `ZMQ_EVENT_MONITOR_STOPPED`: the monitor was stopped; the last
        /// event a monitor reports.
        const MONITOR_STOPPED = ffi::ZMQ_EVENT_MONITOR_STOPPED as u64;
        /// `ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL`: a ZMTP handshake failed
        /// for a reason other than the protocol or authentication.
        const HANDSHAKE_FAILED_NO_DETAIL = ffi::ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL as u64;
        /// `ZMQ_EVENT_HANDSHAKE_SUCCEEDED`: a ZMTP handshake (with its
        /// security mechanism) succeeded.
        const HANDSHAKE_SUCCEEDED = ffi::ZMQ_EVENT_HANDSHAKE_SUCCEEDED as u64;
        /// `ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`: a ZMTP handshake failed
        /// on a protocol error.
        const HANDSHAKE_FAILED_PROTOCOL = ffi::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL as u64;
        /// `ZMQ_EVENT_HANDSHAKE_FAILED_AUTH`: the ZAP handler refused the
        /// peer.
        const HANDSHAKE_FAILED_AUTH = ffi::ZMQ_EVENT_HANDSHAKE_FAILED_AUTH as u64;
        /// `ZMQ_EVENT_PIPES_STATS` (DRAFT): pipe statistics, requested with
        /// `zmq_socket_monitor_pipes_stats`. Reported as
        /// [`EventKind::Unknown`] with all its values.
        #[cfg(feature = "draft")]
        const PIPES_STATS = ffi::ZMQ_EVENT_PIPES_STATS as u64;
    }
}

impl MonitorEvents {
    /// Every event this build names: what libzmq's `ZMQ_EVENT_ALL` asks
    /// for, without its bit that names no event; the same as
    /// [`MonitorEvents::all()`].
    ///
    /// ```
    /// use zmq4::MonitorEvents;
    ///
    /// assert!(MonitorEvents::ALL.contains(MonitorEvents::CONNECTED | MonitorEvents::DISCONNECTED));
    /// assert_eq!(MonitorEvents::ALL, MonitorEvents::all());
    /// ```
    #[doc(alias = "ZMQ_EVENT_ALL")]
    pub const ALL: MonitorEvents = MonitorEvents::all();
}

/// Why a ZMTP handshake failed: libzmq's `ZMQ_PROTOCOL_ERROR_*` codes,
/// the value of [`EventKind::HandshakeFailedProtocol`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProtocolError {
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED`.
    ZmtpUnspecified,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND`.
    ZmtpUnexpectedCommand,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE`.
    ZmtpInvalidSequence,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE`.
    ZmtpKeyExchange,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED`.
    ZmtpMalformedCommandUnspecified,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE`.
    ZmtpMalformedCommandMessage,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO`.
    ZmtpMalformedCommandHello,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE`.
    ZmtpMalformedCommandInitiate,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR`.
    ZmtpMalformedCommandError,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY`.
    ZmtpMalformedCommandReady,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME`.
    ZmtpMalformedCommandWelcome,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA`.
    ZmtpInvalidMetadata,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC`: a CURVE box did not open
    /// (for example a client using the wrong server key).
    ZmtpCryptographic,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH`: the peers use
    /// different security mechanisms.
    ZmtpMechanismMismatch,
    /// `ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED`.
    ZapUnspecified,
    /// `ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY`.
    ZapMalformedReply,
    /// `ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID`.
    ZapBadRequestId,
    /// `ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION`.
    ZapBadVersion,
    /// `ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE`.
    ZapInvalidStatusCode,
    /// `ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA`.
    ZapInvalidMetadata,
    /// `ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED`.
    WsUnspecified,
    /// A code this crate does not know.
    Unknown(u32),
}

const PROTOCOL_ERRORS: [(ProtocolError, i32); 21] = [
    (
        ProtocolError::ZmtpUnspecified,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED,
    ),
    (
        ProtocolError::ZmtpUnexpectedCommand,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND,
    ),
    (
        ProtocolError::ZmtpInvalidSequence,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE,
    ),
    (
        ProtocolError::ZmtpKeyExchange,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE,
    ),
    (
        ProtocolError::ZmtpMalformedCommandUnspecified,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED,
    ),
    (
        ProtocolError::ZmtpMalformedCommandMessage,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE,
    ),
    (
        ProtocolError::ZmtpMalformedCommandHello,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO,
    ),
    (
        ProtocolError::ZmtpMalformedCommandInitiate,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE,
    ),
    (
        ProtocolError::ZmtpMalformedCommandError,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR,
    ),
    (
        ProtocolError::ZmtpMalformedCommandReady,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY,
    ),
    (
        ProtocolError::ZmtpMalformedCommandWelcome,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME,
    ),
    (
        ProtocolError::ZmtpInvalidMetadata,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA,
    ),
    (
        ProtocolError::ZmtpCryptographic,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC,
    ),
    (
        ProtocolError::ZmtpMechanismMismatch,
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH,
    ),
    (
        ProtocolError::ZapUnspecified,
        ffi::ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED,
    ),
    (
        ProtocolError::ZapMalformedReply,
        ffi::ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY,
    ),
    (
        ProtocolError::ZapBadRequestId,
        ffi::ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID,
    ),
    (
        ProtocolError::ZapBadVersion,
        ffi::ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION,
    ),
    (
        ProtocolError::ZapInvalidStatusCode,
        ffi::ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE,
    ),
    (
        ProtocolError::ZapInvalidMetadata,
        ffi::ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA,
    ),
    (
        ProtocolError::WsUnspecified,
        ffi::ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED,
    ),
];

impl ProtocolError {
    /// The error for a `ZMQ_PROTOCOL_ERROR_*` code; unknown codes become
    /// [`ProtocolError::Unknown`].
    pub fn from_raw(code: u32) -> ProtocolError {
        PROTOCOL_ERRORS
            .iter()
            .find(|(_, c)| *c as u32 == code)
            .map_or(ProtocolError::Unknown(code), |(e, _)| *e)
    }

    /// The `ZMQ_PROTOCOL_ERROR_*` code.
    pub fn as_raw(self) -> u32 {
        match self {
            ProtocolError::Unknown(code) => code,
            known => PROTOCOL_ERRORS
                .iter()
                .find(|(e, _)| *e == known)
                .map_or(0, |(_, c)| *c as u32),
        }
    }
}

/// What happened, with the value libzmq reports for it: the typed part of
/// a [`MonitorEvent`].
///
/// An `fd` is the OS handle of the connection or listener, as a
/// [`RawFd`](crate::RawFd): a file descriptor on Unix, a `SOCKET` on
/// Windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventKind {
    /// `ZMQ_EVENT_CONNECTED`: connected on the socket `fd`.
    Connected {
        /// The connection's OS socket.
        fd: RawFd,
    },
    /// `ZMQ_EVENT_CONNECT_DELAYED`: a connect did not complete at once.
    ConnectDelayed {
        /// The errno of the non-blocking connect (often 0 or `EINPROGRESS`).
        errno: i32,
    },
    /// `ZMQ_EVENT_CONNECT_RETRIED`: the connect is retried after `interval`.
    ConnectRetried {
        /// How long libzmq waits before the next attempt.
        interval: Duration,
    },
    /// `ZMQ_EVENT_LISTENING`: listening on the socket `fd`.
    Listening {
        /// The listener's OS socket.
        fd: RawFd,
    },
    /// `ZMQ_EVENT_BIND_FAILED`.
    BindFailed {
        /// Why the bind failed.
        errno: i32,
    },
    /// `ZMQ_EVENT_ACCEPTED`: accepted a connection on the socket `fd`.
    Accepted {
        /// The accepted connection's OS socket.
        fd: RawFd,
    },
    /// `ZMQ_EVENT_ACCEPT_FAILED`.
    AcceptFailed {
        /// Why accepting failed.
        errno: i32,
    },
    /// `ZMQ_EVENT_CLOSED`: the socket `fd` was closed.
    Closed {
        /// The closed OS socket (`-1` once libzmq no longer has it).
        fd: RawFd,
    },
    /// `ZMQ_EVENT_CLOSE_FAILED`.
    CloseFailed {
        /// Why closing failed.
        errno: i32,
    },
    /// `ZMQ_EVENT_DISCONNECTED`: the connection on `fd` was broken.
    Disconnected {
        /// The connection's OS socket.
        fd: RawFd,
    },
    /// `ZMQ_EVENT_MONITOR_STOPPED`: the monitor was stopped; nothing
    /// follows.
    MonitorStopped,
    /// `ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL`.
    HandshakeFailedNoDetail {
        /// The errno libzmq gives.
        errno: i32,
    },
    /// `ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`.
    HandshakeFailedProtocol {
        /// Which protocol error ended the handshake.
        code: ProtocolError,
    },
    /// `ZMQ_EVENT_HANDSHAKE_FAILED_AUTH`: the ZAP handler refused.
    HandshakeFailedAuth {
        /// The ZAP status code (for example 400).
        status_code: u32,
    },
    /// `ZMQ_EVENT_HANDSHAKE_SUCCEEDED`.
    HandshakeSucceeded,
    /// An event number this crate does not know (a newer libzmq, or a
    /// DRAFT event such as `ZMQ_EVENT_PIPES_STATS`).
    Unknown {
        /// The event number.
        event: u64,
        /// Its first value (0 when it has none); all values are in
        /// [`MonitorEvent::values`].
        value: u64,
    },
}

impl EventKind {
    fn from_raw(event: u64, value: u64) -> EventKind {
        // libzmq stores fds and errnos as C ints widened to the frame's
        // width; truncating to 32 bits gives them back, sign included.
        let int = value as u32 as i32;
        let fd = fd_from(value);
        let Ok(id) = i32::try_from(event) else {
            return EventKind::Unknown { event, value };
        };
        match id {
            ffi::ZMQ_EVENT_CONNECTED => EventKind::Connected { fd },
            ffi::ZMQ_EVENT_CONNECT_DELAYED => EventKind::ConnectDelayed { errno: int },
            ffi::ZMQ_EVENT_CONNECT_RETRIED => EventKind::ConnectRetried {
                interval: Duration::from_millis(value),
            },
            ffi::ZMQ_EVENT_LISTENING => EventKind::Listening { fd },
            ffi::ZMQ_EVENT_BIND_FAILED => EventKind::BindFailed { errno: int },
            ffi::ZMQ_EVENT_ACCEPTED => EventKind::Accepted { fd },
            ffi::ZMQ_EVENT_ACCEPT_FAILED => EventKind::AcceptFailed { errno: int },
            ffi::ZMQ_EVENT_CLOSED => EventKind::Closed { fd },
            ffi::ZMQ_EVENT_CLOSE_FAILED => EventKind::CloseFailed { errno: int },
            ffi::ZMQ_EVENT_DISCONNECTED => EventKind::Disconnected { fd },
            ffi::ZMQ_EVENT_MONITOR_STOPPED => EventKind::MonitorStopped,
            ffi::ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL => {
                EventKind::HandshakeFailedNoDetail { errno: int }
            }
            ffi::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL => EventKind::HandshakeFailedProtocol {
                code: ProtocolError::from_raw(value as u32),
            },
            ffi::ZMQ_EVENT_HANDSHAKE_FAILED_AUTH => EventKind::HandshakeFailedAuth {
                status_code: value as u32,
            },
            ffi::ZMQ_EVENT_HANDSHAKE_SUCCEEDED => EventKind::HandshakeSucceeded,
            _ => EventKind::Unknown { event, value },
        }
    }
}

#[cfg(unix)]
fn fd_from(value: u64) -> RawFd {
    value as u32 as i32
}

#[cfg(not(unix))]
fn fd_from(value: u64) -> RawFd {
    // A SOCKET sent in the 32-bit format is cut to 32 bits; INVALID_SOCKET
    // then reads as u32::MAX, which is put back to all ones.
    if value == u64::from(u32::MAX) {
        !0
    } else {
        value
    }
}

/// One event reported by a [`Monitor`](crate::Monitor): what happened
/// ([`kind`](MonitorEvent::kind)), on which endpoint, and the raw numbers
/// libzmq sent.
///
/// libzmq has two formats. Format 1 (the stable API, used without the
/// `draft` feature) names one endpoint: the one given to `bind` for events
/// of the listening side, the one given to `connect` for events of the
/// connecting side. Format 2 (`zmq_socket_monitor_versioned`, used with the
/// `draft` feature) names the local and the remote address; then
/// [`endpoint`](MonitorEvent::endpoint) is the local one and
/// [`remote`](MonitorEvent::remote) the remote one.
///
/// A [`Monitor`](crate::Monitor) parses the frames itself.
/// [`parse_v1`](MonitorEvent::parse_v1) and
/// [`parse_v2`](MonitorEvent::parse_v2) are for monitor frames that reach
/// a program another way: forwarded from another process (as czmq's
/// `zmonitor` or a proxy in front of a monitor endpoint do), or recorded
/// and read back.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MonitorEvent {
    kind: EventKind,
    id: u64,
    values: Vec<u64>,
    endpoint: String,
    remote: Option<String>,
}

impl MonitorEvent {
    /// What happened.
    pub fn kind(&self) -> EventKind {
        self.kind
    }

    /// The raw event number (`ZMQ_EVENT_*`).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The raw value (the first one in format 2): an fd, an errno, a time
    /// in milliseconds or a code, depending on the event.
    pub fn value(&self) -> u64 {
        self.values.first().copied().unwrap_or(0)
    }

    /// All raw values: one in format 1, any number in format 2.
    pub fn values(&self) -> &[u64] {
        &self.values
    }

    /// The endpoint of the event (format 1), or the local address (format
    /// 2; empty when there is none). Bytes that are not UTF-8 are replaced
    /// by U+FFFD.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The remote address (format 2 only; empty when there is none).
    pub fn remote(&self) -> Option<&str> {
        self.remote.as_deref()
    }

    /// Parses the two frames of format 1: a 6-byte frame holding the event
    /// number (native-endian `u16`) and the value (native-endian `u32`),
    /// then the endpoint.
    ///
    /// A wrong frame count or size is an error of kind
    /// [`ErrorKind::InvalidArgument`]; an unknown event number is
    /// [`EventKind::Unknown`].
    ///
    /// ```
    /// use zmq4::{EventKind, MonitorEvent};
    ///
    /// let mut head = Vec::new();
    /// head.extend_from_slice(&8u16.to_ne_bytes()); // ZMQ_EVENT_LISTENING
    /// head.extend_from_slice(&7u32.to_ne_bytes()); // the fd
    /// let event = MonitorEvent::parse_v1(&[&head[..], b"tcp://127.0.0.1:5555"])?;
    /// assert_eq!(event.kind(), EventKind::Listening { fd: 7 });
    /// assert_eq!(event.endpoint(), "tcp://127.0.0.1:5555");
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn parse_v1<F: AsRef<[u8]>>(frames: &[F]) -> Result<MonitorEvent> {
        let [head, endpoint] = frames else {
            return Err(malformed(format!(
                "format 1 has 2 frames, got {}",
                frames.len()
            )));
        };
        let head = head.as_ref();
        let head: [u8; 6] = head.try_into().map_err(|_| {
            malformed(format!(
                "format 1's first frame has 6 bytes, got {}",
                head.len()
            ))
        })?;
        let id = u64::from(u16::from_ne_bytes([head[0], head[1]]));
        let value = u64::from(u32::from_ne_bytes([head[2], head[3], head[4], head[5]]));
        Ok(MonitorEvent {
            kind: EventKind::from_raw(id, value),
            id,
            values: vec![value],
            endpoint: String::from_utf8_lossy(endpoint.as_ref()).into_owned(),
            remote: None,
        })
    }

    /// Parses the frames of format 2: the event number (native-endian
    /// `u64`), the count of values (`u64`), that many values (`u64` each),
    /// the local address and the remote address.
    ///
    /// A wrong frame count or size is an error of kind
    /// [`ErrorKind::InvalidArgument`]; an unknown event number is
    /// [`EventKind::Unknown`].
    pub fn parse_v2<F: AsRef<[u8]>>(frames: &[F]) -> Result<MonitorEvent> {
        fn word(frame: &[u8], what: &str) -> Result<u64> {
            let bytes: [u8; 8] = frame.try_into().map_err(|_| {
                malformed(format!(
                    "format 2's {what} frame has 8 bytes, got {}",
                    frame.len()
                ))
            })?;
            Ok(u64::from_ne_bytes(bytes))
        }
        if frames.len() < 4 {
            return Err(malformed(format!(
                "format 2 has at least 4 frames, got {}",
                frames.len()
            )));
        }
        let id = word(frames[0].as_ref(), "event")?;
        let count = word(frames[1].as_ref(), "value count")?;
        let expected = usize::try_from(count)
            .ok()
            .and_then(|n| n.checked_add(4))
            .filter(|&n| n == frames.len())
            .ok_or_else(|| {
                malformed(format!(
                    "format 2 with {count} values has {count}+4 frames, got {}",
                    frames.len()
                ))
            })?;
        let values = frames[2..expected - 2]
            .iter()
            .map(|f| word(f.as_ref(), "value"))
            .collect::<Result<Vec<u64>>>()?;
        let value = values.first().copied().unwrap_or(0);
        Ok(MonitorEvent {
            kind: EventKind::from_raw(id, value),
            id,
            values,
            endpoint: String::from_utf8_lossy(frames[expected - 2].as_ref()).into_owned(),
            remote: Some(String::from_utf8_lossy(frames[expected - 1].as_ref()).into_owned()),
        })
    }
}

impl fmt::Display for MonitorEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} on {:?}", self.kind, self.endpoint)?;
        match &self.remote {
            Some(remote) if !remote.is_empty() => write!(f, " (remote {remote:?})"),
            _ => Ok(()),
        }
    }
}

fn malformed(detail: String) -> Error {
    Error::invalid(
        ErrorKind::InvalidArgument,
        format!("malformed monitor event: {detail}"),
    )
}

#[cfg(test)]
mod tests;
