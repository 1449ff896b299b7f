//! The override and audit log: append-only, each entry hash-chained to the one before.
//!
//! hash(n) = SHA-256(prev_hash ‖ canonical JSON of entry n without its hash), with
//! prev_hash(1) = 64 zeros. Each entry is one file, `audit/<seq>.rec`, sealed with the log's data
//! key and bound to its sequence number, so damage to one file costs that entry only. The
//! keychain's anchor holds the last sequence number and hash, outside the data folder, so
//! [`Store::verify_audit`] detects an edited, deleted (anywhere, including the last), inserted or
//! reordered entry, a log cut short, and an older copy of the folder put back; it names the
//! first bad sequence number.
//!
//! Most entries are decisions ([`AuditEntry`]); the log also holds write-backs, each attempt to
//! file a decision's summary in an EHR and its outcome ([`crate::write_backs`]), in the same
//! chain. The kinds are told apart by the write-back's own field, so decision entries are stored
//! and hashed exactly as before write-backs were logged, and older logs still verify.

use serde::{Deserialize, Serialize};

use crate::chain::chain_hash;
use crate::crypto::Cipher;
use crate::error::StoreError;
use crate::files::{self, Lock};
use crate::store::{Anchor, Store, GENESIS};
use crate::write_backs::{self, NewWriteBack, WriteBackEntry, WRITE_BACK_FIELD};

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

impl Decision {
    /// The decision as one word (`accepted`, `modified`, `declined`): the log's, the screen's and
    /// the FHIR export's code.
    pub fn code(self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::Modified => "modified",
            Decision::Declined => "declined",
        }
    }
}

/// An entry to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    /// Who decided (the clinician's name as set on this workstation, or a user name).
    pub user: String,
    /// The clinician's role ("consultant cardiologist"), where set.
    pub user_role: Option<String>,
    /// The clinician's professional identifier (e.g. a registration number), where set.
    pub user_identifier: Option<String>,
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
    /// The clinician's role, where set. Entries written without one (all before it existed)
    /// carry no such field, so their stored form and hash are unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_role: Option<String>,
    /// The clinician's professional identifier, where set (absent from older entries, as above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_identifier: Option<String>,
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
    /// The id the recording screen gave this decision, so that a double submit or a retry is
    /// recorded once ([`Store::append_audit_once`]). Entries written without one (all before it
    /// existed) carry no such field, so their stored form and hash are unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_id: Option<String>,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
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
    chain_hash(&e.prev_hash, &unhashed)
}

/// One entry file's content, of either kind.
enum Stored {
    /// A clinician's decision.
    Decision(AuditEntry),
    /// An attempt to file a decision's summary in an EHR.
    WriteBack(WriteBackEntry),
}

impl Stored {
    fn seq(&self) -> u64 {
        match self {
            Stored::Decision(e) => e.seq,
            Stored::WriteBack(e) => e.seq,
        }
    }

    fn prev_hash(&self) -> &str {
        match self {
            Stored::Decision(e) => &e.prev_hash,
            Stored::WriteBack(e) => &e.prev_hash,
        }
    }

    fn hash(&self) -> &str {
        match self {
            Stored::Decision(e) => &e.hash,
            Stored::WriteBack(e) => &e.hash,
        }
    }

    /// The hash the entry's content gives, to compare with the one it carries.
    fn computed_hash(&self) -> String {
        match self {
            Stored::Decision(e) => entry_hash(e),
            Stored::WriteBack(e) => e.computed_hash(),
        }
    }
}

fn required(field: &Option<String>) -> bool {
    field.as_deref().is_some_and(|s| !s.trim().is_empty())
}

fn seq_of(path: &std::path::Path) -> Option<u64> {
    path.file_stem()?.to_str()?.parse().ok()
}

