//! Projections: today's twin from the record, ensembles under scenarios, and comparisons with
//! how much each intervention contributes.

use serde::Serialize;
use time::Date;
use ts_rs::TS;

use twin_engine::progression::backend::{project_bands, Summary};
use twin_engine::progression::response::Belief;
use twin_engine::progression::scenario::Scenario;
use twin_engine::progression::strategy::Strategy;
use twin_engine::progression::{run_mean, Baseline, Cancelled, Ensemble, EnsembleConfig, Output, RunControl};
use twin_engine::record::PatientRecord;
use twin_engine::twin::Twin;

use crate::compute::Compute;
use crate::error::AppError;
use crate::risk::RecordOverrides;

/// Months at which comparisons report differences: 6 months, 1, 3 (heart failure's horizon), 5
/// and 10 years.
pub const DIFFERENCE_MONTHS: [u32; 5] = [6, 12, 36, 60, 120];

/// A projected output, as the UI and JSON name it (the engine's `Output`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OutputKey {
    /// Office systolic BP, mmHg.
    Sbp,
    /// Office diastolic BP, mmHg.
    Dbp,
    /// Resting heart rate, bpm.
    HeartRate,
    /// LDL cholesterol, mmol/L.
    Ldl,
    /// HDL cholesterol, mmol/L.
    Hdl,
    /// Weight, kg.
    Weight,
    /// eGFR, mL/min/1.73 m².
    Egfr,
    /// Arterial stiffness relative to today.
    Stiffness,
    /// LV ejection fraction, %.
    Lvef,
    /// Cumulative probability of the event model's outcome: a major cardiovascular event, or in
    /// heart failure death from any cause (see the projection's `outcome`).
    EventRisk,
    /// Cardiac output, L/min.
    CardiacOutput,
    /// BP-lowering drug classes taken.
    BpDrugs,
    /// Cumulative probability of a first HF hospitalisation (heart failure only).
    HfHospitalisation,
}

impl From<Output> for OutputKey {
    fn from(o: Output) -> Self {
        match o {
            Output::Sbp => OutputKey::Sbp,
            Output::Dbp => OutputKey::Dbp,
            Output::HeartRate => OutputKey::HeartRate,
            Output::Ldl => OutputKey::Ldl,
            Output::Hdl => OutputKey::Hdl,
            Output::Weight => OutputKey::Weight,
            Output::Egfr => OutputKey::Egfr,
            Output::Stiffness => OutputKey::Stiffness,
            Output::Lvef => OutputKey::Lvef,
            Output::EventRisk => OutputKey::EventRisk,
            Output::CardiacOutput => OutputKey::CardiacOutput,
            Output::BpDrugs => OutputKey::BpDrugs,
            Output::HfHospitalisation => OutputKey::HfHospitalisation,
        }
    }
}

/// One output's trajectory with its band.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutputBand {
    /// Which output.
    pub output: OutputKey,
    /// Label for people.
    pub label: String,
    /// Unit.
    pub unit: String,
    /// 5th percentile per month.
    pub p5: Vec<f64>,
    /// Median per month.
    pub p50: Vec<f64>,
    /// 95th percentile per month.
    pub p95: Vec<f64>,
}

