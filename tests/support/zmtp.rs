//! A hand-written ZMTP 3.0 peer: sends what no zmq4 socket would (a
//! subscription longer than the crate lets through, for one).

use std::io::Write;
use std::net::TcpStream;

/// Connects to `port` as a ZMTP 3.0 peer of type `socket_type` with the
/// NULL mechanism, and sends `frames` as one message. Returns the stream,
/// to be kept open while the test needs the connection.
pub fn zmtp_peer(port: u16, socket_type: &str, frames: &[&[u8]]) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut greeting = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, 0];
    greeting.extend_from_slice(b"NULL");
    greeting.resize(64, 0);
    s.write_all(&greeting).unwrap();
    let mut ready = vec![5];
    ready.extend_from_slice(b"READY");
    ready.push(11);
    ready.extend_from_slice(b"Socket-Type");
    ready.extend_from_slice(&(socket_type.len() as u32).to_be_bytes());
    ready.extend_from_slice(socket_type.as_bytes());
    s.write_all(&[0x04, ready.len() as u8]).unwrap();
    s.write_all(&ready).unwrap();
    // The frames may be refused half-way: a socket with ZMQ_MAXMSGSIZE
    // drops the connection as soon as it reads a frame's length, and the
    // rest of the write then fails. That is an outcome the caller checks
    // on the other side, not a failure of the peer (a panic here would
    // leave the caller's threads waiting for ever).
    let frames_sent = (|| -> std::io::Result<()> {
        for (i, frame) in frames.iter().enumerate() {
            let more = if i + 1 < frames.len() { 1 } else { 0 };
            s.write_all(&[0x02 | more])?;
            s.write_all(&(frame.len() as u64).to_be_bytes())?;
            s.write_all(frame)?;
        }
        s.flush()
    })();
    drop(frames_sent);
    s
}
