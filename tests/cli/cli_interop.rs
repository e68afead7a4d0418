//! The `zmq4` command-line tool against pyzmq, a peer we did not write:
//! a SUB receiving from a pyzmq PUB, a REQ asking a pyzmq REP, and CURVE
//! with a pyzmq server that loads the certificate files `zmq4 keygen`
//! wrote. A missing pyzmq skips each test (fails with
//! `ZMQ4_REQUIRE_PEERS=1`, as `ci/peers.sh` sets).
#![cfg(unix)]

use std::process::Command;

use crate::support::cli::{assert_exit, run, LIMIT};
use crate::support::examples::free_tcp;
use crate::support::peers;
use crate::support::TempDir;

/// A pyzmq program: `python -c SCRIPT ARGS...`, or `None` (skipped).
fn pyzmq(script: &str, args: &[&str]) -> Option<Command> {
    let mut cmd = Command::new(peers::python()?);
    cmd.arg("-c").arg(script).args(args);
    Some(cmd)
}

/// Publishes two topics every 20 ms until killed (20 s at most).
const PUB: &str = r#"
import sys, time, zmq
s = zmq.Context().socket(zmq.PUB)
s.linger = 0
s.bind(sys.argv[1])
end = time.time() + 20
while time.time() < end:
    s.send_multipart([b"weather", b"sunny \xff"])
    s.send(b"traffic jam")
    time.sleep(0.02)
"#;

#[test]
fn recv_from_a_pyzmq_pub() {
    let ep = free_tcp();
    let Some(mut publisher) = pyzmq(PUB, &[&ep]) else {
        return;
    };
    let publisher = peers::spawn(&mut publisher);
    let got = run(&[
        "recv",
        "-t",
        "sub",
        "-c",
        &ep,
        "--subscribe",
        "weather",
        "-n",
        "2",
        "-F",
        "json",
        "--timeout",
        "20s",
    ]);
    let mut publisher = publisher;
    let _ = publisher.kill();
    let _ = publisher.wait();
    assert_exit(&got, 0);
    let line = "{\"frames\":[\"weather\",{\"base64\":\"c3Vubnkg/w==\"}]}\n";
    assert_eq!(got.stdout, line.repeat(2));
}

/// Answers `n` requests with their frames upper-cased, then exits.
const REP: &str = r#"
import sys, zmq
s = zmq.Context().socket(zmq.REP)
s.rcvtimeo = 20000
s.bind(sys.argv[1])
for _ in range(int(sys.argv[2])):
    s.send_multipart([f.upper() for f in s.recv_multipart()])
print("served", flush=True)
"#;

#[test]
fn req_to_a_pyzmq_rep() {
    let ep = free_tcp();
    let Some(mut server) = pyzmq(REP, &[&ep, "2"]) else {
        return;
    };
    let server = peers::spawn(&mut server);
    let asked = run(&["req", "-c", &ep, "--timeout", "20s", "--frames", "a", "b"]);
    let asked2 = run(&["req", "-c", &ep, "--timeout", "20s", "-F", "hex", "hi"]);
    let server = peers::wait(server, LIMIT);
    assert_exit(&asked, 0);
    assert_exit(&asked2, 0);
    assert_eq!(asked.stdout, "A\tB\n");
    assert_eq!(asked2.stdout, "4849\n");
    assert!(server.status.success(), "{}", server.stderr);
    assert_eq!(server.stdout, "served\n");
}

/// A CURVE REP server with the key pair of argv[2] (a secret certificate
/// file), letting in the public certificates in directory argv[3]; echoes
/// one request with the client's key (its User-Id) appended.
const CURVE_REP: &str = r#"
import sys, zmq, zmq.auth
from zmq.auth.thread import ThreadAuthenticator
ctx = zmq.Context()
auth = ThreadAuthenticator(ctx)
auth.start()
auth.configure_curve(domain="*", location=sys.argv[3])
public, secret = zmq.auth.load_certificate(sys.argv[2])
s = ctx.socket(zmq.REP)
s.curve_publickey, s.curve_secretkey, s.curve_server = public, secret, True
s.rcvtimeo = 20000
s.bind(sys.argv[1])
frames = s.recv_multipart(copy=False)
s.send_multipart([f.bytes for f in frames] + [frames[-1].get("User-Id").encode()])
auth.stop()
print(public.decode(), flush=True)
"#;

#[test]
fn curve_with_a_pyzmq_server_using_keys_the_tool_made() {
    let dir = TempDir::new("cli-pycurve");
    let d = dir.path().to_str().expect("a UTF-8 path").to_owned();
    let clients = format!("{d}/clients");
    assert_exit(&run(&["keygen", "--cert", "server", "--dir", &d]), 0);
    let made = run(&["keygen", "--cert", "client", "--dir", &clients]);
    assert_exit(&made, 0);
    let client_public = made
        .stdout
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("public: "))
        .expect("public key")
        .to_owned();

    let ep = free_tcp();
    let Some(mut server) = pyzmq(
        CURVE_REP,
        &[&ep, &format!("{d}/server.key_secret"), &clients],
    ) else {
        return;
    };
    let server = peers::spawn(&mut server);
    let asked = run(&[
        "req",
        "-c",
        &ep,
        "--timeout",
        "20s",
        "--curve-serverkey",
        &format!("{d}/server.key"),
        "--curve-keys",
        &format!("{clients}/client.key_secret"),
        "over curve",
    ]);
    let server = peers::wait(server, LIMIT);
    assert_exit(&asked, 0);
    // pyzmq's authenticator let the client in by the key the tool wrote.
    assert_eq!(asked.stdout, format!("over curve\t{client_public}\n"));
    assert!(server.status.success(), "{}", server.stderr);
    // pyzmq read the same server key that the tool's certificate holds.
    let server_key = std::fs::read_to_string(format!("{d}/server.key")).expect("server.key");
    assert!(
        server_key.contains(&format!("public-key = \"{}\"", server.stdout.trim())),
        "{server_key}"
    );
}
