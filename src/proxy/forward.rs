//! The forwarding loop of a [`SteerableProxy`](super::SteerableProxy).
//!
//! libzmq's `zmq_proxy_steerable` sends with blocking calls: once a
//! destination is full it waits inside that send, and reads no command
//! until the destination takes the message, which may be never. This loop
//! never blocks anywhere but in one poll, and that poll always includes
//! the control socket:
//!
//! - A source is polled for input only while its lane holds no message.
//!   Each frame is received and sent on with `DONTWAIT`. When the
//!   destination refuses the first frame of a message (it is full), the
//!   lane holds that frame and the poll waits for the destination to
//!   report room (`POLLOUT`) instead of reading more from the source: the
//!   rest stays queued in the source socket.
//! - The frames after the first of a multipart message go at once: libzmq
//!   counts its high-water marks in whole messages, so a socket that took
//!   the first frame takes the others. If one is still refused (the peer
//!   it was going to disconnected meanwhile, and libzmq rolled the message
//!   back), the rest of that message is received and dropped, and counted.
//! - Between two looks at the control socket, at most [`BURST`] messages
//!   go each way, so a command waits for that much work at most.

use std::os::raw::c_int;
use std::time::{Duration, Instant};

use super::control::{self, Command};
use super::stats::{ProxyStatistics, SocketStatistics};
use crate::error::{Error, ErrorKind, Result};
use crate::flags::{RecvFlags, SendFlags};
use crate::message::Message;
use crate::poll::{poll, PollItem};
use crate::socket::{PollEvents, Socket, SocketType};

/// Messages forwarded one way before the loop looks at the control socket
/// and the other way again (libzmq's proxy forwards bursts of the same
/// size).
const BURST: u32 = 1000;

/// A destination that reports room but refuses the message anyway (a
/// ROUTER with `ROUTER_MANDATORY` reports room when any peer has some,
/// and refuses a message for a peer that is full) is tried again after
/// this long, doubling up to [`MAX_RETRY`], instead of at once: waiting
/// for its `POLLOUT` again would spin.
const FIRST_RETRY: Duration = Duration::from_millis(1);
const MAX_RETRY: Duration = Duration::from_millis(64);

/// The sockets a proxy forwards between.
pub(super) struct Sockets<'a, 'c> {
    pub(super) frontend: &'a Socket<'c>,
    pub(super) backend: &'a Socket<'c>,
    pub(super) capture: Option<&'a Socket<'c>>,
    pub(super) control: &'a Socket<'c>,
}

/// How the loop ended, with the final statistics.
pub(super) enum Ended {
    /// By the TERMINATE command numbered `seq`, still to be answered.
    Terminated { seq: u64, stats: ProxyStatistics },
    /// The context was shut down or terminated.
    ContextEnded(ProxyStatistics),
}

/// Runs the proxy until it is terminated or its context ends, or an
/// error stops it. `retry_eintr` says whether a poll interrupted by a
/// signal is made again (else the error ends the proxy).
pub(super) fn run(sockets: &Sockets<'_, '_>, retry_eintr: bool) -> Result<Ended> {
    let mut proxy = Proxy::default();
    match proxy.run(sockets, retry_eintr) {
        Ok(seq) => {
            if !proxy.paused {
                proxy.last_try(sockets);
            }
            Ok(Ended::Terminated {
                seq,
                stats: proxy.finish(),
            })
        }
        Err(err) if err.is_terminated() => Ok(Ended::ContextEnded(proxy.finish())),
        Err(err) => Err(err),
    }
}

#[derive(Default)]
struct Proxy {
    stats: ProxyStatistics,
    paused: bool,
    /// Frontend to backend (requests).
    requests: Lane,
    /// Backend to frontend (replies).
    replies: Lane,
}

/// One direction of the proxy, and the message crossing it.
#[derive(Default)]
struct Lane {
    /// The frame in transit; reused for every frame.
    msg: Message,
    /// Whether `msg` has MORE, and its size, read once when it came in.
    more: bool,
    len: u64,
    /// `msg` holds a frame taken from the source that the destination has
    /// not accepted yet.
    held: bool,
    /// The destination accepted the first frames of the current message
    /// and awaits the rest.
    started: bool,
    /// The current message is being dropped: its remaining frames are
    /// received and not sent.
    discarding: bool,
    /// The last frame received had MORE: the next one continues a
    /// message.
    mid_receive: bool,
    /// The capture socket refused a frame of the current message: its
    /// remaining frames are not copied.
    capture_discarding: bool,
    /// Refusals in a row of a destination that reported room.
    refusals: u32,
    /// When to try the held frame again without waiting for `POLLOUT`.
    retry_at: Option<Instant>,
}

