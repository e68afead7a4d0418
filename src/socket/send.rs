//! Sending: bytes (copied), owned messages (handed back on failure), in-place
//! messages (reused), and multipart messages.
//!
//! No send loses data. Borrowed bytes stay the caller's; an owned
//! [`Message`] that could not be queued comes back inside the error
//! ([`SendError`], [`MultipartSendError`]), whatever the reason: `EAGAIN`
//! under `DONTWAIT` or a send timeout, `EHOSTUNREACH` from a ROUTER with
//! `ROUTER_MANDATORY`, `ETERM` after the context was shut down, `EINTR`...

use std::fmt;

use crate::error::{Error, ErrorKind, Result};
use crate::flags::SendFlags;
use crate::message::Message;

use super::{Op, Socket, SocketType};

impl Socket<'_> {
    /// Sends `data` as one message frame, by the cheapest path its type
    /// allows (see [`Sendable`]):
    /// - **borrowed** bytes (`&[u8]`, `&str`, `&[u8; N]`, `&Vec<u8>`,
    ///   `&String`, `&Message`, any `&T` where `T: AsRef<[u8]>`) and byte
    ///   arrays are **copied** (`zmq_send`); they stay the caller's, so
    ///   nothing is lost when the send fails;
    /// - **owned** buffers (`Vec<u8>`, `String`, `Box<[u8]>`, `Box<str>`,
    ///   a [`Message`]) are **moved** into libzmq without copying (as
    ///   [`send_msg`](Socket::send_msg) does; up to 33 bytes are copied into
    ///   the message itself, which is cheaper); when the send fails the
    ///   message comes back inside the error ([`Error::into_unsent`]).
    ///
    /// So a copy shows in the call: `send(&buf, ..)` copies, `send(buf, ..)`
    /// does not.
    ///
    /// With [`SendFlags::SNDMORE`] the frame is a part of a multipart
    /// message and more parts must follow; with [`SendFlags::DONTWAIT`] a
    /// send that would block fails with [`ErrorKind::WouldBlock`] instead.
    ///
    /// ```
    /// use zmq4::{Context, RecvFlags, SendFlags, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-send")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-send")?;
    ///
    /// push.send("hello", SendFlags::empty())?; // copied
    /// let report = format!("{} bytes of report", 1 << 20);
    /// push.send(report, SendFlags::empty())?; // moved, not copied
    /// assert_eq!(pull.recv_bytes(RecvFlags::empty())?, b"hello");
    /// assert_eq!(pull.recv_string(RecvFlags::empty())?, "1048576 bytes of report");
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_send")]
    #[inline]
    pub fn send<D: Sendable>(&self, data: D, flags: SendFlags) -> Result<()> {
        data.send_on(self, flags)
    }

    #[inline]
    fn send_slice(&self, data: &[u8], flags: SendFlags) -> Result<()> {
        super::guard::check_send(self.kind, data)?;
        self.blocking(Op::Send(flags), move |raw| raw.send(data, flags.bits()))
            .map(drop)
    }

    /// Sends an owned message without copying it (`zmq_msg_send`).
    ///
    /// On success libzmq owns the content and frees it when it is done. On
    /// failure nothing is lost: the [`SendError`] holds the message, intact
    /// (same bytes, same buffer), next to the [`Error`]; take it back with
    /// [`SendError::into_message`]. `?` turns a `SendError` into an
    /// [`Error`] that still holds the message ([`Error::into_unsent`]).
    ///
    /// To send the same message object again and again (a request/reply
    /// loop that refills one message), [`send_msg_mut`](Socket::send_msg_mut)
    /// avoids moving it in and out.
    ///
    /// ```
    /// use zmq4::{Context, ErrorKind, Message, SendFlags, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// // No peer: a non-blocking send cannot queue the message...
    /// let msg = Message::from(b"precious".to_vec());
    /// let err = push.send_msg(msg, SendFlags::DONTWAIT).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::WouldBlock);
    /// // ...and hands it back.
    /// let msg = err.into_message();
    /// assert_eq!(&msg[..], b"precious");
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_send")]
    #[inline]
    pub fn send_msg(&self, mut msg: Message, flags: SendFlags) -> Result<(), SendError> {
        match self.send_msg_mut(&mut msg, flags) {
            // After a successful send libzmq has re-initialised the message
            // as an empty one that holds nothing (zmq_msg_send(3): "the
            // zmq_msg_t structure passed to zmq_msg_send() is nulled during
            // the call"), so not closing it leaks nothing and saves a call.
            Ok(()) => {
                std::mem::forget(msg);
                Ok(())
            }
            Err(error) => Err(SendError { error, msg }),
        }
    }

    /// Sends a message in place (`zmq_msg_send`), leaving it reusable.
    ///
    /// The difference from [`send_msg`](Socket::send_msg) is who keeps the
    /// `Message` value:
    /// - on success the content goes to libzmq and `msg` is left **empty**
    ///   (length 0), ready to be filled or received into again, so a loop
    ///   needs no new `Message` per round trip;
    /// - on failure `msg` is left **intact**: same bytes, same buffer, ready
    ///   to be sent again.
    ///
    /// This is exactly what libzmq does with a `zmq_msg_t`.
    ///
    /// ```
    /// use zmq4::{Context, Message, RecvFlags, SendFlags, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let a = ctx.socket(SocketType::Pair)?;
    /// a.bind("inproc://doc-send-mut")?;
    /// let b = ctx.socket(SocketType::Pair)?;
    /// b.connect("inproc://doc-send-mut")?;
    ///
    /// let mut msg = Message::copy_from(b"ping")?;
    /// for _ in 0..3 {
    ///     a.send_msg_mut(&mut msg, SendFlags::empty())?;
    ///     assert!(msg.is_empty()); // sent: the content went to libzmq
    ///     b.recv(&mut msg, RecvFlags::empty())?; // the same message receives
    ///     b.send_msg_mut(&mut msg, SendFlags::empty())?; // ...and echoes
    ///     a.recv(&mut msg, RecvFlags::empty())?;
    ///     assert_eq!(&msg[..], b"ping");
    /// }
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_send")]
    #[inline]
    pub fn send_msg_mut(&self, msg: &mut Message, flags: SendFlags) -> Result<()> {
        // The frame is only looked at (two libzmq calls) for an XSUB.
        if self.kind == SocketType::XSub {
            super::guard::check_send(self.kind, msg)?;
        }
        let raw_msg = &mut msg.raw;
        self.blocking(Op::Send(flags), move |raw| {
            raw.msg_send(raw_msg, flags.bits())
        })
        .map(drop)
    }

    /// Sends a multipart message: every part but the last with
    /// [`SendFlags::SNDMORE`], the last with `flags` alone.
    ///
    /// Parts are anything that turns into a [`Message`]: messages, owned
    /// buffers (`Vec<u8>`, `String`, `Box<[u8]>`: moved in without
    /// copying), static bytes ([`Message::from_static`]) and borrowed bytes
    /// (`&[u8]`, `&str`, `&[u8; N]`, `&Vec<u8>`: copied once, which is what
    /// [`send`](Socket::send) costs too). `flags` applies to
    /// every part; if it holds `SNDMORE` itself, the last part gets it too
    /// and the message continues with the next send.
    ///
    /// libzmq delivers a multipart message atomically: the peer gets all of
    /// its parts or none, and never sees a part before the last one was
    /// sent. So when a send fails:
    /// - **on the first part** (the usual case: `EAGAIN` under `DONTWAIT`
    ///   or a send timeout because the queue is full, `EHOSTUNREACH` for an
    ///   unknown ROUTER peer), nothing was queued and the socket is ready
    ///   for a new message;
    /// - **on a later part** (rare: the high-water mark counts whole
    ///   messages, so once the first part is accepted the others are too;
    ///   it takes the context being shut down, or a signal when the context
    ///   does not retry, between two parts), the parts already sent wait
    ///   inside libzmq, invisible to the peer. Sending the unsent parts
    ///   (`sock.send_multipart(err.into_unsent(), flags)`) completes the
    ///   message; closing the socket discards it, and the peer never sees
    ///   any of it.
    ///
    /// Either way nothing is lost: the [`MultipartSendError`] says how many
    /// parts were sent and hands back the unsent ones, the failed part
    /// first. An empty `parts` is refused with
    /// [`ErrorKind::InvalidArgument`]: a message has at least one part.
    ///
    /// ```
    /// use zmq4::{Context, Message, RecvFlags, SendFlags, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-send-multipart")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-send-multipart")?;
    ///
    /// // Borrowed parts are copied...
    /// push.send_multipart(["header", "body"], SendFlags::empty())?;
    /// // ...owned ones are not.
    /// let body: Vec<u8> = vec![42; 1000];
    /// push.send_multipart([Message::from("header"), Message::from(body)], SendFlags::empty())?;
    ///
    /// let got = pull.recv_multipart(RecvFlags::empty())?;
    /// assert_eq!(got.len(), 2);
    /// assert_eq!(&got[0][..], b"header");
    /// assert_eq!(&got[1][..], b"body");
    /// let got = pull.recv_multipart(RecvFlags::empty())?;
    /// assert_eq!(got[1].len(), 1000);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_send")]
    pub fn send_multipart<I>(&self, parts: I, flags: SendFlags) -> Result<(), MultipartSendError>
    where
        I: IntoIterator,
        I::Item: Into<Message>,
    {
        let mut parts = parts.into_iter();
        let Some(first) = parts.next() else {
            return Err(MultipartSendError {
                error: Error::invalid(
                    ErrorKind::InvalidArgument,
                    "send_multipart needs at least one part",
                ),
                sent: 0,
                unsent: Vec::new(),
            });
        };
        let mut current: Message = first.into();
        let mut sent = 0;
        loop {
            // Look one part ahead: only the last part goes without SNDMORE.
            let next = parts.next();
            let part_flags = if next.is_some() {
                flags | SendFlags::SNDMORE
            } else {
                flags
            };
            if let Err(err) = self.send_msg(current, part_flags) {
                let (error, msg) = err.into_parts();
                let mut unsent = Vec::with_capacity(2 + parts.size_hint().0);
                unsent.push(msg);
                unsent.extend(next.map(Into::into));
                unsent.extend(parts.map(Into::into));
                return Err(MultipartSendError {
                    error,
                    sent,
                    unsent,
                });
            }
            sent += 1;
            match next {
                Some(part) => current = part.into(),
                None => return Ok(()),
            }
        }
    }
}

