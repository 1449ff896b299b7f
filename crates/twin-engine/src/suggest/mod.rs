//! The regimen search: the simplest change to today's treatment that reaches the patient's
//! targets, by simulating candidates with the twin (model-predictive), within safety limits.
//!
//! 1. Targets from the guidelines ([`targets`]).
//! 2. Steps: add a class at standard dose, raise a class taken now to the next dose, switch a BP
//!    class taken now for a first-line one not taken, start or raise a statin, add ezetimibe or a
//!    PCSK9 inhibitor, or a lifestyle change. Only steps for an
//!    unmet target are tried. Each step passes the safety rules ([`safety`]) or is excluded,
//!    with the rule and the record's reason kept for the clinician.
//! 3. Candidates: every combination of up to [`SearchConfig::max_steps`] allowed steps, one per
//!    class. Each is simulated for [`SearchConfig::months`] with the same members and draws as
//!    every other (common random numbers, so candidates differ by their steps, not by noise);
//!    its score is the share of members at every target at the end.
//! 4. The suggestion is the simplest candidate (fewest drug changes, then fewest steps, then
//!    the highest share) whose share reaches [`SearchConfig::probability`] (0.8); the rest are
//!    ranked the same way. Today's treatment reaching it means no change is suggested.
//! 5. The suggestion and the next candidates are run for [`SearchConfig::risk_years`] to give
//!    the event-risk reduction against today's treatment, member by member.
//!
//! A drug the search starts is projected as prescribed ([`SUGGESTION_PERSISTENCE`] says why).
//! Lifestyle steps wane as in any projection ([`crate::progression::effects::SODIUM_KEPT`] and
//! the rest), little by the 6-month target check.

pub mod indications;
pub mod plan;
pub mod safety;
pub mod targets;

use std::collections::BTreeSet;

use time::Date;

use crate::drugs::{DoseLevel, DrugClass as D};
use crate::progression::scenario::{Intervention, Persistence, Scenario};
use crate::progression::{quantile, run_ensemble, Baseline, Ensemble, EnsembleConfig, Output};
use crate::record::{ConditionKind as C, PatientRecord};
use safety::{Finding, Rule, SafetyFacts};
pub use targets::{RiskCategory, Targets};

/// How a drug the search starts is projected: as prescribed, not with real-world persistence
/// (the default of a scenario, [`Persistence::RealWorld`]). The target check asks whether a
/// regimen, taken, reaches the targets; persistence is a share of people, applied to every
/// member alike, so under it each new drug would count for 71% of itself at 6 months and the
/// search would answer people stopping a drug by adding another or raising a dose (on the demo
/// cohort it did: high- instead of moderate-intensity statin, an extra step, a regimen that
/// reached its targets no longer doing so), and it would favour lifestyle steps, which wane
/// later. The event-risk reduction of a suggestion is therefore also "if taken as prescribed";
/// its scenario file says so (`as_prescribed`), so opening it in a comparison gives the same
/// numbers, and switching it to real world there shows the smaller expected benefit.
pub const SUGGESTION_PERSISTENCE: Persistence = Persistence::AsPrescribed;

/// How the search runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchConfig {
    /// Ensemble members per candidate.
    pub members: usize,
    /// Seed: the same seed gives the same suggestion.
    pub seed: u64,
    /// Months to the target check (6: ACC/AHA 2017 reassesses monthly until control, and
    /// ESC/EAS 2019 checks LDL-C 4–6 weeks after each change; six months gives every step in a
    /// regimen of three time to act).
    pub months: u32,
    /// Share of members at target that counts as reaching it.
    pub probability: f64,
    /// Most steps in one candidate.
    pub max_steps: usize,
    /// Years over which the event-risk reduction is given.
    pub risk_years: u32,
    /// Candidates (besides the suggestion) given an event-risk reduction.
    pub risk_for: usize,
}

impl Default for SearchConfig {
    fn default() -> Self {
        Self { members: 400, seed: 1, months: 6, probability: 0.8, max_steps: 3, risk_years: 10, risk_for: 4 }
    }
}

