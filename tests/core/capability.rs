//! The linked libzmq: its version and its capabilities.

use zmq4::Capability;

#[test]
fn version_is_4_3() {
    let (major, minor, patch) = zmq4::version();
    assert_eq!((major, minor), (4, 3));
    assert!(patch >= 0);
    if zmq4::LIBZMQ_SOURCE == "vendored" {
        assert_eq!(zmq4::version(), (4, 3, 5));
    }
}

#[test]
fn has_agrees_with_the_enum() {
    for cap in Capability::ALL {
        assert_eq!(cap.is_available(), zmq4::has(cap.name()), "{cap}");
        assert_eq!(cap.to_string(), cap.name());
        assert_eq!(cap.name().parse::<Capability>().unwrap(), cap);
    }
    let listed = zmq4::capabilities();
    let expected: Vec<Capability> = Capability::ALL
        .into_iter()
        .filter(|c| c.is_available())
        .collect();
    assert_eq!(listed, expected);
}

#[test]
fn names_are_libzmqs_spelling() {
    assert_eq!(Capability::Ws.name(), "WS");
    assert_eq!(Capability::Wss.name(), "WSS");
    assert_eq!(Capability::Curve.name(), "curve");
    // Parsing ignores case; `has` does not, as libzmq does not.
    assert_eq!("ws".parse::<Capability>().unwrap(), Capability::Ws);
    assert_eq!("CURVE".parse::<Capability>().unwrap(), Capability::Curve);
    if Capability::Curve.is_available() {
        assert!(!zmq4::has("CURVE"));
    }
    let err = "carrier-pigeon".parse::<Capability>().unwrap_err();
    assert_eq!(err.kind(), zmq4::ErrorKind::InvalidArgument);
    assert!(err.to_string().contains("carrier-pigeon"));
}

#[test]
fn unknown_or_malformed_names_are_false() {
    assert!(!zmq4::has(""));
    assert!(!zmq4::has("no-such-capability"));
    // A NUL byte would cut the name short ("ipc"): it is refused instead.
    assert!(!zmq4::has("ipc\0"));
    assert!(!zmq4::has("ipc\0garbage"));
    assert!(!zmq4::has("\0"));
}

#[test]
fn what_this_build_must_have() {
    if cfg!(unix) {
        assert!(Capability::Ipc.is_available());
    }
    if cfg!(feature = "draft") {
        assert!(Capability::Draft.is_available());
    }
    if zmq4::LIBZMQ_SOURCE == "vendored" {
        assert_eq!(Capability::Curve.is_available(), cfg!(feature = "curve"));
        assert_eq!(Capability::Draft.is_available(), cfg!(feature = "draft"));
    }
}
