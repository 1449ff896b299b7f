//! In-silico trials: a published trial's population, drawn from its baseline table, run through
//! its arms, with events sampled from each participant's hazard, so the twin's effect sizes can
//! be held against what the trial measured.
//!
//! How a trial runs:
//! 1. **Cohort.** Each participant is drawn from the table's marginal distributions (normal,
//!    truncated to the table's bounds by redrawing; proportions as Bernoulli draws), seeded by
//!    (trial seed, participant), so any subset reproduces. Baseline tables give no correlations,
//!    so characteristics are independent, except total cholesterol, which is LDL-C + HDL-C + the
//!    table's mean remainder (so the three always add up).
//! 2. **Randomisation.** Participant *i* is in arm *i* mod *arms*: equal arms of independent
//!    participants, as in the trial, so the confidence interval has the trial's width.
//! 3. **Twin.** Each participant's projection baseline: the table's values known exactly (they
//!    are the participant's, not estimates), today's BP drugs as the first classes of the usual
//!    sequence at standard dose ([`strategy::DEFAULT_BP_SEQUENCE`]), a moderate-intensity statin
//!    where on one, the population's response priors, and the event model the workstation uses
//!    for a record ([`crate::twin::annual_hazards`]). Prior cardiovascular disease takes SMART2
//!    only where the table gives CRP (SMART2 needs it); otherwise the primary-prevention equation,
//!    which understates those participants' risk, and the answer says so.
//! 4. **Events.** Each participant's first event month is drawn by inversion from the member's
//!    cumulative hazard (a uniform draw of its own); follow-up is administrative, with no loss to
//!    follow-up and no competing deaths.
//! 5. **Figures.** Per arm: SBP, LDL-C and BP drugs at 12 months (mean, SD; the model's true
//!    values, without the reading error a trial's measurements add to the SD), events per 100
//!    person-years, cumulative incidence. The first arm against the second: the rate ratio with
//!    its 95% CI from the Poisson variance of the log ratio, √(1/d₁ + 1/d₂); with low event rates
//!    and proportional hazards it estimates the Cox hazard ratio trials report.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use crate::drugs::{DoseLevel, DrugClass};
use crate::progression::response::Belief;
use crate::progression::scenario::Scenario;
use crate::progression::strategy::DEFAULT_BP_SEQUENCE;
use crate::progression::{member_draws, run_member, Baseline, CurrentDrug, FlatPlan, Output, Spread, N_OUTPUTS};
use crate::record::Sex;
use crate::risk::smart2::AscvdHistory;
use crate::risk::{prevent, Race, RiskInputs};
use crate::twin::annual_hazards;
use crate::units::CHOLESTEROL_MG_DL_PER_MMOL_L;

/// Most participants a trial may have: a million (the largest cardiovascular trials enrolled
/// tens of thousands; this bounds memory and time, about a minute on two cores).
pub const MAX_PARTICIPANTS: usize = 1_000_000;
/// Longest follow-up, months: 30 years, the event model's horizon.
pub const MAX_FOLLOW_UP_MONTHS: u32 = 360;
/// Redraws of a truncated normal before the draw is clamped to the bounds (a bound far in a
/// tail would otherwise loop for long).
const MAX_REDRAWS: usize = 1000;
/// z of a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;
/// Years since the first diagnosis of prior cardiovascular disease, for SMART2, when a table
/// does not give it: 5, SMART2's own reference person (Hageman SHJ et al. Eur Heart J
/// 2022;43:1715, the model's reference values).
pub const PRIOR_CVD_YEARS: f64 = 5.0;
/// The month the 12-month figures are read at.
pub const MONTH_12: usize = 12;

/// A characteristic's distribution in the baseline table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dist {
    /// Mean.
    pub mean: f64,
    /// Standard deviation (0: everyone at the mean).
    pub sd: f64,
    /// Lowest value (an inclusion criterion).
    pub min: Option<f64>,
    /// Highest value.
    pub max: Option<f64>,
}

