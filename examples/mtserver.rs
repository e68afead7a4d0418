//! Multithreaded server (zguide's `mtserver`): a ROUTER on tcp for the
//! clients, a DEALER on `inproc://workers`, a pool of REP worker threads
//! on the same context, and a proxy in between. Clients are plain REQ
//! sockets (try `hello_client`): the server answers "World" to each
//! request, from whichever worker is free.
//!
//! The proxy runs on its own thread ([`zmq4::ThreadedProxy`]); the
//! workers are scoped threads borrowing the context. With `--count N` it
//! serves N requests and exits cleanly: once the workers have answered N
//! times and the proxy's statistics show the N replies went out, it stops
//! the proxy and shuts the context down, which ends the workers.
//!
//! ```text
//! cargo run --example mtserver -- --bind tcp://127.0.0.1:5555 --count 10
//! cargo run --example hello_client -- --connect tcp://127.0.0.1:5555 --count 10
//! ```

mod common;

use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use zmq4::{Context, RecvFlags, SendFlags, SocketType, ThreadedProxy};

const USAGE: &str = "\
usage: mtserver [--bind ENDPOINT] [--workers N] [--count N]

  --bind ENDPOINT  where the clients connect (default tcp://127.0.0.1:5555)
  --workers N      worker threads (default 5)
  --count N        requests to serve, then exit (default 0: for ever)
  -h, --help       this text";

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--bind", "--workers", "--count"], &[]);
    common::exit(run(&args))
}

/// A worker: a REP socket on the inproc backend. It tells `served` after
/// each reply, and returns when the context is shut down.
fn worker(ctx: &Context, id: usize, served: mpsc::Sender<()>) -> zmq4::Result<()> {
    let rep = ctx.socket(SocketType::Rep)?;
    rep.connect("inproc://workers")?;
    loop {
        let request = match rep.recv_string(RecvFlags::empty()) {
            Ok(request) => request,
            Err(e) if e.is_terminated() => return Ok(()),
            Err(e) => return Err(e),
        };
        println!("worker {id} received: {request}");
        match rep.send("World", SendFlags::empty()) {
            Ok(()) => println!("worker {id} sent: World"),
            Err(e) if e.is_terminated() => return Ok(()),
            Err(e) => return Err(e),
        }
        let _ = served.send(());
    }
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let workers: usize = args.number("--workers", 5).max(1);
    let count: u64 = args.number("--count", 0);

    let ctx = common::context()?;
    let clients = ctx.socket(SocketType::Router)?;
    common::bind(&clients, &args.string("--bind", "tcp://127.0.0.1:5555"))?;
    let backend = ctx.socket(SocketType::Dealer)?;
    backend.bind("inproc://workers")?;

    std::thread::scope(|s| -> zmq4::Result<()> {
        let (served_tx, served) = mpsc::channel();
        let ctx = &ctx;
        let pool: Vec<_> = (1..=workers)
            .map(|id| {
                let served_tx = served_tx.clone();
                s.spawn(move || worker(ctx, id, served_tx))
            })
            .collect();
        drop(served_tx);
        let proxy = ThreadedProxy::spawn_scoped(s, clients, backend, None)?;

        let result = serve(&proxy, &served, count);
        // Stop the proxy (which closes the ROUTER, sending what is queued),
        // then end the workers: their blocking calls return Terminated.
        let stopped = proxy.stop().map(drop);
        ctx.shutdown()?;
        for w in pool {
            w.join().expect("worker thread panicked")?;
        }
        result.and(stopped)
    })?;
    println!("served {count} requests, shut down");
    Ok(())
}

/// Waits until `count` requests were answered (for ever if 0) and the
/// proxy has passed every reply on to the clients.
fn serve(proxy: &ThreadedProxy<'_>, served: &mpsc::Receiver<()>, count: u64) -> zmq4::Result<()> {
    if count == 0 {
        // Serve for ever: wait for the workers, which never end by
        // themselves.
        while served.recv().is_ok() {}
        return Ok(());
    }
    for _ in 0..count {
        if served.recv().is_err() {
            return Ok(());
        }
    }
    loop {
        match proxy.statistics() {
            Ok(stats) if stats.frontend.messages_sent >= count => return Ok(()),
            Ok(_) => std::thread::sleep(Duration::from_millis(1)),
            Err(e) => return Err(e),
        }
    }
}
