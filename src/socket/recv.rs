//! Receiving: into a reused [`Message`] (no allocation per message), into a
//! caller's buffer (truncation reported), as bytes, as a string, and whole
//! multipart messages.

use crate::error::{Error, Result};
use crate::flags::RecvFlags;
use crate::message::Message;
use crate::sys::ffi;

use super::{Op, Socket};

impl Socket<'_> {
    /// Receives one message frame into `msg`, replacing its content
    /// (`zmq_msg_recv`).
    ///
    /// libzmq releases the old content itself, so one `Message` can
    /// receive in a loop with no allocation per message. Afterwards
    /// [`Message::more`] tells whether further parts of the same multipart
    /// message follow. With [`RecvFlags::DONTWAIT`], no message waiting is
    /// [`ErrorKind::WouldBlock`](crate::ErrorKind::WouldBlock); when a
    /// receive fails, `msg` holds an empty message or its old content,
    /// never a broken one.
    ///
    /// ```
    /// use zmq4::{Context, Message, RecvFlags, SendFlags, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-recv")?;
    /// for i in 0..3u8 {
    ///     push.send([i], SendFlags::empty())?;
    /// }
    ///
    /// let mut msg = Message::new();
    /// for i in 0..3u8 {
    ///     pull.recv(&mut msg, RecvFlags::empty())?;
    ///     assert_eq!(&msg[..], &[i]);
    /// }
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_recv")]
    #[inline]
    pub fn recv(&self, msg: &mut Message, flags: RecvFlags) -> Result<()> {
        let raw_msg = &mut msg.raw;
        self.blocking(Op::Recv(flags), move |raw| {
            raw.msg_recv(raw_msg, flags.bits())
        })
        .map(drop)
    }

    /// Receives one message frame as a new [`Message`].
    ///
    /// In a loop, [`recv`](Socket::recv) into one reused message does the
    /// same with less work.
    #[doc(alias = "zmq_msg_recv")]
    #[inline]
    pub fn recv_msg(&self, flags: RecvFlags) -> Result<Message> {
        let mut msg = Message::new();
        self.recv(&mut msg, flags)?;
        Ok(msg)
    }

    /// Receives one message frame into `buf`, copying as much
    /// as fits.
    ///
    /// A frame longer than `buf` is cut, and the rest of it is gone:
    /// the result says which happened, [`Received::Complete`] with the
    /// length, or [`Received::Truncated`] with how much was copied and how
    /// long the frame was. Use [`Received::complete`] to treat truncation
    /// as an error. Whether more parts follow is the socket's `rcvmore`
    /// option.
    ///
    /// ```
    /// use zmq4::{Context, Received, RecvFlags, SendFlags, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv-into")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-recv-into")?;
    /// push.send("short", SendFlags::empty())?;
    /// push.send("much too long", SendFlags::empty())?;
    ///
    /// let mut buf = [0u8; 8];
    /// let n = pull.recv_into(&mut buf, RecvFlags::empty())?.complete()?;
    /// assert_eq!(&buf[..n], b"short");
    /// match pull.recv_into(&mut buf, RecvFlags::empty())? {
    ///     Received::Complete(_) => unreachable!(),
    ///     Received::Truncated { copied, size } => {
    ///         assert_eq!((copied, size), (8, 13));
    ///         assert_eq!(&buf, b"much too");
    ///     }
    /// }
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_recv")]
    #[inline]
    pub fn recv_into(&self, buf: &mut [u8], flags: RecvFlags) -> Result<Received> {
        // Through a message rather than `zmq_recv`, which reports (and
        // copies) at most `INT_MAX` bytes of a larger frame: the message
        // knows the true size.
        let mut msg = Message::new();
        self.recv(&mut msg, flags)?;
        let frame: &[u8] = &msg;
        let copied = frame.len().min(buf.len());
        buf[..copied].copy_from_slice(&frame[..copied]);
        Ok(if copied == frame.len() {
            Received::Complete(copied)
        } else {
            Received::Truncated {
                copied,
                size: frame.len(),
            }
        })
    }

    /// Receives one message frame as a `Vec<u8>` (one copy out of
    /// libzmq's buffer).
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_bytes(&self, flags: RecvFlags) -> Result<Vec<u8>> {
        let msg = self.recv_msg(flags)?;
        Ok(msg.to_vec())
    }

    /// Receives one message frame as a `String`.
    ///
    /// Bytes that are not UTF-8 are an error of kind
    /// [`ErrorKind::InvalidUtf8`](crate::ErrorKind::InvalidUtf8) that keeps
    /// them: [`Error::into_bytes`] gives them back, nothing is lost.
    ///
    /// ```
    /// use zmq4::{Context, ErrorKind, RecvFlags, SendFlags, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv-string")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-recv-string")?;
    /// push.send("héllo", SendFlags::empty())?;
    /// push.send([0xff, 0xfe], SendFlags::empty())?;
    ///
    /// assert_eq!(pull.recv_string(RecvFlags::empty())?, "héllo");
    /// let err = pull.recv_string(RecvFlags::empty()).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidUtf8);
    /// assert_eq!(err.into_bytes(), Some(vec![0xff, 0xfe]));
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_string(&self, flags: RecvFlags) -> Result<String> {
        let bytes = self.recv_bytes(flags)?;
        String::from_utf8(bytes).map_err(Error::invalid_utf8)
    }

    /// Receives a whole multipart message: every part up to the one
    /// without the "more" flag.
    ///
    /// libzmq delivers multipart messages atomically, so once the first
    /// part is there the others are too; `flags` applies to the first
    /// part. If a later part fails (only when the context is shut down
    /// meanwhile, or a signal interrupts a context that does not retry),
    /// the parts received so far are dropped; use
    /// [`recv_multipart_into`](Socket::recv_multipart_into) to keep them.
    ///
    /// ```
    /// use zmq4::{Context, RecvFlags, SendFlags, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv-multipart")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-recv-multipart")?;
    /// push.send("a", SendFlags::SNDMORE)?;
    /// push.send("b", SendFlags::empty())?;
    ///
    /// let parts = pull.recv_multipart(RecvFlags::empty())?;
    /// assert_eq!(parts.len(), 2);
    /// assert!(parts[0].more() && !parts[1].more());
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_multipart(&self, flags: RecvFlags) -> Result<Vec<Message>> {
        let mut parts = Vec::new();
        self.recv_multipart_into(&mut parts, flags)?;
        Ok(parts)
    }

    /// Receives a whole multipart message as one `Vec<u8>` per part (one
    /// copy of each out of libzmq's buffer), as rust-zmq's
    /// `recv_multipart` and pebbe/zmq4's `RecvMessageBytes` return it.
    ///
    /// A part that fails after the first leaves the parts received so far
    /// lost to this call; use [`recv_multipart_into`](Self::recv_multipart_into)
    /// to keep them.
    ///
    /// ```
    /// use zmq4::{Context, RecvFlags, SendFlags, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv-multipart-bytes")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-recv-multipart-bytes")?;
    /// push.send_multipart(["key", "value"], SendFlags::empty())?;
    ///
    /// let parts: Vec<Vec<u8>> = pull.recv_multipart_bytes(RecvFlags::empty())?;
    /// assert_eq!(parts, [b"key".to_vec(), b"value".to_vec()]);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_recv", alias = "RecvMessageBytes")]
    pub fn recv_multipart_bytes(&self, flags: RecvFlags) -> Result<Vec<Vec<u8>>> {
        let mut msg = Message::new();
        let mut parts = Vec::new();
        loop {
            self.recv(&mut msg, flags)?;
            parts.push(msg.to_vec());
            if !msg.more() {
                return Ok(parts);
            }
        }
    }

    /// Receives a whole multipart message, appending its parts to `parts`;
    /// returns how many were appended.
    ///
    /// The vector is not cleared first, so a loop that calls
    /// `parts.clear()` reuses its capacity. If a later part fails, the
    /// parts received so far stay in `parts`, and calling this again
    /// appends the rest of the same message.
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_multipart_into(&self, parts: &mut Vec<Message>, flags: RecvFlags) -> Result<usize> {
        let start = parts.len();
        loop {
            let msg = self.recv_msg(flags)?;
            let more = msg.more();
            parts.push(msg);
            if !more {
                return Ok(parts.len() - start);
            }
        }
    }
}

