//! `zmq4 bench thr|lat`: libzmq's perf tools (local_thr/remote_thr,
//! local_lat/remote_lat) in one process, over inproc, ipc or tcp, with a
//! progress bar and a summary.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use zmq4::{CurveKeyPair, Message, RecvFlags, SendFlags, Socket, SocketType};

use crate::args::duration;
use crate::fail::{usage, Doing, Fail, Result};
use crate::format::write_out;
use crate::session::Session;

/// What to measure.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Throughput: PUSH sends COUNT messages to PULL as fast as it can
    Thr,
    /// Latency: REQ and REP bounce one message COUNT times
    Lat,
}

/// The transport to measure.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// In one context, no network stack
    Inproc,
    /// A Unix domain socket in the temporary directory
    Ipc,
    /// Loopback TCP (127.0.0.1)
    Tcp,
}

/// Measures throughput or latency between two sockets of this process.
#[derive(Args, Debug)]
#[command(after_help = "\
Examples:
  zmq4 bench thr                                 1 000 000 messages of 64 bytes over tcp
  zmq4 bench lat --transport ipc --size 1024
  zmq4 bench thr --transport tcp --size 16 --curve    with CURVE encryption
  zmq4 bench lat --json

The two sockets live in two threads of this process, as libzmq's
inproc_thr and inproc_lat do (for ipc and tcp too). Throughput is timed
from the first message received to the last; latency is half of each
round trip (as libzmq's local_lat reports it), given as the mean and the
percentiles p50, p99 and p999.")]
pub struct BenchArgs {
    /// thr (throughput) or lat (latency)
    #[arg(value_enum)]
    pub mode: Mode,

    /// The transport
    #[arg(long, value_enum, default_value_t = Transport::Tcp)]
    pub transport: Transport,

    /// Message size in bytes
    #[arg(long, value_name = "BYTES", default_value_t = 64)]
    pub size: usize,

    /// Messages (thr) or round trips (lat) [default: 1000000 for thr, 10000 for lat]
    #[arg(short = 'n', long, value_name = "N")]
    pub count: Option<u64>,

    /// Encrypt with CURVE (new keys; ipc and tcp)
    #[arg(long)]
    pub curve: bool,

    /// Give up when no message moves for DURATION (status 3)
    #[arg(long, value_name = "DURATION", value_parser = duration, default_value = "10s")]
    pub timeout: Duration,

    /// Print the summary as one JSON object
    #[arg(long)]
    pub json: bool,

    /// No progress bar (there is none when stderr is not a terminal)
    #[arg(long)]
    pub no_progress: bool,
}

/// Runs `zmq4 bench`.
pub fn run(args: BenchArgs) -> Result {
    let count = args.count.unwrap_or(match args.mode {
        Mode::Thr => 1_000_000,
        Mode::Lat => 10_000,
    });
    if count == 0 {
        return usage("--count must be at least 1");
    }
    if args.curve && args.transport == Transport::Inproc {
        return usage("inproc has no security handshake: use --transport tcp or ipc with --curve");
    }
    let session = Session::new()?;
    let ipc_dir = (args.transport == Transport::Ipc)
        .then(|| std::env::temp_dir().join(format!("zmq4-bench-{}", std::process::id())));
    let endpoint = match (&ipc_dir, args.transport) {
        (Some(dir), _) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| crate::fail::io(&e, &dir.display().to_string()))?;
            format!("ipc://{}", dir.join("bench.sock").display())
        }
        (None, Transport::Inproc) => "inproc://zmq4-bench".to_string(),
        (None, _) => "tcp://127.0.0.1:*".to_string(),
    };
    let (server_kind, client_kind) = match args.mode {
        Mode::Thr => (SocketType::Pull, SocketType::Push),
        Mode::Lat => (SocketType::Rep, SocketType::Req),
    };
    let server = session.bare(server_kind)?;
    let client = session.bare(client_kind)?;
    for s in [&server, &client] {
        s.set_rcvtimeo(Some(args.timeout))
            .doing(|| "set a timeout".into())?;
        s.set_sndtimeo(Some(args.timeout))
            .doing(|| "set a timeout".into())?;
    }
    if args.curve {
        let server_keys = CurveKeyPair::generate().doing(|| "make a key pair".into())?;
        let client_keys = CurveKeyPair::generate().doing(|| "make a key pair".into())?;
        server
            .make_curve_server_allow_any(&server_keys)
            .doing(|| "make a CURVE server".into())?;
        client
            .make_curve_client(server_keys.public(), &client_keys)
            .doing(|| "make a CURVE client".into())?;
    }
    server
        .bind(&endpoint)
        .doing(|| format!("bind {endpoint}"))?;
    let endpoint = server
        .last_endpoint()
        .doing(|| "read the endpoint".into())?;
    client
        .connect(&endpoint)
        .doing(|| format!("connect to {endpoint}"))?;

    let progress = Progress::start(count, args.no_progress);
    let result = match args.mode {
        Mode::Thr => throughput(&server, client, args.size, count, &progress.done),
        Mode::Lat => latency(server, &client, args.size, count, &progress.done),
    };
    progress.finish();
    if let Some(dir) = ipc_dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    let summary = result?;
    let transport = args
        .transport
        .to_possible_value()
        .map(|v| v.get_name().to_owned());
    let transport = transport.unwrap_or_default();
    let text = summary.render(&transport, args.size, count, args.curve, args.json);
    write_out(text.as_bytes())
}

