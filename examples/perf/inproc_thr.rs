//! Port of libzmq's `perf/inproc_thr.cpp`: in one process and one context,
//! a worker thread's PUSH socket sends `message-count` messages of
//! `message-size` bytes over inproc to the main thread's PULL socket,
//! which prints the throughput.
//!
//! ```text
//! inproc_thr <message-size> <message-count>
//! ```

#[path = "common.rs"]
mod common;

use common::{atoi, size_arg, thread_close, thread_start, timed_receives, usage, OrExit, OrFail};
use zmq4::{Context, SocketType};

fn worker(ctx: &Context, message_size: usize, message_count: i32) {
    let s = ctx.socket(SocketType::Push).or_exit("zmq_socket");
    common::env_options(&s);
    s.connect("inproc://thr_test").or_exit("zmq_connect");
    common::sends(&s, message_size, message_count, common::fail_worker);
    s.close().map_err(|(_, e)| e).or_exit("zmq_close");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        usage("inproc_thr <message-size> <message-count>");
    }
    let message_size = size_arg(&args[1]);
    let message_count = atoi(&args[2]);

    let ctx = common::context();
    let s = ctx.socket(SocketType::Pull).or_fail("zmq_socket");
    common::env_options(&s);
    s.bind("inproc://thr_test").or_fail("zmq_bind");

    let elapsed = std::thread::scope(|scope| {
        let local_thread = thread_start(scope, || worker(&ctx, message_size, message_count));

        println!("message size: {} [B]", message_size as i32);
        println!("message count: {message_count}");

        let elapsed = timed_receives(&s, message_size, message_count);

        thread_close(local_thread);
        elapsed
    });

    s.close().map_err(|(_, e)| e).or_fail("zmq_close");
    ctx.term().map_err(|(_, e)| e).or_fail("zmq_ctx_term");

    // As the C tool: the rate is truncated to an integer before the
    // megabits are computed from it.
    let throughput = (message_count as f64 / elapsed as f64 * 1_000_000.0) as u64;
    let megabits =
        throughput.wrapping_mul(message_size as u64).wrapping_mul(8) as f64 / 1_000_000.0;

    println!("mean throughput: {} [msg/s]", throughput as i32);
    println!("mean throughput: {:.3} [Mb/s]", megabits);
}
