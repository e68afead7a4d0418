//! Context: options through the builder and the setters, shutdown, term,
//! the global context, and inproc between threads of one context.

use std::sync::mpsc;
use std::time::Duration;

use crate::support::context::{exercise, recv, send};
use zmq4::sys::ffi;
use zmq4::{Context, ErrorKind, SendFlags, SocketType};

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
    exercise(&ctx);
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
    assert_eq!(sock.linger().unwrap(), Some(Duration::ZERO));
    drop(sock);
    ctx.set_blocky(true).unwrap();
    assert!(ctx.blocky().unwrap());

    ctx.set_max_msgsz(4096).unwrap();
    assert_eq!(ctx.max_msgsz().unwrap(), 4096);
    // Beyond a C int means "no limit", as libzmq clips it.
    ctx.set_max_msgsz(usize::MAX).unwrap();
    assert_eq!(ctx.max_msgsz().unwrap(), i32::MAX as usize);

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
    let pull = crate::support::socket(&ctx, SocketType::Pull);
    pull.bind("inproc://ctx-zero-io-threads").unwrap();
    let err = pull.bind("tcp://127.0.0.1:*").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooManyOpen, "{err}");

    let push = crate::support::socket(&ctx, SocketType::Push);
    push.connect("inproc://ctx-zero-io-threads").unwrap();
    send(&push, b"inproc needs no I/O thread").unwrap();
    assert_eq!(recv(&pull).unwrap(), b"inproc needs no I/O thread");
}

#[test]
fn shutdown_unblocks_a_receive_in_another_thread() {
    let ctx = Context::new().unwrap();
    let (ready_tx, ready_rx) = mpsc::channel();
    std::thread::scope(|s| {
        let receiver = s.spawn(|| {
            let pull = ctx.socket(SocketType::Pull).unwrap();
            pull.set_linger(Some(Duration::ZERO)).unwrap();
            // Long enough that only the shutdown can end the wait.
            pull.set_rcvtimeo(Some(Duration::from_secs(20))).unwrap();
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
        push.set_linger(Some(Duration::ZERO)).unwrap();
        // Nobody binds this name: the message waits in the pending pipe.
        push.connect("inproc://ctx-term-nobody-1").unwrap();
        push.send(b"queued", SendFlags::DONTWAIT).unwrap();
    }
    ctx.term().map_err(|(_, e)| e).unwrap();

    // The same when blocky is off and the socket keeps its default linger.
    let ctx = Context::builder().blocky(false).build().unwrap();
    {
        let push = ctx.socket(SocketType::Push).unwrap();
        push.connect("inproc://ctx-term-nobody-2").unwrap();
        push.send(b"queued", SendFlags::DONTWAIT).unwrap();
    }
    ctx.term().map_err(|(_, e)| e).unwrap();
}

#[test]
fn global_is_one_context_reachable_from_every_thread() {
    let a: *const Context = Context::global();
    let b: *const Context = std::thread::spawn(|| Context::global() as *const Context as usize)
        .join()
        .unwrap() as *const Context;
    assert_eq!(a, b);

    let pull = crate::support::socket(Context::global(), SocketType::Pull);
    pull.bind("inproc://ctx-global-threads").unwrap();
    let senders: Vec<_> = (0..3)
        .map(|i| {
            std::thread::spawn(move || {
                let push = crate::support::socket(Context::global(), SocketType::Push);
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
    let rep = crate::support::socket(&ctx, SocketType::Rep);
    rep.bind("inproc://ctx-scoped-threads").unwrap();
    std::thread::scope(|s| {
        let client = s.spawn(|| {
            let req = crate::support::socket(&ctx, SocketType::Req);
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
    let pull = crate::support::socket(&one, SocketType::Pull);
    pull.set_rcvtimeo(Some(Duration::from_millis(200))).unwrap();
    pull.bind("inproc://ctx-not-shared").unwrap();
    let push = crate::support::socket(&other, SocketType::Push);
    // The name is bound only in `one`: in `other` the connect waits for a
    // binder that never comes, and the message stays queued there.
    push.connect("inproc://ctx-not-shared").unwrap();
    send(&push, b"lost").unwrap();
    let err = recv(&pull).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut);
}

#[cfg(feature = "draft")]
mod draft {
    use super::*;

    #[test]
    fn zero_copy_recv_reads_back() {
        let ctx = Context::new().unwrap();
        assert!(ctx.zero_copy_recv().unwrap());
        ctx.set_zero_copy_recv(false).unwrap();
        assert!(!ctx.zero_copy_recv().unwrap());
        let ctx = Context::builder().zero_copy_recv(false).build().unwrap();
        assert!(!ctx.zero_copy_recv().unwrap());
        exercise(&ctx);
    }

    #[test]
    fn thread_name_prefix_text() {
        let ctx = Context::new().unwrap();
        assert_eq!(ctx.thread_name_prefix_str().unwrap(), "");
        let ctx = Context::builder()
            .thread_name_prefix_str("feed")
            .build()
            .unwrap();
        assert_eq!(ctx.thread_name_prefix_str().unwrap(), "feed");
        // Not the int that libzmq would read from four bytes.
        assert_eq!(ctx.thread_name_prefix().unwrap(), 0);
        exercise(&ctx);
        for text in ["a", "abc", "abcde", "0123456789abcdef"] {
            let ctx = Context::builder()
                .thread_name_prefix_str(text)
                .build()
                .unwrap();
            assert_eq!(ctx.thread_name_prefix_str().unwrap(), text);
        }
        let ctx = Context::builder()
            .thread_name_prefix_str("0123456789abcdef")
            .build()
            .unwrap();
        assert_eq!(ctx.thread_name_prefix_str().unwrap(), "0123456789abcdef");
        exercise(&ctx);
        // A number set through the stable API reads back as text too.
        let ctx = Context::builder().thread_name_prefix(77).build().unwrap();
        assert_eq!(ctx.thread_name_prefix_str().unwrap(), "77");
        assert_eq!(ctx.thread_name_prefix().unwrap(), 77);

        for bad in ["", "0123456789abcdefg", "a\0b"] {
            let err = Context::builder()
                .thread_name_prefix_str(bad)
                .build()
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{bad:?}");
        }
    }
}
