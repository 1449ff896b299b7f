//! The CardioTwin engine: everything that is computation and nothing that is I/O.
//!
//! A [`record::PatientRecord`] is the harmonised story of one patient (demographics, typed
//! measurement series in canonical units, conditions, medications, procedures). Units are
//! converted once, at the edge, through [`units`]; inside the engine every value is already
//! in its canonical unit, which its [`record::MeasurementKind`] names. [`drugs`] holds the
//! drug classes and the published effect sizes that both the synthetic demo cohort and the
//! projections use, so a figure is cited in exactly one place; [`formulary`] names the agents
//! of each class with their dose ladders, single-pill combinations and the laboratory effects
//! the safety rules read. [`renal`] holds eGFR.
//!
//! This crate knows nothing of FHIR, files, clocks, GPUs or JSON.
#![deny(missing_docs)]

pub mod drugs;
pub mod formulary;
pub mod heart;
pub mod home_bp;
pub mod progression;
pub mod record;
pub mod renal;
pub mod risk;
pub mod suggest;
pub mod trial;
pub mod twin;
pub mod units;
