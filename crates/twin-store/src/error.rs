//! The store's errors. Messages are for people and carry no patient data.

/// What went wrong with the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The encryption key is missing from the keychain, or does not open this cache.
    #[error("cache locked: {reason}. Nothing was deleted; restore the keychain entry to read it")]
    Locked {
        /// Why, in plain words.
        reason: String,
    },
    /// The keychain could not be reached at all.
    #[error("keychain unavailable: {reason}")]
    Keychain {
        /// What the keychain backend said.
        reason: String,
    },
    /// The database could not be opened, read or written.
    #[error("cache database error: {0}")]
    Database(String),
    /// A record could not be decrypted or decoded; it has been moved to quarantine.
    #[error("record {key} is corrupt and was quarantined; all other records are unaffected")]
    Corrupt {
        /// The record's key (a hash, not a patient id).
        key: String,
    },
    /// Nothing stored under that id.
    #[error("no cached patient with that id")]
    NotFound,
    /// A value the caller passed is not acceptable.
    #[error("{0}")]
    Invalid(String),
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        StoreError::Database(e.to_string())
    }
}

impl From<sled::transaction::TransactionError<StoreError>> for StoreError {
    fn from(e: sled::transaction::TransactionError<StoreError>) -> Self {
        match e {
            sled::transaction::TransactionError::Abort(inner) => inner,
            sled::transaction::TransactionError::Storage(s) => StoreError::Database(s.to_string()),
        }
    }
}
