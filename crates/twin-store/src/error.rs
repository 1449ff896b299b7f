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
        /// Why, in plain words.
        reason: String,
    },
    /// The data folder is older than the keychain's record of it: an older copy was restored, or
    /// files were removed. Nothing is read from it as if it were current.
    #[error("the data folder was rolled back: {reason}")]
    RolledBack {
        /// What does not match.
        reason: String,
    },
    /// Another CardioTwin window or command held the data folder for longer than we wait.
    #[error("CardioTwin is busy in another window (the data folder is in use); try again in a moment")]
    Busy,
    /// A store file could not be read or written.
    #[error("cache storage error: {0}")]
    Database(String),
    /// A record could not be decrypted or decoded; it has been set aside (quarantined).
    #[error("a cached record (file {key}) is damaged and was set aside; every other record is unaffected. Fetch or import that patient again")]
    Corrupt {
        /// The record's file name stem (a keyed hash, not a patient id).
        key: String,
    },
    /// Nothing stored under that id.
    #[error("no cached patient with that id")]
    NotFound,
    /// A value the caller passed is not acceptable.
    #[error("{0}")]
    Invalid(String),
}
