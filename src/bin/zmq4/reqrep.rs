//! `zmq4 req` (send requests, print the replies) and `zmq4 rep` (answer
//! requests: echo, a fixed reply, or a command's output).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use clap::{ArgGroup, Args};
use zmq4::{Message, SocketType};

use crate::args::{duration, SocketArgs};
use crate::fail::{self, Fail, Result};
use crate::format::{split, OutputArgs, Printer};
use crate::input::InputArgs;
use crate::recv::receive;
use crate::security::Security;
use crate::send::send;
use crate::session::Session;

/// Sends requests (REQ) and prints the replies.
#[derive(Args, Debug)]
#[command(after_help = "\
Examples:
  zmq4 req -c tcp://127.0.0.1:5555 hello                 one request, one reply
  zmq4 req -c tcp://127.0.0.1:5555 --timeout 2s -F json ping
  printf 'a\\nb\\n' | zmq4 req -c tcp://127.0.0.1:5555       one request per line
  zmq4 req -c tcp://127.0.0.1:5555 --curve-serverkey server.key hello

The status is 0 when every request got its reply, 3 when --timeout passed
first, 1 on an error.")]
pub struct ReqArgs {
    #[command(flatten)]
    pub socket: SocketArgs,

    #[command(flatten)]
    pub input: InputArgs,

    /// Send N requests, repeating the MESSAGE arguments as needed
    #[arg(short = 'n', long, value_name = "N")]
    pub count: Option<u64>,

    /// Give up when a request is not taken, or its reply does not come,
    /// within DURATION (status 3)
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub timeout: Option<Duration>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub security: Security,
}

/// Runs `zmq4 req`.
pub fn run_req(args: ReqArgs) -> Result {
    // Before the input is read, as in `send`.
    let session = Session::new()?;
    let mut source = args.input.source(args.count)?;
    let mut printer = Printer::new(&args.output, args.input.separator.as_deref());
    let socket = session.socket(SocketType::Req, &args.socket, &args.security)?;
    let mut reply = Vec::new();
    let mut number = 0;
    while let Some(request) = source.next_message()? {
        number += 1;
        send(&socket, request, args.timeout, number)?;
        receive(&socket, &mut reply, args.timeout).map_err(|fail| match fail {
            Fail::Timeout(text) => {
                // A request that nobody took stays queued: the exit must
                // not wait LINGER for it.
                let _ = socket.set_linger(Some(Duration::ZERO));
                Fail::Timeout(format!("no reply to request {number}: {text}"))
            }
            other => other,
        })?;
        printer.print(&reply)?;
    }
    Ok(())
}

/// Answers requests (REP): prints each request and replies.
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("answer").required(true).args(["echo", "reply", "command"])))]
#[command(after_help = "\
Examples:
  zmq4 rep -b 'tcp://*:5555' --echo                       send every request back
  zmq4 rep -b 'tcp://*:5555' --reply World -n 1
  zmq4 rep -b 'tcp://*:5555' -- tr a-z A-Z                a command answers each request
  zmq4 rep -b 'tcp://*:5555' --curve-server --curve-keys server.key_secret --curve-allow clients/ --echo

A COMMAND reads the request on its standard input (frames joined by
--separator, or by newlines, and a final newline) and its standard output,
less one final newline, is the reply (split at --separator into frames).
It sees the peer in ZMQ4_PEER_ADDRESS and ZMQ4_USER_ID.
The status is 0 when --count requests were answered (or on Ctrl-C without
--count), 3 when --timeout passed without a request, 1 on an error.")]
pub struct RepArgs {
    #[command(flatten)]
    pub socket: SocketArgs,

    /// Send every request back as it came
    #[arg(long)]
    pub echo: bool,

    /// Answer every request with TEXT
    #[arg(long, value_name = "TEXT")]
    pub reply: Option<String>,

    /// Run COMMAND for every request: the request on its standard input,
    /// its standard output the reply
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,

    /// End after answering N requests
    #[arg(short = 'n', long, value_name = "N")]
    pub count: Option<u64>,

    /// Give up when no request comes for DURATION (status 3)
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub timeout: Option<Duration>,

    /// Do not print the requests
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// Frames are joined (printed requests, a command's input) and split
    /// (a command's output) at SEP
    #[arg(short = 's', long, value_name = "SEP")]
    pub separator: Option<String>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub security: Security,
}

/// Runs `zmq4 rep`.
pub fn run_rep(args: RepArgs) -> Result {
    let mut printer = Printer::new(&args.output, args.separator.as_deref());
    let session = Session::new()?;
    let socket = session.socket(SocketType::Rep, &args.socket, &args.security)?;
    let mut request = Vec::new();
    let mut answered = 0u64;
    while args.count.is_none_or(|n| answered < n) {
        match receive(&socket, &mut request, args.timeout) {
            Ok(()) => {}
            Err(Fail::Interrupted) if args.count.is_none() => return Ok(()),
            Err(fail) => return Err(fail),
        }
        if !args.quiet {
            printer.print(&request)?;
        }
        let reply: Vec<Vec<u8>> = if args.echo {
            request.iter().map(|f| f.to_vec()).collect()
        } else if let Some(text) = &args.reply {
            vec![text.as_bytes().to_vec()]
        } else {
            run_command(&args.command, &request, args.separator.as_deref())?
        };
        answered += 1;
        send(&socket, reply, args.timeout, answered)?;
    }
    Ok(())
}

/// Runs `command` with `request` on its standard input; its output,
/// split into frames, is the reply.
fn run_command(command: &[String], request: &[Message], sep: Option<&str>) -> Result<Vec<Vec<u8>>> {
    let joiner = sep.unwrap_or("\n").as_bytes();
    let mut input = Vec::new();
    for (i, frame) in request.iter().enumerate() {
        if i > 0 {
            input.extend_from_slice(joiner);
        }
        input.extend_from_slice(frame);
    }
    input.push(b'\n');
    let last = request.last();
    let mut cmd = Command::new(&command[0]);
    cmd.args(&command[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (var, value) in [
        ("ZMQ4_PEER_ADDRESS", last.and_then(Message::peer_address)),
        ("ZMQ4_USER_ID", last.and_then(Message::user_id)),
    ] {
        match value {
            Some(value) => cmd.env(var, value),
            None => cmd.env_remove(var),
        };
    }
    let name = &command[0];
    let mut child = cmd
        .spawn()
        .map_err(|e| fail::io(&e, &format!("run {name}")))?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // Written from a thread, so that a command that answers before it has
    // read everything cannot block both sides.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child
        .wait_with_output()
        .map_err(|e| fail::io(&e, &format!("run {name}")))?;
    let _ = writer.join();
    if !output.status.success() {
        eprintln!(
            "zmq4 rep: {name} ended with {}; its output is the reply",
            output.status
        );
    }
    let mut out = output.stdout;
    if out.last() == Some(&b'\n') {
        out.pop();
    }
    Ok(split(&out, sep).into_iter().map(<[u8]>::to_vec).collect())
}
