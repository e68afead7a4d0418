//! Conversions into a message (zero-copy for owned and static buffers,
//! copies for borrowed ones) and the comparison, hash and format traits.

use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use super::{Message, INLINE_MAX};
use crate::raw::RawMessage;

/// Reports a failed allocation the way Rust's collections do (by default
/// the process aborts with a message).
#[cold]
#[inline(never)]
pub(super) fn out_of_memory(size: usize) -> ! {
    let layout = std::alloc::Layout::from_size_align(size.max(1), 1)
        .unwrap_or(std::alloc::Layout::new::<u8>());
    std::alloc::handle_alloc_error(layout)
}

/// A message holding a copy of `data`, for the infallible conversions.
#[inline]
pub(super) fn copy_or_abort(data: &[u8]) -> Message {
    match Message::copy_from(data) {
        Ok(msg) => msg,
        Err(_) => out_of_memory(data.len()),
    }
}

/// Adopts the vector's buffer without copying or reallocating it, spare
/// capacity included (`zmq_msg_init_data` with a free function that
/// rebuilds the vector); up to 33 bytes are copied into the message
/// instead (see [`Message`]).
impl From<Vec<u8>> for Message {
    #[inline]
    fn from(data: Vec<u8>) -> Message {
        if data.len() <= INLINE_MAX {
            // Stored inside the zmq_msg_t: no allocation, a tiny copy; the
            // vector is freed now.
            return copy_or_abort(&data);
        }
        match RawMessage::from_vec(data) {
            Ok(raw) => Message { raw },
            // libzmq could not allocate its descriptor of the buffer.
            Err((data, _)) => {
                drop(data);
                out_of_memory(std::mem::size_of::<[usize; 5]>())
            }
        }
    }
}

/// Adopts the buffer without copying (up to 33 bytes are copied).
impl From<Box<[u8]>> for Message {
    #[inline]
    fn from(data: Box<[u8]>) -> Message {
        Message::from(data.into_vec())
    }
}

/// Adopts the string's buffer without copying (up to 33 bytes are copied).
impl From<String> for Message {
    #[inline]
    fn from(data: String) -> Message {
        Message::from(data.into_bytes())
    }
}

/// Adopts the buffer without copying (up to 33 bytes are copied).
impl From<Box<str>> for Message {
    #[inline]
    fn from(data: Box<str>) -> Message {
        Message::from(data.into_boxed_bytes())
    }
}

/// Static data without copying ([`Message::from_static`]); owned data as
/// for `Vec<u8>`.
impl From<Cow<'static, [u8]>> for Message {
    #[inline]
    fn from(data: Cow<'static, [u8]>) -> Message {
        match data {
            Cow::Borrowed(data) => Message::from_static(data),
            Cow::Owned(data) => Message::from(data),
        }
    }
}

/// Static text without copying ([`Message::from_static_str`]); owned text
/// as for `String`.
impl From<Cow<'static, str>> for Message {
    #[inline]
    fn from(data: Cow<'static, str>) -> Message {
        match data {
            Cow::Borrowed(data) => Message::from_static_str(data),
            Cow::Owned(data) => Message::from(data),
        }
    }
}

/// Copies the bytes.
impl From<&[u8]> for Message {
    #[inline]
    fn from(data: &[u8]) -> Message {
        copy_or_abort(data)
    }
}

/// Copies the bytes.
impl<const N: usize> From<&[u8; N]> for Message {
    #[inline]
    fn from(data: &[u8; N]) -> Message {
        copy_or_abort(data)
    }
}

/// Copies the bytes.
impl<const N: usize> From<[u8; N]> for Message {
    #[inline]
    fn from(data: [u8; N]) -> Message {
        copy_or_abort(&data)
    }
}

/// Copies the bytes (the vector stays the caller's).
impl From<&Vec<u8>> for Message {
    #[inline]
    fn from(data: &Vec<u8>) -> Message {
        copy_or_abort(data)
    }
}

/// Copies the text.
impl From<&str> for Message {
    #[inline]
    fn from(data: &str) -> Message {
        copy_or_abort(data.as_bytes())
    }
}

/// Copies the text (the string stays the caller's).
impl From<&String> for Message {
    #[inline]
    fn from(data: &String) -> Message {
        copy_or_abort(data.as_bytes())
    }
}

/// Copies the bytes out (the buffer is libzmq's, or shared, so it cannot
/// become the vector's); [`Message::from`] a `Vec<u8>` is the direction
/// that moves without copying.
///
/// ```
/// use zmq4::Message;
///
/// let msg = Message::from("payload");
/// assert_eq!(Vec::from(msg), b"payload");
/// ```
impl From<Message> for Vec<u8> {
    #[inline]
    fn from(msg: Message) -> Vec<u8> {
        msg.to_vec()
    }
}

impl AsRef<[u8]> for Message {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl AsMut<[u8]> for Message {
    /// Copy-on-write, as [`DerefMut`](std::ops::DerefMut).
    #[inline]
    fn as_mut(&mut self) -> &mut [u8] {
        self
    }
}

/// Messages compare, hash and order as their bytes, so a `HashSet<Message>`
/// can be searched with a `&[u8]`.
impl Borrow<[u8]> for Message {
    #[inline]
    fn borrow(&self) -> &[u8] {
        self
    }
}

/// Compares the content only (not the `more` flag or the properties).
impl PartialEq for Message {
    #[inline]
    fn eq(&self, other: &Message) -> bool {
        **self == **other
    }
}

impl Eq for Message {}

impl Hash for Message {
    /// Hashes as the `[u8]` content does.
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state)
    }
}

impl PartialOrd for Message {
    #[inline]
    fn partial_cmp(&self, other: &Message) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Message {
    /// Orders by content, as `[u8]` does.
    #[inline]
    fn cmp(&self, other: &Message) -> Ordering {
        (**self).cmp(&**other)
    }
}

/// Comparisons with byte and text types, both ways round.
macro_rules! eq_bytes {
    ($([$($g:tt)*] $ty:ty => |$v:ident| $bytes:expr;)*) => {$(
        impl<$($g)*> PartialEq<$ty> for Message {
            #[inline]
            fn eq(&self, other: &$ty) -> bool {
                let $v = other;
                **self == *$bytes
            }
        }
        impl<$($g)*> PartialEq<Message> for $ty {
            #[inline]
            fn eq(&self, other: &Message) -> bool {
                let $v = self;
                **other == *$bytes
            }
        }
    )*};
}

eq_bytes! {
    [] [u8] => |v| v;
    ['a] &'a [u8] => |v| *v;
    [const N: usize] [u8; N] => |v| &v[..];
    ['a, const N: usize] &'a [u8; N] => |v| &v[..];
    [] Vec<u8> => |v| v.as_slice();
    [] str => |v| v.as_bytes();
    ['a] &'a str => |v| v.as_bytes();
    [] String => |v| v.as_bytes();
}

/// Bytes shown as in a byte string literal, with `...` when cut short.
pub(super) struct Escaped<'a>(pub(super) &'a [u8], pub(super) bool);

impl fmt::Debug for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())?;
        if self.1 {
            f.write_str("...")?;
        }
        Ok(())
    }
}
