//! The porting guides in `docs/porting/`, compiled and run as doctests so
//! that every Rust block in them stays true to the API.
//!
//! The module exists only under `cfg(doctest)`: the guides are read on the
//! repository (or the crate's source), not in the API reference.

/// Index of the porting guides.
#[doc = include_str!("../docs/porting/README.md")]
pub struct PortingIndex;

/// The traps that bite every port.
#[doc = include_str!("../docs/porting/traps.md")]
pub struct PortingTraps;

/// Porting from pebbe/zmq4 (Go).
#[doc = include_str!("../docs/porting/pebbe-zmq4.md")]
pub struct FromPebbeZmq4;

/// The pebbe/zmq4 seed programs, side by side with their ports.
#[doc = include_str!("../docs/porting/pebbe-zmq4-seeds.md")]
pub struct PebbeZmq4Seeds;

/// Porting from goczmq (Go).
#[doc = include_str!("../docs/porting/goczmq.md")]
pub struct FromGoczmq;

/// Porting from pyzmq (Python).
#[doc = include_str!("../docs/porting/pyzmq.md")]
pub struct FromPyzmq;

/// Porting from rust-zmq (the `zmq` crate).
#[doc = include_str!("../docs/porting/rust-zmq.md")]
pub struct FromRustZmq;
