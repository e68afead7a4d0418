//! The steerable proxy (`zmq_proxy_steerable`) and the handle that steers it.

use std::ptr;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::Dialect;
use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::flags::{RecvFlags, SendFlags};
use crate::message::Message;
use crate::socket::{Socket, SocketType};
use crate::sys::{self, ffi};

/// How long the handle waits in one go before it looks whether the proxy
/// is still running.
const POLL_INTERVAL: Duration = Duration::from_millis(50);

const NOT_STARTED: u8 = 0;
const RUNNING: u8 = 1;
const FINISHED: u8 = 2;

/// A proxy that can be paused, resumed, asked for statistics and
/// terminated through its [`ProxyControl`] handle.
///
/// [`SteerableProxy::new`] makes the pair: the proxy, which owns one end of
/// an internal `inproc://` control channel, and the handle, which owns the
/// other. Move the proxy to a thread and call [`run`](SteerableProxy::run)
/// there; keep the handle. The control channel's protocol differs between
/// libzmq releases (see [`ProxyControl`]); the handle speaks the one of the
/// linked library, so the same code works with all of them.
///
/// [`ThreadedProxy`](super::ThreadedProxy) does the thread part for you.
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
///     running.join().unwrap()
/// })?;
/// # Ok::<(), zmq4::Error>(())
/// ```
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
/// through. The methods wait for the proxy; call them from another thread
/// than the one running [`SteerableProxy::run`]. If the proxy has stopped
/// (terminated, its context shut down, or dropped without running), they
/// fail with [`ErrorKind::InvalidState`] instead of waiting forever;
/// [`terminate`](ProxyControl::terminate) then succeeds.
///
/// What it hides: libzmq 4.3.5 answers every command and acts on PAUSE and
/// RESUME the wrong way round; earlier releases answer only STATISTICS. The
/// handle sends what has the requested effect on the linked version and
/// consumes the answers it sends. Before 4.3.5 the proxy also copies every
/// command it receives to its capture socket; with that version the capture
/// socket therefore sees the `STATISTICS` requests the handle uses to wait
/// for the proxy.
#[derive(Debug)]
pub struct ProxyControl<'ctx> {
    control: Socket<'ctx>,
    state: Arc<AtomicU8>,
    dialect: Dialect,
}

/// What crossed one side of a proxy, as counted by libzmq.
///
/// Counting differs between releases: from libzmq 4.3.5 on, every frame of
/// a multipart message is a message; before, a multipart message counts
/// once (its bytes are the sum of its frames either way).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SocketStatistics {
    /// Messages the proxy received on this socket.
    pub messages_received: u64,
    /// Bytes the proxy received on this socket.
    pub bytes_received: u64,
    /// Messages the proxy sent out through this socket.
    pub messages_sent: u64,
    /// Bytes the proxy sent out through this socket.
    pub bytes_sent: u64,
}

/// The statistics of a steerable proxy since it started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ProxyStatistics {
    /// The frontend socket: received = requests in, sent = replies out.
    pub frontend: SocketStatistics,
    /// The backend socket: received = replies in, sent = requests out.
    pub backend: SocketStatistics,
}

impl ProxyStatistics {
    /// Builds the statistics from the eight values of libzmq's reply, in
    /// its order: frontend received messages, bytes, sent messages, bytes,
    /// then the backend the same way.
    fn from_values(v: [u64; 8]) -> ProxyStatistics {
        ProxyStatistics {
            frontend: SocketStatistics {
                messages_received: v[0],
                bytes_received: v[1],
                messages_sent: v[2],
                bytes_sent: v[3],
            },
            backend: SocketStatistics {
                messages_received: v[4],
                bytes_received: v[5],
                messages_sent: v[6],
                bytes_sent: v[7],
            },
        }
    }
}

