//! Certificate files (czmq's zcert, pyzmq's `create_certificates`, ours)
//! and czmq-style password files are read from disk, where anyone who can
//! write the file chooses every byte: parsing never panics, and what
//! parses survives being saved and loaded again.
//!
//! The input is frames (see `zmq4_fuzz::frames`): the certificate text,
//! then the text of a password file.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zmq4::auth::{Certificate, Policy};

/// A private directory for the files of this run, on tmpfs when there is
/// one (one file written per case).
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("zmq4-fuzz-cert-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let parts = zmq4_fuzz::frames(data);
    let cert_text = String::from_utf8_lossy(parts.first().copied().unwrap_or_default());
    if let Ok(cert) = Certificate::parse(&cert_text) {
        let _ = cert.key_pair();
        let _ = format!("{cert:?}");
        // Saved and loaded again (as a public certificate: the metadata
        // goes through `with_metadata`, which makes names and values fit
        // the file format), it is the same certificate.
        let mut public = Certificate::from_public(cert.public().clone());
        for (name, value) in cert.metadata() {
            public = public.with_metadata(name.as_str(), value.as_str());
        }
        let path = scratch().join("cert.key");
        public
            .save_public(&path)
            .expect("save a public certificate");
        let loaded = Certificate::load(&path).expect("load what was saved");
        assert_eq!(loaded, public, "a saved certificate loads back unchanged");
        if let Some(keys) = cert.key_pair() {
            let full = Certificate::from_key_pair(keys);
            let path = scratch().join("cert.key_secret");
            full.save_secret(&path).expect("save a secret certificate");
            assert_eq!(
                Certificate::load(&path).expect("load the secret file"),
                full
            );
        }
    }
    if let Some(passwords) = parts.get(1) {
        let path = scratch().join("passwords");
        std::fs::write(&path, passwords).expect("write the password file");
        let _ = Policy::new().plain_password_file(&path);
    }
});
