//! Event risk: the validated equations, from typed inputs or from a patient's record, with
//! per-factor contributions and plain-language sentences built from those numbers.

use serde::Serialize;
use time::Date;
use ts_rs::TS;

use twin_engine::record::PatientRecord;
use twin_engine::record::Sex;
use twin_engine::risk::af::{AfAssessment, ScoreResult};
use twin_engine::risk::genomic::{self, PolygenicScore, ScoreValue, Verdict};
use twin_engine::risk::selection;
use twin_engine::risk::{maggic, pce, prevent, score2, score2_diabetes, smart2, NotComputed, RiskEstimate, RiskInputs};
use twin_engine::twin::InputSource;
use twin_engine::units::{CHOLESTEROL_MG_DL_PER_MMOL_L, UACR_MG_G_PER_MG_MMOL};

use crate::error::{AppError, ErrorCode};
use crate::words::{iso_date, sex_label};

/// One factor's contribution to an equation's linear predictor.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContributionView {
    /// Factor name.
    pub factor: String,
    /// Contribution to the linear predictor, relative to the reference person.
    pub value: f64,
}

/// One equation's figure, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskFigure {
    /// Risk as a fraction in [0, 1]; `null` when not computed.
    pub value: Option<f64>,
    /// Why it was not computed.
    pub reason: Option<String>,
    /// The reference person's risk under the same equation.
    pub reference_risk: Option<f64>,
    /// Who the reference person is.
    pub reference: String,
    /// Per-factor contributions, largest first; they sum to the patient's minus the reference's
    /// linear predictor.
    pub contributions: Vec<ContributionView>,
    /// Plain-language sentences built from the numbers above.
    pub explanation: Vec<String>,
    /// What the equation did with the inputs that a reader should know (an optional value set
    /// aside as out of range, say).
    pub notes: Vec<String>,
    /// The equation's published source.
    pub source: String,
    /// The polygenic risk score on record, applied on top of this figure or why not; shown
    /// beside it, never folded into `value` (which stays the equation's). `null` when no score
    /// is on record (and for values given one by one).
    pub genetic: Option<GeneticLine>,
}

/// A polygenic risk score against one figure: the risk with it applied, or why it was not.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GeneticLine {
    /// Whether the score was applied to this figure.
    pub applied: bool,
    /// The score as recorded, in words (`metaGRS, 82nd percentile, European ancestry`).
    pub score: String,
    /// The equation's figure the score was applied to: this figure's own, or, for PREVENT's total
    /// CVD (which counts heart failure, which the score is not calibrated for), PREVENT's ASCVD.
    pub applied_to: String,
    /// That figure's risk, before the score; `null` when not applied.
    pub base: Option<f64>,
    /// The figure with the score applied; `null` when not applied.
    pub risk: Option<f64>,
    /// Its range from the hazard ratio's 95% CI, low end.
    pub risk_low: Option<f64>,
    /// Its range, high end.
    pub risk_high: Option<f64>,
    /// The line as the explanation shows it.
    pub sentence: String,
    /// Why it was not applied, in plain words.
    pub reason: Option<String>,
    /// The calibration used: hazard ratio per SD, its source and what it was adjusted for.
    pub calibration: Option<String>,
    /// The Observation the score came from.
    pub source: String,
    /// Its date (ISO 8601).
    pub date: String,
}

/// Pooled Cohort Equations.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PceReport {
    /// 10-year hard ASCVD.
    #[serde(rename = "ascvd_10y")]
    #[ts(rename = "ascvd_10y")]
    pub ascvd_10y: RiskFigure,
}

/// PREVENT: the base model, or the one with HbA1c, UACR and social deprivation the inputs allow.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreventReport {
    /// Which model: `base`, `hba1c`, `uacr` or `full`.
    pub model: String,
    /// The model in words.
    pub model_label: String,
    /// 10-year total CVD.
    #[serde(rename = "cvd_10y")]
    #[ts(rename = "cvd_10y")]
    pub cvd_10y: RiskFigure,
    /// 10-year ASCVD.
    #[serde(rename = "ascvd_10y")]
    #[ts(rename = "ascvd_10y")]
    pub ascvd_10y: RiskFigure,
    /// 10-year heart failure.
    #[serde(rename = "hf_10y")]
    #[ts(rename = "hf_10y")]
    pub hf_10y: RiskFigure,
    /// 30-year total CVD.
    #[serde(rename = "cvd_30y")]
    #[ts(rename = "cvd_30y")]
    pub cvd_30y: RiskFigure,
    /// 30-year ASCVD.
    #[serde(rename = "ascvd_30y")]
    #[ts(rename = "ascvd_30y")]
    pub ascvd_30y: RiskFigure,
    /// 30-year heart failure.
    #[serde(rename = "hf_30y")]
    #[ts(rename = "hf_30y")]
    pub hf_30y: RiskFigure,
}

