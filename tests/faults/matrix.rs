//! The full matrix: every pattern, over tcp and ipc, under every fault,
//! plus the scenarios of their own; and the table it writes.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::scenarios::stream::{self, Fault, Pattern, Spec};
use crate::scenarios::Transport;
use crate::sys::Scale;
use crate::tally::{ms, Outcome};
use crate::watchdog;

/// The faults every pattern meets.
pub const STREAM_FAULTS: [Fault; 11] = [
    Fault::None,
    Fault::SlowLink,
    Fault::Kill,
    Fault::Stop { heartbeat: false },
    Fault::Stop { heartbeat: true },
    Fault::Reset,
    Fault::Drop,
    Fault::Blackhole { heartbeat: false },
    Fault::Blackhole { heartbeat: true },
    Fault::Partition { heartbeat: false },
    Fault::Partition { heartbeat: true },
];

/// Runs `scenario` under the watchdog; a run that overruns becomes a row
/// marked hung.
pub fn guarded(
    name: &str,
    limit: Duration,
    blank: Outcome,
    scenario: impl FnOnce(&watchdog::Guard) -> Outcome + Send + 'static,
) -> Outcome {
    let start = Instant::now();
    match watchdog::bounded(name, limit, scenario) {
        Ok(out) => out,
        Err(hang) => {
            let mut out = blank;
            out.hung = true;
            out.elapsed = start.elapsed();
            out.note(hang);
            out
        }
    }
}

/// Every stream run of the matrix at `scale`, each row printed as it
/// comes.
pub fn streams(scale: Scale, transports: &[Transport], patterns: &[Pattern]) -> Vec<Outcome> {
    let mut rows = Vec::new();
    for &pattern in patterns {
        for &transport in transports {
            for fault in STREAM_FAULTS {
                let spec = Spec::new(pattern, transport, fault, scale);
                let name = format!("{} {} {}", pattern.name(), transport.name(), fault.name());
                let blank = Outcome::new(
                    pattern.name(),
                    transport.name(),
                    &fault.name(),
                    stream::promise(pattern, fault),
                );
                let out = guarded(&name, Duration::from_secs(600), blank, move |g| {
                    stream::run(spec, g)
                });
                println!("{out}");
                rows.push(out);
            }
        }
    }
    rows
}

/// Totals over rows.
#[derive(Debug, Default)]
pub struct Totals {
    pub runs: u64,
    pub messages: u64,
    pub delivered: u64,
    pub faults: u64,
    pub silent_losses: u64,
    pub violations: u64,
    pub hangs: u64,
    /// Peer processes that died by themselves (libzmq assertions).
    pub crashed_peers: u64,
}

pub fn totals(rows: &[Outcome]) -> Totals {
    let mut t = Totals::default();
    for r in rows {
        t.runs += 1;
        t.messages += r.sent;
        t.delivered += r.delivered;
        t.faults += r.faults;
        t.silent_losses += r.lost;
        t.violations += r.violations;
        t.hangs += u64::from(r.hung);
        t.crashed_peers += r.crashed_peers;
    }
    t
}