/// The trial population's baseline table. Cholesterol in mg/dL, as trials report it.
#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    /// Age, years.
    pub age: Dist,
    /// Share of women.
    pub female: f64,
    /// Share of Black participants (the PCE's race term).
    pub black: f64,
    /// SBP, mmHg.
    pub sbp: Dist,
    /// DBP, mmHg.
    pub dbp: Dist,
    /// Total cholesterol, mg/dL.
    pub total_cholesterol_mg_dl: Dist,
    /// HDL-C, mg/dL.
    pub hdl_mg_dl: Dist,
    /// LDL-C, mg/dL.
    pub ldl_mg_dl: Dist,
    /// eGFR, mL/min/1.73 m².
    pub egfr: Option<Dist>,
    /// BMI, kg/m².
    pub bmi: Option<Dist>,
    /// C-reactive protein, mg/L (SMART2 needs it for prior CVD).
    pub crp_mg_l: Option<Dist>,
    /// Share of current smokers.
    pub current_smoker: f64,
    /// Share with diabetes.
    pub diabetes: f64,
    /// Share with prior cardiovascular disease.
    pub prior_cvd: f64,
    /// Share on a statin.
    pub statin: f64,
    /// BP-lowering drugs per participant.
    pub bp_drugs: Option<Dist>,
}

/// One arm: a scenario (fixed changes, or a treat-to-target strategy).
#[derive(Debug, Clone, PartialEq)]
pub struct Arm {
    /// Name.
    pub name: String,
    /// What the arm does.
    pub scenario: Scenario,
}

/// A trial to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    /// Participants (all arms together).
    pub participants: usize,
    /// Follow-up, months.
    pub follow_up_months: u32,
    /// Seed of the cohort, the projections and the events.
    pub seed: u64,
    /// Baseline table.
    pub population: Population,
    /// Arms, in order; the hazard ratio is the first against the second.
    pub arms: Vec<Arm>,
}

/// Why a trial cannot run; each names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct TrialError {
    /// The field, as the spec names it.
    pub field: String,
    /// What is wrong, in words.
    pub problem: String,
}

fn bad(field: &str, problem: impl Into<String>) -> TrialError {
    TrialError { field: field.to_string(), problem: problem.into() }
}

impl Dist {
    fn check(&self, field: &str) -> Result<(), TrialError> {
        if !self.mean.is_finite() {
            return Err(bad(field, "the mean must be a number"));
        }
        if !(self.sd.is_finite() && self.sd >= 0.0) {
            return Err(bad(&format!("{field}.sd"), format!("an SD must be 0 or more, got {}", self.sd)));
        }
        if let (Some(lo), Some(hi)) = (self.min, self.max) {
            if lo > hi {
                return Err(bad(field, format!("min {lo} is above max {hi}")));
            }
        }
        Ok(())
    }
}

fn check_share(value: f64, field: &str) -> Result<(), TrialError> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(bad(field, format!("a proportion must be between 0 and 1, got {value}")))
    }
}

