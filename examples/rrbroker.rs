//! Request-reply broker (zguide's `rrbroker`): a ROUTER for the clients, a
//! DEALER for the workers, and a [`zmq4::Poller`] loop moving whole
//! multipart messages between them. Clients and workers only ever connect,
//! so either side can grow without the other knowing.
//!
//! The clients are REQ sockets (`hello_client`), the workers REP sockets
//! that connect (`hello_server --connect`). The ROUTER adds the client's
//! routing id in front of each request; the DEALER spreads the requests
//! over the workers; each reply comes back with the routing id, which the
//! ROUTER uses to pick the client. With `--count N` the broker exits after
//! passing N replies back.
//!
//! ```text
//! cargo run --example rrbroker -- --frontend tcp://127.0.0.1:5559 --backend tcp://127.0.0.1:5560
//! cargo run --example hello_server -- --connect tcp://127.0.0.1:5560   # a worker
//! cargo run --example hello_client -- --connect tcp://127.0.0.1:5559   # a client
//! ```
//!
//! `zmq4::proxy(&frontend, &backend, None)` does the same in one call (see
//! `mtserver`); the loop shows what it does.

mod common;

use std::process::ExitCode;

use zmq4::{Message, PollEvents, Poller, RecvFlags, SendFlags, Socket, SocketType};

const USAGE: &str = "\
usage: rrbroker [--frontend ENDPOINT] [--backend ENDPOINT] [--count N]

  --frontend ENDPOINT  where the clients connect (default tcp://127.0.0.1:5559)
  --backend ENDPOINT   where the workers connect (default tcp://127.0.0.1:5560)
  --count N            replies to pass back, then exit (default 0: for ever)
  -h, --help           this text";

#[derive(Clone, Copy)]
enum Side {
    Frontend,
    Backend,
}

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--frontend", "--backend", "--count"], &[]);
    common::exit(run(&args))
}

/// Moves one whole message (every frame) from `from` to `to`; returns its
/// last frame, the body.
fn forward(from: &Socket<'_>, to: &Socket<'_>, parts: &mut Vec<Message>) -> zmq4::Result<String> {
    parts.clear();
    from.recv_multipart_into(parts, RecvFlags::empty())?;
    let body = parts
        .last()
        .map(|m| String::from_utf8_lossy(m).into_owned())
        .unwrap_or_default();
    to.send_multipart(parts.drain(..), SendFlags::empty())?;
    Ok(body)
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let count: u64 = args.number("--count", 0);
    let ctx = common::context()?;
    let frontend = ctx.socket(SocketType::Router)?;
    frontend.bind(&args.string("--frontend", "tcp://127.0.0.1:5559"))?;
    println!(
        "frontend: {}",
        common::connectable(&frontend.last_endpoint()?)
    );
    let backend = ctx.socket(SocketType::Dealer)?;
    backend.bind(&args.string("--backend", "tcp://127.0.0.1:5560"))?;
    println!(
        "backend: {}",
        common::connectable(&backend.last_endpoint()?)
    );

    let mut poller = Poller::new();
    poller.add(&frontend, PollEvents::POLLIN, Side::Frontend)?;
    poller.add(&backend, PollEvents::POLLIN, Side::Backend)?;

    let mut parts = Vec::new();
    let mut replies = 0;
    while count == 0 || replies < count {
        let ready: Vec<Side> = poller.poll(None)?.map(|(side, _)| *side).collect();
        for side in ready {
            match side {
                Side::Frontend => {
                    let body = forward(&frontend, &backend, &mut parts)?;
                    println!("request: {body}");
                }
                Side::Backend => {
                    let body = forward(&backend, &frontend, &mut parts)?;
                    println!("reply: {body}");
                    replies += 1;
                }
            }
        }
    }
    Ok(())
}