/// SCORE2 / SCORE2-OP.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Score2Report {
    /// 10-year fatal and non-fatal CVD.
    #[serde(rename = "cvd_10y")]
    #[ts(rename = "cvd_10y")]
    pub cvd_10y: RiskFigure,
}

/// SMART2: for established atherosclerotic disease.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Smart2Report {
    /// 10-year recurrent MI, stroke or vascular death.
    #[serde(rename = "recurrent_10y")]
    #[ts(rename = "recurrent_10y")]
    pub recurrent_10y: RiskFigure,
}

/// SCORE2-Diabetes: for type 2 diabetes without cardiovascular disease.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Score2DiabetesReport {
    /// 10-year fatal and non-fatal CVD.
    #[serde(rename = "cvd_10y")]
    #[ts(rename = "cvd_10y")]
    pub cvd_10y: RiskFigure,
}

/// One factor's MAGGIC points.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PointsView {
    /// Factor.
    pub factor: String,
    /// Points (0 when the factor adds none).
    pub points: u32,
}

/// MAGGIC: heart-failure prognosis.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MaggicReport {
    /// The integer score, 0–50; `null` when not computed.
    pub score: Option<u32>,
    /// Probability of death within 1 year.
    #[serde(rename = "death_1y")]
    #[ts(rename = "death_1y")]
    pub death_1y: Option<f64>,
    /// Probability of death within 3 years.
    #[serde(rename = "death_3y")]
    #[ts(rename = "death_3y")]
    pub death_3y: Option<f64>,
    /// Points per factor.
    pub points: Vec<PointsView>,
    /// Why it was not computed.
    pub reason: Option<String>,
    /// Plain-language sentences.
    pub explanation: Vec<String>,
    /// The score's published source.
    pub source: String,
}

/// The model meant for this patient.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SelectedModel {
    /// `smart2`, `maggic`, `score2Diabetes` or `prevent`.
    pub key: String,
    /// Its name.
    pub label: String,
    /// Why this one, in plain words.
    pub why: String,
}

/// An input the equations used, and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InputUsed {
    /// Input name.
    pub name: String,
    /// Value as text, with unit.
    pub value: String,
    /// Date of the measurement, where it is one.
    pub date: Option<String>,
    /// Source resource, where it is one.
    pub source: Option<String>,
}

/// One item of an atrial-fibrillation point score, with the input it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AfItemView {
    /// The score's letter(s) (`C`, `A₂`, `S₂`).
    pub letter: String,
    /// The item in words.
    pub label: String,
    /// Points scored; `null` when its input is not on record.
    pub points: Option<u32>,
    /// The points the item gives when present.
    pub weight: u32,
    /// The input it rests on.
    pub input: String,
    /// The input's value as text (`133 mmHg`, `none on record`).
    pub value: String,
    /// The date of the reading or diagnosis, where there is one.
    pub date: Option<String>,
    /// The source resource, where there is one.
    pub source: Option<String>,
}

/// An atrial-fibrillation point score: the total, each item's points and input, what is missing,
/// and what the guideline says.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AfScoreView {
    /// `cha2ds2Va`, `cha2ds2Vasc` or `hasBled`.
    pub key: String,
    /// Its name.
    pub label: String,
    /// The total; `null` when an input is not on record.
    pub total: Option<u32>,
    /// The points of the items that could be scored (the total is at least this).
    pub at_least: u32,
    /// The highest total.
    pub max: u32,
    /// Every item, in the score's order.
    pub items: Vec<AfItemView>,
    /// Why the total is not complete: one sentence per missing input.
    pub missing: Vec<String>,
    /// What the guideline says at this total.
    pub recommendation: String,
    /// The published source.
    pub source: String,
}

