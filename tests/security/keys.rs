//! Keys: accepted only as 32 raw bytes or 40 Z85 characters; secret keys
//! stay hidden and distinct; z85 reports libzmq's length rules.

use zmq4::{z85, Context, CurveKey, CurveKeyPair, CurveSecretKey, ErrorKind, SocketType};

use super::curve;

#[test]
fn keys_are_32_bytes_or_40_z85_characters() {
    let text = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    let key: CurveKey = text.parse().unwrap();
    assert_eq!(CurveKey::from_bytes(key.as_bytes()).unwrap(), key);
    assert_eq!(key.to_string(), text);

    // 32 characters of Z85 text: libzmq would take them as a raw key.
    let err = CurveKey::from_z85(&text[..32]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.detail().unwrap().contains("40"), "{err}");
    let err = CurveSecretKey::from_z85(&text[..32]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    // Truncated, too long, not Z85.
    for bad in [&text[..39], "", &format!("{text}a")] {
        assert_eq!(
            CurveKey::from_z85(bad).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
    }
    let not_z85 = format!("~{}", &text[1..]);
    let err = CurveKey::from_z85(&not_z85).unwrap_err();
    assert!(err.detail().unwrap().contains("alphabet"), "{err}");
    assert_eq!(
        CurveKey::from_bytes(&[7; 31]).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        CurveSecretKey::from_bytes(&[7; 33]).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
}

#[test]
fn secret_keys_are_never_printed() {
    let secret_text = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";
    let secret: CurveSecretKey = secret_text.parse().unwrap();
    assert_eq!(format!("{secret:?}"), "CurveSecretKey(..)");
    // An error about a malformed secret key does not quote it.
    let almost = format!("{}~", &secret_text[..39]);
    let err = CurveSecretKey::from_z85(&almost).unwrap_err();
    assert!(!err.to_string().contains(&secret_text[..39]), "{err}");
    if curve() {
        let pair = CurveKeyPair::from_secret(secret.clone()).unwrap();
        let shown = format!("{pair:?}");
        assert!(!shown.contains(secret_text), "{shown}");
        // The RFC 26 example: this secret key's public key.
        assert_eq!(
            pair.public().to_string(),
            "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
        );
        assert_eq!(pair.secret().to_z85(), secret_text);
    }
}

#[test]
fn generated_pairs_and_public_from_secret() {
    if !curve() {
        return;
    }
    let a = CurveKeyPair::generate().unwrap();
    let b = CurveKeyPair::generate().unwrap();
    assert_ne!(a.public(), b.public());
    assert_eq!(a.secret().public_key().unwrap(), *a.public());
    // Halves that do not belong together, and a secret given as public.
    let err = CurveKeyPair::new(b.public().clone(), a.secret().clone()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let secret_as_public = CurveKey::new(*a.secret().as_bytes());
    let err = CurveKeyPair::new(secret_as_public, a.secret().clone()).unwrap_err();
    assert!(err.detail().unwrap().contains("secret"), "{err}");
}

#[test]
fn a_client_given_its_own_keys_as_the_server_key_is_refused() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let client = ctx.socket(SocketType::Req).unwrap();
    let keys = CurveKeyPair::generate().unwrap();
    let own_secret = CurveKey::new(*keys.secret().as_bytes());
    let err = client.make_curve_client(&own_secret, &keys).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.detail().unwrap().contains("secret"), "{err}");
    let err = client.make_curve_client(keys.public(), &keys).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    // Nothing was set: the socket still uses NULL.
    assert_eq!(client.mechanism().unwrap(), zmq4::Mechanism::Null);
}

#[test]
fn z85_of_any_data_with_length_rules() {
    // The example of ZeroMQ RFC 32.
    let data = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];
    assert_eq!(z85::encode(&data).unwrap(), "HelloWorld");
    assert_eq!(z85::decode("HelloWorld").unwrap(), data);
    assert_eq!(z85::encode(&[]).unwrap(), "");
    for n in [1, 2, 3, 5, 31] {
        let err = z85::encode(&vec![0; n]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(err.detail().unwrap().contains("multiple of 4"), "{err}");
    }
    for text in ["Hell", "HelloW"] {
        let err = z85::decode(text).unwrap_err();
        assert!(err.detail().unwrap().contains("multiple of 5"), "{err}");
    }
    assert!(z85::decode("Hell~").is_err());
    assert!(z85::decode("#####").is_err()); // worth more than 4 bytes
                                            // Round trip of every byte value.
    let all: Vec<u8> = (0..=255).collect();
    assert_eq!(z85::decode(&z85::encode(&all).unwrap()).unwrap(), all);
    assert_eq!(z85::encoded_len(32), 40);
}

#[test]
fn secret_keys_compare_by_every_byte() {
    let a = zmq4::CurveSecretKey::new([7; 32]);
    let mut bytes = [7; 32];
    assert_eq!(a, zmq4::CurveSecretKey::new(bytes));
    for i in [0, 15, 31] {
        bytes = [7; 32];
        bytes[i] ^= 1;
        assert_ne!(a, zmq4::CurveSecretKey::new(bytes), "byte {i}");
    }
}
