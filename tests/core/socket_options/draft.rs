//! Options of the DRAFT API.

use super::*;
use zmq4::{NormMode, ReconnectStop, RouterNotify};

#[test]
fn roundtrip_draft_options() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    roundtrip!(s, set_zap_enforce_domain, zap_enforce_domain, true, false);
    roundtrip!(s, set_loopback_fastpath, loopback_fastpath, true, false);
    roundtrip!(s, set_multicast_loop, multicast_loop, false, true);
    roundtrip!(s, set_socks_username, socks_username, "socks-user", "");
    roundtrip!(s, set_socks_password, socks_password, "socks-pass", "");
    roundtrip!(s, set_in_batch_size, in_batch_size, 4096);
    roundtrip!(s, set_out_batch_size, out_batch_size, 16384);
    roundtrip!(s, set_priority, priority, 3, 0);
    roundtrip!(
        s,
        set_reconnect_stop,
        reconnect_stop,
        ReconnectStop::CONN_REFUSED | ReconnectStop::AFTER_DISCONNECT,
        ReconnectStop::HANDSHAKE_FAILED,
        ReconnectStop::empty()
    );

    let router = socket(&ctx, SocketType::Router);
    roundtrip!(
        router,
        set_router_notify,
        router_notify,
        RouterNotify::CONNECT,
        RouterNotify::CONNECT | RouterNotify::DISCONNECT,
        RouterNotify::empty()
    );

    if zmq4::has("norm") {
        roundtrip!(
            s,
            set_norm_mode,
            norm_mode,
            NormMode::Fixed,
            NormMode::CceEcnOnly
        );
        roundtrip!(s, set_norm_unicast_nack, norm_unicast_nack, true);
        roundtrip!(s, set_norm_buffer_size, norm_buffer_size, 1024);
        roundtrip!(s, set_norm_segment_size, norm_segment_size, 1000);
        roundtrip!(s, set_norm_block_size, norm_block_size, 255);
        roundtrip!(s, set_norm_num_parity, norm_num_parity, 8);
        roundtrip!(s, set_norm_num_autoparity, norm_num_autoparity, 2);
        roundtrip!(s, set_norm_push, norm_push, true);
    } else {
        assert_invalid(s.set_norm_mode(NormMode::Fixed), "ZMQ_NORM_MODE");
    }
}

#[test]
fn draft_defaults() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Router);
    assert!(s.multicast_loop().unwrap());
    assert_eq!(s.in_batch_size().unwrap(), 8192);
    assert_eq!(s.out_batch_size().unwrap(), 8192);
    assert_eq!(s.router_notify().unwrap(), RouterNotify::empty());
    assert_eq!(s.reconnect_stop().unwrap(), ReconnectStop::empty());
}

#[test]
fn draft_write_only_options() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Router);
    s.set_metadata("X-Color:blue").unwrap();
    s.set_hello_msg(b"hello").unwrap();
    s.set_hello_msg(b"").unwrap();
    s.set_disconnect_msg(b"gone").unwrap();
    s.set_busy_poll(true).unwrap();
    let dealer = socket(&ctx, SocketType::Dealer);
    dealer.set_hiccup_msg(b"hiccup").unwrap();
    let xpub = socket(&ctx, SocketType::XPub);
    xpub.set_xpub_manual_last_value(true).unwrap();
    xpub.set_only_first_subscribe(true).unwrap();
    let xsub = socket(&ctx, SocketType::XSub);
    xsub.set_only_first_subscribe(true).unwrap();
    xsub.set_xsub_verbose_unsubscribe(true).unwrap();

    let wss = [
        s.set_wss_key_pem("-----BEGIN PRIVATE KEY-----"),
        s.set_wss_cert_pem("-----BEGIN CERTIFICATE-----"),
        s.set_wss_trust_pem("-----BEGIN CERTIFICATE-----"),
        s.set_wss_hostname("example.com"),
        s.set_wss_trust_system(true),
    ];
    for result in wss {
        if zmq4::has("WSS") {
            result.unwrap();
        } else {
            assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidArgument);
        }
    }
}

#[test]
fn draft_errors() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Dealer);
    assert_invalid(
        s.set_router_notify(RouterNotify::CONNECT),
        "ZMQ_ROUTER_NOTIFY",
    );
    assert_invalid(s.set_metadata("Color:blue"), "ZMQ_METADATA");
    assert_invalid(s.set_metadata("X-Color"), "ZMQ_METADATA");
    assert_invalid(s.set_metadata("X-Color:\0"), "ZMQ_METADATA");
    assert_invalid(s.set_in_batch_size(0), "ZMQ_IN_BATCH_SIZE");
    assert_invalid(s.set_priority(-1), "ZMQ_PRIORITY");
    assert_invalid(s.set_only_first_subscribe(true), "ZMQ_ONLY_FIRST_SUBSCRIBE");
    assert_invalid(s.topics_count(), "ZMQ_TOPICS_COUNT");
    let router = socket(&ctx, SocketType::Router);
    assert_invalid(
        router.set_router_notify(RouterNotify::from_bits_retain(4)),
        "ZMQ_ROUTER_NOTIFY",
    );
}

#[test]
fn topics_count_counts_subscriptions() {
    let ctx = Context::new().unwrap();
    let sub = socket(&ctx, SocketType::Sub);
    assert_eq!(sub.topics_count().unwrap(), 0);
    sub.set_subscribe("a").unwrap();
    sub.set_subscribe("b").unwrap();
    assert_eq!(sub.topics_count().unwrap(), 2);
    sub.set_unsubscribe("a").unwrap();
    assert_eq!(sub.topics_count().unwrap(), 1);
    let xpub = socket(&ctx, SocketType::XPub);
    assert_eq!(xpub.topics_count().unwrap(), 0);
}

#[test]
fn thread_safe_sockets_have_no_fd() {
    let ctx = Context::new().unwrap();
    let s = socket(&ctx, SocketType::Server);
    assert!(s.thread_safe().unwrap());
    assert_eq!(s.fd().unwrap_err().kind(), ErrorKind::InvalidArgument);
    #[cfg(unix)]
    assert_eq!(std::os::fd::AsRawFd::as_raw_fd(&s), -1);
}
