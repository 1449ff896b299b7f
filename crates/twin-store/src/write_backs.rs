//! Write-backs in the audit log: each attempt to file a decision's clinician summary in an EHR
//! and what came of it (the references the server made, or why it failed, in plain words).
//!
//! A failed filing belongs in the record as much as a filed one: the clinician was told that the
//! note did not reach the EHR, and whether it was tried again is part of the story. Each attempt
//! is an entry of its own kind in the decisions' hash chain ([`crate::audit`]), so it is sealed,
//! bound to its sequence number, anchored in the keychain and checked by
//! [`Store::verify_audit`](crate::Store::verify_audit) like a decision. It carries a `write_back` field, which no decision
//! has: that is how the two kinds are told apart, and why decisions written before write-backs
//! were logged read, hash and verify as before. They are appended and read by
//! [`Store::append_write_back`](crate::Store::append_write_back) and
//! [`Store::write_back_entries`](crate::Store::write_back_entries), beside the decisions.

use serde::{Deserialize, Serialize};

use crate::chain::chain_hash;
use crate::error::StoreError;

/// The field that marks a write-back entry (decisions never carry it).
pub(crate) const WRITE_BACK_FIELD: &str = "write_back";

/// Longest failure reason kept, characters: the app's plain-words reasons are one or two
/// sentences; anything longer is not one of them.
pub const MAX_REASON_CHARS: usize = 1_000;

/// What came of an attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum WriteBackOutcome {
    /// The EHR holds the note and its Provenance.
    Written {
        /// The consult note the server made (`DocumentReference/<id>`).
        document_reference: String,
        /// The decision's Provenance the server made (`Provenance/<id>`).
        provenance: String,
    },
    /// Nothing was filed.
    Failed {
        /// Why, in plain words, as the clinician was told (no patient data, no token).
        reason: String,
    },
}

/// One attempt: which decision's summary, where to, and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteBack {
    /// The decision entry whose summary was filed (its sequence number).
    pub decision_seq: u64,
    /// The FHIR server's base address.
    pub server: String,
    /// What came of it.
    pub outcome: WriteBackOutcome,
}

/// An attempt to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWriteBack {
    /// Who filed it (the clinician set on this workstation, or a user name).
    pub user: String,
    /// The clinician's role, where set.
    pub user_role: Option<String>,
    /// The clinician's professional identifier, where set.
    pub user_identifier: Option<String>,
    /// Patient id.
    pub patient_id: String,
    /// The attempt.
    pub write_back: WriteBack,
}

