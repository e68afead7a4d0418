//! Async sockets for [tokio](https://tokio.rs) (feature `tokio`, Unix).
//!
//! [`AsyncSocket`] wraps a [`Socket`](crate::Socket):
//! [`recv`](AsyncSocket::recv),
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
//! driver is on (`enable_io`, or `enable_all`). A socket registers with
//! the runtime it was created in, and is woken by that runtime's I/O
//! driver: use it there (a current-thread runtime that is not running
//! wakes nobody). Once that runtime is shut down, an operation that would
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
//! - after a wake-up, the socket's `ZMQ_EVENTS` says whether the wanted
//!   direction is ready; the readiness that tokio caches for the
//!   descriptor is cleared only after `ZMQ_EVENTS` said "not ready", and
//!   `ZMQ_EVENTS` is read once more after clearing, so that the task
//!   sleeps only on a state libzmq reported after the clear;
//! - any attempt to send or receive, successful or not, and any read of
//!   `ZMQ_EVENTS`, may have consumed the signal that a task waiting in the
//!   other direction needed, before tokio saw it: after each one, if the
//!   other direction has a waiting task, `ZMQ_EVENTS` is read and that
//!   task is woken when its direction is ready;
//! - one registration with tokio serves both directions: a signal wakes
//!   the task waiting to receive and the one waiting to send, and each
//!   checks for itself.
//!
//! # Cancellation
//!
//! Dropping a future of this module (a `tokio::select!` branch that lost,
//! a timeout) loses no message:
//!
//! - [`recv`](AsyncSocket::recv),
//!   [`recv_string`](AsyncSocket::recv_string),
//!   [`recv_multipart`](AsyncSocket::recv_multipart) and the `Stream` take
//!   a message out of libzmq only in the poll that returns it, so a
//!   dropped future leaves every message queued for the next receive. A
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
mod io;
#[cfg(unix)]
mod stream;

#[cfg(unix)]
pub use imp::AsyncSocket;

