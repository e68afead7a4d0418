//! Certificate files: the format czmq's zcert and pyzmq write, both ways,
//! and clear errors for files that lack what a certificate needs.

use zmq4::auth::{Authenticator, Certificate, Policy};
use zmq4::{Context, CurveKey, ErrorKind, EventKind, RecvFlags, SendFlags, SocketType};

use super::{curve, handshake_events, handshake_outcome};
use crate::support::{socket, TempDir};

const PUBLIC: &str = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
const SECRET: &str = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";

/// A secret certificate exactly as pyzmq's `create_certificates` writes it
/// (metadata values unquoted).
fn pyzmq_secret_file() -> String {
    format!(
        "#   ****  Generated on 2024-05-01 10:00:00.123456 by pyzmq  ****\n\
         #   ZeroMQ CURVE **Secret** Certificate\n\
         #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n\
         \n\
         metadata\n    name = server\n    email = ops@example.com\n\
         curve\n    public-key = \"{PUBLIC}\"\n    secret-key = \"{SECRET}\"\n"
    )
}

fn dir_path(dir: &TempDir, name: &str) -> std::path::PathBuf {
    // TempDir::ipc gives "ipc://<dir>/<name>".
    std::path::PathBuf::from(dir.ipc(name).trim_start_matches("ipc://"))
}

#[test]
fn reads_pyzmq_and_czmq_files() {
    let cert = Certificate::parse(&pyzmq_secret_file()).unwrap();
    assert_eq!(cert.public().to_string(), PUBLIC);
    assert_eq!(cert.secret().unwrap().to_z85(), SECRET);
    assert_eq!(cert.metadata_value("name"), Some("server"));
    assert_eq!(cert.metadata_value("email"), Some("ops@example.com"));

    // czmq's zcert: quoted metadata, a public file.
    let czmq = format!(
        "#   ****  Generated on 2024-05-01 10:00:00 by CZMQ  ****\n\
         #   ZeroMQ CURVE Public Certificate\n\n\
         metadata\n    name = \"client one\"\ncurve\n    public-key = \"{PUBLIC}\"\n"
    );
    let cert = Certificate::parse(&czmq).unwrap();
    assert_eq!(cert.public().to_string(), PUBLIC);
    assert!(cert.secret().is_none());
    assert!(cert.key_pair().is_none());
    assert_eq!(cert.metadata_value("name"), Some("client one"));
}

