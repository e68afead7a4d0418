//! Every scenario runs under a watchdog, so that a regression that makes
//! something hang fails the test instead of hanging it.
//!
//! [`bounded`] runs a scenario on a thread of its own. If it has not
//! finished in time, the watchdog says where it was (the stage it last
//! set), shuts down the contexts it registered (every blocking libzmq call
//! then returns `ETERM`) and kills the processes it registered; if the
//! scenario still does not finish, the test process aborts. Either way the
//! test fails, and the hang is counted.

use std::io::Write;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use zmq4::Context;

/// How long a scenario has to finish after the watchdog shut it down.
const GRACE: Duration = Duration::from_secs(10);

/// What the watchdog may stop when a scenario overruns.
#[derive(Default)]
pub struct Guard {
    contexts: Mutex<Vec<Context>>,
    pids: Mutex<Vec<u32>>,
    stage: Mutex<String>,
}

impl Guard {
    /// Registers a context to shut down on overrun (the guard keeps a
    /// handle until the scenario ends).
    pub fn context(&self, ctx: &Context) {
        self.contexts.lock().unwrap().push(ctx.clone());
    }

    /// Registers a process to kill on overrun.
    pub fn pid(&self, pid: u32) {
        self.pids.lock().unwrap().push(pid);
    }

    /// Says what the scenario is doing now, for the report of an overrun.
    pub fn stage(&self, stage: impl Into<String>) {
        *self.stage.lock().unwrap() = stage.into();
    }

    fn stop_everything(&self) {
        for ctx in self.contexts.lock().unwrap().iter() {
            let _ = ctx.shutdown();
        }
        for pid in self.pids.lock().unwrap().iter() {
            let _ = crate::sys::kill(*pid, libc::SIGKILL);
        }
    }

    /// Drops the registered context handles (so that the scenario's own
    /// handle can terminate its context).
    pub fn release(&self) {
        self.contexts.lock().unwrap().clear();
    }
}

/// One scenario at a time in this process: they measure time, memory and
/// descriptors, and send signals, which parallel scenarios would disturb.
pub fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

/// Writes straight to the standard error, past libtest's capture, so that
/// the message is seen even if the process aborts next.
pub fn shout(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}");
    let _ = err.flush();
}

/// Runs `scenario` on a thread of its own, for at most `limit`. `Err` says
/// that it overran, where it was, and whether stopping its contexts and
/// processes ended it.
pub fn bounded<T, F>(name: &str, limit: Duration, scenario: F) -> Result<T, String>
where
    T: Send + 'static,
    F: FnOnce(&Guard) -> T + Send + 'static,
{
    let guard = Arc::new(Guard::default());
    let (tx, rx) = mpsc::channel();
    let thread = {
        let guard = Arc::clone(&guard);
        std::thread::Builder::new()
            .name(format!("scenario {name}"))
            .spawn(move || {
                let result = scenario(&guard);
                guard.release();
                let _ = tx.send(result);
            })
            .expect("start a scenario thread")
    };
    let start = Instant::now();
    match rx.recv_timeout(limit) {
        Ok(result) => {
            let _ = thread.join();
            Ok(result)
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // The scenario panicked: pass its panic on.
            match thread.join() {
                Err(panic) => std::panic::resume_unwind(panic),
                Ok(()) => unreachable!("a scenario ended without a result"),
            }
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            let stage = guard.stage.lock().unwrap().clone();
            let report =
                format!("watchdog: {name} still running after {limit:?}, at stage: {stage}");
            shout(&report);
            guard.stop_everything();
            match rx.recv_timeout(GRACE) {
                Ok(_) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let _ = thread.join();
                    Err(format!(
                        "{report}; it ended {:?} after its contexts were shut down",
                        start.elapsed() - limit
                    ))
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    shout(&format!(
                        "{report}; still running {GRACE:?} after shutdown: aborting"
                    ));
                    std::process::abort();
                }
            }
        }
    }
}
