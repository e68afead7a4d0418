//! Port of libzmq's `perf/remote_lat.cpp`: a REQ socket connects, sends
//! `roundtrip-count` requests of `message-size` bytes, each answered by
//! `local_lat`, and prints the average latency (half a round trip).
//!
//! ```text
//! remote_lat <connect-to> <message-size> <roundtrip-count>
//! ```

#[path = "common.rs"]
mod common;

use common::{atoi, f3, size_arg, timed_roundtrips, usage, OrFail};
use zmq4::{Message, SocketType};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        usage("remote_lat <connect-to> <message-size> <roundtrip-count>");
    }
    let connect_to = &args[1];
    let message_size = size_arg(&args[2]);
    let roundtrip_count = atoi(&args[3]);

    let ctx = common::context();
    let s = ctx.socket(SocketType::Req).or_fail("zmq_socket");
    common::env_options(&s);
    s.connect(connect_to).or_fail("zmq_connect");

    // Zero-filled, as the C tool's memset.
    let mut msg = Message::with_size(message_size).or_fail("zmq_msg_init_size");

    let elapsed = timed_roundtrips(&s, &mut msg, message_size, roundtrip_count);
    drop(msg);

    let latency = elapsed as f64 / f64::from(roundtrip_count.wrapping_mul(2));

    println!("message size: {} [B]", message_size as i32);
    println!("roundtrip count: {roundtrip_count}");
    println!("average latency: {} [us]", f3(latency));

    s.close().map_err(|(_, e)| e).or_fail("zmq_close");
    ctx.term().map_err(|(_, e)| e).or_fail("zmq_ctx_term");
}
