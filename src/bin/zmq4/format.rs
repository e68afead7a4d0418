//! How messages are printed (text, raw, hex, base64, JSON lines, with or
//! without their properties) and how typed input becomes frames.

use std::io::{self, Write};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use clap::{Args, ValueEnum};
use serde_json::{json, Map, Value};
use zmq4::Message;

use crate::fail::{self, Fail};

/// How a message is printed.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// UTF-8 as it is; other bytes and control characters as \xNN, \n,
    /// \r, \t, and \\ for a backslash (so a message is one line)
    Text,
    /// The bytes as they are
    Raw,
    /// Lowercase hexadecimal
    Hex,
    /// Standard base64
    Base64,
    /// One JSON object per message: {"frames":[...]}; a frame that is not
    /// UTF-8 is {"base64":"..."}; with --meta, "meta":{...}
    Json,
}

/// How typed input (arguments, lines, files) becomes frame bytes.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// The bytes as they are
    Text,
    /// Text with the escapes the text output writes (\xNN \n \r \t \0 \\)
    Escaped,
    /// Hexadecimal
    Hex,
    /// Standard base64
    Base64,
}

/// The output options of the commands that print messages.
#[derive(Args, Debug, Clone)]
pub struct OutputArgs {
    /// How to print each message, one per line
    #[arg(short = 'F', long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Also print each message's properties: Peer-Address, User-Id,
    /// Routing-Id, Socket-Type (those it has)
    #[arg(long)]
    pub meta: bool,
}

/// The properties `--meta` shows, in this order.
const PROPERTIES: [&str; 4] = ["Peer-Address", "User-Id", "Routing-Id", "Socket-Type"];

/// Writes messages to standard output in one format.
pub struct Printer {
    format: Format,
    separator: Vec<u8>,
    meta: bool,
    line: Vec<u8>,
}

impl Printer {
    /// Frames are joined by `separator` (a tab when `None`); JSON ignores
    /// it.
    pub fn new(output: &OutputArgs, separator: Option<&str>) -> Printer {
        Printer {
            format: output.format,
            separator: separator.unwrap_or("\t").as_bytes().to_vec(),
            meta: output.meta,
            line: Vec::new(),
        }
    }

    /// Prints one message and flushes, so that output is live. A closed
    /// standard output (`| head`) is [`Fail::OutputClosed`].
    pub fn print(&mut self, frames: &[Message]) -> fail::Result {
        self.line.clear();
        let meta = if self.meta {
            properties(frames)
        } else {
            Vec::new()
        };
        if self.format == Format::Json {
            let mut object = Map::new();
            let frames: Vec<Value> = frames.iter().map(|f| json_bytes(f)).collect();
            object.insert("frames".into(), Value::Array(frames));
            if self.meta {
                let meta: Map<String, Value> = meta
                    .iter()
                    .map(|(name, value)| (name.to_string(), json_bytes(value)))
                    .collect();
                object.insert("meta".into(), Value::Object(meta));
            }
            self.line = Value::Object(object).to_string().into_bytes();
        } else {
            for (name, value) in &meta {
                self.line.extend_from_slice(name.as_bytes());
                self.line.push(b'=');
                escape_into(value, &mut self.line);
                self.line.extend_from_slice(&self.separator);
            }
            for (i, frame) in frames.iter().enumerate() {
                if i > 0 {
                    self.line.extend_from_slice(&self.separator);
                }
                self.encode(frame);
            }
        }
        self.line.push(b'\n');
        write_out(&self.line)
    }

    fn encode(&mut self, frame: &[u8]) {
        match self.format {
            Format::Text => escape_into(frame, &mut self.line),
            Format::Raw => self.line.extend_from_slice(frame),
            Format::Hex => self.line.extend_from_slice(hex(frame).as_bytes()),
            Format::Base64 => self.line.extend_from_slice(BASE64.encode(frame).as_bytes()),
            Format::Json => unreachable!("JSON is encoded whole"),
        }
    }
}

/// Writes `bytes` to standard output and flushes it.
pub fn write_out(bytes: &[u8]) -> fail::Result {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(Fail::OutputClosed),
        Err(e) => Err(fail::io(&e, "write to standard output")),
    }
}

/// The properties of a message that it has, as (name, value).
fn properties(frames: &[Message]) -> Vec<(&'static str, Vec<u8>)> {
    // Every frame read from a connection carries them; a ROUTER's routing
    // id frame is made by the socket, so ask the last frame.
    let Some(last) = frames.last() else {
        return Vec::new();
    };
    PROPERTIES
        .iter()
        .filter_map(|&name| {
            let value = if name == "Routing-Id" {
                last.routing_id_property()
            } else {
                last.property(name)
            };
            value.map(|v| (name, v.to_vec()))
        })
        .filter(|(name, value)| *name != "Routing-Id" || !value.is_empty())
        .collect()
}

