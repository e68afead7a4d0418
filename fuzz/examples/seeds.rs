//! Writes the committed seed corpus of the byte-oriented targets
//! (`corpus/<target>/`): real inputs, most of them captured from libzmq
//! itself (monitor events, ZAP requests) or written by zmq4 (certificate
//! files), a few written by hand after the formats of czmq and pyzmq.
//!
//!     cargo run --example seeds -- corpus
//!
//! The targets whose input is `arbitrary`-structured (socket_options,
//! context_options) get their seeds from fuzzing runs instead: a handful
//! of the inputs those runs kept, of spread-out sizes.

use std::ffi::CString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use zmq4::auth::Certificate;
use zmq4::{
    Context, CurveKey, CurveKeyPair, CurveSecretKey, Message, RecvFlags, SendFlags, Socket,
    SocketType,
};
use zmq4_fuzz::encode_frames;

fn write(dir: &Path, target: &str, name: &str, data: &[u8]) {
    let dir = dir.join(target);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join(name), data).unwrap();
}

fn socket<'c>(ctx: &'c Context, kind: SocketType) -> Socket<'c> {
    let s = ctx.socket(kind).unwrap();
    s.set_linger(Some(Duration::ZERO)).unwrap();
    s.set_rcvtimeo(Some(Duration::from_secs(5))).unwrap();
    s
}

fn frames_of(parts: &[Message]) -> Vec<Vec<u8>> {
    parts.iter().map(|m| m.to_vec()).collect()
}

/// The RFC 32 test key pair (public, secret), which zmq4's docs use too.
const PUBLIC: &str = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
const SECRET: &str = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";

fn z85(dir: &Path) {
    for (name, text) in [
        ("hello", "HelloWorld"),
        ("public-key", PUBLIC),
        ("secret-key", SECRET),
        ("out-of-range", "#####"),
        ("outside-alphabet", "Hello~"),
        ("empty", ""),
    ] {
        write(dir, "z85", name, text.as_bytes());
    }
}

fn certificate(dir: &Path) {
    let keys = CurveKeyPair::new(
        CurveKey::from_z85(PUBLIC).unwrap(),
        CurveSecretKey::from_z85(SECRET).unwrap(),
    )
    .unwrap();
    let cert = Certificate::from_key_pair(keys)
        .with_metadata("name", "server")
        .with_metadata("email", "ops@example.org");
    let tmp = std::env::temp_dir().join(format!("zmq4-seeds-{}", std::process::id()));
    let (public, secret) = cert.save(&tmp, "server").unwrap();
    let passwords = b"# czmq zauth password file\nadmin=secret\nguest= with spaces \n\nbob=p=w\n";
    for (name, path) in [("zmq4-public", &public), ("zmq4-secret", &secret)] {
        let text = fs::read(path).unwrap();
        write(
            dir,
            "certificate",
            name,
            &encode_frames(&[&text[..], passwords]),
        );
    }
    fs::remove_dir_all(&tmp).unwrap();
    // czmq's zcert_save_public / zcert_save_secret (zconfig's layout).
    let czmq = format!(
        "#   ****  Generated on 2024-01-01 12:00:00 by CZMQ  ****\n\
         #   ZeroMQ CURVE **Secret** Certificate\n\
         #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n\
         \n\
         metadata\n    name = \"czmq\"\ncurve\n    public-key = \"{PUBLIC}\"\n    secret-key = \"{SECRET}\"\n"
    );
    write(
        dir,
        "certificate",
        "czmq-secret",
        &encode_frames(&[czmq.as_bytes()]),
    );
    // pyzmq's zmq.auth.create_certificates: metadata section empty,
    // entries indented by 4.
    let pyzmq = format!(
        "#   ****  Generated on 2024-01-01 12:00:00.000000 by pyzmq  ****\n\
         #   ZeroMQ CURVE Public Certificate\n\
         #   Exchange securely, or use a secure mechanism to verify the contents\n\
         #   of this file after exchange. Store public certificates in your home\n\
         #   directory, in the .curve subdirectory.\n\
         \n\
         metadata\ncurve\n    public-key = \"{PUBLIC}\"\n"
    );
    write(
        dir,
        "certificate",
        "pyzmq-public",
        &encode_frames(&[pyzmq.as_bytes()]),
    );
    let odd = format!("curve\n\tpublic-key = '{PUBLIC}' # quoted with ' and a comment\nmetadata\n    k = v # unquoted\n");
    write(
        dir,
        "certificate",
        "tabs-and-comments",
        &encode_frames(&[odd.as_bytes()]),
    );
}

