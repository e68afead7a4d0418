//! What several commands share: socket types, durations, and the options
//! that make a socket and attach it to its endpoints.

use std::time::Duration;

use clap::Args;
use zmq4::{Socket, SocketType};

use crate::fail::{usage, Doing, Result};
use crate::format::unescape;

/// Parses a socket type by its ZMTP name, in any case: `push`, `ROUTER`...
pub fn socket_type(text: &str) -> std::result::Result<SocketType, String> {
    SocketType::ALL
        .iter()
        .copied()
        .find(|t| t.name().eq_ignore_ascii_case(text))
        .ok_or_else(|| {
            let names: Vec<String> = SocketType::ALL
                .iter()
                .map(|t| t.name().to_ascii_lowercase())
                .collect();
            format!("unknown socket type {text:?}: one of {}", names.join(", "))
        })
}

/// Parses a duration: `250ms`, `2s`, `1.5s`, `3m`, `1h`, or a number of
/// seconds.
pub fn duration(text: &str) -> std::result::Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration: write 250ms, 2s, 1.5s, 3m or 1h"))?;
    let seconds = match unit.trim() {
        "" | "s" => value,
        "ms" => value / 1e3,
        "us" => value / 1e6,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        other => {
            return Err(format!(
                "unknown unit {other:?} in {text:?}: use ms, s, m or h"
            ))
        }
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("{text:?} is out of range"))
}

/// Where a socket binds and connects, and the options every socket may
/// want.
#[derive(Args, Debug, Clone, Default)]
pub struct SocketArgs {
    /// Bind to ENDPOINT (repeatable): tcp://*:5555, tcp://127.0.0.1:* (a
    /// free port, printed on stderr), ipc://PATH, inproc://NAME
    #[arg(short = 'b', long = "bind", value_name = "ENDPOINT")]
    pub bind: Vec<String>,

    /// Connect to ENDPOINT (repeatable)
    #[arg(short = 'c', long = "connect", value_name = "ENDPOINT")]
    pub connect: Vec<String>,

    /// This socket's routing id, as ROUTER peers see it; \xNN escapes
    /// allowed, as the text output writes them
    #[arg(long, value_name = "ID")]
    pub identity: Option<String>,

    /// High-water mark, sending and receiving (messages; 0 for none)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i32).range(0..))]
    pub hwm: Option<i32>,

    /// How long messages still queued at the end may take to leave
    /// [default: 10s]
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub linger: Option<Duration>,

    /// Queue messages only for connections that are up (ZMQ_IMMEDIATE),
    /// for a socket that only sends: a send to an endpoint where nobody
    /// listens then waits (and times out) instead of succeeding into a
    /// queue that the exit throws away. Not for a socket that receives:
    /// libzmq drops what a connection delivered but was not yet read when
    /// that connection ends.
    #[arg(skip)]
    pub immediate: bool,
}

impl SocketArgs {
    /// Fails unless the socket is bound or connected somewhere.
    pub fn check(&self) -> Result<()> {
        if self.bind.is_empty() && self.connect.is_empty() {
            return usage("give an endpoint: --bind ENDPOINT or --connect ENDPOINT");
        }
        Ok(())
    }

    /// Sets the options, before attaching.
    pub fn configure(&self, socket: &Socket<'_>) -> Result<()> {
        if self.immediate {
            socket
                .set_immediate(true)
                .doing(|| "set IMMEDIATE".into())?;
        }
        if let Some(linger) = self.linger {
            socket
                .set_linger(Some(linger))
                .doing(|| "set --linger".into())?;
        }
        if let Some(hwm) = self.hwm {
            // 0 is ZeroMQ's "no limit", which the library spells None.
            let limit = (hwm != 0).then_some(hwm);
            socket.set_sndhwm(limit).doing(|| "set --hwm".into())?;
            socket.set_rcvhwm(limit).doing(|| "set --hwm".into())?;
        }
        if let Some(id) = &self.identity {
            let id = unescape(id).map_err(crate::fail::Fail::Usage)?;
            socket
                .set_routing_id(&id)
                .doing(|| "set --identity (1 to 255 bytes, not starting with \\x00)".into())?;
        }
        Ok(())
    }

    /// Binds and connects; a bound wildcard port is printed on stderr.
    pub fn attach(&self, socket: &Socket<'_>) -> Result<()> {
        for endpoint in &self.bind {
            // The library's error names the endpoint.
            socket.bind(endpoint).doing(String::new)?;
            if endpoint.ends_with(":*") || endpoint.ends_with(":0") {
                let bound = socket
                    .last_endpoint()
                    .doing(|| "read the endpoint".into())?;
                eprintln!("zmq4: bound {bound}");
            }
        }
        for endpoint in &self.connect {
            socket.connect(endpoint).doing(String::new)?;
        }
        Ok(())
    }
}

/// Fails unless a socket of type `kind` can send (`can`: what the command
/// does, `instead`: what to use otherwise).
pub fn require(kind: SocketType, ok: &[SocketType], what: &str, instead: &str) -> Result<()> {
    if ok.contains(&kind) {
        return Ok(());
    }
    let names: Vec<String> = ok.iter().map(|t| t.name().to_ascii_lowercase()).collect();
    usage(format!(
        "a {kind} socket cannot {what}: --type {}{instead}",
        names.join("|")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(duration("2"), Ok(Duration::from_secs(2)));
        assert_eq!(duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(duration("3m"), Ok(Duration::from_secs(180)));
        assert!(duration("soon").is_err());
        assert!(duration("5 parsecs").is_err());
        assert!(duration("-1s").is_err());
    }

    #[test]
    fn socket_types() {
        assert_eq!(socket_type("router"), Ok(SocketType::Router));
        assert_eq!(socket_type("XPub"), Ok(SocketType::XPub));
        let err = socket_type("rooter").unwrap_err();
        assert!(err.contains("router"), "{err}");
    }
}