/// A failed [`Socket::send_msg`]: the error, and the message that was not
/// sent, intact.
///
/// Take the message with [`into_message`](SendError::into_message) or
/// [`into_parts`](SendError::into_parts). `?` converts it into an
/// [`Error`], which still holds the message ([`Error::into_unsent`]).
pub struct SendError {
    error: Error,
    msg: Message,
}

impl SendError {
    /// The same unsent message, with another reason.
    #[cfg_attr(not(all(unix, feature = "tokio")), allow(dead_code))]
    pub(crate) fn with_error(self, error: Error) -> SendError {
        SendError { error, ..self }
    }

    /// Why the send failed.
    pub fn error(&self) -> &Error {
        &self.error
    }

    /// The kind of the error (shorthand for `error().kind()`).
    pub fn kind(&self) -> ErrorKind {
        self.error.kind()
    }

    /// Whether the send would have blocked (shorthand for
    /// `error().is_would_block()`).
    pub fn is_would_block(&self) -> bool {
        self.error.is_would_block()
    }

    /// Whether the context was terminated (shorthand for
    /// `error().is_terminated()`).
    pub fn is_terminated(&self) -> bool {
        self.error.is_terminated()
    }

    /// The message that was not sent.
    pub fn unsent(&self) -> &Message {
        &self.msg
    }

