//! Port of libzmq's `perf/remote_thr.cpp`: a PUSH socket connects and sends
//! `message-count` messages of `message-size` bytes, as fast as it can.
//! Pair it with `local_thr` (this one or libzmq's C tool).
//!
//! ```text
//! remote_thr <connect-to> <message-size> <message-count> [<enable_curve>]
//! ```

#[path = "common.rs"]
mod common;

use common::{atoi, size_arg, usage, OrFail};
use zmq4::{CurveKey, CurveSecretKey, SocketType};

// The keys are arbitrary but must match local_thr's (as in the C tools).
const SERVER_PUBKEY: &str = "DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH";
const CLIENT_PUBKEY: &str = "<n^oA}I:66W+*ds3tAmi1+KJzv-}k&fC2aA5Bj0K";
const CLIENT_PRVKEY: &str = "9R9bV}[6z6DC-%$!jTVTKvWc=LEL{4i4gzUe$@Zx";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 && args.len() != 5 {
        usage("remote_thr <connect-to> <message-size> <message-count> [<enable_curve>]");
    }
    let connect_to = &args[1];
    let message_size = size_arg(&args[2]);
    let message_count = atoi(&args[3]);
    let curve = args.len() >= 5 && atoi(&args[4]) != 0;

    let ctx = common::context();
    let s = ctx.socket(SocketType::Push).or_fail("zmq_socket");
    common::env_options(&s);
    if curve {
        let key = |z85| CurveKey::from_z85(z85).or_fail("zmq_setsockoopt");
        let secret = CurveSecretKey::from_z85(CLIENT_PRVKEY).or_fail("zmq_setsockoopt");
        s.set_curve_secretkey(&secret).or_fail("zmq_setsockoopt");
        s.set_curve_publickey(&key(CLIENT_PUBKEY))
            .or_fail("zmq_setsockoopt");
        s.set_curve_serverkey(&key(SERVER_PUBKEY))
            .or_fail("zmq_setsockoopt");
    }
    s.connect(connect_to).or_fail("zmq_connect");

    common::sends(&s, message_size, message_count, common::fail_main);

    s.close().map_err(|(_, e)| e).or_fail("zmq_close");
    ctx.term().map_err(|(_, e)| e).or_fail("zmq_ctx_term");
}