/// Opens entry `seq` of either kind: a write-back carries its own field, anything else is read
/// as a decision, as every entry was before write-backs were logged.
fn open_stored(cipher: &Cipher, seq: u64, sealed: &[u8]) -> Option<Stored> {
    let plain = cipher.open(sealed, &seq.to_be_bytes()).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&plain).ok()?;
    if value.get(WRITE_BACK_FIELD).is_some() {
        serde_json::from_value(value).ok().map(Stored::WriteBack)
    } else {
        serde_json::from_value(value).ok().map(Stored::Decision)
    }
}

fn open_entry(cipher: &Cipher, seq: u64, sealed: &[u8]) -> Option<AuditEntry> {
    match open_stored(cipher, seq, sealed)? {
        Stored::Decision(e) => Some(e),
        Stored::WriteBack(_) => None,
    }
}

/// How many of the latest entries [`Store::append_audit_once`] searches for a decision id: a
/// double submit or a retry comes moments after the first, and each search opens these entries
/// (each holds the whole suggestion as shown), so the search is bounded.
pub const DUPLICATE_WINDOW: usize = 64;

impl Store {
    fn audit_path(&self, seq: u64) -> std::path::PathBuf {
        self.dir.join("audit").join(format!("{seq:016}.rec"))
    }

    /// The stored entry files by sequence number (a name that is not a number is damage and is
    /// reported by [`Store::verify_audit`] as a gap).
    fn audit_files(&self) -> Result<Vec<(u64, std::path::PathBuf)>, StoreError> {
        let mut out: Vec<(u64, std::path::PathBuf)> =
            files::list(&self.dir.join("audit"), ".rec")?.into_iter().filter_map(|p| Some((seq_of(&p)?, p))).collect();
        out.sort_by_key(|(seq, _)| *seq);
        Ok(out)
    }

    /// Appends an entry at `time` (RFC 3339). On disk, and anchored in the keychain, before it
    /// returns.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] when a reason (or, for `Modified`, the modification) is missing;
    /// [`StoreError::Corrupt`] when the last entry is damaged and the keychain's anchor cannot
    /// stand in for it (run `audit verify`); [`StoreError::Busy`]; [`StoreError::Database`].
    pub fn append_audit(&self, new: NewEntry, time: &str) -> Result<AuditEntry, StoreError> {
        self.append(new, None, time).map(|(entry, _)| entry)
    }

    /// Appends an entry carrying `decision_id`, unless an entry with that id is already among the
    /// last [`DUPLICATE_WINDOW`] entries: then nothing is written and that entry is returned, so a
    /// double click, a second submit while the first is in flight, or a retry after a lost answer
    /// records one decision. The check and the write hold the folder's exclusive lock, so two
    /// requests racing each other (two threads, two processes) still write one entry. Answers the
    /// entry and whether it was written now.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for an empty id or one over 128 characters, and for an id already
    /// recorded with another patient, decision, reason or modification; as [`Store::append_audit`].
    pub fn append_audit_once(
        &self,
        new: NewEntry,
        decision_id: &str,
        time: &str,
    ) -> Result<(AuditEntry, bool), StoreError> {
        if decision_id.trim().is_empty() || decision_id.len() > 128 {
            return Err(StoreError::Invalid("a decision id is 1 to 128 characters".into()));
        }
        self.append(new, Some(decision_id), time)
    }

    /// The entry carrying `decision_id` among the last [`DUPLICATE_WINDOW`], newest first.
    fn recorded_with_id(&self, keys: &Cipher, decision_id: &str) -> Result<Option<AuditEntry>, StoreError> {
        let stored = self.audit_files()?;
        for (seq, path) in stored.iter().rev().take(DUPLICATE_WINDOW) {
            let entry = files::read(path).ok().flatten().and_then(|b| open_entry(keys, *seq, &b));
            if let Some(e) = entry.filter(|e| e.decision_id.as_deref() == Some(decision_id)) {
                return Ok(Some(e));
            }
        }
        Ok(None)
    }

