//! Throughput of async sockets against blocking ones: small messages over
//! `inproc://` from a PUSH to a PULL, counted at the receiver, three ways:
//!
//! - blocking: a sender thread and a receiving thread, blocking calls;
//! - async, multi-thread runtime: a sender task and a receiver task
//!   (`tokio::spawn`) on two worker threads;
//! - async, current-thread runtime: both tasks on one thread.
//!
//! The three are run in turn, `--runs` times (each round starting with the
//! next mode, so that none always goes first), and the program prints, for
//! each, the median messages per second, the spread of its runs ((max -
//! min) / median) and the ratio of its median to blocking's. Build it in
//! release mode for figures that mean something:
//!
//! ```text
//! cargo run --release --features tokio --example async_thr -- [--count N] [--size BYTES] [--runs R]
//! ```

#![cfg_attr(not(unix), allow(dead_code, unused_imports))]

use std::process::ExitCode;
use std::time::{Duration, Instant};

#[cfg(unix)]
use zmq4::tokio::AsyncSocket;
use zmq4::{Context, Message, RecvFlags, SendFlags, SocketType};

const USAGE: &str = "\
usage: async_thr [--count N] [--size BYTES] [--runs R]

  --count N      messages per run (default 1000000)
  --size BYTES   bytes per message (default 64)
  --runs R       runs of each mode, interleaved (default 5)
  -h, --help     this text";

struct Args {
    count: u64,
    size: usize,
    runs: usize,
}

fn parse_args() -> Result<Option<Args>, String> {
    let (mut count, mut size, mut runs) = (1_000_000u64, 64usize, 5usize);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--count" => {
                count = value("--count")?
                    .parse()
                    .map_err(|e| format!("--count: {e}"))?
            }
            "--size" => {
                size = value("--size")?
                    .parse()
                    .map_err(|e| format!("--size: {e}"))?
            }
            "--runs" => {
                runs = value("--runs")?
                    .parse()
                    .map_err(|e| format!("--runs: {e}"))?
            }
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if count == 0 || runs == 0 {
        return Err("--count and --runs must be at least 1".into());
    }
    Ok(Some(Args { count, size, runs }))
}

/// A fresh endpoint for every run: a socket closed at the end of one run
/// may still hold its name for a moment.
fn endpoint(name: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static RUN: AtomicUsize = AtomicUsize::new(0);
    format!(
        "inproc://async-thr-{name}-{}",
        RUN.fetch_add(1, Ordering::Relaxed)
    )
}

fn blocking(ctx: &Context, count: u64, size: usize) -> zmq4::Result<Duration> {
    let ep = endpoint("blocking");
    let pull = ctx.socket(SocketType::Pull)?;
    pull.bind(&ep)?;
    let push = ctx.socket(SocketType::Push)?;
    push.connect(&ep)?;
    let data = vec![0u8; size];
    std::thread::scope(|s| {
        let start = Instant::now();
        let sender = s.spawn(move || -> zmq4::Result<()> {
            for _ in 0..count {
                push.send(&data, SendFlags::empty())?;
            }
            Ok(())
        });
        let mut msg = Message::new();
        for _ in 0..count {
            pull.recv(&mut msg, RecvFlags::empty())?;
        }
        let elapsed = start.elapsed();
        sender.join().expect("sender thread")?;
        Ok(elapsed)
    })
}

#[cfg(unix)]
fn asynchronous(
    rt: &tokio::runtime::Runtime,
    name: &str,
    count: u64,
    size: usize,
) -> zmq4::Result<Duration> {
    // Tasks need a context that lives for 'static.
    let ctx = Context::global();
    let ep = endpoint(name);
    rt.block_on(async move {
        let pull = ctx.socket(SocketType::Pull)?;
        pull.bind(&ep)?;
        let push = ctx.socket(SocketType::Push)?;
        push.connect(&ep)?;
        let mut pull = AsyncSocket::new(pull)?;
        let mut push = AsyncSocket::new(push)?;
        let data = vec![0u8; size];
        let start = Instant::now();
        let sender = tokio::spawn(async move {
            for _ in 0..count {
                push.send(&data[..]).await?;
            }
            Ok::<_, zmq4::Error>(())
        });
        let receiver = tokio::spawn(async move {
            for _ in 0..count {
                pull.recv().await?;
            }
            Ok::<_, zmq4::Error>(start.elapsed())
        });
        sender.await.expect("sender task")?;
        receiver.await.expect("receiver task")
    })
}

fn rate(count: u64, d: Duration) -> f64 {
    count as f64 / d.as_secs_f64()
}

#[cfg(not(unix))]
fn main() -> ExitCode {
    eprintln!("async_thr: zmq4::tokio is available on Unix only");
    ExitCode::FAILURE
}

/// Median, and (max - min) / median, of one mode's rates.
fn summary(rates: &mut [f64]) -> (f64, f64) {
    rates.sort_by(f64::total_cmp);
    let n = rates.len();
    let median = if n % 2 == 1 {
        rates[n / 2]
    } else {
        (rates[n / 2 - 1] + rates[n / 2]) / 2.0
    };
    (median, (rates[n - 1] - rates[0]) / median)
}

#[cfg(unix)]
fn main() -> ExitCode {
    let Args { count, size, runs } = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("async_thr: {msg}\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    let run = || -> zmq4::Result<()> {
        let ctx = Context::new()?;
        let multi = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("multi-thread runtime");
        let current = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("current-thread runtime");
        let labels = [
            "blocking, 2 threads:",
            "async, multi-thread runtime:",
            "async, current-thread runtime:",
        ];
        println!(
            "{count} messages of {size} bytes over inproc, PUSH -> PULL, {runs} interleaved runs of each mode"
        );
        let mut rates: [Vec<f64>; 3] = Default::default();
        for round in 0..runs {
            for k in 0..3 {
                let mode = (round + k) % 3;
                let took = match mode {
                    0 => blocking(&ctx, count, size)?,
                    1 => asynchronous(&multi, "multi", count, size)?,
                    _ => asynchronous(&current, "current", count, size)?,
                };
                rates[mode].push(rate(count, took));
            }
        }
        let (base, _) = summary(&mut rates[0].clone());
        println!(
            "{:<32} {:>12} {:>8} {:>12} {:>12} {:>11}",
            "mode", "median msg/s", "spread", "min", "max", "x blocking"
        );
        for (label, rates) in labels.iter().zip(rates.iter_mut()) {
            let (median, spread) = summary(rates);
            println!(
                "{label:<32} {median:>12.0} {:>7.0}% {:>12.0} {:>12.0} {:>11.2}",
                100.0 * spread,
                rates[0],
                rates[rates.len() - 1],
                median / base
            );
        }
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("async_thr: {err}");
            ExitCode::FAILURE
        }
    }
}
