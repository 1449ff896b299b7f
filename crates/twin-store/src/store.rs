//! Opening a data folder: its header, the keys from the keychain, the check that the folder is
//! not older than the keychain's record of it, and key rotation.
//!
//! # Keys
//! - The **master key** (keychain entry `cache-key-<store>-<generation>`) wraps every data key.
//!   Deleting patients rotates it: a new generation wraps the remaining keys and the old entry
//!   is removed, so a copy of a deleted patient's files (a backup, a leftover block) cannot be
//!   opened with any key the app still holds.
//! - Each patient has its own **data key** (`patients/<h>.key`, wrapped), destroyed with the
//!   patient. The audit log has one (`audit.key`, kept twice).
//! - The **id salt** (`cache-salt-<store>`) keys the hash that names patient files, so file
//!   names do not reveal which patients are cached.
//! - The **anchor** (`cache-state-<store>`): the key generation and the audit log's last
//!   sequence number and hash. It lives outside the folder, so restoring an older copy of the
//!   folder, or cutting the log, is detected.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::crypto::{Cipher, Key};
use crate::error::StoreError;
use crate::files::{self, hex, Lock};
use crate::secrets::SecretStore;

const KEY_CHECK: &[u8] = b"cardiotwin key check v2";
const FORMAT: u32 = 2;
const META: &str = "store.meta";
const META_BACKUP: &str = "store.meta.bak";
pub(crate) const AUDIT_KEY: &str = "audit.key";
/// The settings' data key file (saved plans and settings, `documents.rs`) and the name its wrapping is bound to.
pub(crate) const SETTINGS_KEY: &str = "settings.key";
pub(crate) const SETTINGS_KEY_NAME: &str = "settings";
pub(crate) const AUDIT_KEY_BACKUP: &str = "audit.key.bak";
const KEY_MAGIC: &[u8; 4] = b"CTK2";
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The platform data directory (`CARDIOTWIN_DATA_DIR` overrides it).
pub fn default_data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CARDIOTWIN_DATA_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "CardioTwin", "CardioTwin").map(|d| d.data_dir().to_path_buf())
}

/// The folder's header (in clear: it names the keychain entries and holds no patient data),
/// kept twice with a checksum so one damaged copy costs nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Meta {
    format: u32,
    store_id: String,
    generation: u64,
    /// [`KEY_CHECK`] sealed with this generation's master key, hex.
    key_check: String,
    /// SHA-256 of the fields above, hex.
    checksum: String,
}

impl Meta {
    fn digest(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.format.to_le_bytes());
        h.update(self.store_id.as_bytes());
        h.update(self.generation.to_le_bytes());
        h.update(self.key_check.as_bytes());
        hex(&h.finalize())
    }

    fn parse(bytes: &[u8]) -> Option<Meta> {
        serde_json::from_slice::<Meta>(bytes).ok().filter(|m| m.checksum == m.digest() && m.format == FORMAT)
    }
}

/// What the keychain remembers about the folder (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Anchor {
    pub(crate) generation: u64,
    pub(crate) audit_seq: u64,
    pub(crate) audit_hash: String,
}

/// The keys in use, refreshed when another process rotated them.
pub(crate) struct Keys {
    pub(crate) generation: u64,
    pub(crate) master: Cipher,
    pub(crate) audit: Cipher,
}

/// An open store: the patient cache and the audit log in one data folder.
pub struct Store {
    pub(crate) dir: PathBuf,
    pub(crate) secrets: Arc<dyn SecretStore>,
    pub(crate) keys: Mutex<Keys>,
    id_salt: [u8; 32],
    store_id: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("store_id", &self.store_id).finish_non_exhaustive()
    }
}

fn key_name(store_id: &str, generation: u64) -> String {
    format!("cache-key-{store_id}-{generation}")
}

fn salt_name(store_id: &str) -> String {
    format!("cache-salt-{store_id}")
}

fn anchor_name(store_id: &str) -> String {
    format!("cache-state-{store_id}")
}

fn locked(reason: impl Into<String>) -> StoreError {
    StoreError::Locked { reason: reason.into() }
}

/// A wrapped data key file: magic ‖ generation (LE) ‖ sealed key, bound to its name and generation.
pub(crate) fn wrap_key(master: &Cipher, generation: u64, name: &str, key: &Key) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 8 + 72);
    out.extend_from_slice(KEY_MAGIC);
    out.extend_from_slice(&generation.to_le_bytes());
    out.extend_from_slice(&master.seal(key.as_bytes(), &key_aad(name, generation)));
    out
}

