//! PUSH/PULL, the receiving side: a PULL socket prints every task and
//! stops at "END".
//!
//! Ports seed 004's `pull` (pebbe/zmq4) and seed 001's goczmq `NewPull`.
//! Several pullers connected to one pusher share its messages (each goes to
//! one of them), which is how work is spread over workers.
//!
//! ```text
//! cargo run --example puller -- --connect tcp://127.0.0.1:5557
//! cargo run --example pusher -- --bind tcp://127.0.0.1:5557 --count 10
//! ```

mod common;

use std::process::ExitCode;

use zmq4::{Message, RecvFlags, SocketType};

const USAGE: &str = "\
usage: puller [--connect ENDPOINT] [--count N]

  --connect ENDPOINT  the pusher (default tcp://127.0.0.1:5557)
  --count N           stop after N messages even without \"END\" (default 0: no limit)
  -h, --help          this text";

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--connect", "--count"], &[]);
    common::exit(run(&args))
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let endpoint = args.string("--connect", "tcp://127.0.0.1:5557");
    let count: u64 = args.number("--count", 0);
    let ctx = common::context()?;
    let puller = ctx.socket(SocketType::Pull)?;
    puller.connect(&endpoint)?;
    println!("connected: {endpoint}");

    // One message reused for every receive: no allocation per message.
    let mut msg = Message::new();
    let mut received = 0;
    while count == 0 || received < count {
        puller.recv(&mut msg, RecvFlags::empty())?;
        received += 1;
        let text = String::from_utf8_lossy(&msg);
        println!("received: {text}");
        if text == "END" {
            break;
        }
    }
    Ok(())
}
