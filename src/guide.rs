#![cfg_attr(
    feature = "channeler",
    doc = "[goczmq-channeler]: crate::guide::goczmq_channeler"
)]
#![doc = links!()]
//! Guides for people who come from another ZeroMQ binding: what each
//! call becomes, the seed programs side by side, and the traps that bite
//! every port. Every Rust block in them runs as a test.
//!
//! Securing sockets (CURVE, PLAIN, ZAP) is the [`auth`](crate::auth)
//! module's guide.
//!
//! The same pages are in the repository under `docs/porting/`.
#![doc = include_str!("../docs/porting/README.md")]

#[doc = links!()]
/// The traps that bite every port.
#[doc = include_str!("../docs/porting/traps.md")]
pub mod traps {}

#[doc = links!()]
/// Porting from pebbe/zmq4 (Go).
#[doc = include_str!("../docs/porting/pebbe-zmq4.md")]
pub mod pebbe_zmq4 {}

#[doc = links!()]
/// The pebbe/zmq4 seed programs, side by side with their ports.
#[doc = include_str!("../docs/porting/pebbe-zmq4-seeds.md")]
pub mod pebbe_zmq4_seeds {}

#[cfg_attr(
    feature = "channeler",
    doc = "[goczmq-channeler]: crate::guide::goczmq_channeler"
)]
#[doc = links!()]
/// Porting from goczmq (Go).
#[doc = include_str!("../docs/porting/goczmq.md")]
pub mod goczmq {}

#[cfg(feature = "channeler")]
#[doc = links!()]
/// Porting a goczmq Channeler (feature `channeler`).
#[doc = include_str!("../docs/porting/goczmq-channeler.md")]
pub mod goczmq_channeler {}

#[doc = links!()]
/// Porting from pyzmq (Python).
#[doc = include_str!("../docs/porting/pyzmq.md")]
pub mod pyzmq {}

#[doc = links!()]
/// Porting from rust-zmq (the `zmq` crate).
#[doc = include_str!("../docs/porting/rust-zmq.md")]
pub mod rust_zmq {}
