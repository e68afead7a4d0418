//! The ZeroMQ context: owner of I/O threads and of the inproc namespace.

use std::any::Any;
use std::fmt;
use std::os::raw::c_int;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock, RwLockReadGuard, Weak};
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::raw::{RawContext, RawSocket};
use crate::socket::{Socket, SocketType};
use crate::sys::ffi;

mod builder;
mod sched;

pub use builder::ContextBuilder;

/// A ZeroMQ context.
///
/// A context owns libzmq's I/O threads and the namespace of `inproc://`
/// endpoints: sockets reach each other over inproc only when they were made
/// by the same context.
///
/// A `Context` is a handle: cloning it is cheap and gives another handle to
/// the same libzmq context, and it is `Send + Sync`. The libzmq context is
/// terminated (`zmq_ctx_term`, which waits for the sockets' unsent
/// messages as their `LINGER` says) when the last handle is dropped and
/// the last socket of the context is closed.
///
/// Sockets come in two forms, one type:
/// - [`socket`](Context::socket) makes a `Socket<'ctx>` that borrows this
///   handle, so the compiler rules out dropping or terminating the handle
///   while the socket lives. Right for scoped code, and sockets shared
///   with worker threads through [`std::thread::scope`].
/// - [`owned_socket`](Context::owned_socket) makes a `Socket<'static>`
///   that keeps the context alive itself: it can move into
///   [`std::thread::spawn`], a `tokio::spawn`ed task or a struct field.
///
/// Both kinds of one context reach each other over inproc.
///
/// The borrow cannot see a socket that is leaked (`std::mem::forget`, a
/// reference cycle): such a socket would keep the libzmq context from
/// terminating, and `zmq_ctx_term` would wait for it for ever. So dropping
/// the last handle then leaks the libzmq context too (its I/O threads
/// stay until the process ends) instead of waiting, and
/// [`term`](Context::term) fails with [`ErrorKind::InvalidState`].
/// [`shutdown`](Context::shutdown) still ends the blocking calls of the
/// other sockets. A socket given up with
/// [`Socket::into_raw`](crate::Socket::into_raw) is no longer counted: it
/// must be closed before the context ends, as in C.
///
/// ```
/// use zmq4::{Context, RecvFlags, SendFlags, SocketType};
///
/// let ctx = Context::new()?;
/// let rep = ctx.socket(SocketType::Rep)?;
/// rep.bind("inproc://doc-context")?;
///
/// // A worker thread that owns its socket.
/// let req = ctx.owned_socket(SocketType::Req)?;
/// let worker = std::thread::spawn(move || -> zmq4::Result<String> {
///     req.connect("inproc://doc-context")?;
///     req.send("ping", SendFlags::empty())?;
///     req.recv_string(RecvFlags::empty())
/// });
/// assert_eq!(rep.recv_string(RecvFlags::empty())?, "ping");
/// rep.send("pong", SendFlags::empty())?;
/// assert_eq!(worker.join().unwrap()?, "pong");
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
#[derive(Clone)]
pub struct Context {
    inner: Arc<Inner>,
}

/// A handle that does not keep the context alive: what a process-wide
/// registry holds (see `signal`), so that the context still terminates
/// when the program's last handle goes.
#[cfg_attr(not(feature = "signal"), allow(dead_code))]
#[derive(Clone)]
pub(crate) struct WeakContext(Weak<Inner>);

#[cfg_attr(not(feature = "signal"), allow(dead_code))]
impl WeakContext {
    /// The context, while a handle or socket keeps it alive.
    pub(crate) fn upgrade(&self) -> Option<Context> {
        self.0.upgrade().map(|inner| Context { inner })
    }

    /// Whether a handle or socket still keeps the context alive.
    pub(crate) fn is_alive(&self) -> bool {
        self.0.strong_count() > 0
    }

    /// Whether this is a handle of `ctx`'s context.
    pub(crate) fn is(&self, ctx: &Context) -> bool {
        std::ptr::eq(self.0.as_ptr(), Arc::as_ptr(&ctx.inner))
    }
}

