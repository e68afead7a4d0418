//! Prints what this build of zmq4 links, one `key=value` per line: where
//! libzmq came from, its version, its capabilities, and (on Linux) how it
//! treats the OS resources it creates.
//!
//! ```text
//! cargo run --example build_info
//! cargo run --example build_info --features vendored
//! ```
//!
//! Comparing the two outputs shows whether the vendored libzmq can do what
//! the system's can. Exits with status 1 if a probe could not complete.

#[path = "build_info/probe.rs"]
mod probe;

use probe::Probe;

/// Prints one line per result of a probe, or `KEY=skipped` / `KEY=failed`
/// for each of its main keys (the reason goes to stderr). Returns false if
/// the probe failed.
fn print_probe<T>(
    name: &str,
    keys: &[&str],
    result: Probe<T>,
    lines: impl FnOnce(&T) -> Vec<String>,
) -> bool {
    let (word, why, ok) = match result {
        Probe::Done(value) => {
            for line in lines(&value) {
                println!("{line}");
            }
            return true;
        }
        Probe::Skipped(why) => ("skipped", why.to_string(), true),
        Probe::Failed(why) => ("failed", why, false),
    };
    for key in keys {
        println!("{key}={word}");
    }
    eprintln!("{name} probe {word}: {why}");
    ok
}

/// `true`/`false` for a property of a set of fds; `none` if there were none.
fn of_fds(count: usize, all: bool) -> String {
    if count == 0 {
        "none".into()
    } else {
        all.to_string()
    }
}

fn main() {
    eprintln!(
        "keepalive asked for: idle {} s, interval {} s, {} probes",
        probe::KEEPALIVE_IDLE,
        probe::KEEPALIVE_INTVL,
        probe::KEEPALIVE_CNT
    );
    let (major, minor, patch) = probe::version();
    println!("source={}", zmq4::LIBZMQ_SOURCE);
    println!("version={major}.{minor}.{patch}");
    for (name, present) in probe::capabilities() {
        println!("has.{name}={present}");
    }

    let mut ok = print_probe(
        "connection",
        &["keepalive", "cloexec"],
        probe::connection(),
        |c| {
            vec![
                format!("keepalive={}", c.keepalive_applied()),
                format!("keepalive.so_keepalive={}", c.so_keepalive),
                format!("keepalive.idle={}", c.keepidle),
                format!("keepalive.intvl={}", c.keepintvl),
                format!("keepalive.cnt={}", c.keepcnt),
                format!("cloexec={}", c.cloexec),
            ]
        },
    );

    ok &= print_probe(
        "signaler",
        &["eventfd", "eventfd.cloexec", "epoll", "epoll.cloexec"],
        probe::signalers(),
        |s| {
            vec![
                format!("eventfd={}", s.eventfds > 0),
                format!("eventfd.count={}", s.eventfds),
                format!("eventfd.cloexec={}", of_fds(s.eventfds, s.eventfds_cloexec)),
                format!("epoll={}", s.epolls > 0),
                format!("epoll.cloexec={}", of_fds(s.epolls, s.epolls_cloexec)),
            ]
        },
    );

    if !ok {
        std::process::exit(1);
    }
}
