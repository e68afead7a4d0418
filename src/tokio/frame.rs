//! What [`AsyncSocket::send`](super::AsyncSocket::send) takes: one
//! message frame.

use std::borrow::Cow;

use crate::message::Message;

/// One message frame for [`AsyncSocket::send`](super::AsyncSocket::send):
/// a [`Message`], or a buffer that becomes one (owned buffers move in
/// without a copy; borrowed ones are copied), as for `Message::from`.
///
/// A multipart message (`Vec<Message>`, an array of parts) is not a
/// frame: send it with
/// [`send_multipart`](super::AsyncSocket::send_multipart), or through the
/// socket's `Sink`. The inherent `send` hides `SinkExt::send` in method
/// calls, so the `Sink`'s is called as `SinkExt::send(&mut socket, parts)`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not one message frame",
    label = "`AsyncSocket::send` sends one frame",
    note = "a multipart message goes with `socket.send_multipart(parts)`, or with the Sink's send, \
            which the inherent method hides: `SinkExt::send(&mut socket, parts)`"
)]
pub trait Frame: sealed::Sealed {
    /// The message.
    fn into_message(self) -> Message;
}

mod sealed {
    pub trait Sealed {}
}

macro_rules! frame {
    (generic [$($g:tt)*] $t:ty) => {
        impl<$($g)*> sealed::Sealed for $t {}
        impl<$($g)*> Frame for $t {
            #[inline(always)]
            fn into_message(self) -> Message {
                Message::from(self)
            }
        }
    };
    ($t:ty) => {
        impl sealed::Sealed for $t {}
        impl Frame for $t {
            #[inline(always)]
            fn into_message(self) -> Message {
                Message::from(self)
            }
        }
    };
}

frame!(Vec<u8>);
frame!(String);
frame!(Box<[u8]>);
frame!(Box<str>);
frame!(Cow<'static, [u8]>);
frame!(Cow<'static, str>);
frame!(generic ['a] &'a [u8]);
frame!(generic ['a] &'a str);
frame!(generic ['a] &'a Vec<u8>);
frame!(generic ['a] &'a String);
frame!(generic [const N: usize] [u8; N]);
frame!(generic ['a, const N: usize] &'a [u8; N]);
#[cfg(feature = "bytes")]
frame!(bytes::Bytes);
#[cfg(feature = "bytes")]
frame!(bytes::BytesMut);

impl sealed::Sealed for Message {}
impl Frame for Message {
    #[inline(always)]
    fn into_message(self) -> Message {
        self
    }
}
