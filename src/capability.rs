//! What the linked libzmq is: its version, and what it was built with
//! (optional transports, security mechanisms, the DRAFT API).
//!
//! The answers come from the library the program actually runs with, not
//! from the headers it was compiled against: a system libzmq may be
//! replaced by another build of the same version with other transports.

use std::ffi::CString;
use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind};

/// The version of the linked libzmq, as (major, minor, patch).
///
/// ```
/// let (major, minor, _patch) = zmq4::version();
/// assert!((major, minor) >= (4, 3));
/// ```
#[doc(alias = "zmq_version")]
pub fn version() -> (i32, i32, i32) {
    crate::raw::version()
}

/// Whether the linked libzmq has the capability named `name`
/// (`zmq_has`).
///
/// The names are libzmq's, compared exactly (case matters): `"ipc"`,
/// `"pgm"`, `"tipc"`, `"norm"`, `"curve"`, `"gssapi"`, `"vmci"`,
/// `"draft"`, and `"WS"` / `"WSS"` in capitals. Any other name, including
/// one containing a NUL byte, gives `false`. [`Capability`] spells them
/// for you.
///
/// ```
/// // Every libzmq on a Unix system has the ipc:// transport.
/// if cfg!(unix) {
///     assert!(zmq4::has("ipc"));
/// }
/// assert!(!zmq4::has("no-such-capability"));
/// ```
#[doc(alias = "zmq_has")]
pub fn has(name: &str) -> bool {
    let Ok(name) = CString::new(name) else {
        return false;
    };
    crate::raw::has(&name)
}

/// An optional capability of libzmq, as reported by [`has`].
///
/// ```
/// use zmq4::Capability;
///
/// for cap in zmq4::capabilities() {
///     println!("libzmq has {cap}");
/// }
/// if !Capability::Curve.is_available() {
///     eprintln!("this libzmq cannot encrypt (no CURVE)");
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Capability {
    /// The `ipc://` transport (Unix domain sockets).
    Ipc,
    /// The `pgm://` and `epgm://` reliable multicast transports (OpenPGM).
    Pgm,
    /// The `tipc://` transport (Linux TIPC).
    Tipc,
    /// The `norm://` transport (NACK-oriented reliable multicast).
    Norm,
    /// The CURVE security mechanism (needs libsodium or tweetnacl).
    Curve,
    /// The GSSAPI (Kerberos) security mechanism.
    Gssapi,
    /// The `vmci://` transport (VMware virtual machine communication).
    Vmci,
    /// The DRAFT API: draft socket types, options and functions.
    Draft,
    /// The `ws://` WebSocket transport (a DRAFT transport of libzmq 4.3).
    Ws,
    /// The `wss://` WebSocket-over-TLS transport (a DRAFT transport of
    /// libzmq 4.3).
    Wss,
}

impl Capability {
    /// Every capability, in declaration order.
    pub const ALL: [Capability; 10] = [
        Capability::Ipc,
        Capability::Pgm,
        Capability::Tipc,
        Capability::Norm,
        Capability::Curve,
        Capability::Gssapi,
        Capability::Vmci,
        Capability::Draft,
        Capability::Ws,
        Capability::Wss,
    ];

    /// The name libzmq knows the capability by (what [`has`] takes).
    pub fn name(self) -> &'static str {
        match self {
            Capability::Ipc => "ipc",
            Capability::Pgm => "pgm",
            Capability::Tipc => "tipc",
            Capability::Norm => "norm",
            Capability::Curve => "curve",
            Capability::Gssapi => "gssapi",
            Capability::Vmci => "vmci",
            Capability::Draft => "draft",
            Capability::Ws => "WS",
            Capability::Wss => "WSS",
        }
    }

    /// Whether the linked libzmq has this capability (`zmq_has`).
    #[doc(alias = "zmq_has")]
    pub fn is_available(self) -> bool {
        has(self.name())
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Capability {
    type Err = Error;

    /// Parses a capability name. Unlike [`has`], case does not matter
    /// (`"ws"` and `"WS"` are both [`Capability::Ws`]).
    fn from_str(s: &str) -> Result<Self, Error> {
        Capability::ALL
            .into_iter()
            .find(|cap| cap.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                Error::invalid(
                    ErrorKind::InvalidArgument,
                    format!("unknown libzmq capability {s:?}"),
                )
            })
    }
}

/// The capabilities the linked libzmq has, in the order of
/// [`Capability::ALL`].
///
/// ```
/// let caps = zmq4::capabilities();
/// // Every libzmq 4.3 build for Unix has the ipc:// transport.
/// if cfg!(unix) {
///     assert!(caps.contains(&zmq4::Capability::Ipc));
/// }
/// ```
#[doc(alias = "zmq_has")]
pub fn capabilities() -> Vec<Capability> {
    Capability::ALL
        .into_iter()
        .filter(|cap| cap.is_available())
        .collect()
}

/// How the linked libzmq was found when this crate was built:
/// `"vendored"` (the bundled source, compiled and linked statically),
/// `"system"` (found by pkg-config or vcpkg) or `"explicit"` (named by
/// `ZMQ4_PREFIX` / `ZMQ4_LIB_DIR`).
///
/// ```
/// assert!(["vendored", "system", "explicit"].contains(&zmq4::LIBZMQ_SOURCE));
/// ```
pub const LIBZMQ_SOURCE: &str = if cfg!(zmq4_libzmq = "vendored") {
    "vendored"
} else if cfg!(zmq4_libzmq = "system") {
    "system"
} else {
    "explicit"
};
