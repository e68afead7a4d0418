//! Cancellation of async socket operations: dropped receive futures lose
//! no message, dropped send futures hand nothing to libzmq, multipart
//! messages are never half-sent; futures are `Send`; the stream ends when
//! the context is shut down. Every wait is bounded by a timeout.
#![cfg(all(feature = "tokio", unix))]

use std::future::Future;
use std::time::Duration;

use crate::support::async_rt::{burst, global_socket, seq, seq_of};
use futures_util::{SinkExt, StreamExt};
use zmq4::tokio::AsyncSocket;
use zmq4::{Context, ErrorKind, Message, RecvFlags, Socket, SocketType};

const LIMIT: Duration = Duration::from_secs(60);

fn run<F: Future<Output = ()>>(what: &str, fut: F) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        tokio::time::timeout(LIMIT, fut)
            .await
            .unwrap_or_else(|_| panic!("{what}: timed out (a missed wake-up?)"));
    });
}

/// `default` scaled by the edge tests' burst size / 100 000, 20 at least:
/// the burst is `ZMQ4_ASYNC_BURST` if set, else 100 000, or 1 000 under
/// valgrind (which runs one thread at a time, and makes every wake-up
/// between threads slow).
fn count(default: u32) -> u32 {
    (u64::from(default) * u64::from(burst()) / 100_000).clamp(20, u64::from(u32::MAX)) as u32
}

/// A connected pair: the first bound, the second connected, over inproc.
fn pair(bound: SocketType, connected: SocketType, hwm: i32) -> (Socket<'static>, Socket<'static>) {
    let a = global_socket(bound, hwm);
    let ep = crate::support::inproc("async-cancel");
    a.bind(&ep).expect("bind");
    let b = global_socket(connected, hwm);
    b.connect(&ep).expect("connect");
    (a, b)
}

#[test]
fn recv_racing_a_timer_in_select_loses_no_message() {
    run("recv racing a timer", async {
        let n = count(2000);
        let (pull, push) = pair(SocketType::Pull, SocketType::Push, 10);
        let mut pull = AsyncSocket::new(pull).expect("async socket");
        let mut push = AsyncSocket::new(push).expect("async socket");
        let producer = tokio::spawn(async move {
            for i in 0..n {
                push.send(seq(i)).await.expect("send");
                if i % (n / 20).max(1) == 0 {
                    // Quiet spells, so that the timer wins some races.
                    tokio::time::sleep(Duration::from_millis(3)).await;
                }
            }
            push
        });
        let mut next = 0;
        let mut timer_won = 0;
        while next < n {
            tokio::select! {
                msg = pull.recv() => {
                    assert_eq!(seq_of(&msg.expect("recv")), next, "a message was lost or reordered");
                    next += 1;
                }
                _ = tokio::time::sleep(Duration::from_micros(100)) => timer_won += 1,
            }
        }
        assert!(timer_won > 0, "the timer never won: nothing was cancelled");
        producer.await.expect("producer");
        let extra = tokio::time::timeout(Duration::from_millis(50), pull.recv()).await;
        assert!(extra.is_err(), "a message arrived twice");
    });
}

#[test]
fn recv_into_msg_racing_a_timer_loses_no_message_and_never_shows_a_lost_one() {
    run("recv_into_msg racing a timer", async {
        let n = count(2000);
        let (pull, push) = pair(SocketType::Pull, SocketType::Push, 10);
        let mut pull = AsyncSocket::new(pull).expect("async socket");
        let mut push = AsyncSocket::new(push).expect("async socket");
        let producer = tokio::spawn(async move {
            for i in 0..n {
                push.send(seq(i)).await.expect("send");
                if i % (n / 20).max(1) == 0 {
                    tokio::time::sleep(Duration::from_millis(3)).await;
                }
            }
            push
        });
        // One message throughout, across cancelled receives.
        let mut msg = Message::new();
        let mut next = 0;
        let mut timer_won = 0;
        while next < n {
            tokio::select! {
                res = pull.recv_into_msg(&mut msg) => {
                    res.expect("recv_into_msg");
                    assert_eq!(seq_of(&msg), next, "a message was lost or reordered");
                    next += 1;
                }
                _ = tokio::time::sleep(Duration::from_micros(100)) => {
                    timer_won += 1;
                    // A cancelled receive leaves the last frame returned,
                    // or nothing: never one that was not returned.
                    assert!(
                        msg.is_empty() || seq_of(&msg) + 1 == next,
                        "a cancelled receive left a frame in the message"
                    );
                }
            }
        }
        assert!(timer_won > 0, "the timer never won: nothing was cancelled");
        producer.await.expect("producer");
        let extra =
            tokio::time::timeout(Duration::from_millis(50), pull.recv_into_msg(&mut msg)).await;
        assert!(extra.is_err(), "a message arrived twice");
    });
}

