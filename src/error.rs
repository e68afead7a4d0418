//! The one error type of the crate.

use std::borrow::Cow;
use std::fmt;
use std::io;
use std::os::raw::c_int;

use crate::message::Message;
use crate::sys::{ffi::errno as e, Errno};

/// What kind of failure an [`Error`] is: the part code branches on.
///
/// Every errno maps to a kind; errno values with no kind of their own are
/// [`ErrorKind::Other`] (their number is still in [`Error::errno`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The call would have blocked (`EAGAIN` under `DONTWAIT`): no message
    /// to receive, or no room to send.
    WouldBlock,
    /// A blocking send or receive gave up after the socket's `SNDTIMEO` or
    /// `RCVTIMEO` (`EAGAIN` without `DONTWAIT`).
    TimedOut,
    /// A signal interrupted a blocking call (`EINTR`).
    Interrupted,
    /// The context was shut down or terminated (`ETERM`).
    Terminated,
    /// The message cannot be routed to its destination (`EHOSTUNREACH`),
    /// for example ROUTER with `ROUTER_MANDATORY` and an unknown peer.
    HostUnreachable,
    /// An endpoint is malformed (`EINVAL` from bind/connect, or an endpoint
    /// that libzmq cannot be given, such as one with a NUL byte).
    InvalidEndpoint,
    /// An argument is not valid (`EINVAL`), or an input was rejected on
    /// our side before reaching libzmq.
    InvalidArgument,
    /// The endpoint's transport is unknown or not compiled in
    /// (`EPROTONOSUPPORT`).
    ProtocolNotSupported,
    /// The transport does not work with this socket type (`ENOCOMPATPROTO`).
    IncompatibleProtocol,
    /// The address is already in use (`EADDRINUSE`).
    AddressInUse,
    /// The address is not local or cannot be assigned (`EADDRNOTAVAIL`).
    AddressNotAvailable,
    /// A network interface named in the endpoint does not exist (`ENODEV`).
    NoSuchDevice,
    /// The operation is not supported by this socket type or build
    /// (`ENOTSUP`).
    NotSupported,
    /// The socket is not in the state the operation needs (`EFSM`), for
    /// example a REQ socket sending twice without receiving.
    InvalidState,
    /// The handle is not a valid socket (`ENOTSOCK`).
    NotASocket,
    /// The endpoint is not bound or connected (`ENOENT` from
    /// unbind/disconnect).
    NotFound,
    /// Too many sockets or files are open (`EMFILE`), or the context's
    /// I/O threads cannot serve another socket (`EMTHREAD`).
    TooManyOpen,
    /// The message is larger than the socket accepts (`EMSGSIZE`).
    MessageTooLarge,
    /// The peer refused the connection (`ECONNREFUSED`).
    ConnectionRefused,
    /// The operating system denied the operation (`EACCES`, `EPERM`), for
    /// example binding an `ipc://` path in a directory the process may not
    /// write, or real-time thread scheduling without the privilege.
    PermissionDenied,
    /// Out of memory (`ENOMEM`) or buffer space (`ENOBUFS`).
    OutOfMemory,
    /// Received bytes were not valid UTF-8; the error holds them
    /// ([`Error::into_bytes`]).
    InvalidUtf8,
    /// Any other errno.
    Other,
}

impl ErrorKind {
    fn from_errno(errno: c_int) -> Self {
        match errno {
            x if x == e::EAGAIN => ErrorKind::WouldBlock,
            x if x == e::EINTR => ErrorKind::Interrupted,
            x if x == e::ETERM => ErrorKind::Terminated,
            x if x == e::EHOSTUNREACH => ErrorKind::HostUnreachable,
            x if x == e::EINVAL => ErrorKind::InvalidArgument,
            x if x == e::EPROTONOSUPPORT => ErrorKind::ProtocolNotSupported,
            x if x == e::ENOCOMPATPROTO => ErrorKind::IncompatibleProtocol,
            x if x == e::EADDRINUSE => ErrorKind::AddressInUse,
            x if x == e::EADDRNOTAVAIL => ErrorKind::AddressNotAvailable,
            x if x == e::ENODEV => ErrorKind::NoSuchDevice,
            x if x == e::ENOTSUP => ErrorKind::NotSupported,
            x if x == e::EFSM => ErrorKind::InvalidState,
            x if x == e::ENOTSOCK => ErrorKind::NotASocket,
            x if x == e::ENOENT => ErrorKind::NotFound,
            x if x == e::EMFILE || x == e::EMTHREAD => ErrorKind::TooManyOpen,
            x if x == e::EMSGSIZE => ErrorKind::MessageTooLarge,
            x if x == e::ECONNREFUSED => ErrorKind::ConnectionRefused,
            x if x == e::EACCES || x == e::EPERM => ErrorKind::PermissionDenied,
            x if x == e::ENOMEM || x == e::ENOBUFS => ErrorKind::OutOfMemory,
            _ => ErrorKind::Other,
        }
    }
}

