//! The offline patient cache: one encrypted record file per patient, under its own data key.
//!
//! `patients/<h>.rec` holds the patient's index entry (what the list shows) and snapshot, each
//! sealed with the patient's data key; `patients/<h>.key` holds that key, wrapped by the master
//! key. `<h>` is a keyed hash of the patient id. Replacing a snapshot renames a new file over
//! the old one (no superseded copy stays in the folder); deleting removes the key, then the
//! record, then rotates the master key.
//!
//! Record file: `CTR2` ‖ index length (u32 LE) ‖ sealed index ‖ sealed snapshot.
//!
//! The index also says where and when the record was last fetched from an EHR ([`FetchMark`]),
//! so the next fetch reads a few hundred bytes to learn where to start, not the whole record.
//! Indexes written before it was kept there have none (`fetch` is `None`) and still open.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::crypto::Cipher;
use crate::error::StoreError;
use crate::files::{self, Lock};
use crate::store::{read_wrapped_key, wrapped_key_or_new, Store};

const RECORD_MAGIC: &[u8; 4] = b"CTR2";
/// The index part of a record is a few hundred bytes; anything longer is damage.
const MAX_INDEX_BYTES: usize = 64 * 1024;

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
    /// Where and when the record was last fetched from an EHR; `None` for a record never
    /// fetched, or stored before the mark was kept here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetch: Option<FetchMark>,
}

/// Where and when a record was last fetched from an EHR, for the next fetch to ask only for what
/// changed since (sealed with the index: a server address and a time are not PHI alone, but they
/// sit beside the patient's id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchMark {
    /// The FHIR base it was fetched from.
    pub base: String,
    /// The server's own time of that fetch (RFC 3339), where the server sent one.
    pub server_time: Option<String>,
}

fn aad(stem: &str, part: u8) -> Vec<u8> {
    let mut a = stem.as_bytes().to_vec();
    a.push(part);
    a
}

fn encode_record(cipher: &Cipher, stem: &str, index: &[u8], body: &[u8]) -> Vec<u8> {
    let sealed_index = cipher.seal(index, &aad(stem, b'i'));
    let sealed_body = cipher.seal(body, &aad(stem, b'b'));
    let mut out = Vec::with_capacity(8 + sealed_index.len() + sealed_body.len());
    out.extend_from_slice(RECORD_MAGIC);
    out.extend_from_slice(&(sealed_index.len() as u32).to_le_bytes());
    out.extend_from_slice(&sealed_index);
    out.extend_from_slice(&sealed_body);
    out
}

/// Splits a record into its sealed index and sealed body.
fn split_record(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    if bytes.len() < 8 || &bytes[..4] != RECORD_MAGIC {
        return None;
    }
    let n = u32::from_le_bytes(bytes[4..8].try_into().ok()?) as usize;
    if n > MAX_INDEX_BYTES {
        return None;
    }
    let rest = &bytes[8..];
    (rest.len() >= n).then(|| rest.split_at(n))
}

/// The index entry sealed at the start of a record (`prefix` holds at least that much).
fn open_index(cipher: &Cipher, stem: &str, prefix: &[u8]) -> Option<IndexEntry> {
    let n = u32::from_le_bytes(prefix.get(4..8)?.try_into().ok()?) as usize;
    let sealed = prefix.get(8..8 + n).filter(|_| prefix.starts_with(RECORD_MAGIC))?;
    let plain = cipher.open(sealed, &aad(stem, b'i')).ok()?;
    serde_json::from_slice::<IndexEntry>(&plain).ok()
}

impl Store {
    fn record_path(&self, stem: &str) -> PathBuf {
        self.dir.join("patients").join(format!("{stem}.rec"))
    }

    pub(crate) fn key_path(&self, stem: &str) -> PathBuf {
        self.dir.join("patients").join(format!("{stem}.key"))
    }

    /// The patient's data key, `None` when its key file is absent or damaged.
    pub(crate) fn data_key(&self, master: &Cipher, generation: u64, stem: &str) -> Result<Option<Cipher>, StoreError> {
        read_wrapped_key(&self.key_path(stem), stem, master, generation)
    }

