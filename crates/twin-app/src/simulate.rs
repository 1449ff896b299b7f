//! Projections: today's twin from the record, ensembles under scenarios, and comparisons with
//! how much each intervention contributes.

use serde::Serialize;
use time::Date;
use ts_rs::TS;

use twin_engine::drugs::{self, DoseLevel, DrugClass, StatinIntensity};
use twin_engine::heart::{simulate as beat, HeartParams, SolverConfig};
use twin_engine::progression::effects::SBP_AGEING_PER_YEAR;
use twin_engine::progression::response::Belief;
use twin_engine::progression::scenario::Scenario;
use twin_engine::progression::{
    ldl_fraction, out, run_ensemble, run_mean, summarise, Baseline, CurrentDrug, Ensemble, EnsembleConfig,
};
use twin_engine::record::{MeasurementKind as K, Medication, PatientRecord};
use twin_engine::risk::{pce, prevent, score2, RiskInputs};

use crate::error::{AppError, ErrorCode};
use crate::risk::{inputs_from_record, RecordOverrides};
use crate::twin::{patient_twin, DBP_VISIT_SD, N_RECENT, SBP_VISIT_SD};

/// Within-person biological plus analytical CV of LDL-C: about 8% (Ricós C et al., biological
/// variation database, Scand J Clin Lab Invest 1999;59:491-500: LDL-C CVi 8.3%).
pub const LDL_CV: f64 = 0.08;
/// Months at which comparisons report differences.
pub const DIFFERENCE_MONTHS: [u32; 4] = [6, 12, 60, 120];

/// One output's trajectory with its band.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutputBand {
    /// Output key.
    pub output: String,
    /// Unit.
    pub unit: String,
    /// 5th percentile per month.
    pub p5: Vec<f64>,
    /// Median per month.
    pub p50: Vec<f64>,
    /// 95th percentile per month.
    pub p95: Vec<f64>,
}

/// A response factor belief.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResponseView {
    /// Mean (1 = the average patient).
    pub mean: f64,
    /// SD.
    pub sd: f64,
    /// Past drug starts it learned from.
    pub n_updates: usize,
}

/// A projection under one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Projection {
    /// Patient id.
    pub patient: String,
    /// Scenario name.
    pub scenario: String,
    /// Its interventions, as labels.
    pub interventions: Vec<String>,
    /// Months projected.
    pub months: u32,
    /// Ensemble members.
    pub members: usize,
    /// Seed.
    pub seed: u64,
    /// Trajectories with 5–95% bands.
    pub outputs: Vec<OutputBand>,
    /// The event model behind `event_risk`, or why there is none.
    pub event_model: String,
    /// BP response factor.
    pub bp_response: ResponseView,
    /// LDL-C response factor.
    pub ldl_response: ResponseView,
    /// Caveats about this projection.
    pub notes: Vec<String>,
}

/// A difference between a scenario and the first one, at one month.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    /// Month.
    pub month: u32,
    /// Output key.
    pub output: String,
    /// Median of (this − first) over paired members.
    pub median: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// How much one intervention contributes to a difference (at every mean, added alone).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Share {
    /// Intervention label, or `interaction` for what is not additive.
    pub intervention: String,
    /// Month.
    pub month: u32,
    /// Output key.
    pub output: String,
    /// Contribution.
    pub value: f64,
}

/// One scenario against the first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioDifference {
    /// This scenario's name.
    pub scenario: String,
    /// Against this one.
    pub against: String,
    /// Differences at 6 months, 1, 5 and 10 years (within the horizon).
    pub differences: Vec<Difference>,
    /// Shares of each intervention.
    pub shares: Vec<Share>,
    /// Plain-language sentences from the numbers.
    pub explanation: Vec<String>,
}

/// Several scenarios side by side.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// Each scenario's projection.
    pub projections: Vec<Projection>,
    /// Each later scenario against the first.
    pub differences: Vec<ScenarioDifference>,
}

