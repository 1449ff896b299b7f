//! The HL7 v2 lab-results import, for the screens (the file's text) and the CLI (a file and an
//! extra code table): [`crate::hl7_import`] run on the session's store, and the changed records
//! held again so every screen sees the new results.

use std::path::Path;

use serde::Deserialize;
use ts_rs::TS;

use super::Session;
use crate::error::AppError;
use crate::hl7_import::{self, Hl7ImportReport};
use crate::json::PatientOrigin;

/// An HL7 v2 file's text to import.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportHl7Args {
    /// The file's name, for the record's source list.
    pub file_name: String,
    /// The file's text (ORU^R01 messages, plain or MLLP-framed).
    pub text: String,
    /// The patient the results are for, by id; without it each message goes to the held patient
    /// its PID-3 names.
    #[serde(default)]
    #[ts(optional)]
    pub patient: Option<String>,
}

impl Session {
    /// Imports HL7 v2 lab results into the offline cache (see [`hl7_import::import_hl7_text`]),
    /// mapping local codes through the data folder's code table and `extra_codes`.
    ///
    /// # Errors
    /// As [`hl7_import::code_table`] and [`hl7_import::import_hl7_text`].
    pub fn import_hl7(
        &self,
        text: &str,
        file_name: &str,
        patient: Option<&str>,
        extra_codes: Option<&Path>,
    ) -> Result<Hl7ImportReport, AppError> {
        let store = self.store()?;
        let (codes, words) = hl7_import::code_table(self.config.data_dir.as_deref(), extra_codes)?;
        let (report, records) =
            hl7_import::import_hl7_text(&store, text, file_name, (&codes, words), patient, self.today())?;
        for record in records {
            self.remember(record, PatientOrigin::Cache, Some(0.0));
        }
        Ok(report)
    }

    /// `importHl7`.
    ///
    /// # Errors
    /// As [`Session::import_hl7`].
    pub fn cmd_import_hl7(&self, a: ImportHl7Args) -> Result<Hl7ImportReport, AppError> {
        self.import_hl7(&a.text, &a.file_name, a.patient.as_deref(), None)
    }
}
