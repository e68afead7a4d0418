//! The ZeroMQ context: owner of I/O threads and of the inproc namespace.

use std::os::raw::c_int;
use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::socket::{Socket, SocketType};
use crate::sys::{ffi, RawContext};

mod builder;
mod sched;

pub use builder::ContextBuilder;

/// A ZeroMQ context.
///
/// A context owns libzmq's I/O threads and the namespace of `inproc://`
/// endpoints: sockets reach each other over inproc only when they were made
/// by the same context. Every [`Socket`] borrows the context that made it,
/// so the compiler guarantees that all sockets are gone before the context
/// is dropped; dropping it then terminates it (`zmq_ctx_term`), waiting for
/// the sockets' unsent messages as their `LINGER` says.
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
///
/// # Options
///
/// [`Context::builder`] sets every context option of libzmq before the
/// context starts; typed getters read them back, and the options that
/// still matter later ([`set_ipv6`](Context::set_ipv6),
/// [`set_blocky`](Context::set_blocky), ...) have setters here.
///
/// # Interrupted calls
///
/// A signal delivered while a thread is blocked in libzmq makes the call
/// fail with [`ErrorKind::Interrupted`](crate::ErrorKind::Interrupted) by
/// default, so that the program notices it (a Ctrl-C handler that sets a
/// flag, for example). A context built with
/// [`retry_on_interrupt(true)`](ContextBuilder::retry_on_interrupt) makes
/// the blocking calls of its sockets, and [`Context::term`], retry instead,
/// as pebbe/zmq4 does by default; see there for why the defaults differ.
#[derive(Debug)]
pub struct Context {
    pub(crate) raw: RawContext,
    /// Whether blocking calls retry on `EINTR` instead of reporting
    /// [`ErrorKind::Interrupted`](crate::ErrorKind::Interrupted).
    pub(crate) retry_eintr: bool,
}

impl Context {
    /// Creates a context with libzmq's defaults (one I/O thread, at most
    /// 1023 sockets).
    ///
    /// Interrupted blocking calls are reported, not retried (see
    /// [`ContextBuilder::retry_on_interrupt`]).
    #[doc(alias = "zmq_ctx_new")]
    pub fn new() -> Result<Context> {
        Ok(Context {
            raw: RawContext::new()?,
            retry_eintr: false,
        })
    }

