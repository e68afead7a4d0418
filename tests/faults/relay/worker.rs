//! The relay's thread: it polls every connection, queues what each side
//! sends with the moment it may leave, and carries out the commands.

use std::collections::VecDeque;
use std::io;
use std::sync::{Arc, MutexGuard};
use std::time::{Duration, Instant};

use super::net::{Addr, Listener, Stream};
use super::{Command, Control, Shared, QUEUE_LIMIT, TICK};

/// A chunk of bytes on its way, with the moment it may leave.
struct Chunk {
    at: Instant,
    data: Vec<u8>,
    off: usize,
}

/// One direction of a connection.
#[derive(Default)]
struct Pipe {
    queue: VecDeque<Chunk>,
    bytes: usize,
    /// The source sent its FIN.
    eof: bool,
    /// The FIN was passed on.
    fin_sent: bool,
    /// Bandwidth tokens (bytes), and when they were last refilled.
    tokens: f64,
    refilled: Option<Instant>,
    /// When the last chunk may leave, to keep chunks in order under jitter.
    last_at: Option<Instant>,
}

impl Pipe {
    fn done(&self) -> bool {
        self.fin_sent
    }

    /// When the first chunk may leave, `None` when nothing is queued.
    fn next_at(&self) -> Option<Instant> {
        self.queue.front().map(|c| c.at)
    }
}

struct Conn {
    /// The side that connected to the relay.
    a: Option<Stream>,
    /// The upstream side; `None` while the connection is held before it
    /// reached upstream, or once upstream closed a frozen connection.
    b: Option<Stream>,
    /// a -> b
    up: Pipe,
    /// b -> a
    down: Pipe,
    /// Black-holed: nothing is forwarded ever again.
    frozen: bool,
    /// Accepted during a partition: upstream is reached at the heal.
    pending_upstream: bool,
    /// A side that went away while the connection was held (partition):
    /// its peer is reset at the heal.
    lost_side: bool,
}

impl Conn {
    fn queued(&self) -> u64 {
        (self.up.bytes + self.down.bytes) as u64
    }
}

/// The relay thread's state.
pub(super) struct Worker {
    listener: Listener,
    target: Addr,
    shared: Arc<Shared>,
    conns: Vec<Conn>,
    rng: u64,
    buf: Vec<u8>,
}

/// What to do with a connection after looking at it.
enum Fate {
    Keep,
    /// Close both sides with a FIN.
    Close,
    /// Close both sides with an RST.
    Reset,
}

impl Worker {
    pub(super) fn new(listener: Listener, target: Addr, shared: Arc<Shared>) -> Worker {
        Worker {
            listener,
            target,
            shared,
            conns: Vec::new(),
            rng: 0x9e37_79b9_7f4a_7c15 ^ u64::from(std::process::id()),
            buf: vec![0; 64 * 1024],
        }
    }

