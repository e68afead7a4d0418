//! The example programs run against each other, as separate processes,
//! over tcp and ipc; each test checks what both sides printed.

use crate::support::examples::{finish, free_tcp, lines, numbered, run, start};
#[cfg(unix)]
use crate::support::TempDir;

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

/// The unusual directions: a binding SUB with connecting XPUBs that wait
/// for the subscription (nothing lost), a connecting ROUTER that names
/// binding DEALERs, a binding REQ served by a connecting REP.
#[test]
fn either_side_binds_delivers_every_message_in_each_direction() {
    let out = run("either_side_binds", &["--count", "4"]);
    let mut collected = lines(&out, "collector: received: ");
    collected.sort_unstable();
    let mut expected: Vec<String> = (1..=4)
        .flat_map(|n| [format!("log a {n}"), format!("log b {n}")])
        .collect();
    expected.sort_unstable();
    assert_eq!(collected, expected, "{out}");
    for worker in ["worker-a", "worker-b"] {
        let done: Vec<String> = (1..=4).map(|n| format!("{worker}: job {n} done")).collect();
        assert_eq!(
            lines(&out, &format!("router: from {worker}: ")).len(),
            4,
            "{out}"
        );
        for line in done {
            let (who, what) = line.split_once(": ").unwrap();
            assert!(
                out.contains(&format!("router: from {who}: {what}")),
                "{out}"
            );
        }
    }
    assert_eq!(
        lines(&out, "client: received: "),
        ["pong 1", "pong 2", "pong 3", "pong 4"]
    );
}

/// CURVE with an authenticator: the listed client is served and
/// identified, a stranger's request never reaches the server.
#[test]
fn curve_reqrep_serves_the_allowed_key_and_refuses_a_stranger() {
    if !zmq4::has("curve") {
        return;
    }
    let out = run("curve_reqrep", &["--count", "2", "--timeout", "300"]);
    assert_eq!(
        lines(&out, "server: received: "),
        [
            "request 1 (from the allowed client)",
            "request 2 (from the allowed client)"
        ],
        "{out}"
    );
    assert_eq!(
        lines(&out, "client: received: "),
        ["reply 1", "reply 2"],
        "{out}"
    );
    assert!(out.contains("stranger: refused"), "{out}");
    assert!(out.contains("server: nothing from the stranger"), "{out}");
    assert!(!out.contains("should not have"), "{out}");
}

/// channeler_server: worker threads share one ROUTER through a
/// channeler, client threads own their REQ sockets; every request is
/// answered once, then the context's shutdown ends the workers.
#[cfg(feature = "channeler")]
#[test]
fn channeler_server_answers_its_client_threads() {
    let out = run(
        "channeler_server",
        &["--clients", "3", "--count", "7", "--workers", "4"],
    );
    let mut requests: Vec<&str> = lines(&out, "worker ")
        .iter()
        .map(|l| {
            l.split_once(" received: ")
                .expect("worker N received: ...")
                .1
        })
        .collect();
    requests.sort_unstable();
    let mut expected: Vec<String> = (1..=3)
        .flat_map(|c| (1..=7).map(move |i| format!("request {i} from client {c}")))
        .collect();
    expected.sort_unstable();
    assert_eq!(requests, expected, "each request answered once");
    for c in 1..=3 {
        assert_eq!(lines(&out, &format!("client {c} received: ")), ["World"; 7]);
    }
    assert_eq!(lines(&out, "served "), ["21 requests, shut down"]);
}

/// The same server with no clients of its own, asked by hello_client.
#[cfg(feature = "channeler")]
#[test]
fn channeler_server_serves_hello_client() {
    let endpoint = free_tcp();
    let server = start("channeler_server", &["--bind", &endpoint, "--clients", "0"]);
    let client = run("hello_client", &["--connect", &endpoint, "--count", "5"]);
    assert_eq!(lines(&client, "received: "), ["World"; 5]);
    let mut server = server;
    let _ = server.kill();
    let _ = server.wait();
}

/// inproc_broker with no built-in client serves clients from outside the
/// process (here hello_client, another program) through its inproc
/// workers.
#[test]
fn inproc_broker_serves_outside_clients() {
    let endpoint = free_tcp();
    let mut broker = start(
        "inproc_broker",
        &["--bind", &endpoint, "--count", "0", "--workers", "2"],
    );
    let client = run("hello_client", &["--connect", &endpoint, "--count", "4"]);
    let _ = broker.kill();
    let _ = broker.wait();
    let replies = lines(&client, "received: ");
    assert_eq!(replies.len(), 4, "{client}");
    for reply in replies {
        assert!(
            reply.starts_with("worker ") && reply.ends_with(" got \"Hello\""),
            "{reply}"
        );
    }
}
