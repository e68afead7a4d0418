//! The full matrix and the long soak: ignored tests that `ci/faults.sh`
//! runs. Each writes what it found to the directory named by
//! `ZMQ4_FAULTS_OUT` (default `target/faults`): the table in Markdown,
//! the notes of each row, and the totals.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::matrix::{self, guarded};
use crate::scenarios::stream::Pattern;
use crate::scenarios::{
    eintr, fdlimit, hwm, linger, mandatory, netns, reconnects, shutdown, Transport,
};
use crate::sys::Scale;
use crate::tally::{ms, Outcome, Promise};
use crate::watchdog;

fn out_dir() -> PathBuf {
    let dir = std::env::var_os("ZMQ4_FAULTS_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/faults"));
    std::fs::create_dir_all(&dir).expect("the output directory");
    dir
}

const LIMIT: Duration = Duration::from_secs(600);

fn row(rows: &mut Vec<Outcome>, out: Outcome) {
    println!("{out}");
    rows.push(out);
}

/// The scenarios that are not a stream with a fault: high-water marks,
/// ROUTER_MANDATORY, LINGER at exit, context shutdown, signals,
/// descriptors, IP black holes.
fn other_rows(scale: Scale, rows: &mut Vec<Outcome>) {
    let n = scale.messages;
    for transport in [Transport::Tcp, Transport::Ipc] {
        for case in hwm::Case::ALL {
            let blank = Outcome::new(
                case.pattern(),
                transport.name(),
                case.fault(),
                case.promise(),
            );
            row(
                rows,
                guarded(case.fault(), LIMIT, blank, move |g| {
                    hwm::run(case, transport, n, g)
                }),
            );
        }
        for m in [false, true] {
            let blank = Outcome::new(
                "ROUTER->DEALER",
                transport.name(),
                "peer vanished",
                Promise::Nothing,
            );
            row(
                rows,
                guarded("mandatory", LIMIT, blank, move |g| {
                    mandatory::run(m, transport, n, g)
                }),
            );
        }
        for handover in [false, true] {
            let blank = Outcome::new(
                "DEALER->ROUTER",
                transport.name(),
                "same routing id",
                Promise::Nothing,
            );
            row(
                rows,
                guarded("same id", LIMIT, blank, move |g| {
                    mandatory::same_id(handover, transport, 20, g)
                }),
            );
        }
    }
    let lingers = [
        (linger::Linger::Default, None),
        (linger::Linger::Millis(0), None),
        (linger::Linger::Millis(1000), None),
        (linger::Linger::Forever, None),
        (linger::Linger::Default, Some(Duration::from_secs(1))),
        (linger::Linger::Millis(0), Some(Duration::from_secs(1))),
    ];
    for transport in [Transport::Tcp, Transport::Ipc] {
        for (l, back) in lingers {
            let case = linger::Case {
                linger: l,
                peer_back_after: back,
                limit: Duration::from_secs(15),
            };
            let blank = Outcome::new(
                "PUSH (exiting)",
                transport.name(),
                &case.name(),
                Promise::Nothing,
            );
            row(
                rows,
                guarded(&case.name(), LIMIT, blank, move |g| {
                    linger::run(case, transport, g)
                }),
            );
        }
    }
    let blank = Outcome::new("all", "inproc, tcp", "context shutdown", Promise::Told);
    row(
        rows,
        guarded("context shutdown", LIMIT, blank, shutdown::run),
    );
    for transport in [Transport::Tcp, Transport::Ipc] {
        for retry in [false, true] {
            let blank = Outcome::new(
                "PUSH->PULL",
                transport.name(),
                "EINTR storm",
                Promise::Exactly,
            );
            row(
                rows,
                guarded("EINTR", LIMIT, blank, move |g| {
                    eintr::run(retry, transport, n, g)
                }),
            );
        }
    }
    let blank = Outcome::new("ROUTER, PUSH", "tcp", "fd exhaustion", Promise::Told);
    row(rows, guarded("fd exhaustion", LIMIT, blank, fdlimit::run));
    for idle in [false, true] {
        for mechanism in netns::Mechanism::ALL {
            let blank = Outcome::new("PUSH->PULL", "tcp", "IP black hole", Promise::Nothing);
            row(
                rows,
                guarded("IP black hole", LIMIT, blank, move |g| {
                    netns::run(mechanism, idle, n, g)
                }),
            );
        }
    }
}

