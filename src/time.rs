//! Durations in the units libzmq takes.
//!
//! A leaf of the crate: it imports nothing from it, and every module that
//! hands a `Duration` to libzmq (options, polls, monitors, waits) uses it.

use std::time::Duration;

const NANOS_PER_SEC: u64 = 1_000_000_000;

/// `d` in whole `unit`s, rounded up so that a short non-zero wait never
/// becomes 0 (which libzmq reads as "do not wait" or "disabled"); `None`
/// when that does not fit in `T`. Every `Duration` given to libzmq goes
/// through here.
///
/// Polls convert their timeout on every call, so the common case is done
/// in 64 bits, where a constant `unit` (every caller's) turns the division
/// into multiplications: a `d` and a `unit` under 584 years, whose
/// nanoseconds fit in a `u64`. Only longer ones take the 128-bit division
/// (a library call), with the same result.
#[inline]
pub(crate) fn ceil_units<T: TryFrom<u128>>(d: Duration, unit: Duration) -> Option<T> {
    match (nanos_u64(d), u64::try_from(unit.as_nanos())) {
        (Some(d), Ok(unit)) => T::try_from(u128::from(d.div_ceil(unit))).ok(),
        _ => ceil_units_u128(d, unit),
    }
}

/// `d` in nanoseconds, when that fits in a `u64` (`d.as_nanos()` is a
/// `u128`): for a whole number of seconds under `u64::MAX / 10^9`,
/// `secs * 10^9 + 999_999_999` cannot overflow.
#[inline]
fn nanos_u64(d: Duration) -> Option<u64> {
    let secs = d.as_secs();
    (secs < u64::MAX / NANOS_PER_SEC).then(|| secs * NANOS_PER_SEC + u64::from(d.subsec_nanos()))
}

