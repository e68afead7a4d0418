//! Probes what the linked libzmq can do: its version and capabilities,
//! and, on Linux, how it treats the OS resources it creates: TCP keepalive
//! on a connection, close-on-exec, eventfd signalers and the epoll poller.
//!
//! Shared by `examples/build_info.rs` (which prints the results) and
//! `tests/build_parity.rs` (which asserts them). It lives beside the
//! program that prints it, and the test includes it from here: a test may
//! use what the package ships, while a program of the package should not
//! reach into its tests.
// Off Linux the fd probes are skipped, which leaves their helpers unused.
#![cfg_attr(not(target_os = "linux"), allow(dead_code, unused_imports))]

use std::os::raw::c_int;
use std::sync::Mutex;
use std::time::Duration;

use zmq4::{Context, EventKind, MonitorEvents, Socket, SocketType};

/// The keepalive settings put on the probing connection. They differ from
/// every OS default (Linux: 7200 s idle, 75 s interval, 9 probes), so
/// reading them back proves libzmq applied them.
pub const KEEPALIVE_IDLE: c_int = 317;
/// See [`KEEPALIVE_IDLE`].
pub const KEEPALIVE_INTVL: c_int = 43;
/// See [`KEEPALIVE_IDLE`].
pub const KEEPALIVE_CNT: c_int = 7;

/// How long a probe waits for libzmq before it reports a failure.
const TIMEOUT: Duration = Duration::from_secs(5);

/// The result of a probe that only some platforms can run.
#[derive(Debug)]
pub enum Probe<T> {
    /// The probe ran.
    Done(T),
    /// The probe cannot run here; the text says why. (Every probe runs on
    /// Linux.)
    #[cfg_attr(target_os = "linux", allow(dead_code))]
    Skipped(&'static str),
    /// The probe could not complete; the text says where it stopped.
    Failed(String),
}

/// What the OS reports about the fd of a TCP connection libzmq made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connection {
    /// `SO_KEEPALIVE`.
    pub so_keepalive: c_int,
    /// `TCP_KEEPIDLE`, seconds.
    pub keepidle: c_int,
    /// `TCP_KEEPINTVL`, seconds.
    pub keepintvl: c_int,
    /// `TCP_KEEPCNT`.
    pub keepcnt: c_int,
    /// `FD_CLOEXEC` from `fcntl(F_GETFD)`.
    pub cloexec: bool,
}

impl Connection {
    /// Whether every keepalive setting is the one asked for.
    pub fn keepalive_applied(&self) -> bool {
        self.so_keepalive != 0
            && self.keepidle == KEEPALIVE_IDLE
            && self.keepintvl == KEEPALIVE_INTVL
            && self.keepcnt == KEEPALIVE_CNT
    }
}

/// The kernel objects a new context and socket opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signalers {
    /// How many eventfds appeared (libzmq's mailbox signalers).
    pub eventfds: usize,
    /// Whether all of them are close-on-exec.
    pub eventfds_cloexec: bool,
    /// How many epoll instances appeared (the I/O threads' pollers).
    pub epolls: usize,
    /// Whether all of them are close-on-exec.
    pub epolls_cloexec: bool,
}

/// Serialises the probes that look at this process's fds, so that one
/// probe's fds are not mistaken for another's.
static FD_PROBES: Mutex<()> = Mutex::new(());

/// The linked libzmq's version.
pub fn version() -> (c_int, c_int, c_int) {
    zmq4::version()
}

/// Every capability `zmq_has` knows, by its lower-case name (the keys
/// `examples/build_info.rs` prints), with whether the linked libzmq has it.
pub fn capabilities() -> Vec<(String, bool)> {
    zmq4::Capability::ALL
        .iter()
        .map(|cap| (cap.name().to_ascii_lowercase(), cap.is_available()))
        .collect()
}

/// Describes a failed step with libzmq's errno and text.
fn failed(step: &str, err: zmq4::Error) -> String {
    format!("{step}: {} (errno {})", err.message(), err.errno())
}

/// A PAIR socket that never lingers and never blocks past [`TIMEOUT`].
fn pair(ctx: &Context) -> Result<Socket<'_>, String> {
    let socket = ctx
        .socket(SocketType::Pair)
        .map_err(|e| failed("zmq_socket", e))?;
    socket
        .set_linger(Some(Duration::ZERO))
        .map_err(|e| failed("ZMQ_LINGER", e))?;
    socket
        .set_rcvtimeo(Some(TIMEOUT))
        .map_err(|e| failed("ZMQ_RCVTIMEO", e))?;
    socket
        .set_sndtimeo(Some(TIMEOUT))
        .map_err(|e| failed("ZMQ_SNDTIMEO", e))?;
    Ok(socket)
}

