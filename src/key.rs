//! CURVE keys.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind, Result};
use crate::sys::ffi;

/// A CURVE key (public or secret): 32 raw bytes.
///
/// Written as text it is the 40-character Z85 encoding that libzmq, pyzmq
/// and czmq use ([`Display`](fmt::Display) writes it, [`FromStr`] and
/// [`CurveKey::from_z85`] read it). [`Debug`](fmt::Debug) never prints
/// the key, since it may be a secret one.
///
/// ```
/// use zmq4::CurveKey;
///
/// // The server public key of the CURVE example in RFC 26.
/// let key: CurveKey = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7".parse()?;
/// assert_eq!(key.as_bytes()[0], 0x54);
/// assert_eq!(key.to_string(), "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7");
/// assert!(CurveKey::from_bytes(&[0; 31]).is_err());
/// # Ok::<(), zmq4::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CurveKey([u8; CurveKey::LEN]);

/// The 85 characters of Z85, in digit order (ZeroMQ RFC 32).
const Z85_ALPHABET: &[u8; 85] =
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

impl CurveKey {
    /// Length of a key in bytes.
    pub const LEN: usize = 32;
    /// Length of a key's Z85 text.
    pub const Z85_LEN: usize = 40;

    /// A key from its 32 bytes.
    pub const fn new(bytes: [u8; CurveKey::LEN]) -> CurveKey {
        CurveKey(bytes)
    }

    /// A key from a slice, which must be exactly 32 bytes long.
    pub fn from_bytes(bytes: &[u8]) -> Result<CurveKey> {
        let raw: [u8; CurveKey::LEN] = bytes.try_into().map_err(|_| {
            Error::invalid(
                ErrorKind::InvalidArgument,
                format!(
                    "a CURVE key is {} bytes, not {}",
                    CurveKey::LEN,
                    bytes.len()
                ),
            )
        })?;
        Ok(CurveKey(raw))
    }

    /// A key from its Z85 text: exactly 40 characters of the Z85 alphabet.
    #[doc(alias = "zmq_z85_decode")]
    pub fn from_z85(text: &str) -> Result<CurveKey> {
        let bad = |why: String| Error::invalid(ErrorKind::InvalidArgument, why);
        if text.len() != CurveKey::Z85_LEN {
            return Err(bad(format!(
                "a Z85 CURVE key is {} characters, not {}",
                CurveKey::Z85_LEN,
                text.len()
            )));
        }
        // Each group of 5 characters is a big-endian base-85 number that
        // encodes 4 bytes; a group such as "#####" stands for more than
        // 2^32 - 1 and is refused.
        let mut raw = [0u8; CurveKey::LEN];
        for (group, out) in text.as_bytes().chunks(5).zip(raw.chunks_mut(4)) {
            let mut value = 0u64;
            for byte in group {
                let digit = Z85_ALPHABET.iter().position(|a| a == byte).ok_or_else(|| {
                    bad(format!(
                        "{text:?} is not a Z85 CURVE key: it has characters outside the Z85 alphabet"
                    ))
                })?;
                value = value * 85 + digit as u64;
            }
            let value = u32::try_from(value).map_err(|_| {
                bad(format!(
                    "{text:?} is not a Z85 CURVE key: the group {:?} is out of range",
                    String::from_utf8_lossy(group)
                ))
            })?;
            out.copy_from_slice(&value.to_be_bytes());
        }
        Ok(CurveKey(raw))
    }

    /// The 32 bytes.
    pub const fn as_bytes(&self) -> &[u8; CurveKey::LEN] {
        &self.0
    }

    /// The key's Z85 text (40 characters); the same as `to_string()`.
    #[doc(alias = "zmq_z85_encode")]
    pub fn to_z85(&self) -> String {
        let mut out = [0u8; CurveKey::Z85_LEN + 1];
        // SAFETY: the input is 32 bytes (a multiple of 4), so
        // zmq_z85_encode writes 40 characters and a NUL: 41 bytes, the size
        // of `out`. It only fails for a length that is not a multiple of 4.
        let rc =
            unsafe { ffi::zmq_z85_encode(out.as_mut_ptr().cast(), self.0.as_ptr(), CurveKey::LEN) };
        debug_assert!(!rc.is_null());
        // Z85 characters are ASCII.
        out[..CurveKey::Z85_LEN]
            .iter()
            .map(|&b| b as char)
            .collect()
    }
}

impl From<[u8; CurveKey::LEN]> for CurveKey {
    fn from(bytes: [u8; CurveKey::LEN]) -> CurveKey {
        CurveKey(bytes)
    }
}

impl FromStr for CurveKey {
    type Err = Error;

    /// Reads the Z85 text of a key ([`CurveKey::from_z85`]).
    fn from_str(text: &str) -> Result<CurveKey> {
        CurveKey::from_z85(text)
    }
}

impl fmt::Display for CurveKey {
    /// Writes the Z85 text of the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_z85())
    }
}

impl fmt::Debug for CurveKey {
    /// Writes `CurveKey(..)`: the key may be a secret one, so its bytes
    /// are not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CurveKey(..)")
    }
}
