//! `inproc_lat` over zmq4's async sockets (`zmq4::tokio`): a REQ task sends
//! `roundtrip-count` requests of `message-size` bytes over inproc to a REP
//! task, which echoes them; prints the average latency (half a round
//! trip). Same arguments and lines as `inproc_lat` (libzmq's
//! `perf/inproc_lat.cpp`), plus the runtime: a current-thread runtime (both
//! tasks on one thread, the default) or a multi-thread one with two workers.
//!
//! ```text
//! async_inproc_lat <message-size> <roundtrip-count> [current|multi]
//! ```
//!
//! Per round trip, on each side: one `AsyncSocket::send` of the message
//! received last (moved, not copied) and one `AsyncSocket::recv`.

#![cfg_attr(not(unix), allow(dead_code, unused_imports))]

#[path = "common.rs"]
mod common;

use common::{async_runtime, atoi, f3, size_arg, usage, wrong_size, OrFail, Stopwatch};
#[cfg(unix)]
use zmq4::tokio::AsyncSocket;
use zmq4::{Context, Message, SocketType};

const USAGE: &str = "async_inproc_lat <message-size> <roundtrip-count> [current|multi]";

#[cfg(not(unix))]
fn main() {
    println!("async_inproc_lat: zmq4::tokio is available on Unix only");
    std::process::exit(1)
}

#[cfg(unix)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 && args.len() != 4 {
        usage(USAGE);
    }
    let message_size = size_arg(&args[1]);
    let roundtrip_count = atoi(&args[2]);
    let rt = async_runtime(args.get(3).map(String::as_str), USAGE);

    // Tasks need a context that lives for 'static.
    let ctx = Context::global();
    let elapsed = rt.block_on(async move {
        let req = ctx.socket(SocketType::Req).or_fail("zmq_socket");
        req.bind("inproc://lat_test").or_fail("zmq_bind");
        let rep = ctx.socket(SocketType::Rep).or_fail("zmq_socket");
        rep.connect("inproc://lat_test").or_fail("zmq_connect");
        let mut req = AsyncSocket::new(req).or_fail("AsyncSocket::new");
        let mut rep = AsyncSocket::new(rep).or_fail("AsyncSocket::new");

        let worker = tokio::spawn(async move {
            let mut i = 0;
            while i != roundtrip_count {
                let msg = rep.recv().await.or_fail("zmq_recvmsg");
                rep.send(msg).await.or_fail("zmq_sendmsg");
                i += 1;
            }
        });

        println!("message size: {} [B]", message_size as i32);
        println!("roundtrip count: {roundtrip_count}");

        let requester = tokio::spawn(async move {
            // Zero-filled, as the C tool's memset.
            let mut msg = Message::with_size(message_size).or_fail("zmq_msg_init_size");
            let watch = Stopwatch::start();
            let mut i = 0;
            while i != roundtrip_count {
                req.send(msg).await.or_fail("zmq_sendmsg");
                msg = req.recv().await.or_fail("zmq_recvmsg");
                if msg.len() != message_size {
                    wrong_size();
                }
                i += 1;
            }
            watch.stop()
        });
        let elapsed = requester.await.expect("requester task");
        worker.await.expect("worker task");
        elapsed
    });

    let latency = elapsed as f64 / f64::from(roundtrip_count.wrapping_mul(2));
    println!("average latency: {} [us]", f3(latency));
}