impl Trial {
    /// Checks sizes, distributions, proportions and arms.
    ///
    /// # Errors
    /// [`TrialError`] naming the field.
    pub fn validate(&self) -> Result<(), TrialError> {
        if self.participants == 0 || self.participants > MAX_PARTICIPANTS {
            return Err(bad("participants", format!("must be 1 to {MAX_PARTICIPANTS}, got {}", self.participants)));
        }
        if self.follow_up_months == 0 || self.follow_up_months > MAX_FOLLOW_UP_MONTHS {
            return Err(bad(
                "followUpMonths",
                format!("must be 1 to {MAX_FOLLOW_UP_MONTHS}, got {}", self.follow_up_months),
            ));
        }
        if self.arms.is_empty() {
            return Err(bad("arms", "a trial needs at least one arm"));
        }
        if self.participants < self.arms.len() {
            return Err(bad("participants", "fewer participants than arms"));
        }
        let p = &self.population;
        let dists = [
            (Some(&p.age), "population.age"),
            (Some(&p.sbp), "population.sbp"),
            (Some(&p.dbp), "population.dbp"),
            (Some(&p.total_cholesterol_mg_dl), "population.totalCholesterolMgDl"),
            (Some(&p.hdl_mg_dl), "population.hdlMgDl"),
            (Some(&p.ldl_mg_dl), "population.ldlMgDl"),
            (p.egfr.as_ref(), "population.egfr"),
            (p.bmi.as_ref(), "population.bmi"),
            (p.crp_mg_l.as_ref(), "population.crpMgL"),
            (p.bp_drugs.as_ref(), "population.bpDrugs"),
        ];
        for (d, field) in dists {
            if let Some(d) = d {
                d.check(field)?;
            }
        }
        for (v, field) in [
            (p.female, "population.female"),
            (p.black, "population.black"),
            (p.current_smoker, "population.currentSmoker"),
            (p.diabetes, "population.diabetes"),
            (p.prior_cvd, "population.priorCvd"),
            (p.statin, "population.statin"),
        ] {
            check_share(v, field)?;
        }
        for (i, arm) in self.arms.iter().enumerate() {
            let field = format!("arms[{i}]");
            if arm.name.trim().is_empty() {
                return Err(bad(&format!("{field}.name"), "an arm needs a name"));
            }
            for intervention in &arm.scenario.interventions {
                intervention.validate().map_err(|e| bad(&field, e))?;
            }
            if let Some(s) = &arm.scenario.strategy {
                s.validate().map_err(|e| bad(&format!("{field}.strategy"), e.to_string()))?;
            }
        }
        Ok(())
    }
}

/// A mean and SD over participants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanSd {
    /// Mean.
    pub mean: f64,
    /// SD.
    pub sd: f64,
}

impl MeanSd {
    fn of(values: &[f64]) -> Self {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        Self { mean, sd: var.sqrt() }
    }

    /// The 95% interval of the mean.
    pub fn interval(&self, n: usize) -> Interval {
        let half = Z95 * self.sd / (n as f64).sqrt();
        Interval { estimate: self.mean, low: self.mean - half, high: self.mean + half }
    }
}

/// An estimate with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Estimate.
    pub estimate: f64,
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

impl Interval {
    /// Whether `x` lies inside.
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// What one arm gave.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmResult {
    /// Name.
    pub name: String,
    /// Participants randomised to it.
    pub participants: usize,
    /// SBP at 12 months, mmHg.
    pub sbp_12: MeanSd,
    /// LDL-C at 12 months, mg/dL.
    pub ldl_12_mg_dl: MeanSd,
    /// BP-lowering drugs at 12 months.
    pub bp_drugs_12: MeanSd,
    /// First events.
    pub events: usize,
    /// Person-years at risk (to the first event or the end of follow-up).
    pub person_years: f64,
    /// Events per 100 person-years, with its 95% interval (Poisson, on the log scale).
    pub events_per_100_person_years: Interval,
    /// Share with an event by the end of follow-up.
    pub cumulative_incidence: f64,
}

impl ArmResult {
    /// The cumulative incidence's 95% interval (normal approximation to the binomial).
    pub fn incidence_interval(&self) -> Interval {
        let n = self.participants.max(1) as f64;
        let q = self.cumulative_incidence;
        let half = Z95 * (q * (1.0 - q) / n).sqrt();
        Interval { estimate: q, low: (q - half).max(0.0), high: (q + half).min(1.0) }
    }
}

/// What a trial gave.
#[derive(Debug, Clone, PartialEq)]
pub struct TrialResult {
    /// Per arm, in the trial's order.
    pub arms: Vec<ArmResult>,
    /// First arm against the second (none with one arm, or no events in one of them).
    pub hazard_ratio: Option<Interval>,
    /// Which event models the participants took, with counts ("PREVENT 10-year total CVD: 7,812").
    pub event_models: Vec<(String, usize)>,
    /// Participants with no event model (they contribute no events).
    pub without_event_model: usize,
    /// Participants whose inputs were held inside PREVENT's ranges to give them a risk.
    pub held_in_range: usize,
}

/// One drawn participant.
#[derive(Debug, Clone)]
struct Participant {
    inputs: RiskInputs,
    dbp: f64,
    ldl_mmol: f64,
    bp_drugs: usize,
    statin: bool,
}

