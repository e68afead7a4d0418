//! CURVE: an encrypted, authenticated REQ/REP pair, and a stranger kept
//! out.
//!
//! The server has a key pair and an [`Authenticator`] whose policy lists
//! the client keys it lets in; each client has its own key pair and knows
//! the server's public key. Every message is encrypted on the wire, and
//! the server learns who sent each request (the message's User-Id is the
//! client's public key in Z85). A client whose key is not listed is
//! refused during the handshake: its request is never delivered, and it
//! sees only its receive timeout.
//!
//! Everything runs in one process over tcp on the loopback interface, so
//! the example needs no key files; `zmq4::Certificate` saves and loads
//! keys when the two sides are separate programs (see the `auth` module's
//! guide).
//!
//! ```text
//! cargo run --example curve_reqrep -- --count 3
//! ```

mod common;

use std::process::ExitCode;
use std::time::Duration;

use zmq4::auth::{Authenticator, Policy};
use zmq4::{Context, CurveKeyPair, ErrorKind, RecvFlags, SendFlags, SocketType};

const USAGE: &str = "\
usage: curve_reqrep [--count N] [--timeout MS]

  --count N       requests the allowed client sends (default 3)
  --timeout MS    how long the stranger waits for a reply (default 500)
  -h, --help      this text";

fn main() -> ExitCode {
    let args = common::Args::parse(USAGE, &["--count", "--timeout"], &[]);
    let count: u32 = args.number("--count", 3);
    let timeout: u64 = args.number("--timeout", 500);
    if !zmq4::has("curve") {
        eprintln!("curve_reqrep: this libzmq was built without CURVE");
        return ExitCode::from(1);
    }
    common::exit(run(count, Duration::from_millis(timeout)))
}

fn run(count: u32, timeout: Duration) -> zmq4::Result<()> {
    let ctx = Context::new()?;
    let server_keys = CurveKeyPair::generate()?;
    let client_keys = CurveKeyPair::generate()?;

    // Only the listed client key gets in. Without an authenticator,
    // make_curve_server refuses: a CURVE server would let every key in.
    let auth = Authenticator::new(&ctx)?;
    auth.set_policy("", Policy::new().curve_allow_keys([client_keys.public()]));

    let server = ctx.socket(SocketType::Rep)?;
    server.make_curve_server("", &server_keys)?;
    server.bind("tcp://127.0.0.1:*")?;
    let endpoint = server.last_endpoint()?;
    println!(
        "server: listening on {endpoint}, key {}",
        server_keys.public()
    );

    let client = ctx.socket(SocketType::Req)?;
    client.make_curve_client(server_keys.public(), &client_keys)?;
    client.set_rcvtimeo(Some(Duration::from_secs(10)))?;
    client.connect(&endpoint)?;

    for n in 1..=count {
        client.send(format!("request {n}"), SendFlags::empty())?;
        let request = server.recv_msg(RecvFlags::empty())?;
        let who = request.user_id().unwrap_or("?").to_owned();
        println!(
            "server: received: {} (from {})",
            String::from_utf8_lossy(&request),
            if who == client_keys.public().to_string() {
                "the allowed client"
            } else {
                "someone else"
            }
        );
        server.send(format!("reply {n}"), SendFlags::empty())?;
        println!(
            "client: received: {}",
            client.recv_string(RecvFlags::empty())?
        );
    }

    // A stranger with a key of its own: the handshake fails, nothing it
    // sends reaches the server.
    let stranger = ctx.socket(SocketType::Req)?;
    stranger.make_curve_client(server_keys.public(), &CurveKeyPair::generate()?)?;
    stranger.set_rcvtimeo(Some(timeout))?;
    stranger.set_linger(Some(Duration::ZERO))?;
    stranger.connect(&endpoint)?;
    stranger.send("let me in", SendFlags::empty())?;
    match stranger.recv_string(RecvFlags::empty()) {
        Err(e) if e.kind() == ErrorKind::TimedOut => {
            println!("stranger: refused (no reply within {timeout:?})")
        }
        Ok(reply) => println!("stranger: received: {reply} (it should not have!)"),
        Err(e) => return Err(e),
    }
    server.set_rcvtimeo(Some(Duration::ZERO))?;
    match server.recv_msg(RecvFlags::empty()) {
        Err(e) if e.is_would_block() => println!("server: nothing from the stranger"),
        Ok(msg) => println!(
            "server: received: {} (it should not have!)",
            String::from_utf8_lossy(&msg)
        ),
        Err(e) => return Err(e),
    }
    Ok(())
}
