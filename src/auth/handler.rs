//! The authenticator's thread: answers ZAP requests (ZeroMQ RFC 27) on
//! its REP socket until told to stop on its control socket, or until the
//! context ends.
//!
//! The thread owns its two sockets and never touches the context, so it
//! stays sound even if the [`Authenticator`](super::Authenticator) is
//! leaked: terminating the context then makes its poll fail with `ETERM`,
//! and it closes its sockets and ends.

use std::collections::HashMap;
use std::os::raw::{c_int, c_short};
use std::sync::{Arc, RwLock};

use super::policy::{Credentials, Policy, ZapDecision, ZapRequest};
use crate::error::{Error, ErrorKind};
use crate::key::{zero, CurveKey};
use crate::raw::{PollItem, RawMessage, RawSocket};
use crate::sys::ffi;

pub(crate) type Policies = Arc<RwLock<HashMap<String, Policy>>>;

/// The domain whose policy applies where a domain has none of its own.
pub(crate) const ANY_DOMAIN: &str = "*";

pub(crate) fn run(zap: RawSocket, control: RawSocket, policies: Policies) {
    loop {
        let mut items = [
            PollItem::from_raw_socket(&zap, ffi::ZMQ_POLLIN as c_short),
            PollItem::from_raw_socket(&control, ffi::ZMQ_POLLIN as c_short),
        ];
        if crate::raw::poll(&mut items, -1) == -1 {
            if Error::last().kind() == ErrorKind::Interrupted {
                continue;
            }
            break; // ETERM: the context is ending.
        }
        if items[1].revents_raw() != 0 {
            break; // Told to stop.
        }
        if items[0].revents_raw() != 0 {
            let Some(mut frames) = recv_frames(&zap) else {
                break;
            };
            // A REP socket must answer before it can read again: whatever
            // happens while deciding, a reply goes out.
            let run = std::panic::AssertUnwindSafe(|| answer(&frames, &policies));
            let reply = std::panic::catch_unwind(run).unwrap_or_else(|_| {
                let id = frames.get(1).cloned().unwrap_or_default();
                reply_frames(id, &ZapDecision::internal("the ZAP handler failed"))
            });
            // The request may carry a PLAIN password.
            for frame in &mut frames {
                zero(frame);
            }
            if !send_frames(&zap, &reply) {
                break;
            }
        }
    }
    // Give the endpoint up now: for inproc libzmq unregisters it in this
    // call, whereas closing leaves that to its reaper thread, later. Once
    // this thread has ended the name is free for a new handler, and no new
    // handshake is sent to one that is going away.
    // After a context shutdown this fails with ETERM, which is fine: the
    // context is ending.
    if let Ok(endpoint) = crate::endpoint::endpoint_cstring(super::ZAP_ENDPOINT) {
        let _ = zap.unbind(&endpoint);
    }
    drop(zap);
    drop(control);
}

/// All frames of one message, or `None` when the socket fails (`ETERM`).
fn recv_frames(sock: &RawSocket) -> Option<Vec<Vec<u8>>> {
    let mut frames = Vec::new();
    loop {
        let mut msg = RawMessage::new();
        if sock.msg_recv(&mut msg, 0) == -1 {
            if Error::last().kind() == ErrorKind::Interrupted {
                continue;
            }
            return None;
        }
        frames.push(msg.as_bytes().to_vec());
        if !msg.more() {
            return Some(frames);
        }
    }
}

fn send_frames(sock: &RawSocket, frames: &[Vec<u8>]) -> bool {
    for (i, frame) in frames.iter().enumerate() {
        let flags: c_int = if i + 1 < frames.len() {
            ffi::ZMQ_SNDMORE
        } else {
            0
        };
        loop {
            if sock.send(frame, flags) != -1 {
                break;
            }
            if Error::last().kind() != ErrorKind::Interrupted {
                return false;
            }
        }
    }
    true
}

