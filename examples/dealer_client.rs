//! ROUTER/DEALER, the client side: a DEALER socket sends N requests and
//! prints both frames of each reply.
//!
//! Ports seed 004's `dealer` (pebbe/zmq4). Unlike REQ, a DEALER has no
//! lockstep: it may send several requests before reading replies, and it
//! adds no empty delimiter frame. `--identity` sets the routing id the
//! ROUTER sees (otherwise libzmq makes one up).
//!
//! ```text
//! cargo run --example router_server -- --bind tcp://127.0.0.1:5560 --count 5
//! cargo run --example dealer_client -- --connect tcp://127.0.0.1:5560 --count 5
//! ```

mod common;

use std::process::ExitCode;
use std::time::Duration;

use zmq4::{RecvFlags, SendFlags, SocketType};

const USAGE: &str = "\
usage: dealer_client [--connect ENDPOINT] [--count N] [--message TEXT] [--identity ID] [--timeout SECONDS]

  --connect ENDPOINT  the ROUTER (default tcp://127.0.0.1:5560)
  --count N           requests to send (default 10)
  --message TEXT      what request I says is \"TEXT I\" (default \"request\")
  --identity ID       the routing id to present (default: chosen by the ROUTER)
  --timeout SECONDS   give up when a reply takes longer (default 10; 0: wait for ever)
  -h, --help          this text";

fn main() -> ExitCode {
    let args = common::Args::parse(
        USAGE,
        &[
            "--connect",
            "--count",
            "--message",
            "--identity",
            "--timeout",
        ],
        &[],
    );
    common::exit(run(&args))
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let endpoint = args.string("--connect", "tcp://127.0.0.1:5560");
    let count: u64 = args.number("--count", 10);
    let message = args.string("--message", "request");
    let timeout: u64 = args.number("--timeout", 10);

    let ctx = common::context()?;
    let dealer = ctx.socket(SocketType::Dealer)?;
    if args.has("--identity") {
        // Before connect: the routing id is sent in the handshake.
        dealer.set_routing_id(args.string("--identity", ""))?;
    }
    if timeout > 0 {
        dealer.set_rcvtimeo(Some(Duration::from_secs(timeout)))?;
        dealer.set_linger(Some(Duration::ZERO))?;
    }
    dealer.connect(&endpoint)?;
    println!("connected: {endpoint}");

    for i in 1..=count {
        let request = format!("{message} {i}");
        dealer.send(&request, SendFlags::empty())?;
        println!("sent: {request}");
        // The reply is two frames: "Hello", then our payload.
        let frames = dealer.recv_multipart(RecvFlags::empty())?;
        let texts: Vec<_> = frames.iter().map(|f| String::from_utf8_lossy(f)).collect();
        println!("received: {}", texts.join(" | "));
    }
    Ok(())
}
