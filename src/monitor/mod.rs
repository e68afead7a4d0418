//! Socket monitors: what happens to a socket's connections, as typed
//! events ([`Socket::monitor`], [`Monitor`]).

use std::ffi::CString;
use std::fmt;
use std::os::raw::c_int;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::flags::RecvFlags;
use crate::message::Message;
use crate::socket::{endpoint_cstring, Socket, SocketType};
use crate::sys::{self, ffi};

mod event;

pub use event::{EventKind, MonitorEvent, MonitorEvents, ProtocolError};

/// The event format this build asks libzmq for: 2 with the DRAFT API, 1
/// without it.
const FORMAT: u8 = if cfg!(feature = "draft") { 2 } else { 1 };

/// Which [`Monitor`] is the current one of each monitored socket (libzmq
/// keeps one monitor per socket; starting another stops the previous one).
/// A monitor disables monitoring only while it is the current one, so that
/// dropping a replaced monitor does not stop its successor.
static CURRENT: Mutex<Vec<(usize, u64)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

fn current() -> std::sync::MutexGuard<'static, Vec<(usize, u64)>> {
    // The list stays consistent even if a thread panicked holding it.
    CURRENT.lock().unwrap_or_else(|e| e.into_inner())
}

/// Receives the events of a monitored socket (`zmq_socket_monitor`).
///
/// Made by [`Socket::monitor`] or [`Socket::monitor_on`]. It owns the PAIR
/// socket that receives libzmq's event messages and borrows the monitored
/// socket: dropping the monitor, or [`stop`](Monitor::stop), first
/// disables monitoring on the monitored socket and only then closes the
/// PAIR socket (the other order could leave libzmq sending events to
/// nobody). Because it borrows the socket, a monitor stays on the thread
/// that uses the socket (it is not `Send`): libzmq sockets are not
/// thread-safe, and stopping the monitor is a call on the monitored socket.
///
/// Read events with [`next_event`](Monitor::next_event) (bounded wait) or
/// by iterating (blocking; ends after
/// [`EventKind::MonitorStopped`], or, after [`stop`](Monitor::stop), once
/// the events already sent are read).
///
/// Events queue without limit until read (the receiving socket has no
/// high-water mark), because libzmq would otherwise block its I/O thread
/// when the queue is full. A monitor that is not read keeps memory; drop it
/// when the events are no longer wanted.
///
/// Without the `draft` feature libzmq sends format 1 (one endpoint per
/// event, 32-bit values); with it, format 2 (`zmq_socket_monitor_versioned`:
/// 64-bit values, local and remote address). See [`MonitorEvent`].
///
/// ```
/// use std::time::Duration;
/// use zmq4::{Context, EventKind, MonitorEvents, SocketType};
///
/// let ctx = Context::new()?;
/// let server = ctx.socket(SocketType::Rep)?;
/// let mut monitor = server.monitor(MonitorEvents::LISTENING | MonitorEvents::ACCEPTED)?;
/// server.bind("tcp://127.0.0.1:*")?;
///
/// let client = ctx.socket(SocketType::Req)?;
/// client.connect(&server.last_endpoint()?)?;
///
/// let timeout = Some(Duration::from_secs(5));
/// let event = monitor.next_event(timeout)?.expect("an event");
/// assert!(matches!(event.kind(), EventKind::Listening { .. }));
/// let event = monitor.next_event(timeout)?.expect("an event");
/// assert!(matches!(event.kind(), EventKind::Accepted { .. }));
/// # client.set_linger(Some(Duration::ZERO))?;
/// # Ok::<(), zmq4::Error>(())
/// ```
pub struct Monitor<'s> {
    pair: Socket<'s>,
    monitored: &'s Socket<'s>,
    endpoint: String,
    id: u64,
    /// Monitoring was disabled: only events already queued remain.
    stopped: bool,
    /// No event follows (MONITOR_STOPPED was read, or the context ended).
    finished: bool,
    /// The receive timeout last set on `pair`, to set it only on change.
    timeout: Option<Option<Duration>>,
    parts: Vec<Message>,
}

impl fmt::Debug for Monitor<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Monitor")
            .field("socket", &self.monitored)
            .field("endpoint", &self.endpoint)
            .field("stopped", &self.stopped)
            .finish()
    }
}

