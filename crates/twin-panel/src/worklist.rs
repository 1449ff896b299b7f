//! The app's worklist reads panel results through here: `twin_app::worklist` holds the view and
//! the ranking, this crate the Parquet (so Arrow stays out of twin-app).

use std::path::Path;
use std::sync::Arc;

use twin_app::settings::GuidelineSet;
use twin_app::worklist::{PanelReader, WorklistRow};
use twin_app::{AppError, ErrorCode};

use crate::rows::PanelRow;

/// The reader `serve` and the desktop shell register with `twin_app::worklist::set_reader`.
pub fn reader() -> PanelReader {
    Arc::new(|path: &Path| {
        let rows = crate::read_panel(path)
            .map_err(|e| AppError::new(ErrorCode::Validation, format!("not a panel result: {e}")))?;
        Ok(rows.into_iter().map(worklist_row).collect())
    })
}

fn worklist_row(r: PanelRow) -> WorklistRow {
    let split = |s: Option<String>| -> Vec<String> {
        s.map(|s| s.split("; ").filter(|x| !x.is_empty()).map(str::to_string).collect()).unwrap_or_default()
    };
    WorklistRow {
        patient_id: r.patient_id,
        scenario: r.scenario,
        event_model: r.event_model,
        risk_pct: r.risk_pct.map(|b| b.median),
        risk_years: r.risk_years,
        benefit_pct: r.plan_arr_pct.map(|b| b.median),
        benefit_p5: r.plan_arr_pct.map(|b| b.p5),
        benefit_p95: r.plan_arr_pct.map(|b| b.p95),
        benefit_years: r.plan_risk_years,
        first_step: r.plan_first_step,
        guidelines: r.plan_guidelines.as_deref().and_then(GuidelineSet::from_code),
        alerts: split(r.alerts),
        stale_inputs: split(r.stale_inputs),
        skip_reason: r.skip_reason,
        skip_detail: r.skip_detail,
        openable: false,
        name: None,
    }
}
