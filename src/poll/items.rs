//! The [`Poller`](super::Poller) on `zmq_poll`: an array of poll items kept
//! beside the entries, index for index. The items are where `zmq_poll`
//! writes what fired, and a poll's [`Ready`](super::Ready) reads it there.

use std::iter::{FusedIterator, Zip};
use std::os::raw::c_long;
use std::slice;

use super::{Entry, Target};
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

    /// `zmq_poll` over every item; how many fired (0 on timeout).
    #[inline]
    pub(super) fn wait(&mut self, timeout_ms: c_long) -> Result<usize> {
        crate::poll::item_count(self.items.len())?;
        match crate::raw::poll(&mut self.items, timeout_ms) {
            -1 => Err(Error::last()),
            ready => Ok(ready as usize),
        }
    }

    /// The `ready` entries whose items fired in the last wait (`zmq_poll`
    /// returns how many items it wrote events to).
    #[inline]
    pub(super) fn fired<'p, T>(&'p self, entries: &'p [Entry<T>], ready: usize) -> Fired<'p, T> {
        Fired {
            pairs: entries.iter().zip(&self.items),
            left: ready,
        }
    }
}

/// The entries with events, found by walking entries and items side by
/// side until `left` have been seen.
#[derive(Debug)]
pub(super) struct Fired<'p, T> {
    pairs: Zip<slice::Iter<'p, Entry<T>>, slice::Iter<'p, PollItem<'p>>>,
    left: usize,
}

impl<'p, T> Iterator for Fired<'p, T> {
    type Item = (&'p T, PollEvents);

    #[inline]
    fn next(&mut self) -> Option<(&'p T, PollEvents)> {
        if self.left == 0 {
            return None;
        }
        match self.pairs.find(|(_, item)| item.revents_raw() != 0) {
            Some((entry, item)) => {
                self.left -= 1;
                Some((
                    &entry.token,
                    PollEvents::from_bits_retain(item.revents_raw()),
                ))
            }
            // Only if libzmq counted more than it wrote: the end, for good.
            None => {
                self.left = 0;
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<T> FusedIterator for Fired<'_, T> {}
