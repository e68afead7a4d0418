//! Message properties come from outside: a peer announces any properties
//! it likes in its ZMTP handshake (READY), and a ZAP handler adds its own.
//! A raw peer here speaks ZMTP 3.0 by hand over `ipc://`, with arbitrary
//! bytes in its READY's property list, to a real zmq4 PULL socket that an
//! authenticator with arbitrary metadata guards; the received message's
//! properties are then read by arbitrary names. Nothing may panic, and a
//! handshake libzmq accepts delivers the message.
//!
//! The input is frames (see `zmq4_fuzz::frames`): the raw property bytes
//! the peer adds after its `Socket-Type`, the authenticator's metadata as
//! `NAME=VALUE` lines (a line `deny` makes it refuse the peer), then the
//! property names to read.
#![no_main]

use std::io::{Read, Write};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixStream};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use zmq4::auth::{Authenticator, Policy, ZapDecision, ANY_DOMAIN};
use zmq4::{RecvFlags, Socket, SocketType};

struct Server {
    auth: Authenticator<'static>,
    pull: Socket<'static>,
    name: String,
}

/// ZMTP 3.0's greeting for the NULL mechanism, as a client.
fn greeting() -> [u8; 64] {
    let mut g = [0u8; 64];
    g[0] = 0xFF;
    g[9] = 0x7F;
    g[10] = 3;
    g[12..16].copy_from_slice(b"NULL");
    g
}

/// A frame with ZMTP's flags and short or long size.
fn frame(flags: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 9);
    if let Ok(len) = u8::try_from(body.len()) {
        out.extend_from_slice(&[flags, len]);
    } else {
        out.push(flags | 0x02);
        out.extend_from_slice(&(body.len() as u64).to_be_bytes());
    }
    out.extend_from_slice(body);
    out
}

/// Reads the server's greeting and commands until it says READY (true) or
/// ERROR, or closes the connection (false).
fn accepted(stream: &mut UnixStream) -> bool {
    let mut greeting = [0u8; 64];
    if stream.read_exact(&mut greeting).is_err() {
        return false;
    }
    loop {
        let mut flags = [0u8; 1];
        if stream.read_exact(&mut flags).is_err() {
            return false;
        }
        let len = if flags[0] & 0x02 != 0 {
            let mut len = [0u8; 8];
            if stream.read_exact(&mut len).is_err() {
                return false;
            }
            u64::from_be_bytes(len) as usize
        } else {
            let mut len = [0u8; 1];
            if stream.read_exact(&mut len).is_err() {
                return false;
            }
            usize::from(len[0])
        };
        let mut body = vec![0u8; len.min(1 << 20)];
        if stream.read_exact(&mut body).is_err() {
            return false;
        }
        if flags[0] & 0x04 != 0 {
            if body.starts_with(b"\x05READY") {
                return true;
            }
            if body.starts_with(b"\x05ERROR") {
                return false;
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    thread_local! {
        static SERVER: Server = {
            let ctx = zmq4_fuzz::context();
            let auth = Authenticator::new(ctx).expect("an authenticator");
            let pull = ctx.socket(SocketType::Pull).expect("a PULL socket");
            pull.set_linger(Some(Duration::ZERO)).unwrap();
            pull.set_rcvtimeo(Some(Duration::from_secs(10))).unwrap();
            pull.set_zap_domain("fuzz").unwrap();
            let name = format!("zmq4-fuzz-metadata-{}", std::process::id());
            pull.bind(&format!("ipc://@{name}")).expect("bind");
            Server { auth, pull, name }
        };
    }
    let parts = zmq4_fuzz::frames(data);
    let peer_props = parts.first().copied().unwrap_or_default();
    let zap_lines = String::from_utf8_lossy(parts.get(1).copied().unwrap_or_default()).into_owned();
    let names: Vec<String> = parts
        .iter()
        .skip(2)
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();

    SERVER.with(|server| {
        let deny = zap_lines.lines().any(|l| l == "deny");
        let mut policy = Policy::new().callback(move |_| {
            if deny {
                ZapDecision::deny("told to")
            } else {
                ZapDecision::allow("fuzz-user")
            }
        });
        for line in zap_lines.lines().filter(|l| *l != "deny") {
            let (name, value) = line.split_once('=').unwrap_or((line, ""));
            policy = policy.metadata(name, value);
        }
        server.auth.set_policy(ANY_DOMAIN, policy);

        let addr = SocketAddr::from_abstract_name(server.name.as_bytes()).unwrap();
        let mut stream = UnixStream::connect_addr(&addr).expect("connect to the PULL socket");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
            .set_write_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut ready = b"\x05READY\x0bSocket-Type\x00\x00\x00\x04PUSH".to_vec();
        ready.extend_from_slice(peer_props);
        let mut out = greeting().to_vec();
        out.extend(frame(0x04, &ready));
        out.extend(frame(0x00, b"payload"));
        // The server may close the connection before it read everything.
        let _ = stream.write_all(&out);
        if accepted(&mut stream) {
            let msg = server
                .pull
                .recv_msg(RecvFlags::empty())
                .expect("an accepted peer's message arrives");
            assert_eq!(&msg[..], b"payload");
            assert_eq!(msg.socket_type(), Some(SocketType::Push));
            assert_eq!(msg.user_id(), Some("fuzz-user"));
            let _ = (msg.peer_address(), msg.routing_id_property());
            for name in &names {
                let _ = msg.property(name);
            }
        }
    });
});
