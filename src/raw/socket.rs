//! [`RawSocket`]: an owned libzmq socket.

use std::ffi::CStr;
use std::os::raw::{c_int, c_void};
use std::ptr::NonNull;
use std::sync::{Mutex, PoisonError};

use super::{RawContext, RawMessage};
use crate::sys::{cvt, ffi, Errno};

/// An owned libzmq socket (`zmq_socket`), closed when dropped
/// (`zmq_close`).
///
/// It does not keep its context alive: the safe layer ties the two (a
/// borrow, or a counted handle). A socket whose context is being
/// terminated stays valid (termination waits for it to close), so no use
/// of a `RawSocket` reaches freed memory.
///
/// libzmq sockets are not thread-safe, so this type is `Send` but not
/// `Sync`: every call through `&self` comes from the one thread that
/// holds it.
///
/// The blocking calls (`send`, `recv`, the message calls) return
/// libzmq's return code as it is, -1 with the errno set on failure, so
/// that the safe layer can decide about retries without a detour.
///
/// `ZMQ_SNDHWM` and `ZMQ_RCVHWM` are refused (`EFSM`) once the socket may
/// have connections: see [`hwm_live_pipes`].
#[derive(Debug)]
pub(crate) struct RawSocket {
    ptr: NonNull<c_void>,
    /// Whether the socket may have pipes: set before its first `bind` or
    /// `connect`, and from the start for a handle of unknown history. A
    /// lock rather than an atomic, because setting a high-water mark
    /// checks it and calls libzmq as one step: a thread-safe socket's
    /// `connect` on another thread must not start in between.
    attached: Mutex<bool>,
}

/// Whether libzmq 4.3 hands a change of `option` to the socket's live
/// pipes in a way that can reach freed memory.
///
/// `socket_base_t::setsockopt` calls `update_pipe_options` after every
/// `ZMQ_SNDHWM` or `ZMQ_RCVHWM` call, even one it refused: that sends a
/// `pipe_hwm` command to the peer of every pipe the socket holds
/// (`pipe_t::send_hwms_to_peer`), without looking at the pipe's state.
/// A pipe whose connection is ending stays in the socket's list until its
/// last `pipe_term_ack` arrives, but its peer frees itself as soon as it
/// has sent that ack, so the command goes to freed memory, which the I/O
/// thread then uses (AddressSanitizer: heap-use-after-free in
/// `object_t::process_command`). No other option does anything to live
/// pipes in 4.3.4 or 4.3.5: the rest only change values read when a pipe
/// is made, and the options that send (a SUB's subscriptions) go through
/// the pipes' own checked write path.
pub(crate) const fn hwm_live_pipes(option: c_int) -> bool {
    option == ffi::ZMQ_SNDHWM || option == ffi::ZMQ_RCVHWM
}

// SAFETY: a libzmq socket may move to another thread as long as one thread
// at a time uses it (zmq_socket(3)); ownership and `!Sync` guarantee that.
unsafe impl Send for RawSocket {}

impl RawSocket {
    /// Creates a socket of a `ZMQ_*` type in a context.
    pub(crate) fn new(ctx: &RawContext, kind: c_int) -> Result<RawSocket, Errno> {
        // SAFETY: the context handle is live; libzmq checks the type.
        let ptr = unsafe { ffi::zmq_socket(ctx.as_ptr(), kind) };
        NonNull::new(ptr)
            .map(|ptr| RawSocket {
                ptr,
                attached: Mutex::new(false),
            })
            .ok_or_else(Errno::last)
    }

    /// Wraps a socket handle.
    ///
    /// # Safety
    /// `ptr` must be a live libzmq socket that nothing else closes or uses
    /// concurrently from now on; the returned value closes it when dropped.
    /// Nothing tells whether it has bound or connected already, so it is
    /// taken to have connections.
    pub(crate) unsafe fn from_ptr(ptr: NonNull<c_void>) -> RawSocket {
        RawSocket {
            ptr,
            attached: Mutex::new(true),
        }
    }

    /// Gives the handle up without closing it.
    pub(crate) fn into_ptr(self) -> NonNull<c_void> {
        let ptr = self.ptr;
        std::mem::forget(self);
        ptr
    }

    /// The `void *` handle. It stays owned by this value: only code that
    /// does not close it or use it from another thread may be given it.
    #[inline(always)]
    pub(crate) fn as_ptr(&self) -> *mut c_void {
        self.ptr.as_ptr()
    }

