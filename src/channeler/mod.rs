//! [`Channeler`]: one socket on a thread of its own, used from any number
//! of threads and tasks through channels, like goczmq's `Channeler`.
//!
//! Available with the `channeler` feature.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{fence, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use async_channel::{Receiver, Sender, TrySendError};

use crate::context::Context;
use crate::endpoint::private_inproc;
use crate::error::{Error, ErrorKind, Result};
use crate::flags::SendFlags;
use crate::message::Message;
use crate::socket::{Socket, SocketType};
use crate::sys::ffi;

mod owner;
mod wait;

use owner::{Command, Item, Owner, Shared};

/// How many messages each of a channeler's two queues holds, unless
/// [`Channeler::with_capacity`] says otherwise.
pub const DEFAULT_CAPACITY: usize = 128;

/// A socket that many threads and tasks share: it lives on a thread of its
/// own, and multipart messages go to it and come from it through two
/// bounded queues.
///
/// A `Channeler` is a handle: it is `Clone + Send + Sync`, every clone
/// reaches the same socket, and sending and receiving work from blocking
/// code ([`send`](Channeler::send), [`recv`](Channeler::recv), with
/// `try_` forms and [`recv_timeout`](Channeler::recv_timeout)) and from async code on any runtime
/// ([`send_async`](Channeler::send_async),
/// [`recv_async`](Channeler::recv_async)). It is goczmq's `Channeler`:
/// `SendChan <- msg` is `send(msg)`, `<-RecvChan` is `recv()`, and
/// `Destroy()` is dropping the last handle.
///
/// ```
/// use zmq4::{Channeler, Context, SocketType};
///
/// let ctx = Context::new()?;
/// let router = Channeler::new(&ctx, SocketType::Router, "inproc://doc-channeler")?; // binds
/// let dealer = Channeler::new(&ctx, SocketType::Dealer, "inproc://doc-channeler")?; // connects
///
/// // Any thread may send through a clone.
/// let sender = dealer.clone();
/// std::thread::spawn(move || sender.send(["Hello"])).join().unwrap()?;
///
/// let request = router.recv()?; // [routing id, "Hello"]
/// assert_eq!(&request[1][..], b"Hello");
/// router.send([request[0].to_vec(), b"World".to_vec()])?;
/// assert_eq!(&dealer.recv()?[0][..], b"World");
/// # Ok::<(), zmq4::Error>(())
/// ```
///
/// # How it works
///
/// The thread owns the socket and sleeps in [`zmq_poll`](crate::poll) on
/// two sockets: the channeler's, and its end of an inproc PAIR on which the
/// handles send an empty frame when the thread may be asleep and has
/// something new to do (a message to send, room in the incoming queue, a
/// [`with_socket`](Channeler::with_socket) call). Under load the thread is
/// awake and no frame is sent; it never polls on a timer. Messages travel
/// as [`Message`]s, moved from queue to socket and back: owned buffers
/// (`Vec<u8>`, `String`, messages received elsewhere) are never copied.
///
/// # Backpressure, both ways
///
/// - **Sending.** [`send`](Channeler::send) returns once the message is in
///   the outgoing queue ([`capacity`](Channeler::capacity) messages), as
///   `zmq_send` returns once the message is queued in libzmq. When the
///   socket reaches its high-water mark, the thread keeps the message
///   that did not fit and takes no other: the queue fills, and then `send`
///   blocks, [`send_async`](Channeler::send_async) waits, and
///   [`try_send`](Channeler::try_send) fails at once with
///   [`ErrorKind::WouldBlock`], handing the message back. Socket types
///   that drop at the high-water mark instead (PUB, a ROUTER without
///   `ROUTER_MANDATORY`) drop here too.
/// - **Receiving.** The thread reads the socket while the incoming queue
///   has room. When it is full the thread stops reading, so the socket's
///   own queue fills up to its high-water mark and the peers see the
///   backpressure they would see from a socket that nobody reads. Sending
///   goes on meanwhile: a program that sends and receives on one thread
///   cannot block itself through the channeler.
///
/// # Errors, and no message lost
///
/// - A message the socket refuses for good after `send` queued it (a
///   ROUTER with `ROUTER_MANDATORY` and an unknown peer:
///   [`ErrorKind::HostUnreachable`]; a REQ sending out of turn:
///   [`ErrorKind::InvalidState`]) comes back through the receiving side: a
///   receive returns a [`RecvError`] with that error and the message
///   ([`RecvError::into_unsent`]), in order with the received messages.
/// - When the context is shut down (or the socket fails for good), the
///   thread ends. A receive then returns, in order, the messages already
///   received, every message that was queued to send and not handed to
///   the socket (each as a [`RecvError`] of kind
///   [`ErrorKind::Terminated`] holding it), and then
///   [`ErrorKind::Terminated`] for ever. A send fails with that kind and
///   hands its message back. So a message is lost only where a plain
///   socket loses it too: inside libzmq.
/// - When the last handle is dropped, the thread hands the messages still
///   queued to the socket, waiting for room at most the socket's `LINGER`
///   ([`DEFAULT_LINGER`](crate::DEFAULT_LINGER) unless set), closes the
///   socket (which keeps what is left of that time for its own queue),
///   and ends; the drop joins it. With an infinite `LINGER` and a peer
///   that never reads, that drop waits for ever, as the context's
///   termination would.
///
/// # The socket
///
/// [`Channeler::new`] makes the socket and attaches it as goczmq's
/// constructors do; [`from_socket`](Channeler::from_socket) takes one you
/// configured (options, subscriptions, security) from
/// [`Context::owned_socket`]. Later,
/// [`with_socket`](Channeler::with_socket) runs a closure on the thread,
/// for an option, a subscription ([`subscribe`](Channeler::subscribe)) or
/// an endpoint.
pub struct Channeler {
    handle: Arc<Handle>,
}

