//! The `zmq4` command-line tool (feature `cli`) run as a program: against
//! itself, its security, and against pyzmq.
//! `cargo test --features cli --test cli`.

#[path = "../support/mod.rs"]
mod support;

mod cli;
mod cli_interop;
mod cli_security;
