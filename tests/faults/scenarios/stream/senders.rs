//! How this process sends in each pattern: paced, until accepted, with a
//! window of requests in flight, or as a Lazy Pirate client.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use zmq4::{Context, ErrorKind, RecvFlags, SendFlags, Socket, SocketType};

use super::HEARTBEAT;
use crate::tally::{payload, seq_of, Sent, Tally};
/// Where a sender stops until the fault is in place: without it, a fast
/// sender can hand every message to the kernel's socket buffers before
/// the fault, and the run then shows nothing of what follows it.
#[derive(Default)]
pub struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    /// Lets the sender go on (again: no effect).
    pub fn release(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }

    /// Waits until released, or `limit` (a run that failed before its
    /// fault must still end).
    fn wait(&self, limit: Duration) {
        let open = self.open.lock().unwrap();
        let _unused = self
            .opened
            .wait_timeout_while(open, limit, |open| !*open)
            .unwrap();
    }
}

/// Keeps a sender at a rate (`None`: as fast as it goes), and stops it
/// before one message until a [`Gate`] opens.
pub struct Pacer {
    rate: Option<f64>,
    begin: Instant,
    hold: Option<(u64, Arc<Gate>)>,
}

impl Pacer {
    pub fn new(rate: Option<f64>) -> Pacer {
        Pacer {
            rate,
            begin: Instant::now(),
            hold: None,
        }
    }

    /// Stops before message `seq` until `gate` is released.
    pub fn hold_at(mut self, seq: u64, gate: Arc<Gate>) -> Pacer {
        self.hold = Some((seq, gate));
        self
    }

    /// Waits until message `seq` is due (checked every 16 messages), and
    /// at the held message until the gate opens.
    pub fn wait(&self, seq: u64) {
        if let Some((at, gate)) = &self.hold {
            if seq == *at {
                gate.wait(Duration::from_secs(120));
            }
        }
        if let Some(rate) = self.rate {
            if seq.is_multiple_of(16) {
                let due = self.begin + Duration::from_secs_f64(seq as f64 / rate);
                if let Some(wait) = due.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
            }
        }
    }
}

/// The rate of a publisher: one its subscriber keeps up with, so that the
/// losses counted are the fault's, not the high-water mark's.
pub const PUB_RATE: f64 = 20_000.0;

/// Sends message `seq` until a send accepts it; every failure hands it
/// back, and is counted. `false` when the context was shut down.
pub fn send_until_accepted(
    sock: &Socket<'_>,
    seq: u64,
    size: usize,
    sent: &Sent,
    abort: &AtomicBool,
) -> bool {
    let mut msg = payload(seq, size);
    loop {
        match sock.send_msg(msg, SendFlags::empty()) {
            Ok(()) => {
                sent.add_accepted();
                return true;
            }
            Err(err) => {
                sent.add_failure(seq, err.unsent());
                if err.kind() == ErrorKind::Terminated || abort.load(Ordering::Relaxed) {
                    sent.given_up.fetch_add(1, Ordering::Relaxed);
                    return false;
                }
                msg = err.into_message();
            }
        }
    }
}

/// Sends messages `0..n` (until `abort`), each until accepted, at `pace`.
pub fn push_all(
    sock: &Socket<'_>,
    n: u64,
    size: usize,
    sent: &Sent,
    abort: &AtomicBool,
    pace: &Pacer,
) {
    for seq in 0..n {
        pace.wait(seq);
        if abort.load(Ordering::Relaxed) || !send_until_accepted(sock, seq, size, sent, abort) {
            return;
        }
    }
}