impl ErrorKind {
    /// A short description of the kind, as its `Display` shows it.
    pub fn description(self) -> &'static str {
        match self {
            ErrorKind::WouldBlock => "operation would block",
            ErrorKind::TimedOut => "timed out",
            ErrorKind::Interrupted => "interrupted by a signal",
            ErrorKind::Terminated => "context terminated",
            ErrorKind::HostUnreachable => "host unreachable",
            ErrorKind::InvalidEndpoint => "invalid endpoint",
            ErrorKind::InvalidArgument => "invalid argument",
            ErrorKind::ProtocolNotSupported => "protocol not supported",
            ErrorKind::IncompatibleProtocol => "protocol incompatible with the socket type",
            ErrorKind::AddressInUse => "address in use",
            ErrorKind::AddressNotAvailable => "address not available",
            ErrorKind::NoSuchDevice => "no such device",
            ErrorKind::NotSupported => "operation not supported",
            ErrorKind::InvalidState => "operation not valid in the socket's current state",
            ErrorKind::NotASocket => "not a socket",
            ErrorKind::NotFound => "endpoint not found",
            ErrorKind::TooManyOpen => "too many open sockets or files",
            ErrorKind::MessageTooLarge => "message too large",
            ErrorKind::ConnectionRefused => "connection refused",
            ErrorKind::PermissionDenied => "permission denied",
            ErrorKind::OutOfMemory => "out of memory",
            ErrorKind::InvalidUtf8 => "invalid UTF-8",
            ErrorKind::Other => "other error",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

#[derive(Clone, PartialEq, Eq, Default)]
struct Extra {
    detail: Option<Cow<'static, str>>,
    bytes: Option<Vec<u8>>,
    /// The message parts a failed send hands back.
    unsent: Vec<Message>,
    /// The detail says all there is to say: libzmq's text for the errno
    /// is not appended (it would add nothing, or contradict it).
    complete: bool,
}

/// An error from libzmq or from checks made on our side.
///
/// It carries the errno (libzmq's, or `EINVAL` for input rejected before
/// reaching libzmq), libzmq's text for it, a [`kind`](Error::kind) to
/// branch on, and sometimes a detail saying what was wrong.
///
/// ```
/// use zmq4::{Context, ErrorKind, SocketType};
///
/// let ctx = Context::new()?;
/// let sock = ctx.socket(SocketType::Pull)?;
/// let err = sock.bind("nosuch://x").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::ProtocolNotSupported);
/// # Ok::<(), zmq4::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct Error {
    errno: c_int,
    kind: ErrorKind,
    // Boxed so that `Result<(), Error>` stays two words on hot paths.
    extra: Option<Box<Extra>>,
}

impl Error {
    /// The error for an errno that libzmq reported.
    pub fn from_errno(errno: c_int) -> Self {
        Error {
            errno,
            kind: ErrorKind::from_errno(errno),
            extra: None,
        }
    }

    /// An error for input rejected on our side, with a kind and a detail.
    pub(crate) fn invalid(kind: ErrorKind, detail: impl Into<Cow<'static, str>>) -> Self {
        Error {
            errno: e::EINVAL,
            kind,
            extra: Some(Box::new(Extra {
                detail: Some(detail.into()),
                complete: true,
                ..Extra::default()
            })),
        }
    }

    /// The same error, explained by `text`, which replaces the detail and
    /// libzmq's text for the errno (the errno stays).
    #[cold]
    pub(crate) fn explained(mut self, kind: ErrorKind, text: impl Into<Cow<'static, str>>) -> Self {
        self.kind = kind;
        let extra = self.extra.get_or_insert_with(Box::default);
        extra.detail = Some(text.into());
        extra.complete = true;
        self
    }

    /// Received bytes that are not UTF-8; the error keeps them.
    pub(crate) fn invalid_utf8(err: std::string::FromUtf8Error) -> Self {
        let detail = format!("received bytes are not valid UTF-8 ({})", err.utf8_error());
        Error {
            errno: e::EINVAL,
            kind: ErrorKind::InvalidUtf8,
            extra: Some(Box::new(Extra {
                detail: Some(detail.into()),
                bytes: Some(err.into_bytes()),
                complete: true,
                ..Extra::default()
            })),
        }
    }

    /// The same error with another kind (for example `EINVAL` from
    /// `zmq_bind` becomes [`ErrorKind::InvalidEndpoint`]).
    pub(crate) fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// The same error with a detail saying what it concerns.
    pub(crate) fn with_detail(mut self, detail: impl Into<Cow<'static, str>>) -> Self {
        self.extra.get_or_insert_with(Box::default).detail = Some(detail.into());
        self
    }

