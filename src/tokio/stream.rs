//! [`AsyncSocket`] as a `Stream` of received multipart messages and a
//! `Sink` of outgoing ones.

use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_core::Stream;
use futures_sink::Sink;

use crate::error::{Error, ErrorKind, Result};
use crate::flags::SendFlags;
use crate::message::Message;

use super::wait::Dir;
use super::AsyncSocket;

/// Received multipart messages, one `Vec` of parts per message.
///
/// An error is an item; the stream ends after an error of kind
/// [`ErrorKind::Terminated`] (the context was shut down). Cancel-safe: a
/// dropped `next()` future loses no message.
impl Stream for AsyncSocket<'_> {
    type Item = Result<Vec<Message>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        let res = ready!(this.poll_recv_multipart(cx));
        if matches!(&res, Err(e) if e.kind() == ErrorKind::Terminated) {
            this.ended = true;
        }
        Poll::Ready(Some(res))
    }
}

/// Outgoing multipart messages, one `Vec` of parts per message (a single
/// part for a single-frame message).
///
/// `poll_ready` waits until the message the sink holds, if any, went to
/// libzmq; `start_send` sends the new one at once if the socket can take
/// it, else holds it (one message at most) for the next `poll_ready` or
/// `poll_flush`. A message is never half-sent. An error sending a held
/// message is reported by the next call and the message dropped; an empty
/// message (no parts) is refused with [`ErrorKind::InvalidArgument`].
impl Sink<Vec<Message>> for AsyncSocket<'_> {
    type Error = Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        self.poll_flush(cx)
    }

    fn start_send(self: Pin<&mut Self>, item: Vec<Message>) -> Result<()> {
        let this = self.get_mut();
        if !this.out.is_empty() {
            return Err(Error::invalid(
                ErrorKind::InvalidState,
                "Sink::start_send before poll_ready returned Ready",
            ));
        }
        match this.socket().send_multipart(item, SendFlags::DONTWAIT) {
            Ok(()) => {
                this.done(Dir::Send);
                Ok(())
            }
            Err(err) => {
                let (error, sent, unsent) = err.into_parts();
                if error.kind() == ErrorKind::WouldBlock {
                    // Held, to go at the next poll_ready / poll_flush.
                    this.out = unsent.into();
                    this.out_started = sent > 0;
                    // The attempt may have consumed a waiting receive's edge.
                    this.check_other(Dir::Send);
                    Ok(())
                } else {
                    this.done(Dir::Send);
                    Err(error)
                }
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        if let Some(err) = this.out_error.take() {
            return Poll::Ready(Err(err));
        }
        this.poll_flush_out(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        self.poll_flush(cx)
    }
}
