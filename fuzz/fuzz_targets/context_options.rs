//! Every context option of the typed API (the builder's and the setters
//! of a running context), with any value: `build` refuses what libzmq
//! would abort on, and a context that builds works (a socket pair
//! exchanges a message) and terminates.
//!
//! Three bounds keep runs within what the documentation promises and what
//! a shared machine tolerates: at most 16 I/O threads (more than the
//! descriptors left make libzmq abort when they start, which
//! docs/libzmq-asserts.md documents as out of reach, R5); `max_sockets`
//! values that `build` accepts are at most 2^20 (libzmq allocates and
//! fills a table of 12 bytes per socket when the first one starts, as
//! `ContextBuilder::max_sockets` documents: 2^31 would be 24 GiB; the
//! values `build` refuses still reach it); and no real-time scheduling
//! policy (SCHED_FIFO, SCHED_RR, SCHED_DEADLINE: as root they would be
//! granted to libzmq's threads).
#![no_main]

use std::time::Duration;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zmq4::{Context, ErrorKind, RecvFlags, SendFlags, SocketType};

#[derive(Arbitrary, Debug)]
enum Opt {
    IoThreads(u8),
    MaxSockets(usize),
    Ipv6(bool),
    Blocky(bool),
    MaxMsgsz(usize),
    SchedPolicy(i32),
    Priority(i32),
    Affinity(Vec<usize>),
    NamePrefix(i32),
    RetryOnInterrupt(bool),
    #[cfg(feature = "draft")]
    ZeroCopyRecv(bool),
    #[cfg(feature = "draft")]
    NamePrefixStr(String),
}

#[derive(Arbitrary, Debug)]
enum Later {
    Ipv6(bool),
    Blocky(bool),
    MaxMsgsz(usize),
    RetryOnInterrupt(bool),
    #[cfg(feature = "draft")]
    ZeroCopyRecv(bool),
}

#[derive(Arbitrary, Debug)]
struct Case {
    build: Vec<Opt>,
    later: Vec<Later>,
    message: Vec<u8>,
}

/// SCHED_FIFO, SCHED_RR and SCHED_DEADLINE.
const REAL_TIME: [i32; 3] = [1, 2, 6];

fn exchange(ctx: &Context, message: &[u8]) {
    let endpoint = format!("inproc://fuzz-{}", zmq4_fuzz::unique());
    let (Ok(a), Ok(b)) = (ctx.socket(SocketType::Pair), ctx.socket(SocketType::Pair)) else {
        return;
    };
    for s in [&a, &b] {
        s.set_linger(Some(Duration::ZERO)).unwrap();
        s.set_rcvtimeo(Some(Duration::from_secs(10))).unwrap();
        s.set_sndtimeo(Some(Duration::from_secs(10))).unwrap();
    }
    a.bind(&endpoint).expect("bind inproc");
    b.connect(&endpoint).expect("connect inproc");
    // Without retry_on_interrupt, libFuzzer's timer signal makes blocking
    // calls fail with Interrupted, as documented: try again.
    let sent = loop {
        match a.send(message, SendFlags::empty()) {
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            other => break other,
        }
    };
    sent.expect("an inproc send");
    let got = loop {
        match b.recv_bytes(RecvFlags::empty()) {
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            other => break other,
        }
    };
    // max_msgsz bounds what a socket receives over the network, not
    // inproc: a message that went out arrives.
    assert_eq!(got.expect("receive"), message);
}

fuzz_target!(|case: Case| {
    let mut builder = Context::builder();
    for opt in case.build.iter().take(16) {
        builder = match opt {
            Opt::IoThreads(n) => builder.io_threads(usize::from(*n % 17)),
            Opt::MaxSockets(n) if (1 << 20..i32::MAX as usize - 1).contains(n) => {
                builder.max_sockets(1 << 20)
            }
            Opt::MaxSockets(n) => builder.max_sockets(*n),
            Opt::Ipv6(v) => builder.ipv6(*v),
            Opt::Blocky(v) => builder.blocky(*v),
            Opt::MaxMsgsz(n) => builder.max_msgsz(*n),
            Opt::SchedPolicy(p) if REAL_TIME.contains(p) => builder,
            Opt::SchedPolicy(p) => builder.thread_sched_policy(*p),
            Opt::Priority(p) => builder.thread_priority(*p),
            Opt::Affinity(cpus) => builder.thread_affinity(cpus.iter().copied().take(64)),
            Opt::NamePrefix(n) => builder.thread_name_prefix(*n),
            Opt::RetryOnInterrupt(v) => builder.retry_on_interrupt(*v),
            #[cfg(feature = "draft")]
            Opt::ZeroCopyRecv(v) => builder.zero_copy_recv(*v),
            #[cfg(feature = "draft")]
            Opt::NamePrefixStr(s) => builder.thread_name_prefix_str(s),
        };
    }
    let Ok(ctx) = builder.build() else { return };
    let _ = (
        ctx.io_threads(),
        ctx.max_sockets(),
        ctx.socket_limit(),
        ctx.ipv6(),
    );
    let _ = (
        ctx.blocky(),
        ctx.max_msgsz(),
        ctx.msg_t_size(),
        ctx.thread_sched_policy(),
    );
    let _ = (ctx.thread_name_prefix(), ctx.retry_on_interrupt());
    #[cfg(feature = "draft")]
    let _ = ctx.zero_copy_recv();
    for later in case.later.iter().take(16) {
        let _ = match later {
            Later::Ipv6(v) => ctx.set_ipv6(*v),
            Later::Blocky(v) => ctx.set_blocky(*v),
            Later::MaxMsgsz(n) => ctx.set_max_msgsz(*n),
            Later::RetryOnInterrupt(v) => {
                ctx.set_retry_on_interrupt(*v);
                Ok(())
            }
            #[cfg(feature = "draft")]
            Later::ZeroCopyRecv(v) => ctx.set_zero_copy_recv(*v),
        };
    }
    exchange(&ctx, &case.message);
    // A context without sockets left terminates at once (again after an
    // interruption, when it does not retry by itself).
    let mut ctx = ctx;
    loop {
        match ctx.term() {
            Ok(()) => break,
            Err((again, e)) if e.kind() == ErrorKind::Interrupted => ctx = again,
            Err((_, e)) => panic!("terminate: {e}"),
        }
    }
});
