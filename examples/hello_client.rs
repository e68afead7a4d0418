//! REQ/REP, the client side: a REQ socket sends N requests and prints each
//! reply.
//!
//! Ports the REQ clients of seeds 001, 002 (pyzmq's `socket.send()` /
//! `socket.recv()` loop), 003 (pebbe/zmq4) and 004 (pebbe/zmq4
//! `startClient`), and zguide's `hwclient`. REQ enforces the lockstep: one request, then its reply.
//!
//! ```text
//! cargo run --example hello_server -- --bind tcp://127.0.0.1:5555 --count 5
//! cargo run --example hello_client -- --connect tcp://127.0.0.1:5555 --count 5
//! ```
//!
//! It can also talk to the `rrbroker` example's frontend, or to any REP
//! server (pyzmq, libzmq in C, JeroMQ in Java): the wire is the same.

mod common;

use std::process::ExitCode;
use std::time::Duration;

use zmq4::{RecvFlags, SendFlags, SocketType};

const USAGE: &str = "\
usage: hello_client [--connect ENDPOINT] [--count N] [--message TEXT] [--timeout SECONDS]

  --connect ENDPOINT  the server (default tcp://127.0.0.1:5555)
  --count N           requests to send (default 10)
  --message TEXT      what each request says (default Hello)
  --timeout SECONDS   give up when a reply takes longer (default 10; 0: wait for ever)
  -h, --help          this text";

fn main() -> ExitCode {
    let args = common::Args::parse(
        USAGE,
        &["--connect", "--count", "--message", "--timeout"],
        &[],
    );
    common::exit(run(&args))
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let endpoint = args.string("--connect", "tcp://127.0.0.1:5555");
    let count: u64 = args.number("--count", 10);
    let message = args.string("--message", "Hello");
    let timeout: u64 = args.number("--timeout", 10);

    let ctx = common::context()?;
    let requester = ctx.socket(SocketType::Req)?;
    if timeout > 0 {
        // Without a server a REQ waits for ever; a timeout turns that into
        // an error (and a non-zero exit) instead.
        requester.set_rcvtimeo(Some(Duration::from_secs(timeout)))?;
        requester.set_linger(Some(Duration::ZERO))?;
    }
    requester.connect(&endpoint)?;
    println!("connected: {endpoint}");

    for _ in 0..count {
        requester.send(&message, SendFlags::empty())?;
        println!("sent: {message}");
        let reply = requester.recv_string(RecvFlags::empty())?;
        println!("received: {reply}");
    }
    Ok(())
}