/// Atrial fibrillation's stroke and bleeding scores.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AfReport {
    /// The atrial fibrillation diagnosis the scores are for (`Condition/id`).
    pub diagnosis: String,
    /// CHA₂DS₂-VA (ESC 2024).
    #[serde(rename = "cha2ds2Va")]
    #[ts(rename = "cha2ds2Va")]
    pub cha2ds2_va: AfScoreView,
    /// CHA₂DS₂-VASc (Lip 2010; ACC/AHA/ACCP/HRS 2023).
    #[serde(rename = "cha2ds2Vasc")]
    #[ts(rename = "cha2ds2Vasc")]
    pub cha2ds2_vasc: AfScoreView,
    /// HAS-BLED (Pisters 2010).
    pub has_bled: AfScoreView,
    /// What the projected event risk leaves out: atrial fibrillation's stroke risk, which
    /// CHA₂DS₂-VA stands for.
    pub event_model_note: String,
}

fn af_score_view(r: &ScoreResult) -> AfScoreView {
    AfScoreView {
        key: r.score.key().into(),
        label: r.score.label().into(),
        total: r.total,
        at_least: r.at_least,
        max: r.score.max(),
        items: r
            .items
            .iter()
            .map(|i| AfItemView {
                letter: i.letter.into(),
                label: i.label.into(),
                points: i.points,
                weight: i.weight,
                input: i.basis.input.into(),
                value: i.basis.value.clone(),
                date: i.basis.date.map(iso_date),
                source: i.basis.resource.clone(),
            })
            .collect(),
        missing: r.missing.iter().map(|m| m.describe()).collect(),
        recommendation: r.recommendation.clone(),
        source: r.source.into(),
    }
}

/// The scores' view, with the note on what the event model leaves out.
fn af_report(a: &AfAssessment) -> AfReport {
    let note = twin_engine::risk::af::EVENT_MODEL_NOTE;
    let mut first = note.chars();
    let note = first.next().map(|c| c.to_uppercase().chain(first).collect::<String>()).unwrap_or_default();
    AfReport {
        diagnosis: a.diagnosis.clone(),
        cha2ds2_va: af_score_view(&a.cha2ds2_va),
        cha2ds2_vasc: af_score_view(&a.cha2ds2_vasc),
        has_bled: af_score_view(&a.has_bled),
        event_model_note: format!("{note} (CHA₂DS₂-VA {}).", a.cha2ds2_va.total_text()),
    }
}

/// Every equation's answer for one person.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskReport {
    /// Pooled Cohort Equations.
    pub pce: PceReport,
    /// PREVENT.
    pub prevent: PreventReport,
    /// SCORE2 / SCORE2-OP.
    pub score2: Score2Report,
    /// SCORE2-Diabetes.
    pub score2_diabetes: Score2DiabetesReport,
    /// SMART2.
    pub smart2: Smart2Report,
    /// MAGGIC.
    pub maggic: MaggicReport,
    /// The model meant for this patient, and why.
    pub selected: SelectedModel,
    /// The inputs used (from a record: latest values, with dates and sources).
    pub inputs: Vec<InputUsed>,
    /// A reminder of what these numbers are.
    pub caveat: String,
    /// Why these equations do not apply to this patient, when they do not (established
    /// cardiovascular disease or heart failure on record).
    pub not_applicable: Option<String>,
    /// How old the readings behind this answer are on the consultation day, which are older than
    /// their limit and what to re-measure; `null` when the answer is not built from a record.
    pub freshness: Option<crate::freshness::FreshnessView>,
    /// Atrial fibrillation's stroke and bleeding scores (CHA₂DS₂-VA, CHA₂DS₂-VASc, HAS-BLED) when
    /// active atrial fibrillation is on record; `null` otherwise, and for values given one by one.
    pub af: Option<AfReport>,
}

const CAVEAT: &str = "Population estimates for people with these risk factors, not a certainty for this person; \
decision support, not a diagnosis.";

fn figure(label: &str, source: &str, estimate: RiskEstimate) -> RiskFigure {
    let mut contributions: Vec<ContributionView> = estimate
        .contributions
        .iter()
        .map(|c| ContributionView { factor: c.factor.to_string(), value: c.value })
        .collect();
    contributions.sort_by(|a, b| b.value.abs().total_cmp(&a.value.abs()));
    let mut explanation = match (&estimate.risk, estimate.reference_risk) {
        (Ok(risk), Some(reference)) => explain(label, *risk, reference, &contributions),
        (Err(reason), _) => vec![format!("{label}: not computed — {}.", reason.describe())],
        (Ok(risk), None) => vec![format!("{label}: {:.1}%.", risk * 100.0)],
    };
    explanation.extend(estimate.notes.iter().map(|n| format!("Note: {n}.")));
    RiskFigure {
        value: estimate.risk.as_ref().ok().copied(),
        reason: estimate.risk.as_ref().err().map(|r| r.describe()),
        reference_risk: estimate.reference_risk,
        reference: estimate.reference.to_string(),
        contributions,
        explanation,
        notes: estimate.notes,
        source: source.to_string(),
        genetic: None,
    }
}

