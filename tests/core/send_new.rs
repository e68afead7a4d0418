//! Sending a message built where it is sent: `send_new`.

use std::time::Duration;

use crate::send_recv::pair;
use crate::support::*;
use zmq4::{Context, ErrorKind, RecvFlags, SendFlags, SocketType};

const NONE: SendFlags = SendFlags::empty();
const WAIT: RecvFlags = RecvFlags::empty();

#[test]
fn send_new_writes_the_frame_where_it_is_sent() {
    let ctx = Context::new().unwrap();
    let (a, b) = pair(&ctx);
    // Empty, the largest frame kept inside the message (33 bytes), the
    // smallest on the heap, and a large one.
    for len in [0usize, 1, 33, 34, 65_536] {
        let mut called = false;
        a.send_new(len, NONE, |frame| {
            called = true;
            assert_eq!(frame.len(), len);
            assert!(frame.iter().all(|&b| b == 0), "the frame starts zeroed");
            for (i, byte) in frame.iter_mut().enumerate() {
                *byte = (i % 251) as u8;
            }
        })
        .unwrap();
        assert!(called);
        let got = b.recv_bytes(WAIT).unwrap();
        let want: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        assert_eq!(got, want, "{len} bytes");
    }
}

#[test]
fn send_new_sends_what_fill_wrote() {
    let ctx = Context::new().unwrap();
    let (a, b) = pair(&ctx);
    for len in [0usize, 5, 33, 34, 4096] {
        a.send_new(len, NONE, |frame| {
            assert_eq!(frame.len(), len);
            for byte in frame.iter_mut() {
                *byte = 0x5A;
            }
        })
        .unwrap();
        assert_eq!(b.recv_bytes(WAIT).unwrap(), vec![0x5A; len]);
    }
}

#[test]
fn send_new_that_cannot_queue_fails_and_frees_the_frame() {
    let ctx = Context::new().unwrap();
    // No peer: a PUSH cannot queue, and DONTWAIT fails at once. The
    // frame (heap-sized) is closed; the leak checkers of CI see it if not.
    let push = socket(&ctx, SocketType::Push);
    for len in [8usize, 100_000] {
        let err = push
            .send_new(len, SendFlags::DONTWAIT, |frame| frame.fill(7))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::WouldBlock);
    }
    // A socket type that cannot send at all.
    let sub = socket(&ctx, SocketType::Sub);
    let err = sub.send_new(3, NONE, |frame| frame.fill(1)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotSupported);
}

#[test]
fn send_new_whose_fill_panics_sends_nothing_and_leaves_the_socket_usable() {
    let ctx = Context::new().unwrap();
    let (a, b) = pair(&ctx);
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        a.send_new(1000, NONE, |_| panic!("fill fails")).unwrap();
    }));
    assert!(caught.is_err());
    a.send_new(2, NONE, |frame| frame.copy_from_slice(b"ok"))
        .unwrap();
    // Only the frame after the panic arrives.
    assert_eq!(b.recv_bytes(WAIT).unwrap(), b"ok");
    b.set_rcvtimeo(Some(Duration::from_millis(50))).unwrap();
    assert_eq!(b.recv_bytes(WAIT).unwrap_err().kind(), ErrorKind::TimedOut);
}

#[test]
fn send_new_on_xsub_refuses_an_overlong_subscription_before_libzmq() {
    let ctx = Context::new().unwrap();
    let xsub = socket(&ctx, SocketType::XSub);
    xsub.connect(&inproc("send-new-xsub")).unwrap();
    let len = 1 + zmq4::MAX_SUBSCRIPTION_LEN + 1;
    let err = xsub
        .send_new(len, NONE, |frame| {
            frame[0] = 1; // subscribe
            frame[1..].fill(b'p');
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    // At the bound it goes through.
    xsub.send_new(1 + zmq4::MAX_SUBSCRIPTION_LEN, NONE, |frame| {
        frame[0] = 1;
        frame[1..].fill(b'p');
    })
    .unwrap();
}
