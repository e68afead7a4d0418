//! The thin unsafe layer: libzmq's C API ([`ffi`]), the one helper that turns
//! a C return code into a [`Result`](crate::Result), and minimal owning
//! handles for a context, a socket and a message.
//!
//! Everything here is public for advanced users who need to reach libzmq
//! directly; the safe types of the crate root are built on it and are what
//! most programs want.

pub mod ffi;

use std::ffi::CStr;
use std::mem::MaybeUninit;
use std::os::raw::{c_int, c_void};
use std::ptr::NonNull;

use crate::error::Error;

/// Reads libzmq's errno for the calling thread.
#[inline]
pub fn errno() -> c_int {
    // SAFETY: zmq_errno takes no arguments and only reads thread-local state.
    unsafe { ffi::zmq_errno() }
}

/// The error libzmq reported for the last failed call on this thread.
#[cold]
#[inline(never)]
pub fn last_error() -> Error {
    Error::from_errno(errno())
}

/// libzmq's text for an errno (`zmq_strerror`).
pub fn strerror(errnum: c_int) -> &'static str {
    // SAFETY: zmq_strerror returns a pointer to a static NUL-terminated
    // string (libzmq's own table or the C runtime's strerror table) for any
    // value, never null.
    let text = unsafe { CStr::from_ptr(ffi::zmq_strerror(errnum)) };
    text.to_str().unwrap_or("unknown error")
}

/// Turns a libzmq return code into a `Result`: -1 becomes the error read at
/// once from `zmq_errno()`, anything else is returned as is.
#[inline(always)]
pub fn cvt(rc: c_int) -> Result<c_int, Error> {
    if rc == -1 {
        Err(last_error())
    } else {
        Ok(rc)
    }
}

/// Like [`cvt`] for calls that return a pointer, null on failure.
#[inline(always)]
pub fn cvt_p<T>(ptr: *mut T) -> Result<NonNull<T>, Error> {
    NonNull::new(ptr).ok_or_else(last_error)
}

/// An owned libzmq context (`zmq_ctx_new` / `zmq_ctx_term`).
#[derive(Debug)]
pub struct RawContext(NonNull<c_void>);

// SAFETY: a libzmq context is thread-safe: every zmq_ctx_* call may be made
// from any thread, concurrently (zmq_ctx(3)).
unsafe impl Send for RawContext {}
// SAFETY: as above; shared references only call thread-safe functions.
unsafe impl Sync for RawContext {}

impl RawContext {
    /// Creates a context.
    pub fn new() -> Result<Self, Error> {
        // SAFETY: no preconditions; null (with errno) on failure.
        let ptr = unsafe { ffi::zmq_ctx_new() };
        cvt_p(ptr).map(RawContext)
    }

    /// The `void *` handle, for passing to libzmq.
    #[inline(always)]
    pub fn as_ptr(&self) -> *mut c_void {
        self.0.as_ptr()
    }

    /// `zmq_ctx_set`.
    pub fn set(&self, option: c_int, value: c_int) -> Result<(), Error> {
        // SAFETY: the handle is a live context; libzmq validates option and value.
        cvt(unsafe { ffi::zmq_ctx_set(self.as_ptr(), option, value) }).map(drop)
    }

    /// `zmq_ctx_get`.
    pub fn get(&self, option: c_int) -> Result<c_int, Error> {
        // SAFETY: the handle is a live context.
        cvt(unsafe { ffi::zmq_ctx_get(self.as_ptr(), option) })
    }

    /// `zmq_ctx_shutdown`: blocking calls on this context's sockets fail
    /// with ETERM from now on.
    pub fn shutdown(&self) -> Result<(), Error> {
        // SAFETY: the handle is a live context; shutdown may be called from
        // any thread and more than once.
        cvt(unsafe { ffi::zmq_ctx_shutdown(self.as_ptr()) }).map(drop)
    }

    /// `zmq_ctx_term`. When a signal interrupts it, it is made again if
    /// `retry_on_interrupt`, else the error is `EINTR`. On an error the
    /// context is handed back, still alive.
    pub fn term(self, retry_on_interrupt: bool) -> Result<(), (Self, Error)> {
        loop {
            // SAFETY: the handle is a live context; we own it, so nobody
            // else terminates it. On success it is forgotten, never used
            // again.
            let rc = unsafe { ffi::zmq_ctx_term(self.as_ptr()) };
            if rc == 0 {
                std::mem::forget(self);
                return Ok(());
            }
            let err = last_error();
            if err.errno() != ffi::errno::EINTR || !retry_on_interrupt {
                return Err((self, err));
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
            if rc == 0 || errno() != ffi::errno::EINTR {
                return;
            }
        }
    }
}

/// An owned libzmq socket (`zmq_socket` / `zmq_close`). It does not keep
/// its context alive: the safe layer ties the two with a lifetime.
#[derive(Debug)]
pub struct RawSocket(NonNull<c_void>);

// SAFETY: a libzmq socket may be moved to another thread as long as it is
// used from one thread at a time (zmq_socket(3)); ownership guarantees that.
unsafe impl Send for RawSocket {}

impl RawSocket {
    /// Creates a socket of a `ZMQ_*` type in a context.
    pub fn new(ctx: &RawContext, kind: c_int) -> Result<Self, Error> {
        // SAFETY: the context handle is live; libzmq checks the type.
        let ptr = unsafe { ffi::zmq_socket(ctx.as_ptr(), kind) };
        cvt_p(ptr).map(RawSocket)
    }