/// The state of one libzmq context, shared by its handles and owned
/// sockets.
struct Inner {
    /// `None` once the context was terminated while handles remained (the
    /// process-wide context at exit): every later call then fails with
    /// `ETERM` instead of reaching a freed context.
    raw: RwLock<Option<RawContext>>,
    /// Whether blocking calls of sockets made from now on retry on `EINTR`.
    retry_eintr: AtomicBool,
    /// Sockets of this context that are open.
    sockets: AtomicUsize,
    /// The LINGER, in milliseconds (-1: for ever), that zmq4 gives each
    /// new socket, or [`LIBZMQ_DECIDES`] to leave libzmq's (from
    /// `ZMQ_BLOCKY`).
    linger_ms: AtomicI32,
    /// Sockets that must stay open until libzmq stops writing to them (a
    /// dropped monitor's receiving end), closed by whoever parked them once
    /// it is safe, or before the context terminates.
    parked: Mutex<Vec<RawSocket>>,
    /// The context's ZAP handler, while one runs (its type is the
    /// authenticator's business).
    zap: Mutex<Option<Weak<dyn Any + Send + Sync>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        let retry = *self.retry_eintr.get_mut();
        let raw = self.raw.get_mut().unwrap_or_else(|p| p.into_inner()).take();
        self.close_parked();
        if let Some(raw) = raw {
            // Owned sockets hold a handle and borrowed ones borrow one, so a
            // socket still counted open here was leaked (`mem::forget`, a
            // reference cycle): zmq_ctx_term would wait for it for ever.
            // The context is leaked with it instead, I/O threads included.
            if self.sockets.load(Ordering::Acquire) != 0 {
                std::mem::forget(raw);
                return;
            }
            // A failure other than EINTR is not possible now; the context
            // is freed either way (RawContext's drop tries again).
            let _ = raw.term(retry);
        }
    }
}

impl Inner {
    /// Closes the parked sockets, which termination would otherwise wait
    /// for; termination then interrupts any send libzmq still makes
    /// towards them.
    fn close_parked(&mut self) {
        self.parked
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("handle", &self.as_raw())
            .field("sockets", &self.inner.sockets.load(Ordering::Relaxed))
            .finish()
    }
}

/// The `LINGER` every socket starts with, unless its context says
/// otherwise ([`ContextBuilder::linger`], [`Context::set_linger`], or
/// `ZMQ_BLOCKY`).
///
/// libzmq's own default is to wait for ever, which makes a program hang at
/// exit (in the context's termination) whenever a message is queued for a
/// peer that is gone; closing with no linger at all loses what is still
/// queued for peers that are there. A bounded default keeps the queued
/// messages that can be delivered, and the exit bounded: at most this long
/// after the last socket is closed. A socket's own
/// [`set_linger`](crate::Socket::set_linger) overrides it, `None` for
/// libzmq's "for ever".
///
/// SUB (and DISH) sockets start with no linger instead: all they queue for
/// their peers is their subscriptions, which mean nothing once the socket
/// is closed, and waiting to deliver them to a publisher that is gone would
/// hold the program's end for the whole linger.
pub const DEFAULT_LINGER: Duration = Duration::from_secs(10);

/// The process-wide context of [`Context::global`].
static GLOBAL: OnceLock<Context> = OnceLock::new();

/// How long the end of the process waits for the global context's sockets
/// to be closed (by threads that are about to end) before it terminates the
/// context.
const EXIT_GRACE: Duration = Duration::from_millis(200);

/// Registered with `atexit` when the global context is made: terminates it
/// so that its closed sockets' queued messages are sent before the process
/// ends.
extern "C" fn terminate_global_at_exit() {
    // Nothing may unwind out of an exit handler.
    let _ = std::panic::catch_unwind(|| {
        if let Some(ctx) = GLOBAL.get() {
            ctx.terminate_at_exit(EXIT_GRACE);
        }
    });
}

/// `linger_ms` when zmq4 leaves a new socket's LINGER to libzmq.
const LIBZMQ_DECIDES: i32 = i32::MIN;