/// Unit of each output.
pub fn output_unit(output: &str) -> &'static str {
    match output {
        "sbp" | "dbp" => "mmHg",
        "heart_rate" => "bpm",
        "ldl" | "hdl" => "mmol/L",
        "weight" => "kg",
        "egfr" => "mL/min/1.73m²",
        "stiffness" => "relative to today",
        "lvef" => "%",
        "event_risk" => "probability",
        "cardiac_output" => "L/min",
        _ => "",
    }
}

fn recent(record: &PatientRecord, kind: K) -> Option<(f64, usize)> {
    let s = record.series(kind);
    let r = &s[s.len().saturating_sub(N_RECENT)..];
    (!r.is_empty()).then(|| (r.iter().map(|x| x.value).sum::<f64>() / r.len() as f64, r.len()))
}

fn current_drug(m: &Medication) -> Option<CurrentDrug> {
    let class = m.class?;
    let dose = match class {
        DrugClass::Statin => {
            let intensity = m.agent.as_deref().zip(m.daily_dose_mg).and_then(|(a, mg)| drugs::statin_intensity(a, mg));
            match intensity {
                Some(StatinIntensity::Low) => DoseLevel::Half,
                Some(StatinIntensity::High) => DoseLevel::Double,
                Some(StatinIntensity::Moderate) | None => DoseLevel::Standard,
            }
        }
        _ => m.dose_level.unwrap_or(DoseLevel::Standard),
    };
    Some(CurrentDrug { class, dose, adherence: m.adherence.unwrap_or(1.0).clamp(0.0, 1.0) })
}

fn mean_between(record: &PatientRecord, kind: K, from: Date, to: Date) -> Option<(f64, usize, Date)> {
    let v: Vec<_> = record.series(kind).iter().filter(|s| s.date >= from && s.date < to).collect();
    if v.len() < 2 {
        return None;
    }
    let mean = v.iter().map(|s| s.value).sum::<f64>() / v.len() as f64;
    let mid = v[v.len() / 2].date;
    Some((mean, v.len(), mid))
}

/// Learns the BP and LDL-C response factors from past drug starts (see
/// `twin_engine::progression::response`).
pub fn learn_responses(record: &PatientRecord) -> (Belief, Belief) {
    let mut bp = Belief::prior();
    let mut ldl = Belief::prior();
    let mut starts: Vec<&Medication> =
        record.medications.iter().filter(|m| m.start.is_some() && m.class.is_some()).collect();
    starts.sort_by_key(|m| m.start);
    for m in starts {
        let (Some(start), Some(class), Some(drug)) = (m.start, m.class, current_drug(m)) else { continue };
        let year = time::Duration::days(365);
        let before = (start - year, start);
        let after = (start + time::Duration::days(30), start + year);
        if let Some((s_bp, _)) = class.bp_effect_standard_dose() {
            if let (Some((b, nb, db)), Some((a, na, da))) =
                (mean_between(record, K::Sbp, before.0, before.1), mean_between(record, K::Sbp, after.0, after.1))
            {
                let drift = SBP_AGEING_PER_YEAR * (da - db).whole_days() as f64 / 365.25;
                let expected = s_bp * drug.dose.bp_effect_fraction() * drug.adherence;
                let noise = SBP_VISIT_SD.powi(2) * (1.0 / nb as f64 + 1.0 / na as f64);
                bp = bp.update(b - a + drift, expected, noise);
            }
        }
        let fraction = ldl_fraction(class, drug.dose);
        if fraction > 0.0 {
            if let (Some((b, nb, _)), Some((a, na, _))) = (
                mean_between(record, K::LdlCholesterol, before.0 - year, before.1),
                mean_between(record, K::LdlCholesterol, after.0, after.1 + year),
            ) {
                let noise = LDL_CV.powi(2) * (1.0 / nb as f64 + 1.0 / na as f64);
                ldl = ldl.update(1.0 - a / b, fraction * drug.adherence, noise);
            }
        }
    }
    (bp, ldl)
}

