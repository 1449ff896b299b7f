//! Panel runs: a population's FHIR Bulk Data export through the same use cases a consultation
//! runs, one row per patient × scenario, in Parquet.
//!
//! Three passes, each callable on its own, so one machine (rayon, [`run_local`]) and a cluster
//! (the Python package's Ray runner: one task per bucket) produce the same file:
//! 1. [`partition`] streams the NDJSON folder into buckets of whole patients, in bounded memory;
//! 2. [`run_bucket`] harmonises each patient of a bucket as a fetched record is, projects every
//!    scenario with seeds from (run seed, patient, scenario), suggests, and publishes the bucket's
//!    part atomically (a part that exists is done: resume, retries);
//! 3. [`finish`] merges the parts, sorted by (patient id, scenario), with the skip counts.
//!
//! The result and the work folder hold PHI (patient ids, projections; the buckets are copies of
//! the export): keep them where the export itself may be kept. The app reads a result through
//! [`read_panel`] without writing it anywhere in clear.
#![deny(missing_docs)]

mod atomic;
pub mod bundles;
pub mod error;
pub mod finish;
pub mod partition;
pub mod parts;
pub mod patient;
pub mod rows;
pub mod run;
pub mod scenario;
pub mod worklist;

pub use error::PanelError;
pub use finish::{finish, PanelSummary};
pub use partition::{partition, LineProblem, PartitionSummary};
pub use parts::run_bucket;
pub use patient::SkipReason;
pub use rows::{Band, PanelRow};
pub use run::{run_local, LocalRun, Progress};
pub use scenario::{derive_seed, PanelOptions, PanelScenario};

/// Every row of a panel result, in file order (patient id, then scenario).
///
/// # Errors
/// A file that is not a panel result; I/O.
pub fn read_panel(path: &std::path::Path) -> Result<Vec<PanelRow>, PanelError> {
    let mut rows = Vec::new();
    for batch in parts::read_rows(path)? {
        rows.extend(batch?);
    }
    Ok(rows)
}
