//! The thread-safe socket types of the DRAFT API, shared by reference
//! between threads ([`SharedSocket`]), and every other type refused.
#![cfg(feature = "draft")]

use std::sync::Arc;
use std::time::Duration;

use crate::support::{inproc, socket};
use zmq4::{Context, ErrorKind, Message, RecvFlags, SendFlags, SharedSocket, SocketType};

fn assert_sync<T: Sync + Send>(_: &T) {}

#[test]
fn a_server_answers_many_clients_from_many_threads_at_once() {
    const CLIENTS: usize = 8;
    const REQUESTS: usize = 200;
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Server);
    let endpoint = inproc("shared-server");
    server.bind(&endpoint).unwrap();
    let server = SharedSocket::new(server).unwrap();
    assert_sync(&server);

    std::thread::scope(|s| {
        // Four threads answer on the one server, concurrently.
        for _ in 0..4 {
            let server = &server;
            s.spawn(move || loop {
                let request = match server.recv_msg(RecvFlags::empty()) {
                    Ok(msg) => msg,
                    Err(e) if e.kind() == ErrorKind::TimedOut => return,
                    Err(e) => panic!("{e}"),
                };
                let mut reply = Message::from(request.to_vec());
                reply.set_routing_id(request.routing_id().unwrap()).unwrap();
                server.send_msg(reply, SendFlags::empty()).unwrap();
            });
        }
        for c in 0..CLIENTS {
            let (ctx, endpoint) = (&ctx, &endpoint);
            s.spawn(move || {
                let client = socket(ctx, SocketType::Client);
                client.connect(endpoint).unwrap();
                for r in 0..REQUESTS {
                    let text = format!("client {c} request {r}");
                    client.send(&text, SendFlags::empty()).unwrap();
                    assert_eq!(client.recv_string(RecvFlags::empty()).unwrap(), text);
                }
            });
        }
    });
}

#[test]
fn an_arc_of_a_shared_socket_moves_into_spawned_threads() {
    let ctx = Context::new().unwrap();
    let gather = ctx.owned_socket(SocketType::Gather).unwrap();
    gather.set_rcvtimeo(Some(Duration::from_secs(10))).unwrap();
    gather.bind(&inproc("shared-gather")).unwrap();
    let endpoint = gather.last_endpoint().unwrap();
    let gather = Arc::new(SharedSocket::new(gather).unwrap());
    let scatter = socket(&ctx, SocketType::Scatter);
    scatter.connect(&endpoint).unwrap();
    for i in 0..100u32 {
        scatter.send(i.to_le_bytes(), SendFlags::empty()).unwrap();
    }
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let gather = Arc::clone(&gather);
            std::thread::spawn(move || {
                (0..25)
                    .map(|_| {
                        let msg = gather.recv_msg(RecvFlags::empty()).unwrap();
                        u32::from_le_bytes(msg[..].try_into().unwrap())
                    })
                    .collect::<Vec<u32>>()
            })
        })
        .collect();
    let mut all: Vec<u32> = readers
        .into_iter()
        .flat_map(|r| r.join().unwrap())
        .collect();
    all.sort_unstable();
    assert_eq!(all, (0..100).collect::<Vec<_>>(), "each message once");
}

#[test]
fn radio_and_dish_meet_in_groups() {
    let ctx = Context::new().unwrap();
    let radio = SharedSocket::new(socket(&ctx, SocketType::Radio)).unwrap();
    let endpoint = inproc("shared-radio");
    radio.bind(&endpoint).unwrap();
    let dish = SharedSocket::new(socket(&ctx, SocketType::Dish)).unwrap();
    dish.join("weather").unwrap();
    dish.connect(&endpoint).unwrap();
    // Joins travel to the RADIO; publish until one arrives.
    let mut got = None;
    for _ in 0..500 {
        for group in ["sport", "weather"] {
            let mut msg = Message::from(format!("{group} news"));
            msg.set_group(group).unwrap();
            radio.send_msg(msg, SendFlags::empty()).unwrap();
        }
        if let Ok(msg) = dish.recv_msg(RecvFlags::DONTWAIT) {
            got = Some(msg);
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let msg = got.expect("a message of the joined group");
    assert_eq!(msg.group(), Some(&b"weather"[..]));
    assert_eq!(&msg[..], b"weather news");
    dish.leave("weather").unwrap();
    let long = "g".repeat(256);
    assert_eq!(
        dish.join(&long).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        dish.join("a\0b").unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
}

#[test]
fn every_other_type_is_refused_and_handed_back() {
    let ctx = Context::new().unwrap();
    let thread_safe = [
        SocketType::Server,
        SocketType::Client,
        SocketType::Radio,
        SocketType::Dish,
        SocketType::Gather,
        SocketType::Scatter,
        SocketType::Peer,
        SocketType::Channel,
    ];
    for kind in SocketType::ALL.iter().copied() {
        let sock = socket(&ctx, kind);
        match SharedSocket::try_new(sock) {
            Ok(shared) => {
                assert!(thread_safe.contains(&kind), "{kind:?} was shared");
                assert_eq!(shared.into_inner().socket_type(), kind);
            }
            Err((sock, err)) => {
                assert!(!thread_safe.contains(&kind), "{kind:?} was refused");
                assert_eq!(err.kind(), ErrorKind::InvalidArgument);
                assert!(err.to_string().contains(kind.name()), "{err}");
                assert_eq!(sock.socket_type(), kind, "handed back");
            }
        }
    }
}

#[test]
fn multipart_is_refused_on_a_thread_safe_type() {
    let ctx = Context::new().unwrap();
    let client = SharedSocket::new(socket(&ctx, SocketType::Client)).unwrap();
    client.connect(&inproc("shared-multipart")).unwrap();
    let err = client
        .send("part", SendFlags::SNDMORE | SendFlags::DONTWAIT)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

#[test]
fn a_high_water_mark_after_another_threads_connect_is_refused() {
    // Whichever thread connects, the shared socket refuses the high-water
    // marks from then on (docs/libzmq-asserts.md, D1); before, any thread
    // may set them.
    let ctx = Context::new().unwrap();
    let client = SharedSocket::new(socket(&ctx, SocketType::Client)).unwrap();
    std::thread::scope(|s| {
        s.spawn(|| client.set_sndhwm(Some(5)).unwrap())
            .join()
            .unwrap();
        s.spawn(|| client.connect(&inproc("shared-hwm")).unwrap())
            .join()
            .unwrap();
        let err = s
            .spawn(|| client.set_rcvhwm(Some(5)).unwrap_err())
            .join()
            .unwrap();
        assert_eq!(err.kind(), ErrorKind::InvalidState, "{err:?}");
    });
    assert_eq!(client.sndhwm().unwrap(), Some(5));
    assert_eq!(client.rcvhwm().unwrap(), Some(1000));
}
