// A zero-copy message made with `from_static` keeps pointing at its bytes
// until libzmq is done with them: data that is not 'static is refused.
use zmq4::Message;

fn main() {
    let local = vec![1u8, 2, 3];
    let msg = Message::from_static(&local[..]);
    drop(msg);
}
