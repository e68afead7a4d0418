//! The async operations: receive a frame (new or into a reused message),
//! a string, a multipart message; send a frame, a multipart message. Each
//! is a poll function that tries the operation with `DONTWAIT` and parks
//! on `poll_wait`, wrapped in an `async fn` or, for the single-frame
//! operations that loops repeat, in a `poll_fn` returned directly: that
//! spares a state machine and a move of the 64-byte message per call.
//! Their fast path (the operation goes through at once) is inlined; the
//! waiting is out of line.
//!
//! Each operation takes a unit of the task's tokio budget (as tokio's own
//! sockets do), so a task that always finds messages waiting still lets
//! the other tasks of its thread run.

use std::future::{poll_fn, Future};
use std::task::{ready, Context, Poll};

use ::tokio::task::coop;

use crate::error::{Error, ErrorKind, Result};
use crate::flags::{RecvFlags, SendFlags};
use crate::message::Message;
use crate::socket::{MultipartSendError, SendError};

use super::frame::Frame;
use super::wait::Dir;
use super::AsyncSocket;

impl<'ctx> AsyncSocket<'ctx> {
    /// Receives one message frame.
    ///
    /// Cancel-safe: the frame is taken out of libzmq only in the poll that
    /// returns it, so dropping the future (a `tokio::select!` branch that
    /// lost) leaves it queued for the next receive. [`Message::more`] tells
    /// whether more parts of the same message follow; to receive whole
    /// multipart messages, use [`recv_multipart`](AsyncSocket::recv_multipart).
    /// In a loop, [`recv_into_msg`](AsyncSocket::recv_into_msg) into one
    /// reused message does the same with less work.
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv(&mut self) -> impl Future<Output = Result<Message>> + Send + use<'_, 'ctx> {
        poll_fn(move |cx| {
            let mut msg = Message::new();
            ready!(self.poll_recv_into(cx, &mut msg))?;
            Poll::Ready(Ok(msg))
        })
    }

