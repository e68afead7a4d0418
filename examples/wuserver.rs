//! Weather update server: publishes "ZIPCODE TEMPERATURE HUMIDITY" updates
//! on a PUB socket (zguide's `wuserver`).
//!
//! The subscribers filter on the zipcode prefix (see `wuclient`). Like the
//! `publisher` example it first waits for `--subscribers N` subscriptions
//! (it is an XPUB, a PUB that shows subscriptions to the application), so
//! that the updates are not all sent before anyone listens: zguide's
//! version publishes for ever, and a client just misses the first ones.
//! The zipcodes are drawn from a small range so that a client filtering on
//! one of them gets its updates quickly.
//!
//! ```text
//! cargo run --example wuserver -- --bind tcp://127.0.0.1:5556 --count 5000
//! cargo run --example wuclient -- --connect tcp://127.0.0.1:5556 --zipcode 10001 --count 20
//! ```

mod common;

use std::process::ExitCode;

use zmq4::{SendFlags, SocketType};

const USAGE: &str = "\
usage: wuserver [--bind ENDPOINT] [--count N] [--subscribers N] [--zipcodes N]

  --bind ENDPOINT   where to listen (default tcp://127.0.0.1:5556)
  --count N         updates to publish, then exit (default 0: for ever)
  --subscribers N   wait for N subscriptions before publishing (default 1)
  --zipcodes N      zipcodes from 10000 to 10000+N-1 (default 11)
  --quiet           do not print every update
  -h, --help        this text";

fn main() -> ExitCode {
    let args = common::Args::parse(
        USAGE,
        &["--bind", "--count", "--subscribers", "--zipcodes"],
        &["--quiet"],
    );
    common::exit(run(&args))
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let count: u64 = args.number("--count", 0);
    let zipcodes: u64 = args.number("--zipcodes", 11).max(1);
    let quiet = args.has("--quiet");

    let ctx = common::context()?;
    let publisher = ctx.socket(SocketType::XPub)?;
    publisher.set_xpub_verbose(true)?;
    common::bind(&publisher, &args.string("--bind", "tcp://127.0.0.1:5556"))?;
    common::wait_for_subscribers(&publisher, args.number("--subscribers", 1))?;

    let mut rng = common::Rng::new();
    let mut sent = 0;
    while count == 0 || sent < count {
        let zipcode = 10000 + rng.below(zipcodes);
        let temperature = rng.below(215) as i64 - 80;
        let humidity = rng.below(50) + 10;
        let update = format!("{zipcode:05} {temperature} {humidity}");
        // A PUB never blocks: a subscriber that cannot keep up loses
        // updates past its high-water mark.
        publisher.send(&update, SendFlags::empty())?;
        if !quiet {
            println!("sent: {update}");
        }
        sent += 1;
    }
    println!("published {sent} updates");
    Ok(())
}
