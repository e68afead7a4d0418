//! Counting numbered messages: what was sent, handed back, received,
//! duplicated and reordered, and the outcome of one run.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use zmq4::Message;

/// The bytes of numbered message `seq`: its number, then `size - 8` bytes
/// that depend on it (so a mixed-up message is seen).
pub fn payload(seq: u64, size: usize) -> Message {
    let mut bytes = vec![0u8; size.max(8)];
    bytes[..8].copy_from_slice(&seq.to_le_bytes());
    for (i, b) in bytes[8..].iter_mut().enumerate() {
        *b = (seq as u8).wrapping_add(i as u8);
    }
    Message::from(bytes)
}

/// The number of a message made by [`payload`], `None` if the bytes are
/// not one.
pub fn seq_of(bytes: &[u8]) -> Option<u64> {
    let seq = u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?);
    bytes[8..]
        .iter()
        .enumerate()
        .all(|(i, b)| *b == (seq as u8).wrapping_add(i as u8))
        .then_some(seq)
}

/// What arrived, and when.
pub struct Tally {
    inner: Mutex<Seen>,
}

struct Seen {
    counts: Vec<u16>,
    unique: u64,
    dups: u64,
    reordered: u64,
    max: Option<u64>,
    /// The longest time between two arrivals, and when the last came.
    longest_gap: Duration,
    last: Option<Instant>,
    /// Arrivals of numbers outside the run (a corrupted message).
    strays: u64,
}

/// A snapshot of a [`Tally`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    /// Distinct numbers received.
    pub unique: u64,
    /// Receptions of a number already received.
    pub dups: u64,
    /// Numbers received after a higher one.
    pub reordered: u64,
    /// The longest time without an arrival between two arrivals.
    pub longest_gap: Duration,
    /// Receptions of numbers that were never sent.
    pub strays: u64,
}

impl Tally {
    /// A tally for messages numbered `0..n`.
    pub fn new(n: u64) -> Tally {
        Tally {
            inner: Mutex::new(Seen {
                counts: vec![0; n as usize],
                unique: 0,
                dups: 0,
                reordered: 0,
                max: None,
                longest_gap: Duration::ZERO,
                last: None,
                strays: 0,
            }),
        }
    }

    /// Records the arrival of message `seq`.
    pub fn record(&self, seq: u64) {
        let now = Instant::now();
        let mut seen = self.inner.lock().unwrap();
        if let Some(last) = seen.last {
            seen.longest_gap = seen.longest_gap.max(now - last);
        }
        seen.last = Some(now);
        let Some(count) = seen.counts.get_mut(seq as usize) else {
            seen.strays += 1;
            return;
        };
        *count = count.saturating_add(1);
        if *count > 1 {
            seen.dups += 1;
            return;
        }
        seen.unique += 1;
        if seen.max.is_some_and(|max| seq < max) {
            seen.reordered += 1;
        }
        seen.max = Some(seen.max.map_or(seq, |max| max.max(seq)));
    }

    /// The counts so far.
    pub fn counts(&self) -> Counts {
        let seen = self.inner.lock().unwrap();
        Counts {
            unique: seen.unique,
            dups: seen.dups,
            reordered: seen.reordered,
            longest_gap: seen.longest_gap,
            strays: seen.strays,
        }
    }

    /// Distinct numbers received so far.
    pub fn unique(&self) -> u64 {
        self.inner.lock().unwrap().unique
    }

    /// Whether `seq` arrived.
    pub fn has(&self, seq: u64) -> bool {
        self.inner
            .lock()
            .unwrap()
            .counts
            .get(seq as usize)
            .is_some_and(|c| *c > 0)
    }

    /// The ranges of numbers below `upto` that did not arrive, at most
    /// `max` of them, as text ("120-345, 900").
    pub fn missing(&self, upto: u64, max: usize) -> String {
        let seen = self.inner.lock().unwrap();
        let mut ranges = Vec::new();
        let mut start = None;
        for seq in 0..=upto.min(seen.counts.len() as u64) {
            let missing = seq < upto && seen.counts.get(seq as usize).is_some_and(|c| *c == 0);
            match (missing, start) {
                (true, None) => start = Some(seq),
                (false, Some(s)) => {
                    ranges.push(if s + 1 == seq {
                        s.to_string()
                    } else {
                        format!("{s}-{}", seq - 1)
                    });
                    start = None;
                }
                _ => {}
            }
        }
        let more = ranges.len().saturating_sub(max);
        ranges.truncate(max);
        let mut text = ranges.join(", ");
        if more > 0 {
            text.push_str(&format!(" and {more} more ranges"));
        }
        text
    }

