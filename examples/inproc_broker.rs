//! A ROUTER/DEALER broker whose workers are threads reaching it over
//! `inproc://`: they share the broker's context, which is what makes
//! inproc work (each context has its own inproc namespace).
//!
//! Ports the Go broker of seed 000 (workers that each made their own
//! context could not reach `inproc://backend`; passing the one context to
//! them fixes it), and runs it end to end:
//!
//! - a ROUTER frontend bound on tcp, where clients send requests;
//! - a DEALER backend bound on `inproc://backend`;
//! - N REP worker threads on the same context (`std::thread::scope`),
//!   connected to the backend;
//! - a broker thread running `zmq4::proxy` between frontend and backend;
//! - a built-in REQ client, on a context of its own like any other
//!   program, that sends the requests and prints each reply;
//! - then a clean shutdown: `Context::shutdown` ends every blocking call
//!   on the shared context's sockets, the threads return, the scope ends.
//!
//! ```text
//! cargo run --example inproc_broker -- [--bind ENDPOINT] [--workers N] [--count N]
//! ```

mod common;

use std::process::ExitCode;
use std::time::Duration;

use zmq4::{Context, ErrorKind, Message, RecvFlags, SendFlags, SocketType};

const USAGE: &str = "\
usage: inproc_broker [--bind ENDPOINT] [--workers N] [--count N]

  --bind ENDPOINT  where the ROUTER frontend listens (default tcp://127.0.0.1:5555;
                   tcp://127.0.0.1:* picks a free port)
  --workers N      worker threads on the shared context (default 4)
  --count N        requests the built-in client sends (default 10); 0: no
                   built-in client, serve clients from outside until
                   interrupted (Ctrl-C, with the `signal` feature)
  -h, --help       this text";

/// A REP worker: answers until the context is shut down.
fn worker(ctx: &Context, id: usize) -> zmq4::Result<()> {
    let rep = ctx.socket(SocketType::Rep)?;
    rep.set_linger(Some(Duration::ZERO))?;
    rep.connect("inproc://backend")?;
    let mut request = Message::new();
    loop {
        match rep.recv(&mut request, RecvFlags::empty()) {
            Ok(()) => {}
            Err(e) if e.is_terminated() => return Ok(()),
            Err(e) => return Err(e),
        }
        let reply = format!("worker {id} got {:?}", String::from_utf8_lossy(&request));
        // The reply is moved into libzmq, not copied.
        match rep.send(reply, SendFlags::empty()) {
            Ok(()) => {}
            Err(e) if e.is_terminated() => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

/// The client: its own context, like a separate program.
fn client(endpoint: &str, count: usize) -> zmq4::Result<()> {
    let ctx = common::context()?;
    let req = ctx.socket(SocketType::Req)?;
    req.set_linger(Some(Duration::ZERO))?;
    req.set_rcvtimeo(Some(Duration::from_secs(5)))?;
    req.connect(endpoint)?;
    for i in 1..=count {
        let request = format!("request {i}");
        req.send(&request, SendFlags::empty())?;
        let reply = req.recv_string(RecvFlags::empty())?;
        println!("{request} -> {reply}");
    }
    Ok(())
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let workers: usize = args.number("--workers", 4);
    let count: usize = args.number("--count", 10);
    if workers == 0 {
        args.fail("--workers must be at least 1");
    }
    let ctx = common::context()?;
    let frontend = ctx.socket(SocketType::Router)?;
    frontend.set_linger(Some(Duration::ZERO))?;
    frontend.bind(&args.string("--bind", "tcp://127.0.0.1:5555"))?;
    let endpoint = common::connectable(&frontend.last_endpoint()?);
    let backend = ctx.socket(SocketType::Dealer)?;
    backend.set_linger(Some(Duration::ZERO))?;
    backend.bind("inproc://backend")?;
    println!("broker: ROUTER on {endpoint}, DEALER on inproc://backend, {workers} workers");

    std::thread::scope(|s| {
        let ctx = &ctx;
        let workers: Vec<_> = (1..=workers)
            .map(|id| s.spawn(move || worker(ctx, id)))
            .collect();
        // zmq_proxy moves whole messages both ways until the context is
        // shut down, which it reports as a normal end.
        let broker = s.spawn(move || zmq4::proxy(&frontend, &backend, None));

        let (result, shutdown) = if count == 0 {
            // Other programs are the clients (hello_client, zmq4 req...);
            // a shutdown by the signal handler ends the broker.
            println!("broker: serving clients on {endpoint} until interrupted");
            (Ok(()), Ok(()))
        } else {
            let result = client(&endpoint, count);
            // Every blocking call on the shared context's sockets now
            // returns Terminated; the threads end and close their sockets.
            (result, ctx.shutdown())
        };
        let finished = |r: zmq4::Result<()>| match r {
            Err(e) if e.kind() != ErrorKind::Terminated => Err(e),
            _ => Ok(()),
        };
        finished(broker.join().expect("broker thread panicked"))?;
        for w in workers {
            finished(w.join().expect("worker thread panicked"))?;
        }
        shutdown.and(result)
    })?;
    println!("broker: shut down cleanly");
    Ok(())
}

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--bind", "--workers", "--count"], &[]);
    common::exit(run(&args))
}
