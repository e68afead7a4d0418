//! A server whose one ROUTER socket is shared by spawned worker threads
//! through a [`zmq4::Channeler`], as a goczmq program shares a
//! `Channeler` between goroutines; and client threads, each moving a REQ
//! socket it did not make into `std::thread::spawn`
//! ([`Context::owned_socket`](zmq4::Context::owned_socket)): no scope, no
//! borrowed context, nothing to restructure.
//!
//! Each worker receives a request from whichever client sent one
//! (`[routing id, "", body]`, a REQ's envelope) and answers "World". With
//! `--clients N` the example runs N clients of `--count` requests each,
//! then shuts the context down, which ends the workers; with
//! `--clients 0` it serves outside clients (try `hello_client`) until
//! Ctrl-C (with the `signal` feature, it ends cleanly).
//!
//! ```text
//! cargo run --features channeler --example channeler_server -- --clients 3 --count 5
//! cargo run --features channeler,signal --example channeler_server -- --clients 0
//! ```

mod common;

use std::process::ExitCode;
use std::thread::JoinHandle;
use std::time::Duration;

use zmq4::{Channeler, RecvFlags, SendFlags, Socket, SocketType};

const USAGE: &str = "\
usage: channeler_server [--bind ENDPOINT] [--workers N] [--clients N] [--count N]

  --bind ENDPOINT  where the clients connect (default tcp://127.0.0.1:*)
  --workers N      worker threads sharing the ROUTER (default 4)
  --clients N      client threads to run, then exit; 0: serve until Ctrl-C
                   (default 3)
  --count N        requests each client sends (default 10)
  -h, --help       this text";

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--bind", "--workers", "--clients", "--count"], &[]);
    common::exit(run(&args))
}

/// A worker: answers requests through its clone of the channeler until
/// the context is shut down. Returns how many it answered.
fn worker(server: Channeler, id: usize) -> zmq4::Result<u64> {
    let mut served = 0;
    loop {
        let mut request = match server.recv() {
            Ok(request) => request,
            Err(e) if e.is_terminated() => return Ok(served),
            Err(e) => return Err(e.into()),
        };
        let body = request.pop().expect("a request has a body");
        println!("worker {id} received: {}", String::from_utf8_lossy(&body));
        // The envelope (routing id, empty delimiter) addresses the reply.
        request.push("World".into());
        match server.send(request) {
            Ok(()) => served += 1,
            Err(e) if e.kind() == zmq4::ErrorKind::Terminated => return Ok(served),
            Err(e) => return Err(e.into()),
        }
    }
}

/// A client: its own REQ socket, moved into its thread.
fn client(req: Socket<'static>, id: usize, count: u64) -> zmq4::Result<()> {
    for i in 1..=count {
        req.send(format!("request {i} from client {id}"), SendFlags::empty())?;
        let reply = req.recv_string(RecvFlags::empty())?;
        println!("client {id} received: {reply}");
    }
    Ok(())
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let workers: usize = args.number("--workers", 4).max(1);
    let clients: usize = args.number("--clients", 3);
    let count: u64 = args.number("--count", 10);

    let ctx = common::context()?;
    let router = ctx.owned_socket(SocketType::Router)?;
    common::bind(&router, &args.string("--bind", "tcp://127.0.0.1:*"))?;
    let endpoint = common::connectable(&router.last_endpoint()?);
    let server = Channeler::from_socket(router)?;

    let pool: Vec<JoinHandle<zmq4::Result<u64>>> = (1..=workers)
        .map(|id| {
            let server = server.clone();
            std::thread::spawn(move || worker(server, id))
        })
        .collect();
    // The workers' clones keep the socket; this handle is not needed.
    drop(server);

    let mut result = Ok(());
    let mut started = Vec::new();
    for id in 1..=clients {
        let req = ctx.owned_socket(SocketType::Req)?;
        req.set_rcvtimeo(Some(Duration::from_secs(10)))?;
        req.connect(&endpoint)?;
        started.push(std::thread::spawn(move || client(req, id, count)));
    }
    for c in started {
        let done = c.join().expect("client thread panicked");
        result = result.and(done);
    }
    if clients > 0 {
        // Every reply was received: ending the workers loses nothing.
        ctx.shutdown()?;
    }
    // With no clients of its own, the server runs until Ctrl-C shuts the
    // context down.
    let mut served = 0;
    for w in pool {
        served += w.join().expect("worker thread panicked")?;
    }
    result?;
    println!("served {served} requests, shut down");
    Ok(())
}