#[test]
fn writes_files_that_read_back_with_a_private_secret_file() {
    if !curve() {
        return;
    }
    let dir = TempDir::new("certs");
    let base = dir_path(&dir, "keys");
    let cert = Certificate::generate()
        .unwrap()
        .with_metadata("name", "worker")
        .with_metadata("name", "worker-2");
    let (public_file, secret_file) = cert.save(&base, "worker").unwrap();
    assert_eq!(public_file.file_name().unwrap(), "worker.key");
    assert_eq!(secret_file.file_name().unwrap(), "worker.key_secret");

    let public_text = std::fs::read_to_string(&public_file).unwrap();
    assert!(
        public_text.starts_with("#   ****  Generated on "),
        "{public_text}"
    );
    assert!(!public_text.contains("secret-key"), "{public_text}");
    assert!(
        !public_text.contains(&cert.secret().unwrap().to_z85()),
        "{public_text}"
    );
    let public = Certificate::load(&public_file).unwrap();
    assert_eq!(public.public(), cert.public());
    assert!(public.secret().is_none());
    assert_eq!(
        public.metadata(),
        &[("name".to_owned(), "worker-2".to_owned())]
    );

    let full = Certificate::load(&secret_file).unwrap();
    assert_eq!(full, cert);
    assert_eq!(full.key_pair().unwrap().public(), cert.public());

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret_file)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Only the public files are read from a directory.
    let dir_certs = Certificate::load_public_dir(&base).unwrap();
    assert_eq!(dir_certs.len(), 1);
    assert!(dir_certs[0].secret().is_none());

    // A public certificate cannot write a secret file.
    let err = public
        .save_secret(dir_path(&dir, "x.key_secret"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

#[test]
fn files_missing_what_a_certificate_needs_are_clear_errors() {
    let dir = TempDir::new("bad-certs");
    let write = |name: &str, text: &str| {
        let path = dir_path(&dir, name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let cases = [
        (
            "no-curve.key",
            "metadata\n    name = x\n".to_owned(),
            "public-key",
        ),
        (
            "no-key.key",
            "metadata\ncurve\n    secret-key = \"x\"\n".to_owned(),
            "public-key",
        ),
        (
            "short.key",
            format!("curve\n    public-key = \"{}\"\n", &PUBLIC[..32]),
            "40",
        ),
        (
            "not-z85.key",
            format!("curve\n    public-key = \"~{}\"\n", &PUBLIC[1..]),
            "alphabet",
        ),
        (
            "bad-secret.key_secret",
            format!(
                "curve\n    public-key = \"{PUBLIC}\"\n    secret-key = \"{}\"\n",
                &SECRET[..39]
            ),
            "secret-key",
        ),
    ];
    for (name, text, expect) in &cases {
        let path = write(name, text);
        let err = Certificate::load(&path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{name}: {err}");
        let detail = err.detail().unwrap();
        assert!(detail.contains(name), "{name}: {err}");
        assert!(detail.contains(expect), "{name}: {err}");
        assert!(!detail.contains(&SECRET[..39]), "{name}: {err}");
    }
    if curve() {
        // Both halves present but not a pair (the public key is another's).
        let other = zmq4::CurveKeyPair::generate().unwrap();
        let path = write(
            "mismatch.key_secret",
            &format!(
                "curve\n    public-key = \"{}\"\n    secret-key = \"{SECRET}\"\n",
                other.public()
            ),
        );
        let err = Certificate::load(&path).unwrap_err();
        assert!(err.detail().unwrap().contains("does not belong"), "{err}");
        // A secret key written as the public key.
        let path = write(
            "secret-as-public.key_secret",
            &format!("curve\n    public-key = \"{SECRET}\"\n    secret-key = \"{SECRET}\"\n"),
        );
        let err = Certificate::load(&path).unwrap_err();
        assert!(
            err.detail().unwrap().contains("secret key was given"),
            "{err}"
        );
    }
    let err = Certificate::load(dir_path(&dir, "absent.key")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let err = Certificate::load_public_dir(dir_path(&dir, "absent-dir")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn a_certificate_directory_is_an_allow_list() {
    if !curve() {
        return;
    }
    let dir = TempDir::new("cert-dir");
    let allowed_dir = dir_path(&dir, "allowed");
    let client = Certificate::generate().unwrap();
    client.save(&allowed_dir, "client").unwrap();
    let stranger = Certificate::generate().unwrap();

    let ctx = Context::new().unwrap();
    let auth = Authenticator::new(&ctx).unwrap();
    auth.set_policy(
        "",
        Policy::new()
            .curve_allow_certificates(&allowed_dir)
            .unwrap(),
    );
    let server_cert = Certificate::generate().unwrap();
    let server_keys = server_cert.key_pair().unwrap();
    let server = socket(&ctx, SocketType::Pull);
    server.make_curve_server("", &server_keys).unwrap();
    let mut mon = server.monitor(handshake_events()).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();

    let bad = socket(&ctx, SocketType::Push);
    bad.make_curve_client(server_cert.public(), &stranger.key_pair().unwrap())
        .unwrap();
    bad.connect(&endpoint).unwrap();
    super::assert_refused(&mut mon, &server);

    let good = socket(&ctx, SocketType::Push);
    good.make_curve_client(server_cert.public(), &client.key_pair().unwrap())
        .unwrap();
    good.connect(&endpoint).unwrap();
    good.send("hi", SendFlags::empty()).unwrap();
    assert_eq!(handshake_outcome(&mut mon), EventKind::HandshakeSucceeded);
    let msg = server.recv_msg(RecvFlags::empty()).unwrap();
    let id: CurveKey = msg.user_id().unwrap().parse().unwrap();
    assert_eq!(&id, client.public());
}

#[cfg(unix)]
#[test]
fn a_secret_file_replaces_what_was_there_without_writing_through_it() {
    use std::io::Read;
    use std::os::unix::fs::PermissionsExt;

    let dir = TempDir::new("cert-replace");
    let cert = Certificate::parse(&pyzmq_secret_file()).unwrap();

    // A world-readable file already there, held open by someone.
    let path = dir_path(&dir, "server.key_secret");
    std::fs::write(&path, "old\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut held = std::fs::File::open(&path).unwrap();
    cert.save_secret(&path).unwrap();
    let mut seen = String::new();
    held.read_to_string(&mut seen).unwrap();
    assert_eq!(seen, "old\n", "the keys went into a file others had open");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(Certificate::load(&path).unwrap(), cert);

    // A symbolic link there is replaced, its target left alone.
    let victim = dir_path(&dir, "victim");
    std::fs::write(&victim, "precious\n").unwrap();
    let link = dir_path(&dir, "link.key_secret");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    cert.save_secret(&link).unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(!std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(Certificate::load(&link).unwrap(), cert);

    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn reads_zpl_as_czmq_does() {
    // Comments after values, unquoted and single-quoted values, a tab,
    // and deeper sections whose entries are not the certificate's.
    let text = format!(
        "# a comment\n\
         metadata\n\
         \x20   name = 'client one'   # who\n\
         \x20   team = ops # the team\n\
         \x20   nested\n\
         \x20       name = not-this-one\n\
         curve\n\
         \tpublic-key = {PUBLIC}   # unquoted\n\
         \x20   backup\n\
         \x20       secret-key = \"{SECRET}\"\n\
         other\n\
         \x20   public-key = \"not a key\"\n"
    );
    let cert = Certificate::parse(&text).unwrap();
    assert_eq!(cert.public().to_string(), PUBLIC);
    assert!(cert.secret().is_none(), "a nested secret-key was taken");
    assert_eq!(
        cert.metadata(),
        &[
            ("name".to_owned(), "client one".to_owned()),
            ("team".to_owned(), "ops".to_owned())
        ]
    );

    let err =
        Certificate::parse(&format!("curve\n        public-key = \"{PUBLIC}\"\n")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.detail().unwrap().contains("line 2"), "{err}");
}