fn draw_normal(rng: &mut ChaCha8Rng, d: &Dist) -> f64 {
    let inside = |x: f64| d.min.is_none_or(|lo| x >= lo) && d.max.is_none_or(|hi| x <= hi);
    for _ in 0..MAX_REDRAWS {
        let z: f64 = StandardNormal.sample(rng);
        let x = d.mean + d.sd * z;
        if inside(x) {
            return x;
        }
    }
    d.mean.clamp(d.min.unwrap_or(f64::MIN), d.max.unwrap_or(f64::MAX))
}

fn stream(seed: u64, participant: usize, salt: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ (participant as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt)
}

fn draw_participant(p: &Population, seed: u64, i: usize) -> Participant {
    let mut rng = stream(seed, i, 0x434F_484F_5254);
    let mut yes = |share: f64| rng.random::<f64>() < share;
    let (female, black, smoker, diabetes, prior_cvd, statin) =
        (yes(p.female), yes(p.black), yes(p.current_smoker), yes(p.diabetes), yes(p.prior_cvd), yes(p.statin));
    let age = draw_normal(&mut rng, &p.age);
    let sbp = draw_normal(&mut rng, &p.sbp);
    let dbp = draw_normal(&mut rng, &p.dbp);
    let hdl = draw_normal(&mut rng, &p.hdl_mg_dl).max(1.0);
    let ldl = draw_normal(&mut rng, &p.ldl_mg_dl).max(1.0);
    let remainder = (p.total_cholesterol_mg_dl.mean - p.ldl_mg_dl.mean - p.hdl_mg_dl.mean).max(0.0);
    let total = ldl + hdl + remainder;
    let egfr = p.egfr.map(|d| draw_normal(&mut rng, &d).max(1.0));
    let bmi = p.bmi.map(|d| draw_normal(&mut rng, &d).max(10.0));
    let crp = p.crp_mg_l.map(|d| draw_normal(&mut rng, &d).max(0.1));
    let bp_drugs =
        p.bp_drugs.map_or(0.0, |d| draw_normal(&mut rng, &d)).round().clamp(0.0, DEFAULT_BP_SEQUENCE.len() as f64)
            as usize;
    let ascvd = (prior_cvd && crp.is_some()).then_some(AscvdHistory {
        coronary: true,
        cerebrovascular: false,
        peripheral: false,
        aortic_aneurysm: false,
        years_since_first: Some(PRIOR_CVD_YEARS),
        antithrombotic: true,
    });
    let inputs = RiskInputs {
        age,
        sex: if female { Sex::Female } else { Sex::Male },
        race: Some(if black { Race::Black } else { Race::White }),
        total_cholesterol: total / CHOLESTEROL_MG_DL_PER_MMOL_L,
        hdl_cholesterol: hdl / CHOLESTEROL_MG_DL_PER_MMOL_L,
        sbp,
        bp_treated: bp_drugs > 0,
        smoker,
        diabetes,
        egfr,
        bmi,
        statin: Some(statin),
        region: None,
        hba1c: None,
        uacr: None,
        sdi_decile: None,
        crp,
        ascvd,
        diabetes_onset_age: None,
    };
    Participant { inputs, dbp, ldl_mmol: ldl / CHOLESTEROL_MG_DL_PER_MMOL_L, bp_drugs, statin }
}

