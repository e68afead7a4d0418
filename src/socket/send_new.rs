//! Sending a message built in place: libzmq allocates it, the caller
//! writes it, and it is sent from where it was made, with no `Message`
//! value in between.

use std::mem::MaybeUninit;

use crate::error::Result;
use crate::flags::SendFlags;
use crate::raw::{Placed, RawMessage};

use super::{guard, Op, Socket, SocketType};

impl Socket<'_> {
    /// Sends a new message of `len` bytes that `fill` writes, built where
    /// it is sent: libzmq allocates it (`zmq_msg_init_size`), `fill` gets
    /// its content, zeroed, and the message goes to `zmq_msg_send`
    /// without being copied or moved.
    ///
    /// This is the path for content made at send time (a header written
    /// field by field, a value serialised into the frame): there is no
    /// buffer of the caller's to copy, as with [`send`](Socket::send), and
    /// no [`Message`](crate::Message) to build first and hand over, as
    /// with [`send_msg`](Socket::send_msg). A message that is not sent (an
    /// error, or a panic in `fill`) is closed, and its content dropped.
    ///
    /// The content starts zeroed, so `fill` may leave bytes unwritten. A
    /// large frame that is written completely some other way can skip the
    /// zeroing with the `unsafe`
    /// [`Message::with_size_uninit`](crate::Message::with_size_uninit) and
    /// [`send_msg`](Socket::send_msg).
    ///
    /// ```
    /// use zmq4::{Context, RecvFlags, SendFlags, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let a = ctx.socket(SocketType::Pair)?;
    /// a.bind("inproc://doc-send-new")?;
    /// let b = ctx.socket(SocketType::Pair)?;
    /// b.connect("inproc://doc-send-new")?;
    ///
    /// let seq: u32 = 7;
    /// a.send_new(8, SendFlags::empty(), |frame| {
    ///     frame[..4].copy_from_slice(b"SEQ ");
    ///     frame[4..].copy_from_slice(&seq.to_be_bytes());
    /// })?;
    /// assert_eq!(b.recv_bytes(RecvFlags::empty())?, b"SEQ \0\0\0\x07");
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_init_size")]
    #[doc(alias = "zmq_msg_send")]
    #[inline]
    pub fn send_new(
        &self,
        len: usize,
        flags: SendFlags,
        fill: impl FnOnce(&mut [u8]),
    ) -> Result<()> {
        let mut slot = MaybeUninit::uninit();
        let msg = RawMessage::place_filled(&mut slot, len, fill)?;
        self.send_placed(msg, flags)
    }

    /// Sends a placed message, leaving it in its slot once libzmq took it.
    #[inline(always)]
    fn send_placed(&self, mut msg: Placed<'_>, flags: SendFlags) -> Result<()> {
        // The frame is only looked at (two libzmq calls) for an XSUB.
        if self.kind == SocketType::XSub {
            guard::check_send(self.kind, msg.as_bytes())?;
        }
        let placed: &mut RawMessage = &mut msg;
        self.blocking(Op::Send(flags), move |raw| {
            raw.msg_send(placed, flags.bits())
        })?;
        msg.sent();
        Ok(())
    }
}
