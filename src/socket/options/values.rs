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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value of `all` becomes a distinct C value that reads back as
    /// itself, and `outside` reads as no value.
    fn round_trips<T: IntValue + Copy + PartialEq + std::fmt::Debug>(all: &[T], outside: &[c_int]) {
        let raws: Vec<c_int> = all.iter().map(|v| v.to_int()).collect();
        for (i, (value, raw)) in all.iter().zip(&raws).enumerate() {
            assert_eq!(T::from_int(*raw), Some(*value), "{value:?}");
            assert!(!raws[i + 1..].contains(raw), "{value:?} shares {raw}");
        }
        for raw in outside {
            assert!(!raws.contains(raw), "{raw} is a value");
            assert_eq!(T::from_int(*raw), None, "{raw}");
        }
    }

    #[test]
    fn every_mechanism_round_trips_and_others_are_none() {
        let all = [
            Mechanism::Null,
            Mechanism::Plain,
            Mechanism::Curve,
            Mechanism::Gssapi,
        ];
        round_trips(&all, &[-1, 4, 99, c_int::MAX]);
        assert_eq!(Mechanism::Null.to_int(), ffi::ZMQ_NULL);
        assert_eq!(Mechanism::Curve.to_int(), ffi::ZMQ_CURVE);
    }

    #[test]
    fn every_gssapi_name_type_round_trips_and_others_are_none() {
        let all = [
            GssapiNameType::HostBased,
            GssapiNameType::UserName,
            GssapiNameType::Krb5Principal,
        ];
        round_trips(&all, &[-1, 3, 99]);
        assert_eq!(
            GssapiNameType::default().to_int(),
            ffi::ZMQ_GSSAPI_NT_HOSTBASED
        );
    }

    #[cfg(feature = "draft")]
    #[test]
    fn every_norm_mode_round_trips_and_others_are_none() {
        let all = [
            NormMode::Fixed,
            NormMode::Cc,
            NormMode::Ccl,
            NormMode::Cce,
            NormMode::CceEcnOnly,
        ];
        round_trips(&all, &[-1, 5, 99]);
        assert_eq!(NormMode::default().to_int(), ffi::ZMQ_NORM_CC);
    }

    #[test]
    fn every_socket_type_round_trips_and_others_are_none() {
        round_trips(SocketType::ALL, &[-1, 100, c_int::MIN]);
    }

    #[test]
    fn poll_events_keep_every_bit_of_16_and_refuse_wider_values() {
        for bits in [0, 1, 2, 3, 4, 8, 15, 0x7FFF, -1, i16::MIN as c_int] {
            let events = PollEvents::from_int(bits).unwrap();
            assert_eq!(events.to_int(), bits, "{bits:#x}");
        }
        assert_eq!(
            PollEvents::from_int(ffi::ZMQ_POLLIN | ffi::ZMQ_POLLOUT),
            Some(PollEvents::POLLIN | PollEvents::POLLOUT)
        );
        for wide in [0x1_0000, 0x8000, c_int::MAX, i16::MIN as c_int - 1] {
            assert_eq!(PollEvents::from_int(wide), None, "{wide:#x}");
        }
    }

    #[cfg(feature = "draft")]
    #[test]
    fn flag_sets_keep_every_bit_even_unknown_ones() {
        for bits in [0, 1, 2, 3, 0x100, -1] {
            assert_eq!(RouterNotify::from_int(bits).unwrap().to_int(), bits);
            assert_eq!(ReconnectStop::from_int(bits).unwrap().to_int(), bits);
        }
        assert_eq!(
            RouterNotify::from_int(ffi::ZMQ_NOTIFY_CONNECT),
            Some(RouterNotify::CONNECT)
        );
    }
}
