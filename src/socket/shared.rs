//! [`SharedSocket`]: a socket of a thread-safe type, shared by reference
//! between threads (DRAFT).

use std::fmt;
use std::ops::Deref;

use super::Socket;
use crate::error::{Error, ErrorKind};
use crate::raw::ThreadSafe;

/// A socket of one of libzmq's thread-safe types (DRAFT): SERVER, CLIENT,
/// RADIO, DISH, SCATTER, GATHER, PEER and CHANNEL. It is `Sync`: threads
/// share it by reference (`&SharedSocket`, or an `Arc`), and libzmq
/// serialises their calls.
///
/// It dereferences to the [`Socket`], whose methods do the work. These
/// types have no multipart messages (a part sent with `SNDMORE` is an
/// error), and address their peers in the message instead: the routing id
/// of [`Message::set_routing_id`](crate::Message::set_routing_id) for
/// SERVER and PEER, the group of
/// [`Message::set_group`](crate::Message::set_group) for RADIO (a DISH
/// [`join`](Socket::join)s groups). They have no `ZMQ_FD` either, so they
/// cannot be polled with [`poll`](crate::poll()) or used with the async
/// sockets; [`Poller`](crate::Poller) polls them.
///
/// Any other socket type stays single-threaded: [`Socket`] itself is not
/// `Sync`, and [`new`](SharedSocket::new) refuses it.
///
/// ```
/// use std::sync::Arc;
/// use zmq4::{Context, Message, RecvFlags, SendFlags, SharedSocket, SocketType};
///
/// let ctx = Context::new()?;
/// let server = SharedSocket::new(ctx.owned_socket(SocketType::Server)?)?;
/// server.bind("inproc://doc-shared")?;
/// let server = Arc::new(server);
///
/// let client = ctx.socket(SocketType::Client)?;
/// client.connect("inproc://doc-shared")?;
/// client.send("ping", SendFlags::empty())?;
///
/// // Any thread may answer on the shared server.
/// let replier = std::thread::spawn({
///     let server = Arc::clone(&server);
///     move || -> zmq4::Result<()> {
///         let request = server.recv_msg(RecvFlags::empty())?;
///         let mut reply = Message::from("pong");
///         reply.set_routing_id(request.routing_id().expect("a routing id"))?;
///         server.send_msg(reply, SendFlags::empty())?;
///         Ok(())
///     }
/// });
/// replier.join().unwrap()?;
/// assert_eq!(client.recv_string(RecvFlags::empty())?, "pong");
/// # Ok::<(), zmq4::Error>(())
/// ```
pub struct SharedSocket<'ctx>(ThreadSafe<Socket<'ctx>>);

impl<'ctx> SharedSocket<'ctx> {
    /// Shares `socket`, if its type is thread-safe; any other is an error
    /// of kind [`ErrorKind::InvalidArgument`] (the socket is dropped with
    /// it: use [`try_new`](SharedSocket::try_new) to keep it).
    pub fn new(socket: Socket<'ctx>) -> crate::error::Result<SharedSocket<'ctx>> {
        SharedSocket::try_new(socket).map_err(|(_, err)| err)
    }

    /// Shares `socket`, if its type is thread-safe; otherwise hands it back
    /// with the error.
    pub fn try_new(socket: Socket<'ctx>) -> Result<SharedSocket<'ctx>, (Socket<'ctx>, Error)> {
        ThreadSafe::new(socket).map(SharedSocket).map_err(|socket| {
            let err = Error::invalid(
                ErrorKind::InvalidArgument,
                format!(
                    "a {} socket is not thread-safe: only SERVER, CLIENT, RADIO, DISH, \
                     SCATTER, GATHER, PEER and CHANNEL sockets can be shared",
                    socket.socket_type().name()
                ),
            );
            (socket, err)
        })
    }

    /// The socket, no longer shared (to close it, or use it from one
    /// thread again).
    pub fn into_inner(self) -> Socket<'ctx> {
        self.0.into_inner()
    }
}

impl<'ctx> Deref for SharedSocket<'ctx> {
    type Target = Socket<'ctx>;

    fn deref(&self) -> &Socket<'ctx> {
        self.0.get()
    }
}

impl fmt::Debug for SharedSocket<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SharedSocket").field(self.0.get()).finish()
    }
}

#[cfg(feature = "draft")]
impl Socket<'_> {
    /// Makes a DISH socket receive the messages a RADIO publishes to
    /// `group` (`zmq_join`, DRAFT). A group is at most 255 bytes without
    /// NUL; longer ones are errors of kind [`ErrorKind::InvalidArgument`].
    #[doc(alias = "zmq_join")]
    pub fn join(&self, group: &str) -> crate::error::Result<()> {
        let c = group_cstring(group)?;
        self.raw
            .join(&c)
            .map_err(|e| Error::from(e).with_detail(format!("join {group:?}")))
    }

    /// Stops a DISH socket receiving `group` (`zmq_leave`, DRAFT).
    #[doc(alias = "zmq_leave")]
    pub fn leave(&self, group: &str) -> crate::error::Result<()> {
        let c = group_cstring(group)?;
        self.raw
            .leave(&c)
            .map_err(|e| Error::from(e).with_detail(format!("leave {group:?}")))
    }
}

/// A group name as libzmq takes it: at most `ZMQ_GROUP_MAX_LENGTH` bytes,
/// no NUL.
fn group_cstring(group: &str) -> crate::error::Result<std::ffi::CString> {
    const MAX: usize = crate::sys::ffi::ZMQ_GROUP_MAX_LENGTH as usize;
    if group.len() > MAX {
        return Err(Error::invalid(
            ErrorKind::InvalidArgument,
            format!("group is {} bytes long, at most {MAX} allowed", group.len()),
        ));
    }
    std::ffi::CString::new(group)
        .map_err(|_| Error::invalid(ErrorKind::InvalidArgument, "group contains a NUL byte"))
}
