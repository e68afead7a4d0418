//! Context: options through the builder and the setters, shutdown, term,
//! the global context, and inproc between threads of one context.

use std::os::raw::c_int;
use std::sync::mpsc;
use std::time::Duration;

use zmq4::sys::ffi;
use zmq4::{Context, ErrorKind, Socket, SocketType};

// Small helpers over the raw layer, so that these tests do not depend on
// the safe send/receive and option API.

fn set_int(sock: &Socket<'_>, option: c_int, value: c_int) {
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
fn guard(sock: &Socket<'_>) {
    set_int(sock, ffi::ZMQ_LINGER, 0);
    set_int(sock, ffi::ZMQ_RCVTIMEO, 5000);
    set_int(sock, ffi::ZMQ_SNDTIMEO, 5000);
}

fn send(sock: &Socket<'_>, data: &[u8]) -> zmq4::Result<()> {
    // SAFETY: the socket is live and the buffer is readable for its length.
    let rc = unsafe { ffi::zmq_send(sock.as_raw(), data.as_ptr().cast(), data.len(), 0) };
    zmq4::sys::cvt(rc).map(drop)
}

fn recv(sock: &Socket<'_>) -> zmq4::Result<Vec<u8>> {
    let mut buf = vec![0u8; 256];
    // SAFETY: the socket is live and the buffer is writable for its length.
    let rc = unsafe { ffi::zmq_recv(sock.as_raw(), buf.as_mut_ptr().cast(), buf.len(), 0) };
    let len = zmq4::sys::cvt(rc)? as usize;
    buf.truncate(len.min(256));
    Ok(buf)
}

#[test]
fn defaults_are_libzmqs() {
    let ctx = Context::new().unwrap();
    assert_eq!(ctx.io_threads().unwrap(), 1);
    assert_eq!(ctx.max_sockets().unwrap(), 1023);
    assert!(ctx.socket_limit().unwrap() >= 1023);
    assert!(!ctx.ipv6().unwrap());
    assert!(ctx.blocky().unwrap());
    assert_eq!(ctx.max_msgsz().unwrap(), i32::MAX as usize);
    assert_eq!(ctx.msg_t_size().unwrap(), 64);
    assert_eq!(
        ctx.msg_t_size().unwrap(),
        std::mem::size_of::<ffi::zmq_msg_t>()
    );
    assert_eq!(ctx.thread_sched_policy().unwrap(), None);
    assert_eq!(ctx.thread_name_prefix().unwrap(), 0);
    assert!(!ctx.retry_on_interrupt());

    let built = Context::builder().build().unwrap();
    assert_eq!(built.io_threads().unwrap(), 1);
    assert_eq!(built.max_sockets().unwrap(), 1023);
    assert!(!built.retry_on_interrupt());
}

#[test]
fn builder_options_read_back() {
    let ctx = Context::builder()
        .io_threads(3)
        .max_sockets(100)
        .ipv6(true)
        .blocky(false)
        .max_msgsz(1 << 20)
        .thread_name_prefix(-1)
        .retry_on_interrupt(true)
        .build()
        .unwrap();
    assert_eq!(ctx.io_threads().unwrap(), 3);
    assert_eq!(ctx.max_sockets().unwrap(), 100);
    assert!(ctx.ipv6().unwrap());
    assert!(!ctx.blocky().unwrap());
    assert_eq!(ctx.max_msgsz().unwrap(), 1 << 20);
    assert_eq!(ctx.thread_name_prefix().unwrap(), -1);
    assert!(ctx.retry_on_interrupt());

    // The context starts with its first socket and works with these.
    let pull = ctx.socket(SocketType::Pull).unwrap();
    guard(&pull);
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let push = ctx.socket(SocketType::Push).unwrap();
    guard(&push);
    pull.bind("inproc://ctx-builder-read-back").unwrap();
    push.connect("inproc://ctx-builder-read-back").unwrap();
    send(&push, b"hi").unwrap();
    assert_eq!(recv(&pull).unwrap(), b"hi");
}

#[test]
fn later_setters_change_what_new_sockets_get() {
    let ctx = Context::new().unwrap();
    ctx.set_ipv6(true).unwrap();
    assert!(ctx.ipv6().unwrap());
    ctx.set_ipv6(false).unwrap();
    assert!(!ctx.ipv6().unwrap());

    ctx.set_blocky(false).unwrap();
    assert!(!ctx.blocky().unwrap());
    // A socket created now takes linger 0 from BLOCKY = false.
    let sock = ctx.socket(SocketType::Push).unwrap();
    let mut linger: c_int = -7;
    let mut len = std::mem::size_of::<c_int>();
    // SAFETY: the socket is live; linger is a C int buffer of `len` bytes.
    let rc = unsafe {
        ffi::zmq_getsockopt(
            sock.as_raw(),
            ffi::ZMQ_LINGER,
            (&mut linger as *mut c_int).cast(),
            &mut len,
        )
    };
    zmq4::sys::cvt(rc).unwrap();
    assert_eq!(linger, 0);
    drop(sock);
    ctx.set_blocky(true).unwrap();
    assert!(ctx.blocky().unwrap());

    ctx.set_max_msgsz(4096).unwrap();
    assert_eq!(ctx.max_msgsz().unwrap(), 4096);
    // Beyond a C int means "no limit", as libzmq clips it.
    ctx.set_max_msgsz(usize::MAX).unwrap();
    assert_eq!(ctx.max_msgsz().unwrap(), i32::MAX as usize);

    let mut ctx = ctx;
    ctx.set_retry_on_interrupt(true);
    assert!(ctx.retry_on_interrupt());
}

#[test]
fn invalid_values_are_typed_errors() {
    let cases: Vec<(&str, zmq4::ContextBuilder)> = vec![
        ("max_sockets", Context::builder().max_sockets(0)),
        ("io_threads", Context::builder().io_threads(usize::MAX)),
        ("max_sockets", Context::builder().max_sockets(usize::MAX)),
        (
            "io_threads",
            Context::builder().io_threads(i32::MAX as usize - 1),
        ),
        ("thread_priority", Context::builder().thread_priority(-1)),
        (
            "thread_sched_policy",
            Context::builder().thread_sched_policy(-5),
        ),
        (
            "thread_affinity",
            Context::builder().thread_affinity([1, usize::MAX]),
        ),
    ];
    for (option, builder) in cases {
        let err = builder.build().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{option}: {err}");
        let detail = err.detail().unwrap_or_default();
        assert!(detail.contains(option), "{option}: {detail:?}");
        assert!(err.to_string().contains(option), "{option}: {err}");
    }
}

#[test]
fn first_invalid_value_wins_over_later_valid_ones() {
    let err = Context::builder()
        .max_sockets(0)
        .max_sockets(10)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.detail().unwrap().contains("max_sockets"));
}

