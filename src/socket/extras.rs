//! What a socket keeps beside its libzmq handle, made on first need: the
//! state of the checks in `guard.rs`, the link to its monitor, and what
//! must live as long as the socket (the ZAP handler a secured server
//! relies on).
//!
//! It is dropped after the libzmq socket is closed and before the socket
//! lets go of its context (the field order of [`Socket`](super::Socket)).

use std::any::Any;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use super::guard::ConnectIds;

#[derive(Default)]
pub(crate) struct Extras {
    pub(crate) connect_ids: ConnectIds,
    /// Kept until the socket is closed.
    pub(crate) keep_alive: Vec<Arc<dyn Any + Send + Sync>>,
    /// Set when the socket's current monitor is dropped: the socket then
    /// stops monitoring at its next change of connections.
    pub(crate) monitor: Option<Arc<AtomicBool>>,
    /// The inproc endpoints this socket disconnected from, which it may
    /// not bind (see `guard::check_inproc_bind`).
    pub(crate) disconnected_inproc: Vec<String>,
}

/// [`Extras`], boxed and made on first use, so that a socket that needs
/// none costs little. (A `Mutex` rather than a `RefCell`, although a
/// socket is used by one thread at a time, so that a socket stays
/// `RefUnwindSafe`; it is only taken on cold paths.)
#[derive(Default)]
pub(crate) struct ExtrasCell(Mutex<Option<Box<Extras>>>);

impl ExtrasCell {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Box<Extras>>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on the extras, if the socket has any.
    pub(crate) fn get<R>(&self, f: impl FnOnce(&Extras) -> R) -> Option<R> {
        self.lock().as_deref().map(f)
    }

    /// Runs `f` on the extras, making them first if needed.
    pub(crate) fn get_mut<R>(&self, f: impl FnOnce(&mut Extras) -> R) -> R {
        f(self.lock().get_or_insert_with(Box::default))
    }

    /// The extras, taken out.
    pub(crate) fn into_inner(self) -> Option<Box<Extras>> {
        self.0.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}
