//! The check that a sanitizer run really watches libzmq's own code, not
//! only ours: run by `ci/asan.sh`, never by the normal suite (it writes
//! past a buffer on purpose).
//!
//! A binary of its own: `ci/asan.sh` runs it alone and expects it to die.

/// libzmq's `zmq_z85_decode` writes 8 bytes into a 4-byte heap buffer:
/// AddressSanitizer must stop the process with a report whose top frame
/// is in libzmq (compiled with `-fsanitize=address`), not in Rust.
#[test]
#[ignore = "undefined behaviour on purpose: only ci/asan.sh runs it, and expects the report"]
fn asan_catches_a_heap_overflow_inside_libzmq() {
    let buf = vec![0u8; 4].into_boxed_slice();
    let dest = Box::into_raw(buf).cast::<u8>();
    // SAFETY: not safe: the canary breaks zmq_z85_decode's contract (8
    // bytes of room for 10 characters) so that the sanitizer reports it.
    unsafe { zmq4::sys::ffi::zmq_z85_decode(dest, c"HelloWorld".as_ptr()) };
    // SAFETY: `dest` came from Box::into_raw of a 4-byte boxed slice.
    drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(dest, 4)) });
    panic!("the overflow went unnoticed: libzmq is not instrumented");
}
