//! The socket types of libzmq 4.3.

use std::fmt;
use std::os::raw::c_int;

use crate::sys::ffi;

/// The type of a socket, which decides its messaging pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SocketType {
    /// `ZMQ_PAIR`: exclusive pair, one peer.
    Pair,
    /// `ZMQ_PUB`: publisher, fans out to subscribers.
    Pub,
    /// `ZMQ_SUB`: subscriber, filters by topic prefix.
    Sub,
    /// `ZMQ_REQ`: requester, strictly send then receive.
    Req,
    /// `ZMQ_REP`: replier, strictly receive then send.
    Rep,
    /// `ZMQ_DEALER`: asynchronous requester, round-robin.
    Dealer,
    /// `ZMQ_ROUTER`: asynchronous replier, addresses peers by routing id.
    Router,
    /// `ZMQ_PULL`: receives from pushers, fair-queued.
    Pull,
    /// `ZMQ_PUSH`: sends to pullers, round-robin.
    Push,
    /// `ZMQ_XPUB`: publisher that sees subscriptions.
    XPub,
    /// `ZMQ_XSUB`: subscriber that sends subscriptions as messages.
    XSub,
    /// `ZMQ_STREAM`: raw TCP peers.
    Stream,
    /// `ZMQ_SERVER` (DRAFT): thread-safe ROUTER-like.
    #[cfg(feature = "draft")]
    Server,
    /// `ZMQ_CLIENT` (DRAFT): thread-safe DEALER-like.
    #[cfg(feature = "draft")]
    Client,
    /// `ZMQ_RADIO` (DRAFT): group publisher.
    #[cfg(feature = "draft")]
    Radio,
    /// `ZMQ_DISH` (DRAFT): group subscriber.
    #[cfg(feature = "draft")]
    Dish,
    /// `ZMQ_GATHER` (DRAFT): thread-safe PULL-like.
    #[cfg(feature = "draft")]
    Gather,
    /// `ZMQ_SCATTER` (DRAFT): thread-safe PUSH-like.
    #[cfg(feature = "draft")]
    Scatter,
    /// `ZMQ_DGRAM` (DRAFT): UDP datagrams.
    #[cfg(feature = "draft")]
    Dgram,
    /// `ZMQ_PEER` (DRAFT): thread-safe peer-to-peer.
    #[cfg(feature = "draft")]
    Peer,
    /// `ZMQ_CHANNEL` (DRAFT): thread-safe PAIR-like.
    #[cfg(feature = "draft")]
    Channel,
}

impl SocketType {
    /// Every socket type this build knows.
    pub const ALL: &'static [SocketType] = &[
        SocketType::Pair,
        SocketType::Pub,
        SocketType::Sub,
        SocketType::Req,
        SocketType::Rep,
        SocketType::Dealer,
        SocketType::Router,
        SocketType::Pull,
        SocketType::Push,
        SocketType::XPub,
        SocketType::XSub,
        SocketType::Stream,
        #[cfg(feature = "draft")]
        SocketType::Server,
        #[cfg(feature = "draft")]
        SocketType::Client,
        #[cfg(feature = "draft")]
        SocketType::Radio,
        #[cfg(feature = "draft")]
        SocketType::Dish,
        #[cfg(feature = "draft")]
        SocketType::Gather,
        #[cfg(feature = "draft")]
        SocketType::Scatter,
        #[cfg(feature = "draft")]
        SocketType::Dgram,
        #[cfg(feature = "draft")]
        SocketType::Peer,
        #[cfg(feature = "draft")]
        SocketType::Channel,
    ];

    /// The `ZMQ_*` constant.
    pub const fn as_raw(self) -> c_int {
        match self {
            SocketType::Pair => ffi::ZMQ_PAIR,
            SocketType::Pub => ffi::ZMQ_PUB,
            SocketType::Sub => ffi::ZMQ_SUB,
            SocketType::Req => ffi::ZMQ_REQ,
            SocketType::Rep => ffi::ZMQ_REP,
            SocketType::Dealer => ffi::ZMQ_DEALER,
            SocketType::Router => ffi::ZMQ_ROUTER,
            SocketType::Pull => ffi::ZMQ_PULL,
            SocketType::Push => ffi::ZMQ_PUSH,
            SocketType::XPub => ffi::ZMQ_XPUB,
            SocketType::XSub => ffi::ZMQ_XSUB,
            SocketType::Stream => ffi::ZMQ_STREAM,
            #[cfg(feature = "draft")]
            SocketType::Server => ffi::ZMQ_SERVER,
            #[cfg(feature = "draft")]
            SocketType::Client => ffi::ZMQ_CLIENT,
            #[cfg(feature = "draft")]
            SocketType::Radio => ffi::ZMQ_RADIO,
            #[cfg(feature = "draft")]
            SocketType::Dish => ffi::ZMQ_DISH,
            #[cfg(feature = "draft")]
            SocketType::Gather => ffi::ZMQ_GATHER,
            #[cfg(feature = "draft")]
            SocketType::Scatter => ffi::ZMQ_SCATTER,
            #[cfg(feature = "draft")]
            SocketType::Dgram => ffi::ZMQ_DGRAM,
            #[cfg(feature = "draft")]
            SocketType::Peer => ffi::ZMQ_PEER,
            #[cfg(feature = "draft")]
            SocketType::Channel => ffi::ZMQ_CHANNEL,
        }
    }

    /// The type for a `ZMQ_*` constant, if this build knows it.
    pub fn from_raw(raw: c_int) -> Option<SocketType> {
        SocketType::ALL.iter().copied().find(|t| t.as_raw() == raw)
    }

    /// The name ZMTP uses for the type (`"REQ"`, `"ROUTER"`...), as in the
    /// `Socket-Type` metadata property.
    pub const fn name(self) -> &'static str {
        match self {
            SocketType::Pair => "PAIR",
            SocketType::Pub => "PUB",
            SocketType::Sub => "SUB",
            SocketType::Req => "REQ",
            SocketType::Rep => "REP",
            SocketType::Dealer => "DEALER",
            SocketType::Router => "ROUTER",
            SocketType::Pull => "PULL",
            SocketType::Push => "PUSH",
            SocketType::XPub => "XPUB",
            SocketType::XSub => "XSUB",
            SocketType::Stream => "STREAM",
            #[cfg(feature = "draft")]
            SocketType::Server => "SERVER",
            #[cfg(feature = "draft")]
            SocketType::Client => "CLIENT",
            #[cfg(feature = "draft")]
            SocketType::Radio => "RADIO",
            #[cfg(feature = "draft")]
            SocketType::Dish => "DISH",
            #[cfg(feature = "draft")]
            SocketType::Gather => "GATHER",
            #[cfg(feature = "draft")]
            SocketType::Scatter => "SCATTER",
            #[cfg(feature = "draft")]
            SocketType::Dgram => "DGRAM",
            #[cfg(feature = "draft")]
            SocketType::Peer => "PEER",
            #[cfg(feature = "draft")]
            SocketType::Channel => "CHANNEL",
        }
    }
}

impl fmt::Display for SocketType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
