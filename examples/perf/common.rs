//! What the six perf tools share: argument parsing as C's `atoi` does it,
//! libzmq's stopwatch, and the exit that the C tools' `return -1` makes.
//!
//! The tools print exactly what libzmq's C tools (`perf/*.cpp`) print, so
//! that a Rust tool and a C tool can be paired and their output compared.

#![allow(dead_code)] // each tool uses a part of this module

use std::process::exit;
use std::thread::{Scope, ScopedJoinHandle};
use std::time::Instant;

use zmq4::{Error, Message, RecvFlags, SendFlags, Socket};

/// Parses an integer as C's `atoi`: leading blanks, an optional sign, the
/// digits that follow; anything else ends the number, and no digits is 0.
pub fn atoi(text: &str) -> i32 {
    let text = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let mut value: i64 = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        value = (value * 10 + i64::from(b - b'0')).min(i64::from(u32::MAX) + 1);
    }
    let value = if negative { -value } else { value };
    value as i32
}

/// A message size as the C tools hold it (`size_t` from `atoi`).
pub fn size_arg(text: &str) -> usize {
    atoi(text) as isize as usize
}

/// The usage line, then exit status 1, as the C tools do.
pub fn usage(line: &str) -> ! {
    println!("usage: {line}");
    exit(1)
}

/// Prints `error in CALL: TEXT` and exits with status 255 (the C tools'
/// `return -1`).
pub fn fail(call: &str, err: &Error) -> ! {
    println!("error in {call}: {}", err.message());
    exit(255)
}

/// The C tools' check after every receive.
pub fn wrong_size() -> ! {
    println!("message of incorrect size received");
    exit(255)
}

/// Extension for `Result`: `.or_fail("zmq_bind")`.
pub trait OrFail<T> {
    /// The value, or the C tools' error line and exit.
    fn or_fail(self, call: &str) -> T;
}

impl<T, E: Into<Error>> OrFail<T> for Result<T, E> {
    #[inline]
    fn or_fail(self, call: &str) -> T {
        match self {
            Ok(v) => v,
            Err(e) => fail(call, &e.into()),
        }
    }
}

/// The inproc tools' worker thread: its errors end the process with status 1
/// (C: `exit (1)`).
pub trait OrExit<T> {
    /// The value, or the C tools' error line and exit status 1.
    fn or_exit(self, call: &str) -> T;
}

impl<T, E: Into<Error>> OrExit<T> for Result<T, E> {
    #[inline]
    fn or_exit(self, call: &str) -> T {
        self.unwrap_or_else(|e| {
            println!("error in {call}: {}", e.into().message());
            exit(1)
        })
    }
}

/// The latency tools' timed loop (REQ side): `roundtrip_count` times send
/// `msg` and receive the reply into it, checking its size; the microseconds
/// taken.
pub fn timed_roundtrips(
    s: &Socket,
    msg: &mut Message,
    message_size: usize,
    roundtrip_count: i32,
) -> u64 {
    let watch = Stopwatch::start();
    let mut i = 0;
    while i != roundtrip_count {
        s.send_msg_mut(msg, SendFlags::empty())
            .or_fail("zmq_sendmsg");
        s.recv(msg, RecvFlags::empty()).or_fail("zmq_recvmsg");
        if msg.len() != message_size {
            wrong_size();
        }
        i += 1;
    }
    watch.stop()
}

/// The throughput tools' receiving side: the first message untimed, then
/// the other `message_count - 1` timed, each size checked; the microseconds
/// taken (at least 1).
pub fn timed_receives(s: &Socket, message_size: usize, message_count: i32) -> u64 {
    let mut msg = Message::new();
    s.recv(&mut msg, RecvFlags::empty()).or_fail("zmq_recvmsg");
    if msg.len() != message_size {
        wrong_size();
    }

    let watch = Stopwatch::start();
    let mut i = 0;
    while i != message_count - 1 {
        s.recv(&mut msg, RecvFlags::empty()).or_fail("zmq_recvmsg");
        if msg.len() != message_size {
            wrong_size();
        }
        i += 1;
    }
    watch.stop().max(1)
}

/// libzmq's `zmq_threadstart` as the inproc tools use it: the worker thread,
/// or `error in pthread_create` and exit status 255.
pub fn thread_start<'scope>(
    scope: &'scope Scope<'scope, '_>,
    f: impl FnOnce() + Send + 'scope,
) -> ScopedJoinHandle<'scope, ()> {
    std::thread::Builder::new()
        .spawn_scoped(scope, f)
        .unwrap_or_else(|e| {
            println!("error in pthread_create: {e}");
            exit(255)
        })
}

/// libzmq's `zmq_threadclose`: joins the worker, or `error in
/// pthread_join` and exit status 255.
pub fn thread_close(thread: ScopedJoinHandle<'_, ()>) {
    if thread.join().is_err() {
        println!("error in pthread_join");
        exit(255);
    }
}

/// libzmq's `zmq_stopwatch_start`/`zmq_stopwatch_stop`: whole microseconds
/// of a monotonic clock.
pub struct Stopwatch(Instant);

impl Stopwatch {
    /// Starts timing.
    pub fn start() -> Stopwatch {
        Stopwatch(Instant::now())
    }

    /// Microseconds since start, as `zmq_stopwatch_stop` returns them
    /// (`unsigned long`).
    pub fn stop(self) -> u64 {
        self.0.elapsed().as_micros() as u64
    }
}

/// `"%.3f"`.
pub fn f3(value: f64) -> String {
    format!("{value:.3}")
}
