//! Smoke tests of the declarations in `zmq4::sys::ffi`: the C API called
//! directly, through a few test-only owning wrappers. They pass against
//! every libzmq 4.3 the build script can link. (The crate's own owning
//! handles are tested beside them, in `src/raw`.)

use std::ffi::{CStr, CString};
use std::os::raw::{c_int, c_void};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use zmq4::sys::ffi;

/// libzmq's errno for this thread.
fn errno() -> c_int {
    // SAFETY: no arguments; reads thread-local state.
    unsafe { ffi::zmq_errno() }
}

/// A context, terminated when dropped.
struct RawContext(*mut c_void);

impl RawContext {
    fn new() -> Option<RawContext> {
        // SAFETY: no preconditions.
        let ctx = unsafe { ffi::zmq_ctx_new() };
        (!ctx.is_null()).then(|| RawContext(ctx))
    }
    fn as_ptr(&self) -> *mut c_void {
        self.0
    }
    fn shutdown(&self) -> c_int {
        // SAFETY: live context.
        unsafe { ffi::zmq_ctx_shutdown(self.0) }
    }
}

impl Drop for RawContext {
    fn drop(&mut self) {
        // SAFETY: live context, terminated once.
        unsafe { ffi::zmq_ctx_term(self.0) };
    }
}

/// A socket, closed when dropped.
struct RawSocket(*mut c_void);

// SAFETY: a libzmq socket may move between threads when used by one at a
// time.
unsafe impl Send for RawSocket {}

impl RawSocket {
    fn new(ctx: &RawContext, kind: c_int) -> Option<RawSocket> {
        // SAFETY: live context.
        let s = unsafe { ffi::zmq_socket(ctx.as_ptr(), kind) };
        (!s.is_null()).then(|| RawSocket(s))
    }
    fn as_ptr(&self) -> *mut c_void {
        self.0
    }
    fn set_int(&self, option: c_int, value: c_int) -> c_int {
        // SAFETY: live socket; the value is a readable int.
        unsafe {
            ffi::zmq_setsockopt(
                self.0,
                option,
                (&value as *const c_int).cast(),
                std::mem::size_of::<c_int>(),
            )
        }
    }
    fn get_int(&self, option: c_int) -> c_int {
        let mut value: c_int = 0;
        let mut len = std::mem::size_of::<c_int>();
        // SAFETY: live socket; room for an int.
        let rc = unsafe {
            ffi::zmq_getsockopt(self.0, option, (&mut value as *mut c_int).cast(), &mut len)
        };
        assert_eq!(rc, 0, "zmq_getsockopt({option})");
        value
    }
}

impl Drop for RawSocket {
    fn drop(&mut self) {
        // SAFETY: live socket, closed once.
        unsafe { ffi::zmq_close(self.0) };
    }
}

/// An initialised message, closed when dropped.
struct RawMessage(ffi::zmq_msg_t);

impl RawMessage {
    fn new() -> RawMessage {
        let mut msg = std::mem::MaybeUninit::uninit();
        // SAFETY: zmq_msg_init initialises the struct.
        unsafe {
            ffi::zmq_msg_init(msg.as_mut_ptr());
            RawMessage(msg.assume_init())
        }
    }
    fn copy_from(data: &[u8]) -> RawMessage {
        let mut msg = std::mem::MaybeUninit::uninit();
        // SAFETY: zmq_msg_init_size initialises the struct with room for
        // the bytes, which are then written.
        unsafe {
            assert_eq!(ffi::zmq_msg_init_size(msg.as_mut_ptr(), data.len()), 0);
            let mut msg = RawMessage(msg.assume_init());
            ptr::copy_nonoverlapping(
                data.as_ptr(),
                ffi::zmq_msg_data(msg.as_mut_ptr()).cast(),
                data.len(),
            );
            msg
        }
    }
    /// # Safety
    /// As for `zmq_msg_init_data`.
    unsafe fn from_raw_parts(
        data: *mut c_void,
        size: usize,
        ffn: ffi::zmq_free_fn,
        hint: *mut c_void,
    ) -> RawMessage {
        let mut msg = std::mem::MaybeUninit::uninit();
        // SAFETY: the caller's contract; on success the struct is set.
        unsafe {
            assert_eq!(
                ffi::zmq_msg_init_data(msg.as_mut_ptr(), data, size, ffn, hint),
                0
            );
            RawMessage(msg.assume_init())
        }
    }
    fn as_mut_ptr(&mut self) -> *mut ffi::zmq_msg_t {
        &mut self.0
    }
    fn as_bytes(&mut self) -> &[u8] {
        // SAFETY: initialised message with written content.
        unsafe {
            let size = ffi::zmq_msg_size(&self.0);
            let data = ffi::zmq_msg_data(&mut self.0);
            std::slice::from_raw_parts(data.cast::<u8>(), size)
        }
    }
    fn more(&self) -> bool {
        // SAFETY: initialised message.
        unsafe { ffi::zmq_msg_more(&self.0) != 0 }
    }
}

