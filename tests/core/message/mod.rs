//! Message: constructors, zero-copy adoption of owned buffers (and their
//! release, exactly once), sharing, copy-on-write, metadata properties.

#[cfg(feature = "bytes")]
mod bytes;
mod net;
mod watch;

use std::collections::HashSet;

use net::{recv, send, socket, tcp_pair};
use watch::{vec_with, Watch};
use zmq4::{Context, ErrorKind, Message, Socket, SocketType};

// ---------------------------------------------------------------------------
// Constructors.

#[test]
fn message_is_send_and_sync() {
    fn check<T: Send + Sync + 'static>() {}
    check::<Message>();
}

#[test]
fn empty_message() {
    let msg = Message::new();
    assert!(msg.is_empty());
    assert_eq!(msg.len(), 0);
    assert_eq!(&*msg, b"");
    assert!(!msg.more());
    assert_eq!(msg.as_str(), Some(""));
    assert_eq!(Message::default(), msg);
}

#[test]
fn with_size_is_zero_filled() {
    for len in [0, 1, 33, 34, 5000] {
        let msg = Message::with_size(len).unwrap();
        assert_eq!(msg.len(), len);
        assert!(msg.iter().all(|&b| b == 0));
    }
}

#[test]
fn with_size_reports_impossible_sizes() {
    let err = Message::with_size(usize::MAX).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutOfMemory);
}

#[test]
fn every_constructor_round_trips_its_content() {
    static STATIC: &[u8] = b"static bytes, long enough not to be inline...";
    let small = b"tiny".to_vec();
    let large = vec_with(1000, 1000);
    let cases: Vec<(Message, Vec<u8>)> = vec![
        (Message::copy_from(&large).unwrap(), large.clone()),
        (Message::from(small.clone()), small.clone()),
        (Message::from(large.clone()), large.clone()),
        (
            Message::from(large.clone().into_boxed_slice()),
            large.clone(),
        ),
        (
            Message::from(b"tiny".to_vec().into_boxed_slice()),
            small.clone(),
        ),
        (Message::from("x".repeat(100)), vec![b'x'; 100]),
        (Message::from(String::from("tiny")), small.clone()),
        (
            Message::from("y".repeat(50).into_boxed_str()),
            vec![b'y'; 50],
        ),
        (Message::from_static(STATIC), STATIC.to_vec()),
        (Message::from_static(b""), vec![]),
        (
            Message::from_static_str("static text"),
            b"static text".to_vec(),
        ),
        (Message::from(&large[..]), large.clone()),
        (Message::from(&large), large.clone()),
        (Message::from("borrowed"), b"borrowed".to_vec()),
        (
            Message::from(&String::from("borrowed")),
            b"borrowed".to_vec(),
        ),
        (Message::from(*b"array"), b"array".to_vec()),
        (Message::from(b"array ref"), b"array ref".to_vec()),
        (
            Message::from(std::borrow::Cow::Borrowed(STATIC)),
            STATIC.to_vec(),
        ),
        (
            Message::from(std::borrow::Cow::<[u8]>::Owned(large.clone())),
            large.clone(),
        ),
        (
            Message::from(std::borrow::Cow::Borrowed("cow")),
            b"cow".to_vec(),
        ),
        (
            Message::from(std::borrow::Cow::<str>::Owned("cow".into())),
            b"cow".to_vec(),
        ),
        (Message::from(Vec::new()), vec![]),
        (Message::from(Vec::with_capacity(77)), vec![]),
    ];
    for (i, (msg, want)) in cases.iter().enumerate() {
        assert_eq!(&msg[..], &want[..], "case {i}");
        assert_eq!(msg.len(), want.len(), "case {i}");
        assert!(!msg.more(), "case {i}");
    }
}

// ---------------------------------------------------------------------------
// Zero-copy adoption, and the free callback.

#[test]
fn vec_with_spare_capacity_is_adopted_and_freed_once() {
    let data = vec_with(5000, 10_007);
    let ptr = data.as_ptr();
    let watch = Watch::new(ptr, 10_007);
    let msg = Message::from(data);
    assert_eq!(msg.as_ptr(), ptr, "the vector's buffer is used in place");
    assert_eq!(msg.len(), 5000);
    assert_eq!(msg[4999], (4999 % 256) as u8);
    assert!(!msg.is_shared());
    assert_eq!(watch.frees(), 0);
    drop(msg);
    assert_eq!(watch.frees(), 1, "freed once, with its real capacity");
}