fn key_aad(name: &str, generation: u64) -> Vec<u8> {
    let mut aad = name.as_bytes().to_vec();
    aad.extend_from_slice(&generation.to_le_bytes());
    aad
}

/// The generation a key file was wrapped under, when it looks like one.
fn key_generation(bytes: &[u8]) -> Option<u64> {
    (bytes.len() > 12 && &bytes[..4] == KEY_MAGIC)
        .then(|| u64::from_le_bytes(bytes[4..12].try_into().unwrap_or([0; 8])))
}

/// Opens a wrapped data key with `master` of `generation`.
pub(crate) fn unwrap_key(master: &Cipher, generation: u64, name: &str, bytes: &[u8]) -> Option<Key> {
    if key_generation(bytes)? != generation {
        return None;
    }
    master.open(&bytes[12..], &key_aad(name, generation)).ok().and_then(|k| Key::from_bytes(&k))
}

impl Store {
    /// Opens (creating on first use) the store in `dir`, with its keys from `secrets`.
    ///
    /// # Errors
    /// [`StoreError::Locked`] when a key is missing or does not open this folder (nothing is
    /// deleted); [`StoreError::RolledBack`] when the folder is older than the keychain's record;
    /// [`StoreError::Keychain`]; [`StoreError::Busy`]; [`StoreError::Database`] when the folder
    /// cannot be created or its header is damaged beyond its backup.
    pub fn open(dir: &Path, secrets: Arc<dyn SecretStore>) -> Result<Store, StoreError> {
        files::private_dir(dir)?;
        let _lock = Lock::exclusive(dir)?;
        for sub in ["", "patients", "audit", "quarantine", "settings"] {
            files::private_dir(&dir.join(sub))?;
            files::remove_leftovers(&dir.join(sub))?;
        }
        let meta = match read_meta(dir)? {
            Some(meta) => meta,
            None if has_records(dir)? => {
                return Err(StoreError::Database(
                    "the data folder's header (store.meta and its backup) is missing or damaged; \
                     the records are still there but cannot be opened without it"
                        .into(),
                ))
            }
            None => create(dir, secrets.as_ref())?,
        };
        let store_id = meta.store_id.clone();
        let anchor = read_anchor(secrets.as_ref(), &store_id)?;
        match &anchor {
            Some(a) if a.generation > meta.generation => {
                return Err(StoreError::RolledBack {
                    reason: format!(
                        "it is at key generation {} but the keychain records generation {}: an older copy of \
                         the folder was restored. Its deleted patients and its later audit entries are not in it",
                        meta.generation, a.generation
                    ),
                })
            }
            _ => {}
        }
        let master = load_master(secrets.as_ref(), &meta)?;
        let audit = load_audit_key(dir, &master, meta.generation)?;
        finish_rotation(dir, secrets.as_ref(), &meta, &master)?;
        match anchor {
            // A rotation finished on disk but the crash came before the keychain was told.
            Some(a) if a.generation < meta.generation => {
                write_anchor(secrets.as_ref(), &store_id, &Anchor { generation: meta.generation, ..a })?
            }
            Some(_) => {}
            None => write_anchor(
                secrets.as_ref(),
                &store_id,
                &Anchor { generation: meta.generation, audit_seq: 0, audit_hash: GENESIS.into() },
            )?,
        }
        let salt = secrets.get(&salt_name(&store_id))?.ok_or_else(|| {
            locked(format!("the keychain has no id salt for this cache (entry '{}')", salt_name(&store_id)))
        })?;
        let id_salt = <[u8; 32]>::try_from(salt.as_slice())
            .map_err(|_| locked("the keychain's id salt is not a CardioTwin salt"))?;
        Ok(Store {
            dir: dir.to_path_buf(),
            secrets,
            keys: Mutex::new(Keys { generation: meta.generation, master, audit }),
            id_salt,
            store_id,
        })
    }

    /// This store's id (names its keychain entries; not secret).
    pub fn id(&self) -> &str {
        &self.store_id
    }

