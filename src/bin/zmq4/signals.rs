//! Ctrl-C, SIGTERM and SIGHUP end a command cleanly: the library's
//! handler ([`zmq4::signal`]) shuts the command's context down, which makes
//! every blocking libzmq call return at once; the command then closes its
//! sockets and exits. What only the tool adds: a grace after which a
//! command that has not ended is ended, and SIGUSR1 (Unix), which asks the
//! proxy for statistics.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Once};
use std::time::Duration;

use zmq4::Context;

use crate::fail::{status, Doing, Result};

/// How long a command may take to end after a signal before the process
/// exits without it (a read from a terminal does not return by itself).
const GRACE: Duration = Duration::from_secs(5);

/// How often the grace's watch looks for a signal.
const WATCH: Duration = Duration::from_millis(100);

/// Shuts `ctx` down when a signal comes (or at once, if one came already),
/// and makes it retry calls a signal interrupted (SIGUSR1 ends nothing).
/// Called before the context's sockets are made.
pub fn shutdown_on_interrupt(ctx: &Context) -> Result {
    zmq4::signal::shutdown_on_signal(ctx).doing(|| "handle Ctrl-C".into())?;
    static GRACE_WATCH: Once = Once::new();
    GRACE_WATCH.call_once(|| {
        // Without the watch a stuck command waits for a second signal,
        // which the library's handler answers with the same exit.
        let _ = std::thread::Builder::new()
            .name("zmq4-grace".into())
            .spawn(|| {
                while !interrupted() {
                    std::thread::sleep(WATCH);
                }
                std::thread::sleep(GRACE);
                std::process::exit(i32::from(status::INTERRUPTED));
            });
    });
    Ok(())
}

/// Whether Ctrl-C, SIGTERM or SIGHUP came.
pub fn interrupted() -> bool {
    zmq4::signal::received()
}

/// A flag that SIGUSR1 sets (never, where there is no SIGUSR1).
pub fn on_usr1() -> std::result::Result<Arc<AtomicBool>, String> {
    let flag = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    signal_hook::flag::register(signal_hook::consts::SIGUSR1, Arc::clone(&flag))
        .map_err(|e| format!("cannot handle SIGUSR1: {e}"))?;
    Ok(flag)
}
