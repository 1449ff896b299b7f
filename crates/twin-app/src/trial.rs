//! `cardiotwin trial --spec FILE`: the trial spec format (JSON, camelCase; docs/SCENARIOS.md
//! "Trial specs"), its conversion to the engine's [`Trial`], and the answer: ours per arm, the
//! published figures beside them, and a verdict per figure.

use serde::{Deserialize, Serialize};

use twin_engine::trial::{self, Dist, Interval, MeanSd, Population, Trial, TrialResult, MAX_PARTICIPANTS};

use crate::error::{AppError, ErrorCode};
use crate::scenario_file::{ScenarioFile, StrategyFile};

/// A trial spec as written in a file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrialSpec {
    /// The trial's name.
    pub name: String,
    /// The paper.
    #[serde(default)]
    pub source: Option<String>,
    /// Participants randomised (all arms).
    pub participants: usize,
    /// Median follow-up, months.
    pub follow_up_months: f64,
    /// Seed (default 1).
    #[serde(default = "one")]
    pub seed: u64,
    /// What counts as an event.
    pub outcome: OutcomeSpec,
    /// The baseline table.
    pub population: PopulationSpec,
    /// The arms, in order; the hazard ratio is the first against the second.
    pub arms: Vec<ArmSpec>,
    /// The published figures, per arm in the arms' order.
    #[serde(default)]
    pub published: Option<Published>,
}

fn one() -> u64 {
    1
}

/// Outcomes a trial can count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeSpec {
    /// The event model's outcome: the selected equation's cardiovascular events (PREVENT total
    /// CVD, the PCE's hard ASCVD, SMART2's recurrent events). A trial's own composite differs
    /// (e.g. SPRINT's includes heart failure and acute coronary syndrome); the answer says so.
    MajorCvEvent,
}

/// A characteristic's distribution.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DistSpec {
    /// Mean.
    pub mean: f64,
    /// SD.
    pub sd: f64,
    /// Lowest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Highest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

impl From<DistSpec> for Dist {
    fn from(d: DistSpec) -> Self {
        Dist { mean: d.mean, sd: d.sd, min: d.min, max: d.max }
    }
}

/// The baseline table. Proportions default to 0.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PopulationSpec {
    /// Age, years.
    pub age: DistSpec,
    /// Share of women.
    pub female: f64,
    /// Share of Black participants.
    #[serde(default)]
    pub black: f64,
    /// SBP, mmHg.
    pub sbp: DistSpec,
    /// DBP, mmHg.
    pub dbp: DistSpec,
    /// Total cholesterol, mg/dL.
    pub total_cholesterol_mg_dl: DistSpec,
    /// HDL-C, mg/dL.
    pub hdl_mg_dl: DistSpec,
    /// LDL-C, mg/dL.
    pub ldl_mg_dl: DistSpec,
    /// eGFR.
    #[serde(default)]
    pub egfr: Option<DistSpec>,
    /// BMI.
    #[serde(default)]
    pub bmi: Option<DistSpec>,
    /// CRP, mg/L (SMART2 needs it for participants with prior CVD).
    #[serde(default)]
    pub crp_mg_l: Option<DistSpec>,
    /// Share of current smokers.
    #[serde(default)]
    pub current_smoker: f64,
    /// Share with diabetes.
    #[serde(default)]
    pub diabetes: f64,
    /// Share with prior cardiovascular disease.
    #[serde(default)]
    pub prior_cvd: f64,
    /// Share on a statin.
    #[serde(default)]
    pub statin: f64,
    /// BP-lowering drugs per participant.
    #[serde(default)]
    pub bp_drugs: Option<DistSpec>,
}

/// One arm: a strategy or a scenario (exactly one).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArmSpec {
    /// Name.
    pub name: String,
    /// A treat-to-target strategy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<StrategyFile>,
    /// A scenario file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<ScenarioFile>,
}

/// An estimate with its interval, as published or as ours.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IntervalSpec {
    /// Estimate.
    pub estimate: f64,
    /// Lower 95% bound.
    pub low: f64,
    /// Upper 95% bound.
    pub high: f64,
}

impl From<Interval> for IntervalSpec {
    fn from(i: Interval) -> Self {
        IntervalSpec { estimate: i.estimate, low: i.low, high: i.high }
    }
}

