//! Inputs that libzmq 4.3 would abort the process on, refused before it
//! sees them. Each check names the rule it enforces; docs/libzmq-asserts.md
//! lists every libzmq assert, the ones reachable from this crate, and
//! which check here (or which documented limit) answers each.

use std::os::raw::c_int;

use crate::error::{Error, ErrorKind, Result};
use crate::socket::{Socket, SocketType};
use crate::sys::ffi;

/// The longest subscription prefix zmq4 hands to libzmq, in bytes.
///
/// libzmq keeps a SUB's (and an XSUB's) subscriptions in a trie whose
/// add, remove, walk and free recurse once per byte of a prefix, on the
/// thread that subscribes, on the thread that connects, and on libzmq's
/// reaper thread when the socket closes. A prefix deep enough overflows
/// that thread's stack and kills the process. Measured with a 2 MiB
/// thread stack (Rust's default for spawned threads): an unoptimised
/// libzmq 4.3.5 dies unsubscribing a prefix of about 16 KiB, and
/// subscribing one of about 21 KiB; 8 MiB stacks move that to 64 KiB
/// and 87 KiB. 4096 bytes leaves a margin of four on a 2 MiB stack.
///
/// [`Socket::set_subscribe`], [`Socket::set_unsubscribe`] and a send on
/// an XSUB of a (un)subscription message refuse longer prefixes with
/// [`ErrorKind::InvalidArgument`]. A subscription that a remote peer sends
/// to an XPUB or PUB lands in libzmq's multi-trie, which does not recurse;
/// but a proxy that forwards it to an XSUB (such as [`crate::proxy`])
/// puts it in the recursive trie, out of zmq4's reach: bound what peers
/// may send with [`Socket::set_maxmsgsize`] on the frontend.
pub const MAX_SUBSCRIPTION_LEN: usize = 4096;

/// SOCKS5 carries the host name of a connect in a one-byte length field.
const MAX_SOCKS_HOST_LEN: usize = 255;

/// Refuses a subscription prefix longer than [`MAX_SUBSCRIPTION_LEN`].
pub(crate) fn check_subscription(len: usize, what: &str) -> Result<()> {
    if len > MAX_SUBSCRIPTION_LEN {
        return Err(Error::invalid(
            ErrorKind::InvalidArgument,
            format!(
                "{what}: a subscription prefix of {len} bytes is longer than \
                 {MAX_SUBSCRIPTION_LEN} bytes (MAX_SUBSCRIPTION_LEN: libzmq's \
                 subscription trie recurses once per byte and would overflow \
                 the stack)"
            ),
        ));
    }
    Ok(())
}

/// The checks on a byte-string socket option before it is set.
#[inline]
pub(crate) fn check_bytes_option(option: c_int, value: &[u8]) -> Result<()> {
    match option {
        ffi::ZMQ_SUBSCRIBE => check_subscription(value.len(), "subscribe"),
        ffi::ZMQ_UNSUBSCRIBE => check_subscription(value.len(), "unsubscribe"),
        ffi::ZMQ_ROUTING_ID => check_routing_id(value.len(), "ZMQ_ROUTING_ID"),
        ffi::ZMQ_CONNECT_ROUTING_ID => check_routing_id(value.len(), "ZMQ_CONNECT_ROUTING_ID"),
        _ => Ok(()),
    }
}

/// A routing id is 1 to 255 bytes (libzmq stores its length in a byte).
fn check_routing_id(len: usize, name: &str) -> Result<()> {
    if (1..=255).contains(&len) {
        return Ok(());
    }
    Err(Error::invalid(
        ErrorKind::InvalidArgument,
        format!("{name}: a routing id is 1 to 255 bytes long; this one has {len}"),
    ))
}

/// The checks on an integer socket option before it is set.
#[inline]
pub(crate) fn check_int_option(option: c_int, value: i32) -> Result<()> {
    #[cfg(all(feature = "draft", target_os = "linux"))]
    if option == ffi::ZMQ_PRIORITY {
        return check_priority(value, has_cap_net_admin());
    }
    let _ = (option, value);
    Ok(())
}

