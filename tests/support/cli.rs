//! Runs the `zmq4` command-line tool from the tests: the binary cargo
//! built for this test (feature `cli`), started with piped standard
//! streams, and ended by a watchdog when it runs too long.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::peers::{self, Finished};

/// How long any one run of the tool may take before the test fails.
pub const LIMIT: Duration = Duration::from_secs(30);

/// A `zmq4` command with `args`.
pub fn zmq4(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zmq4"));
    cmd.args(args);
    cmd
}

/// Starts `zmq4 args...`, standard input empty.
pub fn start(args: &[&str]) -> Child {
    peers::spawn(&mut zmq4(args))
}

/// Runs `zmq4 args...` to its end (failing the test after [`LIMIT`]).
pub fn run(args: &[&str]) -> Finished {
    peers::wait(start(args), LIMIT)
}

/// Runs `zmq4 args...` with `input` on its standard input.
pub fn run_with_input(args: &[&str], input: &[u8]) -> Finished {
    let mut child = zmq4(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn zmq4");
    let mut stdin = child.stdin.take().expect("stdin piped");
    let input = input.to_vec();
    // From a thread: the tool may start reading only once connected.
    std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    peers::wait(child, LIMIT)
}

/// Asserts that `done` exited with `expected`, showing its output if not.
pub fn assert_exit(done: &Finished, expected: i32) {
    assert_eq!(
        done.status.code(),
        Some(expected),
        "exit status; stdout:\n{}\nstderr:\n{}",
        done.stdout,
        done.stderr
    );
}

/// Sends `signal` (`INT`, `TERM`, `USR1`) to `child`, with kill(1).
#[cfg(unix)]
pub fn signal(child: &Child, signal: &str) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{signal} {}", child.id());
}

/// Waits until `path` exists (an ipc socket file after a bind), failing
/// the test after [`LIMIT`].
pub fn wait_for_file(path: &std::path::Path) {
    let start = Instant::now();
    while !path.exists() {
        assert!(start.elapsed() < LIMIT, "{} never appeared", path.display());
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Asserts that the tool failed with `code` and one line on stderr
/// containing `text`.
pub fn assert_fails(done: &Finished, code: i32, text: &str) {
    assert_exit(done, code);
    assert_eq!(
        done.stderr.lines().count(),
        1,
        "one line: {:?}",
        done.stderr
    );
    assert!(
        done.stderr.contains(text),
        "{:?} lacks {text:?}",
        done.stderr
    );
}
