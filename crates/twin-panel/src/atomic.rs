//! Files published whole: written beside their final name, flushed to disk, then renamed, so
//! a process stopped at any moment leaves the old file or the new one, never half of one.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::PanelError;

/// The temporary name `path` is written under before it is published: unique to this
/// process, so two workers retrying the same part never write into one file.
pub(crate) fn temporary(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Publishes the finished temporary file `tmp` as `path`.
///
/// # Errors
/// I/O.
pub(crate) fn publish(tmp: &Path, path: &Path) -> Result<(), PanelError> {
    File::open(tmp).and_then(|f| f.sync_all()).map_err(|e| PanelError::io(tmp, &e))?;
    fs::rename(tmp, path).map_err(|e| PanelError::io(path, &e))?;
    if let Some(dir) = path.parent() {
        // The rename itself reaches the disk with the folder's entry (on Unix).
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// Writes `bytes` to `path` whole.
///
/// # Errors
/// I/O.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<(), PanelError> {
    let tmp = temporary(path);
    File::create(&tmp).and_then(|mut f| f.write_all(bytes)).map_err(|e| PanelError::io(&tmp, &e))?;
    publish(&tmp, path)
}
