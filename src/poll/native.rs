//! The [`Poller`](super::Poller) on libzmq's DRAFT `zmq_poller_*`
//! functions. Each entry is registered with a unique, increasing id as its
//! user data; since entries stay in the order they were added, the ids
//! beside them are sorted and an event finds its entry by binary search.

use std::os::raw::{c_long, c_void};
use std::ptr::{self, NonNull};

use super::Target;
use crate::error::{ErrorKind, Result};
use crate::socket::PollEvents;
use crate::sys::{self, ffi};

pub(super) struct Backend {
    /// Made on the first `add`, so that an unused poller costs nothing.
    handle: Option<NonNull<c_void>>,
    /// The id of each entry, in entry order (hence increasing).
    ids: Vec<usize>,
    next_id: usize,
    /// Where `zmq_poller_wait_all` writes, one slot per entry.
    events: Vec<ffi::zmq_poller_event_t>,
}

const NO_EVENT: ffi::zmq_poller_event_t = ffi::zmq_poller_event_t {
    socket: ptr::null_mut(),
    fd: 0,
    user_data: ptr::null_mut(),
    events: 0,
};

impl Backend {
    pub(super) fn new() -> Backend {
        Backend {
            handle: None,
            ids: Vec::new(),
            next_id: 0,
            events: Vec::new(),
        }
    }

    fn handle(&mut self) -> Result<*mut c_void> {
        if let Some(handle) = self.handle {
            return Ok(handle.as_ptr());
        }
        // SAFETY: zmq_poller_new takes nothing and returns a new poller or
        // null (with errno set), which cvt_p turns into an error.
        let handle = sys::cvt_p(unsafe { ffi::zmq_poller_new() })?;
        self.handle = Some(handle);
        Ok(handle.as_ptr())
    }

    pub(super) fn add(&mut self, target: Target, events: PollEvents) -> Result<()> {
        let handle = self.handle()?;
        let id = self.next_id;
        let user_data = ptr::without_provenance_mut::<c_void>(id);
        self.ids.reserve(1);
        self.events.reserve(1);
        // SAFETY: `handle` is a live poller; a socket pointer comes from a
        // socket the poller borrows, so it stays live while registered; the
        // user data is an integer that libzmq only hands back.
        let rc = unsafe {
            match target {
                Target::Socket(s) => ffi::zmq_poller_add(handle, s, user_data, events.bits()),
                Target::Fd(fd) => ffi::zmq_poller_add_fd(handle, fd, user_data, events.bits()),
            }
        };
        sys::cvt(rc)?;
        self.next_id += 1;
        self.ids.push(id);
        self.events.push(NO_EVENT);
        Ok(())
    }

    pub(super) fn modify(&mut self, _: usize, target: Target, events: PollEvents) -> Result<()> {
        let handle = self.handle()?;
        // SAFETY: `handle` is a live poller and the target is registered in
        // it (the poller checked), so its socket is live.
        let rc = unsafe {
            match target {
                Target::Socket(s) => ffi::zmq_poller_modify(handle, s, events.bits()),
                Target::Fd(fd) => ffi::zmq_poller_modify_fd(handle, fd, events.bits()),
            }
        };
        sys::cvt(rc).map(drop)
    }

    pub(super) fn remove(&mut self, index: usize, target: Target) -> Result<()> {
        let handle = self.handle()?;
        // SAFETY: as for `modify`.
        let rc = unsafe {
            match target {
                Target::Socket(s) => ffi::zmq_poller_remove(handle, s),
                Target::Fd(fd) => ffi::zmq_poller_remove_fd(handle, fd),
            }
        };
        sys::cvt(rc)?;
        self.ids.remove(index);
        self.events.pop();
        Ok(())
    }

    pub(super) fn wait(
        &mut self,
        timeout_ms: c_long,
        fired: &mut Vec<(usize, PollEvents)>,
    ) -> Result<()> {
        let handle = self.handle()?;
        let n = crate::poll::item_count(self.events.len())?;
        // SAFETY: `handle` is a live poller whose registered sockets are
        // live; `events` has room for `n` events, one per registered entry,
        // and libzmq writes at most `n`.
        let rc =
            unsafe { ffi::zmq_poller_wait_all(handle, self.events.as_mut_ptr(), n, timeout_ms) };
        let ready = match sys::cvt(rc) {
            Ok(ready) => ready as usize,
            // zmq_poller_wait_all reports a timeout as EAGAIN; zmq_poll as 0.
            Err(e) if e.kind() == ErrorKind::WouldBlock => 0,
            Err(e) => return Err(e),
        };
        for event in self.events.iter().take(ready) {
            if let Ok(index) = self.ids.binary_search(&event.user_data.addr()) {
                fired.push((index, PollEvents::from_bits_retain(event.events)));
            }
        }
        fired.sort_unstable_by_key(|&(index, _)| index);
        Ok(())
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Some(handle) = self.handle {
            let mut p = handle.as_ptr();
            // SAFETY: `p` is a live poller made by zmq_poller_new, destroyed
            // once here; it frees only its own state (the sockets stay
            // open).
            unsafe { ffi::zmq_poller_destroy(&mut p) };
        }
    }
}
