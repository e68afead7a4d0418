//! `inproc_thr` over zmq4's async sockets (`zmq4::tokio`): a PUSH task
//! sends `message-count` messages of `message-size` bytes over inproc to a
//! PULL task, which prints the throughput. Same arguments and lines as
//! `inproc_thr` (libzmq's `perf/inproc_thr.cpp`), plus the runtime: a
//! current-thread runtime (both tasks on one thread, the default) or a
//! multi-thread one with two workers.
//!
//! ```text
//! async_inproc_thr <message-size> <message-count> [current|multi]
//! ```
//!
//! Per message, as the blocking `inproc_thr` (see its `BENCH_SEND` and
//! `BENCH_RECV`), with each path's async form: on the sending side
//! `Message::with_size_uninit` + `AsyncSocket::send` (`send_msg`, the
//! default) or `AsyncSocket::send(&[u8])`, copying (`send`); on the
//! receiving side `AsyncSocket::recv_into_msg` into one reused message
//! (`recv`, the default) or `AsyncSocket::recv`, a new message each time
//! (`recv_msg`). The other paths have no async form.

#![cfg_attr(not(unix), allow(dead_code, unused_imports))]

#[path = "common.rs"]
mod common;

use common::{
    async_runtime, atoi, recv_path, send_path, size_arg, usage, wrong_size, OrFail, RecvPath,
    SendPath, Stopwatch,
};
#[cfg(unix)]
use zmq4::tokio::AsyncSocket;
use zmq4::{Context, Message, SocketType};

const USAGE: &str = "async_inproc_thr <message-size> <message-count> [current|multi]";

#[cfg(not(unix))]
fn main() {
    println!("async_inproc_thr: zmq4::tokio is available on Unix only");
    std::process::exit(1)
}

#[cfg(unix)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 && args.len() != 4 {
        usage(USAGE);
    }
    let message_size = size_arg(&args[1]);
    let message_count = atoi(&args[2]);
    let rt = async_runtime(args.get(3).map(String::as_str), USAGE);

    let (send, recv) = (send_path(), recv_path());
    if send == SendPath::MsgMut || recv == RecvPath::Into {
        usage("async_inproc_thr: BENCH_SEND=send_msg or send, BENCH_RECV=recv or recv_msg");
    }

    // Tasks need a context that lives for 'static.
    let ctx = Context::global();
    let elapsed = rt.block_on(async move {
        let pull = ctx.socket(SocketType::Pull).or_fail("zmq_socket");
        pull.bind("inproc://thr_test").or_fail("zmq_bind");
        let push = ctx.socket(SocketType::Push).or_fail("zmq_socket");
        push.connect("inproc://thr_test").or_fail("zmq_connect");
        let mut pull = AsyncSocket::new(pull).or_fail("AsyncSocket::new");
        let mut push = AsyncSocket::new(push).or_fail("AsyncSocket::new");

        println!("message size: {} [B]", message_size as i32);
        println!("message count: {message_count}");

        let sender = tokio::spawn(async move {
            let mut i = 0;
            if send == SendPath::Copy {
                let data = vec![0u8; message_size];
                while i != message_count {
                    push.send(&data[..]).await.or_fail("zmq_send");
                    i += 1;
                }
                return;
            }
            while i != message_count {
                // As the C tool, the content is allocated and not written.
                // SAFETY: this program never reads the content; libzmq
                // hands it to the receiver, which only looks at its size.
                let msg =
                    unsafe { Message::with_size_uninit(message_size) }.or_fail("zmq_msg_init_size");
                push.send(msg).await.or_fail("zmq_sendmsg");
                i += 1;
            }
        });
        let receiver = tokio::spawn(async move {
            if recv == RecvPath::Msg {
                return receive_new(&mut pull, message_size, message_count).await;
            }
            let mut msg = Message::new();
            pull.recv_into_msg(&mut msg).await.or_fail("zmq_recvmsg");
            if msg.len() != message_size {
                wrong_size();
            }
            let watch = Stopwatch::start();
            let mut i = 0;
            while i != message_count - 1 {
                pull.recv_into_msg(&mut msg).await.or_fail("zmq_recvmsg");
                if msg.len() != message_size {
                    wrong_size();
                }
                i += 1;
            }
            watch.stop().max(1)
        });
        sender.await.expect("sender task");
        receiver.await.expect("receiver task")
    });

    let throughput = (message_count as f64 / elapsed as f64 * 1_000_000.0) as u64;
    let megabits =
        throughput.wrapping_mul(message_size as u64).wrapping_mul(8) as f64 / 1_000_000.0;
    println!("mean throughput: {} [msg/s]", throughput as i32);
    println!("mean throughput: {:.3} [Mb/s]", megabits);
}

/// The receiving side through `AsyncSocket::recv`, a new message each
/// time: the first untimed, the rest timed; the microseconds taken.
#[cfg(unix)]
async fn receive_new(pull: &mut AsyncSocket<'_>, message_size: usize, message_count: i32) -> u64 {
    let msg = pull.recv().await.or_fail("zmq_recvmsg");
    if msg.len() != message_size {
        wrong_size();
    }
    let watch = Stopwatch::start();
    let mut i = 0;
    while i != message_count - 1 {
        let msg = pull.recv().await.or_fail("zmq_recvmsg");
        if msg.len() != message_size {
            wrong_size();
        }
        i += 1;
    }
    watch.stop().max(1)
}
