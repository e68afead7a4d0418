//! PUB/SUB, the publishing side: messages under a topic prefix, then
//! prefix + "END".
//!
//! Ports seed 004's `publish` (pebbe/zmq4) and seed 001's pyzmq publisher.
//! Every subscriber whose subscription is a prefix of a message gets a
//! copy; the others get nothing, and the filtering happens on the
//! publisher's side.
//!
//! **The slow joiner.** A publisher drops every message for which it has no
//! subscriber *yet*, and a subscriber is there only once it has connected
//! and its subscription has crossed the wire, some milliseconds after both
//! programs started. A publisher that starts sending at once loses the
//! first messages (seed 004 hides this with ten-second sleeps). This one
//! waits for `--subscribers N` subscriptions first: it is an XPUB socket, a
//! PUB that also hands the subscriptions it receives to the application.
//! Subscribers see no difference. With `--subscribers 0` it publishes at
//! once, as a plain PUB, and late subscribers miss the beginning.
//!
//! ```text
//! cargo run --example subscriber -- --connect tcp://127.0.0.1:5556 --prefix "news "
//! cargo run --example publisher -- --bind tcp://127.0.0.1:5556 --prefix "news " --count 5
//! ```

mod common;

use std::process::ExitCode;

use zmq4::{SendFlags, SocketType};

const USAGE: &str = "\
usage: publisher [--bind ENDPOINT] [--prefix P] [--count N] [--subscribers N]

  --bind ENDPOINT    where to listen (default tcp://127.0.0.1:5556)
  --prefix P         topic prefix of every message (default \"news \")
  --count N          messages to publish before P+\"END\" (default 10)
  --subscribers N    wait for N subscriptions before publishing (default 1;
                     0: publish at once, and late subscribers miss messages)
  -h, --help         this text";

fn main() -> ExitCode {
    let args = common::Args::parse(
        USAGE,
        &["--bind", "--prefix", "--count", "--subscribers"],
        &[],
    );
    common::exit(run(&args))
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let prefix = args.string("--prefix", "news ");
    let count: u64 = args.number("--count", 10);
    let subscribers: u64 = args.number("--subscribers", 1);

    let ctx = common::context()?;
    let publisher = ctx.socket(SocketType::XPub)?;
    // Pass on every subscription, even one another subscriber already made,
    // so that each subscriber is counted.
    publisher.set_xpub_verbose(true)?;
    common::bind(&publisher, &args.string("--bind", "tcp://127.0.0.1:5556"))?;

    common::wait_for_subscribers(&publisher, subscribers)?;

    for i in 1..=count {
        let msg = format!("{prefix}message {i}");
        publisher.send(&msg, SendFlags::empty())?;
        println!("sent: {msg}");
    }
    let end = format!("{prefix}END");
    publisher.send(&end, SendFlags::empty())?;
    println!("sent: {end}");
    Ok(())
}