    /// What kind of failure this is.
    #[inline]
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The errno (libzmq's own values, such as `ETERM`, included).
    #[inline]
    pub fn errno(&self) -> c_int {
        self.errno
    }

    /// libzmq's text for the errno (`zmq_strerror`).
    pub fn message(&self) -> String {
        Errno(self.errno).message()
    }

    /// What the error concerns, when known (an endpoint, an option...).
    pub fn detail(&self) -> Option<&str> {
        self.extra.as_ref()?.detail.as_deref()
    }

    /// The bytes of an [`ErrorKind::InvalidUtf8`] error.
    pub fn into_bytes(self) -> Option<Vec<u8>> {
        self.extra?.bytes
    }

    /// The same error, holding the message parts that were not sent.
    pub(crate) fn with_unsent(mut self, unsent: Vec<Message>) -> Self {
        if !unsent.is_empty() {
            self.extra.get_or_insert_with(Box::default).unsent = unsent;
        }
        self
    }

    /// The message parts a failed send hands back: the message that
    /// [`Socket::send`](crate::Socket::send) was given by value, or the
    /// parts in a [`SendError`](crate::SendError) or
    /// [`MultipartSendError`](crate::MultipartSendError) turned into this
    /// error (by `?`); empty for any other error.
    pub fn unsent(&self) -> &[Message] {
        self.extra.as_ref().map_or(&[], |e| &e.unsent)
    }

    /// The message parts a failed send hands back (see
    /// [`unsent`](Error::unsent)), taken out of the error.
    ///
    /// ```
    /// use zmq4::{Context, SendFlags, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let push = ctx.socket(SocketType::Push)?; // no peer yet
    /// let report = "x".repeat(1000);
    /// let err = push.send(report, SendFlags::DONTWAIT).unwrap_err();
    /// let parts = err.into_unsent();
    /// assert_eq!(parts[0].len(), 1000); // the very buffer, not a copy
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn into_unsent(self) -> Vec<Message> {
        self.extra.map(|e| e.unsent).unwrap_or_default()
    }

    /// Whether the call found no message to receive or no room to send
    /// (`EAGAIN`): at once under `DONTWAIT` ([`ErrorKind::WouldBlock`]),
    /// or after the socket's send or receive timeout
    /// ([`ErrorKind::TimedOut`]).
    #[inline]
    pub fn is_would_block(&self) -> bool {
        self.errno == e::EAGAIN
    }

    /// Whether a blocking send or receive timed out
    /// ([`ErrorKind::TimedOut`]).
    #[inline]
    pub fn is_timed_out(&self) -> bool {
        self.kind == ErrorKind::TimedOut
    }

    /// Whether the context was terminated (`ETERM`).
    #[inline]
    pub fn is_terminated(&self) -> bool {
        self.kind == ErrorKind::Terminated
    }

    fn render(&self) -> String {
        match self.detail() {
            Some(detail) if self.extra.as_ref().is_some_and(|e| e.complete) => detail.to_string(),
            Some(detail) => format!("{detail}: {}", self.message()),
            None => self.message(),
        }
    }
}

impl From<Errno> for Error {
    #[inline]
    fn from(errno: Errno) -> Error {
        Error::from_errno(errno.0)
    }
}

impl Error {
    /// The error of the last libzmq call that failed on this thread.
    #[cold]
    #[inline(never)]
    pub(crate) fn last() -> Error {
        Error::from_errno(Errno::last().0)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.kind)
            .field("errno", &self.errno)
            .field("message", &self.message());
        if let Some(detail) = self.detail() {
            d.field("detail", &detail);
        }
        d.finish()
    }
}

impl From<Error> for io::Error {
    fn from(err: Error) -> io::Error {
        let kind = match err.kind {
            ErrorKind::WouldBlock => io::ErrorKind::WouldBlock,
            ErrorKind::TimedOut => io::ErrorKind::TimedOut,
            ErrorKind::Interrupted => io::ErrorKind::Interrupted,
            ErrorKind::InvalidEndpoint | ErrorKind::InvalidArgument => io::ErrorKind::InvalidInput,
            ErrorKind::InvalidUtf8 => io::ErrorKind::InvalidData,
            ErrorKind::AddressInUse => io::ErrorKind::AddrInUse,
            ErrorKind::AddressNotAvailable => io::ErrorKind::AddrNotAvailable,
            ErrorKind::ConnectionRefused => io::ErrorKind::ConnectionRefused,
            ErrorKind::NotFound => io::ErrorKind::NotFound,
            ErrorKind::PermissionDenied => io::ErrorKind::PermissionDenied,
            ErrorKind::NotSupported
            | ErrorKind::ProtocolNotSupported
            | ErrorKind::IncompatibleProtocol => io::ErrorKind::Unsupported,
            ErrorKind::OutOfMemory => io::ErrorKind::OutOfMemory,
            ErrorKind::Terminated => io::ErrorKind::BrokenPipe,
            _ => io::ErrorKind::Other,
        };
        io::Error::new(kind, err)
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests;