/// Sentences from the numbers: the figure, the reference's, and the two factors that move it most.
fn explain(label: &str, risk: f64, reference: f64, contributions: &[ContributionView]) -> Vec<String> {
    let mut out = vec![format!(
        "{label}: {:.1}%, against {:.1}% for the reference person of the same sex.",
        risk * 100.0,
        reference * 100.0
    )];
    let movers: Vec<String> = contributions
        .iter()
        .filter(|c| c.value.abs() >= 0.05)
        .take(3)
        .map(|c| {
            let direction = if c.value > 0.0 { "raises" } else { "lowers" };
            format!("{} {direction} it (×{:.2} on the odds/hazard scale)", c.factor, c.value.exp())
        })
        .collect();
    if !movers.is_empty() {
        out.push(format!("Largest effects: {}.", movers.join("; ")));
    }
    out.push(CAVEAT.to_string());
    out
}

/// Computes every equation for `inputs`.
pub fn assess(inputs: &RiskInputs, used: Vec<InputUsed>) -> RiskReport {
    use prevent::{Horizon as H, Outcome as O};
    let p = |label: &str, o, h| figure(label, prevent::SOURCE, prevent::risk(inputs, o, h));
    let model = prevent::select(inputs).model;
    RiskReport {
        pce: PceReport { ascvd_10y: figure("10-year ASCVD risk (PCE)", pce::SOURCE, pce::ascvd_10y(inputs)) },
        prevent: PreventReport {
            model: model.key().to_string(),
            model_label: model.label().to_string(),
            cvd_10y: p("10-year CVD risk (PREVENT)", O::Cvd, H::TenYears),
            ascvd_10y: p("10-year ASCVD risk (PREVENT)", O::Ascvd, H::TenYears),
            hf_10y: p("10-year heart-failure risk (PREVENT)", O::HeartFailure, H::TenYears),
            cvd_30y: p("30-year CVD risk (PREVENT)", O::Cvd, H::ThirtyYears),
            ascvd_30y: p("30-year ASCVD risk (PREVENT)", O::Ascvd, H::ThirtyYears),
            hf_30y: p("30-year heart-failure risk (PREVENT)", O::HeartFailure, H::ThirtyYears),
        },
        score2: Score2Report { cvd_10y: figure("10-year CVD risk (SCORE2)", score2::SOURCE, score2::cvd_10y(inputs)) },
        score2_diabetes: Score2DiabetesReport {
            cvd_10y: figure(
                "10-year CVD risk (SCORE2-Diabetes)",
                score2_diabetes::SOURCE,
                score2_diabetes::cvd_10y(inputs),
            ),
        },
        smart2: Smart2Report {
            recurrent_10y: figure(
                "10-year risk of a recurrent event (SMART2)",
                smart2::SOURCE,
                smart2::recurrent_10y(inputs),
            ),
        },
        maggic: maggic_report(Err(NotComputed::NotIntended {
            reason: "MAGGIC needs a patient record with heart failure (NYHA class, ejection fraction, creatinine)",
        })),
        selected: selected(inputs, false),
        inputs: used,
        caveat: CAVEAT.to_string(),
        not_applicable: None,
        freshness: None,
        af: None,
    }
}

fn selected(inputs: &RiskInputs, heart_failure: bool) -> SelectedModel {
    let choice = selection::choose(inputs, heart_failure);
    SelectedModel { key: choice.model.key().into(), label: choice.model.label().into(), why: choice.why }
}