/// What one step changes.
#[derive(Debug, Clone, PartialEq)]
pub enum StepKind {
    /// A class not taken now, at standard dose (statins: the intensity given).
    Add(D, DoseLevel),
    /// A class taken now, to a higher dose.
    Raise(D, DoseLevel),
    /// A BP class taken now replaced by another at standard dose (from, to).
    Switch(D, D),
    /// A lifestyle change.
    Lifestyle,
}

/// One step of a regimen.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// What it changes.
    pub kind: StepKind,
    /// The interventions the twin simulates.
    pub interventions: Vec<Intervention>,
    /// For people.
    pub label: String,
}

impl Step {
    /// The class the step starts or raises (the new one, for a switch).
    fn class(&self) -> Option<D> {
        match self.kind {
            StepKind::Add(c, _) | StepKind::Raise(c, _) | StepKind::Switch(_, c) => Some(c),
            StepKind::Lifestyle => None,
        }
    }

    /// Every class the step touches (both, for a switch), so no two steps touch one class.
    fn touches(&self) -> Vec<D> {
        match self.kind {
            StepKind::Switch(from, to) => vec![from, to],
            _ => self.class().into_iter().collect(),
        }
    }

    fn lifestyle(label: &str, intervention: Intervention) -> Step {
        Step { kind: StepKind::Lifestyle, interventions: vec![intervention], label: label.into() }
    }
}

/// Median and 5–95 % band of one output at the check month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effect {
    /// Which output.
    pub output: Output,
    /// Median.
    pub median: f64,
    /// 5th percentile.
    pub p05: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// Event risk over `risk_years` under a candidate, against today's treatment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskChange {
    /// Median risk under today's treatment, %.
    pub current: f64,
    /// Median risk under the candidate, %.
    pub candidate: f64,
    /// Median absolute reduction, percentage points (member by member).
    pub reduction: f64,
    /// 5th percentile of the reduction.
    pub reduction_p05: f64,
    /// 95th percentile of the reduction.
    pub reduction_p95: f64,
}

/// A simulated candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Its steps (empty: today's treatment).
    pub steps: Vec<Step>,
    /// The scenario simulated.
    pub scenario: Scenario,
    /// Share of members at every target at the check month.
    pub probability: f64,
    /// Share at the BP target.
    pub probability_bp: f64,
    /// Share at the LDL-C target.
    pub probability_ldl: f64,
    /// SBP, DBP and LDL-C at the check month.
    pub effects: Vec<Effect>,
    /// Event risk against today's treatment (for the suggestion and the next few).
    pub risk: Option<RiskChange>,
    /// Cautions that did not exclude it.
    pub flags: Vec<Finding>,
    /// Rules checked and passed.
    pub passed: Vec<&'static Rule>,
}

impl Candidate {
    /// Drug changes (added or raised classes).
    pub fn drug_changes(&self) -> usize {
        self.steps.iter().filter(|s| s.class().is_some()).count()
    }

    fn complexity(&self) -> (usize, usize) {
        (self.drug_changes(), self.steps.len())
    }

    /// A label for people.
    pub fn label(&self) -> String {
        if self.steps.is_empty() {
            "no change".into()
        } else {
            steps_label(&self.steps)
        }
    }
}

/// A step never suggested, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Excluded {
    /// The step (or pair of steps) as people read it.
    pub label: String,
    /// The rules that excluded it.
    pub findings: Vec<Finding>,
}

/// What the search found.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Today's treatment reaches the targets: no change suggested.
    NoChange,
    /// `ranked[0]` reaches the targets.
    Suggested,
    /// No candidate reaches the targets with the required share; `ranked[0]` comes closest.
    NoneReaches,
}

/// The search's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The targets.
    pub targets: Targets,
    /// What was found.
    pub outcome: Outcome,
    /// Today's treatment, simulated.
    pub current: Candidate,
    /// Every allowed candidate, best first.
    pub ranked: Vec<Candidate>,
    /// Steps excluded by a safety rule.
    pub excluded: Vec<Excluded>,
    /// Why `ranked[0]` was chosen over `ranked[1]`, in plain words.
    pub why: String,
    /// Why no event-risk reduction is given, where none is.
    pub risk_note: Option<String>,
    /// The adherence assumed for a new drug (the patient's mean adherence to today's drugs).
    pub assumed_adherence: f64,
    /// The search's settings.
    pub config: SearchConfig,
}

