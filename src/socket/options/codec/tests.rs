//! What each codec checks and converts on our side of the call: values
//! to C values (or a refusal that names the option), C values read back
//! to values (or an error saying libzmq reported something unexpected).

use super::*;
use crate::socket::options::values::Mechanism;

const NAME: &str = "ZMQ_TEST";

fn refused<T: std::fmt::Debug>(result: Result<T>) -> Error {
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert!(err.to_string().starts_with("ZMQ_TEST: "), "{err}");
    err
}

fn unexpected_value<T: std::fmt::Debug>(result: Result<T>, raw: &str) -> Error {
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Other, "{err}");
    assert_eq!(
        err.to_string(),
        format!("ZMQ_TEST: libzmq reported an unexpected value {raw}")
    );
    err
}

#[test]
fn times_are_rounded_up_to_whole_units() {
    let ms = |d| Millis::to_int(NAME, d).unwrap();
    assert_eq!(ms(Duration::ZERO), 0);
    assert_eq!(ms(Duration::from_nanos(1)), 1);
    assert_eq!(ms(Duration::from_millis(1)), 1);
    assert_eq!(ms(Duration::from_micros(1001)), 2);
    assert_eq!(ms(Duration::from_secs(30)), 30_000);
    let secs = |d| Time::<1000>::to_int(NAME, d).unwrap();
    assert_eq!(secs(Duration::ZERO), 0);
    assert_eq!(secs(Duration::from_millis(1)), 1);
    assert_eq!(secs(Duration::from_millis(1000)), 1);
    assert_eq!(secs(Duration::from_millis(1001)), 2);
}

#[test]
fn a_time_of_more_than_c_int_max_units_is_refused_with_the_limit() {
    let max_ms = Duration::from_millis(c_int::MAX as u64);
    assert_eq!(Millis::to_int(NAME, max_ms).unwrap(), c_int::MAX);
    let err = refused(Millis::to_int(NAME, max_ms + Duration::from_nanos(1)));
    assert!(err.to_string().contains("too long"), "{err}");
    assert!(err.to_string().contains(&format!("{max_ms:?}")), "{err}");
    refused(Millis::to_int(NAME, Duration::MAX));

    let max_s = Duration::from_secs(c_int::MAX as u64);
    assert_eq!(Time::<1000>::to_int(NAME, max_s).unwrap(), c_int::MAX);
    let err = refused(Time::<1000>::to_int(NAME, max_s + Duration::from_millis(1)));
    assert!(err.to_string().contains(&format!("{max_s:?}")), "{err}");
    refused(Time::<1000>::to_int(NAME, Duration::MAX));
}

#[test]
fn times_read_back_in_their_unit_and_a_negative_one_is_unexpected() {
    assert_eq!(Millis::from_int(NAME, 0).unwrap(), Duration::ZERO);
    assert_eq!(
        Millis::from_int(NAME, 1500).unwrap(),
        Duration::from_millis(1500)
    );
    assert_eq!(
        Millis::from_int(NAME, c_int::MAX).unwrap(),
        Duration::from_millis(c_int::MAX as u64)
    );
    assert_eq!(
        Time::<1000>::from_int(NAME, 7).unwrap(),
        Duration::from_secs(7)
    );
    unexpected_value(Millis::from_int(NAME, -1), "-1");
    unexpected_value(Millis::from_int(NAME, c_int::MIN), &c_int::MIN.to_string());
}

#[test]
fn whole_units_round_trip_through_time() {
    for n in [0, 1, 2, 999, 1000, 86_400_000, c_int::MAX] {
        let d = Millis::from_int(NAME, n).unwrap();
        assert_eq!(Millis::to_int(NAME, d).unwrap(), n);
        let d = Time::<1000>::from_int(NAME, n).unwrap();
        assert_eq!(Time::<1000>::to_int(NAME, d).unwrap(), n);
    }
}