    /// Marks the socket as one that may have pipes from now on. Called
    /// before `bind` and `connect`, whatever their outcome: once it
    /// returns, no high-water mark call is under way and none will start.
    fn attach(&self) {
        *self.attached.lock().unwrap_or_else(PoisonError::into_inner) = true;
    }

    /// Runs `set`, a `zmq_setsockopt` of `option`, unless libzmq would
    /// hand that option to live pipes and the socket may have some
    /// ([`hwm_live_pipes`]): then `EFSM`, and libzmq is not called.
    fn guarded(&self, option: c_int, set: impl FnOnce() -> c_int) -> Result<(), Errno> {
        if !hwm_live_pipes(option) {
            return cvt(set()).map(drop);
        }
        // Held across the call: a `bind` or `connect` of a thread-safe
        // socket on another thread waits for it (`attach`).
        let attached = self.attached.lock().unwrap_or_else(PoisonError::into_inner);
        if *attached {
            return Err(Errno(ffi::errno::EFSM));
        }
        let rc = set();
        drop(attached);
        cvt(rc).map(drop)
    }

    /// `zmq_setsockopt` with the bytes of the option's value.
    ///
    /// `ZMQ_USE_FD` is refused (`EINVAL`): libzmq takes over the
    /// descriptor it names and closes it later, which only
    /// [`set_use_fd`](Self::set_use_fd)'s contract can make sound.
    /// `ZMQ_SNDHWM` and `ZMQ_RCVHWM` are refused (`EFSM`) once the socket
    /// has called `bind` or `connect` ([`hwm_live_pipes`]).
    pub(crate) fn setsockopt(&self, option: c_int, value: &[u8]) -> Result<(), Errno> {
        if option == ffi::ZMQ_USE_FD {
            return Err(Errno(ffi::errno::EINVAL));
        }
        self.guarded(option, || {
            // SAFETY: the socket is live and used from this thread only
            // (or is thread-safe); the pointer and length describe a
            // readable buffer, which libzmq copies from. An option that
            // libzmq would hand to live pipes only gets here while the
            // socket has none (`guarded`).
            unsafe {
                ffi::zmq_setsockopt(self.as_ptr(), option, value.as_ptr().cast(), value.len())
            }
        })
    }

    /// `zmq_setsockopt` with (NULL, 0), which libzmq reads as "unset" for
    /// the options that take it.
    ///
    /// The high-water marks are refused as by [`setsockopt`](Self::setsockopt):
    /// libzmq hands them to the pipes even when it refuses the value.
    pub(crate) fn setsockopt_null(&self, option: c_int) -> Result<(), Errno> {
        self.guarded(option, || {
            // SAFETY: the socket is live; with a length of zero libzmq
            // reads nothing through the null value pointer; live pipes are
            // kept out as in `setsockopt`.
            unsafe { ffi::zmq_setsockopt(self.as_ptr(), option, std::ptr::null(), 0) }
        })
    }

    /// `zmq_setsockopt(ZMQ_USE_FD)`: the next `bind` of a tcp:// or ipc://
    /// endpoint listens on `fd` instead of a new socket (`None` sets -1,
    /// which turns this off).
    ///
    /// # Safety
    /// If the socket binds a tcp:// or ipc:// endpoint while it is set,
    /// `fd` must be an open socket that is bound and listening, of that
    /// endpoint's address family, and owned by nobody else: libzmq closes
    /// it when that endpoint is unbound or the socket closed. It must be
    /// bound at most once while set.
    pub(crate) unsafe fn set_use_fd(&self, fd: Option<c_int>) -> Result<(), Errno> {
        let value = fd.unwrap_or(-1).to_ne_bytes();
        // SAFETY: the socket is live and the buffer readable; what libzmq
        // does with the descriptor later is the caller's contract.
        cvt(unsafe {
            ffi::zmq_setsockopt(
                self.as_ptr(),
                ffi::ZMQ_USE_FD,
                value.as_ptr().cast(),
                value.len(),
            )
        })
        .map(drop)
    }

    /// `zmq_getsockopt` into a buffer; returns how many bytes libzmq wrote.
    pub(crate) fn getsockopt(&self, option: c_int, buf: &mut [u8]) -> Result<usize, Errno> {
        let mut len = buf.len();
        // SAFETY: the socket is live; libzmq writes at most `len` bytes
        // to the buffer and stores the length it wrote.
        cvt(unsafe {
            ffi::zmq_getsockopt(self.as_ptr(), option, buf.as_mut_ptr().cast(), &mut len)
        })?;
        Ok(len.min(buf.len()))
    }