/// The handles' side; dropped with the last `Channeler`.
struct Handle {
    outgoing: Sender<Vec<Message>>,
    incoming: Receiver<Item>,
    commands: Sender<Command>,
    shared: Arc<Shared>,
    /// The handles' end of the wake PAIR.
    wake: Mutex<Socket<'static>>,
    thread: Option<JoinHandle<()>>,
    kind: SocketType,
    capacity: usize,
}

impl Clone for Channeler {
    /// Another handle to the same socket.
    fn clone(&self) -> Channeler {
        Channeler {
            handle: Arc::clone(&self.handle),
        }
    }
}

impl fmt::Debug for Channeler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Channeler")
            .field("type", &self.handle.kind)
            .field("capacity", &self.handle.capacity)
            .field("queued_to_send", &self.handle.outgoing.len())
            .field("received", &self.handle.incoming.len())
            .finish()
    }
}

/// Whether a socket type can send, and receive, at all.
fn directions(kind: SocketType) -> (bool, bool) {
    match kind {
        SocketType::Push | SocketType::Pub => (true, false),
        SocketType::Pull | SocketType::Sub => (false, true),
        #[cfg(feature = "draft")]
        SocketType::Radio | SocketType::Scatter => (true, false),
        #[cfg(feature = "draft")]
        SocketType::Dish | SocketType::Gather => (false, true),
        _ => (true, true),
    }
}

/// The error of a channeler whose thread ended without saying why (it
/// panicked).
#[cold]
fn ended() -> Error {
    Error::from_errno(ffi::errno::ETERM).with_detail("the channeler's thread has ended")
}

#[cold]
fn would_block(what: &'static str) -> Error {
    Error::from_errno(ffi::errno::EAGAIN).with_detail(what)
}

/// The error of a [`Channeler::recv_timeout`] that waited `timeout` out.
#[cold]
fn timed_out(timeout: Duration) -> Error {
    Error::from_errno(ffi::errno::EAGAIN).explained(
        ErrorKind::TimedOut,
        format!(
            "receive timed out after {} ms: the channeler received nothing",
            timeout.as_millis()
        ),
    )
}

impl Channeler {
    /// Makes a socket of `kind` that keeps `ctx` alive, attaches it to
    /// `endpoints` as [`Socket::attach`] does (`@` binds, `>` connects,
    /// a bare endpoint does what the type does by default, several are
    /// separated by commas: goczmq's `NewRouterChanneler("tcp://*:5555")`),
    /// and starts its thread, with queues of [`DEFAULT_CAPACITY`].
    #[doc(alias = "NewChanneler")]
    pub fn new(ctx: &Context, kind: SocketType, endpoints: &str) -> Result<Channeler> {
        let socket = ctx.owned_socket(kind)?;
        socket.attach(endpoints)?;
        Channeler::from_socket(socket)
    }