/// Annual event hazard per projection year from the first equation that applies: PREVENT
/// 10-year CVD, else PCE, else SCORE2; with the name of the model and notes.
fn annual_hazards(inputs: &RiskInputs, years: u32) -> (Vec<f64>, String, Vec<String>) {
    type Equation = (&'static str, fn(&RiskInputs) -> twin_engine::risk::RiskEstimate, f64);
    let equations: [Equation; 3] = [
        ("PREVENT 10-year total CVD", |x| prevent::risk(x, prevent::Outcome::Cvd, prevent::Horizon::TenYears), 79.0),
        ("PCE 10-year hard ASCVD", pce::ascvd_10y, 79.0),
        ("SCORE2 10-year CVD", score2::cvd_10y, 89.0),
    ];
    let mut reasons = Vec::new();
    for (name, equation, max_age) in equations {
        let today = equation(inputs);
        match today.risk {
            Ok(_) => {
                let mut notes = today.notes;
                if name.starts_with("PREVENT") {
                    notes.push(format!("event model: PREVENT {}", prevent::select(inputs).model.label()));
                }
                if inputs.age + f64::from(years) > max_age {
                    notes.push(format!(
                        "{name} is validated to age {max_age}; later years use the age-{max_age} hazard"
                    ));
                }
                let hazards = (0..=years)
                    .map(|y| {
                        let age = inputs.age + f64::from(y);
                        let x = RiskInputs { age: age.min(max_age), ..inputs.clone() };
                        let r10 = equation(&x).risk.unwrap_or(0.0).clamp(0.0, 0.999);
                        -(1.0 - r10).ln() / 10.0
                    })
                    .collect();
                return (hazards, name.to_string(), notes);
            }
            Err(reason) => reasons.push(format!("{name}: {}", reason.describe())),
        }
    }
    (Vec::new(), format!("no event model applies ({})", reasons.join("; ")), Vec::new())
}

/// Today's twin for the projections, with notes about what was assumed.
///
/// # Errors
/// [`ErrorCode::Validation`] when the record lacks what the twin needs (BP, heart rate, lipids).
pub fn baseline_from_record(
    record: &PatientRecord,
    today: Date,
    overrides: RecordOverrides,
    years: u32,
) -> Result<(Baseline, String, Vec<String>), AppError> {
    let need =
        |what: &str| AppError::new(ErrorCode::Validation, format!("the record has no {what}; projections need it"));
    let (_, calibration) = patient_twin(record)?;
    let age = f64::from(record.demographics.age_on(today).ok_or_else(|| need("birth date"))?);
    let (sbp, n_sbp) = recent(record, K::Sbp).ok_or_else(|| need("systolic BP"))?;
    let (dbp, n_dbp) = recent(record, K::Dbp).ok_or_else(|| need("diastolic BP"))?;
    let (ldl, n_ldl) = recent(record, K::LdlCholesterol).ok_or_else(|| need("LDL cholesterol"))?;
    let (hdl, _) = recent(record, K::HdlCholesterol).ok_or_else(|| need("HDL cholesterol"))?;
    let weight = record.latest(K::Weight).map_or(f64::NAN, |s| s.value);
    let (inputs, _) = inputs_from_record(record, today, overrides)?;
    let mut notes = Vec::new();
    let lvef = match record.latest(K::Lvef) {
        Some(s) => s.value,
        None => {
            notes.push("no echo LVEF on record: LVEF is the calibrated heart model's".to_string());
            calibration.hemodynamics.ejection_fraction
        }
    };
    // EF sensitivity to afterload and to arterial compliance at today's calibration.
    let p = calibration.params;
    let base_ef = calibration.hemodynamics.ejection_fraction;
    let config = SolverConfig { steps_per_beat: 250, ..SolverConfig::default() };
    let start = Some(calibration.hemodynamics.onset_state);
    let bump = 1.05_f64;
    let base_sv = calibration.hemodynamics.stroke_volume;
    let bumped = |q: HeartParams| {
        let h = beat(&q, &config, start);
        ((h.ejection_fraction - base_ef) / bump.ln(), (h.stroke_volume - base_sv) / bump.ln())
    };
    let (ef_per_log_map, sv_per_log_map) = bumped(HeartParams { resistance: p.resistance * bump, ..p });
    let (ef_per_log_compliance, sv_per_log_compliance) = bumped(HeartParams { compliance: p.compliance * bump, ..p });
    let (ef_per_log_heart_rate, sv_per_log_heart_rate) = bumped(HeartParams { heart_rate: p.heart_rate * bump, ..p });
    let (bp_response, ldl_response) = learn_responses(record);
    let (annual_hazard, event_model, hazard_notes) = annual_hazards(&inputs, years);
    notes.extend(hazard_notes);
    let baseline = Baseline {
        age,
        sbp: (sbp, SBP_VISIT_SD / (n_sbp as f64).sqrt()),
        dbp: (dbp, DBP_VISIT_SD / (n_dbp as f64).sqrt()),
        heart_rate: calibration.params.heart_rate,
        ldl: (ldl, LDL_CV * ldl / (n_ldl as f64).sqrt()),
        hdl,
        weight,
        egfr: inputs.egfr,
        lvef,
        ef_per_log_map,
        ef_per_log_compliance,
        ef_per_log_heart_rate,
        stroke_volume: base_sv,
        sv_per_log_map,
        sv_per_log_compliance,
        sv_per_log_heart_rate,
        smoker: inputs.smoker,
        smoking_log_hr: prevent::smoking_coefficient(inputs.sex),
        current_drugs: record.active_medications(today).filter_map(current_drug).collect(),
        bp_response,
        ldl_response,
        annual_hazard,
    };
    Ok((baseline, event_model, notes))
}

fn response_view(b: &Belief) -> ResponseView {
    ResponseView { mean: b.mean, sd: b.sd(), n_updates: b.n_updates }
}

/// Projects one scenario.
pub fn project(
    patient: &str,
    baseline: &Baseline,
    event_model: &str,
    notes: &[String],
    scenario: &Scenario,
    config: &EnsembleConfig,
) -> (Projection, Ensemble) {
    let ensemble = run_ensemble(baseline, scenario, config);
    let outputs = summarise(&ensemble)
        .into_iter()
        .map(|b| OutputBand {
            output: b.output.to_string(),
            unit: output_unit(b.output).to_string(),
            p5: b.p5,
            p50: b.p50,
            p95: b.p95,
        })
        .collect();
    let projection = Projection {
        patient: patient.to_string(),
        scenario: scenario.name.clone(),
        interventions: scenario.interventions.iter().map(|i| i.label()).collect(),
        months: config.months,
        members: config.members,
        seed: config.seed,
        outputs,
        event_model: event_model.to_string(),
        bp_response: response_view(&baseline.bp_response),
        ldl_response: response_view(&baseline.ldl_response),
        notes: notes.to_vec(),
    };
    (projection, ensemble)
}

const COMPARED: [(usize, &str); 3] = [(out::SBP, "sbp"), (out::LDL, "ldl"), (out::EVENT_RISK, "event_risk")];

/// Compares scenarios: each later one against the first, with paired members (same seed, so
/// the same draws), and the share of each intervention computed at every mean.
pub fn compare(
    patient: &str,
    baseline: &Baseline,
    event_model: &str,
    notes: &[String],
    scenarios: &[Scenario],
    config: &EnsembleConfig,
) -> Comparison {
    let runs: Vec<(Projection, Ensemble)> =
        scenarios.iter().map(|s| project(patient, baseline, event_model, notes, s, config)).collect();
    let months: Vec<u32> = DIFFERENCE_MONTHS.into_iter().filter(|m| *m <= config.months).collect();
    let mut differences = Vec::new();
    if let Some((first, first_ensemble)) = runs.first() {
        for ((projection, ensemble), scenario) in runs.iter().zip(scenarios).skip(1) {
            let mut diffs = Vec::new();
            for &month in &months {
                for (output, key) in COMPARED {
                    let mut paired: Vec<f64> = (0..config.members)
                        .map(|m| {
                            ensemble.get(m, month as usize, output) - first_ensemble.get(m, month as usize, output)
                        })
                        .filter(|d| d.is_finite())
                        .collect();
                    if paired.is_empty() {
                        continue;
                    }
                    diffs.push(Difference {
                        month,
                        output: key.to_string(),
                        median: twin_engine::progression::quantile(&mut paired, 0.5),
                        p5: twin_engine::progression::quantile(&mut paired, 0.05),
                        p95: twin_engine::progression::quantile(&mut paired, 0.95),
                    });
                }
            }
            let shares = shares(baseline, &scenarios[0], scenario, &months);
            let explanation = explain(&projection.scenario, &first.scenario, &diffs, &shares);
            differences.push(ScenarioDifference {
                scenario: projection.scenario.clone(),
                against: first.scenario.clone(),
                differences: diffs,
                shares,
                explanation,
            });
        }
    }
    Comparison { projections: runs.into_iter().map(|(p, _)| p).collect(), differences }
}

/// Share of each intervention of `target` not in `reference`: each added alone to the reference
/// at every mean; what the sum misses is reported as `interaction`.
fn shares(baseline: &Baseline, reference: &Scenario, target: &Scenario, months: &[u32]) -> Vec<Share> {
    let horizon = months.iter().copied().max().unwrap_or(0);
    let reference_run = run_mean(baseline, reference, horizon);
    let target_run = run_mean(baseline, target, horizon);
    let added: Vec<_> = target.interventions.iter().filter(|i| !reference.interventions.contains(i)).collect();
    let removed = target.interventions.len() - added.len() < reference.interventions.len();
    let alone: Vec<(String, Ensemble)> = added
        .iter()
        .map(|i| {
            let mut s = reference.clone();
            s.interventions.push((*i).clone());
            (i.label(), run_mean(baseline, &s, horizon))
        })
        .collect();
    let mut out = Vec::new();
    for &month in months {
        for (output, key) in COMPARED {
            let total = target_run.get(0, month as usize, output) - reference_run.get(0, month as usize, output);
            if !total.is_finite() {
                continue;
            }
            let mut sum = 0.0;
            for (label, run) in &alone {
                let value = run.get(0, month as usize, output) - reference_run.get(0, month as usize, output);
                sum += value;
                out.push(Share { intervention: label.clone(), month, output: key.to_string(), value });
            }
            let rest = total - sum;
            if rest.abs() > 1e-9 || removed {
                let label = if removed { "interaction and interventions only in the reference" } else { "interaction" };
                out.push(Share { intervention: label.to_string(), month, output: key.to_string(), value: rest });
            }
        }
    }
    out
}

fn explain(scenario: &str, against: &str, diffs: &[Difference], shares: &[Share]) -> Vec<String> {
    let mut sentences = Vec::new();
    let at_month = if diffs.iter().any(|x| x.month == 60) { 60 } else { 12 };
    let noticeable = |d: &&Difference| d.p5.abs().max(d.p95.abs()) > 1e-6;
    for d in diffs.iter().filter(|d| d.month == at_month).filter(noticeable) {
        let years = f64::from(d.month) / 12.0;
        let (what, scale, unit) = match d.output.as_str() {
            "sbp" => ("systolic BP", 1.0, " mmHg"),
            "ldl" => ("LDL cholesterol", 1.0, " mmol/L"),
            _ => ("the chance of a major cardiovascular event", 100.0, " percentage points"),
        };
        let direction = if d.median < 0.0 { "lower" } else { "higher" };
        sentences.push(format!(
            "After {years:.0} year(s), '{scenario}' leaves {what} {:.1}{unit} {direction} than '{against}' (90% range {:+.1} to {:+.1}{unit}).",
            (d.median * scale).abs(),
            d.p5 * scale,
            d.p95 * scale
        ));
    }
    let month = diffs.iter().map(|d| d.month).filter(|m| *m <= 60).max();
    if let Some(month) = month {
        let mut risk_shares: Vec<&Share> = shares
            .iter()
            .filter(|s| s.month == month && s.output == "event_risk" && s.intervention != "interaction")
            .collect();
        risk_shares.sort_by(|a, b| a.value.total_cmp(&b.value));
        if let Some(top) = risk_shares.first().filter(|s| s.value < 0.0) {
            sentences.push(format!(
                "Most of the difference in event risk at {} months comes from {} ({:+.1} points at the average response).",
                month,
                top.intervention,
                top.value * 100.0
            ));
        }
    }
    sentences.push(
        "Ranges come from uncertainty in this patient's response, today's values, published effect sizes and future \
         variation; they are model projections, not guarantees."
            .to_string(),
    );
    sentences
}
