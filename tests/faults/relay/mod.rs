//! A fault-injecting relay for TCP and Unix-domain (ipc) connections.
//!
//! A [`Relay`] listens on an endpoint of its own and forwards every
//! connection it accepts to the upstream endpoint, byte for byte, in both
//! directions, from one thread that polls every socket. While it runs, the
//! test that owns it can degrade or break the path at any moment:
//!
//! - [`set_delay`](Relay::set_delay): every chunk waits `delay` plus up to
//!   `jitter` before it is forwarded (bytes stay in order, as on a real
//!   stream);
//! - [`set_rate`](Relay::set_rate): a bandwidth cap in bytes per second,
//!   per direction and connection;
//! - [`drop_all`](Relay::drop_all): closes every connection with a FIN on
//!   both sides (what a peer's orderly close looks like);
//! - [`reset_all`](Relay::reset_all): closes every connection with an RST
//!   on both sides (`SO_LINGER` 0; over ipc, where there is no RST, a plain
//!   close);
//! - [`blackhole`](Relay::blackhole): the connections open now stop
//!   carrying anything, in either direction, for ever, and nothing tells
//!   their ends (no FIN, no RST): a middlebox that forgot them, a peer
//!   host that lost power. Connections made afterwards work.
//! - [`partition`](Relay::partition) and [`heal`](Relay::heal): nothing
//!   crosses, neither on open connections nor on new ones (accepted and
//!   held), until healed; then everything held goes on, as TCP's
//!   retransmissions would carry it. An end that gave up meanwhile is gone
//!   at the heal, and its peer is reset, as the peer's kernel would answer
//!   a connection it no longer knows.
//!
//! A held or black-holed connection is not read, so its senders' buffers
//! fill and their writes stall, as on a real path that carries nothing.
//!
//! What the relay itself holds (its queues) is bounded: it stops reading a
//! side while a direction has [`QUEUE_LIMIT`] bytes waiting.
//!
//! The relay's kernel still answers TCP keepalive probes on a black-holed
//! connection (it is alive, it only stops forwarding): keepalive cannot
//! see that black hole. A black hole at the IP level is in `netns.rs`.

use std::net::TcpListener;
use std::os::unix::net::UnixListener;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use net::{Addr, Listener};
use worker::Worker;

#[cfg(test)]
mod check;
mod net;
mod worker;

/// The most bytes one direction of one connection queues in the relay.
pub const QUEUE_LIMIT: usize = 256 * 1024;

/// How often the relay looks at its controls when nothing else happens.
const TICK: Duration = Duration::from_millis(5);

/// How long a control call waits for the relay thread to carry it out.
const ACK_TIMEOUT: Duration = Duration::from_secs(10);

/// What the relay has done, for the report of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RelayStats {
    /// Connections accepted.
    pub accepted: u64,
    /// Connections open now.
    pub open: u64,
    /// Bytes forwarded towards upstream.
    pub bytes_up: u64,
    /// Bytes forwarded towards the connecting side.
    pub bytes_down: u64,
    /// Bytes that were in the relay's queues when their connection went.
    pub bytes_discarded: u64,
    /// Connections closed by [`Relay::drop_all`] or [`Relay::reset_all`].
    pub broken: u64,
    /// Connections frozen by [`Relay::blackhole`].
    pub blackholed: u64,
}

/// A relay, forwarding to one upstream endpoint until dropped.
pub struct Relay {
    shared: Arc<Shared>,
    endpoint: String,
    thread: Option<JoinHandle<()>>,
    /// The socket file of an ipc listener, removed at drop.
    path: Option<PathBuf>,
}

struct Shared {
    control: Mutex<Control>,
    acked: Condvar,
}

#[derive(Default)]
struct Control {
    delay: Duration,
    jitter: Duration,
    /// Bytes per second per direction; `None`: no cap.
    rate: Option<u64>,
    /// Partitioned: nothing crosses until healed.
    held: bool,
    /// Commands not yet carried out, with the number each was given.
    commands: Vec<(u64, Command)>,
    /// Number of the last command given / carried out.
    issued: u64,
    done: u64,
    stop: bool,
    stats: RelayStats,
}

