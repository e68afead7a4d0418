//! Messages: one frame of a ZeroMQ message, owned.

use std::fmt;
use std::ops::{Deref, DerefMut};

use crate::error::Result;
use crate::sys::RawMessage;

/// One message frame, owning a `zmq_msg_t`.
///
/// It dereferences to `[u8]`. A received message reports with
/// [`more`](Message::more) whether further parts of the same multipart
/// message follow.
pub struct Message {
    pub(crate) raw: RawMessage,
}

impl Message {
    /// An empty message.
    #[doc(alias = "zmq_msg_init")]
    #[inline]
    pub fn new() -> Message {
        Message {
            raw: RawMessage::new(),
        }
    }

    /// A message of `len` bytes, zero-filled.
    #[doc(alias = "zmq_msg_init_size")]
    pub fn with_size(len: usize) -> Result<Message> {
        let mut raw = RawMessage::with_size(len)?;
        raw.as_bytes_mut().fill(0);
        Ok(Message { raw })
    }

    /// A message holding a copy of `data`.
    #[inline]
    pub fn copy_from(data: &[u8]) -> Result<Message> {
        let mut raw = RawMessage::with_size(data.len())?;
        raw.as_bytes_mut().copy_from_slice(data);
        Ok(Message { raw })
    }

    /// Whether more parts of the same multipart message follow this one.
    #[doc(alias = "zmq_msg_more")]
    #[inline]
    pub fn more(&self) -> bool {
        self.raw.more()
    }
}

impl Default for Message {
    fn default() -> Self {
        Message::new()
    }
}

impl Deref for Message {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        self.raw.as_bytes()
    }
}

impl DerefMut for Message {
    #[inline]
    fn deref_mut(&mut self) -> &mut [u8] {
        self.raw.as_bytes_mut()
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("data", &String::from_utf8_lossy(self))
            .field("more", &self.more())
            .finish()
    }
}
