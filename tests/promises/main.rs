//! Every promise the documentation makes ("never", "cannot", "at most",
//! "fails closed", "returns within"...) that no other test attacks,
//! attacked here through the public API. docs/promises.md lists each
//! promise with the test that attacks it. Every test is bounded by a
//! watchdog, so that a regression fails instead of hanging.

#[path = "../common/mod.rs"]
mod common;

mod blocking;
mod child;
mod input;
mod leak;
mod messages;
mod poll;
mod watchdog;
