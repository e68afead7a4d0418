//! Endpoint strings often come from configuration or the command line:
//! `bind`, `connect`, `unbind`, `disconnect` and the czmq-style `attach`
//! lists take any string, on every transport and socket type, and must
//! never panic, abort the process or reach undefined behaviour.
//!
//! The input is frames (see `zmq4_fuzz::frames`): the first byte of the
//! first picks the socket type; each further frame is an operation byte
//! and the endpoint text. Runs only in a network namespace of its own
//! (ci/fuzz.sh), and never hands libzmq an `ipc://` path outside the
//! abstract namespace (libzmq unlinks the path it binds).
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use zmq4::SocketType;

fuzz_target!(|data: &[u8]| {
    zmq4_fuzz::require_isolated_network();
    let parts = zmq4_fuzz::frames(data);
    let Some(first) = parts.first() else { return };
    let kind =
        SocketType::ALL[usize::from(first.first().copied().unwrap_or(0)) % SocketType::ALL.len()];
    // A context per case, terminated at its end: a case's pending inproc
    // connections and closing sockets cannot reach the next case, so a
    // crash reproduces from its own input alone.
    let ctx = zmq4_fuzz::case_context();
    let Ok(socket) = ctx.socket(kind) else { return };
    socket.set_linger(Some(Duration::ZERO)).unwrap();
    for part in &parts[1..] {
        let Some((&op, text)) = part.split_first() else {
            continue;
        };
        let endpoint = String::from_utf8_lossy(text);
        if !zmq4_fuzz::harmless_endpoints(&endpoint) {
            continue;
        }
        let _ = match op % 7 {
            0 => socket.bind(&endpoint),
            1 => socket.connect(&endpoint),
            2 => socket.unbind(&endpoint),
            3 => socket.disconnect(&endpoint),
            4 => socket.attach(&endpoint),
            5 => {
                let default = if op & 0x80 != 0 {
                    zmq4::Attach::Bind
                } else {
                    zmq4::Attach::Connect
                };
                socket.attach_with_default(&endpoint, default)
            }
            _ => ctx.attached(kind, &endpoint).map(drop),
        };
        let _ = socket.last_endpoint();
    }
    drop(socket);
    drop(ctx);
});
