//! Shutdown on Ctrl-C and SIGTERM (feature `signal`): the server examples,
//! started as processes and sent a signal while they block in a receive, a
//! poll, a send or a proxy, end with exit status 0 and their last line
//! printed; and `zmq4::signal` itself, in child processes made of this
//! test binary.
//!
//! A binary of its own: `zmq4::signal` installs process-wide handlers for
//! SIGINT, SIGTERM and SIGHUP, which stay for the life of the process and
//! would change how any other test in it ends.
#![cfg(all(unix, feature = "signal"))]

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::examples::{example, free_tcp};

/// How long a process may take to end after the signal.
const END_LIMIT: Duration = Duration::from_secs(10);
/// How long a process may take to print its first line.
const START_LIMIT: Duration = Duration::from_secs(30);

/// A process whose standard output is read line by line as it comes.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    stdout: Vec<String>,
    stderr: std::thread::JoinHandle<String>,
}

impl Running {
    fn start(mut cmd: Command) -> Running {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {cmd:?}: {e}"));
        let out = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut err, &mut s);
            s
        });
        Running {
            child,
            lines,
            stdout: Vec::new(),
            stderr,
        }
    }

    /// Waits for a line that starts with `prefix`.
    fn wait_for(&mut self, prefix: &str) {
        let deadline = Instant::now() + START_LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let found = line.starts_with(prefix);
                    self.stdout.push(line);
                    if found {
                        return;
                    }
                }
                Err(_) => {
                    let _ = self.child.kill();
                    panic!(
                        "no line starting with {prefix:?}; stdout so far:\n{}",
                        self.stdout.join("\n")
                    );
                }
            }
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed");
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_none()
    }

    /// Waits at most `limit` for the end: the status, every line printed,
    /// and the standard error.
    fn end(mut self, limit: Duration) -> (ExitStatus, Vec<String>, String) {
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                self.stdout.extend(self.lines.try_iter());
                panic!(
                    "still running {limit:?} after the signal; stdout:\n{}",
                    self.stdout.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        // The reader ends with the pipe.
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.stdout.push(line);
        }
        let stderr = self.stderr.join().unwrap_or_default();
        (status, self.stdout, stderr)
    }
}

/// Starts example `name`, waits for its line starting with `ready`, lets
/// it block, sends `signal` and checks that it ends cleanly.
fn interrupt(name: &str, args: &[&str], ready: &str, signal: &str) {
    let mut running = Running::start(example(name, args));
    running.wait_for(ready);
    // Let it reach the call it blocks in.
    std::thread::sleep(Duration::from_millis(200));
    assert!(running.is_running(), "{name} ended before the signal");
    let sent = Instant::now();
    running.signal(signal);
    let (status, stdout, stderr) = running.end(END_LIMIT);
    let took = sent.elapsed();
    assert!(
        status.success(),
        "{name} after SIG{signal}: {status}; stdout:\n{}\nstderr:\n{stderr}",
        stdout.join("\n")
    );
    assert_eq!(
        stdout.last().map(String::as_str),
        Some(format!("{name}: interrupted, shut down cleanly").as_str()),
        "{name}'s last line; stderr:\n{stderr}"
    );
    eprintln!("{name}: ended {took:?} after SIG{signal}");
}

#[test]
fn hello_server_ends_on_sigint_sigterm_and_sighup() {
    for signal in ["INT", "TERM", "HUP"] {
        interrupt("hello_server", &["--bind", &free_tcp()], "bound: ", signal);
    }
}

#[test]
fn router_server_ends_on_sigint() {
    interrupt("router_server", &["--bind", &free_tcp()], "bound: ", "INT");
}

#[test]
fn publisher_waiting_for_subscribers_ends_on_sigterm() {
    interrupt("publisher", &["--bind", &free_tcp()], "bound: ", "TERM");
}

#[test]
fn wuserver_ends_on_sigint() {
    interrupt("wuserver", &["--bind", &free_tcp()], "bound: ", "INT");
}

