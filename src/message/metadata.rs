//! The properties a received message carries (`zmq_msg_gets`), and, with
//! the DRAFT API, the routing id and group of thread-safe and RADIO/DISH
//! sockets.
//!
//! `zmq_msg_get(ZMQ_SRCFD)` is not offered: libzmq deprecates it (a file
//! descriptor number says nothing reliable once the connection may have
//! been closed and the number reused); `Peer-Address` identifies the peer.

use std::ffi::{CStr, CString};

use super::Message;
use crate::socket_type::SocketType;
#[cfg(feature = "draft")]
use crate::{
    error::{Error, ErrorKind, Result},
    sys::ffi,
};

impl Message {
    /// A metadata property of a received message, as bytes: those libzmq
    /// sets (`"Peer-Address"`, `"User-Id"`), those the peer announced in
    /// its handshake (`"Socket-Type"`, `"Identity"`, and any set with
    /// `ZMQ_METADATA` as `"X-..."`), and those a ZAP handler returned.
    ///
    /// `None` when the message has no such property (messages built
    /// locally have none) or the name contains a NUL byte. The value lives
    /// as long as the message.
    ///
    /// ```
    /// use zmq4::Message;
    ///
    /// let msg = Message::from("built here");
    /// assert_eq!(msg.property("Peer-Address"), None);
    /// ```
    #[doc(alias = "zmq_msg_gets")]
    pub fn property(&self, name: &str) -> Option<&[u8]> {
        // Names are short; spare an allocation for the C string.
        let mut buf = [0u8; 64];
        if name.len() < buf.len() {
            buf[..name.len()].copy_from_slice(name.as_bytes());
            let name = CStr::from_bytes_with_nul(&buf[..=name.len()]).ok()?;
            self.property_c(name)
        } else {
            let name = CString::new(name).ok()?;
            self.property_c(&name)
        }
    }

    #[inline]
    fn property_c(&self, name: &CStr) -> Option<&[u8]> {
        self.raw.gets(name).map(CStr::to_bytes)
    }

    /// The IP address of the peer the message came from (`"Peer-Address"`,
    /// set for TCP connections), as text: `"127.0.0.1"`, `"::1"`...
    #[doc(alias = "zmq_msg_gets")]
    pub fn peer_address(&self) -> Option<&str> {
        self.property_c(c"Peer-Address")
            .and_then(|v| std::str::from_utf8(v).ok())
    }

    /// The user id a ZAP handler gave the connection (`"User-Id"`), when
    /// security is on. `None` too if it is not UTF-8;
    /// [`property("User-Id")`](Message::property) has the bytes.
    ///
    /// Only a ZAP handler's answer (an
    /// [`Authenticator`](crate::auth::Authenticator)) makes it
    /// trustworthy: without one, it is whatever the peer claimed in its
    /// handshake metadata.
    #[doc(alias = "zmq_msg_gets")]
    pub fn user_id(&self) -> Option<&str> {
        self.property_c(c"User-Id")
            .and_then(|v| std::str::from_utf8(v).ok())
    }

    /// The type of the socket that sent the message (`"Socket-Type"`, from
    /// the ZMTP handshake). `None` for a name this build does not know
    /// (the DRAFT types without feature `draft`).
    #[doc(alias = "zmq_msg_gets")]
    pub fn socket_type(&self) -> Option<SocketType> {
        let name = self.property_c(c"Socket-Type")?;
        SocketType::ALL
            .iter()
            .copied()
            .find(|t| t.name().as_bytes() == name)
    }

    /// The routing id the sending socket announced in its handshake: REQ,
    /// DEALER and ROUTER sockets send it (empty when none was set) under
    /// the ZMTP property name `"Identity"`, which libzmq's own name
    /// `"Routing-Id"` (`ZMQ_MSG_PROPERTY_ROUTING_ID`) does not find; this
    /// asks for `"Identity"`, which libzmq answers from `"Routing-Id"` when
    /// a peer sent that instead. Not to be confused with the DRAFT
    /// `routing_id()` of a message.
    #[doc(alias = "zmq_msg_gets")]
    pub fn routing_id_property(&self) -> Option<&[u8]> {
        self.property_c(c"Identity")
    }
}

/// Gives `dst`, a freshly built message, the routing id and (if
/// `keep_group`) the group of `src`.
#[cfg(feature = "draft")]
pub(super) fn copy_draft_fields(src: &Message, dst: &mut Message, keep_group: bool) {
    let id = src.raw.routing_id();
    if id != 0 {
        // A fresh message takes any non-zero routing id.
        let _ = dst.raw.set_routing_id(id);
    }
    if keep_group {
        if let Some(group) = src.raw.group().filter(|g| !g.is_empty()) {
            // A fresh message has no group yet, and `group` came from a
            // message, so it is within libzmq's length limit.
            let _ = dst.raw.set_group(group);
        }
    }
}

#[cfg(feature = "draft")]
impl Message {
    /// The routing id of a message received on a SERVER or PEER socket
    /// (DRAFT): the peer it came from. `None` when not set.
    #[doc(alias = "zmq_msg_routing_id")]
    pub fn routing_id(&self) -> Option<u32> {
        let id = self.raw.routing_id();
        (id != 0).then_some(id)
    }

    /// Sets the routing id, to address a peer when sending on a SERVER or
    /// PEER socket (DRAFT). 0 is not a valid routing id.
    #[doc(alias = "zmq_msg_set_routing_id")]
    pub fn set_routing_id(&mut self, routing_id: u32) -> Result<()> {
        if routing_id == 0 {
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                "routing id 0 is reserved for \"no routing id\"",
            ));
        }
        Ok(self.raw.set_routing_id(routing_id)?)
    }

    /// The group of a message for a RADIO or received on a DISH socket
    /// (DRAFT). `None` when not set.
    #[doc(alias = "zmq_msg_group")]
    pub fn group(&self) -> Option<&[u8]> {
        let group = self.raw.group()?.to_bytes();
        (!group.is_empty()).then_some(group)
    }

    /// Sets the group, to publish on a RADIO socket (DRAFT). At most 255
    /// bytes (`ZMQ_GROUP_MAX_LENGTH`), no NUL; `""` removes the group.
    ///
    /// libzmq cannot replace a group longer than 14 bytes in place; such
    /// a message is first replaced by a copy of its bytes and routing id
    /// (like a write to shared content, the copy does not keep the `more`
    /// flag or the properties).
    #[doc(alias = "zmq_msg_set_group")]
    pub fn set_group(&mut self, group: &str) -> Result<()> {
        const MAX: usize = ffi::ZMQ_GROUP_MAX_LENGTH as usize;
        if group.len() > MAX {
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                format!("group is {} bytes long, at most {MAX} allowed", group.len()),
            ));
        }
        if group.as_bytes().contains(&0) {
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                "group contains a NUL byte",
            ));
        }
        let mut buf = [0u8; MAX + 1];
        buf[..group.len()].copy_from_slice(group.as_bytes());
        let group = CStr::from_bytes_until_nul(&buf)
            .map_err(|_| Error::invalid(ErrorKind::InvalidArgument, "group is not a C string"))?;
        if self.raw.has_long_group() {
            // libzmq's set_group overwrites a long group's block pointer
            // (leaking the block, or for a short new group corrupting the
            // pointer while the type still says "long"). A fresh message
            // has no group.
            *self = self.private_copy(false);
        }
        Ok(self.raw.set_group(group)?)
    }
}
