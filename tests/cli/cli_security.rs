//! The `zmq4` command-line tool's security: `keygen`'s certificate files,
//! and CURVE and PLAIN servers (with their ZAP authenticator) and clients,
//! run as programs against each other. Every run is bounded by a watchdog.
#![cfg(unix)]

use crate::support::cli::{assert_exit, assert_fails, run, signal, start, LIMIT};
use crate::support::examples::free_tcp;
use crate::support::peers;
use crate::support::TempDir;

#[test]
fn keygen_prints_a_pair_and_writes_certificates() {
    let done = run(&["keygen"]);
    assert_exit(&done, 0);
    let lines: Vec<&str> = done.stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    let public = lines[0].strip_prefix("public: ").expect("public");
    let secret = lines[1].strip_prefix("secret: ").expect("secret");
    assert_eq!((public.len(), secret.len()), (40, 40));
    assert_ne!(public, secret);

    let dir = TempDir::new("cli-keys");
    let d = dir.path().to_str().expect("a UTF-8 path");
    let done = run(&[
        "keygen", "--cert", "alice", "--dir", d, "--json", "--meta", "team=ops",
    ]);
    assert_exit(&done, 0);
    let json: serde_json::Value = serde_json::from_str(&done.stdout).expect("JSON");
    let public = json["public"].as_str().expect("public");
    let public_file = std::fs::read_to_string(dir.path().join("alice.key")).expect("alice.key");
    let secret_file = std::fs::read_to_string(dir.path().join("alice.key_secret")).expect("secret");
    assert!(
        public_file.contains(&format!("public-key = \"{public}\"")),
        "{public_file}"
    );
    assert!(!public_file.contains("secret-key"), "{public_file}");
    assert!(secret_file.contains("secret-key = \""), "{secret_file}");
    assert!(public_file.contains("team = \"ops\""), "{public_file}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir.path().join("alice.key_secret"))
        .expect("stat")
        .permissions()
        .mode();
    assert_eq!(
        mode & 0o077,
        0,
        "the secret file is readable by others: {mode:o}"
    );

    assert_fails(&run(&["keygen", "--cert", "a/b"]), 2, "without a directory");
}

#[test]
fn curve_with_keys_the_tool_made_lets_in_only_allowed_clients() {
    let dir = TempDir::new("cli-curve");
    let d = dir.path().to_str().expect("a UTF-8 path").to_owned();
    let allowed = format!("{d}/allowed");
    for (name, at) in [
        ("server", d.as_str()),
        ("client", allowed.as_str()),
        ("stranger", d.as_str()),
    ] {
        assert_exit(&run(&["keygen", "--cert", name, "--dir", at]), 0);
    }
    let ep = free_tcp();
    let server = start(&[
        "rep",
        "-b",
        &ep,
        "--echo",
        "--meta",
        "--curve-server",
        "--curve-keys",
        &format!("{d}/server.key_secret"),
        "--curve-allow",
        &allowed,
    ]);
    let asked = run(&[
        "req",
        "-c",
        &ep,
        "--timeout",
        "20s",
        "--curve-serverkey",
        &format!("{d}/server.key"),
        "--curve-keys",
        &format!("{allowed}/client.key_secret"),
        "secret",
    ]);
    assert_exit(&asked, 0);
    assert_eq!(asked.stdout, "secret\n");

    // A client whose key is not in the directory is refused: its monitor
    // shows why, and its request times out.
    let refused = run(&[
        "monitor",
        "-t",
        "req",
        &ep,
        "--json",
        "--until",
        "handshake-failed-auth",
        "--timeout",
        "20s",
        "--curve-serverkey",
        &format!("{d}/server.key"),
        "--curve-keys",
        &format!("{d}/stranger.key_secret"),
    ]);
    assert_exit(&refused, 0);
    let last: serde_json::Value =
        serde_json::from_str(refused.stdout.lines().last().expect("an event")).expect("JSON");
    assert_eq!(last["event"], "handshake-failed-auth");
    assert_eq!(last["status"], 400);

    signal(&server, "INT");
    let server = peers::wait(server, LIMIT);
    assert_exit(&server, 0);
    // The server saw the client's key as its User-Id.
    let client_public =
        std::fs::read_to_string(format!("{allowed}/client.key")).expect("client.key");
    let key = client_public.split('"').nth(1).expect("a quoted key");
    assert!(
        server.stdout.contains(&format!("User-Id={key}")),
        "{}",
        server.stdout
    );
}

#[test]
fn plain_lets_in_the_right_password_only() {
    let ep = free_tcp();
    let server = start(&[
        "rep",
        "-b",
        &ep,
        "--echo",
        "--meta",
        "--plain-server",
        "--plain-allow",
        "ops:s3cret",
    ]);
    let asked = run(&[
        "req",
        "-c",
        &ep,
        "--plain-user",
        "ops:s3cret",
        "--timeout",
        "20s",
        "hi",
    ]);
    assert_exit(&asked, 0);
    assert_eq!(asked.stdout, "hi\n");
    let refused = run(&[
        "monitor",
        "-t",
        "req",
        &ep,
        "--plain-user",
        "ops:guess",
        "--until",
        "handshake-failed-auth",
        "--timeout",
        "20s",
    ]);
    assert_exit(&refused, 0);
    assert!(
        refused.stdout.contains(" handshake-failed-auth ") && refused.stdout.contains("status=400"),
        "{}",
        refused.stdout
    );
    signal(&server, "INT");
    let server = peers::wait(server, LIMIT);
    assert_exit(&server, 0);
    // The server saw the user name as the User-Id.
    assert!(server.stdout.contains("User-Id=ops\t"), "{}", server.stdout);
    // A server must say who may log in.
    assert_fails(
        &run(&["rep", "-b", &free_tcp(), "--echo", "--plain-server"]),
        2,
        "--plain-allow",
    );
    assert_fails(
        &run(&["req", "-c", &ep, "--plain-user", "nocolon", "x"]),
        2,
        "USER:PASSWORD",
    );
}

/// The last event a `monitor --until handshake-succeeded --until
/// handshake-failed-auth` printed: whether the server let the client in.
fn let_in(monitor: &peers::Finished) -> bool {
    assert_exit(monitor, 0);
    let last = monitor.stdout.lines().last().unwrap_or("");
    match last.split(' ').nth(1) {
        Some("handshake-succeeded") => true,
        Some("handshake-failed-auth") => false,
        _ => panic!("neither let in nor refused:\n{}", monitor.stdout),
    }
}

#[test]
fn ip_rules_a_password_file_and_curve_allow_any_decide_who_comes_in() {
    let dir = TempDir::new("cli-ip");
    let passwords = dir.path().join("passwords");
    std::fs::write(&passwords, "# the team\nops=s3cret\n").expect("write the file");
    let file = passwords.to_str().expect("a UTF-8 path");
    // The same right password each time: only the server's rules change.
    for (rules, expected) in [
        (&[][..], true),
        (&["--deny-ip", "127.0.0.1"][..], false),
        (&["--allow-ip", "10.9.8.7"][..], false),
        (&["--allow-ip", "127.0.0.1"][..], true),
    ] {
        let ep = free_tcp();
        let mut args = vec![
            "rep",
            "-b",
            &ep,
            "--echo",
            "--plain-server",
            "--plain-passwords",
            file,
        ];
        args.extend_from_slice(rules);
        let server = start(&args);
        let client = run(&[
            "monitor",
            "-t",
            "req",
            &ep,
            "--plain-user",
            "ops:s3cret",
            "--until",
            "handshake-succeeded",
            "--until",
            "handshake-failed-auth",
            "--timeout",
            "20s",
        ]);
        assert_eq!(let_in(&client), expected, "{rules:?}");
        signal(&server, "INT");
        assert_exit(&peers::wait(server, LIMIT), 0);
    }

    // --curve-allow-any: a client key the server never saw comes in.
    let d = dir.path().to_str().expect("a UTF-8 path");
    assert_exit(&run(&["keygen", "--cert", "server", "--dir", d]), 0);
    let ep = free_tcp();
    let server = start(&[
        "rep",
        "-b",
        &ep,
        "--echo",
        "--curve-server",
        "--curve-keys",
        &format!("{d}/server.key_secret"),
        "--curve-allow-any",
    ]);
    // No --curve-keys: the client makes a new pair.
    let asked = run(&[
        "req",
        "-c",
        &ep,
        "--curve-serverkey",
        &format!("{d}/server.key"),
        "--timeout",
        "20s",
        "anyone",
    ]);
    assert_exit(&asked, 0);
    assert_eq!(asked.stdout, "anyone\n");
    signal(&server, "INT");
    assert_exit(&peers::wait(server, LIMIT), 0);
}
