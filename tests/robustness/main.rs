//! What must hold when things go wrong: the libzmq asserts our inputs
//! could reach, the races inside libzmq found by fuzzing, every promise of
//! the documentation attacked, and what reaches a peer when the process
//! exits. `cargo test --test robustness`.
//!
//! Many cases run in a child process, this binary again running that one
//! test (`--exact`): see `support::test_name` for the name they pass.

#[path = "../support/mod.rs"]
mod support;

mod exit;
mod libzmq_asserts;
mod libzmq_races;
mod promises;
