//! The plan of care: what a cardiologist would sign. A plan is a first step (at most two drug
//! changes, as ESC 2024's algorithm orders them) and then reviews: "if still above target, the
//! next step". It is projected as a treat-to-target strategy ([`crate::progression::strategy`]):
//! every member takes the first step, and at each review a member above target takes the plan's
//! next rung, so the projection shows the BP, LDL-C, drugs and event risk of the plan, not of a
//! bundle taken at once.
//!
//! 1. **Alerts first.** The regimen on record is checked by every safety rule
//!    ([`SafetyFacts::current_alerts`]); a hazard already in it is an alert, and a drug the
//!    rules forbid (dual RAAS blockade, an ACE inhibitor after angioedema) is a step of the plan:
//!    stop or switch it.
//! 2. **Targets and indications.** BP targets by age, frailty and a low diastolic level
//!    ([`super::targets`]); LDL-C is pursued only where a statin is indicated
//!    ([`super::indications`]), with the reason named.
//! 3. **First steps.** Raise a drug taken (below its top dose), add the next class, or (untreated,
//!    SBP 20 mmHg or more above target) start a two-drug single-pill combination; for LDL-C,
//!    start or raise a statin (or switch one with no high-intensity dose to atorvastatin 40 or
//!    rosuvastatin 20 mg, one change, [`HIGH_INTENSITY_SWITCH`]), then ezetimibe, then a PCSK9
//!    inhibitor. Non-drug steps beside them: stop smoking; adherence support when the record's
//!    refills show fewer than 80% of days covered; home or ambulatory BP to confirm before
//!    intensifying on one or two readings; and no BP drug at all while a current home week is
//!    below 135/85 (a white-coat pattern: ambulatory BP confirms first).
//!    Every change is checked on the regimen it produces ([`SafetyFacts::check_change`]): a
//!    contraindicated one is excluded with its rule, a caution stays with its monitoring.
//! 4. **Reviews.** The ladder after the first step (raise, add the next class; for LDL-C the
//!    statin's intensity, ezetimibe, a PCSK9 inhibitor), each rung checked on the regimen it
//!    passes through, reviewed every [`BP_REVIEW_MONTHS`] (one month from grade 2, ESC 2024) and
//!    [`LDL_REVIEW_MONTHS`].
//! 5. **Ranking.** Plans reaching every target at [`CHECK_MONTHS`] in at least
//!    [`super::SearchConfig::probability`] of courses; among them, one whose first step treats
//!    every measure today's treatment leaves off target first (a review cannot wait on a value
//!    nothing has changed), then fewest first-step changes; when none
//!    does, the plan with the largest expected reduction in event risk (then fewest changes).
//!    Never lifestyle alone by default: lifestyle advice rides beside the drug steps.
//! 6. **Over-lowering.** A plan whose projected DBP falls below the floor for the patient
//!    ([`SafetyFacts::check_projection`]) is excluded; one projected under
//!    [`DBP_CAUTION_BELOW`] ranks after those that are not, and its reason says so.
//!
//! **Guideline set.** The targets name the set ([`Targets::guideline`]). Under ACC/AHA
//! ([`super::guideline`]) the statin indication is that set's, the lipid goal is reached when the
//! regimen holds a statin of the named intensity and LDL-C is below the non-statin threshold
//! where the guideline names one (the LDL-C ladder climbs only then), and an untreated patient
//! below the drug threshold ([`Targets::bp_drugs_from`]) gets lifestyle for BP, no BP drug. The
//! safety rules run on every regimen as under ESC.

use time::Date;

use super::indications::{familial_hypercholesterolaemia, statin_indication_under, FhFlag, StatinIndication};
use super::safety::{Alert, AppliesTo, Change, RegimenDrug, RuleId, SafetyFacts, Severity};
use super::start_dose;
use super::targets::{RiskCategory, Targets};
use super::{RiskChange, SearchConfig};
use crate::drugs::{DoseLevel, DrugClass as D, StatinIntensity};
use crate::formulary;
use crate::progression::scenario::{Intervention, Scenario};
use crate::progression::strategy::{Rung, Strategy, TargetRule};
use crate::progression::{quantile, run_ensemble, Baseline, CurrentDrug, Ensemble, EnsembleConfig, Output};
use crate::record::{MeasurementKind as K, PatientRecord};
use crate::risk::RiskInputs;

/// Months from today at which a plan is judged: a year, time for the first step and up to four
/// monthly (or three 3-monthly) reviews; ESC 2024 aims to reach target within 3 months of
/// starting treatment and to have it confirmed within the year.
pub const CHECK_MONTHS: u32 = 12;
/// BP review interval, months, below grade 2 (SBP < 160): 3 (ESC 2024: review 1–3 months after
/// a change until target).
pub const BP_REVIEW_MONTHS: f64 = 3.0;
/// SBP from which reviews are monthly: 160 mmHg (grade 2 hypertension, ESC 2024).
pub const MONTHLY_REVIEW_FROM_SBP: f64 = 160.0;
/// LDL-C review interval, months: 3 (ESC/EAS 2019 checks lipids 4–12 weeks after each change;
/// the upper end, when the clinic sees the patient again).
pub const LDL_REVIEW_MONTHS: f64 = 3.0;
pub use super::targets::{LOW_DBP_MMHG, RELAXED_SBP_BELOW};
/// Share of days covered below which adherence support is a first step: 80%, the usual cut-off
/// for adherence by proportion of days covered (Vrijens B et al. BMJ 2008; ESC 2024 recommends
/// assessing adherence before intensifying).
pub const ADHERENCE_SUPPORT_BELOW: f64 = 0.8;
/// Share of days covered that adherence support is projected to reach: 90% (an assumption: the
/// effect of adherence interventions in trials is modest, Cochrane review of interventions for
/// enhancing medication adherence, Nieuwlaat R et al. 2014).
pub const ADHERENCE_SUPPORTED: f64 = 0.9;
/// Office readings below which BP is confirmed out of office before it is intensified: 3 (ESC
/// 2024: diagnosis and treatment decisions on repeated office readings, confirmed with home or
/// ambulatory BP where possible).
pub const CONFIRM_BELOW_READINGS: usize = 3;
/// Projected diastolic BP (median, at [`CHECK_MONTHS`]) below which a plan ranks after those
/// that stay above it, and its leading reason says so, mmHg: 60. Not a floor that excludes the
/// plan (that one, [`super::safety`]'s `DbpFloor`, is for coronary disease and age 80 or over):
/// ESC 2024 sets a diastolic target of 70–79 mmHg and does not withhold treatment for a low
/// diastolic level (its ISH wording: SBP lowered to 130–139 where 120–129 is not tolerated), and
/// no guideline the twin cites states a diastolic floor for other patients; INVEST (Messerli et
/// al., Ann Intern Med 2006;144:884) and ONTARGET/TRANSCEND (Böhm et al., Lancet 2017;389:2226)
/// saw more events below 60–70 mmHg, so the clinician is told, not overruled.
pub const DBP_CAUTION_BELOW: f64 = 60.0;
/// A lab result counts as recent for a plan's safety for a year (ESC 2024: potassium, sodium and
/// creatinine at baseline and after each RAAS, diuretic or MRA change).
const RECENT_LAB_DAYS: i64 = 365;
/// BP drugs on record from which a patient above target has resistant hypertension: 3 (ESC
/// 2024 definition: uncontrolled on three drugs including a diuretic, at optimal doses).
const RESISTANT_FROM_DRUGS: usize = 3;
/// Highest potassium at which spironolactone is added for resistant hypertension, mmol/L
/// (PATHWAY-2 eligibility).
const MRA_MAX_POTASSIUM: f64 = 4.5;
/// Lowest eGFR at which spironolactone is added for resistant hypertension (PATHWAY-2).
const MRA_MIN_EGFR: f64 = 45.0;
/// Days per month, rounded up, for the BP freshness check: 31.
const DAYS_PER_MONTH_ROUNDED: i64 = 31;
/// SBP above target from which a two-drug combination is started rather than one drug: 20 mmHg
/// (ACC/AHA 2017 §8.1.6: two drugs when BP is more than 20/10 above target; ESC 2024: a
/// two-drug single-pill combination for most).
pub const COMBINATION_FROM_MMHG_ABOVE: f64 = 20.0;
/// The high-intensity statins a plan switches to from a statin with no high-intensity dose, at
/// their lowest high-intensity dose: atorvastatin 40 mg and rosuvastatin 20 mg (ACC/AHA 2018
/// cholesterol guideline, Grundy et al., Circulation 2019;139:e1082, Table 3: high intensity,
/// ≥ 50 % LDL-C lowering, is atorvastatin 40–80 and rosuvastatin 20–40; pravastatin 40–80 and
/// simvastatin 20–40 are moderate intensity at most, simvastatin 80 not recommended, FDA 2011).
/// ESC/EAS 2019 (Mach et al., Eur Heart J 2020;41:111), recommendations for pharmacological
/// LDL-C lowering: a high-intensity statin up to the highest tolerated dose (class I), then
/// ezetimibe if the goal is not reached (class I).
pub const HIGH_INTENSITY_SWITCH: [(&str, f64); 2] = [("atorvastatin", 40.0), ("rosuvastatin", 20.0)];

/// What a change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Start a drug.
    Start,
    /// Raise a drug's dose.
    Raise,
    /// Lower a drug's dose.
    Lower,
    /// Stop a drug.
    Stop,
    /// Replace one drug by another.
    Switch,
    /// A lifestyle change (including stopping smoking and adherence support).
    Lifestyle,
    /// Confirm a value before acting on it (home or ambulatory BP).
    Confirm,
    /// Refer (specialist, device assessment).
    Refer,
}

