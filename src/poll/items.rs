//! The [`Poller`](super::Poller) on `zmq_poll`: an array of poll items kept
//! beside the entries, index for index.

use std::os::raw::c_long;

use super::Target;
use crate::error::{Error, Result};
use crate::raw::PollItem;
use crate::socket::PollEvents;

pub(super) struct Backend<'a> {
    /// One per entry, in the same order; each borrows its socket.
    items: Vec<PollItem<'a>>,
}

impl<'a> Backend<'a> {
    pub(super) fn new() -> Backend<'a> {
        Backend { items: Vec::new() }
    }

    pub(super) fn add(&mut self, target: Target<'a>, events: PollEvents) -> Result<()> {
        self.items.push(match target {
            Target::Socket(s) => PollItem::from_raw_socket(s, events.bits()),
            Target::Fd(fd) => PollItem::from_os_handle(fd, events.bits()),
        });
        Ok(())
    }

    pub(super) fn modify(&mut self, index: usize, _: Target<'_>, events: PollEvents) -> Result<()> {
        self.items[index].set_events_raw(events.bits());
        Ok(())
    }

    pub(super) fn remove(&mut self, index: usize, _: Target<'_>) -> Result<()> {
        self.items.remove(index);
        Ok(())
    }

    pub(super) fn wait(
        &mut self,
        timeout_ms: c_long,
        fired: &mut Vec<(usize, PollEvents)>,
    ) -> Result<()> {
        crate::poll::item_count(self.items.len())?;
        let ready = crate::raw::poll(&mut self.items, timeout_ms);
        if ready == -1 {
            return Err(Error::last());
        }
        if ready > 0 {
            fired.extend(
                self.items
                    .iter()
                    .enumerate()
                    .filter(|(_, item)| item.revents_raw() != 0)
                    .map(|(i, item)| (i, PollEvents::from_bits_retain(item.revents_raw()))),
            );
        }
        Ok(())
    }
}
