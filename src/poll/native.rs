//! The [`Poller`](super::Poller) on libzmq's DRAFT `zmq_poller_*`
//! functions. Each entry is registered with a unique, increasing id as its
//! user data; since entries stay in the order they were added, the ids
//! beside them are sorted and an event finds its entry by binary search.

use std::iter::FusedIterator;
use std::os::raw::c_long;
use std::ptr;
use std::slice;

use super::{Entry, Target};
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
    /// What the last wait found, in entry order: (index, events).
    fired: Vec<(usize, PollEvents)>,
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
            fired: Vec::new(),
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
        self.fired.reserve(self.events.len() + 1);
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

    /// `zmq_poller_wait_all`; how many entries fired (0 on timeout).
    pub(super) fn wait(&mut self, timeout_ms: c_long) -> Result<usize> {
        self.fired.clear();
        crate::poll::item_count(self.events.len())?;
        let Some(poller) = self.poller.as_mut() else {
            return Ok(0);
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
                self.fired
                    .push((index, PollEvents::from_bits_retain(event.events)));
            }
        }
        self.fired.sort_unstable_by_key(|&(index, _)| index);
        Ok(self.fired.len())
    }

    /// The `ready` entries that the last wait found, in entry order.
    pub(super) fn fired<'p, T>(&'p self, entries: &'p [Entry<T>], ready: usize) -> Fired<'p, T> {
        Fired {
            entries,
            fired: self.fired[..ready].iter(),
        }
    }
}

/// The entries that the last wait found, by their indexes.
#[derive(Debug)]
pub(super) struct Fired<'p, T> {
    entries: &'p [Entry<T>],
    fired: slice::Iter<'p, (usize, PollEvents)>,
}

impl<'p, T> Iterator for Fired<'p, T> {
    type Item = (&'p T, PollEvents);

    fn next(&mut self) -> Option<(&'p T, PollEvents)> {
        let entries = self.entries;
        self.fired
            .find_map(|&(i, events)| Some((&entries.get(i)?.token, events)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.fired.size_hint()
    }
}

impl<T> FusedIterator for Fired<'_, T> {}
