//! File descriptors run out (`RLIMIT_NOFILE` lowered in a peer process):
//! creating sockets must fail with an error, not abort; a listener that
//! cannot accept must recover once descriptors are free again; a connect
//! made while none are left must complete once some are.
//!
//! The peer (role `fdlimit`, [`child`]) reports what it saw as facts; the
//! parent ([`run`]) opens the connections that exhaust its listener, and
//! checks the facts.

use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use zmq4::{Context, ErrorKind, EventKind, MonitorEvents, RecvFlags, SendFlags, SocketType};

use crate::peer::Peer;
use crate::roles::{fact, report, setting};
use crate::sys;
use crate::tally::{ms, Outcome, Promise, Tally};
use crate::watchdog::Guard;

/// The descriptor limit of the peer.
const LIMIT: u64 = 64;

/// The parent's side.
pub fn run(guard: &Guard) -> Outcome {
    let start = Instant::now();
    let mut out = Outcome::new(
        "ROUTER, PUSH",
        "tcp",
        &format!("file descriptors exhausted (ulimit -n {LIMIT})"),
        Promise::Told,
    );
    let ctx = Context::new().unwrap();
    guard.context(&ctx);
    // Where the peer's PUSH connects while it has no descriptor left.
    let pull = ctx.socket(SocketType::Pull).unwrap();
    pull.set_linger(Some(Duration::ZERO)).unwrap();
    pull.set_rcvtimeo(Some(Duration::from_secs(20))).unwrap();
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let tally = Arc::new(Tally::new(1));
    guard.stage("starting the peer");
    let peer = Peer::start(
        "fdlimit",
        &[("connect", pull.last_endpoint().unwrap())],
        &tally,
    );
    guard.pid(peer.pid());
    let router_ep = peer.ready(Duration::from_secs(20)).remove(0);
    let wait = Duration::from_secs(20);

    // 1. Sockets until none can be made (the peer's own report).
    let made = peer
        .fact("sockets_made", wait)
        .expect("the peer counts its sockets");
    let error = peer
        .fact("socket_error", wait)
        .expect("the peer reports the error");
    out.note(format!("{made} sockets made, then: {error}"));
    if !error.starts_with(&format!("{:?}", ErrorKind::TooManyOpen)) {
        out.violations += 1;
        out.note("expected TooManyOpen");
    }

    // 2. A connect made while no descriptor is left, completed later.
    guard.stage("waiting for the message sent while out of descriptors");
    let mut msg = zmq4::Message::new();
    match pull.recv(&mut msg, RecvFlags::empty()) {
        Ok(()) if &msg[..] == b"connected late" => {
            out.note("a connect made while out of descriptors completed later")
        }
        other => {
            out.violations += 1;
            out.note(format!(
                "the message sent while out of descriptors: {other:?}"
            ));
        }
    }

    // 3. More connections than descriptors to the peer's ROUTER.
    guard.stage("exhausting the listener");
    peer.fact("router_listening", wait)
        .expect("the ROUTER listens");
    let addr = router_ep.strip_prefix("tcp://").unwrap().to_owned();
    let cpu_before = sys::cpu_ticks(peer.pid()).unwrap_or(0);
    let held: Vec<TcpStream> = (0..2 * LIMIT)
        .filter_map(|_| TcpStream::connect(&addr).ok())
        .collect();
    out.faults = 1;
    let exhausted = Instant::now();
    std::thread::sleep(Duration::from_secs(2));
    let cpu = sys::cpu_ticks(peer.pid()).unwrap_or(0) - cpu_before;
    let busy = cpu as f64 / sys::ticks_per_second() as f64 / exhausted.elapsed().as_secs_f64();
    out.note(format!(
        "{} raw connections held; the peer used {:.0}% of a CPU meanwhile",
        held.len(),
        busy * 100.0
    ));
    drop(held);

    // 4. Once they are closed, a real client is served.
    guard.stage("checking that the ROUTER serves again");
    let dealer = ctx.socket(SocketType::Dealer).unwrap();
    dealer.set_linger(Some(Duration::ZERO)).unwrap();
    dealer.set_rcvtimeo(Some(Duration::from_secs(20))).unwrap();
    dealer.connect(&router_ep).unwrap();
    dealer.send("ping", SendFlags::empty()).unwrap();
    match dealer.recv_bytes(RecvFlags::empty()) {
        Ok(reply) if reply == b"pong" => {
            out.detect = Some(exhausted.elapsed());
            out.detect_by = "served again after the connections closed".to_owned();
        }
        other => {
            out.violations += 1;
            out.note(format!(
                "the ROUTER did not answer after recovering: {other:?}"
            ));
        }
    }
    let accept_failed = peer.fact("accept_failed", Duration::from_secs(5));
    out.note(format!(
        "listener reported ACCEPT_FAILED {} times",
        accept_failed.as_deref().unwrap_or("0")
    ));
    let _ = ctx.shutdown();
    drop((pull, dealer));
    let (status, killed) = peer.finish(Duration::from_secs(10));
    if killed || !status.success() {
        out.violations += 1;
        out.note(format!(
            "the peer ended badly: {status}{}",
            if killed { " (killed)" } else { "" }
        ));
    }
    out.elapsed = start.elapsed();
    out.note(format!("took {}", ms(out.elapsed)));
    out
}

