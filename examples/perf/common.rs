//! What the six perf tools share: argument parsing as C's `atoi` does it,
//! libzmq's stopwatch, and the exit that the C tools' `return -1` makes.
//!
//! The tools print exactly what libzmq's C tools (`perf/*.cpp`) print, so
//! that a Rust tool and a C tool can be paired and their output compared.

#![allow(dead_code)] // each tool uses a part of this module

use std::process::exit;
use std::thread::{Scope, ScopedJoinHandle};
use std::time::Instant;

use zmq4::{Context, ContextBuilder, Error, Message, Received, RecvFlags, SendFlags, Socket};

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

/// An integer setting of the benchmark scripts from the environment
/// (`ci/bench/c/perf.h` reads the same ones); none is set by default.
fn env_setting(name: &str) -> Option<i32> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .map(|v| atoi(&v))
}

/// The tools' context: `zmq_init (1)`, or `BENCH_IO_THREADS` I/O threads
/// when that is set.
pub fn context() -> Context {
    match env_setting("BENCH_IO_THREADS") {
        Some(n) => ContextBuilder::new().io_threads(n.max(0) as usize).build(),
        None => Context::new(),
    }
    .or_fail("zmq_init")
}

/// The settings the benchmark scripts give through the environment, before
/// bind/connect: `BENCH_HWM` (both high-water marks), `BENCH_SNDBUF`,
/// `BENCH_RCVBUF` and, with the DRAFT API, `BENCH_IN_BATCH` and
/// `BENCH_OUT_BATCH`.
pub fn env_options(s: &Socket) {
    if let Some(hwm) = env_setting("BENCH_HWM") {
        // As the C tools pass it: 0 is libzmq's "no limit".
        let limit = (hwm != 0).then_some(hwm);
        s.set_sndhwm(limit).or_fail("zmq_setsockopt");
        s.set_rcvhwm(limit).or_fail("zmq_setsockopt");
    }
    if let Some(bytes) = env_setting("BENCH_SNDBUF") {
        s.set_sndbuf(Some(bytes)).or_fail("zmq_setsockopt");
    }
    if let Some(bytes) = env_setting("BENCH_RCVBUF") {
        s.set_rcvbuf(Some(bytes)).or_fail("zmq_setsockopt");
    }
    #[cfg(feature = "draft")]
    {
        if let Some(bytes) = env_setting("BENCH_IN_BATCH") {
            s.set_in_batch_size(bytes).or_fail("zmq_setsockopt");
        }
        if let Some(bytes) = env_setting("BENCH_OUT_BATCH") {
            s.set_out_batch_size(bytes).or_fail("zmq_setsockopt");
        }
    }
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

/// How the throughput tools send (`BENCH_SEND`, to measure each of
/// zmq4's paths): `send_msg` (the default: `Message::with_size_uninit` +
/// `send_msg`), `send_msg_mut` (the same message through `&mut`),
/// `send_new` (the message built, zeroed, where it is sent) or
/// `send` (the copying `send(&[u8])` of a buffer written once).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SendPath {
    Msg,
    MsgMut,
    New,
    Copy,
}

/// How the throughput tools receive (`BENCH_RECV`): `recv` (the default:
/// into one reused `Message`), `recv_into` (copied into a buffer of the
/// message size) or `recv_msg` (a new `Message` each time).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RecvPath {
    Recv,
    Into,
    Msg,
}

/// The send path of `BENCH_SEND`; an unknown name is the usage line.
pub fn send_path() -> SendPath {
    match std::env::var("BENCH_SEND").as_deref() {
        Err(_) | Ok("" | "send_msg") => SendPath::Msg,
        Ok("send_msg_mut") => SendPath::MsgMut,
        Ok("send_new") => SendPath::New,
        Ok("send") => SendPath::Copy,
        Ok(other) => usage(&format!(
            "BENCH_SEND={other}: send_msg, send_msg_mut, send_new or send"
        )),
    }
}

/// The receive path of `BENCH_RECV`; an unknown name is the usage line.
pub fn recv_path() -> RecvPath {
    match std::env::var("BENCH_RECV").as_deref() {
        Err(_) | Ok("" | "recv") => RecvPath::Recv,
        Ok("recv_into") => RecvPath::Into,
        Ok("recv_msg") => RecvPath::Msg,
        Ok(other) => usage(&format!("BENCH_RECV={other}: recv, recv_into or recv_msg")),
    }
}