    /// The file stem of a patient id: a keyed hash, so ids are not readable from the folder.
    pub(crate) fn lookup(&self, patient_id: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.id_salt);
        hasher.update(patient_id.as_bytes());
        hex(&hasher.finalize())
    }

    /// The keys, reloaded first when another process has rotated them since we last looked.
    /// Call with the folder's lock held.
    pub(crate) fn current_keys(&self) -> Result<MutexGuard<'_, Keys>, StoreError> {
        let mut keys = self.keys.lock().map_err(|_| StoreError::Database("the store's keys were poisoned".into()))?;
        let meta = read_meta(&self.dir)?
            .ok_or_else(|| StoreError::Database("the data folder's header is missing or damaged".into()))?;
        if meta.generation != keys.generation {
            let master = load_master(self.secrets.as_ref(), &meta)?;
            let audit = load_audit_key(&self.dir, &master, meta.generation)?;
            *keys = Keys { generation: meta.generation, master, audit };
        }
        Ok(keys)
    }

    /// The keychain's anchor for this folder.
    pub(crate) fn anchor(&self) -> Result<Anchor, StoreError> {
        read_anchor(self.secrets.as_ref(), &self.store_id)?.ok_or_else(|| {
            locked(format!("the keychain has no record of this cache ('{}')", anchor_name(&self.store_id)))
        })
    }

    /// Replaces the keychain's anchor.
    pub(crate) fn set_anchor(&self, anchor: &Anchor) -> Result<(), StoreError> {
        write_anchor(self.secrets.as_ref(), &self.store_id, anchor)
    }

    /// Replaces the master key: a new generation wraps every remaining data key, the header is
    /// rewritten, the keychain is told, and the old key is removed from the keychain. Call with
    /// the exclusive lock held. A crash at any step leaves a folder that opens (see
    /// [`finish_rotation`]).
    pub(crate) fn rotate_master(&self, keys: &mut Keys) -> Result<(), StoreError> {
        let old_generation = keys.generation;
        let generation = old_generation + 1;
        let new_key = Key::generate();
        self.secrets.set(&key_name(&self.store_id, generation), new_key.as_bytes())?;
        let new_master = Cipher::new(&new_key);
        for (path, name) in key_files(&self.dir)? {
            let Some(bytes) = files::read(&path)? else { continue };
            match unwrap_key(&keys.master, old_generation, &name, &bytes) {
                Some(data_key) => files::write_atomic(&path, &wrap_key(&new_master, generation, &name, &data_key))?,
                // Already unreadable: keeping it would only keep a damaged file; set it aside.
                None if key_generation(&bytes) != Some(generation) => {
                    let _ =
                        std::fs::rename(&path, self.dir.join("quarantine").join(path.file_name().unwrap_or_default()));
                }
                None => {}
            }
        }
        write_meta(&self.dir, &self.store_id, generation, &new_master)?;
        let anchor = self.anchor()?;
        self.set_anchor(&Anchor { generation, ..anchor })?;
        self.secrets.delete(&key_name(&self.store_id, old_generation))?;
        keys.generation = generation;
        keys.master = new_master;
        Ok(())
    }
}

/// The wrapped key files and the names their wrapping is bound to.
/// The data key wrapped in the file at `path` under `name`, `None` when the file is absent or
/// does not open with this generation's master key.
pub(crate) fn read_wrapped_key(
    path: &Path,
    name: &str,
    master: &Cipher,
    generation: u64,
) -> Result<Option<Cipher>, StoreError> {
    Ok(files::read(path)?.and_then(|b| unwrap_key(master, generation, name, &b)).map(|k| Cipher::new(&k)))
}

/// As [`read_wrapped_key`], or a fresh key wrapped and written there now (a new patient, the
/// first setting, or a damaged key file: what is written next is the only thing it must open).
/// Call under the exclusive lock.
pub(crate) fn wrapped_key_or_new(
    path: &Path,
    name: &str,
    master: &Cipher,
    generation: u64,
) -> Result<Cipher, StoreError> {
    if let Some(c) = read_wrapped_key(path, name, master, generation)? {
        return Ok(c);
    }
    let key = Key::generate();
    files::write_atomic(path, &wrap_key(master, generation, name, &key))?;
    Ok(Cipher::new(&key))
}

fn key_files(dir: &Path) -> Result<Vec<(PathBuf, String)>, StoreError> {
    let mut out: Vec<(PathBuf, String)> = files::list(&dir.join("patients"), ".key")?
        .into_iter()
        .filter_map(|p| {
            let stem = p.file_stem()?.to_str()?.to_string();
            Some((p, stem))
        })
        .collect();
    out.push((dir.join(SETTINGS_KEY), SETTINGS_KEY_NAME.into()));
    out.push((dir.join(AUDIT_KEY), "audit".into()));
    out.push((dir.join(AUDIT_KEY_BACKUP), "audit".into()));
    Ok(out)
}