/// BP classes in the order of ESC/ESH 2018 Figure 4 (ACE inhibitor or ARB, calcium-channel
/// blocker, thiazide; then an MRA for resistant hypertension; beta-blockers and, for rate
/// control, non-dihydropyridine CCBs only with a specific indication).
const BP_CLASSES: [D; 7] =
    [D::AceInhibitor, D::Arb, D::CalciumChannelBlocker, D::Thiazide, D::Mra, D::BetaBlocker, D::NonDihydropyridineCcb];

fn next_dose(dose: DoseLevel) -> Option<DoseLevel> {
    match dose {
        DoseLevel::Half => Some(DoseLevel::Standard),
        DoseLevel::Standard => Some(DoseLevel::Double),
        DoseLevel::Double => None,
    }
}

/// A class as it reads inside a sentence: "ACE inhibitor", "ARB", "MRA", "PCSK9 inhibitor" keep
/// their capitals; the rest are lower case.
fn class_name(class: D) -> String {
    let l = class.label();
    let acronym = l
        .split_whitespace()
        .next()
        .is_some_and(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    if acronym {
        l.to_string()
    } else {
        l.to_lowercase()
    }
}

/// Steps as people read them: "add ARB + DASH diet".
fn steps_label(steps: &[Step]) -> String {
    steps.iter().map(|s| s.label.as_str()).collect::<Vec<_>>().join(" + ")
}

fn drug_step(kind: StepKind, adherence: f64) -> Step {
    let (class, dose, verb) = match kind {
        StepKind::Add(c, d) => (c, d, "add"),
        StepKind::Raise(c, d) => (c, d, "raise"),
        StepKind::Switch(..) | StepKind::Lifestyle => unreachable!("drug_step makes add and raise steps only"),
    };
    let name = class_name(class);
    let label = match (class, dose) {
        (D::Statin, DoseLevel::Double) => format!("{verb} statin to high intensity"),
        (D::Statin, DoseLevel::Standard) => format!("{verb} statin (moderate intensity)"),
        (_, DoseLevel::Standard) => format!("{verb} {name}"),
        (_, d) => format!("{verb} {name} to {} dose", d.label()),
    };
    let intervention = if verb == "raise" {
        Intervention::ChangeDose { class, dose, month: 0 }
    } else {
        Intervention::StartDrug { class, dose, start_month: 0, adherence, persistence: SUGGESTION_PERSISTENCE }
    };
    Step { kind, interventions: vec![intervention], label }
}

/// "lisinopril's class out, amlodipine's in": the class `from` stopped and `to` started at
/// standard dose, the same month.
fn switch_step(from: D, to: D, adherence: f64) -> Step {
    Step {
        kind: StepKind::Switch(from, to),
        interventions: vec![
            Intervention::StopDrug { class: from, month: 0 },
            Intervention::StartDrug {
                class: to,
                dose: DoseLevel::Standard,
                start_month: 0,
                adherence,
                persistence: SUGGESTION_PERSISTENCE,
            },
        ],
        label: format!("switch {} to {}", class_name(from), class_name(to)),
    }
}

/// The steps worth trying for `record`, given which targets today's treatment misses.
fn steps(record: &PatientRecord, baseline: &Baseline, bp_unmet: bool, ldl_unmet: bool, adherence: f64) -> Vec<Step> {
    let taken = |c: D| baseline.current_drugs.iter().find(|d| d.class == c).map(|d| d.dose);
    let n_bp_taken = baseline.current_drugs.iter().filter(|d| d.class.lowers_bp()).count();
    let mut out = Vec::new();
    if bp_unmet {
        let indication_bb = [
            C::CoronaryArteryDisease,
            C::MyocardialInfarction,
            C::HeartFailureReducedEf,
            C::HeartFailure,
            C::AtrialFibrillation,
        ]
        .iter()
        .any(|k| record.has_active(*k));
        for class in BP_CLASSES {
            match taken(class) {
                Some(dose) => {
                    if let Some(next) = next_dose(dose) {
                        out.push(drug_step(StepKind::Raise(class, next), adherence));
                    }
                }
                None => {
                    let allowed = match class {
                        // PATHWAY-2 (Williams et al., Lancet 2015;386:2059): spironolactone as the
                        // fourth drug, for hypertension resistant to three.
                        D::Mra => n_bp_taken >= 3,
                        D::BetaBlocker => indication_bb,
                        D::NonDihydropyridineCcb => record.has_active(C::AtrialFibrillation),
                        _ => true,
                    };
                    if allowed {
                        out.push(drug_step(StepKind::Add(class, DoseLevel::Standard), adherence));
                    }
                }
            }
        }
        // Lifestyle: ACC/AHA 2017 §6.2 (Table 15) for every adult with raised BP.
        // Switches: a BP class taken now for one of the first-line classes not taken, when the
        // current one has no compelling indication of its own (beta-blockers with one are kept).
        let first_line = [D::AceInhibitor, D::Arb, D::CalciumChannelBlocker, D::Thiazide];
        for current in baseline.current_drugs.iter().filter(|d| d.class.lowers_bp()) {
            if current.class == D::BetaBlocker && indication_bb {
                continue;
            }
            for to in first_line.iter().copied().filter(|c| taken(*c).is_none() && *c != current.class) {
                out.push(switch_step(current.class, to, adherence));
            }
        }
        out.push(Step::lifestyle("salt reduction", Intervention::SodiumReduction { start_month: 0 }));
        out.push(Step::lifestyle("DASH diet", Intervention::DashDiet { start_month: 0 }));
        out.push(Step::lifestyle(
            "aerobic exercise 150 min/week",
            Intervention::Exercise { minutes_per_week: 150.0, start_month: 0 },
        ));
    }
    if ldl_unmet {
        // ESC/EAS 2019 Figure 5: statin to the highest tolerated intensity, then ezetimibe,
        // then a PCSK9 inhibitor.
        match taken(D::Statin) {
            Some(DoseLevel::Double) => {}
            Some(_) => out.push(drug_step(StepKind::Raise(D::Statin, DoseLevel::Double), adherence)),
            None => {
                out.push(drug_step(StepKind::Add(D::Statin, DoseLevel::Standard), adherence));
                out.push(drug_step(StepKind::Add(D::Statin, DoseLevel::Double), adherence));
            }
        }
        if taken(D::Ezetimibe).is_none() {
            out.push(drug_step(StepKind::Add(D::Ezetimibe, DoseLevel::Standard), adherence));
        }
        let statin_allergy = record.allergies.iter().any(|a| a.class == Some(D::Statin));
        if taken(D::Pcsk9Inhibitor).is_none() && (taken(D::Ezetimibe).is_some() || statin_allergy) {
            out.push(drug_step(StepKind::Add(D::Pcsk9Inhibitor, DoseLevel::Standard), adherence));
        }
    }
    out
}

/// Every subset of `items` of size 1..=`max`, in order of size.
fn subsets(n: usize, max: usize) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut frontier: Vec<Vec<usize>> = vec![Vec::new()];
    for _ in 0..max {
        let mut next = Vec::new();
        for set in &frontier {
            let start = set.last().map_or(0, |l| l + 1);
            for i in start..n {
                let mut s = set.clone();
                s.push(i);
                next.push(s);
            }
        }
        out.extend(next.iter().cloned());
        frontier = next;
    }
    out
}

