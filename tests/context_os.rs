//! Context settings that reach the operating system: the scheduling of
//! libzmq's threads, and signals interrupting `zmq_ctx_term` (Linux).
//!
//! A binary of its own, not a module of `core`: it sets the process's
//! SIGUSR1 disposition and counts handled signals in a process-wide
//! counter while it signals its own thread for up to 3 s; that is state of
//! the process, not of one test, and no other test should run under it.
#![cfg(target_os = "linux")]

mod support;

use std::os::raw::c_int;
use std::time::Duration;

use support::context::{allowed_cpus, exercise};
use zmq4::sys::ffi;
use zmq4::{Context, ErrorKind, SocketType};

mod scheduling {
    use super::*;

    use libc::{SCHED_FIFO, SCHED_OTHER};

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
        let built = Context::builder()
            .thread_sched_policy(SCHED_OTHER)
            .thread_priority(0)
            .build();
        match built {
            Ok(ctx) => {
                assert_eq!(ctx.thread_sched_policy().unwrap(), Some(SCHED_OTHER));
                exercise(&ctx);
            }
            // Before 4.3.5, libzmq moves to nice -20 for priority 0 too,
            // which a process at nice 19 sees as -1 and aborts on: the
            // builder refuses instead.
            Err(err) => assert!(
                err.kind() == ErrorKind::NotSupported && zmq4::version() < (4, 3, 5),
                "{err}"
            ),
        }
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
        let builders = [
            Context::builder().thread_sched_policy(SCHED_FIFO),
            Context::builder()
                .thread_sched_policy(SCHED_FIFO)
                .thread_priority(1000),
        ];
        for builder in builders {
            let err = builder.build().unwrap_err();
            assert!(
                matches!(
                    err.kind(),
                    ErrorKind::InvalidArgument | ErrorKind::PermissionDenied
                ),
                "{err}"
            );
        }
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
                // NotSupported: from nice 19, libzmq would take nice(-20)'s
                // -1 for a failure.
                Err(err) => assert!(
                    matches!(
                        err.kind(),
                        ErrorKind::PermissionDenied | ErrorKind::NotSupported
                    ),
                    "{err}"
                ),
            }
        }
    }
}

/// Signals a thread blocked in libzmq (in `zmq_ctx_term`, or in a
/// receive), to see `EINTR` reported or retried as the context says.
mod interrupted {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Mutex;
    use std::time::Instant;
    use zmq4::{RecvFlags, SendFlags};

    use libc::{pthread_kill, pthread_self, SIGUSR1};
    static SIGNALS: AtomicUsize = AtomicUsize::new(0);
    /// One signal test at a time, so that each counts only its signals.
    static SERIAL: Mutex<()> = Mutex::new(());

    extern "C" fn on_signal(_: c_int) {
        SIGNALS.fetch_add(1, Ordering::SeqCst);
    }

