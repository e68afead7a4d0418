//! What the fuzz targets share: the frame format of their inputs, the
//! checks that keep a target from touching anything outside its sandbox,
//! and a context for the whole run.

use std::sync::OnceLock;

use zmq4::Context;

/// Splits an input into frames: each is a 2-byte little-endian length,
/// then that many bytes (fewer when the input ends first). Every input is
/// valid, so the fuzzer never wastes a run on a framing error.
pub fn frames(mut data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while data.len() >= 2 {
        let len = usize::from(u16::from_le_bytes([data[0], data[1]]));
        let rest = &data[2..];
        let len = len.min(rest.len());
        out.push(&rest[..len]);
        data = &rest[len..];
    }
    out
}

/// The input that [`frames`] splits into `parts` (for making seeds).
pub fn encode_frames<F: AsRef<[u8]>>(parts: &[F]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        let part = part.as_ref();
        let len = u16::try_from(part.len()).expect("a frame of at most 65535 bytes");
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(part);
    }
    out
}

/// Stops the run unless the process has a network of its own with the
/// loopback interface alone (`unshare --net`, as ci/fuzz.sh runs the
/// targets that open connections): an arbitrary endpoint, SOCKS proxy or
/// interface name must never reach a real network, nor make a DNS query.
pub fn require_isolated_network() {
    static CHECKED: OnceLock<()> = OnceLock::new();
    CHECKED.get_or_init(|| {
        let dev = std::fs::read_to_string("/proc/self/net/dev").expect("read /proc/self/net/dev");
        let others: Vec<&str> = dev
            .lines()
            .skip(2)
            .filter_map(|l| l.split(':').next())
            .map(str::trim)
            .filter(|name| *name != "lo")
            .collect();
        assert!(
            others.is_empty(),
            "this target connects to arbitrary endpoints: run it in a network namespace \
             with loopback only (ci/fuzz.sh does: unshare --net); interfaces here: {others:?}"
        );
    });
}

/// Whether a target may hand `endpoints` (one endpoint or a list) to
/// libzmq: every `ipc://` in it must name the abstract namespace (`@`).
/// libzmq unlinks the file an `ipc://` bind names before it binds, so an
/// arbitrary path would delete arbitrary files.
pub fn harmless_endpoints(endpoints: &str) -> bool {
    let lower = endpoints.to_ascii_lowercase();
    lower
        .match_indices("ipc://")
        .all(|(i, m)| lower[i + m.len()..].starts_with('@'))
}

/// A context for the whole run (never terminated: sockets of a case that
/// are still closing when the next case starts are no concern).
///
/// libFuzzer's timer (SIGALRM, for `-timeout`) interrupts blocking calls,
/// which zmq4 reports as `ErrorKind::Interrupted` unless the context
/// retries: every context of a target retries.
pub fn context() -> &'static Context {
    static CTX: OnceLock<Context> = OnceLock::new();
    CTX.get_or_init(case_context)
}

/// A context for one case, to be dropped (terminated) at its end, so that
/// what a case leaves behind (sockets still closing, pending connections)
/// cannot reach the next one: a crash then reproduces from its own input.
pub fn case_context() -> Context {
    Context::builder()
        .retry_on_interrupt(true)
        .build()
        .expect("a context")
}

/// A number unique in this process, for endpoint names.
pub fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip() {
        let parts: [&[u8]; 3] = [b"a", b"", b"xyz"];
        assert_eq!(frames(&encode_frames(&parts)), parts);
        assert_eq!(frames(&[5, 0, b'a']), [b"a"]);
        assert!(frames(&[1]).is_empty());
    }

    #[test]
    fn ipc_paths_are_refused() {
        assert!(harmless_endpoints("ipc://@name"));
        assert!(harmless_endpoints("tcp://127.0.0.1:*,@ipc://@x"));
        assert!(!harmless_endpoints("ipc:///etc/passwd"));
        assert!(!harmless_endpoints("IPC://relative"));
        assert!(!harmless_endpoints("ipc://@ok,>ipc://bad"));
    }
}