#[test]
fn an_optional_time_is_minus_one_for_none() {
    assert_eq!(OptMillis::to_raw(NAME, None).unwrap(), -1);
    assert_eq!(
        OptMillis::to_raw(NAME, Some(Duration::from_micros(1))).unwrap(),
        1
    );
    assert_eq!(
        OptSecs::to_raw(NAME, Some(Duration::from_millis(2500))).unwrap(),
        3
    );
    refused(OptSecs::to_raw(NAME, Some(Duration::MAX)));

    assert_eq!(OptMillis::from_raw(NAME, -1).unwrap(), None);
    assert_eq!(OptMillis::from_raw(NAME, 0).unwrap(), Some(Duration::ZERO));
    assert_eq!(
        OptSecs::from_raw(NAME, 60).unwrap(),
        Some(Duration::from_secs(60))
    );
    unexpected_value(OptMillis::from_raw(NAME, -2), "-2");
    for value in [None, Some(Duration::ZERO), Some(Duration::from_secs(5))] {
        let raw = OptMillis::to_raw(NAME, value).unwrap();
        assert_eq!(OptMillis::from_raw(NAME, raw).unwrap(), value);
    }
}

#[test]
fn an_optional_int_is_minus_one_for_none_and_refuses_a_negative_some() {
    assert_eq!(OptInt::to_raw::<i32>(NAME, None).unwrap(), -1);
    assert_eq!(OptInt::to_raw(NAME, Some(0i32)).unwrap(), 0);
    assert_eq!(OptInt::to_raw(NAME, Some(i32::MAX)).unwrap(), i32::MAX);
    for v in [-1i32, -2, i32::MIN] {
        let err = refused(OptInt::to_raw(NAME, Some(v)));
        assert!(
            err.to_string().contains(&format!("{v} is negative")),
            "{err}"
        );
        assert!(err.to_string().contains("use None"), "{err}");
    }
    assert_eq!(OptInt::to_raw::<i64>(NAME, None).unwrap(), -1);
    assert_eq!(OptInt::to_raw(NAME, Some(i64::MAX)).unwrap(), i64::MAX);
    refused(OptInt::to_raw(NAME, Some(-1i64)));
    refused(OptInt::to_raw(NAME, Some(i64::MIN)));
}

#[test]
fn an_optional_int_reads_minus_one_as_none() {
    assert_eq!(OptInt::from_raw(NAME, -1).unwrap(), None);
    assert_eq!(OptInt::from_raw(NAME, 0).unwrap(), Some(0));
    assert_eq!(OptInt::from_raw(NAME, 42).unwrap(), Some(42));
    unexpected_value(OptInt::from_raw(NAME, -2), "-2");
    // The 64-bit options read any negative value as no value.
    assert_eq!(OptInt::from_raw64(-1), None);
    assert_eq!(OptInt::from_raw64(i64::MIN), None);
    assert_eq!(OptInt::from_raw64(0), Some(0));
    assert_eq!(OptInt::from_raw64(i64::MAX), Some(i64::MAX));
    for value in [None, Some(0), Some(1), Some(i32::MAX)] {
        let raw = OptInt::to_raw(NAME, value).unwrap();
        assert_eq!(OptInt::from_raw(NAME, raw).unwrap(), value);
        let raw = OptInt::to_raw(NAME, value.map(i64::from)).unwrap();
        assert_eq!(OptInt::from_raw64(raw), value.map(i64::from));
    }
}

