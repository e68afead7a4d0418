//! Safe, complete and fast bindings to libzmq, the ZeroMQ C library.
#![deny(missing_docs)]

mod capability;
mod context;
mod error;
mod flags;
mod message;
mod socket;
pub mod sys;

pub use capability::{capabilities, has, version, Capability};
pub use context::{Context, ContextBuilder};
pub use error::{Error, ErrorKind, Result};
pub use flags::{RecvFlags, SendFlags};
pub use message::Message;
pub use socket::{Socket, SocketType};