#[test]
fn boxed_slice_and_string_are_adopted_and_freed() {
    let boxed = vec_with(3001, 3001).into_boxed_slice();
    let ptr = boxed.as_ptr();
    let watch = Watch::new(ptr, 3001);
    let msg = Message::from(boxed);
    assert_eq!(msg.as_ptr(), ptr);
    drop(msg);
    assert_eq!(watch.frees(), 1);
    drop(watch);

    let mut text = String::with_capacity(2049);
    text.push_str(&"abc".repeat(100));
    let ptr = text.as_ptr();
    let watch = Watch::new(ptr, 2049);
    let msg = Message::from(text);
    assert_eq!(msg.as_ptr(), ptr);
    assert_eq!(msg.as_str(), Some(&*"abc".repeat(100)));
    drop(msg);
    assert_eq!(watch.frees(), 1);
}

#[test]
fn small_vec_is_copied_and_freed_at_once() {
    let data = vec_with(20, 1025);
    let watch = Watch::new(data.as_ptr(), 1025);
    let msg = Message::from(data);
    assert_eq!(
        watch.frees(),
        1,
        "the vector is freed during the conversion"
    );
    assert_eq!(msg, (0..20u8).collect::<Vec<_>>());
}

#[test]
fn clone_of_a_private_message_copies_and_the_buffer_is_freed_once() {
    let data = vec_with(4000, 4003);
    let ptr = data.as_ptr();
    let watch = Watch::new(ptr, 4003);
    let msg = Message::from(data);
    let copy = msg.clone();
    assert_eq!(copy, msg);
    assert_ne!(
        copy.as_ptr(),
        ptr,
        "a private message cannot be shared via &self"
    );
    assert!(!msg.is_shared() && !copy.is_shared());
    drop(msg);
    assert_eq!(watch.frees(), 1);
    drop(copy);
    assert_eq!(watch.frees(), 1);
}

#[test]
fn shared_copies_free_the_buffer_once_after_the_last_one() {
    let data = vec_with(4000, 4005);
    let ptr = data.as_ptr();
    let watch = Watch::new(ptr, 4005);
    let mut msg = Message::from(data);
    let shared = msg.share();
    let cloned = msg.clone();
    let clone_of_shared = shared.clone();
    for m in [&msg, &shared, &cloned, &clone_of_shared] {
        assert_eq!(m.as_ptr(), ptr, "no byte is copied");
        assert!(m.is_shared());
        assert_eq!(m.len(), 4000);
    }
    drop(msg);
    drop(shared);
    drop(cloned);
    assert_eq!(watch.frees(), 0);
    drop(clone_of_shared);
    assert_eq!(watch.frees(), 1);
}

#[test]
fn shared_copy_sent_over_inproc_is_freed_once_on_the_receiving_thread() {
    let ctx = Context::new().unwrap();
    let rx = socket(&ctx, SocketType::Pair);
    rx.bind("inproc://message-cross-thread").unwrap();
    let tx = socket(&ctx, SocketType::Pair);
    tx.connect("inproc://message-cross-thread").unwrap();

    let data = vec_with(6000, 6007);
    let ptr = data.as_ptr();
    let watch = Watch::new(ptr, 6007);
    let mut msg = Message::from(data);
    let copy = msg.share();
    std::thread::scope(|s| {
        let addr = ptr as usize;
        let receiver = s.spawn(move || {
            let got = recv(&rx);
            assert_eq!(
                got.as_ptr() as usize,
                addr,
                "inproc moves the message, bytes untouched"
            );
            assert!(got.is_shared());
            assert_eq!(got.len(), 6000);
            assert_eq!(got[5999], (5999 % 256) as u8);
            got
        });
        send(&tx, copy, false);
        drop(msg);
        let got = receiver.join().unwrap();
        assert_eq!(
            watch.frees(),
            0,
            "the received message still holds the buffer"
        );
        // Drop it on yet another thread.
        s.spawn(move || drop(got)).join().unwrap();
    });
    assert_eq!(watch.frees(), 1);
}