/// Blocked in a send: no puller is there to take the tasks.
#[test]
fn pusher_blocked_in_send_ends_on_sigint() {
    interrupt("pusher", &["--bind", &free_tcp()], "bound: ", "INT");
}

#[test]
fn puller_and_subscriber_end_on_sigint() {
    interrupt("puller", &["--connect", &free_tcp()], "connected: ", "INT");
    interrupt(
        "subscriber",
        &["--connect", &free_tcp()],
        "connected: ",
        "INT",
    );
}

/// Blocked in a `Poller`.
#[test]
fn rrbroker_and_taskwork_end_on_sigint() {
    interrupt(
        "rrbroker",
        &["--frontend", &free_tcp(), "--backend", &free_tcp()],
        "backend: ",
        "INT",
    );
    interrupt(
        "taskwork",
        &[
            "--connect",
            &free_tcp(),
            "--sink",
            &free_tcp(),
            "--control",
            &free_tcp(),
        ],
        "worker ready",
        "TERM",
    );
}

#[test]
fn tasksink_ends_on_sigint() {
    interrupt(
        "tasksink",
        &["--bind", &free_tcp(), "--control", &free_tcp()],
        "",
        "INT",
    );
}

/// A proxy thread and worker threads on one context.
#[test]
fn mtserver_ends_on_sigint() {
    interrupt("mtserver", &["--bind", &free_tcp()], "bound: ", "INT");
}

/// Threads, a proxy, and a client on a second context, interrupted in the
/// middle of their requests.
#[test]
fn inproc_broker_ends_on_sigint() {
    interrupt(
        "inproc_broker",
        &["--bind", &free_tcp(), "--count", "100000000"],
        "request ",
        "INT",
    );
}

/// Worker threads blocked in a shared channeler's receive, spawned with
/// `thread::spawn` and holding no borrow.
#[cfg(feature = "channeler")]
#[test]
fn channeler_server_ends_on_sigint() {
    interrupt(
        "channeler_server",
        &["--bind", &free_tcp(), "--clients", "0"],
        "bound: ",
        "INT",
    );
}

// ---- zmq4::signal itself, in children made of this test binary ----

/// The environment variable that makes a test of this binary act as a
/// child.
const CHILD: &str = "ZMQ4_SIGNAL_TEST_CHILD";

fn is_child(name: &str) -> bool {
    std::env::var(CHILD).as_deref() == Ok(name)
}

/// Runs test `name` of this binary as a child process.
fn child(name: &str) -> Running {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(CHILD, name);
    Running::start(cmd)
}

