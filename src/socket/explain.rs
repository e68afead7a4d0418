//! Errors that say what happened: libzmq reports a bare errno, and the
//! socket's type, the operation and its options tell what it means. All of
//! this runs only once a call has failed.

use std::time::Duration;

use super::{Socket, SocketType};
use crate::error::{Error, ErrorKind};
use crate::flags::{RecvFlags, SendFlags};
use crate::sys::ffi;

/// The blocking operation a failed call was making.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Op {
    Send(SendFlags),
    Recv(RecvFlags),
    /// Polling, proxying: nothing more to say than libzmq does.
    Other,
}

impl Socket<'_> {
    /// The error of a failed blocking call, said in the words of the
    /// socket and the operation where libzmq's errno alone misleads.
    #[cold]
    #[inline(never)]
    pub(crate) fn explain(&self, op: Op, err: Error) -> Error {
        let kind = self.kind;
        let name = kind.name();
        let errno = err.errno();
        match op {
            Op::Send(flags)
                if errno == ffi::errno::EAGAIN && !flags.contains(SendFlags::DONTWAIT) =>
            {
                let after = self.sndtimeo().ok().flatten();
                err.explained(
                    ErrorKind::TimedOut,
                    format!(
                        "send timed out after {} (SNDTIMEO): the {name} socket could not queue the \
                         message (no peer to take it, or the high-water mark reached)",
                        show(after)
                    ),
                )
            }
            Op::Recv(flags)
                if errno == ffi::errno::EAGAIN && !flags.contains(RecvFlags::DONTWAIT) =>
            {
                let after = self.rcvtimeo().ok().flatten();
                err.explained(
                    ErrorKind::TimedOut,
                    format!(
                        "receive timed out after {} (RCVTIMEO): no message came",
                        show(after)
                    ),
                )
            }
            Op::Send(_) if errno == ffi::errno::EFSM => {
                err.explained(ErrorKind::InvalidState, state_rule(kind, true))
            }
            Op::Recv(_) if errno == ffi::errno::EFSM => {
                err.explained(ErrorKind::InvalidState, state_rule(kind, false))
            }
            Op::Send(_) if errno == ffi::errno::ENOTSUP => err.explained(
                ErrorKind::NotSupported,
                format!("a {name} socket cannot send (it only receives)"),
            ),
            Op::Recv(_) if errno == ffi::errno::ENOTSUP => err.explained(
                ErrorKind::NotSupported,
                format!("a {name} socket cannot receive (it only sends)"),
            ),
            Op::Send(_) if errno == ffi::errno::EHOSTUNREACH && kind == SocketType::Router => err
                .explained(
                    ErrorKind::HostUnreachable,
                    "no peer of this ROUTER has the routing id in the message's first frame \
                     (ROUTER_MANDATORY is set, so the message is refused rather than dropped)",
                ),
            _ => err,
        }
    }
}

/// A timeout as the error says it.
fn show(timeout: Option<Duration>) -> String {
    match timeout {
        Some(t) => format!("{t:?}"),
        None => "its timeout".to_owned(),
    }
}

/// The rule a REQ, REP (or other lock-step) socket broke.
fn state_rule(kind: SocketType, sending: bool) -> String {
    match (kind, sending) {
        (SocketType::Req, true) => "a REQ socket must receive the reply to its request before it \
                                    sends another (or set req_relaxed)"
            .to_owned(),
        (SocketType::Req, false) => {
            "a REQ socket must send a request before it receives".to_owned()
        }
        (SocketType::Rep, true) => {
            "a REP socket must receive a request before it sends a reply".to_owned()
        }
        (SocketType::Rep, false) => "a REP socket must send the reply to the request it received \
                                     before it receives another"
            .to_owned(),
        (kind, true) => format!("a {} socket cannot send in its current state", kind.name()),
        (kind, false) => format!(
            "a {} socket cannot receive in its current state",
            kind.name()
        ),
    }
}

/// Refuses an endpoint libzmq would take and then misuse. libzmq reads a
/// TCP, WebSocket or UDP port with `atoi` and keeps 16 bits of it, so a
/// port beyond 65535 is truncated, `-1` is port 65535 and `5555x` is port
/// 5555: a port must be `*` or decimal digits that fit in 16 bits.
pub(crate) fn check_endpoint(endpoint: &str) -> crate::error::Result<()> {
    let Some((transport, address)) = endpoint.split_once("://") else {
        return Ok(());
    };
    if !matches!(transport, "tcp" | "ws" | "wss" | "udp") {
        return Ok(());
    }
    // `tcp://source;destination`: the part after the last ';' is checked
    // like the rest, each part's port after its last ':'.
    for part in address.split(';') {
        // A WebSocket endpoint may go on with a path, which may hold ':'.
        let part = match transport {
            "ws" | "wss" => part.split('/').next().unwrap_or(part),
            _ => part,
        };
        let Some((_, port)) = part.rsplit_once(':') else {
            continue;
        };
        // Without a digit `atoi` gives 0, which libzmq refuses itself.
        if !port.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        if !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid(
                ErrorKind::InvalidEndpoint,
                format!("endpoint {endpoint:?}: port {port:?} is not a number (0 to 65535) or *"),
            ));
        }
        if port.parse::<u16>().is_err() {
            return Err(Error::invalid(
                ErrorKind::InvalidEndpoint,
                format!("endpoint {endpoint:?}: port {port} is out of range (0 to 65535)"),
            ));
        }
    }
    Ok(())
}