impl<'ctx> Socket<'ctx> {
    /// Starts monitoring this socket for `events`, on an `inproc://`
    /// endpoint of its own.
    ///
    /// A socket has at most one monitor: starting another one stops this
    /// one (it then reports [`EventKind::MonitorStopped`] if it asked for
    /// it, and nothing more).
    #[doc(alias = "zmq_socket_monitor")]
    #[doc(alias = "zmq_socket_monitor_versioned")]
    pub fn monitor<'s>(&'s self, events: MonitorEvents) -> Result<Monitor<'s>> {
        Monitor::start(self, crate::socket::private_inproc("monitor"), events)
    }

    /// Starts monitoring this socket for `events` on the given `inproc://`
    /// endpoint (libzmq binds it; it must be free in this context).
    ///
    /// An endpoint of another transport is an error of kind
    /// [`ErrorKind::ProtocolNotSupported`](crate::ErrorKind::ProtocolNotSupported). After a monitor is dropped,
    /// libzmq releases its endpoint in the background: starting another
    /// monitor on the same name at once may fail with
    /// [`ErrorKind::AddressInUse`](crate::ErrorKind::AddressInUse) ([`Socket::monitor`] picks a fresh
    /// name each time).
    #[doc(alias = "zmq_socket_monitor")]
    #[doc(alias = "zmq_socket_monitor_versioned")]
    pub fn monitor_on<'s>(&'s self, endpoint: &str, events: MonitorEvents) -> Result<Monitor<'s>> {
        Monitor::start(self, endpoint.to_owned(), events)
    }
}

impl<'s> Monitor<'s> {
    fn start(
        monitored: &'s Socket<'s>,
        endpoint: String,
        events: MonitorEvents,
    ) -> Result<Monitor<'s>> {
        let c_endpoint = endpoint_cstring(&endpoint)?;
        // Checked here because the receiving socket connects before libzmq
        // sees the endpoint.
        if !endpoint.starts_with("inproc://") {
            return Err(
                Error::from_errno(ffi::errno::EPROTONOSUPPORT).with_detail(format!(
                    "monitor on {endpoint:?}: events travel over inproc:// only"
                )),
            );
        }
        let pair = monitored.context().socket(SocketType::Pair)?;
        pair.set_linger(Some(Duration::ZERO))?;
        // No high-water mark: libzmq's sending side blocks when the queue
        // is full, and it sends from its I/O threads.
        pair.set_rcvhwm(0)?;
        // Connect before libzmq binds (inproc allows it), so that its
        // socket has a peer from the first event on and never blocks.
        pair.connect(&endpoint)?;
        enable(monitored, &c_endpoint, events)
            .map_err(|err| err.with_detail(format!("monitor on {endpoint:?}")))?;
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let key = monitored.as_raw() as usize;
        {
            let mut current = current();
            current.retain(|(sock, _)| *sock != key);
            current.push((key, id));
        }
        Ok(Monitor {
            pair,
            monitored,
            endpoint,
            id,
            stopped: false,
            finished: false,
            timeout: None,
            parts: Vec::new(),
        })
    }

    /// The `inproc://` endpoint the events travel on.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The monitored socket.
    pub fn monitored(&self) -> &'s Socket<'s> {
        self.monitored
    }

    /// The PAIR socket that receives the event messages, for polling it
    /// together with other sockets. Read events with
    /// [`next_event`](Monitor::next_event), not from this socket.
    pub fn socket(&self) -> &Socket<'s> {
        &self.pair
    }

    /// The event format in use: 1 without the `draft` feature, 2 with it.
    pub fn format(&self) -> u8 {
        FORMAT
    }

    /// Waits at most `timeout` (`None`: without limit) for the next event.
    ///
    /// `Ok(None)` when none came in time, after
    /// [`EventKind::MonitorStopped`] was read (nothing follows it), and,
    /// after [`stop`](Monitor::stop), once the events already sent are
    /// read. An event whose frames are malformed is an error of kind
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument); the next call reads the next event.
    pub fn next_event(&mut self, timeout: Option<Duration>) -> Result<Option<MonitorEvent>> {
        if self.finished {
            return Ok(None);
        }
        let timeout = if self.stopped {
            Some(Duration::ZERO)
        } else {
            // Longer than a C int of milliseconds is as good as forever.
            timeout.filter(|&t| crate::ceil_units::<c_int>(t, Duration::from_millis(1)).is_some())
        };
        if self.timeout != Some(timeout) {
            self.pair.set_rcvtimeo(timeout)?;
            self.timeout = Some(timeout);
        }
        // Cleared before, not after: a receive that fails part-way must not
        // leave frames in front of the next event's.
        self.parts.clear();
        match self
            .pair
            .recv_multipart_into(&mut self.parts, RecvFlags::empty())
        {
            Ok(_) => {}
            Err(err) if err.is_would_block() => return Ok(None),
            Err(err) => {
                if err.is_terminated() {
                    self.finished = true;
                }
                return Err(err);
            }
        }
        let event = if FORMAT == 2 {
            MonitorEvent::parse_v2(&self.parts)?
        } else {
            MonitorEvent::parse_v1(&self.parts)?
        };
        if event.kind() == EventKind::MonitorStopped {
            self.finished = true;
        }
        Ok(Some(event))
    }

    /// Disables monitoring on the monitored socket (`zmq_socket_monitor`
    /// with no endpoint). Events already sent, and
    /// [`EventKind::MonitorStopped`] if it was asked for, can still be
    /// read; then reading returns nothing. Calling it again does nothing.
    ///
    /// If another monitor was started on the socket since this one, this
    /// one is already stopped and the other is left alone.
    #[doc(alias = "zmq_socket_monitor")]
    pub fn stop(&mut self) -> Result<()> {
        if self.stopped {
            return Ok(());
        }
        self.stopped = true;
        self.disable()
    }

    fn disable(&self) -> Result<()> {
        let key = self.monitored.as_raw() as usize;
        {
            let mut current = current();
            let Some(pos) = current.iter().position(|e| *e == (key, self.id)) else {
                return Ok(());
            };
            current.swap_remove(pos);
        }
        // SAFETY: the monitored socket is alive (borrowed for 's) and used
        // from this thread only: a monitor holds a shared reference to a
        // socket, which is not Sync, so the monitor cannot leave the
        // socket's thread. A null endpoint asks libzmq to stop monitoring.
        let rc = unsafe { ffi::zmq_socket_monitor(self.monitored.as_raw(), std::ptr::null(), 0) };
        sys::cvt(rc).map(drop)
    }
}

