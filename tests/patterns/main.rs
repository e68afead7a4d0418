//! Messaging patterns and what moves messages between sockets: every
//! socket-type pairing, the ROUTER/DEALER broker, proxies, polling,
//! monitors, and the `Channeler` (feature `channeler`).
//! `cargo test --test patterns`.

#[path = "../support/mod.rs"]
mod support;

mod broker;
mod channeler;
mod monitor;
mod patterns;
mod poll;
mod proxy;
