//! How a task waits: the directions, the wakers of the tasks waiting in
//! each, and `poll_wait`, which parks a task until libzmq's state may let
//! its operation through (see "Readiness" in the module documentation).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll, Wake, Waker};
use std::time::Duration;

use ::tokio::time::{Instant, Sleep};

use crate::error::Result;
use crate::socket::{PollEvents, Socket};

use super::AsyncSocket;

/// The first delay of a stalled direction's timer (see [`Stall`]).
pub(super) const STALL_FIRST: Duration = Duration::from_millis(1);

/// The longest delay of a stalled direction's timer: doubling from
/// [`STALL_FIRST`], it gets there in seven steps.
pub(super) const STALL_MAX: Duration = Duration::from_millis(64);

/// A direction an operation waits for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Dir {
    Recv = 0,
    Send = 1,
}

impl Dir {
    fn event(self) -> PollEvents {
        match self {
            Dir::Recv => PollEvents::POLLIN,
            Dir::Send => PollEvents::POLLOUT,
        }
    }

    fn other(self) -> Dir {
        match self {
            Dir::Recv => Dir::Send,
            Dir::Send => Dir::Recv,
        }
    }
}

/// The tasks waiting to receive and to send. tokio keeps one waker per
/// registration and direction of interest, and both of ours wait on the
/// descriptor's "readable": the waker given to tokio is this one, which
/// wakes both.
#[derive(Default)]
pub(super) struct Wakers {
    slots: Mutex<[Option<Waker>; 2]>,
}

impl Wakers {
    fn lock(&self) -> std::sync::MutexGuard<'_, [Option<Waker>; 2]> {
        // A panic cannot happen while the lock is held (only Option moves
        // inside), but stay usable if one ever did.
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set(&self, dir: Dir, waker: &Waker) {
        let mut slots = self.lock();
        match &mut slots[dir as usize] {
            Some(w) if w.will_wake(waker) => {}
            slot => *slot = Some(waker.clone()),
        }
    }

    fn wake_dir(&self, dir: Dir) {
        let waker = self.lock()[dir as usize].take();
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl Wake for Wakers {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let [a, b] = std::mem::take(&mut *self.lock());
        // Wake outside the lock: a waker may run code of its own.
        for w in [a, b].into_iter().flatten() {
            w.wake();
        }
    }
}

/// A direction whose readiness, as libzmq reports it, says nothing about
/// the operation that waits.
///
/// `ZMQ_EVENTS` says whether the socket as a whole could take (or give)
/// a message: for a socket that routes each message to one peer (ROUTER
/// with `ROUTER_MANDATORY`, STREAM, SERVER, PEER) or that will not drop
/// one (XPUB and PUB with `XPUB_NODROP`, RADIO with it), "writable" means
/// that *some* peer has room, while a send for a full peer would block.
/// Retrying whenever `ZMQ_EVENTS` says "writable" would spin. So once a
/// retry made on its word would still block, the direction is *misled*:
/// it then retries at each signal of the socket's descriptor (any change
/// inside the socket, among them the peer making room) and on a timer
/// that starts at [`STALL_FIRST`] and doubles up to [`STALL_MAX`], in
/// case the signal it needed was consumed by a read of `ZMQ_EVENTS` made
/// for the other direction. It stops being misled when its operation
/// completes or fails, or when `ZMQ_EVENTS` says "not ready".
pub(super) struct Stall {
    /// The last wait ended because `ZMQ_EVENTS` said "ready".
    retrying: bool,
    /// A retry on `ZMQ_EVENTS`' word would still block.
    misled: bool,
    /// The timer runs (until `delay` after it was armed).
    armed: bool,
    /// The next delay.
    delay: Duration,
    /// Made with the socket, in the runtime its registration belongs to.
    timer: Pin<Box<Sleep>>,
}

impl Stall {
    /// A direction that is not stalled. Panics, as tokio does, in a
    /// runtime without its time driver.
    pub(super) fn new() -> Stall {
        Stall {
            retrying: false,
            misled: false,
            armed: false,
            delay: STALL_FIRST,
            timer: Box::pin(::tokio::time::sleep(Duration::ZERO)),
        }
    }

