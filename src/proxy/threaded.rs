//! A steerable proxy running on a thread of its own.

use std::thread::{self, JoinHandle, Scope, ScopedJoinHandle};

use super::stats::ProxyStatistics;
use super::steerable::{ProxyControl, SteerableProxy};
use crate::error::{Error, ErrorKind, Result};
use crate::socket::Socket;
use crate::sys::ffi;

/// A [`SteerableProxy`] running on its own thread, like pyzmq's
/// `ThreadProxy` or czmq's `zproxy`.
///
/// It takes the frontend, backend and optional capture sockets (configured,
/// bound or connected) by value and moves them to the new thread.
/// [`stop`](ThreadedProxy::stop) terminates the proxy, joins the thread
/// and returns the proxy's final statistics; dropping a `ThreadedProxy`
/// does the same and ignores the result. Neither can hang: the proxy
/// answers its control channel after at most one burst of forwarding,
/// however full its sockets are (a consumer that stopped reading included;
/// see [`SteerableProxy`]), and a proxy whose context was shut down has
/// already returned.
///
/// When the proxy stops, its thread closes the three sockets. Messages
/// queued in the frontend and backend for the proxy to read are discarded
/// with them; messages they had queued for their peers go out as the
/// sockets' LINGER allows. At most one message per direction, held for a
/// full destination, is dropped, and counted in the final statistics'
/// [`dropped`](ProxyStatistics::dropped). To keep the queued messages, run a
/// [`SteerableProxy`] on sockets you keep.
///
/// Sockets tie the thread to their context. Two ways to start one:
/// - [`spawn`](ThreadedProxy::spawn) takes `Socket<'static>`s: sockets
///   made by [`Context::owned_socket`](crate::Context::owned_socket),
///   which keep their context alive, or sockets of
///   [`Context::global`](crate::Context::global).
/// - [`spawn_scoped`](ThreadedProxy::spawn_scoped) runs the thread in a
///   [`std::thread::scope`], with sockets of any context that outlives the
///   scope.
///
/// ```
/// use std::time::Duration;
/// use zmq4::{Context, RecvFlags, SendFlags, SocketType, ThreadedProxy};
///
/// let ctx = Context::new()?;
/// let producer = ctx.socket(SocketType::Push)?;
/// let consumer = ctx.socket(SocketType::Pull)?;
/// consumer.set_rcvtimeo(Some(Duration::from_secs(5)))?;
/// std::thread::scope(|s| -> zmq4::Result<()> {
///     let frontend = ctx.socket(SocketType::Pull)?;
///     frontend.bind("inproc://doc-threaded-in")?;
///     let backend = ctx.socket(SocketType::Push)?;
///     backend.bind("inproc://doc-threaded-out")?;
///     let proxy = ThreadedProxy::spawn_scoped(s, frontend, backend, None)?;
///
///     producer.connect("inproc://doc-threaded-in")?;
///     consumer.connect("inproc://doc-threaded-out")?;
///     producer.send("hello", SendFlags::empty())?;
///     assert_eq!(consumer.recv_bytes(RecvFlags::empty())?, b"hello");
///
///     let stats = proxy.stop()?;
///     assert_eq!(stats.backend.messages_sent, 1);
///     Ok(())
/// })?;
/// # Ok::<(), zmq4::Error>(())
/// ```
#[derive(Debug)]
pub struct ThreadedProxy<'scope> {
    control: ProxyControl<'scope>,
    thread: Option<Thread<'scope>>,
}

#[derive(Debug)]
enum Thread<'scope> {
    Owned(JoinHandle<Result<ProxyStatistics>>),
    Scoped(ScopedJoinHandle<'scope, Result<ProxyStatistics>>),
}

impl Thread<'_> {
    fn join(self) -> thread::Result<Result<ProxyStatistics>> {
        match self {
            Thread::Owned(handle) => handle.join(),
            Thread::Scoped(handle) => handle.join(),
        }
    }
}

/// The name of the proxy threads, as debuggers and panic messages show it.
const THREAD_NAME: &str = "zmq4-proxy";

fn spawn_failed(err: std::io::Error) -> Error {
    Error::from_errno(err.raw_os_error().unwrap_or(ffi::errno::ENOMEM))
        .with_kind(ErrorKind::Other)
        .with_detail(format!("could not start the proxy thread: {err}"))
}