    /// A builder that sets context options before the context starts.
    ///
    /// ```
    /// let ctx = zmq4::Context::builder()
    ///     .io_threads(2)
    ///     .blocky(false)
    ///     .build()?;
    /// assert_eq!(ctx.io_threads()?, 2);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn builder() -> ContextBuilder {
        ContextBuilder::new()
    }

    /// The process-wide default context, created with libzmq's defaults on
    /// first use and never terminated.
    ///
    /// Every socket made from it can reach every other over inproc, from
    /// any thread, as with pebbe/zmq4's package-level `NewSocket` or pyzmq's
    /// `Context.instance()`. Its sockets are `Socket<'static>`, so they can
    /// be moved into threads spawned with [`std::thread::spawn`]. Like every
    /// context made by [`Context::new`], it reports interrupted calls.
    ///
    /// Libraries should prefer a context of their own, so that their
    /// inproc names and settings do not meet the application's.
    ///
    /// ```
    /// use zmq4::{Context, SocketType};
    ///
    /// let pull = Context::global().socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-global")?;
    /// let worker = std::thread::spawn(|| -> zmq4::Result<()> {
    ///     let push = Context::global().socket(SocketType::Push)?;
    ///     push.connect("inproc://doc-global")?;
    ///     Ok(())
    /// });
    /// worker.join().unwrap()?;
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    ///
    /// # Panics
    /// If libzmq cannot create a context at all (out of file descriptors).
    pub fn global() -> &'static Context {
        static GLOBAL: OnceLock<Context> = OnceLock::new();
        GLOBAL.get_or_init(|| Context::new().expect("zmq4: libzmq could not create a context"))
    }

    /// Creates a socket of the given type in this context.
    ///
    /// Fails with [`ErrorKind::Terminated`](crate::ErrorKind::Terminated)
    /// after [`shutdown`](Context::shutdown), and with
    /// [`ErrorKind::TooManyOpen`](crate::ErrorKind::TooManyOpen) when
    /// [`max_sockets`](Context::max_sockets) sockets are open.
    #[doc(alias = "zmq_socket")]
    pub fn socket(&self, kind: SocketType) -> Result<Socket<'_>> {
        Socket::new(self, kind)
    }

    /// The raw `void *` context handle, for calling libzmq directly. It
    /// stays owned by this `Context`.
    pub fn as_raw(&self) -> *mut std::os::raw::c_void {
        self.raw.as_ptr()
    }

    /// Shuts the context down (`zmq_ctx_shutdown`) without waiting.
    ///
    /// From now on, every blocking call on the context's sockets, in any
    /// thread, returns at once with
    /// [`ErrorKind::Terminated`](crate::ErrorKind::Terminated), including
    /// calls blocked at this moment, and creating a socket fails the same
    /// way. The sockets must still be closed (dropped); the context itself
    /// is terminated when it is dropped. This is how one thread stops
    /// others that are blocked in a receive.
    ///
    /// Calling it again does nothing.
    ///
    /// ```
    /// use zmq4::{Context, ErrorKind, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// ctx.shutdown()?;
    /// let err = ctx.socket(SocketType::Pull).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Terminated);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_ctx_shutdown")]
    pub fn shutdown(&self) -> Result<()> {
        self.raw.shutdown()
    }

    /// Terminates the context (`zmq_ctx_term`), reporting failure, where
    /// dropping it does the same silently.
    ///
    /// Every socket is closed by then (they borrow the context), so this
    /// only waits for the messages they left queued, as their `LINGER`
    /// says ([`blocky`](ContextBuilder::blocky) sets its default). A socket
    /// leaked with [`std::mem::forget`] is never closed, and terminating
    /// then waits forever.
    ///
    /// On failure the context is handed back, still alive. When a signal
    /// interrupts the wait, the error is
    /// [`ErrorKind::Interrupted`](crate::ErrorKind::Interrupted) and calling
    /// `term` again resumes it, unless the context retries interrupted
    /// calls itself ([`ContextBuilder::retry_on_interrupt`]).
    ///
    /// ```
    /// let ctx = zmq4::Context::new()?;
    /// let sock = ctx.socket(zmq4::SocketType::Push)?;
    /// drop(sock);
    /// ctx.term().map_err(|(_ctx, err)| err)?;
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_ctx_term")]
    pub fn term(self) -> std::result::Result<(), (Context, Error)> {
        let Context { raw, retry_eintr } = self;
        raw.term(retry_eintr)
            .map_err(|(raw, err)| (Context { raw, retry_eintr }, err))
    }

    fn get(&self, option: c_int, name: &str) -> Result<c_int> {
        self.raw
            .get(option)
            .map_err(|err| err.with_detail(format!("context option {name}")))
    }

    /// `zmq_ctx_get` for an option whose value may be -1, which the C API
    /// cannot tell from a failure. libzmq 4.3 never fails for these
    /// options on a live context, so the value is returned as is.
    fn get_signed(&self, option: c_int) -> c_int {
        // SAFETY: the handle is a live context.
        unsafe { ffi::zmq_ctx_get(self.raw.as_ptr(), option) }
    }

    fn get_usize(&self, option: c_int, name: &str) -> Result<usize> {
        // libzmq only stores non-negative values for these options.
        self.get(option, name)
            .map(|value| usize::try_from(value).unwrap_or(0))
    }

    fn set(&self, option: c_int, name: &str, value: c_int) -> Result<()> {
        self.raw
            .set(option, value)
            .map_err(|err| err.with_detail(format!("context option {name} = {value}")))
    }

    /// The number of I/O threads (`ZMQ_IO_THREADS`); see
    /// [`ContextBuilder::io_threads`].
    #[doc(alias = "ZMQ_IO_THREADS")]
    #[doc(alias = "zmq_ctx_get")]
    pub fn io_threads(&self) -> Result<usize> {
        self.get_usize(ffi::ZMQ_IO_THREADS, "io_threads")
    }

    /// The largest number of sockets open at once (`ZMQ_MAX_SOCKETS`); see
    /// [`ContextBuilder::max_sockets`].
    #[doc(alias = "ZMQ_MAX_SOCKETS")]
    #[doc(alias = "zmq_ctx_get")]
    pub fn max_sockets(&self) -> Result<usize> {
        self.get_usize(ffi::ZMQ_MAX_SOCKETS, "max_sockets")
    }

    /// The largest value [`max_sockets`](ContextBuilder::max_sockets) may
    /// usefully take in this build of libzmq (`ZMQ_SOCKET_LIMIT`): 65535,
    /// or less when libzmq polls with `select`.
    #[doc(alias = "ZMQ_SOCKET_LIMIT")]
    #[doc(alias = "zmq_ctx_get")]
    pub fn socket_limit(&self) -> Result<usize> {
        self.get_usize(ffi::ZMQ_SOCKET_LIMIT, "socket_limit")
    }

    /// Whether sockets created from now on use IPv6 (`ZMQ_IPV6`).
    #[doc(alias = "ZMQ_IPV6")]
    #[doc(alias = "zmq_ctx_get")]
    pub fn ipv6(&self) -> Result<bool> {
        self.get(ffi::ZMQ_IPV6, "ipv6").map(|v| v != 0)
    }

    /// Makes sockets created from now on use IPv6 or not (`ZMQ_IPV6`).
    /// Sockets already created keep their setting.
    ///
    /// ```
    /// let ctx = zmq4::Context::new()?;
    /// ctx.set_ipv6(true)?;
    /// assert!(ctx.ipv6()?);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "ZMQ_IPV6")]
    #[doc(alias = "zmq_ctx_set")]
    pub fn set_ipv6(&self, enabled: bool) -> Result<()> {
        self.set(ffi::ZMQ_IPV6, "ipv6", enabled.into())
    }

    /// Whether sockets created from now on linger forever by default
    /// (`ZMQ_BLOCKY`); see [`ContextBuilder::blocky`].
    #[doc(alias = "ZMQ_BLOCKY")]
    #[doc(alias = "zmq_ctx_get")]
    pub fn blocky(&self) -> Result<bool> {
        self.get(ffi::ZMQ_BLOCKY, "blocky").map(|v| v != 0)
    }

    /// Sets the default linger of sockets created from now on
    /// (`ZMQ_BLOCKY`): `true` infinite, `false` zero. Sockets already
    /// created keep theirs.
    #[doc(alias = "ZMQ_BLOCKY")]
    #[doc(alias = "zmq_ctx_set")]
    pub fn set_blocky(&self, blocky: bool) -> Result<()> {
        self.set(ffi::ZMQ_BLOCKY, "blocky", blocky.into())
    }

    /// The largest message size recorded in the context
    /// (`ZMQ_MAX_MSGSZ`); libzmq 4.3 does not enforce it (see
    /// [`ContextBuilder::max_msgsz`]).
    #[doc(alias = "ZMQ_MAX_MSGSZ")]
    #[doc(alias = "zmq_ctx_get")]
    pub fn max_msgsz(&self) -> Result<usize> {
        self.get_usize(ffi::ZMQ_MAX_MSGSZ, "max_msgsz")
    }

    /// Records the largest message size (`ZMQ_MAX_MSGSZ`); values above
    /// `i32::MAX` are clipped. libzmq 4.3 does not enforce it: the socket
    /// option `MAXMSGSIZE` does.
    #[doc(alias = "ZMQ_MAX_MSGSZ")]
    #[doc(alias = "zmq_ctx_set")]
    pub fn set_max_msgsz(&self, bytes: usize) -> Result<()> {
        let bytes = c_int::try_from(bytes).unwrap_or(c_int::MAX);
        self.set(ffi::ZMQ_MAX_MSGSZ, "max_msgsz", bytes)
    }

    /// The size in bytes of libzmq's `zmq_msg_t` (`ZMQ_MSG_T_SIZE`): 64
    /// in libzmq 4.3. Useful to check that the declarations match the
    /// library.
    #[doc(alias = "ZMQ_MSG_T_SIZE")]
    #[doc(alias = "zmq_ctx_get")]
    pub fn msg_t_size(&self) -> Result<usize> {
        self.get_usize(ffi::ZMQ_MSG_T_SIZE, "msg_t_size")
    }

    /// The scheduling policy of libzmq's threads
    /// (`ZMQ_THREAD_SCHED_POLICY`), or `None` when it was not set; see
    /// [`ContextBuilder::thread_sched_policy`].
    #[doc(alias = "ZMQ_THREAD_SCHED_POLICY")]
    #[doc(alias = "zmq_ctx_get")]
    pub fn thread_sched_policy(&self) -> Result<Option<i32>> {
        // libzmq stores only values >= 0 and its default, -1.
        let policy = self.get_signed(ffi::ZMQ_THREAD_SCHED_POLICY);
        Ok((policy >= 0).then_some(policy))
    }

    /// The numeric prefix of libzmq's thread names
    /// (`ZMQ_THREAD_NAME_PREFIX`), 0 when none was set (or when the prefix
    /// is a text that does not start with a number); see
    /// [`ContextBuilder::thread_name_prefix`].
    #[doc(alias = "ZMQ_THREAD_NAME_PREFIX")]
    #[doc(alias = "zmq_ctx_get")]
    pub fn thread_name_prefix(&self) -> Result<i32> {
        // Any int is a valid prefix, -1 included.
        Ok(self.get_signed(ffi::ZMQ_THREAD_NAME_PREFIX))
    }

    /// The prefix of libzmq's thread names as text
    /// (`ZMQ_THREAD_NAME_PREFIX` through the DRAFT `zmq_ctx_get_ext`),
    /// empty when none was set.
    #[cfg(feature = "draft")]
    #[doc(alias = "ZMQ_THREAD_NAME_PREFIX")]
    #[doc(alias = "zmq_ctx_get_ext")]
    pub fn thread_name_prefix_str(&self) -> Result<String> {
        // libzmq copies the prefix without a terminator and without
        // reporting its length, and takes a 4-byte buffer for an int:
        // give it a zeroed buffer longer than any prefix it accepts.
        let mut buf = [0u8; 32];
        let mut len = buf.len();
        // SAFETY: the context is live; libzmq writes at most `len` bytes
        // into `buf`.
        crate::sys::cvt(unsafe {
            ffi::zmq_ctx_get_ext(
                self.raw.as_ptr(),
                ffi::ZMQ_THREAD_NAME_PREFIX,
                buf.as_mut_ptr().cast(),
                &mut len,
            )
        })
        .map_err(|err| err.with_detail("context option thread_name_prefix"))?;
        let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
        Ok(String::from_utf8_lossy(&buf[..end]).into_owned())
    }

    /// Whether sockets created from now on receive without copying
    /// (`ZMQ_ZERO_COPY_RECV`, DRAFT).
    #[cfg(feature = "draft")]
    #[doc(alias = "ZMQ_ZERO_COPY_RECV")]
    #[doc(alias = "zmq_ctx_get")]
    pub fn zero_copy_recv(&self) -> Result<bool> {
        self.get(ffi::ZMQ_ZERO_COPY_RECV, "zero_copy_recv")
            .map(|v| v != 0)
    }

    /// Makes sockets created from now on receive without copying or not
    /// (`ZMQ_ZERO_COPY_RECV`, DRAFT).
    #[cfg(feature = "draft")]
    #[doc(alias = "ZMQ_ZERO_COPY_RECV")]
    #[doc(alias = "zmq_ctx_set")]
    pub fn set_zero_copy_recv(&self, enabled: bool) -> Result<()> {
        self.set(ffi::ZMQ_ZERO_COPY_RECV, "zero_copy_recv", enabled.into())
    }

    /// Whether blocking calls on this context's sockets retry when a
    /// signal interrupts them, instead of failing with
    /// [`ErrorKind::Interrupted`](crate::ErrorKind::Interrupted); see
    /// [`ContextBuilder::retry_on_interrupt`]. `false` unless set.
    pub fn retry_on_interrupt(&self) -> bool {
        self.retry_eintr
    }

    /// Changes whether blocking calls retry when interrupted by a signal
    /// (see [`ContextBuilder::retry_on_interrupt`]). It takes `&mut self`,
    /// so no socket of the context exists while it changes.
    pub fn set_retry_on_interrupt(&mut self, retry: bool) {
        self.retry_eintr = retry;
    }
}
