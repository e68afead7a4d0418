//! The traps of libzmq's edge-triggered `ZMQ_FD` for an async socket:
//! messages queued before the first poll, bursts through small high-water
//! marks, send and receive on one socket, many sockets on one runtime, on
//! both kinds of tokio runtime. Every wait is bounded: a missed wake-up
//! fails the test instead of hanging it.
#![cfg(all(feature = "tokio", unix))]

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Poll, Wake, Waker};
use std::time::Duration;

use crate::support::async_rt::{burst, global_socket, on_both_runtimes, seq, seq_of, LIMIT};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use zmq4::tokio::AsyncSocket;
use zmq4::{Message, RecvFlags, SendFlags, Socket, SocketType};

/// A bound socket's endpoint: inproc under a unique name, or tcp on a free
/// port.
fn bind(s: &Socket<'_>, transport: &str) -> String {
    match transport {
        "inproc" => {
            let ep = crate::support::inproc("async-edges");
            s.bind(&ep).expect("bind");
            ep
        }
        _ => {
            s.bind("tcp://127.0.0.1:*").expect("bind");
            s.last_endpoint().expect("last_endpoint")
        }
    }
}

#[test]
fn messages_queued_before_the_first_poll_are_all_received() {
    on_both_runtimes("queued before the first poll", || async {
        let pull = global_socket(SocketType::Pull, 1000);
        let ep = bind(&pull, "inproc");
        let push = global_socket(SocketType::Push, 1000);
        push.connect(&ep).expect("connect");
        // Queued before the async socket exists: the edge that announced
        // them is long gone.
        for i in 0..5 {
            push.send(i.to_string(), SendFlags::empty()).expect("send");
        }
        let mut pull = AsyncSocket::new(pull).expect("async socket");
        // And more after it was registered but before it is first polled.
        for i in 5..10 {
            push.send(i.to_string(), SendFlags::empty()).expect("send");
        }
        for i in 0..10 {
            assert_eq!(pull.recv_string().await.expect("recv"), i.to_string());
        }
        // A message sent while the task waits still wakes it.
        let waiter = tokio::spawn(async move { pull.recv_string().await.expect("recv") });
        tokio::time::sleep(Duration::from_millis(20)).await;
        push.send("late", SendFlags::empty()).expect("send");
        assert_eq!(waiter.await.expect("join"), "late");
    });
}

#[test]
fn a_multipart_message_queued_before_the_first_poll_arrives_whole() {
    on_both_runtimes("multipart queued before the first poll", || async {
        let pull = global_socket(SocketType::Pull, 1000);
        let ep = bind(&pull, "inproc");
        let push = global_socket(SocketType::Push, 1000);
        push.connect(&ep).expect("connect");
        push.send_multipart(["a", "b", "c"], SendFlags::empty())
            .expect("send");
        push.send_multipart(["d"], SendFlags::empty())
            .expect("send");
        let mut pull = AsyncSocket::new(pull).expect("async socket");
        let got = pull.recv_multipart().await.expect("recv");
        assert_eq!(crate::support::bytes(&got), [b"a", b"b", b"c"]);
        let got = pull.next().await.expect("an item").expect("recv");
        assert_eq!(crate::support::bytes(&got), [b"d"]);
    });
}

/// A burst from a PUSH task to a PULL task, both async, high-water marks of
/// 10 on both sides: the sender waits for room again and again, the
/// receiver for messages, and every message must arrive, in order.
/// With `reuse`, the receiver receives into one `Message` throughout.
async fn burst_over(transport: &'static str, reuse: bool) {
    let n = burst();
    let pull = global_socket(SocketType::Pull, 10);
    let ep = bind(&pull, transport);
    let push = global_socket(SocketType::Push, 10);
    push.connect(&ep).expect("connect");
    let mut pull = AsyncSocket::new(pull).expect("async socket");
    let mut push = AsyncSocket::new(push).expect("async socket");
    let sender = tokio::spawn(async move {
        for i in 0..n {
            push.send(seq(i)).await.expect("send");
        }
        push
    });
    let receiver = tokio::spawn(async move {
        let mut msg = Message::new();
        for i in 0..n {
            if reuse {
                pull.recv_into_msg(&mut msg).await.expect("recv_into_msg");
            } else {
                msg = pull.recv().await.expect("recv");
            }
            assert_eq!(seq_of(&msg), i, "message {i} out of order");
        }
        pull
    });
    let _push = sender.await.expect("sender");
    let mut pull = receiver.await.expect("receiver");
    // Nothing more than was sent.
    let extra = tokio::time::timeout(Duration::from_millis(50), pull.recv()).await;
    assert!(extra.is_err(), "a message beyond the burst arrived");
}

