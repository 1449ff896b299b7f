//! The override and audit log: append-only, each entry hash-chained to the one before.
//!
//! hash(n) = SHA-256(prev_hash ‖ canonical JSON of entry n without its hash), with
//! prev_hash(1) = 64 zeros. Entries are stored encrypted under their sequence number (which is
//! also their associated data), and a sealed head record holds the last sequence number and hash,
//! so [`Store::verify_audit`] detects an edited, deleted (anywhere, including the last), inserted
//! or reordered entry and names the first bad sequence number.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sled::transaction::ConflictableTransactionError;
use sled::Transactional;

use crate::error::StoreError;
use crate::store::Store;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HEAD: &[u8] = b"audit_head";

/// What the clinician decided about a suggestion or simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Taken as suggested.
    Accepted,
    /// Taken with changes.
    Modified,
    /// Not taken.
    Declined,
}

/// An entry to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    /// Who decided (user name or id).
    pub user: String,
    /// Patient id.
    pub patient_id: String,
    /// What was suggested or simulated.
    pub suggestion: String,
    /// The decision.
    pub decision: Decision,
    /// What was changed (required for `Modified`).
    pub modification: Option<String>,
    /// Why (required for `Modified` and `Declined`).
    pub reason: Option<String>,
    /// Engine version.
    pub engine_version: String,
    /// Model version (e.g. the sequence model's weights), where one was used.
    pub model_version: String,
    /// SHA-256 of the inputs the suggestion was computed from.
    pub inputs_hash: String,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Sequence number, from 1.
    pub seq: u64,
    /// When (RFC 3339, UTC).
    pub time: String,
    /// Who.
    pub user: String,
    /// Patient id.
    pub patient_id: String,
    /// What was suggested or simulated.
    pub suggestion: String,
    /// Decision.
    pub decision: Decision,
    /// Modification.
    pub modification: Option<String>,
    /// Reason.
    pub reason: Option<String>,
    /// Engine version.
    pub engine_version: String,
    /// Model version.
    pub model_version: String,
    /// Hash of the inputs.
    pub inputs_hash: String,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

#[derive(Serialize, Deserialize)]
struct Head {
    seq: u64,
    hash: String,
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Entries that check out, from the first.
    pub n_good: u64,
    /// The first bad sequence number and what is wrong with it; `None` when intact.
    pub first_bad: Option<(u64, String)>,
}

impl Verification {
    /// Whether the whole log is intact.
    pub fn intact(&self) -> bool {
        self.first_bad.is_none()
    }
}

