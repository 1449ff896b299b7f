//! What the patient view shows: the clinician's choice, read and remembered per patient.

use super::*;
use crate::patient_view::{ChoosePatientViewArgs, ChosenView, PatientViewState};

impl Session {
    /// What the clinician chose to show patient `id` (`chosen` is `null` until they choose).
    ///
    /// # Errors
    /// Not found; no data folder or keychain; a sealed document that no longer parses.
    pub fn cmd_patient_view(&self, a: PatientArgs) -> Result<PatientViewState, AppError> {
        self.patient(&a.id)?;
        Ok(PatientViewState { chosen: crate::saved::patient_view(&*self.store()?, &a.id)? })
    }

    /// Remembers what the patient view shows for patient `id`, sealed with their saved
    /// scenarios. A plan is checked as a comparison would check it, against today's drugs too.
    ///
    /// # Errors
    /// A plan that changes nothing or does not fit today's regimen; not found; no data folder or
    /// keychain; a write error.
    pub fn cmd_choose_patient_view(&self, a: ChoosePatientViewArgs) -> Result<PatientViewState, AppError> {
        let record = &self.patient(&a.id)?.record;
        crate::patient_view::check(&a.choice)?;
        if let Some(scenario) = a.choice.scenario() {
            let check = crate::builder::check(scenario, &crate::builder::current_drugs(record, self.today()));
            if let Some(problem) = check.problem {
                let change = check.intervention.map_or(String::new(), |n| format!("change {}: ", n + 1));
                return Err(AppError::new(ErrorCode::Validation, format!("the plan: {change}{problem}")));
            }
        }
        let chosen = ChosenView {
            choice: a.choice,
            chosen_on: self.today().to_string(),
            chosen_by: std::env::var("USER").unwrap_or_else(|_| "clinician".into()),
        };
        crate::saved::save_patient_view(&*self.store()?, &a.id, &chosen)?;
        Ok(PatientViewState { chosen: Some(chosen) })
    }
}
