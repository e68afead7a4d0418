//! No send loses data: whatever makes a send fail, the message comes back.

use std::time::Duration;

use crate::support::*;
use zmq4::{Context, ErrorKind, Message, RecvFlags, SendFlags, SocketType};

const NONE: SendFlags = SendFlags::empty();

/// Long enough that libzmq keeps the bytes in a separate buffer rather than
/// inside the `zmq_msg_t`, so "the same buffer" can be checked by address.
const PAYLOAD: &[u8] = b"a payload longer than the 33 bytes libzmq stores inline";

#[test]
fn dontwait_without_peer_hands_the_message_back() {
    let ctx = Context::new().unwrap();
    let push = socket(&ctx, SocketType::Push);

    let msg = Message::copy_from(PAYLOAD).unwrap();
    let buffer = msg.as_ptr();
    let err = push.send_msg(msg, SendFlags::DONTWAIT).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WouldBlock);
    let msg = err.into_message();
    assert_eq!(&msg[..], PAYLOAD, "same bytes");
    assert_eq!(msg.as_ptr(), buffer, "same buffer");

    // In place: the message stays where it is, intact.
    let mut msg = msg;
    let err = push
        .send_msg_mut(&mut msg, SendFlags::DONTWAIT)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WouldBlock);
    assert_eq!(&msg[..], PAYLOAD);
    assert_eq!(msg.as_ptr(), buffer);

    // Copying send: the bytes were the caller's all along.
    let err = push.send(PAYLOAD, SendFlags::DONTWAIT).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WouldBlock);

    // The returned message is still good to send once a peer is there.
    let endpoint = inproc("nothing-lost");
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind(&endpoint).unwrap();
    push.connect(&endpoint).unwrap();
    push.send_msg(msg, NONE).unwrap();
    assert_eq!(pull.recv_bytes(RecvFlags::empty()).unwrap(), PAYLOAD);
}

#[test]
fn a_zero_copy_message_comes_back_with_its_own_buffer() {
    let ctx = Context::new().unwrap();
    let push = socket(&ctx, SocketType::Push);

    let vec = PAYLOAD.to_vec();
    let buffer = vec.as_ptr();
    let msg = Message::from(vec);
    assert_eq!(msg.as_ptr(), buffer, "adopted without copying");
    let err = push.send_msg(msg, SendFlags::DONTWAIT).unwrap_err();
    let msg = err.into_message();
    assert_eq!(msg.as_ptr(), buffer, "the very buffer of the Vec");
    assert_eq!(&msg[..], PAYLOAD);

    let msg = Message::from_static(PAYLOAD);
    let err = push.send_msg(msg, SendFlags::DONTWAIT).unwrap_err();
    assert_eq!(err.into_message().as_ptr(), PAYLOAD.as_ptr());

    let parts = vec![
        Message::from(PAYLOAD.to_vec()),
        Message::from(String::from("s")),
    ];
    let buffers: Vec<_> = parts.iter().map(|m| m.as_ptr()).collect();
    let err = push.send_multipart(parts, SendFlags::DONTWAIT).unwrap_err();
    assert_eq!(err.sent(), 0);
    let unsent = err.into_unsent();
    assert_eq!(unsent[0].as_ptr(), buffers[0]);
    assert_eq!(&unsent[1][..], b"s");
}

#[test]
fn send_timeout_hands_the_message_back() {
    let ctx = Context::new().unwrap();
    let req = socket(&ctx, SocketType::Req);
    req.set_sndtimeo(Some(Duration::from_millis(10))).unwrap();
    let msg = Message::copy_from(PAYLOAD).unwrap();
    let buffer = msg.as_ptr();
    let err = req.send_msg(msg, NONE).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut);
    let msg = err.into_message();
    assert_eq!(&msg[..], PAYLOAD);
    assert_eq!(msg.as_ptr(), buffer);
}

#[test]
fn router_mandatory_unknown_peer_hands_the_message_back() {
    let ctx = Context::new().unwrap();
    let router = socket(&ctx, SocketType::Router);
    router.set_router_mandatory(true).unwrap();

    // Frame by frame: the routing id frame is refused and returned.
    let id = Message::copy_from(b"nobody").unwrap();
    let err = router.send_msg(id, SendFlags::SNDMORE).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HostUnreachable);
    assert_eq!(&err.into_message()[..], b"nobody");

    // Whole message: nothing was sent, every part comes back in order.
    let parts = msgs(&[b"nobody", b"", PAYLOAD]);
    let buffer = parts[2].as_ptr();
    let err = router.send_multipart(parts, NONE).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HostUnreachable);
    assert_eq!(err.sent(), 0);
    let unsent = err.into_unsent();
    assert_eq!(
        bytes(&unsent),
        [&b"nobody"[..], b"", PAYLOAD].map(<[u8]>::to_vec)
    );
    assert_eq!(unsent[2].as_ptr(), buffer, "same buffer");

    // Nothing half-sent is left behind: the socket is at a message
    // boundary, and a known peer gets exactly the next message.
    let endpoint = inproc("mandatory");
    router.bind(&endpoint).unwrap();
    let dealer = socket(&ctx, SocketType::Dealer);
    dealer.set_routing_id(b"somebody").unwrap();
    dealer.connect(&endpoint).unwrap();
    dealer.send("hello", NONE).unwrap();
    let hello = router.recv_multipart(RecvFlags::empty()).unwrap();
    assert_eq!(&hello[0][..], b"somebody");
    router
        .send_multipart(msgs(&[b"somebody", b"reply"]), NONE)
        .unwrap();
    assert_eq!(dealer.recv_multipart(RecvFlags::empty()).unwrap().len(), 1);
}