impl Drop for RawMessage {
    fn drop(&mut self) {
        // SAFETY: initialised message, closed once.
        unsafe { ffi::zmq_msg_close(&mut self.0) };
    }
}

/// How long a receive may block before the test fails instead of hanging.
const TIMEOUT_MS: c_int = 5000;

/// An inproc endpoint no other test uses.
fn inproc(test: &str) -> CString {
    CString::new(format!("inproc://raw-smoke-{test}-{}", std::process::id())).unwrap()
}

/// A socket with linger 0 and send/receive timeouts.
fn socket(ctx: &RawContext, kind: c_int) -> RawSocket {
    let s = RawSocket::new(ctx, kind).expect("zmq_socket");
    assert_eq!(s.set_int(ffi::ZMQ_LINGER, 0), 0);
    assert_eq!(s.set_int(ffi::ZMQ_RCVTIMEO, TIMEOUT_MS), 0);
    assert_eq!(s.set_int(ffi::ZMQ_SNDTIMEO, TIMEOUT_MS), 0);
    s
}

/// A bound and a connected PAIR socket over inproc.
fn pair(ctx: &RawContext, test: &str) -> (RawSocket, RawSocket) {
    let endpoint = inproc(test);
    let a = socket(ctx, ffi::ZMQ_PAIR);
    let b = socket(ctx, ffi::ZMQ_PAIR);
    // SAFETY: live sockets, NUL-terminated endpoint.
    unsafe {
        assert_eq!(ffi::zmq_bind(a.as_ptr(), endpoint.as_ptr()), 0, "zmq_bind");
        assert_eq!(
            ffi::zmq_connect(b.as_ptr(), endpoint.as_ptr()),
            0,
            "zmq_connect"
        );
    }
    (a, b)
}

fn strerror(errnum: c_int) -> String {
    // SAFETY: zmq_strerror returns a static NUL-terminated string for any value.
    unsafe { CStr::from_ptr(ffi::zmq_strerror(errnum)) }
        .to_string_lossy()
        .into_owned()
}

#[test]
fn version_is_4_3_and_matches_the_safe_layer() {
    let (mut major, mut minor, mut patch) = (-1, -1, -1);
    // SAFETY: three valid int pointers.
    unsafe { ffi::zmq_version(&mut major, &mut minor, &mut patch) };
    assert_eq!(
        (major, minor),
        (4, 3),
        "linked libzmq {major}.{minor}.{patch}"
    );
    assert!(patch >= 0);
    assert_eq!(zmq4::version(), (major, minor, patch));
    if zmq4::LIBZMQ_SOURCE == "vendored" {
        assert_eq!(patch, 5, "the vendored libzmq is 4.3.5");
    }
}

#[test]
fn zmq_has_tells_known_from_unknown() {
    let has = |name: &CStr| {
        // SAFETY: NUL-terminated string.
        unsafe { ffi::zmq_has(name.as_ptr()) }
    };
    assert_eq!(has(c"no-such-capability"), 0);
    assert_eq!(has(c""), 0);
    if cfg!(unix) {
        assert_eq!(has(c"ipc"), 1, "every Unix build has ipc");
    }
    if zmq4::LIBZMQ_SOURCE == "vendored" {
        assert_eq!(has(c"curve"), i32::from(cfg!(feature = "curve")));
        assert_eq!(has(c"draft"), i32::from(cfg!(feature = "draft")));
    }
}

