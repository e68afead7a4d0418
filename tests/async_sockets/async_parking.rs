//! A task waiting to send parks: it leaves its thread idle, also where
//! libzmq's readiness cannot tell. A socket that routes each message to
//! one peer (ROUTER with `ROUTER_MANDATORY`, STREAM) or that will not
//! drop one (XPUB with `XPUB_NODROP`) reports `POLLOUT` as soon
//! as *some* peer could take a message, while a send for a peer whose
//! queue is full would block. Each scenario fills one peer's queue,
//! checks that libzmq still says "writable", and watches a send for that
//! peer for a while: it must not complete, and must neither be polled
//! over and over nor keep its thread busy. Then the peer reads, and the
//! send must go through. Every wait is bounded.
#![cfg(all(feature = "tokio", unix))]

use std::fmt::Debug;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::time::{Duration, Instant};

use crate::support::async_rt::{drain, fill, global_socket, on_both_runtimes, thread_cpu, LIMIT};
use futures_util::SinkExt;
use zmq4::tokio::AsyncSocket;
use zmq4::{ErrorKind, Message, PollEvents, RecvFlags, SendFlags, Socket, SocketType};

/// How long each send is watched while it must wait.
const WAIT: Duration = Duration::from_millis(600);

/// The most polls a parked send may take in [`WAIT`]: a few wake-ups from
/// the socket and a backing-off timer. A busy-wait takes thousands.
const MAX_POLLS: u64 = 100;

/// Polls `fut` for [`WAIT`] on this thread (the runtime's `block_on`
/// thread): it must still be pending, polled at most [`MAX_POLLS`] times,
/// with the thread busy a quarter of the time at most. `poke`, called
/// once the future waits, makes the socket's descriptor signal (a peer
/// sends something): libzmq's readiness then says "writable", and a send
/// that took it at its word would retry for ever.
async fn parks<F>(what: &str, fut: &mut Pin<Box<F>>, poke: impl FnOnce())
where
    F: Future + ?Sized,
    F::Output: Debug,
{
    let mut polls = 0u64;
    let mut poke = Some(poke);
    let cpu = thread_cpu();
    let start = Instant::now();
    let res = tokio::time::timeout(
        WAIT,
        poll_fn(|cx| {
            polls += 1;
            let res = fut.as_mut().poll(cx);
            if let Some(poke) = poke.take() {
                poke();
            }
            res
        }),
    )
    .await;
    let (cpu, wall) = (thread_cpu() - cpu, start.elapsed());
    assert!(
        res.is_err(),
        "{what}: completed though the peer's queue is full: {res:?}"
    );
    assert!(
        polls <= MAX_POLLS && cpu < wall / 4,
        "{what}: busy while waiting to send: polled {polls} times, \
         {cpu:?} of CPU in {wall:?}"
    );
}