/// The counters one lane updates.
struct Tally<'a> {
    from: &'a mut SocketStatistics,
    to: &'a mut SocketStatistics,
    dropped: &'a mut u64,
    capture_dropped: &'a mut u64,
}

impl Proxy {
    /// The loop; returns the sequence number of the TERMINATE command
    /// that ended it.
    fn run(&mut self, s: &Sockets<'_, '_>, retry_eintr: bool) -> Result<u64> {
        // One socket as both ends (libzmq allows it): one lane, which
        // sends back where it reads.
        let same = s.frontend.raw.as_ptr() == s.backend.raw.as_ptr();
        loop {
            let mut items = [
                PollItem::from_socket(s.control, PollEvents::POLLIN),
                PollItem::from_socket(s.frontend, PollEvents::empty()),
                PollItem::from_socket(s.backend, PollEvents::empty()),
            ];
            let mut deadline: Option<Instant> = None;
            if !self.paused {
                let [_, fe, be] = &mut items;
                let (from_fe, to_be) = self.requests.wants(&mut deadline);
                if same {
                    fe.set_events(from_fe | to_be);
                } else {
                    let (from_be, to_fe) = self.replies.wants(&mut deadline);
                    fe.set_events(from_fe | to_fe);
                    be.set_events(from_be | to_be);
                }
            }
            let n = if same { 2 } else { 3 };
            let timeout = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            match poll(&mut items[..n], timeout) {
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::Interrupted && retry_eintr => continue,
                Err(e) => return Err(e),
            }
            if items[0].is_readable() {
                if let Some(seq) = self.commands(s.control)? {
                    return Ok(seq);
                }
            }
            if self.paused {
                continue;
            }
            let now = deadline.map(|_| Instant::now());
            let fe = items[1].revents();
            let be = if same { fe } else { items[2].revents() };
            if self.requests.ready(fe, be, now) {
                let tally = Tally::of(&mut self.stats, Direction::Requests);
                self.requests
                    .forward(s.frontend, s.backend, s.capture, tally, BURST)?;
            }
            if !same && self.replies.ready(be, fe, now) {
                let tally = Tally::of(&mut self.stats, Direction::Replies);
                self.replies
                    .forward(s.backend, s.frontend, s.capture, tally, BURST)?;
            }
        }
    }

    /// Handles every command waiting on the control socket; returns the
    /// number of a TERMINATE, which ends the loop.
    fn commands(&mut self, control: &Socket<'_>) -> Result<Option<u64>> {
        let mut frame = Message::new();
        loop {
            match control.recv(&mut frame, RecvFlags::DONTWAIT) {
                Ok(()) => {}
                // None waiting; or a signal, and the next poll looks again.
                Err(e) if e.is_would_block() || e.kind() == ErrorKind::Interrupted => {
                    return Ok(None)
                }
                Err(e) => return Err(e),
            }
            // Only the handle writes to the control socket, so a frame
            // that is no command cannot come; it would be ignored.
            let Some((command, seq)) = control::decode_command(&frame) else {
                continue;
            };
            match command {
                Command::Pause => self.paused = true,
                Command::Resume => self.paused = false,
                Command::Statistics => {}
                // Answered once the loop is over, with the final figures.
                Command::Terminate => return Ok(Some(seq)),
            }
            reply(control, seq, &self.stats)?;
        }
    }

    /// After TERMINATE: one more try for each held message, without
    /// waiting. Errors are ignored: the proxy is ending, and what could
    /// not go is counted by [`finish`](Self::finish).
    fn last_try(&mut self, s: &Sockets<'_, '_>) {
        let same = s.frontend.raw.as_ptr() == s.backend.raw.as_ptr();
        if self.requests.held {
            let tally = Tally::of(&mut self.stats, Direction::Requests);
            let _ = self
                .requests
                .forward(s.frontend, s.backend, s.capture, tally, 0);
        }
        if !same && self.replies.held {
            let tally = Tally::of(&mut self.stats, Direction::Replies);
            let _ = self
                .replies
                .forward(s.backend, s.frontend, s.capture, tally, 0);
        }
    }

    /// The final statistics: a message still in transit is dropped.
    fn finish(&mut self) -> ProxyStatistics {
        for lane in [&self.requests, &self.replies] {
            if lane.held || lane.started {
                self.stats.dropped += 1;
            }
        }
        self.stats
    }
}