/// The error of a failed bind or connect, where libzmq's errno alone
/// misleads.
#[cold]
pub(crate) fn explain_endpoint(what: &str, endpoint: &str, err: Error) -> Error {
    if err.errno() == ffi::errno::ENODEV && what == "bind" {
        let host = endpoint
            .split_once("://")
            .map(|(_, a)| a)
            .and_then(|a| a.rsplit_once(':'))
            .map_or(endpoint, |(host, _)| host);
        return err.explained(
            ErrorKind::NoSuchDevice,
            format!(
                "bind {endpoint:?}: {host:?} is not an address or a network interface of this \
                 machine (bind takes a local IP address, an interface name, or *)"
            ),
        );
    }
    err
}

/// The socket types an option applies to, for the options libzmq refuses
/// (`EINVAL`) on any other type. libzmq builds some types on others (REP on
/// ROUTER, REQ on DEALER, PUB on XPUB, SUB on XSUB), which take their
/// options too.
fn option_types(option: std::os::raw::c_int) -> Option<(&'static str, &'static [SocketType])> {
    use SocketType::*;
    const XPUB: &[SocketType] = &[XPub, Pub];
    const ROUTER: &[SocketType] = &[Router, Rep];
    Some(match option {
        ffi::ZMQ_SUBSCRIBE => ("ZMQ_SUBSCRIBE", &[Sub]),
        ffi::ZMQ_UNSUBSCRIBE => ("ZMQ_UNSUBSCRIBE", &[Sub]),
        ffi::ZMQ_XPUB_VERBOSE => ("ZMQ_XPUB_VERBOSE", XPUB),
        ffi::ZMQ_XPUB_VERBOSER => ("ZMQ_XPUB_VERBOSER", XPUB),
        ffi::ZMQ_XPUB_NODROP => ("ZMQ_XPUB_NODROP", XPUB),
        ffi::ZMQ_XPUB_MANUAL => ("ZMQ_XPUB_MANUAL", XPUB),
        ffi::ZMQ_XPUB_WELCOME_MSG => ("ZMQ_XPUB_WELCOME_MSG", XPUB),
        ffi::ZMQ_ROUTER_MANDATORY => ("ZMQ_ROUTER_MANDATORY", ROUTER),
        ffi::ZMQ_ROUTER_HANDOVER => ("ZMQ_ROUTER_HANDOVER", ROUTER),
        ffi::ZMQ_ROUTER_RAW => ("ZMQ_ROUTER_RAW", ROUTER),
        ffi::ZMQ_PROBE_ROUTER => ("ZMQ_PROBE_ROUTER", &[Router, Rep, Dealer, Req]),
        ffi::ZMQ_REQ_CORRELATE => ("ZMQ_REQ_CORRELATE", &[Req]),
        ffi::ZMQ_REQ_RELAXED => ("ZMQ_REQ_RELAXED", &[Req]),
        ffi::ZMQ_STREAM_NOTIFY => ("ZMQ_STREAM_NOTIFY", &[Stream]),
        _ => return None,
    })
}

/// The error of a failed option setting, where the socket's type explains
/// libzmq's `EINVAL`, or where a high-water mark was refused because the
/// socket may have connections.
#[cold]
pub(crate) fn explain_option(kind: SocketType, option: std::os::raw::c_int, err: Error) -> Error {
    if err.errno() == ffi::errno::EFSM && crate::raw::hwm_live_pipes(option) {
        let name = if option == ffi::ZMQ_SNDHWM {
            "ZMQ_SNDHWM"
        } else {
            "ZMQ_RCVHWM"
        };
        return err.explained(
            ErrorKind::InvalidState,
            format!(
                "{name} cannot change once the socket has called bind or connect: libzmq 4.3 \
                 hands the new value to every connection, an ending one too, whose other end \
                 may already be freed (a use-after-free); set the high-water marks before \
                 bind and connect"
            ),
        );
    }
    if err.errno() != ffi::errno::EINVAL {
        return err;
    }
    let Some((name, types)) = option_types(option) else {
        return err;
    };
    if types.contains(&kind) {
        return err;
    }
    let names: Vec<&str> = types.iter().map(|t| t.name()).collect();
    let mut text = format!(
        "{name} applies to {} sockets, not to a {} socket",
        names.join(" and "),
        kind.name()
    );
    if kind == SocketType::XSub && matches!(option, ffi::ZMQ_SUBSCRIBE | ffi::ZMQ_UNSUBSCRIBE) {
        text.push_str(" (an XSUB subscribes by sending 1 and the prefix, and unsubscribes with 0)");
    }
    err.explained(ErrorKind::InvalidArgument, text)
}
