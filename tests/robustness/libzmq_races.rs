//! Races inside libzmq found by fuzzing (fuzz/fuzz_targets/socket_options.rs):
//! the raw reproduction, which calls libzmq directly and is only meaningful
//! under AddressSanitizer, and the same sequence through the safe API, which
//! zmq4 refuses before libzmq sees it.
//!
//! The reproductions are use-after-frees in libzmq's I/O thread: without a
//! sanitizer they usually pass unnoticed, so they are ignored in the normal
//! suite. Run them under AddressSanitizer with ci/asan.sh's settings:
//!
//! ```text
//! RUSTFLAGS=-Zsanitizer=address ZMQ4_VENDORED=1 cargo +nightly test \
//!     -Zbuild-std --target x86_64-unknown-linux-gnu --test robustness -- --ignored libzmq_races::
//! ```
//!
//! Each fails with a heap-use-after-free report while libzmq has the bug.

use std::os::raw::c_int;
use std::time::Duration;

use zmq4::sys::ffi;
use zmq4::{Context, ErrorKind, Socket, SocketType};

/// A PULL and an XSUB connected to it over TCP: the handshake fails (the
/// types do not match), so libzmq ends the connection, and reconnects.
fn ending_connection(ctx: &Context) -> (Socket<'_>, Socket<'_>) {
    let pull = ctx.socket(SocketType::Pull).unwrap();
    let xsub = ctx.socket(SocketType::XSub).unwrap();
    pull.set_linger(Some(Duration::ZERO)).unwrap();
    xsub.set_linger(Some(Duration::ZERO)).unwrap();
    for endpoint in ["tcp://127.0.0.1:*", "tcp://[::1]:*"] {
        if pull.bind(endpoint).is_ok() {
            xsub.connect(&pull.last_endpoint().unwrap()).unwrap();
        }
    }
    std::thread::sleep(Duration::from_millis(5));
    let _ = xsub.events();
    (pull, xsub)
}

/// `ZMQ_SNDHWM` set with `zmq_setsockopt` on a socket whose connection is
/// ending: libzmq 4.3.5's `update_pipe_options` sends `pipe_hwm` to the
/// peer of each of the socket's pipes, and a peer pipe that the
/// connection's end already freed is then used by the I/O thread
/// (`object_t::process_command`, or `get_tid` in `send_command`).
#[test]
#[ignore = "a use-after-free in libzmq: only meaningful under AddressSanitizer"]
fn raw_sndhwm_while_a_connection_ends() {
    for _ in 0..300 {
        let ctx = Context::new().unwrap();
        let (_pull, xsub) = ending_connection(&ctx);
        let hwm: c_int = 2381;
        // SAFETY: the handle is live (owned by `xsub`, used on this thread
        // only) and the value a readable c_int. The call is sound as far
        // as its arguments go; the use-after-free it triggers in libzmq is
        // what this reproduction shows.
        #[allow(unsafe_code)]
        let rc = unsafe {
            ffi::zmq_setsockopt(
                xsub.as_raw(),
                ffi::ZMQ_SNDHWM,
                (&hwm as *const c_int).cast(),
                std::mem::size_of::<c_int>(),
            )
        };
        assert_eq!(rc, 0);
    }
}

/// The same sequence through the safe API: `set_sndhwm` is refused once
/// the socket has connected, and libzmq is not called, so the suite under
/// AddressSanitizer (ci/asan.sh) runs it clean.
#[test]
fn sndhwm_while_a_connection_ends_is_refused() {
    for _ in 0..50 {
        let ctx = Context::new().unwrap();
        let (_pull, xsub) = ending_connection(&ctx);
        let err = xsub.set_sndhwm(Some(2381)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidState, "{err:?}");
        assert_eq!(xsub.sndhwm().unwrap(), Some(1000));
    }
}