/// The child's side of `a_second_signal_ends_a_stuck_program`.
#[test]
fn child_stuck_after_shutdown() {
    if !is_child("child_stuck_after_shutdown") {
        return;
    }
    let ctx = zmq4::Context::new().unwrap();
    zmq4::signal::shutdown_on_signal(&ctx).unwrap();
    assert!(ctx.retry_on_interrupt(), "registering makes calls retry");
    assert!(!zmq4::signal::received());
    // After libtest's "test NAME ... ", on a line of its own.
    println!("\nready");
    // A program that does not notice the shutdown.
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if zmq4::signal::received() {
            println!("first signal");
            std::thread::sleep(Duration::from_secs(20));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    println!("timed out");
}

#[test]
fn a_second_signal_ends_a_stuck_program() {
    let mut running = child("child_stuck_after_shutdown");
    running.wait_for("ready");
    running.signal("INT");
    running.wait_for("first signal");
    assert!(running.is_running());
    running.signal("INT");
    let (status, stdout, stderr) = running.end(END_LIMIT);
    assert_eq!(
        status.code(),
        Some(zmq4::signal::FORCED_EXIT_STATUS),
        "stdout:\n{}\nstderr:\n{stderr}",
        stdout.join("\n")
    );
}

/// The child's side of `every_registered_context_is_shut_down`.
#[test]
fn child_several_contexts() {
    if !is_child("child_several_contexts") {
        return;
    }
    use zmq4::{RecvFlags, SocketType};
    // A context registered and dropped is not kept alive.
    let gone = zmq4::Context::new().unwrap();
    zmq4::signal::shutdown_on_signal(&gone).unwrap();
    gone.term().map_err(|(_, e)| e).unwrap();

    let a = zmq4::Context::new().unwrap();
    let b = zmq4::Context::new().unwrap();
    zmq4::signal::shutdown_on_signal(&a).unwrap();
    zmq4::signal::shutdown_on_signal(&a).unwrap(); // twice: no harm
    zmq4::signal::shutdown_on_signal(&b).unwrap();
    let pull_a = a.socket(SocketType::Pull).unwrap();
    pull_a.bind("inproc://a").unwrap();
    std::thread::scope(|s| {
        let waiter = s.spawn(|| {
            let pull_b = b.socket(SocketType::Pull).unwrap();
            pull_b.bind("inproc://b").unwrap();
            pull_b.recv_msg(RecvFlags::empty()).unwrap_err().kind()
        });
        println!("\nready");
        let kind = pull_a.recv_msg(RecvFlags::empty()).unwrap_err().kind();
        println!("a: {kind:?}");
        println!("b: {:?}", waiter.join().unwrap());
    });
    // Registered after the signal: shut down at once.
    let late = zmq4::Context::new().unwrap();
    zmq4::signal::shutdown_on_signal(&late).unwrap();
    let err = late.socket(SocketType::Pull).unwrap_err();
    println!("late: {:?}", err.kind());
}

#[test]
fn every_registered_context_is_shut_down() {
    let mut running = child("child_several_contexts");
    running.wait_for("ready");
    std::thread::sleep(Duration::from_millis(100));
    running.signal("TERM");
    let (status, stdout, stderr) = running.end(END_LIMIT);
    assert!(
        status.success(),
        "{status}; stdout:\n{}\nstderr:\n{stderr}",
        stdout.join("\n")
    );
    for line in ["a: Terminated", "b: Terminated", "late: Terminated"] {
        assert!(
            stdout.iter().any(|l| l == line),
            "no {line:?} in:\n{}",
            stdout.join("\n")
        );
    }
}

/// The child's side of `a_handler_of_the_programs_own_is_refused`: the
/// program installed its own Ctrl-C handler with ctrlc first.
#[test]
fn child_with_its_own_handler_first() {
    if !is_child("child_with_its_own_handler_first") {
        return;
    }
    ctrlc::set_handler(|| {}).unwrap();
    let ctx = zmq4::Context::new().unwrap();
    let err = zmq4::signal::shutdown_on_signal(&ctx).unwrap_err();
    println!("\nrefused: {:?}", err.kind());
    println!("retry: {}", ctx.retry_on_interrupt());
}

/// The child's side of `a_handler_of_the_programs_own_is_refused`: the
/// program installs its own handler after registering a context.
#[test]
fn child_with_its_own_handler_after() {
    if !is_child("child_with_its_own_handler_after") {
        return;
    }
    let ctx = zmq4::Context::new().unwrap();
    zmq4::signal::shutdown_on_signal(&ctx).unwrap();
    let err = ctrlc::set_handler(|| {}).unwrap_err();
    println!(
        "\nrefused: {}",
        matches!(err, ctrlc::Error::MultipleHandlers)
    );
}

/// One handler per process: whichever comes second is refused, and a
/// context that could not be registered is left as it was.
#[test]
fn a_handler_of_the_programs_own_is_refused() {
    for (name, lines) in [
        (
            "child_with_its_own_handler_first",
            &["refused: InvalidState", "retry: false"][..],
        ),
        ("child_with_its_own_handler_after", &["refused: true"][..]),
    ] {
        let (status, stdout, stderr) = child(name).end(END_LIMIT);
        assert!(
            status.success(),
            "{name}: {status}; stdout:\n{}\nstderr:\n{stderr}",
            stdout.join("\n")
        );
        for line in lines {
            assert!(
                stdout.iter().any(|l| l == line),
                "{name}: no {line:?} in:\n{}",
                stdout.join("\n")
            );
        }
    }
}