    /// The patient's data key, or a fresh one written now (a new patient, or a damaged key file).
    /// Call under the exclusive lock.
    pub(crate) fn data_key_or_new(&self, master: &Cipher, generation: u64, stem: &str) -> Result<Cipher, StoreError> {
        wrapped_key_or_new(&self.key_path(stem), stem, master, generation)
    }

    /// Stores (or replaces) a patient's snapshot. It is on disk before this returns; until then
    /// the previous snapshot stays.
    ///
    /// # Errors
    /// [`StoreError::Database`] when the write fails; [`StoreError::Invalid`] for an empty id;
    /// [`StoreError::Busy`].
    pub fn put_snapshot(&self, snapshot: &Snapshot) -> Result<(), StoreError> {
        self.put_snapshot_marked(snapshot, None)
    }

    /// [`Store::put_snapshot`], with where and when the record was fetched kept in its index
    /// (see [`Store::get_index`]); `None` keeps no mark.
    ///
    /// # Errors
    /// As [`Store::put_snapshot`].
    pub fn put_snapshot_marked(&self, snapshot: &Snapshot, fetch: Option<&FetchMark>) -> Result<(), StoreError> {
        if snapshot.patient_id.trim().is_empty() {
            return Err(StoreError::Invalid("a snapshot needs a patient id".into()));
        }
        let stem = self.lookup(&snapshot.patient_id);
        let body = serde_json::to_vec(snapshot).map_err(|e| StoreError::Database(e.to_string()))?;
        let entry = IndexEntry {
            patient_id: snapshot.patient_id.clone(),
            display_name: snapshot.display_name.clone(),
            source: snapshot.source.clone(),
            fetched_at: snapshot.fetched_at.clone(),
            size_bytes: snapshot.bundle_json.len(),
            fetch: fetch.cloned(),
        };
        let index = serde_json::to_vec(&entry).map_err(|e| StoreError::Database(e.to_string()))?;
        let _lock = Lock::exclusive(&self.dir)?;
        let keys = self.current_keys()?;
        let cipher = self.data_key_or_new(&keys.master, keys.generation, &stem)?;
        files::write_atomic(&self.record_path(&stem), &encode_record(&cipher, &stem, &index, &body))
    }

    /// Sets a damaged patient's files aside in `quarantine/` and says so.
    fn quarantine(&self, stem: &str) -> StoreError {
        if let Ok(_lock) = Lock::exclusive(&self.dir) {
            let to = self.dir.join("quarantine");
            for path in [self.record_path(stem), self.key_path(stem), self.plans_path(stem)] {
                if let Some(name) = path.file_name() {
                    let _ = std::fs::rename(&path, to.join(name));
                }
            }
        }
        StoreError::Corrupt { key: stem[..16.min(stem.len())].to_string() }
    }

    /// The snapshot of `patient_id`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Corrupt`] when it cannot be decrypted or decoded
    /// (it is set aside; other records are unaffected); [`StoreError::Busy`].
    pub fn get_snapshot(&self, patient_id: &str) -> Result<Snapshot, StoreError> {
        let stem = self.lookup(patient_id);
        let opened = {
            let _lock = Lock::shared(&self.dir)?;
            let keys = self.current_keys()?;
            let Some(bytes) = files::read(&self.record_path(&stem))? else { return Err(StoreError::NotFound) };
            self.data_key(&keys.master, keys.generation, &stem)?.and_then(|cipher| {
                let (_, body) = split_record(&bytes)?;
                let plain = cipher.open(body, &aad(&stem, b'b')).ok()?;
                serde_json::from_slice::<Snapshot>(&plain).ok().filter(|s| s.patient_id == patient_id)
            })
        };
        opened.ok_or_else(|| self.quarantine(&stem))
    }

