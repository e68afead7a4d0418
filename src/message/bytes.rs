//! `bytes::Bytes` to and from [`Message`] without copying (feature
//! `bytes`).

use bytes::{Bytes, BytesMut};

use super::convert::{copy_or_abort, out_of_memory};
use super::{Message, INLINE_MAX};
use crate::raw::RawMessage;

/// Adopts the buffer without copying it (up to 33 bytes are copied into
/// the message instead, see [`Message`]). The `Bytes` is kept alive by
/// the message and dropped when libzmq is done with it; its clones keep
/// sharing the same bytes, so the message reports itself
/// [shared](Message::is_shared): writing to it first makes a private copy.
///
/// ```
/// use bytes::Bytes;
/// use zmq4::Message;
///
/// let data = Bytes::from(vec![7u8; 1000]);
/// let msg = Message::from(data.clone());
/// assert_eq!(msg.as_ptr(), data.as_ptr()); // the very bytes
/// assert_eq!(&msg[..], &data[..]);
/// assert!(msg.is_shared());
/// ```
impl From<Bytes> for Message {
    #[inline]
    fn from(data: Bytes) -> Message {
        if data.len() <= INLINE_MAX {
            return copy_or_abort(&data);
        }
        match RawMessage::from_owner(data) {
            Ok(raw) => Message { raw },
            // libzmq could not allocate its descriptor of the buffer.
            Err((data, _)) => {
                drop(data);
                out_of_memory(std::mem::size_of::<[usize; 5]>())
            }
        }
    }
}

/// Freezes the buffer and adopts it without copying, as for [`Bytes`].
impl From<BytesMut> for Message {
    #[inline]
    fn from(data: BytesMut) -> Message {
        Message::from(data.freeze())
    }
}

/// Keeps the message alive inside the `Bytes`, without copying its
/// content; the message is closed when the last clone of the `Bytes` is
/// dropped.
///
/// ```
/// use bytes::Bytes;
/// use zmq4::Message;
///
/// let msg = Message::from(vec![1u8; 100]);
/// let at = msg.as_ptr();
/// let bytes = Bytes::from(msg);
/// assert_eq!(bytes.as_ptr(), at); // the very bytes
/// assert_eq!(bytes.len(), 100);
/// ```
impl From<Message> for Bytes {
    #[inline]
    fn from(msg: Message) -> Bytes {
        Bytes::from_owner(msg)
    }
}
