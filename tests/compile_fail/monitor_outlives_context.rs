// A monitor's receiving socket belongs to the monitored socket's context:
// the context cannot be dropped while the monitor lives, used or not.
use zmq4::{Context, MonitorEvents, SocketType};

fn main() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    let _monitor = sock.monitor(MonitorEvents::all()).unwrap();
    drop(sock);
    drop(ctx);
}
