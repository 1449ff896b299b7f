//! What the store seals beside the patient cache: each patient's saved plans of care (scenarios),
//! and the workstation's settings (EHR connections, the stale-data limits).
//!
//! A plan of care is PHI, so it is kept like the patient's record: `patients/<h>.plans`, sealed
//! with that patient's data key, named by the same keyed hash, written under the store's lock,
//! and gone when the patient is deleted (the key and the file are removed together). Settings are
//! not about a patient; they are sealed with the store's own settings key (`settings.key`,
//! wrapped by the master key and rotated with it) in `settings/<name>.sealed`.
//!
//! The store does not read what it seals: callers hand it bytes (JSON) and get the same bytes
//! back.

use std::path::PathBuf;

use crate::crypto::Cipher;
use crate::error::StoreError;
use crate::files::{self, Lock};
use crate::store::{read_wrapped_key, wrapped_key_or_new, Keys, Store, SETTINGS_KEY, SETTINGS_KEY_NAME};

const PLANS_MAGIC: &[u8; 4] = b"CTP1";
const SETTINGS_MAGIC: &[u8; 4] = b"CTS1";

/// A workstation setting the store keeps sealed. A closed list, so no caller can name a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// The saved EHR connections (name, FHIR base, client id, scopes).
    EhrConnections,
    /// How old each kind of reading may be before it is flagged as stale (months per measure).
    StaleLimits,
    /// The clinician's preferences: units, default risk region and race, guideline set, and the
    /// name the decision log records.
    Preferences,
}

impl Setting {
    fn file_stem(self) -> &'static str {
        match self {
            Setting::EhrConnections => "ehr-connections",
            Setting::StaleLimits => "stale-limits",
            Setting::Preferences => "preferences",
        }
    }
}

fn seal_with_magic(magic: &[u8; 4], cipher: &Cipher, plain: &[u8], aad: &[u8]) -> Vec<u8> {
    let mut out = magic.to_vec();
    out.extend_from_slice(&cipher.seal(plain, aad));
    out
}

fn open_with_magic(magic: &[u8; 4], cipher: &Cipher, bytes: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    bytes.strip_prefix(magic.as_slice()).and_then(|sealed| cipher.open(sealed, aad).ok())
}

fn plans_aad(stem: &str) -> Vec<u8> {
    let mut a = stem.as_bytes().to_vec();
    a.push(b'p');
    a
}

impl Store {
    pub(crate) fn plans_path(&self, stem: &str) -> PathBuf {
        self.dir.join("patients").join(format!("{stem}.plans"))
    }

    fn setting_path(&self, setting: Setting) -> PathBuf {
        self.dir.join("settings").join(format!("{}.sealed", setting.file_stem()))
    }

    /// Patient `patient_id`'s saved plans, as they were put; `None` when none were saved.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] when the file does not open with the patient's key (damaged, or
    /// its key is gone); [`StoreError::Busy`]; keychain errors.
    pub fn get_plans(&self, patient_id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let stem = self.lookup(patient_id);
        let _lock = Lock::shared(&self.dir)?;
        let keys = self.current_keys()?;
        let Some(bytes) = files::read(&self.plans_path(&stem))? else { return Ok(None) };
        let plain = self
            .data_key(&keys.master, keys.generation, &stem)?
            .and_then(|cipher| open_with_magic(PLANS_MAGIC, &cipher, &bytes, &plans_aad(&stem)));
        plain.map(Some).ok_or_else(|| StoreError::Corrupt { key: stem[..16].to_string() })
    }

    /// Replaces patient `patient_id`'s saved plans. On disk before this returns; a crash leaves
    /// the previous plans. A patient not cached gets a data key of their own here, so deleting
    /// them later removes the plans too.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for an empty id; write errors; [`StoreError::Busy`].
    pub fn put_plans(&self, patient_id: &str, plans: &[u8]) -> Result<(), StoreError> {
        if patient_id.trim().is_empty() {
            return Err(StoreError::Invalid("saved plans need a patient id".into()));
        }
        let stem = self.lookup(patient_id);
        let _lock = Lock::exclusive(&self.dir)?;
        let keys = self.current_keys()?;
        let cipher = self.data_key_or_new(&keys.master, keys.generation, &stem)?;
        files::write_atomic(&self.plans_path(&stem), &seal_with_magic(PLANS_MAGIC, &cipher, plans, &plans_aad(&stem)))
    }

    /// A workstation setting, as it was put; `None` when never saved.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] when it does not open; [`StoreError::Busy`]; keychain errors.
    pub fn get_setting(&self, setting: Setting) -> Result<Option<Vec<u8>>, StoreError> {
        let _lock = Lock::shared(&self.dir)?;
        let keys = self.current_keys()?;
        let Some(bytes) = files::read(&self.setting_path(setting))? else { return Ok(None) };
        let name = setting.file_stem();
        self.settings_key(&keys)?
            .and_then(|cipher| open_with_magic(SETTINGS_MAGIC, &cipher, &bytes, name.as_bytes()))
            .map(Some)
            .ok_or_else(|| StoreError::Corrupt { key: name.to_string() })
    }

