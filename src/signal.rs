//! Shutting contexts down on Ctrl-C and termination signals, so that a
//! program blocked in a receive, a poll or a proxy ends cleanly.
//!
//! Available with the `signal` feature (on top of the
//! [ctrlc](https://crates.io/crates/ctrlc) crate).
//!
//! [`shutdown_on_signal`] registers a context. When the process receives
//! SIGINT (Ctrl-C), SIGTERM or SIGHUP on Unix, or Ctrl-C, Ctrl-Break or the
//! console window's closing on Windows, every registered context still
//! alive is shut down ([`Context::shutdown`]): each blocking call on its
//! sockets, in every thread, returns [`ErrorKind::Terminated`], which the
//! program treats as its normal end, and the sockets are closed as the
//! threads return. A second signal ends the process at once, with exit
//! status 130, for a program whose end hangs (a `LINGER` waiting for a
//! peer that is gone).
//!
//! ```no_run
//! use zmq4::{Context, ErrorKind, RecvFlags, SocketType};
//!
//! fn main() -> zmq4::Result<()> {
//!     let ctx = Context::new()?;
//!     zmq4::signal::shutdown_on_signal(&ctx)?; // before making the sockets
//!     let rep = ctx.socket(SocketType::Rep)?;
//!     rep.bind("tcp://127.0.0.1:5555")?;
//!     loop {
//!         let request = match rep.recv_bytes(RecvFlags::empty()) {
//!             Ok(request) => request,
//!             Err(e) if e.kind() == ErrorKind::Terminated => break, // Ctrl-C
//!             Err(e) => return Err(e),
//!         };
//!         match rep.send(&request, zmq4::SendFlags::empty()) {
//!             Err(e) if e.kind() == ErrorKind::Terminated => break,
//!             result => result?,
//!         }
//!     }
//!     println!("interrupted: shutting down");
//!     Ok(())
//! }
//! ```
//!
//! # Interrupted calls
//!
//! On Unix the signal also interrupts the system call a thread is blocked
//! in, which libzmq reports as `EINTR`, and zmq4 as
//! [`ErrorKind::Interrupted`] unless the context retries such calls. So
//! that the program sees the shutdown, and only the shutdown,
//! [`shutdown_on_signal`] makes the context retry interrupted calls
//! ([`Context::set_retry_on_interrupt`]) for the sockets made from then on:
//! register the context before making its sockets. The free function
//! [`poll`](crate::poll) does not know the context and still reports
//! [`ErrorKind::Interrupted`]; [`Poller`](crate::Poller) and
//! [`proxy`](crate::proxy) retry as their sockets do.
//!
//! # One handler per process
//!
//! The handler is installed at the first call and stays for the life of
//! the process (ctrlc's rule: one handler per process). A program that
//! installs its own Ctrl-C handler with ctrlc, before or after, gets an
//! error (its own, or [`ErrorKind::InvalidState`] here); such a program
//! calls [`Context::shutdown`] from its own handler instead, which is all
//! this module does.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::context::{Context, WeakContext};
use crate::error::{Error, ErrorKind, Result};

/// The exit status of a process ended by a second signal: 128 + SIGINT,
/// what a shell reports for a program that Ctrl-C killed.
pub const FORCED_EXIT_STATUS: i32 = 130;

/// The contexts to shut down, without keeping them alive.
static CONTEXTS: Mutex<Vec<WeakContext>> = Mutex::new(Vec::new());

/// How many signals arrived.
static RECEIVED: AtomicUsize = AtomicUsize::new(0);

/// The outcome of installing the handler, once.
static INSTALLED: OnceLock<std::result::Result<(), Error>> = OnceLock::new();

fn contexts() -> std::sync::MutexGuard<'static, Vec<WeakContext>> {
    CONTEXTS.lock().unwrap_or_else(|p| p.into_inner())
}

/// What the handler thread does for each signal.
fn on_signal() {
    if RECEIVED.fetch_add(1, Ordering::SeqCst) > 0 {
        // The first one did not end the program: end it now.
        std::process::exit(FORCED_EXIT_STATUS);
    }
    // Shut down outside the lock: a context's shutdown may be slow, and a
    // context that terminates when its handle is dropped here must not
    // find the lock taken.
    let alive: Vec<Context> = contexts().iter().filter_map(WeakContext::upgrade).collect();
    for ctx in &alive {
        let _ = ctx.shutdown();
    }
    // A handle made here may be the last one by now (the program dropped
    // its own meanwhile): dropping it terminates the context, which waits
    // for LINGER. Not on this thread, which must stay free to take the
    // second signal.
    if !alive.is_empty() {
        let _ = std::thread::Builder::new()
            .name("zmq4-signal-drop".into())
            .spawn(move || drop(alive));
    }
}

fn install() -> std::result::Result<(), Error> {
    INSTALLED
        .get_or_init(|| {
            ctrlc::set_handler(on_signal).map_err(|e| match e {
                ctrlc::Error::MultipleHandlers => Error::invalid(
                    ErrorKind::InvalidState,
                    "another handler for Ctrl-C and termination signals is installed: \
                     call Context::shutdown from it instead",
                ),
                other => Error::invalid(
                    ErrorKind::Other,
                    format!("cannot install the signal handler: {other}"),
                ),
            })
        })
        .clone()
}

/// Shuts `ctx` down when the process receives Ctrl-C or a termination
/// signal (see the [module](self)), and makes it retry interrupted calls
/// from now on. Call it before making the context's sockets.
///
/// The context is not kept alive by this: it still terminates when the
/// program's last handle and socket are gone. Registering it twice does
/// no harm; a context registered after a signal arrived is shut down at
/// once.
///
/// Fails with [`ErrorKind::InvalidState`] when another Ctrl-C handler was
/// installed with ctrlc (see [one handler per process](self#one-handler-per-process)).
pub fn shutdown_on_signal(ctx: &Context) -> Result<()> {
    install()?;
    ctx.set_retry_on_interrupt(true);
    {
        let mut contexts = contexts();
        // No handle is made under the lock: dropping the last one would
        // terminate its context here.
        contexts.retain(WeakContext::is_alive);
        if !contexts.iter().any(|weak| weak.is(ctx)) {
            contexts.push(ctx.downgrade());
        }
    }
    if received() {
        // The signal came first: nothing will come again to shut this one
        // down.
        ctx.shutdown()?;
    }
    Ok(())
}

/// Whether the process received one of the signals, once the handler was
/// installed: to tell an end by Ctrl-C from another
/// [`ErrorKind::Terminated`].
pub fn received() -> bool {
    RECEIVED.load(Ordering::SeqCst) > 0
}