/// Every pattern over tcp and ipc under every fault, 100,000 messages a
/// run; then the other scenarios, and 1,000 reconnects over each
/// transport. Writes `matrix.md` (the table), `notes.md` and
/// `totals.txt`, and fails if a promise was broken or a run hung.
#[test]
#[ignore]
fn full_matrix() {
    let _serial = watchdog::serial();
    let scale = Scale::full();
    let start = Instant::now();
    let mut rows = matrix::streams(scale, &[Transport::Tcp, Transport::Ipc], &Pattern::ALL);
    other_rows(scale, &mut rows);
    let mut growth_lines = String::new();
    for transport in [Transport::Tcp, Transport::Ipc] {
        let (out, growth) = watchdog::bounded("reconnects", LIMIT, move |g| {
            reconnects::run(transport, scale.reconnects, g)
        })
        .unwrap_or_else(|hang| panic!("{hang}"));
        let _ = writeln!(
            growth_lines,
            "reconnects {}: {} reconnects, RSS {} KiB -> {} KiB ({:+} KiB), fds {} -> {}",
            transport.name(),
            growth.reconnects,
            growth.rss_before_kib,
            growth.rss_after_kib,
            growth.rss_after_kib as i64 - growth.rss_before_kib as i64,
            growth.fds_before,
            growth.fds_after
        );
        if growth.fds_after != growth.fds_before {
            let mut out = out;
            out.violations += 1;
            out.note("descriptors leaked");
            row(&mut rows, out);
        } else {
            row(&mut rows, out);
        }
    }
    let totals = matrix::totals(&rows);
    let dir = out_dir();
    std::fs::write(dir.join("matrix.md"), matrix::markdown(&rows)).unwrap();
    std::fs::write(dir.join("notes.md"), matrix::notes(&rows)).unwrap();
    let (major, minor, patch) = zmq4::version();
    let text = format!(
        "libzmq {major}.{minor}.{patch} ({})\n\
         runs {}\nmessages sent {}\nmessages delivered {}\nfaults injected {}\n\
         lost silently {}\nbroken promises {}\nhangs {}\npeer processes that died by themselves {}\n\
         {growth_lines}took {}\n",
        zmq4::LIBZMQ_SOURCE,
        totals.runs,
        totals.messages,
        totals.delivered,
        totals.faults,
        totals.silent_losses,
        totals.violations,
        totals.hangs,
        totals.crashed_peers,
        ms(start.elapsed()),
    );
    std::fs::write(dir.join("totals.txt"), &text).unwrap();
    println!("{text}");
    for r in rows.iter().filter(|r| r.violations > 0 || r.hung) {
        println!("BROKEN: {r}");
    }
    assert_eq!(totals.hangs, 0, "runs hung");
    assert_eq!(totals.violations, 0, "promises broken");
}

/// The soak, for `ZMQ4_FAULTS_SOAK_SECS` seconds (default 1800). Writes
/// `soak.txt` (the summary and the samples).
#[test]
#[ignore]
fn soak() {
    let _serial = watchdog::serial();
    let secs: u64 = std::env::var("ZMQ4_FAULTS_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1800);
    let duration = Duration::from_secs(secs);
    let report = watchdog::bounded("soak", duration + LIMIT, move |g| {
        crate::soak::run(duration, g)
    })
    .unwrap_or_else(|hang| panic!("{hang}"));
    let mut text = report.summary();
    text.push_str("\n\nseconds rss_kib fds delivered(push,req,dealer,sub)\n");
    for s in &report.samples {
        let _ = writeln!(
            text,
            "{:.0} {} {} {:?}",
            s.at.as_secs_f64(),
            s.rss_kib,
            s.fds,
            s.delivered
        );
    }
    std::fs::write(out_dir().join("soak.txt"), &text).unwrap();
    println!("{text}");
    assert_eq!(report.hangs(), 0, "{}", report.summary());
    assert_eq!(report.requests_unanswered, 0, "{}", report.summary());
    assert_eq!(report.fd_leak(), 0, "{}", report.summary());
    assert_eq!(report.stuck_peers, 0, "{}", report.summary());
}