#[test]
fn send_after_shutdown_hands_the_message_back() {
    let ctx = Context::new().unwrap();
    let push = socket(&ctx, SocketType::Push);
    let pull = socket(&ctx, SocketType::Pull);
    let endpoint = inproc("shutdown");
    pull.bind(&endpoint).unwrap();
    push.connect(&endpoint).unwrap();
    ctx.shutdown().unwrap();

    let msg = Message::copy_from(PAYLOAD).unwrap();
    let buffer = msg.as_ptr();
    let err = push.send_msg(msg, NONE).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Terminated);
    assert!(err.error().is_terminated());
    let msg = err.into_message();
    assert_eq!(&msg[..], PAYLOAD);
    assert_eq!(msg.as_ptr(), buffer);

    let err = push.send_multipart(msgs(&[b"a", b"b"]), NONE).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Terminated);
    assert_eq!((err.sent(), err.unsent().len()), (0, 2));

    assert_eq!(
        pull.recv_msg(RecvFlags::empty()).unwrap_err().kind(),
        ErrorKind::Terminated
    );
}

/// The high-water mark counts whole messages, so a full queue refuses the
/// first part of a multipart message, never a later one: under DONTWAIT a
/// multipart send either goes whole or not at all.
#[test]
fn full_queue_refuses_the_first_part_only() {
    let ctx = Context::new().unwrap();
    let endpoint = inproc("hwm");
    let pull = socket(&ctx, SocketType::Pull);
    pull.set_rcvhwm(Some(2)).unwrap();
    pull.bind(&endpoint).unwrap();
    let push = socket(&ctx, SocketType::Push);
    push.set_sndhwm(Some(2)).unwrap();
    push.connect(&endpoint).unwrap();

    let mut queued = 0;
    let err = loop {
        let parts = msgs(&[b"one", b"two", b"three"]);
        match push.send_multipart(parts, SendFlags::DONTWAIT) {
            Ok(()) => queued += 1,
            Err(err) => break err,
        }
        assert!(queued < 1000, "the queue never filled");
    };
    assert_eq!(err.kind(), ErrorKind::WouldBlock);
    assert_eq!(err.sent(), 0, "refused at the first part");
    assert_eq!(
        bytes(err.unsent()),
        [&b"one"[..], b"two", b"three"].map(<[u8]>::to_vec)
    );

    // Every queued message arrives whole, and nothing else does.
    for _ in 0..queued {
        let got = pull.recv_multipart(RecvFlags::empty()).unwrap();
        assert_eq!(got.len(), 3);
    }
    let err = pull.recv_msg(RecvFlags::DONTWAIT).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WouldBlock);
}

/// A later part fails only when something happens between two parts; the
/// context being shut down is such a thing. The parts sent before wait
/// inside libzmq, the failed one and the rest come back, and the peer sees
/// nothing of the message.
#[test]
fn failure_on_a_later_part_returns_exactly_the_unsent_parts() {
    let ctx = Context::new().unwrap();
    // The receiver lives in another context (over tcp), so that the
    // shutdown does not reach it and it can show what arrived.
    let peer_ctx = Context::new().unwrap();
    let pull = socket(&peer_ctx, SocketType::Pull);
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let push = socket(&ctx, SocketType::Push);
    push.connect(&pull.last_endpoint().unwrap()).unwrap();

    // A complete message first, to know the connection is up.
    push.send("ready", NONE).unwrap();
    assert_eq!(pull.recv_bytes(RecvFlags::empty()).unwrap(), b"ready");

    // send_multipart reads one part ahead; producing part 2 shuts the
    // context down, so part 0 is sent and part 1 fails. libzmq looks at
    // its commands at most about once a millisecond, hence the pause.
    let parts = (0..4u8).map(|i| {
        if i == 2 {
            ctx.shutdown().unwrap();
            std::thread::sleep(Duration::from_millis(50));
        }
        Message::copy_from(&[b'0' + i]).unwrap()
    });
    let err = push.send_multipart(parts, NONE).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Terminated);
    assert_eq!(err.sent(), 1);
    assert_eq!(
        bytes(err.unsent()),
        [b"1".to_vec(), b"2".to_vec(), b"3".to_vec()]
    );

    // The socket is closed with the message incomplete: the peer never
    // sees any part of it.
    drop(push);
    pull.set_rcvtimeo(Some(Duration::from_millis(200))).unwrap();
    let err = pull.recv_msg(RecvFlags::empty()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut);
}
