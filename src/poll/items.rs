//! The [`Poller`](super::Poller) on `zmq_poll`: an array of poll items kept
//! beside the entries, index for index.

use std::os::raw::c_long;
use std::ptr;

use super::Target;
use crate::error::Result;
use crate::socket::PollEvents;
use crate::sys::{self, ffi};

pub(super) struct Backend {
    /// One per entry, in the same order. A socket pointer in it is live:
    /// the poller borrows every socket it holds.
    items: Vec<ffi::zmq_pollitem_t>,
}

impl Backend {
    pub(super) fn new() -> Backend {
        Backend { items: Vec::new() }
    }

    pub(super) fn add(&mut self, target: Target, events: PollEvents) -> Result<()> {
        let (socket, fd) = match target {
            Target::Socket(p) => (p, 0),
            Target::Fd(fd) => (ptr::null_mut(), fd),
        };
        self.items.push(ffi::zmq_pollitem_t {
            socket,
            fd,
            events: events.bits(),
            revents: 0,
        });
        Ok(())
    }

    pub(super) fn modify(&mut self, index: usize, _: Target, events: PollEvents) -> Result<()> {
        self.items[index].events = events.bits();
        Ok(())
    }

    pub(super) fn remove(&mut self, index: usize, _: Target) -> Result<()> {
        self.items.remove(index);
        Ok(())
    }

    pub(super) fn wait(
        &mut self,
        timeout_ms: c_long,
        fired: &mut Vec<(usize, PollEvents)>,
    ) -> Result<()> {
        let n = crate::poll::item_count(self.items.len())?;
        // SAFETY: `items` holds `n` initialised poll items whose sockets are
        // live (borrowed by the poller); libzmq writes only their `revents`.
        let rc = unsafe { ffi::zmq_poll(self.items.as_mut_ptr(), n, timeout_ms) };
        let ready = sys::cvt(rc)?;
        if ready > 0 {
            fired.extend(
                self.items
                    .iter()
                    .enumerate()
                    .filter(|(_, item)| item.revents != 0)
                    .map(|(i, item)| (i, PollEvents::from_bits_retain(item.revents))),
            );
        }
        Ok(())
    }
}