#[cfg(unix)]
mod imp {
    use std::collections::VecDeque;
    use std::fmt;
    use std::os::fd::{AsRawFd, RawFd};
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll, Wake, Waker};

    use ::tokio::io::unix::AsyncFd;
    use ::tokio::io::Interest;

    use crate::error::{Error, ErrorKind, Result};
    use crate::message::Message;
    use crate::socket::{PollEvents, Socket};

    /// The socket's `ZMQ_FD`, registered with tokio but owned by libzmq:
    /// no `Drop`, so tokio never closes it.
    pub(super) struct ZmqFd(RawFd);

    impl AsRawFd for ZmqFd {
        fn as_raw_fd(&self) -> RawFd {
            self.0
        }
    }

    /// A direction an operation waits for.
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub(super) enum Dir {
        Recv = 0,
        Send = 1,
    }

    impl Dir {
        fn event(self) -> PollEvents {
            match self {
                Dir::Recv => PollEvents::POLLIN,
                Dir::Send => PollEvents::POLLOUT,
            }
        }

        fn other(self) -> Dir {
            match self {
                Dir::Recv => Dir::Send,
                Dir::Send => Dir::Recv,
            }
        }
    }

    /// The tasks waiting to receive and to send. tokio keeps one waker per
    /// registration and direction of interest, and both of ours wait on
    /// the descriptor's "readable": the waker given to tokio is this one,
    /// which wakes both.
    #[derive(Default)]
    struct Wakers {
        slots: Mutex<[Option<Waker>; 2]>,
    }

    impl Wakers {
        fn lock(&self) -> std::sync::MutexGuard<'_, [Option<Waker>; 2]> {
            // A panic cannot happen while the lock is held (only Option
            // moves inside), but stay usable if one ever did.
            self.slots.lock().unwrap_or_else(|e| e.into_inner())
        }

        fn set(&self, dir: Dir, waker: &Waker) {
            let mut slots = self.lock();
            match &mut slots[dir as usize] {
                Some(w) if w.will_wake(waker) => {}
                slot => *slot = Some(waker.clone()),
            }
        }

        fn wake_dir(&self, dir: Dir) {
            let waker = self.lock()[dir as usize].take();
            if let Some(w) = waker {
                w.wake();
            }
        }
    }

    impl Wake for Wakers {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }

        fn wake_by_ref(self: &Arc<Self>) {
            let [a, b] = std::mem::take(&mut *self.lock());
            // Wake outside the lock: a waker may run code of its own.
            for w in [a, b].into_iter().flatten() {
                w.wake();
            }
        }
    }

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
        // Declared before `socket`, so dropped first: tokio deregisters the
        // descriptor while libzmq still keeps it open.
        pub(super) fd: AsyncFd<ZmqFd>,
        pub(super) socket: Socket<'ctx>,
        wakers: Arc<Wakers>,
        // `wakers` as a Waker, made once.
        waker: Waker,
        // Which directions have a task parked (set on Pending, cleared when
        // that direction completes).
        waiting: [bool; 2],
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
                .field("socket", &self.socket)
                .field("fd", &self.fd.get_ref().0)
                .finish()
        }
    }

    impl<'ctx> AsyncSocket<'ctx> {
        /// Wraps a socket, registering its `ZMQ_FD` with the current tokio
        /// runtime.
        ///
        /// Must be called from inside a tokio runtime (a task, or
        /// `Runtime::block_on`) whose I/O driver is enabled (`enable_io` or
        /// `enable_all` on the runtime builder). Outside a runtime, or in
        /// one without its I/O driver, it is an error of kind
        /// [`ErrorKind::InvalidState`], and the socket, dropped, is closed.
        /// (tokio reports a missing I/O driver by a panic, which this
        /// function catches: the panic hook still prints its message, and
        /// a program built with `panic = "abort"` aborts there.)
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
            let fd = socket.fd()?;
            // SAFETY: ZMQ_FD is a descriptor libzmq opened for this socket
            // and keeps open, unchanged, until the socket is closed. The
            // `AsyncFd` never outlives the socket: it is dropped first (field
            // order), and `into_inner` deregisters it before handing the
            // socket out. `ZmqFd::as_raw_fd` always returns that descriptor.
            let registered = std::panic::catch_unwind(move || unsafe {
                AsyncFd::register_with_interest(ZmqFd(fd), Interest::READABLE)
            });
            let fd = match registered {
                Ok(res) => res.map_err(|err| io_error(err.into()))?,
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
            let wakers = Arc::new(Wakers::default());
            Ok(AsyncSocket {
                fd,
                socket,
                waker: Waker::from(wakers.clone()),
                wakers,
                waiting: [false; 2],
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
            &self.socket
        }

        /// Unwraps the socket, deregistering it from tokio. A message
        /// still held by the `AsyncSocket` (a `Sink` item not yet flushed,
        /// parts of a multipart message taken halfway) is dropped: flush
        /// the `Sink` first.
        pub fn into_inner(self) -> Socket<'ctx> {
            let AsyncSocket { fd, socket, .. } = self;
            let ZmqFd(_) = fd.into_inner(); // deregistered; libzmq keeps the fd
            socket
        }

        /// Parks the task until `dir` may be ready: `Ready(Ok)` means
        /// "try the operation again". Called only after libzmq said the
        /// operation would block. A failed wait ends the wait: nothing
        /// waits in `dir` any more.
        pub(super) fn poll_wait(&mut self, cx: &mut Context<'_>, dir: Dir) -> Poll<Result<()>> {
            let res = self.poll_wait_for(cx, dir);
            if let Poll::Ready(Err(_)) = res {
                self.waiting[dir as usize] = false;
            }
            res
        }

        fn poll_wait_for(&mut self, cx: &mut Context<'_>, dir: Dir) -> Poll<Result<()>> {
            // The task's waker first, so that a wake-up arriving as soon as
            // tokio has our registration finds it.
            self.wakers.set(dir, cx.waker());
            self.waiting[dir as usize] = true;
            let other = dir.other();
            let mut both = Context::from_waker(&self.waker);
            loop {
                let mut guard = match self.fd.poll_read_ready(&mut both) {
                    Poll::Pending => {
                        // Registered. The attempt that would block processed
                        // the socket's commands, and may have consumed the
                        // edge a task waiting in the other direction needs,
                        // before tokio saw it: ask libzmq for that task.
                        // That read may consume an edge in turn, so it
                        // answers for `dir` too.
                        if self.waiting[other as usize]
                            && events_waking(&self.socket, &mut self.waiting, &self.wakers, other)?
                                .contains(dir.event())
                        {
                            return Poll::Ready(Ok(()));
                        }
                        return Poll::Pending;
                    }
                    Poll::Ready(Err(err)) => return Poll::Ready(Err(io_error(err))),
                    Poll::Ready(Ok(guard)) => guard,
                };
                // Something changed since the last clear (or tokio's
                // readiness is stale): ask libzmq.
                if events_waking(&self.socket, &mut self.waiting, &self.wakers, other)?
                    .contains(dir.event())
                {
                    return Poll::Ready(Ok(()));
                }
                // Not ready: forget the edge. tokio clears only if no new
                // edge came since the guard was taken...
                guard.clear_ready();
                // ...and one may have come, and been consumed, between the
                // read of ZMQ_EVENTS and the clear: read again.
                if events_waking(&self.socket, &mut self.waiting, &self.wakers, other)?
                    .contains(dir.event())
                {
                    return Poll::Ready(Ok(()));
                }
                // Loop: poll_read_ready registers the waker and returns
                // Pending, unless an edge arrived meanwhile.
            }
        }

        /// Reads `ZMQ_EVENTS`, and wakes the task waiting in `other` if
        /// that direction is ready (or the read failed: the task meets the
        /// error itself). Reading `ZMQ_EVENTS` processes the socket's
        /// commands, so it may consume the edge that task waits for.
        fn events_waking(&mut self, other: Dir) -> Result<PollEvents> {
            let events = self.socket.events();
            if self.waiting[other as usize]
                && events
                    .as_ref()
                    .map_or(true, |ev| ev.contains(other.event()))
            {
                self.waiting[other as usize] = false;
                self.wakers.wake_dir(other);
            }
            events
        }

        /// An operation in `dir` completed (or failed for good). It may have
        /// consumed the edge that a task waiting in the other direction
        /// needed: if one waits, ask libzmq and wake it when its direction
        /// is ready.
        #[inline]
        pub(super) fn done(&mut self, dir: Dir) {
            self.waiting[dir as usize] = false;
            self.check_other(dir);
        }

        /// An attempt in `dir` was made, which processed the socket's
        /// commands: if a task waits in the other direction, ask libzmq
        /// for it (see [`done`](Self::done)).
        #[inline]
        pub(super) fn check_other(&mut self, dir: Dir) {
            let other = dir.other();
            if self.waiting[other as usize] {
                // An error here is the other task's to meet: it is woken.
                let _ = self.events_waking(other);
            }
        }
    }

    /// [`AsyncSocket::events_waking`] on borrowed fields, for the times
    /// tokio's readiness guard holds the `AsyncFd`.
    fn events_waking(
        socket: &Socket<'_>,
        waiting: &mut [bool; 2],
        wakers: &Wakers,
        other: Dir,
    ) -> Result<PollEvents> {
        let events = socket.events();
        if waiting[other as usize]
            && events
                .as_ref()
                .map_or(true, |ev| ev.contains(other.event()))
        {
            waiting[other as usize] = false;
            wakers.wake_dir(other);
        }
        events
    }

    /// An I/O error from tokio's registration, as an [`Error`].
    pub(super) fn io_error(err: std::io::Error) -> Error {
        match err.raw_os_error() {
            Some(errno) => Error::from_errno(errno),
            None => Error::invalid(ErrorKind::Other, err.to_string()),
        }
    }
}
