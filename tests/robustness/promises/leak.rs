//! A socket or an authenticator that is never closed: `std::mem::forget`
//! is safe, so the borrow that ties a socket to its context cannot promise
//! that every socket is closed before the context ends. `Context` says
//! what happens then (term refuses, dropping leaks the libzmq context
//! instead of waiting for ever as `zmq_ctx_term` would), and
//! `Authenticator` what a leaked one does; these
//! tests hold them to it, each in a child process (this test binary
//! again, running one case).

use std::time::Duration;

use super::child::{is_child, succeeds_within_leaking};
use super::watchdog::Watchdog;
use zmq4::{Context, SocketType};

#[test]
fn term_refuses_a_context_with_a_forgotten_socket() {
    // The borrow has ended without closing the socket: zmq_ctx_term would
    // wait for it for ever, so term says so instead. In a child process:
    // the leak is the point, and stays out of this process (and of
    // valgrind's count).
    const NAME: &str = "leak::term_refuses_a_context_with_a_forgotten_socket";
    if is_child(NAME) {
        let ctx = Context::new().unwrap();
        let push = ctx.socket(SocketType::Push).unwrap();
        push.bind("inproc://forgotten-term").unwrap();
        std::mem::forget(push);
        let (ctx, err) = ctx.term().expect_err("term returned Ok with a socket open");
        assert_eq!(err.kind(), zmq4::ErrorKind::InvalidState, "{err}");
        assert!(err.to_string().contains("never closed"), "{err}");
        std::mem::forget(ctx);
        return;
    }
    let _dog = Watchdog::new(NAME, Duration::from_secs(30));
    succeeds_within_leaking(NAME, Duration::from_secs(20));
}

#[test]
fn dropping_a_context_with_a_forgotten_socket_returns() {
    const NAME: &str = "leak::dropping_a_context_with_a_forgotten_socket_returns";
    if is_child(NAME) {
        let ctx = Context::new().unwrap();
        let push = ctx.socket(SocketType::Push).unwrap();
        push.bind("inproc://forgotten-drop").unwrap();
        std::mem::forget(push);
        // The libzmq context is leaked with the socket instead of waiting
        // for it for ever.
        drop(ctx);
        return;
    }
    let _dog = Watchdog::new(NAME, Duration::from_secs(30));
    succeeds_within_leaking(NAME, Duration::from_secs(20));
}

#[test]
fn a_context_with_a_forgotten_socket_is_still_shut_down() {
    // What the docs offer instead: the blocking calls of the context's
    // other sockets still end at a shutdown, and the forgotten socket
    // does not stop the process from exiting.
    const NAME: &str = "leak::a_context_with_a_forgotten_socket_is_still_shut_down";
    if is_child(NAME) {
        let ctx = Context::new().unwrap();
        std::mem::forget(ctx.socket(SocketType::Pull).unwrap());
        let rep = ctx.owned_socket(SocketType::Rep).unwrap();
        let blocked = std::thread::spawn(move || rep.recv_msg(zmq4::RecvFlags::empty()).map(drop));
        std::thread::sleep(Duration::from_millis(100));
        ctx.shutdown().unwrap();
        let err = blocked.join().unwrap().unwrap_err();
        assert_eq!(err.kind(), zmq4::ErrorKind::Terminated);
        std::mem::forget(ctx);
        std::process::exit(0);
    }
    let _dog = Watchdog::new(NAME, Duration::from_secs(30));
    succeeds_within_leaking(NAME, Duration::from_secs(20));
}

/// The threads of this process, as Linux lists them.
#[cfg(target_os = "linux")]
fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").unwrap().count()
}

#[cfg(target_os = "linux")]
#[test]
fn a_forgotten_authenticator_keeps_its_context_but_a_shutdown_ends_its_thread() {
    // "A leaked authenticator (`std::mem::forget`) keeps answering; like a
    // leaked socket, it then keeps its context from terminating (a
    // shutdown still stops its thread)."
    const NAME: &str =
        "leak::a_forgotten_authenticator_keeps_its_context_but_a_shutdown_ends_its_thread";
    if is_child(NAME) {
        let ctx = Context::new().unwrap();
        // libzmq starts its threads with the first socket.
        drop(ctx.socket(SocketType::Pair).unwrap());
        let before = threads();
        let auth = zmq4::auth::Authenticator::new(&ctx).unwrap();
        assert_eq!(threads(), before + 1, "the authenticator's thread");
        std::mem::forget(auth);
        // Still there, and still answering: a second one cannot bind.
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(threads(), before + 1);
        let Err(err) = zmq4::auth::Authenticator::new(&ctx) else {
            panic!("a second authenticator started");
        };
        assert_eq!(err.kind(), zmq4::ErrorKind::AddressInUse, "{err}");
        ctx.shutdown().unwrap();
        let start = std::time::Instant::now();
        while threads() > before {
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "its thread runs on"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        // The context handle it holds keeps the context from terminating:
        // term says so instead of waiting.
        let (ctx, err) = ctx.term().expect_err("the context was terminated");
        assert_eq!(err.kind(), zmq4::ErrorKind::InvalidState, "{err}");
        std::mem::forget(ctx);
        return;
    }
    let _dog = Watchdog::new(NAME, Duration::from_secs(30));
    succeeds_within_leaking(NAME, Duration::from_secs(20));
}
