//! Proxies: libzmq's built-in forwarder between two sockets.
//!
//! A proxy moves every message that arrives on one socket to the other, in
//! both directions, in the calling thread, until it is stopped. With a
//! ROUTER frontend and a DEALER backend it is a request/reply broker; with
//! XSUB/XPUB a pub/sub forwarder; with PULL/PUSH a pipeline streamer.
//!
//! Three ways to run one:
//! - [`proxy`]: the plain blocking call (`zmq_proxy`). It returns only when
//!   the context is shut down or terminated.
//! - [`SteerableProxy`] with its [`ProxyControl`] handle
//!   (`zmq_proxy_steerable`): pause, resume, read statistics and terminate
//!   it from another thread.
//! - [`ThreadedProxy`]: a steerable proxy on a thread of its own, stopped
//!   (terminated and joined) by [`ThreadedProxy::stop`] or when dropped.

mod steerable;
mod threaded;

pub use steerable::{ProxyControl, ProxyStatistics, SocketStatistics, SteerableProxy};
pub use threaded::ThreadedProxy;

use std::ptr;

use crate::error::{ErrorKind, Result};
use crate::socket::Socket;
use crate::sys::ffi;

/// Runs libzmq's built-in proxy between `frontend` and `backend` in the
/// calling thread; every message is also copied to `capture`, if given.
///
/// This blocks until the context of the sockets is shut down
/// ([`Context::shutdown`](crate::Context::shutdown)) or terminated. That is the only
/// way `zmq_proxy` ends, so it is reported as `Ok(())`; any other failure
/// is an `Err`. A call interrupted by a signal is made again when the
/// context retries on `EINTR`, and is otherwise an error of kind
/// [`ErrorKind::Interrupted`].
///
/// To stop a proxy without shutting the context down, use a
/// [`SteerableProxy`] or a [`ThreadedProxy`].
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
    let capture = capture.map_or(ptr::null_mut(), Socket::as_raw);
    let result = frontend.blocking(|| {
        // SAFETY: the three handles are live sockets (borrowed for the whole
        // call) or NULL for the optional capture, as zmq_proxy accepts; the
        // sockets are only used by this thread while the call runs, since
        // `Socket` is not `Sync` and is borrowed here.
        unsafe { ffi::zmq_proxy(frontend.as_raw(), backend.as_raw(), capture) }
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

/// How the linked libzmq speaks on a steerable proxy's control socket.
///
/// - Before 4.3.5: PAUSE, RESUME and TERMINATE get no reply; STATISTICS
///   gets eight frames and counts whole (multipart) messages.
/// - 4.3.5: every command gets a reply (an empty frame, or the eight
///   statistics frames); PAUSE resumes and RESUME pauses (mixed up in that
///   release, fixed after it); statistics count frames.
/// - After 4.3.5: as before 4.3.5 for the replies, with the frame counting
///   of 4.3.5.
///
/// The control handle does not depend on whether simple commands get a
/// reply: each one is followed by STATISTICS, whose reply is always sent,
/// and empty replies met before it are dropped.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Dialect {
    /// PAUSE and RESUME act the wrong way round (4.3.5).
    pub(crate) swapped: bool,
    /// The proxy knows STATISTICS (4.3.0 and later; libzmq before that
    /// aborts on a command it does not know).
    pub(crate) statistics: bool,
    /// Statistics count every frame, not every whole message.
    pub(crate) counts_frames: bool,
}

impl Dialect {
    pub(crate) fn of(version: (i32, i32, i32)) -> Dialect {
        Dialect {
            swapped: version == (4, 3, 5),
            statistics: version >= (4, 3, 0),
            counts_frames: version >= (4, 3, 5),
        }
    }

    pub(crate) fn linked() -> Dialect {
        Dialect::of(crate::version())
    }
}

#[cfg(test)]
mod tests {
    use super::Dialect;

    #[test]
    fn dialects() {
        let d = Dialect::of((4, 3, 4));
        assert!(!d.swapped && d.statistics && !d.counts_frames);
        let d = Dialect::of((4, 3, 5));
        assert!(d.swapped && d.statistics && d.counts_frames);
        let d = Dialect::of((4, 3, 6));
        assert!(!d.swapped && d.statistics && d.counts_frames);
        let d = Dialect::of((4, 2, 5));
        assert!(!d.statistics);
    }
}