#[derive(Debug, Clone, Copy)]
enum Command {
    Drop,
    Reset,
    Blackhole,
    /// Makes sure the relay has looked at its settings (after a change).
    Sync,
}

impl Relay {
    /// A relay forwarding to `upstream` (`tcp://127.0.0.1:PORT` or
    /// `ipc://PATH`), listening on a fresh endpoint of the same transport
    /// (`ipc` ones in `dir`).
    pub fn start(upstream: &str, dir: &std::path::Path) -> Relay {
        let target = Addr::parse(upstream);
        let (listener, endpoint, path) = match &target {
            Addr::Tcp(_) => {
                let l = TcpListener::bind("127.0.0.1:0").expect("relay: bind a port");
                let port = l.local_addr().expect("relay: local address").port();
                (Listener::Tcp(l), format!("tcp://127.0.0.1:{port}"), None)
            }
            Addr::Unix(_) => {
                static NEXT: std::sync::atomic::AtomicUsize =
                    std::sync::atomic::AtomicUsize::new(0);
                let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let path = dir.join(format!("relay-{n}.sock"));
                let _ = std::fs::remove_file(&path);
                let l = UnixListener::bind(&path).expect("relay: bind a socket file");
                let endpoint = format!("ipc://{}", path.display());
                (Listener::Unix(l), endpoint, Some(path))
            }
        };
        match &listener {
            Listener::Tcp(l) => l.set_nonblocking(true),
            Listener::Unix(l) => l.set_nonblocking(true),
        }
        .expect("relay: non-blocking listener");
        let shared = Arc::new(Shared {
            control: Mutex::new(Control::default()),
            acked: Condvar::new(),
        });
        let thread = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("relay".into())
                .spawn(move || Worker::new(listener, target, shared).run())
                .expect("relay: start its thread")
        };
        Relay {
            shared,
            endpoint,
            thread: Some(thread),
            path,
        }
    }

    /// The endpoint to connect to instead of upstream.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    fn control(&self) -> MutexGuard<'_, Control> {
        self.shared
            .control
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Gives a command and waits until the relay thread carried it out.
    fn command(&self, command: Command) {
        let mut control = self.control();
        control.issued += 1;
        let number = control.issued;
        control.commands.push((number, command));
        let deadline = Instant::now() + ACK_TIMEOUT;
        while control.done < number {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "relay: {command:?} not carried out in {ACK_TIMEOUT:?}"
            );
            control = self
                .shared
                .acked
                .wait_timeout(control, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Delays every chunk by `delay` plus a random part of `jitter`.
    /// In effect for every byte read once it returns (the relay takes its
    /// settings at the start of a round, so this waits for one).
    pub fn set_delay(&self, delay: Duration, jitter: Duration) {
        {
            let mut control = self.control();
            control.delay = delay;
            control.jitter = jitter;
        }
        self.command(Command::Sync);
    }

    /// Caps each direction of each connection at `bytes_per_sec` (`None`:
    /// no cap).
    /// In effect once it returns, as [`set_delay`](Relay::set_delay).
    pub fn set_rate(&self, bytes_per_sec: Option<u64>) {
        self.control().rate = bytes_per_sec;
        self.command(Command::Sync);
    }

    /// Closes every open connection with a FIN to both sides.
    pub fn drop_all(&self) {
        self.command(Command::Drop);
    }

    /// Closes every open connection with an RST to both sides (over ipc:
    /// a plain close).
    pub fn reset_all(&self) {
        self.command(Command::Reset);
    }

    /// Freezes every open connection for good, telling neither side.
    pub fn blackhole(&self) {
        self.command(Command::Blackhole);
    }

    /// Stops everything crossing, on open and new connections, until
    /// [`heal`](Relay::heal).
    pub fn partition(&self) {
        self.control().held = true;
        self.command(Command::Sync);
    }

    /// Ends a partition.
    pub fn heal(&self) {
        self.control().held = false;
        self.command(Command::Sync);
    }

    /// What the relay has done so far.
    pub fn stats(&self) -> RelayStats {
        self.control().stats
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.control().stop = true;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}