    /// Starts a thread that owns `socket`, with queues of
    /// [`DEFAULT_CAPACITY`]. Configure the socket (options, subscriptions,
    /// endpoints) before, or later through
    /// [`with_socket`](Channeler::with_socket).
    ///
    /// ```
    /// use zmq4::{Channeler, Context, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let sub = ctx.owned_socket(SocketType::Sub)?;
    /// sub.set_subscribe("weather.")?;
    /// sub.connect("inproc://doc-channeler-weather")?;
    /// let weather = Channeler::from_socket(sub)?;
    /// # drop(weather);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn from_socket(socket: Socket<'static>) -> Result<Channeler> {
        Channeler::with_capacity(socket, DEFAULT_CAPACITY)
    }

    /// [`from_socket`](Channeler::from_socket) with queues of `capacity`
    /// messages each way (at least 1, else
    /// [`ErrorKind::InvalidArgument`]).
    ///
    /// The queues add to the socket's own: up to `capacity` messages wait
    /// to be sent beyond the socket's send high-water mark, and up to
    /// `capacity` received ones beyond its receive high-water mark. A
    /// larger capacity lets the thread move more messages per wake-up.
    pub fn with_capacity(socket: Socket<'static>, capacity: usize) -> Result<Channeler> {
        if capacity == 0 {
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                "a channeler's queues hold at least one message",
            ));
        }
        let kind = socket.socket_type();
        let ctx = socket.context().clone();
        let endpoint = private_inproc("channeler");
        let thread_end = ctx.owned_socket(SocketType::Pair)?;
        thread_end.set_linger(Some(Duration::ZERO))?;
        thread_end.bind(&endpoint)?;
        let handle_end = ctx.owned_socket(SocketType::Pair)?;
        handle_end.set_linger(Some(Duration::ZERO))?;
        handle_end.connect(&endpoint)?;

        let (out_tx, out_rx) = async_channel::bounded(capacity);
        let (in_tx, in_rx) = async_channel::bounded(capacity);
        let (cmd_tx, cmd_rx) = async_channel::unbounded();
        let shared = Arc::new(Shared::default());
        // The thread looks at the outgoing queue before its first sleep.
        shared.out_awake.store(true, Ordering::Relaxed);
        let owner = Owner {
            socket,
            wake: thread_end,
            shared: Arc::clone(&shared),
            outgoing: out_rx,
            incoming: in_tx,
            commands: cmd_rx,
            batch: capacity,
            can_recv: directions(kind).1,
            backlog: Default::default(),
            pending: None,
            writable: false,
            backoff: None,
            scratch: Message::new(),
        };
        let thread = std::thread::Builder::new()
            .name("zmq4-channeler".into())
            .spawn(move || owner.run())
            .map_err(|e| {
                Error::invalid(
                    ErrorKind::OutOfMemory,
                    format!("cannot start the channeler's thread: {e}"),
                )
            })?;
        Ok(Channeler {
            handle: Arc::new(Handle {
                outgoing: out_tx,
                incoming: in_rx,
                commands: cmd_tx,
                shared,
                wake: Mutex::new(handle_end),
                thread: Some(thread),
                kind,
                capacity,
            }),
        })
    }

    /// The socket's type.
    pub fn socket_type(&self) -> SocketType {
        self.handle.kind
    }

    /// How many messages each queue holds.
    pub fn capacity(&self) -> usize {
        self.handle.capacity
    }

    /// The parts of a message to send, or why it cannot be.
    fn parts<I>(&self, parts: I) -> std::result::Result<Vec<Message>, Unsent>
    where
        I: IntoIterator,
        I::Item: Into<Message>,
    {
        let parts: Vec<Message> = parts.into_iter().map(Into::into).collect();
        let refuse = |error| {
            Err(Unsent {
                error,
                parts: Vec::new(),
            })
        };
        if parts.is_empty() {
            return refuse(Error::invalid(
                ErrorKind::InvalidArgument,
                "a message has at least one part",
            ));
        }
        if !directions(self.handle.kind).0 {
            let error = Error::from_errno(ffi::errno::ENOTSUP)
                .with_detail(format!("a {:?} socket does not send", self.handle.kind));
            return Err(Unsent { error, parts });
        }
        Ok(parts)
    }

    /// The error of a send that found the outgoing queue closed.
    fn closed(&self, parts: Vec<Message>) -> Unsent {
        Unsent {
            error: self.handle.end_error(),
            parts,
        }
    }

    /// Queues a multipart message for the socket, waiting while the
    /// outgoing queue is full (see [backpressure](Channeler#backpressure-both-ways)).
    ///
    /// Parts are anything that turns into a [`Message`], as for
    /// [`Socket::send_multipart`]: owned buffers move in without a copy.
    /// `Ok` means queued: a failure of the socket's send comes back later
    /// through the receiving side ([`RecvError`]). Fails, handing the
    /// message back, with [`ErrorKind::Terminated`] once the thread has
    /// ended (the context was shut down), [`ErrorKind::NotSupported`] on
    /// a socket type that does not send (PULL, SUB), and
    /// [`ErrorKind::InvalidArgument`] for a message of no part.
    pub fn send<I>(&self, parts: I) -> std::result::Result<(), Unsent>
    where
        I: IntoIterator,
        I::Item: Into<Message>,
    {
        let parts = self.parts(parts)?;
        match self.handle.outgoing.send_blocking(parts) {
            Ok(()) => {
                self.handle.queued();
                Ok(())
            }
            Err(e) => Err(self.closed(e.into_inner())),
        }
    }

    /// [`send`](Channeler::send) without waiting: a full outgoing queue
    /// fails at once with [`ErrorKind::WouldBlock`], handing the message
    /// back.
    pub fn try_send<I>(&self, parts: I) -> std::result::Result<(), Unsent>
    where
        I: IntoIterator,
        I::Item: Into<Message>,
    {
        let parts = self.parts(parts)?;
        match self.handle.outgoing.try_send(parts) {
            Ok(()) => {
                self.handle.queued();
                Ok(())
            }
            Err(TrySendError::Full(parts)) => Err(Unsent {
                error: would_block("the channeler's outgoing queue is full"),
                parts,
            }),
            Err(TrySendError::Closed(parts)) => Err(self.closed(parts)),
        }
    }

    /// [`send`](Channeler::send) for async code, on any runtime: waits for
    /// room without blocking the thread.
    ///
    /// The parts are turned into messages at the call. Dropping the future
    /// before it completes drops the message, never queued.
    pub fn send_async<I>(
        &self,
        parts: I,
    ) -> impl Future<Output = std::result::Result<(), Unsent>> + Send + '_
    where
        I: IntoIterator,
        I::Item: Into<Message>,
    {
        let parts = self.parts(parts);
        async move {
            match self.handle.outgoing.send(parts?).await {
                Ok(()) => {
                    self.handle.queued();
                    Ok(())
                }
                Err(e) => Err(self.closed(e.into_inner())),
            }
        }
    }

    /// Receives a multipart message, waiting for one.
    ///
    /// Returns, in order: the messages the socket received; a
    /// [`RecvError`] holding a message that the socket refused to send
    /// ([`RecvError::into_unsent`]); once the thread has ended, a
    /// [`RecvError`] of kind [`ErrorKind::Terminated`] (or the error that
    /// ended it) for ever. See [errors](Channeler#errors-and-no-message-lost).
    pub fn recv(&self) -> std::result::Result<Vec<Message>, RecvError> {
        match self.handle.incoming.recv_blocking() {
            Ok(item) => self.handle.taken(item),
            Err(_) => self.handle.after_end(),
        }
    }

    /// [`recv`](Channeler::recv) without waiting: nothing received yet is
    /// an error of kind [`ErrorKind::WouldBlock`].
    pub fn try_recv(&self) -> std::result::Result<Vec<Message>, RecvError> {
        match self.handle.incoming.try_recv() {
            Ok(item) => self.handle.taken(item),
            Err(async_channel::TryRecvError::Empty) => Err(RecvError::from(would_block(
                "nothing received by the channeler yet",
            ))),
            Err(async_channel::TryRecvError::Closed) => self.handle.after_end(),
        }
    }

    /// [`recv`](Channeler::recv), waiting at most `timeout`; then it fails
    /// with [`ErrorKind::TimedOut`], as a socket's receive timeout does
    /// (errno `EAGAIN`, so [`Error::is_would_block`] holds too).
    pub fn recv_timeout(&self, timeout: Duration) -> std::result::Result<Vec<Message>, RecvError> {
        let deadline = Instant::now() + timeout;
        match wait::until(self.handle.incoming.recv(), deadline) {
            Some(Ok(item)) => self.handle.taken(item),
            Some(Err(_)) => self.handle.after_end(),
            None => Err(RecvError::from(timed_out(timeout))),
        }
    }

    /// [`recv`](Channeler::recv) for async code, on any runtime. Cancel
    /// safe: a future dropped before it completes took no message.
    pub async fn recv_async(&self) -> std::result::Result<Vec<Message>, RecvError> {
        match self.handle.incoming.recv().await {
            Ok(item) => self.handle.taken(item),
            Err(_) => self.handle.after_end(),
        }
    }

    /// Runs `f` on the socket, on the channeler's thread, and returns what
    /// it returns: to set an option, subscribe, bind or connect once the
    /// channeler runs. The call waits for the thread (which is never busy
    /// for long: it does not block on the socket).
    ///
    /// Fails with [`ErrorKind::Terminated`] (or the error that ended the
    /// thread) once the thread has ended. A panic in `f` is carried back to
    /// the caller; the thread goes on.
    ///
    /// ```
    /// use zmq4::{Channeler, Context, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let pull = Channeler::new(&ctx, SocketType::Pull, "inproc://doc-channeler-with")?;
    /// let endpoint = pull.with_socket(|s| {
    ///     s.bind("tcp://127.0.0.1:*")?;
    ///     s.last_endpoint()
    /// })??;
    /// assert!(endpoint.starts_with("tcp://127.0.0.1:"));
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn with_socket<R, F>(&self, f: F) -> Result<R>
    where
        F: FnOnce(&Socket<'static>) -> R + Send + 'static,
        R: Send + 'static,
    {
        let (reply_tx, reply_rx) = async_channel::bounded(1);
        let command: Command = Box::new(move |socket| {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(socket)));
            let _ = reply_tx.try_send(result);
        });
        if self.handle.commands.try_send(command).is_err() {
            return Err(self.handle.end_error());
        }
        self.handle.wake();
        match reply_rx.recv_blocking() {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => Err(self.handle.end_error()),
        }
    }

    /// Subscribes a SUB socket to messages that start with `prefix` (on
    /// the thread: see [`with_socket`](Channeler::with_socket)); goczmq's
    /// `Subscribe`.
    pub fn subscribe(&self, prefix: impl AsRef<[u8]>) -> Result<()> {
        let prefix = prefix.as_ref().to_vec();
        self.with_socket(move |s| s.set_subscribe(prefix))?
    }

    /// Removes a subscription made with
    /// [`subscribe`](Channeler::subscribe); goczmq's `Unsubscribe`.
    pub fn unsubscribe(&self, prefix: impl AsRef<[u8]>) -> Result<()> {
        let prefix = prefix.as_ref().to_vec();
        self.with_socket(move |s| s.set_unsubscribe(prefix))?
    }
}