/// What [`Socket::recv_into`] received: the whole frame, or only its
/// beginning because the buffer was too short.
///
/// libzmq reports the full size of a frame even when it cut it; this type
/// makes the cut impossible to overlook: there is no plain length to take
/// without meeting the `Truncated` case (or calling
/// [`complete`](Received::complete), which turns it into an error).
#[must_use = "the frame may have been truncated"]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Received {
    /// The whole frame fit: its length, the bytes written to the buffer.
    Complete(usize),
    /// The frame did not fit: the buffer holds its first `copied` bytes
    /// (the buffer's length); the rest of the frame is lost.
    Truncated {
        /// Bytes written to the buffer.
        copied: usize,
        /// The frame's full size.
        size: usize,
    },
}

impl Received {
    /// The length of the whole frame, or an error of kind
    /// [`ErrorKind::MessageTooLarge`](crate::ErrorKind::MessageTooLarge)
    /// if it was truncated.
    pub fn complete(self) -> Result<usize> {
        match self {
            Received::Complete(len) => Ok(len),
            Received::Truncated { copied, size } => Err(Error::from_errno(ffi::errno::EMSGSIZE)
                .with_detail(format!("a frame of {size} bytes was truncated to {copied}"))),
        }
    }

    /// Whether the frame was cut to fit the buffer.
    pub fn is_truncated(self) -> bool {
        matches!(self, Received::Truncated { .. })
    }

    /// The frame's full size, whether or not it fit.
    pub fn size(self) -> usize {
        match self {
            Received::Complete(size) | Received::Truncated { size, .. } => size,
        }
    }
}
