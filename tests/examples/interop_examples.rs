//! The example programs against peers we did not write: each pair with
//! one side played by our example and the other by pyzmq
//! (`tests/interop/examples.py`, over tcp and ipc), and REQ/REP and PUB/SUB
//! against JeroMQ, a Java implementation of the wire protocol that is not
//! libzmq (`tests/interop/java/ExamplePeer.java`, over tcp).
//!
//! The peers take the same arguments as the examples and print the same
//! lines, so each check below runs unchanged whichever side is ours. A
//! missing peer skips the test with a note (fails with
//! `ZMQ4_REQUIRE_PEERS=1`).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::examples::{example, finish, free_tcp, lines, numbered};
use crate::support::{peers, TempDir};

/// Who plays one side of a pair.
#[derive(Clone, Copy)]
enum Side<'a> {
    /// Our example program.
    Ours,
    /// `tests/interop/examples.py` run by this python (with pyzmq).
    Pyzmq(&'a Path),
    /// `ExamplePeer`, compiled into this directory, with JeroMQ's jar.
    Jeromq { classes: &'a Path, jar: &'a Path },
}

impl Side<'_> {
    fn command(self, role: &str, args: &[&str]) -> Command {
        let mut cmd = match self {
            Side::Ours => return example(role, args),
            Side::Pyzmq(python) => {
                let mut cmd = Command::new(python);
                cmd.arg(peers::interop_dir().join("examples.py"));
                cmd
            }
            Side::Jeromq { classes, jar } => {
                let classpath = std::env::join_paths([jar, classes]).expect("class path");
                let mut cmd = Command::new("java");
                cmd.arg("-cp").arg(classpath).arg("ExamplePeer");
                cmd
            }
        };
        cmd.arg(role).args(args);
        cmd
    }

    fn start(self, role: &str, args: &[&str]) -> std::process::Child {
        peers::spawn(&mut self.command(role, args))
    }
}

/// A tcp endpoint, and an ipc one where there is ipc (Unix).
fn endpoints(dir: &TempDir) -> Vec<String> {
    let mut endpoints = vec![free_tcp()];
    if cfg!(unix) {
        endpoints.push(dir.ipc("interop"));
    }
    endpoints
}

fn hello(server: Side, client: Side, endpoint: &str) {
    let s = server.start("hello_server", &["--bind", endpoint, "--count", "3"]);
    let c = client.start("hello_client", &["--connect", endpoint, "--count", "3"]);
    let c = finish(c, "hello_client");
    let s = finish(s, "hello_server");
    assert_eq!(lines(&c, "received: "), ["World"; 3], "{endpoint}");
    assert_eq!(lines(&s, "received: "), ["Hello"; 3], "{endpoint}");
}

fn push_pull(pusher: Side, puller: Side, endpoint: &str) {
    let pull = puller.start("puller", &["--connect", endpoint]);
    let push = pusher.start("pusher", &["--bind", endpoint, "--count", "5"]);
    finish(push, "pusher");
    let mut expected = numbered("task", 5);
    expected.push("END".into());
    assert_eq!(
        lines(&finish(pull, "puller"), "received: "),
        expected,
        "{endpoint}"
    );
}

fn pub_sub(publisher: Side, subscriber: Side, endpoint: &str) {
    let prefix = "sub 1 ";
    let sub = subscriber.start("subscriber", &["--connect", endpoint, "--prefix", prefix]);
    let publ = publisher.start(
        "publisher",
        &["--bind", endpoint, "--prefix", prefix, "--count", "4"],
    );
    let publ = finish(publ, "publisher");
    assert_eq!(lines(&publ, "subscribed: "), [format!("{prefix:?}")]);
    let mut expected = numbered("message", 4);
    expected.push("END".into());
    assert_eq!(
        lines(&finish(sub, "subscriber"), "received: "),
        expected,
        "{endpoint}"
    );
}