    /// The direction's operation completed, failed, or libzmq reports it
    /// not ready: its readiness tells the truth again.
    fn calm(&mut self) {
        self.misled = false;
        self.armed = false;
        self.delay = STALL_FIRST;
    }

    /// Waits for the timer, arming it if it is not running. `Ready` when
    /// it fired; the next wait is twice as long.
    fn poll_timer(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if !self.armed {
            self.timer.as_mut().reset(Instant::now() + self.delay);
            self.armed = true;
        }
        ready!(self.timer.as_mut().poll(cx));
        self.armed = false;
        self.delay = (self.delay * 2).min(STALL_MAX);
        Poll::Ready(())
    }
}

impl AsyncSocket<'_> {
    /// Parks the task until `dir` may be ready: `Ready(Ok)` means "try the
    /// operation again". Called only after libzmq said the operation would
    /// block. A failed wait ends the wait: nothing waits in `dir` any more.
    pub(super) fn poll_wait(&mut self, cx: &mut Context<'_>, dir: Dir) -> Poll<Result<()>> {
        let res = self.poll_wait_for(cx, dir);
        if let Poll::Ready(Err(_)) = res {
            self.waiting[dir as usize] = false;
            self.stalls[dir as usize].calm();
        }
        res
    }

    fn poll_wait_for(&mut self, cx: &mut Context<'_>, dir: Dir) -> Poll<Result<()>> {
        // The task's waker first, so that a wake-up arriving as soon as
        // tokio has our registration finds it.
        self.wakers.set(dir, cx.waker());
        self.waiting[dir as usize] = true;
        let stall = &mut self.stalls[dir as usize];
        if stall.retrying {
            // libzmq said "ready", and the operation would still block.
            stall.retrying = false;
            stall.misled = true;
        }
        let other = dir.other();
        let mut both = Context::from_waker(&self.waker);
        loop {
            let mut guard = match self.io.async_fd().poll_read_ready(&mut both) {
                Poll::Pending => {
                    // Registered. The attempt that would block processed
                    // the socket's commands, and may have consumed the edge
                    // a task waiting in the other direction needs, before
                    // tokio saw it: ask libzmq for that task. That read may
                    // consume an edge in turn, so it answers for `dir` too
                    // (unless `dir` is misled: the timer covers that case).
                    let stall = &mut self.stalls[dir as usize];
                    if self.waiting[other as usize]
                        && events_waking(self.io.socket(), &mut self.waiting, &self.wakers, other)?
                            .contains(dir.event())
                        && !stall.misled
                    {
                        stall.retrying = true;
                        return Poll::Ready(Ok(()));
                    }
                    if stall.misled {
                        ready!(stall.poll_timer(cx));
                        return Poll::Ready(Ok(()));
                    }
                    return Poll::Pending;
                }
                Poll::Ready(Err(err)) => return Poll::Ready(Err(super::imp::io_error(err))),
                Poll::Ready(Ok(guard)) => guard,
            };
            // Something changed since the last clear (or tokio's readiness
            // is stale: the attempt that would block came after it). Forget
            // the edge first: tokio clears only if no new edge came since
            // the guard was taken...
            guard.clear_ready();
            // ...then ask libzmq, whose answer covers every change up to
            // the clear (an edge after it is tokio's to see). One read,
            // not one before the clear as well: that one would only spare
            // the clear when the answer is "ready", and it processes the
            // socket's commands (a system call) each time.
            let ready = events_waking(self.io.socket(), &mut self.waiting, &self.wakers, other)?
                .contains(dir.event());
            let stall = &mut self.stalls[dir as usize];
            if ready {
                // When `dir` is misled, "ready" tells nothing, but that
                // read processed the commands that came up to now, which
                // may have made room: try once on that state. The next
                // wait then sleeps until a new signal or the timer.
                stall.retrying = !stall.misled;
                return Poll::Ready(Ok(()));
            }
            stall.calm();
            // Loop: poll_read_ready registers the waker and returns
            // Pending, unless an edge arrived meanwhile.
        }
    }

