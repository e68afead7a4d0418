//! `zmq4 recv`: prints the messages a socket receives.

use std::time::Duration;

use clap::Args;
use zmq4::{Message, RecvFlags, Socket, SocketType};

use crate::args::{duration, require, socket_type, SocketArgs};
use crate::fail::{Fail, Result};
use crate::format::{unescape, OutputArgs, Printer};
use crate::security::Security;
use crate::session::Session;

/// The socket types that can receive first.
const RECEIVERS: &[SocketType] = &[
    SocketType::Pull,
    SocketType::Sub,
    SocketType::Dealer,
    SocketType::Router,
    SocketType::Pair,
    SocketType::XPub,
    SocketType::XSub,
    SocketType::Stream,
];

/// Receives messages and prints them.
#[derive(Args, Debug)]
#[command(after_help = "\
Examples:
  zmq4 recv -b 'tcp://*:5555'                        a PULL, until Ctrl-C
  zmq4 recv -t sub -c tcp://127.0.0.1:5556 --subscribe weather -n 10
  zmq4 recv -t router -b 'tcp://*:5555' -F json --meta
  zmq4 recv -c tcp://127.0.0.1:5555 --timeout 5s -n 1 -F raw > message.bin

Each message is one line (frames joined by a tab, or by --separator).
The status is 0 when --count messages arrived (or on Ctrl-C without
--count), 3 when --timeout passed without a message first, 1 on an error.")]
pub struct RecvArgs {
    /// Socket type
    #[arg(short = 't', long = "type", value_name = "TYPE", default_value = "pull", value_parser = socket_type)]
    pub kind: SocketType,

    #[command(flatten)]
    pub socket: SocketArgs,

    /// SUB: receive the messages that start with PREFIX (repeatable; \xNN
    /// escapes allowed) [default: every message]
    #[arg(long, value_name = "PREFIX")]
    pub subscribe: Vec<String>,

    /// End after N messages
    #[arg(short = 'n', long, value_name = "N")]
    pub count: Option<u64>,

    /// Give up when no message comes for DURATION (status 3)
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub timeout: Option<Duration>,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Join printed frames with SEP [default: a tab]
    #[arg(short = 's', long, value_name = "SEP")]
    pub separator: Option<String>,

    #[command(flatten)]
    pub security: Security,
}

/// Runs `zmq4 recv`.
pub fn run(args: RecvArgs) -> Result {
    require(
        args.kind,
        RECEIVERS,
        "receive first",
        "; to answer requests use `zmq4 rep`",
    )?;
    if !args.subscribe.is_empty() && args.kind != SocketType::Sub {
        return crate::fail::usage("--subscribe is for a SUB socket (--type sub)");
    }
    let prefixes = args
        .subscribe
        .iter()
        .map(|p| unescape(p))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(Fail::Usage)?;
    let mut printer = Printer::new(&args.output, args.separator.as_deref());

    let session = Session::new()?;
    let socket = session.socket(args.kind, &args.socket, &args.security)?;
    if args.kind == SocketType::Sub {
        subscribe(&socket, &prefixes)?;
    }
    let mut frames = Vec::new();
    let mut received = 0u64;
    while args.count.is_none_or(|n| received < n) {
        match receive(&socket, &mut frames, args.timeout) {
            Ok(()) => {}
            // Without --count, Ctrl-C is how receiving ends.
            Err(Fail::Interrupted) if args.count.is_none() => return Ok(()),
            Err(fail) => return Err(fail),
        }
        received += 1;
        printer.print(&frames)?;
    }
    Ok(())
}

/// Subscribes a SUB socket to `prefixes` (to everything without any).
pub fn subscribe(socket: &Socket<'_>, prefixes: &[Vec<u8>]) -> Result {
    let all = [Vec::new()];
    let prefixes = if prefixes.is_empty() {
        &all[..]
    } else {
        prefixes
    };
    for prefix in prefixes {
        socket
            .set_subscribe(prefix)
            .map_err(|e| Fail::zmq(&e, "subscribe"))?;
    }
    Ok(())
}

/// Receives one message into `frames`, waiting at most `timeout`.
pub fn receive(
    socket: &Socket<'_>,
    frames: &mut Vec<Message>,
    timeout: Option<Duration>,
) -> Result {
    socket
        .set_rcvtimeo(timeout)
        .map_err(|e| Fail::zmq(&e, "set the receive timeout"))?;
    frames.clear();
    match socket.recv_multipart_into(frames, RecvFlags::empty()) {
        Ok(_) => Ok(()),
        // A timeout says so in the library's words.
        Err(e) if e.is_timed_out() => Err(Fail::zmq(&e, "")),
        Err(e) => Err(Fail::zmq(&e, "receive")),
    }
}
