//! [`Poller`]: a set of sockets and OS handles, each with a token of the
//! caller's choice, polled again and again.

use std::iter::FusedIterator;
use std::os::raw::c_long;
use std::time::Duration;

use super::{sleep_instead, timeout_ms, to_zmq_fd, RawFd};
use crate::error::{Error, ErrorKind, Result};
use crate::raw::RawSocket;
use crate::socket::{PollEvents, Socket};
use crate::sys::ffi;

// Both backends keep their state entry by entry, in the order of
// `Poller::entries`; `modify` and `remove` are given the index of an entry
// the poller has just found, so it is always in range. `wait` returns how
// many entries fired, and `fired` then yields that many entries' tokens
// with their events, in entry order: read from the items of `zmq_poll`
// themselves, or from what `zmq_poller_wait_all` wrote, sorted.
#[cfg(feature = "draft")]
#[path = "native.rs"]
mod backend;
#[cfg(not(feature = "draft"))]
#[path = "items.rs"]
mod backend;

/// What an entry waits on.
#[derive(Clone, Copy)]
enum Target<'s> {
    Socket(&'s RawSocket),
    Fd(ffi::zmq_fd_t),
}

impl Target<'_> {
    fn key(self) -> Key {
        match self {
            Target::Socket(s) => Key::Socket(s.as_ptr().addr()),
            Target::Fd(fd) => Key::Fd(fd),
        }
    }
}

/// How an entry is found again: a socket by its address (only compared,
/// never followed), an OS handle by its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Socket(usize),
    Fd(ffi::zmq_fd_t),
}

impl Key {
    fn describe(self) -> String {
        match self {
            Key::Socket(p) => format!("socket {p:#x}"),
            Key::Fd(fd) => format!("OS handle {fd}"),
        }
    }
}

struct Entry<T> {
    key: Key,
    token: T,
}

/// A set of ZeroMQ sockets and OS handles to wait on, each registered with
/// the events it waits for and a token of the caller's choice, which
/// [`poll`](Poller::poll) hands back for every entry that is ready.
///
/// It is what pebbe/zmq4's `Poller` (`Add`, `Update`, `Remove`, `Poll`) and
/// pyzmq's `Poller` (`register`, `modify`, `unregister`, `poll`) are; the
/// token plays the part of their socket values. A token can be anything: an
/// enum naming each socket, an index, or the `&Socket` itself.
///
/// Rules, the same whichever libzmq function is underneath:
/// - A socket or handle can be added once: adding it again is an
///   [`ErrorKind::InvalidArgument`] error (use [`update`](Poller::update)).
/// - [`update`](Poller::update) and [`remove`](Poller::remove) of a socket or
///   handle that is not in the poller are [`ErrorKind::NotFound`] errors.
/// - Each poll reports the ready entries in the order they were added.
/// - A socket stays borrowed while it is in the poller (`'a`), so it cannot
///   be closed or dropped under it, nor while the poller itself exists
///   (libzmq's poller reads its sockets when it is destroyed).
///
/// With feature `draft` it is built on libzmq's `zmq_poller_*` functions,
/// otherwise on `zmq_poll`; both reuse their buffers, so a poll allocates
/// nothing.
///
/// ```
/// use std::time::Duration;
/// use zmq4::{PollEvents, Poller, SendFlags, SocketType};
///
/// #[derive(Debug, Clone, Copy, PartialEq)]
/// enum Source { Jobs, Control }
///
/// let ctx = zmq4::Context::new()?;
/// let jobs = ctx.socket(SocketType::Pull)?;
/// jobs.bind("inproc://poller-doc-jobs")?;
/// let control = ctx.socket(SocketType::Sub)?;
/// control.bind("inproc://poller-doc-control")?;
///
/// let mut poller = Poller::new();
/// poller.add(&jobs, PollEvents::POLLIN, Source::Jobs)?;
/// poller.add(&control, PollEvents::POLLIN, Source::Control)?;
///
/// let push = ctx.socket(SocketType::Push)?;
/// push.connect("inproc://poller-doc-jobs")?;
/// push.send("job 1", SendFlags::empty())?;
///
/// let ready: Vec<_> = poller.poll(Some(Duration::from_secs(5)))?.collect();
/// assert_eq!(ready, [(&Source::Jobs, PollEvents::POLLIN)]);
///
/// // No longer interested in jobs: nothing is ready any more.
/// poller.remove(&jobs)?;
/// assert_eq!(poller.poll(Some(Duration::ZERO))?.len(), 0);
/// # Ok::<(), zmq4::Error>(())
/// ```
pub struct Poller<'a, T> {
    /// In the order they were added.
    entries: Vec<Entry<T>>,
    backend: backend::Backend<'a>,
    /// Whether a socket added so far belongs to a context that retries
    /// calls interrupted by a signal.
    retry_eintr: bool,
}

