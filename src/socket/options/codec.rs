//! How option values travel through `zmq_setsockopt` / `zmq_getsockopt`.
//!
//! Each codec is a marker type implementing [`Get<T>`] and/or [`Set<T>`]
//! for the Rust types it can carry. The option table names a codec per
//! option; nothing here knows about individual options.

use std::os::raw::c_int;
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::key::{CurveKey, CurveSecretKey};
use crate::raw::RawSocket;
use crate::sys::ffi;

/// Reads an option as a `T`.
pub(crate) trait Get<T> {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<T>;
}

/// Writes an option from a `T`.
pub(crate) trait Set<T> {
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: T) -> Result<()>;
}

/// A value that libzmq stores as a C `int` with a closed set of meanings
/// (an enum or a set of flags).
pub(crate) trait IntValue: Sized {
    fn to_int(self) -> c_int;
    fn from_int(raw: c_int) -> Option<Self>;
}

// ---------------------------------------------------------------- errors

/// libzmq refused to set the option.
#[cold]
fn set_failed(err: impl Into<Error>, name: &'static str) -> Error {
    err.into().with_detail(format!("setting {name}"))
}

/// libzmq refused to report the option.
#[cold]
fn get_failed(err: impl Into<Error>, name: &'static str) -> Error {
    err.into().with_detail(format!("getting {name}"))
}

/// A value rejected on our side before reaching libzmq.
#[cold]
fn invalid(name: &'static str, why: impl std::fmt::Display) -> Error {
    Error::invalid(ErrorKind::InvalidArgument, format!("{name}: {why}"))
}

/// libzmq reported a value outside the option's documented range.
#[cold]
fn unexpected(name: &'static str, what: impl std::fmt::Debug) -> Error {
    Error::invalid(
        ErrorKind::Other,
        format!("{name}: libzmq reported an unexpected value {what:?}"),
    )
}

// ------------------------------------------------------------ raw access

fn set_int(sock: &RawSocket, option: c_int, name: &'static str, value: c_int) -> Result<()> {
    sock.set_int(option, value).map_err(|e| set_failed(e, name))
}

fn get_int(sock: &RawSocket, option: c_int, name: &'static str) -> Result<c_int> {
    sock.get_int(option).map_err(|e| get_failed(e, name))
}

fn set_bytes(sock: &RawSocket, option: c_int, name: &'static str, value: &[u8]) -> Result<()> {
    sock.setsockopt(option, value)
        .map_err(|e| set_failed(e, name))
}

/// Sets an option to (NULL, 0), which libzmq reads as "clear" or "unset"
/// for the options that accept it.
fn set_null(sock: &RawSocket, option: c_int, name: &'static str) -> Result<()> {
    sock.setsockopt_null(option)
        .map_err(|e| set_failed(e, name))
}

/// Reads a fixed-size value; libzmq must fill the whole buffer.
fn get_exact<const N: usize>(
    sock: &RawSocket,
    option: c_int,
    name: &'static str,
) -> Result<[u8; N]> {
    let mut buf = [0u8; N];
    let len = sock
        .getsockopt(option, &mut buf)
        .map_err(|e| get_failed(e, name))?;
    if len != N {
        return Err(unexpected(name, format_args!("length {len}")));
    }
    Ok(buf)
}

/// Reads a variable-length value. libzmq fails with EINVAL when the buffer
/// is too small, so a larger one is tried before giving up.
fn get_var(sock: &RawSocket, option: c_int, name: &'static str) -> Result<Vec<u8>> {
    // Routing ids and most strings fit in 256 bytes (at most 255 plus NUL).
    let mut small = [0u8; 256];
    match sock.getsockopt(option, &mut small) {
        Ok(len) => return Ok(small[..len].to_vec()),
        Err(e) if e.raw() != ffi::errno::EINVAL => return Err(get_failed(e, name)),
        Err(_) => {}
    }
    let mut big = vec![0u8; 64 * 1024];
    let len = sock
        .getsockopt(option, &mut big)
        .map_err(|e| get_failed(e, name))?;
    big.truncate(len);
    Ok(big)
}

// ---------------------------------------------------------------- codecs

/// A C `int`, `int64_t` or `uint64_t` passed as is (libzmq checks ranges).
pub(crate) struct Int;

impl Set<i32> for Int {
    #[inline]
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: i32) -> Result<()> {
        crate::socket::guard::check_int_option(option, value)?;
        set_int(sock, option, name, value)
    }
}

impl Get<i32> for Int {
    #[inline]
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<i32> {
        get_int(sock, option, name)
    }
}

impl Set<i64> for Int {
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: i64) -> Result<()> {
        set_bytes(sock, option, name, &value.to_ne_bytes())
    }
}

impl Get<i64> for Int {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<i64> {
        get_exact(sock, option, name).map(i64::from_ne_bytes)
    }
}