    /// Wraps a socket handle.
    ///
    /// # Safety
    /// `ptr` must be a live libzmq socket that nothing else closes or uses
    /// concurrently; the returned value closes it when dropped.
    pub unsafe fn from_ptr(ptr: NonNull<c_void>) -> Self {
        RawSocket(ptr)
    }

    /// Gives the handle up without closing it.
    pub fn into_ptr(self) -> NonNull<c_void> {
        let ptr = self.0;
        std::mem::forget(self);
        ptr
    }

    /// The `void *` handle, for passing to libzmq.
    #[inline(always)]
    pub fn as_ptr(&self) -> *mut c_void {
        self.0.as_ptr()
    }

    /// `zmq_setsockopt` with the bytes of the option's value.
    pub fn setsockopt(&self, option: c_int, value: &[u8]) -> Result<(), Error> {
        // SAFETY: the socket is live and the pointer/length describe a
        // readable buffer; libzmq copies what it needs.
        cvt(unsafe {
            ffi::zmq_setsockopt(self.as_ptr(), option, value.as_ptr().cast(), value.len())
        })
        .map(drop)
    }

    /// `zmq_getsockopt` into a buffer; returns how many bytes were written.
    pub fn getsockopt(&self, option: c_int, buf: &mut [u8]) -> Result<usize, Error> {
        let mut len = buf.len();
        // SAFETY: the socket is live; libzmq writes at most `len` bytes to
        // the buffer and stores the length it wrote.
        cvt(unsafe {
            ffi::zmq_getsockopt(self.as_ptr(), option, buf.as_mut_ptr().cast(), &mut len)
        })?;
        Ok(len)
    }

    /// `zmq_setsockopt` with a C `int`.
    pub fn set_int(&self, option: c_int, value: c_int) -> Result<(), Error> {
        self.setsockopt(option, &value.to_ne_bytes())
    }

    /// `zmq_getsockopt` of a C `int`.
    pub fn get_int(&self, option: c_int) -> Result<c_int, Error> {
        let mut buf = [0u8; std::mem::size_of::<c_int>()];
        self.getsockopt(option, &mut buf)?;
        Ok(c_int::from_ne_bytes(buf))
    }

    /// `zmq_bind` to a NUL-terminated endpoint.
    pub fn bind(&self, endpoint: &CStr) -> Result<(), Error> {
        // SAFETY: the socket is live and `endpoint` is a NUL-terminated
        // string that outlives the call; libzmq copies what it keeps.
        cvt(unsafe { ffi::zmq_bind(self.as_ptr(), endpoint.as_ptr()) }).map(drop)
    }

    /// `zmq_unbind` from a NUL-terminated endpoint.
    pub fn unbind(&self, endpoint: &CStr) -> Result<(), Error> {
        // SAFETY: as for `bind`.
        cvt(unsafe { ffi::zmq_unbind(self.as_ptr(), endpoint.as_ptr()) }).map(drop)
    }