/// The published figures: per arm, in the arms' order.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Published {
    /// Mean SBP at 12 months, mmHg.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbp_at12_months: Option<Vec<f64>>,
    /// Mean LDL-C at 12 months, mg/dL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ldl_at12_months_mg_dl: Option<Vec<f64>>,
    /// Mean BP drugs at 12 months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drugs_at12_months: Option<Vec<f64>>,
    /// Events per 100 person-years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events_per100_person_years: Option<Vec<f64>>,
    /// Share with an event by the end of follow-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cumulative_incidence: Option<Vec<f64>>,
    /// First arm against the second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hazard_ratio: Option<IntervalSpec>,
}

/// Ours, per arm.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmAnswer {
    /// Name.
    pub name: String,
    /// Participants randomised to it.
    pub participants: usize,
    /// SBP at 12 months, mmHg.
    pub sbp_at12_months: MeanSdAnswer,
    /// LDL-C at 12 months, mg/dL.
    pub ldl_at12_months_mg_dl: MeanSdAnswer,
    /// BP drugs at 12 months.
    pub drugs_at12_months: MeanSdAnswer,
    /// First events.
    pub events: usize,
    /// Person-years at risk.
    pub person_years: f64,
    /// Events per 100 person-years (95% interval).
    pub events_per100_person_years: IntervalSpec,
    /// Share with an event by the end of follow-up.
    pub cumulative_incidence: f64,
}

/// A mean and SD.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanSdAnswer {
    /// Mean.
    pub mean: f64,
    /// SD.
    pub sd: f64,
}

impl From<MeanSd> for MeanSdAnswer {
    fn from(m: MeanSd) -> Self {
        MeanSdAnswer { mean: m.mean, sd: m.sd }
    }
}

/// One published figure against ours.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// The figure's key, as in `published`.
    pub figure: String,
    /// The arm (none for the hazard ratio).
    pub arm: Option<String>,
    /// Ours.
    pub ours: f64,
    /// Our 95% interval, where the rule uses it.
    pub ours_interval: Option<IntervalSpec>,
    /// Published.
    pub published: f64,
    /// Whether the rule holds.
    pub reproduced: bool,
    /// The rule, in words.
    pub rule: String,
}

/// Event models the participants took.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelCount {
    /// Equation.
    pub name: String,
    /// Participants.
    pub participants: usize,
}

/// The answer of `trial`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrialAnswer {
    /// Trial.
    pub name: String,
    /// Paper.
    pub source: Option<String>,
    /// Participants run.
    pub participants: usize,
    /// Follow-up, months.
    pub follow_up_months: u32,
    /// Seed.
    pub seed: u64,
    /// Per arm, in the spec's order.
    pub arms: Vec<ArmAnswer>,
    /// First arm against the second: the rate ratio and its 95% CI (none without events in both).
    pub hazard_ratio: Option<IntervalSpec>,
    /// The spec's published figures.
    pub published: Option<Published>,
    /// Each published figure against ours.
    pub verdicts: Vec<Verdict>,
    /// Which event models the participants took.
    pub event_models: Vec<ModelCount>,
    /// What a reader must know.
    pub notes: Vec<String>,
    /// Synthetic: not a trial.
    pub disclaimer: String,
}

fn validation(origin: &str, message: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorCode::Validation, format!("{origin}: {message}"))
}

impl TrialSpec {
    /// Parses a spec; errors name the file and the field.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] for malformed JSON, unknown fields or values.
    pub fn parse(text: &str, origin: &str) -> Result<Self, AppError> {
        serde_json::from_str(text).map_err(|e| validation(origin, e))
    }

