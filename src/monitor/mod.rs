//! Socket monitors: what happens to a socket's connections, as typed
//! events ([`Socket::monitor`], [`Monitor`]).

use std::ffi::CString;
use std::fmt;
use std::os::raw::c_int;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::endpoint::endpoint_cstring;
use crate::error::{Error, Result};
use crate::flags::RecvFlags;
use crate::message::Message;
use crate::raw::{RawMessage, RawSocket};
use crate::socket::{Socket, SocketType};
use crate::sys::ffi;

mod event;

pub use event::{EventKind, MonitorEvent, MonitorEvents, ProtocolError};

/// The event format this build asks libzmq for: 2 with the DRAFT API, 1
/// without it.
const FORMAT: u8 = if cfg!(feature = "draft") { 2 } else { 1 };

/// Receives the events of a monitored socket (`zmq_socket_monitor`).
///
/// Made by [`Socket::monitor`] or [`Socket::monitor_on`]. It owns the PAIR
/// socket that receives libzmq's event messages, in the monitored socket's
/// context, and does not borrow the monitored socket: the socket can be
/// used, moved and closed while the monitor lives, and the events of its
/// close (a listener's [`EventKind::Closed`], then
/// [`EventKind::MonitorStopped`]) can still be read. A monitor of a socket
/// made by [`Context::owned_socket`](crate::Context::owned_socket) is
/// `Monitor<'static>`, free to move to a thread of its own.
///
/// Read events with [`next_event`](Monitor::next_event) (bounded wait) or
/// by iterating (blocking). Monitoring ends when the socket is closed, when
/// [`Socket::stop_monitor`] is called, or when another monitor of the same
/// socket starts; libzmq then sends [`EventKind::MonitorStopped`] (always
/// asked for, and reported only if `events` included it), after which
/// reading returns nothing.
///
/// Events queue without limit until read (the receiving socket has no
/// high-water mark), because libzmq would otherwise block its I/O thread
/// when the queue is full. A monitor that is not read keeps memory; drop it
/// when the events are no longer wanted. Dropping it does not stop the
/// monitoring at once (the socket may be in another thread): the socket
/// stops it at its next `bind`, `connect`, `unbind`, `disconnect` or
/// `monitor` call, or when it is closed, and until libzmq has stopped
/// writing to it, the receiving socket is kept open in the context.
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
/// let mut monitor = server.monitor(MonitorEvents::LISTENING | MonitorEvents::CLOSED)?;
/// server.bind("tcp://127.0.0.1:*")?;
///
/// let timeout = Some(Duration::from_secs(5));
/// let event = monitor.next_event(timeout)?.expect("an event");
/// assert!(matches!(event.kind(), EventKind::Listening { .. }));
///
/// // The socket closes while the monitor lives: its last events arrive.
/// drop(server);
/// let event = monitor.next_event(timeout)?.expect("an event");
/// assert!(matches!(event.kind(), EventKind::Closed { .. }));
/// assert!(monitor.next_event(timeout)?.is_none()); // monitoring ended
/// # Ok::<(), zmq4::Error>(())
/// ```
pub struct Monitor<'ctx> {
    /// `Some` until the monitor is dropped.
    pair: Option<Socket<'ctx>>,
    endpoint: String,
    /// The events the caller asked for (MONITOR_STOPPED is always asked
    /// for libzmq, to know when monitoring ended).
    wanted: MonitorEvents,
    /// Set when the monitor is dropped, for the socket to stop monitoring.
    dropped: Arc<AtomicBool>,
    /// No event follows (MONITOR_STOPPED was read, or the context ended).
    finished: bool,
    /// The receive timeout last set on `pair`, to set it only on change.
    timeout: Option<Option<Duration>>,
    parts: Vec<Message>,
}

impl fmt::Debug for Monitor<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Monitor")
            .field("endpoint", &self.endpoint)
            .field("events", &self.wanted)
            .field("finished", &self.finished)
            .finish()
    }
}

