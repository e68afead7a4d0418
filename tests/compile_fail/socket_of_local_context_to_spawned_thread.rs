// std::thread::spawn needs 'static: a socket of a local context cannot go
// there (std::thread::scope, or Context::global, is the way).
use zmq4::{Context, SocketType};

fn main() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pair).unwrap();
    std::thread::spawn(move || sock.bind("inproc://spawned").unwrap());
}
