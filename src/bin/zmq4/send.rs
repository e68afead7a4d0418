//! `zmq4 send`: sends messages from arguments, files or standard input.

use std::time::{Duration, Instant};

use clap::Args;
use zmq4::{ErrorKind, Message, SendFlags, Socket, SocketType};

use crate::args::{duration, require, socket_type, SocketArgs};
use crate::fail::{Fail, Result};
use crate::format::unescape;
use crate::input::InputArgs;
use crate::security::Security;
use crate::session::Session;
use crate::signals;

/// The socket types that can send first.
const SENDERS: &[SocketType] = &[
    SocketType::Push,
    SocketType::Pub,
    SocketType::Dealer,
    SocketType::Router,
    SocketType::Pair,
    SocketType::XPub,
    SocketType::XSub,
    SocketType::Stream,
];

/// Sends messages.
#[derive(Args, Debug)]
#[command(after_help = "\
Examples:
  zmq4 send -c tcp://127.0.0.1:5555 hello world      two messages, from a PUSH
  zmq4 send -t pub -b 'tcp://*:5556' --delay 500ms -s '|' 'weather|sunny'
  zmq4 send -t dealer -c tcp://127.0.0.1:5555 --frames '' request
  tail -f app.log | zmq4 send -c tcp://127.0.0.1:5555 --rate 100
  zmq4 send -t router -b 'tcp://*:5555' --to worker-1 'do this'

The status is 0 when every message was handed to libzmq, 3 when --timeout
expired first (no peer took a message), 1 on an error.")]
pub struct SendArgs {
    /// Socket type
    #[arg(short = 't', long = "type", value_name = "TYPE", default_value = "push", value_parser = socket_type)]
    pub kind: SocketType,

    #[command(flatten)]
    pub socket: SocketArgs,

    #[command(flatten)]
    pub input: InputArgs,

    /// Send N messages, repeating the MESSAGE arguments as needed (with
    /// standard input: at most N)
    #[arg(short = 'n', long, value_name = "N")]
    pub count: Option<u64>,

    /// Give up when a message cannot be sent for DURATION (status 3)
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub timeout: Option<Duration>,

    /// At most N messages a second
    #[arg(long, value_name = "N")]
    pub rate: Option<f64>,

    /// Wait DURATION after binding and connecting before the first message
    /// (PUB: subscribers need a moment to connect and subscribe)
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub delay: Option<Duration>,

    /// ROUTER: send every message to the peer with this routing id (its
    /// first frame); \xNN escapes allowed. ROUTER waits for that peer
    #[arg(long, value_name = "ID")]
    pub to: Option<String>,

    #[command(flatten)]
    pub security: Security,
}

/// Runs `zmq4 send`.
pub fn run(args: SendArgs) -> Result {
    require(
        args.kind,
        SENDERS,
        "send first",
        "; to send requests and read replies use `zmq4 req`",
    )?;
    if args.to.is_some() && args.kind != SocketType::Router {
        return crate::fail::usage("--to is for a ROUTER socket (--type router)");
    }
    if args.rate.is_some_and(|r| r.is_nan() || r <= 0.0) {
        return crate::fail::usage("--rate takes a number of messages a second, above 0");
    }
    let to = args
        .to
        .as_deref()
        .map(unescape)
        .transpose()
        .map_err(Fail::Usage)?;
    // Before the input is read (`--file -` reads all of standard input
    // first), so that a signal meanwhile ends the command as any other.
    let session = Session::new()?;
    let mut source = args.input.source(args.count)?;

    let mut socket_args = args.socket.clone();
    socket_args.immediate = true;
    let socket = session.socket(args.kind, &socket_args, &args.security)?;
    if args.kind == SocketType::Router {
        // An unknown routing id is an error to wait out, not a silent drop.
        socket
            .set_router_mandatory(true)
            .map_err(|e| Fail::zmq(&e, "set ROUTER_MANDATORY"))?;
    }
    if let Some(delay) = args.delay {
        sleep(delay)?;
    }
    let mut pace = Pace::new(args.rate);
    let mut number = 0u64;
    while let Some(mut frames) = source.next_message()? {
        number += 1;
        if let Some(to) = &to {
            frames.insert(0, to.clone());
        }
        pace.wait()?;
        send(&socket, frames, args.timeout, number)?;
    }
    Ok(())
}

/// Sends one message, waiting at most `timeout` for a peer to take it (a
/// ROUTER waits for the peer its first frame names).
pub fn send(
    socket: &Socket<'_>,
    frames: Vec<Vec<u8>>,
    timeout: Option<Duration>,
    number: u64,
) -> Result {
    let deadline = timeout.map(|t| Instant::now() + t);
    let router = socket.socket_type() == SocketType::Router;
    let mut parts: Vec<Message> = frames.into_iter().map(Message::from).collect();
    loop {
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        // A ROUTER never blocks: it fails at once for an unknown peer, so
        // it is asked again until the deadline.
        let wait = if router {
            Some(Duration::ZERO)
        } else {
            left.map(|l| l.max(Duration::from_millis(1)))
        };
        socket
            .set_sndtimeo(wait)
            .map_err(|e| Fail::zmq(&e, "set the send timeout"))?;
        let err = match socket.send_multipart(parts, SendFlags::empty()) {
            Ok(()) => return Ok(()),
            Err(err) => err,
        };
        let retry = router && err.sent() == 0 && err.kind() == ErrorKind::HostUnreachable;
        let expired = left.is_some_and(|l| l.is_zero());
        if retry && !expired && !signals::interrupted() {
            parts = err.into_unsent();
            std::thread::sleep(Duration::from_millis(10));
            continue;
        }
        if retry {
            // Still no such peer at the deadline: the library's words for
            // it, as a timeout.
            return Err(Fail::Timeout(format!(
                "message {number} not sent within {:?}: {}",
                timeout.unwrap_or_default(),
                err.error()
            )));
        }
        return Err(Fail::zmq(err.error(), &format!("message {number}")));
    }
}

/// Sleeps, ending early (as an interruption) on Ctrl-C.
pub fn sleep(d: Duration) -> Result {
    let end = Instant::now() + d;
    loop {
        if signals::interrupted() {
            return Err(Fail::Interrupted);
        }
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(());
        }
        std::thread::sleep(left.min(Duration::from_millis(50)));
    }
}

/// Paces messages to at most a rate.
pub struct Pace {
    interval: Option<Duration>,
    next: Instant,
}

impl Pace {
    /// A pace of `rate` messages a second (no limit for `None`).
    pub fn new(rate: Option<f64>) -> Pace {
        Pace {
            interval: rate.map(|r| Duration::from_secs_f64(1.0 / r)),
            next: Instant::now(),
        }
    }

    /// Waits for the next message's turn.
    pub fn wait(&mut self) -> Result {
        let Some(interval) = self.interval else {
            return Ok(());
        };
        sleep(self.next.saturating_duration_since(Instant::now()))?;
        self.next = self.next.max(Instant::now()) + interval;
        Ok(())
    }
}
