//! Endpoints as libzmq takes them, and the crate's own `inproc://` names.
//!
//! Below every module that binds or connects (sockets, monitors, the
//! authenticator, proxies): it imports only the error type.

use std::ffi::CString;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, ErrorKind, Result};

/// A fresh `inproc://` name for one of the crate's own channels (a
/// monitor's, a steerable proxy's control). inproc names live in one
/// context, and the `zmq4-` prefix keeps them apart from a program's.
pub(crate) fn private_inproc(purpose: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "inproc://zmq4-{purpose}-{}",
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Turns an endpoint into a C string, rejecting interior NUL bytes (libzmq
/// would silently cut the endpoint there).
pub(crate) fn endpoint_cstring(endpoint: &str) -> Result<CString> {
    CString::new(endpoint).map_err(|_| {
        Error::invalid(
            ErrorKind::InvalidEndpoint,
            format!("endpoint {endpoint:?} contains a NUL byte"),
        )
    })
}
