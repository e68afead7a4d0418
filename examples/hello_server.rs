//! REQ/REP, the server side: a REP socket answers every request.
//!
//! Ports the REP servers of seeds 001 (goczmq `NewRep`), 002 (pyzmq's
//! `socket.recv()` / `socket.send()` loop), 003 (the pebbe/zmq4 echo server)
//! and 004 (pebbe/zmq4 `startServer`), and zguide's `hwserver`. REP enforces the lockstep:
//! receive one request, send one reply, then the next request.
//!
//! By default it answers "World" to every request; `--echo` sends each
//! request back instead (the echo servers of the seeds). It binds, or with
//! `--connect` it connects, as seed 003's server does, so that it can also
//! be a worker behind a broker (see the `rrbroker` example).
//!
//! ```text
//! cargo run --example hello_server -- --bind tcp://127.0.0.1:5555 --count 5
//! cargo run --example hello_client -- --connect tcp://127.0.0.1:5555 --count 5
//! ```

mod common;

use std::process::ExitCode;

use zmq4::{RecvFlags, SendFlags, SocketType};

const USAGE: &str = "\
usage: hello_server [--bind ENDPOINT | --connect ENDPOINT] [--count N] [--echo]

  --bind ENDPOINT     where to listen (default tcp://127.0.0.1:5555;
                      tcp://127.0.0.1:* picks a free port)
  --connect ENDPOINT  connect instead, e.g. to a broker's backend
  --count N           answer N requests, then exit (default 0: for ever)
  --echo              reply with the request itself instead of \"World\"
  -h, --help          this text";

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--bind", "--connect", "--count"], &["--echo"]);
    let count: u64 = args.number("--count", 0);
    let echo = args.has("--echo");
    common::exit(run(&args, count, echo))
}

fn run(args: &common::Args, count: u64, echo: bool) -> zmq4::Result<()> {
    let ctx = common::context()?;
    let responder = ctx.socket(SocketType::Rep)?;
    if args.has("--connect") {
        let endpoint = args.string("--connect", "");
        responder.connect(&endpoint)?;
        println!("connected: {endpoint}");
    } else {
        common::bind(&responder, &args.string("--bind", "tcp://127.0.0.1:5555"))?;
    }

    let mut served = 0;
    while count == 0 || served < count {
        // A REP socket receives one request...
        let request = responder.recv_bytes(RecvFlags::empty())?;
        println!("received: {}", String::from_utf8_lossy(&request));
        // ...and must send exactly one reply before the next one.
        if echo {
            responder.send(&request, SendFlags::empty())?;
            println!("sent: {}", String::from_utf8_lossy(&request));
        } else {
            responder.send("World", SendFlags::empty())?;
            println!("sent: World");
        }
        served += 1;
    }
    // Dropping the socket waits (linger) until the last reply is sent.
    Ok(())
}
