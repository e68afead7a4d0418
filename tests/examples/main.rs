//! The example programs run as processes: against each other, the
//! zguide-shaped ones end to end, and against peers we did not write
//! (pyzmq, JeroMQ). `cargo test --test examples`.

#[path = "../support/mod.rs"]
mod support;

mod examples;
mod examples_zguide;
mod interop_examples;
