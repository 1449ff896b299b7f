//! The audit log's link: how an entry of any kind ([`crate::audit`], [`crate::write_backs`]) is
//! hashed into the chain.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// SHA-256(`prev_hash` ‖ canonical JSON of `unhashed`), hex: the chain's link for an entry of
/// any kind, given with its `hash` field blank.
pub(crate) fn chain_hash<T: Serialize>(prev_hash: &str, unhashed: &T) -> String {
    let canonical = serde_json::to_vec(unhashed).unwrap_or_default();
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(&canonical);
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
