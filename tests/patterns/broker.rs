//! The ROUTER/DEALER broker of the Go program that could not use inproc:
//! a tcp frontend for clients, an inproc backend for worker threads that
//! share the broker's context, a steerable proxy between them. Unlike the
//! original it shuts down cleanly: the proxy is terminated, the context is
//! shut down to wake the workers, and every thread is joined.

use std::sync::Barrier;

use crate::support::{inproc, socket};
use zmq4::{Context, ErrorKind, RecvFlags, SendFlags, SocketType, SteerableProxy};

const WORKERS: usize = 4;
const REQUESTS: usize = 20;
const CLIENT_ID: &[u8] = b"client-1";

/// A worker: answers every request until its context is shut down; returns
/// how many it answered.
fn worker(ctx: &Context, backend: &str, id: usize, ready: &Barrier) -> usize {
    let rep = socket(ctx, SocketType::Rep);
    // Blocking receives: the shutdown, not a timeout, ends the loop.
    rep.set_rcvtimeo(None).unwrap();
    rep.connect(backend).unwrap();
    ready.wait();
    let mut answered = 0;
    loop {
        let request = match rep.recv_string(RecvFlags::empty()) {
            Ok(request) => request,
            Err(e) if e.kind() == ErrorKind::Terminated => return answered,
            Err(e) => panic!("worker {id}: {e}"),
        };
        let reply = format!("worker {id} got {request}");
        match rep.send(reply, SendFlags::empty()) {
            Ok(()) => answered += 1,
            Err(e) if e.kind() == ErrorKind::Terminated => return answered,
            Err(e) => panic!("worker {id}: {e}"),
        }
    }
}

#[test]
fn broker_serves_requests_and_shuts_down_cleanly() {
    let ctx = Context::new().unwrap();
    let frontend = socket(&ctx, SocketType::Router);
    frontend.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = frontend.last_endpoint().unwrap();
    let backend_endpoint = inproc("broker-backend");
    let backend = socket(&ctx, SocketType::Dealer);
    backend.bind(&backend_endpoint).unwrap();
    let (proxy, control) = SteerableProxy::new(&ctx).unwrap();
    let ready = Barrier::new(WORKERS + 1);

    let (answered, statistics) = std::thread::scope(|s| {
        let _stop = crate::support::ShutdownOnPanic(&ctx);
        let broker = s.spawn(move || proxy.run(&frontend, &backend, None));
        let workers: Vec<_> = (0..WORKERS)
            .map(|id| {
                let (ctx, backend, ready) = (&ctx, &backend_endpoint, &ready);
                s.spawn(move || worker(ctx, backend, id, ready))
            })
            .collect();
        ready.wait();

        let client = socket(&ctx, SocketType::Req);
        client.set_routing_id(CLIENT_ID).unwrap();
        client.connect(&endpoint).unwrap();
        let mut request_bytes = 0;
        let mut reply_bytes = 0;
        for n in 0..REQUESTS {
            let request = format!("request {n}");
            client.send(&request, SendFlags::empty()).unwrap();
            let reply = client.recv_string(RecvFlags::empty()).unwrap();
            assert!(reply.starts_with("worker "), "{reply}");
            assert!(reply.ends_with(&format!(" got {request}")), "{reply}");
            request_bytes += request.len();
            reply_bytes += reply.len();
        }
        let statistics = control.statistics().unwrap();

        control.terminate().unwrap();
        broker.join().unwrap().unwrap();
        // The workers block in recv: shutting the context down wakes them.
        ctx.shutdown().unwrap();
        let answered: Vec<usize> = workers.into_iter().map(|w| w.join().unwrap()).collect();
        (answered, (statistics, request_bytes, reply_bytes))
    });

    // Every request was answered once, by every worker in turn.
    assert_eq!(answered.iter().sum::<usize>(), REQUESTS, "{answered:?}");
    assert!(answered.iter().all(|&n| n > 0), "{answered:?}");

    // Through the proxy, a request is [client id, empty delimiter, body]
    // both ways: one message of three frames.
    let (stats, request_bytes, reply_bytes) = statistics;
    let messages = REQUESTS as u64;
    let frames = 3 * messages;
    let requests = (REQUESTS * CLIENT_ID.len() + request_bytes) as u64;
    let replies = (REQUESTS * CLIENT_ID.len() + reply_bytes) as u64;
    assert_eq!(stats.frontend.messages_received, messages);
    assert_eq!(stats.frontend.frames_received, frames);
    assert_eq!(stats.frontend.bytes_received, requests);
    assert_eq!(stats.backend.messages_sent, messages);
    assert_eq!(stats.backend.frames_sent, frames);
    assert_eq!(stats.backend.bytes_sent, requests);
    assert_eq!(stats.backend.messages_received, messages);
    assert_eq!(stats.backend.frames_received, frames);
    assert_eq!(stats.backend.bytes_received, replies);
    assert_eq!(stats.frontend.messages_sent, messages);
    assert_eq!(stats.frontend.frames_sent, frames);
    assert_eq!(stats.frontend.bytes_sent, replies);
}
