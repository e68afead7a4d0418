//! The `zmq4` command-line tool (feature `cli`), run as a program against
//! itself: what it prints (exactly, in every format), its exit statuses and
//! its one-line errors. Every run is bounded by a watchdog
//! (`crate::support::cli::LIMIT`). The runs against pyzmq are in `cli_interop.rs`.
#![cfg(unix)]

use std::time::{Duration, Instant};

use crate::support::cli::{
    assert_exit, assert_fails, run, run_with_input, signal, start, wait_for_file, LIMIT,
};
use crate::support::examples::free_tcp;
use crate::support::peers::{self, Finished};
use crate::support::TempDir;

/// The ipc endpoint of socket file `name` in `dir`, and the file's path.
fn ipc(dir: &TempDir, name: &str) -> (String, std::path::PathBuf) {
    (dir.ipc(name), dir.path().join(name))
}

/// Runs a receiving command and a sending one side by side; the receiver
/// starts first. Returns both when both have ended.
fn pair(recv: &[&str], send: &[&str]) -> (Finished, Finished) {
    let receiver = start(recv);
    let sender = run(send);
    (peers::wait(receiver, LIMIT), sender)
}

#[test]
fn send_to_recv_splits_frames_and_prints_text() {
    let dir = TempDir::new("cli");
    let (ep, _) = ipc(&dir, "s");
    let (got, sent) = pair(
        &["recv", "-b", &ep, "-n", "2"],
        &["send", "-c", &ep, "-s", "|", "hello|world", "café\ttab\\"],
    );
    assert_exit(&sent, 0);
    assert_exit(&got, 0);
    // Frames joined by a tab; a tab and a backslash inside a frame escaped.
    assert_eq!(got.stdout, "hello\tworld\ncafé\\ttab\\\\\n");
}

#[test]
fn every_output_format_prints_the_same_frames() {
    // One message: a frame that is not UTF-8, then "A".
    let cases: [(&str, &[u8]); 4] = [
        ("text", b"\\x00\\xff\tA\n"),
        ("hex", b"00ff\t41\n"),
        ("base64", b"AP8=\tQQ==\n"),
        ("json", b"{\"frames\":[{\"base64\":\"AP8=\"},\"A\"]}\n"),
    ];
    let dir = TempDir::new("cli");
    for (i, (format, expected)) in cases.iter().enumerate() {
        let (ep, _) = ipc(&dir, &format!("f{i}"));
        let (got, sent) = pair(
            &["recv", "-b", &ep, "-n", "1", "-F", format],
            &["send", "-c", &ep, "-I", "hex", "--frames", "00ff", "41"],
        );
        assert_exit(&sent, 0);
        assert_exit(&got, 0);
        assert_eq!(got.stdout.as_bytes(), *expected, "format {format}");
    }
    // raw: the bytes as they are (the output is read as UTF-8 lossily, so
    // only a UTF-8 message is compared).
    let (ep, _) = ipc(&dir, "raw");
    let (got, _) = pair(
        &["recv", "-b", &ep, "-n", "1", "-F", "raw", "-s", "+"],
        &["send", "-c", &ep, "--frames", "a\\b", "c"],
    );
    assert_eq!(got.stdout, "a\\b+c\n");
}

#[test]
fn stdin_lines_are_messages_and_escaped_input_is_decoded() {
    let dir = TempDir::new("cli");
    let (ep, _) = ipc(&dir, "in");
    let receiver = start(&["recv", "-b", &ep, "-n", "3", "-F", "json"]);
    let sent = run_with_input(
        &["send", "-c", &ep, "-s", "|", "-I", "escaped"],
        b"a\nb|c\r\n\\x01|\n",
    );
    let got = peers::wait(receiver, LIMIT);
    assert_exit(&sent, 0);
    assert_exit(&got, 0);
    assert_eq!(
        got.stdout,
        "{\"frames\":[\"a\"]}\n{\"frames\":[\"b\",\"c\"]}\n{\"frames\":[\"\\u0001\",\"\"]}\n"
    );
}

#[test]
fn count_repeats_and_a_timeout_exits_3_after_what_came() {
    let dir = TempDir::new("cli");
    let (ep, _) = ipc(&dir, "n");
    let (got, sent) = pair(
        &["recv", "-b", &ep, "-n", "4", "--timeout", "1s"],
        &["send", "-c", &ep, "-n", "3", "x", "y"],
    );
    assert_exit(&sent, 0);
    assert_eq!(got.stdout, "x\ny\nx\n");
    assert_fails(&got, 3, "receive timed out after 1s");
}