/// Dropping a poller destroys libzmq's, which reads every socket still in
/// it: this `Drop` makes the compiler keep the borrowed sockets alive until
/// then, whichever backend is underneath.
impl<T> Drop for Poller<'_, T> {
    fn drop(&mut self) {}
}

impl<T> Default for Poller<'_, T> {
    fn default() -> Self {
        Poller::new()
    }
}

impl<T> std::fmt::Debug for Poller<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poller")
            .field("len", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl<'a, T> Poller<'a, T> {
    /// An empty poller. It allocates nothing until something is added.
    pub fn new() -> Self {
        Poller {
            entries: Vec::new(),
            backend: backend::Backend::new(),
            retry_eintr: false,
        }
    }

    /// How many sockets and handles are in the poller.
    #[doc(alias = "zmq_poller_size")]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the poller is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds a socket that the poller waits on for `events`, with the token
    /// that [`poll`](Poller::poll) reports it by. Adding a socket that is
    /// already in the poller is an [`ErrorKind::InvalidArgument`] error.
    #[doc(alias = "zmq_poller_add", alias = "register", alias = "Add")]
    pub fn add(&mut self, socket: &'a Socket<'_>, events: PollEvents, token: T) -> Result<()> {
        self.insert(Target::Socket(&socket.raw), events, token)?;
        self.retry_eintr |= socket.retries_on_interrupt();
        Ok(())
    }

    /// Adds an OS handle (a file descriptor on Unix, a `SOCKET` on
    /// Windows), as [`add`](Poller::add) does a socket. The handle is not
    /// borrowed: remove it before closing it.
    #[doc(alias = "zmq_poller_add_fd")]
    pub fn add_fd(&mut self, fd: RawFd, events: PollEvents, token: T) -> Result<()> {
        self.insert(Target::Fd(to_zmq_fd(fd)), events, token)
    }

    /// Changes the events the poller waits for on a socket. A socket that is
    /// not in the poller is an [`ErrorKind::NotFound`] error.
    #[doc(alias = "zmq_poller_modify", alias = "modify", alias = "Update")]
    pub fn update(&mut self, socket: &Socket<'_>, events: PollEvents) -> Result<()> {
        self.modify(Target::Socket(&socket.raw), events)
    }

    /// Changes the events the poller waits for on an OS handle, as
    /// [`update`](Poller::update) does for a socket.
    #[doc(alias = "zmq_poller_modify_fd")]
    pub fn update_fd(&mut self, fd: RawFd, events: PollEvents) -> Result<()> {
        self.modify(Target::Fd(to_zmq_fd(fd)), events)
    }

    /// Removes a socket from the poller and returns its token. A socket that
    /// is not in the poller is an [`ErrorKind::NotFound`] error.
    #[doc(alias = "zmq_poller_remove", alias = "unregister", alias = "Remove")]
    pub fn remove(&mut self, socket: &Socket<'_>) -> Result<T> {
        self.delete(Target::Socket(&socket.raw))
    }

    /// Removes an OS handle from the poller and returns its token, as
    /// [`remove`](Poller::remove) does for a socket.
    #[doc(alias = "zmq_poller_remove_fd")]
    pub fn remove_fd(&mut self, fd: RawFd) -> Result<T> {
        self.delete(Target::Fd(to_zmq_fd(fd)))
    }

    /// Waits until at least one entry is ready or the timeout expires, and
    /// returns the ready entries' tokens with the events that occurred, in
    /// the order the entries were added (none on timeout).
    ///
    /// `timeout` works as for [`poll`](crate::poll()): `None` waits for ever,
    /// durations are rounded up to whole milliseconds, and an empty poller
    /// sleeps for the timeout (without one, it is an
    /// [`ErrorKind::InvalidArgument`] error). A signal makes it fail with
    /// [`ErrorKind::Interrupted`], unless a socket in the poller belongs to
    /// a context that retries interrupted calls
    /// ([`ContextBuilder::retry_on_interrupt`](crate::ContextBuilder::retry_on_interrupt)):
    /// then the wait goes on for what is left of the timeout, counted from
    /// the first interruption.
    #[doc(alias = "zmq_poller_wait_all", alias = "zmq_poll", alias = "Poll")]
    #[inline]
    pub fn poll(&mut self, timeout: Option<Duration>) -> Result<Ready<'_, T>> {
        let timeout_ms = timeout_ms(timeout)?;
        let fired = if self.entries.is_empty() {
            sleep_instead(timeout)?
        } else {
            match self.backend.wait(timeout_ms) {
                Ok(fired) => fired,
                Err(err) => self.wait_after_error(err, timeout_ms)?,
            }
        };
        Ok(Ready {
            fired: self.backend.fired(&self.entries, fired),
        })
    }

    /// What follows a wait that failed: the error, or the wait again for
    /// what is left of its time when a signal interrupted it and a socket's
    /// context retries. Out of line, so that a poll keeps to its few
    /// instructions around libzmq's call.
    #[cold]
    #[inline(never)]
    fn wait_after_error(&mut self, mut err: Error, timeout_ms: c_long) -> Result<usize> {
        let mut deadline = None;
        while err.kind() == ErrorKind::Interrupted && self.retry_eintr {
            // The retried wait keeps its length; once it is spent, nothing
            // fired, as on a timeout.
            let Some(left) = super::left_after_interruption(&mut deadline, timeout_ms) else {
                return Ok(0);
            };
            match self.backend.wait(left) {
                Ok(fired) => return Ok(fired),
                Err(again) => err = again,
            }
        }
        Err(err)
    }

    fn position(&self, key: Key) -> Option<usize> {
        self.entries.iter().position(|e| e.key == key)
    }

    fn insert(&mut self, target: Target<'a>, events: PollEvents, token: T) -> Result<()> {
        let key = target.key();
        if self.position(key).is_some() {
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                format!("{} is already in the poller", key.describe()),
            ));
        }
        self.entries.reserve(1);
        self.backend.add(target, events)?;
        self.entries.push(Entry { key, token });
        Ok(())
    }

    fn modify(&mut self, target: Target<'_>, events: PollEvents) -> Result<()> {
        let index = self.find(target.key())?;
        self.backend.modify(index, target, events)
    }

    fn delete(&mut self, target: Target<'_>) -> Result<T> {
        let index = self.find(target.key())?;
        self.backend.remove(index, target)?;
        Ok(self.entries.remove(index).token)
    }

    fn find(&self, key: Key) -> Result<usize> {
        self.position(key).ok_or_else(|| {
            Error::invalid(
                ErrorKind::NotFound,
                format!("{} is not in the poller", key.describe()),
            )
        })
    }
}

/// The entries that a [`Poller::poll`] found ready: each one's token and
/// the events that occurred, in the order the entries were added.
#[derive(Debug)]
pub struct Ready<'p, T> {
    fired: backend::Fired<'p, T>,
}

impl<T> std::fmt::Debug for Entry<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl<'p, T> Iterator for Ready<'p, T> {
    type Item = (&'p T, PollEvents);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.fired.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.fired.size_hint()
    }
}

impl<T> ExactSizeIterator for Ready<'_, T> {}

impl<T> FusedIterator for Ready<'_, T> {}
