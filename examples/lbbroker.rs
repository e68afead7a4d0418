//! Load-balancing broker (zguide's `lbbroker`), in one process: client
//! threads and worker threads, all REQ sockets, around a broker with a
//! ROUTER on each side.
//!
//! A worker announces itself with "READY" and then with each reply; the
//! broker keeps the workers that are free in a queue, and reads client
//! requests only while a worker is free, so each request goes to a worker
//! that is waiting for one (unlike a DEALER's round-robin, which also
//! loads the busy). Every message carries the envelopes the ROUTERs need:
//!
//! ```text
//! client -> broker frontend:  [client id, "", request]
//! broker -> worker:           [worker id, "", client id, "", request]
//! worker -> broker backend:   [worker id, "", client id, "", reply]
//! broker -> client:           [client id, "", reply]
//! ```
//!
//! All threads share one context, so inproc endpoints (the default) work;
//! tcp or ipc endpoints work as well. It ends once every client has its
//! reply: the context is shut down, and the workers' blocking receives
//! return Terminated.
//!
//! ```text
//! cargo run --example lbbroker -- --clients 10 --workers 3
//! ```

mod common;

use std::collections::VecDeque;
use std::process::ExitCode;

use zmq4::{Context, Message, PollEvents, Poller, RecvFlags, SendFlags, SocketType};

const USAGE: &str = "\
usage: lbbroker [--frontend ENDPOINT] [--backend ENDPOINT] [--clients N] [--workers N]

  --frontend ENDPOINT  where the clients connect (default inproc://frontend)
  --backend ENDPOINT   where the workers connect (default inproc://backend)
  --clients N          client threads, one request each (default 10)
  --workers N          worker threads (default 3)
  -h, --help           this text";

fn main() -> ExitCode {
    let args = common::Args::parse(
        USAGE,
        &["--frontend", "--backend", "--clients", "--workers"],
        &[],
    );
    common::exit(run(&args))
}

fn client(ctx: &Context, endpoint: &str, id: usize) -> zmq4::Result<()> {
    let req = ctx.socket(SocketType::Req)?;
    req.set_routing_id(format!("client-{id}"))?;
    req.connect(endpoint)?;
    req.send("HELLO", SendFlags::empty())?;
    let reply = req.recv_string(RecvFlags::empty())?;
    println!("client-{id} received: {reply}");
    Ok(())
}

/// A worker: its whole life ends normally when the context is shut down,
/// at whatever step it is then (a worker thread may start only after every
/// client was served and the broker shut the context down).
fn worker(ctx: &Context, endpoint: &str, id: usize) -> zmq4::Result<()> {
    match serve(ctx, endpoint, id) {
        Err(e) if e.is_terminated() => Ok(()),
        other => other,
    }
}

fn serve(ctx: &Context, endpoint: &str, id: usize) -> zmq4::Result<()> {
    let req = ctx.socket(SocketType::Req)?;
    req.set_routing_id(format!("worker-{id}"))?;
    req.connect(endpoint)?;
    // Tell the broker we are free.
    req.send("READY", SendFlags::empty())?;
    loop {
        // [client id, "", request]: REQ strips our own envelope.
        let mut frames = req.recv_multipart(RecvFlags::empty())?;
        let request = frames.pop().unwrap_or_default();
        println!(
            "worker-{id} received: {} from {}",
            String::from_utf8_lossy(&request),
            String::from_utf8_lossy(frames.first().map_or(&[][..], |m| &m[..]))
        );
        frames.push("OK".into());
        req.send_multipart(frames, SendFlags::empty())?;
    }
}

#[derive(Clone, Copy)]
enum Side {
    Frontend,
    Backend,
}

fn run(args: &common::Args) -> zmq4::Result<()> {
    let frontend_ep = args.string("--frontend", "inproc://frontend");
    let backend_ep = args.string("--backend", "inproc://backend");
    let clients: usize = args.number("--clients", 10);
    let workers: usize = args.number("--workers", 3).max(1);

    let ctx = common::context()?;
    let frontend = ctx.socket(SocketType::Router)?;
    frontend.bind(&frontend_ep)?;
    let backend = ctx.socket(SocketType::Router)?;
    backend.bind(&backend_ep)?;
    let (frontend_ep, backend_ep) = (
        common::connectable(&frontend.last_endpoint()?),
        common::connectable(&backend.last_endpoint()?),
    );
    println!("frontend: {frontend_ep}, backend: {backend_ep}");

    std::thread::scope(|s| -> zmq4::Result<()> {
        let ctx = &ctx;
        let (fe, be) = (frontend_ep.as_str(), backend_ep.as_str());
        let client_threads: Vec<_> = (1..=clients)
            .map(|id| s.spawn(move || client(ctx, fe, id)))
            .collect();
        let worker_threads: Vec<_> = (1..=workers)
            .map(|id| s.spawn(move || worker(ctx, be, id)))
            .collect();

        let result = broker(&frontend, &backend, clients);

        for c in client_threads {
            c.join().expect("client thread panicked")?;
        }
        // The workers wait for requests for ever: shutting the context
        // down ends their blocking calls.
        ctx.shutdown()?;
        for w in worker_threads {
            w.join().expect("worker thread panicked")?;
        }
        result
    })?;
    println!("all {clients} clients served");
    Ok(())
}

/// Routes requests to free workers until `clients` replies went back.
fn broker(
    frontend: &zmq4::Socket<'_>,
    backend: &zmq4::Socket<'_>,
    clients: usize,
) -> zmq4::Result<()> {
    let mut free: VecDeque<Message> = VecDeque::new();
    let mut served = 0;
    let mut poller = Poller::new();
    poller.add(backend, PollEvents::POLLIN, Side::Backend)?;
    poller.add(frontend, PollEvents::empty(), Side::Frontend)?;
    while served < clients {
        // Requests are read only while a worker is free to take them.
        let wanted = if free.is_empty() {
            PollEvents::empty()
        } else {
            PollEvents::POLLIN
        };
        poller.update(frontend, wanted)?;
        let ready: Vec<Side> = poller.poll(None)?.map(|(side, _)| *side).collect();
        for side in ready {
            match side {
                Side::Backend => {
                    // [worker id, "", "READY"] or [worker id, "", client id, "", reply]
                    let mut frames = backend.recv_multipart(RecvFlags::empty())?;
                    let rest = frames.split_off(2.min(frames.len()));
                    let worker = frames.into_iter().next().unwrap_or_default();
                    free.push_back(worker);
                    if rest.len() == 3 {
                        frontend.send_multipart(rest, SendFlags::empty())?;
                        served += 1;
                    }
                }
                Side::Frontend => {
                    // [client id, "", request] to the longest-free worker.
                    let request = frontend.recv_multipart(RecvFlags::empty())?;
                    let Some(worker) = free.pop_front() else {
                        continue;
                    };
                    let envelope = [worker, Message::new()];
                    backend
                        .send_multipart(envelope.into_iter().chain(request), SendFlags::empty())?;
                }
            }
        }
    }
    Ok(())
}
