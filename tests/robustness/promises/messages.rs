//! Message promises not covered elsewhere:
//! - `Socket::recv`: "when a receive fails, `msg` holds an empty message
//!   or its old content, never a broken one";
//! - `Message::is_shared`: "libzmq never clears this mark, even after the
//!   other messages are gone", so a write still copies.

use std::time::Duration;

use super::watchdog::Watchdog;
use crate::support::{inproc, socket};
use zmq4::{Context, ErrorKind, Message, RecvFlags, SendFlags, SocketType};

const OLD: &[u8] = b"the old content, longer than a message keeps inline";

/// Checks that `msg` is whole: its old content or empty, readable and
/// writable, and usable again for a send and a receive.
fn whole(msg: &mut Message) {
    assert!(msg.is_empty() || &msg[..] == OLD, "{msg:?}");
    let len = msg.len();
    if len > 0 {
        msg[0] ^= 1;
        msg[0] ^= 1;
    }
    assert_eq!(msg.to_vec().len(), len);
}

#[test]
fn a_failed_receive_leaves_the_message_whole() {
    let _dog = Watchdog::new("failed receives", Duration::from_secs(30));
    let ctx = Context::new().unwrap();
    let endpoint = inproc("failed-recv");
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind(&endpoint).unwrap();

    // Nothing waiting, without waiting.
    let mut msg = Message::copy_from(OLD).unwrap();
    let err = pull.recv(&mut msg, RecvFlags::DONTWAIT).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WouldBlock);
    whole(&mut msg);

    // Nothing waiting within the receive timeout.
    let mut msg = Message::copy_from(OLD).unwrap();
    pull.set_rcvtimeo(Some(Duration::from_millis(20))).unwrap();
    let err = pull.recv(&mut msg, RecvFlags::empty()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut);
    whole(&mut msg);

    // A socket that cannot receive at all.
    let push = socket(&ctx, SocketType::Push);
    let mut msg = Message::copy_from(OLD).unwrap();
    let err = push.recv(&mut msg, RecvFlags::empty()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotSupported);
    whole(&mut msg);

    // The message then receives normally.
    push.connect(&endpoint).unwrap();
    push.send("next", SendFlags::empty()).unwrap();
    pull.set_rcvtimeo(Some(crate::support::TIMEOUT)).unwrap();
    pull.recv(&mut msg, RecvFlags::empty()).unwrap();
    assert_eq!(&msg[..], b"next");

    // After the context is shut down.
    let mut msg = Message::copy_from(OLD).unwrap();
    ctx.shutdown().unwrap();
    let err = pull.recv(&mut msg, RecvFlags::empty()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Terminated);
    whole(&mut msg);
}

#[test]
fn the_shared_mark_stays_after_the_other_messages_are_gone() {
    let mut msg = Message::from(OLD.to_vec());
    assert!(!msg.is_shared());
    let ptr = msg.as_ptr();
    drop(msg.share());
    assert!(msg.is_shared(), "the mark stays");
    // So a write copies first, although no other message sees the buffer.
    msg[0] = b'T';
    assert_ne!(msg.as_ptr(), ptr, "written into a private copy");
    assert!(!msg.is_shared());
    assert_eq!(&msg[1..], &OLD[1..]);
}
