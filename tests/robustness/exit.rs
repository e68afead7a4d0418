//! What reaches a peer when a program ends: the sockets of the process-wide
//! context (`Context::global`) send what they queued before the process
//! exits, and the exit does not hang on a peer that is gone.
//!
//! Each case runs in a child process (this test binary again, running only
//! that case), which exits normally after the case returns; the parent
//! checks what arrived and how long the child took.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use zmq4::{Context, RecvFlags, SendFlags, SocketType};

/// Names the case a child process runs, and the endpoint it talks to.
const CASE: &str = "ZMQ4_EXIT_CASE";
const ENDPOINT: &str = "ZMQ4_EXIT_ENDPOINT";

/// Whether this process is the child for `case`.
fn is_child(case: &str) -> bool {
    std::env::var(CASE).as_deref() == Ok(case)
}

/// Runs test `case` in a child process (talking to `endpoint`); returns
/// how long the child took, failing if it took longer than `limit` or
/// did not exit successfully.
fn run_child(case: &str, endpoint: &str, limit: Duration) -> Duration {
    let exe = std::env::current_exe().expect("the test binary");
    let start = Instant::now();
    let name = crate::support::test_name(module_path!(), case);
    let mut child = Command::new(exe)
        .args([name.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env(CASE, case)
        .env(ENDPOINT, endpoint)
        .stdout(Stdio::null())
        .spawn()
        .expect("start the child");
    loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            assert!(status.success(), "{case}: the child failed: {status}");
            return start.elapsed();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{case}: the child has not exited after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

const MESSAGES: usize = 1000;
const SIZE: usize = 10_000;

/// The child: 1000 messages of 10 kB on a socket of the global context,
/// sent just before the end of `main` (here: of the test), and nothing
/// else: no explicit close, flush or termination.
#[test]
fn global_context_sends_everything_before_the_process_exits() {
    if is_child("global_context_sends_everything_before_the_process_exits") {
        let push = Context::global().socket(SocketType::Push).unwrap();
        push.connect(&std::env::var(ENDPOINT).unwrap()).unwrap();
        for i in 0..MESSAGES {
            let mut msg = vec![0u8; SIZE];
            msg[..8].copy_from_slice(&(i as u64).to_le_bytes());
            push.send_msg(msg.into(), SendFlags::empty()).unwrap();
        }
        return;
    }
    let ctx = Context::new().unwrap();
    let pull = crate::support::socket(&ctx, SocketType::Pull);
    pull.set_rcvtimeo(Some(Duration::from_secs(10))).unwrap();
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = pull.last_endpoint().unwrap();
    let took = run_child(
        "global_context_sends_everything_before_the_process_exits",
        &endpoint,
        Duration::from_secs(60),
    );
    // What the child sent may still be on its way in this process (in the
    // kernel, or in libzmq's I/O thread): wait for it, up to the receive
    // timeout.
    let mut got = 0;
    while got < MESSAGES {
        let Ok(msg) = pull.recv_msg(RecvFlags::empty()) else {
            break;
        };
        assert_eq!(msg.len(), SIZE);
        assert_eq!(msg[..8], (got as u64).to_le_bytes(), "in order");
        got += 1;
    }
    assert_eq!(
        got, MESSAGES,
        "delivered before the exit (child took {took:?})"
    );
}

/// The child queues messages for a peer that never comes: the exit waits
/// no longer than the sockets' LINGER.
#[test]
fn exit_with_a_peer_that_is_gone_waits_only_the_linger() {
    if is_child("exit_with_a_peer_that_is_gone_waits_only_the_linger") {
        Context::global().set_linger(Some(Duration::from_millis(500)));
        let push = Context::global().socket(SocketType::Push).unwrap();
        push.set_immediate(false).unwrap();
        push.connect(&std::env::var(ENDPOINT).unwrap()).unwrap();
        for _ in 0..10 {
            push.send("for nobody", SendFlags::DONTWAIT).unwrap();
        }
        return;
    }
    // A port that was free a moment ago: nobody listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let took = run_child(
        "exit_with_a_peer_that_is_gone_waits_only_the_linger",
        &format!("tcp://127.0.0.1:{port}"),
        Duration::from_secs(30),
    );
    assert!(took >= Duration::from_millis(500), "lingered: {took:?}");
}

/// A socket of the global context still open in a thread that has not
/// ended when `main` returns: the exit does not wait for it for ever.
#[test]
fn exit_with_a_socket_still_open_elsewhere_does_not_hang() {
    if is_child("exit_with_a_socket_still_open_elsewhere_does_not_hang") {
        let (ready, wait) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let pull = Context::global().socket(SocketType::Pull).unwrap();
            pull.bind("inproc://exit-open-elsewhere").unwrap();
            ready.send(()).unwrap();
            // Blocks until the end of the process.
            let _ = pull.recv_msg(RecvFlags::empty());
        });
        wait.recv().unwrap();
        return;
    }
    let took = run_child(
        "exit_with_a_socket_still_open_elsewhere_does_not_hang",
        "",
        Duration::from_secs(30),
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
}

/// SUB sockets queue only their subscriptions, so they start with no
/// linger whatever the context's: a SUB subscribed to a publisher that is
/// not there must not hold the context's end. (With the 10 s default,
/// `taskwork` in tests/signal.rs ended 10 s after its SIGTERM in 2 runs of
/// 12, held in `zmq_ctx_term` by its SUB's subscription; that test is the
/// one that sees the hold, this one pins the defaults.)
#[test]
fn a_sub_starts_with_no_linger() {
    let ctx = Context::new().unwrap();
    assert_eq!(
        ctx.socket(SocketType::Sub).unwrap().linger().unwrap(),
        Some(Duration::ZERO)
    );
    ctx.set_linger(None);
    assert_eq!(
        ctx.socket(SocketType::Sub).unwrap().linger().unwrap(),
        Some(Duration::ZERO)
    );
    // The socket's own choice still wins.
    let sub = ctx.socket(SocketType::Sub).unwrap();
    sub.set_linger(Some(Duration::from_secs(3))).unwrap();
    assert_eq!(sub.linger().unwrap(), Some(Duration::from_secs(3)));
    // Other types keep the context's, an XSUB too: what it sends are
    // the program's messages.
    assert_eq!(
        ctx.socket(SocketType::XSub).unwrap().linger().unwrap(),
        None
    );
}

#[test]
fn a_socket_starts_with_its_contexts_linger() {
    let ctx = Context::new().unwrap();
    assert_eq!(ctx.linger().unwrap(), Some(zmq4::DEFAULT_LINGER));
    let s = ctx.socket(SocketType::Push).unwrap();
    assert_eq!(s.linger().unwrap(), Some(zmq4::DEFAULT_LINGER));

    ctx.set_linger(None);
    assert_eq!(
        ctx.socket(SocketType::Push).unwrap().linger().unwrap(),
        None
    );

    // BLOCKY hands the choice back to libzmq.
    ctx.set_blocky(false).unwrap();
    assert_eq!(ctx.linger().unwrap(), Some(Duration::ZERO));
    assert_eq!(
        ctx.socket(SocketType::Push).unwrap().linger().unwrap(),
        Some(Duration::ZERO)
    );

    let built = Context::builder()
        .linger(Some(Duration::from_millis(250)))
        .build()
        .unwrap();
    let s = built.socket(SocketType::Pull).unwrap();
    assert_eq!(s.linger().unwrap(), Some(Duration::from_millis(250)));
    let built = Context::builder().blocky(true).build().unwrap();
    assert_eq!(
        built.socket(SocketType::Pull).unwrap().linger().unwrap(),
        None
    );
}
