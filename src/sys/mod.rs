//! libzmq's C API as it is declared in `zmq.h` ([`ffi`]), including the
//! errno values it reports ([`ffi::errno`]).
//!
//! This module is the bottom of the crate: it knows nothing of the safe
//! types above it. Every declaration is public, for programs that need a
//! part of libzmq the safe layer does not cover; calling them is `unsafe`
//! and their contracts are libzmq's (`zmq.h` and its manual pages).

pub mod ffi;

use std::ffi::CStr;
use std::fmt;
use std::os::raw::c_int;

/// An errno value as libzmq reports it: the C runtime's values, and
/// libzmq's own (`ETERM`, `EFSM`, ...), as listed in [`ffi::errno`].
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Errno(pub c_int);

impl Errno {
    /// The errno of the last libzmq call that failed on this thread
    /// (`zmq_errno`).
    #[inline]
    pub fn last() -> Errno {
        // SAFETY: zmq_errno takes no arguments and only reads the calling
        // thread's errno.
        Errno(unsafe { ffi::zmq_errno() })
    }

    /// The number.
    #[inline]
    pub fn raw(self) -> c_int {
        self.0
    }

    /// libzmq's text for it (`zmq_strerror`), copied.
    ///
    /// For an errno the C library does not know, `strerror` formats its
    /// text into a per-thread buffer that its next such call reuses, so the
    /// text is copied out before anything else can run on this thread.
    pub fn message(self) -> String {
        // SAFETY: zmq_strerror accepts any value and returns a non-null,
        // NUL-terminated string that stays valid at least until the next
        // strerror call on this thread; it is copied at once, before any
        // other call is made.
        let text = unsafe { CStr::from_ptr(ffi::zmq_strerror(self.0)) };
        text.to_string_lossy().into_owned()
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Errno({}: {})", self.0, self.message())
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// Turns a libzmq return code into a `Result`: -1 becomes the errno, read
/// at once; any other value is returned as it is.
#[inline(always)]
pub(crate) fn cvt(rc: c_int) -> Result<c_int, Errno> {
    if rc == -1 {
        Err(Errno::last())
    } else {
        Ok(rc)
    }
}
