//! A task that waits on an `AsyncSocket` costs nothing while it waits,
//! even while the socket's descriptor keeps signalling.
//!
//! libzmq's `ZMQ_FD` signals that *something* changed inside the socket
//! (a peer came or went, a queue moved), not that the waiting operation
//! can go. Each scenario here makes the descriptor signal again and again,
//! from another thread, while the socket has nothing for the direction
//! waited on, and measures the whole process's CPU time (getrusage) over
//! the wait: a task that retried on every signal, or on libzmq's word
//! that the socket is ready (the ROUTER_MANDATORY case, where "writable"
//! means only that *some* peer has room), would spin and burn a core. The
//! scenarios cover every wait: a receive of each kind (frame, reused
//! message, string, multipart, `Stream`), a send of each kind (frame,
//! multipart, `Sink`) at the high-water mark, and a send for a full
//! ROUTER_MANDATORY peer, each on both runtimes. After the watch the
//! operation must still complete once its socket can serve it.
//!
//! The scenarios of this file take turns ([`SERIAL`]): the process's CPU
//! time is the measure, so no other scenario may run meanwhile.
//!
//! A binary of its own, not a module of `async_sockets`: the measure is the
//! whole process's CPU time, which any test running beside it would add to.
#![cfg(all(feature = "tokio", unix))]

mod support;

use std::fmt::Debug;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use support::async_rt::{drain, fill, global_socket, on_both_runtimes, thread_cpu, under_valgrind};
use zmq4::tokio::AsyncSocket;
use zmq4::{Message, PollEvents, RecvFlags, SendFlags, Socket, SocketType};

/// One scenario at a time in this process.
static SERIAL: Mutex<()> = Mutex::new(());

/// How long each wait is watched.
const WAIT: Duration = Duration::from_millis(400);

/// How many times the descriptor is made to signal during [`WAIT`].
const POKES: u32 = 8;

/// The most polls a parked operation may take in [`WAIT`]: one per signal
/// and, for a ROUTER_MANDATORY send, a backing-off timer's. A busy-wait
/// takes thousands.
const MAX_POLLS: u64 = 100;

/// The CPU time the process may spend in a watch that lasted `wall`,
/// apart from the pokes themselves: a twentieth of [`WAIT`], where a wait
/// costs a few microseconds per signal and a busy-wait a whole core.
/// valgrind makes every instruction dear, the first run of any code
/// dearer still (it translates it), and stretches the watch: there, half
/// the watch's wall time, as it runs one thread at a time and a spinning
/// task would take all of it.
fn cpu_budget(wall: Duration) -> Duration {
    if under_valgrind() {
        wall / 2
    } else {
        WAIT / 20
    }
}

