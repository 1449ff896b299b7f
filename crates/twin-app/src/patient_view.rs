//! What the patient view shows, as the clinician chose it: today's treatment, the suggested plan,
//! a plan they modified, or a saved scenario. Nothing is shown to the patient until the clinician
//! chooses (an undecided suggestion is never the default), and the choice is remembered per
//! patient, sealed with their saved scenarios ([`crate::saved::save_patient_view`]): which plan a
//! patient was shown is part of their plan of care, so PHI.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};
use crate::scenario_file::ScenarioFile;

/// What the clinician chose to show the patient beside today's treatment. Each plan carries its
/// scenario as chosen, so the view shows what was chosen even if the suggestion later changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PatientViewChoice {
    /// Today's treatment alone, unchanged (the clinician and the patient keep it).
    Today,
    /// The suggested plan of care, as the decision screen proposed it.
    Suggested {
        /// The plan's scenario (its first step's changes and its treat-to-target ladder).
        scenario: ScenarioFile,
    },
    /// A plan the clinician changed from the suggestion.
    Modified {
        /// The edited scenario.
        scenario: ScenarioFile,
    },
    /// One of the patient's saved scenarios.
    Saved {
        /// The saved scenario, as it was when chosen.
        scenario: ScenarioFile,
    },
}

impl PatientViewChoice {
    /// The scenario compared with today's treatment; `None` for today's treatment alone.
    pub fn scenario(&self) -> Option<&ScenarioFile> {
        match self {
            PatientViewChoice::Today => None,
            PatientViewChoice::Suggested { scenario }
            | PatientViewChoice::Modified { scenario }
            | PatientViewChoice::Saved { scenario } => Some(scenario),
        }
    }
}

/// A choice as remembered: what, on which consultation day, by whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChosenView {
    /// What the patient view shows.
    pub choice: PatientViewChoice,
    /// The consultation day it was chosen on (ISO date).
    pub chosen_on: String,
    /// Who chose it (the workstation's user).
    pub chosen_by: String,
}

/// The arguments of `choosePatientView`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChoosePatientViewArgs {
    /// Patient id.
    pub id: String,
    /// What the patient view is to show.
    pub choice: PatientViewChoice,
}

/// What `patientView` answers: the clinician's choice, or `null` until there is one (the screen
/// then tells the clinician to choose, and shows the patient nothing).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientViewState {
    /// The choice; `None` until the clinician makes one.
    pub chosen: Option<ChosenView>,
}

/// Checks a chosen plan before it is remembered: a scenario with no change is today's treatment,
/// and is said to be (so the patient is never told a "new plan" that changes nothing).
///
/// # Errors
/// [`ErrorCode::Validation`] for a plan with neither a change nor a strategy.
pub fn check(choice: &PatientViewChoice) -> Result<(), AppError> {
    match choice.scenario() {
        Some(s) if s.interventions.is_empty() && s.strategy.is_none() => Err(AppError::new(
            ErrorCode::Validation,
            "this plan changes nothing: choose today's treatment to show the treatment unchanged",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_travels_tagged_by_kind() {
        let today = serde_json::to_value(PatientViewChoice::Today).unwrap();
        assert_eq!(today, serde_json::json!({ "kind": "today" }));
        let back: PatientViewChoice = serde_json::from_value(
            serde_json::json!({ "kind": "saved", "scenario": { "name": "x", "interventions": [] } }),
        )
        .unwrap();
        assert_eq!(back.scenario().map(|s| s.name.as_str()), Some("x"));
    }

    #[test]
    fn a_plan_that_changes_nothing_is_refused() {
        let empty = ScenarioFile { name: "nothing".into(), ..ScenarioFile::current_treatment() };
        let err = check(&PatientViewChoice::Modified { scenario: empty }).unwrap_err();
        assert_eq!(err.code, ErrorCode::Validation);
        assert!(check(&PatientViewChoice::Today).is_ok());
    }
}
