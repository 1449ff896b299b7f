//! CardioTwin's use cases, written once for the desktop app, the `cardiotwin` CLI and `serve`.
//!
//! Plain Rust in, transport types out: [`json`] holds the serialisable, camelCase types that
//! cross into the UI (TypeScript declarations are generated from them, see
//! [`typescript::typescript_declarations`]); [`error::AppError`] carries a short [`error::ErrorCode`]
//! the front end can branch on, and a plain-language message that never contains PHI.
//! [`patients`] opens bundles and lists a folder of them; [`demo`] finds the synthetic cohort.
//! Developer tooling (benchmarks, the coverage check, training, the demo cohort's writer) is in
//! `twin-devtools`, which the app never runs.
#![deny(missing_docs)]

pub mod builder;
pub mod bulk;
pub mod cache;
pub mod changes;
pub mod commands;
pub mod compute;
pub mod demo;
pub mod ehr;
pub mod error;
pub mod freshness;
pub mod heatmap;
pub mod hindcast;
pub mod hl7_import;
pub mod home_import;
pub mod identity;
pub mod json;
pub mod ml;
pub mod overview;
pub mod patient_view;
pub mod patients;
pub mod record_merge;
pub mod risk;
pub mod saved;
pub mod scenario_file;
pub mod session;
pub mod settings;
pub mod simulate;
pub mod suggest;
pub mod summary;
pub mod trial;
pub mod twin;
pub mod typescript;
mod words;
pub mod worklist;

pub use error::{AppError, ErrorCode};
