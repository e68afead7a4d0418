// A socket cannot be used from two threads at once: it is not Sync.
use zmq4::{Context, SocketType};

fn main() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pair).unwrap();
    std::thread::scope(|s| {
        s.spawn(|| sock.bind("inproc://one").unwrap());
        s.spawn(|| sock.bind("inproc://two").unwrap());
    });
}