    /// Replaces a workstation setting (on disk before this returns).
    ///
    /// # Errors
    /// Write errors; [`StoreError::Busy`]; keychain errors.
    pub fn put_setting(&self, setting: Setting, bytes: &[u8]) -> Result<(), StoreError> {
        let _lock = Lock::exclusive(&self.dir)?;
        let keys = self.current_keys()?;
        let cipher =
            wrapped_key_or_new(&self.dir.join(SETTINGS_KEY), SETTINGS_KEY_NAME, &keys.master, keys.generation)?;
        let name = setting.file_stem();
        files::write_atomic(
            &self.setting_path(setting),
            &seal_with_magic(SETTINGS_MAGIC, &cipher, bytes, name.as_bytes()),
        )
    }

    fn settings_key(&self, keys: &Keys) -> Result<Option<Cipher>, StoreError> {
        read_wrapped_key(&self.dir.join(SETTINGS_KEY), SETTINGS_KEY_NAME, &keys.master, keys.generation)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::cache::tests::snapshot;
    use crate::secrets::MemorySecrets;

    use super::*;

    fn open() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), Arc::new(MemorySecrets::default())).unwrap();
        (dir, store)
    }

    #[test]
    fn plans_round_trip_sealed_and_named_by_the_keyed_hash() {
        let (dir, store) = open();
        assert_eq!(store.get_plans("pat-77").unwrap(), None);
        store.put_plans("pat-77", br#"[{"name":"Add amlodipine"}]"#).unwrap();
        assert_eq!(store.get_plans("pat-77").unwrap().as_deref(), Some(&br#"[{"name":"Add amlodipine"}]"#[..]));
        for path in twin_test_support::files_under(dir.path()) {
            let name = path.to_string_lossy();
            let bytes = std::fs::read(&path).unwrap();
            assert!(!name.contains("pat-77"), "a file name names the patient: {name}");
            assert!(!bytes.windows(10).any(|w| w == b"amlodipine"), "{name} holds the plan in clear");
        }
        store.put_plans("pat-77", b"[]").unwrap();
        assert_eq!(store.get_plans("pat-77").unwrap().as_deref(), Some(&b"[]"[..]), "put replaces");
    }

    #[test]
    fn deleting_a_patient_removes_their_plans_even_when_nothing_else_was_cached() {
        let (_dir, store) = open();
        store.put_snapshot(&snapshot("a")).unwrap();
        store.put_plans("a", b"[1]").unwrap();
        store.put_plans("demo-only", b"[2]").unwrap();
        assert!(store.delete_snapshot("a").unwrap());
        assert_eq!(store.get_plans("a").unwrap(), None);
        assert!(store.delete_snapshot("demo-only").unwrap(), "plans alone are the patient's data too");
        assert_eq!(store.get_plans("demo-only").unwrap(), None);
        store.put_plans("b", b"[3]").unwrap();
        store.purge_patients().unwrap();
        assert_eq!(store.get_plans("b").unwrap(), None);
    }

    #[test]
    fn plans_and_settings_survive_master_key_rotation() {
        let (_dir, store) = open();
        store.put_plans("kept", b"[1]").unwrap();
        store.put_setting(Setting::EhrConnections, b"[\"ehr\"]").unwrap();
        store.put_snapshot(&snapshot("gone")).unwrap();
        store.delete_snapshot("gone").unwrap(); // rotates the master key
        assert_eq!(store.get_plans("kept").unwrap().as_deref(), Some(&b"[1]"[..]));
        assert_eq!(store.get_setting(Setting::EhrConnections).unwrap().as_deref(), Some(&b"[\"ehr\"]"[..]));
    }

    #[test]
    fn each_setting_is_sealed_in_a_file_of_its_own() {
        let (dir, store) = open();
        assert_eq!(store.get_setting(Setting::StaleLimits).unwrap(), None, "never saved");
        store.put_setting(Setting::EhrConnections, b"[\"ehr\"]").unwrap();
        store.put_setting(Setting::StaleLimits, br#"{"bloodPressureMonths":6}"#).unwrap();
        assert_eq!(store.get_setting(Setting::EhrConnections).unwrap().as_deref(), Some(&b"[\"ehr\"]"[..]));
        assert_eq!(
            store.get_setting(Setting::StaleLimits).unwrap().as_deref(),
            Some(&br#"{"bloodPressureMonths":6}"#[..])
        );
        for path in twin_test_support::files_under(dir.path()) {
            let bytes = std::fs::read(&path).unwrap();
            assert!(!bytes.windows(13).any(|w| w == b"bloodPressure"), "{} holds a setting in clear", path.display());
        }
    }

    #[test]
    fn a_damaged_plans_file_is_reported_not_read_as_empty() {
        let (_dir, store) = open();
        store.put_plans("p", b"[1]").unwrap();
        let path = store.plans_path(&store.lookup("p"));
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x40;
        std::fs::write(&path, bytes).unwrap();
        assert!(matches!(store.get_plans("p"), Err(StoreError::Corrupt { .. })));
        assert_eq!(store.get_setting(Setting::EhrConnections).unwrap(), None, "other data is unaffected");
    }
}
