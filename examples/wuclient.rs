//! Weather update client: subscribes to one zipcode, collects N updates
//! and prints the average temperature (zguide's `wuclient`).
//!
//! The subscription is the zipcode followed by a space, so that "10001"
//! does not also match "100010".
//!
//! ```text
//! cargo run --example wuserver -- --bind tcp://127.0.0.1:5556 --count 5000
//! cargo run --example wuclient -- --connect tcp://127.0.0.1:5556 --zipcode 10001 --count 20
//! ```

mod common;

use std::process::ExitCode;

use std::error::Error;

use zmq4::{RecvFlags, SocketType};

const USAGE: &str = "\
usage: wuclient [--connect ENDPOINT] [--zipcode Z] [--count N]

  --connect ENDPOINT  the weather server (default tcp://127.0.0.1:5556)
  --zipcode Z         the zipcode to follow (default 10001)
  --count N           updates to collect (default 10)
  -h, --help          this text";

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--connect", "--zipcode", "--count"], &[]);
    common::exit(run(&args))
}

/// ZeroMQ errors and malformed updates both end the program.
fn run(args: &common::Args) -> Result<(), Box<dyn Error>> {
    let endpoint = args.string("--connect", "tcp://127.0.0.1:5556");
    let zipcode = args.string("--zipcode", "10001");
    let count: u64 = args.number("--count", 10);

    let ctx = common::context()?;
    let subscriber = ctx.socket(SocketType::Sub)?;
    subscriber.connect(&endpoint)?;
    subscriber.set_subscribe(format!("{zipcode} "))?;
    println!("collecting updates for zipcode {zipcode} from {endpoint}");

    let mut total = 0i64;
    for _ in 0..count {
        let update = subscriber.recv_string(RecvFlags::empty())?;
        println!("received: {update}");
        let temperature = update
            .split_whitespace()
            .nth(1)
            .and_then(|t| t.parse::<i64>().ok())
            .ok_or_else(|| format!("malformed update {update:?}"))?;
        total += temperature;
    }
    if count > 0 {
        println!(
            "average temperature for zipcode {zipcode}: {}F",
            total / count as i64
        );
    }
    Ok(())
}