/// The CPU time of the whole process, every thread (user and system).
fn process_cpu() -> Duration {
    // SAFETY: an all-zero rusage is a valid value of the plain C struct,
    // which getrusage overwrites.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid rusage for the call to write.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    assert_eq!(rc, 0, "getrusage(RUSAGE_SELF)");
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Watches `fut` for [`WAIT`] while another thread calls `poke` [`POKES`]
/// times, spread over the wait, each call making the socket's descriptor
/// signal with nothing for the direction `fut` waits on. `fut` must stay
/// pending; the signals must reach it (it is polled again: the scenario
/// is the one a busy-wait would spin in); it may be polled [`MAX_POLLS`]
/// times at most; and the process may spend [`cpu_budget`] of CPU time
/// besides the poking thread's own.
async fn idles<F>(what: &str, fut: &mut Pin<Box<F>>, poke: impl FnMut() + Send + 'static)
where
    F: Future + ?Sized,
    F::Output: Debug,
{
    // The first poll: the operation tries, fails with "would block" and
    // parks. Its cost is not the wait's.
    let first = poll_fn(|cx| std::task::Poll::Ready(fut.as_mut().poll(cx).is_ready())).await;
    assert!(
        !first,
        "{what}: completed at once, there is nothing to wait for"
    );

    let mut poke = poke;
    let mut polls = 0u64;
    let cpu = process_cpu();
    let start = Instant::now();
    let poker = std::thread::spawn(move || {
        let cpu = thread_cpu();
        for _ in 0..POKES {
            std::thread::sleep(WAIT / (POKES + 1));
            poke();
        }
        thread_cpu() - cpu
    });
    let res = tokio::time::timeout(
        WAIT,
        poll_fn(|cx| {
            polls += 1;
            fut.as_mut().poll(cx)
        }),
    )
    .await;
    let poking = tokio::task::spawn_blocking(|| poker.join())
        .await
        .expect("join")
        .expect("the poking thread");
    let (cpu, wall) = (process_cpu() - cpu, start.elapsed());
    let waiting = cpu.saturating_sub(poking);
    assert!(
        res.is_err(),
        "{what}: completed while it had to wait: {res:?}"
    );
    assert!(
        polls >= 2,
        "{what}: the socket's signals never reached the waiting task \
         (the scenario does not signal: it tests nothing)"
    );
    assert!(
        polls <= MAX_POLLS && waiting <= cpu_budget(wall),
        "{what}: busy while waiting: polled {polls} times in {wall:?}, \
         {waiting:?} of CPU besides the pokes' {poking:?} (at most {:?})",
        cpu_budget(wall)
    );
    eprintln!("{what}: {polls} polls, {waiting:?} CPU in {wall:?} (pokes {poking:?})");
}

/// A peer that connects to `ep` and goes away again: a command to the
/// socket bound at `ep` when it comes, more when it leaves, each a signal
/// on that socket's descriptor, and no message.
fn come_and_go(kind: SocketType, ep: String) -> impl FnMut() + Send + 'static {
    move || {
        let peer = global_socket(kind, 1);
        peer.connect(&ep).expect("connect");
        std::thread::sleep(Duration::from_millis(2));
        drop(peer);
    }
}

/// The receives, each watched while nothing arrives but peers that come
/// and go, then given a message and awaited.
#[test]
fn an_idle_receive_costs_nothing_while_the_socket_signals() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    on_both_runtimes("idle receive", || async {
        let pull = global_socket(SocketType::Pull, 2);
        let ep = support::inproc("async-idle-recv");
        pull.bind(&ep).expect("bind");
        let push = global_socket(SocketType::Push, 2);
        push.connect(&ep).expect("connect");
        let mut pull = AsyncSocket::new(pull).expect("async socket");
        let pokes = || come_and_go(SocketType::Push, ep.clone());
        // Waits until a message from `push` completes the receive.
        let feed = |parts: &[&str]| {
            push.send_multipart(parts.iter().copied(), SendFlags::empty())
                .expect("send")
        };

        let mut recv = Box::pin(pull.recv());
        idles("recv", &mut recv, pokes()).await;
        feed(&["one"]);
        assert_eq!(&recv.await.expect("recv")[..], b"one");

        let mut msg = Message::from("old");
        let mut recv = Box::pin(pull.recv_into_msg(&mut msg));
        idles("recv_into_msg", &mut recv, pokes()).await;
        feed(&["two"]);
        recv.await.expect("recv_into_msg");
        assert_eq!(&msg[..], b"two");

        let mut recv = Box::pin(pull.recv_string());
        idles("recv_string", &mut recv, pokes()).await;
        feed(&["three"]);
        assert_eq!(recv.await.expect("recv_string"), "three");

        let mut recv = Box::pin(pull.recv_multipart());
        idles("recv_multipart", &mut recv, pokes()).await;
        feed(&["four", "parts"]);
        assert_eq!(
            support::bytes(&recv.await.expect("recv_multipart")),
            [b"four".to_vec(), b"parts".to_vec()]
        );

        let mut next = Box::pin(pull.next());
        idles("Stream::next", &mut next, pokes()).await;
        feed(&["five", "parts"]);
        let item = next.await.expect("an item").expect("recv");
        assert_eq!(support::bytes(&item), [b"five".to_vec(), b"parts".to_vec()]);
    });
}

/// A PAIR bound at an endpoint whose queue to its one peer is full
/// (SNDHWM 1, the peer reads nothing), the peer, and how many messages
/// wait for it. A PAIR takes one peer: others that connect to its
/// endpoint are attached and dropped again, signals that give no room.
fn pair_at_its_high_water_mark(name: &str) -> (Socket<'static>, Socket<'static>, String, usize) {
    let pair = global_socket(SocketType::Pair, 1);
    let ep = support::inproc(name);
    pair.bind(&ep).expect("bind");
    let peer = global_socket(SocketType::Pair, 1);
    peer.connect(&ep).expect("connect");
    let queued = fill("PAIR", || pair.send("filler", SendFlags::DONTWAIT));
    assert!(queued > 0, "the peer never took a message");
    (pair, peer, ep, queued)
}

