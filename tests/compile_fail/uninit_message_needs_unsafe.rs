// A message whose content was never written can only be made in an
// `unsafe` block: its bytes must not be read before they are written.
use zmq4::Message;

fn main() {
    let msg = Message::with_size_uninit(64).unwrap();
    assert_eq!(msg[0], 0);
}
