// A steerable proxy and its control handle own sockets of their context:
// neither may outlive it, used or not.
use zmq4::{Context, SteerableProxy};

fn main() {
    let ctx = Context::new().unwrap();
    let (_proxy, _control) = SteerableProxy::new(&ctx).unwrap();
    drop(ctx);
}
