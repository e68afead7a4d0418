//! Waiting for several sockets at once: [`poll`] over a slice of
//! [`PollItem`]s, the [`Poller`] set, and [`Socket::poll`] for one socket.

use std::fmt;
use std::os::raw::{c_int, c_long};
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::socket::{PollEvents, Socket};
use crate::sys::ffi;

mod poller;

pub use poller::{Poller, Ready};

/// An OS handle that [`poll`] and [`Poller`] can wait on besides ZeroMQ
/// sockets: a file descriptor on Unix.
#[cfg(unix)]
pub type RawFd = std::os::unix::io::RawFd;
/// An OS handle that [`poll`] and [`Poller`] can wait on besides ZeroMQ
/// sockets: a `SOCKET` on Windows (only sockets can be polled there).
#[cfg(windows)]
pub type RawFd = std::os::windows::io::RawSocket;

/// Converts an OS handle to libzmq's `zmq_fd_t`.
#[cfg(unix)]
fn to_zmq_fd(fd: RawFd) -> ffi::zmq_fd_t {
    fd
}

/// Converts an OS handle to libzmq's `zmq_fd_t`.
#[cfg(windows)]
fn to_zmq_fd(fd: RawFd) -> ffi::zmq_fd_t {
    // A SOCKET is pointer-sized, so on 32-bit Windows every handle the OS
    // hands out fits in the 32-bit `zmq_fd_t`.
    fd as ffi::zmq_fd_t
}

pub use crate::raw::PollItem;

impl<'a> PollItem<'a> {
    /// An item that waits for `events` on a ZeroMQ socket.
    #[inline]
    pub fn from_socket(socket: &'a Socket<'_>, events: PollEvents) -> PollItem<'a> {
        PollItem::from_raw_socket(&socket.raw, events.bits())
    }

    /// An item that waits for `events` on an OS handle (a file descriptor
    /// on Unix, a `SOCKET` on Windows), such as a `std::net` socket's.
    ///
    /// A handle that is not open makes the poll report
    /// [`PollEvents::POLLERR`] for it (or fail). One that another thread
    /// closes while a poll waits does not wake that poll: the poll reports
    /// it only once something else wakes it, or at its timeout, so a poll
    /// without a timeout may wait for ever. Neither is unsafe, but the
    /// number may meanwhile name a file opened since: take a handle out of
    /// the poll before closing it.
    pub fn from_fd(fd: RawFd, events: PollEvents) -> PollItem<'a> {
        PollItem::from_os_handle(to_zmq_fd(fd), events.bits())
    }

    /// The events this item waits for.
    #[inline]
    pub fn events(&self) -> PollEvents {
        PollEvents::from_bits_retain(self.events_raw())
    }

    /// Changes the events this item waits for (to reuse a slice of items
    /// from one poll to the next).
    #[inline]
    pub fn set_events(&mut self, events: PollEvents) {
        self.set_events_raw(events.bits());
    }

    /// The events that occurred in the last [`poll`] (empty before the
    /// first one).
    #[inline]
    pub fn revents(&self) -> PollEvents {
        PollEvents::from_bits_retain(self.revents_raw())
    }

    /// Whether the last [`poll`] found a message to receive (or data to
    /// read on an OS handle).
    #[inline]
    pub fn is_readable(&self) -> bool {
        self.revents().contains(PollEvents::POLLIN)
    }

    /// Whether the last [`poll`] found that a message can be sent (or
    /// data written on an OS handle).
    #[inline]
    pub fn is_writable(&self) -> bool {
        self.revents().contains(PollEvents::POLLOUT)
    }

    /// Whether the last [`poll`] reported an error condition (only ever
    /// for an OS handle).
    #[inline]
    pub fn is_error(&self) -> bool {
        self.revents().contains(PollEvents::POLLERR)
    }

    /// Whether this item is for `socket`.
    #[inline]
    pub fn is_socket(&self, socket: &Socket<'_>) -> bool {
        self.polls_socket(&socket.raw)
    }

    /// The OS handle of an item made with [`from_fd`](PollItem::from_fd).
    pub fn fd(&self) -> Option<RawFd> {
        // Widening back what `to_zmq_fd` narrowed (a no-op on Unix).
        #[allow(clippy::useless_conversion)]
        self.os_handle().map(RawFd::from)
    }
}

impl fmt::Debug for PollItem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("PollItem");
        match self.fd() {
            Some(fd) => d.field("fd", &fd),
            None => d.field("socket", &self.socket_addr()),
        };
        d.field("events", &self.events())
            .field("revents", &self.revents())
            .finish()
    }
}

