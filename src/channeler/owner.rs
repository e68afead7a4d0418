//! The thread that owns a channeler's socket.
//!
//! It moves messages between the socket and the two queues, and sleeps in
//! `zmq_poll` on two sockets: the channeler's own, and the thread's end of
//! an inproc PAIR on which the handles send empty "wake" frames. A wake
//! frame is sent only when the thread may be asleep and has something new
//! to look at, which two flags tell:
//!
//! - `out_awake` is true while the thread will look at the outgoing queue
//!   again without being woken. A handle that queued a message wakes the
//!   thread only if it finds the flag false (and sets it); the thread
//!   clears it just before it sleeps, then looks at the queue once more.
//!   Under load the thread is busy and no frame is sent.
//! - `in_waiting` is true while the thread holds a message (or a failed
//!   send) that the full incoming queue did not take. A handle that took a
//!   message from that queue wakes the thread only if it finds the flag
//!   true (and clears it); the thread sets it, then tries the queue once
//!   more.
//!
//! Each pair (a flag written, then a queue read; a queue written, then the
//! flag read) is separated by a sequentially consistent fence on both
//! sides, so one of the two always sees the other: no wake-up is lost, and
//! the thread never polls on a timer.

use std::collections::VecDeque;
use std::sync::atomic::{fence, AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use async_channel::{Receiver, Sender, TrySendError};

use crate::error::{Error, ErrorKind};
use crate::flags::{RecvFlags, SendFlags};
use crate::message::Message;
use crate::poll::{poll, PollItem};
use crate::socket::{PollEvents, Socket};

/// What the incoming queue carries: a received message, or a message the
/// socket refused, with the reason.
pub(super) enum Item {
    Message(Vec<Message>),
    Unsent(Error, Vec<Message>),
}

/// Work for the thread: a call on the socket (see `Channeler::with_socket`).
pub(super) type Command = Box<dyn FnOnce(&Socket<'static>) + Send>;

/// State shared by the handles and the thread.
#[derive(Default)]
pub(super) struct Shared {
    /// The thread will look at the outgoing queue without a wake frame.
    pub(super) out_awake: AtomicBool,
    /// The thread waits for room in the incoming queue.
    pub(super) in_waiting: AtomicBool,
    /// The last handle is gone: the thread hands what is queued to the
    /// socket and ends.
    pub(super) handles_gone: AtomicBool,
    /// Why the thread ended, set before the incoming queue is closed.
    pub(super) end: Mutex<Option<Error>>,
    /// What the incoming queue could not take when the thread ended,
    /// received after everything in the queue.
    pub(super) leftovers: Mutex<VecDeque<Item>>,
}

impl Shared {
    pub(super) fn end(&self) -> MutexGuard<'_, Option<Error>> {
        self.end.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn leftovers(&self) -> MutexGuard<'_, VecDeque<Item>> {
        self.leftovers.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Why the serving loop stopped.
enum Stop {
    /// Every handle is gone.
    HandlesGone,
    /// The socket failed for good (the context was shut down, usually).
    Failed(Error),
}

/// The longest pause between two tries of a send that `zmq_poll` called
/// possible and the socket then refused (a ROUTER with `ROUTER_MANDATORY`
/// reports `POLLOUT` when any peer has room, not the one addressed).
const MAX_BACKOFF: Duration = Duration::from_millis(100);

/// The thread's state.
pub(super) struct Owner {
    pub(super) socket: Socket<'static>,
    /// The thread's end of the wake PAIR.
    pub(super) wake: Socket<'static>,
    pub(super) shared: Arc<Shared>,
    pub(super) outgoing: Receiver<Vec<Message>>,
    pub(super) incoming: Sender<Item>,
    pub(super) commands: Receiver<Command>,
    /// At most this many messages each way between two looks at the other
    /// direction; also the most failed sends held for the incoming queue
    /// before the thread stops taking outgoing messages.
    pub(super) batch: usize,
    /// Whether the socket type receives at all (a PUSH fails a receive).
    pub(super) can_recv: bool,
    /// Items waiting for room in the incoming queue, in order. While it is
    /// not empty the socket is not read.
    pub(super) backlog: VecDeque<Item>,
    /// The message the socket would not take yet.
    pub(super) pending: Option<Vec<Message>>,
    /// Whether the last poll reported the socket writable.
    pub(super) writable: bool,
    /// After a refused send that poll called possible: wait this long
    /// instead of for `POLLOUT`.
    pub(super) backoff: Option<Duration>,
    /// Where wake frames are received.
    pub(super) scratch: Message,
}

impl Owner {
    /// The thread's body.
    pub(super) fn run(mut self) {
        match self.serve() {
            Stop::HandlesGone => self.flush(),
            Stop::Failed(error) => self.fail(error),
        }
    }

    fn serve(&mut self) -> Stop {
        loop {
            if self.shared.handles_gone.load(Ordering::Acquire) {
                return Stop::HandlesGone;
            }
            if let Err(stop) = self.step() {
                return stop;
            }
        }
    }

    /// One round: commands, incoming, outgoing, and a sleep when neither
    /// direction moved.
    fn step(&mut self) -> Result<(), Stop> {
        while let Ok(command) = self.commands.try_recv() {
            command(&self.socket);
        }
        let received = self.receive()?;
        let sent = self.send()?;
        if received || sent || !self.ready_to_sleep() {
            return Ok(());
        }
        self.sleep()
    }

    /// Moves the backlog into the incoming queue, then messages from the
    /// socket, as long as the queue takes them. Whether anything moved.
    fn receive(&mut self) -> Result<bool, Stop> {
        let mut moved = self.flush_backlog()?;
        if !self.can_recv {
            return Ok(moved);
        }
        let mut count = 0;
        while self.backlog.is_empty() && count < self.batch {
            match self.socket.recv_multipart(RecvFlags::DONTWAIT) {
                Ok(parts) => {
                    moved = true;
                    count += 1;
                    self.backlog.push_back(Item::Message(parts));
                    self.flush_backlog()?;
                }
                // Nothing to receive; or a REQ that has no request out,
                // which has nothing to receive either (EFSM).
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::InvalidState) => {
                    break
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(Stop::Failed(e)),
            }
        }
        Ok(moved)
    }

    /// Moves items from the backlog into the incoming queue while it has
    /// room; when it is full, asks the receivers to wake the thread.
    fn flush_backlog(&mut self) -> Result<bool, Stop> {
        let mut moved = false;
        while let Some(item) = self.backlog.pop_front() {
            match self.incoming.try_send(item) {
                Ok(()) => moved = true,
                Err(TrySendError::Full(item)) => {
                    self.backlog.push_front(item);
                    if self.shared.in_waiting.load(Ordering::Relaxed) {
                        break;
                    }
                    self.shared.in_waiting.store(true, Ordering::Relaxed);
                    // Pairs with the receivers' fence: either a receiver
                    // that made room since the try above sees the flag, or
                    // the next try sees the room.
                    fence(Ordering::SeqCst);
                }
                Err(TrySendError::Closed(_)) => return Err(Stop::HandlesGone),
            }
        }
        if self.backlog.is_empty() {
            self.shared.in_waiting.store(false, Ordering::Relaxed);
        }
        Ok(moved)
    }

    /// Whether the thread takes messages from the outgoing queue now: not
    /// while the socket refuses one, nor while failed sends pile up for a
    /// full incoming queue.
    fn taking(&self) -> bool {
        self.pending.is_none() && self.backlog.len() < self.batch
    }

    /// Hands outgoing messages to the socket while it takes them. Whether
    /// anything moved.
    fn send(&mut self) -> Result<bool, Stop> {
        let mut moved = false;
        let mut count = 0;
        let after_poll = std::mem::take(&mut self.writable);
        loop {
            let parts = match self.pending.take() {
                Some(parts) => parts,
                None if count < self.batch && self.taking() => match self.outgoing.try_recv() {
                    Ok(parts) => parts,
                    Err(_) => break,
                },
                None => break,
            };
            match self.socket.send_multipart(parts, SendFlags::DONTWAIT) {
                Ok(()) => {
                    moved = true;
                    count += 1;
                    self.backoff = None;
                }
                Err(err) => {
                    let (error, sent, unsent) = err.into_parts();
                    match error.kind() {
                        ErrorKind::WouldBlock => {
                            // Whatever part was refused, sending the rest
                            // later completes the message.
                            self.pending = Some(unsent);
                            if (after_poll || self.backoff.is_some()) && !moved {
                                let next = self.backoff.map_or(Duration::from_millis(1), |b| b * 2);
                                self.backoff = Some(next.min(MAX_BACKOFF));
                            }
                            break;
                        }
                        ErrorKind::Interrupted => self.pending = Some(unsent),
                        ErrorKind::Terminated => {
                            self.pending = Some(unsent);
                            return Err(Stop::Failed(error));
                        }
                        // Refused for good (EHOSTUNREACH, EFSM...): the
                        // message goes back to the receivers. Only a first
                        // part is refused that way; a later one would leave
                        // a message half sent, which nothing could finish.
                        _ if sent == 0 => {
                            moved = true;
                            count += 1;
                            self.backlog.push_back(Item::Unsent(error, unsent));
                            self.flush_backlog()?;
                        }
                        _ => {
                            self.pending = Some(unsent);
                            return Err(Stop::Failed(error));
                        }
                    }
                }
            }
        }
        Ok(moved)
    }

    /// Clears `out_awake` before a sleep, then looks at the outgoing queue
    /// once more: `false` (and the flag set again) if a message came in
    /// between, which a handle may not have woken the thread for.
    fn ready_to_sleep(&mut self) -> bool {
        if !self.taking() {
            // The thread comes back to the queue by itself (POLLOUT, or
            // room in the incoming queue): no wake frame wanted.
            return true;
        }
        self.shared.out_awake.store(false, Ordering::Relaxed);
        // Pairs with the senders' fence (see the module's text).
        fence(Ordering::SeqCst);
        if self.outgoing.is_empty() {
            return true;
        }
        self.shared.out_awake.store(true, Ordering::Relaxed);
        false
    }

    /// Waits in `zmq_poll` for the socket (a message to receive, if there
    /// is room for it; room to send, if a message waits) or a wake frame.
    fn sleep(&mut self) -> Result<(), Stop> {
        let mut events = PollEvents::empty();
        if self.can_recv && self.backlog.is_empty() {
            events |= PollEvents::POLLIN;
        }
        let mut timeout = None;
        if self.pending.is_some() {
            match self.backoff {
                None => events |= PollEvents::POLLOUT,
                Some(pause) => timeout = Some(pause),
            }
        }
        let mut items = [
            PollItem::from_socket(&self.socket, events),
            PollItem::from_socket(&self.wake, PollEvents::POLLIN),
        ];
        match poll(&mut items, timeout) {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => return Ok(()),
            Err(e) => return Err(Stop::Failed(e)),
        }
        self.writable = items[0].is_writable();
        let woken = items[1].is_readable();
        self.shared.out_awake.store(true, Ordering::Relaxed);
        if woken {
            self.drain_wake()?;
        }
        Ok(())
    }

    /// Takes every wake frame: one look at the queues answers them all.
    fn drain_wake(&mut self) -> Result<(), Stop> {
        loop {
            match self.wake.recv(&mut self.scratch, RecvFlags::DONTWAIT) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(Stop::Failed(e)),
            }
        }
    }

    /// The end after the socket failed (the context was shut down): every
    /// message not handed to the socket goes back to the receivers, after
    /// what they have not received yet, and then the error.
    fn fail(mut self, error: Error) {
        self.outgoing.close();
        self.commands.close();
        let mut returned = VecDeque::new();
        if let Some(parts) = self.pending.take() {
            returned.push_back(Item::Unsent(error.clone(), parts));
        }
        while let Ok(parts) = self.outgoing.try_recv() {
            returned.push_back(Item::Unsent(error.clone(), parts));
        }
        let mut left = std::mem::take(&mut self.backlog);
        left.append(&mut returned);
        while let Some(item) = left.pop_front() {
            if let Err(e) = self.incoming.try_send(item) {
                left.push_front(e.into_inner());
                break;
            }
        }
        *self.shared.leftovers() = left;
        *self.shared.end() = Some(error);
        // Receivers that find the queue closed look at `end` and
        // `leftovers`, set above.
        self.incoming.close();
        // Calls waiting for the thread learn that it ended: their reply
        // channels close with the commands.
        while let Ok(command) = self.commands.try_recv() {
            drop(command);
        }
    }

    /// The end after the last handle went: nobody receives any more, so
    /// the backlog goes; what was queued to send is handed to the socket,
    /// waiting for room at most the socket's LINGER (all of it in all, the
    /// rest of that time going to the socket's own queue when it closes).
    fn flush(mut self) {
        self.backlog.clear();
        let deadline = match self.socket.linger() {
            Ok(Some(linger)) => Some(Instant::now() + linger),
            Ok(None) => None,
            Err(_) => Some(Instant::now()),
        };
        loop {
            let Some(parts) = self
                .pending
                .take()
                .or_else(|| self.outgoing.try_recv().ok())
            else {
                break;
            };
            let err = match self.socket.send_multipart(parts, SendFlags::DONTWAIT) {
                Ok(()) => {
                    self.writable = false;
                    continue;
                }
                Err(err) => err,
            };
            let (error, _, unsent) = err.into_parts();
            match error.kind() {
                ErrorKind::WouldBlock | ErrorKind::Interrupted => {}
                ErrorKind::Terminated => return,
                // Refused for good, and nobody left to hand it back to.
                _ => continue,
            }
            self.pending = Some(unsent);
            let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if left == Some(Duration::ZERO) {
                break;
            }
            match self.socket.poll(PollEvents::POLLOUT, left) {
                Ok(ready) if ready.is_empty() => break,
                // Writable and still refused (see MAX_BACKOFF): a pause.
                Ok(_) if self.writable => std::thread::sleep(Duration::from_millis(1)),
                Ok(_) => self.writable = true,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        if let Some(deadline) = deadline {
            let rest = deadline.saturating_duration_since(Instant::now());
            let _ = self.socket.set_linger(Some(rest));
        }
    }
}
