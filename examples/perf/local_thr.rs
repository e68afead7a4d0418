//! Port of libzmq's `perf/local_thr.cpp`: a PULL socket binds, receives
//! `message-count` messages of `message-size` bytes and prints the
//! throughput. Pair it with `remote_thr` (this one or libzmq's C tool).
//!
//! ```text
//! local_thr <bind-to> <message-size> <message-count> [<enable_curve>]
//! ```
//! The output lines are those of the C tool, byte for byte.

#[path = "common.rs"]
mod common;

use common::{atoi, size_arg, timed_receives, usage, OrFail};
use zmq4::{CurveSecretKey, SocketType};

// The key is arbitrary but must match remote_thr's (as in the C tools).
const SERVER_PRVKEY: &str = "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 && args.len() != 5 {
        usage("local_thr <bind-to> <message-size> <message-count> [<enable_curve>]");
    }
    let bind_to = &args[1];
    let message_size = size_arg(&args[2]);
    let message_count = atoi(&args[3]);
    let curve = args.len() >= 5 && atoi(&args[4]) != 0;

    let ctx = common::context();
    let s = ctx.socket(SocketType::Pull).or_fail("zmq_socket");
    common::env_options(&s);
    if curve {
        let key = CurveSecretKey::from_z85(SERVER_PRVKEY).or_fail("zmq_setsockoopt");
        s.set_curve_secretkey(&key).or_fail("zmq_setsockoopt");
        s.set_curve_server(true).or_fail("zmq_setsockoopt");
    }
    s.bind(bind_to).or_fail("zmq_bind");

    let elapsed = timed_receives(&s, message_size, message_count);

    let throughput = message_count as f64 / elapsed as f64 * 1_000_000.0;
    let megabits = throughput * message_size as f64 * 8.0 / 1_000_000.0;

    println!("message size: {} [B]", message_size as i32);
    println!("message count: {message_count}");
    println!("mean throughput: {} [msg/s]", throughput as i32);
    println!("mean throughput: {:.3} [Mb/s]", megabits);

    s.close().map_err(|(_, e)| e).or_fail("zmq_close");
    ctx.term().map_err(|(_, e)| e).or_fail("zmq_ctx_term");
}