/// Connects two sockets over TCP, the connecting one with TCP keepalive
/// on, learns the connection's fd from a socket monitor, and asks the OS
/// what options that fd carries.
pub fn connection() -> Probe<Connection> {
    #[cfg(target_os = "linux")]
    {
        match connection_linux() {
            Ok(c) => Probe::Done(c),
            Err(e) => Probe::Failed(e),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        Probe::Skipped("the probe reads Linux TCP socket options")
    }
}

#[cfg(target_os = "linux")]
fn connection_linux() -> Result<Connection, String> {
    let _guard = FD_PROBES.lock().unwrap_or_else(|e| e.into_inner());
    let ctx = Context::new().map_err(|e| failed("zmq_ctx_new", e))?;
    let server = pair(&ctx)?;
    server
        .bind("tcp://127.0.0.1:*")
        .map_err(|e| failed("zmq_bind", e))?;
    let endpoint = server
        .last_endpoint()
        .map_err(|e| failed("ZMQ_LAST_ENDPOINT", e))?;
    let port = endpoint
        .rsplit(':')
        .next()
        .and_then(|p| p.parse::<u16>().ok())
        .ok_or_else(|| format!("no port in the bound endpoint {endpoint:?}"))?;

    let client = pair(&ctx)?;
    client
        .set_tcp_keepalive(Some(true))
        .map_err(|e| failed("ZMQ_TCP_KEEPALIVE", e))?;
    client
        .set_tcp_keepalive_idle(Some(Duration::from_secs(KEEPALIVE_IDLE as u64)))
        .map_err(|e| failed("ZMQ_TCP_KEEPALIVE_IDLE", e))?;
    client
        .set_tcp_keepalive_intvl(Some(Duration::from_secs(KEEPALIVE_INTVL as u64)))
        .map_err(|e| failed("ZMQ_TCP_KEEPALIVE_INTVL", e))?;
    client
        .set_tcp_keepalive_cnt(Some(KEEPALIVE_CNT))
        .map_err(|e| failed("ZMQ_TCP_KEEPALIVE_CNT", e))?;

    let mut monitor = client
        .monitor(MonitorEvents::CONNECTED)
        .map_err(|e| failed("zmq_socket_monitor", e))?;
    client
        .connect(&endpoint)
        .map_err(|e| failed(&format!("zmq_connect {endpoint:?}"), e))?;
    let event = monitor
        .next_event(Some(TIMEOUT))
        .map_err(|e| failed("receiving a monitor event", e))?
        .ok_or_else(|| format!("no CONNECTED event within {TIMEOUT:?}"))?;
    let EventKind::Connected { fd } = event.kind() else {
        return Err(format!("monitor event {event:?}, expected CONNECTED"));
    };
    // The sockets stay open until the end of this function, so libzmq
    // keeps the fd open while we read it.
    fd_facts(fd, port)
}

/// Reads an int socket option with `getsockopt`.
#[cfg(target_os = "linux")]
fn int_sockopt(fd: c_int, level: c_int, name: c_int, what: &str) -> Result<c_int, String> {
    let mut value: c_int = 0;
    let mut len = std::mem::size_of::<c_int>() as libc::socklen_t;
    // SAFETY: value and len are valid for writes of the sizes given.
    let rc =
        unsafe { libc::getsockopt(fd, level, name, (&mut value as *mut c_int).cast(), &mut len) };
    if rc != 0 {
        return Err(format!(
            "getsockopt({what}) on fd {fd}: {}",
            std::io::Error::last_os_error()
        ));
    }
    Ok(value)
}

/// Whether an fd has FD_CLOEXEC.
#[cfg(target_os = "linux")]
fn cloexec(fd: c_int) -> Result<bool, String> {
    // SAFETY: F_GETFD takes no argument and only reads the fd's flags.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    if flags == -1 {
        return Err(format!(
            "fcntl(F_GETFD) on fd {fd}: {}",
            std::io::Error::last_os_error()
        ));
    }
    Ok(flags & libc::FD_CLOEXEC != 0)
}