impl<'ctx> SteerableProxy<'ctx> {
    /// Makes a steerable proxy and its control handle, joined by a private
    /// `inproc://` channel of `ctx`.
    ///
    /// The frontend, backend and capture sockets are given later, to
    /// [`run`](SteerableProxy::run).
    pub fn new(ctx: &'ctx Context) -> Result<(SteerableProxy<'ctx>, ProxyControl<'ctx>)> {
        let endpoint = crate::socket::private_inproc("proxy-control");
        let proxy_end = ctx.socket(SocketType::Pair)?;
        proxy_end.set_linger(Some(Duration::ZERO))?;
        proxy_end.bind(&endpoint)?;
        let handle_end = ctx.socket(SocketType::Pair)?;
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
                dialect: Dialect::linked(),
            },
        ))
    }

    /// Runs the proxy between `frontend` and `backend` in the calling
    /// thread, copying every frame to `capture` if given, until it is told
    /// to terminate through its [`ProxyControl`].
    ///
    /// Returns `Ok(())` when terminated by the handle, and also when the
    /// context is shut down or terminated (the way a plain
    /// [`proxy`](super::proxy) ends). Any other failure is an `Err`,
    /// including an interruption by a signal ([`ErrorKind::Interrupted`]):
    /// it is not retried, since starting again would forget a pause and
    /// reset the statistics.
    #[doc(alias = "zmq_proxy_steerable")]
    pub fn run(
        self,
        frontend: &Socket<'_>,
        backend: &Socket<'_>,
        capture: Option<&Socket<'_>>,
    ) -> Result<()> {
        self.state.store(RUNNING, Ordering::SeqCst);
        let capture = capture.map_or(ptr::null_mut(), Socket::as_raw);
        // SAFETY: all four handles are live sockets borrowed (or owned, the
        // control socket) for the whole call, or NULL for the optional
        // capture, as zmq_proxy_steerable accepts; none of them is used by
        // another thread meanwhile (`Socket` is not `Sync`).
        let rc = unsafe {
            ffi::zmq_proxy_steerable(
                frontend.as_raw(),
                backend.as_raw(),
                capture,
                self.control.as_raw(),
            )
        };
        // Dropping `self` marks the proxy finished.
        super::ended(sys::cvt(rc))
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
    /// their high-water marks) until [`resume`](ProxyControl::resume).
    ///
    /// Returns once the proxy is paused.
    pub fn pause(&self) -> Result<()> {
        let command: &[u8] = if self.dialect.swapped {
            b"RESUME"
        } else {
            b"PAUSE"
        };
        self.steer(command)
    }

    /// Starts forwarding again after [`pause`](ProxyControl::pause).
    ///
    /// Returns once the proxy forwards again.
    pub fn resume(&self) -> Result<()> {
        let command: &[u8] = if self.dialect.swapped {
            b"PAUSE"
        } else {
            b"RESUME"
        };
        self.steer(command)
    }

    /// Tells the proxy to stop; its [`run`](SteerableProxy::run) then
    /// returns `Ok(())`.
    ///
    /// If the proxy is running, this waits until it has stopped. If it has
    /// not started yet, the command waits for it and `run` returns at once
    /// when called. If it has already stopped, this does nothing.
    pub fn terminate(&self) -> Result<()> {
        match self.send_terminate() {
            // A stopped proxy, or a context shut down (which stops the
            // proxy too): there is nothing left to terminate.
            Err(e) if e.kind() == ErrorKind::InvalidState || e.is_terminated() => Ok(()),
            other => other,
        }
    }

    fn send_terminate(&self) -> Result<()> {
        self.drain()?;
        self.send_command(b"TERMINATE")?;
        while self.state.load(Ordering::SeqCst) == RUNNING {
            // Consume the answer libzmq 4.3.5 sends, and wait.
            match self.control.recv_msg(RecvFlags::empty()) {
                Ok(_) => {}
                Err(e) if e.is_would_block() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The proxy's counts of messages and bytes since it started.
    ///
    /// Fails with [`ErrorKind::NotSupported`] on a libzmq without the
    /// STATISTICS command (before 4.3). See [`SocketStatistics`] for how
    /// multipart messages are counted.
    pub fn statistics(&self) -> Result<ProxyStatistics> {
        if !self.dialect.statistics {
            return Err(not_supported());
        }
        self.drain()?;
        self.send_command(b"STATISTICS")?;
        self.statistics_reply().map(ProxyStatistics::from_values)
    }

    /// Whether the linked libzmq counts every frame of a multipart message
    /// in the [statistics](ProxyControl::statistics) (4.3.5 and later), or
    /// each whole message once (earlier releases).
    pub fn counts_frames(&self) -> bool {
        self.dialect.counts_frames
    }

    /// Sends a simple command and, where the library can tell, waits until
    /// the proxy has handled it.
    fn steer(&self, command: &[u8]) -> Result<()> {
        self.drain()?;
        self.send_command(command)?;
        if self.dialect.statistics {
            // Commands are handled in order and STATISTICS is always
            // answered: its answer means the command before it took effect.
            self.send_command(b"STATISTICS")?;
            self.statistics_reply()?;
        }
        Ok(())
    }

    /// Drops answers left over from an earlier call that gave up waiting.
    fn drain(&self) -> Result<()> {
        loop {
            match self.control.recv_msg(RecvFlags::DONTWAIT) {
                Ok(_) => {}
                Err(e) if e.is_would_block() => return Ok(()),
                Err(e) => return Err(e),
            }
        }
    }

    fn send_command(&self, command: &[u8]) -> Result<()> {
        loop {
            if self.state.load(Ordering::SeqCst) == FINISHED {
                return Err(stopped());
            }
            match self.control.send(command, SendFlags::empty()) {
                Ok(()) => return Ok(()),
                Err(e) if e.is_would_block() => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Waits for the eight frames that answer STATISTICS, dropping the
    /// empty answers to simple commands met on the way.
    fn statistics_reply(&self) -> Result<[u64; 8]> {
        loop {
            let finished = self.state.load(Ordering::SeqCst) == FINISHED;
            // Once the proxy has stopped, whatever it sent is queued: one
            // more look without waiting settles it.
            let flags = if finished {
                RecvFlags::DONTWAIT
            } else {
                RecvFlags::empty()
            };
            let parts = match self.control.recv_multipart(flags) {
                Ok(parts) => parts,
                Err(e) if e.is_would_block() && finished => return Err(stopped()),
                Err(e) if e.is_would_block() => continue,
                Err(e) => return Err(e),
            };
            if parts.len() == 1 && parts[0].is_empty() {
                continue;
            }
            return parse_statistics(&parts);
        }
    }
}

fn not_supported() -> Error {
    Error::from_errno(ffi::errno::ENOTSUP)
        .with_kind(ErrorKind::NotSupported)
        .with_detail(format!(
            "the linked libzmq {}.{}.{} has no proxy STATISTICS command (it came with 4.3)",
            crate::version().0,
            crate::version().1,
            crate::version().2
        ))
}

fn parse_statistics(parts: &[Message]) -> Result<[u64; 8]> {
    let bad = || {
        Error::invalid(
            ErrorKind::Other,
            format!(
                "unexpected answer to STATISTICS: {} frames of sizes {:?}",
                parts.len(),
                parts.iter().map(|p| p.len()).collect::<Vec<_>>()
            ),
        )
    };
    if parts.len() != 8 {
        return Err(bad());
    }
    let mut values = [0u64; 8];
    for (value, part) in values.iter_mut().zip(parts) {
        let bytes: [u8; 8] = part[..].try_into().map_err(|_| bad())?;
        // libzmq copies its uint64_t into the frame as it is in memory.
        *value = u64::from_ne_bytes(bytes);
    }
    Ok(values)
}
