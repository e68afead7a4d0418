//! The steerable proxy and the handle that steers it.

use std::cell::Cell;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::control::{self, Command};
use super::forward::{self, Ended, Sockets};
use super::stats::ProxyStatistics;
use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::flags::{RecvFlags, SendFlags};
use crate::socket::{CtxRef, Socket, SocketType};

/// How long the handle waits in one go before it looks whether the proxy
/// is still running.
const POLL_INTERVAL: Duration = Duration::from_millis(50);

const NOT_STARTED: u8 = 0;
const RUNNING: u8 = 1;
const FINISHED: u8 = 2;

/// A proxy that can be paused, resumed, asked for statistics and
/// terminated through its [`ProxyControl`] handle, and whose handle is
/// always answered.
///
/// [`SteerableProxy::new`] makes the pair: the proxy, which owns one end of
/// a private `inproc://` control channel, and the handle, which owns the
/// other. Move the proxy to a thread and call [`run`](SteerableProxy::run)
/// there; keep the handle. [`ThreadedProxy`](super::ThreadedProxy) does the
/// thread part for you.
///
/// # Never stuck behind a full socket
///
/// The forwarding loop is zmq4's own, not libzmq's
/// `zmq_proxy_steerable`, which sends with blocking calls: there, a
/// destination that takes nothing more (a consumer that stopped reading,
/// its queue at the high-water mark) holds the proxy inside a send for as
/// long as it lasts, and no command, TERMINATE included, is read
/// meanwhile. This loop never blocks except in one poll that always
/// includes the control channel. It takes a message from a socket only
/// while it has none in transit that way; when the destination refuses a
/// message (it is full) the proxy keeps that one message and waits for
/// room, while later messages stay queued in the source socket and the
/// other direction goes on. So a command is acted on and answered after
/// at most one burst of forwarding (up to 1000 messages each way, the
/// size of libzmq's bursts), whatever the peers do.
///
/// What a stop leaves behind: messages not taken yet stay queued in the
/// sockets (up to their high-water marks), where `run`'s caller still has
/// them; at most one message per direction, the one held for a full
/// destination, is dropped, unless the destination takes it at a last
/// try (none is made while paused). [`run`](SteerableProxy::run) returns
/// the final
/// [`ProxyStatistics`], which count it in
/// [`dropped`](ProxyStatistics::dropped).
///
/// The capture socket, if given, gets a copy of every frame the proxy
/// takes from the frontend or the backend, as libzmq's proxy does, but
/// without waiting: a copy it cannot take at once is dropped and counted
/// in [`capture_dropped`](ProxyStatistics::capture_dropped).
///
/// ```
/// use std::time::Duration;
/// use zmq4::{Context, RecvFlags, SendFlags, SocketType, SteerableProxy};
///
/// let ctx = Context::new()?;
/// let frontend = ctx.socket(SocketType::Pull)?;
/// frontend.bind("inproc://doc-steerable-in")?;
/// let backend = ctx.socket(SocketType::Push)?;
/// backend.bind("inproc://doc-steerable-out")?;
/// let producer = ctx.socket(SocketType::Push)?;
/// producer.connect("inproc://doc-steerable-in")?;
/// let consumer = ctx.socket(SocketType::Pull)?;
/// consumer.connect("inproc://doc-steerable-out")?;
/// consumer.set_rcvtimeo(Some(Duration::from_secs(5)))?;
///
/// let (proxy, control) = SteerableProxy::new(&ctx)?;
/// std::thread::scope(|s| -> zmq4::Result<()> {
///     let running = s.spawn(move || proxy.run(&frontend, &backend, None));
///
///     producer.send("hello", SendFlags::empty())?;
///     assert_eq!(consumer.recv_bytes(RecvFlags::empty())?, b"hello");
///     let stats = control.statistics()?;
///     assert_eq!(stats.frontend.messages_received, 1);
///     assert_eq!(stats.backend.bytes_sent, 5);
///
///     control.terminate()?;
///     let last = running.join().unwrap()?;
///     assert_eq!(last.dropped, 0);
///     Ok(())
/// })?;
/// # Ok::<(), zmq4::Error>(())
/// ```
#[doc(alias = "zmq_proxy_steerable")]
#[derive(Debug)]
pub struct SteerableProxy<'ctx> {
    control: Socket<'ctx>,
    state: Arc<AtomicU8>,
}