#[test]
fn buffer_sent_over_tcp_is_freed_once_by_libzmq() {
    let ctx = Context::new().unwrap();
    let (pull, push) = tcp_pair(&ctx, SocketType::Pull, SocketType::Push);
    let data = vec_with(70_000, 70_001);
    let ptr = data.as_ptr();
    let watch = Watch::new(ptr, 70_001);
    let mut msg = Message::from(data);
    let copy = msg.share();
    send(&push, copy, false);
    drop(msg);
    let got = recv(&pull);
    assert_eq!(got.len(), 70_000);
    assert_eq!(got[69_999], (69_999 % 256) as u8);
    assert_eq!(watch.wait_freed(), 1, "freed once, on libzmq's I/O thread");
}

// ---------------------------------------------------------------------------
// Copy-on-write.

#[test]
fn writing_a_private_message_writes_in_place() {
    let data = vec_with(100, 100);
    let ptr = data.as_ptr();
    let mut msg = Message::from(data);
    msg[0] = 200;
    msg.as_mut()[1] = 201;
    assert_eq!(msg.as_ptr(), ptr);
    assert_eq!(&msg[..3], &[200, 201, 2]);
}

#[test]
fn writing_a_shared_message_leaves_the_others_unchanged() {
    let data = vec_with(500, 503);
    let ptr = data.as_ptr();
    let watch = Watch::new(ptr, 503);
    let mut a = Message::from(data);
    let mut b = a.share();
    let c = b.clone();
    b[0] = 99;
    assert_ne!(b.as_ptr(), ptr, "b got a private copy");
    assert_eq!(b[0], 99);
    assert_eq!(&b[1..], &c[1..]);
    assert_eq!(a[0], 0);
    assert_eq!(c[0], 0);
    assert_eq!(a.as_ptr(), ptr);
    assert_eq!(c.as_ptr(), ptr);
    // `a` stays marked shared (libzmq never clears the mark): it copies too.
    a[1] = 98;
    assert_ne!(a.as_ptr(), ptr);
    assert_eq!(c[1], 1);
    assert_eq!(watch.frees(), 0, "c still holds the original");
    drop(c);
    assert_eq!(watch.frees(), 1);
}

#[test]
fn writing_a_clone_of_a_small_message_leaves_the_original() {
    let mut a = Message::from("small");
    let mut b = a.clone();
    b[0] = b'S';
    assert_eq!(a, "small");
    assert_eq!(b, "Small");
    a[4] = b'L';
    assert_eq!(a, "smalL");
    assert_eq!(b, "Small");
}

#[test]
fn writing_a_static_message_never_touches_the_static() {
    // A `static` lives in read-only memory: a write to it would crash.
    static DATA: [u8; 40] = *b"static data, forty bytes, read-only.....";
    let mut msg = Message::from_static(&DATA);
    assert_eq!(msg.as_ptr(), DATA.as_ptr());
    assert!(msg.is_shared());
    let clone = msg.clone();
    assert_eq!(clone.as_ptr(), DATA.as_ptr(), "clones share static data");
    msg[0] = b'S';
    msg[39] = b'!';
    assert_ne!(msg.as_ptr(), DATA.as_ptr());
    assert_eq!(&msg[..], &b"Static data, forty bytes, read-only....!"[..]);
    assert_eq!(&DATA, b"static data, forty bytes, read-only.....");
    assert_eq!(clone, &DATA[..]);

    let mut text = Message::from_static_str("text");
    text.make_ascii_uppercase();
    assert_eq!(text, "TEXT");
}

// ---------------------------------------------------------------------------
// Traits.

#[test]
fn comparisons_hash_and_order_follow_the_bytes() {
    let msg = Message::from("abc");
    assert_eq!(msg, Message::from(b"abc".to_vec()));
    assert_eq!(msg, "abc");
    assert_eq!(msg, *"abc");
    assert_eq!(msg, b"abc");
    assert_eq!(msg, *b"abc");
    assert_eq!(msg, &b"abc"[..]);
    assert_eq!(msg, b"abc"[..]);
    assert_eq!(msg, b"abc".to_vec());
    assert_eq!(msg, String::from("abc"));
    assert_eq!("abc", msg);
    assert_eq!(b"abc".to_vec(), msg);
    assert_ne!(msg, "abd");
    let (low, high) = (Message::from("abc"), Message::from("abd"));
    assert!(low < high);
    assert_eq!(high.cmp(&low), std::cmp::Ordering::Greater);

    let set: HashSet<Message> = ["one", "two"].into_iter().map(Message::from).collect();
    assert!(set.contains(&b"one"[..]));
    assert!(!set.contains(&b"three"[..]));
    assert_eq!(<Message as AsRef<[u8]>>::as_ref(&msg), b"abc");
}

