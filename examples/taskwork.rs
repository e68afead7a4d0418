//! Task worker: the middle of the parallel pipeline (zguide's `taskwork2`).
//! It pulls tasks from the ventilator (`taskvent`), "works" for the
//! workload's milliseconds, pushes an empty result to the sink
//! (`tasksink`), and stops when the sink publishes "KILL", answering "BYE"
//! on the results channel so that the sink knows it has stopped.
//!
//! It waits on two sockets at once with a [`zmq4::Poller`]: the task queue
//! and the sink's control channel.
//!
//! ```text
//! cargo run --example tasksink -- --count 20
//! cargo run --example taskwork      # once per worker, in other terminals
//! cargo run --example taskvent -- --count 20
//! ```

mod common;

use std::process::ExitCode;
use std::time::Duration;

use zmq4::{PollEvents, Poller, RecvFlags, SendFlags, SocketType};

const USAGE: &str = "\
usage: taskwork [--connect ENDPOINT] [--sink ENDPOINT] [--control ENDPOINT] [--count N]

  --connect ENDPOINT  the ventilator (default tcp://127.0.0.1:5557)
  --sink ENDPOINT     where results go (default tcp://127.0.0.1:5558)
  --control ENDPOINT  the sink's kill signal (default tcp://127.0.0.1:5559)
  --count N           stop after N tasks even without KILL (default 0: no limit)
  -h, --help          this text";

#[derive(Clone, Copy)]
enum Source {
    Tasks,
    Control,
}

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--connect", "--sink", "--control", "--count"], &[]);
    common::exit(run(&args))
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let count: u64 = args.number("--count", 0);
    let ctx = common::context()?;
    let receiver = ctx.socket(SocketType::Pull)?;
    receiver.connect(&args.string("--connect", "tcp://127.0.0.1:5557"))?;
    let sender = ctx.socket(SocketType::Push)?;
    // A sink that no longer waits for BYE may be gone: do not wait for
    // ever at exit to deliver it (the results went before KILL came).
    sender.set_linger(Some(Duration::from_secs(1)))?;
    sender.connect(&args.string("--sink", "tcp://127.0.0.1:5558"))?;
    let controller = ctx.socket(SocketType::Sub)?;
    controller.connect(&args.string("--control", "tcp://127.0.0.1:5559"))?;
    controller.set_subscribe("")?;
    println!("worker ready");

    let mut poller = Poller::new();
    poller.add(&receiver, PollEvents::POLLIN, Source::Tasks)?;
    poller.add(&controller, PollEvents::POLLIN, Source::Control)?;

    let mut done = 0;
    while count == 0 || done < count {
        let ready: Vec<Source> = poller.poll(None)?.map(|(source, _)| *source).collect();
        for source in ready {
            match source {
                Source::Tasks => {
                    let task = receiver.recv_string(RecvFlags::DONTWAIT)?;
                    println!("received: {task}");
                    let ms = task.trim().parse().unwrap_or(0);
                    std::thread::sleep(Duration::from_millis(ms));
                    sender.send("", SendFlags::empty())?;
                    done += 1;
                }
                Source::Control => {
                    let signal = controller.recv_string(RecvFlags::DONTWAIT)?;
                    println!("control: {signal}");
                    if signal == "KILL" {
                        sender.send("BYE", SendFlags::empty())?;
                        println!("processed {done} tasks");
                        return Ok(());
                    }
                }
            }
        }
    }
    println!("processed {done} tasks");
    Ok(())
}
