//! The typed values of socket options that have a closed set of meanings.

use std::os::raw::c_int;

use bitflags::bitflags;

use super::codec::IntValue;
use crate::socket_type::SocketType;
use crate::sys::ffi;

/// The security mechanism of a socket (`ZMQ_MECHANISM`), chosen by the
/// last security option set on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mechanism {
    /// `ZMQ_NULL`: no security (the default).
    Null,
    /// `ZMQ_PLAIN`: user name and password in clear text.
    Plain,
    /// `ZMQ_CURVE`: CurveZMQ encryption and authentication.
    Curve,
    /// `ZMQ_GSSAPI`: Kerberos through GSSAPI.
    Gssapi,
}

impl IntValue for Mechanism {
    fn to_int(self) -> c_int {
        match self {
            Mechanism::Null => ffi::ZMQ_NULL,
            Mechanism::Plain => ffi::ZMQ_PLAIN,
            Mechanism::Curve => ffi::ZMQ_CURVE,
            Mechanism::Gssapi => ffi::ZMQ_GSSAPI,
        }
    }

    fn from_int(raw: c_int) -> Option<Self> {
        [
            Mechanism::Null,
            Mechanism::Plain,
            Mechanism::Curve,
            Mechanism::Gssapi,
        ]
        .into_iter()
        .find(|m| m.to_int() == raw)
    }
}

/// How a GSSAPI principal name is to be read
/// (`ZMQ_GSSAPI_PRINCIPAL_NAMETYPE`, `ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum GssapiNameType {
    /// `ZMQ_GSSAPI_NT_HOSTBASED`: `service@host` (the default).
    #[default]
    HostBased,
    /// `ZMQ_GSSAPI_NT_USER_NAME`: a local user name.
    UserName,
    /// `ZMQ_GSSAPI_NT_KRB5_PRINCIPAL`: a Kerberos principal name.
    Krb5Principal,
}

impl IntValue for GssapiNameType {
    fn to_int(self) -> c_int {
        match self {
            GssapiNameType::HostBased => ffi::ZMQ_GSSAPI_NT_HOSTBASED,
            GssapiNameType::UserName => ffi::ZMQ_GSSAPI_NT_USER_NAME,
            GssapiNameType::Krb5Principal => ffi::ZMQ_GSSAPI_NT_KRB5_PRINCIPAL,
        }
    }

    fn from_int(raw: c_int) -> Option<Self> {
        [
            GssapiNameType::HostBased,
            GssapiNameType::UserName,
            GssapiNameType::Krb5Principal,
        ]
        .into_iter()
        .find(|m| m.to_int() == raw)
    }
}

/// The NORM sender's congestion control (`ZMQ_NORM_MODE`, DRAFT).
#[cfg(feature = "draft")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum NormMode {
    /// `ZMQ_NORM_FIXED`: a fixed rate (`ZMQ_RATE`).
    Fixed,
    /// `ZMQ_NORM_CC`: TCP-friendly congestion control (the default).
    #[default]
    Cc,
    /// `ZMQ_NORM_CCL`: loss-tolerant congestion control.
    Ccl,
    /// `ZMQ_NORM_CCE`: congestion control driven by ECN.
    Cce,
    /// `ZMQ_NORM_CCE_ECNONLY`: congestion control driven by ECN only.
    CceEcnOnly,
}

#[cfg(feature = "draft")]
impl IntValue for NormMode {
    fn to_int(self) -> c_int {
        match self {
            NormMode::Fixed => ffi::ZMQ_NORM_FIXED,
            NormMode::Cc => ffi::ZMQ_NORM_CC,
            NormMode::Ccl => ffi::ZMQ_NORM_CCL,
            NormMode::Cce => ffi::ZMQ_NORM_CCE,
            NormMode::CceEcnOnly => ffi::ZMQ_NORM_CCE_ECNONLY,
        }
    }

    fn from_int(raw: c_int) -> Option<Self> {
        [
            NormMode::Fixed,
            NormMode::Cc,
            NormMode::Ccl,
            NormMode::Cce,
            NormMode::CceEcnOnly,
        ]
        .into_iter()
        .find(|m| m.to_int() == raw)
    }
}

impl IntValue for SocketType {
    fn to_int(self) -> c_int {
        self.as_raw()
    }

    fn from_int(raw: c_int) -> Option<Self> {
        SocketType::from_raw(raw)
    }
}

bitflags! {
    /// Readiness of a socket: what `ZMQ_EVENTS` reports, and what a poll
    /// asks for and reports.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct PollEvents: i16 {
        /// `ZMQ_POLLIN`: at least one message can be received without
        /// blocking.
        const POLLIN = ffi::ZMQ_POLLIN as i16;
        /// `ZMQ_POLLOUT`: at least one message can be sent without
        /// blocking.
        const POLLOUT = ffi::ZMQ_POLLOUT as i16;
        /// `ZMQ_POLLERR`: an error condition on a file descriptor (never
        /// set for a ZeroMQ socket).
        const POLLERR = ffi::ZMQ_POLLERR as i16;
        /// `ZMQ_POLLPRI`: urgent data on a file descriptor (never set for
        /// a ZeroMQ socket).
        const POLLPRI = ffi::ZMQ_POLLPRI as i16;
    }
}

impl IntValue for PollEvents {
    fn to_int(self) -> c_int {
        c_int::from(self.bits())
    }

    fn from_int(raw: c_int) -> Option<Self> {
        i16::try_from(raw).ok().map(PollEvents::from_bits_retain)
    }
}

#[cfg(feature = "draft")]
bitflags! {
    /// Which peer events a ROUTER reports as empty messages from the peer
    /// (`ZMQ_ROUTER_NOTIFY`, DRAFT).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct RouterNotify: i32 {
        /// `ZMQ_NOTIFY_CONNECT`: a peer connected.
        const CONNECT = ffi::ZMQ_NOTIFY_CONNECT;
        /// `ZMQ_NOTIFY_DISCONNECT`: a peer disconnected.
        const DISCONNECT = ffi::ZMQ_NOTIFY_DISCONNECT;
    }
}

#[cfg(feature = "draft")]
bitflags! {
    /// When a connecting socket stops reconnecting (`ZMQ_RECONNECT_STOP`,
    /// DRAFT).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct ReconnectStop: i32 {
        /// `ZMQ_RECONNECT_STOP_CONN_REFUSED`: the peer refused the
        /// connection (nothing listens there).
        const CONN_REFUSED = ffi::ZMQ_RECONNECT_STOP_CONN_REFUSED;
        /// `ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED`: the ZMTP handshake
        /// failed (the peer is not a ZeroMQ socket, or security failed).
        const HANDSHAKE_FAILED = ffi::ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED;
        /// `ZMQ_RECONNECT_STOP_AFTER_DISCONNECT`: the application called
        /// [`disconnect`](crate::Socket::disconnect).
        const AFTER_DISCONNECT = ffi::ZMQ_RECONNECT_STOP_AFTER_DISCONNECT;
    }
}

#[cfg(feature = "draft")]
macro_rules! flags_int_value {
    ($($t:ty),*) => {$(
        impl IntValue for $t {
            fn to_int(self) -> c_int {
                self.bits()
            }

            fn from_int(raw: c_int) -> Option<Self> {
                Some(<$t>::from_bits_retain(raw))
            }
        }
    )*};
}

#[cfg(feature = "draft")]
flags_int_value!(RouterNotify, ReconnectStop);