    /// The index entry of `patient_id` alone (a few hundred bytes read and opened, not the
    /// record): what the list shows and where it was last fetched.
    ///
    /// # Errors
    /// As [`Store::get_snapshot`].
    pub fn get_index(&self, patient_id: &str) -> Result<IndexEntry, StoreError> {
        let stem = self.lookup(patient_id);
        let opened = {
            let _lock = Lock::shared(&self.dir)?;
            let keys = self.current_keys()?;
            let Some(prefix) = files::read_prefix(&self.record_path(&stem), 8 + MAX_INDEX_BYTES)? else {
                return Err(StoreError::NotFound);
            };
            self.data_key(&keys.master, keys.generation, &stem)?
                .and_then(|cipher| open_index(&cipher, &stem, &prefix))
                .filter(|e| e.patient_id == patient_id)
        };
        opened.ok_or_else(|| self.quarantine(&stem))
    }

    /// Every cached patient, and the records found damaged (now set aside).
    ///
    /// # Errors
    /// [`StoreError::Database`] when the folder cannot be read; [`StoreError::Busy`].
    pub fn list(&self) -> Result<(Vec<IndexEntry>, Vec<StoreError>), StoreError> {
        let mut entries = Vec::new();
        let mut bad = Vec::new();
        {
            let _lock = Lock::shared(&self.dir)?;
            let keys = self.current_keys()?;
            for path in files::list(&self.dir.join("patients"), ".rec")? {
                let Some(stem) = path.file_stem().and_then(|s| s.to_str()).map(str::to_string) else { continue };
                let prefix = files::read_prefix(&path, 8 + MAX_INDEX_BYTES)?.unwrap_or_default();
                let entry = self
                    .data_key(&keys.master, keys.generation, &stem)?
                    .and_then(|cipher| open_index(&cipher, &stem, &prefix));
                match entry {
                    Some(e) => entries.push(e),
                    None => bad.push(stem),
                }
            }
        }
        let corrupt = bad.iter().map(|stem| self.quarantine(stem)).collect();
        entries.sort_by(|a, b| a.display_name.cmp(&b.display_name).then(a.patient_id.cmp(&b.patient_id)));
        Ok((entries, corrupt))
    }

    /// Deletes one patient (record and saved plans); `true` when there was either. Its data key is
    /// destroyed first, then its files, then the master key is rotated, so no copy of it anywhere opens with a key the app
    /// still holds.
    ///
    /// # Errors
    /// [`StoreError::Database`] when a file cannot be removed; keychain errors; [`StoreError::Busy`].
    pub fn delete_snapshot(&self, patient_id: &str) -> Result<bool, StoreError> {
        let stem = self.lookup(patient_id);
        let _lock = Lock::exclusive(&self.dir)?;
        let mut keys = self.current_keys()?;
        let had_key = files::remove(&self.key_path(&stem))?;
        let had_record = files::remove(&self.record_path(&stem))?;
        let had_plans = files::remove(&self.plans_path(&stem))?;
        if had_key || had_record || had_plans {
            self.rotate_master(&mut keys)?;
        }
        Ok(had_record || had_plans)
    }

    /// Deletes every cached patient and the quarantine (the audit log is kept) and rotates the
    /// master key. Returns how many patients were removed.
    ///
    /// # Errors
    /// As [`Store::delete_snapshot`].
    pub fn purge_patients(&self) -> Result<usize, StoreError> {
        let _lock = Lock::exclusive(&self.dir)?;
        let mut keys = self.current_keys()?;
        let patients = self.dir.join("patients");
        let n = files::list(&patients, ".rec")?.len();
        for path in files::list(&patients, ".key")? {
            files::remove(&path)?;
        }
        for path in files::list(&patients, "")?.into_iter().chain(files::list(&self.dir.join("quarantine"), "")?) {
            files::remove(&path)?;
        }
        self.rotate_master(&mut keys)?;
        Ok(n)
    }