impl Handle {
    /// Wakes the thread: an empty frame on the wake PAIR. A full pipe
    /// (the thread has frames to read already) or a shut-down context
    /// (the thread sees it too) needs nothing more.
    fn wake(&self) {
        let wake = self.wake.lock().unwrap_or_else(|p| p.into_inner());
        let _ = wake.send(b"", SendFlags::DONTWAIT);
    }

    /// After a message went into the outgoing queue: wakes the thread if
    /// it may be asleep.
    #[inline]
    fn queued(&self) {
        // Pairs with the thread's fence between clearing `out_awake` and
        // its last look at the queue.
        fence(Ordering::SeqCst);
        let flag = &self.shared.out_awake;
        if !flag.load(Ordering::Relaxed) && !flag.swap(true, Ordering::SeqCst) {
            self.wake();
        }
    }

    /// After an item left the incoming queue: wakes the thread if it waits
    /// for room there. Then the item as a receive's result.
    #[inline]
    fn taken(&self, item: Item) -> std::result::Result<Vec<Message>, RecvError> {
        // Pairs with the thread's fence between setting `in_waiting` and
        // its last try of the queue.
        fence(Ordering::SeqCst);
        let flag = &self.shared.in_waiting;
        if flag.load(Ordering::Relaxed) && flag.swap(false, Ordering::SeqCst) {
            self.wake();
        }
        item.into_result()
    }

