// Terminating the context while a socket lives, even one not used again,
// does not compile (it would wait for ever for that socket).
use zmq4::{Context, SocketType};

fn main() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    sock.bind("inproc://unused-term").unwrap();
    let _ = ctx.term();
}