#[test]
fn max_sockets_is_enforced() {
    let ctx = Context::builder().max_sockets(2).build().unwrap();
    let _a = ctx.socket(SocketType::Pair).unwrap();
    let _b = ctx.socket(SocketType::Pair).unwrap();
    let err = ctx.socket(SocketType::Pair).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooManyOpen);
}

#[test]
fn zero_io_threads_allow_only_inproc() {
    let ctx = Context::builder().io_threads(0).build().unwrap();
    assert_eq!(ctx.io_threads().unwrap(), 0);
    let pull = ctx.socket(SocketType::Pull).unwrap();
    guard(&pull);
    pull.bind("inproc://ctx-zero-io-threads").unwrap();
    let err = pull.bind("tcp://127.0.0.1:*").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooManyOpen, "{err}");

    let push = ctx.socket(SocketType::Push).unwrap();
    guard(&push);
    push.connect("inproc://ctx-zero-io-threads").unwrap();
    send(&push, b"inproc needs no I/O thread").unwrap();
    assert_eq!(recv(&pull).unwrap(), b"inproc needs no I/O thread");
}

/// The CPUs this process may run on, from /proc (Linux).
#[cfg(target_os = "linux")]
fn allowed_cpus() -> Vec<usize> {
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
fn exercise(ctx: &Context) {
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

#[cfg(target_os = "linux")]
mod linux_threads {
    use super::*;

    const SCHED_OTHER: i32 = 0;
    const SCHED_FIFO: i32 = 1;

    #[test]
    fn affinity_to_an_allowed_cpu_works() {
        let cpu = allowed_cpus()[0];
        let ctx = Context::builder().thread_affinity([cpu]).build().unwrap();
        exercise(&ctx);
    }

    #[test]
    fn empty_affinity_means_no_affinity() {
        let none: [usize; 0] = [];
        let ctx = Context::builder().thread_affinity(none).build().unwrap();
        exercise(&ctx);
    }

    #[test]
    fn affinity_the_system_refuses_is_an_error() {
        // Beyond CPU_SETSIZE: libzmq would silently drop it, leave an
        // empty set and abort.
        let err = Context::builder()
            .thread_affinity([100_000])
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
        assert!(err.detail().unwrap().contains("thread_affinity"), "{err}");

        // Within CPU_SETSIZE but not a CPU this process may use.
        let allowed = allowed_cpus();
        if let Some(cpu) = (0..1024).find(|c| !allowed.contains(c)) {
            let err = Context::builder()
                .thread_affinity([cpu])
                .build()
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
            assert!(err.detail().unwrap().contains("thread_affinity"), "{err}");
        }
    }

    #[test]
    fn plain_policy_is_accepted_and_read_back() {
        let ctx = Context::builder()
            .thread_sched_policy(SCHED_OTHER)
            .thread_priority(0)
            .build()
            .unwrap();
        assert_eq!(ctx.thread_sched_policy().unwrap(), Some(SCHED_OTHER));
        exercise(&ctx);
    }

    #[test]
    fn unknown_policy_is_an_error_not_an_abort() {
        let err = Context::builder()
            .thread_sched_policy(12345)
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
        assert!(err.detail().unwrap().contains("thread_sched_policy"));
    }

    #[test]
    fn real_time_policy_without_priority_is_an_error() {
        // SCHED_FIFO needs a static priority of 1 to 99; libzmq would keep
        // the current one (0) and abort.
        let err = Context::builder()
            .thread_sched_policy(SCHED_FIFO)
            .build()
            .unwrap_err();
        assert!(
            matches!(
                err.kind(),
                ErrorKind::InvalidArgument | ErrorKind::PermissionDenied
            ),
            "{err}"
        );
        let err = Context::builder()
            .thread_sched_policy(SCHED_FIFO)
            .thread_priority(1000)
            .build()
            .unwrap_err();
        assert!(
            matches!(
                err.kind(),
                ErrorKind::InvalidArgument | ErrorKind::PermissionDenied
            ),
            "{err}"
        );
    }

    #[test]
    fn privileged_settings_work_or_are_refused_cleanly() {
        let builders = [
            Context::builder()
                .thread_sched_policy(SCHED_FIFO)
                .thread_priority(1),
            // Priority above 0 under a normal policy asks for nice -20.
            Context::builder().thread_priority(1),
        ];
        for builder in builders {
            match builder.build() {
                Ok(ctx) => exercise(&ctx),
                Err(err) => assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{err}"),
            }
        }
    }
}

#[test]
fn shutdown_unblocks_a_receive_in_another_thread() {
    let ctx = Context::new().unwrap();
    let (ready_tx, ready_rx) = mpsc::channel();
    std::thread::scope(|s| {
        let receiver = s.spawn(|| {
            let pull = ctx.socket(SocketType::Pull).unwrap();
            set_int(&pull, ffi::ZMQ_LINGER, 0);
            // Long enough that only the shutdown can end the wait.
            set_int(&pull, ffi::ZMQ_RCVTIMEO, 20_000);
            pull.bind("inproc://ctx-shutdown").unwrap();
            ready_tx.send(()).unwrap();
            let started = std::time::Instant::now();
            let err = recv(&pull).unwrap_err();
            (err, started.elapsed())
        });
        ready_rx.recv().unwrap();
        std::thread::sleep(Duration::from_millis(100));
        ctx.shutdown().unwrap();
        let (err, waited) = receiver.join().unwrap();
        assert_eq!(err.kind(), ErrorKind::Terminated, "{err}");
        assert!(err.is_terminated());
        assert!(waited < Duration::from_secs(10), "{waited:?}");
    });
    // Shut down for good: no new sockets; shutting down again is fine.
    let err = ctx.socket(SocketType::Pull).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Terminated);
    ctx.shutdown().unwrap();
    ctx.term().map_err(|(_, err)| err).unwrap();
}

#[test]
fn term_reports_success() {
    Context::new().unwrap().term().map_err(|(_, e)| e).unwrap();

    // Queued messages of a socket with linger 0 do not hold term up.
    let ctx = Context::new().unwrap();
    {
        let push = ctx.socket(SocketType::Push).unwrap();
        set_int(&push, ffi::ZMQ_LINGER, 0);
        // Nobody binds this name: the message waits in the pending pipe.
        push.connect("inproc://ctx-term-nobody-1").unwrap();
        // SAFETY: the socket is live and the buffer readable.
        unsafe { ffi::zmq_send(push.as_raw(), b"x".as_ptr().cast(), 1, ffi::ZMQ_DONTWAIT) };
    }
    ctx.term().map_err(|(_, e)| e).unwrap();

    // The same when blocky is off and the socket keeps its default linger.
    let ctx = Context::builder().blocky(false).build().unwrap();
    {
        let push = ctx.socket(SocketType::Push).unwrap();
        push.connect("inproc://ctx-term-nobody-2").unwrap();
        // SAFETY: as above.
        unsafe { ffi::zmq_send(push.as_raw(), b"x".as_ptr().cast(), 1, ffi::ZMQ_DONTWAIT) };
    }
    ctx.term().map_err(|(_, e)| e).unwrap();
}

/// Signals the thread blocked in `zmq_ctx_term` while a leaked socket
/// holds the context open, to see `EINTR` reported or retried.
#[cfg(target_os = "linux")]
mod interrupted_term {
    use super::*;
    use std::os::raw::c_ulong;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    const SIGUSR1: c_int = 10;
    static SIGNALS: AtomicUsize = AtomicUsize::new(0);

    extern "C" {
        fn signal(signum: c_int, handler: extern "C" fn(c_int)) -> usize;
        fn pthread_self() -> c_ulong;
        fn pthread_kill(thread: c_ulong, sig: c_int) -> c_int;
    }

    extern "C" fn on_signal(_: c_int) {
        SIGNALS.fetch_add(1, Ordering::SeqCst);
    }

    /// Runs `term` on this thread while another one signals it every 20 ms
    /// until `done` is set; `then` runs on the signalling thread after
    /// `signals` signals were sent.
    fn term_under_signals(
        ctx: Context,
        signals: usize,
        then: impl FnOnce() + Send,
    ) -> Result<(), (Context, zmq4::Error)> {
        // SAFETY: installs a handler that only touches an atomic.
        unsafe { signal(SIGUSR1, on_signal) };
        // SAFETY: no preconditions.
        let me = unsafe { pthread_self() };
        let done = AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                let mut then = Some(then);
                let mut sent = 0;
                while !done.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(20));
                    if done.load(Ordering::SeqCst) {
                        break;
                    }
                    // SAFETY: `me` is alive: it waits for this scope.
                    unsafe { pthread_kill(me, SIGUSR1) };
                    sent += 1;
                    if sent == signals {
                        if let Some(then) = then.take() {
                            then();
                        }
                    }
                }
            });
            let result = ctx.term();
            done.store(true, Ordering::SeqCst);
            result
        })
    }

    /// A socket that nothing closes: the context cannot terminate until
    /// `zmq_close` is called on the returned handle.
    fn leak_socket(ctx: &Context) -> usize {
        let sock = ctx.socket(SocketType::Pull).unwrap();
        let handle = sock.as_raw() as usize;
        std::mem::forget(sock);
        handle
    }

    fn close(handle: usize) {
        // SAFETY: the handle is a live socket that nothing else uses.
        let rc = unsafe { ffi::zmq_close(handle as *mut std::os::raw::c_void) };
        assert_eq!(rc, 0);
    }

    #[test]
    fn interrupted_term_is_reported_and_can_resume() {
        let ctx = Context::new().unwrap();
        let handle = leak_socket(&ctx);
        let (ctx, err) = term_under_signals(ctx, usize::MAX, || {}).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Interrupted, "{err}");
        // The context is still there; once the socket is closed, term
        // resumes and finishes.
        close(handle);
        ctx.term().map_err(|(_, e)| e).unwrap();
    }

    #[test]
    fn interrupted_term_retries_when_asked() {
        let ctx = Context::builder().retry_on_interrupt(true).build().unwrap();
        let handle = leak_socket(&ctx);
        let before = SIGNALS.load(Ordering::SeqCst);
        term_under_signals(ctx, 5, move || close(handle))
            .map_err(|(_, e)| e)
            .unwrap();
        assert!(SIGNALS.load(Ordering::SeqCst) - before >= 5);
    }
}