/// Waits until at least one item is ready or the timeout expires, and
/// returns how many items are ready; each item's
/// [`revents`](PollItem::revents) tells what happened to it.
///
/// `timeout`: `None` waits for ever, `Some(Duration::ZERO)` only looks;
/// other durations are rounded up to whole milliseconds. A timeout too large
/// for libzmq (more than `c_long::MAX` milliseconds) is an
/// [`ErrorKind::InvalidArgument`] error. With no items the call sleeps for
/// the timeout and returns 0 (with no items and no timeout it would never
/// return: that is an [`ErrorKind::InvalidArgument`] error).
///
/// A signal that interrupts the wait makes it fail with
/// [`ErrorKind::Interrupted`]; a socket whose context was terminated, with
/// [`ErrorKind::Terminated`].
///
/// ```
/// use std::time::Duration;
/// use zmq4::{PollEvents, PollItem, SendFlags, SocketType};
///
/// let ctx = zmq4::Context::new()?;
/// let (a, b) = (ctx.socket(SocketType::Pull)?, ctx.socket(SocketType::Pull)?);
/// a.bind("inproc://poll-doc-a")?;
/// b.bind("inproc://poll-doc-b")?;
/// let push = ctx.socket(SocketType::Push)?;
/// push.connect("inproc://poll-doc-b")?;
/// push.send("hello", SendFlags::empty())?;
///
/// let mut items = [
///     PollItem::from_socket(&a, PollEvents::POLLIN),
///     PollItem::from_socket(&b, PollEvents::POLLIN),
/// ];
/// let ready = zmq4::poll(&mut items, Some(Duration::from_secs(5)))?;
/// assert_eq!(ready, 1);
/// assert!(!items[0].is_readable());
/// assert!(items[1].is_readable());
/// # Ok::<(), zmq4::Error>(())
/// ```
#[doc(alias = "zmq_poll")]
#[inline]
pub fn poll(items: &mut [PollItem<'_>], timeout: Option<Duration>) -> Result<usize> {
    let timeout_ms = timeout_ms(timeout)?;
    if items.is_empty() {
        return sleep_instead(timeout);
    }
    item_count(items.len())?;
    match crate::raw::poll(items, timeout_ms) {
        -1 => Err(Error::last()),
        ready => Ok(ready as usize),
    }
}

// The checks below run on every poll: each is a comparison inlined into
// the caller, and the error it may build is out of line, so that a poll
// that passes them costs no more than the `zmq_poll` call.

/// The item count that `zmq_poll` and `zmq_poller_wait_all` take.
#[inline]
pub(crate) fn item_count(len: usize) -> Result<c_int> {
    c_int::try_from(len).map_err(|_| too_many_items(len))
}

#[cold]
#[inline(never)]
fn too_many_items(len: usize) -> Error {
    Error::invalid(
        ErrorKind::InvalidArgument,
        format!("too many poll items ({len})"),
    )
}

/// Turns a poll timeout into libzmq's milliseconds: -1 for none, durations
/// rounded up; too large is an error.
#[inline]
pub(crate) fn timeout_ms(timeout: Option<Duration>) -> Result<c_long> {
    let Some(timeout) = timeout else {
        return Ok(-1);
    };
    crate::time::ceil_units(timeout, Duration::from_millis(1))
        .ok_or_else(|| timeout_too_large(timeout))
}

#[cold]
#[inline(never)]
fn timeout_too_large(timeout: Duration) -> Error {
    Error::invalid(
        ErrorKind::InvalidArgument,
        format!(
            "poll timeout {timeout:?} is too large (at most {} ms)",
            c_long::MAX
        ),
    )
}

/// [`left_after_interruption`](crate::socket::left_after_interruption)
/// for a poll's timeout (a C `long`: 64 bits on Unix, 32 on Windows).
#[allow(clippy::useless_conversion)]
pub(crate) fn left_after_interruption(
    deadline: &mut Option<std::time::Instant>,
    timeout_ms: c_long,
) -> Option<c_long> {
    crate::socket::left_after_interruption(deadline, i64::from(timeout_ms))
        .map(|left| c_long::try_from(left).unwrap_or(c_long::MAX))
}

/// What a poll over nothing does: sleep for the timeout (libzmq would
/// overflow its sleep for very long ones, or sleep for ever without one).
#[cold]
pub(crate) fn sleep_instead(timeout: Option<Duration>) -> Result<usize> {
    match timeout {
        Some(timeout) => {
            std::thread::sleep(timeout);
            Ok(0)
        }
        None => Err(Error::invalid(
            ErrorKind::InvalidArgument,
            "nothing to poll and no timeout: the call would never return",
        )),
    }
}

impl Socket<'_> {
    /// Waits until one of `events` is possible on this socket, or the
    /// timeout expires; returns the events that are (empty on timeout).
    ///
    /// `timeout` works as for [`poll`]: `None` waits for ever, durations are
    /// rounded up to whole milliseconds.
    ///
    /// ```
    /// use std::time::Duration;
    /// use zmq4::{PollEvents, SendFlags, SocketType};
    ///
    /// let ctx = zmq4::Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://socket-poll-doc")?;
    /// let wait = Some(Duration::from_millis(10));
    /// assert_eq!(pull.poll(PollEvents::POLLIN, wait)?, PollEvents::empty());
    ///
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://socket-poll-doc")?;
    /// push.send("hello", SendFlags::empty())?;
    /// let ready = pull.poll(PollEvents::POLLIN, Some(Duration::from_secs(5)))?;
    /// assert_eq!(ready, PollEvents::POLLIN);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_poll")]
    #[inline]
    pub fn poll(&self, events: PollEvents, timeout: Option<Duration>) -> Result<PollEvents> {
        let timeout_ms = timeout_ms(timeout)?;
        let mut item = [PollItem::from_socket(self, events)];
        if crate::raw::poll(&mut item, timeout_ms) == -1 {
            return self.poll_after_error(&mut item, timeout_ms);
        }
        Ok(item[0].revents())
    }

    /// What follows a [`poll`](Socket::poll) that failed: the error, or
    /// the poll again, for what is left of its time, when a signal
    /// interrupted it and the context retries.
    #[cold]
    #[inline(never)]
    fn poll_after_error(
        &self,
        item: &mut [PollItem<'_>; 1],
        timeout_ms: c_long,
    ) -> Result<PollEvents> {
        let mut deadline = None;
        loop {
            // The context's choice on interrupted calls applies (which the
            // free `poll` cannot know); a retried wait keeps its length.
            let err = Error::last();
            if err.kind() != ErrorKind::Interrupted || !self.retries_on_interrupt() {
                return Err(err);
            }
            match left_after_interruption(&mut deadline, timeout_ms) {
                Some(left) => {
                    if crate::raw::poll(item, left) != -1 {
                        return Ok(item[0].revents());
                    }
                }
                None => return Ok(PollEvents::empty()),
            }
        }
    }
}