/// One reference behind a figure.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SourceView {
    /// What it supplied.
    pub what: String,
    /// The reference.
    pub reference: String,
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
    /// How far the record moved it from the trial average (mean − 1; 0 = not at all).
    pub moved: f64,
    /// The prior SD it started from (trial between-person variation).
    pub prior_sd: f64,
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
    /// Whether an event model applies (false: `event_risk` is not projected, and `event_model`
    /// says why).
    pub has_event_model: bool,
    /// What `event_risk` is a probability of, and the horizon to read it at.
    pub outcome: crate::json::OutcomeView,
    /// Every reference this projection used, and what each supplied.
    pub sources: Vec<SourceView>,
    /// BP response factor.
    pub bp_response: ResponseView,
    /// LDL-C response factor.
    pub ldl_response: ResponseView,
    /// Caveats about this projection.
    pub notes: Vec<String>,
    /// Which executor ran the ensemble, and why.
    pub backend: String,
    /// The learned model's hybrid forecast (engine + learned residual), or why there is none.
    pub learned: crate::ml::LearnedView,
    /// How well this twin predicted the patient's last year (mechanistic and hybrid).
    pub hindcast: crate::hindcast::PersonalHindcast,
    /// How old the readings behind this answer are on the consultation day, which are older than
    /// their limit and what to re-measure; `null` when the answer is not built from a record.
    pub freshness: Option<crate::freshness::FreshnessView>,
}

/// A difference between a scenario and the first one, at one month.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    /// Month.
    pub month: u32,
    /// Which output.
    pub output: OutputKey,
    /// Median of (this − first) over paired members.
    pub median: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 95th percentile.
    pub p95: f64,
    /// For event risk: the median difference in percentage points, relative to the reference
    /// scenario's median risk at that month, and the number needed to treat or harm by then.
    pub contrast: Option<crate::json::RiskContrastView>,
}

/// How much one intervention contributes to a difference (at every mean, added alone).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Share {
    /// Intervention label, or `interaction` for what is not additive.
    pub intervention: String,
    /// Month.
    pub month: u32,
    /// Which output.
    pub output: OutputKey,
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

/// Today's twin for the projections (the engine's `twin_engine::twin::build`): the baseline,
/// the event model's name and the notes about what was assumed.
///
/// # Errors
/// [`ErrorCode::Validation`] when the record lacks what the twin needs (BP, heart rate, lipids).
pub fn baseline_from_record(
    record: &PatientRecord,
    today: Date,
    overrides: RecordOverrides,
    years: u32,
) -> Result<(Baseline, String, Vec<String>), AppError> {
    let twin = twin_engine::twin::build(record, today, overrides, years)?;
    Ok((twin.baseline, twin.event_model.name, twin.notes))
}

fn response_view(b: &Belief, prior: Belief) -> ResponseView {
    ResponseView { mean: b.mean, sd: b.sd(), n_updates: b.n_updates, moved: b.mean - prior.mean, prior_sd: prior.sd() }
}

/// Projects one scenario on `compute`'s executor, keeping each member's values at the months a
/// comparison pairs ([`DIFFERENCE_MONTHS`]).
///
/// # Errors
/// [`Cancelled`] when `control` is cancelled before the ensemble finishes.
pub fn project(
    patient: &str,
    twin: &Twin,
    scenario: &Scenario,
    config: &EnsembleConfig,
    compute: &Compute,
    control: &RunControl,
) -> Result<(Projection, Summary), Cancelled> {
    let baseline = &twin.baseline;
    let (summary, backend) = compute
        .for_scenarios(baseline, [scenario])
        .run(control, |b| project_bands(b, baseline, scenario, config, &DIFFERENCE_MONTHS, control))?;
    let outputs = summary
        .bands
        .iter()
        .cloned()
        .map(|b| OutputBand {
            output: b.output.into(),
            label: output_label(twin, b.output),
            unit: b.output.unit().to_string(),
            p5: b.p5,
            p50: b.p50,
            p95: b.p95,
        })
        .collect();
    let projection = Projection {
        patient: patient.to_string(),
        scenario: scenario.name.clone(),
        interventions: scenario
            .strategy
            .iter()
            .map(|s| format!("Treat to target: {}", crate::scenario_file::strategy_words(s, true)))
            .chain(scenario.interventions.iter().map(|i| i.label()))
            .collect(),
        months: config.months,
        members: config.members,
        seed: config.seed,
        outputs,
        event_model: twin.event_model.name.clone(),
        has_event_model: twin.event_model.applies(),
        outcome: crate::json::OutcomeView::of(&twin.event_model),
        sources: twin_engine::progression::sources::sources(baseline, scenario)
            .into_iter()
            .map(|(what, reference)| SourceView { what: what.into(), reference: reference.into() })
            .collect(),
        bp_response: response_view(&baseline.bp_response, Belief::bp_prior()),
        ldl_response: response_view(&baseline.ldl_response, Belief::prior()),
        notes: twin.notes.clone(),
        backend,
        learned: crate::ml::LearnedView {
            available: false,
            note: "the learned model runs on a patient's record (simulate and compare)".into(),
            rows: Vec::new(),
            samples: Vec::new(),
        },
        hindcast: crate::hindcast::PersonalHindcast::unavailable(
            "the hindcast runs on a patient's record (simulate and compare)",
        ),
        freshness: None,
    };
    Ok((projection, summary))
}

