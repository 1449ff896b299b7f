//! Opening a data directory: the database, the key from the keychain, and the check that the
//! key opens this cache.

use std::path::{Path, PathBuf};

use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::crypto::{Cipher, Key};
use crate::error::StoreError;
use crate::secrets::SecretStore;

const KEY_CHECK: &[u8] = b"cardiotwin key check v1";

/// The platform data directory (`CARDIOTWIN_DATA_DIR` overrides it).
pub fn default_data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CARDIOTWIN_DATA_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "CardioTwin", "CardioTwin").map(|d| d.data_dir().to_path_buf())
}

/// An open store: patient cache and audit log in one encrypted sled database.
pub struct Store {
    pub(crate) db: sled::Db,
    pub(crate) cipher: Cipher,
    pub(crate) id_salt: [u8; 32],
    pub(crate) patients: sled::Tree,
    pub(crate) index: sled::Tree,
    pub(crate) quarantine: sled::Tree,
    pub(crate) audit: sled::Tree,
    pub(crate) meta: sled::Tree,
    store_id: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("store_id", &self.store_id).finish_non_exhaustive()
    }
}

fn key_name(store_id: &str) -> String {
    format!("cache-key-{store_id}")
}

impl Store {
    /// Opens (creating on first use) the store in `dir`, with its key from `secrets`.
    ///
    /// # Errors
    /// [`StoreError::Locked`] when the key is missing or does not open this cache (nothing is
    /// deleted); [`StoreError::Keychain`] when the keychain cannot be reached;
    /// [`StoreError::Database`] when the database cannot be opened.
    pub fn open(dir: &Path, secrets: &dyn SecretStore) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Database(format!("cannot create {}: {e}", dir.display())))?;
        let db = sled::Config::new().path(dir.join("cardiotwin.sled")).mode(sled::Mode::HighThroughput).open()?;
        let meta = db.open_tree("meta")?;
        let (store_id, key) = match meta.get("store_id")? {
            Some(id) => {
                let store_id =
                    String::from_utf8(id.to_vec()).map_err(|_| StoreError::Database("store id is not text".into()))?;
                let name = key_name(&store_id);
                let bytes = secrets.get(&name)?.ok_or_else(|| StoreError::Locked {
                    reason: format!("the keychain has no key for this cache (entry '{name}')"),
                })?;
                let key = Key::from_bytes(&bytes).ok_or_else(|| StoreError::Locked {
                    reason: format!("the keychain entry '{name}' is not a CardioTwin key"),
                })?;
                (store_id, key)
            }
            None => {
                let mut raw = [0u8; 16];
                rand::rng().fill_bytes(&mut raw);
                let store_id: String = raw.iter().map(|b| format!("{b:02x}")).collect();
                let key = Key::generate();
                // Key first: a crash before the database records the id leaves only an unused
                // keychain entry, never a cache without its key.
                secrets.set(&key_name(&store_id), key.as_bytes())?;
                let cipher = Cipher::new(&key);
                meta.insert("key_check", cipher.seal(KEY_CHECK, b"key_check"))?;
                meta.insert("store_id", store_id.as_bytes())?;
                db.flush()?;
                (store_id, key)
            }
        };
        let cipher = Cipher::new(&key);
        let check = meta.get("key_check")?.ok_or_else(|| StoreError::Database("key check record missing".into()))?;
        if cipher.open(&check, b"key_check").ok().as_deref() != Some(KEY_CHECK) {
            return Err(StoreError::Locked {
                reason: "the key in the keychain does not open this cache (it was changed or replaced)".into(),
            });
        }
        let mut hasher = Sha256::new();
        hasher.update(b"cardiotwin id salt v1");
        hasher.update(key.as_bytes());
        let id_salt = hasher.finalize().into();
        Ok(Store {
            patients: db.open_tree("patients")?,
            index: db.open_tree("index")?,
            quarantine: db.open_tree("quarantine")?,
            audit: db.open_tree("audit")?,
            meta,
            db,
            cipher,
            id_salt,
            store_id,
        })
    }

    /// This store's id (names its keychain entry; not secret).
    pub fn id(&self) -> &str {
        &self.store_id
    }

    /// The on-disk key of a patient id: a keyed hash, so ids are not readable from the files.
    pub(crate) fn lookup_key(&self, patient_id: &str) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(self.id_salt);
        hasher.update(patient_id.as_bytes());
        hasher.finalize().into()
    }

    /// Number of records in quarantine.
    ///
    /// # Errors
    /// Never in practice; sled's `len` does not fail.
    pub fn n_quarantined(&self) -> usize {
        self.quarantine.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemorySecrets;

    #[test]
    fn reopening_with_the_same_keychain_works_and_a_changed_key_locks() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemorySecrets::default();
        let id = Store::open(dir.path(), &secrets).unwrap().id().to_string();
        assert_eq!(Store::open(dir.path(), &secrets).unwrap().id(), id);
        secrets.set(&key_name(&id), Key::generate().as_bytes()).unwrap();
        let err = Store::open(dir.path(), &secrets).unwrap_err();
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(err.to_string().starts_with("cache locked: "));
        secrets.delete(&key_name(&id)).unwrap();
        assert!(Store::open(dir.path(), &secrets).unwrap_err().to_string().contains("has no key"));
    }
}