    /// The message that was not sent, to retry or keep.
    pub fn into_message(self) -> Message {
        self.msg
    }

    /// The error and the message that was not sent.
    pub fn into_parts(self) -> (Error, Message) {
        (self.error, self.msg)
    }
}

impl fmt::Debug for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendError")
            .field("error", &self.error)
            .field("unsent_len", &self.msg.len())
            .finish()
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "message not sent: {}", self.error)
    }
}

// Display already includes the error's text, so it is not also a `source`.
impl std::error::Error for SendError {}

/// The error keeps the message: [`Error::into_unsent`] gives it back.
impl From<SendError> for Error {
    fn from(err: SendError) -> Error {
        err.error.with_unsent(vec![err.msg])
    }
}

/// A failed [`Socket::send_multipart`]: the error, how many parts were
/// sent before it, and the parts that were not sent (the failed one first).
///
/// If [`sent`](MultipartSendError::sent) is not zero, the message is
/// incomplete inside libzmq and the peer has seen none of it; see
/// [`Socket::send_multipart`] for what to do.
pub struct MultipartSendError {
    error: Error,
    sent: usize,
    unsent: Vec<Message>,
}

impl MultipartSendError {
    /// The same unsent parts, with another reason.
    #[cfg_attr(not(all(unix, feature = "tokio")), allow(dead_code))]
    pub(crate) fn with_error(self, error: Error) -> MultipartSendError {
        MultipartSendError { error, ..self }
    }

