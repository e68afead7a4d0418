// libzmq takes over and later closes the descriptor given as ZMQ_USE_FD,
// and aborts if it is not a listening socket: only a caller who vouches
// for it, in an `unsafe` block, may set it.
use std::os::fd::AsRawFd;
use zmq4::{Context, SocketType};

fn main() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    sock.set_use_fd(Some(listener.as_raw_fd())).unwrap();
}