    /// The engine's trial, checked; `participants` overrides the spec's.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] naming the field.
    pub fn to_trial(&self, origin: &str, participants: Option<usize>) -> Result<Trial, AppError> {
        let participants = participants.unwrap_or(self.participants);
        if participants > MAX_PARTICIPANTS {
            return Err(validation(origin, format!("participants: at most {MAX_PARTICIPANTS}, got {participants}")));
        }
        let months = self.follow_up_months;
        if !(months.is_finite() && months >= 1.0) {
            return Err(validation(origin, format!("followUpMonths: at least 1 month, got {months}")));
        }
        let arms = self
            .arms
            .iter()
            .enumerate()
            .map(|(i, arm)| {
                let at = format!("{origin}: arms[{i}]");
                let scenario = match (&arm.strategy, &arm.scenario) {
                    (Some(s), None) => twin_engine::progression::scenario::Scenario {
                        name: arm.name.clone(),
                        interventions: Vec::new(),
                        strategy: Some(s.to_strategy(&at)?),
                    },
                    (None, Some(file)) => file.to_scenario(&at)?,
                    _ => return Err(validation(&at, "an arm has either a strategy or a scenario (one of them)")),
                };
                Ok(trial::Arm { name: arm.name.clone(), scenario })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        if let Some(p) = &self.published {
            let n = self.arms.len();
            let lists = [
                (&p.sbp_at12_months, "sbpAt12Months"),
                (&p.ldl_at12_months_mg_dl, "ldlAt12MonthsMgDl"),
                (&p.drugs_at12_months, "drugsAt12Months"),
                (&p.events_per100_person_years, "eventsPer100PersonYears"),
                (&p.cumulative_incidence, "cumulativeIncidence"),
            ];
            for (list, name) in lists {
                if let Some(v) = list {
                    if v.len() != n {
                        return Err(validation(
                            origin,
                            format!("published.{name}: one figure per arm ({n}), got {}", v.len()),
                        ));
                    }
                }
            }
            if let Some(hr) = p.hazard_ratio {
                if !(hr.low <= hr.estimate && hr.estimate <= hr.high && hr.low > 0.0) {
                    return Err(validation(origin, "published.hazardRatio: needs 0 < low ≤ estimate ≤ high"));
                }
            }
        }
        let p = &self.population;
        let trial = Trial {
            participants,
            follow_up_months: months.round() as u32,
            seed: self.seed,
            population: Population {
                age: p.age.into(),
                female: p.female,
                black: p.black,
                sbp: p.sbp.into(),
                dbp: p.dbp.into(),
                total_cholesterol_mg_dl: p.total_cholesterol_mg_dl.into(),
                hdl_mg_dl: p.hdl_mg_dl.into(),
                ldl_mg_dl: p.ldl_mg_dl.into(),
                egfr: p.egfr.map(Dist::from),
                bmi: p.bmi.map(Dist::from),
                crp_mg_l: p.crp_mg_l.map(Dist::from),
                current_smoker: p.current_smoker,
                diabetes: p.diabetes,
                prior_cvd: p.prior_cvd,
                statin: p.statin,
                bp_drugs: p.bp_drugs.map(Dist::from),
            },
            arms,
        };
        trial.validate().map_err(|e| validation(origin, e))?;
        Ok(trial)
    }
}

/// Reads, checks and runs a spec file.
///
/// # Errors
/// The file cannot be read, or the spec is invalid ([`ErrorCode::Validation`], naming the field).
pub fn run_file(path: &std::path::Path, participants: Option<usize>) -> Result<TrialAnswer, AppError> {
    let text = std::fs::read_to_string(path).map_err(|e| AppError::io(path, &e))?;
    let origin = path.display().to_string();
    let spec = TrialSpec::parse(&text, &origin)?;
    let trial = spec.to_trial(&origin, participants)?;
    Ok(answer(&spec, &trial, &trial::run(&trial)))
}

fn answer(spec: &TrialSpec, trial: &Trial, r: &TrialResult) -> TrialAnswer {
    let arms: Vec<ArmAnswer> = r
        .arms
        .iter()
        .map(|a| ArmAnswer {
            name: a.name.clone(),
            participants: a.participants,
            sbp_at12_months: a.sbp_12.into(),
            ldl_at12_months_mg_dl: a.ldl_12_mg_dl.into(),
            drugs_at12_months: a.bp_drugs_12.into(),
            events: a.events,
            person_years: a.person_years,
            events_per100_person_years: a.events_per_100_person_years.into(),
            cumulative_incidence: a.cumulative_incidence,
        })
        .collect();
    let verdicts = spec.published.as_ref().map_or_else(Vec::new, |p| verdicts(p, r));
    let mut notes = vec![
        "events are the selected equation's outcome (PREVENT total CVD, the PCE's hard ASCVD, or SMART2's \
         recurrent events), not the trial's own composite, which may include heart failure, acute coronary \
         syndromes or death from any cause"
            .to_string(),
        "characteristics are drawn independently from the table's marginal distributions (tables give no \
         correlations); SBP, LDL-C and drugs are the model's true values, without a trial's measurement error"
            .to_string(),
        "the hazard ratio is the ratio of event rates with a Poisson 95% CI; follow-up is complete for everyone \
         (no loss to follow-up, no competing deaths)"
            .to_string(),
    ];
    if r.held_in_range > 0 {
        notes.push(format!(
            "{} participants lay outside PREVENT's validated ranges (age over 79, cholesterol outside 130–320 mg/dL, \
             HDL-C outside 20–100 mg/dL) and took the risk at the nearest value it accepts: an extrapolation \
             (SCORE2-OP, which reaches 89, needs an ESC region a trial's table does not give)",
            r.held_in_range
        ));
    }
    if trial.population.prior_cvd > 0.0 && trial.population.crp_mg_l.is_none() {
        notes.push(
            "participants with prior cardiovascular disease took the primary-prevention equation, which understates \
             their risk: SMART2 needs CRP, which the spec does not give"
                .to_string(),
        );
    }
    if r.without_event_model > 0 {
        notes.push(format!("{} participants had no event model and contribute no events", r.without_event_model));
    }
    TrialAnswer {
        name: spec.name.clone(),
        source: spec.source.clone(),
        participants: trial.participants,
        follow_up_months: trial.follow_up_months,
        seed: trial.seed,
        arms,
        hazard_ratio: r.hazard_ratio.map(IntervalSpec::from),
        published: spec.published.clone(),
        verdicts,
        event_models: r
            .event_models
            .iter()
            .map(|(name, n)| ModelCount { name: name.clone(), participants: *n })
            .collect(),
        notes,
        disclaimer: "An in-silico trial of synthetic participants drawn from a published baseline table: a check of \
                     the model against the trial, not evidence of its own."
            .to_string(),
    }
}

/// Each published figure against ours. The hazard ratio: ours inside the published 95% CI.
/// Per-arm figures: the published value inside our 95% interval (of a mean: ±1.96 SD/√n; of a
/// rate: Poisson; of an incidence: binomial), a strict test at large n, stated as such.
fn verdicts(p: &Published, r: &TrialResult) -> Vec<Verdict> {
    let mut out = Vec::new();
    let per_arm = |out: &mut Vec<Verdict>,
                   list: &Option<Vec<f64>>,
                   figure: &str,
                   ours: &dyn Fn(&trial::ArmResult) -> Interval| {
        let Some(values) = list else { return };
        for (arm, published) in r.arms.iter().zip(values) {
            let i = ours(arm);
            out.push(Verdict {
                figure: figure.to_string(),
                arm: Some(arm.name.clone()),
                ours: i.estimate,
                ours_interval: Some(i.into()),
                published: *published,
                reproduced: i.contains(*published),
                rule: "the published value lies inside our 95% interval".to_string(),
            });
        }
    };
    per_arm(&mut out, &p.sbp_at12_months, "sbpAt12Months", &|a| a.sbp_12.interval(a.participants));
    per_arm(&mut out, &p.ldl_at12_months_mg_dl, "ldlAt12MonthsMgDl", &|a| a.ldl_12_mg_dl.interval(a.participants));
    per_arm(&mut out, &p.drugs_at12_months, "drugsAt12Months", &|a| a.bp_drugs_12.interval(a.participants));
    per_arm(&mut out, &p.events_per100_person_years, "eventsPer100PersonYears", &|a| a.events_per_100_person_years);
    per_arm(&mut out, &p.cumulative_incidence, "cumulativeIncidence", &|a| a.incidence_interval());
    if let (Some(published), Some(ours)) = (p.hazard_ratio, r.hazard_ratio) {
        out.push(Verdict {
            figure: "hazardRatio".to_string(),
            arm: None,
            ours: ours.estimate,
            ours_interval: Some(ours.into()),
            published: published.estimate,
            reproduced: published.low <= ours.estimate && ours.estimate <= published.high,
            rule: format!("ours lies inside the published 95% CI ({:.2}–{:.2})", published.low, published.high),
        });
    }
    out
}
