//! What the examples share: a small command-line parser (no dependency),
//! the way they end (exit code 0 on success, 1 on a ZeroMQ error, 2 on bad
//! arguments), their context (which Ctrl-C shuts down, with the `signal`
//! feature), and two helpers about endpoints.
//!
//! Every example declares its usage text and its options, then reads them:
//!
//! ```text
//! let args = common::Args::parse(USAGE, &["--bind", "--count"], &["--echo"]);
//! let endpoint = args.string("--bind", "tcp://127.0.0.1:5555");
//! let count: u64 = args.number("--count", 10);
//! ```
#![allow(dead_code)] // each example uses the part it needs

use std::process::ExitCode;
use std::str::FromStr;

/// The command line of an example: `--name VALUE` options and bare flags.
pub struct Args {
    usage: &'static str,
    values: Vec<(String, String)>,
    flags: Vec<String>,
}

impl Args {
    /// Reads the process arguments. `valued` lists the options that take a
    /// value, `flags` those that do not. `-h`/`--help` prints `usage` and
    /// exits 0; anything unknown prints it to stderr and exits 2.
    pub fn parse(usage: &'static str, valued: &[&str], flags: &[&str]) -> Args {
        let mut args = Args {
            usage,
            values: Vec::new(),
            flags: Vec::new(),
        };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            if arg == "-h" || arg == "--help" {
                println!("{usage}");
                std::process::exit(0);
            }
            // Both `--name VALUE` and `--name=VALUE`.
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) => (name.to_string(), Some(value.to_string())),
                None => (arg.clone(), None),
            };
            if valued.contains(&name.as_str()) {
                let value = match inline.or_else(|| it.next()) {
                    Some(value) => value,
                    None => args.fail(&format!("{name} needs a value")),
                };
                args.values.push((name, value));
            } else if flags.contains(&name.as_str()) && inline.is_none() {
                args.flags.push(name);
            } else {
                args.fail(&format!("unknown argument {arg:?}"));
            }
        }
        args
    }

    /// Prints `msg` and the usage to stderr, and exits 2.
    pub fn fail(&self, msg: &str) -> ! {
        eprintln!("{}: {msg}\n\n{}", program(), self.usage);
        std::process::exit(2);
    }

    /// The value of option `name` (the last one given), or `default`.
    pub fn string(&self, name: &str, default: &str) -> String {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map_or_else(|| default.to_string(), |(_, v)| v.clone())
    }

    /// The value of option `name` parsed as a number, or `default`.
    pub fn number<T: FromStr>(&self, name: &str, default: T) -> T {
        match self.values.iter().rev().find(|(n, _)| n == name) {
            None => default,
            Some((_, v)) => v
                .parse()
                .unwrap_or_else(|_| self.fail(&format!("{name} wants a number, not {v:?}"))),
        }
    }

    /// Whether option `name` was given (a value option or a flag).
    pub fn has(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name) || self.values.iter().any(|(n, _)| n == name)
    }
}

/// The name the example was started under, for messages.
pub fn program() -> String {
    std::env::args()
        .next()
        .as_deref()
        .map(std::path::Path::new)
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "example".to_string())
}

/// Ends an example: exit code 0 when its body returned `Ok`, else the
/// error on stderr and exit code 1. A body that ended because Ctrl-C (or
/// SIGTERM) shut its context down ([`context`]) ended normally, whether it
/// returned `Ok` or the `Terminated` of its blocking call: the sockets and
/// the context were closed on the way out, and it exits 0 after saying so.
pub fn exit<E: Failure>(result: Result<(), E>) -> ExitCode {
    let interrupted = || {
        println!("{}: interrupted, shut down cleanly", program());
        ExitCode::SUCCESS
    };
    match result {
        Ok(()) if signal_received() => interrupted(),
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_terminated() && signal_received() => interrupted(),
        Err(e) => {
            eprintln!("{}: {e}", program());
            ExitCode::FAILURE
        }
    }
}

/// The errors an example's body returns: a ZeroMQ error, or any error.
pub trait Failure: std::fmt::Display {
    /// Whether it says that the context was shut down.
    fn is_terminated(&self) -> bool;
}

impl Failure for zmq4::Error {
    fn is_terminated(&self) -> bool {
        zmq4::Error::is_terminated(self)
    }
}

impl Failure for Box<dyn std::error::Error> {
    fn is_terminated(&self) -> bool {
        self.downcast_ref::<zmq4::Error>()
            .is_some_and(zmq4::Error::is_terminated)
    }
}

/// A new context for an example. With the `signal` feature, Ctrl-C,
/// SIGTERM and SIGHUP shut it down, so that every blocking call on its
/// sockets returns `Terminated` and the example ends through [`exit`];
/// without it, a signal ends the process as it always does.
pub fn context() -> zmq4::Result<zmq4::Context> {
    let ctx = zmq4::Context::new()?;
    #[cfg(feature = "signal")]
    zmq4::signal::shutdown_on_signal(&ctx)?;
    Ok(ctx)
}

/// Whether Ctrl-C or a termination signal arrived (never without the
/// `signal` feature).
pub fn signal_received() -> bool {
    #[cfg(feature = "signal")]
    return zmq4::signal::received();
    #[cfg(not(feature = "signal"))]
    return false;
}

/// The endpoint a peer connects to, for one a socket bound: a wildcard
/// address (`*`, `0.0.0.0`, `[::]`) is reached on the loopback address.
/// Give it `socket.last_endpoint()?`, which also names the port that
/// `tcp://127.0.0.1:*` picked.
pub fn connectable(bound: &str) -> String {
    for any in ["tcp://*:", "tcp://0.0.0.0:"] {
        if let Some(port) = bound.strip_prefix(any) {
            return format!("tcp://127.0.0.1:{port}");
        }
    }
    if let Some(port) = bound.strip_prefix("tcp://[::]:") {
        return format!("tcp://[::1]:{port}");
    }
    bound.to_string()
}

/// Binds `socket` to `endpoint` and prints `bound: ENDPOINT`, the
/// [`connectable`] form of where it listens (the tests read that line to
/// learn the port `tcp://127.0.0.1:*` picked).
pub fn bind(socket: &zmq4::Socket<'_>, endpoint: &str) -> zmq4::Result<()> {
    socket.bind(endpoint)?;
    println!("bound: {}", connectable(&socket.last_endpoint()?));
    Ok(())
}

/// A small pseudo-random generator (xorshift64*), enough for the
/// made-up data of the examples without a dependency.
pub struct Rng(u64);

impl Rng {
    /// Seeded from the clock and the process id.
    pub fn new() -> Rng {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Rng((nanos ^ u64::from(std::process::id()) << 32) | 1)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound
    }
}

/// Waits until an XPUB socket has received `n` subscriptions, printing
/// each: the cure for the slow joiner (see the `publisher` example).
pub fn wait_for_subscribers(xpub: &zmq4::Socket<'_>, n: u64) -> zmq4::Result<()> {
    let mut joined = 0;
    while joined < n {
        // A subscription is one message: byte 1, then the prefix
        // (byte 0 is an unsubscription).
        let event = xpub.recv_bytes(zmq4::RecvFlags::empty())?;
        if let Some((1, topic)) = event.split_first() {
            joined += 1;
            println!("subscribed: {:?}", String::from_utf8_lossy(topic));
        }
    }
    Ok(())
}
