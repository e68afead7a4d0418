//! Socket helpers for the message tests, on the safe API.

use std::time::Duration;

use zmq4::{Context, Message, RecvFlags, SendFlags, Socket, SocketType};

/// A socket with linger 0 and a 5 s receive timeout.
pub fn socket(ctx: &Context, kind: SocketType) -> Socket<'_> {
    let sock = ctx.socket(kind).unwrap();
    sock.set_linger(Some(Duration::ZERO)).unwrap();
    sock.set_rcvtimeo(Some(Duration::from_secs(5))).unwrap();
    sock
}

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