/// `ZMQ_PRIORITY` (DRAFT) is applied with `setsockopt(SO_PRIORITY)` on
/// every TCP connection libzmq opens or accepts, and libzmq asserts that
/// it succeeds; Linux refuses a priority outside 0 to 6 without
/// `CAP_NET_ADMIN`.
#[cfg_attr(not(all(feature = "draft", target_os = "linux")), allow(dead_code))]
pub(crate) fn check_priority(value: i32, privileged: bool) -> Result<()> {
    if !(0..=6).contains(&value) && !privileged {
        let mut err = Error::from_errno(ffi::errno::EPERM);
        err = err.with_detail(format!(
            "socket option priority = {value}: a priority outside 0 to 6 needs \
             CAP_NET_ADMIN, and libzmq aborts when setsockopt(SO_PRIORITY) fails"
        ));
        return Err(err);
    }
    Ok(())
}

/// Whether this process holds `CAP_NET_ADMIN` (bit 12 of `CapEff` in
/// /proc/self/status). Unknown counts as held: the check then defers to
/// libzmq rather than refusing what may work.
#[cfg(all(feature = "draft", target_os = "linux"))]
fn has_cap_net_admin() -> bool {
    const CAP_NET_ADMIN: u32 = 12;
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return true;
    };
    status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .is_none_or(|caps| caps & (1 << CAP_NET_ADMIN) != 0)
}

/// The checks on a frame sent on a socket of type `kind`.
///
/// An XSUB takes every frame that starts with 1 (subscribe) or 0
/// (unsubscribe) as a subscription for its trie.
#[inline(always)]
pub(crate) fn check_send(kind: SocketType, frame: &[u8]) -> Result<()> {
    if kind == SocketType::XSub {
        return check_xsub_frame(frame);
    }
    Ok(())
}

#[cold]
fn check_xsub_frame(frame: &[u8]) -> Result<()> {
    match frame.first() {
        Some(0) => check_subscription(frame.len() - 1, "XSUB unsubscribe message"),
        Some(1) => check_subscription(frame.len() - 1, "XSUB subscribe message"),
        _ => Ok(()),
    }
}

/// The host name libzmq sends to a SOCKS proxy for a `tcp://` endpoint,
/// parsed as libzmq's socks_connecter_t::parse_address does: everything
/// before the last ':', without the brackets of an IPv6 literal.
pub(crate) fn socks_host(endpoint: &str) -> Option<&str> {
    let address = endpoint.strip_prefix("tcp://")?;
    let idx = address.rfind(':')?;
    let host = &address[..idx];
    Some(
        host.strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host),
    )
}

/// Refuses a connect through a SOCKS proxy whose host name does not fit
/// SOCKS5's one-byte length (libzmq asserts it in socks.cpp once the
/// proxy answers).
pub(crate) fn check_socks_host(endpoint: &str, through_socks: bool) -> Result<()> {
    match socks_host(endpoint) {
        Some(host) if through_socks && host.len() > MAX_SOCKS_HOST_LEN => Err(Error::invalid(
            ErrorKind::InvalidEndpoint,
            format!(
                "connect {endpoint:?}: through a SOCKS proxy the host name must be at \
                 most {MAX_SOCKS_HOST_LEN} bytes (SOCKS5 carries its length in one \
                 byte); it has {}",
                host.len()
            ),
        )),
        _ => Ok(()),
    }
}

/// The connect routing ids of a ROUTER or STREAM socket: the one set for
/// the next connect, and those already given to a connection.
///
/// libzmq names the connection by the pending id when it attaches the
/// connection's pipe (at `connect` unless `ZMQ_IMMEDIATE` is set) and
/// asserts that no peer has the name yet. zmq4 cannot see which names
/// peers that connected in chose, nor when libzmq lets a disconnected
/// name go, so it refuses only what it knows: a name this socket already
/// gave to one of its own connects.
#[derive(Debug, Default)]
pub(crate) struct ConnectIds {
    pending: Option<Vec<u8>>,
    used: Vec<Vec<u8>>,
}

