//! What a proxy costs on the hot path: `inproc_thr` with a proxy in the
//! middle. A worker thread's PUSH sends `message-count` messages of
//! `message-size` bytes over inproc to a PULL frontend; a proxy thread
//! forwards them to a PUSH backend; the main thread's PULL receives them
//! and prints the throughput.
//!
//! ```text
//! proxy_thr <proxy> <message-size> <message-count> [staged]
//! ```
//!
//! `proxy` is `libzmq` (libzmq's `zmq_proxy`, through [`zmq4::proxy`]),
//! `steerable` (zmq4's [`SteerableProxy`]), or `none` (no proxy: the
//! worker sends to the main thread directly, the cost of everything but
//! the proxy). Counting instructions under callgrind with N and 2N
//! messages and taking the difference divided by N gives the cost of one
//! message through the whole pipeline; subtracting the `none` figure
//! leaves the proxy's.
//!
//! `staged` takes the scheduling out of the count: every queue is
//! unbounded, the worker sends all its messages before the proxy starts,
//! and the proxy then forwards them in full bursts. Run under callgrind
//! with `--separate-threads=yes`, the proxy thread's own instructions per
//! message are then the same from run to run.

#[path = "common.rs"]
mod common;

use common::{atoi, size_arg, thread_close, thread_start, timed_receives, usage, OrExit, OrFail};
use zmq4::{Context, Message, SendFlags, SocketType, SteerableProxy};

const FRONTEND: &str = "inproc://proxy_thr_in";
const BACKEND: &str = "inproc://proxy_thr_out";

fn worker(
    ctx: &Context,
    endpoint: &str,
    hwm: Option<i32>,
    message_size: usize,
    message_count: i32,
) {
    let s = ctx.socket(SocketType::Push).or_exit("zmq_socket");
    s.set_sndhwm(hwm).or_exit("zmq_setsockopt");
    s.connect(endpoint).or_exit("zmq_connect");
    for _ in 0..message_count {
        // SAFETY: this program never reads the content; the receiver only
        // looks at its size.
        let msg = unsafe { Message::with_size_uninit(message_size) }.or_exit("zmq_msg_init_size");
        s.send_msg(msg, SendFlags::empty()).or_exit("zmq_sendmsg");
    }
    s.close().map_err(|(_, e)| e).or_exit("zmq_close");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let staged = args.len() == 5 && args[4] == "staged";
    if !(args.len() == 4 || staged) || !["libzmq", "steerable", "none"].contains(&args[1].as_str())
    {
        usage("proxy_thr <libzmq|steerable|none> <message-size> <message-count> [staged]");
    }
    let kind = args[1].as_str();
    let message_size = size_arg(&args[2]);
    let message_count = atoi(&args[3]);
    // Unbounded queues (None) when staged, so that nothing waits for room.
    let hwm = if staged { None } else { Some(1000) };

    let ctx = Context::new().or_fail("zmq_init");
    let s = ctx.socket(SocketType::Pull).or_fail("zmq_socket");
    s.set_rcvhwm(hwm).or_fail("zmq_setsockopt");
    s.bind(BACKEND).or_fail("zmq_bind");
    let frontend = ctx.socket(SocketType::Pull).or_fail("zmq_socket");
    frontend.set_rcvhwm(hwm).or_fail("zmq_setsockopt");
    let backend = ctx.socket(SocketType::Push).or_fail("zmq_socket");
    backend.set_sndhwm(hwm).or_fail("zmq_setsockopt");
    let (steerable, control) = SteerableProxy::new(&ctx).or_fail("proxy control");
    let entry = if kind == "none" { BACKEND } else { FRONTEND };
    if kind != "none" {
        frontend.bind(FRONTEND).or_fail("zmq_bind");
        backend.connect(BACKEND).or_fail("zmq_connect");
    }

    let elapsed = std::thread::scope(|scope| {
        // Staged: the proxy thread starts first (so that each thread keeps
        // its own profile) and waits until the worker has sent everything.
        let (sent, wait_sent) = std::sync::mpsc::channel::<()>();
        let proxy = thread_start(scope, move || {
            if staged {
                let _ = wait_sent.recv();
            }
            match kind {
                "libzmq" => zmq4::proxy(&frontend, &backend, None).or_exit("zmq_proxy"),
                "steerable" => drop(
                    steerable
                        .run(&frontend, &backend, None)
                        .or_exit("SteerableProxy::run"),
                ),
                _ => drop(steerable),
            }
        });
        let ctx = &ctx;
        let local_thread = thread_start(scope, move || {
            worker(ctx, entry, hwm, message_size, message_count);
            drop(sent);
        });

        println!("proxy: {kind}");
        println!("message size: {} [B]", message_size as i32);
        println!("message count: {message_count}");

        let elapsed = timed_receives(&s, message_size, message_count);

        thread_close(local_thread);
        // zmq_proxy ends when the context is shut down; the steerable one
        // when told to.
        if kind == "libzmq" {
            ctx.shutdown().or_fail("zmq_ctx_shutdown");
        } else {
            control.terminate().or_fail("terminate");
        }
        thread_close(proxy);
        elapsed
    });

    let throughput = (message_count as f64 / elapsed as f64 * 1_000_000.0) as u64;
    let megabits =
        throughput.wrapping_mul(message_size as u64).wrapping_mul(8) as f64 / 1_000_000.0;

    println!("mean throughput: {} [msg/s]", throughput as i32);
    println!("mean throughput: {:.3} [Mb/s]", megabits);
}