    /// `zmq_setsockopt` with a C `int`.
    pub(crate) fn set_int(&self, option: c_int, value: c_int) -> Result<(), Errno> {
        self.setsockopt(option, &value.to_ne_bytes())
    }

    /// `zmq_getsockopt` of a C `int`.
    pub(crate) fn get_int(&self, option: c_int) -> Result<c_int, Errno> {
        let mut buf = [0u8; std::mem::size_of::<c_int>()];
        self.getsockopt(option, &mut buf)?;
        Ok(c_int::from_ne_bytes(buf))
    }

    /// `zmq_bind`.
    pub(crate) fn bind(&self, endpoint: &CStr) -> Result<(), Errno> {
        self.attach();
        // SAFETY: the socket is live; `endpoint` is NUL-terminated and
        // outlives the call; libzmq copies what it keeps.
        cvt(unsafe { ffi::zmq_bind(self.as_ptr(), endpoint.as_ptr()) }).map(drop)
    }

    /// `zmq_connect`.
    pub(crate) fn connect(&self, endpoint: &CStr) -> Result<(), Errno> {
        self.attach();
        // SAFETY: as for `bind`.
        cvt(unsafe { ffi::zmq_connect(self.as_ptr(), endpoint.as_ptr()) }).map(drop)
    }

    /// `zmq_unbind`.
    pub(crate) fn unbind(&self, endpoint: &CStr) -> Result<(), Errno> {
        // SAFETY: as for `bind`.
        cvt(unsafe { ffi::zmq_unbind(self.as_ptr(), endpoint.as_ptr()) }).map(drop)
    }

    /// `zmq_disconnect`.
    pub(crate) fn disconnect(&self, endpoint: &CStr) -> Result<(), Errno> {
        // SAFETY: as for `bind`.
        cvt(unsafe { ffi::zmq_disconnect(self.as_ptr(), endpoint.as_ptr()) }).map(drop)
    }

    /// `zmq_send`: a copy of `data` as one frame. Returns libzmq's code.
    #[inline(always)]
    pub(crate) fn send(&self, data: &[u8], flags: c_int) -> c_int {
        // SAFETY: the socket is live and used from this thread only; the
        // pointer and length describe a readable buffer, which zmq_send
        // copies before it returns.
        unsafe { ffi::zmq_send(self.as_ptr(), data.as_ptr().cast(), data.len(), flags) }
    }

    /// `zmq_msg_send`. On success libzmq takes the content and leaves
    /// `msg` empty; on failure `msg` is unchanged. Returns libzmq's code.
    #[inline(always)]
    pub(crate) fn msg_send(&self, msg: &mut RawMessage, flags: c_int) -> c_int {
        // SAFETY: the socket is live and used from this thread only; the
        // message is initialised and exclusively borrowed, and stays a
        // valid, initialised zmq_msg_t whatever the outcome.
        unsafe { ffi::zmq_msg_send(msg.as_mut_ptr(), self.as_ptr(), flags) }
    }

    /// `zmq_msg_recv` into `msg`, whose old content libzmq releases.
    /// Returns libzmq's code (the size, capped at `INT_MAX`, or -1).
    #[inline(always)]
    pub(crate) fn msg_recv(&self, msg: &mut RawMessage, flags: c_int) -> c_int {
        // SAFETY: the socket is live and used from this thread only; the
        // message is initialised and exclusively borrowed; libzmq leaves
        // it initialised whether the call succeeds or fails.
        unsafe { ffi::zmq_msg_recv(msg.as_mut_ptr(), self.as_ptr(), flags) }
    }

    /// `zmq_socket_monitor`: events of this socket go to a PAIR socket
    /// that libzmq binds at `endpoint` (an `inproc://` name); `None` stops
    /// monitoring.
    pub(crate) fn monitor(&self, endpoint: Option<&CStr>, events: c_int) -> Result<(), Errno> {
        let endpoint = endpoint.map_or(std::ptr::null(), CStr::as_ptr);
        // SAFETY: the socket is live; the endpoint is null or a
        // NUL-terminated string that outlives the call.
        cvt(unsafe { ffi::zmq_socket_monitor(self.as_ptr(), endpoint, events) }).map(drop)
    }

