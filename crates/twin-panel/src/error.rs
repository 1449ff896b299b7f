//! What stops a panel run (or one bucket of it). A patient that cannot be used is not an error:
//! it is a row with a skip reason. Messages name files and lines, never the records' contents.

use std::path::{Path, PathBuf};

/// Why a pass of the panel run could not go on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PanelError {
    /// A file or folder could not be read or written.
    #[error("{path}: {reason}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// The input folder holds no `.ndjson` file.
    #[error("{0}: no .ndjson files (a FHIR Bulk Data export writes Patient.ndjson, Observation.ndjson, …)")]
    NoInput(PathBuf),
    /// A scenario file could not be used.
    #[error("scenario {name}: {reason}")]
    Scenario {
        /// The scenario's file or name.
        name: String,
        /// Why.
        reason: String,
    },
    /// Options out of range (buckets, members, months).
    #[error("{0}")]
    Options(String),
    /// The work folder was written by another input or with other settings.
    #[error("{path}: {reason}; use another --work folder or delete this one")]
    WorkMismatch {
        /// The file that disagrees.
        path: PathBuf,
        /// How.
        reason: String,
    },
    /// The work folder has not been partitioned (pass 1 has not run).
    #[error("{0}: not partitioned yet (run pass 1, `partition`, first)")]
    NotPartitioned(PathBuf),
    /// A part or the result file is not the Parquet this crate writes.
    #[error("{path}: not a panel result: {reason}")]
    BadPart {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Pass 3 ran before every bucket was done.
    #[error("{done} of {total} buckets are done; run the remaining buckets (pass 2) before finishing")]
    Incomplete {
        /// Buckets done.
        done: usize,
        /// Buckets in all.
        total: usize,
    },
    /// Stopped (Ctrl-C) before every bucket was done: what is done is kept for a rerun.
    #[error("stopped: {done} of {total} buckets are done and kept; run the same command again to resume")]
    Stopped {
        /// Buckets done.
        done: usize,
        /// Buckets in all.
        total: usize,
    },
}

impl PanelError {
    /// An I/O error on `path`.
    pub(crate) fn io(path: &Path, e: &std::io::Error) -> Self {
        Self::Io { path: path.to_path_buf(), reason: e.to_string() }
    }

    /// A Parquet or Arrow error on `path`.
    pub(crate) fn part(path: &Path, e: impl std::fmt::Display) -> Self {
        Self::BadPart { path: path.to_path_buf(), reason: e.to_string() }
    }
}
