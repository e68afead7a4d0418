//! Proxies: forwarders between two sockets.
//!
//! A proxy moves every message that arrives on one socket to the other, in
//! both directions, until it is stopped. With a ROUTER frontend and a
//! DEALER backend it is a request/reply broker; with XSUB/XPUB a pub/sub
//! forwarder; with PULL/PUSH a pipeline streamer.
//!
//! Three ways to run one:
//! - [`proxy`]: libzmq's built-in proxy (`zmq_proxy`) in the calling
//!   thread. It returns only when the context is shut down or terminated.
//! - [`SteerableProxy`] with its [`ProxyControl`] handle: zmq4's own
//!   forwarding loop, paused, resumed, asked for statistics and terminated
//!   from another thread, and always answered.
//! - [`ThreadedProxy`]: a steerable proxy on a thread of its own, stopped
//!   (terminated and joined) by [`ThreadedProxy::stop`] or when dropped.
//!
//! How they differ:
//!
//! | | [`proxy`] | [`SteerableProxy`], [`ThreadedProxy`] |
//! |---|---|---|
//! | a destination that takes nothing more (its peer stopped reading) | the proxy waits inside the send: nothing moves either way, until the peer reads or the context is shut down | the proxy holds the one message for it and waits for room; later messages stay queued in the source socket, and the other direction goes on |
//! | a capture socket that takes nothing more | the proxy waits likewise | the copy is dropped, and counted |
//! | stopping | only by shutting the context down | [`terminate`](ProxyControl::terminate) or [`stop`](ThreadedProxy::stop), answered after at most one burst of forwarding; or by shutting the context down |
//! | statistics | none | messages, frames and bytes each way, and what was dropped ([`ProxyStatistics`]) |
//! | cost per message | libzmq's | about the same: the same libzmq calls per frame, through its public API |
//!
mod control;
mod forward;
mod stats;
mod steerable;
mod threaded;

pub use stats::{ProxyStatistics, SocketStatistics};
pub use steerable::{ProxyControl, SteerableProxy};
pub use threaded::ThreadedProxy;

use crate::error::{ErrorKind, Result};
use crate::socket::Socket;

/// Runs libzmq's built-in proxy between `frontend` and `backend` in the
/// calling thread; every frame is also copied to `capture`, if given.
///
/// This blocks until the context of the sockets is shut down
/// ([`Context::shutdown`](crate::Context::shutdown)) or terminated. That is
/// the only way `zmq_proxy` ends, so it is reported as `Ok(())`; any other
/// failure is an `Err`. A call interrupted by a signal is made again when
/// the context retries on `EINTR`, and is otherwise an error of kind
/// [`ErrorKind::Interrupted`].
///
/// libzmq's loop sends with blocking calls. When a destination takes
/// nothing more (its high-water mark reached because a peer stopped
/// reading), or the capture socket does not, the proxy waits inside that
/// send, and nothing moves in either direction until it can go on. A
/// context shutdown still ends it: the waiting send fails with `ETERM`.
/// The destination's send timeout applies to those sends: once it expires
/// the proxy ends with an error of kind [`ErrorKind::WouldBlock`], and the
/// message it was sending is lost. Leave `SNDTIMEO` unset on a proxy's
/// sockets, or use a [`SteerableProxy`] (or [`ThreadedProxy`]), whose own
/// loop never waits for a full socket and can be stopped without shutting
/// the context down.
///
/// The capture socket must be able to send (PUB, PUSH, DEALER, PAIR...):
/// every frame that crosses the proxy in either direction is sent to it.
///
/// ```
/// use std::time::Duration;
/// use zmq4::{Context, RecvFlags, SendFlags, SocketType};
///
/// let ctx = Context::new()?;
/// std::thread::scope(|s| -> zmq4::Result<()> {
///     let frontend = ctx.socket(SocketType::Pull)?;
///     frontend.bind("inproc://doc-proxy-in")?;
///     let backend = ctx.socket(SocketType::Push)?;
///     backend.bind("inproc://doc-proxy-out")?;
///     let proxy = s.spawn(move || zmq4::proxy(&frontend, &backend, None));
///
///     let producer = ctx.socket(SocketType::Push)?;
///     producer.connect("inproc://doc-proxy-in")?;
///     let consumer = ctx.socket(SocketType::Pull)?;
///     consumer.connect("inproc://doc-proxy-out")?;
///     consumer.set_rcvtimeo(Some(Duration::from_secs(5)))?;
///     producer.send("through the proxy", SendFlags::empty())?;
///     assert_eq!(consumer.recv_bytes(RecvFlags::empty())?, b"through the proxy");
///
///     // zmq_proxy runs until the context is shut down.
///     ctx.shutdown()?;
///     proxy.join().unwrap()
/// })?;
/// # Ok::<(), zmq4::Error>(())
/// ```
#[doc(alias = "zmq_proxy")]
pub fn proxy(
    frontend: &Socket<'_>,
    backend: &Socket<'_>,
    capture: Option<&Socket<'_>>,
) -> Result<()> {
    let capture = capture.map(|s| &s.raw);
    let result = frontend.blocking(crate::socket::Op::Other, |front| {
        crate::raw::proxy(front, &backend.raw, capture)
    });
    ended(result)
}

/// How a proxy call ended: a proxy runs until it is terminated (its
/// context shut down, or TERMINATE on a steerable proxy's control), so
/// `ETERM` is its normal end, not an error.
pub(crate) fn ended(result: Result<std::os::raw::c_int>) -> Result<()> {
    match result {
        Ok(_) => Ok(()),
        Err(err) if err.kind() == ErrorKind::Terminated => Ok(()),
        Err(err) => Err(err),
    }
}
