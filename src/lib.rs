//! Safe, complete and fast bindings to libzmq, the ZeroMQ C library.
//!
//! Every message goes through the real libzmq (4.3), so a program built on
//! this crate speaks ZMTP exactly as every other libzmq program does, in
//! C, C++, Python, Go or Java: the same socket types, the same options, the
//! same behaviour, without a re-implementation of the protocol.
//!
//! # A first exchange
//!
//! A REP socket answers the requests of a REQ socket; both live in one
//! [`Context`] and meet over `inproc://`:
//!
//! ```
//! use zmq4::{Context, RecvFlags, SendFlags, SocketType};
//!
//! let ctx = Context::new()?;
//!
//! let server = ctx.socket(SocketType::Rep)?;
//! server.bind("inproc://hello")?;
//!
//! let client = ctx.socket(SocketType::Req)?;
//! client.connect("inproc://hello")?;
//!
//! client.send("Hello", SendFlags::empty())?;
//! assert_eq!(server.recv_string(RecvFlags::empty())?, "Hello");
//! server.send("World", SendFlags::empty())?;
//! assert_eq!(client.recv_string(RecvFlags::empty())?, "World");
//! # Ok::<(), zmq4::Error>(())
//! ```
//!
//! # The pieces
//!
//! - [`Context`] owns libzmq's I/O threads and the `inproc://` namespace.
//!   It is `Send + Sync`: share one between threads by reference (for
//!   example with [`std::thread::scope`]), or use [`Context::global`].
//!   [`Context::builder`] sets the context options.
//! - [`Socket`] borrows its context, so the compiler rules out using a
//!   socket after its context is gone. A socket may move to another thread
//!   but not be shared by two, as libzmq requires.
//! - [`Message`] is a libzmq message: it derefs to `[u8]` and can be built
//!   from owned buffers without copying.
//! - [`Error`] carries libzmq's errno and text, and an [`ErrorKind`] to
//!   branch on; it converts into [`std::io::Error`].
//! - [`poll`] and [`Poller`] wait on several sockets (and plain file
//!   descriptors); [`proxy`], [`SteerableProxy`] and [`ThreadedProxy`]
//!   forward between sockets; [`Socket::monitor`] reports connection
//!   events.
//! - [`auth`] secures sockets: PLAIN and CURVE set up in one call, a ZAP
//!   authenticator with per-domain policies, CURVE keys ([`CurveKeyPair`])
//!   and certificate files; [`z85`] is libzmq's text encoding.
//! - With the `tokio` feature (Unix), `zmq4::tokio::AsyncSocket` makes
//!   sends and receives `async`, and a socket a `Stream` and a `Sink`.
//! - With the `channeler` feature, `zmq4::Channeler` puts a socket on a
//!   thread of its own, shared by any number of threads and tasks through
//!   queues of multipart messages (blocking and async, any runtime), as
//!   goczmq's `Channeler` does.
//! - With the `signal` feature, `zmq4::signal::shutdown_on_signal` shuts a
//!   context down on Ctrl-C or SIGTERM, so that a program blocked in a
//!   receive, a poll or a proxy ends cleanly.
//! - [`version`], [`has`] and [`capabilities`] describe the linked libzmq;
//!   [`sys`] is the raw C API for what the safe layer does not cover.
//!
//! # Blocking calls and signals
//!
//! Blocking calls fail with [`ErrorKind::Interrupted`] when a signal
//! interrupts them, unless the context was built with
//! [`ContextBuilder::retry_on_interrupt`]; [`Context::shutdown`] makes
//! them fail with [`ErrorKind::Terminated`] from another thread, which is
//! what the `signal` feature does on Ctrl-C.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
// Only the raw layer (`raw`, and the declarations in `sys`) calls libzmq;
// the few public `unsafe fn`s of the safe layer allow it one by one, each
// with its reason.
#![deny(unsafe_code)]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

// The README's Rust examples run as doctests, so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod auth;
mod capability;
#[cfg(feature = "channeler")]
pub mod channeler;
mod context;
mod endpoint;
mod error;
mod flags;
// The guides link each other by file name, which works on the
// repository; rustdoc takes the first definition of a link label, so
// these, placed before each guide's text, point the same labels at the
// modules of `guide`.
macro_rules! links {
    () => {
        // Placed first: a definition cannot interrupt a paragraph.
        "[traps]: crate::guide::traps\n\
         [traps-eintr]: crate::guide::traps#eintr-and-signals\n\
         [pebbe-zmq4]: crate::guide::pebbe_zmq4\n\
         [pebbe-zmq4-seeds]: crate::guide::pebbe_zmq4_seeds\n\
         [goczmq]: crate::guide::goczmq\n\
         [pyzmq]: crate::guide::pyzmq\n\
         [rust-zmq]: crate::guide::rust_zmq\n\
         [securing]: crate::auth\n"
    };
}
pub mod guide;
mod key;
mod message;
mod monitor;
mod poll;
mod proxy;
#[allow(unsafe_code)]
mod raw;
#[cfg(feature = "signal")]
pub mod signal;
mod socket;
mod socket_type;
#[allow(unsafe_code)]
pub mod sys;
mod time;
#[cfg(feature = "tokio")]
pub mod tokio;
pub mod z85;

pub use capability::{capabilities, has, version, Capability, LIBZMQ_SOURCE};
#[cfg(feature = "channeler")]
pub use channeler::Channeler;
pub use context::{Context, ContextBuilder, DEFAULT_LINGER};
pub use error::{Error, ErrorKind, Result};
pub use flags::{RecvFlags, SendFlags};
pub use key::{CurveKey, CurveKeyPair, CurveSecretKey};
pub use message::Message;
pub use monitor::{EventKind, Monitor, MonitorEvent, MonitorEvents, ProtocolError};
pub use poll::{poll, PollItem, Poller, RawFd, Ready};
pub use proxy::{
    proxy, ProxyControl, ProxyStatistics, SocketStatistics, SteerableProxy, ThreadedProxy,
};
pub use socket::{
    Attach, GssapiNameType, Mechanism, MultipartSendError, PollEvents, Received, SendError,
    Sendable, Socket, SocketType, MAX_SUBSCRIPTION_LEN,
};
#[cfg(feature = "draft")]
pub use socket::{NormMode, ReconnectStop, RouterNotify, SharedSocket};