fn router_dealer(router: Side, dealer: Side, endpoint: &str) {
    let r = router.start("router_server", &["--bind", endpoint, "--count", "3"]);
    let d = dealer.start(
        "dealer_client",
        &[
            "--connect",
            endpoint,
            "--count",
            "3",
            "--identity",
            "peer-7",
        ],
    );
    let d = finish(d, "dealer_client");
    let r = finish(r, "router_server");
    let sent = numbered("request", 3);
    let replies: Vec<_> = sent.iter().map(|s| format!("Hello | {s}")).collect();
    assert_eq!(lines(&d, "received: "), replies, "{endpoint}");
    let seen: Vec<_> = sent.iter().map(|s| format!("peer-7: {s}")).collect();
    assert_eq!(lines(&r, "received from "), seen, "{endpoint}");
}

/// Runs `check(ours-or-pyzmq..., endpoint)` over tcp and ipc, or skips
/// without pyzmq.
fn with_pyzmq(check: impl Fn(Side, &str)) {
    let Some(python) = peers::python() else {
        return;
    };
    let dir = TempDir::new("interop-ex");
    for endpoint in endpoints(&dir) {
        check(Side::Pyzmq(&python), &endpoint);
    }
}

#[test]
fn pyzmq_req_against_our_hello_server() {
    with_pyzmq(|py, ep| hello(Side::Ours, py, ep));
}

#[test]
fn our_hello_client_against_pyzmq_rep() {
    with_pyzmq(|py, ep| hello(py, Side::Ours, ep));
}

#[test]
fn pyzmq_pull_against_our_pusher() {
    with_pyzmq(|py, ep| push_pull(Side::Ours, py, ep));
}

#[test]
fn our_puller_against_pyzmq_push() {
    with_pyzmq(|py, ep| push_pull(py, Side::Ours, ep));
}

#[test]
fn pyzmq_sub_against_our_publisher() {
    with_pyzmq(|py, ep| pub_sub(Side::Ours, py, ep));
}

#[test]
fn our_subscriber_against_pyzmq_pub() {
    with_pyzmq(|py, ep| pub_sub(py, Side::Ours, ep));
}

#[test]
fn pyzmq_dealer_against_our_router_server() {
    with_pyzmq(|py, ep| router_dealer(Side::Ours, py, ep));
}

#[test]
fn our_dealer_client_against_pyzmq_router() {
    with_pyzmq(|py, ep| router_dealer(py, Side::Ours, ep));
}

/// Compiles the JeroMQ peer into a fresh directory, or skips without
/// JeroMQ and a JDK.
fn jeromq() -> Option<(PathBuf, TempDir, PathBuf)> {
    let jar = peers::jeromq_jar()?;
    let dir = TempDir::new("jeromq-peer");
    // The class files go in a directory of the TempDir (removed on drop).
    let classes = dir.path().join("classes");
    let javac = peers::spawn(
        Command::new("javac")
            .arg("-cp")
            .arg(&jar)
            .arg("-d")
            .arg(&classes)
            .arg(peers::interop_dir().join("java/ExamplePeer.java")),
    );
    finish(javac, "javac ExamplePeer.java");
    Some((jar, dir, classes))
}

#[test]
fn jeromq_req_rep_over_tcp_both_ways() {
    let Some((jar, _dir, classes)) = jeromq() else {
        return;
    };
    let java = Side::Jeromq {
        classes: &classes,
        jar: &jar,
    };
    hello(Side::Ours, java, &free_tcp());
    hello(java, Side::Ours, &free_tcp());
}

#[test]
fn jeromq_pub_sub_over_tcp_both_ways() {
    let Some((jar, _dir, classes)) = jeromq() else {
        return;
    };
    let java = Side::Jeromq {
        classes: &classes,
        jar: &jar,
    };
    pub_sub(Side::Ours, java, &free_tcp());
    pub_sub(java, Side::Ours, &free_tcp());
}