    /// Clears tokio's readiness before an attempt in `dir` whose failure
    /// will say that nothing changed up to the clear (see
    /// [`poll_wait_after_clear`](Self::poll_wait_after_clear)). `false`
    /// when that does not hold: `dir` is misled or retries on libzmq's
    /// word (the general wait keeps its state), or tokio failed.
    pub(super) fn clear_for(&mut self, dir: Dir) -> bool {
        let stall = &self.stalls[dir as usize];
        if stall.misled || stall.retrying {
            return false;
        }
        let mut both = Context::from_waker(&self.waker);
        match self.io.async_fd().poll_read_ready(&mut both) {
            Poll::Ready(Ok(mut guard)) => {
                guard.clear_ready();
                true
            }
            // Nothing to clear (and the registration is ours).
            Poll::Pending => true,
            Poll::Ready(Err(_)) => false,
        }
    }

    /// Parks the task after an attempt in `dir` that would block and that
    /// came after [`clear_for`](Self::clear_for): libzmq's answer covers
    /// every change up to the clear, so the task sleeps unless tokio has
    /// seen an edge since. `Ready(Ok)` means "clear and try again".
    pub(super) fn poll_wait_after_clear(
        &mut self,
        cx: &mut Context<'_>,
        dir: Dir,
    ) -> Poll<Result<()>> {
        self.wakers.set(dir, cx.waker());
        self.waiting[dir as usize] = true;
        let other = dir.other();
        let mut both = Context::from_waker(&self.waker);
        let res = match self.io.async_fd().poll_read_ready(&mut both) {
            // As in `poll_wait_for`: the attempt may have consumed the edge
            // a task waiting in the other direction needs, and the read
            // made for it may consume one in turn.
            Poll::Pending if self.waiting[other as usize] => match self.events_waking(other) {
                Ok(events) if events.contains(dir.event()) => Poll::Ready(Ok(())),
                Ok(_) => Poll::Pending,
                Err(err) => Poll::Ready(Err(err)),
            },
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(_)) => Poll::Ready(Ok(())),
            Poll::Ready(Err(err)) => Poll::Ready(Err(super::imp::io_error(err))),
        };
        if let Poll::Ready(Err(_)) = res {
            // A failed wait ends the wait, as in `poll_wait`.
            self.waiting[dir as usize] = false;
        }
        res
    }

    /// Reads `ZMQ_EVENTS`, and wakes the task waiting in `other` if that
    /// direction is ready (or the read failed: the task meets the error
    /// itself). Reading `ZMQ_EVENTS` processes the socket's commands, so it
    /// may consume the edge that task waits for.
    fn events_waking(&mut self, other: Dir) -> Result<PollEvents> {
        events_waking(self.io.socket(), &mut self.waiting, &self.wakers, other)
    }

    /// An operation in `dir` completed (or failed for good). It may have
    /// consumed the edge that a task waiting in the other direction
    /// needed: if one waits, ask libzmq and wake it when its direction is
    /// ready.
    #[inline]
    pub(super) fn done(&mut self, dir: Dir) {
        self.waiting[dir as usize] = false;
        let stall = &mut self.stalls[dir as usize];
        stall.retrying = false;
        if stall.misled {
            stall.calm();
        }
        self.check_other(dir);
    }

    /// An attempt in `dir` was made, which processed the socket's
    /// commands: if a task waits in the other direction, ask libzmq for it
    /// (see [`done`](Self::done)).
    #[inline]
    pub(super) fn check_other(&mut self, dir: Dir) {
        let other = dir.other();
        if self.waiting[other as usize] {
            // An error here is the other task's to meet: it is woken.
            let _ = self.events_waking(other);
        }
    }
}

/// [`AsyncSocket::events_waking`] on borrowed fields, for the times tokio's
/// readiness guard holds the `AsyncFd`.
fn events_waking(
    socket: &Socket<'_>,
    waiting: &mut [bool; 2],
    wakers: &Wakers,
    other: Dir,
) -> Result<PollEvents> {
    let events = socket.events();
    if waiting[other as usize]
        && events
            .as_ref()
            .map_or(true, |ev| ev.contains(other.event()))
    {
        waiting[other as usize] = false;
        wakers.wake_dir(other);
    }
    events
}
