//! Errors that stop a whole bundle from being read. Messages never quote the data.

/// Why a bundle could not be harmonised at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// The text is not JSON.
    #[error("not valid JSON at line {line}, column {column}: {reason}")]
    NotJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What kind of JSON error.
        reason: String,
    },
    /// JSON, but not a FHIR resource.
    #[error("not a FHIR resource (no resourceType)")]
    NotFhir,
    /// A FHIR resource, but not a Bundle.
    #[error("a FHIR {found} resource, not a Bundle")]
    NotABundle {
        /// The resourceType found.
        found: String,
    },
    /// A Bundle whose structure is broken.
    #[error("malformed Bundle: {reason}")]
    Malformed {
        /// What is broken.
        reason: String,
    },
    /// No usable Patient resource.
    #[error("the Bundle holds no valid Patient resource")]
    NoPatient,
}