#[cfg(target_os = "linux")]
fn fd_facts(fd: c_int, port: u16) -> Result<Connection, String> {
    // Make sure the fd is the connection to our server, not a number that
    // happened to parse.
    // SAFETY: sockaddr_storage is plain data; all-zero is a valid value.
    let mut addr: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: addr and len describe a writable buffer of that size.
    let rc = unsafe {
        libc::getpeername(
            fd,
            (&mut addr as *mut libc::sockaddr_storage).cast(),
            &mut len,
        )
    };
    if rc != 0 {
        return Err(format!(
            "getpeername on fd {fd}: {}",
            std::io::Error::last_os_error()
        ));
    }
    if c_int::from(addr.ss_family) != libc::AF_INET {
        return Err(format!("fd {fd} is not an IPv4 socket"));
    }
    // SAFETY: the family is AF_INET, so the storage holds a sockaddr_in,
    // and sockaddr_storage is aligned for every socket address type.
    let peer = unsafe { &*(&addr as *const libc::sockaddr_storage).cast::<libc::sockaddr_in>() };
    if u16::from_be(peer.sin_port) != port {
        return Err(format!(
            "fd {fd} is connected to port {}, not to the probe's {port}",
            u16::from_be(peer.sin_port)
        ));
    }
    Ok(Connection {
        so_keepalive: int_sockopt(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE, "SO_KEEPALIVE")?,
        keepidle: int_sockopt(fd, libc::IPPROTO_TCP, libc::TCP_KEEPIDLE, "TCP_KEEPIDLE")?,
        keepintvl: int_sockopt(fd, libc::IPPROTO_TCP, libc::TCP_KEEPINTVL, "TCP_KEEPINTVL")?,
        keepcnt: int_sockopt(fd, libc::IPPROTO_TCP, libc::TCP_KEEPCNT, "TCP_KEEPCNT")?,
        cloexec: cloexec(fd)?,
    })
}

/// Creates a context and a socket and looks at the fds that appeared in
/// `/proc/self/fd`: eventfds (libzmq's signalers, when it was compiled
/// with eventfd) and epoll instances (its I/O thread poller).
pub fn signalers() -> Probe<Signalers> {
    #[cfg(target_os = "linux")]
    {
        match signalers_linux() {
            Ok(s) => Probe::Done(s),
            Err(e) => Probe::Failed(e),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        Probe::Skipped("the probe reads Linux's /proc/self/fd")
    }
}

/// The fds whose `/proc/self/fd` link is `anon_inode:[<kind>]`.
#[cfg(target_os = "linux")]
fn anon_inodes(kind: &str) -> Result<Vec<c_int>, String> {
    let wanted = format!("anon_inode:[{kind}]");
    let dir = std::fs::read_dir("/proc/self/fd").map_err(|e| format!("/proc/self/fd: {e}"))?;
    let mut fds = Vec::new();
    for entry in dir.flatten() {
        let Ok(fd) = entry.file_name().to_string_lossy().parse::<c_int>() else {
            continue;
        };
        // An fd may close between the listing and this read; skip it then.
        if let Ok(target) = std::fs::read_link(entry.path()) {
            if target.as_os_str() == wanted.as_str() {
                fds.push(fd);
            }
        }
    }
    fds.sort_unstable();
    Ok(fds)
}

#[cfg(target_os = "linux")]
fn signalers_linux() -> Result<Signalers, String> {
    let _guard = FD_PROBES.lock().unwrap_or_else(|e| e.into_inner());
    // Only fds that appear while our context lives count: an fd inherited
    // from the parent process is not libzmq's doing.
    let eventfds_before = anon_inodes("eventfd")?;
    let epolls_before = anon_inodes("eventpoll")?;
    let ctx = Context::new().map_err(|e| failed("zmq_ctx_new", e))?;
    // The first socket starts the reaper and the I/O thread.
    let socket = pair(&ctx)?;
    let new = |kind: &str, before: &[c_int]| -> Result<Vec<c_int>, String> {
        Ok(anon_inodes(kind)?
            .into_iter()
            .filter(|fd| !before.contains(fd))
            .collect())
    };
    let eventfds = new("eventfd", &eventfds_before)?;
    let epolls = new("eventpoll", &epolls_before)?;
    let all_cloexec = |fds: &[c_int]| -> Result<bool, String> {
        for &fd in fds {
            if !cloexec(fd)? {
                return Ok(false);
            }
        }
        Ok(!fds.is_empty())
    };
    let result = Signalers {
        eventfds: eventfds.len(),
        eventfds_cloexec: all_cloexec(&eventfds)?,
        epolls: epolls.len(),
        epolls_cloexec: all_cloexec(&epolls)?,
    };
    drop(socket);
    drop(ctx);
    Ok(result)
}
