//! Socket options: a typed getter and/or setter on [`Socket`] for every
//! option of libzmq 4.3, generated from one table written as rows of the
//! [`socket_options!`] macro: `stable.rs`, and `draft.rs` for the DRAFT
//! API (compiled with feature `draft`).
//!
//! Each row names the `ZMQ_*` constant, the getter and/or setter with
//! their Rust types, and the codec that turns a value into what
//! `zmq_setsockopt` / `zmq_getsockopt` take (`codec.rs`). The enums and
//! flag sets some options use are in `values.rs`.

mod codec;
mod values;

pub use values::{GssapiNameType, Mechanism, PollEvents};
#[cfg(feature = "draft")]
pub use values::{NormMode, ReconnectStop, RouterNotify};

use crate::socket::Socket;

/// Whether two strings are equal, at compile time: the table checks that
/// each row's alias names its constant.
pub(crate) const fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether setting `option` can make a socket a server that ZAP checks
/// (PLAIN, CURVE or GSSAPI, or NULL with a ZAP domain): such a socket then
/// holds the context's running ZAP handler until it is closed.
pub(crate) const fn relies_on_zap(option: std::os::raw::c_int) -> bool {
    use crate::sys::ffi;
    matches!(
        option,
        ffi::ZMQ_PLAIN_SERVER
            | ffi::ZMQ_CURVE_SERVER
            | ffi::ZMQ_GSSAPI_SERVER
            | ffi::ZMQ_ZAP_DOMAIN
    )
}

/// A sentence about units and special values, added to the docs of the
/// getters (`get`) or setters (`set`) of options with a codec.
macro_rules! unit_note {
    (get Millis) => {
        "Unit: milliseconds."
    };
    (set Millis) => {
        "Unit: milliseconds. A `Duration` is rounded up to whole \
         milliseconds; one longer than `i32::MAX` milliseconds is an error."
    };
    (get OptMillis) => {
        "Unit: milliseconds; `None` stands for libzmq's -1."
    };
    (set OptMillis) => {
        "Unit: milliseconds; `None` stands for libzmq's -1. A `Duration` is \
         rounded up to whole milliseconds; one longer than `i32::MAX` \
         milliseconds is an error."
    };
    (get OptSecs) => {
        "Unit: seconds; `None` stands for libzmq's -1."
    };
    (set OptSecs) => {
        "Unit: seconds; `None` stands for libzmq's -1. A `Duration` is \
         rounded up to whole seconds; one longer than `i32::MAX` seconds is \
         an error."
    };
    (get OptInt) => {
        "`None` stands for libzmq's -1."
    };
    (set OptInt) => {
        "`None` stands for libzmq's -1; a negative `Some` is an error."
    };
    (get Limit) => {
        "`None` stands for libzmq's 0: no limit."
    };
    (set Limit) => {
        "`None` stands for libzmq's 0: no limit. `Some` of zero or less is an \
         error of kind [`ErrorKind::InvalidArgument`](crate::error::ErrorKind::InvalidArgument)."
    };
    (set Str) => {
        "A string with a NUL byte is an error. The empty string is passed as \
         NULL, which unsets the option where libzmq allows it."
    };
    (get Str) => {
        "The text must be UTF-8 ([`ErrorKind::InvalidUtf8`](crate::error::ErrorKind::InvalidUtf8) \
         otherwise)."
    };
    ($dir:ident $other:ident) => {
        ""
    };
}

