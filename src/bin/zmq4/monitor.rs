//! `zmq4 monitor ENDPOINT...`: a socket binds or connects there, and its
//! connection events are printed live with timestamps.

use std::time::{Duration, SystemTime};

use clap::{Args, ValueEnum};
use serde_json::{json, Map, Value};
use zmq4::{EventKind, MonitorEvent, MonitorEvents, ProtocolError, SocketType};

use crate::args::{duration, socket_type};
use crate::fail::{Doing, Fail, Result};
use crate::format::write_out;
use crate::security::Security;
use crate::session::Session;

/// Watches the connection events of a socket.
#[derive(Args, Debug)]
#[command(after_help = "\
Each ENDPOINT is connected to, or bound with `@` in front.

Examples:
  zmq4 monitor tcp://127.0.0.1:5555                      does a server answer?
  zmq4 monitor -t sub tcp://feed.example.com:5556 --until handshake-succeeded --timeout 5s
  zmq4 monitor -t rep @tcp://*:5555 --curve-server --curve-keys server.key_secret --curve-allow clients/
        (who connects, and which handshakes fail: handshake-failed-auth status=400)
  zmq4 monitor --json tcp://127.0.0.1:5555 | jq .

Events: listening, bind-failed, accepted, accept-failed, connected,
connect-delayed, connect-retried, handshake-succeeded,
handshake-failed-no-detail, handshake-failed-protocol, handshake-failed-auth,
disconnected, closed, close-failed, monitor-stopped.
The status is 0 at --count events or the --until event (or on Ctrl-C
without them), 3 when --timeout passed without an event, 1 on an error.")]
pub struct MonitorArgs {
    /// The endpoints: connected to, or bound with `@` in front
    #[arg(value_name = "ENDPOINT", required = true)]
    pub endpoints: Vec<String>,

    /// The socket type (the peer must accept it: a REP or ROUTER server
    /// takes the default, a PUB wants sub)
    #[arg(short = 't', long = "type", value_name = "TYPE", default_value = "dealer", value_parser = socket_type)]
    pub kind: SocketType,

    /// End after N events
    #[arg(short = 'n', long, value_name = "N")]
    pub count: Option<u64>,

    /// End at the first event of this kind (repeatable)
    #[arg(long, value_enum, value_name = "EVENT")]
    pub until: Vec<Name>,

    /// Give up when no event comes for DURATION (status 3)
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub timeout: Option<Duration>,

    /// One JSON object per event
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub security: Security,
}

/// The names of the events, as printed.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Name {
    Listening,
    BindFailed,
    Accepted,
    AcceptFailed,
    Connected,
    ConnectDelayed,
    ConnectRetried,
    HandshakeSucceeded,
    HandshakeFailedNoDetail,
    HandshakeFailedProtocol,
    HandshakeFailedAuth,
    Disconnected,
    Closed,
    CloseFailed,
    MonitorStopped,
    Unknown,
}

impl Name {
    fn text(self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    }
}

/// Runs `zmq4 monitor`.
pub fn run(args: MonitorArgs) -> Result {
    let session = Session::new()?;
    let socket = session.bare(args.kind)?;
    args.security.apply(&session, &socket)?;
    let mut monitor = socket
        .monitor(MonitorEvents::all())
        .doing(|| "start the monitor".into())?;
    for item in &args.endpoints {
        if let Some(endpoint) = item.strip_prefix('@') {
            socket.bind(endpoint).doing(|| format!("bind {endpoint}"))?;
        } else {
            let endpoint = item.strip_prefix('>').unwrap_or(item);
            socket
                .connect(endpoint)
                .doing(|| format!("connect to {endpoint}"))?;
        }
    }
    let goal = args.count.is_some() || !args.until.is_empty();
    let mut seen = 0u64;
    loop {
        let event = match monitor.next_event(args.timeout) {
            Ok(Some(event)) => event,
            Ok(None) if monitor.is_finished() => return Ok(()),
            Ok(None) => {
                return Err(Fail::Timeout(format!(
                    "no event within {:?}",
                    args.timeout.unwrap_or_default()
                )))
            }
            Err(e) => match Fail::zmq(&e, "read an event") {
                Fail::Interrupted if !goal => return Ok(()),
                fail => return Err(fail),
            },
        };
        let (name, fields) = describe(&event);
        print(&event, name, &fields, args.json)?;
        seen += 1;
        if args.count.is_some_and(|n| seen >= n) || args.until.contains(&name) {
            return Ok(());
        }
    }
}

/// A field of an event: its name, its value, and words that explain it.
struct Field {
    name: &'static str,
    value: Value,
    note: Option<String>,
}

fn field(name: &'static str, value: impl Into<Value>) -> Field {
    Field {
        name,
        value: value.into(),
        note: None,
    }
}

fn errno(value: i32) -> Field {
    Field {
        note: Some(zmq4::Error::from_errno(value).message()),
        ..field("errno", value)
    }
}

