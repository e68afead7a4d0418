//! Safe, complete and fast bindings to libzmq, the ZeroMQ C library.
#![deny(missing_docs)]

mod context;
mod error;
mod flags;
mod key;
mod message;
mod monitor;
mod socket;
pub mod sys;

pub use context::Context;
pub use error::{Error, ErrorKind, Result};
pub use flags::{RecvFlags, SendFlags};
pub use key::CurveKey;
pub use message::Message;
pub use monitor::{EventKind, Monitor, MonitorEvent, MonitorEvents, ProtocolError};
pub use socket::{
    GssapiNameType, Mechanism, MultipartSendError, PollEvents, Received, SendError, Socket,
    SocketType,
};
#[cfg(feature = "draft")]
pub use socket::{NormMode, ReconnectStop, RouterNotify};

/// The version of the linked libzmq, as (major, minor, patch).
#[doc(alias = "zmq_version")]
pub fn version() -> (i32, i32, i32) {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: zmq_version writes three ints through valid pointers.
    unsafe { sys::ffi::zmq_version(&mut major, &mut minor, &mut patch) };
    (major, minor, patch)
}
