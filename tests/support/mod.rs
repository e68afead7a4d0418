//! Helpers shared by every integration test binary: unique endpoints,
//! temporary ipc directories, sockets that cannot hang a test, message
//! lists, and (in submodules) the peers we did not write, the example
//! programs and the command-line tool run as processes, the async runtimes.
//!
//! Each binary includes this one module, the same way:
//! `#[path = "../support/mod.rs"] mod support;` from `tests/<area>/main.rs`,
//! `mod support;` from a binary that is a single file `tests/<name>.rs`.
#![allow(dead_code)] // each binary uses its own share

#[cfg(unix)]
pub mod async_rt;
#[cfg(feature = "cli")]
pub mod cli;
pub mod context;
pub mod examples;
pub mod peers;
pub mod zmtp;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use zmq4::{Context, Message, Socket, SocketType};

/// How long a test waits for a message before it fails instead of hanging.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// A name unique in this test process.
pub fn unique(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh `inproc://` endpoint.
pub fn inproc(prefix: &str) -> String {
    format!("inproc://{}", unique(prefix))
}

/// A temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        let dir = std::env::temp_dir().join(unique(&format!("zmq4-{prefix}")));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        TempDir(dir)
    }

    /// The directory.
    pub fn path(&self) -> &std::path::Path {
        &self.0
    }

    /// An `ipc://` endpoint for a socket file inside the directory.
    pub fn ipc(&self, name: &str) -> String {
        format!("ipc://{}", self.0.join(name).display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Messages holding copies of `parts`.
pub fn msgs(parts: &[&[u8]]) -> Vec<Message> {
    parts
        .iter()
        .map(|p| Message::copy_from(p).expect("message"))
        .collect()
}

/// The content of each message.
pub fn bytes(parts: &[Message]) -> Vec<Vec<u8>> {
    parts.iter().map(|m| m.to_vec()).collect()
}

/// A socket that cannot hang a test: linger 0, receive and send timeouts
/// of [`TIMEOUT`]. The one socket helper of the suite: the async tests'
/// [`async_rt::global_socket`] is this one on the process-wide context.
pub fn socket<'c>(ctx: &'c Context, kind: SocketType) -> Socket<'c> {
    let s = ctx.socket(kind).expect("socket");
    s.set_linger(Some(Duration::ZERO)).expect("linger");
    s.set_rcvtimeo(Some(TIMEOUT)).expect("rcvtimeo");
    s.set_sndtimeo(Some(TIMEOUT)).expect("sndtimeo");
    s
}

/// Shuts the context down when a panic unwinds past it. Put first in a
/// `std::thread::scope` closure whose threads block on the context (a
/// proxy, workers): a failed assertion then ends those threads, and the
/// scope returns the failure instead of waiting for them for ever.
pub struct ShutdownOnPanic<'a>(pub &'a Context);

impl Drop for ShutdownOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = self.0.shutdown();
        }
    }
}

/// The name the test harness knows test `name` by, for a test defined in
/// module `module` (pass `module_path!()`): the module path without the
/// crate's name, then the function's. A test that runs itself again in a
/// child process (`<binary> NAME --exact`) must pass this, since a name
/// that matches no test runs nothing and passes.
pub fn test_name(module: &str, name: &str) -> String {
    match module.split_once("::") {
        Some((_crate, path)) => format!("{path}::{name}"),
        None => name.to_string(),
    }
}