fn share(ensemble: &Ensemble, pass: impl Fn(usize) -> bool) -> f64 {
    (0..ensemble.members).filter(|m| pass(*m)).count() as f64 / ensemble.members as f64
}

fn effects(ensemble: &Ensemble, month: usize) -> Vec<Effect> {
    [Output::Sbp, Output::Dbp, Output::Ldl]
        .into_iter()
        .map(|output| {
            let mut v: Vec<f64> = (0..ensemble.members).map(|m| ensemble.get(m, month, output)).collect();
            Effect { output, p05: quantile(&mut v, 0.05), median: quantile(&mut v, 0.5), p95: quantile(&mut v, 0.95) }
        })
        .collect()
}

/// Simulates one candidate and scores it against `targets`.
fn simulate(baseline: &Baseline, steps: Vec<Step>, targets: &Targets, config: &SearchConfig) -> Candidate {
    let scenario = Scenario {
        name: if steps.is_empty() { Scenario::current_treatment().name } else { steps_label(&steps) },
        interventions: steps.iter().flat_map(|s| s.interventions.iter().cloned()).collect(),
        strategy: None,
    };
    let ensemble = run_ensemble(
        baseline,
        &scenario,
        &EnsembleConfig { months: config.months, members: config.members, seed: config.seed },
    );
    let month = config.months as usize;
    let bp = |m: usize| {
        ensemble.get(m, month, Output::Sbp) < targets.sbp_below
            && ensemble.get(m, month, Output::Dbp) < targets.dbp_below
    };
    let ldl = |m: usize| ensemble.get(m, month, Output::Ldl) < targets.ldl_below_mmol;
    Candidate {
        probability: share(&ensemble, |m| bp(m) && ldl(m)),
        probability_bp: share(&ensemble, bp),
        probability_ldl: share(&ensemble, ldl),
        effects: effects(&ensemble, month),
        steps,
        scenario,
        risk: None,
        flags: Vec::new(),
        passed: Vec::new(),
    }
}

