//! Saved scenarios (save, edit, duplicate, delete; sealed in the store with the patient's key)
//! and the builder's choices and checks against the patient's regimen today.

use super::*;
use crate::builder::{ScenarioCheck, ScenarioOptions};

/// Most scenarios one check takes (a saved list and a draft).
const MAX_CHECKED: usize = 200;

impl Session {
    /// Saved scenarios of patient `id`, oldest first.
    ///
    /// # Errors
    /// No data folder or keychain; a saved list that no longer parses.
    pub fn saved_scenarios(&self, id: &str) -> Result<Vec<ScenarioFile>, AppError> {
        crate::saved::scenarios(&*self.store()?, self.data_dir()?, id)
    }

    /// Saves a scenario for patient `id`, sealed in the store with the patient's record key, as a
    /// new one or (with `replace`) in place of the saved one of that name; returns the saved list.
    /// The scenario is checked as a comparison would check it, against today's drugs too.
    ///
    /// # Errors
    /// An invalid scenario, or one that does not fit today's regimen; a bad or taken name; no
    /// data folder or keychain; a write error.
    pub fn save_scenario(
        &self,
        id: &str,
        scenario: ScenarioFile,
        replace: Option<&str>,
    ) -> Result<Vec<ScenarioFile>, AppError> {
        let record = &self.patient(id)?.record;
        crate::saved::check_name(&scenario.name)?;
        let check = crate::builder::check(&scenario, &crate::builder::current_drugs(record, self.today()));
        if let Some(problem) = check.problem {
            let change = check.intervention.map_or(String::new(), |n| format!("change {}: ", n + 1));
            return Err(AppError::new(ErrorCode::Validation, format!("the scenario: {change}{problem}")));
        }
        crate::saved::save_scenario(&*self.store()?, self.data_dir()?, id, scenario, replace)
    }

    /// Saved scenarios.
    ///
    /// # Errors
    /// As [`Session::saved_scenarios`].
    pub fn cmd_saved_scenarios(&self, a: PatientArgs) -> Result<Vec<ScenarioFile>, AppError> {
        self.saved_scenarios(&a.id)
    }

    /// Saves a scenario, new or in place of one (`replace`).
    ///
    /// # Errors
    /// As [`Session::save_scenario`].
    pub fn cmd_save_scenario(&self, a: SaveScenarioArgs) -> Result<Vec<ScenarioFile>, AppError> {
        self.save_scenario(&a.id, a.scenario, a.replace.as_deref())
    }

    /// Deletes a saved scenario; returns the list left.
    ///
    /// # Errors
    /// [`ErrorCode::NotFound`] for a name not saved; no data folder or keychain; a write error.
    pub fn cmd_delete_scenario(&self, a: ScenarioNameArgs) -> Result<Vec<ScenarioFile>, AppError> {
        self.patient(&a.id)?;
        crate::saved::delete_scenario(&*self.store()?, self.data_dir()?, &a.id, &a.name)
    }

    /// Saves a copy of a saved scenario just after it ("… (copy)"); returns the list.
    ///
    /// # Errors
    /// [`ErrorCode::NotFound`] for a name not saved; no data folder or keychain; a write error.
    pub fn cmd_duplicate_scenario(&self, a: ScenarioNameArgs) -> Result<Vec<ScenarioFile>, AppError> {
        self.patient(&a.id)?;
        crate::saved::duplicate_scenario(&*self.store()?, self.data_dir()?, &a.id, &a.name)
    }

    /// What the builder offers for this patient today: classes taken (change the dose, stop) and
    /// not taken (start), each at its agent's ladder's doses.
    ///
    /// # Errors
    /// Not found.
    pub fn cmd_scenario_options(&self, a: PatientArgs) -> Result<ScenarioOptions, AppError> {
        Ok(crate::builder::options(&self.patient(&a.id)?.record, self.today()))
    }

    /// Whether each scenario can be projected for this patient today (values, strategy, drug
    /// changes against today's drugs), one answer per scenario in order: what a comparison
    /// would refuse, said before it runs.
    ///
    /// # Errors
    /// Not found; more than 200 scenarios.
    pub fn cmd_check_scenarios(&self, a: CheckScenariosArgs) -> Result<Vec<ScenarioCheck>, AppError> {
        if a.scenarios.len() > MAX_CHECKED {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!("at most {MAX_CHECKED} scenarios are checked at once, not {}", a.scenarios.len()),
            ));
        }
        let current = crate::builder::current_drugs(&self.patient(&a.id)?.record, self.today());
        Ok(a.scenarios.iter().map(|s| crate::builder::check(s, &current)).collect())
    }
}
