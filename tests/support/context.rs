//! Helpers shared by the context tests.
#![allow(dead_code)]

use zmq4::{Context, RecvFlags, SendFlags, Socket, SocketType};

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
    let pull = crate::support::socket(ctx, SocketType::Pull);
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = pull.last_endpoint().unwrap();
    let push = crate::support::socket(ctx, SocketType::Push);
    push.connect(&endpoint).unwrap();
    send(&push, b"threads run").unwrap();
    assert_eq!(recv(&pull).unwrap(), b"threads run");
}