impl<'ctx> Socket<'ctx> {
    /// Starts monitoring this socket for `events`, on an `inproc://`
    /// endpoint of its own.
    ///
    /// A socket has at most one monitor: starting another one ends this
    /// one (it reads [`EventKind::MonitorStopped`] if it asked for it, and
    /// nothing more).
    #[doc(alias = "zmq_socket_monitor")]
    #[doc(alias = "zmq_socket_monitor_versioned")]
    pub fn monitor(&self, events: MonitorEvents) -> Result<Monitor<'ctx>> {
        Monitor::start(self, crate::endpoint::private_inproc("monitor"), events)
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
    pub fn monitor_on(&self, endpoint: &str, events: MonitorEvents) -> Result<Monitor<'ctx>> {
        Monitor::start(self, endpoint.to_owned(), events)
    }

    /// Stops monitoring this socket (`zmq_socket_monitor` with no
    /// endpoint): its monitor then reads the events already sent, and
    /// [`EventKind::MonitorStopped`] if it asked for it, and then nothing.
    /// Does nothing when the socket is not monitored.
    #[doc(alias = "zmq_socket_monitor")]
    pub fn stop_monitor(&self) -> Result<()> {
        self.extras.get_mut(|e| e.monitor = None);
        Ok(self.raw.monitor(None, 0)?)
    }

    /// Stops the monitoring whose monitor was dropped, so that libzmq
    /// stops writing events nobody reads. Called by the operations that
    /// change a socket's connections.
    #[inline]
    pub(crate) fn reap_monitor(&self) {
        let abandoned = self
            .extras
            .get(|e| {
                e.monitor
                    .as_ref()
                    .is_some_and(|d| d.load(Ordering::Acquire))
            })
            .unwrap_or(false);
        if abandoned {
            let _ = self.stop_monitor();
        }
    }
}

impl<'ctx> Monitor<'ctx> {
    fn start(
        monitored: &Socket<'ctx>,
        endpoint: String,
        events: MonitorEvents,
    ) -> Result<Monitor<'ctx>> {
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
        sweep_parked(monitored.context());
        let pair = Socket::new(monitored.ctx_ref(), SocketType::Pair)?;
        pair.set_linger(Some(Duration::ZERO))?;
        // No high-water mark: libzmq's sending side blocks when the queue
        // is full, and it sends from its I/O threads.
        pair.set_rcvhwm(None)?;
        // Connect before libzmq binds (inproc allows it), so that its
        // socket has a peer from the first event on and never blocks.
        pair.connect(&endpoint)?;
        let dropped = Arc::new(AtomicBool::new(false));
        enable(
            monitored,
            &c_endpoint,
            events | MonitorEvents::MONITOR_STOPPED,
        )
        .map_err(|err| err.with_detail(format!("monitor on {endpoint:?}")))?;
        monitored
            .extras
            .get_mut(|e| e.monitor = Some(Arc::clone(&dropped)));
        Ok(Monitor {
            pair: Some(pair),
            endpoint,
            wanted: events,
            dropped,
            finished: false,
            timeout: None,
            parts: Vec::new(),
        })
    }

    /// The `inproc://` endpoint the events travel on.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The PAIR socket that receives the event messages, for polling it
    /// together with other sockets. Read events with
    /// [`next_event`](Monitor::next_event), not from this socket.
    pub fn socket(&self) -> &Socket<'ctx> {
        match &self.pair {
            Some(pair) => pair,
            // Only `drop` takes it.
            None => unreachable!("a monitor's socket is taken only when it is dropped"),
        }
    }

    /// The event format in use: 1 without the `draft` feature, 2 with it.
    pub fn format(&self) -> u8 {
        FORMAT
    }

    /// Whether monitoring has ended and every event was read (after
    /// [`EventKind::MonitorStopped`]).
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Waits at most `timeout` (`None`: without limit) for the next event.
    ///
    /// `Ok(None)` when none came in time, and once monitoring has ended
    /// and its last events were read (see [`Monitor`]). An event whose
    /// frames are malformed is an error of kind
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument); the next call reads the next event.
    pub fn next_event(&mut self, timeout: Option<Duration>) -> Result<Option<MonitorEvent>> {
        if self.finished {
            return Ok(None);
        }
        let Some(event) = self.receive(timeout)? else {
            return Ok(None);
        };
        if event.kind() == EventKind::MonitorStopped {
            self.finished = true;
            if !self.wanted.contains(MonitorEvents::MONITOR_STOPPED) {
                return Ok(None);
            }
        }
        Ok(Some(event))
    }

    fn receive(&mut self, timeout: Option<Duration>) -> Result<Option<MonitorEvent>> {
        // Longer than a C int of milliseconds is as good as forever.
        let timeout = timeout
            .filter(|&t| crate::time::ceil_units::<c_int>(t, Duration::from_millis(1)).is_some());
        let Some(pair) = &self.pair else {
            return Ok(None);
        };
        if self.timeout != Some(timeout) {
            pair.set_rcvtimeo(timeout)?;
            self.timeout = Some(timeout);
        }
        // Cleared before, not after: a receive that fails part-way must not
        // leave frames in front of the next event's.
        self.parts.clear();
        match pair.recv_multipart_into(&mut self.parts, RecvFlags::empty()) {
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
        Ok(Some(event))
    }
}