#[test]
fn a_limit_is_zero_for_none_and_refuses_zero_or_less() {
    assert_eq!(Limit::to_raw(NAME, None).unwrap(), 0);
    assert_eq!(Limit::to_raw(NAME, Some(1)).unwrap(), 1);
    assert_eq!(Limit::to_raw(NAME, Some(i32::MAX)).unwrap(), i32::MAX);
    for v in [0, -1, i32::MIN] {
        let err = refused(Limit::to_raw(NAME, Some(v)));
        assert!(
            err.to_string().contains(&format!("{v} is not a limit")),
            "{err}"
        );
        assert!(err.to_string().contains("None means no limit"), "{err}");
    }
    assert_eq!(Limit::from_raw(NAME, 0).unwrap(), None);
    assert_eq!(Limit::from_raw(NAME, 1000).unwrap(), Some(1000));
    unexpected_value(Limit::from_raw(NAME, -1), "-1");
    for value in [None, Some(1), Some(1000), Some(i32::MAX)] {
        let raw = Limit::to_raw(NAME, value).unwrap();
        assert_eq!(Limit::from_raw(NAME, raw).unwrap(), value);
    }
}

#[test]
fn an_optional_flag_is_minus_one_zero_or_one() {
    for (value, raw) in [(None, -1), (Some(false), 0), (Some(true), 1)] {
        assert_eq!(OptBool::to_raw(value), raw);
        assert_eq!(OptBool::from_raw(NAME, raw).unwrap(), value);
    }
    unexpected_value(OptBool::from_raw(NAME, 2), "2");
    unexpected_value(OptBool::from_raw(NAME, -2), "-2");
}

#[test]
fn a_string_with_a_nul_byte_is_refused() {
    for option in [ffi::ZMQ_ZAP_DOMAIN, ffi::ZMQ_BINDTODEVICE] {
        let err = refused(Str::check(option, NAME, "a\0b"));
        assert!(err.to_string().contains("NUL byte"), "{err}");
        assert!(err.to_string().contains("\"a\\0b\""), "{err}");
    }
    assert!(Str::check(ffi::ZMQ_ZAP_DOMAIN, NAME, "").is_ok());
    assert!(Str::check(ffi::ZMQ_ZAP_DOMAIN, NAME, "global").is_ok());
}

#[test]
fn an_interface_name_is_at_most_15_bytes() {
    let fits = "e".repeat(MAX_DEVICE_NAME);
    assert!(Str::check(ffi::ZMQ_BINDTODEVICE, NAME, &fits).is_ok());
    let long = "e".repeat(MAX_DEVICE_NAME + 1);
    let err = refused(Str::check(ffi::ZMQ_BINDTODEVICE, NAME, &long));
    assert!(err.to_string().contains("is 16 bytes"), "{err}");
    // Bytes, not characters: 8 two-byte characters are 16 bytes.
    let wide = "é".repeat(8);
    refused(Str::check(ffi::ZMQ_BINDTODEVICE, NAME, &wide));
    // Other string options have no such bound.
    assert!(Str::check(ffi::ZMQ_ZAP_DOMAIN, NAME, &"d".repeat(300)).is_ok());
}

#[test]
fn a_string_read_back_loses_one_trailing_nul_and_must_be_utf8() {
    assert_eq!(Str::from_raw(b"tcp://x:1\0".to_vec()).unwrap(), "tcp://x:1");
    assert_eq!(Str::from_raw(b"no nul".to_vec()).unwrap(), "no nul");
    assert_eq!(Str::from_raw(b"\0".to_vec()).unwrap(), "");
    assert_eq!(Str::from_raw(Vec::new()).unwrap(), "");
    assert_eq!(Str::from_raw(b"two\0\0".to_vec()).unwrap(), "two\0");
    let err = Str::from_raw(b"\xff\xfe\0".to_vec()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidUtf8);
    assert_eq!(err.into_bytes(), Some(b"\xff\xfe".to_vec()));
}

#[test]
fn a_typed_value_must_be_one_of_its_type() {
    for m in [
        Mechanism::Null,
        Mechanism::Plain,
        Mechanism::Curve,
        Mechanism::Gssapi,
    ] {
        assert_eq!(Typed::from_raw::<Mechanism>(NAME, m.to_int()).unwrap(), m);
    }
    unexpected_value(Typed::from_raw::<Mechanism>(NAME, 99), "99");
    unexpected_value(Typed::from_raw::<Mechanism>(NAME, -1), "-1");
}
