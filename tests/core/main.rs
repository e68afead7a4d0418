//! The core types, each module one of the API's parts: context, errors,
//! messages, sending and receiving (and sending a message built in place), socket options, the raw layer, the
//! linked libzmq's capabilities, the thread-safe socket types, a context
//! shared between threads, and no send that loses data.
//!
//! One binary (each integration binary links libzmq and is compiled on its
//! own): `cargo test --test core`. Test names keep the file they were
//! written in as their first part (`message::...`, `socket_options::...`).

#[path = "../support/mod.rs"]
mod support;

mod capability;
mod context;
mod errors;
mod message;
mod nothing_lost;
mod raw_smoke;
mod send_new;
mod send_recv;
mod shared_context;
mod socket_options;
mod thread_safe;