#[test]
fn curve_keypair_works_exactly_when_curve_is_compiled_in() {
    let mut public = [0u8; 41];
    let mut secret = [0u8; 41];
    // SAFETY: both buffers hold the 40 Z85 characters and the NUL that
    // zmq_curve_keypair writes.
    let rc =
        unsafe { ffi::zmq_curve_keypair(public.as_mut_ptr().cast(), secret.as_mut_ptr().cast()) };
    // SAFETY: NUL-terminated string.
    let curve = unsafe { ffi::zmq_has(c"curve".as_ptr()) } != 0;
    if !curve {
        assert_eq!(rc, -1);
        assert_eq!(errno(), ffi::errno::ENOTSUP);
        return;
    }
    // This runs libsodium: a static build that left it out would not link.
    assert_eq!(rc, 0, "zmq_curve_keypair: {}", strerror(errno()));
    assert_eq!(public[40], 0);
    assert_ne!(public, secret);
    // The public key is derived from the secret one.
    let mut derived = [0u8; 41];
    // SAFETY: a 41-byte output buffer and a NUL-terminated Z85 secret key.
    let rc = unsafe { ffi::zmq_curve_public(derived.as_mut_ptr().cast(), secret.as_ptr().cast()) };
    assert_eq!(rc, 0);
    assert_eq!(derived, public);
}

#[test]
fn context_options_round_trip_and_term() {
    // SAFETY: every call gets the live context made here; it is terminated
    // once, at the end, and never used after.
    unsafe {
        let ctx = ffi::zmq_ctx_new();
        assert!(!ctx.is_null(), "zmq_ctx_new");
        assert_eq!(ffi::zmq_ctx_get(ctx, ffi::ZMQ_IO_THREADS), 1);
        assert_eq!(ffi::zmq_ctx_set(ctx, ffi::ZMQ_MAX_SOCKETS, 17), 0);
        assert_eq!(ffi::zmq_ctx_get(ctx, ffi::ZMQ_MAX_SOCKETS), 17);
        assert_eq!(ffi::zmq_ctx_set(ctx, 987_654, 1), -1);
        assert_eq!(ffi::zmq_errno(), ffi::errno::EINVAL);
        assert_eq!(ffi::zmq_ctx_term(ctx), 0);
    }
}

#[test]
fn pair_over_inproc_exchanges_messages_both_ways() {
    let ctx = RawContext::new().unwrap();
    let (a, b) = pair(&ctx, "pair");

    // a -> b with the zmq_msg_* API: a two-part message, the first part
    // filled in place, the second over constant data (no free function).
    static SECOND: &[u8] = b"second part";
    let mut first = RawMessage::copy_from(b"hello");
    // SAFETY: the message is initialised; after a successful send libzmq
    // owns its content and leaves it empty, which Drop closes.
    let sent = unsafe { ffi::zmq_msg_send(first.as_mut_ptr(), a.as_ptr(), ffi::ZMQ_SNDMORE) };
    assert_eq!(sent, 5);
    // SAFETY: SECOND is 'static, so it outlives the message; a null free
    // function is allowed for data that is never released.
    let mut second = unsafe {
        RawMessage::from_raw_parts(
            SECOND.as_ptr().cast_mut().cast(),
            SECOND.len(),
            None,
            ptr::null_mut(),
        )
    };
    // SAFETY: as above.
    let sent = unsafe { ffi::zmq_msg_send(second.as_mut_ptr(), a.as_ptr(), 0) };
    assert_eq!(sent, SECOND.len() as c_int);

    let mut got = RawMessage::new();
    // SAFETY: live socket, initialised message.
    let n = unsafe { ffi::zmq_msg_recv(got.as_mut_ptr(), b.as_ptr(), 0) };
    assert_eq!(n, 5, "zmq_msg_recv: {}", strerror(errno()));
    assert_eq!(got.as_bytes(), b"hello");
    assert!(got.more());
    assert_eq!(b.get_int(ffi::ZMQ_RCVMORE), 1);
    // Receiving into a message that holds content replaces that content.
    // SAFETY: as above.
    let n = unsafe { ffi::zmq_msg_recv(got.as_mut_ptr(), b.as_ptr(), 0) };
    assert_eq!(n, SECOND.len() as c_int);
    assert_eq!(got.as_bytes(), SECOND);
    assert!(!got.more());
    assert_eq!(b.get_int(ffi::ZMQ_RCVMORE), 0);

    // b -> a with zmq_send / zmq_recv on plain buffers.
    let pong = b"pong";
    // SAFETY: live socket; the buffer is readable for its length.
    let n = unsafe { ffi::zmq_send(b.as_ptr(), pong.as_ptr().cast(), pong.len(), 0) };
    assert_eq!(n, 4);
    let mut buf = [0u8; 16];
    // SAFETY: live socket; the buffer is writable for its length.
    let n = unsafe { ffi::zmq_recv(a.as_ptr(), buf.as_mut_ptr().cast(), buf.len(), 0) };
    assert_eq!(n, 4);
    assert_eq!(&buf[..4], pong);

    // A message longer than the buffer is truncated; the full size is
    // returned.
    let long = b"0123456789";
    // SAFETY: as above.
    unsafe {
        assert_eq!(
            ffi::zmq_send(b.as_ptr(), long.as_ptr().cast(), long.len(), 0),
            10
        );
        let mut small = [0u8; 4];
        assert_eq!(
            ffi::zmq_recv(a.as_ptr(), small.as_mut_ptr().cast(), small.len(), 0),
            10
        );
        assert_eq!(&small, b"0123");
    }

    // Nothing more is queued.
    // SAFETY: as above.
    let n = unsafe {
        ffi::zmq_recv(
            a.as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
            ffi::ZMQ_DONTWAIT,
        )
    };
    assert_eq!(n, -1);
    assert_eq!(errno(), ffi::errno::EAGAIN);

    // SAFETY: live sockets and context, each closed or terminated once.
    unsafe {
        assert_eq!(ffi::zmq_close(a.as_ptr()), 0);
        assert_eq!(ffi::zmq_close(b.as_ptr()), 0);
        assert_eq!(ffi::zmq_ctx_term(ctx.as_ptr()), 0);
    }
    std::mem::forget((a, b, ctx));
}