/// MAGGIC's view from its score, or why there is none.
fn maggic_report(score: Result<maggic::Score, NotComputed>) -> MaggicReport {
    match score {
        Ok(s) => {
            let adding: Vec<String> =
                s.points.iter().filter(|(_, p)| *p > 0).map(|(f, p)| format!("{f} {p}")).collect();
            MaggicReport {
                score: Some(s.score),
                death_1y: Some(s.death_1y),
                death_3y: Some(s.death_3y),
                points: s.points.iter().map(|(f, p)| PointsView { factor: (*f).into(), points: *p }).collect(),
                reason: None,
                explanation: vec![
                    format!(
                        "MAGGIC score {} of 50: probability of death {:.1}% within 1 year and {:.1}% within 3 years.",
                        s.score,
                        s.death_1y * 100.0,
                        s.death_3y * 100.0
                    ),
                    format!("Points: {}.", adding.join(", ")),
                    "Prognosis from 39,372 patients in 30 studies (Pocock 2013); it describes, it does not project the \
                     effect of treatment."
                        .into(),
                ],
                source: maggic::SOURCE.into(),
            }
        }
        Err(reason) => MaggicReport {
            score: None,
            death_1y: None,
            death_3y: None,
            points: Vec::new(),
            explanation: vec![format!("MAGGIC: not computed — {}.", reason.describe())],
            reason: Some(reason.describe()),
            source: maggic::SOURCE.into(),
        },
    }
}

/// Every equation for a record on `today`: [`assess`], plus MAGGIC where heart failure is on
/// record, the model meant for the patient, why the primary-prevention equations do not apply
/// where they do not, and atrial fibrillation's scores where it is on record.
///
/// # Errors
/// As [`inputs_from_record`].
pub fn assess_record(record: &PatientRecord, today: Date, overrides: RecordOverrides) -> Result<RiskReport, AppError> {
    let (inputs, used) = inputs_from_record(record, today, overrides)?;
    let heart_failure = twin_engine::twin::has_heart_failure(record);
    let mut report = assess(&inputs, used);
    report.maggic = match twin_engine::twin::maggic_inputs(record, today) {
        Ok(Some(x)) => maggic_report(maggic::score(&x)),
        Ok(None) => {
            maggic_report(Err(NotComputed::NotIntended { reason: "MAGGIC is for heart failure; none is on record" }))
        }
        Err(reason) => maggic_report(Err(reason)),
    };
    report.selected = selected(&inputs, heart_failure);
    report.not_applicable = twin_engine::twin::primary_prevention_caveat(record);
    report.af = twin_engine::risk::af::assess(record, today).as_ref().map(af_report);
    if let Some(score) = record.latest_polygenic_score() {
        add_genetic_lines(&mut report, score, inputs.age);
    }
    Ok(report)
}

/// The score against every figure: applied to the 10-year first-event atherosclerotic figures
/// (it was calibrated for coronary disease over about a decade, in people free of it; PREVENT's
/// total CVD shows it applied to PREVENT's ASCVD, since total CVD counts heart failure), and shown
/// as not applied, with the reason, against the others.
fn add_genetic_lines(report: &mut RiskReport, score: &PolygenicScore, age: f64) {
    const HEART_FAILURE: &str = "the score is calibrated for coronary disease, not heart failure";
    const THIRTY_YEARS: &str = "the score's calibration covers 10-year figures, not 30-year ones";
    const RECURRENT: &str = "the score was validated for first coronary events, not recurrent ones";
    const PREVENT_ASCVD: &str = "PREVENT's 10-year ASCVD (total CVD counts heart failure, which the score is not \
                                 calibrated for)";
    let prevent_ascvd = report.prevent.ascvd_10y.value;
    report.prevent.cvd_10y.genetic = Some(genetic_line(prevent_ascvd, PREVENT_ASCVD, score, age));
    let applicable: [(&mut RiskFigure, &str); 4] = [
        (&mut report.pce.ascvd_10y, "the PCE's 10-year hard ASCVD"),
        (&mut report.prevent.ascvd_10y, "PREVENT's 10-year ASCVD"),
        (&mut report.score2.cvd_10y, "SCORE2's 10-year CVD"),
        (&mut report.score2_diabetes.cvd_10y, "SCORE2-Diabetes's 10-year CVD"),
    ];
    for (figure, label) in applicable {
        figure.genetic = Some(genetic_line(figure.value, label, score, age));
    }
    let not_meant: [(&mut RiskFigure, &str); 5] = [
        (&mut report.prevent.hf_10y, HEART_FAILURE),
        (&mut report.prevent.hf_30y, HEART_FAILURE),
        (&mut report.prevent.cvd_30y, THIRTY_YEARS),
        (&mut report.prevent.ascvd_30y, THIRTY_YEARS),
        (&mut report.smart2.recurrent_10y, RECURRENT),
    ];
    for (figure, reason) in not_meant {
        figure.genetic = Some(not_applied_line(score, "", reason.to_string()));
    }
}

