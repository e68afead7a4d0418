//! Waiting for a future from a blocking call, for at most a given time.
//!
//! async-channel's own blocking calls wait without a limit; the channeler's
//! `recv_timeout` and `send_timeout` poll the channel's futures here,
//! parking the thread between wake-ups. Dropping a future of async-channel
//! that did not complete leaves the channel as it was (a receive takes an
//! item only in the poll that returns it), so giving up at the deadline
//! loses nothing.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;
use std::time::Instant;

/// Wakes a parked thread.
struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Polls `future` on this thread until it completes (`Some` of its output)
/// or `deadline` passes (`None`; the future is dropped).
pub(super) fn until<F: Future>(future: F, deadline: Instant) -> Option<F::Output> {
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return Some(output);
        }
        let now = Instant::now();
        if now >= deadline {
            return None;
        }
        // A wake-up (or a spurious return) polls again; the deadline is
        // checked each time.
        std::thread::park_timeout(deadline - now);
    }
}
