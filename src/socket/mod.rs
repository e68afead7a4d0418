//! Sockets: [`Socket`], its types, and how it connects.

use std::fmt;
use std::os::raw::{c_int, c_void};
use std::ptr::NonNull;
use std::sync::Arc;

use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::raw::RawSocket;
use crate::sys::ffi;

mod extras;
mod guard;

pub use crate::socket_type::SocketType;
pub use attach::Attach;
pub(crate) use explain::{explain_option, Op};
pub use guard::MAX_SUBSCRIPTION_LEN;
pub use options::{GssapiNameType, Mechanism, PollEvents};
#[cfg(feature = "draft")]
pub use options::{NormMode, ReconnectStop, RouterNotify};
pub use recv::Received;
pub use send::{MultipartSendError, SendError, Sendable};
#[cfg(feature = "draft")]
pub use shared::SharedSocket;

/// What is left of a wait of `timeout_ms` (-1: for ever, 0: no wait) that
/// a signal interrupted, for the call made again: -1 for ever, else the
/// milliseconds left, counted from the first interruption (`deadline` is
/// set then), rounded up; `None` once it is spent (the call timed out).
///
/// Counting from the first interruption (the call's start is not known
/// without reading the clock before every call) bounds the whole wait to
/// less than twice the timeout, and to the timeout when signals come
/// often.
pub(crate) fn left_after_interruption(
    deadline: &mut Option<std::time::Instant>,
    timeout_ms: i64,
) -> Option<i64> {
    if timeout_ms < 0 {
        return Some(-1);
    }
    let now = std::time::Instant::now();
    let end = *deadline
        .get_or_insert_with(|| now + std::time::Duration::from_millis(timeout_ms.unsigned_abs()));
    let left = end.saturating_duration_since(now);
    if left.is_zero() && timeout_ms > 0 {
        return None;
    }
    crate::time::ceil_units(left, std::time::Duration::from_millis(1)).or(Some(i64::MAX))
}

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
/// | content written at send time, straight into libzmq's buffer | [`send_new`](Socket::send_new) | the message is closed; write it again |
/// | several parts as one message | [`send_multipart`](Socket::send_multipart) | the unsent parts come back in the [`MultipartSendError`] |
///
/// | to receive | use |
/// |---|---|
/// | into one reused message, no allocation per message | [`recv`](Socket::recv) |
/// | a new message | [`recv_msg`](Socket::recv_msg) |
/// | into your buffer, truncation reported | [`recv_into`](Socket::recv_into) |
/// | bytes / a string | [`recv_bytes`](Socket::recv_bytes) / [`recv_string`](Socket::recv_string) |
/// | all parts of a message | [`recv_multipart`](Socket::recv_multipart) / [`recv_multipart_into`](Socket::recv_multipart_into) / [`recv_multipart_bytes`](Socket::recv_multipart_bytes) |
///
/// A signal that interrupts a blocking call makes it fail with
/// [`ErrorKind::Interrupted`] (a send hands its message back, as for any
/// other error), unless the context was built to retry such calls: then
/// the call is made again.
///
/// # What surprises newcomers
///
/// - [`connect`](Socket::connect) succeeds at once, even for a host that
///   does not exist or a port nobody listens on: libzmq connects in the
///   background and keeps retrying. Messages wait in the queue (up to the
///   high-water mark) until a peer is there. To learn whether a peer came,
///   watch the socket with a [`Monitor`](crate::Monitor), or give
///   receives a timeout ([`set_rcvtimeo`](Socket::set_rcvtimeo), then
///   [`ErrorKind::TimedOut`]).
/// - Either side may bind, and either may start first; but a PUB sends
///   only to subscribers already connected and subscribed, so the first
///   messages after a connect are lost (the "slow joiner"), and a
///   subscriber that falls [`sndhwm`](Socket::sndhwm) messages behind
///   loses the rest; see [`SocketType::Pub`].
/// - REQ and REP go strictly in turn: a second send on a REQ (or a
///   receive on a REP before its reply) fails with
///   [`ErrorKind::InvalidState`] and says so. A REQ whose reply never
///   comes is stuck until it times out; see the porting guide's
///   [traps](crate::guide::traps).
/// - A send that "succeeded" only queued the message: dropping the socket
///   (or the context) waits up to [`linger`](Socket::linger) for it to
///   leave, then drops it.
pub struct Socket<'ctx> {
    // Field order is drop order: the libzmq socket is closed before the
    // context it belongs to is released.
    pub(crate) raw: RawSocket,
    pub(crate) kind: SocketType,
    /// Whether blocking calls retry on `EINTR` (the context's choice when
    /// the socket was made).
    retry_eintr: bool,
    /// Dropped after `raw` is closed, before `ctx` is released.
    pub(crate) extras: extras::ExtrasCell,
    ctx: SocketCtx<'ctx>,
}