/// The score in words: name, percentile (or z), ancestry.
fn score_words(score: &PolygenicScore) -> String {
    let value = match (score.value, score.percentile()) {
        (Some(ScoreValue::Percentile(_)), Some(p)) => format!("{} percentile", ordinal(p)),
        (Some(ScoreValue::ZScore(z)), Some(p)) => format!("z {z:+.2}, {} percentile", ordinal(p)),
        _ => "no value".to_string(),
    };
    let ancestry = score
        .ancestry
        .as_ref()
        .map_or_else(|| "ancestry not stated".to_string(), |a| format!("{} ancestry", a.label()));
    format!("{}, {value}, {ancestry}", score.name)
}

/// `82nd`, `1st`, `13th`: the percentile rounded to a whole number, at least 1 and at most 99.
fn ordinal(percentile: f64) -> String {
    let n = (percentile.round() as i64).clamp(1, 99);
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn not_applied_line(score: &PolygenicScore, applied_to: &str, reason: String) -> GeneticLine {
    GeneticLine {
        applied: false,
        score: score_words(score),
        applied_to: applied_to.to_string(),
        base: None,
        risk: None,
        risk_low: None,
        risk_high: None,
        sentence: format!("Genetic score recorded ({}) but not applied: {reason}.", score_words(score)),
        reason: Some(reason),
        calibration: None,
        source: score.source.resource.clone(),
        date: iso_date(score.date),
    }
}

/// The score applied to `base`, the figure `applied_to` names.
fn genetic_line(base: Option<f64>, applied_to: &str, score: &PolygenicScore, age: f64) -> GeneticLine {
    // The score's own reason comes first: it holds whatever the equation gives.
    match genomic::apply(score, base.unwrap_or(0.0), age) {
        Verdict::Applied(_) if base.is_none() => {
            not_applied_line(score, applied_to, format!("the equation gave no figure for {applied_to} to apply it to"))
        }
        Verdict::NotApplied(why) => not_applied_line(score, applied_to, why.describe()),
        Verdict::Applied(a) => {
            let base = a.base_risk;
            let pp = |r: f64| (r - base) * 100.0;
            let c = &a.calibration;
            let calibration = format!(
                "hazard ratio {:.2} (95% CI {:.2}–{:.2}) per SD for {} over the ten years ahead; {}; {}",
                a.hazard_ratio.estimate, a.hazard_ratio.low, a.hazard_ratio.high, c.outcome, c.adjustment, c.source
            );
            GeneticLine {
                applied: true,
                score: score_words(score),
                applied_to: applied_to.to_string(),
                base: Some(base),
                risk: Some(a.risk),
                risk_low: Some(a.risk_low),
                risk_high: Some(a.risk_high),
                sentence: format!(
                    "With the genetic score ({}): {:.1}% ({:+.1} pp; range {:+.1} to {:+.1} pp), applied to {applied_to}, \
                     {:.1}% without it.",
                    score_words(score),
                    a.risk * 100.0,
                    pp(a.risk),
                    pp(a.risk_low),
                    pp(a.risk_high),
                    base * 100.0
                ),
                reason: None,
                calibration: Some(calibration),
                source: score.source.resource.clone(),
                date: iso_date(score.date),
            }
        }
    }
}

/// What the record does not say but the caller may: race group (PCE), ESC region (SCORE2) and
/// the Social Deprivation Index decile of the patient's residence (PREVENT).
pub type RecordOverrides = twin_engine::twin::Context;

impl From<twin_engine::twin::Missing> for AppError {
    fn from(e: twin_engine::twin::Missing) -> Self {
        AppError::new(ErrorCode::Validation, e.to_string())
    }
}

/// Builds the equations' inputs from a record's latest values on `today`, listing each input's
/// date and source (the rules are the engine's: `twin_engine::twin::risk_inputs`).
///
/// # Errors
/// [`ErrorCode::Validation`] naming what is missing when a core input (sex, age, total or HDL
/// cholesterol, SBP) is absent; optional inputs that are absent are left for each equation to name.
pub fn inputs_from_record(
    record: &PatientRecord,
    today: Date,
    overrides: RecordOverrides,
) -> Result<(RiskInputs, Vec<InputUsed>), AppError> {
    let (inputs, sources) = twin_engine::twin::risk_inputs(record, today, overrides)?;
    let used = sources.into_iter().map(input_used).collect();
    Ok((inputs, used))
}

fn input_used(source: InputSource) -> InputUsed {
    match source {
        InputSource::Measured { kind, value, date, resource } => InputUsed {
            name: kind.label().to_string(),
            value: format!("{value:.2} {}", kind.canonical_unit().symbol()),
            date: Some(iso_date(date)),
            source: Some(resource),
        },
        InputSource::Derived { name, value } => {
            InputUsed { name: name.into(), value: if value { "yes" } else { "no" }.into(), date: None, source: None }
        }
        InputSource::Age { years, on } => {
            InputUsed { name: "age".into(), value: format!("{years} years"), date: Some(iso_date(on)), source: None }
        }
        InputSource::Sex(sex) => {
            InputUsed { name: "sex".into(), value: sex_label(Some(sex)), date: None, source: None }
        }
        InputSource::FromRecord { name, value, resource } => {
            InputUsed { name: name.into(), value, date: None, source: Some(resource) }
        }
        InputSource::Given { name, value } => {
            InputUsed { name: name.into(), value, date: None, source: Some("given by the clinician".into()) }
        }
    }
}

/// Sex at birth, as given by the clinician.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SexChoice {
    /// Female.
    Female,
    /// Male.
    Male,
}