/// Real monitor events in format 1: a monitored socket binds, accepts a
/// peer, loses it and unbinds.
fn monitor_event(dir: &Path) {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Rep);
    let endpoint = CString::new("inproc://seeds-monitor").unwrap();
    // SAFETY: a live socket and a NUL-terminated endpoint.
    let rc = unsafe {
        zmq4::sys::ffi::zmq_socket_monitor(
            server.as_raw(),
            endpoint.as_ptr(),
            zmq4::sys::ffi::ZMQ_EVENT_ALL,
        )
    };
    assert_eq!(rc, 0);
    let mon = socket(&ctx, SocketType::Pair);
    mon.connect("inproc://seeds-monitor").unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let bound = server.last_endpoint().unwrap();
    let client = socket(&ctx, SocketType::Req);
    client.connect(&bound).unwrap();
    client.send("x", SendFlags::empty()).unwrap();
    server.recv_bytes(RecvFlags::empty()).unwrap();
    drop(client);
    std::thread::sleep(Duration::from_millis(200));
    server.unbind(&bound).unwrap();
    let mut n = 0;
    while let Ok(parts) = mon.recv_multipart(RecvFlags::DONTWAIT).or_else(|_| {
        std::thread::sleep(Duration::from_millis(100));
        mon.recv_multipart(RecvFlags::DONTWAIT)
    }) {
        write(
            dir,
            "monitor_event",
            &format!("v1-{n}"),
            &encode_frames(&frames_of(&parts)),
        );
        n += 1;
    }
    assert!(n >= 3, "only {n} monitor events");
    // Format 2 (DRAFT `zmq_socket_monitor_versioned`): event, count,
    // values, local and remote address, all u64 native-endian.
    let v2 = |id: u64, values: &[u64], local: &str, remote: &str| {
        let mut parts = vec![
            id.to_ne_bytes().to_vec(),
            (values.len() as u64).to_ne_bytes().to_vec(),
        ];
        parts.extend(values.iter().map(|v| v.to_ne_bytes().to_vec()));
        parts.push(local.as_bytes().to_vec());
        parts.push(remote.as_bytes().to_vec());
        encode_frames(&parts)
    };
    write(
        dir,
        "monitor_event",
        "v2-connected",
        &v2(1, &[12], "tcp://127.0.0.1:5555", "tcp://127.0.0.1:40000"),
    );
    write(
        dir,
        "monitor_event",
        "v2-handshake-failed-auth",
        &v2(0x4000, &[400], "tcp://127.0.0.1:5555", ""),
    );
    write(
        dir,
        "monitor_event",
        "v2-pipes-stats",
        &v2(
            0x10000,
            &[3, 5],
            "tcp://127.0.0.1:5555",
            "tcp://127.0.0.1:40001",
        ),
    );
    drop(mon);
}

/// Real ZAP requests: libzmq's, for NULL, PLAIN and CURVE clients, caught
/// by a REP socket bound where an authenticator would be.
fn zap_request(dir: &Path) {
    let ctx = Context::new().unwrap();
    let zap = socket(&ctx, SocketType::Rep);
    zap.bind(zmq4::auth::ZAP_ENDPOINT).unwrap();
    let keys = CurveKeyPair::new(
        CurveKey::from_z85(PUBLIC).unwrap(),
        CurveSecretKey::from_z85(SECRET).unwrap(),
    )
    .unwrap();
    let client_keys = CurveKeyPair::generate().unwrap();
    let policy = format!(
        "allow 127.0.0.1\nuser admin=secret\ncurve {}\nmeta Region=eu\n",
        client_keys.public().to_z85()
    );
    let passwords = b"guest=guest\n";
    type Setup<'a> = (&'a str, Box<dyn Fn(&Socket<'_>, &Socket<'_>) + 'a>);
    let cases: [Setup<'_>; 3] = [
        ("null", Box::new(|s, _| s.make_null("global").unwrap())),
        (
            "plain",
            Box::new(|s, c| {
                // The options one by one: make_plain_server wants zmq4's own
                // authenticator, not the stand-in bound here.
                s.set_plain_server(true).unwrap();
                s.set_zap_domain("global").unwrap();
                c.make_plain_client("admin", "secret").unwrap();
            }),
        ),
        (
            "curve",
            Box::new(|s, c| {
                s.set_curve_server(true).unwrap();
                s.set_curve_secretkey(keys.secret()).unwrap();
                s.set_zap_domain("global").unwrap();
                c.make_curve_client(keys.public(), &client_keys).unwrap();
            }),
        ),
    ];
    for (name, setup) in cases {
        let server = socket(&ctx, SocketType::Pull);
        let client = socket(&ctx, SocketType::Push);
        setup(&server, &client);
        server.bind("tcp://127.0.0.1:*").unwrap();
        client.connect(&server.last_endpoint().unwrap()).unwrap();
        let request = zap.recv_multipart(RecvFlags::empty()).unwrap();
        let mut parts: Vec<Vec<u8>> = vec![policy.as_bytes().to_vec(), passwords.to_vec()];
        parts.extend(frames_of(&request));
        write(dir, "zap_request", name, &encode_frames(&parts));
        let id = request[1].to_vec();
        zap.send_multipart(
            [
                b"1.0".to_vec(),
                id,
                b"200".to_vec(),
                b"OK".to_vec(),
                b"u".to_vec(),
                Vec::new(),
            ],
            SendFlags::empty(),
        )
        .unwrap();
    }
    let gssapi: Vec<&[u8]> = vec![
        b"",
        b"",
        b"1.0",
        b"7",
        b"global",
        b"192.168.0.1",
        b"",
        b"GSSAPI",
        b"alice@EXAMPLE.ORG",
    ];
    write(dir, "zap_request", "gssapi", &encode_frames(&gssapi));
}