#[test]
fn recv_into_msg_takes_a_multipart_message_part_by_part() {
    run("recv_into_msg, multipart", async {
        let (pull, push) = pair(SocketType::Pull, SocketType::Push, 10);
        let mut pull = AsyncSocket::new(pull).expect("async socket");
        let mut push = AsyncSocket::new(push).expect("async socket");
        push.send_multipart(["a", "b", "c"]).await.expect("send");
        push.send("d").await.expect("send");
        let mut msg = Message::from("old content");
        let mut got = Vec::new();
        loop {
            pull.recv_into_msg(&mut msg).await.expect("recv_into_msg");
            got.push((msg.to_vec(), msg.more()));
            if &msg[..] == b"d" {
                break;
            }
        }
        let want: Vec<(Vec<u8>, bool)> = vec![
            (b"a".to_vec(), true),
            (b"b".to_vec(), true),
            (b"c".to_vec(), false),
            (b"d".to_vec(), false),
        ];
        assert_eq!(got, want);
    });
}

#[test]
fn recv_cancelled_after_every_pending_poll_loses_no_message() {
    // `yield_now` is ready on its second poll: each recv future that had to
    // wait is dropped right after it registered its wake-up.
    run("recv cancelled at every wait", async {
        let n = count(5000);
        let (pull, push) = pair(SocketType::Pull, SocketType::Push, 4);
        let mut pull = AsyncSocket::new(pull).expect("async socket");
        let mut push = AsyncSocket::new(push).expect("async socket");
        let producer = tokio::spawn(async move {
            for i in 0..n {
                push.send_multipart([seq(i), seq(i)]).await.expect("send");
            }
            push
        });
        let mut next = 0;
        let mut cancelled = 0u64;
        while next < n {
            tokio::select! {
                biased;
                parts = pull.recv_multipart() => {
                    let parts = parts.expect("recv");
                    assert_eq!(parts.len(), 2, "message {next} not whole");
                    assert_eq!(seq_of(&parts[0]), next, "a message was lost or reordered");
                    assert_eq!(seq_of(&parts[1]), next);
                    next += 1;
                }
                _ = tokio::task::yield_now() => cancelled += 1,
            }
        }
        assert!(cancelled > 0, "no receive was cancelled");
        producer.await.expect("producer");
    });
}

#[test]
fn a_dropped_send_hands_nothing_to_libzmq() {
    run("dropped send", async {
        // A PUSH with no peer: no room anywhere, a send must wait.
        let push = global_socket(SocketType::Push, 10);
        let ep = crate::support::inproc("async-cancel-send");
        push.bind(&ep).expect("bind");
        let mut push = AsyncSocket::new(push).expect("async socket");
        let res = tokio::time::timeout(Duration::from_millis(20), push.send("dropped")).await;
        assert!(res.is_err(), "a send with no peer completed");
        let res = tokio::time::timeout(
            Duration::from_millis(20),
            push.send_multipart(["dropped", "too"]),
        )
        .await;
        assert!(res.is_err(), "a send with no peer completed");

        let pull = global_socket(SocketType::Pull, 10);
        pull.connect(&ep).expect("connect");
        let mut pull = AsyncSocket::new(pull).expect("async socket");
        push.send("kept").await.expect("send");
        assert_eq!(pull.recv_string().await.expect("recv"), "kept");
        tokio::time::sleep(Duration::from_millis(20)).await;
        let err = pull
            .get_ref()
            .recv_msg(RecvFlags::DONTWAIT)
            .expect_err("the dropped sends reached the peer");
        assert_eq!(err.kind(), ErrorKind::WouldBlock);
    });
}

