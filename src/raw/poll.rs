//! Polling: `zmq_poll` items that borrow their sockets, and (DRAFT) a
//! `zmq_poller` that frees itself and outlives none of its sockets.

use std::marker::PhantomData;
#[cfg(feature = "draft")]
use std::os::raw::c_void;
use std::os::raw::{c_int, c_long, c_short};
use std::ptr;
#[cfg(feature = "draft")]
use std::ptr::NonNull;

use super::RawSocket;
use crate::sys::ffi;
#[cfg(feature = "draft")]
use crate::sys::{cvt, Errno};

/// One entry of [`poll`](crate::poll): a ZeroMQ socket or an OS handle,
/// the events wanted, and (after the call) the events that occurred.
///
/// It has exactly the layout of libzmq's `zmq_pollitem_t`, so a slice of
/// items goes to `zmq_poll` as it is, without copying. An item made from a
/// socket borrows it: no item outlives its socket.
///
/// ```
/// use zmq4::{PollEvents, PollItem, SocketType};
/// # let ctx = zmq4::Context::new()?;
/// let pull = ctx.socket(SocketType::Pull)?;
/// let item = PollItem::from_socket(&pull, PollEvents::POLLIN);
/// assert!(item.is_socket(&pull));
/// assert_eq!(item.events(), PollEvents::POLLIN);
/// assert!(!item.is_readable()); // nothing polled yet
/// # Ok::<(), zmq4::Error>(())
/// ```
#[repr(transparent)]
pub struct PollItem<'a> {
    raw: ffi::zmq_pollitem_t,
    _socket: PhantomData<&'a RawSocket>,
}

impl<'a> PollItem<'a> {
    /// An item that waits for `events` on a ZeroMQ socket.
    #[inline]
    pub(crate) fn from_raw_socket(socket: &'a RawSocket, events: c_short) -> PollItem<'a> {
        PollItem {
            raw: ffi::zmq_pollitem_t {
                socket: socket.as_ptr(),
                fd: 0,
                events,
                revents: 0,
            },
            _socket: PhantomData,
        }
    }

    /// An item that waits for `events` on an OS handle. A handle that is
    /// not open makes the poll report an error for it or fail; it is never
    /// dereferenced.
    #[inline]
    pub(crate) fn from_os_handle(fd: ffi::zmq_fd_t, events: c_short) -> PollItem<'a> {
        PollItem {
            raw: ffi::zmq_pollitem_t {
                socket: ptr::null_mut(),
                fd,
                events,
                revents: 0,
            },
            _socket: PhantomData,
        }
    }

    /// The events waited for.
    #[inline]
    pub(crate) fn events_raw(&self) -> c_short {
        self.raw.events
    }

    /// Changes the events waited for.
    #[inline]
    pub(crate) fn set_events_raw(&mut self, events: c_short) {
        self.raw.events = events;
    }

    /// The events found by the last poll.
    #[inline]
    pub(crate) fn revents_raw(&self) -> c_short {
        self.raw.revents
    }

    /// Whether this item polls `socket`.
    #[inline]
    pub(crate) fn polls_socket(&self, socket: &RawSocket) -> bool {
        self.raw.socket == socket.as_ptr()
    }

    /// The socket's address, for `Debug` only.
    pub(crate) fn socket_addr(&self) -> *mut std::os::raw::c_void {
        self.raw.socket
    }

    /// The OS handle polled, when the item is not a socket's.
    #[inline]
    pub(crate) fn os_handle(&self) -> Option<ffi::zmq_fd_t> {
        self.raw.socket.is_null().then_some(self.raw.fd)
    }
}

/// `zmq_poll` over `items`. Returns libzmq's code: the number of items
/// with events, 0 on timeout, or -1 with the errno set.
#[inline]
pub(crate) fn poll(items: &mut [PollItem<'_>], timeout_ms: c_long) -> c_int {
    let n = c_int::try_from(items.len()).unwrap_or(c_int::MAX);
    // SAFETY: PollItem is repr(transparent) over zmq_pollitem_t, so the
    // slice is an array of at least `n` valid items; each socket pointer in
    // it comes from a socket the item borrows, live for the call, and used
    // by this thread only (RawSocket is not Sync). libzmq writes only the
    // `revents` fields.
    unsafe { ffi::zmq_poll(items.as_mut_ptr().cast(), n, timeout_ms) }
}

/// A libzmq poller (`zmq_poller_new`, DRAFT), destroyed when dropped.
///
/// Destroying a poller reads every socket still registered in it (and,
/// for a thread-safe socket, writes to it), so it borrows each socket
/// for `'a`, and its `Drop` makes the compiler keep them alive until then.
#[cfg(feature = "draft")]
pub(crate) struct RawPoller<'a> {
    handle: NonNull<c_void>,
    _sockets: PhantomData<&'a RawSocket>,
}

