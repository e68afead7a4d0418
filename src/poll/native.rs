//! The [`Poller`](super::Poller) on libzmq's DRAFT `zmq_poller_*`
//! functions. Each entry is registered with a unique, increasing id as its
//! user data; since entries stay in the order they were added, the ids
//! beside them are sorted and an event finds its entry by binary search.

use std::os::raw::c_long;
use std::ptr;

use super::Target;
use crate::error::{Error, ErrorKind, Result};
use crate::raw::RawPoller;
use crate::socket::PollEvents;
use crate::sys::ffi;

pub(super) struct Backend<'a> {
    /// Made on the first `add`, so that an unused poller costs nothing.
    poller: Option<RawPoller<'a>>,
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

impl<'a> Backend<'a> {
    pub(super) fn new() -> Backend<'a> {
        Backend {
            poller: None,
            ids: Vec::new(),
            next_id: 0,
            events: Vec::new(),
        }
    }

    fn poller(&mut self) -> Result<&mut RawPoller<'a>> {
        match &mut self.poller {
            Some(poller) => Ok(poller),
            slot => Ok(slot.insert(RawPoller::new()?)),
        }
    }

    pub(super) fn add(&mut self, target: Target<'a>, events: PollEvents) -> Result<()> {
        let id = self.next_id;
        self.ids.reserve(1);
        self.events.reserve(1);
        let poller = self.poller()?;
        match target {
            Target::Socket(s) => poller.add_socket(s, id, events.bits())?,
            Target::Fd(fd) => poller.add_fd(fd, id, events.bits())?,
        }
        self.next_id += 1;
        self.ids.push(id);
        self.events.push(NO_EVENT);
        Ok(())
    }

    pub(super) fn modify(
        &mut self,
        _: usize,
        target: Target<'_>,
        events: PollEvents,
    ) -> Result<()> {
        let poller = self.poller()?;
        match target {
            Target::Socket(s) => poller.modify_socket(s, events.bits())?,
            Target::Fd(fd) => poller.modify_fd(fd, events.bits())?,
        }
        Ok(())
    }

    pub(super) fn remove(&mut self, index: usize, target: Target<'_>) -> Result<()> {
        let poller = self.poller()?;
        match target {
            Target::Socket(s) => poller.remove_socket(s)?,
            Target::Fd(fd) => poller.remove_fd(fd)?,
        }
        self.ids.remove(index);
        self.events.pop();
        Ok(())
    }

    pub(super) fn wait(
        &mut self,
        timeout_ms: c_long,
        fired: &mut Vec<(usize, PollEvents)>,
    ) -> Result<()> {
        crate::poll::item_count(self.events.len())?;
        let Some(poller) = self.poller.as_mut() else {
            return Ok(());
        };
        let rc = poller.wait_all(&mut self.events, timeout_ms);
        let ready = if rc == -1 {
            let err = Error::last();
            // zmq_poller_wait_all reports a timeout as EAGAIN; zmq_poll as 0.
            if err.kind() != ErrorKind::WouldBlock {
                return Err(err);
            }
            0
        } else {
            rc as usize
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