const COMPARED: [Output; 5] = [Output::Sbp, Output::Ldl, Output::EventRisk, Output::HfHospitalisation, Output::BpDrugs];

/// An output's label for this patient: in heart failure the event risk is death from any cause.
fn output_label(twin: &Twin, output: Output) -> String {
    match (output, twin.event_model.outcome) {
        (Output::EventRisk, twin_engine::twin::EventOutcome::HeartFailure) => {
            "Death from any cause (cumulative)".into()
        }
        _ => output.label().to_string(),
    }
}

/// Compares scenarios: each later one against the first, with paired members (same seed, so
/// the same draws), and the share of each intervention computed at every mean.
///
/// # Errors
/// [`Cancelled`] when `control` is cancelled before the last ensemble finishes.
pub fn compare(
    patient: &str,
    twin: &Twin,
    scenarios: &[Scenario],
    config: &EnsembleConfig,
    compute: &Compute,
    control: &RunControl,
) -> Result<Comparison, Cancelled> {
    let baseline = &twin.baseline;
    let runs: Vec<(Projection, Summary)> =
        scenarios.iter().map(|s| project(patient, twin, s, config, compute, control)).collect::<Result<_, _>>()?;
    let mut differences = Vec::new();
    if let Some((first, first_summary)) = runs.first() {
        let months = first_summary.kept_months.clone();
        for ((projection, summary), scenario) in runs.iter().zip(scenarios).skip(1) {
            let mut diffs = Vec::new();
            for (k, &month) in months.iter().enumerate() {
                for output in COMPARED {
                    let mut paired: Vec<f64> = (0..config.members)
                        .map(|m| summary.kept(m, k, output) - first_summary.kept(m, k, output))
                        .filter(|d| d.is_finite())
                        .collect();
                    if paired.is_empty() {
                        continue;
                    }
                    let median = twin_engine::progression::quantile(&mut paired, 0.5);
                    // The reference's median risk that month is already in its bands.
                    let contrast = matches!(output, Output::EventRisk | Output::HfHospitalisation)
                        .then(|| first.outputs.iter().find(|b| b.output == OutputKey::from(output)))
                        .flatten()
                        .and_then(|band| band.p50.get(month as usize))
                        .map(|reference| crate::json::RiskContrastView::new(*reference, median));
                    diffs.push(Difference {
                        month,
                        output: output.into(),
                        median,
                        p5: twin_engine::progression::quantile(&mut paired, 0.05),
                        p95: twin_engine::progression::quantile(&mut paired, 0.95),
                        contrast,
                    });
                }
            }
            let shares = shares(baseline, &scenarios[0], scenario, &months);
            let mut explanation =
                explain(&projection.scenario, &first.scenario, &diffs, &shares, twin.event_model.outcome);
            if let Some(strategy) = &scenario.strategy {
                // At 1, 5 and 10 years (those kept): the share of courses below the SBP target.
                let checkpoints: Vec<(u32, Option<f64>)> = months
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| [12, 60, 120].contains(*m))
                    .map(|(k, &month)| {
                        let below = strategy.sbp.as_ref().map(|rule| {
                            let n =
                                (0..config.members).filter(|&m| summary.kept(m, k, Output::Sbp) < rule.below).count();
                            n as f64 / config.members.max(1) as f64
                        });
                        (month, below)
                    })
                    .collect();
                let drugs = projection.outputs.iter().find(|b| b.output == OutputKey::BpDrugs);
                explanation.splice(0..0, strategy_sentences(&projection.scenario, strategy, &checkpoints, drugs));
            }
            differences.push(ScenarioDifference {
                scenario: projection.scenario.clone(),
                against: first.scenario.clone(),
                differences: diffs,
                shares,
                explanation,
            });
        }
    }
    Ok(Comparison { projections: runs.into_iter().map(|(p, _)| p).collect(), differences })
}