    /// Whether the keychain answers for this store now: the log's anchor lives there, so an entry
    /// cannot be appended without it. Reads the anchor; returns nothing secret.
    ///
    /// # Errors
    /// [`StoreError::Keychain`] when the keychain cannot be reached; [`StoreError::Locked`] when
    /// it no longer holds this folder's entries.
    pub fn check_keychain(&self) -> Result<(), StoreError> {
        self.anchor().map(|_| ())
    }

    fn append(&self, new: NewEntry, decision_id: Option<&str>, time: &str) -> Result<(AuditEntry, bool), StoreError> {
        if matches!(new.decision, Decision::Modified | Decision::Declined) && !required(&new.reason) {
            return Err(StoreError::Invalid("a reason is required when a suggestion is modified or declined".into()));
        }
        if new.decision == Decision::Modified && !required(&new.modification) {
            return Err(StoreError::Invalid("a modified decision must say what was modified".into()));
        }
        let _lock = Lock::exclusive(&self.dir)?;
        let keys = self.current_keys()?;
        if let Some(id) = decision_id {
            if let Some(recorded) = self.recorded_with_id(&keys.audit, id)? {
                let same = recorded.patient_id == new.patient_id
                    && recorded.decision == new.decision
                    && recorded.reason == new.reason
                    && recorded.modification == new.modification;
                if !same {
                    return Err(StoreError::Invalid(
                        "this decision id was already used for another decision; nothing was recorded".into(),
                    ));
                }
                return Ok((recorded, false));
            }
        }
        let anchor = self.anchor()?;
        let (seq, prev_hash) = self.chain_end(&keys.audit, &anchor)?;
        let mut entry = AuditEntry {
            seq,
            time: time.to_string(),
            user: new.user,
            user_role: new.user_role,
            user_identifier: new.user_identifier,
            patient_id: new.patient_id,
            suggestion: new.suggestion,
            decision: new.decision,
            modification: new.modification,
            reason: new.reason,
            engine_version: new.engine_version,
            model_version: new.model_version,
            inputs_hash: new.inputs_hash,
            decision_id: decision_id.map(str::to_string),
            prev_hash,
            hash: String::new(),
        };
        entry.hash = entry_hash(&entry);
        let body = serde_json::to_vec(&entry).map_err(|e| StoreError::Database(e.to_string()))?;
        self.seal_entry(&keys.audit, seq, &body, &entry.hash, anchor)?;
        Ok((entry, true))
    }

    /// The next entry's sequence number and the hash it links to. Called under the exclusive
    /// lock; a damaged last entry is bridged by the keychain's anchor when the anchor records it.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] when the last entry is damaged and the anchor cannot stand in.
    fn chain_end(&self, keys: &Cipher, anchor: &Anchor) -> Result<(u64, String), StoreError> {
        let last = self.audit_files()?.last().map(|(seq, p)| (*seq, p.clone()));
        let (seq, prev_hash) = match last {
            None => (1, GENESIS.to_string()),
            Some((seq, path)) => {
                let stored = files::read(&path)?.and_then(|b| open_stored(keys, seq, &b));
                match stored {
                    Some(e) => (seq + 1, e.hash().to_string()),
                    None if anchor.audit_seq == seq => (seq + 1, anchor.audit_hash.clone()),
                    None => return Err(StoreError::Corrupt { key: format!("audit/{seq:016}.rec") }),
                }
            }
        };
        let seq = seq.max(anchor.audit_seq + 1);
        let prev_hash =
            if seq == anchor.audit_seq + 1 && anchor.audit_seq > 0 { anchor.audit_hash.clone() } else { prev_hash };
        Ok((seq, prev_hash))
    }

    /// Writes `body` as entry `seq`, sealed and bound to its number, then moves the keychain's
    /// anchor to it. Called under the exclusive lock.
    fn seal_entry(&self, keys: &Cipher, seq: u64, body: &[u8], hash: &str, anchor: Anchor) -> Result<(), StoreError> {
        files::write_atomic(&self.audit_path(seq), &keys.seal(body, &seq.to_be_bytes()))?;
        self.set_anchor(&Anchor { audit_seq: seq, audit_hash: hash.to_string(), ..anchor })
    }