impl Action {
    /// Machine key.
    pub fn key(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::Raise => "raise",
            Action::Lower => "lower",
            Action::Stop => "stop",
            Action::Switch => "switch",
            Action::Lifestyle => "lifestyle",
            Action::Confirm => "confirm",
            Action::Refer => "refer",
        }
    }
}

/// One change of a step.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedChange {
    /// What it does.
    pub action: Action,
    /// The class started, raised or stopped (the new one, for a switch).
    pub class: Option<D>,
    /// The class replaced, for a switch.
    pub from: Option<D>,
    /// The dose after the change.
    pub dose: Option<DoseLevel>,
    /// The agent to name, where the plan chooses one (in pregnancy: labetalol, nifedipine,
    /// methyldopa); else the one on record or the class's usual one.
    pub agent: Option<&'static str>,
    /// The exact daily dose, mg, where the plan names one off the dose levels (a heart-failure
    /// start at bisoprolol 1.25 mg, a titration rung); else the level's dose.
    pub daily_mg: Option<f64>,
    /// Why this change, where the step's reason does not say it (an AF alert acted on).
    pub reason: Option<String>,
    /// For people ("raise ACE inhibitor to double dose").
    pub label: String,
}

impl PlannedChange {
    pub(super) fn drug(action: Action, class: D, from: Option<D>, dose: Option<DoseLevel>) -> Self {
        let name = class.in_words();
        let label = match (action, dose) {
            (Action::Start, Some(d)) => format!("start {name}{}", dose_words(class, d)),
            (Action::Raise, Some(d)) => format!("raise {name} to{}", dose_words(class, d).replacen(" at", "", 1)),
            (Action::Lower, Some(d)) => format!("lower {name} to{}", dose_words(class, d).replacen(" at", "", 1)),
            (Action::Stop, _) => format!("stop {name}"),
            (Action::Switch, _) => {
                format!("switch {} to {name}", from.map_or_else(String::new, D::in_words))
            }
            _ => name,
        };
        Self { action, class: Some(class), from, dose, agent: None, daily_mg: None, reason: None, label }
    }

    pub(super) fn other(action: Action, label: &str) -> Self {
        Self {
            action,
            class: None,
            from: None,
            dose: None,
            agent: None,
            daily_mg: None,
            reason: None,
            label: label.to_string(),
        }
    }

    fn is_drug(&self) -> bool {
        self.class.is_some()
    }
}

/// " at standard dose", " at high intensity".
fn dose_words(class: D, dose: DoseLevel) -> String {
    match (class, dose) {
        (D::Statin, DoseLevel::Half) => " at low intensity".into(),
        (D::Statin, DoseLevel::Standard) => " at moderate intensity".into(),
        (D::Statin, DoseLevel::Double) => " at high intensity".into(),
        (D::Ezetimibe | D::Pcsk9Inhibitor, _) => String::new(),
        (_, d) => format!(" at {} dose", d.label()),
    }
}

/// One step of a plan: now, or at a review if still above target.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanStep {
    /// Month from today.
    pub month: u32,
    /// When, in words ("now", "at the 3-month review if SBP is still 130 mmHg or more").
    pub when: String,
    /// The changes.
    pub changes: Vec<PlannedChange>,
    /// Labs and visits the step needs.
    pub checks: Vec<String>,
    /// Why this step.
    pub why: String,
    /// Cautions of the safety rules, with their monitoring.
    pub alerts: Vec<Alert>,
}

/// Median and 5–95 % band of one output at a month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Which output.
    pub output: Output,
    /// Median.
    pub median: f64,
    /// 5th percentile.
    pub p05: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// A plan of care.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// A short label: the first step's changes.
    pub label: String,
    /// Now, then the reviews.
    pub steps: Vec<PlanStep>,
    /// What the twin simulates (the first step and the strategy of reviews).
    pub scenario: Scenario,
    /// Share of courses at every target at [`CHECK_MONTHS`].
    pub probability: f64,
    /// Share at the BP target.
    pub probability_bp: f64,
    /// Share at the LDL-C target.
    pub probability_ldl: f64,
    /// SBP, DBP, LDL-C, heart rate and BP drugs at [`CHECK_MONTHS`].
    pub effects: Vec<Band>,
    /// Event risk against today's treatment at the outcome's horizon (ten years; in heart
    /// failure, death from any cause at three).
    pub risk: Option<RiskChange>,
    /// In heart failure, a first HF hospitalisation at three years against today's treatment.
    pub hospitalisation: Option<RiskChange>,
}

impl Plan {
    /// Drug changes in the first step that add or raise (a stop is a correction beside them).
    pub fn first_step_drug_changes(&self) -> usize {
        // Anticoagulation is not BP or lipid treatment: the two-change rule is about those.
        let counted = |c: &&PlannedChange| c.is_drug() && c.action != Action::Stop && c.class != Some(D::Anticoagulant);
        self.steps.first().map_or(0, |s| s.changes.iter().filter(counted).count())
    }

    /// Whether the first step starts, raises or switches to a drug of a class `treats` names.
    fn first_step_treats(&self, treats: impl Fn(D) -> bool) -> bool {
        self.steps.first().is_some_and(|s| {
            s.changes.iter().any(|c| c.is_drug() && c.action != Action::Stop && c.class.is_some_and(&treats))
        })
    }
}

/// A change never proposed, and the rule that forbade it.
#[derive(Debug, Clone, PartialEq)]
pub struct Excluded {
    /// The change as people read it.
    pub label: String,
    /// The contraindication.
    pub alerts: Vec<Alert>,
}

/// What the plan search found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Today's treatment reaches the targets and nothing in the regimen needs changing.
    NoChange,
    /// The first plan reaches every target.
    Reaches,
    /// No plan reaches every target in enough courses; the first lowers event risk most.
    NoneReaches,
    /// Heart failure: guideline-directed therapy, ranked by death from any cause at three years.
    HeartFailure,
}

/// The answer: alerts, targets, plans, exclusions.
#[derive(Debug, Clone, PartialEq)]
pub struct CarePlan {
    /// The targets, with their sources.
    pub targets: Targets,
    /// Whether a statin is indicated, and why.
    pub statin: StatinIndication,
    /// Familial hypercholesterolaemia by the Dutch Lipid Clinic Network score, where the record
    /// holds LDL-C.
    pub fh: Option<FhFlag>,
    /// Hazards in the regimen on record.
    pub alerts: Vec<Alert>,
    /// What was found.
    pub outcome: Outcome,
    /// Today's treatment, projected.
    pub current: Plan,
    /// Plans, best first.
    pub plans: Vec<Plan>,
    /// Changes never proposed.
    pub excluded: Vec<Excluded>,
    /// Why the first plan, in words.
    pub why: String,
    /// Why no event-risk reduction is given, where none is.
    pub risk_note: Option<String>,
}

/// The next dose level of `drug`, where its agent (the one on record, else the class's usual
/// one) has a higher rung: a change to a drug at its maximum is never proposed (ezetimibe and
/// the PCSK9 inhibitors have one dose; indapamide's 2.5 mg is its top).
fn next_dose(drug: &RegimenDrug) -> Option<DoseLevel> {
    let up = match drug.dose {
        DoseLevel::Half => DoseLevel::Standard,
        DoseLevel::Standard => DoseLevel::Double,
        DoseLevel::Double => return None,
    };
    let now = formulary::name_dose(drug.class, drug.dose, drug.agent.as_deref());
    let next = formulary::name_dose(drug.class, up, drug.agent.as_deref());
    (next.exact && next.daily_mg > drug.daily_mg.unwrap_or(now.daily_mg) && next.agent == now.agent).then_some(up)
}

/// `drug` raised to `to`, said in doublings where that is more than one
/// ([`start_dose::titration_words`]: ramipril started at 1.25 mg is not raised to 5 mg at once).
fn raise_change(drug: &RegimenDrug, to: DoseLevel) -> PlannedChange {
    let mut planned = PlannedChange::drug(Action::Raise, drug.class, None, Some(to));
    let now = formulary::name_dose(drug.class, drug.dose, drug.agent.as_deref());
    let next = formulary::name_dose(drug.class, to, drug.agent.as_deref());
    if let Some(agent) = formulary::agent_by_name(next.agent) {
        planned.reason = start_dose::titration_words(agent, drug.daily_mg.unwrap_or(now.daily_mg), next.daily_mg);
    }
    planned
}

/// The BP classes a plan adds, in order (ESC 2024 treatment algorithm: an ACE inhibitor or ARB
/// with a dihydropyridine CCB, then a thiazide-like diuretic, then spironolactone for resistant
/// hypertension (PATHWAY-2), then a beta-blocker); in pregnancy, the safety rules' options.
fn bp_sequence(facts: &SafetyFacts, mra_eligible: bool) -> Vec<D> {
    if facts.pregnant() {
        return super::safety::pregnancy_options().to_vec();
    }
    let mut v = vec![D::AceInhibitor, D::Arb, D::CalciumChannelBlocker, D::Thiazide];
    if mra_eligible {
        v.push(D::Mra);
    }
    // A beta-blocker for BP only with an indication of its own (ESC 2024: angina, after MI,
    // heart failure with reduced EF, rate control).
    if facts.beta_blocker_indicated() {
        v.push(D::BetaBlocker);
    }
    v
}

/// What a plan search needs.
struct Search<'a> {
    baseline: &'a Baseline,
    facts: &'a SafetyFacts,
    targets: &'a Targets,
    config: &'a SearchConfig,
    excluded: Vec<Excluded>,
    /// Whether the LDL-C target is pursued (a statin is indicated); when not, plans are judged
    /// on BP alone.
    ldl_pursued: bool,
    /// Whether spironolactone may be started or raised (a recent potassium of 4.5 or less, eGFR
    /// 45 or more).
    mra_eligible: bool,
    /// How many times a day the record says each class on it is taken, where it says
    /// ([`record_times_daily`]): a BP raise keeps the schedule.
    times_daily: Vec<(D, u8)>,
}

