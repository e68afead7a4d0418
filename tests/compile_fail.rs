//! What the types forbid, proven by programs that must not compile (run
//! with trybuild; the expected compiler errors are the `.stderr` files next
//! to them), and what they allow, proven by static assertions.
//!
//! A binary of its own: trybuild compiles the crate again in a target
//! directory of its own, minutes of work that no other test should wait for.

use zmq4::{Context, ContextBuilder, Error, Message, Socket};

#[test]
fn forbidden_programs_do_not_compile() {
    // trybuild builds the crate again, twice, in a target directory of its
    // own; with the vendored libzmq that is two more libzmq and libsodium
    // compiles for a check that concerns types only, whichever libzmq is
    // linked. The builds against a system libzmq run it (CI's second pass).
    if zmq4::LIBZMQ_SOURCE == "vendored" {
        eprintln!("compile-fail programs skipped with the vendored libzmq: they run against a system libzmq");
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile_fail/*.rs");
}

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

#[test]
fn context_is_send_and_sync() {
    assert_send::<Context>();
    assert_sync::<Context>();
    assert_send::<ContextBuilder>();
    assert_sync::<ContextBuilder>();
    // So a shared reference may cross threads, and the global one is one.
    assert_send::<&'static Context>();
    let _: &'static Context = Context::global();
}

/// The thread-safe DRAFT types, and only they, are shared by reference
/// (`Socket` itself stays `!Sync`: see `socket_not_sync.rs`).
#[cfg(feature = "draft")]
#[test]
fn shared_sockets_are_send_and_sync() {
    assert_send::<zmq4::SharedSocket<'static>>();
    assert_sync::<zmq4::SharedSocket<'static>>();
}

#[test]
fn socket_is_send() {
    assert_send::<Socket<'static>>();
    fn any_lifetime(ctx: &Context) {
        fn sendable<T: Send>(_: &T) {}
        sendable(&ctx.socket(zmq4::SocketType::Pair).unwrap());
    }
    any_lifetime(&Context::new().unwrap());
}

#[test]
fn messages_and_errors_cross_threads() {
    assert_send::<Message>();
    assert_sync::<Message>();
    assert_send::<Error>();
    assert_sync::<Error>();
    // What `io::Error::new` and `Box<dyn Error + Send + Sync>` need.
    fn error_object(err: Error) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        Box::new(err)
    }
    let _ = error_object;
}

#[test]
fn a_socket_moves_into_a_scoped_thread() {
    let ctx = Context::new().unwrap();
    let sock = ctx.socket(zmq4::SocketType::Pair).unwrap();
    std::thread::scope(|s| {
        s.spawn(move || sock.bind("inproc://compile-fail-move").unwrap())
            .join()
            .unwrap();
    });
}
