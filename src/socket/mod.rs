//! Sockets: [`Socket`], its types, and how it connects.

use std::ffi::CString;
use std::fmt;
use std::os::raw::{c_int, c_void};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::sys::{ffi, RawSocket};

mod attach;
mod options;
mod recv;
mod security;
mod send;
mod types;

pub use options::{GssapiNameType, Mechanism, PollEvents};
#[cfg(feature = "draft")]
pub use options::{NormMode, ReconnectStop, RouterNotify};
pub use recv::Received;
pub use send::{MultipartSendError, SendError};
pub use types::SocketType;

/// A ZeroMQ socket.
///
/// It borrows the [`Context`] that made it, so it cannot outlive it. It may
/// be moved to another thread (`Send`) but not shared between threads (not
/// `Sync`), because libzmq sockets are not thread-safe. Dropping it closes
/// it; [`Socket::close`] reports errors.
///
/// # Sending and receiving
///
/// | to send | use | on failure |
/// |---|---|---|
/// | borrowed bytes, copied | [`send`](Socket::send) | the bytes stay yours |
/// | an owned [`Message`](crate::Message), no copy | [`send_msg`](Socket::send_msg) | the message comes back in the [`SendError`] |
/// | a message you keep and refill | [`send_msg_mut`](Socket::send_msg_mut) | the message is left intact |
/// | several parts as one message | [`send_multipart`](Socket::send_multipart) | the unsent parts come back in the [`MultipartSendError`] |
///
/// | to receive | use |
/// |---|---|
/// | into one reused message, no allocation per message | [`recv`](Socket::recv) |
/// | a new message | [`recv_msg`](Socket::recv_msg) |
/// | into your buffer, truncation reported | [`recv_into`](Socket::recv_into) |
/// | bytes / a string | [`recv_bytes`](Socket::recv_bytes) / [`recv_string`](Socket::recv_string) |
/// | all parts of a message | [`recv_multipart`](Socket::recv_multipart) / [`recv_multipart_into`](Socket::recv_multipart_into) |
///
/// A signal that interrupts a blocking call makes it fail with
/// [`ErrorKind::Interrupted`] (a send hands its message back, as for any
/// other error), unless the context was built to retry such calls: then
/// the call is made again (and a send or receive timeout starts over).
pub struct Socket<'ctx> {
    pub(crate) raw: RawSocket,
    pub(crate) ctx: &'ctx Context,
    pub(crate) kind: SocketType,
}

impl fmt::Debug for Socket<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Socket")
            .field("type", &self.kind)
            .field("handle", &self.raw.as_ptr())
            .finish()
    }
}

