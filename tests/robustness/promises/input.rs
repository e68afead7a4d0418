//! "Bad input is an error, never a panic" (README), and the limits the
//! option docs give ("at most 255 bytes", "at most 15 bytes", "1 to 255
//! bytes"): input nobody sends on purpose, at and past each bound. Every
//! call must return, the bad ones with an error, and the socket must still
//! work afterwards.

use std::time::Duration;

use super::watchdog::Watchdog;
use crate::support::{inproc, socket, TempDir};
use zmq4::{
    z85, Context, CurveKey, CurveSecretKey, ErrorKind, Message, PollEvents, PollItem, RecvFlags,
    SendFlags, SocketType,
};

const LIMIT: Duration = Duration::from_secs(30);

/// Checks that `sock` still works: a message goes through it to a peer.
fn still_works(ctx: &Context, sock: &zmq4::Socket<'_>) {
    let endpoint = inproc("still-works");
    let pull = socket(ctx, SocketType::Pull);
    pull.bind(&endpoint).unwrap();
    sock.connect(&endpoint).unwrap();
    sock.send("after", SendFlags::empty()).unwrap();
    assert_eq!(pull.recv_string(RecvFlags::empty()).unwrap(), "after");
}

#[test]
fn endpoints_nobody_sends_are_errors() {
    let _dog = Watchdog::new("endpoints", LIMIT);
    let ctx = Context::new().unwrap();
    let push = socket(&ctx, SocketType::Push);
    let huge = format!("tcp://{}:5555", "a".repeat(1 << 20));
    let dir = TempDir::new("promises-ipc");
    // Longer than a Unix socket address can hold (108 bytes on Linux).
    let long_ipc = dir.ipc(&"p".repeat(200));
    let bad = [
        "",
        "tcp://",
        "tcp://*:",
        "tcp://*:99999",
        // libzmq reads ports with atoi and keeps 16 bits: these would be
        // ports 65535, 5555 and 5 (refused by zmq4 before libzmq sees them).
        "tcp://*:-1",
        "tcp://127.0.0.1:5555x",
        "tcp://127.0.0.1:+5",
        "udp://127.0.0.1: 5",
        "tcp://[::1:5555",
        "nosuch://x",
        "inproc://a\0b",
        "\0",
        huge.as_str(),
        long_ipc.as_str(),
    ];
    for endpoint in bad {
        let shown = &endpoint[..endpoint.len().min(40)];
        assert!(push.bind(endpoint).is_err(), "bind {shown:?}");
        assert!(push.unbind(endpoint).is_err(), "unbind {shown:?}");
        assert!(push.disconnect(endpoint).is_err(), "disconnect {shown:?}");
    }
    for endpoint in [
        "",
        "tcp://",
        "nosuch://x",
        "inproc://a\0b",
        "\0",
        "tcp://127.0.0.1:-1",
        "tcp://127.0.0.1:5555x",
    ] {
        assert!(push.connect(endpoint).is_err(), "connect {endpoint:?}");
    }
    still_works(&ctx, &push);
    // A host name that no resolver takes: connecting is asynchronous, so
    // libzmq may accept it and fail later; either way the call returns,
    // and the socket closes.
    let other = socket(&ctx, SocketType::Push);
    let _ = other.connect(&huge);
    drop(other);
    drop(push);
    ctx.term().map_err(|(_, e)| e).unwrap();
}

/// The port check refuses only what libzmq would misread: the forms
/// people do send still work.
#[test]
fn well_formed_ports_still_work() {
    let _dog = Watchdog::new("well-formed ports", LIMIT);
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = pull.last_endpoint().unwrap();
    let port = endpoint.rsplit_once(':').unwrap().1;
    let push = socket(&ctx, SocketType::Push);
    // A source address with its own port, then the destination.
    push.connect(&format!("tcp://127.0.0.1:0;127.0.0.1:{port}"))
        .unwrap();
    push.send("through", SendFlags::empty()).unwrap();
    assert_eq!(pull.recv_string(RecvFlags::empty()).unwrap(), "through");
    if zmq4::has("ws") {
        // A WebSocket path may hold ':'; the port is before the path.
        let ws = socket(&ctx, SocketType::Pull);
        ws.bind("ws://127.0.0.1:*/a:b").unwrap();
        assert!(ws.bind("ws://127.0.0.1:-1/a").is_err());
    }
}