impl Set<u64> for Int {
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: u64) -> Result<()> {
        set_bytes(sock, option, name, &value.to_ne_bytes())
    }
}

impl Get<u64> for Int {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<u64> {
        get_exact(sock, option, name).map(u64::from_ne_bytes)
    }
}

/// An integer where libzmq's -1 means "not set" (OS default, no limit):
/// `None` is -1, and a negative `Some` is rejected.
pub(crate) struct OptInt;

impl OptInt {
    /// The C value of `value`: -1 for `None`; a negative `Some` is refused.
    fn to_raw<T>(name: &'static str, value: Option<T>) -> Result<T>
    where
        T: Copy + PartialOrd + From<i8> + std::fmt::Display,
    {
        match value {
            None => Ok(T::from(-1)),
            Some(v) if v < T::from(0) => {
                Err(invalid(name, format_args!("{v} is negative (use None)")))
            }
            Some(v) => Ok(v),
        }
    }

    /// The value of a C `int`: -1 is `None`, another negative number is
    /// not one libzmq reports.
    fn from_raw(name: &'static str, raw: c_int) -> Result<Option<i32>> {
        match raw {
            -1 => Ok(None),
            v if v < 0 => Err(unexpected(name, v)),
            v => Ok(Some(v)),
        }
    }

    /// The value of a 64-bit integer (`ZMQ_MAXMSGSIZE`): any negative
    /// number is `None`, because libzmq reads it so (a limit is a value
    /// `>= 0`) and accepts any from another binding's setter. A C `int`
    /// option's setter takes -1 alone, so another negative is reported.
    fn from_raw64(raw: i64) -> Option<i64> {
        (raw >= 0).then_some(raw)
    }
}

impl Set<Option<i32>> for OptInt {
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: Option<i32>) -> Result<()> {
        set_int(sock, option, name, Self::to_raw(name, value)?)
    }
}

impl Get<Option<i32>> for OptInt {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<Option<i32>> {
        Self::from_raw(name, get_int(sock, option, name)?)
    }
}

impl Set<Option<i64>> for OptInt {
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: Option<i64>) -> Result<()> {
        Int::set(sock, option, name, Self::to_raw(name, value)?)
    }
}

impl Get<Option<i64>> for OptInt {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<Option<i64>> {
        <Int as Get<i64>>::get(sock, option, name).map(Self::from_raw64)
    }
}

/// A limit where libzmq's 0 means "no limit" (the high-water marks):
/// `None` is 0, and `Some` must be more than zero: `Some(0)` would read
/// as a limit of nothing, so it is rejected with a pointer to `None`.
pub(crate) struct Limit;

impl Limit {
    /// The C value of `value`: 0 for `None`; a `Some` of zero or less is
    /// refused.
    fn to_raw(name: &'static str, value: Option<i32>) -> Result<c_int> {
        match value {
            None => Ok(0),
            Some(v) if v <= 0 => Err(invalid(
                name,
                format_args!("{v} is not a limit (None means no limit)"),
            )),
            Some(v) => Ok(v),
        }
    }

    /// The value of a C `int`: 0 is `None`, a negative number is not one
    /// libzmq reports.
    fn from_raw(name: &'static str, raw: c_int) -> Result<Option<i32>> {
        match raw {
            0 => Ok(None),
            v if v < 0 => Err(unexpected(name, v)),
            v => Ok(Some(v)),
        }
    }
}

impl Set<Option<i32>> for Limit {
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: Option<i32>) -> Result<()> {
        set_int(sock, option, name, Self::to_raw(name, value)?)
    }
}

impl Get<Option<i32>> for Limit {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<Option<i32>> {
        Self::from_raw(name, get_int(sock, option, name)?)
    }
}

/// A C `int` used as a flag: 0 or 1.
pub(crate) struct Bool;

impl Set<bool> for Bool {
    #[inline]
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: bool) -> Result<()> {
        set_int(sock, option, name, c_int::from(value))
    }
}

impl Get<bool> for Bool {
    #[inline]
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<bool> {
        get_int(sock, option, name).map(|v| v != 0)
    }
}

/// A tri-state C `int`: -1 (leave the OS default) is `None`, 0 and 1 are
/// `Some(false)` and `Some(true)`.
pub(crate) struct OptBool;

impl OptBool {
    /// The C value of `value`: -1, 0 or 1.
    fn to_raw(value: Option<bool>) -> c_int {
        value.map_or(-1, c_int::from)
    }

    /// The value of a C `int`: -1, 0 and 1 only.
    fn from_raw(name: &'static str, raw: c_int) -> Result<Option<bool>> {
        match raw {
            -1 => Ok(None),
            0 => Ok(Some(false)),
            1 => Ok(Some(true)),
            v => Err(unexpected(name, v)),
        }
    }
}

