//! The store's files: private to the user, replaced atomically, read with a size bound, and
//! guarded by a lock shared with every other CardioTwin process on the same data folder.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rand::RngCore;

use crate::error::StoreError;

/// How long an operation waits for another process (the app while the CLI runs) to finish its
/// own before saying the store is busy. Every write holds the lock for milliseconds.
pub(crate) const BUSY_WAIT: Duration = Duration::from_secs(5);

/// Suffix of a file being written; one left by a crash is removed at the next open.
const TMP_MARK: &str = ".tmp-";

/// A store file that is larger than this is not one we wrote (the largest real record is a
/// lifetime bundle of a few MB; the importer refuses bundles over 64 MB).
pub(crate) const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

pub(crate) fn io_error(what: &str, e: &std::io::Error) -> StoreError {
    StoreError::Database(format!("{what}: {}", plain_io(e)))
}

fn plain_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "missing".into(),
        std::io::ErrorKind::StorageFull => "the disk is full".into(),
        _ => e.to_string(),
    }
}

/// Creates `dir` (and parents) private to the user (0700 on Unix), tightening an existing one.
pub(crate) fn private_dir(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| io_error("cannot create the data folder", &e))?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| io_error("cannot make the data folder private", &e))?;
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir).map_err(|e| io_error("cannot create the data folder", &e))?;
    Ok(())
}

fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| io_error("cannot flush the data folder", &e))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one, never a
/// mix: a private temporary file, flushed, renamed over `path`, and the folder flushed.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = path.parent().ok_or_else(|| StoreError::Database("a store file has no folder".into()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let mut suffix = [0u8; 6];
    rand::rng().fill_bytes(&mut suffix);
    let tmp = dir.join(format!("{name}{TMP_MARK}{}", hex(&suffix)));
    let written = (|| {
        let mut file = private_options().write(true).create_new(true).open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_error("cannot write to the store", &e));
    }
    sync_dir(dir)
}

/// Removes `path` if present and flushes its folder; `true` when it existed.
pub(crate) fn remove(path: &Path) -> Result<bool, StoreError> {
    match std::fs::remove_file(path) {
        Ok(()) => {
            if let Some(dir) = path.parent() {
                sync_dir(dir)?;
            }
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_error("cannot remove a store file", &e)),
    }
}

/// Reads a whole store file, `None` when absent; refuses one larger than [`MAX_FILE_BYTES`].
pub(crate) fn read(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error("cannot read the store", &e)),
    };
    let mut bytes = Vec::new();
    (&mut file).take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| io_error("cannot read the store", &e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(StoreError::Database("a store file is larger than any record CardioTwin writes".into()));
    }
    Ok(Some(bytes))
}

/// Reads at most `limit` bytes from the start of `path` (`None` when absent).
pub(crate) fn read_prefix(path: &Path, limit: usize) -> Result<Option<Vec<u8>>, StoreError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error("cannot read the store", &e)),
    };
    let mut bytes = Vec::new();
    file.take(limit as u64).read_to_end(&mut bytes).map_err(|e| io_error("cannot read the store", &e))?;
    Ok(Some(bytes))
}

/// The files in `dir` whose names end with `suffix`, sorted by name; leftover temporary files
/// are not listed.
pub(crate) fn list(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>, StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error("cannot list the store", &e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| io_error("cannot list the store", &e))?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        if name.ends_with(suffix) && !name.contains(TMP_MARK) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// Removes temporary files a crash left in `dir`.
pub(crate) fn remove_leftovers(dir: &Path) -> Result<(), StoreError> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for entry in entries.flatten() {
        if entry.file_name().to_str().is_some_and(|n| n.contains(TMP_MARK)) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The data folder's lock, held for one operation: shared to read, exclusive to write. Another
/// CardioTwin process waits for it up to [`BUSY_WAIT`], then is told the store is busy.
pub(crate) struct Lock {
    _file: File,
}

impl Lock {
    fn acquire(dir: &Path, exclusive: bool) -> Result<Lock, StoreError> {
        let file = private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.join("store.lock"))
            .map_err(|e| io_error("cannot open the store's lock", &e))?;
        let started = Instant::now();
        loop {
            let attempt = if exclusive { file.try_lock() } else { file.try_lock_shared() };
            match attempt {
                Ok(()) => return Ok(Lock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < BUSY_WAIT => {
                    std::thread::sleep(Duration::from_millis(15));
                }
                Err(std::fs::TryLockError::WouldBlock) => return Err(StoreError::Busy),
                Err(std::fs::TryLockError::Error(e)) => return Err(io_error("cannot lock the store", &e)),
            }
        }
    }

    /// Shared: readers run together; writers wait.
    pub(crate) fn shared(dir: &Path) -> Result<Lock, StoreError> {
        Self::acquire(dir, false)
    }

    /// Exclusive: one writer at a time, across processes.
    pub(crate) fn exclusive(dir: &Path) -> Result<Lock, StoreError> {
        Self::acquire(dir, true)
    }
}
