//! The channeler's thread never polls on a timer: idle, with a message the
//! socket refuses, and with a full incoming queue, it sleeps. Each test
//! reads that thread's own CPU time and count of sleeps (the process's
//! would count the tests running beside it), found through `with_socket`,
//! which runs on it.

use std::time::{Duration, Instant};

use super::{within, LIMIT};
use crate::support::{inproc, socket};
use zmq4::{Channeler, Context, ErrorKind, SendFlags, SocketType};

/// What the channeler's thread has used: CPU time (user and system, in
/// clock ticks of 10 ms) from /proc/self/task/TID/stat, and how many times
/// it went to sleep (voluntary context switches) from .../status.
struct Usage {
    cpu: Duration,
    sleeps: u64,
}

fn thread_usage(channeler: &Channeler) -> impl Fn() -> Usage {
    let task = channeler
        .with_socket(|_| std::fs::read_link("/proc/thread-self").unwrap())
        .unwrap();
    let tid = task.file_name().unwrap().to_owned();
    let dir = std::path::Path::new("/proc/self/task").join(tid);
    move || {
        let stat = std::fs::read_to_string(dir.join("stat")).unwrap();
        // After the name (in parentheses) come the state (field 3), ...,
        // utime (field 14) and stime (field 15).
        let after = &stat[stat.rfind(')').unwrap() + 2..];
        let ticks: u64 = after
            .split(' ')
            .skip(11)
            .take(2)
            .map(|f| f.parse::<u64>().unwrap())
            .sum();
        let status = std::fs::read_to_string(dir.join("status")).unwrap();
        let sleeps = status
            .lines()
            .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        Usage {
            cpu: Duration::from_millis(ticks * 10),
            sleeps,
        }
    }
}

/// Over 600 ms the thread may use a tenth of the time, and go to sleep a
/// few times (a loop that polls on a timer of a millisecond sleeps
/// hundreds of times; one that spins uses all the time).
fn assert_idle(usage: &dyn Fn() -> Usage, what: &str) {
    let before = usage();
    let wall = Instant::now();
    std::thread::sleep(Duration::from_millis(600));
    let after = usage();
    let wall = wall.elapsed();
    let used = after.cpu - before.cpu;
    assert!(
        used <= wall / 10,
        "the channeler's thread used {used:?} of CPU in {wall:?} while {what}"
    );
    let sleeps = after.sleeps - before.sleeps;
    assert!(
        sleeps <= 5,
        "the channeler's thread woke {sleeps} times in {wall:?} while {what}"
    );
}

#[test]
fn an_idle_channeler_sleeps() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-idle");
        let router = Channeler::new(&ctx, SocketType::Router, &endpoint).unwrap();
        let usage = thread_usage(&router);
        let dealer = socket(&ctx, SocketType::Dealer);
        dealer.connect(&endpoint).unwrap();
        assert_idle(&usage, "nothing came and nothing was sent");
        // And it wakes for a message afterwards.
        dealer.send("hello", SendFlags::empty()).unwrap();
        assert_eq!(&router.recv().unwrap()[1][..], b"hello");
    });
}

#[test]
fn a_channeler_with_a_message_the_socket_refuses_sleeps() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        // A PAIR with no peer refuses every message.
        let pair =
            Channeler::with_capacity(ctx.owned_socket(SocketType::Pair).unwrap(), 2).unwrap();
        let usage = thread_usage(&pair);
        for i in 0..3 {
            pair.send([i.to_string()]).unwrap();
        }
        assert_idle(&usage, "the socket refused its message");
    });
}

#[test]
fn a_channeler_with_a_full_incoming_queue_sleeps() {
    within(LIMIT, || {
        let ctx = Context::new().unwrap();
        let endpoint = inproc("ch-idle-full");
        let pull = ctx.owned_socket(SocketType::Pull).unwrap();
        pull.bind(&endpoint).unwrap();
        let pull = Channeler::with_capacity(pull, 2).unwrap();
        let usage = thread_usage(&pull);
        let push = socket(&ctx, SocketType::Push);
        push.connect(&endpoint).unwrap();
        for i in 0..20 {
            match push.send(i.to_string(), SendFlags::DONTWAIT) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) => panic!("{e}"),
            }
        }
        std::thread::sleep(Duration::from_millis(100));
        assert_idle(&usage, "the incoming queue was full");
        assert_eq!(&pull.recv().unwrap()[0][..], b"0");
    });
}
