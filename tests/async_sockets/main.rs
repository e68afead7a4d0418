//! Async sockets on tokio (feature `tokio`, Unix): the edge-triggered
//! `ZMQ_FD` traps, cancellation, and tasks that park while a send cannot
//! go. `cargo test --features tokio --test async_sockets`.
//!
//! `tests/async_idle.rs` stays a binary of its own: it measures the whole
//! process's CPU time.

#[path = "../support/mod.rs"]
mod support;

mod async_cancel;
mod async_edges;
mod async_parking;