/// The handle of a [`SteerableProxy`]: pauses, resumes, terminates it and
/// reads its statistics.
///
/// It owns one end of the proxy's control channel. Like a socket it can be
/// moved to another thread but not shared between threads.
///
/// Each method returns once the proxy has acted on the command, so a
/// message sent after [`pause`](ProxyControl::pause) returns is held back,
/// and one sent after [`resume`](ProxyControl::resume) returns goes
/// through. The proxy answers after at most one burst of forwarding,
/// however full its sockets are (see [`SteerableProxy`]). The methods wait
/// for the proxy: call them from another thread than the one running
/// [`SteerableProxy::run`]. If the proxy has stopped (terminated, its
/// context shut down, or dropped without running), they fail with
/// [`ErrorKind::InvalidState`] instead of waiting for ever;
/// [`terminate`](ProxyControl::terminate) then succeeds. A method that
/// fails part-way (a signal interrupting its wait) leaves nothing behind
/// that a later call could mistake for its own answer.
///
/// Dropping the handle leaves the proxy running until its context is shut
/// down.
#[derive(Debug)]
pub struct ProxyControl<'ctx> {
    control: Socket<'ctx>,
    state: Arc<AtomicU8>,
    /// The number of the last command sent.
    seq: Cell<u64>,
}

impl<'ctx> SteerableProxy<'ctx> {
    /// Makes a steerable proxy and its control handle, joined by a private
    /// `inproc://` channel of `ctx`.
    ///
    /// The frontend, backend and capture sockets are given later, to
    /// [`run`](SteerableProxy::run); they may belong to other contexts.
    pub fn new(ctx: &'ctx Context) -> Result<(SteerableProxy<'ctx>, ProxyControl<'ctx>)> {
        SteerableProxy::new_in(CtxRef::Borrowed(ctx))
    }

    /// As [`new`](SteerableProxy::new), in a context held as `ctx` says.
    pub(crate) fn new_in(ctx: CtxRef<'ctx>) -> Result<(SteerableProxy<'ctx>, ProxyControl<'ctx>)> {
        let endpoint = crate::endpoint::private_inproc("proxy-control");
        let proxy_end = Socket::new(ctx.clone(), SocketType::Pair)?;
        proxy_end.set_linger(Some(Duration::ZERO))?;
        proxy_end.bind(&endpoint)?;
        let handle_end = Socket::new(ctx, SocketType::Pair)?;
        handle_end.set_linger(Some(Duration::ZERO))?;
        handle_end.set_sndtimeo(Some(POLL_INTERVAL))?;
        handle_end.set_rcvtimeo(Some(POLL_INTERVAL))?;
        handle_end.connect(&endpoint)?;
        let state = Arc::new(AtomicU8::new(NOT_STARTED));
        Ok((
            SteerableProxy {
                control: proxy_end,
                state: Arc::clone(&state),
            },
            ProxyControl {
                control: handle_end,
                state,
                seq: Cell::new(0),
            },
        ))
    }

    /// Runs the proxy between `frontend` and `backend` in the calling
    /// thread, copying every frame it takes to `capture` if given, until
    /// it is told to terminate through its [`ProxyControl`]. Returns the
    /// final statistics.
    ///
    /// It also ends, with `Ok`, when the context of its sockets is shut
    /// down or terminated (the way a plain [`proxy`](super::proxy) ends).
    /// Any other failure is an `Err`: a socket that cannot do its part
    /// (a frontend that cannot receive...), or an interruption by a signal
    /// ([`ErrorKind::Interrupted`]) unless the frontend's context was
    /// built to [retry](crate::ContextBuilder::retry_on_interrupt).
    ///
    /// The frontend and the backend may be one socket (a ROUTER that
    /// routes between its own peers): every message is then sent back on
    /// it.
    pub fn run(
        self,
        frontend: &Socket<'_>,
        backend: &Socket<'_>,
        capture: Option<&Socket<'_>>,
    ) -> Result<ProxyStatistics> {
        self.state.store(RUNNING, Ordering::SeqCst);
        let sockets = Sockets {
            frontend,
            backend,
            capture,
            control: &self.control,
        };
        match forward::run(&sockets, frontend.retries_on_interrupt())? {
            Ended::Terminated { seq, stats } => {
                // Finished before the answer, so that the handle, once
                // answered, knows the proxy is gone.
                self.state.store(FINISHED, Ordering::SeqCst);
                // The handle may be gone, or its context shut down: the
                // proxy has ended all the same.
                let _ = forward::reply(&self.control, seq, &stats);
                Ok(stats)
            }
            Ended::ContextEnded(stats) => Ok(stats),
        }
        // Dropping `self` marks the proxy finished.
    }
}

