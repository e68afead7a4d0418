//! How a command ends when it does not succeed: the exit statuses, and
//! one-line error messages that say what to do.

use std::fmt;
use std::process::ExitCode;

use zmq4::ErrorKind;

use crate::signals;

/// The exit statuses, as `zmq4 --help` lists them.
pub mod status {
    /// The work is done: every message sent or received, `--count` reached.
    pub const OK: u8 = 0;
    /// A failure: libzmq, a file, a command, a key.
    pub const ERROR: u8 = 1;
    /// Bad arguments (clap's status for a usage error, kept for ours).
    pub const USAGE: u8 = 2;
    /// `--timeout` expired before the work was done.
    pub const TIMEOUT: u8 = 3;
    /// Ctrl-C (SIGINT), SIGTERM or SIGHUP before the work was done: the
    /// status the library's handler gives a second signal, too.
    pub const INTERRUPTED: u8 = zmq4::signal::FORCED_EXIT_STATUS as u8;
}

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Fail {
    /// A failure, in one line (exit status 1).
    Error(String),
    /// Arguments that do not go together (exit status 2).
    Usage(String),
    /// `--timeout` expired (exit status 3).
    Timeout(String),
    /// A signal ended the command before its work was done (exit status
    /// 130).
    Interrupted,
    /// Standard output was closed by its reader (`zmq4 recv | head -1`):
    /// the end the reader chose (exit status 0).
    OutputClosed,
}

/// The result of a command.
pub type Result<T = ()> = std::result::Result<T, Fail>;

impl Fail {
    /// The process exit status.
    pub fn status(&self) -> ExitCode {
        ExitCode::from(match self {
            Fail::Error(_) => status::ERROR,
            Fail::Usage(_) => status::USAGE,
            Fail::Timeout(_) => status::TIMEOUT,
            Fail::Interrupted => status::INTERRUPTED,
            Fail::OutputClosed => status::OK,
        })
    }

    /// The failure of `doing` because of a zmq4 error, in the library's
    /// words (which name the rule broken, the endpoint, the timeout), with
    /// what to do about the errors people meet most. A send or receive
    /// that ran out its timeout is a [`Fail::Timeout`]. After a signal,
    /// every error of the shut-down context is the interruption itself.
    /// An empty `doing` adds nothing to the library's words (a bind or
    /// connect error names its endpoint already).
    pub fn zmq(err: &zmq4::Error, doing: &str) -> Fail {
        if signals::interrupted() || err.kind() == ErrorKind::Interrupted {
            return Fail::Interrupted;
        }
        let mut text = if doing.is_empty() {
            err.to_string()
        } else {
            format!("{doing}: {err}")
        };
        if let Some(hint) = hint(err.kind()) {
            text = format!("{text} ({hint})");
        }
        if err.is_timed_out() {
            Fail::Timeout(text)
        } else {
            Fail::Error(text)
        }
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fail::Error(text) | Fail::Usage(text) | Fail::Timeout(text) => f.write_str(text),
            Fail::Interrupted => f.write_str("interrupted"),
            Fail::OutputClosed => f.write_str("standard output closed"),
        }
    }
}

/// What to do about the errors people meet most, where the library's words
/// say what went wrong but not what to do from a shell. The errors the
/// library explains itself (a REQ/REP state, an option on the wrong type, a
/// ROUTER's unknown peer, a bind to an unknown host) get none.
fn hint(kind: ErrorKind) -> Option<&'static str> {
    Some(match kind {
        ErrorKind::AddressInUse => {
            "another socket listens there: choose another port or path, or --connect to it"
        }
        ErrorKind::InvalidEndpoint => {
            "write an endpoint as tcp://HOST:PORT, ipc://PATH or inproc://NAME"
        }
        ErrorKind::ProtocolNotSupported => {
            "this libzmq has no such transport: use tcp://, ipc:// or inproc://"
        }
        ErrorKind::IncompatibleProtocol => "this socket type cannot use that transport",
        ErrorKind::AddressNotAvailable => {
            "bind to an address of this machine, such as tcp://127.0.0.1:PORT or tcp://*:PORT"
        }
        ErrorKind::PermissionDenied => "this user may not do that there: pick another path or port",
        ErrorKind::MessageTooLarge => "the peer limits the message size (ZMQ_MAXMSGSIZE)",
        ErrorKind::TooManyOpen => "too many open files: raise `ulimit -n`",
        _ => return None,
    })
}

/// `.doing("bind tcp://...")` on libzmq results: the error as a [`Fail`].
pub trait Doing<T> {
    /// The value, or the failure of `what`.
    fn doing(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T, E: Into<zmq4::Error>> Doing<T> for std::result::Result<T, E> {
    fn doing(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| Fail::zmq(&e.into(), &what()))
    }
}

/// A usage error.
pub fn usage<T>(text: impl Into<String>) -> Result<T> {
    Err(Fail::Usage(text.into()))
}

/// An I/O failure of `what` (a file, stdout, a command).
pub fn io(err: &std::io::Error, what: &str) -> Fail {
    if signals::interrupted() {
        return Fail::Interrupted;
    }
    Fail::Error(format!("{what}: {err}"))
}