/// The reply frames to one request: a malformed one (too few frames, a
/// version other than 1.0, credentials that do not fit the mechanism)
/// gets status 500, with the request id echoed when there is one.
fn answer(frames: &[Vec<u8>], policies: &Policies) -> Vec<Vec<u8>> {
    let request_id = frames.get(1).cloned().unwrap_or_default();
    let decision = match parse(frames) {
        Err(decision) => decision,
        Ok(mut request) => {
            let policies = match policies.read() {
                Ok(p) => p,
                Err(poisoned) => poisoned.into_inner(),
            };
            let decision = match policies
                .get(&request.domain)
                .or_else(|| policies.get(ANY_DOMAIN))
            {
                Some(policy) => policy.decide(&request),
                None => ZapDecision::deny(format!("no policy for ZAP domain {:?}", request.domain)),
            };
            if let Credentials::Plain { password, .. } = &mut request.credentials {
                zero(&mut std::mem::take(password).into_bytes());
            }
            decision
        }
    };
    reply_frames(request_id, &decision)
}

/// The six frames of a reply (RFC 27): version, request id, status code,
/// status text, user id, metadata.
fn reply_frames(request_id: Vec<u8>, decision: &ZapDecision) -> Vec<Vec<u8>> {
    vec![
        b"1.0".to_vec(),
        request_id,
        decision.status_code().to_string().into_bytes(),
        decision.status_text().as_bytes().to_vec(),
        decision.user_id().as_bytes().to_vec(),
        encode_metadata(decision.metadata()),
    ]
}

/// A request from its frames: version, request id, domain, address,
/// identity, mechanism, then the mechanism's credentials.
///
/// PLAIN credentials that are not UTF-8 are refused (status 400) rather
/// than read lossily, where two different passwords could become one.
fn parse(frames: &[Vec<u8>]) -> Result<ZapRequest, ZapDecision> {
    let malformed = |why: String| ZapDecision::internal(format!("malformed ZAP request: {why}"));
    if frames.len() < 6 {
        return Err(malformed(format!("{} frames", frames.len())));
    }
    if frames[0] != b"1.0" {
        return Err(ZapDecision::internal("unsupported ZAP version"));
    }
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let credentials = match (frames[5].as_slice(), &frames[6..]) {
        (b"NULL", []) => Credentials::Null,
        (b"PLAIN", [user, password]) => {
            match (std::str::from_utf8(user), std::str::from_utf8(password)) {
                (Ok(user), Ok(password)) => Credentials::Plain {
                    username: user.to_owned(),
                    password: password.to_owned(),
                },
                _ => {
                    return Err(ZapDecision::deny(
                        "PLAIN user name or password is not UTF-8",
                    ))
                }
            }
        }
        (b"CURVE", [key]) => Credentials::Curve {
            public_key: CurveKey::from_bytes(key)
                .map_err(|_| malformed(format!("a CURVE key of {} bytes", key.len())))?,
        },
        (b"GSSAPI", [principal]) => Credentials::Gssapi {
            principal: principal.clone(),
        },
        (other, credentials) => {
            return Err(malformed(format!(
                "mechanism {:?} with {} credential frames",
                text(other),
                credentials.len()
            )))
        }
    };
    Ok(ZapRequest {
        domain: text(&frames[2]),
        address: text(&frames[3]),
        routing_id: frames[4].clone(),
        credentials,
    })
}

/// Property names libzmq gives a meaning of its own (compared ignoring
/// case): in a ZAP reply, `Socket-Type` fails the handshake unless it
/// names a compatible type, `Identity` replaces a ROUTER's routing id of
/// the peer, and `User-Id`/`Peer-Address`/`Routing-Id` would pose as what
/// libzmq itself sets.
pub(crate) const RESERVED_PROPERTIES: [&str; 5] = [
    "Socket-Type",
    "Identity",
    "Routing-Id",
    "User-Id",
    "Peer-Address",
];

/// Metadata in ZMTP's property format: a 1-byte name length, the name, a
/// 4-byte big-endian value length, the value. Empty names, names longer
/// than 255 bytes and [reserved names](RESERVED_PROPERTIES) are left out.
fn encode_metadata(metadata: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in metadata {
        let Ok(len) = u8::try_from(name.len()) else {
            continue;
        };
        if len == 0
            || RESERVED_PROPERTIES
                .iter()
                .any(|r| r.eq_ignore_ascii_case(name))
        {
            continue;
        }
        let Ok(value_len) = u32::try_from(value.len()) else {
            continue;
        };
        out.push(len);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&value_len.to_be_bytes());
        out.extend_from_slice(value);
    }
    out
}