impl crate::raw::OwnsRawSocket for Socket<'_> {
    fn raw_socket(&self) -> &RawSocket {
        &self.raw
    }
}

/// A context, borrowed (for sockets made by [`Context::socket`]) or as a
/// handle of its own (for [`Context::owned_socket`]'s).
#[derive(Clone)]
pub(crate) enum CtxRef<'ctx> {
    Borrowed(&'ctx Context),
    Owned(Context),
}

impl CtxRef<'_> {
    #[inline]
    pub(crate) fn get(&self) -> &Context {
        match self {
            CtxRef::Borrowed(ctx) => ctx,
            CtxRef::Owned(ctx) => ctx,
        }
    }
}

/// How a socket holds its context.
///
/// Its `Drop` records the socket as closed, after the socket's `RawSocket`
/// field closed it. Having a `Drop`, it also makes the compiler treat the
/// borrow as used when a socket is dropped: without one, a borrowed
/// context could be dropped (and its termination wait for ever) before a
/// socket that is merely not used any more.
struct SocketCtx<'ctx>(CtxRef<'ctx>);

impl Drop for SocketCtx<'_> {
    fn drop(&mut self) {
        self.0.get().socket_closed();
    }
}

impl fmt::Debug for Socket<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Socket")
            .field("type", &self.kind)
            .field("handle", &self.raw.as_ptr())
            .finish()
    }
}

impl<'ctx> Socket<'ctx> {
    pub(crate) fn new(ctx: CtxRef<'ctx>, kind: SocketType) -> Result<Socket<'ctx>> {
        let context = ctx.get();
        let raw = RawSocket::new(&*context.raw()?, kind.as_raw())?;
        if let Some(ms) = context.new_socket_linger() {
            // What a SUB or a DISH queues for its peers is its
            // subscriptions (joins), which mean nothing once it is closed:
            // waiting to deliver them would only hold the context's end,
            // for the whole linger when the publisher is gone.
            let ms = if kind.only_subscribes() { 0 } else { ms };
            raw.set_int(ffi::ZMQ_LINGER, ms)?;
        }
        context.socket_opened();
        Ok(Socket {
            raw,
            kind,
            retry_eintr: context.retry_on_interrupt(),
            extras: Default::default(),
            ctx: SocketCtx(ctx),
        })
    }

    /// Makes a blocking libzmq call on this socket: its return value, or
    /// on -1 the error, read at once. A call interrupted by a signal is
    /// made again when the context asks for that
    /// ([`ContextBuilder::retry_on_interrupt`](crate::ContextBuilder::retry_on_interrupt)).
    /// The success path is one call and one comparison; the rest is out
    /// of line.
    /// `op` says what the call does, for the error it reports.
    #[inline(always)]
    pub(crate) fn blocking(
        &self,
        op: Op,
        mut call: impl FnMut(&RawSocket) -> c_int,
    ) -> Result<c_int> {
        let rc = call(&self.raw);
        if rc != -1 {
            return Ok(rc);
        }
        self.blocking_retry(op, call)
    }

    /// The way out of [`blocking`](Socket::blocking) when the call failed.
    /// It takes the closure by value, so the success path keeps the
    /// closure's captures in registers instead of building it in memory
    /// for a `&mut dyn` it would only need on failure.
    #[cold]
    #[inline(never)]
    fn blocking_retry(&self, op: Op, mut call: impl FnMut(&RawSocket) -> c_int) -> Result<c_int> {
        self.blocking_failed(op, &mut call)
    }

    #[cold]
    #[inline(never)]
    fn blocking_failed(&self, op: Op, call: &mut dyn FnMut(&RawSocket) -> c_int) -> Result<c_int> {
        let err = Error::last();
        if err.kind() != ErrorKind::Interrupted || !self.retry_eintr {
            return Err(self.explain(op, err));
        }
        let option = match op {
            Op::Recv(_) => ffi::ZMQ_RCVTIMEO,
            Op::Send(_) => ffi::ZMQ_SNDTIMEO,
            // A poll's or a proxy's wait is its own caller's to keep.
            Op::Other => loop {
                let rc = call(&self.raw);
                if rc != -1 {
                    return Ok(rc);
                }
                let err = Error::last();
                if err.kind() != ErrorKind::Interrupted {
                    return Err(self.explain(op, err));
                }
            },
        };
        // A send or a receive made again keeps its timeout's length: the
        // retried call waits only for what is left of SNDTIMEO or
        // RCVTIMEO, counted from the first interruption, and times out once
        // it is spent, as an uninterrupted call would have. (Retrying with
        // the whole timeout each time would never time out under signals
        // that come more often than the timeout.)
        let set_ms = self.raw.get_int(option)?;
        let mut deadline = None;
        let result = loop {
            let Some(left_ms) = left_after_interruption(&mut deadline, i64::from(set_ms)) else {
                break Err(Error::from_errno(ffi::errno::EAGAIN));
            };
            if set_ms > 0 {
                let left_ms = c_int::try_from(left_ms).unwrap_or(c_int::MAX);
                if let Err(errno) = self.raw.set_int(option, left_ms) {
                    break Err(errno.into());
                }
            }
            let rc = call(&self.raw);
            if rc != -1 {
                break Ok(rc);
            }
            let err = Error::last();
            if err.kind() != ErrorKind::Interrupted {
                break Err(err);
            }
        };
        if set_ms > 0 {
            // The caller's timeout again; setting a value it had cannot fail.
            let _ = self.raw.set_int(option, set_ms);
        }
        // Explained once the caller's timeout is back, which it names.
        result.map_err(|err| self.explain(op, err))
    }

    /// Whether blocking calls of this socket retry when a signal interrupts
    /// them.
    pub(crate) fn retries_on_interrupt(&self) -> bool {
        self.retry_eintr
    }

    /// The socket's type.
    pub fn socket_type(&self) -> SocketType {
        self.kind
    }

    /// The context this socket belongs to.
    pub fn context(&self) -> &Context {
        self.ctx.0.get()
    }

    /// The context, held the way this socket holds it, to make other
    /// sockets of it that live as long as this one can.
    pub(crate) fn ctx_ref(&self) -> CtxRef<'ctx> {
        self.ctx.0.clone()
    }