/// The event's name and fields.
fn describe(event: &MonitorEvent) -> (Name, Vec<Field>) {
    match event.kind() {
        EventKind::Listening { fd } => (Name::Listening, vec![field("fd", fd as i64)]),
        EventKind::BindFailed { errno: e } => (Name::BindFailed, vec![errno(e)]),
        EventKind::Accepted { fd } => (Name::Accepted, vec![field("fd", fd as i64)]),
        EventKind::AcceptFailed { errno: e } => (Name::AcceptFailed, vec![errno(e)]),
        EventKind::Connected { fd } => (Name::Connected, vec![field("fd", fd as i64)]),
        EventKind::ConnectDelayed { errno: e } => (Name::ConnectDelayed, vec![errno(e)]),
        EventKind::ConnectRetried { interval } => (
            Name::ConnectRetried,
            vec![field("interval_ms", interval.as_millis() as u64)],
        ),
        EventKind::HandshakeSucceeded => (Name::HandshakeSucceeded, vec![]),
        EventKind::HandshakeFailedNoDetail { errno: e } => {
            (Name::HandshakeFailedNoDetail, vec![errno(e)])
        }
        EventKind::HandshakeFailedProtocol { code } => (
            Name::HandshakeFailedProtocol,
            vec![Field {
                note: protocol_note(code).map(str::to_owned),
                ..field("reason", protocol_name(code))
            }],
        ),
        EventKind::HandshakeFailedAuth { status_code } => (
            Name::HandshakeFailedAuth,
            vec![Field {
                note: Some("the ZAP handler refused the peer".into()),
                ..field("status", status_code)
            }],
        ),
        EventKind::Disconnected { fd } => (Name::Disconnected, vec![field("fd", fd as i64)]),
        EventKind::Closed { fd } => (Name::Closed, vec![field("fd", fd as i64)]),
        EventKind::CloseFailed { errno: e } => (Name::CloseFailed, vec![errno(e)]),
        EventKind::MonitorStopped => (Name::MonitorStopped, vec![]),
        EventKind::Unknown { event, value } => (
            Name::Unknown,
            vec![field("event", event), field("value", value)],
        ),
        // A kind this tool does not know yet.
        _ => (
            Name::Unknown,
            vec![field("event", event.id()), field("value", event.value())],
        ),
    }
}

/// libzmq's name of a protocol error, without `ZMQ_PROTOCOL_ERROR_`.
fn protocol_name(code: ProtocolError) -> String {
    if let ProtocolError::Unknown(n) = code {
        return format!("code {n:#x}");
    }
    // ZmtpCryptographic -> ZMTP_CRYPTOGRAPHIC
    let mut name = String::new();
    for (i, c) in format!("{code:?}").chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            name.push('_');
        }
        name.push(c.to_ascii_uppercase());
    }
    name
}

/// What the common protocol errors usually mean.
fn protocol_note(code: ProtocolError) -> Option<&'static str> {
    Some(match code {
        ProtocolError::ZmtpCryptographic => "a CURVE box did not open: the wrong server key?",
        ProtocolError::ZmtpMechanismMismatch => {
            "the peers use different security mechanisms (NULL, PLAIN, CURVE)"
        }
        ProtocolError::ZmtpInvalidMetadata => {
            "bad handshake metadata: socket types that do not go together?"
        }
        _ => return None,
    })
}

fn print(event: &MonitorEvent, name: Name, fields: &[Field], json: bool) -> Result {
    let time = timestamp(SystemTime::now());
    let line = if json {
        let mut object = Map::new();
        object.insert("time".into(), time.into());
        object.insert("event".into(), name.text().into());
        object.insert("endpoint".into(), event.endpoint().into());
        if let Some(remote) = event.remote().filter(|r| !r.is_empty()) {
            object.insert("remote".into(), remote.into());
        }
        for f in fields {
            object.insert(f.name.into(), f.value.clone());
        }
        json!(object).to_string()
    } else {
        let mut line = format!("{time} {} {}", name.text(), event.endpoint());
        if let Some(remote) = event.remote().filter(|r| !r.is_empty()) {
            line.push_str(&format!(" remote={remote}"));
        }
        for f in fields {
            let value = match &f.value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            line.push_str(&format!(" {}={value}", f.name));
            if let Some(note) = &f.note {
                line.push_str(&format!(" ({note})"));
            }
        }
        line
    };
    write_out(format!("{line}\n").as_bytes())
}

/// `2026-01-02T03:04:05.678Z`: UTC, to the millisecond.
pub fn timestamp(time: SystemTime) -> String {
    let since = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = since.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        since.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let at = |s: u64, ms: u64| {
            timestamp(SystemTime::UNIX_EPOCH + Duration::from_millis(s * 1000 + ms))
        };
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(at(1_767_225_599, 999), "2025-12-31T23:59:59.999Z");
    }

    #[test]
    fn protocol_names() {
        assert_eq!(
            protocol_name(ProtocolError::ZmtpCryptographic),
            "ZMTP_CRYPTOGRAPHIC"
        );
        assert_eq!(
            protocol_name(ProtocolError::ZapBadRequestId),
            "ZAP_BAD_REQUEST_ID"
        );
        assert_eq!(protocol_name(ProtocolError::Unknown(0x99)), "code 0x99");
    }
}