/// A JSON string for UTF-8 bytes, else `{"base64": "..."}`.
fn json_bytes(bytes: &[u8]) -> Value {
    match std::str::from_utf8(bytes) {
        Ok(text) => Value::String(text.to_owned()),
        Err(_) => json!({ "base64": BASE64.encode(bytes) }),
    }
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Appends `bytes` as one line of text: UTF-8 kept, control characters,
/// backslashes and bytes that are not UTF-8 escaped.
pub fn escape_into(bytes: &[u8], out: &mut Vec<u8>) {
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.extend_from_slice(b"\\\\"),
                '\n' => out.extend_from_slice(b"\\n"),
                '\r' => out.extend_from_slice(b"\\r"),
                '\t' => out.extend_from_slice(b"\\t"),
                c if c.is_control() && (c as u32) < 0x100 => {
                    out.extend_from_slice(format!("\\x{:02x}", c as u32).as_bytes());
                }
                c => {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        for b in chunk.invalid() {
            out.extend_from_slice(format!("\\x{b:02x}").as_bytes());
        }
    }
}

/// `bytes` as one line of text (see [`escape_into`]).
#[cfg(test)]
pub fn escape(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    escape_into(bytes, &mut out);
    // Only valid UTF-8 and ASCII escapes were written.
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads back what [`escape`] writes.
pub fn unescape(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let bad =
            || format!("bad escape at byte {i} of {text:?}: use \\xNN, \\n, \\r, \\t, \\0 or \\\\");
        match bytes.get(i + 1) {
            Some(b'\\') => out.push(b'\\'),
            Some(b'n') => out.push(b'\n'),
            Some(b'r') => out.push(b'\r'),
            Some(b't') => out.push(b'\t'),
            Some(b'0') => out.push(0),
            Some(b'x') => {
                let digits = text.get(i + 2..i + 4).ok_or_else(bad)?;
                out.push(u8::from_str_radix(digits, 16).map_err(|_| bad())?);
                i += 2;
            }
            _ => return Err(bad()),
        }
        i += 2;
    }
    Ok(out)
}

/// The bytes of one typed frame.
pub fn decode(input: Input, text: &[u8]) -> Result<Vec<u8>, String> {
    let as_text = || {
        std::str::from_utf8(text)
            .map(str::trim)
            .map_err(|_| "the input is not text".to_string())
    };
    match input {
        Input::Text => Ok(text.to_vec()),
        Input::Escaped => {
            let text =
                std::str::from_utf8(text).map_err(|_| "the input is not UTF-8".to_string())?;
            unescape(text)
        }
        Input::Hex => {
            let text = as_text()?;
            if text.len() % 2 != 0 {
                return Err(format!(
                    "{text:?} is not hexadecimal (an odd number of digits)"
                ));
            }
            (0..text.len())
                .step_by(2)
                .map(|i| {
                    u8::from_str_radix(&text[i..i + 2], 16)
                        .map_err(|_| format!("{text:?} is not hexadecimal"))
                })
                .collect()
        }
        Input::Base64 => {
            let text = as_text()?;
            BASE64
                .decode(text)
                .map_err(|e| format!("{text:?} is not base64: {e}"))
        }
    }
}

/// Splits `text` into frames at `separator` (one frame without it).
pub fn split<'a>(text: &'a [u8], separator: Option<&str>) -> Vec<&'a [u8]> {
    let Some(sep) = separator.map(str::as_bytes).filter(|s| !s.is_empty()) else {
        return vec![text];
    };
    let mut frames = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.windows(sep.len()).position(|w| w == sep) {
        frames.push(&rest[..at]);
        rest = &rest[at + sep.len()..];
    }
    frames.push(rest);
    frames
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        let bytes = b"a\\b\n\t\x00\x7f\xff caf\xc3\xa9";
        let text = escape(bytes);
        assert_eq!(text, "a\\\\b\\n\\t\\x00\\x7f\\xff café");
        assert_eq!(unescape(&text).unwrap(), bytes);
        assert!(unescape("\\q").is_err());
        assert!(unescape("\\x4").is_err());
    }

    #[test]
    fn inputs() {
        assert_eq!(decode(Input::Hex, b"00ff10").unwrap(), [0, 255, 16]);
        assert!(decode(Input::Hex, b"0").is_err());
        assert_eq!(decode(Input::Base64, b"aGk=").unwrap(), b"hi");
        assert_eq!(decode(Input::Escaped, b"\\x01a").unwrap(), b"\x01a");
    }

    #[test]
    fn splits() {
        assert_eq!(split(b"a||b|", Some("|")), [&b"a"[..], b"", b"b", b""]);
        assert_eq!(split(b"a::b", Some("::")), [&b"a"[..], b"b"]);
        assert_eq!(split(b"a|b", None), [&b"a|b"[..]]);
    }
}