#[test]
fn monitor_endpoints_nobody_sends_are_errors() {
    let _dog = Watchdog::new("monitor endpoints", LIMIT);
    let ctx = Context::new().unwrap();
    let push = socket(&ctx, SocketType::Push);
    for endpoint in ["", "inproc://", "inproc://a\0b", "tcp://127.0.0.1:1"] {
        let err = push
            .monitor_on(endpoint, zmq4::MonitorEvents::all())
            .err()
            .unwrap_or_else(|| panic!("monitor on {endpoint:?} started"));
        assert_ne!(err.kind(), ErrorKind::Other, "{endpoint:?}: {err}");
    }
    still_works(&ctx, &push);
}

/// Sets a string option to 255 bytes, which must work and read back,
/// and to 256 bytes and to a string holding NUL, which must be errors.
fn string_bound(
    name: &str,
    set: impl Fn(&str) -> zmq4::Result<()>,
    get: impl Fn() -> zmq4::Result<String>,
    max: usize,
) {
    let at = "u".repeat(max);
    set(&at).unwrap_or_else(|e| panic!("{name}: {max} bytes refused: {e}"));
    assert_eq!(get().unwrap(), at, "{name} reads back");
    let past = "u".repeat(max + 1);
    let err = set(&past).expect_err(name);
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{name}: {err}");
    assert_eq!(
        get().unwrap(),
        at,
        "{name}: a refused value changes nothing"
    );
    let err = set("in\0side").expect_err(name);
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{name}: {err}");
    // Far past any bound.
    assert!(set(&"u".repeat(1 << 20)).is_err(), "{name}: 1 MiB");
}

#[test]
fn string_options_take_exactly_their_documented_length() {
    let _dog = Watchdog::new("string options", LIMIT);
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    string_bound(
        "plain_username",
        |v| s.set_plain_username(v),
        || s.plain_username(),
        255,
    );
    string_bound(
        "plain_password",
        |v| s.set_plain_password(v),
        || s.plain_password(),
        255,
    );
    let server = socket(&ctx, SocketType::Router);
    string_bound(
        "zap_domain",
        |v| server.set_zap_domain(v),
        || server.zap_domain(),
        255,
    );
    string_bound(
        "bindtodevice",
        |v| s.set_bindtodevice(v),
        || s.bindtodevice(),
        15,
    );
}

#[test]
fn routing_ids_are_one_to_255_bytes() {
    let _dog = Watchdog::new("routing ids", LIMIT);
    let ctx = Context::new().unwrap();
    let dealer = socket(&ctx, SocketType::Dealer);
    dealer.set_routing_id([7u8; 255]).unwrap();
    assert_eq!(dealer.routing_id().unwrap(), vec![7u8; 255]);
    for bad in [&[][..], &[7u8; 256][..]] {
        let err = dealer.set_routing_id(bad).expect_err("bad routing id");
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    }
    let router = socket(&ctx, SocketType::Router);
    // A 255-byte routing id reaches a ROUTER whole.
    let endpoint = inproc("long-id");
    router.bind(&endpoint).unwrap();
    dealer.connect(&endpoint).unwrap();
    dealer.send("hi", SendFlags::empty()).unwrap();
    let parts = router.recv_multipart(RecvFlags::empty()).unwrap();
    assert_eq!(&parts[0][..], &[7u8; 255][..]);
    assert_eq!(&parts[1][..], b"hi");
}

