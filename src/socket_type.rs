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
    ///
    /// Two ways a PUB loses messages without an error: a subscriber that
    /// connects (or whose subscription arrives) after a send misses it
    /// (the "slow joiner"), and a subscriber that reads slower than the
    /// publisher sends loses what does not fit its queue once
    /// [`sndhwm`](crate::Socket::set_sndhwm) messages (default 1000) wait
    /// for it. A last "END" message is the usual victim of both: wait for
    /// subscribers before sending (or use XPUB and watch the
    /// subscriptions), and use XPUB with
    /// [`set_xpub_nodrop`](crate::Socket::set_xpub_nodrop) to make a full
    /// queue block (or fail a `DONTWAIT` send) instead of dropping.
    Pub,
    /// `ZMQ_SUB`: subscriber, filters by topic prefix.
    ///
    /// A SUB receives nothing until it subscribes
    /// ([`set_subscribe`](crate::Socket::set_subscribe); `""` for everything).
    /// It starts with a `LINGER` of zero: its queue holds only its
    /// subscriptions, which nobody needs once it is closed (see
    /// [`DEFAULT_LINGER`](crate::DEFAULT_LINGER)).
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
    ///
    /// Every subscription and unsubscription of its peers arrives at the
    /// XPUB as a message of one frame: byte `1` then the topic for a
    /// subscription, byte `0` then the topic for an unsubscription
    /// (only the first of several identical subscriptions is passed on,
    /// unless [`set_xpub_verbose`](crate::Socket::set_xpub_verbose)). An
    /// XSUB sends subscriptions as such frames itself.
    ///
    /// ```
    /// use std::time::Duration;
    /// use zmq4::{Context, RecvFlags, SocketType};
    ///
    /// let ctx = Context::new()?;
    /// let xpub = ctx.socket(SocketType::XPub)?;
    /// xpub.bind("inproc://doc-xpub-frames")?;
    /// let sub = ctx.socket(SocketType::Sub)?;
    /// sub.connect("inproc://doc-xpub-frames")?;
    /// sub.set_subscribe("weather")?;
    ///
    /// xpub.set_rcvtimeo(Some(Duration::from_secs(5)))?;
    /// let frame = xpub.recv_bytes(RecvFlags::empty())?;
    /// assert_eq!(frame, b"\x01weather");
    ///
    /// sub.set_unsubscribe("weather")?;
    /// assert_eq!(xpub.recv_bytes(RecvFlags::empty())?, b"\x00weather");
    /// # Ok::<(), zmq4::Error>(())
    /// ```
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
    /// Whether the socket sends nothing of the program's: only
    /// subscriptions (SUB) or group joins (DISH), which libzmq queues for
    /// its peers like messages.
    pub(crate) const fn only_subscribes(self) -> bool {
        match self {
            SocketType::Sub => true,
            #[cfg(feature = "draft")]
            SocketType::Dish => true,
            _ => false,
        }
    }
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