    fn control(&self) -> MutexGuard<'_, Control> {
        self.shared
            .control
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    fn random(&mut self) -> u64 {
        // xorshift64*
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub(super) fn run(mut self) {
        let mut fds: Vec<libc::pollfd> = Vec::new();
        loop {
            // The settings for this round, and the commands to carry out.
            let (delay, jitter, rate, held, commands, stop) = {
                let mut c = self.control();
                let commands = std::mem::take(&mut c.commands);
                (c.delay, c.jitter, c.rate, c.held, commands, c.stop)
            };
            if stop {
                break;
            }
            let mut last = None;
            for (number, command) in commands {
                self.carry_out(command);
                last = Some(number);
            }
            if !held {
                self.heal_pending();
            }
            if let Some(number) = last {
                let mut c = self.control();
                c.done = number;
                c.stats.open = self.conns.len() as u64;
                drop(c);
                self.shared.acked.notify_all();
            }

            // What to wait for.
            let now = Instant::now();
            let mut wake = now + TICK;
            fds.clear();
            fds.push(libc::pollfd {
                fd: self.listener.fd(),
                events: libc::POLLIN,
                revents: 0,
            });
            for conn in &self.conns {
                let active = !conn.frozen && !held && !conn.pending_upstream;
                for (side, pipe_out, pipe_in) in [
                    (&conn.a, &conn.up, &conn.down),
                    (&conn.b, &conn.down, &conn.up),
                ] {
                    // `pipe_out` carries what this side sends; `pipe_in`
                    // what it is sent.
                    let Some(stream) = side else {
                        fds.push(libc::pollfd {
                            fd: -1,
                            events: 0,
                            revents: 0,
                        });
                        continue;
                    };
                    let mut events = libc::POLLRDHUP;
                    if active {
                        if !pipe_out.eof && pipe_out.bytes < QUEUE_LIMIT {
                            events |= libc::POLLIN;
                        }
                        if let Some(at) = pipe_in.next_at() {
                            if at <= now && tokens_ready(pipe_in, rate, now) {
                                events |= libc::POLLOUT;
                            } else {
                                wake = wake.min(at.max(now + Duration::from_millis(1)));
                            }
                        }
                    }
                    fds.push(libc::pollfd {
                        fd: stream.fd(),
                        events,
                        revents: 0,
                    });
                }
            }
            let timeout = wake.saturating_duration_since(Instant::now());
            let ms = timeout.as_millis().clamp(1, 1000) as libc::c_int;
            // SAFETY: `fds` is a valid array of `fds.len()` pollfds that
            // poll may write the `revents` of.
            let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
            if n < 0 {
                let err = io::Error::last_os_error();
                assert_eq!(err.kind(), io::ErrorKind::Interrupted, "relay: poll: {err}");
                continue;
            }
            if fds[0].revents != 0 {
                self.accept_all(held);
            }
            // Connections accepted now are after the polled ones, and were
            // not polled: fds[1 + 2i], fds[2 + 2i] belong to conns[i].
            let polled = (fds.len() - 1) / 2;
            let mut fates = Vec::with_capacity(polled);
            for i in 0..polled {
                let (ra, rb) = (fds[1 + 2 * i].revents, fds[2 + 2 * i].revents);
                fates.push(self.service(i, ra, rb, delay, jitter, rate, held));
            }
            let mut discarded = 0;
            for (i, fate) in fates.into_iter().enumerate().rev() {
                match fate {
                    Fate::Keep => {}
                    Fate::Close | Fate::Reset => {
                        let conn = self.conns.remove(i);
                        discarded += conn.queued();
                        close(conn, matches!(fate, Fate::Reset));
                    }
                }
            }
            if discarded > 0 {
                self.control().stats.bytes_discarded += discarded;
            }
        }
        for conn in self.conns.drain(..) {
            close(conn, false);
        }
    }

    fn carry_out(&mut self, command: Command) {
        let mut discarded = 0;
        let mut broken = 0;
        let mut frozen = 0;
        match command {
            Command::Drop | Command::Reset => {
                for conn in self.conns.drain(..) {
                    discarded += conn.queued();
                    broken += 1;
                    close(conn, matches!(command, Command::Reset));
                }
            }
            Command::Blackhole => {
                for conn in &mut self.conns {
                    if !conn.frozen {
                        conn.frozen = true;
                        frozen += 1;
                    }
                }
            }
            Command::Sync => {}
        }
        let mut c = self.control();
        c.stats.bytes_discarded += discarded;
        c.stats.broken += broken;
        c.stats.blackholed += frozen;
    }

    /// After a partition: connections accepted meanwhile reach upstream,
    /// and those whose one side went away reset the other.
    fn heal_pending(&mut self) {
        let mut i = 0;
        while i < self.conns.len() {
            let conn = &mut self.conns[i];
            if conn.frozen {
                i += 1;
                continue;
            }
            if conn.lost_side || (conn.pending_upstream && conn.a.is_none()) {
                let conn = self.conns.remove(i);
                let discarded = conn.queued();
                close(conn, true);
                self.control().stats.bytes_discarded += discarded;
                continue;
            }
            if conn.pending_upstream {
                conn.pending_upstream = false;
                match self.target.connect() {
                    Ok(b) => conn.b = Some(b),
                    Err(_) => {
                        let conn = self.conns.remove(i);
                        close(conn, true);
                        continue;
                    }
                }
            }
            i += 1;
        }
    }

    fn accept_all(&mut self, held: bool) {
        loop {
            let a = match self.listener.accept() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                // Out of fds, a connection reset before it was accepted:
                // try again at the next round.
                Err(_) => return,
            };
            self.control().stats.accepted += 1;
            let mut conn = Conn {
                a: Some(a),
                b: None,
                up: Pipe::default(),
                down: Pipe::default(),
                frozen: false,
                pending_upstream: held,
                lost_side: false,
            };
            if !held {
                match self.target.connect() {
                    Ok(b) => conn.b = Some(b),
                    // Upstream is not there (a peer being restarted): the
                    // connecting side learns it at once, as it would
                    // connecting directly.
                    Err(_) => {
                        close(conn, true);
                        continue;
                    }
                }
            }
            self.conns.push(conn);
        }
    }