/// libzmq reports the socket writable: the case where its readiness says
/// nothing about the peer a send is for.
fn assert_writable(what: &str, s: &Socket<'_>) {
    let deadline = Instant::now() + LIMIT;
    while !s.events().expect("events").contains(PollEvents::POLLOUT) {
        assert!(Instant::now() < deadline, "{what}: never writable");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// A ROUTER with `ROUTER_MANDATORY` whose queue to peer "full" is full,
/// while peer "room" (attached, as a message it received shows) has room;
/// and the two DEALER peers, with how many messages "full" has waiting.
fn router_with_a_full_peer() -> (Socket<'static>, Socket<'static>, Socket<'static>, usize) {
    let router = global_socket(SocketType::Router, 2);
    router.set_router_mandatory(true).expect("router_mandatory");
    let ep = crate::support::inproc("async-parking-router");
    router.bind(&ep).expect("bind");
    let peer = |id: &str| {
        let dealer = global_socket(SocketType::Dealer, 2);
        dealer.set_routing_id(id).expect("routing_id");
        dealer.connect(&ep).expect("connect");
        dealer
    };
    let (full, room) = (peer("full"), peer("room"));
    // "Unreachable" until the peer is attached.
    let deadline = Instant::now() + LIMIT;
    while let Err(e) = router.send_multipart(["room", "hello"], SendFlags::DONTWAIT) {
        assert_eq!(e.kind(), ErrorKind::HostUnreachable, "{}", e.error());
        assert!(Instant::now() < deadline, "peer \"room\" never attached");
        std::thread::sleep(Duration::from_millis(1));
    }
    drain(&room, 1);
    let queued = fill("ROUTER, full peer", || {
        router
            .send_multipart(["full", "filler"], SendFlags::DONTWAIT)
            .map_err(|e| e.into_parts().0)
    });
    assert_writable("ROUTER", &router);
    (router, full, room, queued)
}

/// A message from peer "room" to the ROUTER: a command, and a signal on
/// the ROUTER's descriptor.
fn poke(room: &Socket<'_>) {
    room.send("poke", SendFlags::empty()).expect("poke");
}

#[test]
fn a_router_mandatory_send_to_a_full_peer_parks() {
    on_both_runtimes("ROUTER_MANDATORY, send_multipart", || async {
        let (router, full, room, queued) = router_with_a_full_peer();
        let mut router = AsyncSocket::new(router).expect("async socket");
        let mut send = Box::pin(router.send_multipart(["full", "late"]));
        parks("ROUTER_MANDATORY send_multipart", &mut send, || poke(&room)).await;
        drain(&full, queued);
        send.await.expect("send after the peer read");
        let got = full.recv_msg(RecvFlags::empty()).expect("recv");
        assert_eq!(&got[..], b"late");
    });
}

#[test]
fn a_router_mandatory_sink_item_for_a_full_peer_parks() {
    on_both_runtimes("ROUTER_MANDATORY, Sink", || async {
        let (router, full, room, queued) = router_with_a_full_peer();
        let mut router = AsyncSocket::new(router).expect("async socket");
        let mut send = Box::pin(SinkExt::send(
            &mut router,
            vec![Message::from("full"), Message::from("late")],
        ));
        parks("ROUTER_MANDATORY Sink::send", &mut send, || poke(&room)).await;
        drain(&full, queued);
        send.await.expect("sink send after the peer read");
        let got = full.recv_msg(RecvFlags::empty()).expect("recv");
        assert_eq!(&got[..], b"late");
    });
}

#[test]
fn a_router_mandatory_send_parks_while_another_task_receives() {
    // The ROUTER split in two tasks: every receive reads ZMQ_EVENTS for the
    // waiting send, which says "writable" (the other peer has room) and
    // wakes it; the send must park again, not spin.
    on_both_runtimes("ROUTER_MANDATORY, split", || async {
        let (router, full, room, queued) = router_with_a_full_peer();
        let router = AsyncSocket::new(router).expect("async socket");
        let (mut sink, mut stream) = futures_util::StreamExt::split(router);
        let receiver = tokio::spawn(async move {
            let parts = futures_util::StreamExt::next(&mut stream)
                .await
                .expect("an item")
                .expect("recv");
            assert_eq!(&parts[1][..], b"from room");
        });
        let mut send = Box::pin(SinkExt::send(
            &mut sink,
            vec![Message::from("full"), Message::from("late")],
        ));
        parks("ROUTER_MANDATORY split sink, idle", &mut send, || {}).await;
        parks(
            "ROUTER_MANDATORY split sink, after a receive",
            &mut send,
            || room.send("from room", SendFlags::empty()).expect("send"),
        )
        .await;
        receiver.await.expect("receiver");
        drain(&full, queued);
        send.await.expect("sink send after the peer read");
        let got = full.recv_msg(RecvFlags::empty()).expect("recv");
        assert_eq!(&got[..], b"late");
    });
}

#[test]
fn an_xpub_nodrop_send_with_a_full_subscriber_parks() {
    on_both_runtimes("XPUB_NODROP", || async {
        let xpub = global_socket(SocketType::XPub, 2);
        xpub.set_xpub_nodrop(true).expect("xpub_nodrop");
        let ep = crate::support::inproc("async-parking-xpub");
        xpub.bind(&ep).expect("bind");
        let sub = global_socket(SocketType::Sub, 2);
        sub.set_subscribe("").expect("subscribe");
        sub.connect(&ep).expect("connect");
        // The subscription arrives: the subscriber is attached.
        xpub.set_rcvtimeo(Some(LIMIT)).expect("rcvtimeo");
        let subscription = xpub.recv_msg(RecvFlags::empty()).expect("subscription");
        assert_eq!(&subscription[..], b"\x01");
        let queued = fill("XPUB_NODROP", || xpub.send("filler", SendFlags::DONTWAIT));
        assert_writable("XPUB_NODROP", &xpub);
        let mut xpub = AsyncSocket::new(xpub).expect("async socket");
        let mut send = Box::pin(xpub.send("late"));
        parks("XPUB_NODROP send", &mut send, || {
            sub.set_subscribe("another").expect("subscribe")
        })
        .await;
        drain(&sub, queued);
        send.await.expect("send after the subscriber read");
        let got = sub.recv_msg(RecvFlags::empty()).expect("recv");
        assert_eq!(&got[..], b"late");
    });
}

#[test]
fn a_stream_send_to_a_tcp_peer_that_does_not_read_parks() {
    on_both_runtimes("STREAM", || async {
        use std::io::{Read, Write};
        let stream = global_socket(SocketType::Stream, 1);
        stream.bind("tcp://127.0.0.1:*").expect("bind");
        let ep = stream.last_endpoint().expect("last_endpoint");
        let addr = ep.trim_start_matches("tcp://");
        let mut client = std::net::TcpStream::connect(addr).expect("tcp connect");
        // The STREAM announces a connection with its routing id and an
        // empty frame.
        stream.set_rcvtimeo(Some(LIMIT)).expect("rcvtimeo");
        let hello = stream
            .recv_multipart(RecvFlags::empty())
            .expect("connection");
        let id = hello[0].to_vec();
        // Large frames fill the kernel's buffers, then the queue.
        let chunk = vec![7u8; 256 * 1024];
        let queued = fill("STREAM", || {
            stream
                .send_multipart([&id[..], &chunk[..]], SendFlags::DONTWAIT)
                .map_err(|e| e.into_parts().0)
        });
        assert_writable("STREAM", &stream);
        let mut stream = AsyncSocket::new(stream).expect("async socket");
        let mut send = Box::pin(stream.send_multipart([&id[..], b"late"]));
        parks("STREAM send_multipart", &mut send, || {
            (&client).write_all(b"poke").expect("tcp write")
        })
        .await;
        // The peer reads everything sent so far: the send goes through.
        let total = queued * chunk.len() + 4;
        let reader = std::thread::spawn(move || {
            client.set_read_timeout(Some(LIMIT)).expect("read timeout");
            let mut got = vec![0u8; total];
            client.read_exact(&mut got).expect("read");
            got
        });
        send.await.expect("send after the peer read");
        let got = reader.join().expect("reader");
        assert!(got[..total - 4].iter().all(|&b| b == 7));
        assert_eq!(&got[total - 4..], b"late");
    });
}

#[test]
fn a_send_with_no_peer_parks_on_the_socket_alone() {
    // The plain case, where libzmq's readiness tells the truth: the task
    // is woken by the socket when a peer comes, and by nothing else.
    on_both_runtimes("no peer", || async {
        let push = global_socket(SocketType::Push, 2);
        let ep = crate::support::inproc("async-parking-push");
        push.bind(&ep).expect("bind");
        let mut push = AsyncSocket::new(push).expect("async socket");
        let mut polls = 0u64;
        let mut send = Box::pin(push.send("late"));
        let res = tokio::time::timeout(
            WAIT,
            poll_fn(|cx| {
                polls += 1;
                send.as_mut().poll(cx)
            }),
        )
        .await;
        assert!(res.is_err(), "a send with no peer completed");
        assert!(polls <= 5, "a send with no peer was polled {polls} times");
        let pull = global_socket(SocketType::Pull, 2);
        pull.connect(&ep).expect("connect");
        send.await.expect("send once a peer came");
        drain(&pull, 1);
    });
}

#[test]
fn a_router_without_mandatory_never_waits() {
    // libzmq drops what a ROUTER cannot deliver, unless delivery is
    // mandatory: the send completes at its first poll, for a full peer
    // and for an unknown one alike.
    on_both_runtimes("ROUTER without ROUTER_MANDATORY", || async {
        let router = global_socket(SocketType::Router, 2);
        let ep = crate::support::inproc("async-parking-router-drop");
        router.bind(&ep).expect("bind");
        let full = global_socket(SocketType::Dealer, 2);
        full.set_routing_id("full").expect("routing_id");
        full.connect(&ep).expect("connect");
        // Once the peer is attached, more than its queue holds.
        full.send("here", SendFlags::empty()).expect("send");
        router.set_rcvtimeo(Some(LIMIT)).expect("rcvtimeo");
        router
            .recv_multipart(RecvFlags::empty())
            .expect("the peer's message");
        for _ in 0..100 {
            router
                .send_multipart(["full", "filler"], SendFlags::DONTWAIT)
                .expect("a ROUTER send");
        }
        let mut router = AsyncSocket::new(router).expect("async socket");
        for to in ["full", "nobody"] {
            let mut send = Box::pin(router.send_multipart([to, "dropped"]));
            let first = poll_fn(|cx| std::task::Poll::Ready(send.as_mut().poll(cx))).await;
            assert!(
                matches!(first, std::task::Poll::Ready(Ok(()))),
                "a send for {to:?} waited or failed: {first:?}"
            );
        }
    });
}