/// Generates the getters and setters of the option table.
///
/// A row is the option's doc comment and other attributes (`cfg`,
/// `deprecated`, extra `doc(alias)`), which go on both functions, then
///
/// ```text
/// ZMQ_X "ZMQ_X" = Codec {
///     getter() -> Type;
///     setter(Type);
/// }
/// ```
///
/// with the getter or the setter left out when libzmq has none. The doc
/// comment continues "Gets `ZMQ_X`: " and "Sets `ZMQ_X`: ", so it starts
/// in lower case.
macro_rules! socket_options {
    ($(
        $(#[$meta:meta])*
        $c:ident $alias:literal = $codec:ident { $($body:tt)* }
    )*) => {
        impl Socket<'_> {
            $(
                socket_options!(@row [$(#[$meta])*] $c $alias $codec { $($body)* });
            )*
        }

        $(
            const _: () = assert!(
                $crate::socket::options::same_name(stringify!($c), $alias),
                concat!("the alias of ", stringify!($c), " does not match it"),
            );
        )*
    };

    (@row $m:tt $c:ident $alias:literal $codec:ident {
        $get:ident() -> $gt:ty;
        $set:ident($st:ty);
    }) => {
        socket_options!(@get $m $c $alias $codec $get $gt);
        socket_options!(@set $m $c $alias $codec $set $st);
    };
    (@row $m:tt $c:ident $alias:literal $codec:ident {
        $get:ident() -> $gt:ty;
    }) => {
        socket_options!(@get $m $c $alias $codec $get $gt);
    };
    (@row $m:tt $c:ident $alias:literal $codec:ident {
        $set:ident($st:ty);
    }) => {
        socket_options!(@set $m $c $alias $codec $set $st);
    };

    (@get [$($m:tt)*] $c:ident $alias:literal $codec:ident $get:ident $t:ty) => {
        #[doc = concat!("Gets `", $alias, "`:")]
        $($m)*
        #[doc = ""]
        #[doc = unit_note!(get $codec)]
        #[doc = ""]
        #[doc = "See [`zmq_getsockopt`](http://api.zeromq.org/4-3:zmq-getsockopt)."]
        #[doc(alias = $alias)]
        #[doc(alias = "zmq_getsockopt")]
        #[inline]
        pub fn $get(&self) -> $crate::error::Result<$t> {
            <codec::$codec as codec::Get<$t>>::get(&self.raw, $crate::sys::ffi::$c, $alias)
        }
    };

    (@set [$($m:tt)*] $c:ident $alias:literal $codec:ident $set:ident $t:ty) => {
        #[doc = concat!("Sets `", $alias, "`:")]
        $($m)*
        #[doc = ""]
        #[doc = unit_note!(set $codec)]
        #[doc = ""]
        #[doc = "See [`zmq_setsockopt`](http://api.zeromq.org/4-3:zmq-setsockopt)."]
        #[doc(alias = $alias)]
        #[doc(alias = "zmq_setsockopt")]
        #[inline]
        pub fn $set(&self, value: $t) -> $crate::error::Result<()> {
            <codec::$codec as codec::Set<_>>::set(&self.raw, $crate::sys::ffi::$c, $alias, value)
                .map_err(|err| $crate::socket::explain_option(self.kind, $crate::sys::ffi::$c, err))?;
            if $crate::socket::options::relies_on_zap($crate::sys::ffi::$c) {
                self.rely_on_zap();
            }
            Ok(())
        }
    };
}

// Declared after the macros, which they use.
#[cfg(feature = "draft")]
mod draft;
mod stable;

impl Socket<'_> {
    /// Sets `ZMQ_USE_FD`: the next [`bind`](Socket::bind) of a `tcp://` or
    /// `ipc://` endpoint listens on `fd`, a socket the program created,
    /// bound and made listen itself (for example one handed over by a
    /// service manager), instead of making one. `None` turns this off
    /// again (libzmq's -1).
    ///
    /// A negative `Some` is an error of kind
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument).
    ///
    /// See [`zmq_setsockopt`](http://api.zeromq.org/4-3:zmq-setsockopt).
    ///
    /// # Safety
    /// libzmq takes the descriptor over at the next bind and closes it
    /// when that endpoint is unbound or the socket is closed; it checks
    /// nothing about it, and aborts the process if it is not what it
    /// expects. So if this socket binds a `tcp://` or `ipc://` endpoint
    /// while the option is set, `fd` must be:
    /// - an open socket, bound and listening, of the address family of the
    ///   endpoint bound next (TCP for `tcp://`, a Unix domain socket for
    ///   `ipc://`);
    /// - owned by nothing else from now on: nothing else may close it or
    ///   use it (a `TcpListener` must be given up with `into_raw_fd`);
    /// - bound only once: set `None` after the bind, or before a second
    ///   `bind` of this socket.
    #[doc(alias = "ZMQ_USE_FD")]
    #[doc(alias = "zmq_setsockopt")]
    #[allow(unsafe_code)] // A public `unsafe fn`: the caller vouches for the descriptor.
    pub unsafe fn set_use_fd(&self, fd: Option<i32>) -> crate::error::Result<()> {
        if let Some(fd) = fd.filter(|&fd| fd < 0) {
            return Err(crate::error::Error::invalid(
                crate::error::ErrorKind::InvalidArgument,
                format!("ZMQ_USE_FD: {fd} is not a descriptor; use None to turn it off"),
            ));
        }
        // SAFETY: the caller's contract is exactly RawSocket::set_use_fd's.
        unsafe { self.raw.set_use_fd(fd) }
            .map_err(|e| crate::error::Error::from(e).with_detail("setting ZMQ_USE_FD"))
    }
}

#[cfg(unix)]
impl std::os::fd::AsRawFd for Socket<'_> {
    /// The socket's `ZMQ_FD` ([`Socket::fd`]), or -1 if libzmq has none
    /// to give (the context was terminated, or the socket is of a
    /// thread-safe DRAFT type, which has no file descriptor).
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.fd().unwrap_or(-1)
    }
}

