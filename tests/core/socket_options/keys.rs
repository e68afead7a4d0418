//! CURVE keys: parsing, printing, and the errors for bad ones.

use super::*;

#[test]
fn curve_keys_parse_and_print() {
    // Test vector of ZeroMQ RFC 32: 8 bytes <-> "HelloWorld".
    let bytes: [u8; 32] = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B].repeat(4)[..]
        .try_into()
        .unwrap();
    let text = "HelloWorld".repeat(4);
    let key = CurveKey::from_z85(&text).unwrap();
    assert_eq!(key.as_bytes(), &bytes);
    assert_eq!(key, CurveKey::from(bytes));
    assert_eq!(key, CurveKey::new(bytes));
    assert_eq!(key, CurveKey::from_bytes(&bytes).unwrap());
    assert_eq!(key, text.parse::<CurveKey>().unwrap());
    assert_eq!(key.to_string(), text);
    assert_eq!(key.to_z85(), text);
    // Debug never shows the key.
    assert_eq!(format!("{key:?}"), "CurveKey(..)");
}

#[test]
fn bad_curve_keys_are_errors() {
    let kind = |r: Result<CurveKey, Error>| r.unwrap_err().kind();
    assert_eq!(
        kind(CurveKey::from_bytes(&[0; 31])),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        kind(CurveKey::from_bytes(&[0; 33])),
        ErrorKind::InvalidArgument
    );
    assert_eq!(kind(CurveKey::from_bytes(&[])), ErrorKind::InvalidArgument);
    // 32 characters are not 32 bytes: never handed to libzmq as a key.
    let err = CurveKey::from_z85(&"a".repeat(32)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.detail().unwrap().contains("40"), "{err}");
    assert_eq!(
        kind(CurveKey::from_z85(&"a".repeat(41))),
        ErrorKind::InvalidArgument
    );
    assert_eq!(kind(CurveKey::from_z85("")), ErrorKind::InvalidArgument);
    // Characters outside the alphabet (space, quote, tilde, non-ASCII, NUL).
    for bad in [" ", "\"", "~", "\0", "é"] {
        let text = format!("{bad}{}", "a".repeat(40 - bad.len()));
        assert_eq!(text.len(), 40);
        assert_eq!(
            kind(text.parse::<CurveKey>()),
            ErrorKind::InvalidArgument,
            "{bad:?}"
        );
    }
    // Groups worth more than 2^32 - 1.
    assert_eq!(
        kind(CurveKey::from_z85(&"#".repeat(40))),
        ErrorKind::InvalidArgument
    );
}
