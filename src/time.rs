//! Durations in the units libzmq takes.
//!
//! A leaf of the crate: it imports nothing from it, and every module that
//! hands a `Duration` to libzmq (options, polls, monitors, waits) uses it.

use std::time::Duration;

/// `d` in whole `unit`s, rounded up so that a short non-zero wait never
/// becomes 0 (which libzmq reads as "do not wait" or "disabled"); `None`
/// when that does not fit in `T`. Every `Duration` given to libzmq goes
/// through here.
pub(crate) fn ceil_units<T: TryFrom<u128>>(d: Duration, unit: Duration) -> Option<T> {
    T::try_from(d.as_nanos().div_ceil(unit.as_nanos())).ok()
}