#[test]
fn a_burst_through_small_high_water_marks_over_inproc_arrives_whole_and_in_order() {
    on_both_runtimes("inproc burst", || burst_over("inproc", false));
}

#[test]
fn a_burst_received_into_one_reused_message_arrives_whole_and_in_order() {
    on_both_runtimes("inproc burst, one message", || burst_over("inproc", true));
    on_both_runtimes("tcp burst, one message", || burst_over("tcp", true));
}

#[test]
fn a_burst_through_small_high_water_marks_over_tcp_arrives_whole_and_in_order() {
    on_both_runtimes("tcp burst", || burst_over("tcp", false));
}

#[test]
fn a_multipart_burst_through_the_sink_and_stream_arrives_whole() {
    on_both_runtimes("multipart burst", || async {
        let n = burst() / 10;
        let pull = global_socket(SocketType::Pull, 5);
        let ep = bind(&pull, "inproc");
        let push = global_socket(SocketType::Push, 5);
        push.connect(&ep).expect("connect");
        let mut pull = AsyncSocket::new(pull).expect("async socket");
        let mut push = AsyncSocket::new(push).expect("async socket");
        let sender = tokio::spawn(async move {
            for i in 0..n {
                push.feed(vec![seq(i), Message::from("middle"), seq(i)])
                    .await
                    .expect("feed");
            }
            push.flush().await.expect("flush");
        });
        for i in 0..n {
            let parts = pull.next().await.expect("an item").expect("recv");
            assert_eq!(parts.len(), 3, "message {i} is not whole");
            assert_eq!(seq_of(&parts[0]), i);
            assert_eq!(&parts[1][..], b"middle");
            assert_eq!(seq_of(&parts[2]), i);
        }
        sender.await.expect("sender");
    });
}

/// One DEALER task alternates sends and receives against a ROUTER echo
/// task, keeping up to `window` requests in flight, with high-water marks
/// of 4: each direction's wait may be ended by the other's operation.
async fn dealer_interleaved(transport: &'static str) {
    let n = burst() / 10;
    // Fewer requests in flight than the queues hold both ways, even as
    // libzmq counts them (it learns of room only every few messages):
    // otherwise both ends would wait to send, as blocking code would.
    let window = 4;
    let router = global_socket(SocketType::Router, 4);
    // A full queue makes a ROUTER drop the message, unless it is mandatory
    // to deliver: then the send waits.
    router.set_router_mandatory(true).expect("router_mandatory");
    let ep = bind(&router, transport);
    let dealer = global_socket(SocketType::Dealer, 4);
    dealer.connect(&ep).expect("connect");
    let mut router = AsyncSocket::new(router).expect("async socket");
    let mut dealer = AsyncSocket::new(dealer).expect("async socket");
    let echo = tokio::spawn(async move {
        for _ in 0..n {
            let parts = router.recv_multipart().await.expect("router recv");
            router.send_multipart(parts).await.expect("router send");
        }
        router
    });
    let mut next_reply = 0;
    for i in 0..n {
        dealer.send(seq(i)).await.expect("dealer send");
        if i + 1 >= window {
            let reply = dealer.recv().await.expect("dealer recv");
            assert_eq!(seq_of(&reply), next_reply);
            next_reply += 1;
        }
    }
    while next_reply < n {
        let reply = dealer.recv().await.expect("dealer recv");
        assert_eq!(seq_of(&reply), next_reply);
        next_reply += 1;
    }
    echo.await.expect("echo");
}