impl Set<Option<bool>> for OptBool {
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: Option<bool>) -> Result<()> {
        set_int(sock, option, name, Self::to_raw(value))
    }
}

impl Get<Option<bool>> for OptBool {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<Option<bool>> {
        Self::from_raw(name, get_int(sock, option, name)?)
    }
}

/// A time in whole units of `UNIT_MS` milliseconds, rounded up; it must
/// fit in a C `int`.
pub(crate) struct Time<const UNIT_MS: u64>;

/// Like [`Time`], with libzmq's -1 as `None`.
pub(crate) struct OptTime<const UNIT_MS: u64>;

pub(crate) type Millis = Time<1>;
pub(crate) type OptMillis = OptTime<1>;
pub(crate) type OptSecs = OptTime<1000>;

impl<const UNIT_MS: u64> Time<UNIT_MS> {
    const UNIT: Duration = Duration::from_millis(UNIT_MS);

    fn to_int(name: &'static str, d: Duration) -> Result<c_int> {
        crate::time::ceil_units(d, Self::UNIT).ok_or_else(|| {
            let max = Self::UNIT * c_int::MAX as u32;
            invalid(name, format_args!("{d:?} is too long (at most {max:?})"))
        })
    }

    fn from_int(name: &'static str, v: c_int) -> Result<Duration> {
        u32::try_from(v)
            .map(|n| Self::UNIT * n)
            .map_err(|_| unexpected(name, v))
    }
}

impl<const U: u64> Set<Duration> for Time<U> {
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: Duration) -> Result<()> {
        set_int(sock, option, name, Self::to_int(name, value)?)
    }
}

impl<const U: u64> Get<Duration> for Time<U> {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<Duration> {
        Self::from_int(name, get_int(sock, option, name)?)
    }
}

/// For an option that reports -1 but cannot be set to it.
impl<const U: u64> Get<Option<Duration>> for Time<U> {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<Option<Duration>> {
        OptTime::<U>::get(sock, option, name)
    }
}

impl<const U: u64> OptTime<U> {
    /// The C value of `value`: -1 for `None`, else as [`Time`].
    fn to_raw(name: &'static str, value: Option<Duration>) -> Result<c_int> {
        match value {
            None => Ok(-1),
            Some(d) => Time::<U>::to_int(name, d),
        }
    }

    /// The value of a C `int`: -1 is `None`, else as [`Time`].
    fn from_raw(name: &'static str, raw: c_int) -> Result<Option<Duration>> {
        match raw {
            -1 => Ok(None),
            v => Time::<U>::from_int(name, v).map(Some),
        }
    }
}

impl<const U: u64> Set<Option<Duration>> for OptTime<U> {
    fn set(
        sock: &RawSocket,
        option: c_int,
        name: &'static str,
        value: Option<Duration>,
    ) -> Result<()> {
        set_int(sock, option, name, Self::to_raw(name, value)?)
    }
}

impl<const U: u64> Get<Option<Duration>> for OptTime<U> {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<Option<Duration>> {
        Self::from_raw(name, get_int(sock, option, name)?)
    }
}

/// Binary data of any length, passed as is.
pub(crate) struct Bytes;

impl<T: AsRef<[u8]>> Set<T> for Bytes {
    #[inline]
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: T) -> Result<()> {
        crate::socket::guard::check_bytes_option(option, value.as_ref())?;
        set_bytes(sock, option, name, value.as_ref())
    }
}

impl Get<Vec<u8>> for Bytes {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<Vec<u8>> {
        get_var(sock, option, name)
    }
}

/// The longest interface name `SO_BINDTODEVICE` takes (`IFNAMSIZ` - 1).
const MAX_DEVICE_NAME: usize = 15;

/// A character string. Set: no NUL byte allowed; the empty string is sent
/// as (NULL, 0), which libzmq reads as "unset" where it allows that. Get:
/// the trailing NUL is dropped and the rest must be UTF-8.
pub(crate) struct Str;

impl Str {
    /// Refuses a string libzmq cannot be given for `option`.
    fn check(option: c_int, name: &'static str, value: &str) -> Result<()> {
        if value.as_bytes().contains(&0) {
            return Err(invalid(name, format_args!("{value:?} contains a NUL byte")));
        }
        // libzmq takes 16 bytes, and the kernel then binds to the device
        // named by the first 15 (`IFNAMSIZ` counts the NUL).
        if option == ffi::ZMQ_BINDTODEVICE && value.len() > MAX_DEVICE_NAME {
            return Err(invalid(
                name,
                format_args!(
                    "{value:?} is {} bytes; an interface name is at most {MAX_DEVICE_NAME}",
                    value.len()
                ),
            ));
        }
        Ok(())
    }

