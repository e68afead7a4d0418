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
use crate::error::ErrorKind;
use crate::key::CurveKey;
use crate::sys::{ffi, RawMessage, RawSocket};

pub(crate) type Policies = Arc<RwLock<HashMap<String, Policy>>>;

/// The domain whose policy applies where a domain has none of its own.
pub(crate) const ANY_DOMAIN: &str = "*";

pub(crate) fn run(zap: RawSocket, control: RawSocket, policies: Policies, on_exit: impl FnOnce()) {
    loop {
        let mut items = [
            ffi::zmq_pollitem_t {
                socket: zap.as_ptr(),
                fd: 0,
                events: ffi::ZMQ_POLLIN as c_short,
                revents: 0,
            },
            ffi::zmq_pollitem_t {
                socket: control.as_ptr(),
                fd: 0,
                events: ffi::ZMQ_POLLIN as c_short,
                revents: 0,
            },
        ];
        // SAFETY: both items name open sockets owned by this thread.
        let rc = unsafe { ffi::zmq_poll(items.as_mut_ptr(), 2, -1) };
        if rc == -1 {
            if crate::sys::last_error().kind() == ErrorKind::Interrupted {
                continue;
            }
            break; // ETERM: the context is ending.
        }
        if items[1].revents != 0 {
            break; // Told to stop.
        }
        if items[0].revents != 0 {
            let Some(frames) = recv_frames(&zap) else {
                break;
            };
            let reply = answer(&frames, &policies);
            if !send_frames(&zap, &reply) {
                break;
            }
        }
    }
    on_exit();
    drop(zap);
    drop(control);
}

/// All frames of one message, or `None` when the socket fails (`ETERM`).
fn recv_frames(sock: &RawSocket) -> Option<Vec<Vec<u8>>> {
    let mut frames = Vec::new();
    loop {
        let mut msg = RawMessage::new();
        // SAFETY: `msg` is an initialised message and `sock` is open.
        let rc = unsafe { ffi::zmq_msg_recv(msg.as_mut_ptr(), sock.as_ptr(), 0) };
        if rc == -1 {
            if crate::sys::last_error().kind() == ErrorKind::Interrupted {
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
            // SAFETY: the pointer and length describe `frame`, which libzmq
            // copies before returning.
            let rc =
                unsafe { ffi::zmq_send(sock.as_ptr(), frame.as_ptr().cast(), frame.len(), flags) };
            if rc != -1 {
                break;
            }
            if crate::sys::last_error().kind() != ErrorKind::Interrupted {
                return false;
            }
        }
    }
    true
}

/// The reply frames to one request.
fn answer(frames: &[Vec<u8>], policies: &Policies) -> Vec<Vec<u8>> {
    let request_id = frames.get(1).cloned().unwrap_or_default();
    let decision = match parse(frames) {
        Err(why) => ZapDecision::internal(why),
        Ok(request) => {
            let policies = match policies.read() {
                Ok(p) => p,
                Err(poisoned) => poisoned.into_inner(),
            };
            match policies
                .get(&request.domain)
                .or_else(|| policies.get(ANY_DOMAIN))
            {
                Some(policy) => policy.decide(&request),
                None => ZapDecision::deny(format!("no policy for ZAP domain {:?}", request.domain)),
            }
        }
    };
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
fn parse(frames: &[Vec<u8>]) -> Result<ZapRequest, String> {
    if frames.len() < 6 {
        return Err(format!("malformed ZAP request: {} frames", frames.len()));
    }
    if frames[0] != b"1.0" {
        return Err("unsupported ZAP version".to_owned());
    }
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let credentials = match (frames[5].as_slice(), &frames[6..]) {
        (b"NULL", []) => Credentials::Null,
        (b"PLAIN", [user, password]) => Credentials::Plain {
            username: text(user),
            password: text(password),
        },
        (b"CURVE", [key]) => Credentials::Curve {
            public_key: CurveKey::from_bytes(key).map_err(|_| "malformed CURVE key")?,
        },
        (b"GSSAPI", [principal]) => Credentials::Gssapi {
            principal: principal.clone(),
        },
        (other, _) => {
            return Err(format!(
                "malformed ZAP request for mechanism {:?}",
                text(other)
            ))
        }
    };
    Ok(ZapRequest {
        domain: text(&frames[2]),
        address: text(&frames[3]),
        routing_id: frames[4].clone(),
        credentials,
    })
}

/// Metadata in ZMTP's property format: a 1-byte name length, the name, a
/// 4-byte big-endian value length, the value. Empty names and names
/// longer than 255 bytes are left out.
fn encode_metadata(metadata: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in metadata {
        let Ok(len) = u8::try_from(name.len()) else {
            continue;
        };
        if len == 0 {
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