#[test]
fn send_and_receive_interleaved_on_one_dealer() {
    on_both_runtimes("interleaved dealer (inproc)", || {
        dealer_interleaved("inproc")
    });
    on_both_runtimes("interleaved dealer (tcp)", || dealer_interleaved("tcp"));
}

#[test]
fn a_dealer_split_into_sink_and_stream_halves_in_two_tasks() {
    // Both directions wait at once, in two tasks: each must be woken,
    // whichever operation consumed the descriptor's edge.
    // A full burst: the edge a recv consumes under a waiting send is a
    // narrow race, met only over many round trips.
    on_both_runtimes("split dealer", || async {
        let n = burst();
        let router = global_socket(SocketType::Router, 4);
        router.set_router_mandatory(true).expect("router_mandatory");
        let ep = bind(&router, "inproc");
        let dealer = global_socket(SocketType::Dealer, 4);
        dealer.connect(&ep).expect("connect");
        let mut router = AsyncSocket::new(router).expect("async socket");
        let dealer = AsyncSocket::new(dealer).expect("async socket");
        let echo = tokio::spawn(async move {
            for _ in 0..n {
                let parts = router.recv_multipart().await.expect("router recv");
                router.send_multipart(parts).await.expect("router send");
            }
        });
        let (mut sink, mut stream) = dealer.split();
        let sender = tokio::spawn(async move {
            for i in 0..n {
                sink.send(vec![seq(i)]).await.expect("sink send");
            }
        });
        for i in 0..n {
            let parts = stream.next().await.expect("an item").expect("recv");
            assert_eq!(seq_of(&parts[0]), i);
        }
        sender.await.expect("sender");
        echo.await.expect("echo");
    });
}

#[test]
fn many_sockets_on_one_runtime() {
    on_both_runtimes("many sockets", || async {
        let pairs = 32;
        let rounds = 200;
        let mut tasks = Vec::new();
        for _ in 0..pairs {
            let a = global_socket(SocketType::Pair, 2);
            let ep = bind(&a, "inproc");
            let b = global_socket(SocketType::Pair, 2);
            b.connect(&ep).expect("connect");
            let mut a = AsyncSocket::new(a).expect("async socket");
            let mut b = AsyncSocket::new(b).expect("async socket");
            tasks.push(tokio::spawn(async move {
                for i in 0..rounds {
                    a.send(seq(i)).await.expect("send");
                }
                a
            }));
            tasks.push(tokio::spawn(async move {
                for i in 0..rounds {
                    assert_eq!(seq_of(&b.recv().await.expect("recv")), i);
                }
                b
            }));
        }
        for t in tasks {
            t.await.expect("task");
        }
    });
}

#[test]
fn ping_pong_between_tasks_never_stalls() {
    // Every round trip parks both tasks: one missed wake-up and the
    // exchange stops, which the time limit turns into a failure.
    on_both_runtimes("ping-pong", || async {
        let rounds = burst() / 10;
        let rep = global_socket(SocketType::Rep, 1);
        let ep = bind(&rep, "inproc");
        let req = global_socket(SocketType::Req, 1);
        req.connect(&ep).expect("connect");
        let mut rep = AsyncSocket::new(rep).expect("async socket");
        let mut req = AsyncSocket::new(req).expect("async socket");
        let server = tokio::spawn(async move {
            for _ in 0..rounds {
                let msg = rep.recv().await.expect("rep recv");
                rep.send(msg).await.expect("rep send");
            }
        });
        for i in 0..rounds {
            req.send(seq(i)).await.expect("req send");
            assert_eq!(seq_of(&req.recv().await.expect("req recv")), i);
        }
        server.await.expect("server");
    });
}