/// What a comparison's contribution table calls a strategy: it is not split into drugs.
fn strategy_share_label(strategy: &Strategy) -> String {
    format!("the treat-to-target strategy as a whole ({})", crate::scenario_file::strategy_words(strategy, false))
}

/// Sentences about a strategy, said first: what it is, that its effect is the strategy's as a
/// whole, and at each checkpoint (month, share of courses below the SBP target) how many reach
/// the target and on how many BP-lowering classes.
fn strategy_sentences(
    scenario: &str,
    strategy: &Strategy,
    checkpoints: &[(u32, Option<f64>)],
    drugs: Option<&OutputBand>,
) -> Vec<String> {
    let mut out = vec![format!(
        "'{scenario}' is a treat-to-target strategy ({}). Its effect is the strategy's as a whole: the drugs it adds \
         depend on each simulated patient's own readings at reviews, so it is not split into single drugs.",
        crate::scenario_file::strategy_words(strategy, true)
    )];
    for &(month, below) in checkpoints {
        let m = month as usize;
        let at = |v: &[f64]| v.get(m).copied().filter(|x| x.is_finite());
        let classes = drugs.and_then(|b| Some((at(&b.p50)?, at(&b.p5)?, at(&b.p95)?)));
        let on = classes.map(|(p50, p5, p95)| {
            if count_words(p5) == count_words(p95) {
                format!("{} BP-lowering drug classes in at least 90% of them", count_words(p50))
            } else {
                format!(
                    "a median of {} BP-lowering drug classes (90% range {}–{})",
                    count_words(p50),
                    count_words(p5),
                    count_words(p95)
                )
            }
        });
        let target = strategy.sbp.as_ref().map(|r| r.below);
        let sentence = match (below.zip(target), on) {
            (Some((share, target)), Some(on)) => format!(
                "After {}, {:.0}% of simulated courses have systolic BP below {target:.0} mmHg, on {on}.",
                months_words(m),
                share * 100.0
            ),
            (Some((share, target)), None) => format!(
                "After {}, {:.0}% of simulated courses have systolic BP below {target:.0} mmHg.",
                months_words(m),
                share * 100.0
            ),
            (None, Some(on)) => format!("After {}, the simulated courses take {on}.", months_words(m)),
            (None, None) => continue,
        };
        out.push(sentence);
    }
    out
}

/// "1 year", "10 years", "6 months".
fn months_words(m: usize) -> String {
    match m {
        12 => "1 year".into(),
        m if m % 12 == 0 => format!("{} years", m / 12),
        m => format!("{m} months"),
    }
}

/// A count of drugs: whole numbers without decimals ("2"), others with one ("2.5").
fn count_words(v: f64) -> String {
    if (v - v.round()).abs() < 0.05 {
        format!("{:.0}", v.round())
    } else {
        format!("{v:.1}")
    }
}

