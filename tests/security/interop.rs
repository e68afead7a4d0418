//! Interop with pyzmq: its CURVE client against our server and
//! authenticator, and our client against its ThreadAuthenticator with a
//! certificate directory that pyzmq created.

use std::time::Duration;

use zmq4::auth::{Authenticator, Certificate, Policy};
use zmq4::{Context, CurveKey, RecvFlags, SendFlags, SocketType};

use super::curve;
use crate::support::{peers, socket, TempDir};

const LIMIT: Duration = Duration::from_secs(30);

#[test]
fn pyzmq_curve_client_against_our_server_and_authenticator() {
    if !curve() {
        return;
    }
    let Some(mut cmd) = peers::python_script("security_curve_client.py") else {
        return;
    };
    let dir = TempDir::new("py-client");
    let certs = std::path::PathBuf::from(dir.ipc("certs").trim_start_matches("ipc://"));
    // Our certificates: the server's public file and the client's pair,
    // read by pyzmq's zmq.auth.load_certificate.
    let server_cert = Certificate::generate().unwrap();
    let client_cert = Certificate::generate().unwrap().with_metadata("name", "py");
    server_cert.save(&certs, "server").unwrap();
    client_cert.save(&certs, "client").unwrap();

    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy("", Policy::new().curve_allow_certificates(&certs).unwrap());
    let server = socket(&ctx, SocketType::Rep);
    server.set_rcvtimeo(Some(LIMIT)).unwrap();
    server
        .make_curve_server("", &server_cert.key_pair().unwrap())
        .unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();

    let child = peers::spawn(
        cmd.arg(server.last_endpoint().unwrap())
            .arg(certs.join("server.key"))
            .arg(certs.join("client.key_secret")),
    );
    let request = server.recv_msg(RecvFlags::empty()).unwrap();
    assert_eq!(&request[..], b"hello from pyzmq");
    let user: CurveKey = request.user_id().unwrap().parse().unwrap();
    assert_eq!(&user, client_cert.public());
    server.send("hello from zmq4", SendFlags::empty()).unwrap();
    let done = peers::wait(child, LIMIT);
    assert!(done.status.success(), "pyzmq client: {}", done.stderr);
    assert!(
        done.stdout.contains("reply: hello from zmq4"),
        "{}",
        done.stdout
    );
}

#[test]
fn our_client_against_pyzmq_thread_authenticator_and_its_certificates() {
    if !curve() {
        return;
    }
    let Some(mut cmd) = peers::python_script("security_curve_server.py") else {
        return;
    };
    let dir = TempDir::new("py-server");
    let base = std::path::PathBuf::from(dir.ipc("keys").trim_start_matches("ipc://"));
    let mut child = peers::spawn(cmd.arg(&base));
    // The server writes its endpoint to a file once its certificates are
    // written and it listens.
    let endpoint_file = base.join("endpoint");
    let deadline = std::time::Instant::now() + LIMIT;
    let endpoint = loop {
        if let Ok(text) = std::fs::read_to_string(&endpoint_file) {
            break text.trim().to_owned();
        }
        if child.try_wait().unwrap().is_some() || std::time::Instant::now() > deadline {
            let done = peers::wait(child, LIMIT);
            panic!("pyzmq server wrote no endpoint: {}", done.stderr);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // Certificates made by pyzmq's zmq.auth.create_certificates.
    let server_public = Certificate::load(base.join("public").join("server.key")).unwrap();
    let ours = Certificate::load(base.join("private").join("client.key_secret")).unwrap();
    assert_eq!(ours.metadata_value("owner"), Some("zmq4 test"));
    let stranger = Certificate::load(base.join("private").join("stranger.key_secret")).unwrap();

    let ctx = Context::new().unwrap();
    // A client whose certificate the server does not list: refused, so its
    // request never gets an answer.
    let refused = socket(&ctx, SocketType::Req);
    refused
        .set_rcvtimeo(Some(Duration::from_millis(1500)))
        .unwrap();
    refused
        .make_curve_client(server_public.public(), &stranger.key_pair().unwrap())
        .unwrap();
    refused.connect(&endpoint).unwrap();
    refused.send("stranger", SendFlags::DONTWAIT).ok();

    let client = socket(&ctx, SocketType::Req);
    client.set_rcvtimeo(Some(LIMIT)).unwrap();
    client
        .make_curve_client(server_public.public(), &ours.key_pair().unwrap())
        .unwrap();
    client.connect(&endpoint).unwrap();
    client.send("hello from zmq4", SendFlags::empty()).unwrap();
    let reply = client.recv_string(RecvFlags::empty()).unwrap();
    assert_eq!(reply, format!("hello {}", ours.public()));
    assert!(refused.recv_msg(RecvFlags::empty()).is_err());
    let done = peers::wait(child, LIMIT);
    assert!(done.status.success(), "pyzmq server: {}", done.stderr);
}