/// The throughput tools' sending side: `message_count` messages of
/// `message_size` bytes, by the path of `BENCH_SEND` (one loop per path,
/// so that the choice costs nothing per message); `fail` ends the process
/// with the C tools' line for a failed call.
pub fn sends(s: &Socket, message_size: usize, message_count: i32, fail: fn(Error, &str) -> !) {
    let mut i = 0;
    match send_path() {
        SendPath::Msg => {
            while i != message_count {
                // As the C tool, the content is allocated and not written.
                // SAFETY: these programs never read the content; libzmq
                // sends it as plain memory.
                let msg = unsafe { Message::with_size_uninit(message_size) }
                    .unwrap_or_else(|e| fail(e, "zmq_msg_init_size"));
                if let Err(e) = s.send_msg(msg, SendFlags::empty()) {
                    fail(e.into(), "zmq_sendmsg");
                }
                i += 1;
            }
        }
        SendPath::MsgMut => {
            while i != message_count {
                // SAFETY: as above.
                let mut msg = unsafe { Message::with_size_uninit(message_size) }
                    .unwrap_or_else(|e| fail(e, "zmq_msg_init_size"));
                if let Err(e) = s.send_msg_mut(&mut msg, SendFlags::empty()) {
                    fail(e, "zmq_sendmsg");
                }
                i += 1;
            }
        }
        SendPath::New => {
            while i != message_count {
                // The message is built where it is sent, its content
                // zeroed (the C loop's memset).
                let sent = s.send_new(message_size, SendFlags::empty(), |_| {});
                if let Err(e) = sent {
                    fail(e, "zmq_sendmsg");
                }
                i += 1;
            }
        }
        SendPath::Copy => {
            let data = vec![0u8; message_size];
            while i != message_count {
                if let Err(e) = s.send(&data, SendFlags::empty()) {
                    fail(e, "zmq_send");
                }
                i += 1;
            }
        }
    }
}

/// `fail` for `sends`: the C tools' `return -1`.
pub fn fail_main(err: Error, call: &str) -> ! {
    fail(call, &err)
}

/// `fail` for `sends` on the inproc tools' worker thread: `exit (1)`.
pub fn fail_worker(err: Error, call: &str) -> ! {
    println!("error in {call}: {}", err.message());
    exit(1)
}

/// The throughput tools' receiving side: the first message untimed, then
/// the other `message_count - 1` timed, each size checked; the microseconds
/// taken (at least 1). Through the path of `BENCH_RECV`.
pub fn timed_receives(s: &Socket, message_size: usize, message_count: i32) -> u64 {
    match recv_path() {
        RecvPath::Recv => timed_receives_msg(s, message_size, message_count),
        RecvPath::Into => {
            let mut buf = vec![0u8; message_size];
            let mut receive = || match s.recv_into(&mut buf, RecvFlags::empty()) {
                Ok(Received::Complete(n)) if n == message_size => {}
                Ok(_) => wrong_size(),
                Err(e) => fail("zmq_recv", &e),
            };
            receive();
            let watch = Stopwatch::start();
            let mut i = 0;
            while i != message_count - 1 {
                receive();
                i += 1;
            }
            watch.stop().max(1)
        }
        RecvPath::Msg => {
            let receive = || {
                let msg = s.recv_msg(RecvFlags::empty()).or_fail("zmq_recvmsg");
                if msg.len() != message_size {
                    wrong_size();
                }
            };
            receive();
            let watch = Stopwatch::start();
            let mut i = 0;
            while i != message_count - 1 {
                receive();
                i += 1;
            }
            watch.stop().max(1)
        }
    }
}

/// `timed_receives` through `recv` into one reused `Message`: the C tools'
/// calls.
fn timed_receives_msg(s: &Socket, message_size: usize, message_count: i32) -> u64 {
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

/// The async tools' runtime: `current` (the default: one thread, both
/// tasks on it) or `multi` (two worker threads); anything else is the
/// usage line.
#[cfg(feature = "tokio")]
pub fn async_runtime(flavor: Option<&str>, usage_line: &str) -> tokio::runtime::Runtime {
    let mut builder = match flavor {
        None | Some("current") => tokio::runtime::Builder::new_current_thread(),
        Some("multi") => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(2);
            b
        }
        Some(_) => usage(usage_line),
    };
    builder.enable_all().build().unwrap_or_else(|e| {
        println!("error in the tokio runtime: {e}");
        exit(255)
    })
}