/// Event risk at `years` under `scenario`, per member.
fn risk_per_member(baseline: &Baseline, scenario: &Scenario, config: &SearchConfig) -> Vec<f64> {
    let months = config.risk_years * 12;
    let ensemble =
        run_ensemble(baseline, scenario, &EnsembleConfig { months, members: config.members, seed: config.seed });
    (0..ensemble.members).map(|m| ensemble.get(m, months as usize, Output::EventRisk) * 100.0).collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    quantile(&mut v, 0.5)
}

/// Searches for the simplest regimen that reaches `targets` for the patient of `record`, whose
/// twin's projection baseline is `baseline`.
pub fn suggest(record: &PatientRecord, baseline: &Baseline, targets: Targets, config: SearchConfig) -> Suggestion {
    let adherences: Vec<f64> = baseline.current_drugs.iter().map(|d| d.adherence).collect();
    let adherence = if adherences.is_empty() { 1.0 } else { adherences.iter().sum::<f64>() / adherences.len() as f64 };
    let current = simulate(baseline, Vec::new(), &targets, &config);
    let facts = SafetyFacts::of_record(record);
    let today: BTreeSet<D> = baseline.current_drugs.iter().map(|d| d.class).collect();
    if current.probability >= config.probability {
        return Suggestion {
            targets,
            outcome: Outcome::NoChange,
            ranked: Vec::new(),
            excluded: Vec::new(),
            why: format!(
                "today's treatment already reaches the targets in {:.0}% of simulated courses (≥ {:.0}% needed): no change suggested",
                current.probability * 100.0,
                config.probability * 100.0
            ),
            current,
            risk_note: None,
            assumed_adherence: adherence,
            config,
        };
    }
    let bp_unmet = current.probability_bp < config.probability;
    let ldl_unmet = current.probability_ldl < config.probability;
    let all = steps(record, baseline, bp_unmet, ldl_unmet, adherence);

    // Safety, step by step.
    let mut allowed = Vec::new();
    let mut excluded = Vec::new();
    for step in all {
        let class = step.class();
        let from = if let StepKind::Switch(from, _) = step.kind { Some(from) } else { None };
        let regimen: BTreeSet<D> = today.iter().copied().filter(|c| Some(*c) != from).chain(class).collect();
        let (findings, _) = facts.check(&class.into_iter().collect::<Vec<_>>(), &regimen);
        if findings.iter().any(|f| f.rule.verdict == safety::Verdict::Exclude) {
            excluded.push(Excluded { label: step.label.clone(), findings });
        } else {
            allowed.push(step);
        }
    }

    // Candidates. BP and lipid steps act on different outputs, so each group is searched on its
    // own target first (up to `max_steps` BP steps, up to two lipid steps), and the best few of
    // each are combined and simulated together: the search covers regimens of up to five steps
    // at the cost of a few hundred simulations.
    let (bp_steps, ldl_steps): (Vec<Step>, Vec<Step>) =
        allowed.into_iter().partition(|s| s.class().is_none_or(D::lowers_bp));
    let mut ctx =
        Ctx { baseline, targets: &targets, config: &config, facts: &facts, today: &today, excluded: &mut excluded };
    let bp_ranked = ctx.group(&bp_steps, config.max_steps, |c| c.probability_bp);
    let ldl_ranked = ctx.group(&ldl_steps, 2, |c| c.probability_ldl);
    let mut ranked: Vec<Candidate> = match (bp_unmet, ldl_unmet) {
        (true, false) => bp_ranked,
        (false, true) => ldl_ranked,
        _ => {
            // A group with no allowed step contributes nothing to a combination.
            let pick = |r: &[Candidate]| -> Vec<Vec<Step>> {
                if r.is_empty() {
                    vec![Vec::new()]
                } else {
                    r.iter().take(COMBINE).map(|c| c.steps.clone()).collect()
                }
            };
            // The single-group candidates stay in the list (ranked by the joint share), so the
            // clinician can see each BP and lipid option on its own too.
            let mut joint: Vec<Candidate> = bp_ranked.iter().chain(&ldl_ranked).cloned().collect();
            for b in pick(&bp_ranked) {
                for l in pick(&ldl_ranked) {
                    let steps: Vec<Step> = b.iter().chain(&l).cloned().collect();
                    if steps.is_empty() {
                        continue;
                    }
                    if let Some(c) = ctx.candidate(steps) {
                        joint.push(c);
                    }
                }
            }
            joint
        }
    };
    let reaches = |c: &Candidate| c.probability >= config.probability;
    sort(&mut ranked, |c| c.probability, config.probability);
    let outcome = match ranked.first() {
        Some(best) if reaches(best) => Outcome::Suggested,
        _ => Outcome::NoneReaches,
    };

    // Event risk for the suggestion and the next few, member by member against today's. Where
    // the twin has no event model for this patient (its hazards are empty), none is given.
    let current_risk = risk_per_member(baseline, &current.scenario, &config);
    let risk_note = current_risk
        .iter()
        .any(|r| !r.is_finite())
        .then(|| "no event-risk model applies to this patient's record, so no risk reduction is given".to_string());
    let n_risk = if risk_note.is_some() { 0 } else { 1 + config.risk_for };
    for c in ranked.iter_mut().take(n_risk) {
        let risk = risk_per_member(baseline, &c.scenario, &config);
        let diffs: Vec<f64> = current_risk.iter().zip(&risk).map(|(a, b)| a - b).collect();
        let mut d = diffs.clone();
        c.risk = Some(RiskChange {
            current: median(current_risk.clone()),
            candidate: median(risk),
            reduction: median(diffs),
            reduction_p05: quantile(&mut d, 0.05),
            reduction_p95: quantile(&mut d, 0.95),
        });
    }
    let why = explain(&ranked, &outcome, &config);
    Suggestion { targets, outcome, current, ranked, excluded, why, risk_note, assumed_adherence: adherence, config }
}

