//! Peers we did not write, for the interop tests: pyzmq and JeroMQ.
//!
//! `ci/peers.sh` installs them and prints the environment that points here:
//! `ZMQ4_PYTHON` (a python with pyzmq), `ZMQ4_JEROMQ_JAR` (the JeroMQ jar)
//! and `ZMQ4_REQUIRE_PEERS=1`. Without that environment a test looks for
//! `python3` with pyzmq and for Debian's JeroMQ jar, and skips (saying so)
//! when a peer is missing; with `ZMQ4_REQUIRE_PEERS=1` a missing peer fails
//! the test instead.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

fn required() -> bool {
    matches!(
        std::env::var("ZMQ4_REQUIRE_PEERS").as_deref(),
        Ok(v) if !v.is_empty() && v != "0"
    )
}

/// Reports a missing peer: a failure when peers are required, a skip note otherwise.
fn missing(what: &str) {
    if required() {
        panic!("{what} is missing and ZMQ4_REQUIRE_PEERS is set (run ci/peers.sh)");
    }
    eprintln!("skipped: {what} not found (ci/peers.sh sets it up)");
}

/// The directory holding the peer programs: `tests/interop`.
pub fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

/// A python interpreter that imports `zmq` (pyzmq), or `None` (test skipped).
pub fn python() -> Option<PathBuf> {
    let candidate = std::env::var_os("ZMQ4_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("python3"));
    let ok = Command::new(&candidate)
        .args(["-c", "import zmq"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if ok {
        Some(candidate)
    } else {
        missing(&format!("pyzmq (python {})", candidate.display()));
        None
    }
}

/// A `Command` running `tests/interop/<script>` with pyzmq's python, or
/// `None` (test skipped).
pub fn python_script(script: &str) -> Option<Command> {
    let python = python()?;
    let mut cmd = Command::new(python);
    cmd.arg(interop_dir().join(script));
    Some(cmd)
}

/// The JeroMQ jar, or `None` (test skipped). `javac` and `java` must be on `PATH`.
pub fn jeromq_jar() -> Option<PathBuf> {
    let jar = std::env::var_os("ZMQ4_JEROMQ_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/share/java/jeromq.jar"));
    let java = Command::new("javac")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if jar.is_file() && java {
        Some(jar)
    } else {
        missing(&format!("JeroMQ ({}) with a JDK", jar.display()));
        None
    }
}

/// What a finished peer process printed.
pub struct Finished {
    /// How it exited.
    pub status: ExitStatus,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
}

/// Spawns `cmd` with piped stdout and stderr.
pub fn spawn(cmd: &mut Command) -> Child {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut attempt = 1;
    loop {
        match cmd.spawn() {
            Ok(child) => return child,
            // Wine's CreateProcess now and then fails with
            // ERROR_INTERNAL_ERROR (1359) while other processes of the
            // test start and end; it is the harness that failed, not the
            // program under test, so it is asked again.
            Err(e) if cfg!(windows) && e.raw_os_error() == Some(1359) && attempt < 5 => {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => panic!("spawn {cmd:?}: {e}"),
        }
    }
}

/// Waits for `child` to exit, killing it and failing the test after `limit`.
pub fn wait(mut child: Child, limit: Duration) -> Finished {
    // Read both pipes on their own threads, so a chatty peer cannot block.
    let mut out = child.stdout.take().expect("stdout piped");
    let mut err = child.stderr.take().expect("stderr piped");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for a peer") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let stdout = out.join().unwrap_or_default();
            let stderr = err.join().unwrap_or_default();
            panic!("peer still running after {limit:?}; stdout:\n{stdout}\nstderr:\n{stderr}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Finished {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}
