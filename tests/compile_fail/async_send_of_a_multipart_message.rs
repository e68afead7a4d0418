// `AsyncSocket::send` sends one frame; a multipart message given to it
// (the inherent method hides `SinkExt::send`) is refused with a note that
// names `send_multipart` and the Sink's send.
use futures_util::SinkExt;
use zmq4::tokio::AsyncSocket;
use zmq4::{Context, Message, SocketType};

async fn reply(router: &mut AsyncSocket<'_>, parts: Vec<Message>) {
    let _ = router.send(parts).await;
}

fn main() {
    let ctx = Context::new().unwrap();
    let router = ctx.socket(SocketType::Router).unwrap();
    let _ = AsyncSocket::new(router).map(|mut r| reply(&mut r, Vec::new()));
}
