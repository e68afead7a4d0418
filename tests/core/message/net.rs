//! Socket helpers for the message tests, on the safe API.

use zmq4::{Context, Message, RecvFlags, SendFlags, Socket, SocketType};

pub use crate::support::socket;

/// Sends an owned message (`zmq_msg_send`: the buffer itself goes).
pub fn send(sock: &Socket<'_>, msg: Message, more: bool) {
    let flags = if more {
        SendFlags::SNDMORE
    } else {
        SendFlags::empty()
    };
    sock.send_msg(msg, flags).unwrap();
}

/// Receives one frame (`zmq_msg_recv`).
pub fn recv(sock: &Socket<'_>) -> Message {
    sock.recv_msg(RecvFlags::empty()).unwrap()
}

/// A connected pair over TCP on the loopback interface: (bound, connected).
pub fn tcp_pair(
    ctx: &Context,
    bound: SocketType,
    connected: SocketType,
) -> (Socket<'_>, Socket<'_>) {
    let a = socket(ctx, bound);
    a.bind("tcp://127.0.0.1:*").unwrap();
    let b = socket(ctx, connected);
    b.connect(&a.last_endpoint().unwrap()).unwrap();
    (a, b)
}
