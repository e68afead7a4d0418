//! Helpers shared by the integration tests: unique endpoints, temporary ipc
//! directories, socket options and message lists.
#![allow(dead_code)]

use std::os::raw::c_int;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use zmq4::sys::ffi;
use zmq4::{Context, Message, Socket};

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

/// A socket that cannot hang a test: linger 0, receive and send timeouts.
pub fn socket<'c>(ctx: &'c Context, kind: zmq4::SocketType) -> Socket<'c> {
    let s = ctx.socket(kind).expect("socket");
    s.set_linger(Some(Duration::ZERO)).expect("linger");
    s.set_rcvtimeo(Some(TIMEOUT)).expect("rcvtimeo");
    s.set_sndtimeo(Some(TIMEOUT)).expect("sndtimeo");
    s
}

fn millis(d: Option<Duration>) -> c_int {
    d.map_or(-1, |d| c_int::try_from(d.as_millis()).unwrap_or(c_int::MAX))
}

fn setsockopt(s: &Socket<'_>, option: c_int, value: &[u8]) -> zmq4::Result<()> {
    // SAFETY: the socket handle is live (borrowed from `s`) and the pointer
    // and length describe a readable buffer that libzmq copies.
    let rc = unsafe { ffi::zmq_setsockopt(s.as_raw(), option, value.as_ptr().cast(), value.len()) };
    if rc == -1 {
        // SAFETY: zmq_errno only reads thread-local state.
        return Err(zmq4::Error::from_errno(unsafe { ffi::zmq_errno() }));
    }
    Ok(())
}

fn getsockopt(s: &Socket<'_>, option: c_int, buf: &mut [u8]) -> zmq4::Result<usize> {
    let mut len = buf.len();
    // SAFETY: the socket handle is live; libzmq writes at most `len` bytes
    // to the buffer and stores how many it wrote.
    let rc = unsafe { ffi::zmq_getsockopt(s.as_raw(), option, buf.as_mut_ptr().cast(), &mut len) };
    if rc == -1 {
        // SAFETY: zmq_errno only reads thread-local state.
        return Err(zmq4::Error::from_errno(unsafe { ffi::zmq_errno() }));
    }
    Ok(len)
}

fn set_int(s: &Socket<'_>, option: c_int, value: c_int) -> zmq4::Result<()> {
    setsockopt(s, option, &value.to_ne_bytes())
}

/// The socket options the tests need, with the names and signatures of the
/// typed API, written over the raw layer. Inherent methods of the same name
/// take precedence, so the tests keep compiling once those exist.
pub trait SocketOptions {
    fn set_linger(&self, value: Option<Duration>) -> zmq4::Result<()>;
    fn set_rcvtimeo(&self, value: Option<Duration>) -> zmq4::Result<()>;
    fn set_sndtimeo(&self, value: Option<Duration>) -> zmq4::Result<()>;
    fn set_sndhwm(&self, value: i32) -> zmq4::Result<()>;
    fn set_rcvhwm(&self, value: i32) -> zmq4::Result<()>;
    fn set_router_mandatory(&self, value: bool) -> zmq4::Result<()>;
    fn set_subscribe(&self, prefix: &[u8]) -> zmq4::Result<()>;
    fn set_routing_id(&self, id: &[u8]) -> zmq4::Result<()>;
    fn last_endpoint(&self) -> zmq4::Result<String>;
    fn rcvmore(&self) -> zmq4::Result<bool>;
}

impl SocketOptions for Socket<'_> {
    fn set_linger(&self, value: Option<Duration>) -> zmq4::Result<()> {
        set_int(self, ffi::ZMQ_LINGER, millis(value))
    }
    fn set_rcvtimeo(&self, value: Option<Duration>) -> zmq4::Result<()> {
        set_int(self, ffi::ZMQ_RCVTIMEO, millis(value))
    }
    fn set_sndtimeo(&self, value: Option<Duration>) -> zmq4::Result<()> {
        set_int(self, ffi::ZMQ_SNDTIMEO, millis(value))
    }
    fn set_sndhwm(&self, value: i32) -> zmq4::Result<()> {
        set_int(self, ffi::ZMQ_SNDHWM, value)
    }
    fn set_rcvhwm(&self, value: i32) -> zmq4::Result<()> {
        set_int(self, ffi::ZMQ_RCVHWM, value)
    }
    fn set_router_mandatory(&self, value: bool) -> zmq4::Result<()> {
        set_int(self, ffi::ZMQ_ROUTER_MANDATORY, c_int::from(value))
    }
    fn set_subscribe(&self, prefix: &[u8]) -> zmq4::Result<()> {
        setsockopt(self, ffi::ZMQ_SUBSCRIBE, prefix)
    }
    fn set_routing_id(&self, id: &[u8]) -> zmq4::Result<()> {
        setsockopt(self, ffi::ZMQ_ROUTING_ID, id)
    }
    fn last_endpoint(&self) -> zmq4::Result<String> {
        let mut buf = [0u8; 1024];
        let len = getsockopt(self, ffi::ZMQ_LAST_ENDPOINT, &mut buf)?;
        let text = &buf[..len];
        let text = text.strip_suffix(b"\0").unwrap_or(text);
        Ok(String::from_utf8_lossy(text).into_owned())
    }
    fn rcvmore(&self) -> zmq4::Result<bool> {
        let mut buf = [0u8; 4];
        getsockopt(self, ffi::ZMQ_RCVMORE, &mut buf)?;
        Ok(c_int::from_ne_bytes(buf) != 0)
    }
}

/// `Context::shutdown` written over the raw layer, as above.
pub trait ContextShutdown {
    fn shutdown(&self) -> zmq4::Result<()>;
}

impl ContextShutdown for Context {
    fn shutdown(&self) -> zmq4::Result<()> {
        // SAFETY: the context handle is live (borrowed from `self`);
        // zmq_ctx_shutdown may be called from any thread.
        let rc = unsafe { ffi::zmq_ctx_shutdown(self.as_raw()) };
        if rc == -1 {
            // SAFETY: zmq_errno only reads thread-local state.
            return Err(zmq4::Error::from_errno(unsafe { ffi::zmq_errno() }));
        }
        Ok(())
    }
}