#[test]
fn as_str_rejects_invalid_utf8() {
    assert_eq!(Message::from("héllo").as_str(), Some("héllo"));
    assert_eq!(Message::from(&[0xff, 0xfe][..]).as_str(), None);
}

#[test]
fn debug_escapes_and_truncates() {
    assert_eq!(
        format!("{:?}", Message::from("hi")),
        "Message { len: 2, data: b\"hi\", more: false }"
    );
    assert_eq!(
        format!("{:?}", Message::from(&[0u8, 0xff, b'"'][..])),
        "Message { len: 3, data: b\"\\x00\\xff\\\"\", more: false }"
    );
    let long = format!("{:?}", Message::from(vec![b'a'; 100_000]));
    assert!(long.len() < 150, "{long}");
    assert!(long.contains("len: 100000"));
    assert!(long.contains(&format!("b\"{}\"...", "a".repeat(64))));
}

// ---------------------------------------------------------------------------
// Metadata.

#[test]
fn local_messages_have_no_properties() {
    let msg = Message::from("local");
    assert_eq!(msg.property("Peer-Address"), None);
    assert_eq!(msg.peer_address(), None);
    assert_eq!(msg.user_id(), None);
    assert_eq!(msg.socket_type(), None);
    assert_eq!(msg.routing_id_property(), None);
}

#[test]
fn properties_of_a_message_received_over_tcp() {
    let ctx = Context::new().unwrap();
    let (pull, push) = tcp_pair(&ctx, SocketType::Pull, SocketType::Push);
    send(&push, Message::from("small"), false);
    send(&push, Message::from(vec![7u8; 2000]), false);
    let small = recv(&pull);
    let mut large = recv(&pull);
    for msg in [&small, &large] {
        assert_eq!(msg.peer_address(), Some("127.0.0.1"));
        assert_eq!(msg.property("Peer-Address"), Some(&b"127.0.0.1"[..]));
        assert_eq!(msg.socket_type(), Some(SocketType::Push));
        assert_eq!(msg.property("Socket-Type"), Some(&b"PUSH"[..]));
        assert_eq!(msg.user_id(), None, "no security, no user id");
        assert_eq!(msg.property("No-Such-Property"), None);
        assert_eq!(msg.property("Peer-Address\0"), None);
        assert_eq!(msg.property(&"X".repeat(300)), None);
    }
    assert_eq!(small, "small");
    assert_eq!(large, vec![7u8; 2000]);

    // Copies made by zmq_msg_copy keep the properties.
    assert_eq!(small.clone().peer_address(), Some("127.0.0.1"));
    let shared = large.share();
    assert_eq!(shared.socket_type(), Some(SocketType::Push));
    assert_eq!(shared.clone().peer_address(), Some("127.0.0.1"));

    // A received message is private: written in place, properties kept.
    let mut other = recv_after(&push, &pull, vec![1u8; 3000]);
    let ptr = other.as_ptr();
    other[0] = 2;
    assert_eq!(other.as_ptr(), ptr);
    assert_eq!(other.peer_address(), Some("127.0.0.1"));
    // A byte copy (clone of a large private message, or a write to a
    // shared one) has content only.
    let copied = other.clone();
    assert_eq!(copied, other);
    assert_eq!(copied.peer_address(), None);
}

fn recv_after(push: &Socket<'_>, pull: &Socket<'_>, data: Vec<u8>) -> Message {
    send(push, Message::from(data), false);
    recv(pull)
}

