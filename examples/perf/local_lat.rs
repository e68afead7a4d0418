//! Port of libzmq's `perf/local_lat.cpp`: a REP socket binds and echoes
//! `roundtrip-count` messages of `message-size` bytes. Pair it with
//! `remote_lat` (this one or libzmq's C tool), which prints the latency.
//!
//! ```text
//! local_lat <bind-to> <message-size> <roundtrip-count>
//! ```

#[path = "common.rs"]
mod common;

use std::time::Duration;

use common::{atoi, size_arg, usage, wrong_size, OrFail};
use zmq4::{Message, RecvFlags, SendFlags, SocketType};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        usage("local_lat <bind-to> <message-size> <roundtrip-count>");
    }
    let bind_to = &args[1];
    let message_size = size_arg(&args[2]);
    let roundtrip_count = atoi(&args[3]);

    let ctx = common::context();
    let s = ctx.socket(SocketType::Rep).or_fail("zmq_socket");
    common::env_options(&s);
    s.bind(bind_to).or_fail("zmq_bind");

    // One message echoes every round trip: a receive fills it, the send
    // hands its content to libzmq and leaves it empty for the next one.
    let mut msg = Message::new();
    let mut i = 0;
    while i != roundtrip_count {
        s.recv(&mut msg, RecvFlags::empty()).or_fail("zmq_recvmsg");
        if msg.len() != message_size {
            wrong_size();
        }
        s.send_msg_mut(&mut msg, SendFlags::empty())
            .or_fail("zmq_sendmsg");
        i += 1;
    }
    drop(msg);

    // As the C tool (zmq_sleep (1)): give the last reply time to leave.
    std::thread::sleep(Duration::from_secs(1));

    s.close().map_err(|(_, e)| e).or_fail("zmq_close");
    ctx.term().map_err(|(_, e)| e).or_fail("zmq_ctx_term");
}