#[test]
fn global_is_one_context_reachable_from_every_thread() {
    let a: *const Context = Context::global();
    let b: *const Context = std::thread::spawn(|| Context::global() as *const Context as usize)
        .join()
        .unwrap() as *const Context;
    assert_eq!(a, b);

    let pull = Context::global().socket(SocketType::Pull).unwrap();
    guard(&pull);
    pull.bind("inproc://ctx-global-threads").unwrap();
    let senders: Vec<_> = (0..3)
        .map(|i| {
            std::thread::spawn(move || {
                let push = Context::global().socket(SocketType::Push).unwrap();
                guard(&push);
                push.connect("inproc://ctx-global-threads").unwrap();
                send(&push, format!("from thread {i}").as_bytes()).unwrap();
            })
        })
        .collect();
    for sender in senders {
        sender.join().unwrap();
    }
    let mut got: Vec<String> = (0..3)
        .map(|_| String::from_utf8(recv(&pull).unwrap()).unwrap())
        .collect();
    got.sort();
    assert_eq!(got, ["from thread 0", "from thread 1", "from thread 2"]);
}

#[test]
fn inproc_between_scoped_threads_of_one_context() {
    let ctx = Context::new().unwrap();
    let rep = ctx.socket(SocketType::Rep).unwrap();
    guard(&rep);
    rep.bind("inproc://ctx-scoped-threads").unwrap();
    std::thread::scope(|s| {
        let client = s.spawn(|| {
            let req = ctx.socket(SocketType::Req).unwrap();
            guard(&req);
            req.connect("inproc://ctx-scoped-threads").unwrap();
            let mut replies = Vec::new();
            for i in 0..3 {
                send(&req, format!("ping {i}").as_bytes()).unwrap();
                replies.push(recv(&req).unwrap());
            }
            replies
        });
        // A socket may move to the thread that uses it.
        let server = s.spawn(move || {
            for _ in 0..3 {
                let mut request = recv(&rep).unwrap();
                request.splice(0..4, *b"pong");
                send(&rep, &request).unwrap();
            }
        });
        server.join().unwrap();
        assert_eq!(
            client.join().unwrap(),
            [b"pong 0".to_vec(), b"pong 1".to_vec(), b"pong 2".to_vec()]
        );
    });
}

#[test]
fn inproc_does_not_cross_contexts() {
    let one = Context::new().unwrap();
    let other = Context::new().unwrap();
    let pull = one.socket(SocketType::Pull).unwrap();
    guard(&pull);
    set_int(&pull, ffi::ZMQ_RCVTIMEO, 200);
    pull.bind("inproc://ctx-not-shared").unwrap();
    let push = other.socket(SocketType::Push).unwrap();
    guard(&push);
    // The name is bound only in `one`: in `other` the connect waits for a
    // binder that never comes, and the message stays queued there.
    push.connect("inproc://ctx-not-shared").unwrap();
    send(&push, b"lost").unwrap();
    let err = recv(&pull).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WouldBlock);
}