/// A LINGER as libzmq's milliseconds (-1: for ever), clipped to `i32::MAX`.
fn millis(linger: Option<Duration>) -> i32 {
    match linger {
        None => -1,
        Some(d) => crate::time::ceil_units(d, Duration::from_millis(1)).unwrap_or(i32::MAX),
    }
}

/// The error for a call on a context that was terminated.
#[cold]
fn terminated() -> Error {
    Error::from_errno(ffi::errno::ETERM)
}

impl Context {
    /// Creates a context with libzmq's defaults (one I/O thread, at most
    /// 1023 sockets).
    ///
    /// Interrupted blocking calls are reported, not retried (see
    /// [`ContextBuilder::retry_on_interrupt`]).
    #[doc(alias = "zmq_ctx_new")]
    pub fn new() -> Result<Context> {
        Ok(Context::from_raw_context(RawContext::new()?, false))
    }

    pub(crate) fn from_raw_context(raw: RawContext, retry_eintr: bool) -> Context {
        Context {
            inner: Arc::new(Inner {
                raw: RwLock::new(Some(raw)),
                retry_eintr: AtomicBool::new(retry_eintr),
                sockets: AtomicUsize::new(0),
                linger_ms: AtomicI32::new(millis(Some(DEFAULT_LINGER))),
                parked: Mutex::new(Vec::new()),
                zap: Mutex::new(None),
            }),
        }
    }

