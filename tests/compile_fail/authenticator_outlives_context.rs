// An authenticator serves one context and owns sockets of it: it cannot
// outlive the context, used or not.
use zmq4::auth::Authenticator;
use zmq4::Context;

fn main() {
    let ctx = Context::new().unwrap();
    let _auth = Authenticator::new(&ctx).unwrap();
    drop(ctx);
}
