//! What a [`Channeler`] costs per message: `inproc_thr` with a channeler
//! at one end. A worker thread sends `message-count` messages of
//! `message-size` bytes over inproc, PUSH to PULL, and the main thread
//! receives them and prints the throughput.
//!
//! ```text
//! channeler_thr <mode> <message-size> <message-count>
//! ```
//!
//! `mode` says which end goes through a channeler: `socket` (neither: the
//! plain sockets, the baseline), `send` (the worker's PUSH), `recv` (the
//! main thread's PULL) or `both`. Each message is one part, made from a
//! `Vec` in every mode (moved into libzmq without a copy), so that the
//! modes differ only by the channeler.

#[path = "common.rs"]
mod common;

use std::time::Instant;

use common::{atoi, size_arg, usage, OrExit, OrFail};
use zmq4::{Channeler, Context, Message, RecvFlags, SendFlags, SocketType};

const ENDPOINT: &str = "inproc://channeler_thr";

/// Which ends go through a channeler.
#[derive(Clone, Copy)]
struct Mode {
    send: bool,
    recv: bool,
}

fn message(size: usize) -> Message {
    Message::from(vec![0u8; size])
}

fn worker(ctx: &Context, mode: Mode, message_size: usize, message_count: i32) {
    let s = ctx.owned_socket(SocketType::Push).or_exit("zmq_socket");
    common::env_options(&s);
    s.connect(ENDPOINT).or_exit("zmq_connect");
    if mode.send {
        let ch = Channeler::from_socket(s).or_exit("Channeler::from_socket");
        for _ in 0..message_count {
            ch.send([message(message_size)]).or_exit("Channeler::send");
        }
        // The drop hands what is queued to the socket.
    } else {
        for _ in 0..message_count {
            s.send_msg(message(message_size), SendFlags::empty())
                .or_exit("zmq_sendmsg");
        }
    }
}

fn check(len: usize, message_size: usize) {
    if len != message_size {
        common::wrong_size();
    }
}

/// The first message untimed, then the other `message_count - 1` timed,
/// as `inproc_thr`; the microseconds taken (at least 1).
fn timed_receives(ctx: &Context, mode: Mode, message_size: usize, message_count: i32) -> u64 {
    let s = ctx.owned_socket(SocketType::Pull).or_fail("zmq_socket");
    common::env_options(&s);
    s.bind(ENDPOINT).or_fail("zmq_bind");
    let start;
    if mode.recv {
        let ch = Channeler::from_socket(s).or_fail("Channeler::from_socket");
        let receive = || {
            let parts = ch.recv().or_fail("Channeler::recv");
            check(parts[0].len(), message_size);
        };
        receive();
        start = Instant::now();
        for _ in 1..message_count {
            receive();
        }
    } else {
        let mut msg = Message::new();
        let mut receive = || {
            s.recv(&mut msg, RecvFlags::empty()).or_fail("zmq_recvmsg");
            check(msg.len(), message_size);
        };
        receive();
        start = Instant::now();
        for _ in 1..message_count {
            receive();
        }
    }
    (start.elapsed().as_micros() as u64).max(1)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        usage("channeler_thr <socket|send|recv|both> <message-size> <message-count>");
    }
    let mode = match args[1].as_str() {
        "socket" => Mode {
            send: false,
            recv: false,
        },
        "send" => Mode {
            send: true,
            recv: false,
        },
        "recv" => Mode {
            send: false,
            recv: true,
        },
        "both" => Mode {
            send: true,
            recv: true,
        },
        _ => usage("channeler_thr <socket|send|recv|both> <message-size> <message-count>"),
    };
    let message_size = size_arg(&args[2]);
    let message_count = atoi(&args[3]).max(1);

    let ctx = common::context();
    println!("mode: {}", args[1]);
    println!("message size: {} [B]", message_size as i32);
    println!("message count: {message_count}");
    let elapsed = std::thread::scope(|scope| {
        // The PULL binds inside timed_receives; inproc lets the PUSH
        // connect first.
        let sender = scope.spawn(|| worker(&ctx, mode, message_size, message_count));
        let elapsed = timed_receives(&ctx, mode, message_size, message_count);
        sender.join().expect("the worker panicked");
        elapsed
    });
    let throughput = (message_count as f64 / elapsed as f64 * 1_000_000.0) as u64;
    println!("mean throughput: {throughput} [msg/s]");
    println!(
        "per message: {:.0} [ns]",
        elapsed as f64 * 1000.0 / message_count as f64
    );
}
