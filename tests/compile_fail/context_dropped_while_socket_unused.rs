// A socket that is not used again still needs its context: dropping the
// context first would wait for ever in zmq_ctx_term, for a socket that is
// closed only afterwards.
use zmq4::{Context, SocketType};

fn main() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    sock.bind("inproc://unused").unwrap();
    drop(ctx);
}
