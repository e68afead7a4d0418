//! Peers in processes of their own: this test binary started again in a
//! child mode (see [`roles`](crate::roles)), so that a test can kill one
//! with SIGKILL, stop and continue it, restart it, or limit its file
//! descriptors.
//!
//! A peer writes one line per event on its standard output, each starting
//! with `@` (libtest's own lines have none; the first may follow libtest's
//! `test peer_process ... `): `@ready ENDPOINT...` once bound,
//! `@r SEQ` for every numbered message it received, `@x KEY=VALUE` for
//! facts it reports. Each line is written (a system call) as the event
//! happens, so whatever a killed peer reported before it died is in the
//! pipe. A peer ends when its standard input is closed, and is killed if
//! the test process dies (`PR_SET_PDEATHSIG`; that signal follows the
//! thread that started the peer, so peers are started from the thread
//! that runs the scenario, which outlives them).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::tally::Tally;

/// The environment variable naming the role of a child process.
pub const ROLE: &str = "ZMQ4_FAULTS_ROLE";
/// Prefix of the environment variables carrying a role's settings.
pub const SETTING: &str = "ZMQ4_FAULTS_";
/// The test (in `main.rs`) that runs a role in a child process.
pub const ENTRY: &str = "peer_process";

/// What a peer reported besides received messages.
#[derive(Default)]
struct Reports {
    ready: Option<Vec<String>>,
    facts: Vec<(String, String)>,
    closed: bool,
}

struct Shared {
    reports: Mutex<Reports>,
    changed: Condvar,
}

/// A peer process.
pub struct Peer {
    role: String,
    settings: Vec<(String, String)>,
    child: Child,
    stdin: Option<ChildStdin>,
    reader: Option<JoinHandle<()>>,
    shared: Arc<Shared>,
    tally: Arc<Tally>,
}

impl Peer {
    /// Starts `role` with `settings` (each `(name, value)` becomes
    /// `ZMQ4_FAULTS_NAME=value`); the numbered messages it reports go to
    /// `tally`.
    pub fn start(role: &str, settings: &[(&str, String)], tally: &Arc<Tally>) -> Peer {
        let settings: Vec<(String, String)> = settings
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        Peer::spawn(role.to_owned(), settings, Arc::clone(tally), false)
    }

    /// Starts `role` as [`start`](Peer::start) does, in a network namespace
    /// of its own (made between fork and exec, while the child has one
    /// thread, as user namespaces require; root needs none). If no
    /// namespace can be made, the peer runs in this one, and sees that its
    /// namespace is the parent's (`PARENT_NETNS`).
    pub fn start_in_network_namespace(
        role: &str,
        settings: &[(&str, String)],
        tally: &Arc<Tally>,
    ) -> Peer {
        let mut settings: Vec<(String, String)> = settings
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let ours = std::fs::read_link("/proc/self/ns/net")
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        settings.push(("parent_netns".to_owned(), ours));
        Peer::spawn(role.to_owned(), settings, Arc::clone(tally), true)
    }

    fn spawn(
        role: String,
        settings: Vec<(String, String)>,
        tally: Arc<Tally>,
        isolate: bool,
    ) -> Peer {
        let exe = std::env::current_exe().expect("the test binary");
        let mut command = Command::new(exe);
        command
            .args([ENTRY, "--exact", "--nocapture", "--test-threads=1"])
            .env(ROLE, &role)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (name, value) in &settings {
            command.env(format!("{SETTING}{}", name.to_uppercase()), value);
        }
        // SAFETY: prctl is async-signal-safe and touches no memory of the
        // parent; it only asks the kernel for SIGKILL when the thread that
        // started the child ends.
        unsafe {
            command.pre_exec(move || {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
                if isolate && libc::unshare(libc::CLONE_NEWNET) != 0 {
                    // Without root: a user namespace too (the child has
                    // one thread here, as that requires). A failure is
                    // seen by the child.
                    libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET);
                }
                Ok(())
            });
        }
        let mut child = command.spawn().expect("start a peer process");
        let stdout = child.stdout.take().expect("the peer's stdout");
        let stdin = child.stdin.take();
        let shared = Arc::new(Shared {
            reports: Mutex::new(Reports::default()),
            changed: Condvar::new(),
        });
        let reader = {
            let shared = Arc::clone(&shared);
            let tally = Arc::clone(&tally);
            std::thread::spawn(move || read_reports(stdout, &shared, &tally))
        };
        Peer {
            role,
            settings,
            child,
            stdin,
            reader: Some(reader),
            shared,
            tally,
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits (at most `limit`) for the peer's `@ready` line and returns the
    /// endpoints it gave.
    pub fn ready(&self, limit: Duration) -> Vec<String> {
        let deadline = Instant::now() + limit;
        let mut reports = self.shared.reports.lock().unwrap();
        loop {
            if let Some(ready) = &reports.ready {
                return ready.clone();
            }
            assert!(
                !reports.closed,
                "peer {} ended before it was ready",
                self.role
            );
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "peer {} not ready after {limit:?}",
                self.role
            );
            reports = self.shared.changed.wait_timeout(reports, left).unwrap().0;
        }
    }

