//! `zmq4 proxy FRONT BACK`: libzmq's proxy between two sockets, with an
//! optional live capture and statistics on Ctrl-C or SIGUSR1. Everything
//! this command asks of the library's proxy is in this file.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use clap::Args;
use zmq4::{ProxyStatistics, RecvFlags, Socket, SocketStatistics, SocketType, ThreadedProxy};

use crate::args::socket_type;
use crate::fail::{usage, Doing, Fail, Result};
use crate::format::{OutputArgs, Printer};
use crate::security::Security;
use crate::session::Session;
use crate::signals;

/// Forwards messages between two sockets.
#[derive(Args, Debug)]
#[command(after_help = "\
FRONT and BACK are TYPE=ENDPOINTS: a socket type, then endpoints separated
by commas; `@` in front of an endpoint binds (the default), `>` connects.

Examples:
  zmq4 proxy 'router=tcp://*:5555' 'dealer=tcp://*:5556'      a request broker
  zmq4 proxy 'xsub=tcp://*:5557' 'xpub=tcp://*:5558' --capture  a PUB/SUB relay, shown live
  zmq4 proxy 'pull=tcp://*:5559' 'push=>tcp://10.0.0.7:5560'
  kill -USR1 $(pidof zmq4)                                    statistics on stderr

The security options apply to FRONT. Statistics go to stderr on Ctrl-C
(which ends the proxy, status 0) and on SIGUSR1 (Unix). libzmq before 4.3.5
copies the proxy's own commands to the capture: there, asking for statistics
shows a STATISTICS line in it.")]
pub struct ProxyArgs {
    /// The frontend: TYPE=ENDPOINTS, e.g. router=tcp://*:5555
    #[arg(value_name = "FRONT")]
    pub front: String,

    /// The backend: TYPE=ENDPOINTS, e.g. dealer=tcp://*:5556
    #[arg(value_name = "BACK")]
    pub back: String,

    /// Print every message that crosses the proxy, either way
    #[arg(long)]
    pub capture: bool,

    /// Join printed frames with SEP [default: a tab]
    #[arg(short = 's', long, value_name = "SEP")]
    pub separator: Option<String>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub security: Security,
}

/// Parses `TYPE=ENDPOINTS`.
fn side(text: &str, which: &str) -> Result<(SocketType, String)> {
    let Some((kind, endpoints)) = text.split_once('=') else {
        return usage(format!(
            "{which} {text:?}: write TYPE=ENDPOINTS, such as router=tcp://*:5555"
        ));
    };
    let kind = socket_type(kind).map_err(Fail::Usage)?;
    Ok((kind, endpoints.to_owned()))
}

/// Runs `zmq4 proxy`.
pub fn run(args: ProxyArgs) -> Result {
    let (front_kind, front_at) = side(&args.front, "FRONT")?;
    let (back_kind, back_at) = side(&args.back, "BACK")?;
    let usr1 = signals::on_usr1().map_err(Fail::Error)?;
    // Ctrl-C shuts the context down, which ends the proxy; its final
    // statistics still come from `stop`.
    let session = Session::new()?;
    let front = open(&session, front_kind, "FRONT")?;
    args.security.apply(&session, &front)?;
    attach(&front, &front_at, "FRONT")?;
    let back = open(&session, back_kind, "BACK")?;
    attach(&back, &back_at, "BACK")?;

    let mut capture = None;
    let mut capture_out = None;
    if args.capture {
        let endpoint = format!("inproc://zmq4-capture-{}", std::process::id());
        let sink = open(&session, SocketType::Pull, "capture")?;
        sink.bind(&endpoint).doing(|| "bind the capture".into())?;
        let source = open(&session, SocketType::Push, "capture")?;
        source
            .connect(&endpoint)
            .doing(|| "connect the capture".into())?;
        capture = Some(source);
        let printer = Printer::new(&args.output, args.separator.as_deref());
        capture_out = Some(Capture::start(sink, printer));
    }

    let proxy = ThreadedProxy::spawn(front, back, capture).doing(|| "start the proxy".into())?;
    loop {
        if signals::interrupted()
            || proxy.is_finished()
            || capture_out.as_ref().is_some_and(Capture::failed)
        {
            if let Some(capture) = capture_out.take() {
                capture.finish()?;
            }
            // The final count, taken by the proxy as it stops (after
            // Ctrl-C, as the context's shutdown stopped it).
            let stats = proxy.stop().doing(|| "run the proxy".into())?;
            if signals::interrupted() {
                report(&stats);
            }
            return Ok(());
        }
        if usr1.swap(false, Ordering::SeqCst) {
            match proxy.statistics() {
                Ok(stats) => report(&stats),
                Err(e) => eprintln!("zmq4 proxy: no statistics: {e}"),
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn open(session: &Session, kind: SocketType, which: &str) -> Result<Socket<'static>> {
    session
        .ctx
        .owned_socket(kind)
        .doing(|| format!("create the {which} socket ({kind})"))
}

fn attach(socket: &Socket<'_>, endpoints: &str, which: &str) -> Result {
    socket
        .attach_with_default(endpoints, zmq4::Attach::Bind)
        .doing(|| format!("attach {which} to {endpoints}"))
}

/// Prints the statistics on stderr.
fn report(stats: &ProxyStatistics) {
    let side = |s: &SocketStatistics| {
        format!(
            "received {} ({} bytes), sent {} ({} bytes)",
            s.messages_received, s.bytes_received, s.messages_sent, s.bytes_sent
        )
    };
    eprintln!(
        "zmq4 proxy: frontend {}; backend {}",
        side(&stats.frontend),
        side(&stats.backend)
    );
}

/// The thread that prints captured messages.
struct Capture {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Result>,
}

impl Capture {
    fn start(sink: Socket<'static>, mut printer: Printer) -> Capture {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || -> Result {
            sink.set_rcvtimeo(Some(Duration::from_millis(20)))
                .doing(|| "set the capture's timeout".into())?;
            let mut frames = Vec::new();
            loop {
                // Once stopping, what is queued is still printed.
                let flags = if stopping.load(Ordering::SeqCst) {
                    RecvFlags::DONTWAIT
                } else {
                    RecvFlags::empty()
                };
                frames.clear();
                match sink.recv_multipart_into(&mut frames, flags) {
                    Ok(_) => printer.print(&frames)?,
                    // Ctrl-C shut the context down: what came is printed.
                    Err(e) if e.is_terminated() => return Ok(()),
                    Err(e) if e.is_would_block() && flags.is_empty() => {}
                    Err(e) if e.is_would_block() => return Ok(()),
                    Err(e) => return Err(Fail::zmq(&e, "read the capture")),
                }
            }
        });
        Capture { stop, thread }
    }

    fn failed(&self) -> bool {
        self.thread.is_finished()
    }

    /// Prints what is left and ends the thread.
    fn finish(self) -> Result {
        self.stop.store(true, Ordering::SeqCst);
        match self.thread.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}
