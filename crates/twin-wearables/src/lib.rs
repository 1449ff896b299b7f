//! Home and wearable data → FHIR R4 Observations, for `twin_app::record_merge` to add to a held
//! record.
//!
//! Two readers, one writer: [`home_monitor_csv`] reads a home BP monitor's CSV export into
//! [`BpReading`]s; [`apple_health`] streams an Apple Health `export.xml` into daily summaries and
//! BP readings; [`observations`] turns both into Observations that name their device and file,
//! with ids derived from their content (importing a file again replaces, never duplicates).
//! [`synthetic_export`] writes a realistic export for tests and the benchmark.
//!
//! A crate of its own, not a module of `twin-fhir`: the parsing needs no FHIR model types (it
//! writes plain JSON that `twin-fhir` harmonises like any other resource), so it builds in
//! seconds and its streaming benchmark runs without the heaviest crate of the workspace; and
//! quick-xml stays out of the crates that do not read XML.

#![deny(missing_docs)]

pub mod apple_health;
pub mod home_monitor_csv;
pub mod observations;
pub mod synthetic_export;

pub use apple_health::{read_export, read_export_file, AppleHealthError, AppleHealthImport, StoppedAt};
pub use home_monitor_csv::{parse_home_bp_csv, CsvError};
pub use observations::{BpReading, DailySummary, Metric, Provenance};
pub use synthetic_export::SyntheticExport;
