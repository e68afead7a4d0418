//! `bytes::Bytes` to and from `Message` (feature `bytes`): no copy either
//! way, the buffer freed exactly once, and a shared buffer never written.

use bytes::{Bytes, BytesMut};
use zmq4::{Context, Message, RecvFlags, SocketType};

use super::net::{recv, send, socket, tcp_pair};
use super::watch::{vec_with, Watch};

#[test]
fn bytes_become_a_message_without_a_copy_and_stay_unwritten() {
    let data = Bytes::from(vec_with(4000, 4000));
    let msg = Message::from(data.clone());
    assert_eq!(msg.as_ptr(), data.as_ptr(), "the message copied the bytes");
    assert_eq!(&msg[..], &data[..]);
    // Clones of the Bytes see the same buffer: the message must not write
    // it. Writing makes a private copy first.
    assert!(msg.is_shared());
    let mut msg = msg;
    msg[0] = 0xAA;
    assert_ne!(msg.as_ptr(), data.as_ptr());
    assert_eq!(data[0], 0, "the shared buffer was written");
    assert_eq!(msg[0], 0xAA);
}

#[test]
fn small_bytes_are_copied_into_the_message() {
    let data = Bytes::from_static(b"short");
    let msg = Message::from(data.clone());
    assert_eq!(&msg[..], b"short");
    assert_ne!(msg.as_ptr(), data.as_ptr());
}

#[test]
fn a_frozen_bytes_mut_becomes_a_message() {
    let mut data = BytesMut::with_capacity(100);
    data.extend_from_slice(&[9u8; 100]);
    let at = data.as_ptr();
    let msg = Message::from(data);
    assert_eq!(msg.as_ptr(), at);
    assert_eq!(&msg[..], &[9u8; 100][..]);
}

#[test]
fn the_buffer_of_sent_bytes_is_freed_once_after_the_peer_has_it() {
    let data = vec_with(3001, 3001);
    let watch = Watch::new(data.as_ptr(), 3001);
    let ctx = Context::new().unwrap();
    let (pull, push) = tcp_pair(&ctx, SocketType::Pull, SocketType::Push);
    let bytes = Bytes::from(data);
    let keep = bytes.clone();
    push.send(bytes, zmq4::SendFlags::empty()).unwrap();
    let got = recv(&pull);
    assert_eq!(&got[..], &keep[..]);
    // Our clone still holds the buffer.
    assert_eq!(watch.frees(), 0);
    drop(keep);
    assert_eq!(watch.wait_freed(), 1, "freed not exactly once");
}

#[test]
fn a_message_becomes_bytes_without_a_copy() {
    for len in [0, 1, 33, 34, 5000] {
        let msg = Message::from(vec![len as u8; len]);
        let bytes = Bytes::from(msg);
        assert_eq!(bytes.len(), len);
        assert!(bytes.iter().all(|&b| b == len as u8), "length {len}");
    }
    // A large message keeps its buffer.
    let msg = Message::from(vec![3u8; 5000]);
    let at = msg.as_ptr();
    let bytes = Bytes::from(msg);
    assert_eq!(bytes.as_ptr(), at);
}

#[test]
fn received_messages_become_bytes_that_outlive_the_socket_and_context() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind("inproc://message-bytes-outlive").unwrap();
    let push = socket(&ctx, SocketType::Push);
    push.connect("inproc://message-bytes-outlive").unwrap();
    send(&push, Message::from(vec![5u8; 2000]), true);
    send(&push, Message::from("tail"), false);
    let first = Bytes::from(recv(&pull));
    let second = Bytes::from(pull.recv_msg(RecvFlags::empty()).unwrap());
    drop((push, pull));
    drop(ctx);
    let clones: Vec<Bytes> = (0..4).map(|_| first.clone()).collect();
    std::thread::spawn(move || drop(clones)).join().unwrap();
    assert_eq!(&first[..], &[5u8; 2000][..]);
    assert_eq!(&second[..], b"tail");
}