/// What was measured.
enum Summary {
    Thr {
        elapsed: Duration,
    },
    Lat {
        elapsed: Duration,
        half_trips: Vec<Duration>,
    },
}

/// Receives `count` messages of `size` bytes on `pull` while a thread sends
/// them from `push`.
fn throughput(
    pull: &Socket<'_>,
    push: Socket<'_>,
    size: usize,
    count: u64,
    done: &AtomicU64,
) -> Result<Summary> {
    std::thread::scope(|s| {
        let sender = s.spawn(move || -> Result {
            let data = vec![0u8; size];
            for i in 0..count {
                push.send(&data, SendFlags::empty())
                    .map_err(|e| moved(e, "send", i))?;
            }
            Ok(())
        });
        let mut msg = Message::new();
        let mut start = Instant::now();
        for i in 0..count {
            pull.recv(&mut msg, RecvFlags::empty())
                .map_err(|e| moved(e, "receive", i))?;
            if msg.len() != size {
                return Err(Fail::Error(format!(
                    "message {i} has {} bytes, not {size}",
                    msg.len()
                )));
            }
            if i == 0 {
                start = Instant::now();
            }
            if i % 1024 == 0 {
                done.store(i, Ordering::Relaxed);
            }
        }
        let elapsed = start.elapsed();
        done.store(count, Ordering::Relaxed);
        match sender.join() {
            Ok(result) => result?,
            Err(panic) => std::panic::resume_unwind(panic),
        }
        Ok(Summary::Thr { elapsed })
    })
}

/// Bounces a message of `size` bytes `count` times between `req` and a
/// thread answering on `rep`.
fn latency(
    rep: Socket<'_>,
    req: &Socket<'_>,
    size: usize,
    count: u64,
    done: &AtomicU64,
) -> Result<Summary> {
    std::thread::scope(|s| {
        let echo = s.spawn(move || -> Result {
            let mut msg = Message::new();
            for i in 0..count {
                rep.recv(&mut msg, RecvFlags::empty())
                    .map_err(|e| moved(e, "receive", i))?;
                rep.send_msg_mut(&mut msg, SendFlags::empty())
                    .map_err(|e| moved(e, "send", i))?;
            }
            Ok(())
        });
        let data = vec![0u8; size];
        let mut msg = Message::new();
        let mut half_trips = Vec::with_capacity(count as usize);
        let start = Instant::now();
        for i in 0..count {
            let t0 = Instant::now();
            req.send(&data, SendFlags::empty())
                .map_err(|e| moved(e, "send", i))?;
            req.recv(&mut msg, RecvFlags::empty())
                .map_err(|e| moved(e, "receive", i))?;
            half_trips.push(t0.elapsed() / 2);
            if msg.len() != size {
                return Err(Fail::Error(format!(
                    "reply {i} has {} bytes, not {size}",
                    msg.len()
                )));
            }
            if i % 64 == 0 {
                done.store(i, Ordering::Relaxed);
            }
        }
        let elapsed = start.elapsed();
        done.store(count, Ordering::Relaxed);
        match echo.join() {
            Ok(result) => result?,
            Err(panic) => std::panic::resume_unwind(panic),
        }
        Ok(Summary::Lat {
            elapsed,
            half_trips,
        })
    })
}