    /// Waits (at most `limit`) for the fact `key` and returns its value.
    pub fn fact(&self, key: &str, limit: Duration) -> Option<String> {
        let deadline = Instant::now() + limit;
        let mut reports = self.shared.reports.lock().unwrap();
        loop {
            if let Some((_, v)) = reports.facts.iter().find(|(k, _)| k == key) {
                return Some(v.clone());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if reports.closed || left.is_zero() {
                return None;
            }
            reports = self.shared.changed.wait_timeout(reports, left).unwrap().0;
        }
    }

    /// Every fact reported so far.
    pub fn facts(&self) -> HashMap<String, String> {
        self.shared
            .reports
            .lock()
            .unwrap()
            .facts
            .iter()
            .cloned()
            .collect()
    }

    /// Kills the peer with SIGKILL and reaps it.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.join_reader();
    }

    /// Sends SIGSTOP or SIGCONT (or any signal).
    pub fn signal(&self, signal: libc::c_int) {
        crate::sys::kill(self.pid(), signal).expect("signal the peer");
    }

    /// The same role with the same settings, plus `extra` (which win), in a
    /// new process reporting to the same tally.
    pub fn restart_with(&self, extra: &[(&str, String)]) -> Peer {
        let mut settings = self.settings.clone();
        for (k, v) in extra {
            settings.retain(|(name, _)| name != k);
            settings.push(((*k).to_owned(), v.clone()));
        }
        Peer::spawn(self.role.clone(), settings, Arc::clone(&self.tally), false)
    }

    /// Ends the peer: closes its standard input, then waits at most `limit`
    /// for it to exit; kills it if it did not. Returns its exit status and
    /// whether it had to be killed.
    pub fn finish(mut self, limit: Duration) -> (ExitStatus, bool) {
        drop(self.stdin.take());
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for a peer") {
                self.join_reader();
                return (status, false);
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                let status = self.child.wait().expect("reap a peer");
                self.join_reader();
                return (status, true);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits at most `limit` for the peer to exit by itself; `None` if it
    /// is still running then.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for a peer") {
                self.join_reader();
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    fn join_reader(&mut self) {
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        if self.reader.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
            self.join_reader();
        }
    }
}

fn read_reports(stdout: std::process::ChildStdout, shared: &Shared, tally: &Tally) {
    let reader = BufReader::new(stdout);
    for line in reader.lines() {
        let Ok(line) = line else { break };
        // libtest may have begun the line ("test peer_process ... ").
        let Some(at) = line.find('@') else { continue };
        let rest = &line[at + 1..];
        let (what, args) = rest.split_once(' ').unwrap_or((rest, ""));
        match what {
            "r" => {
                if let Ok(seq) = args.parse() {
                    tally.record(seq);
                }
            }
            "ready" => {
                let mut reports = shared.reports.lock().unwrap();
                reports.ready = Some(args.split_whitespace().map(str::to_owned).collect());
                shared.changed.notify_all();
            }
            "x" => {
                let (k, v) = args.split_once('=').unwrap_or((args, ""));
                let mut reports = shared.reports.lock().unwrap();
                reports.facts.push((k.to_owned(), v.to_owned()));
                shared.changed.notify_all();
            }
            _ => {}
        }
    }
    let mut reports = shared.reports.lock().unwrap();
    reports.closed = true;
    shared.changed.notify_all();
}