#[test]
fn routing_id_property_and_more_flag() {
    let ctx = Context::new().unwrap();
    let router = socket(&ctx, SocketType::Router);
    router.bind("tcp://127.0.0.1:*").unwrap();
    let dealer = socket(&ctx, SocketType::Dealer);
    dealer.set_routing_id(b"dealer-7").unwrap();
    dealer.connect(&router.last_endpoint().unwrap()).unwrap();
    send(&dealer, Message::from_static(b"part one"), true);
    send(&dealer, Message::from_static(b"part two"), false);
    // A DEALER without a routing id announces an empty one.
    let anonymous = socket(&ctx, SocketType::Dealer);
    anonymous.connect(&router.last_endpoint().unwrap()).unwrap();

    let id = recv(&router);
    assert_eq!(id, "dealer-7");
    assert!(id.more());
    let one = recv(&router);
    assert_eq!(one, "part one");
    assert!(one.more());
    let two = recv(&router);
    assert_eq!(two, "part two");
    assert!(!two.more());
    assert_eq!(two.routing_id_property(), Some(&b"dealer-7"[..]));
    assert_eq!(
        two.property("Identity"),
        Some(&b"dealer-7"[..]),
        "ZMTP name"
    );
    assert_eq!(two.socket_type(), Some(SocketType::Dealer));
    assert!(format!("{two:?}").ends_with("more: false }"));
    send(&anonymous, Message::from("anon"), false);
    let _id = recv(&router);
    let anon = recv(&router);
    assert_eq!(anon, "anon");
    assert_eq!(anon.routing_id_property(), Some(&b""[..]));
    assert!(format!("{one:?}").ends_with("more: true }"));
    // zmq_msg_copy keeps the more flag.
    assert!(one.clone().more());
}

// ---------------------------------------------------------------------------
// DRAFT: routing id and group.

#[cfg(feature = "draft")]
mod draft {
    use super::*;

    #[test]
    fn routing_id_set_and_get() {
        let mut msg = Message::from("x");
        assert_eq!(msg.routing_id(), None);
        let err = msg.set_routing_id(0).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        msg.set_routing_id(42).unwrap();
        assert_eq!(msg.routing_id(), Some(42));
        assert_eq!(msg.clone().routing_id(), Some(42));
        let mut big = Message::from(vec![0u8; 1000]);
        big.set_routing_id(7).unwrap();
        assert_eq!(big.clone().routing_id(), Some(7), "kept by a byte copy");
    }

    #[test]
    fn group_set_and_get() {
        let mut msg = Message::from("x");
        assert_eq!(msg.group(), None);
        msg.set_group("weather").unwrap();
        assert_eq!(msg.group(), Some(&b"weather"[..]));

        let long = "g".repeat(255);
        msg.set_group(&long).unwrap();
        assert_eq!(msg.group(), Some(long.as_bytes()));
        assert_eq!(msg.clone().group(), Some(long.as_bytes()));
        // Replacing a long group (which libzmq cannot do in place).
        msg.set_group("short").unwrap();
        assert_eq!(msg.group(), Some(&b"short"[..]));
        assert_eq!(msg, "x");
        msg.set_group(&"h".repeat(20)).unwrap();
        msg.set_group(&"i".repeat(30)).unwrap();
        assert_eq!(msg.group(), Some("i".repeat(30).as_bytes()));
        msg.set_group("").unwrap();
        assert_eq!(msg.group(), None);

        let err = msg.set_group(&"g".repeat(256)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        let err = msg.set_group("a\0b").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    }

    #[test]
    fn copy_on_write_keeps_routing_id_and_group() {
        let mut a = Message::from(vec![5u8; 100]);
        a.set_routing_id(9).unwrap();
        a.set_group(&"long-group-name-".repeat(3)).unwrap();
        let mut b = a.share();
        b[0] = 6;
        assert_eq!(b.routing_id(), Some(9));
        assert_eq!(b.group(), Some("long-group-name-".repeat(3).as_bytes()));
        assert_eq!(a[0], 5);
    }

    #[test]
    fn server_reports_the_routing_id_of_a_client() {
        let ctx = Context::new().unwrap();
        let server = socket(&ctx, SocketType::Server);
        server.bind("inproc://message-server").unwrap();
        let client = socket(&ctx, SocketType::Client);
        client.connect("inproc://message-server").unwrap();
        send(&client, Message::from("hello"), false);
        let got = recv(&server);
        let id = got.routing_id().expect("SERVER sets the routing id");
        let mut reply = Message::from("world");
        reply.set_routing_id(id).unwrap();
        send(&server, reply, false);
        assert_eq!(recv(&client), "world");
    }
}
