//! The error that crosses the app boundary: a code to branch on and a message for people.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

/// What kind of failure, for the front end to branch on. Added to only when a caller needs to
/// tell a new case apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    /// The input is not what was asked for (bad arguments, a file that is not a FHIR Bundle).
    Validation,
    /// The thing asked for does not exist.
    NotFound,
    /// Reading or writing a file failed.
    Io,
    /// The offline cache cannot be opened: its key is missing or wrong, or the keychain is away.
    StoreLocked,
    /// The offline cache or audit log failed otherwise.
    Store,
    /// Another CardioTwin window held the data folder for longer than we wait; try again.
    Busy,
    /// The data folder is older than the keychain's record of it (a restored copy, cut files).
    Tampered,
    /// Signing in to the EHR failed or must be repeated.
    FhirAuth,
    /// The EHR's FHIR server could not be reached or kept failing.
    FhirUnavailable,
    /// The clinician cancelled a long computation.
    Cancelled,
}

impl From<twin_engine::progression::Cancelled> for AppError {
    fn from(e: twin_engine::progression::Cancelled) -> Self {
        AppError::new(ErrorCode::Cancelled, e.to_string())
    }
}

/// An error for the user: what happened, in plain words, with no patient data in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    /// The kind.
    pub code: ErrorCode,
    /// One line for people.
    pub message: String,
}

impl AppError {
    /// A new error.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    /// An I/O failure on `path`. File names of demo and cache files carry no PHI.
    pub fn io(path: &Path, err: &std::io::Error) -> Self {
        let code = if err.kind() == std::io::ErrorKind::NotFound { ErrorCode::NotFound } else { ErrorCode::Io };
        let what = match err.kind() {
            std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            std::io::ErrorKind::InvalidData => "not UTF-8 text".to_string(),
            _ => err.to_string(),
        };
        Self::new(code, format!("{}: {what}", path.display()))
    }
}
