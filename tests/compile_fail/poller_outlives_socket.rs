// A socket cannot be dropped while a poller holds it, even if the poller
// is not used again: destroying libzmq's poller reads its sockets.
use zmq4::{Context, PollEvents, Poller, SocketType};

fn main() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    let mut poller = Poller::new();
    poller.add(&sock, PollEvents::POLLIN, ()).unwrap();
    drop(sock);
}