#[derive(Clone, Copy)]
enum Direction {
    Requests,
    Replies,
}

impl<'a> Tally<'a> {
    fn of(stats: &'a mut ProxyStatistics, direction: Direction) -> Tally<'a> {
        let ProxyStatistics {
            frontend,
            backend,
            dropped,
            capture_dropped,
        } = stats;
        let (from, to) = match direction {
            Direction::Requests => (frontend, backend),
            Direction::Replies => (backend, frontend),
        };
        Tally {
            from,
            to,
            dropped,
            capture_dropped,
        }
    }
}

impl Lane {
    /// What this lane waits for, as the events to poll on its source and
    /// on its destination: input from the source while it holds no frame;
    /// else room at the destination, or the time of its next try, which
    /// goes into `deadline`.
    fn wants(&self, deadline: &mut Option<Instant>) -> (PollEvents, PollEvents) {
        if !self.held {
            (PollEvents::POLLIN, PollEvents::empty())
        } else if let Some(at) = self.retry_at {
            *deadline = Some(deadline.map_or(at, |d| d.min(at)));
            (PollEvents::empty(), PollEvents::empty())
        } else {
            (PollEvents::empty(), PollEvents::POLLOUT)
        }
    }

    /// Whether the poll's outcome lets this lane go on. `now` is known
    /// whenever a lane has a time of its next try.
    fn ready(&self, from: PollEvents, to: PollEvents, now: Option<Instant>) -> bool {
        if !self.held {
            return from.contains(PollEvents::POLLIN);
        }
        match (self.retry_at, now) {
            (Some(at), Some(now)) => now >= at,
            (Some(_), None) => false,
            (None, _) => to.contains(PollEvents::POLLOUT),
        }
    }

    /// Forwards from `from` to `to` until the source has nothing more,
    /// the destination is full, or `burst` more messages were taken.
    /// A message that was begun is finished first.
    fn forward(
        &mut self,
        from: &Socket<'_>,
        to: &Socket<'_>,
        capture: Option<&Socket<'_>>,
        t: Tally<'_>,
        burst: u32,
    ) -> Result<()> {
        // A held frame is tried again because the destination reported
        // room, or its time came.
        let mut probing = self.held;
        self.retry_at = None;
        let mut taken = 0;
        loop {
            if !self.held {
                if taken >= burst && !self.started && !self.discarding {
                    return Ok(());
                }
                let Some(len) = recv_frame(from, &mut self.msg)? else {
                    return Ok(());
                };
                let more = self.msg.more();
                self.more = more;
                self.len = len as u64;
                t.from.frames_received += 1;
                t.from.bytes_received += self.len;
                if !self.mid_receive {
                    t.from.messages_received += 1;
                }
                self.mid_receive = more;
                if !more {
                    taken += 1;
                }
                if let Some(capture) = capture {
                    self.capture(capture, more, t.capture_dropped)?;
                }
                if self.discarding {
                    self.discarding = more;
                    continue;
                }
                self.held = true;
            }
            let more = self.more;
            match send_frame(to, &mut self.msg, more) {
                Ok(()) => {
                    self.held = false;
                    self.refusals = 0;
                    self.started = more;
                    t.to.frames_sent += 1;
                    t.to.bytes_sent += self.len;
                    if !more {
                        t.to.messages_sent += 1;
                    }
                }
                Err(e) if e.is_would_block() && !self.started => {
                    // Full: keep the frame until the destination has room.
                    if probing {
                        self.refusals = self.refusals.saturating_add(1);
                        self.retry_at = Some(Instant::now() + backoff(self.refusals));
                    }
                    return Ok(());
                }
                Err(e) if e.is_would_block() || refused_for_good(&e, to) => {
                    self.held = false;
                    self.started = false;
                    self.discarding = more;
                    *t.dropped += 1;
                }
                Err(e) => return Err(e),
            }
            probing = false;
        }
    }

