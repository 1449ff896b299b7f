//! Patient list, summary and measurement history.

use tauri::State;
use twin_app::json::{measurement_from_key, PatientList, PatientSummary, Series};
use twin_app::patients::today;
use twin_app::AppError;

use crate::state::AppState;

/// Lists the demo patients.
#[tauri::command(async)]
pub fn list_patients(state: State<'_, AppState>) -> Result<PatientList, AppError> {
    state.demo.list(today())
}

/// The harmonised summary of one patient.
#[tauri::command(async)]
pub fn patient_summary(state: State<'_, AppState>, id: String) -> Result<PatientSummary, AppError> {
    state.demo.open(&id).map(|h| PatientSummary::from_harmonised(&h, today()))
}

/// The history of one measurement (`key` as in `Series.key`, e.g. `sbp`).
#[tauri::command(async)]
pub fn measurement_series(state: State<'_, AppState>, id: String, key: String) -> Result<Series, AppError> {
    state.demo.series(&id, measurement_from_key(&key)?)
}