fn entry_hash(e: &AuditEntry) -> String {
    let mut unhashed = e.clone();
    unhashed.hash = String::new();
    let canonical = serde_json::to_vec(&unhashed).unwrap_or_default();
    let mut hasher = Sha256::new();
    hasher.update(e.prev_hash.as_bytes());
    hasher.update(&canonical);
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn required(field: &Option<String>) -> bool {
    field.as_deref().is_some_and(|s| !s.trim().is_empty())
}

impl Store {
    fn read_head(&self) -> Result<Option<Head>, StoreError> {
        match self.meta.get(HEAD)? {
            None => Ok(None),
            Some(sealed) => self
                .cipher
                .open(&sealed, HEAD)
                .ok()
                .and_then(|p| serde_json::from_slice(&p).ok())
                .map(Some)
                .ok_or(StoreError::Corrupt { key: "audit head".into() }),
        }
    }

    /// Appends an entry at `time` (RFC 3339). Flushed before it returns.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] when a reason (or, for `Modified`, the modification) is missing;
    /// [`StoreError::Corrupt`] when the head record cannot be read; [`StoreError::Database`].
    pub fn append_audit(&self, new: NewEntry, time: &str) -> Result<AuditEntry, StoreError> {
        if matches!(new.decision, Decision::Modified | Decision::Declined) && !required(&new.reason) {
            return Err(StoreError::Invalid("a reason is required when a suggestion is modified or declined".into()));
        }
        if new.decision == Decision::Modified && !required(&new.modification) {
            return Err(StoreError::Invalid("a modified decision must say what was modified".into()));
        }
        let head = self.read_head()?;
        let (seq, prev_hash) = head.map_or((1, GENESIS.to_string()), |h| (h.seq + 1, h.hash));
        let mut entry = AuditEntry {
            seq,
            time: time.to_string(),
            user: new.user,
            patient_id: new.patient_id,
            suggestion: new.suggestion,
            decision: new.decision,
            modification: new.modification,
            reason: new.reason,
            engine_version: new.engine_version,
            model_version: new.model_version,
            inputs_hash: new.inputs_hash,
            prev_hash,
            hash: String::new(),
        };
        entry.hash = entry_hash(&entry);
        let body = serde_json::to_vec(&entry).map_err(|e| StoreError::Database(e.to_string()))?;
        let key = seq.to_be_bytes();
        let sealed = self.cipher.seal(&body, &key);
        let head = serde_json::to_vec(&Head { seq, hash: entry.hash.clone() })
            .map_err(|e| StoreError::Database(e.to_string()))?;
        let sealed_head = self.cipher.seal(&head, HEAD);
        (&self.audit, &self.meta).transaction(|(audit, meta)| {
            if audit.get(key)?.is_some() {
                return Err(ConflictableTransactionError::Abort(StoreError::Database(
                    "audit sequence already used".into(),
                )));
            }
            audit.insert(&key, sealed.as_slice())?;
            meta.insert(HEAD, sealed_head.as_slice())?;
            Ok(())
        })?;
        self.db.flush()?;
        Ok(entry)
    }

    /// Every readable entry in sequence order (unreadable ones are skipped; `verify_audit`
    /// names them).
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>, StoreError> {
        let mut out = Vec::new();
        for item in self.audit.iter() {
            let (key, sealed) = item?;
            if let Some(e) =
                self.cipher.open(&sealed, &key).ok().and_then(|p| serde_json::from_slice::<AuditEntry>(&p).ok())
            {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Checks the whole chain.
    ///
    /// # Errors
    /// [`StoreError::Database`] only; a broken chain is a [`Verification`] with `first_bad`.
    pub fn verify_audit(&self) -> Result<Verification, StoreError> {
        let mut expected_seq = 1u64;
        let mut prev_hash = GENESIS.to_string();
        let bad =
            |seq: u64, why: &str, n_good: u64| Ok(Verification { n_good, first_bad: Some((seq, why.to_string())) });
        for item in self.audit.iter() {
            let (key, sealed) = item?;
            let stored_seq = <[u8; 8]>::try_from(key.as_ref()).map(u64::from_be_bytes).unwrap_or(u64::MAX);
            if stored_seq != expected_seq {
                return bad(
                    expected_seq,
                    &format!("entry {expected_seq} is missing (next stored is {stored_seq})"),
                    expected_seq - 1,
                );
            }
            let Some(entry) =
                self.cipher.open(&sealed, &key).ok().and_then(|p| serde_json::from_slice::<AuditEntry>(&p).ok())
            else {
                return bad(expected_seq, "entry cannot be decrypted: altered or moved", expected_seq - 1);
            };
            if entry.seq != expected_seq {
                return bad(expected_seq, "entry carries another sequence number", expected_seq - 1);
            }
            if entry.prev_hash != prev_hash {
                return bad(expected_seq, "entry does not link to the one before", expected_seq - 1);
            }
            if entry_hash(&entry) != entry.hash {
                return bad(expected_seq, "entry content does not match its hash (edited)", expected_seq - 1);
            }
            prev_hash = entry.hash;
            expected_seq += 1;
        }
        let n_good = expected_seq - 1;
        match self.read_head() {
            Ok(None) if n_good == 0 => Ok(Verification { n_good, first_bad: None }),
            Ok(Some(h)) if h.seq == n_good && h.hash == prev_hash => Ok(Verification { n_good, first_bad: None }),
            Ok(Some(h)) if h.seq > n_good => {
                bad(n_good + 1, &format!("entries {}–{} were removed from the end", n_good + 1, h.seq), n_good)
            }
            _ => bad(n_good.max(1), "the log's head record does not match its last entry", n_good),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemorySecrets;

    fn entry(n: u32, decision: Decision) -> NewEntry {
        NewEntry {
            user: "dr.test".into(),
            patient_id: "p1".into(),
            suggestion: format!("suggestion {n}"),
            decision,
            modification: (decision == Decision::Modified).then(|| "half dose".into()),
            reason: (decision != Decision::Accepted).then(|| "patient preference".into()),
            engine_version: "0.1.0".into(),
            model_version: "none".into(),
            inputs_hash: "abc".into(),
        }
    }

    fn store_with(n: u32) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &MemorySecrets::default()).unwrap();
        for i in 1..=n {
            let decision = [Decision::Accepted, Decision::Modified, Decision::Declined][i as usize % 3];
            store.append_audit(entry(i, decision), "2026-11-22T10:00:00Z").unwrap();
        }
        (dir, store)
    }

    fn reseal(store: &Store, e: &AuditEntry) -> Vec<u8> {
        store.cipher.seal(&serde_json::to_vec(e).unwrap(), &e.seq.to_be_bytes())
    }

    #[test]
    fn an_intact_log_verifies_and_reasons_are_required() {
        let (_dir, store) = store_with(5);
        assert_eq!(store.verify_audit().unwrap(), Verification { n_good: 5, first_bad: None });
        let mut e = entry(6, Decision::Declined);
        e.reason = Some("  ".into());
        assert!(matches!(store.append_audit(e, "t"), Err(StoreError::Invalid(_))));
        assert_eq!(store.audit_entries().unwrap().len(), 5);
    }

    #[test]
    fn an_edited_ciphertext_is_caught() {
        let (_dir, store) = store_with(5);
        let key = 3u64.to_be_bytes();
        let mut bytes = store.audit.get(key).unwrap().unwrap().to_vec();
        bytes[30] ^= 1;
        store.audit.insert(key, bytes).unwrap();
        assert_eq!(store.verify_audit().unwrap().first_bad.unwrap().0, 3);
    }

    #[test]
    fn an_edit_by_someone_holding_the_key_is_caught() {
        let (_dir, store) = store_with(5);
        let mut e = store.audit_entries().unwrap()[2].clone();
        e.reason = Some("changed afterwards".into());
        store.audit.insert(3u64.to_be_bytes(), reseal(&store, &e)).unwrap();
        let v = store.verify_audit().unwrap();
        assert_eq!(v.first_bad.unwrap().0, 3);
        assert_eq!(v.n_good, 2);
    }

    #[test]
    fn deleted_entries_are_caught_in_the_middle_and_at_the_end() {
        let (_dir, store) = store_with(5);
        store.audit.remove(3u64.to_be_bytes()).unwrap();
        assert_eq!(store.verify_audit().unwrap().first_bad.unwrap().0, 3);
        let (_dir, store) = store_with(5);
        store.audit.remove(5u64.to_be_bytes()).unwrap();
        let v = store.verify_audit().unwrap();
        assert_eq!(v.first_bad.unwrap().0, 5, "removing the last entry is caught by the head record");
    }

    #[test]
    fn inserted_and_reordered_entries_are_caught() {
        // Insert: a forged entry 3 (validly hashed by someone with the key), the rest shifted up.
        let (_dir, store) = store_with(5);
        let entries = store.audit_entries().unwrap();
        let mut forged = entries[2].clone();
        forged.suggestion = "never happened".into();
        forged.hash = entry_hash(&forged);
        store.audit.insert(3u64.to_be_bytes(), reseal(&store, &forged)).unwrap();
        for (i, e) in entries[2..].iter().enumerate() {
            let mut moved = e.clone();
            moved.seq = 4 + i as u64;
            store.audit.insert(moved.seq.to_be_bytes(), reseal(&store, &moved)).unwrap();
        }
        assert_eq!(store.verify_audit().unwrap().first_bad.unwrap().0, 4);
        // Reorder: swap the stored ciphertexts of 2 and 4.
        let (_dir, store) = store_with(5);
        let two = store.audit.get(2u64.to_be_bytes()).unwrap().unwrap();
        let four = store.audit.get(4u64.to_be_bytes()).unwrap().unwrap();
        store.audit.insert(2u64.to_be_bytes(), four).unwrap();
        store.audit.insert(4u64.to_be_bytes(), two).unwrap();
        assert_eq!(store.verify_audit().unwrap().first_bad.unwrap().0, 2);
    }
}