/// How many times a day the record says each of today's drugs is taken, by class, where its text
/// says ([`start_dose::times_daily_in_text`]).
fn record_times_daily(record: &PatientRecord, today: Date) -> Vec<(D, u8)> {
    record
        .active_medications(today)
        .filter_map(|m| Some((m.class?, start_dose::times_daily_in_text(&m.display)?)))
        .collect()
}

/// A statin's intensity by its dose level, as the twin models it ([`crate::progression::ldl_fraction`]:
/// half = low, standard = moderate, double = high).
fn statin_level(intensity: StatinIntensity) -> DoseLevel {
    match intensity {
        StatinIntensity::Low => DoseLevel::Half,
        StatinIntensity::Moderate => DoseLevel::Standard,
        StatinIntensity::High => DoseLevel::Double,
    }
}

fn dose_rank(d: DoseLevel) -> u8 {
    match d {
        DoseLevel::Half => 0,
        DoseLevel::Standard => 1,
        DoseLevel::Double => 2,
    }
}

/// Whether `regimen` holds the statin intensity the targets ask for (always, where they ask for
/// none: ESC's goal is an LDL-C value).
fn intensity_held(targets: &Targets, regimen: &[RegimenDrug]) -> bool {
    match targets.ldl_intensity.and_then(|g| g.intensity) {
        None => true,
        Some(needed) => {
            regimen.iter().any(|r| r.class == D::Statin && dose_rank(r.dose) >= dose_rank(statin_level(needed)))
        }
    }
}

/// The LDL-C the lipid goal judges against, mmol/L: ESC's goal; under ACC/AHA the non-statin
/// threshold, where the guideline names one.
fn ldl_threshold(targets: &Targets) -> Option<f64> {
    match targets.ldl_intensity {
        None => Some(targets.ldl_below_mmol),
        Some(goal) => goal.add_nonstatin_from_mmol,
    }
}

impl Search<'_> {
    /// Whether a BP step may raise `drug` to `to` ([`start_dose::bp_raise_barred`]).
    fn bp_raise_ok(&self, drug: &RegimenDrug, to: DoseLevel) -> bool {
        let times = self.times_daily.iter().find(|(c, _)| *c == drug.class).map(|(_, n)| *n);
        start_dose::bp_raise_barred(drug, to, times, self.facts).is_none()
    }

    /// `class` started at `level` on `regimen` (with `with`, started in the same step): an ACE
    /// inhibitor or ARB at the label's low start where the facts call for one
    /// ([`start_dose::ras_low_start`]), the dose named and the reason given, the twin projecting
    /// the level of that dose; every other start as asked.
    fn start(&self, class: D, level: DoseLevel, regimen: &[RegimenDrug], with: &[D]) -> (Change, PlannedChange) {
        let mut beside = regimen.to_vec();
        beside.extend(
            with.iter().map(|c| RegimenDrug::agent(*c, DoseLevel::Standard, formulary::preferred_agent(*c).name, None)),
        );
        match start_dose::ras_low_start(class, None, self.facts, &beside) {
            Some(low) => {
                let asked = formulary::name_dose(class, level, Some(low.agent.name)).daily_mg;
                let mg = low.daily_mg.min(asked);
                let level = DoseLevel::from_ratio(mg / low.agent.standard_daily_mg);
                let mut planned = PlannedChange::drug(Action::Start, class, None, Some(level));
                planned.agent = Some(low.agent.name);
                planned.daily_mg = Some(mg);
                planned.reason = Some(low.reason);
                (Change::Start(class, level), planned)
            }
            None => (Change::Start(class, level), PlannedChange::drug(Action::Start, class, None, Some(level))),
        }
    }

    /// `change` applied to `regimen`, or `None` when a rule forbids it (kept for the clinician).
    fn check(
        &mut self,
        regimen: &[RegimenDrug],
        change: Change,
        label: &str,
    ) -> Option<(Vec<RegimenDrug>, Vec<Alert>)> {
        self.check_after(regimen, change, change.apply(regimen), label)
    }

    /// [`Self::check`] for a planned change that names its agent (a statin switch): the rules
    /// run on the regimen with that agent in it, so an agent-specific rule sees it.
    fn check_planned(
        &mut self,
        regimen: &[RegimenDrug],
        change: Change,
        planned: &PlannedChange,
    ) -> Option<(Vec<RegimenDrug>, Vec<Alert>)> {
        self.check_after(regimen, change, named_after(regimen, change, planned), &planned.label)
    }

    fn check_after(
        &mut self,
        regimen: &[RegimenDrug],
        change: Change,
        after: Vec<RegimenDrug>,
        label: &str,
    ) -> Option<(Vec<RegimenDrug>, Vec<Alert>)> {
        let alerts = self.facts.check_change(regimen, &change, &after);
        if alerts.iter().any(|a| a.severity == Severity::Contraindicated) {
            if !self.excluded.iter().any(|e| e.label == label) {
                let alerts = alerts.into_iter().filter(|a| a.severity == Severity::Contraindicated).collect();
                self.excluded.push(Excluded { label: label.to_string(), alerts });
            }
            return None;
        }
        Some((after, alerts))
    }

    /// The ladder from `regimen`: each rung allowed on the regimen it passes through, with the
    /// change as people read it where the rung alone does not say it (a statin switched to a
    /// high-intensity one is, for the twin, the statin raised to high intensity).
    fn ladder(&mut self, regimen: &[RegimenDrug], sequence: &[D], acts: fn(D) -> bool, bp: bool) -> Vec<LadderRung> {
        let mut now = regimen.to_vec();
        let mut rungs: Vec<LadderRung> = Vec::new();
        let mut tried: Vec<D> = Vec::new();
        loop {
            // A statin at the top of an agent with no high-intensity dose: switched before
            // ezetimibe is added, where a switch passes the rules ([`HIGH_INTENSITY_SWITCH`]).
            let stuck_statin = now
                .iter()
                .find(|r| {
                    !bp && acts(r.class)
                        && r.class == D::Statin
                        && !tried.contains(&D::Statin)
                        && next_dose(r).is_none()
                        && needs_switch_for_high_intensity(r)
                })
                .cloned();
            if let Some(statin) = stuck_statin {
                tried.push(D::Statin);
                let switched = statin_switches(&statin).into_iter().find_map(|(change, planned)| {
                    self.check_planned(&now, change, &planned).map(|(after, alerts)| (after, alerts, planned))
                });
                if let Some((after, alerts, planned)) = switched {
                    now = after;
                    rungs.push((Rung::Raise(D::Statin, DoseLevel::Double), alerts, Some(planned)));
                    if rungs.len() >= 8 {
                        break;
                    }
                    continue;
                }
            }
            let rank = |c: D| sequence.iter().position(|s| *s == c).unwrap_or(usize::MAX);
            let raisable = |half_only: bool| {
                let mut v: Vec<(D, DoseLevel)> = now
                    .iter()
                    .filter(|r| acts(r.class) && !tried.contains(&r.class) && (!half_only || r.dose == DoseLevel::Half))
                    .filter(|r| r.class != D::Mra || self.mra_eligible)
                    .filter_map(|r| next_dose(r).filter(|to| !bp || self.bp_raise_ok(r, *to)).map(|to| (r.class, to)))
                    .collect();
                v.sort_by_key(|(c, _)| rank(*c));
                v.first().copied()
            };
            let raise = raisable(bp);
            let full = if bp { raisable(false) } else { None };
            // Spironolactone only once the others are at full dose (ESC 2024, resistant
            // hypertension: triple therapy at maximal tolerated doses first; PATHWAY-2).
            let add = sequence.iter().copied().find(|c| {
                let raas = |k: &D| matches!(k, D::AceInhibitor | D::Arb);
                let taken = now.iter().any(|r| r.class == *c);
                let raas_taken = now.iter().any(|r| raas(&r.class));
                !(taken || tried.contains(c) || (raas(c) && raas_taken) || (*c == D::Mra && full.is_some()))
            });
            let raised = |c: D, to: DoseLevel| {
                now.iter()
                    .find(|r| r.class == c)
                    .map_or_else(|| PlannedChange::drug(Action::Raise, c, None, Some(to)), |r| raise_change(r, to))
            };
            let (rung, change, planned) = if let Some((c, to)) = raise {
                (Rung::Raise(c, to), Change::Raise(c, to), raised(c, to))
            } else if let Some(c) = add {
                let (change, planned) = self.start(c, start_dose(c), &now, &[]);
                let d = planned.dose.unwrap_or_else(|| start_dose(c));
                (Rung::Add(c, d), change, planned)
            } else if let Some((c, to)) = full {
                (Rung::Raise(c, to), Change::Raise(c, to), raised(c, to))
            } else {
                break;
            };
            let class = match rung {
                Rung::Raise(c, _) | Rung::Add(c, _) => c,
            };
            // A start at a named dose (a low start) is checked and carried with its name; a raise
            // in doublings is carried with its words.
            let checked = if planned.daily_mg.is_some() {
                self.check_planned(&now, change, &planned)
            } else {
                self.check(&now, change, &planned.label)
            };
            let named = (planned.daily_mg.is_some() || planned.reason.is_some()).then_some(planned);
            match checked {
                Some((after, alerts)) => {
                    now = after;
                    rungs.push((rung, alerts, named));
                }
                None => tried.push(class),
            }
            if rungs.len() >= 8 {
                break;
            }
        }
        rungs
    }
}

/// A rung of a review ladder: what the twin does, the cautions on the regimen it makes, and the
/// change as people read it where the rung alone does not say it.
type LadderRung = (Rung, Vec<Alert>, Option<PlannedChange>);