fn enable(monitored: &Socket<'_>, endpoint: &CString, events: MonitorEvents) -> Result<()> {
    monitored.reap_monitor();
    #[cfg(not(feature = "draft"))]
    let result = monitored
        .raw
        .monitor(Some(endpoint), c_int::try_from(events.bits()).unwrap_or(-1));
    #[cfg(feature = "draft")]
    let result = monitored.raw.monitor_versioned(
        Some(endpoint),
        events.bits(),
        c_int::from(FORMAT),
        ffi::ZMQ_PAIR,
    );
    Ok(result?)
}

/// Whether a monitor's receiving socket has been sent MONITOR_STOPPED:
/// reads (and drops) what it holds, without waiting.
fn received_stop(pair: &RawSocket) -> bool {
    let mut msg = RawMessage::new();
    loop {
        if pair.msg_recv(&mut msg, ffi::ZMQ_DONTWAIT) == -1 {
            // EAGAIN: nothing more for now; ETERM: the context is ending,
            // and nothing will be sent any more.
            return Error::last().is_terminated();
        }
        let stopped = event_number(msg.as_bytes()) == Some(ffi::ZMQ_EVENT_MONITOR_STOPPED as u64);
        // Skip the rest of the event.
        while msg.more() {
            if pair.msg_recv(&mut msg, ffi::ZMQ_DONTWAIT) == -1 {
                return Error::last().is_terminated();
            }
        }
        if stopped {
            return true;
        }
    }
}

/// The event number in the first frame of an event, in this build's format.
fn event_number(frame: &[u8]) -> Option<u64> {
    if FORMAT == 2 {
        Some(u64::from_ne_bytes(frame.try_into().ok()?))
    } else {
        let id: [u8; 2] = frame.get(..2)?.try_into().ok()?;
        Some(u64::from(u16::from_ne_bytes(id)))
    }
}

/// Closes the parked receiving sockets that libzmq no longer writes to.
fn sweep_parked(ctx: &crate::context::Context) {
    ctx.parked().retain(|pair| !received_stop(pair));
}

impl Drop for Monitor<'_> {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::Release);
        let Some(pair) = self.pair.take() else {
            return;
        };
        if self.finished {
            // libzmq has closed its end: nothing more is written here.
            return;
        }
        // Still monitored (or its last events still on their way): libzmq
        // would block, in whatever thread sends the next event, on a
        // receiving socket that is gone. Keep it open in the context until
        // MONITOR_STOPPED reaches it.
        let ctx = pair.context().clone();
        if let Some(raw) = pair.into_raw_socket() {
            let mut parked = ctx.parked();
            parked.retain(|pair| !received_stop(pair));
            if !received_stop(&raw) {
                parked.push(raw);
            }
        }
    }
}

impl Iterator for Monitor<'_> {
    type Item = Result<MonitorEvent>;

    /// Blocks until the next event. Ends once monitoring has ended and its
    /// last events were read, and after the error that the context was
    /// terminated.
    fn next(&mut self) -> Option<Self::Item> {
        self.next_event(None).transpose()
    }
}