    /// Number of patients set aside as damaged.
    ///
    /// # Errors
    /// [`StoreError::Database`] when the quarantine cannot be listed.
    pub fn n_quarantined(&self) -> Result<usize, StoreError> {
        Ok(files::list(&self.dir.join("quarantine"), ".rec")?.len())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::crypto::Key;
    use crate::secrets::{MemorySecrets, SecretStore};
    use crate::store::tests::open;
    use crate::store::unwrap_key;

    pub(crate) fn snapshot(id: &str) -> Snapshot {
        Snapshot {
            patient_id: id.into(),
            display_name: format!("Patient {id}"),
            source: "file:test".into(),
            fetched_at: "2026-11-22T10:00:00Z".into(),
            bundle_json: format!("{{\"resourceType\":\"Bundle\",\"id\":\"{id}\",\"pad\":\"{}\"}}", "x".repeat(2000)),
            summary_json: "{}".into(),
        }
    }

    #[test]
    fn put_get_list_delete_purge() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path(), &Arc::new(MemorySecrets::default()));
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
        assert_eq!(store.get_snapshot("c").unwrap().patient_id, "c", "the others survive the rotation");
        assert_eq!(store.purge_patients().unwrap(), 2);
        assert!(store.list().unwrap().0.is_empty());
    }

    #[test]
    fn the_fetch_mark_is_kept_in_the_index_and_read_without_the_record() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path(), &Arc::new(MemorySecrets::default()));
        let mark =
            FetchMark { base: "http://127.0.0.1:9/fhir".into(), server_time: Some("2026-12-01T09:00:00Z".into()) };
        store.put_snapshot_marked(&snapshot("a"), Some(&mark)).unwrap();
        store.put_snapshot(&snapshot("b")).unwrap();
        assert_eq!(store.get_index("a").unwrap().fetch, Some(mark.clone()));
        assert_eq!(store.get_index("b").unwrap().fetch, None);
        assert_eq!(store.get_snapshot("a").unwrap(), snapshot("a"));
        let (entries, _) = store.list().unwrap();
        assert_eq!(entries[0].fetch, Some(mark), "the list reads the same index");
        assert!(matches!(store.get_index("c"), Err(StoreError::NotFound)));
        // A plain put over a marked record drops the mark: what it stores was not that fetch.
        store.put_snapshot(&snapshot("a")).unwrap();
        assert_eq!(store.get_index("a").unwrap().fetch, None);
    }

    /// An index sealed before the fetch mark was kept in it (no `fetch` field) still opens.
    #[test]
    fn a_record_stored_before_the_fetch_mark_still_opens() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path(), &Arc::new(MemorySecrets::default()));
        store.put_snapshot(&snapshot("old")).unwrap();
        let stem = store.lookup("old");
        let old_index = serde_json::json!({
            "patient_id": "old", "display_name": "Patient old", "source": "file:test",
            "fetched_at": "2026-11-22T10:00:00Z", "size_bytes": 10
        });
        let body = serde_json::to_vec(&snapshot("old")).unwrap();
        {
            let keys = store.current_keys().unwrap();
            let cipher = store.data_key(&keys.master, keys.generation, &stem).unwrap().unwrap();
            let bytes = encode_record(&cipher, &stem, old_index.to_string().as_bytes(), &body);
            std::fs::write(store.record_path(&stem), bytes).unwrap();
        }
        let index = store.get_index("old").unwrap();
        assert_eq!((index.display_name.as_str(), index.fetch), ("Patient old", None));
        assert_eq!(store.get_snapshot("old").unwrap(), snapshot("old"));
        assert_eq!(store.list().unwrap().0.len(), 1);
    }

    #[test]
    fn nothing_is_stored_in_clear() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = open(dir.path(), &Arc::new(MemorySecrets::default()));
            let mut s = snapshot("patient-xyz-123");
            s.display_name = "Zebediah Quartermaine".into();
            store.put_snapshot(&s).unwrap();
        }
        for entry in twin_test_support::files_under(dir.path()) {
            let bytes = std::fs::read(&entry).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("Zebediah") && !text.contains("patient-xyz-123"), "{}", entry.display());
        }
    }

    /// Every 32-byte window of `needle` that occurs anywhere in the folder.
    fn leftovers(dir: &Path, needle: &[u8]) -> usize {
        let windows: Vec<&[u8]> = needle.chunks_exact(32).collect();
        twin_test_support::files_under(dir)
            .iter()
            .map(|p| {
                let hay = std::fs::read(p).unwrap();
                windows.iter().filter(|w| hay.windows(32).any(|h| &h == *w)).count()
            })
            .sum()
    }

    #[test]
    fn deleted_and_replaced_patients_leave_nothing_that_opens() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Arc::new(MemorySecrets::default());
        let store = open(dir.path(), &secrets);
        for id in ["a", "b", "c"] {
            store.put_snapshot(&snapshot(id)).unwrap();
        }
        let stem = store.lookup("b");
        let old_record = std::fs::read(store.record_path(&stem)).unwrap();
        let old_key_file = std::fs::read(store.key_path(&stem)).unwrap();
        let old_generation = store.keys.lock().unwrap().generation;
        let old_master = secrets.get(&format!("cache-key-{}-{old_generation}", store.id())).unwrap().unwrap();

        // Re-import: the superseded record is gone from the folder, not piled up.
        store.put_snapshot(&snapshot("b")).unwrap();
        assert_eq!(leftovers(dir.path(), &old_record[8..]), 0, "a superseded snapshot stays in the folder");
        assert_eq!(
            twin_test_support::files_under(&dir.path().join("patients")).len(),
            6,
            "one record and one key per patient"
        );

        // Delete: no copy in the folder, and the old key file (as a backup would hold it) does
        // not open with any key the keychain still holds.
        let record = std::fs::read(store.record_path(&stem)).unwrap();
        assert!(store.delete_snapshot("b").unwrap());
        assert_eq!(leftovers(dir.path(), &record[8..]) + leftovers(dir.path(), &old_key_file[12..]), 0);
        let generation = store.keys.lock().unwrap().generation;
        assert_eq!(generation, old_generation + 1);
        assert!(secrets.get(&format!("cache-key-{}-{old_generation}", store.id())).unwrap().is_none());
        let current = Cipher::new(
            &Key::from_bytes(&secrets.get(&format!("cache-key-{}-{generation}", store.id())).unwrap().unwrap())
                .unwrap(),
        );
        assert!(unwrap_key(&current, generation, &stem, &old_key_file).is_none());
        assert!(unwrap_key(&current, old_generation, &stem, &old_key_file).is_none());
        let old = Cipher::new(&Key::from_bytes(&old_master).unwrap());
        assert!(unwrap_key(&old, old_generation, &stem, &old_key_file).is_some(), "the test's own check is live");

        // Purge: the same for everyone left.
        let a_key = std::fs::read(store.key_path(&store.lookup("a"))).unwrap();
        assert_eq!(store.purge_patients().unwrap(), 2);
        assert_eq!(twin_test_support::files_under(&dir.path().join("patients")).len(), 0);
        assert_eq!(leftovers(dir.path(), &a_key[12..]), 0);
        let generation = store.keys.lock().unwrap().generation;
        let keys = secrets.names();
        assert_eq!(keys.iter().filter(|n| n.starts_with("cache-key-")).count(), 1, "{keys:?}");
        assert!(keys.contains(&format!("cache-key-{}-{generation}", store.id())));
    }

    #[test]
    fn a_damaged_record_is_set_aside_and_the_rest_stay_readable() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path(), &Arc::new(MemorySecrets::default()));
        for id in ["a", "b", "c"] {
            store.put_snapshot(&snapshot(id)).unwrap();
        }
        let path = store.record_path(&store.lookup("b"));
        let mut bytes = std::fs::read(&path).unwrap();
        let at = bytes.len() - 40;
        bytes[at] ^= 0xff;
        std::fs::write(&path, bytes).unwrap();
        let err = store.get_snapshot("b").unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }));
        assert!(err.to_string().contains("damaged and was set aside"), "{err}");
        assert_eq!(store.n_quarantined().unwrap(), 1);
        assert_eq!(store.get_snapshot("a").unwrap().patient_id, "a");
        assert_eq!(store.get_snapshot("c").unwrap().patient_id, "c");
        let (entries, _) = store.list().unwrap();
        assert_eq!(entries.len(), 2);
    }
}
