//! Developer tooling the clinic app never runs: benchmarks ([`bench`]), the calibration-coverage
//! check ([`coverage`]), the learned model's training and evaluation ([`ml`]), the store stress
//! load of the crash-safety test ([`stress`]), and writing the synthetic demo cohort ([`demo`]).
//!
//! The `cardiotwin` CLI reaches these as `bench`, `coverage`, `train`, `evaluate`,
//! `store-stress` and `demo-cohort`; the desktop shell and `serve` never do (tested in
//! `crates/twin-app/tests/architecture.rs`: no product crate depends on this one). Built on
//! `twin-app`'s use cases and the crates below it.
#![deny(missing_docs)]

pub mod bench;
pub mod coverage;
pub mod demo;
pub mod ml;
pub mod stress;
