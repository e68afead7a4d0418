//! What a peer process does (see [`peer`](crate::peer)): receivers that
//! report every numbered message, servers that answer, a proxy, a sender
//! that exits with messages queued, and the probes that need a process of
//! their own (a lowered descriptor limit, a network namespace).
//!
//! Settings come from `ZMQ4_FAULTS_*` variables: `BIND` or `CONNECT` (the
//! endpoint), `HB` (heartbeat interval and timeout in ms, `250,1000`),
//! `HWM` (both high-water marks), `SLOW` (`EVERY,MS`: sleep MS ms after
//! every EVERY messages), `ID` (a routing id), `MANDATORY`, `LINGER`.

use std::io::{Read, Write};
use std::str::FromStr;
use std::time::Duration;

use zmq4::{Context, ErrorKind, RecvFlags, SendFlags, Socket, SocketType};

use crate::peer::SETTING;
use crate::tally::seq_of;

/// A setting of this peer, if given.
pub fn setting(name: &str) -> Option<String> {
    std::env::var(format!("{SETTING}{}", name.to_uppercase())).ok()
}

/// A setting parsed, or `default`.
pub fn setting_or<T: FromStr>(name: &str, default: T) -> T {
    setting(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Writes one report line (`@...`) in one system call.
pub fn report(line: &str) {
    let mut out = std::io::stdout().lock();
    let mut text = String::with_capacity(line.len() + 2);
    text.push('@');
    text.push_str(line);
    text.push('\n');
    out.write_all(text.as_bytes())
        .expect("report to the parent");
    out.flush().expect("report to the parent");
}

/// Reports a fact, `@x key=value`.
pub fn fact(key: &str, value: impl std::fmt::Display) {
    report(&format!("x {key}={value}"));
}

/// Shuts the context down when the parent closes this process's standard
/// input (or dies).
fn stop_on_stdin_eof(ctx: &Context) {
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let mut sink = [0u8; 64];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        let _ = ctx.shutdown();
    });
}

/// Heartbeats, high-water marks and LINGER 0 from the settings.
pub fn apply_settings(sock: &Socket<'_>) {
    sock.set_linger(Some(Duration::ZERO)).unwrap();
    if let Some(hb) = setting("hb") {
        let (ivl, timeout) = hb.split_once(',').expect("HB=IVL,TIMEOUT");
        sock.set_heartbeat_ivl(Duration::from_millis(ivl.parse().unwrap()))
            .unwrap();
        sock.set_heartbeat_timeout(Duration::from_millis(timeout.parse().unwrap()))
            .unwrap();
    }
    if let Some(hwm) = setting("hwm") {
        let hwm: i32 = hwm.parse().unwrap();
        sock.set_sndhwm(Some(hwm)).unwrap();
        sock.set_rcvhwm(Some(hwm)).unwrap();
    }
}

/// Binds or connects as the settings say; reports `@ready` with the
/// endpoint bound (or connected to).
fn attach(sock: &Socket<'_>) -> String {
    if let Some(ep) = setting("bind") {
        sock.bind(&ep).unwrap_or_else(|e| panic!("bind {ep}: {e}"));
        sock.last_endpoint().unwrap()
    } else {
        let ep = setting("connect").expect("BIND or CONNECT");
        sock.connect(&ep).unwrap();
        ep
    }
}

/// Sleeps as the `SLOW` setting says after message number `n` (counted
/// from 1).
struct Slow(Option<(u64, Duration)>);

impl Slow {
    fn from_settings() -> Slow {
        Slow(setting("slow").map(|s| {
            let (every, ms) = s.split_once(',').expect("SLOW=EVERY,MS");
            (
                every.parse().unwrap(),
                Duration::from_millis(ms.parse().unwrap()),
            )
        }))
    }

    fn after(&self, n: u64) {
        if let Some((every, pause)) = self.0 {
            if n.is_multiple_of(every) {
                std::thread::sleep(pause);
            }
        }
    }
}

/// Whether a receive error ends the role (the context was shut down).
fn ended(err: &zmq4::Error) -> bool {
    match err.kind() {
        ErrorKind::Terminated => true,
        ErrorKind::Interrupted | ErrorKind::WouldBlock | ErrorKind::TimedOut => false,
        _ => panic!("peer: {err}"),
    }
}

/// Runs `role` in this (child) process.
pub fn run(role: &str) {
    match role {
        "linger" => return linger(),
        "fdlimit" => return crate::scenarios::fdlimit::child(),
        "netns" => return crate::scenarios::netns::child(),
        _ => {}
    }
    let ctx = Context::new().unwrap();
    stop_on_stdin_eof(&ctx);
    match role {
        "pull" => receive(&ctx, SocketType::Pull),
        "sub" => receive(&ctx, SocketType::Sub),
        "dealer" => receive(&ctx, SocketType::Dealer),
        "rep" => serve(&ctx, SocketType::Rep),
        "router" => serve(&ctx, SocketType::Router),
        "proxy" => proxy(&ctx),
        _ => panic!("unknown role {role}"),
    }
}