    /// A receive on the closed incoming queue: what the thread left, then
    /// why it ended.
    #[cold]
    fn after_end(&self) -> std::result::Result<Vec<Message>, RecvError> {
        match self.shared.leftovers().pop_front() {
            Some(item) => item.into_result(),
            None => Err(RecvError::from(self.end_error())),
        }
    }

    /// Why the thread ended.
    #[cold]
    fn end_error(&self) -> Error {
        self.shared.end().clone().unwrap_or_else(ended)
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // The thread hands what is queued to the socket and ends; receives
        // and calls are over.
        self.shared.handles_gone.store(true, Ordering::Release);
        self.incoming.close();
        self.commands.close();
        self.wake();
        if let Some(thread) = self.thread.take() {
            // A handle dropped on the thread itself (by a `with_socket`
            // closure that kept one) cannot wait for it.
            if thread.thread().id() != std::thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}

impl Item {
    fn into_result(self) -> std::result::Result<Vec<Message>, RecvError> {
        match self {
            Item::Message(parts) => Ok(parts),
            Item::Unsent(error, parts) => Err(RecvError {
                error,
                unsent: Some(parts),
            }),
        }
    }
}

/// A multipart message that was not queued, handed back with the reason:
/// what the sends of a [`Channeler`] return on failure.
///
/// `?` turns it into an [`Error`] (dropping the message); to keep the
/// message, take it with [`into_parts`](Unsent::into_parts).
pub struct Unsent {
    error: Error,
    parts: Vec<Message>,
}

impl Unsent {
    /// Why the message was not queued.
    pub fn error(&self) -> &Error {
        &self.error
    }

    /// The kind of the error (shorthand for `error().kind()`).
    pub fn kind(&self) -> ErrorKind {
        self.error.kind()
    }

    /// The message, intact.
    pub fn parts(&self) -> &[Message] {
        &self.parts
    }

    /// The error and the message.
    pub fn into_parts(self) -> (Error, Vec<Message>) {
        (self.error, self.parts)
    }
}

impl fmt::Debug for Unsent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unsent")
            .field("error", &self.error)
            .field("parts", &self.parts.len())
            .finish()
    }
}