#[cfg(feature = "draft")]
impl<'a> RawPoller<'a> {
    /// A new, empty poller.
    pub(crate) fn new() -> Result<RawPoller<'a>, Errno> {
        // SAFETY: zmq_poller_new takes nothing and returns a new poller or
        // null (with errno set).
        let handle = unsafe { ffi::zmq_poller_new() };
        let handle = NonNull::new(handle).ok_or_else(Errno::last)?;
        Ok(RawPoller {
            handle,
            _sockets: PhantomData,
        })
    }

    /// Registers `socket` for `events`, with an integer that
    /// [`wait_all`](Self::wait_all) hands back.
    pub(crate) fn add_socket(
        &mut self,
        socket: &'a RawSocket,
        user_data: usize,
        events: c_short,
    ) -> Result<(), Errno> {
        // SAFETY: the poller is live; the socket is borrowed for as long as
        // the poller exists; the user data is an integer libzmq only hands
        // back.
        cvt(unsafe {
            ffi::zmq_poller_add(
                self.handle.as_ptr(),
                socket.as_ptr(),
                ptr::without_provenance_mut(user_data),
                events,
            )
        })
        .map(drop)
    }

    /// Registers an OS handle for `events`.
    pub(crate) fn add_fd(
        &mut self,
        fd: ffi::zmq_fd_t,
        user_data: usize,
        events: c_short,
    ) -> Result<(), Errno> {
        // SAFETY: the poller is live; libzmq only polls the handle (an
        // invalid one is reported, not dereferenced).
        cvt(unsafe {
            ffi::zmq_poller_add_fd(
                self.handle.as_ptr(),
                fd,
                ptr::without_provenance_mut(user_data),
                events,
            )
        })
        .map(drop)
    }

    /// Changes the events of a registered socket (`EINVAL` if it is not).
    pub(crate) fn modify_socket(
        &mut self,
        socket: &RawSocket,
        events: c_short,
    ) -> Result<(), Errno> {
        // SAFETY: the poller is live; libzmq compares the pointer with the
        // registered ones and touches the socket only if it is one of them,
        // which are live.
        cvt(unsafe { ffi::zmq_poller_modify(self.handle.as_ptr(), socket.as_ptr(), events) })
            .map(drop)
    }

    /// Changes the events of a registered OS handle.
    pub(crate) fn modify_fd(&mut self, fd: ffi::zmq_fd_t, events: c_short) -> Result<(), Errno> {
        // SAFETY: the poller is live.
        cvt(unsafe { ffi::zmq_poller_modify_fd(self.handle.as_ptr(), fd, events) }).map(drop)
    }

    /// Unregisters a socket (`EINVAL` if it is not registered).
    pub(crate) fn remove_socket(&mut self, socket: &RawSocket) -> Result<(), Errno> {
        // SAFETY: as for `modify_socket`.
        cvt(unsafe { ffi::zmq_poller_remove(self.handle.as_ptr(), socket.as_ptr()) }).map(drop)
    }

    /// Unregisters an OS handle.
    pub(crate) fn remove_fd(&mut self, fd: ffi::zmq_fd_t) -> Result<(), Errno> {
        // SAFETY: the poller is live.
        cvt(unsafe { ffi::zmq_poller_remove_fd(self.handle.as_ptr(), fd) }).map(drop)
    }

    /// `zmq_poller_wait_all` into `events`; returns libzmq's code (the
    /// number of events written, or -1 with the errno set; a timeout is
    /// `EAGAIN`).
    pub(crate) fn wait_all(
        &mut self,
        events: &mut [ffi::zmq_poller_event_t],
        timeout_ms: c_long,
    ) -> c_int {
        let n = c_int::try_from(events.len()).unwrap_or(c_int::MAX);
        // SAFETY: the poller is live and its registered sockets too; the
        // buffer has room for `n` events and libzmq writes at most `n`.
        unsafe {
            ffi::zmq_poller_wait_all(self.handle.as_ptr(), events.as_mut_ptr(), n, timeout_ms)
        }
    }
}

#[cfg(feature = "draft")]
impl Drop for RawPoller<'_> {
    fn drop(&mut self) {
        let mut handle = self.handle.as_ptr();
        // SAFETY: the poller is live and destroyed once, here; the sockets
        // still registered are live (borrowed for 'a, which this Drop makes
        // outlive the poller).
        unsafe { ffi::zmq_poller_destroy(&mut handle) };
    }
}