/// Receives numbered messages and reports each. A SUB subscribes to
/// everything and reports the first probe (`probe`); a DEALER takes its
/// routing id from `ID` and greets the ROUTER it connects to.
fn receive(ctx: &Context, kind: SocketType) {
    let sock = ctx.socket(kind).unwrap();
    apply_settings(&sock);
    if kind == SocketType::Sub {
        sock.set_subscribe(b"").unwrap();
    }
    if let Some(id) = setting("id") {
        sock.set_routing_id(id.as_bytes()).unwrap();
    }
    let ep = attach(&sock);
    if kind == SocketType::Dealer {
        sock.send("hello", SendFlags::empty()).unwrap();
    }
    report(&format!("ready {ep}"));
    let slow = Slow::from_settings();
    let mut msg = zmq4::Message::new();
    let mut probed = false;
    let mut n = 0;
    loop {
        match sock.recv(&mut msg, RecvFlags::empty()) {
            Ok(()) => {}
            Err(e) if ended(&e) => break,
            Err(_) => continue,
        }
        match seq_of(&msg) {
            Some(seq) => {
                report(&format!("r {seq}"));
                n += 1;
                slow.after(n);
            }
            None if &msg[..] == b"probe" => {
                if !probed {
                    probed = true;
                    fact("probe", 1);
                }
            }
            None => fact("stray", msg.len()),
        }
    }
}

/// Answers every request with its own bytes (REP; ROUTER with the
/// routing id in front), reporting each.
fn serve(ctx: &Context, kind: SocketType) {
    let sock = ctx.socket(kind).unwrap();
    apply_settings(&sock);
    if setting("mandatory").is_some() {
        sock.set_router_mandatory(true).unwrap();
    }
    let ep = attach(&sock);
    report(&format!("ready {ep}"));
    let slow = Slow::from_settings();
    let mut parts = Vec::new();
    let mut n = 0;
    loop {
        match sock.recv_multipart_into(&mut parts, RecvFlags::empty()) {
            Ok(_) => {}
            Err(e) if ended(&e) => break,
            Err(_) => continue,
        }
        let Some(seq) = parts.last().and_then(|m| seq_of(m)) else {
            continue;
        };
        report(&format!("r {seq}"));
        n += 1;
        slow.after(n);
        // A reply that cannot be sent (the client went) is dropped, as a
        // server does.
        match sock.send_multipart(parts.drain(..), SendFlags::empty()) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::Terminated => break,
            Err(_) => {}
        }
    }
}

/// A PULL/PUSH streamer on `zmq4::proxy`, binding `BIND` (frontend) and
/// `BIND2` (backend), until the context is shut down.
fn proxy(ctx: &Context) {
    let frontend = ctx.socket(SocketType::Pull).unwrap();
    let backend = ctx.socket(SocketType::Push).unwrap();
    apply_settings(&frontend);
    apply_settings(&backend);
    frontend.bind(&setting("bind").unwrap()).unwrap();
    backend.bind(&setting("bind2").unwrap()).unwrap();
    report(&format!(
        "ready {} {}",
        frontend.last_endpoint().unwrap(),
        backend.last_endpoint().unwrap()
    ));
    zmq4::proxy(&frontend, &backend, None).expect("the proxy ends only by the shutdown");
}

/// Connects a PUSH to `CONNECT` (where nobody may be listening), queues
/// `COUNT` messages, then closes everything and lets the process end: the
/// exit waits as the socket's `LINGER` says (`LINGER` ms, `none` for
/// libzmq's "for ever", unset for zmq4's default).
fn linger() {
    let count: u64 = setting_or("count", 100);
    let closing;
    {
        let ctx = Context::new().unwrap();
        let push = ctx.socket(SocketType::Push).unwrap();
        match setting("linger").as_deref() {
            None => {}
            Some("none") => push.set_linger(None).unwrap(),
            Some(ms) => push
                .set_linger(Some(Duration::from_millis(ms.parse().unwrap())))
                .unwrap(),
        }
        push.connect(&setting("connect").unwrap()).unwrap();
        for seq in 0..count {
            push.send_msg(crate::tally::payload(seq, 64), SendFlags::DONTWAIT)
                .expect("queue a message");
        }
        fact(
            "linger_ms",
            push.linger().unwrap().map_or(-1, |d| d.as_millis() as i64),
        );
        fact("queued", count);
        // The exit's wait starts here: the socket closes, then the
        // context terminates, lingering as the socket says.
        closing = std::time::Instant::now();
    }
    fact("closed_us", closing.elapsed().as_micros());
}