    /// Runs `body` on this thread while another one signals it every
    /// 20 ms until `body` returns; `then` runs on the signalling thread
    /// after `signals` signals were sent. Returns what `body` returned and
    /// how many signals this thread handled meanwhile.
    fn under_signals<R>(
        signals: usize,
        then: impl FnOnce() + Send,
        body: impl FnOnce() -> R,
    ) -> (R, usize) {
        // SAFETY: installs a handler that only touches an atomic. glibc's
        // signal() sets SA_RESTART, which libzmq's poll ignores: it still
        // returns EINTR.
        unsafe {
            libc::signal(
                SIGUSR1,
                on_signal as extern "C" fn(c_int) as libc::sighandler_t,
            )
        };
        // SAFETY: no preconditions.
        let me = unsafe { pthread_self() };
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let before = SIGNALS.load(Ordering::SeqCst);
        let done = AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                let mut then = Some(then);
                let mut sent = 0;
                loop {
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
            let result = body();
            let handled = SIGNALS.load(Ordering::SeqCst) - before;
            done.store(true, Ordering::SeqCst);
            (result, handled)
        })
    }

    /// A socket given up as a raw handle: the context cannot terminate
    /// until `zmq_close` is called on it.
    fn leak_socket(ctx: &Context) -> usize {
        ctx.socket(SocketType::Pull).unwrap().into_raw() as usize
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
        let (result, handled) = under_signals(usize::MAX, || {}, || ctx.term());
        let (ctx, err) = result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Interrupted, "{err}");
        assert!(handled >= 1);
        // The context is still there; once the socket is closed, term
        // resumes and finishes.
        close(handle);
        ctx.term().map_err(|(_, e)| e).unwrap();
    }

    #[test]
    fn interrupted_term_retries_when_asked() {
        let ctx = Context::builder().retry_on_interrupt(true).build().unwrap();
        let handle = leak_socket(&ctx);
        let (result, handled) = under_signals(5, move || close(handle), || ctx.term());
        result.map_err(|(_, e)| e).unwrap();
        // Five were sent while term waited; signals of one kind that arrive
        // together merge into one.
        assert!(handled >= 1);
    }

    fn pair<'c>(ctx: &'c Context, name: &str) -> (zmq4::Socket<'c>, zmq4::Socket<'c>) {
        let pull = crate::support::socket(ctx, SocketType::Pull);
        pull.bind(name).unwrap();
        let push = crate::support::socket(ctx, SocketType::Push);
        push.connect(name).unwrap();
        (pull, push)
    }

    #[test]
    fn interrupted_receive_is_reported_by_default() {
        let ctx = Context::new().unwrap();
        let (pull, _push) = pair(&ctx, "inproc://ctx-os-eintr-report");
        let started = Instant::now();
        let (result, handled) =
            under_signals(usize::MAX, || {}, || pull.recv_bytes(RecvFlags::empty()));
        let err = result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Interrupted, "{err}");
        assert!(handled >= 1);
        // Well before the 5 s receive timeout.
        assert!(started.elapsed() < Duration::from_secs(4));
    }

    #[test]
    fn interrupted_receive_retries_when_asked() {
        let ctx = Context::builder().retry_on_interrupt(true).build().unwrap();
        let (pull, push) = pair(&ctx, "inproc://ctx-os-eintr-retry");
        let sender = move || push.send(b"after the signals", SendFlags::empty()).unwrap();
        let (result, handled) = under_signals(5, sender, || pull.recv_bytes(RecvFlags::empty()));
        assert_eq!(result.unwrap(), b"after the signals");
        // Five were sent while the receive waited; signals of one kind that
        // arrive together merge into one.
        assert!(handled >= 1);
    }

    #[test]
    fn interrupted_poll_retries_when_asked() {
        let ctx = Context::builder().retry_on_interrupt(true).build().unwrap();
        let (pull, push) = pair(&ctx, "inproc://ctx-os-eintr-poll-retry");
        let sender = move || push.send(b"wake", SendFlags::empty()).unwrap();
        let (result, handled) = under_signals(5, sender, || {
            pull.poll(zmq4::PollEvents::POLLIN, Some(Duration::from_secs(5)))
        });
        assert_eq!(result.unwrap(), zmq4::PollEvents::POLLIN);
        assert!(handled >= 1);
    }

    #[test]
    fn interrupted_poller_retries_when_asked() {
        let ctx = Context::builder().retry_on_interrupt(true).build().unwrap();
        let (pull, push) = pair(&ctx, "inproc://ctx-os-eintr-poller-retry");
        let mut poller = zmq4::Poller::new();
        poller.add(&pull, zmq4::PollEvents::POLLIN, 7).unwrap();
        let sender = move || push.send(b"wake", SendFlags::empty()).unwrap();
        let (result, handled) = under_signals(5, sender, || {
            poller
                .poll(Some(Duration::from_secs(5)))
                .map(|ready| ready.map(|(t, e)| (*t, e)).collect::<Vec<_>>())
        });
        assert_eq!(result.unwrap(), [(7, zmq4::PollEvents::POLLIN)]);
        assert!(handled >= 1);
    }

    /// Runs `body` while this thread is signalled every 5 ms, for at most
    /// 3 s (so that a wait the signals keep going ends anyway); returns
    /// what it returned and how long it took.
    fn under_a_storm<R>(body: impl FnOnce() -> R) -> (R, Duration) {
        // SAFETY: as in `under_signals`.
        unsafe {
            libc::signal(
                SIGUSR1,
                on_signal as extern "C" fn(c_int) as libc::sighandler_t,
            )
        };
        // SAFETY: no preconditions.
        let me = unsafe { pthread_self() };
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let done = AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                let start = Instant::now();
                while !done.load(Ordering::SeqCst) && start.elapsed() < Duration::from_secs(3) {
                    // SAFETY: `me` is alive: it waits for this scope.
                    unsafe { pthread_kill(me, SIGUSR1) };
                    std::thread::sleep(Duration::from_millis(5));
                }
            });
            let start = Instant::now();
            let result = body();
            let took = start.elapsed();
            done.store(true, Ordering::SeqCst);
            (result, took)
        })
    }

    /// Signals more frequent than a timeout must not stretch it when the
    /// calls retry: each wait below is 200 ms, the signals come every
    /// 5 ms, and every call must end on time as it would without them.
    #[test]
    fn retried_waits_keep_their_timeouts() {
        let ctx = Context::builder().retry_on_interrupt(true).build().unwrap();
        let (pull, _push) = pair(&ctx, "inproc://ctx-os-eintr-timeouts");
        let timeout = Duration::from_millis(200);
        pull.set_rcvtimeo(Some(timeout)).unwrap();
        let lonely = crate::support::socket(&ctx, SocketType::Push);
        lonely.set_sndtimeo(Some(timeout)).unwrap();
        let mut poller = zmq4::Poller::new();
        poller.add(&pull, zmq4::PollEvents::POLLIN, ()).unwrap();

        let on_time = |what: &str, took: Duration| {
            assert!(took >= timeout, "{what} returned early: {took:?}");
            assert!(
                took < Duration::from_secs(1),
                "{what} waited {took:?} for a {timeout:?} timeout"
            );
        };
        let (result, took) = under_a_storm(|| pull.recv_bytes(RecvFlags::empty()));
        assert_eq!(result.unwrap_err().kind(), ErrorKind::TimedOut);
        on_time("a receive", took);
        let (result, took) = under_a_storm(|| lonely.send(b"nobody", SendFlags::empty()));
        assert_eq!(result.unwrap_err().kind(), ErrorKind::TimedOut);
        on_time("a send", took);
        let (result, took) = under_a_storm(|| pull.poll(zmq4::PollEvents::POLLIN, Some(timeout)));
        assert_eq!(result.unwrap(), zmq4::PollEvents::empty());
        on_time("Socket::poll", took);
        let (result, took) =
            under_a_storm(|| poller.poll(Some(timeout)).map(|ready| ready.count()));
        assert_eq!(result.unwrap(), 0);
        on_time("Poller::poll", took);
        // The timeouts set on the sockets are what they were.
        assert_eq!(pull.rcvtimeo().unwrap(), Some(timeout));
        assert_eq!(lonely.sndtimeo().unwrap(), Some(timeout));
    }
}
