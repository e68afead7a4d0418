//! Helpers shared by the async tests (`async_sockets::async_edges`,
//! `async_cancel`, `async_parking`, and `async_idle`): burst sizes, sockets
//! of the process-wide context, numbered messages, both kinds of runtime.

use std::future::Future;
use std::time::{Duration, Instant};

use zmq4::{Context, ErrorKind, Message, RecvFlags, Socket, SocketType};

/// Messages in a burst: `ZMQ4_ASYNC_BURST` if set, else 100 000, or 1 000
/// under valgrind (which runs one thread at a time, and makes every
/// wake-up between threads slow).
pub fn burst() -> u32 {
    std::env::var("ZMQ4_ASYNC_BURST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if under_valgrind() { 1_000 } else { 100_000 })
}

/// valgrind preloads its own libraries into the program it checks.
pub fn under_valgrind() -> bool {
    std::env::var("LD_PRELOAD").is_ok_and(|p| p.contains("vgpreload"))
}

/// A socket of the process-wide context (which lives for `'static`, so
/// sockets move into spawned tasks): [`super::socket`] (linger 0), with
/// high-water marks `hwm`, and blocking calls bounded by [`LIMIT`] rather
/// than the short [`super::TIMEOUT`] (an async socket never blocks; its
/// plain peers may wait out a burst, under valgrind too).
pub fn global_socket(kind: SocketType, hwm: i32) -> Socket<'static> {
    let s = super::socket(Context::global(), kind);
    s.set_rcvtimeo(Some(LIMIT)).expect("rcvtimeo");
    s.set_sndtimeo(Some(LIMIT)).expect("sndtimeo");
    s.set_sndhwm(Some(hwm)).expect("sndhwm");
    s.set_rcvhwm(Some(hwm)).expect("rcvhwm");
    s
}

/// Message number `i`: its 4 bytes, little-endian.
pub fn seq(i: u32) -> Message {
    Message::from(i.to_le_bytes().to_vec())
}

/// The number of a message made by [`seq`].
pub fn seq_of(msg: &[u8]) -> u32 {
    u32::from_le_bytes(msg.try_into().expect("a 4-byte sequence number"))
}

/// How long one scenario may take before it counts as a missed wake-up.
/// Generous: the suite also runs under valgrind.
pub const LIMIT: Duration = Duration::from_secs(120);

/// Runs `make()`'s future on a multi-thread and then on a current-thread
/// runtime, each bounded by [`LIMIT`].
///
/// The runtimes run on a thread of their own, watched from the test's
/// thread: a poll that never returns (a task spinning inside it) stops
/// tokio's timers too, and would hang the test instead of failing it.
pub fn on_both_runtimes<F, Fut>(what: &str, make: F)
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let (done, finished) = std::sync::mpsc::channel();
    let label = what.to_string();
    let runner = std::thread::spawn(move || {
        let multi = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("multi-thread runtime");
        let current = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("current-thread runtime");
        for (name, rt) in [("multi-thread", multi), ("current-thread", current)] {
            rt.block_on(async {
                tokio::time::timeout(LIMIT, make())
                    .await
                    .unwrap_or_else(|_| {
                        panic!("{label} on the {name} runtime: timed out (a missed wake-up?)")
                    });
            });
        }
        let _ = done.send(());
    });
    match finished.recv_timeout(2 * LIMIT + Duration::from_secs(30)) {
        // Finished, or panicked (the sender dropped): the thread's result.
        Ok(()) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            if let Err(panic) = runner.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: a poll never returned (the runtime's thread is stuck)")
        }
    }
}

/// The CPU time of the calling thread.
pub fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for the call to write, and the
    // clock is one every Unix we build for has.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Sends with `send` until libzmq says "would block", again after a pause,
/// until a round after a pause takes nothing: the queue is full and stays
/// so (over tcp, the kernel's buffers take some of it first).
/// "Unreachable" means the peer is not attached yet: try again a little
/// later. Returns how many messages went in.
pub fn fill(what: &str, mut send: impl FnMut() -> zmq4::Result<()>) -> usize {
    let deadline = Instant::now() + LIMIT;
    let mut sent = 0;
    loop {
        let before = sent;
        loop {
            match send() {
                Ok(()) => sent += 1,
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::HostUnreachable => {
                    std::thread::sleep(Duration::from_millis(1))
                }
                Err(e) => panic!("{what}: filling the queue: {e}"),
            }
            assert!(Instant::now() < deadline, "{what}: the queue never filled");
        }
        if sent > 0 && sent == before {
            return sent;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Receives `n` messages on a plain socket (with a timeout).
pub fn drain(peer: &Socket<'_>, n: usize) {
    peer.set_rcvtimeo(Some(LIMIT)).expect("rcvtimeo");
    for _ in 0..n {
        peer.recv_msg(RecvFlags::empty()).expect("drain");
    }
}