/// The regimen after `change`, with the agent and daily dose `planned` names on the drug it
/// starts (a switch to atorvastatin 40 mg is that, not "a statin").
fn named_after(regimen: &[RegimenDrug], change: Change, planned: &PlannedChange) -> Vec<RegimenDrug> {
    let mut after = change.apply(regimen);
    if let (Some(agent), Some(class), true) = (planned.agent, change.intensifies(), change.starts()) {
        if let Some(drug) = after.iter_mut().rev().find(|d| d.class == class) {
            drug.agent = Some(agent.to_string());
            drug.daily_mg = planned.daily_mg;
        }
    }
    after
}

/// Whether the statin `taken` cannot be raised to high intensity as the same agent: it is below
/// high intensity and its agent has no high-intensity dose (pravastatin, simvastatin at most
/// 40 mg; [`HIGH_INTENSITY_SWITCH`]). An agent the formulary does not hold is not judged.
fn needs_switch_for_high_intensity(taken: &RegimenDrug) -> bool {
    let Some(agent) = taken.agent.as_deref().and_then(formulary::agent_by_name) else { return false };
    let high = formulary::name_dose(D::Statin, DoseLevel::Double, Some(agent.name));
    dose_rank(taken.dose) < dose_rank(DoseLevel::Double) && !(high.exact && high.agent == agent.name)
}

/// The switches from statin `taken` to each of [`HIGH_INTENSITY_SWITCH`]: one change each (stop
/// the one, start the other), as the ACE inhibitor → ARNI switch is.
fn statin_switches(taken: &RegimenDrug) -> Vec<(Change, PlannedChange)> {
    HIGH_INTENSITY_SWITCH
        .iter()
        .map(|(agent, mg)| {
            let mut planned = PlannedChange::drug(Action::Switch, D::Statin, Some(D::Statin), Some(DoseLevel::Double));
            planned.agent = Some(agent);
            planned.daily_mg = Some(*mg);
            planned.label =
                format!("switch {} to {agent} {} mg (high intensity)", taken.name(), formulary::describe_mg(*mg));
            planned.reason = Some(format!(
                "{} has no high-intensity dose (ACC/AHA 2018 Table 3); a high-intensity statin comes before ezetimibe \
                 (ESC/EAS 2019)",
                taken.short_name()
            ));
            (Change::Switch(D::Statin, D::Statin, DoseLevel::Double), planned)
        })
        .collect()
}

/// The dose a class is started at: standard (statins: moderate intensity, raised at review).
fn start_dose(_class: D) -> DoseLevel {
    DoseLevel::Standard
}

fn share(e: &Ensemble, pass: impl Fn(usize) -> bool) -> f64 {
    (0..e.members).filter(|m| pass(*m)).count() as f64 / e.members as f64
}

fn band(e: &Ensemble, month: usize, output: Output) -> Band {
    let mut v: Vec<f64> = (0..e.members).map(|m| e.get(m, month, output)).collect();
    Band { output, p05: quantile(&mut v, 0.05), median: quantile(&mut v, 0.5), p95: quantile(&mut v, 0.95) }
}

/// Labs and visits after a first step or rung, by what it touches.
pub(super) fn checks_for(classes: &[D], bp: bool, ldl: bool, labs_missing: bool) -> Vec<String> {
    let mut out = Vec::new();
    let touches_electrolytes = classes
        .iter()
        .any(|c| matches!(c, D::AceInhibitor | D::Arb | D::Arni | D::Mra | D::Thiazide | D::LoopDiuretic));
    if touches_electrolytes && labs_missing {
        out.push(
            "potassium, sodium and creatinine BEFORE the change: none on record from the last year (the safety rules could not check them)"
                .to_string(),
        );
    }
    if touches_electrolytes {
        out.push(
            "potassium, sodium and creatinine 1–2 weeks after the change (ESC 2024; ESC 2021 heart failure for MRAs)"
                .to_string(),
        );
    }
    if classes.iter().any(|c| matches!(c, D::BetaBlocker | D::NonDihydropyridineCcb)) {
        out.push("heart rate (and ECG if slow) at the next visit".to_string());
    }
    if bp {
        out.push("home BP for a week before the review; office BP at the review".to_string());
    }
    if ldl {
        out.push("lipid profile 4–12 weeks after the change (ESC/EAS 2019)".to_string());
    }
    out
}