#[test]
fn router_shows_the_identity_and_meta_and_sends_to_one() {
    let ep = free_tcp();
    let (got, sent) = pair(
        &[
            "recv", "-t", "router", "-b", &ep, "-n", "1", "-F", "json", "--meta",
        ],
        &[
            "send",
            "-t",
            "dealer",
            "--identity",
            "client-7",
            "-c",
            &ep,
            "hi",
        ],
    );
    assert_exit(&sent, 0);
    assert_exit(&got, 0);
    assert_eq!(
        got.stdout,
        "{\"frames\":[\"client-7\",\"hi\"],\"meta\":{\"Peer-Address\":\"127.0.0.1\",\
         \"Routing-Id\":\"client-7\",\"Socket-Type\":\"DEALER\"}}\n"
    );

    // The text format puts the properties first.
    let ep = free_tcp();
    let (got, _) = pair(
        &["recv", "-t", "router", "-b", &ep, "-n", "1", "--meta"],
        &[
            "send",
            "-t",
            "dealer",
            "--identity",
            "\\x01id",
            "-c",
            &ep,
            "hi",
        ],
    );
    assert_eq!(
        got.stdout,
        "Peer-Address=127.0.0.1\tRouting-Id=\\x01id\tSocket-Type=DEALER\t\\x01id\thi\n"
    );

    // --to: a ROUTER waits for that peer, then sends it the message.
    let ep = free_tcp();
    let (got, sent) = pair(
        &[
            "recv",
            "-t",
            "dealer",
            "--identity",
            "w1",
            "-c",
            &ep,
            "-n",
            "1",
        ],
        &[
            "send",
            "-t",
            "router",
            "-b",
            &ep,
            "--to",
            "w1",
            "--timeout",
            "20s",
            "job",
        ],
    );
    assert_exit(&sent, 0);
    assert_eq!(got.stdout, "job\n");
    assert_exit(&got, 0);

    // No such peer: status 3, in the library's words.
    let done = run(&[
        "send",
        "-t",
        "router",
        "-b",
        &free_tcp(),
        "--to",
        "nobody",
        "--timeout",
        "300ms",
        "x",
    ]);
    assert_fails(&done, 3, "no peer of this ROUTER has the routing id");
}

