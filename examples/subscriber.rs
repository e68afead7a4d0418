//! PUB/SUB, the subscribing side: subscribes to a topic prefix, prints each
//! message without it, and stops at prefix + "END".
//!
//! Ports seed 004's `subscribe` and `ZeroMQSubOne` (pebbe/zmq4). A SUB
//! socket receives nothing until it subscribes; it then receives the
//! messages that start with one of its prefixes ("" subscribes to all).
//! The subscription is sent to the publisher, which filters.
//!
//! ```text
//! cargo run --example subscriber -- --connect tcp://127.0.0.1:5556 --prefix "news "
//! cargo run --example publisher -- --bind tcp://127.0.0.1:5556 --prefix "news " --count 5
//! ```
//!
//! A subscriber started after the publisher misses what was published
//! before its subscription arrived: see the `publisher` example.

mod common;

use std::process::ExitCode;

use zmq4::{RecvFlags, SocketType};

const USAGE: &str = "\
usage: subscriber [--connect ENDPOINT] [--prefix P] [--count N]

  --connect ENDPOINT  the publisher (default tcp://127.0.0.1:5556)
  --prefix P          the topic prefix to subscribe to (default \"news \")
  --count N           stop after N messages even without P+\"END\" (default 0: no limit)
  -h, --help          this text";

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--connect", "--prefix", "--count"], &[]);
    common::exit(run(&args))
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let endpoint = args.string("--connect", "tcp://127.0.0.1:5556");
    let prefix = args.string("--prefix", "news ");
    let count: u64 = args.number("--count", 0);

    let ctx = common::context()?;
    let subscriber = ctx.socket(SocketType::Sub)?;
    subscriber.connect(&endpoint)?;
    subscriber.set_subscribe(&prefix)?;
    println!("connected: {endpoint}, subscribed: {prefix:?}");

    let mut received = 0;
    while count == 0 || received < count {
        let msg = subscriber.recv_bytes(RecvFlags::empty())?;
        received += 1;
        // The filter guarantees the prefix; strip it.
        let body = String::from_utf8_lossy(&msg[prefix.len()..]);
        println!("received: {body}");
        if body == "END" {
            break;
        }
    }
    Ok(())
}
