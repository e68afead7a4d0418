//! What survives what: numbered message streams through every pattern,
//! over tcp and ipc, with faults injected by a relay and by signals to peer
//! processes; what arrives, what is lost, what the sender is told, how long
//! detection takes.
//!
//! `cargo test --test faults` runs the short set. The full matrix (100,000
//! messages a run, every pattern, transport and fault) and the long soak
//! are ignored tests that `ci/faults.sh` runs, writing the table of
//! `docs/reliability.md`.
//!
//! A binary of its own: it runs itself again as the peer processes of its
//! scenarios (one lowers its own descriptor limit), sends them signals
//! and times what it sees; `ci/faults.sh` runs it alone.
#![cfg(target_os = "linux")]

mod full;
mod matrix;
mod peer;
mod relay;
mod roles;
mod scenarios;
mod short;
mod soak;
mod sys;
mod tally;
mod watchdog;

/// A peer process: this binary run again with `ZMQ4_FAULTS_ROLE` set runs
/// only this test, which then plays the role (see `roles.rs`). Without
/// that variable it does nothing.
#[test]
fn peer_process() {
    if let Ok(role) = std::env::var(peer::ROLE) {
        roles::run(&role);
    }
}
