//! Runs one test case in a child process (this test binary again, running
//! only that case): for a case that must hang, or one that must not share
//! its process with other tests.

use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Names the case a child process runs.
const CASE: &str = "ZMQ4_PROMISES_CASE";

/// Whether this process is the child that runs `case`.
pub fn is_child(case: &str) -> bool {
    std::env::var(CASE).as_deref() == Ok(case)
}

/// Runs `case` in a child process. `Err(status)` if it exited within
/// `limit`; `Ok(())` if it was still running then (it is killed). With
/// `leaking`, the child leaks on purpose, and LeakSanitizer (when the
/// suite runs under AddressSanitizer) is told not to report it at exit,
/// which would fail the child.
fn run_child(case: &str, limit: Duration, leaking: bool) -> Result<(), ExitStatus> {
    let exe = std::env::current_exe().expect("the test binary");
    let name = super::test_name(case);
    let mut cmd = Command::new(exe);
    cmd.args([name.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env(CASE, case)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    if leaking {
        let asan = std::env::var("ASAN_OPTIONS").unwrap_or_default();
        cmd.env("ASAN_OPTIONS", format!("{asan}:detect_leaks=0"));
    }
    let mut child = cmd.spawn().expect("start the child");
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            return Err(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill the child");
    child.wait().expect("reap the child");
    Ok(())
}

/// Runs `case` in a child process, which must succeed within `limit`.
// Its one caller is Unix-only.
#[cfg_attr(not(unix), allow(dead_code))]
pub fn succeeds_within(case: &str, limit: Duration) {
    succeeds(case, limit, false);
}

/// [`succeeds_within`] for a case that leaks on purpose (a forgotten
/// socket or authenticator keeps its libzmq context for the process).
pub fn succeeds_within_leaking(case: &str, limit: Duration) {
    succeeds(case, limit, true);
}

fn succeeds(case: &str, limit: Duration, leaking: bool) {
    let status = run_child(case, limit, leaking)
        .expect_err(&format!("{case}: the child still ran after {limit:?}"));
    assert!(status.success(), "{case}: the child failed: {status}");
}