    /// `zmq_socket_monitor_versioned` (DRAFT), as [`monitor`](Self::monitor)
    /// with an event format and the type of the monitor socket.
    #[cfg(feature = "draft")]
    pub(crate) fn monitor_versioned(
        &self,
        endpoint: Option<&CStr>,
        events: u64,
        format: c_int,
        kind: c_int,
    ) -> Result<(), Errno> {
        let endpoint = endpoint.map_or(std::ptr::null(), CStr::as_ptr);
        // SAFETY: as for `monitor`.
        cvt(unsafe {
            ffi::zmq_socket_monitor_versioned(self.as_ptr(), endpoint, events, format, kind)
        })
        .map(drop)
    }

    /// `zmq_join` (DRAFT): a DISH joins a group.
    #[cfg(feature = "draft")]
    pub(crate) fn join(&self, group: &CStr) -> Result<(), Errno> {
        // SAFETY: the socket is live; `group` is NUL-terminated and
        // outlives the call; libzmq copies it (and refuses it if too long).
        cvt(unsafe { ffi::zmq_join(self.as_ptr(), group.as_ptr()) }).map(drop)
    }

    /// `zmq_leave` (DRAFT): a DISH leaves a group.
    #[cfg(feature = "draft")]
    pub(crate) fn leave(&self, group: &CStr) -> Result<(), Errno> {
        // SAFETY: as for `join`.
        cvt(unsafe { ffi::zmq_leave(self.as_ptr(), group.as_ptr()) }).map(drop)
    }

    /// `zmq_close`. On failure the socket is handed back.
    pub(crate) fn close(self) -> Result<(), (RawSocket, Errno)> {
        // SAFETY: the handle is live and owned; after success it is
        // forgotten, never used again.
        let rc = unsafe { ffi::zmq_close(self.as_ptr()) };
        if rc == 0 {
            std::mem::forget(self);
            Ok(())
        } else {
            let errno = Errno::last();
            Err((self, errno))
        }
    }
}

impl Drop for RawSocket {
    fn drop(&mut self) {
        // SAFETY: the handle is live and owned; zmq_close only fails for a
        // handle that is not a socket, which ownership rules out.
        unsafe { ffi::zmq_close(self.as_ptr()) };
    }
}

/// A type that owns one libzmq socket for its whole life (what the
/// thread-safe and async wrappers build on, so unused without both).
#[cfg_attr(
    not(any(feature = "draft", all(feature = "tokio", unix))),
    allow(dead_code)
)]
pub(crate) trait OwnsRawSocket {
    /// The socket; the same one at every call.
    fn raw_socket(&self) -> &RawSocket;
}

/// A socket of one of libzmq's thread-safe types (the DRAFT SERVER,
/// CLIENT, RADIO, DISH, SCATTER, GATHER, PEER and CHANNEL), which may be
/// used from several threads at once.
#[cfg(feature = "draft")]
pub(crate) struct ThreadSafe<S>(S);

// SAFETY: `new` admits only a socket for which libzmq reports
// ZMQ_THREAD_SAFE: libzmq then takes the socket's own mutex around every
// call made on it (send, receive, options, bind, connect, close,
// monitoring, polling with zmq_poller), so concurrent calls from threads
// sharing a reference are serialised by libzmq itself; that covers the
// `RawSocket`'s handle, the one part of `S` that is not `Sync` (its
// `attached` flag is behind a `Mutex`). The only `S` is the
// crate's `Socket`, whose other fields are `Sync`: its type and a flag
// (plain values), its extras (behind a `Mutex`) and its context (a shared
// reference or handle to a `Sync` context).
#[cfg(feature = "draft")]
unsafe impl<S: Send + OwnsRawSocket> Sync for ThreadSafe<S> {}

#[cfg(feature = "draft")]
impl<S: OwnsRawSocket> ThreadSafe<S> {
    /// Wraps `socket` if libzmq says it is thread-safe, else hands it back.
    pub(crate) fn new(socket: S) -> Result<ThreadSafe<S>, S> {
        match socket.raw_socket().get_int(ffi::ZMQ_THREAD_SAFE) {
            Ok(1) => Ok(ThreadSafe(socket)),
            _ => Err(socket),
        }
    }

    /// The socket.
    pub(crate) fn get(&self) -> &S {
        &self.0
    }

    /// The socket, no longer shared.
    pub(crate) fn into_inner(self) -> S {
        self.0
    }
}