#[test]
fn multipart_sends_racing_in_select_are_never_half_sent() {
    run("multipart sends racing", async {
        let n = count(3000);
        let (pull, push) = pair(SocketType::Pull, SocketType::Push, 2);
        let mut pull = AsyncSocket::new(pull).expect("async socket");
        let mut push = AsyncSocket::new(push).expect("async socket");
        let sender = tokio::spawn(async move {
            let mut sent = 0;
            let mut cancelled = 0u64;
            while sent < n {
                tokio::select! {
                    biased;
                    res = push.send_multipart([seq(sent), Message::from("middle"), seq(sent)]) => {
                        res.expect("send");
                        sent += 1;
                    }
                    _ = tokio::task::yield_now() => cancelled += 1,
                }
            }
            (push, cancelled)
        });
        // The receiver is slower at times, so that sends must wait.
        for i in 0..n {
            if i % (n / 15).max(1) == 0 {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            let parts = pull.recv_multipart().await.expect("recv");
            assert_eq!(parts.len(), 3, "message {i} half-sent");
            assert_eq!(seq_of(&parts[0]), i, "a cancelled send reached the peer");
            assert_eq!(&parts[1][..], b"middle");
            assert_eq!(seq_of(&parts[2]), i);
        }
        let (_push, cancelled) = sender.await.expect("sender");
        assert!(cancelled > 0, "no send was cancelled");
        let extra = tokio::time::timeout(Duration::from_millis(50), pull.recv()).await;
        assert!(extra.is_err(), "a message beyond the sent ones arrived");
    });
}

fn assert_send<T: Send>(value: T) -> T {
    value
}

#[test]
fn futures_are_send_and_sockets_move_into_spawned_tasks() {
    run("spawned tasks", async {
        let (rep, req) = pair(SocketType::Rep, SocketType::Req, 10);
        let mut rep = assert_send(AsyncSocket::new(rep).expect("async socket"));
        let mut req = AsyncSocket::new(req).expect("async socket");
        let server = tokio::spawn(async move {
            let parts = assert_send(rep.recv_multipart()).await.expect("recv");
            assert_send(rep.send_multipart(parts)).await.expect("send");
            let msg = assert_send(rep.recv()).await.expect("recv");
            assert_send(rep.send(msg)).await.expect("send");
            let mut msg = Message::new();
            assert_send(rep.recv_into_msg(&mut msg))
                .await
                .expect("recv_into_msg");
            assert_send(rep.send(msg)).await.expect("send");
            let s = assert_send(rep.recv_string()).await.expect("recv");
            assert_send(rep.send(s)).await.expect("send");
            assert_send(rep.next()).await.expect("item").expect("recv");
            assert_send(SinkExt::send(&mut rep, vec![Message::from("end")]))
                .await
                .expect("sink");
        });
        req.send_multipart(["a", "b"]).await.expect("send");
        assert_eq!(
            crate::support::bytes(&req.recv_multipart().await.expect("recv")),
            [b"a", b"b"]
        );
        req.send("c").await.expect("send");
        assert_eq!(&req.recv().await.expect("recv")[..], b"c");
        req.send("c2").await.expect("send");
        assert_eq!(&req.recv().await.expect("recv")[..], b"c2");
        req.send("d").await.expect("send");
        assert_eq!(req.recv_string().await.expect("recv"), "d");
        req.send("e").await.expect("send");
        assert_eq!(req.recv_string().await.expect("recv"), "end");
        server.await.expect("server");
    });
}

#[test]
fn the_stream_ends_when_the_context_is_shut_down() {
    run("shutdown", async {
        let ctx = Context::new().expect("context");
        {
            let pull = ctx.socket(SocketType::Pull).expect("socket");
            pull.set_linger(Some(Duration::ZERO)).expect("linger");
            pull.bind(&crate::support::inproc("async-cancel-term"))
                .expect("bind");
            let mut pull = AsyncSocket::new(pull).expect("async socket");
            let (item, ()) = tokio::join!(pull.next(), async {
                tokio::time::sleep(Duration::from_millis(20)).await;
                ctx.shutdown().expect("shutdown");
            });
            let err = item
                .expect("an item")
                .expect_err("a message out of nothing");
            assert_eq!(err.kind(), ErrorKind::Terminated);
            assert!(
                pull.next().await.is_none(),
                "the stream goes on after ETERM"
            );
        }
    });
}

#[test]
fn an_empty_multipart_message_is_refused() {
    run("empty multipart", async {
        let (pull, push) = pair(SocketType::Pull, SocketType::Push, 10);
        let mut push = AsyncSocket::new(push).expect("async socket");
        let err = push
            .send_multipart(Vec::<Message>::new())
            .await
            .expect_err("an empty message was sent");
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        let err = SinkExt::send(&mut push, Vec::<Message>::new())
            .await
            .expect_err("an empty message was sent");
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        drop(pull);
    });
}

#[test]
fn a_sink_item_that_meets_a_full_queue_is_held_and_goes_first() {
    run("held sink item", async {
        // A PUSH with no peer: libzmq takes nothing.
        let push = global_socket(SocketType::Push, 10);
        let ep = crate::support::inproc("async-cancel-sink");
        push.bind(&ep).expect("bind");
        let mut push = AsyncSocket::new(push).expect("async socket");
        // `feed` completes: the sink holds the message...
        push.feed(vec![Message::from("held"), Message::from("whole")])
            .await
            .expect("feed");
        // ...and cannot get it through yet.
        let res = tokio::time::timeout(Duration::from_millis(20), push.flush()).await;
        assert!(res.is_err(), "a flush with no peer completed");

        let pull = global_socket(SocketType::Pull, 10);
        pull.connect(&ep).expect("connect");
        let mut pull = AsyncSocket::new(pull).expect("async socket");
        // A plain send waits for the held message to go first.
        push.send("after").await.expect("send");
        let got = pull.recv_multipart().await.expect("recv");
        assert_eq!(crate::support::bytes(&got), [&b"held"[..], &b"whole"[..]]);
        assert_eq!(pull.recv_string().await.expect("recv"), "after");
        push.flush().await.expect("flush");
    });
}

#[test]
fn a_send_that_fails_hands_its_message_back() {
    run("failed send", async {
        // A REQ must receive before it sends again: the second send fails
        // at once (EFSM), and the message comes back intact.
        let (rep, req) = pair(SocketType::Rep, SocketType::Req, 10);
        let mut req = AsyncSocket::new(req).expect("async socket");
        req.send("first").await.expect("send");
        let body = vec![7u8; 1000];
        let err = req
            .send(body.clone())
            .await
            .expect_err("a REQ sent twice in a row");
        assert_eq!(err.kind(), ErrorKind::InvalidState, "{}", err.error());
        assert_eq!(&err.into_message()[..], &body[..]);
        // Nothing of it reached the peer: the first request only.
        rep.set_rcvtimeo(Some(LIMIT)).expect("rcvtimeo");
        assert_eq!(rep.recv_string(RecvFlags::empty()).expect("recv"), "first");
        rep.send("reply", zmq4::SendFlags::empty()).expect("reply");
        assert_eq!(req.recv_string().await.expect("reply"), "reply");
        tokio::time::sleep(Duration::from_millis(20)).await;
        let err = rep
            .recv_msg(RecvFlags::DONTWAIT)
            .expect_err("the failed send reached the peer");
        assert_eq!(err.kind(), ErrorKind::WouldBlock);
    });
}

#[test]
fn a_parked_send_completes_with_terminated_and_its_message_when_the_context_is_shut_down() {
    run("shutdown under a parked send", async {
        let ctx = Context::new().expect("context");
        // A PUSH with no peer: the send parks.
        let push = ctx.socket(SocketType::Push).expect("socket");
        push.set_linger(Some(Duration::ZERO)).expect("linger");
        push.bind(&crate::support::inproc("async-cancel-term-send"))
            .expect("bind");
        let mut push = AsyncSocket::new(push).expect("async socket");
        let (res, ()) = tokio::join!(push.send("kept"), async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            ctx.shutdown().expect("shutdown");
        });
        let err = res.expect_err("sent with no peer");
        assert_eq!(err.kind(), ErrorKind::Terminated);
        assert_eq!(&err.into_message()[..], b"kept");
    });
}