/// Units of the cholesterol values given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CholesterolUnit {
    /// mg/dL.
    MgPerDl,
    /// mmol/L (canonical).
    MmolPerL,
}

/// Units of the urine albumin/creatinine ratio given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UacrUnit {
    /// mg/g (canonical).
    MgPerG,
    /// mg/mmol.
    MgPerMmol,
}

/// Risk factors given one by one (the CLI's flags), in the units stated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskValues {
    /// Age, years.
    pub age: f64,
    /// Sex.
    pub sex: SexChoice,
    /// Total cholesterol, in `cholesterol_unit`.
    pub total_cholesterol: f64,
    /// HDL cholesterol, in `cholesterol_unit`.
    pub hdl_cholesterol: f64,
    /// Units of both cholesterol values.
    pub cholesterol_unit: CholesterolUnit,
    /// Systolic BP, mmHg.
    pub sbp: f64,
    /// On BP-lowering treatment.
    pub bp_treated: bool,
    /// Current smoker.
    pub smoker: bool,
    /// Diabetes.
    pub diabetes: bool,
    /// eGFR, mL/min/1.73 m².
    pub egfr: Option<f64>,
    /// BMI, kg/m².
    pub bmi: Option<f64>,
    /// On a statin.
    pub statin: Option<bool>,
    /// HbA1c, % (NGSP).
    pub hba1c: Option<f64>,
    /// UACR, in `uacr_unit`.
    pub uacr: Option<f64>,
    /// Units of the UACR.
    pub uacr_unit: UacrUnit,
    /// Race, region, SDI.
    pub context: RecordOverrides,
}

impl RiskValues {
    /// The equations' inputs, in canonical units.
    pub fn inputs(&self) -> RiskInputs {
        let to_mmol = |v: f64| match self.cholesterol_unit {
            CholesterolUnit::MgPerDl => v / CHOLESTEROL_MG_DL_PER_MMOL_L,
            CholesterolUnit::MmolPerL => v,
        };
        RiskInputs {
            age: self.age,
            sex: match self.sex {
                SexChoice::Female => Sex::Female,
                SexChoice::Male => Sex::Male,
            },
            race: self.context.race,
            total_cholesterol: to_mmol(self.total_cholesterol),
            hdl_cholesterol: to_mmol(self.hdl_cholesterol),
            sbp: self.sbp,
            bp_treated: self.bp_treated,
            smoker: self.smoker,
            diabetes: self.diabetes,
            egfr: self.egfr,
            bmi: self.bmi,
            statin: self.statin,
            region: self.context.region,
            hba1c: self.hba1c,
            uacr: self.uacr.map(|v| match self.uacr_unit {
                UacrUnit::MgPerG => v,
                UacrUnit::MgPerMmol => v * UACR_MG_G_PER_MG_MMOL,
            }),
            sdi_decile: self.context.sdi_decile,
            crp: None,
            ascvd: None,
            diabetes_onset_age: None,
        }
    }
}

/// Every equation for risk factors given one by one.
pub fn assess_values(values: &RiskValues) -> RiskReport {
    assess(&values.inputs(), Vec::new())
}