impl fmt::Display for Unsent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "message not queued: {}", self.error)
    }
}

// Display already includes the error's text, so it is not also a `source`.
impl std::error::Error for Unsent {}

impl From<Unsent> for Error {
    fn from(unsent: Unsent) -> Error {
        unsent.error
    }
}

/// What a receive of a [`Channeler`] returns instead of a message: an
/// error, and for a message the socket refused to send, that message.
///
/// `?` turns it into an [`Error`].
pub struct RecvError {
    error: Error,
    unsent: Option<Vec<Message>>,
}

impl From<Error> for RecvError {
    fn from(error: Error) -> RecvError {
        RecvError {
            error,
            unsent: None,
        }
    }
}

impl RecvError {
    /// The error.
    pub fn error(&self) -> &Error {
        &self.error
    }

    /// The kind of the error (shorthand for `error().kind()`).
    pub fn kind(&self) -> ErrorKind {
        self.error.kind()
    }

    /// Whether the channeler's thread has ended for the reason this error
    /// gives ([`ErrorKind::Terminated`] after a context shutdown): every
    /// later receive returns the same, once what was left is received.
    pub fn is_terminated(&self) -> bool {
        self.error.is_terminated()
    }

    /// The message that the socket refused to send, when the error is
    /// about one.
    pub fn unsent(&self) -> Option<&[Message]> {
        self.unsent.as_deref()
    }

    /// The message that the socket refused to send, when the error is
    /// about one.
    pub fn into_unsent(self) -> Option<Vec<Message>> {
        self.unsent
    }

    /// The error, and the message the socket refused to send.
    pub fn into_parts(self) -> (Error, Option<Vec<Message>>) {
        (self.error, self.unsent)
    }
}

impl fmt::Debug for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecvError")
            .field("error", &self.error)
            .field("unsent", &self.unsent.as_ref().map(Vec::len))
            .finish()
    }
}

impl fmt::Display for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.unsent {
            Some(_) => write!(f, "the socket refused a message: {}", self.error),
            None => self.error.fmt(f),
        }
    }
}

// Display already includes the error's text, so it is not also a `source`.
impl std::error::Error for RecvError {}

impl From<RecvError> for Error {
    fn from(err: RecvError) -> Error {
        err.error
    }
}
