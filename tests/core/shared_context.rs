//! Worker threads reach a broker over inproc:// only through the context
//! that bound it: the situation of a Go program whose workers each made
//! their own context and could not connect.

use std::time::Duration;

use crate::support::*;
use zmq4::{Context, ErrorKind, Message, RecvFlags, SendFlags, SocketType};

/// A REP worker: answers every request until the context is shut down.
/// Returns how many requests it answered.
fn worker(ctx: &Context, backend: &str, id: usize) -> usize {
    let rep = socket(ctx, SocketType::Rep);
    rep.connect(backend).unwrap();
    let mut answered = 0;
    let mut msg = Message::new();
    loop {
        match rep.recv(&mut msg, RecvFlags::empty()) {
            Ok(()) => {}
            Err(e) if e.is_would_block() => continue, // receive timeout, idle
            Err(e) if e.is_terminated() => return answered,
            Err(e) => panic!("worker {id}: {e}"),
        }
        let request = String::from_utf8(msg.to_vec()).unwrap();
        match rep.send(format!("worker {id} answers {request}"), SendFlags::empty()) {
            Ok(()) => answered += 1,
            Err(e) if e.is_terminated() => return answered,
            Err(e) => panic!("worker {id}: {e}"),
        }
    }
}

#[test]
fn workers_on_the_shared_context_answer_over_inproc() {
    const WORKERS: usize = 4;
    const REQUESTS: usize = 40;

    let ctx = Context::new().unwrap();
    let frontend = socket(&ctx, SocketType::Router);
    frontend.bind("tcp://127.0.0.1:*").unwrap();
    let frontend_endpoint = frontend.last_endpoint().unwrap();
    let backend_endpoint = inproc("backend");
    let backend = socket(&ctx, SocketType::Dealer);
    backend.bind(&backend_endpoint).unwrap();

    let answered: usize = std::thread::scope(|s| {
        let _stop = crate::support::ShutdownOnPanic(&ctx);
        let workers: Vec<_> = (0..WORKERS)
            .map(|id| {
                let (ctx, backend_endpoint) = (&ctx, &backend_endpoint);
                s.spawn(move || worker(ctx, backend_endpoint, id))
            })
            .collect();
        // The broker: returns Ok once the context is shut down.
        let broker = s.spawn(move || zmq4::proxy(&frontend, &backend, None));

        // The client is another program as far as the broker knows: its
        // own context, over tcp.
        let client_ctx = Context::new().unwrap();
        let client = socket(&client_ctx, SocketType::Req);
        client.connect(&frontend_endpoint).unwrap();
        for i in 0..REQUESTS {
            let request = format!("request {i}");
            client.send(&request, SendFlags::empty()).unwrap();
            let reply = client.recv_string(RecvFlags::empty()).unwrap();
            let (who, what) = reply.split_once(" answers ").unwrap();
            assert!(who.starts_with("worker "), "{reply}");
            assert_eq!(what, request);
        }
        drop(client);

        // Shutting the context down ends every blocking call on its
        // sockets with Terminated: workers and broker return and close
        // their sockets, the scope ends, and dropping the context then
        // terminates it without waiting on anything.
        ctx.shutdown().unwrap();
        broker.join().unwrap().unwrap();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    assert_eq!(answered, REQUESTS);
}

#[test]
fn inproc_needs_the_same_context() {
    let ctx = Context::new().unwrap();
    let other = Context::new().unwrap();
    let endpoint = inproc("same-context");
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind(&endpoint).unwrap();
    pull.set_rcvtimeo(Some(Duration::from_millis(100))).unwrap();

    // From another context the endpoint is a different one: connecting
    // works (it waits for a bind there), but nothing arrives.
    let stranger = socket(&other, SocketType::Push);
    stranger.connect(&endpoint).unwrap();
    stranger
        .send("lost in another context", SendFlags::empty())
        .unwrap();
    let err = pull.recv_msg(RecvFlags::empty()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut);

    // From the same context it is the bound socket.
    let friend = socket(&ctx, SocketType::Push);
    friend.connect(&endpoint).unwrap();
    friend.send("found", SendFlags::empty()).unwrap();
    assert_eq!(pull.recv_string(RecvFlags::empty()).unwrap(), "found");
}