#[test]
fn a_socket_whose_runtime_is_gone_reports_an_error_instead_of_hanging() {
    let (pull, push) = pair(SocketType::Pull, SocketType::Push, 10);
    let first = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut pull = first.block_on(async { AsyncSocket::new(pull).expect("async socket") });
    drop(first);
    // Polled on another runtime, the registration with the first one
    // fails: an error, not a hang.
    run("runtime gone", async {
        let err = pull.recv().await.expect_err("a message out of nothing");
        assert_eq!(err.kind(), ErrorKind::Other, "{err}");
    });
    // A send that must wait (PUSH with no peer) gets the same error, not
    // "would block", and its message back.
    let lonely = global_socket(SocketType::Push, 10);
    let second = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut lonely = second.block_on(async { AsyncSocket::new(lonely).expect("async socket") });
    drop(second);
    run("runtime gone, send", async {
        let err = lonely.send("nowhere").await.expect_err("sent to no peer");
        assert_eq!(err.kind(), ErrorKind::Other, "{}", err.error());
        assert_eq!(&err.unsent()[..], b"nowhere");
        let err = lonely
            .send_multipart(["a", "b"])
            .await
            .expect_err("sent to no peer");
        assert_eq!(err.kind(), ErrorKind::Other, "{}", err.error());
        assert_eq!(err.sent(), 0);
    });
    // A message queued meanwhile still reaches the plain socket.
    push.send("after", zmq4::SendFlags::empty()).expect("send");
    let pull = pull.into_inner();
    pull.set_rcvtimeo(Some(LIMIT)).expect("rcvtimeo");
    assert_eq!(pull.recv_string(RecvFlags::empty()).expect("recv"), "after");
}

