//! The control channel between a [`ProxyControl`](super::ProxyControl)
//! and its proxy: both ends are this crate's, over a private `inproc://`
//! PAIR pair.
//!
//! A command is one frame: its letter and a sequence number. Every
//! command is answered by one frame: the sequence number and the
//! statistics after the command took effect. The number lets the handle
//! tell its answer from one to an earlier command it stopped waiting for.

use super::stats::{ProxyStatistics, VALUES};

/// What the handle asks of the proxy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Command {
    /// Stop forwarding until [`Command::Resume`].
    Pause,
    /// Forward again.
    Resume,
    /// Stop for good; the answer carries the final statistics.
    Terminate,
    /// Only answer, with the statistics.
    Statistics,
}

const COMMAND_LEN: usize = 1 + 8;
const REPLY_LEN: usize = 8 + VALUES * 8;

impl Command {
    fn letter(self) -> u8 {
        match self {
            Command::Pause => b'P',
            Command::Resume => b'R',
            Command::Terminate => b'T',
            Command::Statistics => b'S',
        }
    }

    fn from_letter(letter: u8) -> Option<Command> {
        Some(match letter {
            b'P' => Command::Pause,
            b'R' => Command::Resume,
            b'T' => Command::Terminate,
            b'S' => Command::Statistics,
            _ => return None,
        })
    }
}

/// The frame that carries `command` numbered `seq`.
pub(super) fn encode_command(command: Command, seq: u64) -> [u8; COMMAND_LEN] {
    let mut frame = [0; COMMAND_LEN];
    frame[0] = command.letter();
    frame[1..].copy_from_slice(&seq.to_ne_bytes());
    frame
}

/// The command in a frame, if it is one.
pub(super) fn decode_command(frame: &[u8]) -> Option<(Command, u64)> {
    let (&letter, seq) = frame.split_first()?;
    let seq = u64::from_ne_bytes(seq.try_into().ok()?);
    Some((Command::from_letter(letter)?, seq))
}

/// The answer to command `seq`.
pub(super) fn encode_reply(seq: u64, stats: &ProxyStatistics) -> [u8; REPLY_LEN] {
    let mut frame = [0; REPLY_LEN];
    frame[..8].copy_from_slice(&seq.to_ne_bytes());
    for (chunk, value) in frame[8..].chunks_exact_mut(8).zip(stats.to_values()) {
        chunk.copy_from_slice(&value.to_ne_bytes());
    }
    frame
}

/// The sequence number and statistics in an answer, if it is one.
pub(super) fn decode_reply(frame: &[u8]) -> Option<(u64, ProxyStatistics)> {
    if frame.len() != REPLY_LEN {
        return None;
    }
    let mut words = frame
        .chunks_exact(8)
        .map(|c| u64::from_ne_bytes(c.try_into().expect("8-byte chunk")));
    let seq = words.next()?;
    let mut values = [0; VALUES];
    for (value, word) in values.iter_mut().zip(words) {
        *value = word;
    }
    Some((seq, ProxyStatistics::from_values(&values)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_round_trip() {
        for command in [
            Command::Pause,
            Command::Resume,
            Command::Terminate,
            Command::Statistics,
        ] {
            let frame = encode_command(command, 7 << 40);
            assert_eq!(decode_command(&frame), Some((command, 7 << 40)));
        }
        assert_eq!(decode_command(b""), None);
        assert_eq!(decode_command(b"PAUSE"), None);
        assert_eq!(decode_command(&[b'X'; COMMAND_LEN]), None);
    }

    #[test]
    fn replies_round_trip() {
        let mut stats = ProxyStatistics::default();
        stats.backend.frames_sent = 3;
        stats.capture_dropped = u64::MAX;
        let frame = encode_reply(42, &stats);
        assert_eq!(decode_reply(&frame), Some((42, stats)));
        assert_eq!(decode_reply(&frame[1..]), None);
    }
}