/// A fresh `inproc://` name for one of the crate's own channels (a
/// monitor's, a steerable proxy's control). inproc names live in one
/// context, and the `zmq4-` prefix keeps them apart from a program's.
pub(crate) fn private_inproc(purpose: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "inproc://zmq4-{purpose}-{}",
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Turns an endpoint into a C string, rejecting interior NUL bytes (libzmq
/// would silently cut the endpoint there).
pub(crate) fn endpoint_cstring(endpoint: &str) -> Result<CString> {
    CString::new(endpoint).map_err(|_| {
        Error::invalid(
            ErrorKind::InvalidEndpoint,
            format!("endpoint {endpoint:?} contains a NUL byte"),
        )
    })
}

impl<'ctx> Socket<'ctx> {
    pub(crate) fn new(ctx: &'ctx Context, kind: SocketType) -> Result<Socket<'ctx>> {
        let raw = RawSocket::new(&ctx.raw, kind.as_raw())?;
        Ok(Socket { raw, ctx, kind })
    }

    /// Makes a blocking libzmq call on this socket: its return value, or
    /// on -1 the error, read at once. A call interrupted by a signal is
    /// made again when the context asks for that
    /// ([`ContextBuilder::retry_on_interrupt`](crate::ContextBuilder::retry_on_interrupt)).
    /// The success path is one call and one comparison; the rest is out
    /// of line.
    #[inline(always)]
    pub(crate) fn blocking(&self, mut call: impl FnMut() -> c_int) -> Result<c_int> {
        let rc = call();
        if rc != -1 {
            return Ok(rc);
        }
        self.blocking_failed(&mut call)
    }

    #[cold]
    #[inline(never)]
    fn blocking_failed(&self, call: &mut dyn FnMut() -> c_int) -> Result<c_int> {
        loop {
            let err = crate::sys::last_error();
            if err.kind() != ErrorKind::Interrupted || !self.ctx.retry_eintr {
                return Err(err);
            }
            let rc = call();
            if rc != -1 {
                return Ok(rc);
            }
        }
    }

    /// The socket's type.
    pub fn socket_type(&self) -> SocketType {
        self.kind
    }

    /// The context this socket belongs to.
    pub fn context(&self) -> &'ctx Context {
        self.ctx
    }

    fn endpoint_call(
        &self,
        endpoint: &str,
        call: unsafe extern "C" fn(*mut std::os::raw::c_void, *const std::os::raw::c_char) -> i32,
        what: &str,
    ) -> Result<()> {
        let c = endpoint_cstring(endpoint)?;
        // SAFETY: the socket is live and `c` is a NUL-terminated string that
        // outlives the call; libzmq copies what it keeps.
        let rc = unsafe { call(self.raw.as_ptr(), c.as_ptr()) };
        if rc == -1 {
            let err = crate::sys::last_error();
            let err = if err.kind() == ErrorKind::InvalidArgument {
                err.with_kind(ErrorKind::InvalidEndpoint)
            } else {
                err
            };
            return Err(err.with_detail(format!("{what} {endpoint:?}")));
        }
        Ok(())
    }

    /// Binds the socket to a local endpoint (`tcp://127.0.0.1:*`,
    /// `ipc:///tmp/x`, `inproc://name`, ...). Use
    /// [`last_endpoint`](Socket::last_endpoint) to learn a wildcard port.
    #[doc(alias = "zmq_bind")]
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        self.endpoint_call(endpoint, ffi::zmq_bind, "bind")
    }

    /// Connects the socket to a remote endpoint.
    #[doc(alias = "zmq_connect")]
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        self.endpoint_call(endpoint, ffi::zmq_connect, "connect")
    }

    /// Stops listening on an endpoint given to [`bind`](Socket::bind).
    #[doc(alias = "zmq_unbind")]
    pub fn unbind(&self, endpoint: &str) -> Result<()> {
        self.endpoint_call(endpoint, ffi::zmq_unbind, "unbind")
    }

    /// Disconnects from an endpoint given to [`connect`](Socket::connect).
    #[doc(alias = "zmq_disconnect")]
    pub fn disconnect(&self, endpoint: &str) -> Result<()> {
        self.endpoint_call(endpoint, ffi::zmq_disconnect, "disconnect")
    }

    /// The raw `void *` socket handle, for calling libzmq directly. It stays
    /// owned by this `Socket`.
    pub fn as_raw(&self) -> *mut std::os::raw::c_void {
        self.raw.as_ptr()
    }

    /// Takes ownership of a socket handle made by `zmq_socket` on `ctx`,
    /// for example one received from C code.
    ///
    /// The type is read from the socket (`ZMQ_TYPE`). A null `ptr` is an
    /// error of kind [`ErrorKind::InvalidArgument`], and a type this build
    /// does not know (a DRAFT type without the `draft` feature) one of kind
    /// [`ErrorKind::NotSupported`]; on error the handle stays the caller's.
    ///
    /// # Safety
    /// `ptr` must be null or a live socket handle that:
    /// - was created by `zmq_socket` on this very context
    ///   ([`Context::as_raw`]), so that the borrow keeps the right context
    ///   alive;
    /// - is not closed or used by anything else from now on: the returned
    ///   `Socket` owns it and closes it when dropped (give it up with
    ///   [`into_raw`](Socket::into_raw));
    /// - is not in use on another thread (libzmq sockets are not
    ///   thread-safe).
    pub unsafe fn from_raw(ctx: &'ctx Context, ptr: *mut c_void) -> Result<Socket<'ctx>> {
        let Some(ptr) = NonNull::new(ptr) else {
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                "Socket::from_raw: null socket handle",
            ));
        };
        // SAFETY: the caller guarantees a live socket that we now own.
        let raw = unsafe { RawSocket::from_ptr(ptr) };
        let kind = raw.get_int(ffi::ZMQ_TYPE).and_then(|t| {
            SocketType::from_raw(t).ok_or_else(|| {
                Error::from_errno(ffi::errno::ENOTSUP).with_detail(format!(
                    "Socket::from_raw: socket type {t} is not known to this build"
                ))
            })
        });
        match kind {
            Ok(kind) => Ok(Socket { raw, ctx, kind }),
            Err(err) => {
                // On error the handle stays the caller's: do not close it.
                raw.into_ptr();
                Err(err)
            }
        }
    }

    /// Gives up ownership of the socket handle without closing it. The
    /// caller must close it (`zmq_close`) before the context is
    /// terminated, or hand it back with [`from_raw`](Socket::from_raw).
    #[must_use = "the socket handle must be closed with zmq_close"]
    pub fn into_raw(self) -> *mut c_void {
        self.raw.into_ptr().as_ptr()
    }

    /// Closes the socket, reporting an error if libzmq reports one (the
    /// socket is handed back then). Dropping a socket closes it too.
    #[doc(alias = "zmq_close")]
    pub fn close(self) -> std::result::Result<(), (Self, Error)> {
        let Socket { raw, ctx, kind } = self;
        raw.close()
            .map_err(|(raw, err)| (Socket { raw, ctx, kind }, err))
    }
}