/// [`ceil_units`] for durations whose nanoseconds need 128 bits.
#[cold]
#[inline(never)]
fn ceil_units_u128<T: TryFrom<u128>>(d: Duration, unit: Duration) -> Option<T> {
    T::try_from(d.as_nanos().div_ceil(unit.as_nanos())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::raw::{c_int, c_long};

    const NS: Duration = Duration::from_nanos(1);
    const MS: Duration = Duration::from_millis(1);
    const SEC: Duration = Duration::from_secs(1);

    /// The units the crate uses (milliseconds; seconds for the options in
    /// whole seconds), and others that divide or do not divide a second.
    fn units() -> Vec<Duration> {
        vec![
            MS,
            SEC,
            NS,
            Duration::from_micros(1),
            Duration::from_millis(250),
            Duration::from_nanos(8),
            Duration::from_nanos(7),
            Duration::from_nanos(999_999_937),
            Duration::from_millis(1500),
            Duration::from_secs(3600),
            // The largest unit whose nanoseconds fit in a u64, and the
            // smallest that does not.
            Duration::from_nanos(u64::MAX),
            Duration::from_nanos(u64::MAX) + NS,
            Duration::MAX,
        ]
    }

    /// 0, 1 ns, and around `unit`, its multiples, the ends of the 64-bit
    /// nanoseconds and of each target type's range, and `Duration::MAX`.
    fn edges(unit: Duration) -> Vec<Duration> {
        let mut out = vec![Duration::ZERO, NS, Duration::MAX, Duration::MAX - NS];
        let mut around = |d: Option<Duration>| {
            if let Some(d) = d {
                out.extend(
                    [Some(d), d.checked_sub(NS), d.checked_add(NS)]
                        .into_iter()
                        .flatten(),
                );
            }
        };
        around(Some(unit));
        around(unit.checked_mul(2));
        around(unit.checked_mul(1000));
        for n in [
            i32::MAX as u64,
            i32::MAX as u64 + 1,
            u32::MAX as u64,
            i64::MAX as u64,
            u64::MAX,
        ] {
            // n units, when that is a Duration: the boundary of c_int,
            // i32, i64 and u64 results.
            let nanos = unit.as_nanos().checked_mul(u128::from(n));
            around(nanos.and_then(from_nanos_u128));
        }
        around(Some(Duration::from_nanos(u64::MAX)));
        let limit = u64::MAX / NANOS_PER_SEC;
        around(Some(Duration::new(limit - 1, 999_999_999)));
        around(Some(Duration::from_secs(limit)));
        around(Some(Duration::from_secs(u64::MAX)));
        out
    }

    fn from_nanos_u128(n: u128) -> Option<Duration> {
        let secs = u64::try_from(n / u128::from(NANOS_PER_SEC)).ok()?;
        Some(Duration::new(secs, (n % u128::from(NANOS_PER_SEC)) as u32))
    }

    /// `ceil_units` against the definition it falls back to: 128-bit
    /// nanoseconds divided rounding up.
    fn same_as_reference(d: Duration, unit: Duration) {
        macro_rules! check {
            ($($t:ty),*) => {$(
                assert_eq!(
                    ceil_units::<$t>(d, unit),
                    ceil_units_u128::<$t>(d, unit),
                    "{} {d:?} / {unit:?}",
                    stringify!($t)
                );
            )*};
        }
        check!(c_int, i32, c_long, i64, u64, u128);
    }

    #[test]
    fn rounds_up_and_keeps_short_waits_non_zero() {
        assert_eq!(ceil_units::<c_long>(Duration::ZERO, MS), Some(0));
        assert_eq!(ceil_units::<c_long>(NS, MS), Some(1));
        assert_eq!(ceil_units::<c_long>(MS - NS, MS), Some(1));
        assert_eq!(ceil_units::<c_long>(MS, MS), Some(1));
        assert_eq!(ceil_units::<c_long>(MS + NS, MS), Some(2));
        assert_eq!(ceil_units::<c_int>(Duration::from_millis(5), MS), Some(5));
        assert_eq!(ceil_units::<c_int>(SEC + NS, SEC), Some(2));
        assert_eq!(
            ceil_units::<c_int>(Duration::from_micros(1500), MS),
            Some(2)
        );
    }

    #[test]
    fn none_when_it_does_not_fit() {
        let max_ms = Duration::from_millis(i32::MAX as u64);
        assert_eq!(ceil_units::<i32>(max_ms, MS), Some(i32::MAX));
        assert_eq!(ceil_units::<i32>(max_ms - NS, MS), Some(i32::MAX));
        assert_eq!(ceil_units::<i32>(max_ms + NS, MS), None);
        assert_eq!(ceil_units::<i64>(Duration::MAX, MS), None);
        assert_eq!(ceil_units::<i64>(Duration::from_secs(u64::MAX), SEC), None);
        assert_eq!(
            ceil_units::<u64>(Duration::from_secs(u64::MAX), SEC),
            Some(u64::MAX)
        );
        assert_eq!(
            ceil_units::<u128>(Duration::MAX, NS),
            Some(Duration::MAX.as_nanos())
        );
    }

    #[test]
    fn edges_as_the_128_bit_division() {
        for unit in units() {
            for d in edges(unit) {
                same_as_reference(d, unit);
            }
        }
    }

    #[test]
    fn many_durations_as_the_128_bit_division() {
        // A fixed xorshift sequence: seconds of every magnitude (a random
        // number of bits), any sub-second part.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let units = units();
        for _ in 0..200_000 {
            let bits = next() % 65;
            let secs = if bits == 0 { 0 } else { next() >> (64 - bits) };
            let nanos = (next() % NANOS_PER_SEC) as u32;
            let d = Duration::new(secs, nanos);
            let unit = units[(next() % units.len() as u64) as usize];
            same_as_reference(d, unit);
            // Whole units and one nanosecond either side.
            if let Some(whole) = unit.checked_mul((next() % 100_000) as u32) {
                for d in [Some(whole), whole.checked_sub(NS), whole.checked_add(NS)]
                    .into_iter()
                    .flatten()
                {
                    same_as_reference(d, unit);
                }
            }
        }
    }
}