#[test]
fn a_runtime_without_io_is_an_error_not_a_panic() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let ctx = Context::global();
    rt.block_on(async {
        let err = AsyncSocket::new(ctx.socket(SocketType::Pull).expect("socket"))
            .expect_err("registered with no I/O driver");
        assert_eq!(err.kind(), ErrorKind::InvalidState, "{err}");
    });
}

#[test]
fn a_runtime_without_timers_is_an_error_not_a_panic() {
    // The timer serves the waits for a full peer of a socket that says it
    // is writable: refused at once, not met in the middle of a send.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("runtime");
    let ctx = Context::global();
    rt.block_on(async {
        let err = AsyncSocket::new(ctx.socket(SocketType::Pull).expect("socket"))
            .expect_err("made with no time driver");
        assert_eq!(err.kind(), ErrorKind::InvalidState, "{err}");
        assert!(err.to_string().contains("enable_time"), "{err}");
    });
}

#[cfg(feature = "draft")]
#[test]
fn thread_safe_sockets_are_refused_with_a_reason() {
    // They have no ZMQ_FD: libzmq answers EINVAL, which says nothing.
    run("thread-safe sockets", async {
        for kind in [
            SocketType::Server,
            SocketType::Client,
            SocketType::Radio,
            SocketType::Dish,
            SocketType::Scatter,
            SocketType::Gather,
            SocketType::Peer,
            SocketType::Channel,
        ] {
            let err = AsyncSocket::new(global_socket(kind, 10)).expect_err("registered");
            assert_eq!(err.kind(), ErrorKind::NotSupported, "{kind:?}: {err}");
            assert!(err.to_string().contains("thread-safe"), "{kind:?}: {err}");
        }
    });
}