    /// Sends a copy of the frame just received to the capture socket,
    /// without waiting: a copy it cannot take now is dropped (with the
    /// rest of its message) and counted.
    fn capture(&mut self, capture: &Socket<'_>, more: bool, dropped: &mut u64) -> Result<()> {
        if self.capture_discarding {
            self.capture_discarding = more;
            return Ok(());
        }
        let mut copy = self.msg.share();
        match send_frame(capture, &mut copy, more) {
            Ok(()) => Ok(()),
            Err(e) if e.is_would_block() || refused_for_good(&e, capture) => {
                self.capture_discarding = more;
                *dropped += 1;
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

/// Receives a frame into `msg` without waiting: its size, or `None` when
/// the socket has none.
///
/// The hot path calls the raw layer itself: `zmq_msg_recv` returns the
/// size, which saves asking for it, and a call that does not wait has no
/// reason to report a signal (it received nothing, and is made again).
#[inline(always)]
fn recv_frame(from: &Socket<'_>, msg: &mut Message) -> Result<Option<usize>> {
    let rc = from.raw.msg_recv(&mut msg.raw, RecvFlags::DONTWAIT.bits());
    if rc >= 0 {
        return Ok(Some(received_size(rc, msg)));
    }
    recv_failed(from, msg)
}

/// libzmq caps the size it returns at INT_MAX.
#[inline(always)]
fn received_size(rc: c_int, msg: &Message) -> usize {
    if rc == c_int::MAX {
        msg.len()
    } else {
        rc as usize
    }
}

#[cold]
#[inline(never)]
fn recv_failed(from: &Socket<'_>, msg: &mut Message) -> Result<Option<usize>> {
    loop {
        let err = Error::last();
        match err.kind() {
            ErrorKind::WouldBlock => return Ok(None),
            ErrorKind::Interrupted => {}
            _ => return Err(err),
        }
        let rc = from.raw.msg_recv(&mut msg.raw, RecvFlags::DONTWAIT.bits());
        if rc >= 0 {
            return Ok(Some(received_size(rc, msg)));
        }
    }
}

/// Sends `msg` without waiting, as one frame of a message that goes on
/// when `more`. On success libzmq has taken the content; on failure `msg`
/// is unchanged.
///
/// An XSUB takes the safe layer's path, whose guard refuses subscriptions
/// libzmq's trie cannot survive; the other sockets go through the raw
/// layer directly, as [`recv_frame`] does.
#[inline(always)]
fn send_frame(to: &Socket<'_>, msg: &mut Message, more: bool) -> Result<()> {
    let flags = if more {
        SendFlags::DONTWAIT | SendFlags::SNDMORE
    } else {
        SendFlags::DONTWAIT
    };
    if to.socket_type() != SocketType::XSub && to.raw.msg_send(&mut msg.raw, flags.bits()) >= 0 {
        return Ok(());
    }
    send_failed(to, msg, flags)
}

/// The rest of [`send_frame`]: the guarded send to an XSUB, and the
/// failures (a signal makes it try again).
#[cold]
#[inline(never)]
fn send_failed(to: &Socket<'_>, msg: &mut Message, flags: SendFlags) -> Result<()> {
    if to.socket_type() == SocketType::XSub {
        loop {
            match to.send_msg_mut(msg, flags) {
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }
    loop {
        let err = Error::last();
        if err.kind() != ErrorKind::Interrupted {
            return Err(err);
        }
        if to.raw.msg_send(&mut msg.raw, flags.bits()) >= 0 {
            return Ok(());
        }
    }
}

/// How long to wait before trying again a destination that refused
/// `refusals` times in a row although it reported room.
fn backoff(refusals: u32) -> Duration {
    let doublings = refusals.saturating_sub(1).min(16);
    (FIRST_RETRY * (1 << doublings)).min(MAX_RETRY)
}

/// Whether `to` refused a message for good, so that waiting would not
/// help: a ROUTER with `ROUTER_MANDATORY` and no peer of its routing id,
/// or an XSUB given a subscription longer than the crate lets through.
fn refused_for_good(err: &Error, to: &Socket<'_>) -> bool {
    match err.kind() {
        ErrorKind::HostUnreachable => true,
        ErrorKind::InvalidArgument => to.socket_type() == SocketType::XSub,
        _ => false,
    }
}

/// Answers command `seq` without ever waiting: a handle that is gone (or
/// has a full queue) does not read answers, and must not stop the proxy.
pub(super) fn reply(control: &Socket<'_>, seq: u64, stats: &ProxyStatistics) -> Result<()> {
    let frame = control::encode_reply(seq, stats);
    loop {
        match control.send(frame, SendFlags::DONTWAIT) {
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if e.is_would_block() => return Ok(()),
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_bound() {
        assert_eq!(backoff(1), FIRST_RETRY);
        assert_eq!(backoff(2), FIRST_RETRY * 2);
        assert_eq!(backoff(3), FIRST_RETRY * 4);
        assert_eq!(backoff(100), MAX_RETRY);
        assert_eq!(backoff(u32::MAX), MAX_RETRY);
    }
}
