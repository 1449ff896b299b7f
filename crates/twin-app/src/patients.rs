//! Opening patients from FHIR bundle files, and listing a folder of them.

use std::path::{Path, PathBuf};

use time::Date;
use twin_fhir::Harmonised;

use crate::error::{AppError, ErrorCode};

/// The wall clock's date (UTC). Only the app's default: a session computes ages, active
/// medications and staleness for its own as-of day ([`crate::session::SessionConfig::as_of`]),
/// which tests and the CLI pin so results do not change with the date they run on.
pub fn wall_clock_today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

/// Reads an as-of date written `YYYY-MM-DD`.
///
/// # Errors
/// [`ErrorCode::Validation`] naming what was given.
pub fn parse_as_of(text: &str) -> Result<Date, AppError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), format).map_err(|_| {
        AppError::new(ErrorCode::Validation, format!("'{text}' is not a date: write the as-of day as YYYY-MM-DD"))
    })
}

/// Reads and harmonises one bundle file.
///
/// # Errors
/// [`ErrorCode::NotFound`]/[`ErrorCode::Io`] when the file cannot be read,
/// [`ErrorCode::Validation`] when it is not a FHIR Bundle with a Patient. The message names the
/// file and the problem, never its contents.
pub fn open_bundle(path: &Path) -> Result<Harmonised, AppError> {
    let text = read_bundle_file(path)?;
    twin_fhir::harmonise_bundle_text(&text)
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("{}: {e}", path.display())))
}

/// Reads a bundle file, refusing one above [`twin_fhir::MAX_BUNDLE_BYTES`] before reading it
/// (a 231 MB file once took 6 GB of memory to parse).
///
/// # Errors
/// [`ErrorCode::Validation`] for a file over the limit; I/O errors naming the file.
pub fn read_bundle_file(path: &Path) -> Result<String, AppError> {
    let size = std::fs::metadata(path).map_err(|e| AppError::io(path, &e))?.len();
    if size > twin_fhir::MAX_BUNDLE_BYTES as u64 {
        return Err(AppError::new(
            ErrorCode::Validation,
            format!(
                "{}: the file is {} MB, above the {} MB limit for one patient's record; it was not read",
                path.display(),
                size / 1_000_000,
                twin_fhir::MAX_BUNDLE_BYTES / 1_000_000
            ),
        ));
    }
    std::fs::read_to_string(path).map_err(|e| AppError::io(path, &e))
}

/// A folder of bundle files (`*.json`), such as the demo cohort.
#[derive(Debug, Clone)]
pub struct PatientFolder {
    dir: PathBuf,
}

impl PatientFolder {
    /// The folder at `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn files(&self) -> Result<Vec<PathBuf>, AppError> {
        let entries = std::fs::read_dir(&self.dir).map_err(|e| AppError::io(&self.dir, &e))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        Ok(files)
    }

    /// The largest bundle file in the folder (for benchmarks).
    ///
    /// # Errors
    /// When the folder cannot be read or holds no bundle.
    pub fn largest_file(&self) -> Result<PathBuf, AppError> {
        self.files()?
            .into_iter()
            .max_by_key(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("no bundles in {}", self.dir.display())))
    }

    /// Every readable bundle in the folder, harmonised, in file order, and one error per file
    /// that could not be read.
    ///
    /// # Errors
    /// When the folder itself cannot be read.
    pub fn open_all(&self) -> Result<(Vec<Harmonised>, Vec<AppError>), AppError> {
        let (mut opened, mut unreadable) = (Vec::new(), Vec::new());
        for file in self.files()? {
            match open_bundle(&file) {
                Ok(h) => opened.push(h),
                Err(e) => unreadable.push(e),
            }
        }
        Ok((opened, unreadable))
    }
}