/// How many of each group's best candidates are combined.
const COMBINE: usize = 6;

/// Best first: those reaching `threshold` on `score` (simplest first, then the higher score),
/// then the rest by score.
fn sort(ranked: &mut [Candidate], score: impl Fn(&Candidate) -> f64, threshold: f64) {
    let reaches = |c: &Candidate| score(c) >= threshold;
    ranked.sort_by(|a, b| {
        reaches(b)
            .cmp(&reaches(a))
            .then_with(|| if reaches(a) { a.complexity().cmp(&b.complexity()) } else { std::cmp::Ordering::Equal })
            .then_with(|| score(b).total_cmp(&score(a)))
            .then_with(|| a.complexity().cmp(&b.complexity()))
            .then_with(|| a.label().cmp(&b.label()))
    });
}

/// What building candidates needs.
struct Ctx<'a> {
    baseline: &'a Baseline,
    targets: &'a Targets,
    config: &'a SearchConfig,
    facts: &'a SafetyFacts,
    today: &'a BTreeSet<D>,
    excluded: &'a mut Vec<Excluded>,
}

impl Ctx<'_> {
    /// One candidate, simulated, or `None` when it repeats a class or a lifestyle change, or a
    /// safety rule excludes the combination (kept, once per rule, for the clinician).
    fn candidate(&mut self, steps: Vec<Step>) -> Option<Candidate> {
        let classes: Vec<D> = steps.iter().filter_map(Step::class).collect();
        let touched: Vec<D> = steps.iter().flat_map(Step::touches).collect();
        let distinct: BTreeSet<D> = touched.iter().copied().collect();
        let lifestyle: BTreeSet<&str> =
            steps.iter().filter(|s| s.class().is_none()).map(|s| s.label.as_str()).collect();
        if distinct.len() != touched.len() || lifestyle.len() != steps.len() - classes.len() {
            return None;
        }
        let stopped: Vec<D> = steps
            .iter()
            .filter_map(|s| if let StepKind::Switch(from, _) = s.kind { Some(from) } else { None })
            .collect();
        let regimen: BTreeSet<D> =
            self.today.iter().copied().filter(|c| !stopped.contains(c)).chain(classes.iter().copied()).collect();
        let (findings, passed) = self.facts.check(&classes, &regimen);
        let excludes = |f: &&Finding| f.rule.verdict == safety::Verdict::Exclude;
        if findings.iter().any(|f| excludes(&f)) {
            // One example per rule is enough for the clinician; every combination would repeat it.
            let ids: Vec<safety::RuleId> = findings.iter().filter(excludes).map(|f| f.rule.id).collect();
            if !self.excluded.iter().any(|e| e.findings.iter().any(|f| ids.contains(&f.rule.id))) {
                self.excluded.push(Excluded { label: steps_label(&steps), findings });
            }
            return None;
        }
        let mut c = simulate(self.baseline, steps, self.targets, self.config);
        c.flags = findings;
        c.passed = passed;
        Some(c)
    }

    /// Every combination of up to `max` of `steps`, simulated and ranked on `score`.
    fn group(&mut self, steps: &[Step], max: usize, score: impl Fn(&Candidate) -> f64 + Copy) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = subsets(steps.len(), max)
            .into_iter()
            .filter_map(|set| self.candidate(set.iter().map(|i| steps[*i].clone()).collect()))
            .collect();
        sort(&mut out, score, self.config.probability);
        out
    }
}