/// A stored write-back entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteBackEntry {
    /// Sequence number in the log (shared with the decisions).
    pub seq: u64,
    /// When (RFC 3339, UTC).
    pub time: String,
    /// Who.
    pub user: String,
    /// The clinician's role, where set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_role: Option<String>,
    /// The clinician's professional identifier, where set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_identifier: Option<String>,
    /// Patient id.
    pub patient_id: String,
    /// The attempt and its outcome.
    pub write_back: WriteBack,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl WriteBackEntry {
    /// The hash this entry's content gives (its `hash` field left out).
    pub(crate) fn computed_hash(&self) -> String {
        let mut unhashed = self.clone();
        unhashed.hash = String::new();
        chain_hash(&self.prev_hash, &unhashed)
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Refuses an attempt without its facts, to be entry `seq`.
pub(crate) fn check(new: &NewWriteBack, seq: u64) -> Result<(), StoreError> {
    let invalid = |why: &str| Err(StoreError::Invalid(why.into()));
    let w = &new.write_back;
    if blank(&new.patient_id) || blank(&w.server) {
        return invalid("a write-back names the patient and the server");
    }
    if w.decision_seq == 0 || w.decision_seq >= seq {
        return invalid("a write-back names a decision already in the log");
    }
    match &w.outcome {
        WriteBackOutcome::Written { document_reference, provenance }
            if blank(document_reference) || blank(provenance) =>
        {
            invalid("a filed write-back names the note and the Provenance the server made")
        }
        WriteBackOutcome::Failed { reason } if blank(reason) || reason.chars().count() > MAX_REASON_CHARS => {
            invalid("a failed write-back says why in 1 to 1,000 characters")
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::audit::{Decision, NewEntry, Verification};
    use crate::secrets::MemorySecrets;
    use crate::store::tests::open;

    fn decision(n: u32) -> NewEntry {
        NewEntry {
            user: "dr.test".into(),
            user_role: None,
            user_identifier: None,
            patient_id: "p1".into(),
            suggestion: format!("suggestion {n}"),
            decision: Decision::Declined,
            modification: None,
            reason: Some("patient preference".into()),
            engine_version: "0.1.0".into(),
            model_version: "none".into(),
            inputs_hash: "abc".into(),
        }
    }

    fn attempt(decision_seq: u64, outcome: WriteBackOutcome) -> NewWriteBack {
        NewWriteBack {
            user: "Dr Ana Silva".into(),
            user_role: Some("consultant cardiologist".into()),
            user_identifier: None,
            patient_id: "p1".into(),
            write_back: WriteBack { decision_seq, server: "https://ehr.example/fhir".into(), outcome },
        }
    }

    fn failed(reason: &str) -> WriteBackOutcome {
        WriteBackOutcome::Failed { reason: reason.into() }
    }

    fn written() -> WriteBackOutcome {
        WriteBackOutcome::Written {
            document_reference: "DocumentReference/7".into(),
            provenance: "Provenance/8".into(),
        }
    }

    #[test]
    fn attempts_chain_between_decisions_and_the_log_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Arc::new(MemorySecrets::default());
        let store = open(dir.path(), &secrets);
        store.append_audit(decision(1), "t1").unwrap();
        let down = store.append_write_back(attempt(1, failed("the EHR cannot be reached")), "t2").unwrap();
        let filed = store.append_write_back(attempt(1, written()), "t3").unwrap();
        let next = store.append_audit(decision(4), "t4").unwrap();
        assert_eq!((down.seq, filed.seq, next.seq), (2, 3, 4));
        assert_eq!(filed.prev_hash, down.hash);
        assert_eq!(next.prev_hash, filed.hash, "a decision after a write-back links to it");
        assert_eq!(store.verify_audit().unwrap(), Verification { n_good: 4, first_bad: None });
        assert_eq!(store.audit_entries().unwrap().iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 4]);
        assert_eq!(store.write_back_entries().unwrap(), [down, filed]);
    }

    #[test]
    fn an_edited_write_back_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Arc::new(MemorySecrets::default());
        let store = open(dir.path(), &secrets);
        store.append_audit(decision(1), "t1").unwrap();
        let mut entry = store.append_write_back(attempt(1, failed("refused (HTTP 422)")), "t2").unwrap();
        store.append_audit(decision(3), "t3").unwrap();
        // Someone holding the key turns the failure into a success.
        entry.write_back.outcome = written();
        let body = serde_json::to_vec(&entry).unwrap();
        let sealed = store.keys.lock().unwrap().audit.seal(&body, &2u64.to_be_bytes());
        std::fs::write(dir.path().join("audit").join(format!("{:016}.rec", 2)), sealed).unwrap();
        let v = store.verify_audit().unwrap();
        assert_eq!((v.n_good, v.first_bad.map(|(seq, _)| seq)), (1, Some(2)));
    }

    #[test]
    fn an_attempt_without_its_facts_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Arc::new(MemorySecrets::default());
        let store = open(dir.path(), &secrets);
        store.append_audit(decision(1), "t1").unwrap();
        for bad in [
            attempt(1, failed(" ")),
            attempt(1, failed(&"x".repeat(MAX_REASON_CHARS + 1))),
            attempt(2, written()),
            attempt(0, written()),
            attempt(1, WriteBackOutcome::Written { document_reference: "".into(), provenance: "Provenance/1".into() }),
            NewWriteBack { patient_id: " ".into(), ..attempt(1, written()) },
        ] {
            assert!(matches!(store.append_write_back(bad, "t"), Err(StoreError::Invalid(_))));
        }
        assert!(store.write_back_entries().unwrap().is_empty());
        assert_eq!(store.verify_audit().unwrap(), Verification { n_good: 1, first_bad: None });
    }

    #[test]
    fn the_stored_form_names_its_kind_and_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Arc::new(MemorySecrets::default());
        let store = open(dir.path(), &secrets);
        store.append_audit(decision(1), "t1").unwrap();
        let entry = store.append_write_back(attempt(1, written()), "t2").unwrap();
        let stored = serde_json::to_value(&entry).unwrap();
        assert_eq!(stored[WRITE_BACK_FIELD]["outcome"]["status"], "written");
        assert_eq!(stored[WRITE_BACK_FIELD]["decision_seq"], 1);
        assert!(stored.get("decision").is_none(), "a write-back is not a decision");
    }
}