    /// Moves bytes on connection `i` after poll reported `ra` on its side
    /// `a` and `rb` on `b`.
    #[allow(clippy::too_many_arguments)]
    fn service(
        &mut self,
        i: usize,
        ra: libc::c_short,
        rb: libc::c_short,
        delay: Duration,
        jitter: Duration,
        rate: Option<u64>,
        held: bool,
    ) -> Fate {
        let gone = libc::POLLHUP | libc::POLLERR | libc::POLLRDHUP;
        let conn = &mut self.conns[i];
        if conn.frozen || held || conn.pending_upstream {
            // Nothing moves; only notice a side that went away. A frozen
            // connection's other side is not told (it stays half-open, as
            // behind a real black hole); a held one's is reset at the heal.
            if ra & gone != 0 && conn.a.take().is_some() {
                conn.lost_side = !conn.frozen;
            }
            if rb & gone != 0 && conn.b.take().is_some() {
                conn.lost_side = !conn.frozen;
            }
            return if conn.a.is_none() && conn.b.is_none() {
                Fate::Close
            } else {
                Fate::Keep
            };
        }
        let now = Instant::now();
        let mut moved_up = 0u64;
        let mut moved_down = 0u64;
        // Read what each side sends.
        for from_a in [true, false] {
            let revents = if from_a { ra } else { rb };
            if revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR | libc::POLLRDHUP) == 0 {
                continue;
            }
            loop {
                let extra = if jitter.is_zero() {
                    Duration::ZERO
                } else {
                    Duration::from_nanos(self.random() % jitter.as_nanos() as u64)
                };
                let conn = &mut self.conns[i];
                let (src, pipe) = if from_a {
                    (&mut conn.a, &mut conn.up)
                } else {
                    (&mut conn.b, &mut conn.down)
                };
                if pipe.eof || pipe.bytes >= QUEUE_LIMIT {
                    break;
                }
                let Some(src) = src.as_mut() else { break };
                match src.read(&mut self.buf) {
                    Ok(0) => {
                        pipe.eof = true;
                        break;
                    }
                    Ok(n) => {
                        let mut at = now + delay + extra;
                        if let Some(last) = pipe.last_at {
                            at = at.max(last);
                        }
                        pipe.last_at = Some(at);
                        pipe.bytes += n;
                        pipe.queue.push_back(Chunk {
                            at,
                            data: self.buf[..n].to_vec(),
                            off: 0,
                        });
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    // Reset by its side: reset the other one too.
                    Err(_) => return Fate::Reset,
                }
            }
        }
        // Write what is due to each side.
        for to_b in [true, false] {
            let conn = &mut self.conns[i];
            let (dst, pipe) = if to_b {
                (&mut conn.b, &mut conn.up)
            } else {
                (&mut conn.a, &mut conn.down)
            };
            let Some(dst) = dst.as_mut() else { continue };
            refill(pipe, rate, now);
            while let Some(chunk) = pipe.queue.front_mut() {
                if chunk.at > now {
                    break;
                }
                let mut len = chunk.data.len() - chunk.off;
                if rate.is_some() {
                    len = len.min(pipe.tokens as usize);
                    if len == 0 {
                        break;
                    }
                }
                match dst.write(&chunk.data[chunk.off..chunk.off + len]) {
                    Ok(n) => {
                        chunk.off += n;
                        pipe.bytes -= n;
                        if rate.is_some() {
                            pipe.tokens -= n as f64;
                        }
                        if to_b {
                            moved_up += n as u64;
                        } else {
                            moved_down += n as u64;
                        }
                        if chunk.off == chunk.data.len() {
                            pipe.queue.pop_front();
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(_) => return Fate::Reset,
                }
            }
            if pipe.eof && pipe.queue.is_empty() && !pipe.fin_sent {
                dst.shutdown_write();
                pipe.fin_sent = true;
            }
        }
        if moved_up + moved_down > 0 {
            let mut c = self.control();
            c.stats.bytes_up += moved_up;
            c.stats.bytes_down += moved_down;
        }
        let conn = &self.conns[i];
        if conn.up.done() && conn.down.done() {
            Fate::Close
        } else {
            Fate::Keep
        }
    }
}

/// Whether a capped pipe has tokens for its next bytes (always, uncapped).
fn tokens_ready(pipe: &Pipe, rate: Option<u64>, now: Instant) -> bool {
    match (rate, pipe.refilled) {
        (None, _) | (Some(_), None) => true,
        (Some(rate), Some(at)) => {
            pipe.tokens + rate as f64 * now.duration_since(at).as_secs_f64() >= 1.0
        }
    }
}

/// Adds the tokens earned since the last refill, up to a burst of 50 ms.
fn refill(pipe: &mut Pipe, rate: Option<u64>, now: Instant) {
    let Some(rate) = rate else { return };
    let burst = (rate as f64 / 20.0).max(1500.0);
    let earned = match pipe.refilled {
        None => burst,
        Some(at) => rate as f64 * now.duration_since(at).as_secs_f64(),
    };
    pipe.tokens = (pipe.tokens + earned).min(burst);
    pipe.refilled = Some(now);
}

/// Closes both sides of a connection, with an RST or a FIN.
fn close(conn: Conn, reset: bool) {
    for side in [conn.a, conn.b].into_iter().flatten() {
        if reset {
            side.reset();
        } else {
            side.shutdown_write();
            drop(side);
        }
    }
}
