//! Where the messages to send come from: arguments, files or standard
//! input lines, split into frames and decoded.

use std::io::BufRead;
use std::path::PathBuf;

use clap::Args;

use crate::fail::{self, usage, Fail, Result};
use crate::format::{decode, split, Input};

/// The input options of `send` and `req`.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// The messages, one per argument; none: one per line of standard
    /// input
    #[arg(value_name = "MESSAGE")]
    pub messages: Vec<String>,

    /// Every MESSAGE argument is a frame of one multipart message
    #[arg(long)]
    pub frames: bool,

    /// Split each message (argument, line or file) into frames at SEP
    /// (req: the replies' frames are printed joined by it, else by a tab)
    #[arg(short = 's', long, value_name = "SEP")]
    pub separator: Option<String>,

    /// Send the content of FILE as one message (repeatable; `-` is
    /// standard input)
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// How typed frames are written
    #[arg(short = 'I', long, value_enum, default_value_t = Input::Text)]
    pub input: Input,
}

/// Yields each message as its frames.
pub struct Source {
    kind: Kind,
    input: Input,
    separator: Option<String>,
    /// Messages still allowed (`--count`).
    left: Option<u64>,
}

enum Kind {
    /// Given messages (their frames, still to decode), repeated until
    /// `left` is 0.
    Given {
        messages: Vec<Vec<Vec<u8>>>,
        next: usize,
    },
    Lines(Box<dyn BufRead>),
}

impl InputArgs {
    /// The source of the messages, at most `count` of them; given messages
    /// are sent once each, or repeated up to `count`.
    pub fn source(&self, count: Option<u64>) -> Result<Source> {
        if !self.files.is_empty() && !self.messages.is_empty() {
            return usage("give messages as arguments or with --file, not both");
        }
        if self.frames && self.messages.is_empty() {
            return usage("--frames takes the frames as MESSAGE arguments");
        }
        if self.frames && self.separator.is_some() {
            return usage("choose one of --frames and --separator");
        }
        let sep = self.separator.as_deref();
        let owned = |parts: Vec<&[u8]>| parts.into_iter().map(<[u8]>::to_vec).collect();
        let kind = if !self.files.is_empty() {
            let mut messages = Vec::new();
            for path in &self.files {
                let content = if path.as_os_str() == "-" {
                    let mut buf = Vec::new();
                    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)
                        .map_err(|e| fail::io(&e, "read standard input"))?;
                    buf
                } else {
                    std::fs::read(path).map_err(|e| fail::io(&e, &path.display().to_string()))?
                };
                messages.push(owned(split(&content, sep)));
            }
            Kind::Given { messages, next: 0 }
        } else if self.frames {
            let frames = self.messages.iter().map(|m| m.as_bytes().to_vec());
            Kind::Given {
                messages: vec![frames.collect()],
                next: 0,
            }
        } else if !self.messages.is_empty() {
            let messages = self
                .messages
                .iter()
                .map(|m| owned(split(m.as_bytes(), sep)))
                .collect();
            Kind::Given { messages, next: 0 }
        } else {
            Kind::Lines(Box::new(std::io::stdin().lock()))
        };
        let left = match (&kind, count) {
            (Kind::Given { messages, .. }, None) => Some(messages.len() as u64),
            (_, count) => count,
        };
        Ok(Source {
            kind,
            input: self.input,
            separator: self.separator.clone(),
            left,
        })
    }
}

impl Source {
    /// The next message's frames; `None` at the end.
    pub fn next_message(&mut self) -> Result<Option<Vec<Vec<u8>>>> {
        if self.left == Some(0) {
            return Ok(None);
        }
        let frames: Vec<Vec<u8>> = match &mut self.kind {
            Kind::Given { messages, next } => {
                if messages.is_empty() {
                    return Ok(None);
                }
                let frames = messages[*next % messages.len()].clone();
                *next += 1;
                frames
            }
            Kind::Lines(reader) => {
                let mut line = Vec::new();
                let n = reader
                    .read_until(b'\n', &mut line)
                    .map_err(|e| fail::io(&e, "read standard input"))?;
                if n == 0 {
                    return Ok(None);
                }
                if line.last() == Some(&b'\n') {
                    line.pop();
                    if line.last() == Some(&b'\r') {
                        line.pop();
                    }
                }
                split(&line, self.separator.as_deref())
                    .into_iter()
                    .map(<[u8]>::to_vec)
                    .collect()
            }
        };
        if let Some(left) = &mut self.left {
            *left -= 1;
        }
        frames
            .iter()
            .map(|frame| decode(self.input, frame).map_err(Fail::Usage))
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }
}