impl ConnectIds {
    /// Records the id set for the next connect.
    pub(crate) fn set_pending(&mut self, id: &[u8]) {
        // libzmq ignores (keeps no) empty id.
        self.pending = (!id.is_empty()).then(|| id.to_vec());
    }

    /// Refuses a connect whose pending id names an earlier connection.
    pub(crate) fn check(&self, endpoint: &str) -> Result<()> {
        match &self.pending {
            Some(id) if self.used.contains(id) => Err(Error::invalid(
                ErrorKind::InvalidArgument,
                format!(
                    "connect {endpoint:?}: connect_routing_id {:?} already names a \
                     connection of this socket, and libzmq aborts on a duplicate \
                     (set another one before each connect)",
                    String::from_utf8_lossy(id)
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Whether an id is set for the next connect.
    pub(crate) fn has_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// A connect succeeded: the pending id now names a connection.
    pub(crate) fn connected(&mut self) {
        if let Some(id) = self.pending.take() {
            self.used.push(id);
        }
    }
}

impl Socket<'_> {
    /// Sets `ZMQ_CONNECT_ROUTING_ID`: the routing id that the next
    /// [`connect`](Socket::connect) gives the connection it makes, instead
    /// of one the peer sends (ROUTER and STREAM).
    ///
    /// Each connect needs a name no other peer of the socket has: libzmq
    /// aborts the process on a duplicate. zmq4 refuses, at `connect`, a
    /// name this socket already gave to one of its connects (even one
    /// since disconnected, as libzmq frees the name later, in its own
    /// time); it cannot see the names peers that connected in chose for
    /// themselves, so never use a name such a peer may have.
    ///
    /// See [`zmq_setsockopt`](http://api.zeromq.org/4-3:zmq-setsockopt).
    #[doc(alias = "ZMQ_CONNECT_ROUTING_ID")]
    #[doc(alias = "ZMQ_CONNECT_RID")]
    #[doc(alias = "zmq_setsockopt")]
    pub fn set_connect_routing_id(&self, value: impl AsRef<[u8]>) -> Result<()> {
        let id = value.as_ref();
        self.raw
            .setsockopt(ffi::ZMQ_CONNECT_ROUTING_ID, id)
            .map_err(|err| Error::from(err).with_detail("socket option ZMQ_CONNECT_ROUTING_ID"))?;
        self.extras.get_mut(|e| e.connect_ids.set_pending(id));
        Ok(())
    }

    /// Runs `connect` (the libzmq call) after the checks that need the
    /// socket's state, and records what it consumed.
    pub(crate) fn guarded_connect(
        &self,
        endpoint: &str,
        connect: impl FnOnce() -> Result<()>,
    ) -> Result<()> {
        if socks_host(endpoint).is_some_and(|h| h.len() > MAX_SOCKS_HOST_LEN) {
            let through_socks = !self.socks_proxy().unwrap_or_default().is_empty();
            check_socks_host(endpoint, through_socks)?;
        }
        self.extras
            .get(|e| e.connect_ids.check(endpoint))
            .unwrap_or(Ok(()))?;
        connect()?;
        self.extras
            .get(|e| e.connect_ids.has_pending())
            .unwrap_or(false)
            .then(|| {
                self.extras.get_mut(|e| e.connect_ids.connected());
            });
        Ok(())
    }
}

/// Refuses to bind an inproc endpoint this socket disconnected from.
///
/// libzmq 4.3.4 and 4.3.5 keep a connect to an inproc endpoint that
/// nobody has bound as pending; after a disconnect has ended that
/// connection's pipes, the socket's own bind of the same endpoint
/// completes it and writes the routing id into an ended pipe, and
/// `zmq_assert (written)` in `pipe.cpp` aborts the process (a ROUTER does
/// it; docs/libzmq-asserts.md, R9). Binding an endpoint one has just
/// disconnected from has no use, so every socket type is refused.
pub(crate) fn check_inproc_bind(socket: &Socket<'_>, endpoint: &str) -> Result<()> {
    if !endpoint.starts_with("inproc://") {
        return Ok(());
    }
    let disconnected = socket
        .extras
        .get(|e| e.disconnected_inproc.iter().any(|d| d == endpoint))
        .unwrap_or(false);
    if disconnected {
        return Err(Error::invalid(
            ErrorKind::InvalidState,
            format!(
                "cannot bind {endpoint:?}: this socket connected to it and disconnected, and \
                 libzmq aborts the process when the socket then binds it; bind it from \
                 another socket"
            ),
        ));
    }
    Ok(())
}

/// Records a successful disconnect from an inproc endpoint (see
/// [`check_inproc_bind`]).
pub(crate) fn note_inproc_disconnect(socket: &Socket<'_>, endpoint: &str) {
    if endpoint.starts_with("inproc://") {
        socket.extras.get_mut(|e| {
            if !e.disconnected_inproc.iter().any(|d| d == endpoint) {
                e.disconnected_inproc.push(endpoint.to_owned());
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscriptions_up_to_the_bound_pass() {
        assert!(check_subscription(0, "s").is_ok());
        assert!(check_subscription(MAX_SUBSCRIPTION_LEN, "s").is_ok());
        let err = check_subscription(MAX_SUBSCRIPTION_LEN + 1, "subscribe").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(err.to_string().contains("MAX_SUBSCRIPTION_LEN"), "{err}");
    }

    #[test]
    fn only_the_subscription_options_are_bounded() {
        let long = vec![0u8; MAX_SUBSCRIPTION_LEN + 1];
        assert!(check_bytes_option(ffi::ZMQ_SUBSCRIBE, &long).is_err());
        assert!(check_bytes_option(ffi::ZMQ_UNSUBSCRIBE, &long).is_err());
        assert!(check_bytes_option(ffi::ZMQ_XPUB_WELCOME_MSG, &long).is_ok());
    }

    #[test]
    fn xsub_frames_are_subscriptions_by_their_first_byte() {
        let mut frame = vec![b'x'; MAX_SUBSCRIPTION_LEN + 2];
        assert!(check_send(SocketType::XSub, &frame).is_ok());
        frame[0] = 1;
        assert!(check_send(SocketType::XSub, &frame).is_err());
        frame[0] = 0;
        assert!(check_send(SocketType::XSub, &frame).is_err());
        assert!(check_send(SocketType::Pub, &frame).is_ok());
        frame.pop();
        assert!(check_send(SocketType::XSub, &frame).is_ok());
        assert!(check_send(SocketType::XSub, &[]).is_ok());
    }

    #[test]
    fn socks_host_is_parsed_as_libzmq_does() {
        assert_eq!(socks_host("tcp://example.com:80"), Some("example.com"));
        assert_eq!(socks_host("tcp://[::1]:80"), Some("::1"));
        assert_eq!(socks_host("tcp://noport"), None);
        assert_eq!(socks_host("ipc://a:b"), None);
        let long = format!("tcp://{}:80", "h".repeat(256));
        assert_eq!(
            check_socks_host(&long, true).unwrap_err().kind(),
            ErrorKind::InvalidEndpoint
        );
        assert!(check_socks_host(&long, false).is_ok());
        let fits = format!("tcp://{}:80", "h".repeat(255));
        assert!(check_socks_host(&fits, true).is_ok());
    }

    #[test]
    fn a_connect_routing_id_names_one_connection() {
        let mut ids = ConnectIds::default();
        assert!(ids.check("e").is_ok());
        ids.connected(); // no pending id: nothing recorded
        ids.set_pending(b"a");
        assert!(ids.check("e").is_ok());
        ids.connected();
        assert!(ids.check("e").is_ok(), "the pending id was consumed");
        ids.set_pending(b"a");
        let err = ids.check("e").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(err.to_string().contains("connect_routing_id"), "{err}");
        ids.set_pending(b"b");
        assert!(ids.check("e").is_ok());
        ids.set_pending(b"");
        assert!(ids.check("e").is_ok(), "an empty id is no id");
    }

    #[test]
    fn priority_outside_0_to_6_needs_the_capability() {
        assert!(check_priority(0, false).is_ok());
        assert!(check_priority(6, false).is_ok());
        let err = check_priority(7, false).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PermissionDenied);
        assert!(check_priority(7, true).is_ok());
        assert!(check_priority(-1, false).is_err());
    }
}