    /// `zmq_close`. On failure the socket is handed back.
    pub fn close(self) -> Result<(), (Self, Error)> {
        // SAFETY: the handle is live and owned; after success it is forgotten.
        let rc = unsafe { ffi::zmq_close(self.as_ptr()) };
        if rc == 0 {
            std::mem::forget(self);
            Ok(())
        } else {
            let err = last_error();
            Err((self, err))
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

/// An initialised `zmq_msg_t`, closed when dropped.
///
/// The struct is never zero-filled: it is left uninitialised until a
/// `zmq_msg_init*` call writes it, as C code does.
#[repr(transparent)]
pub struct RawMessage(ffi::zmq_msg_t);

// SAFETY: a zmq_msg_t owns its content (or shares it through libzmq's
// atomic reference count), so it may move between threads; libzmq does so
// itself when it queues messages.
unsafe impl Send for RawMessage {}
// SAFETY: shared access only reads the message (data, size, flags,
// properties), which libzmq does not change behind a shared reference.
unsafe impl Sync for RawMessage {}

impl RawMessage {
    /// An empty message (`zmq_msg_init`).
    #[inline]
    pub fn new() -> Self {
        let mut msg = MaybeUninit::<ffi::zmq_msg_t>::uninit();
        // SAFETY: zmq_msg_init writes the whole struct and cannot fail
        // (it always returns 0).
        unsafe {
            ffi::zmq_msg_init(msg.as_mut_ptr());
            RawMessage(msg.assume_init())
        }
    }

    /// A message of `size` bytes whose content is not yet written
    /// (`zmq_msg_init_size`).
    #[inline]
    pub fn with_size(size: usize) -> Result<Self, Error> {
        let mut msg = MaybeUninit::<ffi::zmq_msg_t>::uninit();
        // SAFETY: on success zmq_msg_init_size has initialised the struct;
        // on failure (ENOMEM) it is left unused.
        unsafe {
            cvt(ffi::zmq_msg_init_size(msg.as_mut_ptr(), size))?;
            Ok(RawMessage(msg.assume_init()))
        }
    }

    /// A message over a buffer that libzmq will release by calling `ffn`
    /// (`zmq_msg_init_data`).
    ///
    /// # Safety
    /// `data` must stay valid for `size` bytes until `ffn(data, hint)` is
    /// called, and `ffn` must be safe to call from any thread and must not
    /// unwind. If this returns an error, `ffn` has not been called and the
    /// buffer is still the caller's.
    #[inline]
    pub unsafe fn from_raw_parts(
        data: *mut c_void,
        size: usize,
        ffn: ffi::zmq_free_fn,
        hint: *mut c_void,
    ) -> Result<Self, Error> {
        let mut msg = MaybeUninit::<ffi::zmq_msg_t>::uninit();
        cvt(ffi::zmq_msg_init_data(
            msg.as_mut_ptr(),
            data,
            size,
            ffn,
            hint,
        ))?;
        Ok(RawMessage(msg.assume_init()))
    }

    /// The `zmq_msg_t *` for passing to libzmq.
    #[inline(always)]
    pub fn as_mut_ptr(&mut self) -> *mut ffi::zmq_msg_t {
        &mut self.0
    }

    /// The `const zmq_msg_t *` for passing to libzmq.
    #[inline(always)]
    pub fn as_ptr(&self) -> *const ffi::zmq_msg_t {
        &self.0
    }

    /// The content.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: the message is initialised. zmq_msg_data does not change
        // the message (the C signature lacks const only); it returns a
        // pointer valid for zmq_msg_size bytes while the message is alive
        // and unchanged, which the borrow of self guarantees.
        unsafe {
            let size = ffi::zmq_msg_size(self.as_ptr());
            if size == 0 {
                return &[];
            }
            let data = ffi::zmq_msg_data(self.as_ptr().cast_mut());
            std::slice::from_raw_parts(data.cast::<u8>(), size)
        }
    }

    /// The content, writable.
    ///
    /// # Safety
    /// A message may share its buffer with copies made by `zmq_msg_copy`
    /// (possibly living in other threads), or be built over static memory
    /// by `zmq_msg_init_data` without a free function. The caller must know
    /// that neither is the case (`zmq_msg_get(ZMQ_SHARED)` is 0, or the
    /// message was just made by `zmq_msg_init_size`).
    #[inline]
    pub unsafe fn as_bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in as_bytes, with exclusive access through &mut self;
        // the caller guarantees nobody else can see the bytes.
        unsafe {
            let size = ffi::zmq_msg_size(self.as_ptr());
            if size == 0 {
                return &mut [];
            }
            let data = ffi::zmq_msg_data(self.as_mut_ptr());
            std::slice::from_raw_parts_mut(data.cast::<u8>(), size)
        }
    }

    /// `zmq_msg_more`: whether more parts follow this one.
    #[inline]
    pub fn more(&self) -> bool {
        // SAFETY: the message is initialised.
        unsafe { ffi::zmq_msg_more(self.as_ptr()) != 0 }
    }
}

impl Default for RawMessage {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for RawMessage {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the message is initialised and owned; zmq_msg_close
        // releases its content (running the free function if it was the
        // last reference) and only fails for an uninitialised message.
        unsafe { ffi::zmq_msg_close(self.as_mut_ptr()) };
    }
}

impl std::fmt::Debug for RawMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawMessage")
            .field("len", &self.as_bytes().len())
            .finish()
    }
}

/// How the linked libzmq was found when this crate was built:
/// `"vendored"` (built from source, statically linked), `"system"` (found by
/// pkg-config or vcpkg) or `"explicit"` (named by `ZMQ4_PREFIX` /
/// `ZMQ4_LIB_DIR`).
#[cfg(zmq4_libzmq = "vendored")]
pub const LIBZMQ_SOURCE: &str = "vendored";
/// How the linked libzmq was found when this crate was built:
/// `"vendored"` (built from source, statically linked), `"system"` (found by
/// pkg-config or vcpkg) or `"explicit"` (named by `ZMQ4_PREFIX` /
/// `ZMQ4_LIB_DIR`).
#[cfg(zmq4_libzmq = "system")]
pub const LIBZMQ_SOURCE: &str = "system";
/// How the linked libzmq was found when this crate was built:
/// `"vendored"` (built from source, statically linked), `"system"` (found by
/// pkg-config or vcpkg) or `"explicit"` (named by `ZMQ4_PREFIX` /
/// `ZMQ4_LIB_DIR`).
#[cfg(zmq4_libzmq = "explicit")]
pub const LIBZMQ_SOURCE: &str = "explicit";