/// A waker that records that it was woken.
#[derive(Default)]
struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Whether `flag` is woken within 5 s, the runtime running meanwhile
/// (its I/O driver reads the descriptor's edges only then).
async fn woken(flag: &Flag) -> bool {
    for _ in 0..500 {
        if flag.0.load(Ordering::SeqCst) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    flag.0.load(Ordering::SeqCst)
}

/// A DEALER whose sink holds a message it cannot send (the queue to its
/// peer is full), its sink side parked with `send_flag`; and the peer.
/// On a current-thread runtime, so that tokio's I/O driver sees the
/// descriptor only when the test yields.
async fn dealer_with_a_parked_sink(
    send_flag: &Arc<Flag>,
) -> (AsyncSocket<'static>, Socket<'static>) {
    let peer = global_socket(SocketType::Dealer, 2);
    let ep = bind(&peer, "inproc");
    let dealer = global_socket(SocketType::Dealer, 2);
    dealer.connect(&ep).expect("connect");
    let mut dealer = AsyncSocket::new(dealer).expect("async socket");
    // Let the driver take the edges of the connection.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let send_waker = Waker::from(send_flag.clone());
    let mut cx = std::task::Context::from_waker(&send_waker);
    for i in 0.. {
        assert!(i < 1000, "the queue never filled");
        match Pin::new(&mut dealer).poll_ready(&mut cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut dealer)
                .start_send(vec![seq(i)])
                .expect("start_send"),
            Poll::Ready(Err(err)) => panic!("poll_ready: {err}"),
            Poll::Pending => break,
        }
    }
    (dealer, peer)
}

#[test]
fn a_receive_that_consumes_the_edge_a_parked_send_needs_wakes_it() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let send_flag = Arc::new(Flag::default());
        let (mut dealer, peer) = dealer_with_a_parked_sink(&send_flag).await;
        // The peer takes the queued messages: libzmq tells the dealer its
        // queue has room, a command that raises an edge on its ZMQ_FD.
        let mut taken = 0;
        while peer.recv_msg(RecvFlags::DONTWAIT).is_ok() {
            taken += 1;
        }
        assert!(taken > 0, "the peer received nothing");
        // Before tokio's driver runs, the stream side tries to receive:
        // nothing came, but the attempt processes the dealer's commands,
        // and with them the edge.
        let recv_waker = Waker::from(Arc::new(Flag::default()));
        let mut cx = std::task::Context::from_waker(&recv_waker);
        assert!(Pin::new(&mut dealer).poll_next(&mut cx).is_pending());
        assert!(
            woken(&send_flag).await,
            "the parked sink was never woken: the receive consumed its edge"
        );
        tokio::time::timeout(
            LIMIT,
            futures_util::future::poll_fn(|cx| Pin::new(&mut dealer).poll_flush(cx)),
        )
        .await
        .expect("flush timed out")
        .expect("flush");
    });
}

#[test]
fn a_send_that_consumes_the_edge_a_parked_receive_needs_wakes_it() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let send_flag = Arc::new(Flag::default());
        let (mut dealer, peer) = dealer_with_a_parked_sink(&send_flag).await;
        let recv_flag = Arc::new(Flag::default());
        let recv_waker = Waker::from(recv_flag.clone());
        let mut cx = std::task::Context::from_waker(&recv_waker);
        assert!(Pin::new(&mut dealer).poll_next(&mut cx).is_pending());
        // A message for the dealer: a command, and an edge on its ZMQ_FD.
        peer.send("for the stream", SendFlags::empty())
            .expect("peer send");
        // Before tokio's driver runs, the sink side tries again: its queue
        // is still full, but the attempt processes the dealer's commands,
        // and with them the edge. (libzmq's send processes commands at
        // most once a millisecond or so: let that pass, without letting
        // the runtime run.)
        std::thread::sleep(Duration::from_millis(10));
        let send_waker = Waker::from(send_flag.clone());
        let mut cx = std::task::Context::from_waker(&send_waker);
        assert!(Pin::new(&mut dealer).poll_ready(&mut cx).is_pending());
        assert!(
            woken(&recv_flag).await,
            "the parked stream was never woken: the send consumed its edge"
        );
        let parts = tokio::time::timeout(LIMIT, dealer.next())
            .await
            .expect("recv timed out")
            .expect("an item")
            .expect("recv");
        assert_eq!(&parts[0][..], b"for the stream");
    });
}