    /// Why the send failed.
    pub fn error(&self) -> &Error {
        &self.error
    }

    /// The kind of the error (shorthand for `error().kind()`).
    pub fn kind(&self) -> ErrorKind {
        self.error.kind()
    }

    /// Whether the send would have blocked (shorthand for
    /// `error().is_would_block()`).
    pub fn is_would_block(&self) -> bool {
        self.error.is_would_block()
    }

    /// Whether the context was terminated (shorthand for
    /// `error().is_terminated()`).
    pub fn is_terminated(&self) -> bool {
        self.error.is_terminated()
    }

    /// How many parts were sent before the failure.
    pub fn sent(&self) -> usize {
        self.sent
    }

    /// The parts that were not sent, the failed one first.
    pub fn unsent(&self) -> &[Message] {
        &self.unsent
    }

    /// The parts that were not sent, the failed one first.
    pub fn into_unsent(self) -> Vec<Message> {
        self.unsent
    }

    /// The error, the number of parts sent, and the unsent parts.
    pub fn into_parts(self) -> (Error, usize, Vec<Message>) {
        (self.error, self.sent, self.unsent)
    }
}

impl fmt::Debug for MultipartSendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MultipartSendError")
            .field("error", &self.error)
            .field("sent", &self.sent)
            .field("unsent", &self.unsent.len())
            .finish()
    }
}

impl fmt::Display for MultipartSendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "multipart message not sent ({} part(s) sent, {} not): {}",
            self.sent,
            self.unsent.len(),
            self.error
        )
    }
}

// Display already includes the error's text, so it is not also a `source`.
impl std::error::Error for MultipartSendError {}

/// The error keeps the unsent parts: [`Error::into_unsent`] gives them
/// back.
impl From<MultipartSendError> for Error {
    fn from(err: MultipartSendError) -> Error {
        err.error.with_unsent(err.unsent)
    }
}

mod sealed {
    pub trait Sealed {}
}

/// What [`Socket::send`] sends as one frame, and how: borrowed data is
/// copied and stays the caller's; owned buffers are moved without copying
/// and, when the send fails, come back inside the [`Error`]
/// ([`Error::into_unsent`]).
///
/// It is implemented for `&T` where `T: AsRef<[u8]>` (so `&[u8]`, `&str`,
/// `&[u8; N]`, `&Vec<u8>`, `&String`, `&Message`, `&bytes::Bytes`...), for
/// byte arrays `[u8; N]` (copied), and for the owned buffers `Vec<u8>`,
/// `String`, `Box<[u8]>`, `Box<str>` and [`Message`] (moved). Other owned
/// types are sent by reference (copied) or turned into a [`Message`]
/// first. It cannot be implemented outside this crate.
pub trait Sendable: sealed::Sealed {
    /// Sends `self` on `socket`; see [`Socket::send`].
    fn send_on(self, socket: &Socket<'_>, flags: SendFlags) -> Result<()>;
}

impl<T: AsRef<[u8]> + ?Sized> sealed::Sealed for &T {}

impl<T: AsRef<[u8]> + ?Sized> Sendable for &T {
    #[inline(always)]
    fn send_on(self, socket: &Socket<'_>, flags: SendFlags) -> Result<()> {
        socket.send_slice(self.as_ref(), flags)
    }
}

impl<const N: usize> sealed::Sealed for [u8; N] {}

impl<const N: usize> Sendable for [u8; N] {
    #[inline(always)]
    fn send_on(self, socket: &Socket<'_>, flags: SendFlags) -> Result<()> {
        socket.send_slice(&self, flags)
    }
}

/// Owned buffers: moved into a message, without copying.
macro_rules! sendable_by_move {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}

        impl Sendable for $t {
            #[inline(always)]
            fn send_on(self, socket: &Socket<'_>, flags: SendFlags) -> Result<()> {
                socket.send_msg(Message::from(self), flags).map_err(Error::from)
            }
        }
    )*};
}

sendable_by_move!(Message, Vec<u8>, String, Box<[u8]>, Box<str>);
#[cfg(feature = "bytes")]
sendable_by_move!(bytes::Bytes);
