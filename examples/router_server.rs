//! ROUTER/DEALER, the server side: a ROUTER socket reads the identity frame
//! of each request and replies `[identity, "Hello", payload]`.
//!
//! Ports seed 004's `router` (pebbe/zmq4). A ROUTER prefixes every message
//! it receives with the routing id of the connection it came from, and
//! sends a message to the connection named by its first frame: that is
//! how one ROUTER answers many clients, in any order. The routing id is
//! the one the peer set (`set_routing_id`), or five bytes libzmq made up.
//!
//! ```text
//! cargo run --example router_server -- --bind tcp://127.0.0.1:5560 --count 5
//! cargo run --example dealer_client -- --connect tcp://127.0.0.1:5560 --count 5
//! ```

mod common;

use std::process::ExitCode;

use zmq4::{RecvFlags, SendFlags, SocketType};

const USAGE: &str = "\
usage: router_server [--bind ENDPOINT] [--count N]

  --bind ENDPOINT  where to listen (default tcp://127.0.0.1:5560)
  --count N        answer N requests, then exit (default 0: for ever)
  -h, --help       this text";

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--bind", "--count"], &[]);
    common::exit(run(&args))
}

/// A routing id as text when it is printable, else in hex.
fn show(id: &[u8]) -> String {
    if !id.is_empty() && id.iter().all(|b| b.is_ascii_graphic()) {
        String::from_utf8_lossy(id).into_owned()
    } else {
        id.iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let count: u64 = args.number("--count", 0);
    let ctx = common::context()?;
    let router = ctx.socket(SocketType::Router)?;
    common::bind(&router, &args.string("--bind", "tcp://127.0.0.1:5560"))?;

    let mut served = 0;
    while count == 0 || served < count {
        // [identity, payload...]: the first frame names the sender.
        let mut frames = router.recv_multipart(RecvFlags::empty())?.into_iter();
        let Some(identity) = frames.next() else {
            continue;
        };
        let payload = frames.next().map(|m| m.to_vec()).unwrap_or_default();
        let text = String::from_utf8_lossy(&payload).into_owned();
        println!("received from {}: {text}", show(&identity));
        // The identity frame goes first again: it picks the connection.
        router.send_multipart(
            [identity, "Hello".into(), payload.into()],
            SendFlags::empty(),
        )?;
        println!("sent: Hello | {text}");
        served += 1;
    }
    Ok(())
}
