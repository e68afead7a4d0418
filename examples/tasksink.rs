//! Task sink: the end of the parallel pipeline (zguide's `tasksink2`). It
//! waits for the ventilator's start-of-batch message, collects N results
//! from the workers, prints how long the batch took, then publishes "KILL"
//! so that the workers stop.
//!
//! zguide's sink publishes KILL once. A PUB socket sends only to the
//! subscribers connected at that moment, so a worker whose connection was
//! still being made (a slow start, a loaded machine) never hears it and
//! waits for ever. This sink repeats KILL every 100 ms; each worker answers
//! it with "BYE" on the results channel, which loses nothing, so with
//! `--workers N` the sink knows when every worker has stopped. Without it,
//! the sink repeats KILL for one second and ends.
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
use std::time::{Duration, Instant};

use zmq4::{Message, PollEvents, RecvFlags, SendFlags, SocketType};

const USAGE: &str = "\
usage: tasksink [--bind ENDPOINT] [--control ENDPOINT] [--count N] [--workers N] [--wait-ms MS]

  --bind ENDPOINT     where the results arrive (default tcp://127.0.0.1:5558)
  --control ENDPOINT  where to publish KILL (default tcp://127.0.0.1:5559)
  --count N           results in a batch (default 100)
  --workers N         repeat KILL until N workers have answered BYE (default 0:
                      repeat it for one second)
  --wait-ms MS        with --workers, fail if they have not all answered after
                      MS milliseconds (default 30000)
  -h, --help          this text";

/// How often KILL is published again.
const KILL_EVERY: Duration = Duration::from_millis(100);

fn main() -> ExitCode {
    let args = common::Args::parse(
        USAGE,
        &["--bind", "--control", "--count", "--workers", "--wait-ms"],
        &[],
    );
    common::exit(run(&args))
}

fn run(args: &common::Args) -> Result<(), Box<dyn std::error::Error>> {
    let count: u64 = args.number("--count", 100);
    let workers: u64 = args.number("--workers", 0);
    let wait = Duration::from_millis(args.number("--wait-ms", 30_000));
    let ctx = common::context()?;
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

    // KILL, again and again: a worker still connecting hears a later one.
    let deadline = Instant::now()
        + if workers == 0 {
            Duration::from_secs(1)
        } else {
            wait
        };
    let mut gone = 0;
    controller.send("KILL", SendFlags::empty())?;
    println!("sent: KILL");
    while workers == 0 || gone < workers {
        let now = Instant::now();
        if now >= deadline {
            if workers == 0 {
                break;
            }
            return Err(format!("{gone} of {workers} workers answered KILL in {wait:?}").into());
        }
        let next = KILL_EVERY.min(deadline - now);
        if receiver
            .poll(PollEvents::POLLIN, Some(next))?
            .contains(PollEvents::POLLIN)
        {
            receiver.recv(&mut msg, RecvFlags::empty())?;
            if &msg[..] == b"BYE" {
                gone += 1;
                println!("worker stopped: {gone}");
            }
        } else {
            controller.send("KILL", SendFlags::empty())?;
        }
    }
    Ok(())
}
