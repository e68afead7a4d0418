//! ZAP requests reach the authenticator from libzmq on behalf of any
//! peer, carrying what that peer sent (user name, password, key, address)
//! — and a program may bind its own sockets near the ZAP endpoint too. The
//! authenticator must answer every request, whatever its frames, with a
//! well-formed reply, and never panic.
//!
//! The input is frames (see `zmq4_fuzz::frames`): the policy as lines
//! (`allow IP`, `deny IP`, `user NAME=PASSWORD`, `curve Z85KEY`,
//! `curve-any`, `gssapi-any`, `meta NAME=VALUE`), then a czmq-style
//! password file, then the frames of the request, sent as they are to
//! the real authenticator's socket.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use zmq4::auth::{Authenticator, Policy, ANY_DOMAIN, ZAP_ENDPOINT};
use zmq4::{CurveKey, Message, RecvFlags, SendFlags, Socket, SocketType};

struct Zap {
    auth: Authenticator<'static>,
    client: Socket<'static>,
    passwords: std::path::PathBuf,
}

fn policy(lines: &str, passwords: &[u8], path: &std::path::Path) -> Policy {
    let build = || {
        let mut policy = Policy::new();
        for line in lines.lines() {
            let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
            policy = match word {
                "allow" => policy.allow_ips([rest]),
                "deny" => policy.deny_ips([rest]),
                "user" => {
                    let (user, password) = rest.split_once('=').unwrap_or((rest, ""));
                    policy.plain_users([(user, password)])
                }
                "curve" => match CurveKey::from_z85(rest) {
                    Ok(key) => policy.curve_allow_keys([&key]),
                    Err(_) => policy,
                },
                "curve-any" => policy.curve_allow_any(),
                "gssapi-any" => policy.gssapi_allow_any(),
                "meta" => {
                    let (name, value) = rest.split_once('=').unwrap_or((rest, ""));
                    policy.metadata(name, value)
                }
                _ => policy,
            };
        }
        policy
    };
    std::fs::write(path, passwords).expect("write the password file");
    // A refused password file leaves the policy without its users.
    build()
        .plain_password_file(path)
        .unwrap_or_else(|_| build())
}

/// Checks ZMTP's property format (the reply's metadata frame) and that no
/// name is one libzmq reserves.
fn check_metadata(mut data: &[u8]) {
    const RESERVED: [&str; 5] = [
        "Socket-Type",
        "Identity",
        "Routing-Id",
        "User-Id",
        "Peer-Address",
    ];
    while !data.is_empty() {
        let len = usize::from(data[0]);
        assert!(
            len > 0 && data.len() >= 1 + len + 4,
            "a truncated property: {data:?}"
        );
        let name = &data[1..=len];
        assert!(
            !RESERVED
                .iter()
                .any(|r| r.as_bytes().eq_ignore_ascii_case(name)),
            "a reserved property name in a ZAP reply: {name:?}"
        );
        let value_len = u32::from_be_bytes(data[1 + len..5 + len].try_into().unwrap()) as usize;
        assert!(
            data.len() >= 5 + len + value_len,
            "a truncated property value"
        );
        data = &data[5 + len + value_len..];
    }
}

fuzz_target!(|data: &[u8]| {
    thread_local! {
        static ZAP: Zap = {
            let ctx = zmq4_fuzz::context();
            let auth = Authenticator::new(ctx).expect("an authenticator");
            let client = ctx.socket(SocketType::Dealer).expect("a DEALER");
            client.set_rcvtimeo(Some(Duration::from_secs(10))).unwrap();
            client.set_sndtimeo(Some(Duration::from_secs(10))).unwrap();
            client.set_linger(Some(Duration::ZERO)).unwrap();
            client.connect(ZAP_ENDPOINT).expect("connect to the authenticator");
            let passwords = std::env::temp_dir().join(format!("zmq4-fuzz-zap-{}", std::process::id()));
            Zap { auth, client, passwords }
        };
    }
    let parts = zmq4_fuzz::frames(data);
    let lines = String::from_utf8_lossy(parts.first().copied().unwrap_or_default());
    let passwords = parts.get(1).copied().unwrap_or_default();
    let mut request: Vec<&[u8]> = parts.iter().skip(2).copied().collect();
    if request.is_empty() {
        request.push(b"");
    }
    ZAP.with(|zap| {
        zap.auth
            .set_policy(ANY_DOMAIN, policy(&lines, passwords, &zap.passwords));
        // DEALER to REP: an empty delimiter, then the request.
        let mut out: Vec<Message> = vec![Message::new()];
        out.extend(request.iter().map(|f| Message::copy_from(f).unwrap()));
        zap.client
            .send_multipart(out, SendFlags::empty())
            .expect("send the request");
        let reply = zap
            .client
            .recv_multipart(RecvFlags::empty())
            .expect("the authenticator answers every request");
        assert_eq!(reply.len(), 7, "delimiter and six frames: {reply:?}");
        assert!(reply[0].is_empty());
        assert_eq!(&reply[1][..], b"1.0");
        assert_eq!(
            &reply[2][..],
            request.get(1).copied().unwrap_or_default(),
            "the request id"
        );
        let code = std::str::from_utf8(&reply[3]).unwrap();
        assert!(
            ["200", "300", "400", "500"].contains(&code),
            "status {code}"
        );
        assert_ne!(
            &reply[4][..],
            b"the ZAP handler failed",
            "the handler panicked"
        );
        if code == "200" {
            check_metadata(&reply[6]);
        } else {
            assert!(reply[6].is_empty(), "metadata only for an allowed client");
        }
    });
});