/// The sends, each watched at the high-water mark while other peers come
/// and go, then let through by the peer reading.
#[test]
fn a_send_at_the_high_water_mark_costs_nothing_while_the_socket_signals() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    on_both_runtimes("send at the high-water mark", || async {
        let (pair, peer, ep, queued) = pair_at_its_high_water_mark("async-idle-send");
        let mut pair = AsyncSocket::new(pair).expect("async socket");
        let pokes = || come_and_go(SocketType::Pair, ep.clone());

        let mut send = Box::pin(pair.send("late"));
        idles("send", &mut send, pokes()).await;
        drain(&peer, queued);
        send.await.expect("send after the peer read");
        assert_eq!(
            &peer.recv_msg(RecvFlags::empty()).expect("recv")[..],
            b"late"
        );
        // Full again.
        let again = |pair: &AsyncSocket<'_>| {
            fill("PAIR", || {
                pair.get_ref().send("filler", SendFlags::DONTWAIT)
            })
        };

        let queued = again(&pair);
        let mut send = Box::pin(pair.send_multipart(["late", "parts"]));
        idles("send_multipart", &mut send, pokes()).await;
        drain(&peer, queued);
        send.await.expect("send_multipart after the peer read");
        let got = peer.recv_multipart(RecvFlags::empty()).expect("recv");
        assert_eq!(support::bytes(&got), [b"late".to_vec(), b"parts".to_vec()]);

        let queued = again(&pair);
        let mut send = Box::pin(SinkExt::send(
            &mut pair,
            vec![Message::from("sink"), Message::from("parts")],
        ));
        idles("Sink::send", &mut send, pokes()).await;
        drain(&peer, queued);
        send.await.expect("Sink::send after the peer read");
        let got = peer.recv_multipart(RecvFlags::empty()).expect("recv");
        assert_eq!(support::bytes(&got), [b"sink".to_vec(), b"parts".to_vec()]);
    });
}

/// A ROUTER with `ROUTER_MANDATORY` whose queue to peer "full" is full,
/// while libzmq reports it writable (peer "room" has room); its endpoint;
/// peer "full"; and how many messages wait for it.
fn router_with_a_full_peer() -> (
    Socket<'static>,
    String,
    Socket<'static>,
    Socket<'static>,
    usize,
) {
    let router = global_socket(SocketType::Router, 1);
    router.set_router_mandatory(true).expect("router_mandatory");
    let ep = support::inproc("async-idle-router");
    router.bind(&ep).expect("bind");
    let peer = |id: &str| {
        let dealer = global_socket(SocketType::Dealer, 1);
        dealer.set_routing_id(id).expect("routing_id");
        dealer.connect(&ep).expect("connect");
        dealer
    };
    let (full, room) = (peer("full"), peer("room"));
    let queued = fill("ROUTER_MANDATORY", || {
        router
            .send_multipart(["full", "filler"], SendFlags::DONTWAIT)
            .map_err(|e| e.into_parts().0)
    });
    assert!(queued > 0, "peer \"full\" never took a message");
    assert!(
        router
            .events()
            .expect("events")
            .contains(PollEvents::POLLOUT),
        "the ROUTER says it is not writable: not the case under test"
    );
    (router, ep, full, room, queued)
}

/// A send for a full ROUTER_MANDATORY peer, which libzmq's readiness
/// calls writable, once spun on that word. Each send is watched while
/// peers come and go, then let through by the peer reading. (A ROUTER
/// refuses the routing id frame itself when its peer is full: a
/// multipart send is the only way to send there.)
#[test]
fn a_send_for_a_full_router_mandatory_peer_costs_nothing_while_the_socket_signals() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    on_both_runtimes("ROUTER_MANDATORY, full peer", || async {
        let (router, ep, full, _room, queued) = router_with_a_full_peer();
        let mut router = AsyncSocket::new(router).expect("async socket");
        let pokes = || come_and_go(SocketType::Dealer, ep.clone());
        let refill = |router: &AsyncSocket<'_>| {
            fill("ROUTER_MANDATORY", || {
                router
                    .get_ref()
                    .send_multipart(["full", "filler"], SendFlags::DONTWAIT)
                    .map_err(|e| e.into_parts().0)
            })
        };

        let mut send = Box::pin(router.send_multipart(["full", "late"]));
        idles("ROUTER_MANDATORY send_multipart", &mut send, pokes()).await;
        drain(&full, queued);
        send.await.expect("send_multipart after the peer read");
        assert_eq!(
            &full.recv_msg(RecvFlags::empty()).expect("recv")[..],
            b"late"
        );

        let queued = refill(&router);
        let mut send = Box::pin(SinkExt::send(
            &mut router,
            vec![Message::from("full"), Message::from("sink")],
        ));
        idles("ROUTER_MANDATORY Sink::send", &mut send, pokes()).await;
        drain(&full, queued);
        send.await.expect("Sink::send after the peer read");
        assert_eq!(
            &full.recv_msg(RecvFlags::empty()).expect("recv")[..],
            b"sink"
        );
    });
}
