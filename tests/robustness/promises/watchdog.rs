//! A bound on every test here: a regression fails the test instead of
//! hanging the suite.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use zmq4::Context;

/// How long the watchdog waits, once it has shut the context down, before
/// it aborts the process.
const GRACE: Duration = Duration::from_secs(20);

/// Aborts the process (or first shuts a context down) when the code it
/// guards runs longer than its limit. Dropping it disarms it.
pub struct Watchdog {
    done: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Watchdog {
    /// Aborts the process if not dropped within `limit`.
    pub fn new(what: &str, limit: Duration) -> Watchdog {
        Watchdog::start(what, limit, None)
    }

    /// Shuts `ctx` down if not dropped within `limit`, which ends every
    /// libzmq call blocked in it so that the test goes on and fails; aborts
    /// the process if even that does not end it within a grace period.
    pub fn with_context(what: &str, limit: Duration, ctx: &Context) -> Watchdog {
        Watchdog::start(what, limit, Some(ctx.clone()))
    }

    fn start(what: &str, limit: Duration, ctx: Option<Context>) -> Watchdog {
        let (done, wait) = mpsc::channel::<()>();
        let what = what.to_string();
        let thread = std::thread::spawn(move || {
            if wait.recv_timeout(limit) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            if let Some(ctx) = ctx {
                eprintln!("watchdog: {what} still runs after {limit:?}; shutting the context down");
                let _ = ctx.shutdown();
                if wait.recv_timeout(GRACE) != Err(RecvTimeoutError::Timeout) {
                    return;
                }
            }
            eprintln!("watchdog: {what} still runs; aborting");
            std::process::abort();
        });
        Watchdog {
            done: Some(done),
            thread: Some(thread),
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
