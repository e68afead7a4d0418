//! Async sockets for [tokio](https://tokio.rs) (feature `tokio`, Unix).
//!
//! [`AsyncSocket`] wraps a [`Socket`](crate::Socket):
//! [`recv`](AsyncSocket::recv),
//! [`recv_into_msg`](AsyncSocket::recv_into_msg) (into a reused
//! [`Message`](crate::Message), as [`Socket::recv`](crate::Socket::recv)),
//! [`recv_multipart`](AsyncSocket::recv_multipart),
//! [`send`](AsyncSocket::send) and
//! [`send_multipart`](AsyncSocket::send_multipart) are `async`, and the
//! socket is a [`Stream`](futures_core::Stream) of received multipart
//! messages and a [`Sink`](futures_sink::Sink) of outgoing ones. Like the
//! socket it wraps, it borrows its [`Context`](crate::Context).
//!
//! # What is async, what blocks
//!
//! Sending and receiving never block the runtime: each call tries the
//! operation without waiting (`ZMQ_DONTWAIT`) and, when libzmq says it
//! would block, parks the task until the socket's state changes.
//!
//! Everything else is a plain call, as on a [`Socket`](crate::Socket):
//! `bind`, `connect` and the options (through
//! [`get_ref`](AsyncSocket::get_ref)) return at once. Dropping an
//! `AsyncSocket` closes the socket, and terminating a
//! [`Context`](crate::Context) waits until its sockets are closed and
//! their linger has passed: with a linger of zero
//! ([`Socket::set_linger`](crate::Socket::set_linger)) neither waits.
//! The socket's own blocking send and receive methods stay reachable
//! through [`get_ref`](AsyncSocket::get_ref), and would block the
//! runtime's thread: use the async ones.
//!
//! # Tasks
//!
//! An `AsyncSocket` is `Send` but not `Sync`, like a
//! [`Socket`](crate::Socket), and the futures of its methods are `Send`
//! too (given `Send` arguments). A socket moves into a task with
//! `tokio::spawn` when its context lives for `'static`, as
//! [`Context::global`](crate::Context::global) (or a leaked
//! `Box<Context>`) does; with a shorter-lived context, use it from
//! `Runtime::block_on` or a scoped set of futures (`tokio::join!`).
//!
//! The methods take `&mut self`, so one task uses a socket at a time: a
//! task that both sends and receives on one socket (a DEALER, say)
//! alternates the calls. To send and receive from two tasks at once,
//! split the socket as a `Stream` and a `Sink` (for example with
//! `futures::StreamExt::split`): both directions may then wait together,
//! and each is woken.
//!
//! Any runtime works, multi-thread or current-thread, provided its I/O
//! and time drivers are on (`enable_all`, or `enable_io` and
//! `enable_time`: the timer serves the waits described under
//! [Peers that are full](#peers-that-are-full-when-the-socket-is-writable)).
//! A socket registers with the runtime it was created in, and is woken
//! by that runtime's drivers: use it there (a current-thread runtime that
//! is not running wakes nobody). Once that runtime is shut down, an operation that would
//! wait fails with an error of kind [`ErrorKind::Other`](crate::ErrorKind)
//! instead; the socket can still be unwrapped
//! ([`into_inner`](AsyncSocket::into_inner)) or dropped.
//!
//! # Readiness: how no wake-up is missed
//!
//! libzmq exposes one file descriptor per socket (`ZMQ_FD`). It is not the
//! socket's data: it signals, edge-triggered, that *something changed*
//! inside the socket (a message arrived, a queue drained, a peer came or
//! went), and libzmq consumes that signal whenever it processes the
//! socket's internal commands, which any send, receive or read of
//! `ZMQ_EVENTS` may do. Hence the rules this module follows:
//!
//! - an operation is always tried first; the task waits only after libzmq
//!   said "would block", never because the descriptor is quiet;
//! - after a wake-up (or on readiness that tokio still holds from an
//!   earlier one), the readiness that tokio caches for the descriptor is
//!   cleared first, and then the socket's `ZMQ_EVENTS` says whether the
//!   wanted direction is ready (for a receive woken from a wait, the
//!   receive itself says it: libzmq processes the socket's commands
//!   before it answers "would block"): the task sleeps only on a state
//!   libzmq reported after the clear, and any later change signals anew (for
//!   when `ZMQ_EVENTS` cannot tell, see
//!   [below](#peers-that-are-full-when-the-socket-is-writable));
//! - any attempt to send or receive, successful or not, and any read of
//!   `ZMQ_EVENTS`, may have consumed the signal that a task waiting in the
//!   other direction needed, before tokio saw it: after each one, if the
//!   other direction has a waiting task, `ZMQ_EVENTS` is read and that
//!   task is woken when its direction is ready;
//! - one registration with tokio serves both directions: a signal wakes
//!   the task waiting to receive and the one waiting to send, and each
//!   checks for itself.
//!
//! # Peers that are full when the socket is writable
//!
//! libzmq reports a socket writable (`ZMQ_EVENTS` holds `POLLOUT`) when
//! it could take *a* message. Most sockets send a message to whichever
//! peer has room, so that answer is exact. A few route each message to
//! one peer, or wait for every subscriber, and for them "writable" means
//! only that *some* peer has room:
//!
//! - ROUTER with `ROUTER_MANDATORY`
//!   ([`set_router_mandatory`](crate::Socket::set_router_mandatory)): a
//!   send for a peer whose queue is full would block while another peer
//!   has room;
//! - STREAM: a send for a full peer would block, though libzmq always
//!   reports the socket writable;
//! - XPUB and PUB with `XPUB_NODROP`
//!   ([`set_xpub_nodrop`](crate::Socket::set_xpub_nodrop)): a send would
//!   block while any subscriber's queue is full, though libzmq always
//!   reports them writable.
//!
//! (The DRAFT SERVER, PEER and RADIO would be on this list, but they are
//! thread-safe sockets, which have no `ZMQ_FD`:
//! [`AsyncSocket::new`] refuses them.)
//!
//! A send there that would block although the socket says "writable"
//! still parks its task: it retries at every signal of the socket's
//! descriptor (a peer that reads makes one), and, in case that signal was
//! consumed by a read of `ZMQ_EVENTS` made for a task waiting in the
//! other direction, after a timer that starts at 1 ms and doubles up to
//! 64 ms. It does not spin: besides the socket's signals, a task waiting
//! for a full peer is woken by its timer some 16 times a second at most.
//! Once the send completes, or libzmq
//! reports the socket not writable, the next wait starts afresh. (The
//! same holds for a receive, although no libzmq socket is known to
//! report a message it would not give.)
//!
//! A ROUTER *without* `ROUTER_MANDATORY`, like XPUB and PUB without
//! `XPUB_NODROP`, never waits: libzmq drops a message for a full (or, for
//! a ROUTER, unknown) peer, and the send succeeds.
//!
//! # Cancellation
//!
//! Dropping a future of this module (a `tokio::select!` branch that lost,
//! a timeout) loses no message:
//!
//! - [`recv`](AsyncSocket::recv),
//!   [`recv_into_msg`](AsyncSocket::recv_into_msg),
//!   [`recv_string`](AsyncSocket::recv_string),
//!   [`recv_multipart`](AsyncSocket::recv_multipart) and the `Stream` take
//!   a message out of libzmq only in the poll that returns it, so a
//!   dropped future leaves every message queued for the next receive
//!   (the `Message` given to a dropped `recv_into_msg` then holds its old
//!   content or nothing, never a frame that was not returned). A
//!   multipart message is taken whole in one poll (libzmq delivers its
//!   parts together); should it ever be cut short by an error, the parts
//!   already taken stay in the `AsyncSocket` and the next receive
//!   continues with them.
//! - [`send`](AsyncSocket::send) and
//!   [`send_multipart`](AsyncSocket::send_multipart) hand a message to
//!   libzmq only in the poll that completes them: a future dropped before
//!   it completed handed nothing to libzmq, and the message it held is
//!   dropped unsent. A multipart message goes to libzmq whole within one
//!   poll, so it is never half-sent. (libzmq checks its high-water mark
//!   on a message's first part only; should it ever refuse a later part,
//!   the future completes and the `AsyncSocket` keeps the rest, which
//!   goes before the socket's next message or at the `Sink`'s next flush.)
//! - The `Sink` owns an item from `start_send` on: it goes to libzmq at
//!   once if libzmq takes it, else the sink holds it (one message at most)
//!   until `poll_ready`, `poll_flush` or `poll_close` (or a plain send)
//!   gets it through. An `AsyncSocket` dropped while it holds a message
//!   drops it: flush the sink first.
//!
//! # Windows
//!
//! tokio has no `AsyncFd` on Windows, and libzmq's `ZMQ_FD` there is a
//! socket that tokio cannot register, so this module is Unix only: on
//! Windows it is empty. There, run blocking [`Socket`](crate::Socket)s on
//! threads of their own (or in `tokio::task::spawn_blocking`) and talk to
//! them through channels, or poll them with [`poll`](crate::poll) and a
//! timeout.

