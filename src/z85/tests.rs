//! Z85 against RFC 32, over many lengths, and every input it must refuse;
//! also the crate's own entry points (`encode_into`, `encode_to_slice`,
//! `decode_into`), which the keys and certificates use.

use super::*;

/// The example of ZeroMQ RFC 32.
const SPEC_BYTES: [u8; 8] = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];
const SPEC_TEXT: &str = "HelloWorld";

/// `n` bytes that are not all alike (a small linear congruential sequence).
fn data(n: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn the_rfc_example_encodes_and_decodes() {
    assert_eq!(encode(&SPEC_BYTES).unwrap(), SPEC_TEXT);
    assert_eq!(decode(SPEC_TEXT).unwrap(), SPEC_BYTES);
}

#[test]
fn the_alphabet_is_85_distinct_printable_characters_in_digit_order() {
    for (i, a) in ALPHABET.iter().enumerate() {
        assert!(a.is_ascii_graphic(), "{a}");
        assert!(!ALPHABET[i + 1..].contains(a), "{} twice", *a as char);
    }
    // The last character of a group is the lowest digit.
    for (digit, &c) in ALPHABET.iter().enumerate() {
        let text = encode(&(digit as u32).to_be_bytes()).unwrap();
        assert_eq!(text.as_bytes(), [b'0', b'0', b'0', b'0', c]);
        assert_eq!(decode(&text).unwrap(), (digit as u32).to_be_bytes());
    }
    assert_eq!(encode(&85u32.to_be_bytes()).unwrap(), "00010");
}

#[test]
fn groups_are_big_endian_from_zero_to_the_largest() {
    assert_eq!(encode(&[0; 4]).unwrap(), "00000");
    assert_eq!(encode(&[0xFF; 4]).unwrap(), "%nSc0");
    assert_eq!(decode("%nSc0").unwrap(), [0xFF; 4]);
    assert_eq!(encode(&[0, 0, 0, 1]).unwrap(), "00001");
    assert_ne!(encode(&[1, 0, 0, 0]).unwrap(), "00001");
}

#[test]
fn any_data_of_a_multiple_of_4_bytes_round_trips() {
    for n in (0..=256).step_by(4).chain([1024, 4096]) {
        for seed in 0..4 {
            let bytes = data(n, seed);
            let text = encode(&bytes).unwrap();
            assert_eq!(text.len(), encoded_len(n), "{n} bytes");
            assert!(text.bytes().all(|c| ALPHABET.contains(&c)), "{text}");
            assert_eq!(decode(&text).unwrap(), bytes, "{n} bytes, seed {seed}");
        }
    }
}

#[test]
fn every_group_value_near_the_edges_round_trips() {
    let edges = (0..=300u32)
        .chain(u32::MAX - 300..=u32::MAX)
        .chain((0..32).map(|b| 1u32 << b));
    for value in edges {
        let text = encode(&value.to_be_bytes()).unwrap();
        assert_eq!(decode(&text).unwrap(), value.to_be_bytes(), "{value}");
    }
}

#[test]
fn encoded_len_is_five_characters_per_four_bytes() {
    assert_eq!(encoded_len(0), 0);
    assert_eq!(encoded_len(4), 5);
    assert_eq!(encoded_len(32), 40);
    for n in (0..1000).step_by(4) {
        assert_eq!(encoded_len(n), n / 4 * 5);
        assert_eq!(encoded_len(n), encode(&vec![0; n]).unwrap().len());
    }
}

#[test]
fn data_not_a_multiple_of_4_bytes_is_refused_with_its_length() {
    for n in (1..=67).filter(|n| n % 4 != 0) {
        let err = encode(&data(n, 1)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{n}");
        let text = err.to_string();
        assert!(text.contains("multiple of 4"), "{text}");
        assert!(text.contains(&format!("{n} bytes")), "{text}");
    }
}

#[test]
fn text_not_a_multiple_of_5_characters_is_refused_with_its_length() {
    let long = "0".repeat(86);
    for n in (1..=86).filter(|n| n % 5 != 0) {
        let err = decode(&long[..n]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{n}");
        let text = err.to_string();
        assert!(text.contains("multiple of 5"), "{text}");
        assert!(text.contains(&format!("{n} characters")), "{text}");
    }
}

#[test]
fn every_character_outside_the_alphabet_is_refused_in_any_position() {
    let outside: Vec<u8> = (0u8..=127).filter(|c| !ALPHABET.contains(c)).collect();
    // Space, quotes, comma, semicolon, backslash, underscore, backquote,
    // pipe, tilde, and the control characters.
    assert_eq!(outside.len(), 128 - 85);
    for &c in &outside {
        for pos in 0..10 {
            let mut text = SPEC_TEXT.as_bytes().to_vec();
            text[pos] = c;
            let text = String::from_utf8(text).unwrap();
            let err = decode(&text).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{c} at {pos}");
            assert!(
                err.to_string().contains("outside the Z85 alphabet"),
                "{err}"
            );
        }
    }
    let err = decode("Hello Worl").unwrap_err();
    assert!(err.to_string().contains("(first: \" \")"), "{err}");
}

#[test]
fn text_that_is_not_ascii_is_refused_not_panicked_on() {
    // 5 bytes, so the length is right; "é" is two of them.
    for text in ["abcé", "éabc", "\u{20ac}00", "0000\u{7f}"] {
        assert_eq!(text.len() % 5, 0, "{text:?}");
        let err = decode(text).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{text:?}");
    }
}

#[test]
fn a_group_worth_more_than_4_bytes_is_refused() {
    for group in ["%nSc1", "%nSd0", "%nT00", "%o000", "$0000", "#####"] {
        let err = decode(group).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{group}");
        let text = err.to_string();
        assert!(text.contains("out of range"), "{text}");
        assert!(text.contains(group), "{text}");
    }
    // In a later group too, and the error names that group.
    let err = decode("00000HelloWorld#####").unwrap_err();
    assert!(err.to_string().contains("\"#####\""), "{err}");
}

#[test]
fn encode_into_appends_to_what_is_there() {
    let mut out = String::from("key=");
    encode_into(&SPEC_BYTES, &mut out);
    assert_eq!(out, "key=HelloWorld");
    encode_into(&[], &mut out);
    assert_eq!(out, "key=HelloWorld");
    encode_into(&[0xFF; 4], &mut out);
    assert_eq!(out, "key=HelloWorld%nSc0");
}

#[test]
fn encode_to_slice_writes_the_start_and_leaves_the_rest() {
    let mut out = [b'_'; 13];
    encode_to_slice(&SPEC_BYTES, &mut out);
    assert_eq!(&out, b"HelloWorld___");
    let mut exact = [0u8; 40];
    let key = data(32, 7);
    encode_to_slice(&key, &mut exact);
    assert_eq!(std::str::from_utf8(&exact).unwrap(), encode(&key).unwrap());
}

#[test]
fn decode_into_fills_the_buffer_or_reports_the_first_bad_group() {
    let mut out = [0u8; 8];
    decode_into(SPEC_TEXT, &mut out).unwrap();
    assert_eq!(out, SPEC_BYTES);

    let mut out = [0u8; 8];
    let err = decode_into("Hello~orld", &mut out).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.to_string().contains("\"~\""), "{err}");

    let mut none = [0u8; 0];
    decode_into("", &mut none).unwrap();
}

#[test]
fn the_empty_data_and_the_empty_text_are_each_others() {
    assert_eq!(encode(&[]).unwrap(), "");
    assert_eq!(decode("").unwrap(), Vec::<u8>::new());
}