    /// The text of what libzmq reported: its trailing NUL dropped, UTF-8.
    fn from_raw(mut bytes: Vec<u8>) -> Result<String> {
        if bytes.last() == Some(&0) {
            bytes.pop();
        }
        String::from_utf8(bytes).map_err(Error::invalid_utf8)
    }
}

impl Set<&str> for Str {
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: &str) -> Result<()> {
        Self::check(option, name, value)?;
        if value.is_empty() {
            set_null(sock, option, name)
        } else {
            set_bytes(sock, option, name, value.as_bytes())
        }
    }
}

impl Get<String> for Str {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<String> {
        Self::from_raw(get_var(sock, option, name)?)
    }
}

/// A string added to a list, `None` clearing the list: (NULL, 0).
pub(crate) struct StrList;

impl Set<Option<&str>> for StrList {
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: Option<&str>) -> Result<()> {
        match value {
            None => set_null(sock, option, name),
            Some(s) => Str::set(sock, option, name, s),
        }
    }
}

/// A process, user or group id added to a set, `None` clearing the set.
#[cfg(unix)]
pub(crate) struct IdList;

#[cfg(unix)]
macro_rules! id_list {
    ($($t:ty),*) => {$(
        impl Set<Option<$t>> for IdList {
            fn set(sock: &RawSocket, option: c_int, name: &'static str, value: Option<$t>) -> Result<()> {
                match value {
                    None => set_null(sock, option, name),
                    Some(id) => set_bytes(sock, option, name, &id.to_ne_bytes()),
                }
            }
        }
    )*};
}

// uid_t and gid_t are u32, pid_t is i32 on every Unix libzmq supports.
#[cfg(unix)]
id_list!(u32, i32);

/// A CURVE key, as 32 raw bytes.
pub(crate) struct Key;

impl Set<&CurveKey> for Key {
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: &CurveKey) -> Result<()> {
        set_bytes(sock, option, name, value.as_bytes())
    }
}

impl Get<CurveKey> for Key {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<CurveKey> {
        // A buffer of exactly 32 bytes asks libzmq for the binary form.
        get_exact::<{ CurveKey::LEN }>(sock, option, name).map(CurveKey::new)
    }
}

/// A CURVE secret key, as 32 raw bytes: a type of its own so that the
/// socket's secret key cannot be set from (or read into) a public key.
pub(crate) struct SecretKey;

impl Set<&CurveSecretKey> for SecretKey {
    fn set(
        sock: &RawSocket,
        option: c_int,
        name: &'static str,
        value: &CurveSecretKey,
    ) -> Result<()> {
        set_bytes(sock, option, name, value.as_bytes())
    }
}

impl Get<CurveSecretKey> for SecretKey {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<CurveSecretKey> {
        get_exact::<{ CurveKey::LEN }>(sock, option, name).map(CurveSecretKey::new)
    }
}

/// An enum or flag set stored as a C `int`.
pub(crate) struct Typed;

impl<T: IntValue> Set<T> for Typed {
    #[inline]
    fn set(sock: &RawSocket, option: c_int, name: &'static str, value: T) -> Result<()> {
        set_int(sock, option, name, value.to_int())
    }
}

impl Typed {
    /// The value of a C `int`, which must be one of `T`'s.
    fn from_raw<T: IntValue>(name: &'static str, raw: c_int) -> Result<T> {
        T::from_int(raw).ok_or_else(|| unexpected(name, raw))
    }
}

impl<T: IntValue> Get<T> for Typed {
    #[inline]
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<T> {
        Self::from_raw(name, get_int(sock, option, name)?)
    }
}

/// The socket's file descriptor (`zmq_fd_t`: an `int`, or a `SOCKET` on
/// Windows).
pub(crate) struct Fd;

#[cfg(unix)]
impl Get<std::os::fd::RawFd> for Fd {
    fn get(sock: &RawSocket, option: c_int, name: &'static str) -> Result<std::os::fd::RawFd> {
        get_exact::<{ std::mem::size_of::<ffi::zmq_fd_t>() }>(sock, option, name)
            .map(ffi::zmq_fd_t::from_ne_bytes)
    }
}

#[cfg(windows)]
impl Get<std::os::windows::io::RawSocket> for Fd {
    // `zmq_fd_t` is already a u64 on 64-bit Windows, a u32 on 32-bit.
    #[allow(clippy::useless_conversion)]
    fn get(
        sock: &RawSocket,
        option: c_int,
        name: &'static str,
    ) -> Result<std::os::windows::io::RawSocket> {
        get_exact::<{ std::mem::size_of::<ffi::zmq_fd_t>() }>(sock, option, name)
            .map(|b| ffi::zmq_fd_t::from_ne_bytes(b).into())
    }
}

#[cfg(test)]
mod tests;