    fn endpoint_call(
        &self,
        endpoint: &str,
        call: fn(&RawSocket, &std::ffi::CStr) -> std::result::Result<(), crate::sys::Errno>,
        what: &str,
    ) -> Result<()> {
        let c = crate::endpoint::endpoint_cstring(endpoint)?;
        explain::check_endpoint(endpoint)?;
        self.reap_monitor();
        call(&self.raw, &c).map_err(|errno| {
            let err = Error::from(errno);
            let err = if err.kind() == ErrorKind::InvalidArgument {
                err.with_kind(ErrorKind::InvalidEndpoint)
            } else {
                err
            };
            explain::explain_endpoint(
                what,
                endpoint,
                err.with_detail(format!("{what} {endpoint:?}")),
            )
        })
    }

    /// Binds the socket to a local endpoint (`tcp://127.0.0.1:*`,
    /// `ipc:///tmp/x`, `inproc://name`, ...). Use
    /// [`last_endpoint`](Socket::last_endpoint) to learn a wildcard port.
    #[doc(alias = "zmq_bind")]
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        guard::check_inproc_bind(self, endpoint)?;
        self.endpoint_call(endpoint, RawSocket::bind, "bind")
    }

    /// Connects the socket to a remote endpoint.
    ///
    /// It succeeds without waiting for the peer: libzmq connects (and
    /// reconnects) in the background, so a host that does not exist or a
    /// port nobody listens on is not an error here; messages queue until a
    /// peer is there. A malformed endpoint, an unknown transport or a port
    /// out of range is.
    #[doc(alias = "zmq_connect")]
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        self.guarded_connect(endpoint, || {
            self.endpoint_call(endpoint, RawSocket::connect, "connect")
        })
    }

    /// Stops listening on an endpoint given to [`bind`](Socket::bind).
    #[doc(alias = "zmq_unbind")]
    pub fn unbind(&self, endpoint: &str) -> Result<()> {
        self.endpoint_call(endpoint, RawSocket::unbind, "unbind")
    }

    /// Disconnects from an endpoint given to [`connect`](Socket::connect).
    #[doc(alias = "zmq_disconnect")]
    pub fn disconnect(&self, endpoint: &str) -> Result<()> {
        self.endpoint_call(endpoint, RawSocket::disconnect, "disconnect")?;
        guard::note_inproc_disconnect(self, endpoint);
        Ok(())
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
    #[allow(unsafe_code)] // A public `unsafe fn`: the caller vouches for the handle.
    pub unsafe fn from_raw(ctx: &'ctx Context, ptr: *mut c_void) -> Result<Socket<'ctx>> {
        let Some(ptr) = NonNull::new(ptr) else {
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                "Socket::from_raw: null socket handle",
            ));
        };
        // SAFETY: the caller guarantees a live socket of `ctx` that we now
        // own.
        let raw = unsafe { RawSocket::from_ptr(ptr) };
        let kind = raw
            .get_int(ffi::ZMQ_TYPE)
            .map_err(Error::from)
            .and_then(|t| {
                SocketType::from_raw(t).ok_or_else(|| {
                    Error::from_errno(ffi::errno::ENOTSUP).with_detail(format!(
                        "Socket::from_raw: socket type {t} is not known to this build"
                    ))
                })
            });
        match kind {
            Ok(kind) => {
                ctx.socket_opened();
                Ok(Socket {
                    raw,
                    kind,
                    retry_eintr: ctx.retry_on_interrupt(),
                    extras: Default::default(),
                    ctx: SocketCtx(CtxRef::Borrowed(ctx)),
                })
            }
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
    ///
    /// A socket from [`Context::owned_socket`] keeps its context alive;
    /// since nothing can tell when the handle given up is closed, that
    /// context then stays alive until the process ends.
    #[must_use = "the socket handle must be closed with zmq_close"]
    pub fn into_raw(self) -> *mut c_void {
        let Socket {
            raw, ctx, extras, ..
        } = self;
        // What the socket relied on (an authenticator's handler) must go on
        // as long as the socket, whose end is no longer ours to see.
        if let Some(extras) = extras.into_inner() {
            std::mem::forget(extras.keep_alive);
        }
        // The socket is the caller's from now on: no longer counted here
        // (dropping `SocketCtx` does that) ...
        let SocketCtx(held) = &ctx;
        // ... and an owned context handle must outlive the socket, which is
        // no longer ours to watch: keep it for ever.
        if let CtxRef::Owned(owned) = held {
            std::mem::forget(owned.clone());
        }
        drop(ctx);
        raw.into_ptr().as_ptr()
    }

    /// Makes the socket hold the context's running ZAP handler, if any,
    /// until it is closed: a server that relies on ZAP must not let every
    /// client in once the authenticator is dropped. Whether one runs.
    pub(crate) fn rely_on_zap(&self) -> bool {
        let Some(handler) = self.context().zap_handler() else {
            return false;
        };
        self.extras.get_mut(|e| {
            if !e.keep_alive.iter().any(|k| Arc::ptr_eq(k, &handler)) {
                e.keep_alive.push(handler);
            }
        });
        true
    }

    /// Gives up the libzmq socket, still open, to be closed by the crate
    /// later (see `Monitor`'s drop); `None` if it has extras to release
    /// first (never for the sockets this is used on).
    pub(crate) fn into_raw_socket(self) -> Option<RawSocket> {
        let Socket {
            raw, extras, ctx, ..
        } = self;
        drop(ctx);
        match extras.into_inner() {
            Some(extras) if !extras.keep_alive.is_empty() => {
                drop(raw);
                None
            }
            _ => Some(raw),
        }
    }

    /// Closes the socket, reporting an error if libzmq reports one (the
    /// socket is handed back then). Dropping a socket closes it too.
    #[doc(alias = "zmq_close")]
    pub fn close(self) -> std::result::Result<(), (Self, Error)> {
        let Socket {
            raw,
            kind,
            retry_eintr,
            extras,
            ctx,
        } = self;
        raw.close().map_err(|(raw, errno)| {
            (
                Socket {
                    raw,
                    kind,
                    retry_eintr,
                    extras,
                    ctx,
                },
                Error::from(errno),
            )
        })
    }
}

// The rest of `Socket`'s methods live in these modules, declared after the
// everyday ones above so that the documentation lists them in this order:
// sending,
mod send;
mod send_new;
// receiving,
mod recv;
// attaching to another socket or a file descriptor,
mod attach;
// security,
mod security;
// sharing a thread-safe socket,
#[cfg(feature = "draft")]
mod shared;
// then the ~150 options, one method each,
mod options;
// and what a failure means (no public items).
mod explain;
