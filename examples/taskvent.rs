//! Task ventilator: the start of a parallel pipeline (zguide's `taskvent`).
//! It pushes N tasks, each a workload in milliseconds, to the workers
//! (`taskwork`), whose results go to the sink (`tasksink`).
//!
//! ```text
//! ventilator --PUSH--> workers --PUSH--> sink --PUB "KILL"--> workers
//! ```
//!
//! Before the tasks it sends "0" to the sink: the start of the batch, from
//! which the sink measures the time. zguide's version waits for Enter,
//! once the workers are up; this one just starts. A PUSH socket blocks
//! while no worker is connected, so no task is lost, but the first worker
//! to connect may take many tasks before the others arrive: start the
//! workers first for a fair spread.
//!
//! ```text
//! cargo run --example tasksink -- --count 20
//! cargo run --example taskwork      # once per worker, in other terminals
//! cargo run --example taskvent -- --count 20
//! ```

mod common;

use std::process::ExitCode;

use zmq4::{SendFlags, SocketType};

const USAGE: &str = "\
usage: taskvent [--bind ENDPOINT] [--sink ENDPOINT] [--count N] [--max-ms MS]

  --bind ENDPOINT  where the workers fetch tasks (default tcp://127.0.0.1:5557)
  --sink ENDPOINT  the sink, told when the batch starts (default tcp://127.0.0.1:5558)
  --count N        tasks to send (default 100)
  --max-ms MS      the largest workload, in milliseconds (default 100)
  -h, --help       this text";

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--bind", "--sink", "--count", "--max-ms"], &[]);
    common::exit(run(&args))
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let count: u64 = args.number("--count", 100);
    let max_ms: u64 = args.number("--max-ms", 100).max(1);

    let ctx = common::context()?;
    let sender = ctx.socket(SocketType::Push)?;
    common::bind(&sender, &args.string("--bind", "tcp://127.0.0.1:5557"))?;
    let sink = ctx.socket(SocketType::Push)?;
    sink.connect(&args.string("--sink", "tcp://127.0.0.1:5558"))?;

    // The start of the batch.
    sink.send("0", SendFlags::empty())?;

    let mut rng = common::Rng::new();
    let mut total_ms = 0;
    for _ in 0..count {
        let workload = rng.below(max_ms) + 1;
        total_ms += workload;
        sender.send(workload.to_string(), SendFlags::empty())?;
        println!("sent: {workload}");
    }
    println!("total expected cost: {total_ms} ms");
    Ok(())
}
