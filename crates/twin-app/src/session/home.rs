//! The home BP and Apple Health import on the session's store ([`crate::home_import`]), with the
//! changed record held again so every screen sees the new readings.

use std::path::Path;

use super::Session;
use crate::error::AppError;
use crate::home_import::{self, HomeFile, HomeImportReport};
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
}