fn metadata(dir: &Path) {
    let prop = |name: &str, value: &[u8]| {
        let mut out = vec![name.len() as u8];
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(value.len() as u32).to_be_bytes());
        out.extend_from_slice(value);
        out
    };
    let mut peer = prop("Identity", b"peer-1");
    peer.extend(prop("X-Region", b"eu"));
    let names: [&[u8]; 5] = [
        b"X-Region",
        b"Socket-Type",
        b"User-Id",
        b"Identity",
        b"Shard",
    ];
    let mut parts: Vec<&[u8]> = vec![&peer, b"Shard=7\nRegion=eu"];
    parts.extend(names);
    write(
        dir,
        "metadata",
        "identity-and-region",
        &encode_frames(&parts),
    );
    write(
        dir,
        "metadata",
        "denied",
        &encode_frames(&[&prop("X-A", b"1")[..], b"deny", b"X-A"]),
    );
    write(
        dir,
        "metadata",
        "nothing",
        &encode_frames::<&[u8]>(&[b"", b""]),
    );
}

fn endpoint(dir: &Path) {
    let cases: [(&str, u8, &[(u8, &str)]); 8] = [
        (
            "tcp",
            0,
            &[
                (0, "tcp://127.0.0.1:*"),
                (1, "tcp://localhost:5555"),
                (2, "tcp://127.0.0.1:*"),
                (3, "tcp://localhost:5555"),
            ],
        ),
        (
            "tcp-source",
            1,
            &[
                (1, "tcp://127.0.0.1:0;127.0.0.1:5555"),
                (1, "tcp://lo:5555"),
                (0, "tcp://[::1]:*"),
            ],
        ),
        (
            "ipc",
            2,
            &[
                (0, "ipc://@zmq4-seed"),
                (1, "ipc://@zmq4-seed"),
                (2, "ipc://@zmq4-seed"),
            ],
        ),
        (
            "inproc",
            3,
            &[
                (0, "inproc://a"),
                (1, "inproc://a"),
                (3, "inproc://a"),
                (2, "inproc://a"),
            ],
        ),
        (
            "attach",
            4,
            &[
                (4, "@tcp://127.0.0.1:*, >inproc://x"),
                (5, "inproc://y"),
                (6, "@inproc://z,>inproc://z"),
            ],
        ),
        (
            "others",
            5,
            &[
                (0, "udp://127.0.0.1:5555"),
                (1, "pgm://lo;239.192.1.1:5555"),
                (1, "epgm://lo;239.192.1.1:5555"),
                (0, "norm://1,lo;239.192.1.1:5555"),
            ],
        ),
        (
            "more",
            6,
            &[
                (0, "tipc://{5560,0,0}"),
                (1, "vmci://1:5555"),
                (0, "ws://127.0.0.1:*/path"),
                (1, "wss://localhost:5555"),
            ],
        ),
        (
            "bad",
            7,
            &[
                (0, "tcp://"),
                (1, "tcp://:"),
                (0, "inproc://"),
                (1, "://x"),
                (2, "nope"),
                (1, "tcp://[::1"),
                (1, "tcp://127.0.0.1:99999"),
            ],
        ),
    ];
    for (name, kind, ops) in cases {
        let mut parts: Vec<Vec<u8>> = vec![vec![kind]];
        for (op, text) in ops {
            let mut p = vec![*op];
            p.extend_from_slice(text.as_bytes());
            parts.push(p);
        }
        write(dir, "endpoint", name, &encode_frames(&parts));
    }
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "corpus".into()));
    z85(&dir);
    certificate(&dir);
    monitor_event(&dir);
    zap_request(&dir);
    metadata(&dir);
    endpoint(&dir);
}