/// A participant's projection baseline, event model name, and whether its inputs were held in
/// PREVENT's ranges ([`prevent::held_in_range`]): a participant no equation takes as drawn
/// (older than 79, as SPRINT enrolled people into their nineties; cholesterol outside 130–320
/// mg/dL) takes the risk at the nearest value it accepts, an extrapolation the answer counts
/// ([`TrialResult::held_in_range`]). SCORE2-OP, which reaches 89, needs an ESC risk region that
/// a trial's table does not give.
fn baseline_of(x: &Participant, years: u32) -> (Baseline, String, bool) {
    let mut model = annual_hazards(&x.inputs, false, years);
    let capped = model.annual_hazard.is_empty();
    if capped {
        model = annual_hazards(&prevent::held_in_range(&x.inputs), false, years);
    }
    let mut current_drugs: Vec<CurrentDrug> = DEFAULT_BP_SEQUENCE[..x.bp_drugs]
        .iter()
        .map(|&class| CurrentDrug { class, dose: DoseLevel::Standard, adherence: 1.0 })
        .collect();
    if x.statin {
        current_drugs.push(CurrentDrug { class: DrugClass::Statin, dose: DoseLevel::Standard, adherence: 1.0 });
    }
    let i = &x.inputs;
    let baseline = Baseline {
        age: i.age,
        female: i.sex == crate::record::Sex::Female,
        sbp: (i.sbp, 0.0),
        dbp: (x.dbp, 0.0),
        // Not reported by a trial run: the heart model is not calibrated for a drawn
        // participant, so heart rate, LVEF and stroke volume are left out (NaN).
        heart_rate: f64::NAN,
        ldl: (x.ldl_mmol, 0.0),
        hdl: i.hdl_cholesterol,
        weight: f64::NAN,
        egfr: i.egfr,
        lvef: f64::NAN,
        ef_per_log_map: 0.0,
        ef_per_log_compliance: 0.0,
        ef_per_log_heart_rate: 0.0,
        stroke_volume: f64::NAN,
        sv_per_log_map: 0.0,
        sv_per_log_compliance: 0.0,
        sv_per_log_heart_rate: 0.0,
        smoker: i.smoker,
        smoking_log_hr: prevent::smoking_coefficient(i.sex),
        current_drugs,
        bp_response: Belief::bp_prior(),
        ldl_response: Belief::prior(),
        annual_hazard: model.annual_hazard,
        heart_failure: None,
        spread: Spread::NONE,
    };
    (baseline, model.name, capped)
}

/// One participant's course in its arm.
struct Course {
    arm: usize,
    sbp_12: f64,
    ldl_12: f64,
    drugs_12: f64,
    /// Month of the first event, if any.
    event_month: Option<usize>,
    model: String,
    has_model: bool,
    held_in_range: bool,
}

fn follow(trial: &Trial, i: usize) -> Course {
    let arm = i % trial.arms.len();
    let months = trial.follow_up_months.max(MONTH_12 as u32);
    let participant = draw_participant(&trial.population, trial.seed, i);
    let (baseline, model, held_in_range) = baseline_of(&participant, months.div_ceil(12));
    let plan = FlatPlan::new(&baseline, &trial.arms[arm].scenario, months);
    let draws = member_draws(trial.seed, i, months);
    let mut out = vec![0.0; (months as usize + 1) * N_OUTPUTS];
    run_member(&baseline, &plan, &draws, &mut out);
    let at = |month: usize, o: Output| out[month * N_OUTPUTS + o.index()];
    let has_model = !baseline.annual_hazard.is_empty();
    let u: f64 = stream(trial.seed, i, 0x4556_454E_5453).random();
    let event_month =
        has_model.then(|| (1..=trial.follow_up_months as usize).find(|&m| at(m, Output::EventRisk) >= u)).flatten();
    Course {
        arm,
        sbp_12: at(MONTH_12, Output::Sbp),
        ldl_12: at(MONTH_12, Output::Ldl) * CHOLESTEROL_MG_DL_PER_MMOL_L,
        drugs_12: at(MONTH_12, Output::BpDrugs),
        event_month,
        model,
        has_model,
        held_in_range,
    }
}

