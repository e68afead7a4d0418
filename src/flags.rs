//! Typed flag sets for sending and receiving.

use bitflags::bitflags;

use crate::sys::ffi;

bitflags! {
    /// Flags for a send. `SendFlags::empty()` (also `Default`) blocks until
    /// the message is queued and ends a multipart message.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct SendFlags: i32 {
        /// `ZMQ_DONTWAIT`: fail with [`ErrorKind::WouldBlock`](crate::ErrorKind::WouldBlock)
        /// instead of blocking.
        const DONTWAIT = ffi::ZMQ_DONTWAIT;
        /// `ZMQ_SNDMORE`: more parts of the same multipart message follow.
        const SNDMORE = ffi::ZMQ_SNDMORE;
    }
}

bitflags! {
    /// Flags for a receive. `RecvFlags::empty()` (also `Default`) blocks
    /// until a message arrives.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct RecvFlags: i32 {
        /// `ZMQ_DONTWAIT`: fail with [`ErrorKind::WouldBlock`](crate::ErrorKind::WouldBlock)
        /// instead of blocking.
        const DONTWAIT = ffi::ZMQ_DONTWAIT;
    }
}