/// Share of each intervention of `target` not in `reference`: each added alone to the reference
/// at every mean; what the sum misses is reported as `interaction`. A treat-to-target strategy
/// counts as one change, the strategy as a whole (its steps follow each member's readings).
fn shares(baseline: &Baseline, reference: &Scenario, target: &Scenario, months: &[u32]) -> Vec<Share> {
    let horizon = months.iter().copied().max().unwrap_or(0);
    let reference_run = run_mean(baseline, reference, horizon);
    let target_run = run_mean(baseline, target, horizon);
    let added: Vec<_> = target.interventions.iter().filter(|i| !reference.interventions.contains(i)).collect();
    let removed = target.interventions.len() - added.len() < reference.interventions.len()
        || (reference.strategy.is_some() && reference.strategy != target.strategy);
    let mut alone: Vec<(String, Ensemble)> = Vec::new();
    if let Some(strategy) = target.strategy.as_ref().filter(|s| reference.strategy.as_ref() != Some(*s)) {
        let with = Scenario { strategy: Some(strategy.clone()), ..reference.clone() };
        // Beside the reference's own drug changes a strategy cannot run: then it is not alone.
        if with.check_against(&baseline.current_drugs).is_ok() {
            alone.push((strategy_share_label(strategy), run_mean(baseline, &with, horizon)));
        }
    }
    alone.extend(added.iter().map(|i| {
        let mut s = reference.clone();
        s.interventions.push((*i).clone());
        (i.label(), run_mean(baseline, &s, horizon))
    }));
    let mut out = Vec::new();
    for &month in months {
        for output in COMPARED {
            let total = target_run.get(0, month as usize, output) - reference_run.get(0, month as usize, output);
            if !total.is_finite() {
                continue;
            }
            let mut sum = 0.0;
            for (label, run) in &alone {
                let value = run.get(0, month as usize, output) - reference_run.get(0, month as usize, output);
                sum += value;
                out.push(Share { intervention: label.clone(), month, output: output.into(), value });
            }
            let rest = total - sum;
            if rest.abs() > 1e-9 || removed {
                let label = if removed { "interaction and interventions only in the reference" } else { "interaction" };
                out.push(Share { intervention: label.to_string(), month, output: output.into(), value: rest });
            }
        }
    }
    out
}

fn explain(
    scenario: &str,
    against: &str,
    diffs: &[Difference],
    shares: &[Share],
    outcome: twin_engine::twin::EventOutcome,
) -> Vec<String> {
    let mut sentences = Vec::new();
    // Heart-failure outcomes are read at MAGGIC's horizon; the rest at 5 years where projected.
    let preferred = if outcome == twin_engine::twin::EventOutcome::HeartFailure { 36 } else { 60 };
    let at_month = if diffs.iter().any(|x| x.month == preferred) { preferred } else { 12 };
    let noticeable = |d: &&Difference| d.p5.abs().max(d.p95.abs()) > 1e-6;
    for d in diffs.iter().filter(|d| d.month == at_month).filter(noticeable) {
        let years = f64::from(d.month) / 12.0;
        if d.output == OutputKey::BpDrugs {
            if d.median.abs() >= 0.05 {
                sentences.push(format!(
                    "After {years:.0} year(s), '{scenario}' takes {} {} BP-lowering drug classes than '{against}' (median over simulated patients; 90% range {:+.0} to {:+.0}).",
                    count_words(d.median.abs()),
                    if d.median < 0.0 { "fewer" } else { "more" },
                    d.p5,
                    d.p95
                ));
            }
            continue;
        }
        let (what, scale, unit) = match d.output {
            OutputKey::Sbp => ("systolic BP", 1.0, " mmHg"),
            OutputKey::Ldl => ("LDL cholesterol", 1.0, " mmol/L"),
            OutputKey::HfHospitalisation => {
                ("the chance of a first heart-failure hospitalisation", 100.0, " percentage points")
            }
            _ if outcome == twin_engine::twin::EventOutcome::HeartFailure => {
                ("the chance of dying from any cause", 100.0, " percentage points")
            }
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
            .filter(|s| s.month == month && s.output == OutputKey::EventRisk && s.intervention != "interaction")
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
