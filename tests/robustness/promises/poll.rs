//! Polling OS handles nobody should hand over, and short timeouts:
//! - `PollItem::from_fd`: a handle that is not open is reported with
//!   `POLLERR`; one closed while a poll waits is reported once the poll
//!   wakes (the OS does not wake it); it is never unsafe;
//! - every `Duration` given to libzmq is "rounded up so that a short
//!   non-zero wait never becomes 0"; `Some(Duration::ZERO)` "only looks".

// The close-during-a-poll case needs a descriptor of the OS's own (Unix);
// the rest runs everywhere.
#![cfg_attr(not(unix), allow(unused_imports))]

use std::time::{Duration, Instant};

use std::sync::atomic::{AtomicBool, Ordering};

use super::child::{is_child, succeeds_within};
use super::watchdog::Watchdog;
use crate::support::{inproc, socket};
use zmq4::{Context, PollEvents, PollItem, Poller, SendFlags, SocketType};

/// A descriptor number that is not open in this process (far above the
/// descriptor limit of any test machine), so that no other test can open
/// it meanwhile.
const NOT_OPEN: zmq4::RawFd = 1 << 30;

const LIMIT: Duration = Duration::from_secs(30);

#[test]
fn a_handle_that_is_not_open_is_an_error_condition() {
    let _dog = Watchdog::new("closed handle", LIMIT);
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    let mut items = [
        PollItem::from_socket(&pull, PollEvents::POLLIN),
        PollItem::from_fd(NOT_OPEN, PollEvents::POLLIN | PollEvents::POLLOUT),
    ];
    let start = Instant::now();
    match zmq4::poll(&mut items, Some(Duration::from_secs(5))) {
        Ok(n) => {
            assert_eq!(n, 1, "only the handle is ready");
            assert!(items[1].is_error(), "{:?}", items[1].revents());
            assert!(!items[0].is_readable());
        }
        Err(err) => assert_ne!(err.kind(), zmq4::ErrorKind::Other, "{err}"),
    }
    assert!(start.elapsed() < Duration::from_secs(4), "it did not wait");
}

#[test]
fn a_poller_with_a_handle_that_is_not_open_reports_it() {
    let _dog = Watchdog::new("poller closed handle", LIMIT);
    let mut poller = Poller::new();
    poller
        .add_fd(NOT_OPEN, PollEvents::POLLIN, "not open")
        .unwrap();
    let start = Instant::now();
    match poller.poll(Some(Duration::from_secs(5))) {
        Ok(ready) => {
            let ready: Vec<_> = ready.collect();
            assert_eq!(ready.len(), 1, "{ready:?}");
            assert_eq!(*ready[0].0, "not open");
            assert!(ready[0].1.contains(PollEvents::POLLERR), "{ready:?}");
        }
        Err(err) => assert_ne!(err.kind(), zmq4::ErrorKind::Other, "{err}"),
    }
    assert!(start.elapsed() < Duration::from_secs(4), "it did not wait");
}

/// A handle closed by another thread while a poll waits: the OS does not
/// wake the poll, so it notices when it wakes for another reason (here a
/// message on a socket it also waits on) and reports the handle then.
/// Run in a child process of its own, so that no other test opens a file
/// that gets the closed handle's number meanwhile.
#[cfg(unix)]
#[test]
fn a_handle_closed_during_a_poll_is_reported_when_the_poll_wakes() {
    const NAME: &str = "poll::a_handle_closed_during_a_poll_is_reported_when_the_poll_wakes";
    if !is_child(NAME) {
        let _dog = Watchdog::new(NAME, LIMIT);
        succeeds_within(NAME, Duration::from_secs(20));
        return;
    }
    let ctx = Context::new().unwrap();
    let endpoint = inproc("closed-during-poll");
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind(&endpoint).unwrap();
    let push = socket(&ctx, SocketType::Push);
    push.connect(&endpoint).unwrap();
    let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let fd = std::os::fd::AsRawFd::as_raw_fd(&udp);
    let returned = AtomicBool::new(false);
    let mut items = [
        PollItem::from_fd(fd, PollEvents::POLLIN),
        PollItem::from_socket(&pull, PollEvents::POLLIN),
    ];
    let unwoken = Duration::from_millis(800);
    let start = Instant::now();
    let returned = &returned;
    let ready = std::thread::scope(|scope| {
        scope.spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            drop(udp);
            std::thread::sleep(unwoken);
            let still_waiting = !returned.load(Ordering::SeqCst);
            push.send("wake up", SendFlags::empty()).unwrap();
            assert!(still_waiting, "the close woke the poll");
        });
        let ready = zmq4::poll(&mut items, None);
        returned.store(true, Ordering::SeqCst);
        ready
    });
    assert!(start.elapsed() >= unwoken, "{:?}", start.elapsed());
    match ready {
        Ok(n) => {
            assert!(items[1].is_readable(), "woken by the message");
            assert_eq!(n, 1 + usize::from(items[0].is_error()), "{n}");
        }
        Err(err) => panic!("{err}"),
    }
    // The next poll reports the closed handle.
    let mut items = [PollItem::from_fd(fd, PollEvents::POLLIN)];
    match zmq4::poll(&mut items, Some(Duration::from_secs(5))) {
        Ok(n) => {
            assert_eq!(n, 1);
            assert!(items[0].is_error(), "{:?}", items[0].revents());
        }
        Err(err) => assert_ne!(err.kind(), zmq4::ErrorKind::Other, "{err}"),
    }
}

#[test]
fn a_short_timeout_still_waits() {
    let _dog = Watchdog::new("short timeouts", LIMIT);
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    let short = Duration::from_nanos(1);

    let mut items = [PollItem::from_socket(&pull, PollEvents::POLLIN)];
    let start = Instant::now();
    assert_eq!(zmq4::poll(&mut items, Some(short)).unwrap(), 0);
    assert!(
        start.elapsed() >= Duration::from_millis(1),
        "{:?}",
        start.elapsed()
    );

    let start = Instant::now();
    assert!(pull
        .poll(PollEvents::POLLIN, Some(short))
        .unwrap()
        .is_empty());
    assert!(
        start.elapsed() >= Duration::from_millis(1),
        "{:?}",
        start.elapsed()
    );

    let mut poller = Poller::new();
    poller.add(&pull, PollEvents::POLLIN, 0).unwrap();
    let start = Instant::now();
    assert_eq!(poller.poll(Some(short)).unwrap().count(), 0);
    assert!(
        start.elapsed() >= Duration::from_millis(1),
        "{:?}",
        start.elapsed()
    );

    // A receive timeout of a nanosecond is a millisecond, not "do not
    // wait" (0) and not "for ever" (-1).
    pull.set_rcvtimeo(Some(short)).unwrap();
    assert_eq!(pull.rcvtimeo().unwrap(), Some(Duration::from_millis(1)));
    let start = Instant::now();
    let err = pull.recv_msg(zmq4::RecvFlags::empty()).unwrap_err();
    assert_eq!(err.kind(), zmq4::ErrorKind::TimedOut, "{err}");
    assert!(
        start.elapsed() >= Duration::from_millis(1),
        "{:?}",
        start.elapsed()
    );

    // Zero only looks.
    let start = Instant::now();
    assert_eq!(zmq4::poll(&mut items, Some(Duration::ZERO)).unwrap(), 0);
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
}
