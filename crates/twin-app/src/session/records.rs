//! Use cases on the record: the patient list, a patient's summary, series and timeline, and
//! imports into the cache.

use super::*;

impl Session {
    /// The patient list.
    ///
    /// # Errors
    /// As [`Session::list_patients`].
    pub fn cmd_list_patients(&self, _: NoArgs) -> Result<PatientList, AppError> {
        self.list_patients()
    }

    /// The summary of one patient.
    ///
    /// # Errors
    /// Not found.
    pub fn cmd_patient_summary(&self, a: PatientArgs) -> Result<PatientSummary, AppError> {
        let h = self.patient(&a.id)?;
        let freshness = Some(self.freshness(&h.record));
        Ok(PatientSummary { freshness, ..PatientSummary::from_harmonised(&h, self.today()) })
    }

    /// One measurement's history.
    ///
    /// # Errors
    /// Not found; an unknown key.
    pub fn cmd_series(&self, a: SeriesArgs) -> Result<Series, AppError> {
        let kind = crate::json::measurement_from_key(&a.key)?;
        Ok(Series::from_samples(kind, self.patient(&a.id)?.record.series(kind)))
    }

    /// The overview timeline.
    ///
    /// # Errors
    /// Not found.
    pub fn cmd_timeline(&self, a: PatientArgs) -> Result<Timeline, AppError> {
        let h = self.patient(&a.id)?;
        let summary = PatientSummary::from_harmonised(&h, self.today());
        let series = MeasurementKind::ALL
            .into_iter()
            .filter(|k| !h.record.series(*k).is_empty())
            .map(|k| Series::from_samples(k, h.record.series(k)))
            .collect();
        let mut medications = summary.active_medications;
        medications.extend(summary.past_medications);
        medications.sort_by(|a, b| a.start.cmp(&b.start));
        let conditions = crate::json::all_conditions(&h.record);
        Ok(Timeline {
            id: h.record.id.clone(),
            series,
            medications,
            conditions,
            procedures: summary.procedures,
            as_of: summary.as_of,
            targets: crate::overview::patient_targets(&h.record, self.today(), self.preferences().0.guidelines.into()),
            reference_ranges: crate::overview::reference_ranges(&h.record),
            home_bp: crate::overview::home_bp_view(&h.record, self.today()),
        })
    }

    /// What the last EHR fetch of a held patient changed (kept until the next fetch); nothing for
    /// a patient never fetched over a held record. A data folder that does not exist yet holds
    /// none, and is not created here.
    ///
    /// # Errors
    /// The store cannot be opened or read.
    pub fn cmd_changes_since_fetch(&self, a: PatientArgs) -> Result<crate::changes::WhatChanged, AppError> {
        let open = lock(&self.store).is_some();
        match self.config.data_dir.as_deref() {
            Some(dir) if open || dir.is_dir() => crate::changes::held(&*self.store()?, &a.id),
            _ => Ok(crate::changes::WhatChanged::default()),
        }
    }

    /// Imports a bundle into the offline cache.
    ///
    /// # Errors
    /// As [`Session::import_bundle`].
    pub fn cmd_import_bundle(&self, a: ImportArgs) -> Result<PatientListItem, AppError> {
        self.import_bundle(&a.bundle_json, &a.file_name, a.patient.as_deref())
    }
}
