//! [`RawContext`]: an owned libzmq context.

use std::os::raw::{c_int, c_void};
use std::ptr::NonNull;

use crate::sys::{cvt, ffi, Errno};

/// An owned libzmq context (`zmq_ctx_new`), terminated when dropped
/// (`zmq_ctx_term`).
///
/// Termination waits until every socket of the context is closed, so a
/// socket that is never closed makes the drop wait for ever: the safe
/// layer ties each socket to its context (a borrow, or a counted handle)
/// so that this cannot happen.
#[derive(Debug)]
pub(crate) struct RawContext(NonNull<c_void>);

// SAFETY: a libzmq context is thread-safe: every zmq_ctx_* call and
// zmq_socket may be made from any thread, concurrently (zmq_ctx(3)).
unsafe impl Send for RawContext {}
// SAFETY: as above; a shared reference only reaches thread-safe calls.
unsafe impl Sync for RawContext {}

impl RawContext {
    /// Creates a context.
    pub(crate) fn new() -> Result<RawContext, Errno> {
        // SAFETY: no preconditions; null (with errno) on failure.
        let ptr = unsafe { ffi::zmq_ctx_new() };
        NonNull::new(ptr).map(RawContext).ok_or_else(Errno::last)
    }

    /// The `void *` handle. It stays owned by this value.
    #[inline(always)]
    pub(crate) fn as_ptr(&self) -> *mut c_void {
        self.0.as_ptr()
    }

    /// `zmq_ctx_set`.
    pub(crate) fn set(&self, option: c_int, value: c_int) -> Result<(), Errno> {
        // SAFETY: the handle is a live context; libzmq checks the option
        // and the value.
        cvt(unsafe { ffi::zmq_ctx_set(self.as_ptr(), option, value) }).map(drop)
    }

    /// `zmq_ctx_get`. libzmq reports a failure as -1, which some options
    /// also take as a value: for those use [`get_signed`](Self::get_signed).
    pub(crate) fn get(&self, option: c_int) -> Result<c_int, Errno> {
        // SAFETY: the handle is a live context.
        cvt(unsafe { ffi::zmq_ctx_get(self.as_ptr(), option) })
    }

    /// `zmq_ctx_get` with its result as it is, -1 included.
    pub(crate) fn get_signed(&self, option: c_int) -> c_int {
        // SAFETY: the handle is a live context.
        unsafe { ffi::zmq_ctx_get(self.as_ptr(), option) }
    }

    /// `zmq_ctx_set_ext` with the bytes of the value (DRAFT).
    #[cfg(feature = "draft")]
    pub(crate) fn set_ext(&self, option: c_int, value: &[u8]) -> Result<(), Errno> {
        // SAFETY: the handle is a live context; the pointer and length
        // describe `value`, which libzmq copies.
        cvt(unsafe {
            ffi::zmq_ctx_set_ext(self.as_ptr(), option, value.as_ptr().cast(), value.len())
        })
        .map(drop)
    }

    /// `zmq_ctx_get_ext` into `buf` (DRAFT); returns the length libzmq
    /// reports.
    #[cfg(feature = "draft")]
    pub(crate) fn get_ext(&self, option: c_int, buf: &mut [u8]) -> Result<usize, Errno> {
        let mut len = buf.len();
        // SAFETY: the handle is a live context; libzmq writes at most
        // `len` bytes into `buf` and stores a length.
        cvt(unsafe {
            ffi::zmq_ctx_get_ext(self.as_ptr(), option, buf.as_mut_ptr().cast(), &mut len)
        })?;
        Ok(len)
    }

    /// `zmq_ctx_shutdown`: blocking calls on this context's sockets fail
    /// with `ETERM` from now on. May be called from any thread, and again.
    pub(crate) fn shutdown(&self) -> Result<(), Errno> {
        // SAFETY: the handle is a live context; shutdown is thread-safe
        // and idempotent.
        cvt(unsafe { ffi::zmq_ctx_shutdown(self.as_ptr()) }).map(drop)
    }

    /// `zmq_ctx_term`. When a signal interrupts it, it is made again if
    /// `retry_on_interrupt`, else the error is `EINTR` and the context is
    /// handed back, still alive (as on any other error).
    pub(crate) fn term(self, retry_on_interrupt: bool) -> Result<(), (RawContext, Errno)> {
        loop {
            // SAFETY: the handle is a live context that we own, so nobody
            // else terminates it; after success it is forgotten, never
            // used again.
            let rc = unsafe { ffi::zmq_ctx_term(self.as_ptr()) };
            if rc == 0 {
                std::mem::forget(self);
                return Ok(());
            }
            let errno = Errno::last();
            if errno.0 != ffi::errno::EINTR || !retry_on_interrupt {
                return Err((self, errno));
            }
        }
    }
}

impl Drop for RawContext {
    fn drop(&mut self) {
        loop {
            // SAFETY: the handle is a live context that we own; after a
            // successful term it is never used again.
            let rc = unsafe { ffi::zmq_ctx_term(self.as_ptr()) };
            if rc == 0 || Errno::last().0 != ffi::errno::EINTR {
                return;
            }
        }
    }
}