/// Runs `trial` (validate it first).
pub fn run(trial: &Trial) -> TrialResult {
    let courses: Vec<Course> = (0..trial.participants).into_par_iter().map(|i| follow(trial, i)).collect();
    let years = f64::from(trial.follow_up_months) / 12.0;
    let arms: Vec<ArmResult> = trial
        .arms
        .iter()
        .enumerate()
        .map(|(a, arm)| {
            let mine: Vec<&Course> = courses.iter().filter(|c| c.arm == a).collect();
            let column = |f: fn(&Course) -> f64| MeanSd::of(&mine.iter().map(|c| f(c)).collect::<Vec<_>>());
            let events = mine.iter().filter(|c| c.event_month.is_some()).count();
            let person_years: f64 =
                mine.iter().filter(|c| c.has_model).map(|c| c.event_month.map_or(years, |m| m as f64 / 12.0)).sum();
            ArmResult {
                name: arm.name.clone(),
                participants: mine.len(),
                sbp_12: column(|c| c.sbp_12),
                ldl_12_mg_dl: column(|c| c.ldl_12),
                bp_drugs_12: column(|c| c.drugs_12),
                events,
                person_years,
                events_per_100_person_years: rate_interval(events, person_years),
                cumulative_incidence: events as f64 / mine.len().max(1) as f64,
            }
        })
        .collect();
    let hazard_ratio = match (arms.first(), arms.get(1)) {
        (Some(a), Some(b)) if a.events > 0 && b.events > 0 => {
            let ratio = (a.events as f64 / a.person_years) / (b.events as f64 / b.person_years);
            let se = (1.0 / a.events as f64 + 1.0 / b.events as f64).sqrt();
            Some(Interval { estimate: ratio, low: ratio * (-Z95 * se).exp(), high: ratio * (Z95 * se).exp() })
        }
        _ => None,
    };
    let mut event_models: Vec<(String, usize)> = Vec::new();
    for c in courses.iter().filter(|c| c.has_model) {
        match event_models.iter_mut().find(|(name, _)| *name == c.model) {
            Some((_, n)) => *n += 1,
            None => event_models.push((c.model.clone(), 1)),
        }
    }
    event_models.sort_by_key(|m| std::cmp::Reverse(m.1));
    TrialResult {
        arms,
        hazard_ratio,
        event_models,
        without_event_model: courses.iter().filter(|c| !c.has_model).count(),
        held_in_range: courses.iter().filter(|c| c.held_in_range).count(),
    }
}

