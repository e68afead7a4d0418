//! What the peer perf tools share: the arguments, lines and exits of
//! libzmq's perf tools (`perf/local_thr.cpp` and the others), so that any
//! local tool pairs with any remote tool, whatever library each is built
//! on, and the benchmark scripts read them all alike.
//!
//! A program holds the four tools; it runs the one named by the name it was
//! started under (a link named `local_thr`, say) or by its first argument:
//!
//! ```text
//! rzmq_perf local_thr <bind-to> <message-size> <message-count>
//! local_thr <bind-to> <message-size> <message-count>     (a link to it)
//! ```
//!
//! Settings from the environment (ci/bench-peers.sh sets them; none by
//! default): `BENCH_HWM`, both high-water marks, where the library has them.

use std::fmt::Display;
use std::process::exit;
use std::time::Instant;

/// One of libzmq's four tools between two processes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tool {
    /// PULL binds, receives, prints the throughput.
    LocalThr,
    /// PUSH connects, sends.
    RemoteThr,
    /// REP binds, echoes.
    LocalLat,
    /// REQ connects, prints the latency.
    RemoteLat,
}

/// The tool and its arguments.
pub struct Args {
    pub tool: Tool,
    pub endpoint: String,
    pub size: usize,
    pub count: i32,
}

const TOOLS: [(&str, Tool, &str); 4] = [
    (
        "local_thr",
        Tool::LocalThr,
        "local_thr <bind-to> <message-size> <message-count>",
    ),
    (
        "remote_thr",
        Tool::RemoteThr,
        "remote_thr <connect-to> <message-size> <message-count>",
    ),
    (
        "local_lat",
        Tool::LocalLat,
        "local_lat <bind-to> <message-size> <roundtrip-count>",
    ),
    (
        "remote_lat",
        Tool::RemoteLat,
        "remote_lat <connect-to> <message-size> <roundtrip-count>",
    ),
];

/// The command line: the tool from the program's name or first argument,
/// then libzmq's arguments (a usage line and exit status 1 otherwise).
pub fn args(program: &str) -> Args {
    let mut argv: Vec<String> = std::env::args().collect();
    let name = std::path::Path::new(&argv[0])
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut found = TOOLS.iter().find(|t| t.0 == name);
    if found.is_none() && argv.len() > 1 {
        found = TOOLS.iter().find(|t| t.0 == argv[1]);
        if found.is_some() {
            argv.remove(1);
        }
    }
    let Some(&(_, tool, usage)) = found else {
        println!("usage: {program} local_thr|remote_thr|local_lat|remote_lat <endpoint> <message-size> <count>");
        exit(1)
    };
    if argv.len() != 4 {
        println!("usage: {usage}");
        exit(1)
    }
    Args {
        tool,
        endpoint: argv[1].clone(),
        size: atoi(&argv[2]) as isize as usize,
        count: atoi(&argv[3]),
    }
}

/// C's `atoi`: leading blanks, a sign, the digits that follow; 0 if none.
pub fn atoi(text: &str) -> i32 {
    let text = text.trim_start();
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let mut value: i64 = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        value = (value * 10 + i64::from(b - b'0')).min(i64::from(u32::MAX) + 1);
    }
    (if negative { -value } else { value }) as i32
}

/// An integer setting from the environment.
pub fn env_setting(name: &str) -> Option<i32> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .map(|v| atoi(&v))
}

/// `error in CALL: TEXT` and exit status 255, as the C tools' `return -1`.
pub fn fail(call: &str, err: impl Display) -> ! {
    println!("error in {call}: {err}");
    exit(255)
}

/// Extension for `Result`: `.or_fail("zmq_bind")`.
pub trait OrFail<T> {
    fn or_fail(self, call: &str) -> T;
}

impl<T, E: Display> OrFail<T> for Result<T, E> {
    fn or_fail(self, call: &str) -> T {
        self.unwrap_or_else(|e| fail(call, e))
    }
}

/// The C tools' check after every receive.
pub fn check_size(got: usize, want: usize) {
    if got != want {
        println!("message of incorrect size received");
        exit(255)
    }
}

/// `zmq_stopwatch_start`/`_stop`: whole microseconds.
pub struct Stopwatch(Instant);

impl Stopwatch {
    pub fn start() -> Stopwatch {
        Stopwatch(Instant::now())
    }

    pub fn stop(self) -> u64 {
        self.0.elapsed().as_micros() as u64
    }
}

/// local_thr's lines, computed as the C tool computes them.
pub fn print_thr(size: usize, count: i32, elapsed: u64) {
    let elapsed = elapsed.max(1);
    let throughput = f64::from(count) / elapsed as f64 * 1_000_000.0;
    let megabits = throughput * size as f64 * 8.0 / 1_000_000.0;
    println!("message size: {} [B]", size as i32);
    println!("message count: {count}");
    println!("mean throughput: {} [msg/s]", throughput as i32);
    println!("mean throughput: {megabits:.3} [Mb/s]");
}

/// remote_lat's lines: half a round trip, in microseconds.
pub fn print_lat(size: usize, roundtrips: i32, elapsed: u64) {
    let latency = elapsed as f64 / f64::from(roundtrips.wrapping_mul(2));
    println!("message size: {} [B]", size as i32);
    println!("roundtrip count: {roundtrips}");
    println!("average latency: {latency:.3} [us]");
}
