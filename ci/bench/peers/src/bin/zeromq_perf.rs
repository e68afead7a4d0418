//! libzmq's four perf tools on zeromq (zmq.rs, pure Rust on tokio): see the
//! crate's documentation for the arguments. Every message sent is a fresh
//! buffer (`ZmqMessage::from(Vec<u8>)`). zeromq has no high-water marks:
//! `BENCH_HWM` is ignored; its one tuning knob, the adaptive read buffer,
//! is left at its default (128 B growing to 64 KiB).

use std::time::Duration;

use zeromq::{
    PullSocket, PushSocket, RepSocket, ReqSocket, Socket, SocketRecv, SocketSend, ZmqMessage,
};
use zmq4_bench_peers::{args, check_size, print_lat, print_thr, OrFail, Stopwatch, Tool};

fn len(msg: &ZmqMessage) -> usize {
    if msg.len() != 1 {
        println!("message of incorrect size received");
        std::process::exit(255);
    }
    msg.get(0).map_or(0, |frame| frame.len())
}

#[tokio::main]
async fn main() {
    let a = args("zeromq_perf");
    let payload = vec![0u8; a.size];
    match a.tool {
        Tool::LocalThr => {
            let mut s = PullSocket::new();
            s.bind(&a.endpoint).await.or_fail("zmq_bind");
            let msg = s.recv().await.or_fail("zmq_recvmsg");
            check_size(len(&msg), a.size);
            let watch = Stopwatch::start();
            for _ in 1..a.count {
                let msg = s.recv().await.or_fail("zmq_recvmsg");
                check_size(len(&msg), a.size);
            }
            print_thr(a.size, a.count, watch.stop());
            s.close().await;
        }
        Tool::RemoteThr => {
            let mut s = PushSocket::new();
            s.connect(&a.endpoint).await.or_fail("zmq_connect");
            for _ in 0..a.count {
                s.send(ZmqMessage::from(payload.clone()))
                    .await
                    .or_fail("zmq_sendmsg");
            }
            s.close().await;
        }
        Tool::LocalLat => {
            let mut s = RepSocket::new();
            s.bind(&a.endpoint).await.or_fail("zmq_bind");
            for _ in 0..a.count {
                let msg = s.recv().await.or_fail("zmq_recvmsg");
                check_size(len(&msg), a.size);
                s.send(msg).await.or_fail("zmq_sendmsg");
            }
            // As the C tool: give the last reply time to leave.
            tokio::time::sleep(Duration::from_secs(1)).await;
            s.close().await;
        }
        Tool::RemoteLat => {
            let mut s = ReqSocket::new();
            s.connect(&a.endpoint).await.or_fail("zmq_connect");
            let mut msg = ZmqMessage::from(payload);
            let watch = Stopwatch::start();
            for _ in 0..a.count {
                s.send(msg).await.or_fail("zmq_sendmsg");
                msg = s.recv().await.or_fail("zmq_recvmsg");
                check_size(len(&msg), a.size);
            }
            print_lat(a.size, a.count, watch.stop());
            s.close().await;
        }
    }
}
