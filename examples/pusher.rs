//! PUSH/PULL, the sending side: a PUSH socket with a send high-water mark
//! sends N tasks, then "END".
//!
//! Ports seed 004's `push` (pebbe/zmq4, `SetSndhwm(110)`) and seed 001's
//! goczmq `NewPush`. PUSH hands each message to one connected puller,
//! round-robin; with no puller connected, `send` blocks (it never drops).
//! The high-water mark bounds how many messages may wait in the queue of
//! each puller; past it, `send` blocks until the puller catches up.
//!
//! ```text
//! cargo run --example puller -- --connect tcp://127.0.0.1:5557
//! cargo run --example pusher -- --bind tcp://127.0.0.1:5557 --count 10
//! ```

mod common;

use std::process::ExitCode;

use zmq4::{SendFlags, SocketType};

const USAGE: &str = "\
usage: pusher [--bind ENDPOINT] [--count N] [--sndhwm N]

  --bind ENDPOINT  where to listen (default tcp://127.0.0.1:5557)
  --count N        tasks to send before \"END\" (default 10)
  --sndhwm N       send high-water mark, in messages (default 110; 0: no limit)
  -h, --help       this text";

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--bind", "--count", "--sndhwm"], &[]);
    common::exit(run(&args))
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let count: u64 = args.number("--count", 10);
    let ctx = common::context()?;
    let pusher = ctx.socket(SocketType::Push)?;
    // Options that shape the queues are set before bind/connect.
    let hwm: i32 = args.number("--sndhwm", 110);
    pusher.set_sndhwm((hwm != 0).then_some(hwm))?;
    common::bind(&pusher, &args.string("--bind", "tcp://127.0.0.1:5557"))?;

    for i in 1..=count {
        let task = format!("task {i}");
        pusher.send(&task, SendFlags::empty())?;
        println!("sent: {task}");
    }
    pusher.send("END", SendFlags::empty())?;
    println!("sent: END");
    // The default linger keeps the process until the queue is delivered.
    Ok(())
}
