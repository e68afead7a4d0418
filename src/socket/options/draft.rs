//! The table of the DRAFT socket options, in the order of zmq.h.

use super::codec;
use super::values::*;
use crate::socket::Socket;

socket_options! {
    /// whether a server socket follows RFC 27 strictly and sends ZAP
    /// requests even for the NULL mechanism with an empty domain (DRAFT).
    /// Default `false`.
    ZMQ_ZAP_ENFORCE_DOMAIN "ZMQ_ZAP_ENFORCE_DOMAIN" = Bool {
        zap_enforce_domain() -> bool;
        set_zap_enforce_domain(bool);
    }

    /// whether loopback TCP connections use the Windows fast path
    /// (`SIO_LOOPBACK_FAST_PATH`); no effect elsewhere (DRAFT). Default
    /// `false`.
    ZMQ_LOOPBACK_FASTPATH "ZMQ_LOOPBACK_FASTPATH" = Bool {
        loopback_fastpath() -> bool;
        set_loopback_fastpath(bool);
    }

    /// adds a metadata property sent to peers in the handshake, written
    /// `"X-Name:value"` (the name starts with `X-`, at most 255 bytes).
    /// Peers read it with the message property `X-Name` (DRAFT).
    ZMQ_METADATA "ZMQ_METADATA" = Str {
        set_metadata(&str);
    }

    /// whether a RADIO sending over UDP multicast also receives its own
    /// messages on the same host (DRAFT). Default `true`.
    ZMQ_MULTICAST_LOOP "ZMQ_MULTICAST_LOOP" = Bool {
        multicast_loop() -> bool;
        set_multicast_loop(bool);
    }

    /// which peer connections and disconnections a ROUTER reports, each as
    /// an empty message from the peer (DRAFT). Default none.
    ZMQ_ROUTER_NOTIFY "ZMQ_ROUTER_NOTIFY" = Typed {
        router_notify() -> RouterNotify;
        set_router_notify(RouterNotify);
    }

    /// like `ZMQ_XPUB_MANUAL`, and each message is sent only to the peer
    /// that sent the last subscription (DRAFT). Default `false`.
    ZMQ_XPUB_MANUAL_LAST_VALUE "ZMQ_XPUB_MANUAL_LAST_VALUE" = Bool {
        set_xpub_manual_last_value(bool);
    }

    /// the user name for the SOCKS5 proxy (at most 255 bytes); setting it
    /// chooses basic authentication. Empty (none) by default; the empty
    /// string unsets it (DRAFT).
    ZMQ_SOCKS_USERNAME "ZMQ_SOCKS_USERNAME" = Str {
        socks_username() -> String;
        set_socks_username(&str);
    }

    /// the password for the SOCKS5 proxy (at most 255 bytes). Empty by
    /// default; the empty string unsets it (DRAFT).
    ZMQ_SOCKS_PASSWORD "ZMQ_SOCKS_PASSWORD" = Str {
        socks_password() -> String;
        set_socks_password(&str);
    }

    /// the most bytes read from a connection in one system call; more
    /// than zero. Rarely worth changing. Default 8192 (DRAFT).
    ZMQ_IN_BATCH_SIZE "ZMQ_IN_BATCH_SIZE" = Int {
        in_batch_size() -> i32;
        set_in_batch_size(i32);
    }

    /// the most bytes written to a connection in one system call; more
    /// than zero. Rarely worth changing. Default 8192 (DRAFT).
    ZMQ_OUT_BATCH_SIZE "ZMQ_OUT_BATCH_SIZE" = Int {
        out_batch_size() -> i32;
        set_out_batch_size(i32);
    }

    /// the private key (PEM) of a WSS server (DRAFT). Needs a libzmq with
    /// WSS; libzmq cannot report it back.
    ZMQ_WSS_KEY_PEM "ZMQ_WSS_KEY_PEM" = Str {
        set_wss_key_pem(&str);
    }

    /// the certificate (PEM) of a WSS server (DRAFT). Needs a libzmq with
    /// WSS; libzmq cannot report it back.
    ZMQ_WSS_CERT_PEM "ZMQ_WSS_CERT_PEM" = Str {
        set_wss_cert_pem(&str);
    }

    /// the certificate (PEM) a WSS client trusts for the server (DRAFT).
    /// Needs a libzmq with WSS; libzmq cannot report it back.
    ZMQ_WSS_TRUST_PEM "ZMQ_WSS_TRUST_PEM" = Str {
        set_wss_trust_pem(&str);
    }

    /// the host name a WSS client checks the server certificate against
    /// (DRAFT). Needs a libzmq with WSS; libzmq cannot report it back.
    ZMQ_WSS_HOSTNAME "ZMQ_WSS_HOSTNAME" = Str {
        set_wss_hostname(&str);
    }

    /// whether a WSS client trusts the system's certificate authorities
    /// (DRAFT). Default `false`. Needs a libzmq with WSS; libzmq cannot
    /// report it back.
    ZMQ_WSS_TRUST_SYSTEM "ZMQ_WSS_TRUST_SYSTEM" = Bool {
        set_wss_trust_system(bool);
    }

    /// whether an XPUB or XSUB reads only the first part of a multipart
    /// message as a subscription and forwards the rest as data (DRAFT).
    /// Default `false`.
    ZMQ_ONLY_FIRST_SUBSCRIBE "ZMQ_ONLY_FIRST_SUBSCRIBE" = Bool {
        set_only_first_subscribe(bool);
    }

    /// when a connecting socket stops trying to reconnect (DRAFT). Default
    /// never.
    ZMQ_RECONNECT_STOP "ZMQ_RECONNECT_STOP" = Typed {
        reconnect_stop() -> ReconnectStop;
        set_reconnect_stop(ReconnectStop);
    }

    /// a message sent to each new peer as soon as it connects (ROUTER,
    /// DEALER, CLIENT, SERVER, PEER). The empty message (the default)
    /// sends none (DRAFT).
    ZMQ_HELLO_MSG "ZMQ_HELLO_MSG" = Bytes {
        set_hello_msg(impl AsRef<[u8]>);
    }

    /// a message the socket receives, as if from the peer, when a peer
    /// disconnects (ROUTER, SERVER, PEER). The empty message (the default)
    /// reports nothing (DRAFT).
    ZMQ_DISCONNECT_MSG "ZMQ_DISCONNECT_MSG" = Bytes {
        set_disconnect_msg(impl AsRef<[u8]>);
    }

    /// the socket priority (`SO_PRIORITY`) of the socket's connections;
    /// non-negative, Linux only. Default 0 (DRAFT).
    ZMQ_PRIORITY "ZMQ_PRIORITY" = Int {
        priority() -> i32;
        set_priority(i32);
    }

    /// whether TCP connections busy-poll the network device on receive
    /// (`SO_BUSY_POLL`), trading CPU for latency (DRAFT). Default `false`.
    /// libzmq 4.3 cannot report it back.
    ZMQ_BUSY_POLL "ZMQ_BUSY_POLL" = Bool {
        set_busy_poll(bool);
    }

    /// a message the socket receives, as if from the peer, when a
    /// connection to a peer is lost and will be retried (DEALER, CLIENT,
    /// PEER). The empty message (the default) reports nothing (DRAFT).
    ZMQ_HICCUP_MSG "ZMQ_HICCUP_MSG" = Bytes {
        set_hiccup_msg(impl AsRef<[u8]>);
    }

    /// whether an XSUB passes every unsubscription upstream, not only
    /// those that remove a subscription (DRAFT). Default `false`.
    ZMQ_XSUB_VERBOSE_UNSUBSCRIBE "ZMQ_XSUB_VERBOSE_UNSUBSCRIBE" = Bool {
        set_xsub_verbose_unsubscribe(bool);
    }

    /// how many distinct subscriptions an XPUB has received, or a SUB or
    /// XSUB has made (DRAFT).
    ZMQ_TOPICS_COUNT "ZMQ_TOPICS_COUNT" = Int {
        topics_count() -> i32;
    }

    /// the congestion control of a NORM sender (DRAFT). Default
    /// [`NormMode::Cc`]. Needs a libzmq with NORM.
    ZMQ_NORM_MODE "ZMQ_NORM_MODE" = Typed {
        norm_mode() -> NormMode;
        set_norm_mode(NormMode);
    }

    /// whether NORM receivers send negative acknowledgements by unicast
    /// rather than multicast (DRAFT). Default `false`. Needs a libzmq with
    /// NORM.
    ZMQ_NORM_UNICAST_NACK "ZMQ_NORM_UNICAST_NACK" = Bool {
        norm_unicast_nack() -> bool;
        set_norm_unicast_nack(bool);
    }

    /// the NORM buffer size, in kilobytes; more than zero (DRAFT).
    /// Default 2048. Needs a libzmq with NORM.
    ZMQ_NORM_BUFFER_SIZE "ZMQ_NORM_BUFFER_SIZE" = Int {
        norm_buffer_size() -> i32;
        set_norm_buffer_size(i32);
    }

    /// the NORM segment size, in bytes; more than zero (DRAFT). Default
    /// 1400. Needs a libzmq with NORM.
    ZMQ_NORM_SEGMENT_SIZE "ZMQ_NORM_SEGMENT_SIZE" = Int {
        norm_segment_size() -> i32;
        set_norm_segment_size(i32);
    }

    /// the number of NORM source segments per coding block, 1 to 255
    /// (DRAFT). Default 16. Needs a libzmq with NORM.
    ZMQ_NORM_BLOCK_SIZE "ZMQ_NORM_BLOCK_SIZE" = Int {
        norm_block_size() -> i32;
        set_norm_block_size(i32);
    }

    /// the number of NORM parity segments per coding block, 0 to 254
    /// (DRAFT). Default 4. Needs a libzmq with NORM.
    ZMQ_NORM_NUM_PARITY "ZMQ_NORM_NUM_PARITY" = Int {
        norm_num_parity() -> i32;
        set_norm_num_parity(i32);
    }

    /// the number of NORM parity segments sent proactively per coding
    /// block, 0 to 254 (DRAFT). Default 0. Needs a libzmq with NORM.
    ZMQ_NORM_NUM_AUTOPARITY "ZMQ_NORM_NUM_AUTOPARITY" = Int {
        norm_num_autoparity() -> i32;
        set_norm_num_autoparity(i32);
    }

    /// whether a NORM sender pushes new data even when it must drop old
    /// data not yet acknowledged (DRAFT). Default `false`. Needs a libzmq
    /// with NORM.
    ZMQ_NORM_PUSH "ZMQ_NORM_PUSH" = Bool {
        norm_push() -> bool;
        set_norm_push(bool);
    }
}