    /// Every readable decision in sequence order (unreadable entries are skipped; `verify_audit`
    /// names them; write-backs are [`Store::write_back_entries`]).
    ///
    /// # Errors
    /// [`StoreError::Database`]; [`StoreError::Busy`].
    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>, StoreError> {
        let _lock = Lock::shared(&self.dir)?;
        let keys = self.current_keys()?;
        let mut out = Vec::new();
        for (seq, path) in self.audit_files()? {
            if let Some(e) = files::read(&path).ok().flatten().and_then(|b| open_entry(&keys.audit, seq, &b)) {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Checks the whole chain, and its end against the keychain's anchor.
    ///
    /// # Errors
    /// [`StoreError::Database`], [`StoreError::Busy`] only; a broken chain is a
    /// [`Verification`] with `first_bad`.
    pub fn verify_audit(&self) -> Result<Verification, StoreError> {
        let _lock = Lock::shared(&self.dir)?;
        let keys = self.current_keys()?;
        let anchor = self.anchor()?;
        let mut expected_seq = 1u64;
        let mut prev_hash = GENESIS.to_string();
        let bad =
            |seq: u64, why: &str, n_good: u64| Ok(Verification { n_good, first_bad: Some((seq, why.to_string())) });
        let mut hash_at_anchor = (anchor.audit_seq == 0).then(|| GENESIS.to_string());
        for (stored_seq, path) in self.audit_files()? {
            if stored_seq != expected_seq {
                return bad(
                    expected_seq,
                    &format!("entry {expected_seq} is missing (next stored is {stored_seq})"),
                    expected_seq - 1,
                );
            }
            let Some(entry) = files::read(&path).ok().flatten().and_then(|b| open_stored(&keys.audit, stored_seq, &b))
            else {
                return bad(expected_seq, "entry is damaged or was altered: it cannot be decrypted", expected_seq - 1);
            };
            if entry.seq() != expected_seq {
                return bad(expected_seq, "entry carries another sequence number", expected_seq - 1);
            }
            if entry.prev_hash() != prev_hash {
                return bad(expected_seq, "entry does not link to the one before", expected_seq - 1);
            }
            if entry.computed_hash() != entry.hash() {
                return bad(expected_seq, "entry content does not match its hash (edited)", expected_seq - 1);
            }
            if entry.seq() == anchor.audit_seq {
                hash_at_anchor = Some(entry.hash().to_string());
            }
            prev_hash = entry.hash().to_string();
            expected_seq += 1;
        }
        let n_good = expected_seq - 1;
        if anchor.audit_seq > n_good {
            let missing = if anchor.audit_seq == n_good + 1 {
                format!("entry {} is missing", n_good + 1)
            } else {
                format!("entries {}–{} are missing", n_good + 1, anchor.audit_seq)
            };
            return bad(
                n_good + 1,
                &format!(
                    "{missing}: the keychain records {} entries. The log was cut short or an older copy of \
                     the data folder was restored",
                    anchor.audit_seq
                ),
                n_good,
            );
        }
        if hash_at_anchor.as_deref() != Some(anchor.audit_hash.as_str()) {
            return bad(
                anchor.audit_seq.max(1),
                "entry differs from the keychain's record of it: the log was replaced",
                anchor.audit_seq.saturating_sub(1),
            );
        }
        Ok(Verification { n_good, first_bad: None })
    }
}

impl Store {
    /// Appends a write-back attempt at `time` (RFC 3339), chained after the last entry of either
    /// kind. Every attempt is written, a retry included. On disk, and anchored in the keychain,
    /// before it returns.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for a blank patient, server, reference or reason, a reason over
    /// [`MAX_REASON_CHARS`](write_backs::MAX_REASON_CHARS), or a decision number not yet in the log; as
    /// [`Store::append_audit`] otherwise.
    pub fn append_write_back(&self, new: NewWriteBack, time: &str) -> Result<WriteBackEntry, StoreError> {
        let _lock = Lock::exclusive(&self.dir)?;
        let keys = self.current_keys()?;
        let anchor = self.anchor()?;
        let (seq, prev_hash) = self.chain_end(&keys.audit, &anchor)?;
        write_backs::check(&new, seq)?;
        let mut entry = WriteBackEntry {
            seq,
            time: time.to_string(),
            user: new.user,
            user_role: new.user_role,
            user_identifier: new.user_identifier,
            patient_id: new.patient_id,
            write_back: new.write_back,
            prev_hash,
            hash: String::new(),
        };
        entry.hash = entry.computed_hash();
        let body = serde_json::to_vec(&entry).map_err(|e| StoreError::Database(e.to_string()))?;
        self.seal_entry(&keys.audit, seq, &body, &entry.hash, anchor)?;
        Ok(entry)
    }

    /// Every readable write-back entry in sequence order (decisions are
    /// [`Store::audit_entries`]; unreadable entries are skipped, `verify_audit` names them).
    ///
    /// # Errors
    /// [`StoreError::Database`]; [`StoreError::Busy`].
    pub fn write_back_entries(&self) -> Result<Vec<WriteBackEntry>, StoreError> {
        let _lock = Lock::shared(&self.dir)?;
        let keys = self.current_keys()?;
        let mut out = Vec::new();
        for (seq, path) in self.audit_files()? {
            let stored = files::read(&path).ok().flatten().and_then(|b| open_stored(&keys.audit, seq, &b));
            if let Some(Stored::WriteBack(e)) = stored {
                out.push(e);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sha2::{Digest, Sha256};

    use super::*;
    use crate::secrets::MemorySecrets;
    use crate::store::tests::open;

    fn entry(n: u32, decision: Decision) -> NewEntry {
        NewEntry {
            user: "dr.test".into(),
            user_role: None,
            user_identifier: None,
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

    fn store_with(n: u32) -> (tempfile::TempDir, Arc<MemorySecrets>, Store) {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Arc::new(MemorySecrets::default());
        let store = open(dir.path(), &secrets);
        for i in 1..=n {
            let decision = [Decision::Accepted, Decision::Modified, Decision::Declined][i as usize % 3];
            store.append_audit(entry(i, decision), "2026-11-22T10:00:00Z").unwrap();
        }
        (dir, secrets, store)
    }

    fn reseal(store: &Store, e: &AuditEntry) -> Vec<u8> {
        store.keys.lock().unwrap().audit.seal(&serde_json::to_vec(e).unwrap(), &e.seq.to_be_bytes())
    }

    fn first_bad(store: &Store) -> u64 {
        store.verify_audit().unwrap().first_bad.unwrap().0
    }

    #[test]
    fn an_intact_log_verifies_and_reasons_are_required() {
        let (_dir, _, store) = store_with(5);
        assert_eq!(store.verify_audit().unwrap(), Verification { n_good: 5, first_bad: None });
        let mut e = entry(6, Decision::Declined);
        e.reason = Some("  ".into());
        assert!(matches!(store.append_audit(e, "t"), Err(StoreError::Invalid(_))));
        assert_eq!(store.audit_entries().unwrap().len(), 5);
    }

    #[test]
    fn an_edited_ciphertext_is_caught() {
        let (_dir, _, store) = store_with(5);
        let path = store.audit_path(3);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[30] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(first_bad(&store), 3);
        assert_eq!(store.audit_entries().unwrap().len(), 4, "the other entries stay readable");
    }

    #[test]
    fn an_edit_by_someone_holding_the_key_is_caught() {
        let (_dir, _, store) = store_with(5);
        let mut e = store.audit_entries().unwrap()[2].clone();
        e.reason = Some("changed afterwards".into());
        std::fs::write(store.audit_path(3), reseal(&store, &e)).unwrap();
        let v = store.verify_audit().unwrap();
        assert_eq!(v.first_bad.unwrap().0, 3);
        assert_eq!(v.n_good, 2);
    }

    #[test]
    fn deleted_entries_are_caught_in_the_middle_and_at_the_end() {
        let (_dir, _, store) = store_with(5);
        std::fs::remove_file(store.audit_path(3)).unwrap();
        assert_eq!(first_bad(&store), 3);
        let (_dir, _, store) = store_with(5);
        std::fs::remove_file(store.audit_path(5)).unwrap();
        assert_eq!(first_bad(&store), 5, "removing the last entry is caught by the keychain's anchor");
    }

    #[test]
    fn a_log_cut_at_any_entry_fails_and_names_what_is_missing() {
        for cut in 0..20u64 {
            let (_dir, _, store) = store_with(20);
            for seq in cut + 1..=20 {
                std::fs::remove_file(store.audit_path(seq)).unwrap();
            }
            let v = store.verify_audit().unwrap();
            let (seq, why) = v.first_bad.expect("a cut log must fail");
            assert_eq!((seq, v.n_good), (cut + 1, cut));
            if cut < 19 {
                assert!(why.contains(&format!("entries {}–20 are missing", cut + 1)), "{why}");
            }
        }
    }

    #[test]
    fn an_older_copy_of_the_folder_put_back_is_caught() {
        let (dir, secrets, store) = store_with(10);
        let copy = tempfile::tempdir().unwrap();
        copy_dir(dir.path(), copy.path());
        for i in 11..=20 {
            store.append_audit(entry(i, Decision::Accepted), "2026-11-23T10:00:00Z").unwrap();
        }
        drop(store);
        std::fs::remove_dir_all(dir.path()).unwrap();
        copy_dir(copy.path(), dir.path());
        let store = open(dir.path(), &secrets);
        let v = store.verify_audit().unwrap();
        assert_eq!(v.first_bad.as_ref().unwrap().0, 11);
        assert!(v.first_bad.unwrap().1.contains("entries 11–20 are missing"));

        // After a deletion rotated the key, an older folder does not even open as current.
        store.put_snapshot(&crate::cache::tests::snapshot("p")).unwrap();
        copy_dir(dir.path(), copy.path());
        store.delete_snapshot("p").unwrap();
        drop(store);
        std::fs::remove_dir_all(dir.path()).unwrap();
        copy_dir(copy.path(), dir.path());
        let err = Store::open(dir.path(), secrets.clone()).unwrap_err();
        assert!(matches!(err, StoreError::RolledBack { .. }), "{err}");
    }

    fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.path().is_dir() {
                copy_dir(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }

    #[test]
    fn inserted_and_reordered_entries_are_caught() {
        // Insert: a forged entry 3 (validly hashed by someone with the key), the rest shifted up.
        let (_dir, _, store) = store_with(5);
        let entries = store.audit_entries().unwrap();
        let mut forged = entries[2].clone();
        forged.suggestion = "never happened".into();
        forged.hash = entry_hash(&forged);
        std::fs::write(store.audit_path(3), reseal(&store, &forged)).unwrap();
        for (i, e) in entries[2..].iter().enumerate() {
            let mut moved = e.clone();
            moved.seq = 4 + i as u64;
            std::fs::write(store.audit_path(moved.seq), reseal(&store, &moved)).unwrap();
        }
        assert_eq!(first_bad(&store), 4);
        // Reorder: swap the stored files of 2 and 4.
        let (_dir, _, store) = store_with(5);
        let two = std::fs::read(store.audit_path(2)).unwrap();
        let four = std::fs::read(store.audit_path(4)).unwrap();
        std::fs::write(store.audit_path(2), four).unwrap();
        std::fs::write(store.audit_path(4), two).unwrap();
        assert_eq!(first_bad(&store), 2);
    }

    #[test]
    fn a_decision_id_is_recorded_once() {
        let (_dir, _, store) = store_with(3);
        let (first, written) = store.append_audit_once(entry(4, Decision::Declined), "d-1", "t1").unwrap();
        assert!(written);
        assert_eq!((first.seq, first.decision_id.as_deref()), (4, Some("d-1")));
        // The second click, or a retry: nothing is written, the first entry is the answer.
        let (again, written) = store.append_audit_once(entry(4, Decision::Declined), "d-1", "t2").unwrap();
        assert!(!written);
        assert_eq!(again, first);
        assert_eq!(store.audit_entries().unwrap().len(), 4);
        // The same id for another decision is refused, not merged.
        let err = store.append_audit_once(entry(4, Decision::Accepted), "d-1", "t3").unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err}");
        assert!(matches!(store.append_audit_once(entry(5, Decision::Accepted), " ", "t"), Err(StoreError::Invalid(_))));
        let (next, written) = store.append_audit_once(entry(5, Decision::Accepted), "d-2", "t4").unwrap();
        assert!(written);
        assert_eq!(next.seq, 5);
        // Entries without an id (written before ids existed) and with one chain and verify together.
        assert_eq!(store.verify_audit().unwrap(), Verification { n_good: 5, first_bad: None });
    }

    #[test]
    fn racing_submits_of_one_decision_write_one_entry() {
        let (_dir, _, store) = store_with(1);
        let answers: Vec<(AuditEntry, bool)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| store.append_audit_once(entry(2, Decision::Declined), "race", "t").unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(answers.iter().filter(|(_, written)| *written).count(), 1);
        assert!(answers.iter().all(|(e, _)| e.seq == 2));
        assert_eq!(store.audit_entries().unwrap().len(), 2);
        assert_eq!(store.verify_audit().unwrap(), Verification { n_good: 2, first_bad: None });
    }

    #[test]
    fn an_entry_without_a_decision_id_keeps_the_old_stored_form_and_hash() {
        // An entry as stored before decision ids existed (field order of the struct, hash blank).
        let unhashed = r#"{"seq":1,"time":"2026-11-22T10:00:00Z","user":"dr.test","patient_id":"p1","suggestion":"s","decision":"declined","modification":null,"reason":"patient preference","engine_version":"0.1.0","model_version":"none","inputs_hash":"abc","prev_hash":"0000000000000000000000000000000000000000000000000000000000000000","hash":""}"#;
        let mut hasher = Sha256::new();
        hasher.update(GENESIS.as_bytes());
        hasher.update(unhashed.as_bytes());
        let old_hash: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let mut e: AuditEntry = serde_json::from_str(unhashed).unwrap();
        assert_eq!(e.decision_id, None);
        assert_eq!(entry_hash(&e), old_hash, "an old entry still verifies");
        e.hash = String::new();
        assert_eq!(serde_json::to_string(&e).unwrap(), unhashed, "written as before: no decision_id field");
    }

    #[test]
    fn a_clinician_role_and_identifier_are_kept_and_older_entries_still_verify() {
        let (_dir, _, store) = store_with(1);
        let named = NewEntry {
            user: "Dr Ana Silva".into(),
            user_role: Some("consultant cardiologist".into()),
            user_identifier: Some("GMC 7654321".into()),
            ..entry(2, Decision::Declined)
        };
        store.append_audit(named, "t2").unwrap();
        let entries = store.audit_entries().unwrap();
        assert_eq!((entries[0].user_role.as_deref(), entries[0].user_identifier.as_deref()), (None, None));
        assert_eq!(entries[1].user, "Dr Ana Silva");
        assert_eq!(entries[1].user_role.as_deref(), Some("consultant cardiologist"));
        assert_eq!(entries[1].user_identifier.as_deref(), Some("GMC 7654321"));
        assert_eq!(store.verify_audit().unwrap(), Verification { n_good: 2, first_bad: None });
    }

    #[test]
    fn entries_survive_a_key_rotation_and_appends_continue_the_chain() {
        let (_dir, _, store) = store_with(3);
        store.put_snapshot(&crate::cache::tests::snapshot("p")).unwrap();
        store.delete_snapshot("p").unwrap();
        store.append_audit(entry(4, Decision::Accepted), "t").unwrap();
        assert_eq!(store.verify_audit().unwrap(), Verification { n_good: 4, first_bad: None });
    }
}
