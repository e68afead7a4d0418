//! Messages: one frame of a ZeroMQ message, owned.
//!
//! - `mod.rs`: the type, its constructors, access to the content
//!   (copy-on-write) and `Clone`.
//! - `convert.rs`: conversions from Rust buffers (zero-copy for owned and
//!   static ones) and the comparison/hash/format traits.
//! - `metadata.rs`: the properties a received message carries, and the
//!   DRAFT routing id and group.

#[cfg(feature = "bytes")]
mod bytes;
mod convert;
mod metadata;

use std::fmt;
use std::ops::{Deref, DerefMut};

use crate::error::Result;
use crate::raw::RawMessage;
use crate::sys::ffi;

/// The largest content libzmq keeps inside the `zmq_msg_t` itself (its
/// `max_vsm_size`: 64 bytes minus a metadata pointer, 3 flag bytes, a
/// 16-byte group and a 4-byte routing id; 33 on 64-bit targets).
///
/// Content up to this size costs no allocation when copied in, whereas
/// handing libzmq an owned buffer always allocates its reference-counted
/// descriptor; so small owned buffers are copied rather than adopted.
pub(crate) const INLINE_MAX: usize = 64 - (std::mem::size_of::<usize>() + 3 + 16 + 4);

/// One message frame, owning a `zmq_msg_t`.
///
/// It dereferences to `[u8]`. A received message reports with
/// [`more`](Message::more) whether further parts of the same multipart
/// message follow, and carries the [properties](Message::property) of the
/// connection it came from.
///
/// # Building one
///
/// Owned buffers are adopted without copying: `Vec<u8>` (spare capacity
/// included), `Box<[u8]>`, `String`, `Box<str>`, and static data through
/// [`from_static`](Message::from_static). Borrowed data (`&[u8]`, `&str`,
/// arrays) is copied. Buffers of up to 33 bytes (37 on 32-bit targets)
/// are always copied: libzmq stores that much inside the message itself,
/// which is cheaper than keeping a separate buffer alive.
///
/// ```
/// use zmq4::Message;
///
/// let owned = Message::from(vec![7u8; 1000]); // no copy
/// let fixed = Message::from_static(b"static bytes"); // no copy
/// let copied = Message::from("hello"); // copied
/// assert_eq!(owned.len(), 1000);
/// assert_eq!(fixed, b"static bytes");
/// assert_eq!(copied.as_str(), Some("hello"));
/// ```
///
/// # Sharing and writing
///
/// libzmq can share one buffer between several messages, counting
/// references ([`share`](Message::share), and [`Clone`] where libzmq
/// allows it; see there). A message whose content is shared, or static,
/// is never written in place: [`DerefMut`] first gives it a private copy
/// of its bytes, so a write is only ever seen through the message that
/// made it. (libzmq offers no way to give a new message the metadata of
/// another, so that copy does not keep the [`more`](Message::more) flag or
/// the [properties](Message::property); with the DRAFT API it keeps the
/// routing id and the group.)
///
/// ```
/// use zmq4::Message;
///
/// let mut a = Message::from(vec![1u8; 100]);
/// let b = a.share(); // same buffer
/// assert_eq!(a.as_ptr(), b.as_ptr());
/// a[0] = 2; // `a` copies its bytes first
/// assert_eq!(b[0], 1);
/// assert_eq!(a[0], 2);
/// ```
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

    /// A message of `len` bytes, zero-filled, to be written in place.
    ///
    /// Fails with [`ErrorKind::OutOfMemory`](crate::ErrorKind::OutOfMemory)
    /// when libzmq cannot allocate it.
    #[doc(alias = "zmq_msg_init_size")]
    pub fn with_size(len: usize) -> Result<Message> {
        Ok(Message {
            raw: RawMessage::zeroed(len)?,
        })
    }

    /// A message of `len` bytes whose content is left as libzmq allocated
    /// it, not written (`zmq_msg_init_size` alone, as C code does).
    ///
    /// [`with_size`](Message::with_size) zero-fills the content, which
    /// costs a pass over it; for a large frame that is then filled by other
    /// means (through [`as_raw_mut`](Message::as_raw_mut) and
    /// `zmq_msg_data`, by a reader writing into it...) or whose bytes do not
    /// matter (a benchmark's payload), this skips that pass.
    ///
    /// Fails with [`ErrorKind::OutOfMemory`](crate::ErrorKind::OutOfMemory)
    /// when libzmq cannot allocate it.
    ///
    /// # Safety
    /// The content is uninitialised memory: it must not be read from Rust
    /// (through [`Deref`], [`DerefMut`], comparisons, `Debug`, [`Clone`]...)
    /// before every byte has been written through a raw pointer. Sending it
    /// unread is fine: libzmq copies it as plain memory.
    ///
    /// ```
    /// use zmq4::{Context, Message, SendFlags, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.bind("inproc://doc-with-size-uninit")?;
    /// // SAFETY: the content is never read here; it is only sent.
    /// let msg = unsafe { Message::with_size_uninit(1 << 20)? };
    /// assert_eq!(msg.len(), 1 << 20); // the length is known; the bytes are not
    /// push.send_msg(msg, SendFlags::DONTWAIT).unwrap_err(); // no peer yet
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_init_size")]
    #[inline]
    #[allow(unsafe_code)] // A public `unsafe fn`: the caller takes over the content's contract.
    pub unsafe fn with_size_uninit(len: usize) -> Result<Message> {
        // SAFETY: the caller promises what RawMessage::with_size_uninit
        // asks: no read of the content before it is written.
        let raw = unsafe { RawMessage::with_size_uninit(len)? };
        Ok(Message { raw })
    }

    /// A message holding a copy of `data`.
    ///
    /// The conversions from borrowed data (`Message::from(&[u8])`...) do the
    /// same and only differ on allocation failure, where they abort as
    /// Rust's collections do.
    #[doc(alias = "zmq_msg_init_size")]
    #[inline]
    pub fn copy_from(data: &[u8]) -> Result<Message> {
        Ok(Message {
            raw: RawMessage::copy_from(data)?,
        })
    }

    /// A message over static data, without copying it.
    ///
    /// libzmq keeps a pointer to `data` and never frees it (a "constant"
    /// message). Writing to the message through [`DerefMut`] first copies
    /// the bytes into a buffer of its own; the static data is never
    /// written.
    ///
    /// ```
    /// use zmq4::Message;
    ///
    /// static GREETING: &[u8] = b"hello";
    /// let msg = Message::from_static(GREETING);
    /// assert_eq!(msg.as_ptr(), GREETING.as_ptr());
    /// ```
    #[doc(alias = "zmq_msg_init_data")]
    #[inline]
    pub fn from_static(data: &'static [u8]) -> Message {
        // With no free function, zmq_msg_init_data allocates nothing and
        // cannot fail; should it ever, nothing was taken and we copy.
        match RawMessage::from_static(data) {
            Ok(raw) => Message { raw },
            Err(_) => convert::copy_or_abort(data),
        }
    }

    /// A message over a static string, without copying it (see
    /// [`from_static`](Message::from_static)).
    #[doc(alias = "zmq_msg_init_data")]
    #[inline]
    pub fn from_static_str(data: &'static str) -> Message {
        Message::from_static(data.as_bytes())
    }

    /// The length of the content in bytes (one libzmq call, where going
    /// through the slice takes two).
    #[doc(alias = "zmq_msg_size")]
    #[inline]
    pub fn len(&self) -> usize {
        self.raw.size()
    }

    /// Whether the content is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The content as text, if it is valid UTF-8.
    #[inline]
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(self).ok()
    }

    /// Whether more parts of the same multipart message follow this one.
    #[doc(alias = "zmq_msg_more")]
    #[inline]
    pub fn more(&self) -> bool {
        self.raw.more()
    }

    /// Whether the content may be seen by other messages: it was shared
    /// by [`share`](Message::share) or [`Clone`] (by this message or by
    /// libzmq, as when a PUB socket sends one message to several
    /// subscribers over inproc), or it is static data. libzmq never clears
    /// this mark, even after the other messages are gone.
    ///
    /// Writing to such a message through [`DerefMut`] copies its bytes
    /// first.
    #[doc(alias = "zmq_msg_get")]
    #[inline]
    pub fn is_shared(&self) -> bool {
        self.raw.is_shared()
    }

    /// Another message with the same content, always without copying it:
    /// the buffer is shared and reference-counted by libzmq, and the copy
    /// keeps the [`more`](Message::more) flag and the
    /// [properties](Message::property).
    ///
    /// It takes `&mut self` because libzmq marks both messages as shared.
    /// [`Clone`] does the same whenever it can do so through `&self`.
    ///
    /// ```
    /// use zmq4::Message;
    ///
    /// let mut big = Message::from(vec![0u8; 1 << 20]);
    /// let copy = big.share();
    /// assert_eq!(copy.as_ptr(), big.as_ptr());
    /// assert!(big.is_shared() && copy.is_shared());
    /// ```
    #[doc(alias = "zmq_msg_copy")]
    pub fn share(&mut self) -> Message {
        Message {
            raw: self.raw.share(),
        }
    }

    /// The `zmq_msg_t` pointer, for calling libzmq directly. It stays owned
    /// by this message.
    #[inline]
    pub fn as_raw(&self) -> *const ffi::zmq_msg_t {
        self.raw.as_ptr()
    }

    /// The mutable `zmq_msg_t` pointer, for calling libzmq directly (for
    /// example `zmq_msg_send` or `zmq_msg_recv`). It stays owned by this
    /// message. Code writing the content through it must respect
    /// [`is_shared`](Message::is_shared).
    #[inline]
    pub fn as_raw_mut(&mut self) -> *mut ffi::zmq_msg_t {
        self.raw.as_mut_ptr()
    }

    /// A new message with a private copy of the bytes (and, with the DRAFT
    /// API, the routing id and, if `keep_group`, the group). The metadata
    /// properties and the `more` flag cannot be given to a new message.
    #[cold]
    #[inline(never)]
    fn private_copy(&self, keep_group: bool) -> Message {
        #[allow(unused_mut)]
        let mut copy = convert::copy_or_abort(self);
        #[cfg(feature = "draft")]
        metadata::copy_draft_fields(self, &mut copy, keep_group);
        #[cfg(not(feature = "draft"))]
        let _ = keep_group;
        copy
    }
}