fn has_records(dir: &Path) -> Result<bool, StoreError> {
    Ok(!files::list(&dir.join("patients"), "")?.is_empty() || !files::list(&dir.join("audit"), "")?.is_empty())
}

/// The header, from the primary copy or, when that is damaged, the backup (repairing the other).
fn read_meta(dir: &Path) -> Result<Option<Meta>, StoreError> {
    let primary = files::read(&dir.join(META))?.and_then(|b| Meta::parse(&b));
    let backup = files::read(&dir.join(META_BACKUP))?.and_then(|b| Meta::parse(&b));
    Ok(match (primary, backup) {
        (Some(p), Some(b)) => Some(if b.generation > p.generation { b } else { p }),
        (Some(m), None) | (None, Some(m)) => Some(m),
        (None, None) => None,
    })
}

fn write_meta(dir: &Path, store_id: &str, generation: u64, master: &Cipher) -> Result<(), StoreError> {
    let mut meta = Meta {
        format: FORMAT,
        store_id: store_id.into(),
        generation,
        key_check: hex(&master.seal(KEY_CHECK, &generation.to_le_bytes())),
        checksum: String::new(),
    };
    meta.checksum = meta.digest();
    let bytes = serde_json::to_vec_pretty(&meta).map_err(|e| StoreError::Database(e.to_string()))?;
    files::write_atomic(&dir.join(META), &bytes)?;
    files::write_atomic(&dir.join(META_BACKUP), &bytes)
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    s.len()
        .is_multiple_of(2)
        .then(|| (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect())
        .flatten()
}

fn load_master(secrets: &dyn SecretStore, meta: &Meta) -> Result<Cipher, StoreError> {
    let name = key_name(&meta.store_id, meta.generation);
    let bytes = secrets
        .get(&name)?
        .ok_or_else(|| locked(format!("the keychain has no key for this cache (entry '{name}')")))?;
    let key = Key::from_bytes(&bytes)
        .ok_or_else(|| locked(format!("the keychain entry '{name}' is not a CardioTwin key")))?;
    let master = Cipher::new(&key);
    let check = unhex(&meta.key_check).unwrap_or_default();
    if master.open(&check, &meta.generation.to_le_bytes()).ok().as_deref() != Some(KEY_CHECK) {
        return Err(locked("the key in the keychain does not open this cache (it was changed or replaced)"));
    }
    Ok(master)
}

/// The audit log's data key, from either copy (repairing a damaged one).
fn load_audit_key(dir: &Path, master: &Cipher, generation: u64) -> Result<Cipher, StoreError> {
    let primary = files::read(&dir.join(AUDIT_KEY))?;
    let backup = files::read(&dir.join(AUDIT_KEY_BACKUP))?;
    let open = |b: &Option<Vec<u8>>| b.as_deref().and_then(|b| unwrap_key(master, generation, "audit", b));
    match (open(&primary), open(&backup)) {
        (Some(k), Some(_)) => Ok(Cipher::new(&k)),
        (Some(k), None) | (None, Some(k)) => {
            let bytes = wrap_key(master, generation, "audit", &k);
            files::write_atomic(&dir.join(AUDIT_KEY), &bytes)?;
            files::write_atomic(&dir.join(AUDIT_KEY_BACKUP), &bytes)?;
            Ok(Cipher::new(&k))
        }
        (None, None) => Err(StoreError::Database(
            "both copies of the audit log's key are damaged or missing; the log cannot be read".into(),
        )),
    }
}

/// Completes what a crash interrupted: a newer master key in the keychain that the header never
/// adopted is undone (key files it already re-wrapped are wrapped back), and an older one the
/// header has left behind is removed.
fn finish_rotation(dir: &Path, secrets: &dyn SecretStore, meta: &Meta, master: &Cipher) -> Result<(), StoreError> {
    let next_name = key_name(&meta.store_id, meta.generation + 1);
    if let Some(next) = secrets.get(&next_name)?.and_then(|b| Key::from_bytes(&b)) {
        let next_master = Cipher::new(&next);
        for (path, name) in key_files(dir)? {
            let Some(bytes) = files::read(&path)? else { continue };
            if let Some(k) = unwrap_key(&next_master, meta.generation + 1, &name, &bytes) {
                files::write_atomic(&path, &wrap_key(master, meta.generation, &name, &k))?;
            }
        }
        secrets.delete(&next_name)?;
    }
    if meta.generation > 1 {
        secrets.delete(&key_name(&meta.store_id, meta.generation - 1))?;
    }
    Ok(())
}

fn create(dir: &Path, secrets: &dyn SecretStore) -> Result<Meta, StoreError> {
    let mut raw = [0u8; 16];
    rand::rng().fill_bytes(&mut raw);
    let store_id = hex(&raw);
    let key = Key::generate();
    let mut salt = [0u8; 32];
    rand::rng().fill_bytes(&mut salt);
    // Keys first: a crash before the header is written leaves only unused keychain entries,
    // never a folder without its keys.
    secrets.set(&key_name(&store_id, 1), key.as_bytes())?;
    secrets.set(&salt_name(&store_id), &salt)?;
    write_anchor(secrets, &store_id, &Anchor { generation: 1, audit_seq: 0, audit_hash: GENESIS.into() })?;
    let master = Cipher::new(&key);
    let audit = wrap_key(&master, 1, "audit", &Key::generate());
    files::write_atomic(&dir.join(AUDIT_KEY), &audit)?;
    files::write_atomic(&dir.join(AUDIT_KEY_BACKUP), &audit)?;
    write_meta(dir, &store_id, 1, &master)?;
    read_meta(dir)?.ok_or_else(|| StoreError::Database("the new header did not read back".into()))
}

fn read_anchor(secrets: &dyn SecretStore, store_id: &str) -> Result<Option<Anchor>, StoreError> {
    match secrets.get(&anchor_name(store_id))? {
        None => Ok(None),
        Some(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|_| locked("the keychain's record of this cache is not readable")),
    }
}

fn write_anchor(secrets: &dyn SecretStore, store_id: &str, anchor: &Anchor) -> Result<(), StoreError> {
    let bytes = serde_json::to_vec(anchor).map_err(|e| StoreError::Database(e.to_string()))?;
    secrets.set(&anchor_name(store_id), &bytes)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::secrets::MemorySecrets;

    pub(crate) fn open(dir: &Path, secrets: &Arc<MemorySecrets>) -> Store {
        Store::open(dir, secrets.clone()).unwrap()
    }

    #[test]
    fn reopening_with_the_same_keychain_works_and_a_changed_key_locks() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Arc::new(MemorySecrets::default());
        let id = open(dir.path(), &secrets).id().to_string();
        assert_eq!(open(dir.path(), &secrets).id(), id);
        secrets.set(&key_name(&id, 1), Key::generate().as_bytes()).unwrap();
        let err = Store::open(dir.path(), secrets.clone()).unwrap_err();
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(err.to_string().starts_with("cache locked: "));
        secrets.delete(&key_name(&id, 1)).unwrap();
        assert!(Store::open(dir.path(), secrets.clone()).unwrap_err().to_string().contains("has no key"));
    }

    #[cfg(unix)]
    #[test]
    fn the_folder_and_its_files_are_private_to_the_user() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let secrets = Arc::new(MemorySecrets::default());
        let store = open(&data, &secrets);
        store.put_snapshot(&crate::cache::tests::snapshot("a")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        for path in twin_test_support::files_under(&data) {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
            assert_eq!(mode(path.parent().unwrap()), 0o700, "{}", path.display());
        }
    }

    #[test]
    fn a_crash_in_the_middle_of_a_rotation_leaves_a_folder_that_opens() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Arc::new(MemorySecrets::default());
        let store = open(dir.path(), &secrets);
        store.put_snapshot(&crate::cache::tests::snapshot("a")).unwrap();
        store.put_snapshot(&crate::cache::tests::snapshot("b")).unwrap();
        // Interrupted after the new key was stored and one key file re-wrapped, before the header.
        let next = Key::generate();
        secrets.set(&key_name(store.id(), 2), next.as_bytes()).unwrap();
        let (path, name) = key_files(dir.path()).unwrap().remove(0);
        let keys = store.keys.lock().unwrap();
        let k = unwrap_key(&keys.master, 1, &name, &std::fs::read(&path).unwrap()).unwrap();
        std::fs::write(&path, wrap_key(&Cipher::new(&next), 2, &name, &k)).unwrap();
        drop(keys);
        drop(store);
        let store = open(dir.path(), &secrets);
        assert_eq!(store.get_snapshot("a").unwrap().patient_id, "a");
        assert_eq!(store.get_snapshot("b").unwrap().patient_id, "b");
        assert!(secrets.get(&key_name(store.id(), 2)).unwrap().is_none(), "the unadopted key is removed");
    }
}