/// What a user should do about each fault, for the table.
pub fn advice(pattern: &str, fault: &str) -> &'static str {
    let f = fault;
    if f.starts_with("none") || f.starts_with("slow link") {
        return "";
    }
    if f.starts_with("slow consumer at HWM") {
        if f.contains("DONTWAIT") || f.contains("SNDTIMEO") {
            return "a failed send hands the message back: send it again later";
        }
        if pattern.starts_with("PUB") || pattern.starts_with("ROUTER") {
            return "dropped silently at the HWM: XPUB_NODROP or ROUTER_MANDATORY to be told";
        }
        return "the send waits, nothing is lost: SNDTIMEO or DONTWAIT not to wait for ever";
    }
    if f.starts_with("exit") {
        if f.contains("LINGER 0") {
            return "LINGER 0 drops what is queued at once";
        }
        if f.contains("LINGER -1") {
            return "LINGER -1 waits for ever for a gone peer: set a bound";
        }
        return "LINGER bounds the exit; what is still queued then is lost";
    }
    if f.starts_with("EINTR") {
        return "nothing lost: retry_on_interrupt, or call again on Interrupted";
    }
    if f.starts_with("context shutdown") {
        return "every blocked call returns Terminated: close the socket, end the thread";
    }
    if f.starts_with("file descriptors") {
        return "raise ulimit -n; creating a socket fails with an error, a listener recovers";
    }
    if f.starts_with("peer vanished") {
        if f.contains("ROUTER_MANDATORY") {
            return "sends fail with HostUnreachable once the loss is seen: keep and resend";
        }
        return "dropped silently: ROUTER_MANDATORY to be told";
    }
    if f.starts_with("peer back at once") {
        if f.contains("ROUTER_HANDOVER") {
            return "the new connection takes the routing id over";
        }
        return "set ROUTER_HANDOVER, or a returning peer may be ignored";
    }
    if f.contains("connection resets") {
        return "libzmq reconnects by itself; memory and descriptors stay flat";
    }
    if f.starts_with("IP black hole") && !f.contains("heartbeat") {
        if f.contains("keepalive") {
            return "keepalive sees a dead peer only on an idle connection: use heartbeats";
        }
        if f.contains("TCP_MAXRT") {
            return "TCP_MAXRT sees a dead peer only while data is unacknowledged: use heartbeats";
        }
        return "nothing notices: set ZMQ_HEARTBEAT_IVL/TIMEOUT";
    }
    if pattern.starts_with("REQ") {
        return "Lazy Pirate: a receive timeout, then a fresh REQ and a resend; make requests idempotent";
    }
    if pattern.starts_with("PUB") {
        return "PUB never waits: number messages and detect gaps; XPUB_NODROP to be told at the HWM";
    }
    if f.contains("heartbeat") {
        return "heartbeats detect it; what was in flight is lost: acknowledge end to end";
    }
    if f.starts_with("black hole") {
        return "nothing notices: set ZMQ_HEARTBEAT_IVL/TIMEOUT";
    }
    if f.starts_with("partition") || f.starts_with("peer stopped") {
        return "nothing lost while the connection survives; without heartbeats nobody notices";
    }
    if pattern.starts_with("DEALER") {
        return "requests in flight vanish: time out and resend (Paranoid Pirate), or ROUTER_MANDATORY on the server side";
    }
    "messages in flight are lost silently: acknowledge end to end, or resend on reconnect"
}

/// The table in Markdown, one row per outcome, with a totals line.
pub fn markdown(rows: &[Outcome]) -> String {
    let mut s = String::new();
    s.push_str(
        "| Pattern | Transport | Fault | Sent | Delivered | Lost silently | Told | Dup | Reordered | \
         Detected by the sender | Longest gap | Promise | Broken | What to do |\n",
    );
    s.push_str("|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|---:|---|\n");
    for r in rows {
        let detect = match r.detect {
            Some(d) => format!("{} ({})", ms(d), r.detect_by),
            None if r.detect_by.is_empty() => "-".to_owned(),
            None => r.detect_by.clone(),
        };
        let broken = if r.hung {
            format!("{} HUNG", r.violations)
        } else {
            r.violations.to_string()
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.pattern,
            r.transport,
            r.fault,
            r.sent,
            r.delivered,
            r.lost,
            r.told,
            r.dups,
            r.reordered,
            detect,
            ms(r.outage),
            r.promise,
            broken,
            advice(&r.pattern, &r.fault),
        );
    }
    s
}

/// The notes of each row, as a list under the table.
pub fn notes(rows: &[Outcome]) -> String {
    let mut s = String::new();
    for r in rows.iter().filter(|r| !r.notes.is_empty()) {
        let _ = writeln!(
            s,
            "- {} / {} / {}: {}",
            r.pattern, r.transport, r.fault, r.notes
        );
    }
    s
}
