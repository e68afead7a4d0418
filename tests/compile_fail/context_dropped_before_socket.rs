// The context cannot be dropped (terminated) while a socket is alive.
use zmq4::{Context, SocketType};

fn main() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    drop(ctx);
    sock.bind("inproc://dropped").unwrap();
}
