//! Either side may bind: the directions the other examples do not show.
//!
//! Which socket binds is not fixed by its type: the stable side (the one
//! that others find at a known address) binds, whatever its type. Three
//! cases where that is the "unusual" side, in one process over tcp:
//!
//! 1. **A collector**: the SUB binds and several publishers connect to it,
//!    as log or metrics collectors do. A publisher that connects must wait
//!    for the subscription before it sends (or lose the first messages, the
//!    "slow joiner"): an XPUB sees the subscription arrive as a frame
//!    (byte 1, then the topic).
//! 2. **A dispatcher that connects**: DEALER workers bind; a ROUTER connects
//!    to each of them, naming each connection
//!    ([`set_connect_routing_id`](zmq4::Socket::set_connect_routing_id))
//!    so that it can address a worker by name.
//! 3. **A server that dials out**: the REQ client binds, and a REP server
//!    connects to it (a server behind a firewall that can only connect
//!    out). goczmq's `NewPush`/`NewPull`-style defaults (PUSH connects,
//!    PULL binds) are the `pusher`/`puller` examples with `--connect` and
//!    `--bind`.
//!
//! ```text
//! cargo run --example either_side_binds -- --count 3
//! ```

mod common;

use std::process::ExitCode;
use std::time::Duration;

use zmq4::{Context, ErrorKind, RecvFlags, SendFlags, SocketType};

const USAGE: &str = "\
usage: either_side_binds [--count N]

  --count N    messages in each case (default 3)
  -h, --help   this text";

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--count"], &[]);
    let count: u32 = args.number("--count", 3);
    common::exit(run(count))
}

fn run(count: u32) -> zmq4::Result<()> {
    let ctx = Context::new()?;
    collector(&ctx, count)?;
    connecting_router(&ctx, count)?;
    server_dials_out(&ctx, count)
}

/// A binding SUB, two connecting publishers.
fn collector(ctx: &Context, count: u32) -> zmq4::Result<()> {
    let sub = ctx.socket(SocketType::Sub)?;
    sub.set_subscribe("log ")?;
    sub.set_rcvtimeo(Some(Duration::from_secs(10)))?;
    sub.bind("tcp://127.0.0.1:*")?;
    let endpoint = sub.last_endpoint()?;

    std::thread::scope(|scope| {
        // The collector receives on a thread of its own, as it would in a
        // program of its own: a socket takes in new connections (and the
        // SUB sends them its subscriptions) when its thread calls it.
        let collector = scope.spawn(move || -> zmq4::Result<()> {
            for _ in 0..2 * count {
                println!(
                    "collector: received: {}",
                    sub.recv_string(RecvFlags::empty())?
                );
            }
            Ok(())
        });

        let mut publishers = Vec::new();
        for name in ["a", "b"] {
            let publisher = ctx.socket(SocketType::XPub)?;
            publisher.set_rcvtimeo(Some(Duration::from_secs(10)))?;
            publisher.connect(&endpoint)?;
            // The subscription comes from the SUB once connected: from then
            // on nothing sent is lost to the slow joiner.
            let subscription = publisher.recv_bytes(RecvFlags::empty())?;
            assert_eq!(subscription, b"\x01log ");
            println!("publisher {name}: subscription arrived");
            publishers.push((name, publisher));
        }
        for n in 1..=count {
            for (name, publisher) in &publishers {
                publisher.send(format!("log {name} {n}"), SendFlags::empty())?;
            }
        }
        collector.join().expect("the collector thread panicked")
    })
}

/// Binding DEALER workers, a connecting ROUTER that names them.
fn connecting_router(ctx: &Context, count: u32) -> zmq4::Result<()> {
    let router = ctx.socket(SocketType::Router)?;
    router.set_router_mandatory(true)?; // an unknown name is an error, not a silent drop
    router.set_rcvtimeo(Some(Duration::from_secs(10)))?;
    let mut workers = Vec::new();
    for name in ["worker-a", "worker-b"] {
        let worker = ctx.socket(SocketType::Dealer)?;
        worker.set_rcvtimeo(Some(Duration::from_secs(10)))?;
        worker.bind("tcp://127.0.0.1:*")?;
        router.set_connect_routing_id(name)?; // applies to the next connect
        router.connect(&worker.last_endpoint()?)?;
        workers.push((name, worker));
    }
    for n in 1..=count {
        for (name, worker) in &workers {
            // The connection is made in the background: until it is up,
            // ROUTER_MANDATORY reports the name as unreachable.
            let job = format!("job {n}");
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            loop {
                match router.send_multipart([name.as_bytes(), job.as_bytes()], SendFlags::DONTWAIT)
                {
                    Ok(()) => break,
                    Err(e)
                        if std::time::Instant::now() < deadline
                            && e.error().kind() == ErrorKind::HostUnreachable =>
                    {
                        std::thread::sleep(Duration::from_millis(10))
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            let got = worker.recv_string(RecvFlags::empty())?;
            println!("{name}: received: {got}");
            worker.send(format!("{got} done"), SendFlags::empty())?;
            let reply = router.recv_multipart(RecvFlags::empty())?;
            println!(
                "router: from {}: {}",
                String::from_utf8_lossy(&reply[0]),
                String::from_utf8_lossy(&reply[1])
            );
        }
    }
    Ok(())
}

/// A binding REQ, a connecting REP.
fn server_dials_out(ctx: &Context, count: u32) -> zmq4::Result<()> {
    let client = ctx.socket(SocketType::Req)?;
    client.set_rcvtimeo(Some(Duration::from_secs(10)))?;
    client.bind("tcp://127.0.0.1:*")?;
    let server = ctx.socket(SocketType::Rep)?;
    server.set_rcvtimeo(Some(Duration::from_secs(10)))?;
    server.connect(&client.last_endpoint()?)?;
    for n in 1..=count {
        // The request waits in the REQ's queue until the REP has connected.
        client.send(format!("ping {n}"), SendFlags::empty())?;
        let request = server.recv_string(RecvFlags::empty())?;
        server.send(format!("pong {n}"), SendFlags::empty())?;
        println!("server: received: {request}");
        println!(
            "client: received: {}",
            client.recv_string(RecvFlags::empty())?
        );
    }
    Ok(())
}
