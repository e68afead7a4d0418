// An async socket owns its socket, which borrows the context: the context
// cannot be dropped while it lives, used or not.
use zmq4::tokio::AsyncSocket;
use zmq4::{Context, SocketType};

fn main() {
    let ctx = Context::new().unwrap();
    let _sock = AsyncSocket::new(ctx.socket(SocketType::Pull).unwrap()).unwrap();
    drop(ctx);
}