/// A failed send or receive of message `i` (a timeout is a
/// [`Fail::Timeout`], in the library's words).
fn moved(err: zmq4::Error, what: &str, i: u64) -> Fail {
    Fail::zmq(&err, &format!("{what} message {i}"))
}

impl Summary {
    fn render(&self, transport: &str, size: usize, count: u64, curve: bool, json: bool) -> String {
        let security = if curve { " with CURVE" } else { "" };
        match self {
            Summary::Thr { elapsed } => {
                // The first message starts the clock, as in local_thr.
                let secs = elapsed.as_secs_f64().max(1e-9);
                let rate = (count.saturating_sub(1)).max(1) as f64 / secs;
                let mbytes = rate * size as f64 / 1e6;
                if json {
                    return json!({
                        "mode": "thr", "transport": transport, "curve": curve,
                        "size": size, "count": count, "seconds": secs,
                        "msg_per_s": rate.round(), "mb_per_s": mbytes,
                    })
                    .to_string()
                        + "\n";
                }
                format!(
                    "thr over {transport}{security}: {count} messages of {size} bytes in {secs:.3} s\n\
                     throughput: {:.0} msg/s, {mbytes:.2} MB/s ({:.1} Mb/s)\n",
                    rate,
                    mbytes * 8.0
                )
            }
            Summary::Lat {
                elapsed,
                half_trips,
            } => {
                let mut sorted = half_trips.clone();
                sorted.sort_unstable();
                let us = |d: Duration| d.as_secs_f64() * 1e6;
                let pick = |q: f64| {
                    let i = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
                    us(sorted[i - 1])
                };
                let mean = us(sorted.iter().sum::<Duration>()) / sorted.len() as f64;
                let (p50, p99, p999) = (pick(0.50), pick(0.99), pick(0.999));
                let max = us(*sorted.last().unwrap_or(&Duration::ZERO));
                let secs = elapsed.as_secs_f64();
                if json {
                    return json!({
                        "mode": "lat", "transport": transport, "curve": curve,
                        "size": size, "count": count, "seconds": secs,
                        "latency_us": {"mean": mean, "p50": p50, "p99": p99, "p999": p999, "max": max},
                    })
                    .to_string()
                        + "\n";
                }
                format!(
                    "lat over {transport}{security}: {count} round trips of {size} bytes in {secs:.3} s\n\
                     latency (half a round trip): mean {mean:.1} us, p50 {p50:.1} us, p99 {p99:.1} us, \
                     p999 {p999:.1} us, max {max:.1} us\n"
                )
            }
        }
    }
}

/// A progress bar on stderr, drawn from a counter by a thread of its own.
struct Progress {
    done: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(total: u64, hidden: bool) -> Progress {
        let done = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let bar = if hidden {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(total)
        };
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} {per_sec} eta {eta}",
        ) {
            bar.set_style(style);
        }
        let (counter, stopping) = (Arc::clone(&done), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            while !stopping.load(Ordering::Relaxed) {
                bar.set_position(counter.load(Ordering::Relaxed));
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        Progress {
            done,
            stop,
            thread: Some(thread),
        }
    }

    fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