#[cfg(unix)]
mod frame;
#[cfg(unix)]
mod io;
#[cfg(unix)]
mod stream;
#[cfg(unix)]
mod wait;

#[cfg(unix)]
pub use frame::Frame;
#[cfg(unix)]
pub use imp::AsyncSocket;

#[cfg(unix)]
mod imp {
    use std::collections::VecDeque;
    use std::fmt;
    use std::sync::Arc;
    use std::task::Waker;

    use super::wait::{Stall, Wakers};
    use crate::error::{Error, ErrorKind, Result};
    use crate::message::Message;
    use crate::raw::async_fd::Registered;
    use crate::socket::Socket;

    /// A [`Socket`](crate::Socket) for tokio: async send and receive, a
    /// [`Stream`](futures_core::Stream) of received multipart messages and
    /// a [`Sink`](futures_sink::Sink) of outgoing ones.
    ///
    /// See the [module documentation](crate::tokio) for the model: what is
    /// async, what blocks, how cancellation is handled.
    ///
    /// ```
    /// use zmq4::tokio::AsyncSocket;
    /// use zmq4::{Context, SocketType};
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// // Sockets that move into spawned tasks need a context that lives
    /// // for 'static, such as the process-wide one.
    /// let ctx = Context::global();
    /// let mut rep = AsyncSocket::new(ctx.socket(SocketType::Rep)?)?;
    /// rep.get_ref().bind("inproc://doc-async")?;
    /// let mut req = AsyncSocket::new(ctx.socket(SocketType::Req)?)?;
    /// req.get_ref().connect("inproc://doc-async")?;
    ///
    /// let server = tokio::spawn(async move {
    ///     let request = rep.recv_string().await?;
    ///     rep.send(format!("{request}, pong")).await?;
    ///     Ok::<_, zmq4::Error>(())
    /// });
    /// req.send("ping").await?;
    /// assert_eq!(req.recv_string().await?, "ping, pong");
    /// server.await.expect("server task")?;
    /// # Ok::<(), zmq4::Error>(())
    /// # }).unwrap();
    /// ```
    pub struct AsyncSocket<'ctx> {
        /// The socket and its `ZMQ_FD`, registered with tokio.
        pub(super) io: Registered<Socket<'ctx>>,
        pub(super) wakers: Arc<Wakers>,
        /// `wakers` as a Waker, made once.
        pub(super) waker: Waker,
        /// Which directions have a task parked (set on Pending, cleared
        /// when that direction completes).
        pub(super) waiting: [bool; 2],
        /// Each direction's state when libzmq's readiness cannot tell.
        pub(super) stalls: [Stall; 2],
        /// Parts of one outgoing message that belong to the socket but are
        /// not in libzmq yet: a `Sink` item that met a full queue, or the
        /// rest of a multipart message whose first part went in.
        pub(super) out: VecDeque<Message>,
        /// Whether the first part of `out`'s message is already in libzmq.
        pub(super) out_started: bool,
        /// An error met while sending `out` from a plain send, reported by
        /// the next `Sink` call.
        pub(super) out_error: Option<Error>,
        /// Parts of an incoming multipart message taken so far.
        pub(super) partial: VecDeque<Message>,
        /// The `Stream` ended (the context was terminated).
        pub(super) ended: bool,
    }

    impl fmt::Debug for AsyncSocket<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("AsyncSocket")
                .field("socket", self.io.socket())
                .field("fd", &self.io.fd_number())
                .finish()
        }
    }

    impl<'ctx> AsyncSocket<'ctx> {
        /// Wraps a socket, registering its `ZMQ_FD` with the current tokio
        /// runtime.
        ///
        /// Must be called from inside a tokio runtime (a task, or
        /// `Runtime::block_on`) whose I/O and time drivers are enabled
        /// (`enable_all` on the runtime builder, or `enable_io` and
        /// `enable_time`). Outside a runtime, or in one without either
        /// driver, it is an error of kind [`ErrorKind::InvalidState`], and
        /// the socket, dropped, is closed. (tokio reports a missing driver
        /// by a panic, which this function catches: the panic hook still
        /// prints its message, and a program built with `panic = "abort"`
        /// aborts there.)
        ///
        /// libzmq's thread-safe sockets (the DRAFT SERVER, CLIENT, RADIO,
        /// DISH, SCATTER, GATHER, PEER and CHANNEL) have no `ZMQ_FD` to
        /// register: they are refused with [`ErrorKind::NotSupported`].
        /// Poll them with a [`Poller`](crate::Poller) or a timeout instead.
        ///
        /// ```
        /// use zmq4::{Context, ErrorKind, SocketType};
        /// use zmq4::tokio::AsyncSocket;
        ///
        /// let ctx = Context::new()?;
        /// // No runtime here: refused.
        /// let err = AsyncSocket::new(ctx.socket(SocketType::Pull)?).unwrap_err();
        /// assert_eq!(err.kind(), ErrorKind::InvalidState);
        /// # Ok::<(), zmq4::Error>(())
        /// ```
        #[doc(alias = "ZMQ_FD")]
        pub fn new(socket: Socket<'ctx>) -> Result<AsyncSocket<'ctx>> {
            if ::tokio::runtime::Handle::try_current().is_err() {
                return Err(Error::invalid(
                    ErrorKind::InvalidState,
                    "AsyncSocket::new must be called inside a tokio runtime",
                ));
            }
            if socket.thread_safe()? {
                // libzmq signals their state another way, and refuses
                // ZMQ_FD (EINVAL).
                return Err(Error::invalid(
                    ErrorKind::NotSupported,
                    "AsyncSocket::new: thread-safe sockets (SERVER, CLIENT, RADIO, DISH, \
                     SCATTER, GATHER, PEER, CHANNEL) have no ZMQ_FD to wait on",
                ));
            }
            // tokio panics when the runtime has no I/O driver, before it
            // registers anything.
            let registered = std::panic::catch_unwind(move || Registered::new(socket));
            let io = match registered {
                Ok(res) => res.map_err(io_error)?,
                // tokio panics when the runtime has no I/O driver, before it
                // touches anything: nothing is left half-done.
                Err(_) => {
                    return Err(Error::invalid(
                        ErrorKind::InvalidState,
                        "AsyncSocket::new needs a tokio runtime with its I/O driver \
                         (enable_io or enable_all on the runtime builder)",
                    ))
                }
            };
            // Likewise without its time driver (the timers of stalled
            // waits): `io`, dropped, is deregistered and its socket closed.
            let stalls =
                std::panic::catch_unwind(|| [Stall::new(), Stall::new()]).map_err(|_| {
                    Error::invalid(
                        ErrorKind::InvalidState,
                        "AsyncSocket::new needs a tokio runtime with its time driver \
                     (enable_time or enable_all on the runtime builder)",
                    )
                })?;
            let wakers = Arc::new(Wakers::default());
            Ok(AsyncSocket {
                io,
                waker: Waker::from(wakers.clone()),
                wakers,
                waiting: [false; 2],
                stalls,
                out: VecDeque::new(),
                out_started: false,
                out_error: None,
                partial: VecDeque::new(),
                ended: false,
            })
        }

        /// The socket, for `bind`, `connect` and options. Its blocking
        /// send and receive methods would block the runtime's thread: use
        /// this type's async ones.
        pub fn get_ref(&self) -> &Socket<'ctx> {
            self.io.socket()
        }

        /// The socket, for the operations of this module.
        pub(super) fn socket(&self) -> &Socket<'ctx> {
            self.io.socket()
        }

        /// Unwraps the socket, deregistering it from tokio. A message
        /// still held by the `AsyncSocket` (a `Sink` item not yet flushed,
        /// parts of a multipart message taken halfway) is dropped: flush
        /// the `Sink` first.
        pub fn into_inner(self) -> Socket<'ctx> {
            self.io.into_inner()
        }
    }

    /// An I/O error from tokio's registration, as an [`Error`].
    pub(super) fn io_error(err: std::io::Error) -> Error {
        match err.raw_os_error() {
            Some(errno) => Error::from_errno(errno),
            None => Error::invalid(ErrorKind::Other, err.to_string()),
        }
    }
}
