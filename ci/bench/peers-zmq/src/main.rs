//! libzmq's four perf tools on rust-zmq (crate `zmq` 0.10): the arguments
//! and lines are those of libzmq's tools (see ../peers/src/lib.rs). Per
//! message, the cheapest safe calls rust-zmq offers: `Message::with_size`
//! (zero-filled) + `send` on the sending side, `recv` into one reused
//! `Message` on the receiving side; REQ/REP send the message received last
//! (moved) and receive into a new one (`recv_msg`).
//!
//! Settings from the environment: `BENCH_HWM` (both high-water marks).

#[path = "../../peers/src/lib.rs"]
#[allow(dead_code)]
mod common;

use common::{args, check_size, env_setting, print_lat, print_thr, OrFail, Stopwatch, Tool};

fn main() {
    let a = args("rust_zmq_perf");
    let ctx = zmq::Context::new();
    let kind = match a.tool {
        Tool::LocalThr => zmq::PULL,
        Tool::RemoteThr => zmq::PUSH,
        Tool::LocalLat => zmq::REP,
        Tool::RemoteLat => zmq::REQ,
    };
    let s = ctx.socket(kind).or_fail("zmq_socket");
    if let Some(hwm) = env_setting("BENCH_HWM") {
        s.set_sndhwm(hwm).or_fail("zmq_setsockopt");
        s.set_rcvhwm(hwm).or_fail("zmq_setsockopt");
    }
    match a.tool {
        Tool::LocalThr | Tool::LocalLat => s.bind(&a.endpoint).or_fail("zmq_bind"),
        Tool::RemoteThr | Tool::RemoteLat => s.connect(&a.endpoint).or_fail("zmq_connect"),
    }
    match a.tool {
        Tool::LocalThr => {
            let mut msg = zmq::Message::new();
            s.recv(&mut msg, 0).or_fail("zmq_recvmsg");
            check_size(msg.len(), a.size);
            let watch = Stopwatch::start();
            for _ in 1..a.count {
                s.recv(&mut msg, 0).or_fail("zmq_recvmsg");
                check_size(msg.len(), a.size);
            }
            print_thr(a.size, a.count, watch.stop());
        }
        Tool::RemoteThr => {
            for _ in 0..a.count {
                s.send(zmq::Message::with_size(a.size), 0)
                    .or_fail("zmq_sendmsg");
            }
        }
        Tool::LocalLat => {
            for _ in 0..a.count {
                let msg = s.recv_msg(0).or_fail("zmq_recvmsg");
                check_size(msg.len(), a.size);
                s.send(msg, 0).or_fail("zmq_sendmsg");
            }
            // As the C tool: give the last reply time to leave.
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
        Tool::RemoteLat => {
            let mut msg = zmq::Message::with_size(a.size);
            let watch = Stopwatch::start();
            for _ in 0..a.count {
                s.send(msg, 0).or_fail("zmq_sendmsg");
                msg = s.recv_msg(0).or_fail("zmq_recvmsg");
                check_size(msg.len(), a.size);
            }
            print_lat(a.size, a.count, watch.stop());
        }
    }
}
