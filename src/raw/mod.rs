//! The owning handles over libzmq: the only code of the crate that calls
//! it, and the only code with `unsafe` blocks.
//!
//! Each handle owns one libzmq object and frees it when dropped:
//! [`RawContext`], [`RawSocket`], [`RawMessage`], and with the DRAFT API a
//! [`RawPoller`](poll::RawPoller) that borrows the sockets it holds. Their
//! safe methods are sound for any caller: a method that could break
//! memory safety with some argument either checks it or is `unsafe` with
//! its contract written down. The safe layer above adds typing, errors
//! and the ties between objects (a socket and its context) that C leaves
//! to discipline.
//!
//! The free functions wrap the calls that need no handle (version,
//! capabilities, CURVE keys, proxies) and the few operating-system calls
//! the crate makes.

#[cfg(all(feature = "tokio", unix))]
pub(crate) mod async_fd;
mod context;
mod message;
pub(crate) mod os;
mod poll;
mod socket;

use std::ffi::CStr;
use std::os::raw::c_int;

pub(crate) use context::RawContext;
pub(crate) use message::{Placed, RawMessage};
pub(crate) use poll::poll;
pub use poll::PollItem;
#[cfg(feature = "draft")]
pub(crate) use poll::RawPoller;
#[cfg(feature = "draft")]
pub(crate) use socket::ThreadSafe;
pub(crate) use socket::{hwm_live_pipes, OwnsRawSocket, RawSocket};

use crate::sys::{cvt, ffi, Errno};

/// The version of the linked libzmq (`zmq_version`).
pub(crate) fn version() -> (c_int, c_int, c_int) {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: zmq_version writes three ints through valid pointers.
    unsafe { ffi::zmq_version(&mut major, &mut minor, &mut patch) };
    (major, minor, patch)
}

/// `zmq_has`: whether the linked libzmq has a capability.
pub(crate) fn has(name: &CStr) -> bool {
    // SAFETY: `name` is a NUL-terminated string that outlives the call;
    // zmq_has only compares it with its own names.
    unsafe { ffi::zmq_has(name.as_ptr()) != 0 }
}

/// The length of a CURVE key in Z85 text, plus its NUL.
pub(crate) const Z85_KEY_BUF: usize = 41;

/// `zmq_curve_keypair`: a new key pair as Z85 text, each NUL-terminated
/// (`ENOTSUP` without CURVE). The secret's buffer is the caller's to zero.
pub(crate) fn curve_keypair(
    public: &mut [u8; Z85_KEY_BUF],
    secret: &mut [u8; Z85_KEY_BUF],
) -> Result<(), Errno> {
    // SAFETY: zmq_curve_keypair writes 40 characters and a NUL into each
    // buffer, and both hold 41 bytes.
    cvt(unsafe { ffi::zmq_curve_keypair(public.as_mut_ptr().cast(), secret.as_mut_ptr().cast()) })
        .map(drop)
}

/// `zmq_curve_public`: the public key of a secret key, both as Z85 text
/// (`ENOTSUP` without CURVE).
pub(crate) fn curve_public(public: &mut [u8; Z85_KEY_BUF], secret: &CStr) -> Result<(), Errno> {
    if secret.to_bytes().len() != Z85_KEY_BUF - 1 {
        return Err(Errno(ffi::errno::EINVAL));
    }
    // SAFETY: zmq_curve_public reads the 40 characters and NUL of `secret`
    // (checked above) and writes 40 characters and a NUL into `public`,
    // which holds 41 bytes.
    cvt(unsafe { ffi::zmq_curve_public(public.as_mut_ptr().cast(), secret.as_ptr()) }).map(drop)
}

/// `zmq_proxy`: forwards between `frontend` and `backend` (copying to
/// `capture`) until the context ends. Returns libzmq's code.
pub(crate) fn proxy(
    frontend: &RawSocket,
    backend: &RawSocket,
    capture: Option<&RawSocket>,
) -> c_int {
    let capture = capture.map_or(std::ptr::null_mut(), RawSocket::as_ptr);
    // SAFETY: the handles are live sockets borrowed for the whole call, or
    // NULL for the optional capture, as zmq_proxy accepts; no other thread
    // uses them meanwhile (RawSocket is not Sync).
    unsafe { ffi::zmq_proxy(frontend.as_ptr(), backend.as_ptr(), capture) }
}

/// Overwrites `bytes` with zeros in a way the compiler may not remove.
pub(crate) fn zero(bytes: &mut [u8]) {
    for byte in bytes.iter_mut() {
        // SAFETY: `byte` is a valid, aligned, exclusive reference.
        unsafe { std::ptr::write_volatile(byte, 0) };
    }
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}
