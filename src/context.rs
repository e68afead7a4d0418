//! The ZeroMQ context: owner of I/O threads and of the inproc namespace.

use std::sync::OnceLock;

use crate::error::Result;
use crate::socket::{Socket, SocketType};
use crate::sys::RawContext;

/// A ZeroMQ context.
///
/// A context owns libzmq's I/O threads and the namespace of `inproc://`
/// endpoints: sockets reach each other over inproc only when they were made
/// by the same context. Every [`Socket`] borrows the context that made it,
/// so the compiler guarantees that all sockets are gone before the context
/// is dropped; dropping it then terminates it (`zmq_ctx_term`).
///
/// A context is `Send + Sync`: share it between threads by reference, for
/// example with [`std::thread::scope`].
///
/// ```
/// use zmq4::{Context, SocketType};
///
/// let ctx = Context::new()?;
/// let rep = ctx.socket(SocketType::Rep)?;
/// rep.bind("inproc://doc-context")?;
/// # Ok::<(), zmq4::Error>(())
/// ```
#[derive(Debug)]
pub struct Context {
    pub(crate) raw: RawContext,
    pub(crate) retry_eintr: bool,
}

impl Context {
    /// Creates a context with libzmq's defaults (one I/O thread).
    #[doc(alias = "zmq_ctx_new")]
    pub fn new() -> Result<Context> {
        Ok(Context {
            raw: RawContext::new()?,
            retry_eintr: false,
        })
    }

    /// The process-wide default context, created on first use and never
    /// terminated. Every socket made from it can reach every other over
    /// inproc, as with pebbe/zmq4's package-level `NewSocket` or pyzmq's
    /// `Context.instance()`.
    ///
    /// # Panics
    /// If libzmq cannot create a context at all (out of file descriptors).
    pub fn global() -> &'static Context {
        static GLOBAL: OnceLock<Context> = OnceLock::new();
        GLOBAL.get_or_init(|| Context::new().expect("zmq4: libzmq could not create a context"))
    }

    /// Creates a socket of the given type in this context.
    #[doc(alias = "zmq_socket")]
    pub fn socket(&self, kind: SocketType) -> Result<Socket<'_>> {
        Socket::new(self, kind)
    }

    /// The raw `void *` context handle, for calling libzmq directly.
    pub fn as_raw(&self) -> *mut std::os::raw::c_void {
        self.raw.as_ptr()
    }
}
