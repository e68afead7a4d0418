//! CURVE secret keys and key pairs.

use std::fmt;
use std::str::FromStr;

use super::{decode_key, CurveKey};
use crate::error::{Error, ErrorKind, Result};
use crate::raw;
use crate::z85;

/// A CURVE secret key: 32 bytes, zeroed when dropped.
///
/// It has no [`Display`](fmt::Display), and its [`Debug`](fmt::Debug)
/// prints `CurveSecretKey(..)`: its text comes out only through an explicit
/// [`to_z85`](CurveSecretKey::to_z85). It is a type of its own so that a
/// secret key cannot be passed where a public one is expected.
///
/// ```
/// use zmq4::{CurveKeyPair, CurveSecretKey};
///
/// # if !zmq4::has("curve") { return Ok(()); }
/// let pair = CurveKeyPair::generate()?;
/// let secret: CurveSecretKey = pair.secret().to_z85().parse()?;
/// assert_eq!(secret.public_key()?, *pair.public());
/// assert_eq!(format!("{secret:?}"), "CurveSecretKey(..)");
/// # Ok::<(), zmq4::Error>(())
/// ```
#[derive(Clone)]
pub struct CurveSecretKey([u8; CurveKey::LEN]);

impl PartialEq for CurveSecretKey {
    /// Compares in a time that does not depend on where the keys differ.
    fn eq(&self, other: &CurveSecretKey) -> bool {
        let diff = self
            .0
            .iter()
            .zip(&other.0)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        std::hint::black_box(diff) == 0
    }
}

impl Eq for CurveSecretKey {}

impl CurveSecretKey {
    /// A secret key from its 32 bytes.
    pub const fn new(bytes: [u8; CurveKey::LEN]) -> CurveSecretKey {
        CurveSecretKey(bytes)
    }

    /// A secret key from a slice, which must be exactly 32 bytes long.
    pub fn from_bytes(bytes: &[u8]) -> Result<CurveSecretKey> {
        let raw: [u8; CurveKey::LEN] = bytes.try_into().map_err(|_| {
            Error::invalid(
                ErrorKind::InvalidArgument,
                format!(
                    "a CURVE secret key is {} bytes, not {}",
                    CurveKey::LEN,
                    bytes.len()
                ),
            )
        })?;
        Ok(CurveSecretKey(raw))
    }

    /// A secret key from its Z85 text: exactly 40 characters of the Z85
    /// alphabet. Errors never quote the text.
    #[doc(alias = "zmq_z85_decode")]
    pub fn from_z85(text: &str) -> Result<CurveSecretKey> {
        decode_key(text, "CURVE secret key").map(CurveSecretKey)
    }

    /// The 32 bytes.
    pub const fn as_bytes(&self) -> &[u8; CurveKey::LEN] {
        &self.0
    }

    /// The key's Z85 text (40 characters), for writing it where it is
    /// kept (a certificate's secret file, for example). The `String` is
    /// not zeroed when dropped: it is the caller's to wipe.
    #[doc(alias = "zmq_z85_encode")]
    pub fn to_z85(&self) -> String {
        let mut out = String::with_capacity(CurveKey::Z85_LEN);
        z85::encode_into(&self.0, &mut out);
        out
    }

    /// The public key that belongs to this secret key.
    ///
    /// Needs a libzmq with CURVE ([`has("curve")`](crate::has)); without
    /// it, an error of kind [`ErrorKind::NotSupported`].
    #[doc(alias = "zmq_curve_public")]
    pub fn public_key(&self) -> Result<CurveKey> {
        let secret = self.to_z85_c();
        let mut public = [0u8; CurveKey::Z85_LEN + 1];
        let secret = std::ffi::CStr::from_bytes_with_nul(&secret.0)
            .map_err(|_| Error::invalid(ErrorKind::Other, "a Z85 key text contains a NUL"))?;
        raw::curve_public(&mut public, secret).map_err(|errno| {
            Error::from(errno).with_detail("zmq_curve_public: this libzmq has no CURVE")
        })?;
        let text = std::str::from_utf8(&public[..CurveKey::Z85_LEN]).map_err(|_| {
            Error::invalid(ErrorKind::Other, "zmq_curve_public wrote non-ASCII text")
        })?;
        CurveKey::from_z85(text)
    }

    /// The Z85 text with a NUL, in a buffer that is zeroed when dropped.
    fn to_z85_c(&self) -> Zeroed<{ CurveKey::Z85_LEN + 1 }> {
        let mut out = Zeroed([0u8; CurveKey::Z85_LEN + 1]);
        z85::encode_to_slice(&self.0, &mut out.0);
        out
    }
}

pub(crate) use raw::zero;

impl Drop for CurveSecretKey {
    fn drop(&mut self) {
        zero(&mut self.0);
    }
}