impl Drop for SteerableProxy<'_> {
    fn drop(&mut self) {
        self.state.store(FINISHED, Ordering::SeqCst);
    }
}

/// The error of a handle whose proxy no longer runs.
fn stopped() -> Error {
    Error::invalid(ErrorKind::InvalidState, "the proxy is not running any more")
}

impl ProxyControl<'_> {
    /// Stops forwarding: messages stay queued in the proxy's sockets (up to
    /// their high-water marks) until [`resume`](ProxyControl::resume); a
    /// message held for a full destination stays held.
    ///
    /// Returns once the proxy is paused. Pausing a paused proxy does
    /// nothing.
    pub fn pause(&self) -> Result<()> {
        self.call(Command::Pause).map(drop)
    }

    /// Starts forwarding again after [`pause`](ProxyControl::pause).
    ///
    /// Returns once the proxy forwards again.
    pub fn resume(&self) -> Result<()> {
        self.call(Command::Resume).map(drop)
    }

    /// Tells the proxy to stop; its [`run`](SteerableProxy::run) then
    /// returns `Ok` with the final statistics.
    ///
    /// If the proxy is running, this waits until it has stopped, which
    /// takes at most one burst of forwarding. If it has not started yet,
    /// the command waits for it and `run` returns at once when called. If
    /// it has already stopped, this does nothing.
    pub fn terminate(&self) -> Result<()> {
        match self.send_terminate() {
            // A stopped proxy, or a context shut down (which stops the
            // proxy too): there is nothing left to terminate.
            Err(e) if e.kind() == ErrorKind::InvalidState || e.is_terminated() => Ok(()),
            other => other,
        }
    }

    fn send_terminate(&self) -> Result<()> {
        let seq = self.send_command(Command::Terminate)?;
        if self.state.load(Ordering::SeqCst) == NOT_STARTED {
            // `run` will find the command first thing.
            return Ok(());
        }
        self.reply(seq).map(drop)
    }

    /// The proxy's counts of messages, frames and bytes since it started.
    pub fn statistics(&self) -> Result<ProxyStatistics> {
        self.call(Command::Statistics)
    }

    /// Sends a command and waits for its answer.
    fn call(&self, command: Command) -> Result<ProxyStatistics> {
        let seq = self.send_command(command)?;
        self.reply(seq)
    }

    /// Sends a command under a new number, which it returns.
    fn send_command(&self, command: Command) -> Result<u64> {
        let seq = self.seq.get().wrapping_add(1);
        self.seq.set(seq);
        let frame = control::encode_command(command, seq);
        loop {
            if self.state.load(Ordering::SeqCst) == FINISHED {
                return Err(stopped());
            }
            match self.control.send(frame, SendFlags::empty()) {
                Ok(()) => return Ok(seq),
                Err(e) if e.is_would_block() => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Waits for the answer to command `seq`, dropping answers to earlier
    /// commands whose caller stopped waiting.
    fn reply(&self, seq: u64) -> Result<ProxyStatistics> {
        loop {
            let finished = self.state.load(Ordering::SeqCst) == FINISHED;
            // Once the proxy has stopped, whatever it sent is queued: one
            // more look without waiting settles it.
            let flags = if finished {
                RecvFlags::DONTWAIT
            } else {
                RecvFlags::empty()
            };
            let frame = match self.control.recv_msg(flags) {
                Ok(frame) => frame,
                Err(e) if e.is_would_block() && finished => return Err(stopped()),
                Err(e) if e.is_would_block() => continue,
                Err(e) => return Err(e),
            };
            match control::decode_reply(&frame) {
                Some((answered, stats)) if answered == seq => return Ok(stats),
                _ => continue,
            }
        }
    }
}
