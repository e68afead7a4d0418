//! What the six perf tools share: argument parsing as C's `atoi` does it,
//! libzmq's stopwatch, and the exit that the C tools' `return -1` makes.
//!
//! The tools print exactly what libzmq's C tools (`perf/*.cpp`) print, so
//! that a Rust tool and a C tool can be paired and their output compared.

#![allow(dead_code)] // each tool uses a part of this module

use std::process::exit;
use std::time::Instant;

use zmq4::Error;

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