impl Default for Message {
    #[inline]
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

/// Copy-on-write access to the content.
///
/// Why this is sound: two `Message`s see the same bytes only when
/// 1. libzmq shared a heap buffer between them with `zmq_msg_copy` or its
///    internal equivalent (`add_refs`, used to fan one message out to
///    several pipes). Each sets the `shared` flag in every message
///    involved, and libzmq never clears it, even when the count drops
///    back to one; or
/// 2. the message is constant, made by [`Message::from_static`] over
///    static memory that must never be written; copies of it are constant
///    too.
///
/// `zmq_msg_get(ZMQ_SHARED)` reports both cases. In either case we first
/// replace this message with a private copy (dropping our reference to
/// the shared buffer), so the `&mut [u8]` handed out always covers bytes
/// that no other message, in any thread, can read. Every other message is
/// private: inline content lives in the `zmq_msg_t` we own; a heap buffer
/// (libzmq's or one adopted from a `Vec`) belongs to this message alone; a
/// received zero-copy message covers its own range of the receive buffer,
/// which libzmq does not write again while the message is alive.
impl DerefMut for Message {
    #[inline]
    fn deref_mut(&mut self) -> &mut [u8] {
        if self.is_shared() {
            *self = self.private_copy(true);
        }
        // A private copy is never shared, so this is always `Some`.
        self.raw.as_bytes_mut().unwrap_or(&mut [])
    }
}

/// A copy that shares the buffer when libzmq allows it through `&self`.
///
/// `zmq_msg_copy` has to mark a private heap-backed message as shared,
/// which writes to it; a shared borrow cannot allow that (another thread
/// may be cloning the same message). So:
/// - messages of up to 33 bytes (stored inline), messages already shared
///   and static ones are copied by `zmq_msg_copy`: no byte is copied, and
///   the copy keeps the `more` flag and the properties;
/// - a larger private message is copied byte for byte; the copy does not
///   carry the `more` flag or the properties (the DRAFT routing id and
///   group are kept).
///
/// [`Message::share`] always shares, from `&mut self`; once a message is
/// shared, cloning it never copies bytes.
impl Clone for Message {
    #[inline]
    fn clone(&self) -> Message {
        match self.raw.copy_shared() {
            Some(raw) => Message { raw },
            None => self.private_copy(true),
        }
    }
}

impl fmt::Debug for Message {
    /// Shows the length, up to the first 64 bytes of content (escaped as
    /// in a byte string literal, `...` marking a cut) and the `more` flag.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 64;
        let data: &[u8] = self;
        let shown = &data[..data.len().min(SHOWN)];
        f.debug_struct("Message")
            .field("len", &data.len())
            .field("data", &convert::Escaped(shown, shown.len() < data.len()))
            .field("more", &self.more())
            .finish()
    }
}
