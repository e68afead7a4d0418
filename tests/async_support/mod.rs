//! Helpers shared by the async tests (`async_edges`, `async_cancel`):
//! burst sizes, sockets of the process-wide context, numbered messages.

use std::time::Duration;

use zmq4::{Context, Message, Socket, SocketType};

/// Messages in a burst: `ZMQ4_ASYNC_BURST` if set, else 100 000, or 1 000
/// under valgrind (which runs one thread at a time, and makes every
/// wake-up between threads slow).
pub fn burst() -> u32 {
    std::env::var("ZMQ4_ASYNC_BURST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if under_valgrind() { 1_000 } else { 100_000 })
}

/// valgrind preloads its own libraries into the program it checks.
pub fn under_valgrind() -> bool {
    std::env::var("LD_PRELOAD").is_ok_and(|p| p.contains("vgpreload"))
}

/// A socket of the process-wide context (which lives for `'static`, so
/// sockets move into spawned tasks), with linger 0 and high-water marks.
pub fn socket(kind: SocketType, hwm: i32) -> Socket<'static> {
    let s = Context::global().socket(kind).expect("socket");
    s.set_linger(Some(Duration::ZERO)).expect("linger");
    s.set_sndhwm(hwm).expect("sndhwm");
    s.set_rcvhwm(hwm).expect("rcvhwm");
    s
}

/// Message number `i`: its 4 bytes, little-endian.
pub fn seq(i: u32) -> Message {
    Message::from(i.to_le_bytes().to_vec())
}

/// The number of a message made by [`seq`].
pub fn seq_of(msg: &[u8]) -> u32 {
    u32::from_le_bytes(msg.try_into().expect("a 4-byte sequence number"))
}