#[test]
fn free_function_runs_once_when_libzmq_is_done() {
    static FREED: AtomicUsize = AtomicUsize::new(0);
    unsafe extern "C" fn free_box(data: *mut c_void, hint: *mut c_void) {
        // SAFETY: data is the pointer Box::into_raw gave below, and libzmq
        // calls this once; hint carries its length.
        drop(unsafe {
            Box::from_raw(ptr::slice_from_raw_parts_mut(
                data.cast::<u8>(),
                hint as usize,
            ))
        });
        FREED.fetch_add(1, Ordering::SeqCst);
    }

    let ctx = RawContext::new().unwrap();
    let (a, b) = pair(&ctx, "free");
    let payload: Box<[u8]> = vec![7u8; 100].into_boxed_slice();
    let len = payload.len();
    let data = Box::into_raw(payload).cast::<u8>();
    // SAFETY: the buffer stays valid until free_box reclaims it; free_box
    // does not unwind and may run on any thread.
    let mut msg =
        unsafe { RawMessage::from_raw_parts(data.cast(), len, Some(free_box), len as *mut c_void) };
    // A copy shares the buffer: the free function must wait for both.
    let mut copy = RawMessage::new();
    // SAFETY: both messages are initialised.
    assert_eq!(
        unsafe { ffi::zmq_msg_copy(copy.as_mut_ptr(), msg.as_mut_ptr()) },
        0
    );
    // SAFETY: live socket, initialised message.
    assert_eq!(
        unsafe { ffi::zmq_msg_send(msg.as_mut_ptr(), a.as_ptr(), 0) },
        len as c_int
    );
    let mut got = RawMessage::new();
    // SAFETY: as above.
    assert_eq!(
        unsafe { ffi::zmq_msg_recv(got.as_mut_ptr(), b.as_ptr(), 0) },
        len as c_int
    );
    assert_eq!(got.as_bytes(), &[7u8; 100][..]);
    drop(msg);
    drop(got);
    assert_eq!(
        FREED.load(Ordering::SeqCst),
        0,
        "the copy still holds the buffer"
    );
    assert_eq!(copy.as_bytes().len(), len);
    drop(copy);
    assert_eq!(FREED.load(Ordering::SeqCst), 1);
}

