//! The zguide-shaped examples run end to end, as separate processes: the
//! weather pair, the task pipeline (ventilator, workers, sink), the
//! multithreaded server and the request-reply broker (each with our
//! clients and workers, and with pyzmq's), the load-balancing broker; and every
//! example's `--help` and its refusal of an unknown argument.

use std::process::Command;

use crate::support::examples::{example, finish, free_tcp, lines, run, start, LIMIT};
use crate::support::peers;

#[test]
fn weather_client_averages_its_zipcode() {
    let endpoint = free_tcp();
    let server = start(
        "wuserver",
        &["--bind", &endpoint, "--count", "3000", "--quiet"],
    );
    let client = run(
        "wuclient",
        &["--connect", &endpoint, "--zipcode", "10004", "--count", "8"],
    );
    let server = finish(server, "wuserver");
    assert!(server.contains("published 3000 updates"), "{server}");
    let updates = lines(&client, "received: ");
    assert_eq!(updates.len(), 8, "{client}");
    // Only its zipcode, thanks to the subscription filter.
    assert!(updates.iter().all(|u| u.starts_with("10004 ")), "{client}");
    assert!(
        client.contains("average temperature for zipcode 10004: "),
        "{client}"
    );
}

/// A task worker of the pipeline, told where the ventilator, the sink and
/// its kill signal are.
fn task_worker(tasks: &str, results: &str, control: &str) -> std::process::Child {
    start(
        "taskwork",
        &["--connect", tasks, "--sink", results, "--control", control],
    )
}

#[test]
fn task_pipeline_with_two_workers() {
    let (tasks, results, control) = (free_tcp(), free_tcp(), free_tcp());
    let sink = start(
        "tasksink",
        &[
            "--bind",
            &results,
            "--control",
            &control,
            "--count",
            "12",
            "--workers",
            "2",
        ],
    );
    let workers: Vec<_> = (0..2)
        .map(|_| task_worker(&tasks, &results, &control))
        .collect();
    let vent = run(
        "taskvent",
        &[
            "--bind", &tasks, "--sink", &results, "--count", "12", "--max-ms", "5",
        ],
    );
    assert_eq!(lines(&vent, "sent: ").len(), 12, "{vent}");
    let sink = finish(sink, "tasksink");
    assert_eq!(lines(&sink, "received: result ").len(), 12, "{sink}");
    assert!(sink.contains("sent: KILL"), "{sink}");
    assert_eq!(lines(&sink, "worker stopped: "), ["1", "2"], "{sink}");
    // Both workers stop at KILL; between them they did every task (how
    // many each depends on when each connected).
    let mut done = 0;
    for w in workers {
        let out = finish(w, "taskwork");
        assert!(out.contains("control: KILL"), "{out}");
        done += lines(&out, "received: ").len();
    }
    assert_eq!(done, 12);
}

/// A worker that connects only after the batch is over, when the sink has
/// already published KILL, still hears it (the sink repeats it until every
/// worker has answered), and the sink learns that it stopped. With a KILL
/// published once, as zguide's sink does, this worker would wait for ever.
#[test]
fn task_worker_that_joins_after_kill_still_stops() {
    let (tasks, results, control) = (free_tcp(), free_tcp(), free_tcp());
    let sink = start(
        "tasksink",
        &[
            "--bind",
            &results,
            "--control",
            &control,
            "--count",
            "4",
            "--workers",
            "2",
        ],
    );
    let first = task_worker(&tasks, &results, &control);
    let vent = run(
        "taskvent",
        &[
            "--bind", &tasks, "--sink", &results, "--count", "4", "--max-ms", "2",
        ],
    );
    assert_eq!(lines(&vent, "sent: ").len(), 4, "{vent}");
    // The first worker did the whole batch and stopped at KILL: the sink
    // has published it at least once before the second worker exists.
    let first = finish(first, "taskwork");
    assert_eq!(lines(&first, "received: ").len(), 4, "{first}");
    assert!(first.contains("control: KILL"), "{first}");
    let late = finish(task_worker(&tasks, &results, &control), "late taskwork");
    assert!(late.contains("control: KILL"), "{late}");
    assert!(lines(&late, "received: ").is_empty(), "{late}");
    let sink = finish(sink, "tasksink");
    assert_eq!(lines(&sink, "worker stopped: "), ["1", "2"], "{sink}");
}

/// mtserver with two REQ clients: `hello_client`, or its pyzmq version.
fn mtserver(clients: [Command; 2]) {
    let endpoint = free_tcp();
    let server = start(
        "mtserver",
        &["--bind", &endpoint, "--workers", "3", "--count", "6"],
    );
    let clients: Vec<_> = clients
        .into_iter()
        .map(|mut c| peers::spawn(c.args(["--connect", &endpoint, "--count", "3"])))
        .collect();
    for c in clients {
        assert_eq!(lines(&finish(c, "client"), "received: "), ["World"; 3]);
    }
    let server = finish(server, "mtserver");
    assert_eq!(
        server
            .lines()
            .filter(|l| l.ends_with(" sent: World"))
            .count(),
        6
    );
    assert!(server.contains("served 6 requests, shut down"), "{server}");
}

