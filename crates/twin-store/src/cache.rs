//! The offline patient cache: encrypted snapshots, and a small encrypted index for listing.

use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, Transactional};

use crate::error::StoreError;
use crate::store::Store;

/// One patient as fetched: the raw resources, the harmonised summary, where and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Patient id in its source.
    pub patient_id: String,
    /// Display name (PHI: encrypted at rest, never logged).
    pub display_name: String,
    /// Where it came from (FHIR base URL, or `file:<name>`).
    pub source: String,
    /// When it was fetched (RFC 3339).
    pub fetched_at: String,
    /// The raw FHIR resources as fetched (a Bundle, JSON text).
    pub bundle_json: String,
    /// The harmonised record as the app shows it (JSON text).
    pub summary_json: String,
}

/// What the list shows for one cached patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexEntry {
    /// Patient id.
    pub patient_id: String,
    /// Display name.
    pub display_name: String,
    /// Source.
    pub source: String,
    /// Fetched at (RFC 3339).
    pub fetched_at: String,
    /// Size of the raw resources, bytes.
    pub size_bytes: usize,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Stores (or replaces) a patient's snapshot. The snapshot and its index entry are written in
    /// one transaction and flushed before this returns; until then the previous snapshot stays.
    ///
    /// # Errors
    /// [`StoreError::Database`] when the write fails; [`StoreError::Invalid`] for an empty id.
    pub fn put_snapshot(&self, snapshot: &Snapshot) -> Result<(), StoreError> {
        if snapshot.patient_id.trim().is_empty() {
            return Err(StoreError::Invalid("a snapshot needs a patient id".into()));
        }
        let key = self.lookup_key(&snapshot.patient_id);
        let body = serde_json::to_vec(snapshot).map_err(|e| StoreError::Database(e.to_string()))?;
        let entry = IndexEntry {
            patient_id: snapshot.patient_id.clone(),
            display_name: snapshot.display_name.clone(),
            source: snapshot.source.clone(),
            fetched_at: snapshot.fetched_at.clone(),
            size_bytes: snapshot.bundle_json.len(),
        };
        let index = serde_json::to_vec(&entry).map_err(|e| StoreError::Database(e.to_string()))?;
        let sealed_body = self.cipher.seal(&body, &key);
        let sealed_index = self.cipher.seal(&index, &key);
        (&self.patients, &self.index).transaction(|(patients, index)| {
            patients.insert(&key, sealed_body.as_slice())?;
            index.insert(&key, sealed_index.as_slice())?;
            Ok::<_, ConflictableTransactionError<StoreError>>(())
        })?;
        self.db.flush()?;
        Ok(())
    }

    /// Moves an undecryptable record to quarantine (with its index entry) and reports it.
    fn quarantine(&self, key: &[u8]) -> StoreError {
        let moved = (&self.patients, &self.index, &self.quarantine).transaction(|(patients, index, quarantine)| {
            if let Some(bytes) = patients.remove(key)? {
                quarantine.insert(key, bytes)?;
            }
            index.remove(key)?;
            Ok::<_, ConflictableTransactionError<StoreError>>(())
        });
        let _ = moved.map(|_| self.db.flush());
        StoreError::Corrupt { key: hex(&key[..8]) }
    }

    /// The snapshot of `patient_id`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Corrupt`] when it cannot be decrypted or decoded
    /// (it is quarantined; other records are unaffected).
    pub fn get_snapshot(&self, patient_id: &str) -> Result<Snapshot, StoreError> {
        let key = self.lookup_key(patient_id);
        let sealed = self.patients.get(key)?.ok_or(StoreError::NotFound)?;
        let snapshot = self
            .cipher
            .open(&sealed, &key)
            .ok()
            .and_then(|plain| serde_json::from_slice::<Snapshot>(&plain).ok())
            .filter(|s| s.patient_id == patient_id);
        snapshot.ok_or_else(|| self.quarantine(&key))
    }

    /// Every cached patient, and the records found corrupt (now quarantined).
    ///
    /// # Errors
    /// [`StoreError::Database`] when the index cannot be read.
    pub fn list(&self) -> Result<(Vec<IndexEntry>, Vec<StoreError>), StoreError> {
        let mut entries = Vec::new();
        let mut corrupt = Vec::new();
        let mut bad_keys = Vec::new();
        for item in self.index.iter() {
            let (key, sealed) = item?;
            match self.cipher.open(&sealed, &key).ok().and_then(|p| serde_json::from_slice::<IndexEntry>(&p).ok()) {
                Some(entry) => entries.push(entry),
                None => bad_keys.push(key.to_vec()),
            }
        }
        for key in bad_keys {
            corrupt.push(self.quarantine(&key));
        }
        entries.sort_by(|a, b| a.display_name.cmp(&b.display_name).then(a.patient_id.cmp(&b.patient_id)));
        Ok((entries, corrupt))
    }

    /// Deletes one patient; `true` when there was one.
    ///
    /// # Errors
    /// [`StoreError::Database`] when the write fails.
    pub fn delete_snapshot(&self, patient_id: &str) -> Result<bool, StoreError> {
        let key = self.lookup_key(patient_id);
        let existed = (&self.patients, &self.index).transaction(|(patients, index)| {
            let existed = patients.remove(&key)?.is_some();
            index.remove(&key)?;
            Ok::<_, ConflictableTransactionError<StoreError>>(existed)
        })?;
        self.db.flush()?;
        Ok(existed)
    }

    /// Deletes every cached patient (and the quarantine); the audit log is kept. Returns how
    /// many patients were removed.
    ///
    /// # Errors
    /// [`StoreError::Database`] when the write fails.
    pub fn purge_patients(&self) -> Result<usize, StoreError> {
        let n = self.patients.len();
        self.patients.clear()?;
        self.index.clear()?;
        self.quarantine.clear()?;
        self.db.flush()?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemorySecrets;

    pub(crate) fn snapshot(id: &str) -> Snapshot {
        Snapshot {
            patient_id: id.into(),
            display_name: format!("Patient {id}"),
            source: "file:test".into(),
            fetched_at: "2026-11-22T10:00:00Z".into(),
            bundle_json: format!("{{\"resourceType\":\"Bundle\",\"id\":\"{id}\"}}"),
            summary_json: "{}".into(),
        }
    }

    #[test]
    fn put_get_list_delete_purge() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &MemorySecrets::default()).unwrap();
        for id in ["a", "b", "c"] {
            store.put_snapshot(&snapshot(id)).unwrap();
        }
        let mut updated = snapshot("b");
        updated.fetched_at = "2026-11-23T10:00:00Z".into();
        store.put_snapshot(&updated).unwrap();
        assert_eq!(store.get_snapshot("b").unwrap(), updated);
        let (entries, corrupt) = store.list().unwrap();
        assert_eq!(entries.len(), 3);
        assert!(corrupt.is_empty());
        assert!(store.delete_snapshot("a").unwrap());
        assert!(!store.delete_snapshot("a").unwrap());
        assert!(matches!(store.get_snapshot("a"), Err(StoreError::NotFound)));
        assert_eq!(store.purge_patients().unwrap(), 2);
        assert!(store.list().unwrap().0.is_empty());
    }

    #[test]
    fn nothing_is_stored_in_clear() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path(), &MemorySecrets::default()).unwrap();
            let mut s = snapshot("patient-xyz-123");
            s.display_name = "Zebediah Quartermaine".into();
            store.put_snapshot(&s).unwrap();
        }
        for entry in walk(dir.path()) {
            let bytes = std::fs::read(&entry).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("Zebediah") && !text.contains("patient-xyz-123"), "{}", entry.display());
        }
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn a_corrupt_record_is_quarantined_and_the_rest_stay_readable() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &MemorySecrets::default()).unwrap();
        for id in ["a", "b", "c"] {
            store.put_snapshot(&snapshot(id)).unwrap();
        }
        let key = store.lookup_key("b");
        let mut bytes = store.patients.get(key).unwrap().unwrap().to_vec();
        bytes[40] ^= 0xff;
        store.patients.insert(key, bytes).unwrap();
        assert!(matches!(store.get_snapshot("b"), Err(StoreError::Corrupt { .. })));
        assert_eq!(store.n_quarantined(), 1);
        assert_eq!(store.get_snapshot("a").unwrap().patient_id, "a");
        assert_eq!(store.get_snapshot("c").unwrap().patient_id, "c");
        let (entries, _) = store.list().unwrap();
        assert_eq!(entries.len(), 2);
    }
}
