//! The high-water marks are set before the socket binds or connects:
//! afterwards libzmq 4.3 would hand a new value to connections that may be
//! ending, whose other end is already freed (docs/libzmq-asserts.md, D1),
//! so zmq4 refuses the call without reaching libzmq.

use super::*;

/// The refusal: `InvalidState`, naming the option and what to do.
#[track_caller]
fn assert_refused(result: Result<(), Error>, option: &str) {
    let err = result.expect_err("a high-water mark was accepted on a socket with connections");
    assert_eq!(err.kind(), ErrorKind::InvalidState, "{err:?}");
    let detail = err.detail().unwrap_or_default();
    assert!(detail.contains(option), "{detail:?} should name {option}");
    assert!(
        detail.contains("before bind and connect"),
        "{detail:?} should say what to do"
    );
}

#[test]
fn high_water_marks_are_set_before_bind_and_refused_after() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.set_sndhwm(Some(7)).unwrap();
    pull.set_rcvhwm(Some(8)).unwrap();
    pull.bind("inproc://hwm-after-bind").unwrap();
    assert_refused(pull.set_sndhwm(Some(9)), "ZMQ_SNDHWM");
    assert_refused(pull.set_rcvhwm(Some(9)), "ZMQ_RCVHWM");
    // Nothing reached libzmq: the values set before the bind remain.
    assert_eq!(pull.sndhwm().unwrap(), Some(7));
    assert_eq!(pull.rcvhwm().unwrap(), Some(8));
    // The other options still change.
    pull.set_linger(Some(ms(10))).unwrap();
}

#[test]
fn high_water_marks_are_refused_after_connect() {
    let ctx = Context::new().unwrap();
    let push = socket(&ctx, SocketType::Push);
    // A connect to nobody still makes a pipe (inproc keeps it pending).
    push.connect("inproc://hwm-after-connect").unwrap();
    assert_refused(push.set_sndhwm(Some(1)), "ZMQ_SNDHWM");
    assert_refused(push.set_rcvhwm(Some(1)), "ZMQ_RCVHWM");
    // No limit is a new value too.
    assert_refused(push.set_sndhwm(None), "ZMQ_SNDHWM");
    assert_refused(push.set_rcvhwm(None), "ZMQ_RCVHWM");
    assert_eq!(push.sndhwm().unwrap(), Some(1000));
}

#[test]
fn an_invalid_value_is_refused_too_once_connected() {
    // libzmq hands the current values to the pipes even when it refuses
    // the new one, so a negative value must not reach it either: the
    // value is refused before the state is looked at.
    let ctx = Context::new().unwrap();
    let push = socket(&ctx, SocketType::Push);
    push.connect("tcp://127.0.0.1:9").unwrap();
    for (result, option) in [
        (push.set_sndhwm(Some(-1)), "ZMQ_SNDHWM"),
        (push.set_rcvhwm(Some(-5)), "ZMQ_RCVHWM"),
        (push.set_sndhwm(Some(0)), "ZMQ_SNDHWM"),
    ] {
        let err = result.expect_err("an invalid high-water mark was accepted");
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err:?}");
        let detail = err.detail().unwrap_or_default();
        assert!(detail.contains(option), "{detail:?} should name {option}");
        assert!(detail.contains("None"), "{detail:?} should point to None");
    }
    assert_eq!(push.sndhwm().unwrap(), Some(1000));
}

#[test]
fn the_refusal_outlives_unbind_and_disconnect() {
    // A connection ended by unbind or disconnect may still be ending in
    // libzmq's threads: the socket never takes a new mark again.
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    let push = socket(&ctx, SocketType::Push);
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = pull.last_endpoint().unwrap();
    push.connect(&endpoint).unwrap();
    push.send("x", SendFlags::empty()).unwrap();
    assert_eq!(&pull.recv_bytes(RecvFlags::empty()).unwrap()[..], b"x");
    push.disconnect(&endpoint).unwrap();
    pull.unbind(&endpoint).unwrap();
    assert_refused(push.set_sndhwm(Some(5)), "ZMQ_SNDHWM");
    assert_refused(pull.set_rcvhwm(Some(5)), "ZMQ_RCVHWM");
}

#[test]
fn a_failed_bind_counts_as_a_bind() {
    // Whether libzmq made a pipe before failing is not visible, so any
    // bind or connect call counts.
    let ctx = Context::new().unwrap();
    let a = socket(&ctx, SocketType::Pull);
    let b = socket(&ctx, SocketType::Pull);
    a.bind("inproc://hwm-taken").unwrap();
    b.bind("inproc://hwm-taken").unwrap_err();
    assert_refused(b.set_rcvhwm(Some(3)), "ZMQ_RCVHWM");
}

#[test]
fn a_socket_from_a_raw_handle_is_taken_as_connected() {
    // Nothing says whether a handle from C code has bound or connected.
    let ctx = Context::new().unwrap();
    let original = socket(&ctx, SocketType::Pull);
    let raw = original.into_raw();
    // SAFETY: `raw` was made on `ctx` by `Context::socket` and given up by
    // `into_raw`; nothing else uses or closes it.
    #[allow(unsafe_code)]
    let adopted = unsafe { Socket::from_raw(&ctx, raw) }.unwrap();
    assert_refused(adopted.set_sndhwm(Some(3)), "ZMQ_SNDHWM");
}

#[test]
fn a_fresh_socket_takes_any_mark_any_number_of_times() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    for v in [None, Some(1), Some(500), Some(i32::MAX)] {
        s.set_sndhwm(v).unwrap();
        s.set_rcvhwm(v).unwrap();
        assert_eq!((s.sndhwm().unwrap(), s.rcvhwm().unwrap()), (v, v));
    }
}
