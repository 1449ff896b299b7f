//! A panel's rows: one per patient × scenario, and their Arrow form (the Parquet columns
//! pyarrow reads). Risks are percentages and differences percentage points; every projected
//! figure comes with its 5–95% band where it has one.

use std::sync::Arc;

use arrow_array::builder::{Float64Builder, StringBuilder, UInt32Builder, UInt64Builder};
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray, UInt32Array, UInt64Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// One patient under one scenario, or why the patient (or the scenario for them) was skipped.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PanelRow {
    /// The FHIR Patient id.
    pub patient_id: String,
    /// The scenario's name (`current` for today's treatment).
    pub scenario: String,
    /// The ensemble's seed (derived from the run's seed, the patient and the scenario).
    pub seed: Option<u64>,
    /// The event model behind the risk, or why there is none.
    pub event_model: Option<String>,
    /// Risk of the event model's outcome over `risk_years`, %: median and 5–95% band.
    pub risk_pct: Option<Band>,
    /// That risk under this scenario minus under today's treatment, percentage points (paired
    /// members): median and 5–95% band. Zero for `current` itself.
    pub risk_diff_pct: Option<Band>,
    /// The horizon of `risk_pct`, years: 10 for the CV equations (PCE, PREVENT, SCORE2), 3 for
    /// MAGGIC's death in heart failure (never read past the model's own horizon).
    pub risk_years: Option<u32>,
    /// Systolic BP at 12 months, mmHg (median).
    pub sbp12_mmhg: Option<f64>,
    /// LDL-C at 12 months, mmol/L (median).
    pub ldl12_mmol_l: Option<f64>,
    /// The suggested plan's first step, in words ("no change" when today's treatment reaches
    /// the targets).
    pub plan_first_step: Option<String>,
    /// The guideline set the plan was searched under (`esc`, `accAha`:
    /// `twin_app::settings::GuidelineSet::code`).
    pub plan_guidelines: Option<String>,
    /// The suggested plan's absolute risk reduction against today's treatment, percentage
    /// points (median and 5–95% band), over `plan_risk_years`.
    pub plan_arr_pct: Option<Band>,
    /// The horizon of `plan_arr_pct`, years (10; 3 in heart failure).
    pub plan_risk_years: Option<u32>,
    /// Safety rules that fire on the regimen on record, by id, `; `-joined.
    pub alerts: Option<String>,
    /// Inputs older than their limit on the run's day, `; `-joined.
    pub stale_inputs: Option<String>,
    /// Why this row holds no projection ([`crate::SkipReason`]'s code).
    pub skip_reason: Option<String>,
    /// The same in plain words (never the record's contents).
    pub skip_detail: Option<String>,
}

/// A median with its 5–95% band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Median.
    pub median: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl PanelRow {
    /// The sort key of a finished panel: patient id, then scenario.
    pub fn key(&self) -> (&str, &str) {
        (&self.patient_id, &self.scenario)
    }
}

/// The Parquet schema, column by column.
pub fn schema() -> SchemaRef {
    let text = |n: &str, null| Field::new(n, DataType::Utf8, null);
    let num = |n: &str| Field::new(n, DataType::Float64, true);
    Arc::new(Schema::new(vec![
        text("patient_id", false),
        text("scenario", false),
        Field::new("seed", DataType::UInt64, true),
        text("event_model", true),
        num("risk_pct_median"),
        num("risk_pct_p5"),
        num("risk_pct_p95"),
        num("risk_diff_pct_median"),
        num("risk_diff_pct_p5"),
        num("risk_diff_pct_p95"),
        Field::new("risk_years", DataType::UInt32, true),
        num("sbp12_mmhg_median"),
        num("ldl12_mmol_l_median"),
        text("plan_first_step", true),
        text("plan_guidelines", true),
        num("plan_arr_pct_median"),
        num("plan_arr_pct_p5"),
        num("plan_arr_pct_p95"),
        Field::new("plan_risk_years", DataType::UInt32, true),
        text("alerts", true),
        text("stale_inputs", true),
        text("skip_reason", true),
        text("skip_detail", true),
    ]))
}

