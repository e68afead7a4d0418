//! CURVE keys: public ([`CurveKey`]), secret ([`CurveSecretKey`]) and
//! pairs ([`CurveKeyPair`]).

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind, Result};
use crate::z85;

mod secret;

pub(crate) use secret::zero;
pub use secret::{CurveKeyPair, CurveSecretKey};

/// A CURVE public key: 32 raw bytes.
///
/// Secret keys have a type of their own, [`CurveSecretKey`], which zeroes
/// its bytes when dropped; [`CurveKeyPair`] holds both halves. The socket
/// options take the type their key is: `set_curve_publickey` and
/// `set_curve_serverkey` a `CurveKey`, `set_curve_secretkey` a
/// `CurveSecretKey`; the helpers of [`Socket`](crate::Socket) (such as
/// [`make_curve_server`](crate::Socket::make_curve_server)) take the pair.
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
    ///
    /// libzmq itself takes a 32-character string as 32 raw bytes; here
    /// only 40 characters of Z85 are a key's text, anything else is an
    /// error of kind [`ErrorKind::InvalidArgument`].
    #[doc(alias = "zmq_z85_decode")]
    pub fn from_z85(text: &str) -> Result<CurveKey> {
        decode_key(text, "CURVE key").map(CurveKey)
    }

    /// The 32 bytes.
    pub const fn as_bytes(&self) -> &[u8; CurveKey::LEN] {
        &self.0
    }

    /// The key's Z85 text (40 characters); the same as `to_string()`.
    #[doc(alias = "zmq_z85_encode")]
    pub fn to_z85(&self) -> String {
        let mut out = String::with_capacity(CurveKey::Z85_LEN);
        z85::encode_into(&self.0, &mut out);
        out
    }
}

/// Reads the 40-character Z85 text of a key (`what` names it in errors).
/// The text itself is not repeated in errors: it may be a secret key.
pub(crate) fn decode_key(text: &str, what: &str) -> Result<[u8; CurveKey::LEN]> {
    if text.len() != CurveKey::Z85_LEN {
        return Err(Error::invalid(
            ErrorKind::InvalidArgument,
            format!(
                "a Z85 {what} is {} characters, not {} (raw keys are {} bytes)",
                CurveKey::Z85_LEN,
                text.len(),
                CurveKey::LEN
            ),
        ));
    }
    let mut raw = [0u8; CurveKey::LEN];
    // The error does not quote the text: it may be a secret key.
    z85::decode_into(text, &mut raw).map_err(|err| {
        let why = if err.detail().is_some_and(|d| d.contains("out of range")) {
            "a group of 5 characters is worth more than 4 bytes"
        } else {
            "it has characters outside the Z85 alphabet"
        };
        err.with_detail(format!("not a Z85 {what}: {why}"))
    })?;
    Ok(raw)
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