#[test]
fn sub_receives_only_its_prefixes() {
    let dir = TempDir::new("cli");
    let (ep, _) = ipc(&dir, "ps");
    let receiver = start(&[
        "recv",
        "-t",
        "sub",
        "-c",
        &ep,
        "--subscribe",
        "b",
        "-n",
        "2",
    ]);
    // A PUB drops what is sent before the subscription arrives: send until
    // the subscriber has its two messages.
    let deadline = Instant::now() + LIMIT;
    let mut receiver = Some(receiver);
    let publisher = start(&[
        "send", "-t", "pub", "-b", &ep, "--rate", "50", "-n", "100000", "a1", "b1", "b2",
    ]);
    while Instant::now() < deadline {
        if receiver
            .as_mut()
            .and_then(|r| r.try_wait().ok().flatten())
            .is_some()
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    signal(&publisher, "INT");
    let published = peers::wait(publisher, LIMIT);
    let got = peers::wait(receiver.take().expect("receiver"), LIMIT);
    assert_exit(&got, 0);
    let lines: Vec<&str> = got.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{:?}", got.stdout);
    assert!(lines.iter().all(|l| l.starts_with('b')), "{lines:?}");
    // Interrupted before its 100000 messages: 130.
    assert_exit(&published, 130);
}

#[test]
fn hwm_0_is_no_limit_and_a_negative_one_is_a_usage_error() {
    let dir = TempDir::new("cli");
    let (ep, _) = ipc(&dir, "h");
    let (got, sent) = pair(
        &["recv", "-b", &ep, "-n", "3", "--hwm", "0"],
        &["send", "-c", &ep, "--hwm", "0", "a", "b", "c"],
    );
    assert_exit(&sent, 0);
    assert_exit(&got, 0);
    assert_eq!(got.stdout, "a\nb\nc\n");
    let done = run(&["recv", "-b", "tcp://127.0.0.1:*", "--hwm=-1"]);
    assert_exit(&done, 2);
    assert!(done.stderr.contains("--hwm"), "{}", done.stderr);
}

#[test]
fn bad_arguments_exit_2_and_failures_exit_1_in_one_line() {
    assert_fails(
        &run(&["recv"]),
        2,
        "give an endpoint: --bind ENDPOINT or --connect ENDPOINT",
    );
    assert_fails(
        &run(&["send", "-t", "pull", "-c", "tcp://127.0.0.1:1", "x"]),
        2,
        "a PULL socket cannot send first",
    );
    assert_fails(
        &run(&[
            "recv",
            "-t",
            "pull",
            "-c",
            "tcp://127.0.0.1:1",
            "--subscribe",
            "a",
        ]),
        2,
        "--subscribe is for a SUB socket",
    );
    assert_fails(
        &run(&["send", "-c", "tcp://127.0.0.1:1", "-I", "hex", "0g"]),
        2,
        "is not hexadecimal",
    );
    // clap's own usage errors are status 2 too, with more than one line.
    let done = run(&["recv", "-t", "rooter", "-b", "tcp://127.0.0.1:*"]);
    assert_exit(&done, 2);
    assert!(
        done.stderr.contains("unknown socket type \"rooter\""),
        "{}",
        done.stderr
    );
    let done = run(&["rep", "-b", "tcp://127.0.0.1:*"]);
    assert_exit(&done, 2);
    assert!(done.stderr.contains("--echo"), "{}", done.stderr);
    // One answer only: clap's group refuses a second.
    for second in [&["--reply", "x"][..], &["--", "cat"][..]] {
        let mut args = vec!["rep", "-b", "tcp://127.0.0.1:*", "--echo"];
        args.extend_from_slice(second);
        let done = run(&args);
        assert_exit(&done, 2);
        assert!(
            done.stderr.contains("'--echo' cannot be used with"),
            "{}",
            done.stderr
        );
    }
    // Errors of libzmq (through the library's explanations): status 1.
    assert_fails(
        &run(&["recv", "-b", "tcp://127.0.0.1:99999"]),
        1,
        "port 99999 is out of range",
    );
    assert_fails(
        &run(&["recv", "-b", "tcp://no-such-host:5555"]),
        1,
        "is not an address or a network interface",
    );
    // 192.0.2.1 (TEST-NET-1) is no machine's address.
    assert_fails(
        &run(&["recv", "-b", "tcp://192.0.2.1:5555"]),
        1,
        "bind to an address of this machine",
    );
    assert_fails(
        &run(&["recv", "-b", "bogus://x"]),
        1,
        "this libzmq has no such transport",
    );
    let tcp = free_tcp();
    let holder = start(&["recv", "-b", &tcp]);
    std::thread::sleep(Duration::from_millis(300));
    assert_fails(
        &run(&["recv", "-b", &tcp]),
        1,
        "another socket listens there",
    );
    signal(&holder, "INT");
    assert_exit(&peers::wait(holder, LIMIT), 0);
}

#[test]
fn a_send_to_nobody_times_out_with_3_instead_of_succeeding() {
    // Nobody listens there: IMMEDIATE keeps the message from a queue that
    // would be lost at exit, and --timeout ends the wait.
    let done = run(&["send", "-c", &free_tcp(), "--timeout", "300ms", "lost?"]);
    assert_fails(&done, 3, "send timed out after 300ms");
    // A REQ queues its request (it reads replies, so it cannot use
    // IMMEDIATE), then waits for the reply; it exits at once, not after
    // LINGER.
    let asked = Instant::now();
    let done = run(&["req", "-c", &free_tcp(), "--timeout", "300ms", "anyone?"]);
    assert_fails(
        &done,
        3,
        "no reply to request 1: receive timed out after 300ms",
    );
    assert!(
        asked.elapsed() < Duration::from_secs(3),
        "{:?}",
        asked.elapsed()
    );
}

#[test]
fn req_and_rep_echo_a_fixed_reply_and_a_command() {
    let dir = TempDir::new("cli");
    let (ep, _) = ipc(&dir, "rr");
    let (served, asked) = pair(
        &["rep", "-b", &ep, "--echo", "-n", "2"],
        &["req", "-c", &ep, "-s", "|", "a|1", "b"],
    );
    assert_exit(&asked, 0);
    assert_eq!(asked.stdout, "a|1\nb\n");
    assert_exit(&served, 0);
    // rep joins the frames it prints with a tab (it was given no -s).
    assert_eq!(served.stdout, "a\t1\nb\n");

    let (ep, _) = ipc(&dir, "fixed");
    let (served, asked) = pair(
        &["rep", "-b", &ep, "--reply", "World", "-n", "1", "-q"],
        &["req", "-c", &ep, "-F", "json", "Hello"],
    );
    assert_eq!(asked.stdout, "{\"frames\":[\"World\"]}\n");
    assert_eq!(served.stdout, "");
    assert_exit(&served, 0);

    let (ep, _) = ipc(&dir, "cmd");
    let (served, asked) = pair(
        &["rep", "-b", &ep, "-n", "1", "-q", "--", "tr", "a-z", "A-Z"],
        &["req", "-c", &ep, "--timeout", "20s", "hello"],
    );
    assert_exit(&served, 0);
    assert_exit(&asked, 0);
    assert_eq!(asked.stdout, "HELLO\n");

    // No reply within the timeout: 3, naming the request.
    let (ep, path) = ipc(&dir, "mute");
    let mute = start(&["recv", "-t", "router", "-b", &ep]);
    wait_for_file(&path);
    let asked = run(&["req", "-c", &ep, "--timeout", "500ms", "hello?"]);
    assert_fails(
        &asked,
        3,
        "no reply to request 1: receive timed out after 500ms",
    );
    signal(&mute, "INT");
    let mute = peers::wait(mute, LIMIT);
    assert_exit(&mute, 0);
    assert!(mute.stdout.ends_with("\t\thello?\n"), "{}", mute.stdout);
}

#[test]
fn ctrl_c_ends_an_open_ended_recv_with_0_and_a_counted_one_with_130() {
    let dir = TempDir::new("cli");
    for (extra, expected) in [(&[][..], 0), (&["-n", "5"][..], 130)] {
        let (ep, path) = ipc(&dir, &format!("c{expected}"));
        let mut args = vec!["recv", "-b", ep.as_str()];
        args.extend_from_slice(extra);
        let child = start(&args);
        wait_for_file(&path);
        let asked = Instant::now();
        signal(&child, "INT");
        let done = peers::wait(child, LIMIT);
        assert_exit(&done, expected);
        assert!(
            asked.elapsed() < Duration::from_secs(3),
            "{:?}",
            asked.elapsed()
        );
    }
}

#[test]
fn a_signal_ends_a_send_blocked_reading_its_input_within_the_grace() {
    // The tool's promise: a command that does not end by itself after a
    // signal (a read from standard input that no shutdown interrupts) is
    // ended with status 130 after a grace of 5 s.
    let dir = TempDir::new("cli");
    let (ep, path) = ipc(&dir, "g");
    let lines: &[&str] = &["send", "-b", &ep];
    // `--file -` reads all of standard input before making its socket.
    let file: &[&str] = &["send", "-c", &ep, "-f", "-"];
    for args in [lines, file] {
        let mut child = crate::support::cli::zmq4(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn zmq4");
        // Held open, never written: the tool waits for its input.
        let stdin = child.stdin.take().expect("stdin piped");
        if args == lines {
            wait_for_file(&path);
        } else if !handles_signals(&child) {
            // Nothing tells, off Linux, when the handler is in place.
            drop(stdin);
            let _ = peers::wait(child, LIMIT);
            continue;
        }
        let asked = Instant::now();
        signal(&child, "TERM");
        let done = peers::wait(child, LIMIT);
        drop(stdin);
        assert_exit(&done, 130);
        let took = asked.elapsed();
        assert!(
            took >= Duration::from_secs(4) && took < Duration::from_secs(10),
            "{args:?} ended {took:?} after the signal"
        );
    }
}

/// Waits until `child` has its signal handling in place: on Linux, until
/// its grace thread (`zmq4-grace`) runs, failing after [`LIMIT`]; elsewhere
/// `false` at once.
fn handles_signals(child: &std::process::Child) -> bool {
    let tasks = std::path::PathBuf::from(format!("/proc/{}/task", child.id()));
    if !cfg!(target_os = "linux") || !tasks.exists() {
        return false;
    }
    let start = Instant::now();
    loop {
        let named = std::fs::read_dir(&tasks)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|task| std::fs::read_to_string(task.path().join("comm")).ok())
            .any(|comm| comm.trim() == "zmq4-grace");
        if named {
            return true;
        }
        assert!(
            start.elapsed() < LIMIT,
            "no signal handling after {LIMIT:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn proxy_forwards_captures_and_counts() {
    let dir = TempDir::new("cli");
    let (front, front_path) = ipc(&dir, "front");
    let (back, back_path) = ipc(&dir, "back");
    let proxy = start(&[
        "proxy",
        &format!("pull={front}"),
        &format!("push={back}"),
        "--capture",
    ]);
    wait_for_file(&front_path);
    wait_for_file(&back_path);
    let (got, sent) = pair(
        &["recv", "-c", &back, "-n", "2"],
        &["send", "-c", &front, "-s", "|", "one", "two|2"],
    );
    assert_exit(&sent, 0);
    assert_exit(&got, 0);
    assert_eq!(got.stdout, "one\ntwo\t2\n");
    signal(&proxy, "USR1");
    std::thread::sleep(Duration::from_millis(300));
    signal(&proxy, "INT");
    let proxy = peers::wait(proxy, LIMIT);
    assert_exit(&proxy, 0);
    assert_eq!(proxy.stdout, "one\ntwo\t2\n");
    // Twice: on SIGUSR1, then the final count on Ctrl-C.
    // 2 messages: "one" and "two"+"2", 7 bytes.
    let stats = "zmq4 proxy: frontend received 2 (7 bytes), sent 0 (0 bytes); \
                 backend received 0 (0 bytes), sent 2 (7 bytes)";
    assert_eq!(proxy.stderr.matches(stats).count(), 2, "{}", proxy.stderr);
}

#[test]
fn proxy_refuses_a_side_without_a_type() {
    let done = run(&["proxy", "tcp://127.0.0.1:5555", "push=tcp://127.0.0.1:*"]);
    assert_fails(
        &done,
        2,
        "FRONT \"tcp://127.0.0.1:5555\": write TYPE=ENDPOINTS",
    );
}

/// Whether `line` starts with a UTC timestamp to the millisecond.
fn stamped(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() > 25
        && b[4] == b'-'
        && b[10] == b'T'
        && b[19] == b'.'
        && b[23] == b'Z'
        && b[24] == b' '
        && line[..4].bytes().all(|c| c.is_ascii_digit())
}

#[test]
fn monitor_prints_timestamped_events_until_the_one_asked_for() {
    let ep = free_tcp();
    let server = start(&["rep", "-b", &ep, "--echo"]);
    let done = run(&[
        "monitor",
        "-t",
        "req",
        &ep,
        "--until",
        "handshake-succeeded",
        "--timeout",
        "20s",
    ]);
    assert_exit(&done, 0);
    let lines: Vec<&str> = done.stdout.lines().collect();
    assert!(lines.iter().all(|l| stamped(l)), "{lines:?}");
    let events: Vec<&str> = lines
        .iter()
        .map(|l| l.split(' ').nth(1).unwrap_or(""))
        .collect();
    // Connect retries come first if the server is slow to bind.
    let events: Vec<&str> = events
        .into_iter()
        .filter(|e| !matches!(*e, "connect-delayed" | "connect-retried" | "closed"))
        .collect();
    assert_eq!(
        events,
        ["connected", "handshake-succeeded"],
        "{}",
        done.stdout
    );
    assert!(lines[lines.len() - 1].contains(&format!(" handshake-succeeded {ep}")));
    signal(&server, "INT");
    assert_exit(&peers::wait(server, LIMIT), 0);

    // Nobody there: the connection is tried again and again.
    let done = run(&[
        "monitor",
        &free_tcp(),
        "--json",
        "--until",
        "connect-retried",
    ]);
    assert_exit(&done, 0);
    let last: serde_json::Value =
        serde_json::from_str(done.stdout.lines().last().expect("an event")).expect("JSON");
    assert_eq!(last["event"], "connect-retried");
    assert!(last["interval_ms"].as_u64().is_some(), "{last}");

    // Bound, and nobody comes: listening, then the timeout's status 3.
    let ep = free_tcp();
    let done = run(&["monitor", &format!("@{ep}"), "--timeout", "500ms"]);
    assert_exit(&done, 3);
    assert!(
        done.stdout.contains(&format!(" listening {ep} fd=")),
        "{}",
        done.stdout
    );
}

#[test]
fn bench_reports_throughput_and_latency_percentiles() {
    let done = run(&[
        "bench",
        "thr",
        "--transport",
        "inproc",
        "--size",
        "16",
        "-n",
        "20000",
        "--json",
    ]);
    assert_exit(&done, 0);
    let thr: serde_json::Value = serde_json::from_str(&done.stdout).expect("JSON");
    assert_eq!(
        (
            thr["mode"].as_str(),
            thr["count"].as_u64(),
            thr["size"].as_u64()
        ),
        (Some("thr"), Some(20000), Some(16))
    );
    assert!(thr["msg_per_s"].as_f64().is_some_and(|r| r > 0.0), "{thr}");

    let done = run(&["bench", "lat", "--transport", "tcp", "-n", "300", "--json"]);
    assert_exit(&done, 0);
    let lat: serde_json::Value = serde_json::from_str(&done.stdout).expect("JSON");
    let us = |name: &str| lat["latency_us"][name].as_f64().expect(name);
    assert!(
        0.0 < us("p50")
            && us("p50") <= us("p99")
            && us("p99") <= us("p999")
            && us("p999") <= us("max"),
        "{lat}"
    );

    let done = run(&["bench", "lat", "--transport", "ipc", "-n", "100", "--curve"]);
    assert_exit(&done, 0);
    assert!(
        done.stdout
            .starts_with("lat over ipc with CURVE: 100 round trips of 64 bytes in "),
        "{}",
        done.stdout
    );
    assert!(
        done.stdout.contains(" p50 ") && done.stdout.contains(" p999 "),
        "{}",
        done.stdout
    );

    assert_fails(
        &run(&["bench", "thr", "--transport", "inproc", "--curve"]),
        2,
        "inproc has no security handshake",
    );
}

#[test]
fn every_command_has_help_with_examples() {
    for command in [
        "send", "recv", "req", "rep", "proxy", "monitor", "keygen", "bench",
    ] {
        let done = run(&[command, "--help"]);
        assert_exit(&done, 0);
        assert!(
            done.stdout.contains("Examples:"),
            "{command}: {}",
            done.stdout
        );
        assert!(
            done.stdout.contains(&format!("zmq4 {command}")),
            "{command}"
        );
    }
    let done = run(&["--help"]);
    assert_exit(&done, 0);
    assert!(
        done.stdout.contains("Exit status: 0 done"),
        "{}",
        done.stdout
    );
}

#[test]
fn files_are_one_message_each_and_rate_paces_the_sends() {
    let dir = TempDir::new("cli");
    let file = dir.path().join("body.bin");
    std::fs::write(&file, b"line 1\nline 2|x").expect("write the file");
    let f = file.to_str().expect("a UTF-8 path");
    let (ep, _) = ipc(&dir, "file");
    let (got, sent) = pair(
        &["recv", "-b", &ep, "-n", "2", "-F", "json"],
        &["send", "-c", &ep, "-s", "|", "-f", f, "-f", f],
    );
    assert_exit(&sent, 0);
    assert_eq!(
        got.stdout,
        "{\"frames\":[\"line 1\\nline 2\",\"x\"]}\n".repeat(2)
    );

    // 5 messages at 10 a second: 4 intervals of 100 ms at least.
    let (ep, _) = ipc(&dir, "rate");
    let receiver = start(&["recv", "-b", &ep, "-n", "5"]);
    let began = Instant::now();
    let sent = run(&["send", "-c", &ep, "--rate", "10", "-n", "5", "tick"]);
    let took = began.elapsed();
    assert_exit(&sent, 0);
    assert_eq!(peers::wait(receiver, LIMIT).stdout, "tick\n".repeat(5));
    assert!(took >= Duration::from_millis(400), "{took:?}");

    assert_fails(
        &run(&["send", "-c", &ep, "--rate", "0", "x"]),
        2,
        "--rate takes a number",
    );
    assert_fails(&run(&["send", "-c", &ep, "-f", f, "x"]), 2, "not both");
    let missing = dir.path().join("missing");
    let done = run(&["send", "-c", &ep, "-f", missing.to_str().expect("UTF-8")]);
    assert_fails(&done, 1, "No such file");
}