/// The peer's side, with its descriptors limited.
pub fn child() {
    sys::limit_fds(LIMIT).expect("lower RLIMIT_NOFILE");
    let ctx = Context::new().unwrap();
    let router = ctx.socket(SocketType::Router).unwrap();
    router.set_linger(Some(Duration::ZERO)).unwrap();
    let mut monitor = router
        .monitor(MonitorEvents::ACCEPT_FAILED | MonitorEvents::ACCEPTED)
        .unwrap();
    router.bind("tcp://127.0.0.1:*").unwrap();
    report(&format!("ready {}", router.last_endpoint().unwrap()));

    // 1. Sockets until none can be made.
    let mut sockets = Vec::new();
    let error = loop {
        match ctx.socket(SocketType::Pair) {
            Ok(s) => sockets.push(s),
            Err(e) => break e,
        }
        assert!(sockets.len() < 10_000, "no limit reached");
    };
    fact("sockets_made", sockets.len());
    fact("socket_error", format!("{:?}: {error}", error.kind()));

    // 2. A connect while no descriptor is left (every one held by a
    // socket or a file), then the descriptors freed.
    let mut files = Vec::new();
    while let Ok(f) = std::fs::File::open("/dev/null") {
        files.push(f);
    }
    sockets.pop();
    let push = loop {
        // The socket itself needs a descriptor (its mailbox): take one
        // back from the files, and none is left for the connection.
        match ctx.socket(SocketType::Push) {
            Ok(p) => break p,
            Err(_) => {
                files.pop();
            }
        }
    };
    while let Ok(f) = std::fs::File::open("/dev/null") {
        files.push(f);
    }
    push.set_linger(Some(Duration::from_secs(5))).unwrap();
    push.connect(&setting("connect").unwrap()).unwrap();
    push.send("connected late", SendFlags::empty()).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    drop(files);
    drop(sockets);

    // 3. The parent now exhausts the ROUTER's listener; answer whatever
    // comes, and count the failed accepts.
    fact("router_listening", 1);
    router
        .set_rcvtimeo(Some(Duration::from_millis(100)))
        .unwrap();
    let mut accept_failed = 0u64;
    let mut parts = Vec::new();
    loop {
        while let Ok(Some(event)) = monitor.next_event(Some(Duration::ZERO)) {
            if matches!(event.kind(), EventKind::AcceptFailed { .. }) {
                accept_failed += 1;
            }
        }
        match router.recv_multipart_into(&mut parts, RecvFlags::empty()) {
            Ok(_) => {
                fact("accept_failed", accept_failed);
                let reply = [parts[0].to_vec(), b"pong".to_vec()];
                router.send_multipart(reply, SendFlags::empty()).unwrap();
            }
            Err(e) if e.kind() == ErrorKind::TimedOut => {}
            Err(_) => break,
        }
        // The parent closes stdin when it is done.
        if stdin_closed() {
            break;
        }
    }
    drop(push);
}

/// Whether the parent has closed this process's standard input.
fn stdin_closed() -> bool {
    let mut fds = [libc::pollfd {
        fd: 0,
        events: libc::POLLIN,
        revents: 0,
    }];
    // SAFETY: one valid pollfd.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), 1, 0) };
    n > 0 && fds[0].revents & (libc::POLLHUP | libc::POLLIN) != 0
}