/// Rows as one record batch of [`schema`].
///
/// # Errors
/// Arrow's, for a batch that does not fit the schema (not expected).
pub fn to_batch(rows: &[PanelRow]) -> Result<RecordBatch, arrow_schema::ArrowError> {
    let strings = |f: &dyn Fn(&PanelRow) -> Option<&str>| {
        let mut b = StringBuilder::new();
        rows.iter().for_each(|r| b.append_option(f(r)));
        Arc::new(b.finish()) as ArrayRef
    };
    let floats = |f: &dyn Fn(&PanelRow) -> Option<f64>| {
        let mut b = Float64Builder::new();
        rows.iter().for_each(|r| b.append_option(f(r)));
        Arc::new(b.finish()) as ArrayRef
    };
    let mut seed = UInt64Builder::new();
    rows.iter().for_each(|r| seed.append_option(r.seed));
    let mut risk_years = UInt32Builder::new();
    rows.iter().for_each(|r| risk_years.append_option(r.risk_years));
    let mut years = UInt32Builder::new();
    rows.iter().for_each(|r| years.append_option(r.plan_risk_years));
    let columns: Vec<ArrayRef> = vec![
        strings(&|r| Some(&r.patient_id)),
        strings(&|r| Some(&r.scenario)),
        Arc::new(seed.finish()),
        strings(&|r| r.event_model.as_deref()),
        floats(&|r| r.risk_pct.map(|b| b.median)),
        floats(&|r| r.risk_pct.map(|b| b.p5)),
        floats(&|r| r.risk_pct.map(|b| b.p95)),
        floats(&|r| r.risk_diff_pct.map(|b| b.median)),
        floats(&|r| r.risk_diff_pct.map(|b| b.p5)),
        floats(&|r| r.risk_diff_pct.map(|b| b.p95)),
        Arc::new(risk_years.finish()),
        floats(&|r| r.sbp12_mmhg),
        floats(&|r| r.ldl12_mmol_l),
        strings(&|r| r.plan_first_step.as_deref()),
        strings(&|r| r.plan_guidelines.as_deref()),
        floats(&|r| r.plan_arr_pct.map(|b| b.median)),
        floats(&|r| r.plan_arr_pct.map(|b| b.p5)),
        floats(&|r| r.plan_arr_pct.map(|b| b.p95)),
        Arc::new(years.finish()),
        strings(&|r| r.alerts.as_deref()),
        strings(&|r| r.stale_inputs.as_deref()),
        strings(&|r| r.skip_reason.as_deref()),
        strings(&|r| r.skip_detail.as_deref()),
    ];
    RecordBatch::try_new(schema(), columns)
}

