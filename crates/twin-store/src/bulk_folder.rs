//! A FHIR Bulk Data download folder: the NDJSON files `cardiotwin export` brings from an EHR,
//! for `cardiotwin panel` to read.
//!
//! Unlike the data folder these files are not sealed: the folder is the Bulk Data format the
//! panel and other tools read, at a place the user chose. It is made private to the user (0700,
//! files 0600), every file is written under a temporary name (`.<name>.part`) and renamed when
//! complete, so a reader never sees half a file, and a download that is cut off can go on
//! from where it stopped ([`PartialFile::len`]) or start again ([`PartialFile::restart`]).

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::StoreError;
use crate::files::private_dir;

/// Why the folder could not be written, naming the file (never its content).
fn folder_error(what: &str, name: &str, e: &std::io::Error) -> StoreError {
    let reason = match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::StorageFull => "the disk is full".to_string(),
        _ => e.to_string(),
    };
    StoreError::Database(format!("{what} {name} in the export folder: {reason}"))
}

/// Whether `name` is a plain file name we would write: letters, digits, `.`, `-`, `_`, not
/// starting with a dot (those are our temporary files), at most 100 characters.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// The folder an export is downloaded into.
#[derive(Debug, Clone)]
pub struct BulkFolder {
    dir: PathBuf,
}

impl BulkFolder {
    /// Creates `dir` (and its parents) private to the user, or tightens an existing one.
    ///
    /// # Errors
    /// [`StoreError::Database`] when it cannot be created.
    pub fn create(dir: &Path) -> Result<BulkFolder, StoreError> {
        private_dir(dir)?;
        Ok(BulkFolder { dir: dir.to_path_buf() })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    fn checked(&self, name: &str) -> Result<PathBuf, StoreError> {
        if is_plain_name(name) {
            Ok(self.dir.join(name))
        } else {
            Err(StoreError::Database(format!("'{name}' is not a plain file name for the export folder")))
        }
    }

    /// Starts the file `name` afresh under its temporary name (a temporary file left by an
    /// earlier run is emptied: it may belong to another export).
    ///
    /// # Errors
    /// [`StoreError::Database`] for a name that is not plain, or when it cannot be opened.
    pub fn partial(&self, name: &str) -> Result<PartialFile, StoreError> {
        let final_path = self.checked(name)?;
        let path = self.dir.join(format!(".{name}.part"));
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path).map_err(|e| folder_error("cannot start", name, &e))?;
        Ok(PartialFile { file, path, final_path, name: name.to_string(), len: 0 })
    }

    /// Writes a small whole file (the manifest) through a temporary name.
    ///
    /// # Errors
    /// [`StoreError::Database`] for a name that is not plain, or when it cannot be written.
    pub fn write_file(&self, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let mut partial = self.partial(name)?;
        partial.append(bytes)?;
        partial.finish()
    }
}

/// A file being downloaded: appended to, started again, then renamed into place.
#[derive(Debug)]
pub struct PartialFile {
    file: File,
    path: PathBuf,
    final_path: PathBuf,
    name: String,
    len: u64,
}

impl PartialFile {
    /// Bytes written so far: where a resumed download goes on from.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether nothing has been written yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends `bytes`.
    ///
    /// # Errors
    /// [`StoreError::Database`] when the disk refuses (full, permissions).
    pub fn append(&mut self, bytes: &[u8]) -> Result<(), StoreError> {
        self.file.write_all(bytes).map_err(|e| folder_error("cannot write", &self.name, &e))?;
        self.len += bytes.len() as u64;
        Ok(())
    }

    /// Empties the file, for a download that must start again (the server cannot resume).
    ///
    /// # Errors
    /// [`StoreError::Database`] when it cannot be truncated.
    pub fn restart(&mut self) -> Result<(), StoreError> {
        self.file.set_len(0).map_err(|e| folder_error("cannot restart", &self.name, &e))?;
        self.file.seek(SeekFrom::Start(0)).map_err(|e| folder_error("cannot restart", &self.name, &e))?;
        self.len = 0;
        Ok(())
    }

    /// Flushes the file to disk and renames it to its final name (replacing an older one).
    ///
    /// # Errors
    /// [`StoreError::Database`] when it cannot be flushed or renamed.
    pub fn finish(self) -> Result<(), StoreError> {
        self.file.sync_all().map_err(|e| folder_error("cannot flush", &self.name, &e))?;
        std::fs::rename(&self.path, &self.final_path).map_err(|e| folder_error("cannot complete", &self.name, &e))?;
        #[cfg(unix)]
        if let Some(dir) = self.final_path.parent() {
            File::open(dir).and_then(|d| d.sync_all()).map_err(|e| folder_error("cannot flush", &self.name, &e))?;
        }
        Ok(())
    }

    /// Removes the temporary file of a download given up on.
    pub fn abandon(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_appears_only_when_complete_and_can_start_again() {
        let dir = tempfile::tempdir().unwrap();
        let folder = BulkFolder::create(&dir.path().join("export")).unwrap();
        let mut part = folder.partial("Patient.ndjson").unwrap();
        part.append(b"{\"resourceType\":\"Pat").unwrap();
        assert_eq!(part.len(), 20);
        assert!(!folder.path().join("Patient.ndjson").exists(), "no half file under the final name");
        part.restart().unwrap();
        assert!(part.is_empty());
        part.append(b"{}\n").unwrap();
        part.finish().unwrap();
        assert_eq!(std::fs::read(folder.path().join("Patient.ndjson")).unwrap(), b"{}\n");
        assert!(!folder.path().join(".Patient.ndjson.part").exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(folder.path()), 0o700);
            assert_eq!(mode(&folder.path().join("Patient.ndjson")), 0o600);
        }
    }

    #[test]
    fn names_from_a_server_cannot_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = BulkFolder::create(dir.path()).unwrap();
        for bad in ["../x.ndjson", "a/b.ndjson", ".hidden", "", "x y.ndjson"] {
            assert!(folder.partial(bad).is_err(), "{bad}");
        }
    }
}
