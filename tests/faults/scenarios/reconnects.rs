//! Memory and descriptors across many reconnects: a PUSH and a PULL of
//! this process meet through a relay, which resets their connection again
//! and again; after each reset a message must get through on a new
//! connection. The resident memory and the open descriptors are read
//! after a warm-up and at the end.

use std::time::{Duration, Instant};

use zmq4::{Context, RecvFlags, SendFlags, SocketType};

use super::{TempDir, Transport};
use crate::relay::Relay;
use crate::sys;
use crate::tally::{ms, payload, seq_of, Outcome, Promise};
use crate::watchdog::Guard;

/// Resets before the first reading, so that allocators and libzmq's
/// caches have reached their working size.
const WARM_UP: usize = 20;

/// The result, beyond the row.
#[derive(Debug, Clone, Copy)]
pub struct Growth {
    pub reconnects: usize,
    pub rss_before_kib: u64,
    pub rss_after_kib: u64,
    pub fds_before: usize,
    pub fds_after: usize,
}

pub fn run(transport: Transport, reconnects: usize, guard: &Guard) -> (Outcome, Growth) {
    let start = Instant::now();
    let mut out = Outcome::new(
        "PUSH->PULL",
        transport.name(),
        &format!("{reconnects} connection resets"),
        Promise::Nothing,
    );
    let dir = TempDir::new();
    let ctx = Context::new().unwrap();
    guard.context(&ctx);
    let pull = ctx.socket(SocketType::Pull).unwrap();
    pull.set_linger(Some(Duration::ZERO)).unwrap();
    pull.set_rcvtimeo(Some(Duration::from_millis(50))).unwrap();
    pull.bind(&transport.endpoint(dir.path(), "pull")).unwrap();
    let relay = Relay::start(&pull.last_endpoint().unwrap(), dir.path());
    let push = ctx.socket(SocketType::Push).unwrap();
    push.set_linger(Some(Duration::ZERO)).unwrap();
    push.set_reconnect_ivl(Some(Duration::from_millis(5)))
        .unwrap();
    push.connect(relay.endpoint()).unwrap();

    let mut msg = zmq4::Message::new();
    let mut seq = 0u64;
    let mut through = |out: &mut Outcome| -> bool {
        // One message across the connection there is now (or the next).
        let deadline = Instant::now() + Duration::from_secs(10);
        push.send_msg(payload(seq, 64), SendFlags::empty()).unwrap();
        out.sent += 1;
        while Instant::now() < deadline {
            if pull.recv(&mut msg, RecvFlags::empty()).is_ok() && seq_of(&msg).is_some() {
                out.delivered += 1;
                seq += 1;
                return true;
            }
        }
        seq += 1;
        false
    };
    let mut before = None;
    let mut failures = 0;
    guard.stage("reconnecting");
    for i in 0..WARM_UP + reconnects {
        if i == WARM_UP {
            // Let the relay close what it still holds, then read.
            std::thread::sleep(Duration::from_millis(100));
            before = Some((sys::rss_kib(None).unwrap(), sys::open_fds(None).unwrap()));
        }
        if !through(&mut out) {
            failures += 1;
        }
        relay.reset_all();
        out.faults += 1;
    }
    if !through(&mut out) {
        failures += 1;
    }
    std::thread::sleep(Duration::from_millis(100));
    let (rss_before_kib, fds_before) = before.unwrap();
    let rss_after_kib = sys::rss_kib(None).unwrap();
    // The descriptors come back to what they were, once the last reset's
    // sockets are closed (give them a moment).
    let mut fds_after = sys::open_fds(None).unwrap();
    let settle = Instant::now();
    while fds_after != fds_before && settle.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(10));
        fds_after = sys::open_fds(None).unwrap();
    }
    let stats = relay.stats();
    drop(relay);
    drop((push, pull));
    let growth = Growth {
        reconnects,
        rss_before_kib,
        rss_after_kib,
        fds_before,
        fds_after,
    };
    out.violations += failures;
    if failures > 0 {
        out.note(format!(
            "{failures} times no message got through after a reset"
        ));
    }
    out.note(format!(
        "RSS {rss_before_kib} KiB -> {rss_after_kib} KiB ({:+} KiB), fds {fds_before} -> {fds_after}, {} connections accepted by the relay",
        rss_after_kib as i64 - rss_before_kib as i64,
        stats.accepted
    ));
    out.detect_by = format!(
        "{} per reconnect",
        ms(start.elapsed() / (WARM_UP + reconnects) as u32)
    );
    out.elapsed = start.elapsed();
    (out, growth)
}
