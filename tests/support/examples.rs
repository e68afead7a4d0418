//! Runs the example programs from the tests: finds their binaries, gives
//! them free endpoints, starts them bounded in time and checks what they
//! print.
//!
//! `cargo test` (with no target selected) builds every example before it
//! runs a test, into `<target>/<profile>/examples/`, next to the `deps/`
//! directory holding the test binary; that is where they are looked for.
//! A test run that does not build them (`cargo test --test examples`), or
//! that finds them older than their sources, builds them first with
//! `cargo build --examples` and the same features and profile.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::Once;
use std::time::{Duration, SystemTime};

use crate::support::peers;

/// How long any one process of these tests may run before it is killed
/// and the test fails.
pub const LIMIT: Duration = Duration::from_secs(30);

/// The directory the examples are built into.
fn examples_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    // <target>/<profile>/deps/<test>-<hash>
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test binary lives in <target>/<profile>/deps");
    profile_dir.join("examples")
}

fn binary(name: &str) -> PathBuf {
    examples_dir().join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The newest modification time of the `.rs` files under `dir`, unit
/// tests (`tests.rs`, which no example is built from) aside.
fn newest_source(dir: &Path) -> Option<SystemTime> {
    let mut newest = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let time = if path.is_dir() {
            newest_source(&path)
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            modified(&path)
        } else {
            None
        };
        newest = newest.max(time);
    }
    newest
}

/// Builds the examples when one is missing or older than the sources.
fn ensure_built(name: &str) {
    static BUILD: Once = Once::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stale = |name: &str| match modified(&binary(name)) {
        None => true,
        Some(built) => {
            let sources =
                newest_source(&root.join("examples")).max(newest_source(&root.join("src")));
            sources.is_some_and(|s| s > built)
        }
    };
    if !stale(name) {
        return;
    }
    BUILD.call_once(|| {
        let mut features = Vec::new();
        for (on, feature) in [
            (cfg!(feature = "curve"), "curve"),
            (cfg!(feature = "vendored"), "vendored"),
            (cfg!(feature = "draft"), "draft"),
            (cfg!(feature = "bindgen"), "bindgen"),
            (cfg!(feature = "tokio"), "tokio"),
            (cfg!(feature = "channeler"), "channeler"),
            (cfg!(feature = "signal"), "signal"),
        ] {
            if on {
                features.push(feature);
            }
        }
        let mut cmd = Command::new(env!("CARGO"));
        cmd.current_dir(root)
            .args(["build", "--examples", "--no-default-features"])
            .arg(format!("--features={}", features.join(",")));
        if examples_dir().parent().and_then(Path::file_name) == Some("release".as_ref()) {
            cmd.arg("--release");
        }
        eprintln!("building the examples: {cmd:?}");
        let status = cmd.status().expect("run cargo build --examples");
        assert!(status.success(), "cargo build --examples failed");
    });
    assert!(
        binary(name).is_file(),
        "example {name} not found at {}",
        binary(name).display()
    );
}

/// A `Command` running example `name` with `args`.
pub fn example(name: &str, args: &[&str]) -> Command {
    ensure_built(name);
    let mut cmd = Command::new(binary(name));
    cmd.args(args);
    cmd
}

/// Starts example `name` with `args`.
pub fn start(name: &str, args: &[&str]) -> Child {
    peers::spawn(&mut example(name, args))
}

/// Waits for a process started by [`start`] (or any peer), and checks that it
/// exited with status 0. Returns its standard output.
pub fn finish(child: Child, what: &str) -> String {
    let done = peers::wait(child, LIMIT);
    assert!(
        done.status.success(),
        "{what} failed ({}); stdout:\n{}\nstderr:\n{}",
        done.status,
        done.stdout,
        done.stderr
    );
    done.stdout
}

/// Runs example `name` to its end; returns its standard output.
pub fn run(name: &str, args: &[&str]) -> String {
    finish(start(name, args), name)
}

/// A tcp endpoint on a port that was free a moment ago: bound by a
/// listener that is dropped at once. (A process that binds
/// `tcp://127.0.0.1:*` knows its port only after binding; the peer started
/// beside it must know it before.)
pub fn free_tcp() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    format!("tcp://127.0.0.1:{port}")
}

/// The lines of `out` that start with `prefix`, without it.
pub fn lines<'a>(out: &'a str, prefix: &str) -> Vec<&'a str> {
    out.lines().filter_map(|l| l.strip_prefix(prefix)).collect()
}

/// `["{stem} 1", ..., "{stem} N"]`.
pub fn numbered(stem: &str, n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("{stem} {i}")).collect()
}