#[test]
fn mtserver_serves_two_clients_then_exits() {
    mtserver([example("hello_client", &[]), example("hello_client", &[])]);
}

#[test]
fn mtserver_serves_pyzmq_clients() {
    let Some(py) = pyzmq() else {
        return;
    };
    mtserver([py("hello_client"), py("hello_client")]);
}

/// A maker of commands running a role of `tests/interop/examples.py`, or
/// `None` without pyzmq (test skipped).
fn pyzmq() -> Option<impl Fn(&str) -> Command> {
    let python = peers::python()?;
    Some(move |role: &str| {
        let mut cmd = Command::new(&python);
        cmd.arg(peers::interop_dir().join("examples.py")).arg(role);
        cmd
    })
}

/// rrbroker between REP workers and REQ clients: `hello_server --connect`
/// and `hello_client`, or their pyzmq versions.
fn rrbroker(worker: Command, clients: [Command; 2]) {
    let (frontend, backend) = (free_tcp(), free_tcp());
    let broker = start(
        "rrbroker",
        &[
            "--frontend",
            &frontend,
            "--backend",
            &backend,
            "--count",
            "6",
        ],
    );
    let mut worker = worker;
    let worker = peers::spawn(worker.args(["--connect", &backend, "--count", "6", "--echo"]));
    let clients: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            let message = format!("from client {i}");
            peers::spawn(c.args([
                "--connect",
                &frontend,
                "--count",
                "3",
                "--message",
                &message,
            ]))
        })
        .collect();
    for (i, c) in clients.into_iter().enumerate() {
        let out = finish(c, "client");
        // The echo came back to the client that asked, through the broker.
        let expected = format!("from client {i}");
        assert_eq!(lines(&out, "received: "), [expected.as_str(); 3], "{out}");
    }
    assert_eq!(lines(&finish(worker, "worker"), "sent: ").len(), 6);
    let broker = finish(broker, "rrbroker");
    assert_eq!(lines(&broker, "request: ").len(), 6, "{broker}");
    assert_eq!(lines(&broker, "reply: ").len(), 6, "{broker}");
}

#[test]
fn rrbroker_between_our_workers_and_clients() {
    rrbroker(
        example("hello_server", &[]),
        [example("hello_client", &[]), example("hello_client", &[])],
    );
}

#[test]
fn rrbroker_between_pyzmq_workers_and_clients() {
    let Some(py) = pyzmq() else {
        return;
    };
    rrbroker(
        py("hello_server"),
        [py("hello_client"), example("hello_client", &[])],
    );
}

#[test]
fn lbbroker_serves_every_client() {
    let out = run("lbbroker", &["--clients", "6", "--workers", "2"]);
    assert_eq!(
        out.lines().filter(|l| l.ends_with(" received: OK")).count(),
        6,
        "{out}"
    );
    assert!(out.contains("all 6 clients served"), "{out}");
}

#[cfg(unix)] // ipc:// needs Unix domain sockets
#[test]
fn lbbroker_over_ipc_and_tcp() {
    let dir = crate::support::TempDir::new("ex-lb");
    let frontend = dir.ipc("frontend");
    let out = run(
        "lbbroker",
        &[
            "--frontend",
            &frontend,
            "--backend",
            "tcp://127.0.0.1:*",
            "--clients",
            "3",
            "--workers",
            "2",
        ],
    );
    assert!(out.contains("all 3 clients served"), "{out}");
}

const EXAMPLES: &[&str] = &[
    "hello_server",
    "hello_client",
    "pusher",
    "puller",
    "publisher",
    "subscriber",
    "router_server",
    "dealer_client",
    "inproc_broker",
    "wuserver",
    "wuclient",
    "taskvent",
    "taskwork",
    "tasksink",
    "mtserver",
    "rrbroker",
    "lbbroker",
    "either_side_binds",
    "curve_reqrep",
    #[cfg(all(feature = "tokio", unix))]
    "async_inproc",
];

#[test]
fn every_example_prints_usage_and_refuses_unknown_arguments() {
    for name in EXAMPLES {
        let help = peers::wait(peers::spawn(&mut example(name, &["--help"])), LIMIT);
        assert!(help.status.success(), "{name} --help: {}", help.status);
        assert!(
            help.stdout.starts_with(&format!("usage: {name} ")),
            "{name} --help printed:\n{}",
            help.stdout
        );
        let bad = peers::wait(
            peers::spawn(&mut example(name, &["--no-such-option"])),
            LIMIT,
        );
        assert_eq!(bad.status.code(), Some(2), "{name} with a bad argument");
        assert!(bad.stderr.contains("usage: "), "{name}: {}", bad.stderr);
    }
}
