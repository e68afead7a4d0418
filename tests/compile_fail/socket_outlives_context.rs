// A socket cannot outlive the context that made it.
use zmq4::{Context, SocketType};

fn main() {
    let sock;
    {
        let ctx = Context::new().unwrap();
        sock = ctx.socket(SocketType::Pull).unwrap();
    }
    sock.bind("inproc://outlived").unwrap();
}