    /// Waits until `want` distinct messages arrived, or nothing arrived for
    /// `quiet`, or `limit` passed. Returns the distinct count.
    pub fn settle(&self, want: u64, quiet: Duration, limit: Duration) -> u64 {
        let start = Instant::now();
        loop {
            let (unique, last) = {
                let seen = self.inner.lock().unwrap();
                (seen.unique, seen.last)
            };
            if unique >= want {
                return unique;
            }
            let idle = last
                .map_or(start.elapsed(), |l| l.elapsed())
                .min(start.elapsed());
            if idle >= quiet || start.elapsed() >= limit {
                return unique;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// The sender's side of a run: messages accepted by `send`, and failed
/// sends, which hand their message back.
#[derive(Default)]
pub struct Sent {
    /// Distinct messages a send accepted.
    pub accepted: AtomicU64,
    /// Failed sends (each handed its message back).
    pub failures: AtomicU64,
    /// Messages given up after a failed send (never accepted), which the
    /// sender therefore knows were not delivered.
    pub given_up: AtomicU64,
    /// Failed sends whose message came back with other bytes than were
    /// sent: must be 0.
    pub mangled: AtomicU64,
    /// Replies that did not match their request (REQ/REP, DEALER/ROUTER):
    /// must be 0.
    pub mismatched: AtomicU64,
}

impl Sent {
    pub fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }
    pub fn add_accepted(&self) {
        self.accepted.fetch_add(1, Ordering::Relaxed);
    }
    /// Records a failed send of message `seq` that handed back `returned`.
    pub fn add_failure(&self, seq: u64, returned: &[u8]) {
        self.failures.fetch_add(1, Ordering::Relaxed);
        if seq_of(returned) != Some(seq) {
            self.mangled.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// What the API (or the transport beneath it) promises for a scenario;
/// a broken promise is a defect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Promise {
    /// Every message accepted by a send arrives once, in order.
    Exactly,
    /// Every message arrives at least once (a resending client).
    AtLeastOnce,
    /// Every message that does not arrive was reported to the sender (its
    /// send failed and handed it back); none vanishes silently.
    Told,
    /// None vanishes silently once the sender has seen the fault (before
    /// that, what was in flight may); the scenario counts the breaches.
    ToldAfterDetection,
    /// Nothing: messages may vanish silently.
    Nothing,
}

impl fmt::Display for Promise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Promise::Exactly => "exactly once",
            Promise::AtLeastOnce => "at least once",
            Promise::Told => "no silent loss",
            Promise::ToldAfterDetection => "no silent loss once detected",
            Promise::Nothing => "none",
        })
    }
}

/// The outcome of one run: a row of the table.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub pattern: String,
    pub transport: String,
    pub fault: String,
    /// Faults injected during the run.
    pub faults: u64,
    /// Distinct messages accepted by a send.
    pub sent: u64,
    /// Distinct messages received.
    pub delivered: u64,
    /// Accepted by a send and never received: lost without a word.
    pub lost: u64,
    /// Failed sends (each handed its message back): what the sender was told.
    pub told: u64,
    pub dups: u64,
    pub reordered: u64,
    /// From the fault to the sender's first sign of it, and what that was.
    pub detect: Option<Duration>,
    pub detect_by: String,
    /// The longest time without an arrival.
    pub outage: Duration,
    pub promise: Promise,
    /// Broken promises (see [`Outcome::violations`]).
    pub violations: u64,
    /// The run ended by its watchdog.
    pub hung: bool,
    /// Peer processes that died by themselves (not killed by the test):
    /// libzmq aborting on an assertion.
    pub crashed_peers: u64,
    pub elapsed: Duration,
    pub notes: String,
}

impl Outcome {
    /// A row with nothing counted yet.
    pub fn new(pattern: &str, transport: &str, fault: &str, promise: Promise) -> Outcome {
        Outcome {
            pattern: pattern.to_owned(),
            transport: transport.to_owned(),
            fault: fault.to_owned(),
            faults: 0,
            sent: 0,
            delivered: 0,
            lost: 0,
            told: 0,
            dups: 0,
            reordered: 0,
            detect: None,
            detect_by: String::new(),
            outage: Duration::ZERO,
            promise,
            violations: 0,
            hung: false,
            crashed_peers: 0,
            elapsed: Duration::ZERO,
            notes: String::new(),
        }
    }

    /// Fills the counts from the sender's and the receiver's side, and
    /// counts the broken promises: losses (and, for "exactly once",
    /// duplicates and reordering) where the promise rules them out,
    /// messages handed back mangled, mismatched replies, and stray
    /// messages.
    pub fn count(&mut self, sent: &Sent, tally: &Tally) {
        let counts = tally.counts();
        self.sent = sent.accepted();
        self.delivered = counts.unique;
        self.lost = self.sent.saturating_sub(counts.unique);
        self.told = sent.failures.load(Ordering::Relaxed);
        self.dups = counts.dups;
        self.reordered = counts.reordered;
        self.outage = counts.longest_gap;
        let defects = sent.mangled.load(Ordering::Relaxed)
            + sent.mismatched.load(Ordering::Relaxed)
            + counts.strays;
        self.violations = defects
            + match self.promise {
                Promise::Exactly => self.lost + self.dups + self.reordered,
                Promise::AtLeastOnce | Promise::Told => self.lost,
                Promise::Nothing | Promise::ToldAfterDetection => 0,
            };
    }

    /// Adds a note.
    pub fn note(&mut self, note: impl AsRef<str>) {
        if !self.notes.is_empty() {
            self.notes.push_str("; ");
        }
        self.notes.push_str(note.as_ref());
    }

    /// Fails the calling test if a promise was broken or the run hung.
    pub fn check(&self) {
        assert!(!self.hung, "{self}: hung");
        assert_eq!(self.violations, 0, "{self}: broken promises");
    }
}

/// Formats a duration for the table: "12 ms", "3.4 s".
pub fn ms(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}: sent {} delivered {} lost {} told {} dup {} reordered {} detect {} outage {} \
             promise {} violations {}{} in {}",
            self.pattern,
            self.transport,
            self.fault,
            self.sent,
            self.delivered,
            self.lost,
            self.told,
            self.dups,
            self.reordered,
            match self.detect {
                Some(d) => format!("{} ({})", ms(d), self.detect_by),
                None if self.detect_by.is_empty() => "-".to_owned(),
                None => self.detect_by.clone(),
            },
            ms(self.outage),
            self.promise,
            self.violations,
            if self.hung { " HUNG" } else { "" },
            ms(self.elapsed),
        )?;
        if !self.notes.is_empty() {
            write!(f, " [{}]", self.notes)?;
        }
        Ok(())
    }
}
