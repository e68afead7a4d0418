//! A proxy with nothing it can do waits without using the CPU: while
//! paused with input waiting, and while a destination refuses a message
//! although it reports room. Each test reads the proxy thread's own CPU
//! clock (the process's would count the tests running beside it).
#![cfg(target_os = "linux")]

use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::bounded::{bounded, drain_numbers, number, owned, stuck, wait_until_held};
use crate::support::{inproc, socket, TIMEOUT};
use zmq4::{
    Context, ProxyControl, ProxyStatistics, RecvFlags, SendFlags, Socket, SocketType,
    SteerableProxy,
};

/// How much CPU the proxy thread may use while it has nothing it can do:
/// a quarter of the time (a spinning loop uses all of it).
fn assert_idle(cpu: &dyn Fn() -> Duration, what: &str) {
    let before = cpu();
    let wall = Instant::now();
    std::thread::sleep(Duration::from_millis(500));
    let used = cpu() - before;
    let wall = wall.elapsed();
    assert!(
        used < wall / 4,
        "the proxy thread used {used:?} of CPU in {wall:?} while {what}"
    );
}

/// Runs a steerable proxy on a thread of its own and hands `body` its
/// handle and a reading of that thread's CPU time (the process's would
/// count the tests running beside this one). Terminates the proxy after
/// `body` and returns its final statistics.
fn with_proxy_thread<'c>(
    ctx: &'c Context,
    frontend: Socket<'c>,
    backend: Socket<'c>,
    body: impl FnOnce(&ProxyControl<'c>, &dyn Fn() -> Duration),
) -> ProxyStatistics {
    let (proxy, control) = SteerableProxy::new(ctx).unwrap();
    std::thread::scope(|scope| {
        let _stop = crate::support::ShutdownOnPanic(ctx);
        let (tx, rx) = mpsc::channel();
        let running = scope.spawn(move || {
            // SAFETY: pthread_self has no precondition.
            tx.send(unsafe { libc::pthread_self() }).unwrap();
            proxy.run(&frontend, &backend, None)
        });
        let thread = rx.recv().unwrap();
        let mut clock: libc::clockid_t = 0;
        // SAFETY: the thread runs until it is joined below; the clock id
        // is written through a valid pointer.
        assert_eq!(
            unsafe { libc::pthread_getcpuclockid(thread, &mut clock) },
            0
        );
        let cpu = move || {
            let mut ts = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            // SAFETY: writes a timespec through a valid pointer; the clock
            // is the proxy thread's, which runs until joined.
            assert_eq!(unsafe { libc::clock_gettime(clock, &mut ts) }, 0);
            Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
        };
        body(&control, &cpu);
        bounded(ctx, "terminate()", || control.terminate()).unwrap();
        running.join().unwrap().unwrap()
    })
}

/// A ROUTER with `ROUTER_MANDATORY` reports room while any peer has some,
/// and refuses a message for a peer that is full: the proxy waits for that
/// peer without spinning, and delivers once it reads.
#[test]
fn a_router_full_for_one_peer_is_waited_for_without_spinning() {
    let ctx = Context::new().unwrap();
    let (fe, be) = (inproc("mand-fe"), inproc("mand-be"));
    let frontend = owned(&ctx, SocketType::Pull);
    frontend.bind(&fe).unwrap();
    let backend = owned(&ctx, SocketType::Router);
    backend.set_router_mandatory(true).unwrap();
    backend.set_sndhwm(Some(1)).unwrap();
    backend.bind(&be).unwrap();
    let full = socket(&ctx, SocketType::Dealer);
    full.set_routing_id(b"full").unwrap();
    full.set_rcvhwm(Some(1)).unwrap();
    full.connect(&be).unwrap();
    let free = socket(&ctx, SocketType::Dealer);
    free.set_routing_id(b"free").unwrap();
    free.connect(&be).unwrap();
    let producer = socket(&ctx, SocketType::Push);
    producer.connect(&fe).unwrap();

    let stats = with_proxy_thread(&ctx, frontend, backend, |control, cpu| {
        producer
            .send_multipart([&b"free"[..], b"hello"], SendFlags::empty())
            .unwrap();
        assert_eq!(free.recv_bytes(RecvFlags::empty()).unwrap(), b"hello");
        for i in 0..20 {
            producer
                .send_multipart([&b"full"[..], &number(i)[..]], SendFlags::empty())
                .unwrap();
        }
        wait_until_held(&ctx, || control.statistics());
        assert_idle(cpu, "the ROUTER refused its message");
        full.set_rcvtimeo(Some(TIMEOUT)).unwrap();
        for i in 0..20 {
            assert_eq!(full.recv_bytes(RecvFlags::empty()).unwrap(), number(i));
        }
    });
    assert_eq!(stats.dropped, 0);
    assert_eq!(stats.backend.messages_sent, 21);
}

/// A paused proxy with input waiting does not poll that input, so it
/// waits without using the CPU (libzmq 4.3.4's own proxy spins there).
#[test]
fn a_paused_proxy_with_input_waiting_does_not_spin() {
    let ctx = Context::new().unwrap();
    let s = stuck(&ctx);
    let stats = with_proxy_thread(&ctx, s.frontend, s.backend, |control, cpu| {
        wait_until_held(&ctx, || control.statistics());
        bounded(&ctx, "pause()", || control.pause()).unwrap();
        // Room at the consumer, and input waiting: a paused proxy waits.
        let read = drain_numbers(&s.consumer);
        assert!(!read.is_empty());
        assert_idle(cpu, "paused");
        bounded(&ctx, "resume()", || control.resume()).unwrap();
    });
    assert_eq!(
        stats.frontend.messages_received,
        stats.backend.messages_sent + stats.dropped
    );
}
