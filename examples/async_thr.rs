//! Throughput of async sockets against blocking ones: small messages over
//! `inproc://` from a PUSH to a PULL, counted at the receiver, three ways:
//!
//! - blocking: a sender thread and a receiving thread, blocking calls;
//! - async, multi-thread runtime: a sender task and a receiver task
//!   (`tokio::spawn`) on two worker threads;
//! - async, current-thread runtime: both tasks on one thread.
//!
//! Prints messages per second for each and the ratio to blocking. Build it
//! in release mode for figures that mean something:
//!
//! ```text
//! cargo run --release --features tokio --example async_thr -- [--count N] [--size BYTES]
//! ```

#![cfg_attr(not(unix), allow(dead_code, unused_imports))]

use std::process::ExitCode;
use std::time::{Duration, Instant};

#[cfg(unix)]
use zmq4::tokio::AsyncSocket;
use zmq4::{Context, Message, RecvFlags, SendFlags, SocketType};

const USAGE: &str = "\
usage: async_thr [--count N] [--size BYTES]

  --count N      messages per run (default 1000000)
  --size BYTES   bytes per message (default 64)
  -h, --help     this text";

fn parse_args() -> Result<Option<(u64, usize)>, String> {
    let (mut count, mut size) = (1_000_000u64, 64usize);
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
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if count == 0 {
        return Err("--count must be at least 1".into());
    }
    Ok(Some((count, size)))
}

fn endpoint(name: &str) -> String {
    format!("inproc://async-thr-{name}")
}

fn blocking(ctx: &Context, count: u64, size: usize) -> zmq4::Result<Duration> {
    let pull = ctx.socket(SocketType::Pull)?;
    pull.bind(&endpoint("blocking"))?;
    let push = ctx.socket(SocketType::Push)?;
    push.connect(&endpoint("blocking"))?;
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
    rt.block_on(async move {
        let pull = ctx.socket(SocketType::Pull)?;
        pull.bind(&endpoint(name))?;
        let push = ctx.socket(SocketType::Push)?;
        push.connect(&endpoint(name))?;
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

#[cfg(unix)]
fn main() -> ExitCode {
    let (count, size) = match parse_args() {
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
        println!("{count} messages of {size} bytes over inproc, PUSH -> PULL");
        let base = rate(count, blocking(&ctx, count, size)?);
        println!("blocking, 2 threads:             {base:>12.0} msg/s");
        for (label, name, rt) in [
            ("async, multi-thread runtime:", "multi", &multi),
            ("async, current-thread runtime:", "current", &current),
        ] {
            let r = rate(count, asynchronous(rt, name, count, size)?);
            println!("{label:<32} {r:>12.0} msg/s  ({:.2} x blocking)", r / base);
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
