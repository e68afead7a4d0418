//! A socket registered with tokio through its `ZMQ_FD` (feature `tokio`,
//! Unix).

use std::os::fd::{AsRawFd, RawFd};

use tokio::io::unix::AsyncFd;
use tokio::io::Interest;

use super::OwnsRawSocket;
use crate::sys::{ffi, Errno};

/// A socket's `ZMQ_FD`, registered with tokio but owned by libzmq: no
/// `Drop`, so tokio never closes it.
pub(crate) struct ZmqFd(RawFd);

impl AsRawFd for ZmqFd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// A socket and its `ZMQ_FD` registered with tokio's reactor.
///
/// The descriptor belongs to libzmq, which keeps it open, unchanged, until
/// the socket is closed. Owning the socket, and dropping the registration
/// first (field order) or deregistering it before handing the socket out,
/// this type never lets the registration outlive the descriptor.
pub(crate) struct Registered<S> {
    fd: AsyncFd<ZmqFd>,
    socket: S,
}

impl<S: OwnsRawSocket> Registered<S> {
    /// Registers the socket's `ZMQ_FD` for readability (libzmq signals
    /// every change of `ZMQ_EVENTS` that way), with the runtime of the
    /// calling thread. Like tokio, it panics outside a runtime or in one
    /// without its I/O driver.
    pub(crate) fn new(socket: S) -> Result<Registered<S>, std::io::Error> {
        let fd = socket
            .raw_socket()
            .get_int(ffi::ZMQ_FD)
            .map_err(|Errno(errno)| std::io::Error::from_raw_os_error(errno))?;
        // SAFETY: `fd` is the ZMQ_FD of the socket we own from now on;
        // libzmq keeps it open and unchanged until the socket is closed,
        // which happens only after the registration is gone (field order,
        // `into_inner`). `ZmqFd::as_raw_fd` always returns it.
        let fd = unsafe { AsyncFd::register_with_interest(ZmqFd(fd), Interest::READABLE) }
            .map_err(std::io::Error::from)?;
        Ok(Registered { fd, socket })
    }

    /// The socket.
    pub(crate) fn socket(&self) -> &S {
        &self.socket
    }

    /// The registration.
    pub(crate) fn async_fd(&self) -> &AsyncFd<ZmqFd> {
        &self.fd
    }

    /// The descriptor's number, for `Debug`.
    pub(crate) fn fd_number(&self) -> RawFd {
        self.fd.get_ref().0
    }

    /// Deregisters the descriptor and hands the socket back.
    pub(crate) fn into_inner(self) -> S {
        let Registered { fd, socket } = self;
        let ZmqFd(_) = fd.into_inner(); // deregistered; libzmq keeps the fd
        socket
    }
}