/// A DEALER keeping 100 requests in flight. A request whose reply does
/// not come within 1 s is written off (the DEALER has no way to know
/// more), and the window moves on.
#[allow(clippy::too_many_arguments)]
pub fn request_windowed(
    sock: &Socket<'_>,
    n: u64,
    size: usize,
    sent: &Sent,
    replies: &Tally,
    abort: &AtomicBool,
    timeouts: &Mutex<Vec<Instant>>,
    pace: &Pacer,
) {
    const WINDOW: u64 = 100;
    let mut next = 0;
    let mut written_off = 0;
    let mut last_reply = Instant::now();
    let mut msg = zmq4::Message::new();
    while !abort.load(Ordering::Relaxed) {
        // Replies to written-off requests may still come.
        let in_flight = sent
            .accepted()
            .saturating_sub(replies.unique() + written_off);
        if next < n && in_flight < WINDOW {
            pace.wait(next);
            if !send_until_accepted(sock, next, size, sent, abort) {
                return;
            }
            next += 1;
            if in_flight > 0 {
                // Read what is there already, without waiting.
                while sock.recv(&mut msg, RecvFlags::DONTWAIT).is_ok() {
                    reply(&msg, replies, sent);
                    last_reply = Instant::now();
                }
            } else {
                last_reply = Instant::now();
            }
            continue;
        }
        if in_flight == 0 {
            break;
        }
        match sock.poll(zmq4::PollEvents::POLLIN, Some(Duration::from_millis(50))) {
            Ok(ready) if ready.contains(zmq4::PollEvents::POLLIN) => {
                while sock.recv(&mut msg, RecvFlags::DONTWAIT).is_ok() {
                    reply(&msg, replies, sent);
                }
                last_reply = Instant::now();
            }
            Err(e) if e.kind() == ErrorKind::Terminated => return,
            _ => {
                if last_reply.elapsed() > Duration::from_secs(1) {
                    timeouts.lock().unwrap().push(Instant::now());
                    written_off += in_flight;
                    last_reply = Instant::now();
                }
            }
        }
    }
    // Replies to requests written off may still come: read them until
    // every request is answered or none comes for a while.
    let mut quiet_since = Instant::now();
    while replies.unique() < sent.accepted() && quiet_since.elapsed() < Duration::from_millis(1500)
    {
        if abort.load(Ordering::Relaxed) {
            return;
        }
        match sock.recv(&mut msg, RecvFlags::DONTWAIT) {
            Ok(()) => {
                reply(&msg, replies, sent);
                quiet_since = Instant::now();
            }
            Err(e) if e.kind() == ErrorKind::Terminated => return,
            Err(_) => std::thread::sleep(Duration::from_millis(1)),
        }
    }
}

fn reply(msg: &[u8], replies: &Tally, sent: &Sent) {
    match seq_of(msg) {
        Some(seq) => replies.record(seq),
        None => {
            sent.mismatched.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The Lazy Pirate client of the zguide: a REQ socket waits a bounded
/// time for each reply; on a timeout it is closed, a fresh one connects
/// and the request is sent again. Gives up on a request after 100
/// attempts.
#[allow(clippy::too_many_arguments)]
pub fn lazy_pirate(
    ctx: &Context,
    endpoint: &str,
    heartbeat: bool,
    full: bool,
    n: u64,
    size: usize,
    sent: &Sent,
    replies: &Tally,
    abort: &AtomicBool,
    timeouts: &Mutex<Vec<Instant>>,
    pace: &Pacer,
) {
    let timeout = if crate::sys::on_valgrind() || full {
        Duration::from_millis(2000)
    } else {
        Duration::from_millis(750)
    };
    let fresh = || {
        let req = ctx.socket(SocketType::Req).unwrap();
        req.set_linger(Some(Duration::ZERO)).unwrap();
        req.set_rcvtimeo(Some(timeout)).unwrap();
        if heartbeat {
            req.set_heartbeat_ivl(HEARTBEAT.0).unwrap();
            req.set_heartbeat_timeout(HEARTBEAT.1).unwrap();
        }
        req.connect(endpoint).unwrap();
        req
    };
    let mut req = fresh();
    let mut msg = zmq4::Message::new();
    for seq in 0..n {
        pace.wait(seq);
        let mut attempts = 0;
        loop {
            if abort.load(Ordering::Relaxed) {
                return;
            }
            attempts += 1;
            if attempts > 100 {
                sent.given_up.fetch_add(1, Ordering::Relaxed);
                break;
            }
            match req.send_msg(payload(seq, size), SendFlags::empty()) {
                Ok(()) => {
                    if attempts == 1 {
                        sent.add_accepted();
                    }
                }
                Err(err) if err.kind() == ErrorKind::Terminated => return,
                Err(err) => {
                    sent.add_failure(seq, err.unsent());
                    req = fresh();
                    continue;
                }
            }
            match req.recv(&mut msg, RecvFlags::empty()) {
                Ok(()) => {
                    if seq_of(&msg) != Some(seq) {
                        sent.mismatched.fetch_add(1, Ordering::Relaxed);
                    }
                    replies.record(seq);
                    break;
                }
                Err(err) if err.kind() == ErrorKind::Terminated => return,
                Err(_) => {
                    // No reply in time: this REQ is stuck in its
                    // send-then-receive cycle; start over with a new one.
                    timeouts.lock().unwrap().push(Instant::now());
                    req = fresh();
                }
            }
        }
    }
}
