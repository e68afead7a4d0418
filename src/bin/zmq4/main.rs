//! `zmq4`: a command-line tool for poking at ZeroMQ systems, built on the
//! zmq4 crate (`cargo install zmq4 --features cli`).
//!
//! One module per command; `fail` holds the exit statuses, `signals` the
//! Ctrl-C handling, `format` and `input` how messages are printed and
//! typed, `security` the CURVE and PLAIN options.

mod args;
mod bench;
mod fail;
mod format;
mod input;
mod keygen;
mod monitor;
mod proxy;
mod recv;
mod reqrep;
mod security;
mod send;
mod session;
mod signals;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::fail::Fail;

/// Pokes at ZeroMQ systems: sends, receives, asks, answers, proxies,
/// monitors, makes CURVE keys and measures links, with libzmq.
#[derive(Parser, Debug)]
#[command(name = "zmq4", version, propagate_version = true)]
#[command(
    about = "Pokes at ZeroMQ systems: send, receive, ask, answer, proxy, monitor, make CURVE keys, measure"
)]
#[command(after_help = "\
Exit status: 0 done (every message sent or received, --count reached; or a
command that runs until stopped was stopped by Ctrl-C), 1 error, 2 bad
arguments, 3 --timeout expired first, 130 interrupted (Ctrl-C, SIGTERM)
before the work was done.

Endpoints: tcp://HOST:PORT (tcp://*:PORT binds every interface;
tcp://127.0.0.1:* a free port, printed on stderr), ipc://PATH, inproc://NAME.
Durations: 250ms, 2s, 1.5s, 3m. `zmq4 COMMAND --help` has examples.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Send messages (PUSH by default) from arguments, files or stdin lines
    Send(send::SendArgs),
    /// Receive messages (PULL by default) and print them
    Recv(recv::RecvArgs),
    /// Send requests (REQ) and print the replies
    Req(reqrep::ReqArgs),
    /// Answer requests (REP): echo, a fixed reply, or a command's output
    Rep(reqrep::RepArgs),
    /// Forward messages between two sockets, with capture and statistics
    Proxy(proxy::ProxyArgs),
    /// Print the connection events of a socket, with timestamps
    Monitor(monitor::MonitorArgs),
    /// Make a CURVE key pair, or certificate files
    Keygen(keygen::KeygenArgs),
    /// Measure throughput or latency over inproc, ipc or tcp
    Bench(bench::BenchArgs),
}

impl Command {
    fn name(&self) -> &'static str {
        match self {
            Command::Send(_) => "send",
            Command::Recv(_) => "recv",
            Command::Req(_) => "req",
            Command::Rep(_) => "rep",
            Command::Proxy(_) => "proxy",
            Command::Monitor(_) => "monitor",
            Command::Keygen(_) => "keygen",
            Command::Bench(_) => "bench",
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let name = cli.command.name();
    let result = match cli.command {
        Command::Send(args) => send::run(args),
        Command::Recv(args) => recv::run(args),
        Command::Req(args) => reqrep::run_req(args),
        Command::Rep(args) => reqrep::run_rep(args),
        Command::Proxy(args) => proxy::run(args),
        Command::Monitor(args) => monitor::run(args),
        Command::Keygen(args) => keygen::run(args),
        Command::Bench(args) => bench::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(fail) => {
            match &fail {
                Fail::OutputClosed => {}
                Fail::Interrupted => eprintln!("zmq4 {name}: interrupted"),
                Fail::Usage(text) => {
                    eprintln!("zmq4 {name}: {text} (see `zmq4 {name} --help`)")
                }
                Fail::Error(text) => eprintln!("zmq4 {name}: {text}"),
                Fail::Timeout(text) => eprintln!("zmq4 {name}: {text}"),
            }
            fail.status()
        }
    }
}
