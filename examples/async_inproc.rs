//! An async REQ/REP pair over `inproc://`, on tokio: the counterpart of
//! pyzmq's `zmq.asyncio` example.
//!
//! - one context shared by both tasks: each task gets a handle to it
//!   (`Context` is a cheap, cloneable handle) and makes its socket with
//!   [`Context::owned_socket`], a `Socket<'static>` that keeps the context
//!   alive itself, so it can move into `tokio::spawn`;
//! - a REP worker task that binds, answers each request after a short
//!   pause, and never returns on its own;
//! - a REQ client task that connects, sends three requests and prints each
//!   reply;
//! - then the worker is cancelled (`JoinHandle::abort`): its pending
//!   `recv` future is dropped, which loses nothing, and its socket closes
//!   as the task's state is dropped.
//!
//! ```text
//! cargo run --features tokio --example async_inproc
//! ```
//!
//! [`Context::owned_socket`]: zmq4::Context::owned_socket

/// The two tasks and their sockets.
#[cfg(unix)]
mod tasks {
    use std::time::Duration;

    use zmq4::tokio::AsyncSocket;
    use zmq4::{Context, SocketType};

    const ADDRESS: &str = "inproc://my_async_channel";

    /// Closes its socket when dropped, saying so: what the Python version's
    /// `finally:` block does when the task is cancelled.
    struct Closing<'a> {
        name: &'static str,
        socket: Option<AsyncSocket<'a>>,
    }

    impl<'a> Closing<'a> {
        fn socket(&mut self) -> &mut AsyncSocket<'a> {
            self.socket.as_mut().expect("open until dropped")
        }
    }

    impl Drop for Closing<'_> {
        fn drop(&mut self) {
            if let Some(socket) = self.socket.take() {
                if let Err((_, err)) = socket.into_inner().close() {
                    eprintln!("{}: closing the socket failed: {err}", self.name);
                }
                println!("{}: socket closed", self.name);
            }
        }
    }

    pub async fn rep_worker(ctx: Context) -> zmq4::Result<()> {
        let socket = AsyncSocket::new(ctx.owned_socket(SocketType::Rep)?)?;
        socket.get_ref().bind(ADDRESS)?;
        let mut rep = Closing {
            name: "REP worker",
            socket: Some(socket),
        };
        println!("REP worker: bound to {ADDRESS}");
        loop {
            let request = rep.socket().recv_string().await?;
            println!("REP worker: got request '{request}'");
            tokio::time::sleep(Duration::from_millis(500)).await; // the work
            let reply = format!("worker handled '{request}'");
            rep.socket().send(reply.as_str()).await?;
            println!("REP worker: sent reply '{reply}'");
        }
    }

    pub async fn req_client(ctx: Context) -> zmq4::Result<()> {
        let socket = AsyncSocket::new(ctx.owned_socket(SocketType::Req)?)?;
        socket.get_ref().connect(ADDRESS)?;
        let mut req = Closing {
            name: "REQ client",
            socket: Some(socket),
        };
        println!("REQ client: connected to {ADDRESS}");
        for i in 1..=3 {
            let request = format!("request {i}");
            println!("REQ client: sending '{request}'");
            req.socket().send(request).await?;
            let reply = req.socket().recv_string().await?;
            println!("REQ client: got reply '{reply}'");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }
}

#[cfg(unix)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // No options: `--help` says so instead of running.
    if let Some(arg) = std::env::args().nth(1) {
        let usage = "usage: async_inproc [-h | --help]\n\n  runs a REQ client task and a REP worker task over inproc, then cancels the worker";
        if arg == "-h" || arg == "--help" {
            println!("{usage}");
            return Ok(());
        }
        eprintln!("async_inproc: unknown argument {arg:?}\n{usage}");
        std::process::exit(2);
    }
    println!("--- async inproc REQ/REP example ---");
    let ctx = zmq4::Context::new()?;

    // Each task owns a handle; inproc needs both sockets in one context.
    let worker = tokio::spawn(tasks::rep_worker(ctx.clone()));
    let client = tokio::spawn(tasks::req_client(ctx.clone()));

    client.await??;
    println!("main: client done");

    worker.abort();
    match worker.await {
        Err(err) if err.is_cancelled() => println!("main: worker cancelled"),
        Err(err) => return Err(err.into()),
        // The worker only returns on an error.
        Ok(res) => res?,
    }
    println!("--- done ---");
    Ok(())
}

#[cfg(not(unix))]
fn main() {
    eprintln!("async_inproc: zmq4::tokio is available on Unix only");
}
