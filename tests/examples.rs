//! The example programs run against each other, as separate processes,
//! over tcp and ipc; each test checks what both sides printed.

mod common;
mod examples_support;

#[cfg(unix)]
use common::TempDir;
use examples_support::{finish, free_tcp, lines, numbered, run, start};

/// hello_client against hello_server: N requests, N "World" replies.
#[test]
fn hello_pair_over_tcp() {
    let endpoint = free_tcp();
    let server = start("hello_server", &["--bind", &endpoint, "--count", "3"]);
    let client = run("hello_client", &["--connect", &endpoint, "--count", "3"]);
    let server = finish(server, "hello_server");
    assert_eq!(lines(&client, "sent: "), ["Hello"; 3]);
    assert_eq!(lines(&client, "received: "), ["World"; 3]);
    assert_eq!(lines(&server, "received: "), ["Hello"; 3]);
    assert_eq!(lines(&server, "sent: "), ["World"; 3]);
}

/// `--echo` sends every request back.
#[cfg(unix)] // ipc:// needs Unix domain sockets
#[test]
fn hello_pair_echoes_over_ipc() {
    let dir = TempDir::new("ex-hello");
    let endpoint = dir.ipc("hello");
    let server = start(
        "hello_server",
        &["--bind", &endpoint, "--count", "2", "--echo"],
    );
    let client = run(
        "hello_client",
        &["--connect", &endpoint, "--count", "2", "--message", "ping"],
    );
    finish(server, "hello_server");
    assert_eq!(lines(&client, "received: "), ["ping"; 2]);
}

fn push_pull(endpoint: &str) {
    // The puller starts first and connects before the pusher has bound:
    // libzmq retries the connection until it succeeds.
    let puller = start("puller", &["--connect", endpoint]);
    let pusher = run(
        "pusher",
        &["--bind", endpoint, "--count", "5", "--sndhwm", "2"],
    );
    let puller = finish(puller, "puller");
    let mut expected = numbered("task", 5);
    expected.push("END".into());
    assert_eq!(lines(&pusher, "sent: "), expected);
    assert_eq!(lines(&puller, "received: "), expected);
}

#[test]
fn push_pull_over_tcp() {
    push_pull(&free_tcp());
}

#[cfg(unix)] // ipc:// needs Unix domain sockets
#[test]
fn push_pull_over_ipc() {
    let dir = TempDir::new("ex-push");
    push_pull(&dir.ipc("tasks"));
}

fn pub_sub(endpoint: &str, subscribers: usize) {
    let prefix = "weather ";
    let subs: Vec<_> = (0..subscribers)
        .map(|_| start("subscriber", &["--connect", endpoint, "--prefix", prefix]))
        .collect();
    let publisher = run(
        "publisher",
        &[
            "--bind",
            endpoint,
            "--prefix",
            prefix,
            "--count",
            "4",
            "--subscribers",
            &subscribers.to_string(),
        ],
    );
    assert_eq!(lines(&publisher, "subscribed: ").len(), subscribers);
    let mut expected = numbered("message", 4);
    expected.push("END".into());
    for sub in subs {
        // Every message, none missed: the publisher waited for the
        // subscriptions, and the prefix is stripped.
        assert_eq!(lines(&finish(sub, "subscriber"), "received: "), expected);
    }
}

#[test]
fn pub_sub_over_tcp() {
    pub_sub(&free_tcp(), 1);
}

#[cfg(unix)] // ipc:// needs Unix domain sockets
#[test]
fn pub_sub_two_subscribers_over_ipc() {
    let dir = TempDir::new("ex-pub");
    pub_sub(&dir.ipc("news"), 2);
}

/// The router replies [identity, "Hello", payload]; the dealer prints both
/// frames it gets back, and the router shows the identity it was given.
#[test]
fn router_dealer_with_identity_over_tcp() {
    let endpoint = free_tcp();
    let server = start("router_server", &["--bind", &endpoint, "--count", "3"]);
    let client = run(
        "dealer_client",
        &[
            "--connect",
            &endpoint,
            "--count",
            "3",
            "--identity",
            "alice",
        ],
    );
    let server = finish(server, "router_server");
    let sent = numbered("request", 3);
    assert_eq!(lines(&client, "sent: "), sent);
    let replies: Vec<_> = sent.iter().map(|s| format!("Hello | {s}")).collect();
    assert_eq!(lines(&client, "received: "), replies);
    let seen: Vec<_> = sent.iter().map(|s| format!("alice: {s}")).collect();
    assert_eq!(lines(&server, "received from "), seen);
}

/// Without `--identity` the router sees the id libzmq made up (printed in
/// hex), and the replies still reach the dealer.
#[cfg(unix)] // ipc:// needs Unix domain sockets
#[test]
fn router_dealer_generated_identity_over_ipc() {
    let dir = TempDir::new("ex-router");
    let endpoint = dir.ipc("router");
    let server = start("router_server", &["--bind", &endpoint, "--count", "2"]);
    let client = run("dealer_client", &["--connect", &endpoint, "--count", "2"]);
    let server = finish(server, "router_server");
    assert_eq!(
        lines(&client, "received: "),
        ["Hello | request 1", "Hello | request 2"]
    );
    for line in lines(&server, "received from ") {
        let (id, _) = line.split_once(": ").expect("id: payload");
        assert!(
            id.len() == 10 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "a generated routing id is 5 bytes: {line:?}"
        );
    }
}

/// The README's main job: the broker, its workers and its client, end to end.
#[test]
fn inproc_broker_runs_end_to_end() {
    let endpoint = free_tcp();
    let out = run(
        "inproc_broker",
        &["--bind", &endpoint, "--workers", "3", "--count", "6"],
    );
    let replies: Vec<_> = out.lines().filter(|l| l.contains(" -> worker ")).collect();
    assert_eq!(replies.len(), 6, "{out}");
    assert!(out.contains("shut down cleanly"), "{out}");
}

/// Seed 002's asyncio pair as tokio tasks: three requests answered, then
/// the worker task cancelled and its socket closed.
#[cfg(all(feature = "tokio", unix))]
#[test]
fn async_inproc_answers_three_requests_then_cancels_the_worker() {
    let out = run("async_inproc", &[]);
    let replies: Vec<_> = out
        .lines()
        .filter(|l| l.starts_with("REQ client: got reply"))
        .collect();
    assert_eq!(
        replies,
        [1, 2, 3].map(|i| format!("REQ client: got reply 'worker handled 'request {i}''")),
        "{out}"
    );
    assert!(out.contains("main: worker cancelled"), "{out}");
    assert!(out.contains("REP worker: socket closed"), "{out}");
}
