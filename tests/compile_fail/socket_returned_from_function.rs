// A socket cannot escape the function that owns its context.
use zmq4::{Context, Socket, SocketType};

fn make() -> Socket<'static> {
    let ctx = Context::new().unwrap();
    ctx.socket(SocketType::Pull).unwrap()
}

fn main() {
    make();
}
