//! Helpers shared by the context tests. Socket options are set through
//! the raw layer, so that these tests do not depend on the option API.
#![allow(dead_code)]

use std::os::raw::c_int;

use zmq4::sys::ffi;
use zmq4::{Context, RecvFlags, SendFlags, Socket, SocketType};

pub fn set_int(sock: &Socket<'_>, option: c_int, value: c_int) {
    // SAFETY: the socket is live; the value is a C int, as the option wants.
    let rc = unsafe {
        ffi::zmq_setsockopt(
            sock.as_raw(),
            option,
            (&value as *const c_int).cast(),
            std::mem::size_of::<c_int>(),
        )
    };
    zmq4::sys::cvt(rc).expect("setsockopt");
}

/// Linger 0 and a receive timeout, so that a bug fails instead of hanging.
pub fn guard(sock: &Socket<'_>) {
    set_int(sock, ffi::ZMQ_LINGER, 0);
    set_int(sock, ffi::ZMQ_RCVTIMEO, 5000);
    set_int(sock, ffi::ZMQ_SNDTIMEO, 5000);
}

pub fn send(sock: &Socket<'_>, data: &[u8]) -> zmq4::Result<()> {
    sock.send(data, SendFlags::empty())
}

pub fn recv(sock: &Socket<'_>) -> zmq4::Result<Vec<u8>> {
    sock.recv_bytes(RecvFlags::empty())
}

/// The CPUs this process may run on, from /proc (Linux).
#[cfg(target_os = "linux")]
pub fn allowed_cpus() -> Vec<usize> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let list = status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        .unwrap()
        .trim();
    let mut cpus = Vec::new();
    for part in list.split(',') {
        match part.split_once('-') {
            Some((a, b)) => cpus.extend(a.parse::<usize>().unwrap()..=b.parse().unwrap()),
            None => cpus.push(part.parse().unwrap()),
        }
    }
    cpus
}

/// Starts the context's threads and uses them over tcp, which aborts the
/// process if libzmq could not apply its thread settings.
pub fn exercise(ctx: &Context) {
    let pull = ctx.socket(SocketType::Pull).unwrap();
    guard(&pull);
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let mut buf = [0u8; 256];
    let mut len = buf.len();
    // SAFETY: the socket is live; libzmq writes at most `len` bytes.
    let rc = unsafe {
        ffi::zmq_getsockopt(
            pull.as_raw(),
            ffi::ZMQ_LAST_ENDPOINT,
            buf.as_mut_ptr().cast(),
            &mut len,
        )
    };
    zmq4::sys::cvt(rc).unwrap();
    let endpoint = std::str::from_utf8(&buf[..len - 1]).unwrap().to_owned();
    let push = ctx.socket(SocketType::Push).unwrap();
    guard(&push);
    push.connect(&endpoint).unwrap();
    send(&push, b"threads run").unwrap();
    assert_eq!(recv(&pull).unwrap(), b"threads run");
}
