//! Z85 text from outside (keys in configuration files, on the command
//! line): decoding never panics, agrees with libzmq's own decoder, and
//! round-trips; the CURVE key parsers on top of it likewise.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zmq4::{z85, CurveKey, CurveSecretKey};

/// libzmq's `zmq_z85_decode`, for `text` of a multiple of 5 characters.
fn libzmq_decode(text: &str) -> Option<Vec<u8>> {
    let c = std::ffi::CString::new(text).ok()?;
    let mut out = vec![0u8; text.len() / 5 * 4];
    // SAFETY: `out` holds 4 bytes for every 5 characters of the
    // NUL-terminated `c`, as zmq_z85_decode needs.
    let rc = unsafe { zmq4::sys::ffi::zmq_z85_decode(out.as_mut_ptr(), c.as_ptr()) };
    (!rc.is_null()).then_some(out)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match z85::decode(&text) {
        Ok(bytes) => {
            assert_eq!(bytes.len(), text.len() / 5 * 4);
            assert_eq!(z85::encode(&bytes).unwrap(), text, "decode then encode");
            // libzmq refuses the empty text (src/z85.rs says so).
            if !text.is_empty() {
                assert_eq!(
                    libzmq_decode(&text).as_deref(),
                    Some(&bytes[..]),
                    "libzmq disagrees"
                );
            }
        }
        Err(_) => {
            if text.len() % 5 == 0 && !text.contains('\0') {
                assert_eq!(
                    libzmq_decode(&text),
                    None,
                    "libzmq decodes what zmq4 refuses: {text:?}"
                );
            }
        }
    }
    if data.len() % 4 == 0 {
        let text = z85::encode(data).unwrap();
        assert_eq!(text.len(), z85::encoded_len(data.len()));
        assert_eq!(z85::decode(&text).unwrap(), data, "encode then decode");
    }
    if let Ok(key) = CurveKey::from_z85(&text) {
        assert_eq!(key.to_z85(), text);
    }
    let _ = CurveSecretKey::from_z85(&text);
    let _ = CurveKey::from_bytes(data);
});