/// Events per 100 person-years with a 95% interval on the log scale (√(1/d)); with no events,
/// the upper bound is the "rule of three" (3 events' worth).
fn rate_interval(events: usize, person_years: f64) -> Interval {
    let per100 = |d: f64| 100.0 * d / person_years.max(f64::MIN_POSITIVE);
    if events == 0 {
        return Interval { estimate: 0.0, low: 0.0, high: per100(3.0) };
    }
    let d = events as f64;
    let se = (1.0 / d).sqrt();
    Interval { estimate: per100(d), low: per100(d) * (-Z95 * se).exp(), high: per100(d) * (Z95 * se).exp() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progression::scenario::Intervention;
    use crate::progression::strategy::{Strategy, TargetRule};

    fn dist(mean: f64, sd: f64) -> Dist {
        Dist { mean, sd, min: None, max: None }
    }

    fn population() -> Population {
        Population {
            age: Dist { min: Some(50.0), ..dist(66.0, 8.0) },
            female: 0.4,
            black: 0.2,
            sbp: Dist { min: Some(130.0), max: Some(180.0), ..dist(145.0, 12.0) },
            dbp: dist(82.0, 10.0),
            total_cholesterol_mg_dl: dist(200.0, 40.0),
            hdl_mg_dl: dist(50.0, 14.0),
            ldl_mg_dl: dist(120.0, 33.0),
            egfr: Some(dist(75.0, 18.0)),
            bmi: Some(dist(29.0, 5.0)),
            crp_mg_l: None,
            current_smoker: 0.15,
            diabetes: 0.0,
            prior_cvd: 0.0,
            statin: 0.3,
            bp_drugs: Some(dist(1.5, 1.0)),
        }
    }

    fn target(below: f64, review_months: f64) -> Scenario {
        Scenario {
            name: format!("< {below}"),
            interventions: Vec::new(),
            strategy: Some(Strategy {
                sbp: Some(TargetRule {
                    below,
                    review_months,
                    sequence: DEFAULT_BP_SEQUENCE.to_vec(),
                    ladder: Vec::new(),
                }),
                ldl: None,
            }),
        }
    }

    fn trial(arms: Vec<Arm>, participants: usize) -> Trial {
        Trial { participants, follow_up_months: 36, seed: 3, population: population(), arms }
    }

    #[test]
    fn a_lower_target_lowers_sbp_adds_drugs_and_events_fall() {
        let t = trial(
            vec![
                Arm { name: "intensive".into(), scenario: target(120.0, 1.0) },
                Arm { name: "standard".into(), scenario: target(140.0, 3.0) },
            ],
            4000,
        );
        t.validate().unwrap();
        let r = run(&t);
        let (a, b) = (&r.arms[0], &r.arms[1]);
        assert_eq!(a.participants + b.participants, 4000);
        assert!(a.sbp_12.mean < b.sbp_12.mean - 8.0, "{} against {}", a.sbp_12.mean, b.sbp_12.mean);
        assert!(a.bp_drugs_12.mean > b.bp_drugs_12.mean);
        let hr = r.hazard_ratio.unwrap();
        assert!(hr.low < hr.estimate && hr.estimate < hr.high);
        assert!(hr.estimate < 1.0, "intensive lowers the event rate: {hr:?}");
        assert_eq!(r.without_event_model, 0);
        assert!(r.held_in_range > 0 && r.held_in_range < 600, "the few out of range are counted: {}", r.held_in_range);
    }

    /// The same arm twice is a null trial: the rate ratio's interval holds 1.
    #[test]
    fn identical_arms_give_a_ratio_whose_interval_holds_one() {
        let nothing = || Arm { name: "placebo".into(), scenario: Scenario::current_treatment() };
        let r = run(&trial(vec![nothing(), nothing()], 6000));
        let hr = r.hazard_ratio.unwrap();
        assert!(hr.contains(1.0), "{hr:?}");
        // The same seed gives the same trial.
        assert_eq!(run(&trial(vec![nothing(), nothing()], 6000)), r);
    }

    /// A statin against nothing: LDL-C falls by about the moderate-intensity share, and the
    /// event rate with it.
    #[test]
    fn a_statin_arm_lowers_ldl_and_events() {
        let statin = Scenario::fixed(
            "statin",
            vec![Intervention::StartDrug {
                class: DrugClass::Statin,
                dose: DoseLevel::Double,
                start_month: 0,
                adherence: 1.0,
                persistence: crate::progression::scenario::Persistence::AsPrescribed,
            }],
        );
        let t = Trial {
            population: Population { statin: 0.0, ..population() },
            ..trial(
                vec![
                    Arm { name: "rosuvastatin".into(), scenario: statin },
                    Arm { name: "placebo".into(), scenario: Scenario::current_treatment() },
                ],
                4000,
            )
        };
        let r = run(&t);
        let fall = 1.0 - r.arms[0].ldl_12_mg_dl.mean / r.arms[1].ldl_12_mg_dl.mean;
        assert!((0.4..0.6).contains(&fall), "high intensity lowers LDL-C by about half: {fall}");
        assert!(r.hazard_ratio.unwrap().estimate < 1.0);
    }

    #[test]
    fn bad_specs_are_refused_naming_the_field() {
        let arms = vec![Arm { name: "a".into(), scenario: Scenario::current_treatment() }];
        let err = |t: Trial| t.validate().unwrap_err().field;
        assert_eq!(err(trial(arms.clone(), 0)), "participants");
        assert_eq!(err(trial(arms.clone(), MAX_PARTICIPANTS + 1)), "participants");
        let mut t = trial(arms.clone(), 10);
        t.population.sbp.sd = -1.0;
        assert_eq!(err(t), "population.sbp.sd");
        let mut t = trial(arms.clone(), 10);
        t.population.female = 1.2;
        assert_eq!(err(t), "population.female");
        let mut t = trial(arms.clone(), 10);
        t.population.age.min = Some(90.0);
        t.population.age.max = Some(40.0);
        assert_eq!(err(t), "population.age");
        let t = trial(vec![Arm { name: "a".into(), scenario: target(80.0, 1.0) }], 10);
        assert_eq!(err(t), "arms[0].strategy");
        let t = trial(vec![Arm { name: "a".into(), scenario: target(120.0, 0.25) }], 10);
        assert_eq!(err(t), "arms[0].strategy");
        assert!(trial(arms, 10).validate().is_ok());
    }
}