impl ThreadedProxy<'static> {
    /// Starts a proxy between `frontend` and `backend` (copying to
    /// `capture` if given) on a new thread, for sockets that keep their
    /// context alive ([`Context::owned_socket`](crate::Context::owned_socket))
    /// or belong to [`Context::global`](crate::Context::global).
    ///
    /// The proxy's control channel is made in the frontend's context.
    ///
    /// ```
    /// use zmq4::{Context, SocketType, ThreadedProxy};
    ///
    /// let ctx = Context::new()?;
    /// let frontend = ctx.owned_socket(SocketType::Router)?;
    /// frontend.bind("tcp://127.0.0.1:*")?;
    /// let backend = ctx.owned_socket(SocketType::Dealer)?;
    /// backend.bind("inproc://doc-threaded-owned-workers")?;
    /// let proxy = ThreadedProxy::spawn(frontend, backend, None)?;
    /// // ... workers connect to the backend, clients to the frontend ...
    /// proxy.stop()?;
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn spawn(
        frontend: Socket<'static>,
        backend: Socket<'static>,
        capture: Option<Socket<'static>>,
    ) -> Result<ThreadedProxy<'static>> {
        let (proxy, control) = SteerableProxy::new_in(frontend.ctx_ref())?;
        let handle = thread::Builder::new()
            .name(THREAD_NAME.into())
            .spawn(move || proxy.run(&frontend, &backend, capture.as_ref()))
            .map_err(spawn_failed)?;
        Ok(ThreadedProxy {
            control,
            thread: Some(Thread::Owned(handle)),
        })
    }
}

impl<'scope> ThreadedProxy<'scope> {
    /// Starts a proxy between `frontend` and `backend` (copying to
    /// `capture` if given) on a new thread of `scope`.
    ///
    /// The proxy's control channel is made in the frontend's context. The
    /// scope would join the thread when it ends anyway; stopping or
    /// dropping the `ThreadedProxy` first makes sure the proxy ends too.
    pub fn spawn_scoped<'env>(
        scope: &'scope Scope<'scope, 'env>,
        frontend: Socket<'env>,
        backend: Socket<'env>,
        capture: Option<Socket<'env>>,
    ) -> Result<ThreadedProxy<'scope>> {
        let (proxy, control) = SteerableProxy::new_in(frontend.ctx_ref())?;
        let handle = thread::Builder::new()
            .name(THREAD_NAME.into())
            .spawn_scoped(scope, move || {
                proxy.run(&frontend, &backend, capture.as_ref())
            })
            .map_err(spawn_failed)?;
        Ok(ThreadedProxy {
            control,
            thread: Some(Thread::Scoped(handle)),
        })
    }

    /// The handle of the running proxy.
    pub fn control(&self) -> &ProxyControl<'scope> {
        &self.control
    }

    /// Pauses the proxy; see [`ProxyControl::pause`].
    pub fn pause(&self) -> Result<()> {
        self.control.pause()
    }

    /// Resumes the proxy; see [`ProxyControl::resume`].
    pub fn resume(&self) -> Result<()> {
        self.control.resume()
    }

    /// The proxy's statistics; see [`ProxyControl::statistics`].
    pub fn statistics(&self) -> Result<ProxyStatistics> {
        self.control.statistics()
    }

    /// Whether the proxy thread has ended (terminated, its context shut
    /// down, or failed).
    pub fn is_finished(&self) -> bool {
        match &self.thread {
            Some(Thread::Owned(h)) => h.is_finished(),
            Some(Thread::Scoped(h)) => h.is_finished(),
            None => true,
        }
    }

    /// Terminates the proxy, waits for its thread and returns what the
    /// proxy returned: its final statistics after a terminate or a context
    /// shutdown, else the error that stopped it.
    ///
    /// This returns within one burst of forwarding plus the time the
    /// thread takes to close its sockets, whatever the proxy's peers do.
    ///
    /// # Panics
    /// If the proxy thread panicked, the panic continues here.
    pub fn stop(mut self) -> Result<ProxyStatistics> {
        let Some(thread) = self.thread.take() else {
            unreachable!("the thread is only taken by stop and drop, which consume the proxy")
        };
        let terminated = self.terminate();
        let result = match thread.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        result.and_then(|stats| terminated.map(|()| stats))
    }

    /// Terminates the proxy. A signal interrupting the handle's wait does
    /// not stop this: joining a proxy that was not told to stop would
    /// wait for ever.
    fn terminate(&self) -> Result<()> {
        loop {
            match self.control.terminate() {
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }
}

impl Drop for ThreadedProxy<'_> {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = self.terminate();
            // A panic of the proxy thread is not raised again while
            // dropping (it could abort during an unwind).
            let _ = thread.join();
        }
    }
}
