//! What must hold for the libzmq this build links.
//!
//! In every build: TCP keepalive options really reach the OS socket.
//! In the vendored build: it is libzmq 4.3.5 with ipc, WebSocket and (with
//! feature `curve`) CURVE, and on Linux it uses eventfd signalers, an epoll
//! poller and close-on-exec fds, as distributions' builds do.
//!
//! A check that cannot run on this OS says so on stderr and passes for
//! that reason only. `ci/parity.sh` compares a system and a vendored build
//! side by side with `examples/build_info.rs`, which runs the same probes.
//!
//! A binary of its own: the probes count the eventfd and epoll descriptors
//! of the whole process (`/proc/self/fd`), which the contexts of any other
//! test running beside them would add to.

#[path = "../examples/build_info/probe.rs"]
mod probe;

use probe::Probe;
use zmq4::LIBZMQ_SOURCE;

fn vendored() -> bool {
    LIBZMQ_SOURCE == "vendored"
}

/// The result of a probe, or `None` (with the reason on stderr) if it
/// cannot run here. A probe that fails is a test failure.
fn ran<T>(what: &str, probe: Probe<T>) -> Option<T> {
    match probe {
        Probe::Done(value) => Some(value),
        Probe::Skipped(why) => {
            eprintln!("{what}: skipped on this OS: {why}");
            None
        }
        Probe::Failed(why) => panic!("{what}: the probe failed: {why}"),
    }
}

#[test]
fn keepalive_options_reach_the_os_socket() {
    let Some(conn) = ran("keepalive", probe::connection()) else {
        return;
    };
    assert_ne!(conn.so_keepalive, 0, "SO_KEEPALIVE is off: {conn:?}");
    assert_eq!(
        (conn.keepidle, conn.keepintvl, conn.keepcnt),
        (
            probe::KEEPALIVE_IDLE,
            probe::KEEPALIVE_INTVL,
            probe::KEEPALIVE_CNT
        ),
        "TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT differ from what was set ({LIBZMQ_SOURCE} libzmq)"
    );
    assert!(conn.keepalive_applied());
}

#[test]
fn vendored_build_is_4_3_5_with_ipc_ws_and_curve() {
    if !vendored() {
        eprintln!(
            "libzmq is {LIBZMQ_SOURCE}, not vendored: its capabilities are its packager's choice"
        );
        return;
    }
    assert_eq!(probe::version(), (4, 3, 5));
    let caps = probe::capabilities();
    let has = |name: &str| {
        caps.iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, present)| present)
            .unwrap_or_else(|| panic!("{name} is not probed"))
    };
    // libzmq 4.3.5 has ipc on Windows only when MSVC compiles it (it
    // includes afunix.h under _MSC_VER alone): not with MinGW.
    let ipc = cfg!(unix) || cfg!(target_env = "msvc");
    assert_eq!(
        has("ipc"),
        ipc,
        "ipc must be there exactly on Unix and with MSVC: {caps:?}"
    );
    assert!(has("ws"), "no WebSocket: {caps:?}");
    assert_eq!(
        has("curve"),
        cfg!(feature = "curve"),
        "CURVE must be there exactly when feature `curve` is on: {caps:?}"
    );
    assert_eq!(
        has("draft"),
        cfg!(feature = "draft"),
        "the DRAFT API must be there exactly when feature `draft` is on: {caps:?}"
    );
}

#[test]
fn vendored_build_uses_eventfd_epoll_and_cloexec() {
    if !vendored() {
        eprintln!("libzmq is {LIBZMQ_SOURCE}, not vendored: how it was configured is its packager's choice");
        return;
    }
    if let Some(sig) = ran("eventfd", probe::signalers()) {
        assert!(sig.eventfds > 0, "no eventfd signalers: {sig:?}");
        assert!(sig.eventfds_cloexec, "an eventfd lacks FD_CLOEXEC: {sig:?}");
        assert!(sig.epolls > 0, "no epoll poller: {sig:?}");
        assert!(sig.epolls_cloexec, "the epoll fd lacks FD_CLOEXEC: {sig:?}");
    }
    if let Some(conn) = ran("cloexec", probe::connection()) {
        assert!(
            conn.cloexec,
            "the TCP connection lacks FD_CLOEXEC: {conn:?}"
        );
    }
}
