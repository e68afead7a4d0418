// Sharing through an Arc does not help: Arc<Socket> is not Send.
use std::sync::Arc;
use zmq4::{Context, SocketType};

fn main() {
    let sock = Arc::new(Context::global().socket(SocketType::Pair).unwrap());
    let other = Arc::clone(&sock);
    std::thread::spawn(move || other.bind("inproc://arc").unwrap());
}