fn enable(monitored: &Socket<'_>, endpoint: &CString, events: MonitorEvents) -> Result<()> {
    #[cfg(not(feature = "draft"))]
    let rc = {
        let events = c_int::try_from(events.bits()).unwrap_or(-1);
        // SAFETY: the socket is alive and used from this thread (we hold a
        // shared reference, and sockets are not Sync); the endpoint is a
        // NUL-terminated string that outlives the call (libzmq copies it).
        unsafe { ffi::zmq_socket_monitor(monitored.as_raw(), endpoint.as_ptr(), events) }
    };
    #[cfg(feature = "draft")]
    // SAFETY: as above; format 2 and a PAIR socket are arguments libzmq
    // documents for zmq_socket_monitor_versioned.
    let rc = unsafe {
        ffi::zmq_socket_monitor_versioned(
            monitored.as_raw(),
            endpoint.as_ptr(),
            events.bits(),
            c_int::from(FORMAT),
            ffi::ZMQ_PAIR,
        )
    };
    sys::cvt(rc).map(drop)
}

impl Iterator for Monitor<'_> {
    type Item = Result<MonitorEvent>;

    /// Blocks until the next event. Ends after
    /// [`EventKind::MonitorStopped`], after a [`stop`](Monitor::stop) once
    /// the queued events are read, and after the error that the context
    /// was terminated.
    fn next(&mut self) -> Option<Self::Item> {
        self.next_event(None).transpose()
    }
}

impl Drop for Monitor<'_> {
    fn drop(&mut self) {
        if !self.stopped {
            // Best effort: with a terminated context there is no monitor
            // left to stop. The PAIR socket is closed after this.
            let _ = self.disable();
        }
    }
}
