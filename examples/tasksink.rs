//! Task sink: the end of the parallel pipeline (zguide's `tasksink2`). It
//! waits for the ventilator's start-of-batch message, collects N results
//! from the workers, prints how long the batch took, then publishes "KILL"
//! so that the workers stop.
//!
//! ```text
//! cargo run --example tasksink -- --count 20
//! cargo run --example taskwork      # once per worker, in other terminals
//! cargo run --example taskvent -- --count 20
//! ```
//!
//! With several workers the batch takes about the total cost divided by
//! their number: that is the point of the pattern.

mod common;

use std::process::ExitCode;
use std::time::Instant;

use zmq4::{Context, Message, RecvFlags, SendFlags, SocketType};

const USAGE: &str = "\
usage: tasksink [--bind ENDPOINT] [--control ENDPOINT] [--count N]

  --bind ENDPOINT     where the results arrive (default tcp://127.0.0.1:5558)
  --control ENDPOINT  where to publish KILL (default tcp://127.0.0.1:5559)
  --count N           results in a batch (default 100)
  -h, --help          this text";

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--bind", "--control", "--count"], &[]);
    common::exit(run(&args))
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let count: u64 = args.number("--count", 100);
    let ctx = Context::new()?;
    let receiver = ctx.socket(SocketType::Pull)?;
    common::bind(&receiver, &args.string("--bind", "tcp://127.0.0.1:5558"))?;
    let controller = ctx.socket(SocketType::Pub)?;
    controller.bind(&args.string("--control", "tcp://127.0.0.1:5559"))?;
    println!(
        "control: {}",
        common::connectable(&controller.last_endpoint()?)
    );

    let mut msg = Message::new();
    // The ventilator's "0": the batch starts.
    receiver.recv(&mut msg, RecvFlags::empty())?;
    let start = Instant::now();
    println!("batch started");

    for i in 1..=count {
        receiver.recv(&mut msg, RecvFlags::empty())?;
        println!("received: result {i}");
    }
    println!("total elapsed time: {} ms", start.elapsed().as_millis());

    controller.send("KILL", SendFlags::empty())?;
    println!("sent: KILL");
    Ok(())
}
