//! Every promise the documentation makes ("never", "cannot", "at most",
//! "fails closed", "returns within"...) that no other test attacks,
//! attacked here through the public API. docs/promises.md lists each
//! promise with the test that attacks it. Every test is bounded by a
//! watchdog, so that a regression fails instead of hanging.

mod blocking;
mod child;
mod input;
mod leak;
mod messages;
mod poll;
mod watchdog;

/// The harness's name for `case`, a test named from this module down
/// (`leak::...`), as a child process must be given it.
fn test_name(case: &str) -> String {
    crate::support::test_name(module_path!(), case)
}