#[cfg(windows)]
impl std::os::windows::io::AsRawSocket for Socket<'_> {
    /// The socket's `ZMQ_FD` ([`Socket::fd`]), or `INVALID_SOCKET` if
    /// libzmq has none to give (the context was terminated, or the socket
    /// is of a thread-safe DRAFT type, which has no file descriptor).
    fn as_raw_socket(&self) -> std::os::windows::io::RawSocket {
        self.fd().unwrap_or(!0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_codec_with_a_unit_or_a_special_value_documents_it_both_ways() {
        let notes = [
            (
                unit_note!(get Millis),
                unit_note!(set Millis),
                "milliseconds",
            ),
            (
                unit_note!(get OptMillis),
                unit_note!(set OptMillis),
                "`None` stands for libzmq's -1",
            ),
            (
                unit_note!(get OptSecs),
                unit_note!(set OptSecs),
                "`None` stands for libzmq's -1",
            ),
            (
                unit_note!(get OptInt),
                unit_note!(set OptInt),
                "`None` stands for libzmq's -1",
            ),
            (
                unit_note!(get Limit),
                unit_note!(set Limit),
                "`None` stands for libzmq's 0: no limit",
            ),
        ];
        for (get, set, both) in notes {
            assert!(get.contains(both), "{get}");
            assert!(set.starts_with(get.trim_end_matches('.')), "{set}");
        }
        for set in [unit_note!(set Millis), unit_note!(set OptSecs)] {
            assert!(set.contains("rounded up"), "{set}");
            assert!(set.contains("`i32::MAX`"), "{set}");
        }
        assert!(unit_note!(get OptSecs).starts_with("Unit: seconds"));
        assert!(unit_note!(set Str).contains("NUL"));
        assert!(unit_note!(get Str).contains("UTF-8"));
        // Codecs that carry the value as it is add nothing.
        assert_eq!(unit_note!(get Int), "");
        assert_eq!(unit_note!(set Bool), "");
    }

    #[test]
    fn same_name_compares_every_byte() {
        const { assert!(same_name("ZMQ_LINGER", "ZMQ_LINGER")) };
        assert!(same_name("", ""));
        assert!(!same_name("ZMQ_LINGER", "ZMQ_LINGEr"));
        assert!(!same_name("ZMQ_LINGER", "ZMQ_LINGER_"));
        assert!(!same_name("ZMQ_A", ""));
    }

    #[test]
    fn only_security_server_options_and_the_zap_domain_rely_on_zap() {
        use crate::sys::ffi;
        for option in [
            ffi::ZMQ_PLAIN_SERVER,
            ffi::ZMQ_CURVE_SERVER,
            ffi::ZMQ_GSSAPI_SERVER,
            ffi::ZMQ_ZAP_DOMAIN,
        ] {
            assert!(relies_on_zap(option), "{option}");
        }
        for option in [
            ffi::ZMQ_LINGER,
            ffi::ZMQ_PLAIN_USERNAME,
            ffi::ZMQ_CURVE_SERVERKEY,
            ffi::ZMQ_CURVE_SECRETKEY,
        ] {
            assert!(!relies_on_zap(option), "{option}");
        }
    }
}
