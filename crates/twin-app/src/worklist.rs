//! The worklist: a panel result (`cardiotwin panel`, Parquet) as the workstation shows it, one
//! patient a row, ranked by the expected benefit of the suggested plan and by the alerts on
//! today's regimen.
//!
//! The Parquet reader is twin-panel's (the Arrow build stays out of this crate): the process
//! that serves the app (`cardiotwin serve`, the desktop shell) registers it with [`set_reader`].
//! The file is read into memory for the answer and nothing of it is written anywhere.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};
use crate::settings::GuidelineSet;

/// Reads a panel result's rows (one per patient × scenario).
pub type PanelReader = Arc<dyn Fn(&Path) -> Result<Vec<WorklistRow>, AppError> + Send + Sync>;

static READER: OnceLock<PanelReader> = OnceLock::new();

/// Registers the process's panel reader (once; later calls are ignored).
pub fn set_reader(reader: PanelReader) {
    let _ = READER.set(reader);
}

/// Arguments of `openPanel`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenPanelArgs {
    /// The panel result on this machine (a `.parquet` file `cardiotwin panel` wrote).
    pub path: String,
}

/// One patient of a panel (its `current` row, or its first when `current` was not run).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorklistRow {
    /// FHIR Patient id.
    pub patient_id: String,
    /// The scenario this row is from.
    pub scenario: String,
    /// The event model behind the risk.
    pub event_model: Option<String>,
    /// Risk under today's treatment over `risk_years`, %: median.
    pub risk_pct: Option<f64>,
    /// The horizon of `risk_pct`, years (10; MAGGIC's 3 in heart failure).
    pub risk_years: Option<u32>,
    /// The suggested plan's absolute risk reduction, percentage points: median.
    pub benefit_pct: Option<f64>,
    /// Its 5th percentile.
    pub benefit_p5: Option<f64>,
    /// Its 95th percentile.
    pub benefit_p95: Option<f64>,
    /// Over how many years the benefit is counted.
    pub benefit_years: Option<u32>,
    /// The suggested plan's first step.
    pub first_step: Option<String>,
    /// The guideline set the plan was searched under (ESC in results written before panels
    /// recorded it: those runs could use no other).
    pub guidelines: Option<GuidelineSet>,
    /// Safety rules firing on today's regimen, by id.
    pub alerts: Vec<String>,
    /// Inputs older than their limit.
    pub stale_inputs: Vec<String>,
    /// Why the patient has no projection (a code), when skipped.
    pub skip_reason: Option<String>,
    /// The same in words.
    pub skip_detail: Option<String>,
    /// Whether the workstation holds this patient (demo set or offline cache), so a click
    /// opens it.
    pub openable: bool,
    /// The patient's name where this workstation holds the record (the panel file keeps ids only).
    pub name: Option<String>,
}

/// A panel result, ranked.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Worklist {
    /// The file's name (not its folder).
    pub file: String,
    /// Patients projected, best expected benefit first, then most alerts.
    pub rows: Vec<WorklistRow>,
    /// Patients skipped, with their reason, by id.
    pub skipped: Vec<WorklistRow>,
    /// The guideline set the plans follow, when every projected row names the same one; the
    /// screen says so beside the settings' choice, so a panel run under ESC is not read as
    /// ACC/AHA advice (or the other way round).
    pub guidelines: Option<GuidelineSet>,
}

/// Reads `path` with the registered reader and ranks it; `known` says which patient ids the
/// workstation holds.
///
/// # Errors
/// [`ErrorCode::Validation`] when no reader is registered (a build without panel support) or
/// the file is not a panel result.
pub fn open(path: &Path, name_of: &dyn Fn(&str) -> Option<String>) -> Result<Worklist, AppError> {
    let reader = READER
        .get()
        .ok_or_else(|| AppError::new(ErrorCode::Validation, "this build of CardioTwin cannot open panel results"))?;
    let rows = reader(path)?;
    let mut one: Vec<WorklistRow> = Vec::new();
    for row in rows {
        match one.last_mut() {
            Some(last) if last.patient_id == row.patient_id => {
                if row.scenario == "current" {
                    *last = row;
                }
            }
            _ => one.push(row),
        }
    }
    let (mut skipped, mut rows): (Vec<_>, Vec<_>) = one
        .into_iter()
        .map(|r| {
            let name = name_of(&r.patient_id);
            WorklistRow { openable: name.is_some(), name, ..r }
        })
        .partition(|r| r.skip_reason.is_some());
    rank(&mut rows);
    skipped.sort_by(|a, b| a.patient_id.cmp(&b.patient_id));
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let guidelines = rows.first().and_then(|r| r.guidelines).filter(|g| rows.iter().all(|r| r.guidelines == Some(*g)));
    Ok(Worklist { file, rows, skipped, guidelines })
}

/// Best expected benefit first (a patient without one after those with one), then most alerts,
/// then by id, so the order never depends on how the file was written.
pub fn rank(rows: &mut [WorklistRow]) {
    rows.sort_by(|a, b| {
        let benefit = |r: &WorklistRow| r.benefit_pct.unwrap_or(f64::NEG_INFINITY);
        benefit(b)
            .total_cmp(&benefit(a))
            .then(b.alerts.len().cmp(&a.alerts.len()))
            .then(a.patient_id.cmp(&b.patient_id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, benefit: Option<f64>, alerts: usize) -> WorklistRow {
        WorklistRow {
            patient_id: id.into(),
            scenario: "current".into(),
            event_model: None,
            risk_pct: None,
            risk_years: None,
            benefit_pct: benefit,
            benefit_p5: None,
            benefit_p95: None,
            benefit_years: None,
            first_step: None,
            guidelines: None,
            alerts: vec!["rule".into(); alerts],
            stale_inputs: Vec::new(),
            skip_reason: None,
            skip_detail: None,
            openable: false,
            name: None,
        }
    }

    #[test]
    fn ranks_by_benefit_then_alerts_then_id() {
        let mut rows = vec![row("a", None, 3), row("b", Some(2.0), 0), row("c", Some(5.0), 0), row("d", Some(2.0), 1)];
        rank(&mut rows);
        let ids: Vec<_> = rows.iter().map(|r| r.patient_id.as_str()).collect();
        assert_eq!(ids, ["c", "d", "b", "a"]);
    }
}
