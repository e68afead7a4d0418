//! What one poll of one ready socket costs: a PULL socket with a message
//! waiting (which is never received, so every poll finds it at once) is
//! polled `poll-count` times for POLLIN, by one of zmq4's ways to poll,
//! and each time the program finds out from what the poll returned which
//! sockets are readable (the one, which it counts).
//! `ci/bench/c/poll_cost.c` makes the same `zmq_poll` calls from C, and
//! `ci/bench-poll.sh` counts the instructions of both (callgrind).
//!
//! ```text
//! poll_cost <poll-count> <timeout-ms> [poll|poller|socket|ffi]
//! ```
//!
//! `timeout-ms`: -1 waits for ever (`None`), otherwise
//! `Some(Duration::from_millis(timeout-ms))`; the socket is ready, so no
//! poll waits, but each converts its timeout (hidden from the optimiser,
//! which would otherwise convert it once, before the loop). The ways to poll:
//! `zmq4::poll` over one `PollItem` (the default), `Poller::poll` with
//! one entry (its ready tokens counted), `Socket::poll`, and `ffi` (the
//! raw `zmq_poll` through `zmq4::sys`, a Rust loop with the C loop's calls).

#[path = "common.rs"]
mod common;

use std::hint::black_box;
use std::time::Duration;

use common::{atoi, usage, OrFail};
use zmq4::{PollEvents, PollItem, Poller, SendFlags, SocketType};

#[derive(Clone, Copy)]
enum How {
    Poll,
    Poller,
    Socket,
    Ffi,
}

const USAGE: &str = "poll_cost <poll-count> <timeout-ms> [poll|poller|socket|ffi]";

fn not_ready() -> ! {
    println!("the socket was not ready");
    std::process::exit(255)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !(3..=4).contains(&args.len()) {
        usage(USAGE);
    }
    let count = atoi(&args[1]);
    let timeout_ms = atoi(&args[2]);
    let how = match args.get(3).map(String::as_str) {
        None | Some("poll") => How::Poll,
        Some("poller") => How::Poller,
        Some("socket") => How::Socket,
        Some("ffi") => How::Ffi,
        Some(_) => usage(USAGE),
    };
    let timeout = u64::try_from(timeout_ms).ok().map(Duration::from_millis);

    let ctx = common::context();
    let pull = ctx.socket(SocketType::Pull).or_fail("zmq_socket");
    pull.bind("inproc://poll_cost").or_fail("zmq_bind");
    let push = ctx.socket(SocketType::Push).or_fail("zmq_socket");
    push.connect("inproc://poll_cost").or_fail("zmq_connect");
    push.send("ready", SendFlags::empty()).or_fail("zmq_send");

    println!("poll count: {count}");
    println!("timeout: {timeout_ms} [ms]");
    let mut ready = 0u64;
    match how {
        How::Poll => {
            let mut items = [PollItem::from_socket(&pull, PollEvents::POLLIN)];
            for _ in 0..count {
                zmq4::poll(&mut items, black_box(timeout)).or_fail("zmq_poll");
                ready += items.iter().filter(|item| item.is_readable()).count() as u64;
            }
        }
        How::Poller => {
            let mut poller = Poller::new();
            poller
                .add(&pull, PollEvents::POLLIN, ())
                .or_fail("zmq_poller_add");
            for _ in 0..count {
                ready += poller.poll(black_box(timeout)).or_fail("zmq_poll").count() as u64;
            }
        }
        How::Socket => {
            for _ in 0..count {
                let events = pull
                    .poll(PollEvents::POLLIN, black_box(timeout))
                    .or_fail("zmq_poll");
                ready += u64::from(events.contains(PollEvents::POLLIN));
            }
        }
        How::Ffi => {
            use zmq4::sys::ffi;
            let mut items = [ffi::zmq_pollitem_t {
                socket: pull.as_raw(),
                fd: 0,
                events: ffi::ZMQ_POLLIN as _,
                revents: 0,
            }];
            // A C long: 64 bits on Unix, 32 on Windows, where `timeout_ms`
            // already is one.
            let timeout_ms = timeout_ms as std::os::raw::c_long;
            for _ in 0..count {
                // SAFETY: one item, whose socket is open for the whole loop
                // and used by this thread only.
                let rc = unsafe { ffi::zmq_poll(items.as_mut_ptr(), 1, black_box(timeout_ms)) };
                if rc < 0 {
                    let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
                    common::fail("zmq_poll", &zmq4::Error::from_errno(errno));
                }
                ready += u64::from(items[0].revents & ffi::ZMQ_POLLIN as i16 != 0);
            }
        }
    }
    if ready != u64::try_from(count).unwrap_or(0) {
        not_ready();
    }
    println!("ready: {ready}");
    drop(push);
    drop(pull);
    ctx.term().map_err(|(_, e)| e).or_fail("zmq_ctx_term");
}
