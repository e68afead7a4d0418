//! libzmq's four perf tools on rzmq (pure Rust on tokio): see the crate's
//! documentation for the arguments. As rzmq's own benchmarks, every message
//! sent is a fresh buffer (`Msg::from_vec`).
//!
//! Settings from the environment: `BENCH_HWM` (SNDHWM and RCVHWM; rzmq's
//! default is 256), `BENCH_RZMQ_THROTTLE=0` (turns its adaptive I/O
//! throttle off, as in the figures its README gives), `BENCH_RZMQ_CORK=1`
//! (TCP_CORK).

use std::time::Duration;

use rzmq::socket::options::{ADAPTIVE_THROTTLE, RCVHWM, SNDHWM, TCP_CORK};
use rzmq::{Context, Msg, Socket, SocketType};
use zmq4_bench_peers::{
    args, check_size, env_setting, print_lat, print_thr, OrFail, Stopwatch, Tool,
};

async fn options(s: &Socket) {
    if let Some(hwm) = env_setting("BENCH_HWM") {
        s.set_option_raw(SNDHWM, &hwm.to_ne_bytes())
            .await
            .or_fail("zmq_setsockopt");
        s.set_option_raw(RCVHWM, &hwm.to_ne_bytes())
            .await
            .or_fail("zmq_setsockopt");
    }
    if let Some(on) = env_setting("BENCH_RZMQ_THROTTLE") {
        s.set_option_raw(ADAPTIVE_THROTTLE, &on.to_ne_bytes())
            .await
            .or_fail("zmq_setsockopt");
    }
    if let Some(on) = env_setting("BENCH_RZMQ_CORK") {
        s.set_option_raw(TCP_CORK, &on.to_ne_bytes())
            .await
            .or_fail("zmq_setsockopt");
    }
}

fn len(msg: &Msg) -> usize {
    msg.data().map_or(0, <[u8]>::len)
}

#[tokio::main]
async fn main() {
    let a = args("rzmq_perf");
    let ctx = Context::new().or_fail("zmq_init");
    let kind = match a.tool {
        Tool::LocalThr => SocketType::Pull,
        Tool::RemoteThr => SocketType::Push,
        Tool::LocalLat => SocketType::Rep,
        Tool::RemoteLat => SocketType::Req,
    };
    let s = ctx.socket(kind).or_fail("zmq_socket");
    options(&s).await;
    match a.tool {
        Tool::LocalThr | Tool::LocalLat => s.bind(&a.endpoint).await.or_fail("zmq_bind"),
        Tool::RemoteThr | Tool::RemoteLat => s.connect(&a.endpoint).await.or_fail("zmq_connect"),
    }
    let payload = vec![0u8; a.size];
    match a.tool {
        Tool::LocalThr => {
            let msg = s.recv().await.or_fail("zmq_recvmsg");
            check_size(len(&msg), a.size);
            let watch = Stopwatch::start();
            for _ in 1..a.count {
                let msg = s.recv().await.or_fail("zmq_recvmsg");
                check_size(len(&msg), a.size);
            }
            print_thr(a.size, a.count, watch.stop());
        }
        Tool::RemoteThr => {
            for _ in 0..a.count {
                s.send(Msg::from_vec(payload.clone()))
                    .await
                    .or_fail("zmq_sendmsg");
            }
        }
        Tool::LocalLat => {
            for _ in 0..a.count {
                let msg = s.recv().await.or_fail("zmq_recvmsg");
                check_size(len(&msg), a.size);
                s.send(msg).await.or_fail("zmq_sendmsg");
            }
            // As the C tool: give the last reply time to leave.
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        Tool::RemoteLat => {
            let mut msg = Msg::from_vec(payload);
            let watch = Stopwatch::start();
            for _ in 0..a.count {
                s.send(msg).await.or_fail("zmq_sendmsg");
                msg = s.recv().await.or_fail("zmq_recvmsg");
                check_size(len(&msg), a.size);
            }
            print_lat(a.size, a.count, watch.stop());
        }
    }
    s.close().await.or_fail("zmq_close");
    ctx.term().await.or_fail("zmq_ctx_term");
}