#[test]
fn timeouts_too_large_for_libzmq_are_errors() {
    let _dog = Watchdog::new("timeouts", LIMIT);
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    for (name, result) in [
        ("rcvtimeo", pull.set_rcvtimeo(Some(Duration::MAX))),
        ("sndtimeo", pull.set_sndtimeo(Some(Duration::MAX))),
        ("linger", pull.set_linger(Some(Duration::MAX))),
    ] {
        let err = result.expect_err(name);
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{name}: {err}");
    }
    let mut items = [PollItem::from_socket(&pull, PollEvents::POLLIN)];
    let err = zmq4::poll(&mut items, Some(Duration::MAX)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    let err = pull
        .poll(PollEvents::POLLIN, Some(Duration::MAX))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    // The refused values left the old ones in place.
    assert_eq!(pull.rcvtimeo().unwrap(), Some(crate::support::TIMEOUT));
    assert_eq!(pull.linger().unwrap(), Some(Duration::ZERO));
}

#[test]
fn keys_of_the_right_byte_length_but_not_z85_are_errors() {
    // 40 bytes but 20 characters: the length alone must not let them in.
    let accents = "é".repeat(20);
    assert_eq!(accents.len(), 40);
    let mut nearly = valid_key_z85();
    nearly.replace_range(39.., "\"");
    for text in [
        accents.as_str(),
        nearly.as_str(),
        "",
        "\0".repeat(40).as_str(),
    ] {
        assert!(CurveKey::from_z85(text).is_err(), "{text:?}");
        let err = CurveSecretKey::from_z85(text).expect_err("secret");
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    }
    for text in ["é", "ééééé", "\0\0\0\0\0", "\u{10FFFF}a", "abcd"] {
        assert!(z85::decode(text).is_err(), "{text:?}");
    }
    assert!(CurveKey::from_bytes(&[0u8; 33]).is_err());
    assert!(CurveSecretKey::from_bytes(&[]).is_err());
}

/// A valid public key's Z85 text.
fn valid_key_z85() -> String {
    CurveKey::from_bytes(&[9u8; 32]).unwrap().to_z85()
}

#[test]
fn property_names_nobody_asks_for_are_none() {
    let msg = Message::from("local");
    let long = "X".repeat(1 << 16);
    for name in ["", "\0", "User-Id\0", "é", long.as_str()] {
        assert_eq!(msg.property(name), None, "{name:?}");
    }
}

#[test]
fn a_receive_into_an_empty_buffer_reports_the_whole_size() {
    let _dog = Watchdog::new("recv_into", LIMIT);
    let ctx = Context::new().unwrap();
    let endpoint = inproc("recv-into-empty");
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind(&endpoint).unwrap();
    let push = socket(&ctx, SocketType::Push);
    push.connect(&endpoint).unwrap();
    push.send(vec![1u8; 5000], SendFlags::empty()).unwrap();
    push.send(Vec::<u8>::new(), SendFlags::empty()).unwrap();
    let got = pull.recv_into(&mut [], RecvFlags::empty()).unwrap();
    assert!(got.is_truncated());
    assert_eq!(got.size(), 5000);
    assert!(got.complete().is_err());
    // An empty frame into an empty buffer is complete.
    let got = pull.recv_into(&mut [], RecvFlags::empty()).unwrap();
    assert!(!got.is_truncated());
    assert_eq!(got.complete().unwrap(), 0);
}

#[cfg(feature = "draft")]
#[test]
fn groups_are_at_most_255_bytes_without_nul() {
    let _dog = Watchdog::new("groups", LIMIT);
    let mut msg = Message::from("x");
    let at = "g".repeat(255);
    msg.set_group(&at).unwrap();
    assert_eq!(msg.group(), Some(at.as_bytes()));
    for bad in ["g".repeat(256), "g\0g".to_string(), "g".repeat(1 << 20)] {
        let err = msg.set_group(&bad).expect_err("bad group");
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    }
    assert_eq!(
        msg.group(),
        Some(at.as_bytes()),
        "a refused group changes nothing"
    );
    assert_eq!(&msg[..], b"x");
    msg.set_group("").unwrap();
    assert_eq!(msg.group(), None);

    let ctx = Context::new().unwrap();
    let dish = zmq4::SharedSocket::new(ctx.socket(SocketType::Dish).unwrap()).unwrap();
    dish.join(&at).unwrap();
    for bad in ["g".repeat(256), "g\0g".to_string()] {
        let err = dish.join(&bad).expect_err("bad group");
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
        assert!(dish.leave(&bad).is_err());
    }
    dish.leave(&at).unwrap();
}
