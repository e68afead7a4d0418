//! Z85, the text encoding of binary data that ZeroMQ uses for CURVE keys
//! (ZeroMQ RFC 32).
//!
//! Every 4 bytes become 5 printable characters, so the data must be a
//! multiple of 4 bytes long and the text a multiple of 5 characters;
//! libzmq's `zmq_z85_encode`/`zmq_z85_decode` have the same rules, except
//! that `zmq_z85_decode` refuses the empty text, which here decodes to no
//! bytes (the text that `encode` gives for no bytes, in both). Here a
//! length that breaks them, a character outside the alphabet, or a group of
//! 5 characters worth more than 4 bytes is an error of kind
//! [`ErrorKind::InvalidArgument`] that says which.
//!
//! ```
//! let text = zmq4::z85::encode(&[0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])?;
//! assert_eq!(text, "HelloWorld");
//! assert_eq!(zmq4::z85::decode("HelloWorld")?, [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]);
//! assert!(zmq4::z85::encode(b"abc").is_err());
//! assert!(zmq4::z85::decode("Hello~").is_err());
//! assert_eq!(zmq4::z85::encode(&[])?, "");
//! assert!(zmq4::z85::decode("")?.is_empty());
//! # Ok::<(), zmq4::Error>(())
//! ```

use crate::error::{Error, ErrorKind, Result};

/// The 85 characters of Z85, in digit order (ZeroMQ RFC 32).
pub(crate) const ALPHABET: &[u8; 85] =
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/// The length of the Z85 text of `bytes` bytes: 5 characters per 4 bytes.
pub fn encoded_len(bytes: usize) -> usize {
    bytes / 4 * 5
}

/// Encodes `data`, whose length must be a multiple of 4.
#[doc(alias = "zmq_z85_encode")]
pub fn encode(data: &[u8]) -> Result<String> {
    if !data.len().is_multiple_of(4) {
        return Err(Error::invalid(
            ErrorKind::InvalidArgument,
            format!(
                "Z85 encodes data in groups of 4 bytes; {} bytes is not a multiple of 4",
                data.len()
            ),
        ));
    }
    let mut out = String::with_capacity(encoded_len(data.len()));
    encode_into(data, &mut out);
    Ok(out)
}

/// Appends the Z85 text of `data` (a multiple of 4 bytes) to `out`.
pub(crate) fn encode_into(data: &[u8], out: &mut String) {
    debug_assert!(data.len().is_multiple_of(4));
    for group in data.chunks_exact(4) {
        let mut digits = [0u8; 5];
        encode_group(group, &mut digits);
        out.extend(digits.iter().map(|&d| d as char));
    }
}

/// Writes the Z85 text of `data` (a multiple of 4 bytes) into the start
/// of `out`, for callers that keep the text in a buffer of their own (one
/// zeroed when dropped, say).
pub(crate) fn encode_to_slice(data: &[u8], out: &mut [u8]) {
    debug_assert!(data.len().is_multiple_of(4) && out.len() >= encoded_len(data.len()));
    for (group, digits) in data.chunks_exact(4).zip(out.chunks_exact_mut(5)) {
        encode_group(group, digits);
    }
}

/// The 5 Z85 characters of a group of 4 bytes.
fn encode_group(group: &[u8], digits: &mut [u8]) {
    let mut value = u32::from_be_bytes([group[0], group[1], group[2], group[3]]);
    for digit in digits.iter_mut().rev() {
        *digit = ALPHABET[(value % 85) as usize];
        value /= 85;
    }
}

/// Decodes Z85 `text`, whose length must be a multiple of 5.
#[doc(alias = "zmq_z85_decode")]
pub fn decode(text: &str) -> Result<Vec<u8>> {
    if !text.len().is_multiple_of(5) {
        return Err(Error::invalid(
            ErrorKind::InvalidArgument,
            format!(
                "Z85 text comes in groups of 5 characters; {} characters is not a multiple of 5",
                text.len()
            ),
        ));
    }
    let mut out = vec![0u8; text.len() / 5 * 4];
    decode_into(text, &mut out)?;
    Ok(out)
}

/// Decodes `text` (a multiple of 5 characters) into `out`, which holds
/// exactly 4 bytes per 5 characters.
pub(crate) fn decode_into(text: &str, out: &mut [u8]) -> Result<()> {
    debug_assert_eq!(text.len() / 5 * 4, out.len());
    let bad = |why: String| Error::invalid(ErrorKind::InvalidArgument, why);
    for (group, dest) in text.as_bytes().chunks(5).zip(out.chunks_mut(4)) {
        // Each group is a big-endian base-85 number that encodes 4 bytes; a
        // group such as "#####" stands for more than 2^32 - 1.
        let mut value = 0u64;
        for byte in group {
            let digit = ALPHABET.iter().position(|a| a == byte).ok_or_else(|| {
                bad(format!(
                    "not Z85 text: it has characters outside the Z85 alphabet (first: {:?})",
                    String::from_utf8_lossy(&[*byte])
                ))
            })?;
            value = value * 85 + digit as u64;
        }
        let value = u32::try_from(value).map_err(|_| {
            bad(format!(
                "not Z85 text: the group {:?} is out of range",
                String::from_utf8_lossy(group)
            ))
        })?;
        dest.copy_from_slice(&value.to_be_bytes());
    }
    Ok(())
}

#[cfg(test)]
mod tests;