/// Builds the plan of care for the patient of `record`, whose twin's projection baseline is
/// `baseline` and whose equations' inputs are `inputs`.
pub fn plan_care(
    record: &PatientRecord,
    today: Date,
    baseline: &Baseline,
    inputs: &RiskInputs,
    targets: Targets,
    config: SearchConfig,
) -> CarePlan {
    let facts = SafetyFacts::of(record, today);
    // Diastolic BP already below 70 (isolated systolic hypertension of older people): SBP is
    // lowered cautiously, to 130–139 mmHg ([`super::targets::with_low_dbp`], which
    // [`super::targets_under`] has already applied for targets from it; applied again here for
    // targets built otherwise, with the same figure), starting at half doses, so DBP is not
    // driven under 60.
    let cautious = baseline.dbp.0 < LOW_DBP_MMHG;
    let targets = super::targets::with_low_dbp(targets, Some(baseline.dbp.0));
    let start_level = if cautious { DoseLevel::Half } else { DoseLevel::Standard };
    let on_record = RegimenDrug::from_record(record, today);
    let alerts = facts.current_alerts(&on_record);
    let statin = statin_indication_under(targets.guideline, record, today, inputs);
    let fh = familial_hypercholesterolaemia(record, today);
    let ldl_pursued = statin.indicated;
    // Heart failure: guideline-directed therapy first (its own plan, ranked by death); where it
    // has nothing to add, BP and lipid care as usual.
    if baseline.heart_failure.is_some() {
        if let Some(care) = heart_failure_care(
            record,
            today,
            baseline,
            &facts,
            &on_record,
            alerts.clone(),
            targets.clone(),
            statin.clone(),
            fh.clone(),
            config,
        ) {
            return care;
        }
    }
    let mut search = Search {
        baseline,
        facts: &facts,
        targets: &targets,
        config: &config,
        excluded: Vec::new(),
        ldl_pursued,
        mra_eligible: false,
        times_daily: record_times_daily(record, today),
    };
    let current = project(&search, "no change", Vec::new(), Scenario::current_treatment(), &on_record);
    let bp_unmet = current.probability_bp < config.probability;
    // ACC/AHA 2017: an untreated patient below the drug threshold (stage 1 at low risk) gets
    // lifestyle for BP, no BP drug (the targets' reason says why).
    let above_drug_threshold = targets.bp_drugs_from.is_none_or(|(s, d)| baseline.sbp.0 >= s || baseline.dbp.0 >= d);
    // A current home week below 135/85 while office BP is above target: a white-coat pattern.
    // No BP drug is added or raised on office readings alone; ambulatory BP confirms first.
    let white_coat = if bp_unmet { home_below_threshold(record, today, config.bp_fresh_months) } else { None };
    let bp_drugs = above_drug_threshold && white_coat.is_none();
    let lifestyle_bp = bp_unmet && !bp_drugs;
    let ldl_unmet = ldl_pursued && current.probability_ldl < config.probability;
    let must_change: Vec<&Alert> = alerts
        .iter()
        .filter(|a| a.severity == Severity::Contraindicated && a.applies_to == AppliesTo::Current)
        .collect();
    // Atrial fibrillation's alerts as changes made first: anticoagulation, its dose, the rate.
    let af_first = super::af_care::actions(&facts, &on_record);
    if !bp_unmet && !ldl_unmet && must_change.is_empty() && af_first.is_empty() && !baseline.smoker {
        return CarePlan {
            why: format!(
                "today's treatment already reaches the targets in {:.0}% of simulated courses at {CHECK_MONTHS} months (≥ {:.0}% needed), and nothing in the regimen needs changing",
                current.probability.min(current.probability_bp) * 100.0,
                config.probability * 100.0
            ),
            targets,
            statin,
            fh,
            alerts,
            outcome: Outcome::NoChange,
            current,
            plans: Vec::new(),
            excluded: Vec::new(),
            risk_note: None,
        };
    }

    // Removals first: a drug the rules forbid in the regimen on record is stopped (the second
    // of a dual RAAS blockade, an ACE inhibitor after angioedema) before anything is added.
    let mut regimen = on_record.clone();
    let mut removals: Vec<PlannedChange> = Vec::new();
    let mut removal_interventions: Vec<Intervention> = Vec::new();
    for alert in &must_change {
        if let Some(&class) = alert.classes.last() {
            if regimen.iter().any(|r| r.class == class) && !removals.iter().any(|r| r.class == Some(class)) {
                regimen = Change::Stop(class).apply(&regimen);
                removals.push(PlannedChange::drug(Action::Stop, class, None, None));
                removal_interventions.push(Intervention::StopDrug { class, month: 0 });
            }
        }
    }

    for (change, safety) in af_first {
        if removals.iter().any(|r| r.class == change.class) {
            continue;
        }
        regimen = super::af_care::applied(&regimen, &change, safety);
        removal_interventions.extend(to_interventions(safety, 0, baseline));
        removals.push(change);
    }

    // Non-drug steps beside the drugs.
    let mut beside: Vec<(PlannedChange, Vec<Intervention>)> = Vec::new();
    if baseline.smoker {
        beside.push((
            PlannedChange::other(Action::Lifestyle, "stop smoking (counselling and pharmacotherapy)"),
            vec![Intervention::SmokingCessation { month: 0 }],
        ));
    }
    let adherence = mean_adherence(baseline);
    let adherence_first = adherence < ADHERENCE_SUPPORT_BELOW && !baseline.current_drugs.is_empty();
    if adherence_first {
        beside.push((
            PlannedChange::other(
                Action::Lifestyle,
                &format!(
                    "adherence support (refills cover {:.0}% of days): pill organiser, once-daily or single-pill regimen, pharmacist follow-up",
                    adherence * 100.0
                ),
            ),
            vec![Intervention::Adherence { level: ADHERENCE_SUPPORTED, start_month: 0 }],
        ));
    }
    let n_sbp = record.series(K::Sbp).len();
    let sbp_now = baseline.sbp.0;
    // BP is confirmed out of office before it is intensified when few readings drive the plan,
    // or when the last is older than the freshness limit (the twin's estimate of today's BP is
    // then wide, and the patient's BP may have moved).
    let last_bp_days = record.latest(K::Sbp).map(|s| (today - s.date).whole_days());
    let stale_bp = last_bp_days.is_some_and(|d| d > i64::from(config.bp_fresh_months) * DAYS_PER_MONTH_ROUNDED);
    let confirm = bp_unmet && bp_drugs && (n_sbp < CONFIRM_BELOW_READINGS || stale_bp);
    if confirm {
        let why = if n_sbp < CONFIRM_BELOW_READINGS {
            format!("{n_sbp} office reading{} on record", if n_sbp == 1 { "" } else { "s" })
        } else {
            format!("the last reading is {} days old", last_bp_days.unwrap_or_default())
        };
        beside.push((
            PlannedChange::other(
                Action::Confirm,
                &format!(
                    "confirm with home or ambulatory BP before intensifying ({why}); new or raised drugs start then"
                ),
            ),
            Vec::new(),
        ));
    }
    if let Some(home) = &white_coat {
        beside.push((
            PlannedChange::other(
                Action::Confirm,
                &format!(
                    "home BP {:.0}/{:.0} mmHg (mean of {} readings, {} to {}) is below the home threshold 135/85 while \
                     office BP is above target: a white-coat pattern; confirm with ambulatory BP before changing BP \
                     treatment",
                    home.systolic, home.diastolic, home.n_readings, home.first_day, home.last_day
                ),
            ),
            Vec::new(),
        ));
    }
    // Above target on three or more drugs: resistant hypertension, worked up before more drugs
    // (ESC 2024: confirm with ambulatory BP, check adherence, screen for secondary causes such
    // as primary aldosteronism and sleep apnoea, review interfering drugs; refer).
    let n_bp_drugs = on_record.iter().filter(|r| r.class.lowers_bp()).count();
    if bp_unmet && n_bp_drugs >= RESISTANT_FROM_DRUGS {
        beside.push((
            PlannedChange::other(
                Action::Refer,
                "resistant hypertension work-up: ambulatory BP, adherence, screening for primary aldosteronism and sleep apnoea, interfering drugs; refer to a hypertension specialist",
            ),
            Vec::new(),
        ));
    }
    if bp_unmet {
        beside.push((
            PlannedChange::other(Action::Lifestyle, "salt reduction and the DASH diet"),
            vec![Intervention::DashDiet { start_month: 0 }, Intervention::SodiumReduction { start_month: 0 }],
        ));
    }

    // First-step options: BP.
    // Spironolactone for resistant hypertension needs a recent potassium of 4.5 or less and an
    // eGFR of 45 or more (PATHWAY-2's eligibility, Williams B et al. Lancet 2015;386:2059); with
    // no potassium on record from the last year it is not planned (measure first).
    let recent = |kind: K| {
        record.series(kind).iter().rev().find(|x| (today - x.date).whole_days() <= RECENT_LAB_DAYS).map(|x| x.value)
    };
    let recent_k = recent(K::Potassium);
    let egfr_now = recent(K::Egfr).or_else(|| record.latest(K::Egfr).map(|x| x.value));
    let mra_eligible = recent_k.is_some_and(|k| k <= MRA_MAX_POTASSIUM) && egfr_now.is_some_and(|e| e >= MRA_MIN_EGFR);
    let labs_missing = recent_k.is_none() || recent(K::Sodium).is_none();
    search.mra_eligible = mra_eligible;
    let bp_seq = bp_sequence(&facts, mra_eligible);
    let mut bp_options: Vec<Vec<(Change, PlannedChange)>> = Vec::new();
    if bp_unmet && !adherence_first && bp_drugs {
        let taken_bp: Vec<&RegimenDrug> = regimen.iter().filter(|r| r.class.lowers_bp()).collect();
        // On one drug and 20 mmHg or more above target, a second class is added rather than the
        // first raised alone (ESC 2024: a two-drug combination, preferably a single pill).
        let far = sbp_now - targets.sbp_below >= COMBINATION_FROM_MMHG_ABOVE;
        for r in taken_bp.iter().filter(|r| !(far && taken_bp.len() == 1) && (r.class != D::Mra || mra_eligible)) {
            if let Some(to) = next_dose(r).filter(|to| search.bp_raise_ok(r, *to)) {
                bp_options.push(vec![(Change::Raise(r.class, to), raise_change(r, to))]);
            }
        }
        let raas_taken = regimen.iter().any(|r| matches!(r.class, D::AceInhibitor | D::Arb));
        let addable: Vec<D> = bp_seq
            .iter()
            .copied()
            .filter(|c| !regimen.iter().any(|r| r.class == *c))
            .filter(|c| !(matches!(c, D::AceInhibitor | D::Arb) && raas_taken))
            .filter(|c| *c != D::Mra || taken_bp.len() >= 3 || facts.pregnant())
            .filter(|c| *c != D::BetaBlocker || facts.beta_blocker_indicated() || facts.pregnant())
            .collect();
        for c in addable.iter().take(3) {
            bp_options.push(vec![search.start(*c, start_level, &regimen, &[])]);
        }
        // Untreated and well above target: a two-drug single-pill combination (ESC 2024).
        if taken_bp.is_empty() && sbp_now - targets.sbp_below >= COMBINATION_FROM_MMHG_ABOVE && !facts.pregnant() {
            if let [a, b, ..] = addable.as_slice() {
                let (a, b) = (
                    *a,
                    if matches!((a, b), (D::AceInhibitor, D::Arb)) {
                        addable.get(2).copied().unwrap_or(*b)
                    } else {
                        *b
                    },
                );
                bp_options.push(vec![
                    search.start(a, DoseLevel::Standard, &regimen, &[b]),
                    search.start(b, DoseLevel::Standard, &regimen, &[a]),
                ]);
            }
        }
        // On one drug and far above target: raise it and add the next, as one single pill.
        if taken_bp.len() == 1 && sbp_now - targets.sbp_below >= COMBINATION_FROM_MMHG_ABOVE {
            let r = taken_bp[0];
            if let (Some(to), Some(c)) = (next_dose(r).filter(|to| search.bp_raise_ok(r, *to)), addable.first()) {
                bp_options.push(vec![
                    (Change::Raise(r.class, to), raise_change(r, to)),
                    search.start(*c, DoseLevel::Standard, &regimen, &[]),
                ]);
            }
        }
    }
    // Leaving one target's drugs alone is an option too: the other target's step alone, or a
    // removal with one change.
    bp_options.push(Vec::new());
    // LDL-C.
    // A PCSK9 inhibitor only at very high risk or with familial hypercholesterolaemia (ESC/EAS
    // 2019 §8: after the highest tolerated statin with ezetimibe, class I for very high risk,
    // IIa for FH at high risk).
    // Under ACC/AHA, the set's own rule (very high-risk ASCVD; severe hypercholesterolaemia with
    // FH or LDL-C ≥ 220 mg/dL untreated).
    let pcsk9 = match targets.ldl_intensity {
        Some(goal) => goal.pcsk9,
        None => {
            targets.category == RiskCategory::VeryHigh
                || record.has_active(crate::record::ConditionKind::FamilialHypercholesterolaemia)
                || fh.as_ref().is_some_and(|f| matches!(f.category, "definite" | "probable"))
        }
    };
    let ldl_seq: Vec<D> =
        [D::Statin, D::Ezetimibe, D::Pcsk9Inhibitor].into_iter().filter(|c| *c != D::Pcsk9Inhibitor || pcsk9).collect();
    let mut ldl_options: Vec<Vec<(Change, PlannedChange)>> = vec![Vec::new()];
    if ldl_unmet {
        ldl_options.clear();
        match regimen.iter().find(|r| r.class == D::Statin) {
            Some(r) => {
                // Under ACC/AHA, a statin below the intensity asked for is raised to it at once.
                let asked = targets.ldl_intensity.and_then(|g| g.intensity).map(statin_level);
                let same_agent = |to: DoseLevel| {
                    let now = formulary::name_dose(D::Statin, r.dose, r.agent.as_deref());
                    let next = formulary::name_dose(D::Statin, to, r.agent.as_deref());
                    next.exact && next.agent == now.agent
                };
                let to_asked = asked.filter(|a| dose_rank(*a) > dose_rank(r.dose) && same_agent(*a));
                // A statin with no high-intensity dose, at its top or below the intensity wanted
                // (the goal's under ACC/AHA, else the indication's: high with ASCVD), is switched
                // to a high-intensity one before ezetimibe is added (ESC/EAS 2019: the highest
                // tolerated statin first), where the switch passes every rule on the regimen it
                // makes (a statin intolerance, an interacting drug, the eGFR); a forbidden switch
                // is listed with its rule, and ezetimibe comes instead.
                let wanted = asked.or(statin.intensity.map(statin_level));
                let cannot_reach = wanted.is_some_and(|w| dose_rank(w) > dose_rank(r.dose) && !same_agent(w));
                let switch = needs_switch_for_high_intensity(r) && (next_dose(r).is_none() || cannot_reach);
                let switches: Vec<(Change, PlannedChange)> = if switch {
                    statin_switches(r)
                        .into_iter()
                        .filter(|(change, planned)| {
                            let after = named_after(&regimen, *change, planned);
                            search.check_after(&regimen, *change, after, &planned.label).is_some()
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                if !switches.is_empty() {
                    ldl_options.extend(switches.into_iter().map(|s| vec![s]));
                } else if let Some(to) = to_asked.or_else(|| next_dose(r)) {
                    ldl_options.push(vec![(
                        Change::Raise(D::Statin, to),
                        PlannedChange::drug(Action::Raise, D::Statin, None, Some(to)),
                    )]);
                } else if !regimen.iter().any(|r| r.class == D::Ezetimibe) {
                    ldl_options.push(vec![(
                        Change::Start(D::Ezetimibe, DoseLevel::Standard),
                        PlannedChange::drug(Action::Start, D::Ezetimibe, None, Some(DoseLevel::Standard)),
                    )]);
                } else if pcsk9 && !regimen.iter().any(|r| r.class == D::Pcsk9Inhibitor) {
                    ldl_options.push(vec![(
                        Change::Start(D::Pcsk9Inhibitor, DoseLevel::Standard),
                        PlannedChange::drug(Action::Start, D::Pcsk9Inhibitor, None, Some(DoseLevel::Standard)),
                    )]);
                }
            }
            None => {
                // The intensity the indication names (ACC/AHA 2018: high intensity for clinical
                // ASCVD and LDL-C ≥ 190 mg/dL, moderate for most primary prevention); both where it
                // names none.
                let intensities: Vec<DoseLevel> = match statin.intensity {
                    Some(StatinIntensity::High) => vec![DoseLevel::Double],
                    Some(StatinIntensity::Moderate) => vec![DoseLevel::Standard],
                    Some(StatinIntensity::Low) => vec![DoseLevel::Half],
                    None => vec![DoseLevel::Standard, DoseLevel::Double],
                };
                for d in intensities {
                    ldl_options.push(vec![(
                        Change::Start(D::Statin, d),
                        PlannedChange::drug(Action::Start, D::Statin, None, Some(d)),
                    )]);
                }
                // Ezetimibe first only where no statin may be started (intolerance, allergy,
                // liver disease, pregnancy): ESC/EAS 2019 Figure 5 starts with a statin.
                let statin = Change::Start(D::Statin, DoseLevel::Standard);
                let statin_forbidden = facts
                    .check_change(&regimen, &statin, &statin.apply(&regimen))
                    .iter()
                    .any(|a| a.severity == Severity::Contraindicated);
                if statin_forbidden && !regimen.iter().any(|r| r.class == D::Ezetimibe) {
                    ldl_options.push(vec![(
                        Change::Start(D::Ezetimibe, DoseLevel::Standard),
                        PlannedChange::drug(Action::Start, D::Ezetimibe, None, Some(DoseLevel::Standard)),
                    )]);
                }
            }
        }
        // A statin indicated and not taken is started now: LDL-C does not fall while a review
        // waits (the empty option stays only when a statin is already taken).
        if regimen.iter().any(|r| r.class == D::Statin) {
            ldl_options.push(Vec::new());
        }
    }

    // Combine: at most two drug changes in the first step (a removal counts).
    let mut plans: Vec<Plan> = Vec::new();
    let monthly = sbp_now >= MONTHLY_REVIEW_FROM_SBP;
    let bp_review = if monthly { 1.0 } else { BP_REVIEW_MONTHS };
    let start_month = u32::from(confirm);
    for bp in &bp_options {
        for ldl in &ldl_options {
            let first: Vec<&(Change, PlannedChange)> = bp.iter().chain(ldl.iter()).collect();
            // At most two changes that add or raise; stopping a drug the rules forbid is a
            // correction beside them (a dual RAAS blockade's ARB stopped as a CCB starts is one
            // switch), so it does not count.
            if first.len() > 2 {
                continue;
            }
            // No drug change at all is a plan only when adherence support comes first, or when
            // the targets are met and only smoking is left: never lifestyle in place of drugs.
            // (Under ACC/AHA, lifestyle is BP's whole first step below the drug threshold.)
            // With no drug change left to offer (resistant hypertension at every dose the rules
            // and plan ceilings allow), the work-up, confirmation and lifestyle steps are the plan.
            let nothing_to_add = bp_options.iter().chain(ldl_options.iter()).all(Vec::is_empty)
                && beside.iter().any(|(c, _)| matches!(c.action, Action::Refer | Action::Confirm));
            let no_drug_is_a_plan = adherence_first || lifestyle_bp || (!bp_unmet && !ldl_unmet) || nothing_to_add;
            if first.is_empty() && removals.is_empty() && !no_drug_is_a_plan {
                continue;
            }
            // Each change on the regimen the ones before it produced.
            let mut now = regimen.clone();
            let mut step_alerts: Vec<Alert> = Vec::new();
            let mut ok = true;
            for (change, planned) in &first {
                match search.check_planned(&now, *change, planned) {
                    Some((after, a)) => {
                        now = after;
                        step_alerts.extend(a);
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                continue;
            }
            // No BP drug is added while adherence is poor (the ladder waits for adherence to be
            // confirmed); a cautious plan (DBP already under 70) takes one rung at most, so DBP
            // is not driven lower by review after review.
            let mut bp_ladder = if bp_unmet && !adherence_first && bp_drugs {
                search.ladder(&now, &bp_seq, D::lowers_bp, true)
            } else {
                Vec::new()
            };
            if cautious {
                bp_ladder.truncate(1);
            }
            let ldl_ladder = if ldl_unmet && ldl_threshold(&targets).is_some() {
                search.ladder(&now, &ldl_seq, |c| matches!(c, D::Statin | D::Ezetimibe | D::Pcsk9Inhibitor), false)
            } else {
                Vec::new()
            };
            let mut interventions: Vec<Intervention> = removal_interventions.clone();
            for (change, _) in &first {
                interventions.extend(to_interventions(*change, start_month, baseline));
            }
            for (_, i) in &beside {
                interventions.extend(i.iter().cloned());
            }
            let strategy = (!bp_ladder.is_empty() || !ldl_ladder.is_empty()).then(|| Strategy {
                sbp: (!bp_ladder.is_empty()).then(|| TargetRule {
                    below: targets.sbp_below,
                    review_months: bp_review,
                    sequence: bp_seq.clone(),
                    ladder: bp_ladder.iter().map(|(r, _, _)| *r).collect(),
                }),
                ldl: (!ldl_ladder.is_empty()).then(|| TargetRule {
                    below: targets.ldl_below_mmol,
                    review_months: LDL_REVIEW_MONTHS,
                    sequence: ldl_seq.clone(),
                    ladder: ldl_ladder.iter().map(|(r, _, _)| *r).collect(),
                }),
            });
            let mut changes: Vec<PlannedChange> = removals.clone();
            changes.extend(first.iter().map(|(_, p)| p.clone()));
            let label = if changes.is_empty() {
                beside.iter().map(|(c, _)| c.label.clone()).collect::<Vec<_>>().join(" + ")
            } else {
                changes.iter().map(|c| c.label.clone()).collect::<Vec<_>>().join(" + ")
            };
            let classes: Vec<D> = changes.iter().filter_map(|c| c.class).collect();
            changes.extend(beside.iter().map(|(c, _)| c.clone()));
            // Confirm first, then what is stopped, then the drugs, then the rest.
            changes.sort_by_key(|c| match c.action {
                Action::Confirm => 0,
                Action::Stop => 1,
                Action::Start | Action::Raise | Action::Lower | Action::Switch => 2,
                Action::Lifestyle | Action::Refer => 3,
            });
            let why = first_step_why(&changes, bp_unmet, ldl_unmet, &targets);
            let mut steps = vec![PlanStep {
                month: 0,
                when: if confirm {
                    // Corrections (a forbidden drug stopped, an AF alert acted on) are made today;
                    // BP and lipid drugs wait for the confirmed reading.
                    if removals.is_empty() {
                        "now (new or raised drugs once home or ambulatory BP confirms the reading)".into()
                    } else {
                        "now (corrections today; new or raised BP and lipid drugs once home or ambulatory BP confirms the reading)".into()
                    }
                } else {
                    "now".into()
                },
                checks: checks_for(
                    &classes,
                    bp_unmet,
                    ldl_unmet && classes.iter().any(|c| matches!(c, D::Statin | D::Ezetimibe | D::Pcsk9Inhibitor)),
                    labs_missing,
                ),
                changes,
                why,
                alerts: step_alerts,
            }];
            for (k, (rung, a, named)) in bp_ladder.iter().take(3).enumerate() {
                steps.push(rung_step(
                    *rung,
                    named.clone(),
                    a.clone(),
                    (k + 1) as f64 * bp_review,
                    &format!("SBP is still {:.0} mmHg or more", targets.sbp_below),
                    true,
                    labs_missing,
                ));
            }
            for (k, (rung, a, named)) in ldl_ladder.iter().take(2).enumerate() {
                steps.push(rung_step(
                    *rung,
                    named.clone(),
                    a.clone(),
                    (k + 1) as f64 * LDL_REVIEW_MONTHS,
                    &format!("LDL-C is still {:.1} mmol/L or more", targets.ldl_below_mmol),
                    false,
                    labs_missing,
                ));
            }
            steps.sort_by_key(|s| s.month);
            if facts.pregnant() {
                // In pregnancy the agents are the ones with safety data (ESC 2018 pregnancy
                // guideline): labetalol, nifedipine, methyldopa.
                for change in steps.iter_mut().flat_map(|s| s.changes.iter_mut()) {
                    change.agent = change.class.and_then(|class| {
                        super::safety::PREGNANCY_AGENTS
                            .iter()
                            .copied()
                            .find(|a| formulary::agent_by_name(a).is_some_and(|x| x.class == class))
                    });
                }
            }
            let scenario = Scenario { name: label.clone(), interventions, strategy };
            let plan = project(&search, &label, steps, scenario, &now);
            // Over-lowering: the projected DBP against the floor for this patient.
            let dbp = plan.effects.iter().find(|e| e.output == Output::Dbp).copied();
            let sbp = plan.effects.iter().find(|e| e.output == Output::Sbp).copied();
            if let (Some(d), Some(s)) = (dbp, sbp) {
                let over = facts.check_projection(s.median, d.median, d.p05);
                if over.iter().any(|a| a.severity == Severity::Contraindicated) {
                    search.excluded.push(Excluded {
                        label: format!("{label} (projected DBP {:.0} mmHg)", d.median),
                        alerts: over.into_iter().filter(|a| a.severity == Severity::Contraindicated).collect(),
                    });
                    continue;
                }
                let mut plan = plan;
                if let Some(first) = plan.steps.first_mut() {
                    first.alerts.extend(over);
                }
                plans.push(plan);
                continue;
            }
            plans.push(plan);
        }
    }

    // Ten-year risk for the plans, member by member against today's treatment.
    let current_risk = risk_per_member(baseline, &current.scenario, &config);
    let risk_note = current_risk
        .iter()
        .any(|r| !r.is_finite())
        .then(|| "no event-risk model applies to this patient's record, so no risk reduction is given".to_string());
    if risk_note.is_none() {
        for p in &mut plans {
            let risk = risk_per_member(baseline, &p.scenario, &config);
            let diffs: Vec<f64> = current_risk.iter().zip(&risk).map(|(a, b)| a - b).collect();
            let mut d = diffs.clone();
            p.risk = Some(RiskChange {
                current: median(current_risk.clone()),
                candidate: median(risk),
                reduction: median(diffs),
                reduction_p05: quantile(&mut d, 0.05),
                reduction_p95: quantile(&mut d, 0.95),
            });
        }
    }
    let reaches = |p: &Plan| p.probability >= config.probability;
    let reduction = |p: &Plan| p.risk.map_or(0.0, |r| r.reduction);
    // A plan projecting diastolic BP under 60 (a caution of its projection where not a
    // contraindication) ranks after one that does not.
    let over_lowers = |p: &Plan| {
        p.steps.first().is_some_and(|s| s.alerts.iter().any(|a| a.rule == RuleId::DbpFloor))
            || projected_dbp(p).is_some_and(|d| d < DBP_CAUTION_BELOW)
    };
    // A measure today's treatment leaves off target, that a plan's first step does not treat:
    // its review ("if LDL-C is still …") waits on a value nothing has changed, which only
    // delays treatment. Among plans that reach the targets, one treating each such measure now
    // ranks first (ESC/EAS 2019: treat to the LDL-C goal without delay; ESC 2024: treatment
    // intensified within the first visits), then the fewest changes (still at most one BP and
    // one lipid change in the first step).
    let waiting = |p: &Plan| {
        let off_bp = current.probability_bp < config.probability && !p.first_step_treats(|c| c.lowers_bp());
        let off_ldl = current.probability_ldl < config.probability && !p.first_step_treats(lowers_ldl);
        usize::from(off_bp) + usize::from(off_ldl)
    };
    plans.sort_by(|a, b| {
        over_lowers(a)
            .cmp(&over_lowers(b))
            .then_with(|| reaches(b).cmp(&reaches(a)))
            .then_with(|| {
                if reaches(a) && reaches(b) {
                    waiting(a)
                        .cmp(&waiting(b))
                        .then_with(|| a.first_step_drug_changes().cmp(&b.first_step_drug_changes()))
                        .then_with(|| reduction(b).total_cmp(&reduction(a)))
                } else {
                    reduction(b)
                        .total_cmp(&reduction(a))
                        .then_with(|| a.first_step_drug_changes().cmp(&b.first_step_drug_changes()))
                }
            })
            .then_with(|| b.probability.total_cmp(&a.probability))
            .then_with(|| a.label.cmp(&b.label))
    });
    let outcome = match plans.first() {
        Some(p) if reaches(p) => Outcome::Reaches,
        _ => Outcome::NoneReaches,
    };
    let why = explain(&plans, outcome, &config, &risk_model_name(record, baseline, inputs));
    let Search { excluded, .. } = search;
    CarePlan { targets, statin, fh, alerts, outcome, current, plans, excluded, why, risk_note }
}

/// The home protocol mean when it is current (its last day within `fresh_months`, the clinician's BP limit) and
/// below 135/85 mmHg. Office BP above target with home BP below the home threshold is white-coat
/// uncontrolled hypertension: ESC 2024 (McEvoy et al., Eur Heart J 2024;45:3912, section 5 and
/// the treatment chapter) bases treatment decisions on out-of-office BP where it is available and
/// asks for it to be confirmed (ambulatory BP) before treatment is intensified.
fn home_below_threshold(record: &PatientRecord, today: Date, fresh_months: u32) -> Option<crate::home_bp::HomeBpMean> {
    crate::twin::current_home_mean(record, today, fresh_months)
        .filter(|mean| mean.verdict == crate::home_bp::HomeBpVerdict::BelowThreshold)
}

/// The classes that lower LDL-C in the twin.
fn lowers_ldl(class: D) -> bool {
    matches!(class, D::Statin | D::Ezetimibe | D::Pcsk9Inhibitor | D::Inclisiran | D::BempedoicAcid)
}

fn mean_adherence(baseline: &Baseline) -> f64 {
    let v: Vec<f64> = baseline.current_drugs.iter().map(|d| d.adherence).collect();
    if v.is_empty() {
        1.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

pub(super) fn to_interventions(change: Change, month: u32, baseline: &Baseline) -> Vec<Intervention> {
    let start = |class: D, dose: DoseLevel| Intervention::StartDrug {
        class,
        dose,
        start_month: month,
        adherence: 1.0,
        persistence: super::SUGGESTION_PERSISTENCE,
    };
    let taken = |c: D| baseline.current_drugs.iter().any(|d: &CurrentDrug| d.class == c);
    match change {
        Change::Start(c, d) => vec![start(c, d)],
        Change::Raise(c, d) | Change::Lower(c, d) => {
            if taken(c) {
                vec![Intervention::ChangeDose { class: c, dose: d, month }]
            } else {
                vec![start(c, d)]
            }
        }
        Change::Stop(c) => vec![Intervention::StopDrug { class: c, month }],
        // Within a class (a statin to a high-intensity one) the twin models the class at a
        // dose level, so the switch is the dose change it amounts to.
        Change::Switch(from, to, d) if from == to && taken(from) => {
            vec![Intervention::ChangeDose { class: to, dose: d, month }]
        }
        Change::Switch(from, to, d) => vec![Intervention::StopDrug { class: from, month }, start(to, d)],
    }
}

fn rung_step(
    rung: Rung,
    named: Option<PlannedChange>,
    alerts: Vec<Alert>,
    month: f64,
    condition: &str,
    bp: bool,
    labs_missing: bool,
) -> PlanStep {
    let (change, class) = match rung {
        Rung::Raise(c, d) => (PlannedChange::drug(Action::Raise, c, None, Some(d)), c),
        Rung::Add(c, d) => (PlannedChange::drug(Action::Start, c, None, Some(d)), c),
    };
    let change = named.unwrap_or(change);
    let m = month.round() as u32;
    PlanStep {
        month: m,
        when: format!("at the {m}-month review, if {condition}"),
        why: format!("next step of the {} ladder", if bp { "BP" } else { "LDL-C" }),
        checks: checks_for(&[class], bp, !bp, labs_missing),
        changes: vec![change],
        alerts,
    }
}

fn first_step_why(changes: &[PlannedChange], bp: bool, ldl: bool, targets: &Targets) -> String {
    let mut why = Vec::new();
    if changes.iter().any(|c| c.action == Action::Stop) {
        why.push("stops what the safety rules forbid in today's regimen".to_string());
    }
    if bp {
        why.push(format!("BP above target ({})", targets.bp_reason));
    }
    if ldl && targets.ldl_intensity.is_some() {
        why.push(format!("lipid goal not met ({})", targets.ldl_reason));
    } else if ldl {
        why.push(format!("LDL-C above target ({})", targets.ldl_reason));
    }
    why.join("; ")
}

/// Projects a plan (or today's treatment) to [`CHECK_MONTHS`] and scores it against the targets;
/// `regimen` is what the first step leaves (for a statin intensity the targets ask for).
fn project(
    search: &Search<'_>,
    label: &str,
    steps: Vec<PlanStep>,
    scenario: Scenario,
    regimen: &[RegimenDrug],
) -> Plan {
    let month = CHECK_MONTHS as usize;
    let e = run_ensemble(
        search.baseline,
        &scenario,
        &EnsembleConfig { months: CHECK_MONTHS, members: search.config.members, seed: search.config.seed },
    );
    let t = search.targets;
    let bp = |m: usize| e.get(m, month, Output::Sbp) < t.sbp_below && e.get(m, month, Output::Dbp) < t.dbp_below;
    let held = intensity_held(t, regimen);
    let below = ldl_threshold(t);
    let ldl = |m: usize| !search.ldl_pursued || (held && below.is_none_or(|b| e.get(m, month, Output::Ldl) < b));
    Plan {
        label: label.to_string(),
        probability: share(&e, |m| bp(m) && ldl(m)),
        probability_bp: share(&e, bp),
        probability_ldl: share(&e, ldl),
        effects: [Output::Sbp, Output::Dbp, Output::Ldl, Output::HeartRate, Output::BpDrugs]
            .into_iter()
            .map(|o| band(&e, month, o))
            .collect(),
        steps,
        scenario,
        risk: None,
        hospitalisation: None,
    }
}

/// Event risk at the horizon under `scenario`, per member, %.
fn risk_per_member(baseline: &Baseline, scenario: &Scenario, config: &SearchConfig) -> Vec<f64> {
    outcome_per_member(baseline, scenario, config, Output::EventRisk)
}

/// `output` (a risk) at `config.risk_years` under `scenario`, per member, %.
fn outcome_per_member(baseline: &Baseline, scenario: &Scenario, config: &SearchConfig, output: Output) -> Vec<f64> {
    let months = config.risk_years * 12;
    let e = run_ensemble(baseline, scenario, &EnsembleConfig { months, members: config.members, seed: config.seed });
    (0..e.members).map(|m| e.get(m, months as usize, output) * 100.0).collect()
}

/// The member-by-member change of a risk from `current` to `candidate`.
fn risk_change(current: &[f64], candidate: Vec<f64>) -> RiskChange {
    let diffs: Vec<f64> = current.iter().zip(&candidate).map(|(a, b)| a - b).collect();
    let mut d = diffs.clone();
    RiskChange {
        current: median(current.to_vec()),
        candidate: median(candidate),
        reduction: median(diffs),
        reduction_p05: quantile(&mut d, 0.05),
        reduction_p95: quantile(&mut d, 0.95),
    }
}

/// The heart-failure plan of care ([`super::heart_failure`]): alerts first, the pillars and
/// their titration, devices; ranked by death from any cause at three years, with a first HF
/// hospitalisation beside it. `None` where it has nothing to add (EF above 40 % on an SGLT2
/// inhibitor), and BP and lipid care go on as usual.
#[allow(clippy::too_many_arguments)]
fn heart_failure_care(
    record: &PatientRecord,
    today: Date,
    baseline: &Baseline,
    facts: &SafetyFacts,
    on_record: &[RegimenDrug],
    alerts: Vec<Alert>,
    targets: Targets,
    statin: StatinIndication,
    fh: Option<FhFlag>,
    config: SearchConfig,
) -> Option<CarePlan> {
    use super::heart_failure::{plan, HeartFailureFacts};
    let hf_baseline = baseline.heart_failure.as_ref()?;
    let hf = HeartFailureFacts::of(record, today, baseline, hf_baseline);
    let found = plan(record, facts, &hf, on_record, baseline, today)?;
    let config = SearchConfig { risk_years: crate::progression::heart_failure::HORIZON_YEARS, ..config };
    let search = Search {
        baseline,
        facts,
        targets: &targets,
        config: &config,
        excluded: Vec::new(),
        ldl_pursued: false,
        mra_eligible: false,
        times_daily: Vec::new(),
    };
    let current = project(&search, "no change", Vec::new(), Scenario::current_treatment(), on_record);
    let label_of = |steps: &[PlanStep]| {
        steps
            .first()
            .map(|s| s.changes.iter().filter(|c| c.is_drug()).map(|c| c.label.clone()).collect::<Vec<_>>().join(" + "))
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| "heart-failure review".to_string())
    };
    let all_steps: Vec<PlanStep> = found.steps.iter().map(|(s, _)| s.clone()).collect();
    let all: Vec<Intervention> = found.steps.iter().flat_map(|(_, i)| i.clone()).collect();
    let label = label_of(&all_steps);
    let mut plans = vec![project(
        &search,
        &label,
        all_steps.clone(),
        Scenario::fixed(format!("Heart-failure plan: {label}"), all),
        on_record,
    )];
    // The first step alone, so the clinician sees what the titration adds.
    if found.steps.len() > 1 {
        let (first, interventions) = found.steps[0].clone();
        let first_label = label_of(std::slice::from_ref(&first));
        plans.push(project(
            &search,
            &format!("{first_label} (first step only)"),
            vec![first],
            Scenario::fixed(format!("First step only: {first_label}"), interventions),
            on_record,
        ));
    }
    let death_now = outcome_per_member(baseline, &current.scenario, &config, Output::EventRisk);
    let admitted_now = outcome_per_member(baseline, &current.scenario, &config, Output::HfHospitalisation);
    for p in &mut plans {
        p.risk = Some(risk_change(&death_now, outcome_per_member(baseline, &p.scenario, &config, Output::EventRisk)));
        p.hospitalisation = Some(risk_change(
            &admitted_now,
            outcome_per_member(baseline, &p.scenario, &config, Output::HfHospitalisation),
        ));
    }
    let reduction = |p: &Plan| p.risk.map_or(0.0, |r| r.reduction);
    plans.sort_by(|a, b| reduction(b).total_cmp(&reduction(a)));
    let why = plans.first().map_or_else(String::new, |best| {
        let r = best.risk.map_or(0.0, |r| r.reduction);
        let h = best.hospitalisation.map_or(0.0, |r| r.reduction);
        // Several pillars started together: the product of their trials' effects is what the
        // twin projects, and from no treatment it exceeds the network meta-analysis (VALIDATION
        // §13), so the reader is told.
        let pillars = [D::AceInhibitor, D::Arb, D::Arni, D::BetaBlocker, D::Mra, D::Sglt2Inhibitor];
        let started = best
            .steps
            .iter()
            .flat_map(|s| &s.changes)
            .filter(|c| c.action == Action::Start && c.class.is_some_and(|k| pillars.contains(&k)))
            .count();
        let stacked = if started >= 2 {
            format!(
                "; {started} pillars are started: the twin multiplies their trials' effects, which from no treatment \
                 gives quadruple therapy a death hazard ratio of 0.29 against 0.39 (0.31–0.49) in a network \
                 meta-analysis (Tromp J et al. JACC Heart Fail 2022;10:73), so the benefit shown may be overstated"
            )
        } else {
            String::new()
        };
        format!(
            "guideline-directed heart-failure therapy ({}): projected (MAGGIC with the trials' effects) to lower death from any cause at 3 years by {r:.1} percentage points and a first HF hospitalisation by {h:.1} percentage points, if taken as prescribed{stacked}",
            if hf.reduced_ef { "HFrEF: the four pillars, titrated" } else { "EF above 40 %: an SGLT2 inhibitor" }
        )
    });
    let excluded = found.excluded.into_iter().map(|(label, alerts)| Excluded { label, alerts }).collect();
    Some(CarePlan {
        targets,
        statin,
        fh,
        alerts,
        outcome: Outcome::HeartFailure,
        current,
        plans,
        excluded,
        why,
        risk_note: None,
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    quantile(&mut v, 0.5)
}

/// The model behind the plans' event risk, named as the twin names it: the projection's hazards
/// come from [`crate::twin::annual_hazards`] for this record (SMART2 with atherosclerotic disease;
/// else PREVENT, PCE or SCORE2/SCORE2-OP, SCORE2-Diabetes first with an ESC region in diabetes),
/// or from MAGGIC where the twin carries heart-failure outcomes ([`crate::twin::heart_failure_model`]).
/// Recomputed from the same inputs, so it is the one the projection used.
fn risk_model_name(record: &PatientRecord, baseline: &Baseline, inputs: &RiskInputs) -> String {
    if baseline.heart_failure.is_some() {
        return "MAGGIC death from any cause, with the trial effects of heart-failure therapy".to_string();
    }
    let name = crate::twin::annual_hazards(inputs, crate::twin::has_heart_failure(record), 0).name;
    // `score2::cvd_10y` is SCORE2-OP from 70 (ESC 2021): say which.
    match name.strip_prefix("SCORE2 ") {
        Some(rest) if inputs.age >= 70.0 => format!("SCORE2-OP {rest}"),
        _ => name,
    }
}

/// The plan's projected diastolic BP at [`CHECK_MONTHS`], median, mmHg.
fn projected_dbp(p: &Plan) -> Option<f64> {
    p.effects.iter().find(|e| e.output == Output::Dbp).map(|e| e.median).filter(|d| d.is_finite())
}

/// The caution a plan's reason carries when its projected diastolic BP falls under
/// [`DBP_CAUTION_BELOW`]; empty otherwise.
fn dbp_caution(p: &Plan) -> String {
    match projected_dbp(p).filter(|d| *d < DBP_CAUTION_BELOW) {
        Some(d) => format!(
            ". Caution: projected diastolic BP {d:.0} mmHg at {CHECK_MONTHS} months (median), below \
             {DBP_CAUTION_BELOW:.0} and the 70–79 target (ESC 2024); no guideline floor excludes the plan here, but \
             diastolic BP under 60–70 carried more events in INVEST and ONTARGET: take each BP step only if standing \
             BP and symptoms allow, and stop at a diastolic BP under {DBP_CAUTION_BELOW:.0}"
        ),
        None => String::new(),
    }
}

fn explain(plans: &[Plan], outcome: Outcome, config: &SearchConfig, model: &str) -> String {
    let pct = |p: f64| format!("{:.0}%", p * 100.0);
    let Some(best) = plans.first() else {
        return "no plan passed the safety rules".into();
    };
    let years = config.risk_years;
    let risk = |p: &Plan| {
        p.risk.map_or_else(String::new, |r| {
            format!(", lowering {years}-year event risk ({model}) by {:.1} percentage points", r.reduction)
        })
    };
    match outcome {
        Outcome::NoneReaches => format!(
            "no plan reaches every target in {} of simulated courses by {CHECK_MONTHS} months; the first lowers event risk most ({}{}){}",
            pct(config.probability),
            best.label,
            risk(best),
            dbp_caution(best)
        ),
        _ => format!(
            "{} reaches every target in {} of simulated courses by {CHECK_MONTHS} months with {} drug change{} now{}{}",
            best.label,
            pct(best.probability),
            best.first_step_drug_changes(),
            if best.first_step_drug_changes() == 1 { "" } else { "s" },
            risk(best),
            dbp_caution(best)
        ),
    }
}

#[cfg(test)]
mod tests;