#[test]
fn failing_calls_set_errno_and_strerror_explains() {
    let ctx = RawContext::new().unwrap();

    // SAFETY: live context; libzmq rejects the type.
    let s = unsafe { ffi::zmq_socket(ctx.as_ptr(), 12_345) };
    assert!(s.is_null());
    assert_eq!(errno(), ffi::errno::EINVAL);
    assert!(RawSocket::new(&ctx, 12_345).is_none());
    assert_eq!(errno(), ffi::errno::EINVAL);
    let err = zmq4::Error::from_errno(ffi::errno::EINVAL);
    assert_eq!(err.message(), strerror(ffi::errno::EINVAL));
    assert!(!strerror(ffi::errno::EINVAL).is_empty());

    let s = socket(&ctx, ffi::ZMQ_PAIR);
    // SAFETY: live socket, NUL-terminated endpoint.
    let rc = unsafe { ffi::zmq_connect(s.as_ptr(), c"nosuchtransport://x".as_ptr()) };
    assert_eq!(rc, -1);
    assert_eq!(errno(), ffi::errno::EPROTONOSUPPORT);

    // A bind to an endpoint without an address is EINVAL.
    // SAFETY: as above.
    let rc = unsafe { ffi::zmq_bind(s.as_ptr(), c"tcp://".as_ptr()) };
    assert_eq!(rc, -1);
    assert_eq!(errno(), ffi::errno::EINVAL);

    // A REQ socket must send before it receives.
    let req = socket(&ctx, ffi::ZMQ_REQ);
    let mut buf = [0u8; 4];
    // SAFETY: live socket; the buffer is writable for its length.
    let rc = unsafe { ffi::zmq_recv(req.as_ptr(), buf.as_mut_ptr().cast(), buf.len(), 0) };
    assert_eq!(rc, -1);
    assert_eq!(errno(), ffi::errno::EFSM);

    // libzmq's own errors have libzmq's own texts.
    assert_eq!(strerror(ffi::errno::ETERM), "Context was terminated");
    assert_eq!(
        strerror(ffi::errno::EFSM),
        "Operation cannot be accomplished in current state"
    );
    assert_eq!(
        zmq4::Error::from_errno(ffi::errno::ETERM).message(),
        "Context was terminated"
    );
}

#[test]
fn shutdown_interrupts_and_close_then_term_completes() {
    let ctx = RawContext::new().unwrap();
    let s = RawSocket::new(&ctx, ffi::ZMQ_PAIR).unwrap();
    assert_eq!(s.set_int(ffi::ZMQ_LINGER, 0), 0);
    let endpoint = inproc("shutdown");
    // SAFETY: live socket, NUL-terminated endpoint.
    assert_eq!(unsafe { ffi::zmq_bind(s.as_ptr(), endpoint.as_ptr()) }, 0);

    // A receive with no timeout blocks until the context is shut down.
    // The socket moves to the receiving thread and comes back with the
    // result.
    let (tx, rx) = mpsc::channel();
    let s = std::thread::scope(|scope| {
        let receiver = scope.spawn(move || {
            let mut buf = [0u8; 4];
            // SAFETY: live socket, used by this thread only; the buffer is
            // writable for its length.
            let rc = unsafe { ffi::zmq_recv(s.as_ptr(), buf.as_mut_ptr().cast(), buf.len(), 0) };
            tx.send((rc, errno())).unwrap();
            s
        });
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(ctx.shutdown(), 0);
        let (rc, errno) = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("zmq_recv did not return after zmq_ctx_shutdown");
        assert_eq!((rc, errno), (-1, ffi::errno::ETERM));
        receiver.join().unwrap()
    });

    drop(s);
    // Terminating must not hang now that every socket is closed.
    let (tx, rx) = mpsc::channel();
    let ctx_ptr = ctx.as_ptr() as usize;
    std::mem::forget(ctx);
    let waiter = std::thread::spawn(move || {
        // SAFETY: the live context, terminated once (its wrapper forgotten).
        let rc = unsafe { ffi::zmq_ctx_term(ctx_ptr as *mut c_void) };
        tx.send(rc).unwrap()
    });
    let rc = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("zmq_ctx_term did not return");
    assert_eq!(rc, 0);
    waiter.join().unwrap();
}

#[test]
fn a_socket_handle_given_up_and_taken_back_is_the_same_socket() {
    let ctx = zmq4::Context::new().unwrap();
    let s = ctx.socket(zmq4::SocketType::Pair).unwrap();
    s.set_linger(Some(Duration::ZERO)).unwrap();
    s.set_rcvtimeo(Some(Duration::from_millis(TIMEOUT_MS as u64)))
        .unwrap();
    assert_eq!(ctx.open_sockets(), 1);
    let ptr = s.into_raw();
    assert_eq!(ctx.open_sockets(), 0, "a handle given up is the caller's");
    // SAFETY: the pointer came from into_raw just above, on this context,
    // and nothing else owns or uses it.
    let s = unsafe { zmq4::Socket::from_raw(&ctx, ptr) }.unwrap();
    assert_eq!(ctx.open_sockets(), 1);
    assert_eq!(s.linger().unwrap(), Some(Duration::ZERO));
    assert_eq!(
        s.rcvtimeo().unwrap(),
        Some(Duration::from_millis(TIMEOUT_MS as u64))
    );
}