    /// The libzmq context, for the duration of a call; `ETERM` once it was
    /// terminated.
    pub(crate) fn raw(&self) -> Result<RawRef<'_>> {
        let guard = self.inner.raw.read().unwrap_or_else(|p| p.into_inner());
        if guard.is_some() {
            Ok(RawRef(guard))
        } else {
            Err(terminated())
        }
    }

    /// A handle that does not keep the context alive.
    #[cfg_attr(not(feature = "signal"), allow(dead_code))]
    pub(crate) fn downgrade(&self) -> WeakContext {
        WeakContext(Arc::downgrade(&self.inner))
    }

    /// Whether the two handles are of the same libzmq context.
    pub fn same_context(&self, other: &Context) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Records a socket of this context as open (see `CtxRef`).
    pub(crate) fn socket_opened(&self) {
        self.inner.sockets.fetch_add(1, Ordering::Relaxed);
    }

    /// Records a socket of this context as closed.
    pub(crate) fn socket_closed(&self) {
        self.inner.sockets.fetch_sub(1, Ordering::Release);
    }

    /// The sockets parked until libzmq stops writing to them.
    pub(crate) fn parked(&self) -> MutexGuard<'_, Vec<RawSocket>> {
        self.inner.parked.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The slot of the context's ZAP handler.
    pub(crate) fn zap_slot(&self) -> MutexGuard<'_, Option<Weak<dyn Any + Send + Sync>>> {
        self.inner.zap.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The context's ZAP handler, while one runs.
    pub(crate) fn zap_handler(&self) -> Option<Arc<dyn Any + Send + Sync>> {
        self.zap_slot().as_ref()?.upgrade()
    }

    /// The LINGER (milliseconds, -1 for ever) a new socket is given, or
    /// `None` to leave libzmq's.
    pub(crate) fn new_socket_linger(&self) -> Option<i32> {
        let ms = self.inner.linger_ms.load(Ordering::Relaxed);
        (ms != LIBZMQ_DECIDES).then_some(ms)
    }

    /// The `LINGER` the sockets made from now on start with: `None` for
    /// libzmq's "wait for ever" ([`DEFAULT_LINGER`] unless changed). After
    /// [`set_blocky`](Context::set_blocky), or a builder's
    /// [`blocky`](ContextBuilder::blocky), it is libzmq's choice and this
    /// reports the value that choice gives.
    pub fn linger(&self) -> Result<Option<Duration>> {
        let ms = match self.new_socket_linger() {
            Some(ms) => ms,
            None if self.blocky()? => -1,
            None => 0,
        };
        Ok(u64::try_from(ms).ok().map(Duration::from_millis))
    }

    /// Sets the `LINGER` the sockets made from now on start with (`None`:
    /// wait for ever, as libzmq's own default). Sockets already made keep
    /// theirs, and SUB and DISH sockets start with none (see
    /// [`DEFAULT_LINGER`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// let ctx = zmq4::Context::new()?;
    /// assert_eq!(ctx.linger()?, Some(zmq4::DEFAULT_LINGER));
    /// ctx.set_linger(Some(Duration::from_secs(1)));
    /// let sock = ctx.socket(zmq4::SocketType::Push)?;
    /// assert_eq!(sock.linger()?, Some(Duration::from_secs(1)));
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn set_linger(&self, linger: Option<Duration>) {
        self.inner
            .linger_ms
            .store(millis(linger), Ordering::Relaxed);
    }

    /// How many sockets of this context are open (made through zmq4 and
    /// not yet closed).
    pub fn open_sockets(&self) -> usize {
        self.inner.sockets.load(Ordering::Acquire)
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
    /// first use.
    ///
    /// Every socket made from it can reach every other over inproc, from
    /// any thread, as with pebbe/zmq4's package-level `NewSocket` or pyzmq's
    /// `Context.instance()`. Its sockets are `Socket<'static>`, so they can
    /// be moved into threads spawned with [`std::thread::spawn`]. Like every
    /// context made by [`Context::new`], it reports interrupted calls.
    ///
    /// # At the end of the process
    ///
    /// Nothing is lost at exit: when the process ends normally (`main`
    /// returns, or [`std::process::exit`]), the global context is
    /// terminated, which sends what its closed sockets still have queued,
    /// within their `LINGER` ([`DEFAULT_LINGER`] unless changed), before the
    /// process goes. The sockets of `main` are closed by then; sockets
    /// still open in threads that have not ended are given a moment to
    /// close (200 ms), and if they do not, the context is left as it is (its
    /// termination would wait for them for ever) and what they queued is
    /// lost: close them, or end those threads, first. After that, every
    /// call on the global context fails with
    /// [`ErrorKind::Terminated`](crate::ErrorKind::Terminated).
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
        GLOBAL.get_or_init(|| {
            let ctx = Context::new().expect("zmq4: libzmq could not create a context");
            crate::raw::os::at_exit(terminate_global_at_exit);
            ctx
        })
    }

    /// Terminates the context at the end of the process: waits up to
    /// `grace` for its sockets to be closed, then terminates it (which
    /// waits for their queued messages, as their LINGER says); if some are
    /// still open, leaves it, since termination would wait for them for
    /// ever. Every later call on the context fails with `ETERM`.
    fn terminate_at_exit(&self, grace: Duration) {
        let deadline = std::time::Instant::now() + grace;
        loop {
            // Under the write lock no socket can be made, so the count of
            // open sockets can only go down.
            let mut raw = self.inner.raw.write().unwrap_or_else(|p| p.into_inner());
            if self.open_sockets() == 0 {
                let taken = raw.take();
                drop(raw);
                self.parked().clear();
                if let Some(raw) = taken {
                    let _ = raw.term(true);
                }
                return;
            }
            drop(raw);
            if std::time::Instant::now() >= deadline {
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Creates a socket of the given type that borrows this handle.
    ///
    /// Fails with [`ErrorKind::Terminated`](crate::ErrorKind::Terminated)
    /// after [`shutdown`](Context::shutdown), and with
    /// [`ErrorKind::TooManyOpen`](crate::ErrorKind::TooManyOpen) when
    /// [`max_sockets`](Context::max_sockets) sockets are open.
    #[doc(alias = "zmq_socket")]
    pub fn socket(&self, kind: SocketType) -> Result<Socket<'_>> {
        Socket::new(crate::socket::CtxRef::Borrowed(self), kind)
    }

    /// Creates a socket of the given type that keeps the context alive by
    /// itself: a `Socket<'static>`, which can move into a spawned thread or
    /// task, or live in a struct, independently of this handle.
    ///
    /// Fails as [`socket`](Context::socket) does.
    ///
    /// ```
    /// use zmq4::{Context, SocketType};
    ///
    /// struct Service {
    ///     requests: zmq4::Socket<'static>,
    /// }
    ///
    /// fn start() -> zmq4::Result<Service> {
    ///     let ctx = Context::new()?;
    ///     let requests = ctx.owned_socket(SocketType::Rep)?;
    ///     requests.bind("tcp://127.0.0.1:*")?;
    ///     Ok(Service { requests }) // the handle goes; the context stays
    /// }
    /// let service = start()?;
    /// assert!(service.requests.context().open_sockets() == 1);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_socket")]
    pub fn owned_socket(&self, kind: SocketType) -> Result<Socket<'static>> {
        Socket::new(crate::socket::CtxRef::Owned(self.clone()), kind)
    }

    /// The raw `void *` context handle, for calling libzmq directly (null
    /// once the context was terminated). It stays owned by this `Context`.
    pub fn as_raw(&self) -> *mut std::os::raw::c_void {
        match self.raw() {
            Ok(raw) => raw.as_ptr(),
            Err(_) => std::ptr::null_mut(),
        }
    }

    /// Shuts the context down (`zmq_ctx_shutdown`) without waiting.
    ///
    /// From now on, every blocking call on the context's sockets, in any
    /// thread, returns at once with
    /// [`ErrorKind::Terminated`](crate::ErrorKind::Terminated), including
    /// calls blocked at this moment, and creating a socket fails the same
    /// way. The sockets must still be closed (dropped); the context itself
    /// is terminated when its last handle and socket are gone. This is how
    /// one thread stops others that are blocked in a receive.
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
        match self.raw() {
            Ok(raw) => Ok(raw.shutdown()?),
            // Terminated already: nothing left to shut down.
            Err(_) => Ok(()),
        }
    }

    /// Terminates the context (`zmq_ctx_term`), reporting failure, where
    /// dropping the last handle does the same silently.
    ///
    /// The sockets borrowed from this handle are closed by then (the
    /// compiler sees to it, unless one was leaked: see [`Context`]), so
    /// this only waits for the messages they left queued, as their
    /// `LINGER` says ([`blocky`](ContextBuilder::blocky) sets its default).
    ///
    /// It terminates only through the last handle: while other handles
    /// (clones, owned sockets) exist, it fails with
    /// [`ErrorKind::InvalidState`](crate::ErrorKind::InvalidState) and
    /// hands this handle back, instead of waiting for them for ever. A
    /// socket of the context that was leaked (never closed, see
    /// [`Context`]) makes it fail the same way.
    ///
    /// On failure the context is handed back, still alive. When a signal
    /// interrupts the wait, the error is
    /// [`ErrorKind::Interrupted`](crate::ErrorKind::Interrupted) and calling
    /// `term` again resumes it, unless the context retries interrupted
    /// calls itself ([`ContextBuilder::retry_on_interrupt`]).
    ///
    /// ```
    /// use zmq4::{Context, ErrorKind, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let owned = ctx.owned_socket(SocketType::Push)?;
    /// let (ctx, err) = ctx.term().unwrap_err(); // `owned` keeps it alive
    /// assert_eq!(err.kind(), ErrorKind::InvalidState);
    /// drop(owned);
    /// ctx.term().map_err(|(_ctx, err)| err)?;
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_ctx_term")]
    pub fn term(self) -> std::result::Result<(), (Context, Error)> {
        let mut inner = match Arc::try_unwrap(self.inner) {
            Ok(inner) => inner,
            Err(inner) => {
                let ctx = Context { inner };
                let err = Error::invalid(
                    ErrorKind::InvalidState,
                    format!(
                        "cannot terminate the context while other handles or owned sockets \
                         keep it alive ({} handles, {} open sockets)",
                        Arc::strong_count(&ctx.inner),
                        ctx.open_sockets()
                    ),
                );
                return Err((ctx, err));
            }
        };
        let leaked = *inner.sockets.get_mut();
        if leaked != 0 {
            let ctx = Context {
                inner: Arc::new(inner),
            };
            let err = Error::invalid(
                ErrorKind::InvalidState,
                format!(
                    "cannot terminate the context: {leaked} of its sockets were never closed \
                     (leaked with std::mem::forget or a reference cycle), and terminating \
                     would wait for them for ever"
                ),
            );
            return Err((ctx, err));
        }
        let retry = *inner.retry_eintr.get_mut();
        inner.close_parked();
        let Some(raw) = inner
            .raw
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        else {
            return Ok(());
        };
        raw.term(retry).map_err(|(raw, errno)| {
            *inner.raw.get_mut().unwrap_or_else(|p| p.into_inner()) = Some(raw);
            (
                Context {
                    inner: Arc::new(inner),
                },
                Error::from(errno),
            )
        })
    }

    fn get(&self, option: c_int, name: &str) -> Result<c_int> {
        self.raw()
            .and_then(|raw| Ok(raw.get(option)?))
            .map_err(|err| err.with_detail(format!("context option {name}")))
    }

    /// `zmq_ctx_get` for an option whose value may be -1, which the C API
    /// cannot tell from a failure. libzmq 4.3 never fails for these
    /// options on a live context, so the value is returned as is.
    fn get_signed(&self, option: c_int, name: &str) -> Result<c_int> {
        self.raw()
            .map(|raw| raw.get_signed(option))
            .map_err(|err| err.with_detail(format!("context option {name}")))
    }

    fn get_usize(&self, option: c_int, name: &str) -> Result<usize> {
        // libzmq only stores non-negative values for these options.
        self.get(option, name)
            .map(|value| usize::try_from(value).unwrap_or(0))
    }

    pub(crate) fn set(&self, option: c_int, name: &str, value: c_int) -> Result<()> {
        self.raw()
            .and_then(|raw| Ok(raw.set(option, value)?))
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
    /// (`ZMQ_BLOCKY`): `true` infinite, `false` zero, in place of
    /// [`DEFAULT_LINGER`]. Sockets already created keep theirs.
    #[doc(alias = "ZMQ_BLOCKY")]
    #[doc(alias = "zmq_ctx_set")]
    pub fn set_blocky(&self, blocky: bool) -> Result<()> {
        self.set(ffi::ZMQ_BLOCKY, "blocky", blocky.into())?;
        self.inner
            .linger_ms
            .store(LIBZMQ_DECIDES, Ordering::Relaxed);
        Ok(())
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
        let policy = self.get_signed(ffi::ZMQ_THREAD_SCHED_POLICY, "thread_sched_policy")?;
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
        self.get_signed(ffi::ZMQ_THREAD_NAME_PREFIX, "thread_name_prefix")
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
        self.raw()
            .and_then(|raw| Ok(raw.get_ext(ffi::ZMQ_THREAD_NAME_PREFIX, &mut buf)?))
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

    /// Whether blocking calls of sockets made from now on retry when a
    /// signal interrupts them, instead of failing with
    /// [`ErrorKind::Interrupted`](crate::ErrorKind::Interrupted); see
    /// [`ContextBuilder::retry_on_interrupt`]. `false` unless set.
    pub fn retry_on_interrupt(&self) -> bool {
        self.inner.retry_eintr.load(Ordering::Relaxed)
    }

    /// Changes whether blocking calls retry when interrupted by a signal
    /// (see [`ContextBuilder::retry_on_interrupt`]), for the sockets made
    /// from now on, and for [`term`](Context::term). Each socket keeps the
    /// choice that held when it was made.
    pub fn set_retry_on_interrupt(&self, retry: bool) {
        self.inner.retry_eintr.store(retry, Ordering::Relaxed);
    }
}

/// The libzmq context, borrowed for one call: while it is held, the
/// context cannot be terminated under it.
pub(crate) struct RawRef<'a>(RwLockReadGuard<'a, Option<RawContext>>);

impl std::ops::Deref for RawRef<'_> {
    type Target = RawContext;
    fn deref(&self) -> &RawContext {
        match &*self.0 {
            Some(raw) => raw,
            // `Context::raw` hands out a RawRef only when it holds one.
            None => unreachable!("RawRef over a terminated context"),
        }
    }
}
