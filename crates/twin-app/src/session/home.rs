//! The home BP and Apple Health import on the session's store ([`crate::home_import`]), with the
//! changed record held again so every screen sees the new readings. Three ways in: a path (the
//! CLI, and the desktop shell, which hands over the file the clinician chose), and a stream (the
//! browser's upload to `cardiotwin serve`, parsed as it arrives).

use std::io::Read;
use std::path::Path;

use super::Session;
use crate::error::AppError;
use crate::home_import::{self, HomeFile, HomeImportReport, ImportHomeArgs};
use crate::json::PatientOrigin;

impl Session {
    /// Imports a home BP CSV or an Apple Health export from `path` into a held record (see
    /// [`home_import::import_home_file`]).
    ///
    /// # Errors
    /// As [`home_import::import_home_file`].
    pub fn import_home_file(
        &self,
        path: &Path,
        file: HomeFile<'_>,
        patient: Option<&str>,
    ) -> Result<HomeImportReport, AppError> {
        let store = self.store()?;
        let (report, harmonised) = home_import::import_home_file(&store, path, file, patient, self.today())?;
        self.remember(harmonised, PatientOrigin::Cache, Some(0.0));
        Ok(report)
    }

    /// Imports a home-data file read from `source` as it streams in (an upload), for the patient
    /// `args` names; nothing of it is written to disk but the record it joins.
    ///
    /// # Errors
    /// As [`home_import::import_home_reader`].
    pub fn import_home_stream(&self, source: impl Read, args: &ImportHomeArgs) -> Result<HomeImportReport, AppError> {
        let store = self.store()?;
        let (report, harmonised) =
            home_import::import_home_reader(&store, source, &args.file_name, args.file(), &args.patient, self.today())?;
        self.remember(harmonised, PatientOrigin::Cache, Some(0.0));
        Ok(report)
    }
}
