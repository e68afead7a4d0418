// `term` takes the context by value: not while a socket still borrows it.
use zmq4::{Context, SocketType};

fn main() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    let _ = ctx.term();
    sock.bind("inproc://terminated").unwrap();
}
