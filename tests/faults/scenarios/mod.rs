//! The scenarios, and what they share: endpoints, temporary directories,
//! and a monitor that records when connections come and go.

pub mod eintr;
pub mod fdlimit;
pub mod hwm;
pub mod linger;
pub mod mandatory;
pub mod netns;
pub mod reconnects;
pub mod shutdown;
pub mod stream;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use zmq4::{EventKind, MonitorEvents, Socket};

/// The transport a scenario runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Ipc,
}

impl Transport {
    pub fn name(self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Ipc => "ipc",
        }
    }

    /// An endpoint to bind: a free port on 127.0.0.1, or a socket file
    /// named `name` in `dir`.
    pub fn endpoint(self, dir: &Path, name: &str) -> String {
        match self {
            Transport::Tcp => "tcp://127.0.0.1:*".to_owned(),
            Transport::Ipc => format!("ipc://{}/{name}.sock", dir.display()),
        }
    }
}

/// A temporary directory for socket files, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("zmq4-faults-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The events of a socket's monitor, with the time each was read, read by
/// a thread of its own until [`stop`](EventLog::stop).
pub struct EventLog {
    events: Arc<Mutex<Vec<(Instant, EventKind)>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl EventLog {
    /// Starts recording the connection events of `sock` (a socket of an
    /// owned context handle, whose monitor may move to a thread).
    pub fn start(sock: &Socket<'static>) -> EventLog {
        let mut monitor = sock
            .monitor(
                MonitorEvents::CONNECTED
                    | MonitorEvents::ACCEPTED
                    | MonitorEvents::DISCONNECTED
                    | MonitorEvents::HANDSHAKE_SUCCEEDED
                    | MonitorEvents::CONNECT_RETRIED
                    | MonitorEvents::CLOSED,
            )
            .expect("monitor a socket");
        let events = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let events = Arc::clone(&events);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match monitor.next_event(Some(Duration::from_millis(20))) {
                        Ok(Some(event)) => {
                            events.lock().unwrap().push((Instant::now(), event.kind()))
                        }
                        Ok(None) if monitor.is_finished() => break,
                        Ok(None) => {}
                        Err(_) => break,
                    }
                }
            })
        };
        EventLog {
            events,
            stop,
            thread: Some(thread),
        }
    }

    /// The first event at or after `since` that `matches`, as the time
    /// from `since`.
    pub fn first_after(
        &self,
        since: Instant,
        matches: impl Fn(&EventKind) -> bool,
    ) -> Option<Duration> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .find(|(at, kind)| *at >= since && matches(kind))
            .map(|(at, _)| *at - since)
    }

    /// The first disconnection at or after `since`.
    pub fn disconnected_after(&self, since: Instant) -> Option<Duration> {
        self.first_after(since, |k| matches!(k, EventKind::Disconnected { .. }))
    }

    /// How many events `matches`.
    pub fn count(&self, matches: impl Fn(&EventKind) -> bool) -> usize {
        self.events
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, k)| matches(k))
            .count()
    }

    /// Waits at most `limit` for a disconnection at or after `since`.
    pub fn wait_disconnected(&self, since: Instant, limit: Duration) -> Option<Duration> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(d) = self.disconnected_after(since) {
                return Some(d);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Stops recording.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for EventLog {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Waits until `done` holds, checking every millisecond, for at most
/// `limit`; whether it held.
pub fn wait_until(limit: Duration, done: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while !done() {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    true
}
