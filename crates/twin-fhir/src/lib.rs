//! FHIR for CardioTwin: the mapping from FHIR R4 resources to the engine's patient record.
//!
//! [`harmonise::harmonise_bundle_text`] is the entry point for a file; it returns a
//! [`harmonise::Harmonised`]: the record, plus what could not be used and why, plus counts of
//! resources and unmapped codes. Code tables live in [`codes`]. This is the only crate that
//! sees FHIR JSON.
#![deny(missing_docs)]

pub mod attachments;
pub mod audit_export;
pub mod backend_services;
pub mod bulk_export;
pub mod codes;
pub mod error;
pub mod fetch;
pub mod genomics;
pub mod harmonise;
pub mod incremental;
pub mod notes;
pub mod smart;
pub mod transport;
pub mod write_back;

pub use error::BundleError;
pub use harmonise::{
    harmonise_bundle, harmonise_bundle_for, harmonise_bundle_text, harmonise_bundle_text_for, harmonise_entries,
    harmonise_resources, Harmonised, Problem, MAX_BUNDLE_BYTES,
};