/// A buffer zeroed when dropped, for copies of secret material.
struct Zeroed<const N: usize>([u8; N]);

impl<const N: usize> Drop for Zeroed<N> {
    fn drop(&mut self) {
        zero(&mut self.0);
    }
}

impl From<[u8; CurveKey::LEN]> for CurveSecretKey {
    fn from(bytes: [u8; CurveKey::LEN]) -> CurveSecretKey {
        CurveSecretKey(bytes)
    }
}

impl FromStr for CurveSecretKey {
    type Err = Error;

    /// Reads the Z85 text of a secret key ([`CurveSecretKey::from_z85`]).
    fn from_str(text: &str) -> Result<CurveSecretKey> {
        CurveSecretKey::from_z85(text)
    }
}

impl fmt::Debug for CurveSecretKey {
    /// Writes `CurveSecretKey(..)`, never the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CurveSecretKey(..)")
    }
}

/// A CURVE key pair: a public key and the secret key it belongs to.
///
/// ```
/// use zmq4::CurveKeyPair;
///
/// # if !zmq4::has("curve") { return Ok(()); }
/// let pair = CurveKeyPair::generate()?;
/// // The halves are checked to belong together.
/// let again = CurveKeyPair::new(pair.public().clone(), pair.secret().clone())?;
/// assert_eq!(again.public(), pair.public());
/// let other = CurveKeyPair::generate()?;
/// assert!(CurveKeyPair::new(other.public().clone(), pair.secret().clone()).is_err());
/// # Ok::<(), zmq4::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurveKeyPair {
    public: CurveKey,
    secret: CurveSecretKey,
}

impl CurveKeyPair {
    /// A new random key pair.
    ///
    /// Needs a libzmq with CURVE ([`has("curve")`](crate::has)); without
    /// it, an error of kind [`ErrorKind::NotSupported`].
    #[doc(alias = "zmq_curve_keypair")]
    pub fn generate() -> Result<CurveKeyPair> {
        let mut public = [0u8; CurveKey::Z85_LEN + 1];
        let mut secret = Zeroed([0u8; CurveKey::Z85_LEN + 1]);
        raw::curve_keypair(&mut public, &mut secret.0).map_err(|errno| {
            Error::from(errno).with_detail("zmq_curve_keypair: this libzmq has no CURVE")
        })?;
        fn text(b: &[u8]) -> Result<&str> {
            std::str::from_utf8(&b[..CurveKey::Z85_LEN])
                .map_err(|_| Error::invalid(ErrorKind::Other, "zmq_curve_keypair wrote non-ASCII"))
        }
        let public = CurveKey::from_z85(text(&public)?)?;
        let mut raw = Zeroed([0u8; CurveKey::LEN]);
        z85::decode_into(text(&secret.0)?, &mut raw.0)?;
        Ok(CurveKeyPair {
            public,
            secret: CurveSecretKey(raw.0),
        })
    }

    /// The pair of a secret key: its public key is computed
    /// ([`CurveSecretKey::public_key`]).
    #[doc(alias = "zmq_curve_public")]
    pub fn from_secret(secret: CurveSecretKey) -> Result<CurveKeyPair> {
        let public = secret.public_key()?;
        Ok(CurveKeyPair { public, secret })
    }

    /// A pair from both halves, checked to belong together: a public key
    /// that is not the secret key's (for example the secret key's own
    /// bytes given as the public one) is an error of kind
    /// [`ErrorKind::InvalidArgument`]. The check needs CURVE in libzmq.
    pub fn new(public: CurveKey, secret: CurveSecretKey) -> Result<CurveKeyPair> {
        if public.as_bytes() == secret.as_bytes() {
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                "the public key of this pair is its secret key: a secret key was given as the public one",
            ));
        }
        let derived = secret.public_key()?;
        if derived != public {
            return Err(Error::invalid(
                ErrorKind::InvalidArgument,
                format!(
                    "the public key {public} does not belong to the secret key (its public key is {derived})"
                ),
            ));
        }
        Ok(CurveKeyPair { public, secret })
    }

    /// A pair whose halves are already known to belong together.
    pub(crate) fn from_checked(public: CurveKey, secret: CurveSecretKey) -> CurveKeyPair {
        CurveKeyPair { public, secret }
    }

    /// The public key.
    pub fn public(&self) -> &CurveKey {
        &self.public
    }

    /// The secret key.
    pub fn secret(&self) -> &CurveSecretKey {
        &self.secret
    }

    /// Whether `key` is this pair's secret key read as a public key: a
    /// mistake libzmq cannot see, since both are 32 bytes.
    pub(crate) fn is_own_secret(&self, key: &CurveKey) -> bool {
        key.as_bytes() == self.secret.as_bytes()
    }
}