fn explain(ranked: &[Candidate], outcome: &Outcome, config: &SearchConfig) -> String {
    let pct = |p: f64| format!("{:.0}%", p * 100.0);
    let Some(best) = ranked.first() else {
        return "no candidate passed the safety limits".into();
    };
    if *outcome == Outcome::NoneReaches {
        return format!(
            "no regimen within the search (up to {} BP steps and 2 lipid steps) reaches every target in {} of simulated courses; {} comes closest ({})",
            config.max_steps,
            pct(config.probability),
            best.label(),
            pct(best.probability)
        );
    }
    match ranked.get(1) {
        None => format!("{} is the only candidate that passed the safety limits", best.label()),
        Some(next) if next.probability < config.probability => format!(
            "{} reaches every target in {} of simulated courses; the next, {}, in only {}",
            best.label(),
            pct(best.probability),
            next.label(),
            pct(next.probability)
        ),
        Some(next) if next.complexity() > best.complexity() => format!(
            "{} is simpler ({} drug change{}, {} step{}) than the next that also reaches the targets, {} ({} drug changes, {} steps)",
            best.label(),
            best.drug_changes(),
            if best.drug_changes() == 1 { "" } else { "s" },
            best.steps.len(),
            if best.steps.len() == 1 { "" } else { "s" },
            next.label(),
            next.drug_changes(),
            next.steps.len()
        ),
        Some(next) => format!(
            "{} and {} are equally simple; the first reaches every target more often ({} against {})",
            best.label(),
            next.label(),
            pct(best.probability),
            pct(next.probability)
        ),
    }
}

/// The SCORE2 / SCORE2-OP 10-year risk (%) used for the LDL-C category, where it applies.
///
/// # Errors
/// Why SCORE2 gives no figure (age outside 40–89, no risk region), in plain words.
pub fn score2_percent(inputs: &crate::risk::RiskInputs) -> Result<f64, String> {
    crate::risk::score2::cvd_10y(inputs).risk.map(|r| r * 100.0).map_err(|e| e.describe())
}

/// Targets for `record` on `today` from its twin's risk inputs.
pub fn targets_for(record: &PatientRecord, today: Date, inputs: &crate::risk::RiskInputs) -> Targets {
    targets::targets(record, today, score2_percent(inputs))
}
