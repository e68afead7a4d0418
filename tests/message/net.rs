//! Socket helpers through the raw layer (`zmq4::sys::ffi` on the handles'
//! `as_raw`).

use std::os::raw::c_int;

use zmq4::sys::ffi;
use zmq4::{Context, Message, Socket, SocketType};

pub fn set_int(sock: &Socket<'_>, option: c_int, value: c_int) {
    // SAFETY: a live socket, and a pointer/length describing an int.
    let rc = unsafe {
        ffi::zmq_setsockopt(
            sock.as_raw(),
            option,
            (&value as *const c_int).cast(),
            std::mem::size_of::<c_int>(),
        )
    };
    assert_eq!(rc, 0, "setsockopt {option}");
}

pub fn set_bytes(sock: &Socket<'_>, option: c_int, value: &[u8]) {
    // SAFETY: a live socket, and a pointer/length describing the bytes.
    let rc =
        unsafe { ffi::zmq_setsockopt(sock.as_raw(), option, value.as_ptr().cast(), value.len()) };
    assert_eq!(rc, 0, "setsockopt {option}");
}

/// A socket with linger 0 and a 5 s receive timeout.
pub fn socket(ctx: &Context, kind: SocketType) -> Socket<'_> {
    let sock = ctx.socket(kind).unwrap();
    set_int(&sock, ffi::ZMQ_LINGER as c_int, 0);
    set_int(&sock, ffi::ZMQ_RCVTIMEO as c_int, 5000);
    sock
}

pub fn last_endpoint(sock: &Socket<'_>) -> String {
    let mut buf = [0u8; 256];
    let mut len = buf.len();
    // SAFETY: a live socket; libzmq writes at most `len` bytes.
    let rc = unsafe {
        ffi::zmq_getsockopt(
            sock.as_raw(),
            ffi::ZMQ_LAST_ENDPOINT as c_int,
            buf.as_mut_ptr().cast(),
            &mut len,
        )
    };
    assert_eq!(rc, 0);
    String::from_utf8(buf[..len - 1].to_vec()).unwrap()
}

pub fn send(sock: &Socket<'_>, mut msg: Message, more: bool) {
    let flags = if more { ffi::ZMQ_SNDMORE as c_int } else { 0 };
    // SAFETY: a live socket and an initialised message we own; on success
    // libzmq takes the content and leaves the message empty.
    let rc = unsafe { ffi::zmq_msg_send(msg.as_raw_mut(), sock.as_raw(), flags) };
    assert!(rc >= 0, "zmq_msg_send failed: {}", zmq4::sys::last_error());
}

pub fn recv(sock: &Socket<'_>) -> Message {
    let mut msg = Message::new();
    // SAFETY: a live socket and an initialised message we own.
    let rc = unsafe { ffi::zmq_msg_recv(msg.as_raw_mut(), sock.as_raw(), 0) };
    assert!(rc >= 0, "zmq_msg_recv failed: {}", zmq4::sys::last_error());
    msg
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
    b.connect(&last_endpoint(&a)).unwrap();
    (a, b)
}