    /// Receives one message frame into `msg`, replacing its content: the
    /// async form of [`Socket::recv`](crate::Socket::recv).
    ///
    /// libzmq releases the old content itself, so one `Message` can
    /// receive in a loop with no allocation per message (where
    /// [`recv`](AsyncSocket::recv) makes a new one each time).
    /// [`Message::more`] tells whether more parts of the same message
    /// follow.
    ///
    /// Cancel-safe, as [`recv`](AsyncSocket::recv): a frame is taken out
    /// of libzmq only in the poll that completes the future, so a dropped
    /// future leaves it queued for the next receive. `msg` holds a received
    /// frame only once the future has returned `Ok`: after an error or a
    /// cancelled wait it holds its old content or an empty message (a
    /// receive that finds nothing releases the old content), never a part
    /// of a message that was not returned.
    ///
    /// ```
    /// use zmq4::tokio::AsyncSocket;
    /// use zmq4::{Context, Message, SocketType};
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let ctx = Context::new()?;
    /// let mut pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.get_ref().bind("inproc://doc-recv-into-msg")?;
    /// let mut push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.get_ref().connect("inproc://doc-recv-into-msg")?;
    /// for i in 0..3u8 {
    ///     push.send(vec![i]).await?;
    /// }
    ///
    /// let mut msg = Message::new();
    /// for i in 0..3u8 {
    ///     pull.recv_into_msg(&mut msg).await?;
    ///     assert_eq!(&msg[..], &[i]);
    /// }
    /// # Ok::<(), zmq4::Error>(())
    /// # }).unwrap();
    /// ```
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_into_msg<'a>(
        &'a mut self,
        msg: &'a mut Message,
    ) -> impl Future<Output = Result<()>> + Send + use<'a, 'ctx> {
        poll_fn(move |cx| self.poll_recv_into(cx, msg))
    }

    /// Receives one message frame as a `String`. Bytes that are not UTF-8
    /// are an error of kind [`ErrorKind::InvalidUtf8`] that keeps them
    /// ([`Error::into_bytes`]). Cancel-safe, as [`recv`](AsyncSocket::recv).
    #[doc(alias = "zmq_msg_recv")]
    pub async fn recv_string(&mut self) -> Result<String> {
        let msg = self.recv().await?;
        String::from_utf8(msg.to_vec()).map_err(Error::invalid_utf8)
    }

    /// Receives a whole multipart message: every part up to the one
    /// without the "more" flag.
    ///
    /// Cancel-safe: libzmq delivers the parts of a message together, and
    /// they are all taken in the poll that returns them; a dropped future
    /// leaves the message queued. (Should a message ever be cut short by an
    /// error after its first part, the parts taken stay in the socket and
    /// the next receive continues with them.)
    #[doc(alias = "zmq_msg_recv")]
    pub async fn recv_multipart(&mut self) -> Result<Vec<Message>> {
        poll_fn(|cx| self.poll_recv_multipart(cx)).await
    }

    /// Sends one message frame: a [`Message`], or anything that turns into
    /// one (owned buffers move in without copying; `&str` and `&[u8]` are
    /// copied).
    ///
    /// Cancel-safe: the message reaches libzmq only in the poll that
    /// completes the future. A future dropped before it completed handed
    /// nothing to libzmq, and the message is dropped unsent. A send that
    /// fails (a ROUTER's unknown peer, a terminated context) hands the
    /// message back in the [`SendError`]. A message the socket still holds
    /// from its `Sink` side goes first.
    ///
    /// `msg` becomes a [`Message`] when `send` is called; the future
    /// returned sends it when awaited. A multipart message goes with
    /// [`send_multipart`](Self::send_multipart) (see [`Frame`]).
    #[doc(alias = "zmq_msg_send")]
    pub fn send<M: Frame>(
        &mut self,
        msg: M,
    ) -> impl Future<Output = Result<(), SendError>> + Send + use<'_, 'ctx, M> {
        let mut slot = Some(msg.into_message());
        poll_fn(move |cx| self.poll_send_msg(cx, &mut slot))
    }

    /// Sends a multipart message, every part but the last with `SNDMORE`.
    /// Parts are anything that turns into a [`Message`], as for
    /// [`Socket::send_multipart`](crate::Socket::send_multipart).
    ///
    /// Never half-sent: the whole message goes to libzmq within one poll,
    /// the one that completes the future, once the socket can take it. A
    /// future dropped before it completed handed nothing to libzmq. A send
    /// that fails hands the unsent parts back in the
    /// [`MultipartSendError`]; an empty `parts` is refused with
    /// [`ErrorKind::InvalidArgument`]. (Should libzmq ever refuse a later
    /// part as "would block" after taking the first, the socket keeps the
    /// rest, the future completes, and the rest goes before anything else
    /// the socket sends, or at the `Sink`'s next flush.)
    #[doc(alias = "zmq_msg_send")]
    pub async fn send_multipart<I>(&mut self, parts: I) -> Result<(), MultipartSendError>
    where
        I: IntoIterator,
        I::Item: Into<Message>,
    {
        let mut slot = Some(parts.into_iter().map(Into::into).collect::<Vec<_>>());
        poll_fn(|cx| self.poll_send_parts(cx, &mut slot)).await
    }

    /// Receives a frame into `msg`. The path where a frame is there at
    /// once is inlined into the caller's future; the rest is out of line.
    #[inline]
    pub(super) fn poll_recv_into(
        &mut self,
        cx: &mut Context<'_>,
        msg: &mut Message,
    ) -> Poll<Result<()>> {
        if self.partial.is_empty() {
            let coop = ready!(coop::poll_proceed(cx));
            if self.waiting[Dir::Recv as usize] {
                return self.poll_recv_into_woken(cx, msg, coop);
            }
            match self.socket().recv(msg, RecvFlags::DONTWAIT) {
                Ok(()) => {
                    coop.made_progress();
                    self.done(Dir::Recv);
                    return Poll::Ready(Ok(()));
                }
                Err(err) => return self.poll_recv_into_slow(cx, msg, err, coop),
            }
        }
        let part = self.partial.pop_front().unwrap_or_default();
        *msg = part;
        Poll::Ready(Ok(()))
    }

    /// [`poll_recv_into`](Self::poll_recv_into) in a task that waited to
    /// receive. tokio's readiness still holds the edge that woke it: it is
    /// cleared before the attempt. A receive that finds nothing has
    /// processed every command of the socket (libzmq does so before it
    /// answers "would block"), so its answer covers every change up to the
    /// clear, and the task can sleep again without a read of `ZMQ_EVENTS`.
    #[cold]
    #[inline(never)]
    fn poll_recv_into_woken(
        &mut self,
        cx: &mut Context<'_>,
        msg: &mut Message,
        coop: coop::RestoreOnPending,
    ) -> Poll<Result<()>> {
        loop {
            if !self.clear_for(Dir::Recv) {
                // A misled direction, or tokio failed: the general wait.
                let err = match self.socket().recv(msg, RecvFlags::DONTWAIT) {
                    Ok(()) => {
                        coop.made_progress();
                        self.done(Dir::Recv);
                        return Poll::Ready(Ok(()));
                    }
                    Err(err) => err,
                };
                return self.poll_recv_into_slow(cx, msg, err, coop);
            }
            match self.socket().recv(msg, RecvFlags::DONTWAIT) {
                Ok(()) => {
                    coop.made_progress();
                    self.done(Dir::Recv);
                    return Poll::Ready(Ok(()));
                }
                Err(err) if err.kind() == ErrorKind::WouldBlock => {}
                Err(err) => {
                    self.done(Dir::Recv);
                    return Poll::Ready(Err(err));
                }
            }
            ready!(self.poll_wait_after_clear(cx, Dir::Recv))?;
        }
    }

    /// [`poll_recv_into`](Self::poll_recv_into) after an attempt failed
    /// with `err`: waits while it would block.
    #[cold]
    #[inline(never)]
    fn poll_recv_into_slow(
        &mut self,
        cx: &mut Context<'_>,
        msg: &mut Message,
        mut err: Error,
        coop: coop::RestoreOnPending,
    ) -> Poll<Result<()>> {
        loop {
            if err.kind() != ErrorKind::WouldBlock {
                self.done(Dir::Recv);
                return Poll::Ready(Err(err));
            }
            ready!(self.poll_wait(cx, Dir::Recv))?;
            match self.socket().recv(msg, RecvFlags::DONTWAIT) {
                Ok(()) => {
                    coop.made_progress();
                    self.done(Dir::Recv);
                    return Poll::Ready(Ok(()));
                }
                Err(e) => err = e,
            }
        }
    }

    pub(super) fn poll_recv_multipart(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Vec<Message>>> {
        let coop = ready!(coop::poll_proceed(cx));
        let mut parts: Vec<Message> = self.partial.drain(..).collect();
        loop {
            let mut msg = Message::new();
            match self.socket().recv(&mut msg, RecvFlags::DONTWAIT) {
                Ok(()) => {
                    let more = msg.more();
                    parts.push(msg);
                    if !more {
                        coop.made_progress();
                        self.done(Dir::Recv);
                        return Poll::Ready(Ok(parts));
                    }
                    continue;
                }
                Err(err) if err.kind() == ErrorKind::WouldBlock => {}
                Err(err) => {
                    self.partial.extend(parts);
                    self.done(Dir::Recv);
                    return Poll::Ready(Err(err));
                }
            }
            // Parts taken so far belong to the socket while the task waits.
            self.partial.extend(parts.drain(..));
            ready!(self.poll_wait(cx, Dir::Recv))?;
            parts.extend(self.partial.drain(..));
        }
    }

    /// Sends the message in `slot`, in place. The path of a message that
    /// goes at once is inlined into the caller's future; the rest is out
    /// of line.
    #[inline]
    fn poll_send_msg(
        &mut self,
        cx: &mut Context<'_>,
        slot: &mut Option<Message>,
    ) -> Poll<Result<(), SendError>> {
        if !self.out.is_empty() {
            return self.poll_send_msg_after_out(cx, slot);
        }
        let coop = ready!(coop::poll_proceed(cx));
        match self.try_send_in_place(slot) {
            Ok(()) => {
                coop.made_progress();
                self.done(Dir::Send);
                Poll::Ready(Ok(()))
            }
            Err(err) => self.poll_send_msg_slow(cx, slot, err, coop),
        }
    }

    /// One attempt to send the message in `slot` without moving it. On
    /// success `slot` is empty.
    #[inline(always)]
    fn try_send_in_place(&mut self, slot: &mut Option<Message>) -> Result<()> {
        let Some(msg) = slot.as_mut() else {
            unreachable!("a send polled after it completed")
        };
        self.socket().send_msg_mut(msg, SendFlags::DONTWAIT)?;
        // libzmq took the content and left an empty message that holds
        // nothing (zmq_msg_send(3)), as `Socket::send_msg` relies on too:
        // nothing to close.
        std::mem::forget(slot.take());
        Ok(())
    }

    /// [`poll_send_msg`](Self::poll_send_msg) when the socket holds a
    /// message of its own, which goes first.
    #[cold]
    #[inline(never)]
    fn poll_send_msg_after_out(
        &mut self,
        cx: &mut Context<'_>,
        slot: &mut Option<Message>,
    ) -> Poll<Result<(), SendError>> {
        if self.poll_flush_out_for_send(cx).is_pending() {
            return Poll::Pending;
        }
        let coop = ready!(coop::poll_proceed(cx));
        match self.try_send_in_place(slot) {
            Ok(()) => {
                coop.made_progress();
                self.done(Dir::Send);
                Poll::Ready(Ok(()))
            }
            Err(err) => self.poll_send_msg_slow(cx, slot, err, coop),
        }
    }

    /// [`poll_send_msg`](Self::poll_send_msg) after an attempt failed with
    /// `err`: waits while it would block.
    #[cold]
    #[inline(never)]
    fn poll_send_msg_slow(
        &mut self,
        cx: &mut Context<'_>,
        slot: &mut Option<Message>,
        mut err: Error,
        coop: coop::RestoreOnPending,
    ) -> Poll<Result<(), SendError>> {
        loop {
            if err.kind() != ErrorKind::WouldBlock {
                if let Some(res) = self.send_by_value(slot) {
                    return Poll::Ready(res);
                }
            }
            match self.poll_wait(cx, Dir::Send) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(())) => {}
                // Waiting failed (the context was terminated, the runtime
                // is gone): one more attempt reports the socket's own error
                // with the message, or the wait's error if the socket only
                // says it would block.
                Poll::Ready(Err(wait)) => {
                    let msg = slot.take().unwrap_or_default();
                    let res = self.socket().send_msg(msg, SendFlags::DONTWAIT);
                    self.done(Dir::Send);
                    return Poll::Ready(res.map_err(|err| match err.kind() {
                        ErrorKind::WouldBlock => err.with_error(wait),
                        _ => err,
                    }));
                }
            }
            match self.try_send_in_place(slot) {
                Ok(()) => {
                    coop.made_progress();
                    self.done(Dir::Send);
                    return Poll::Ready(Ok(()));
                }
                Err(e) => err = e,
            }
        }
    }

    /// The attempt that ends a send in failure. A [`SendError`] is made by
    /// `Socket::send_msg` alone, which takes the message by value: after
    /// libzmq refused it in place, this attempt meets the same error and
    /// hands the message back in one. (Should the socket have changed in
    /// between, the message goes, or waits: `None`, "would block".)
    #[cold]
    #[inline(never)]
    fn send_by_value(&mut self, slot: &mut Option<Message>) -> Option<Result<(), SendError>> {
        let msg = slot.take().unwrap_or_default();
        match self.socket().send_msg(msg, SendFlags::DONTWAIT) {
            Err(err) if err.kind() == ErrorKind::WouldBlock => {
                *slot = Some(err.into_message());
                None
            }
            res => {
                self.done(Dir::Send);
                Some(res)
            }
        }
    }

    fn poll_send_parts(
        &mut self,
        cx: &mut Context<'_>,
        slot: &mut Option<Vec<Message>>,
    ) -> Poll<Result<(), MultipartSendError>> {
        if !self.out.is_empty() && self.poll_flush_out_for_send(cx).is_pending() {
            return Poll::Pending;
        }
        let coop = ready!(coop::poll_proceed(cx));
        loop {
            let parts = slot.take().unwrap_or_default();
            match self.socket().send_multipart(parts, SendFlags::DONTWAIT) {
                Ok(()) => {
                    coop.made_progress();
                    self.done(Dir::Send);
                    return Poll::Ready(Ok(()));
                }
                Err(err) if err.kind() == ErrorKind::WouldBlock && err.sent() == 0 => {
                    *slot = Some(err.into_unsent());
                }
                Err(err) if err.kind() == ErrorKind::WouldBlock => {
                    // The first part is in libzmq: the rest belongs to the
                    // socket now, which sends it before anything else.
                    self.out = err.into_unsent().into();
                    self.out_started = true;
                    if let Poll::Ready(Err(e)) = self.poll_flush_out(cx) {
                        self.out_error = Some(e);
                    }
                    return Poll::Ready(Ok(()));
                }
                Err(err) => {
                    self.done(Dir::Send);
                    return Poll::Ready(Err(err));
                }
            }
            match self.poll_wait(cx, Dir::Send) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(wait)) => {
                    let parts = slot.take().unwrap_or_default();
                    let res = self.socket().send_multipart(parts, SendFlags::DONTWAIT);
                    self.done(Dir::Send);
                    return Poll::Ready(res.map_err(|err| match err.kind() {
                        ErrorKind::WouldBlock if err.sent() == 0 => err.with_error(wait),
                        _ => err,
                    }));
                }
            }
        }
    }

    /// Sends what the socket holds before a plain send's own message. An
    /// error there belongs to the `Sink`'s message: it is kept for the
    /// next `Sink` call, and the plain send goes on.
    fn poll_flush_out_for_send(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if let Err(err) = ready!(self.poll_flush_out(cx)) {
            self.out_error = Some(err);
        }
        Poll::Ready(())
    }

    /// Sends the message the socket holds (`out`), if any.
    ///
    /// On an error other than "would block" the message is dropped, even a
    /// started one: the only error libzmq reports between the parts of a
    /// message is a terminated context, after which the socket sends
    /// nothing more.
    pub(super) fn poll_flush_out(&mut self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        while !self.out.is_empty() {
            let parts: Vec<Message> = self.out.drain(..).collect();
            match self.socket().send_multipart(parts, SendFlags::DONTWAIT) {
                Ok(()) => {
                    self.out_started = false;
                    self.done(Dir::Send);
                }
                Err(err) => {
                    let (error, sent, unsent) = err.into_parts();
                    if error.kind() != ErrorKind::WouldBlock {
                        self.out_started = false;
                        self.done(Dir::Send);
                        return Poll::Ready(Err(error));
                    }
                    self.out_started |= sent > 0;
                    self.out.extend(unsent);
                    if let Err(error) = ready!(self.poll_wait(cx, Dir::Send)) {
                        self.out.clear();
                        self.out_started = false;
                        self.done(Dir::Send);
                        return Poll::Ready(Err(error));
                    }
                }
            }
        }
        Poll::Ready(Ok(()))
    }
}