/// The rows of a record batch of [`schema`].
///
/// # Errors
/// A message naming the first column that is missing or of another type.
pub fn from_batch(batch: &RecordBatch) -> Result<Vec<PanelRow>, String> {
    fn column<'b, T: 'static>(batch: &'b RecordBatch, name: &str) -> Result<&'b T, String> {
        batch
            .column_by_name(name)
            .and_then(|c| c.as_any().downcast_ref::<T>())
            .ok_or_else(|| format!("column {name} is missing or of another type"))
    }
    let text = |name: &str| column::<StringArray>(batch, name);
    let num = |name: &str| column::<Float64Array>(batch, name);
    let (patient, scenario, event_model) = (text("patient_id")?, text("scenario")?, text("event_model")?);
    let seed = column::<UInt64Array>(batch, "seed")?;
    let years = column::<UInt32Array>(batch, "plan_risk_years")?;
    let risk_years = column::<UInt32Array>(batch, "risk_years")?;
    let risk = [num("risk_pct_median")?, num("risk_pct_p5")?, num("risk_pct_p95")?];
    let diff = [num("risk_diff_pct_median")?, num("risk_diff_pct_p5")?, num("risk_diff_pct_p95")?];
    let arr = [num("plan_arr_pct_median")?, num("plan_arr_pct_p5")?, num("plan_arr_pct_p95")?];
    let (sbp, ldl) = (num("sbp12_mmhg_median")?, num("ldl12_mmol_l_median")?);
    let (step, alerts, stale) = (text("plan_first_step")?, text("alerts")?, text("stale_inputs")?);
    let (reason, detail) = (text("skip_reason")?, text("skip_detail")?);
    // Results written before the column existed were all searched under ESC, the only set the
    // panel then used.
    let guidelines = text("plan_guidelines").ok();
    let s = |a: &StringArray, i: usize| a.is_valid(i).then(|| a.value(i).to_string());
    let f = |a: &Float64Array, i: usize| a.is_valid(i).then(|| a.value(i));
    let band = |a: &[&Float64Array; 3], i: usize| Some(Band { median: f(a[0], i)?, p5: f(a[1], i)?, p95: f(a[2], i)? });
    Ok((0..batch.num_rows())
        .map(|i| PanelRow {
            patient_id: patient.value(i).to_string(),
            scenario: scenario.value(i).to_string(),
            seed: seed.is_valid(i).then(|| seed.value(i)),
            event_model: s(event_model, i),
            risk_pct: band(&risk, i),
            risk_diff_pct: band(&diff, i),
            risk_years: risk_years.is_valid(i).then(|| risk_years.value(i)),
            sbp12_mmhg: f(sbp, i),
            ldl12_mmol_l: f(ldl, i),
            plan_first_step: s(step, i),
            plan_guidelines: match guidelines {
                Some(g) => s(g, i),
                None => s(step, i).map(|_| "esc".to_string()),
            },
            plan_arr_pct: band(&arr, i),
            plan_risk_years: years.is_valid(i).then(|| years.value(i)),
            alerts: s(alerts, i),
            stale_inputs: s(stale, i),
            skip_reason: s(reason, i),
            skip_detail: s(detail, i),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_through_arrow() {
        let rows = vec![
            PanelRow {
                patient_id: "p1".into(),
                scenario: "current".into(),
                seed: Some(42),
                event_model: Some("PCE".into()),
                risk_pct: Some(Band { median: 12.0, p5: 8.0, p95: 17.5 }),
                risk_diff_pct: Some(Band { median: 0.0, p5: 0.0, p95: 0.0 }),
                risk_years: Some(10),
                sbp12_mmhg: Some(141.0),
                ldl12_mmol_l: Some(3.1),
                plan_first_step: Some("start amlodipine 5 mg once daily".into()),
                plan_guidelines: Some("accAha".into()),
                plan_arr_pct: Some(Band { median: 2.0, p5: 1.0, p95: 3.0 }),
                plan_risk_years: Some(10),
                alerts: Some(String::new()),
                stale_inputs: Some("LDL cholesterol".into()),
                skip_reason: None,
                skip_detail: None,
            },
            PanelRow {
                patient_id: "p2".into(),
                scenario: "current".into(),
                skip_reason: Some("no_blood_pressure".into()),
                skip_detail: Some("no blood pressure on record".into()),
                ..PanelRow::default()
            },
        ];
        let batch = to_batch(&rows).unwrap();
        assert_eq!(from_batch(&batch).unwrap(), rows);
    }

    #[test]
    fn a_result_from_before_the_guideline_column_reads_as_esc() {
        let row = PanelRow {
            patient_id: "p1".into(),
            scenario: "current".into(),
            plan_first_step: Some("no change".into()),
            plan_guidelines: Some("accAha".into()),
            ..PanelRow::default()
        };
        let batch = to_batch(&[row, PanelRow { patient_id: "p2".into(), ..PanelRow::default() }]).unwrap();
        let index = batch.schema().index_of("plan_guidelines").unwrap();
        let mut old = batch.clone();
        old.remove_column(index);
        let rows = from_batch(&old).unwrap();
        assert_eq!(rows[0].plan_guidelines.as_deref(), Some("esc"), "a plan then was always an ESC plan");
        assert_eq!(rows[1].plan_guidelines, None, "no plan, no guideline set");
    }
}
