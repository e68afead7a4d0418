//! Sockets: [`Socket`], its types, and how it connects.

use std::ffi::CString;
use std::fmt;

use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::sys::{ffi, RawSocket};

mod options;
mod types;

pub use options::{GssapiNameType, Mechanism, PollEvents};
#[cfg(feature = "draft")]
pub use options::{NormMode, ReconnectStop, RouterNotify};
pub use types::SocketType;

/// A ZeroMQ socket.
///
/// It borrows the [`Context`] that made it, so it cannot outlive it. It may
/// be moved to another thread (`Send`) but not shared between threads (not
/// `Sync`), because libzmq sockets are not thread-safe. Dropping it closes
/// it; [`Socket::close`] reports errors.
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

    /// Closes the socket, reporting an error if libzmq reports one (the
    /// socket is handed back then). Dropping a socket closes it too.
    #[doc(alias = "zmq_close")]
    pub fn close(self) -> std::result::Result<(), (Self, Error)> {
        let Socket { raw, ctx, kind } = self;
        raw.close()
            .map_err(|(raw, err)| (Socket { raw, ctx, kind }, err))
    }
}
