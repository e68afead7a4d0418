//! Port of libzmq's `perf/inproc_lat.cpp`: in one process and one context,
//! the main thread's REQ socket sends `roundtrip-count` requests of
//! `message-size` bytes over inproc to a worker thread's REP socket, which
//! echoes them; prints the average latency (half a round trip).
//!
//! ```text
//! inproc_lat <message-size> <roundtrip-count>
//! ```

#[path = "common.rs"]
mod common;

use common::{
    atoi, f3, size_arg, thread_close, thread_start, timed_roundtrips, usage, OrExit, OrFail,
};
use zmq4::{Context, Message, RecvFlags, SendFlags, SocketType};

fn worker(ctx: &Context, roundtrip_count: i32) {
    let s = ctx.socket(SocketType::Rep).or_exit("zmq_socket");
    common::env_options(&s);
    s.connect("inproc://lat_test").or_exit("zmq_connect");
    let mut msg = Message::new();
    let mut i = 0;
    while i != roundtrip_count {
        s.recv(&mut msg, RecvFlags::empty()).or_exit("zmq_recvmsg");
        s.send_msg_mut(&mut msg, SendFlags::empty())
            .or_exit("zmq_sendmsg");
        i += 1;
    }
    drop(msg);
    s.close().map_err(|(_, e)| e).or_exit("zmq_close");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        usage("inproc_lat <message-size> <roundtrip-count>");
    }
    let message_size = size_arg(&args[1]);
    let roundtrip_count = atoi(&args[2]);

    let ctx = common::context();
    let s = ctx.socket(SocketType::Req).or_fail("zmq_socket");
    common::env_options(&s);
    s.bind("inproc://lat_test").or_fail("zmq_bind");

    let latency = std::thread::scope(|scope| {
        let local_thread = thread_start(scope, || worker(&ctx, roundtrip_count));

        // Zero-filled, as the C tool's memset.
        let mut msg = Message::with_size(message_size).or_fail("zmq_msg_init_size");

        println!("message size: {} [B]", message_size as i32);
        println!("roundtrip count: {roundtrip_count}");

        let elapsed = timed_roundtrips(&s, &mut msg, message_size, roundtrip_count);
        drop(msg);

        let latency = elapsed as f64 / f64::from(roundtrip_count.wrapping_mul(2));

        thread_close(local_thread);
        latency
    });

    println!("average latency: {} [us]", f3(latency));

    s.close().map_err(|(_, e)| e).or_fail("zmq_close");
    ctx.term().map_err(|(_, e)| e).or_fail("zmq_ctx_term");
}
