//! Treat-to-target strategies: a scenario that is a rule instead of a fixed list of changes.
//! "SBP below T, reviewed every N months; at each review, if the reading is above target, take
//! the next step: raise a drug taken to its next dose, else add the next class of a sequence."
//! The same for LDL-C (statin intensity, then ezetimibe, then a PCSK9 inhibitor).
//!
//! Each ensemble member follows its own course: the review reads *that member's* SBP (with the
//! noise of an office reading), so a member who reaches target is not titrated further and one
//! who responds poorly collects more drugs. The projection then shows the achieved BP, the
//! number of drugs over time, and the event risk of the strategy, not of one regimen.
//!
//! Assumptions, stated once:
//! - a step acts with the same onset as any drug change ([`super::effects::ONSET_MONTHS`]) and
//!   is taken as prescribed (adherence 1, no discontinuation): a strategy is a programme of
//!   visits, as in the trials it is checked against;
//! - an added class starts at its standard dose; a raise moves one rung up the dose ladder
//!   (half → standard → double; for statins low → moderate → high intensity);
//! - reviews fall on whole months (the projection's step); a review interval under a month
//!   reviews monthly.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::{bp_effect, flat, ldl_fraction, CurrentDrug};
use crate::drugs::{DoseLevel, DrugClass};

/// Within-person SD of one office SBP visit, mmHg: 8 (Rothwell PM et al. Lancet
/// 2010;375:895-905, visit-to-visit SD of 8–12 mmHg in treated hypertension; the lower end). The
/// twin's calibration ([`crate::twin::SBP_VISIT_SD`]) uses the same figure.
pub const OFFICE_SBP_VISIT_SD: f64 = 8.0;
/// Readings averaged at a review: 3, as an automated office measurement takes them (SPRINT's
/// protocol, Wright JT et al. N Engl J Med 2015;373:2103; ESC 2024 recommends the mean of the
/// last two or three). The review's reading error is the visit SD over √3.
pub const READINGS_PER_REVIEW: f64 = 3.0;
/// Within-person CV of one LDL-C measurement: 8% (Ricós C et al. Scand J Clin Lab Invest
/// 1999;59:491-500, LDL-C CVi 8.3%). The twin's calibration ([`crate::twin::LDL_CV`]) uses it.
pub const LDL_MEASUREMENT_CV: f64 = 0.08;
/// Lowest and highest SBP target a strategy may set, mmHg: below 90 is hypotension, above 180
/// is grade 3 hypertension (ESC 2024), neither a treatment target.
pub const SBP_TARGET_RANGE: (f64, f64) = (90.0, 180.0);
/// Lowest and highest LDL-C target, mmol/L: 0.5 (below the lowest on-treatment levels of the
/// PCSK9 outcome trials, FOURIER's median 0.78) to 5.0 (no guideline target is higher; ESC/EAS
/// 2019's loosest is < 3.0).
pub const LDL_TARGET_RANGE_MMOL: (f64, f64) = (0.5, 5.0);
/// Shortest review interval, months: two weeks (14 / 30.4375 days), the earliest a BP or LDL-C
/// effect is judged (most of either appears within 2–6 weeks; Law 2003, statin trials).
pub const MIN_REVIEW_MONTHS: f64 = 14.0 / 30.4375;
/// Longest review interval, months: treat-to-target reviews in guidelines and trials are 1–12
/// months apart (SPRINT monthly then 3-monthly; ESC 2024 hypertension, within 3 months of a
/// change); two years apart is no strategy.
pub const MAX_REVIEW_MONTHS: f64 = 24.0;

/// The usual order of BP-lowering classes: an ACE inhibitor (or ARB), a dihydropyridine CCB,
/// a thiazide(-like) diuretic, then spironolactone (PATHWAY-2, Williams B et al. Lancet
/// 2015;386:2059) and a beta-blocker (ESC 2024 hypertension guideline, treatment algorithm).
pub const DEFAULT_BP_SEQUENCE: [DrugClass; 5] = [
    DrugClass::AceInhibitor,
    DrugClass::CalciumChannelBlocker,
    DrugClass::Thiazide,
    DrugClass::Mra,
    DrugClass::BetaBlocker,
];
/// Statin, then ezetimibe, then a PCSK9 inhibitor (ESC/EAS 2019 dyslipidaemia guideline, and
/// ACC/AHA 2018).
pub const DEFAULT_LDL_SEQUENCE: [DrugClass; 3] = [DrugClass::Statin, DrugClass::Ezetimibe, DrugClass::Pcsk9Inhibitor];

/// A target, how often it is reviewed, and what is added in turn.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetRule {
    /// Treat while the reading is at or above this (SBP in mmHg, LDL-C in mmol/L).
    pub below: f64,
    /// Months between reviews.
    pub review_months: f64,
    /// Classes added in this order once nothing taken can be raised.
    pub sequence: Vec<DrugClass>,
    /// The exact steps to take, in order, one per review above target; when given (a plan of
    /// care, whose every step was checked for safety beforehand), it replaces the generic rule
    /// (raise what is taken, else add from `sequence`), and nothing is done once it is spent.
    pub ladder: Vec<Rung>,
}

/// One planned step of a ladder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rung {
    /// Raise a class taken to this dose.
    Raise(DrugClass, DoseLevel),
    /// Add a class at this dose.
    Add(DrugClass, DoseLevel),
}

/// A treat-to-target strategy: a BP rule, an LDL-C rule, or both.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Strategy {
    /// SBP target.
    pub sbp: Option<TargetRule>,
    /// LDL-C target (mmol/L).
    pub ldl: Option<TargetRule>,
}

/// Why a strategy cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StrategyError {
    /// Neither a BP nor an LDL-C target.
    #[error("a strategy needs an SBP target, an LDL-C target, or both")]
    NoTarget,
    /// A target outside its range.
    #[error("{0}")]
    Target(String),
    /// A review interval under two weeks or over [`MAX_REVIEW_MONTHS`].
    #[error("the {0} review interval must be at least two weeks (0.46 months) and at most 24 months, got {1} months")]
    Review(&'static str, String),
    /// An empty sequence, or a class that does not act on the target.
    #[error("{0}")]
    Sequence(String),
}

impl Strategy {
    /// Checks targets, review intervals and sequences.
    ///
    /// # Errors
    /// [`StrategyError`] naming the bad value.
    pub fn validate(&self) -> Result<(), StrategyError> {
        if self.sbp.is_none() && self.ldl.is_none() {
            return Err(StrategyError::NoTarget);
        }
        if let Some(rule) = &self.sbp {
            let (lo, hi) = SBP_TARGET_RANGE;
            if !(lo..=hi).contains(&rule.below) {
                return Err(StrategyError::Target(format!(
                    "an SBP target must be {lo:.0}–{hi:.0} mmHg, got {}",
                    rule.below
                )));
            }
            check_rule(rule, "BP", |c| c.lowers_bp())?;
        }
        if let Some(rule) = &self.ldl {
            let (lo, hi) = LDL_TARGET_RANGE_MMOL;
            if !(lo..=hi).contains(&rule.below) {
                return Err(StrategyError::Target(format!(
                    "an LDL-C target must be {lo}–{hi} mmol/L, got {:.2}",
                    rule.below
                )));
            }
            check_rule(rule, "LDL-C", |c| ldl_fraction(c, DoseLevel::Standard) > 0.0)?;
        }
        Ok(())
    }

    /// A label for tables: "SBP < 120 every 1 mo; LDL-C < 1.8 every 3 mo".
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.sbp {
            parts.push(format!("SBP < {:.0} mmHg, reviewed every {} mo", r.below, months_text(r.review_months)));
        }
        if let Some(r) = &self.ldl {
            parts.push(format!("LDL-C < {:.1} mmol/L, reviewed every {} mo", r.below, months_text(r.review_months)));
        }
        parts.join("; ")
    }
}

fn months_text(m: f64) -> String {
    if (m - m.round()).abs() < 1e-9 {
        format!("{m:.0}")
    } else {
        format!("{m:.1}")
    }
}

fn check_rule(rule: &TargetRule, what: &'static str, acts: impl Fn(DrugClass) -> bool) -> Result<(), StrategyError> {
    if !(MIN_REVIEW_MONTHS..=MAX_REVIEW_MONTHS).contains(&rule.review_months) {
        return Err(StrategyError::Review(what, format!("{}", rule.review_months)));
    }
    if rule.sequence.is_empty() && rule.ladder.is_empty() {
        return Err(StrategyError::Sequence(format!("the {what} sequence is empty: name at least one class to add")));
    }
    for (i, c) in rule.sequence.iter().enumerate() {
        if !acts(*c) {
            return Err(StrategyError::Sequence(format!(
                "{} does not lower {what}: it cannot be in its sequence",
                c.label()
            )));
        }
        if rule.sequence[..i].contains(c) {
            return Err(StrategyError::Sequence(format!("{} appears twice in the {what} sequence", c.label())));
        }
    }
    Ok(())
}

/// The next rung of `class`'s dose ladder, if any. Ezetimibe and the PCSK9 inhibitors have one
/// dose (their effect does not rise with it, [`ldl_fraction`]), so no rung.
fn next_dose(class: DrugClass, dose: DoseLevel) -> Option<DoseLevel> {
    if matches!(class, DrugClass::Ezetimibe | DrugClass::Pcsk9Inhibitor) {
        return None;
    }
    match dose {
        DoseLevel::Half => Some(DoseLevel::Standard),
        DoseLevel::Standard => Some(DoseLevel::Double),
        DoseLevel::Double => None,
    }
}

/// One step a member took: at `month`, `class` went from `from` (none = not taken) to `to`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// Month of the review that took it.
    pub month: usize,
    /// Class.
    pub class: DrugClass,
    /// Dose before (none when added).
    pub from: Option<DoseLevel>,
    /// Dose after.
    pub to: DoseLevel,
    /// Share of doses taken (today's for a drug on record, 1 for an added one).
    pub adherence: f64,
}

/// A step's effect at full onset and full adherence: the SBP, DBP and heart-rate falls (at response
/// factor 1), and the share of LDL-C its class removes before and after.
#[derive(Debug, Clone, Copy, PartialEq)]
struct StepEffect {
    sbp: f64,
    dbp: f64,
    heart_rate: f64,
    ldl_before: f64,
    ldl_after: f64,
}

impl StepEffect {
    fn of(s: &Step) -> Self {
        let before = s.from.map_or((0.0, 0.0), |d| bp_effect(s.class, d));
        let after = bp_effect(s.class, s.to);
        let hr = |d: Option<DoseLevel>| {
            d.and_then(|d| s.class.heart_rate_effect_standard_dose().map(|b| b * d.heart_rate_effect_fraction()))
                .unwrap_or(0.0)
        };
        Self {
            sbp: after.0 - before.0,
            dbp: after.1 - before.1,
            heart_rate: hr(Some(s.to)) - hr(s.from),
            ldl_before: s.from.map_or(0.0, |d| ldl_fraction(s.class, d)) * s.adherence,
            ldl_after: ldl_fraction(s.class, s.to) * s.adherence,
        }
    }
}

/// Months after a step from which its onset is complete to within 1e-9 (ln 1e9 ≈ 20.7 onset time
/// constants of half a month, [`super::effects::ONSET_MONTHS`]): from then it is folded into the
/// settled sum.
const SETTLED_MONTHS: f64 = 11.0;

/// What a member's steps change at a month, on top of its plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adjustment {
    /// SBP change at response factor 1 and Law's pretreatment SBP (as the plan's drug term).
    pub drug_sbp: f64,
    /// DBP change, as `drug_sbp`.
    pub drug_dbp: f64,
    /// Heart-rate change, bpm.
    pub heart_rate: f64,
    /// Factor on LDL-C.
    pub ldl_factor: f64,
    /// BP-lowering classes added.
    pub bp_drugs_added: f64,
}

impl Adjustment {
    /// Adds a step's effect at onset share `onset`.
    fn add(&mut self, s: &Step, e: &StepEffect, onset: f64, ldl_rho: f64) {
        let k = onset * s.adherence;
        self.drug_sbp -= e.sbp * k;
        self.drug_dbp -= e.dbp * k;
        self.heart_rate -= e.heart_rate * k;
        if e.ldl_after != e.ldl_before {
            let now = e.ldl_before + (e.ldl_after - e.ldl_before) * onset;
            self.ldl_factor *= flat::ldl_ratio(std::iter::once((now, e.ldl_before)), ldl_rho);
        }
        if s.from.is_none() && s.class.lowers_bp() {
            self.bp_drugs_added += 1.0;
        }
    }

    /// No change.
    pub const NONE: Adjustment =
        Adjustment { drug_sbp: 0.0, drug_dbp: 0.0, heart_rate: 0.0, ldl_factor: 1.0, bp_drugs_added: 0.0 };
}

/// What the member step asks of a strategy: the change its steps make at a month, and a
/// review of the month's values. [`Fixed`] is a fixed regimen's (nothing, compiled away).
pub trait Course {
    /// The change at `month` (the member's LDL-C response factor `ldl_rho` scales lipid drugs).
    fn adjustment(&mut self, month: usize, ldl_rho: f64) -> Adjustment;
    /// Reviews `month`'s true SBP and LDL-C (mmol/L); may take a step that acts from then on.
    fn review(&mut self, month: usize, sbp: f64, ldl: f64);
}

/// A fixed regimen: no reviews.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fixed;

impl Course for Fixed {
    #[inline(always)]
    fn adjustment(&mut self, _month: usize, _ldl_rho: f64) -> Adjustment {
        Adjustment::NONE
    }
    #[inline(always)]
    fn review(&mut self, _month: usize, _sbp: f64, _ldl: f64) {}
}

/// One member's course under a strategy.
#[derive(Debug, Clone)]
pub struct Titration<'a> {
    strategy: &'a Strategy,
    /// Classes taken now (today's drugs, then the steps), with dose and adherence.
    taken: Vec<CurrentDrug>,
    steps: Vec<Step>,
    /// Each step's effect at full onset, worked out once when it is taken.
    effects: Vec<StepEffect>,
    /// The summed effect of the first `settled_upto` steps, whose onset is complete.
    settled: Adjustment,
    settled_upto: usize,
    /// Rungs of the BP and LDL-C ladders taken so far.
    rungs_taken: [usize; 2],
    rng: ChaCha8Rng,
}

impl<'a> Titration<'a> {
    /// A member's course from today's drugs. The reading noise at reviews comes from a stream
    /// seeded by the member's own draws (`draws`' first two numbers), so it is the same on every
    /// run of the same member and independent between members.
    pub fn new(strategy: &'a Strategy, start: &[CurrentDrug], draws: &[f64]) -> Self {
        let bits = |i: usize| draws.get(i).map_or(0, |x: &f64| x.to_bits());
        let stream = bits(0) ^ bits(1).rotate_left(29) ^ 0x5354_5241_5445_4759;
        Self {
            strategy,
            taken: start.to_vec(),
            steps: Vec::new(),
            effects: Vec::new(),
            settled: Adjustment::NONE,
            settled_upto: 0,
            rungs_taken: [0, 0],
            rng: ChaCha8Rng::seed_from_u64(stream),
        }
    }

    /// The steps taken so far.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    fn is_review(rule: &TargetRule, month: usize) -> bool {
        if month == 0 {
            return false;
        }
        let every = rule.review_months.max(1.0);
        // Month m is a review when a multiple of the interval falls in (m − 1, m].
        let m = month as f64;
        ((m / every).floor() - ((m - 1.0) / every).floor()) >= 1.0 - 1e-9
    }

    /// Takes the next step for `rule` (`which`: 0 BP, 1 LDL-C), if one is left: the plan's next
    /// rung where there is a ladder; else, for BP, raise a class taken at half dose, else add the
    /// sequence's next class not taken, else raise a class to double dose; for LDL-C, raise a
    /// class below its top dose, else add the next class (each in the sequence's order, then any
    /// other class that acts).
    fn step(&mut self, month: usize, rule: &TargetRule, acts: fn(DrugClass) -> bool, which: usize) {
        if !rule.ladder.is_empty() {
            let Some(rung) = rule.ladder.get(self.rungs_taken[which]).copied() else { return };
            self.rungs_taken[which] += 1;
            match rung {
                Rung::Raise(class, to) => {
                    if let Some(i) = self.taken.iter().position(|d| d.class == class) {
                        let d = self.taken[i];
                        self.take(Step { month, class, from: Some(d.dose), to, adherence: d.adherence });
                        self.taken[i].dose = to;
                    }
                }
                Rung::Add(class, to) => {
                    self.take(Step { month, class, from: None, to, adherence: 1.0 });
                    self.taken.push(CurrentDrug { class, dose: to, adherence: 1.0 });
                }
            }
            return;
        }
        // BP: combinations of standard doses before maximal ones (ESC 2024 hypertension
        // guideline, treatment algorithm; Law 2009: a second drug at standard dose lowers BP more
        // than doubling the first), so only a half dose is raised before the next class is added.
        // LDL-C: the statin to its highest intensity first, then ezetimibe, then a PCSK9
        // inhibitor (ESC/EAS 2019, Figure 5).
        if let Some(i) = self.to_raise(rule, acts, which == 0) {
            self.raise(month, i);
            return;
        }
        // An ARB stands in for an ACE inhibitor (and the other way round): never both.
        let blocked = |c: DrugClass| {
            let raas = [DrugClass::AceInhibitor, DrugClass::Arb];
            raas.contains(&c) && self.taken.iter().any(|d| raas.contains(&d.class))
        };
        if let Some(class) =
            rule.sequence.iter().copied().find(|c| !self.taken.iter().any(|d| d.class == *c) && !blocked(*c))
        {
            let to = DoseLevel::Standard;
            self.take(Step { month, class, from: None, to, adherence: 1.0 });
            self.taken.push(CurrentDrug { class, dose: to, adherence: 1.0 });
            return;
        }
        if let Some(i) = self.to_raise(rule, acts, false) {
            self.raise(month, i);
        }
    }

    /// The drug taken to raise next (in the sequence's order, then any other class that acts):
    /// one at half dose only, or any below its top dose.
    fn to_raise(&self, rule: &TargetRule, acts: fn(DrugClass) -> bool, half_only: bool) -> Option<usize> {
        let rank = |c: DrugClass| rule.sequence.iter().position(|s| *s == c).unwrap_or(usize::MAX);
        self.taken
            .iter()
            .enumerate()
            .filter(|(_, d)| acts(d.class) && next_dose(d.class, d.dose).is_some())
            .filter(|(_, d)| !half_only || d.dose == DoseLevel::Half)
            .min_by_key(|(_, d)| rank(d.class))
            .map(|(i, _)| i)
    }

    /// Records a step and its effect.
    fn take(&mut self, step: Step) {
        self.effects.push(StepEffect::of(&step));
        self.steps.push(step);
    }

    /// Raises the `i`-th drug taken one rung.
    fn raise(&mut self, month: usize, i: usize) {
        let d = self.taken[i];
        if let Some(to) = next_dose(d.class, d.dose) {
            self.take(Step { month, class: d.class, from: Some(d.dose), to, adherence: d.adherence });
            self.taken[i].dose = to;
        }
    }
}

fn lowers_ldl(c: DrugClass) -> bool {
    ldl_fraction(c, DoseLevel::Standard) > 0.0
}

fn lowers_bp(c: DrugClass) -> bool {
    c.lowers_bp()
}

impl Course for Titration<'_> {
    fn adjustment(&mut self, month: usize, ldl_rho: f64) -> Adjustment {
        let m = month as f64;
        // Steps whose onset is complete are folded into `settled` once (months are visited in
        // order, and a member's response factor is fixed), so a long course does not sum its
        // early steps every month.
        while let Some((s, e)) = self.steps.get(self.settled_upto).zip(self.effects.get(self.settled_upto)) {
            if m - (s.month as f64) < SETTLED_MONTHS {
                break;
            }
            self.settled.add(s, e, 1.0, ldl_rho);
            self.settled_upto += 1;
        }
        let mut a = self.settled;
        for (s, e) in self.steps[self.settled_upto..].iter().zip(&self.effects[self.settled_upto..]) {
            let onset = super::onset(m - s.month as f64);
            if onset * s.adherence > 0.0 {
                a.add(s, e, onset, ldl_rho);
            }
        }
        a
    }

    fn review(&mut self, month: usize, sbp: f64, ldl: f64) {
        let strategy = self.strategy;
        if let Some(rule) = &strategy.sbp {
            if Self::is_review(rule, month) {
                let z: f64 = StandardNormal.sample(&mut self.rng);
                let reading = sbp + OFFICE_SBP_VISIT_SD / READINGS_PER_REVIEW.sqrt() * z;
                if reading >= rule.below {
                    self.step(month, rule, lowers_bp, 0);
                }
            }
        }
        if let Some(rule) = &strategy.ldl {
            if Self::is_review(rule, month) {
                let z: f64 = StandardNormal.sample(&mut self.rng);
                let reading = ldl * (LDL_MEASUREMENT_CV * z).exp();
                if reading >= rule.below {
                    self.step(month, rule, lowers_ldl, 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(below: f64, review_months: f64, sequence: Vec<DrugClass>) -> TargetRule {
        TargetRule { below, review_months, sequence, ladder: Vec::new() }
    }

    #[test]
    fn bad_strategies_are_refused_with_the_reason() {
        let bp = |below, review, seq| Strategy { sbp: Some(rule(below, review, seq)), ldl: None };
        let ok = bp(120.0, 1.0, DEFAULT_BP_SEQUENCE.to_vec());
        assert!(ok.validate().is_ok());
        assert_eq!(Strategy::default().validate(), Err(StrategyError::NoTarget));
        assert!(bp(85.0, 1.0, DEFAULT_BP_SEQUENCE.to_vec()).validate().unwrap_err().to_string().contains("90–180"));
        assert!(bp(185.0, 1.0, DEFAULT_BP_SEQUENCE.to_vec()).validate().is_err());
        assert!(bp(120.0, 0.3, DEFAULT_BP_SEQUENCE.to_vec()).validate().unwrap_err().to_string().contains("two weeks"));
        assert!(bp(120.0, 0.5, DEFAULT_BP_SEQUENCE.to_vec()).validate().is_ok(), "two weeks and a bit is allowed");
        assert!(bp(120.0, 1.0, vec![]).validate().unwrap_err().to_string().contains("empty"));
        assert!(bp(120.0, 1.0, vec![DrugClass::Statin]).validate().unwrap_err().to_string().contains("does not lower"));
        let twice = vec![DrugClass::Thiazide, DrugClass::Thiazide];
        assert!(bp(120.0, 1.0, twice).validate().unwrap_err().to_string().contains("twice"));
        let ldl = Strategy { sbp: None, ldl: Some(rule(0.2, 3.0, DEFAULT_LDL_SEQUENCE.to_vec())) };
        assert!(ldl.validate().unwrap_err().to_string().contains("LDL-C target"));
    }

    use crate::progression::{run_ensemble, EnsembleConfig, Output, Scenario};

    fn strategy(sbp_below: Option<f64>, ldl_below: Option<f64>) -> Scenario {
        Scenario {
            name: "strategy".into(),
            interventions: Vec::new(),
            strategy: Some(Strategy {
                sbp: sbp_below.map(|b| rule(b, 1.0, DEFAULT_BP_SEQUENCE.to_vec())),
                ldl: ldl_below.map(|b| rule(b, 3.0, DEFAULT_LDL_SEQUENCE.to_vec())),
            }),
        }
    }

    fn median_at(e: &crate::progression::Ensemble, month: usize, output: Output) -> f64 {
        let mut v: Vec<f64> = (0..e.members).map(|m| e.get(m, month, output)).collect();
        crate::progression::quantile(&mut v, 0.5)
    }

    /// A target no member is above never titrates: the strategy's projection is today's
    /// treatment's, member for member.
    #[test]
    fn a_target_everyone_meets_changes_nothing() {
        let b = crate::progression::Baseline {
            sbp: (125.0, 4.0),
            dbp: (78.0, 2.5),
            ..crate::progression::tests::baseline()
        };
        let config = EnsembleConfig { months: 24, members: 200, seed: 4 };
        let fixed = run_ensemble(&b, &Scenario::current_treatment(), &config);
        let lenient = run_ensemble(&b, &strategy(Some(180.0), None), &config);
        let differ = fixed.values.iter().zip(&lenient.values).position(|(a, b)| a.to_bits() != b.to_bits());
        assert_eq!(differ, None, "first difference at {differ:?}");
    }

    /// Intensive against standard targets: more drugs, lower SBP, lower risk; members who reach
    /// the target stop collecting drugs, so not everyone ends on the whole sequence.
    #[test]
    fn a_lower_target_adds_drugs_member_by_member() {
        let b = crate::progression::tests::baseline();
        let config = EnsembleConfig { months: 24, members: 400, seed: 4 };
        let fixed = run_ensemble(&b, &Scenario::current_treatment(), &config);
        let intensive = run_ensemble(&b, &strategy(Some(120.0), None), &config);
        let standard = run_ensemble(&b, &strategy(Some(140.0), None), &config);
        let at12 = |e, o| median_at(e, 12, o);
        assert!(at12(&intensive, Output::Sbp) < at12(&standard, Output::Sbp));
        assert!(at12(&standard, Output::Sbp) < at12(&fixed, Output::Sbp));
        assert!(at12(&intensive, Output::BpDrugs) > at12(&standard, Output::BpDrugs));
        assert_eq!(at12(&fixed, Output::BpDrugs), 1.0, "the ACE inhibitor on record");
        assert!(median_at(&intensive, 24, Output::EventRisk) < median_at(&fixed, 24, Output::EventRisk));
        let drugs: Vec<f64> = (0..standard.members).map(|m| standard.get(m, 24, Output::BpDrugs)).collect();
        let (fewest, most) = drugs.iter().fold((f64::MAX, 0.0_f64), |(lo, hi), d| (lo.min(*d), hi.max(*d)));
        assert!(fewest < most, "members differ in their drugs: {fewest}–{most}");
        assert!(most <= 1.0 + DEFAULT_BP_SEQUENCE.len() as f64 - 1.0, "an ARB never joins the ACE inhibitor");
    }

    /// An LDL-C target raises a statin's intensity, then adds ezetimibe, then a PCSK9 inhibitor.
    #[test]
    fn an_ldl_target_climbs_the_lipid_sequence() {
        let b = crate::progression::tests::baseline();
        let s = Strategy { sbp: None, ldl: Some(rule(1.4, 3.0, DEFAULT_LDL_SEQUENCE.to_vec())) };
        let draws = crate::progression::mean_draws(24);
        let mut t = Titration::new(&s, &b.current_drugs, &draws);
        let mut ldl = 3.6;
        for month in 0..=24 {
            t.review(month, 150.0, ldl);
            ldl = 3.6 * t.adjustment(month + 1, 1.0).ldl_factor;
        }
        let classes: Vec<(usize, DrugClass, Option<DoseLevel>)> =
            t.steps().iter().map(|s| (s.month, s.class, s.from)).collect();
        assert_eq!(
            classes[..4],
            [
                (3, DrugClass::Statin, None),
                (6, DrugClass::Statin, Some(DoseLevel::Standard)),
                (9, DrugClass::Ezetimibe, None),
                (12, DrugClass::Pcsk9Inhibitor, None)
            ]
        );
        assert!(ldl < 1.4, "statin, ezetimibe and a PCSK9 inhibitor bring 3.6 mmol/L below 1.4: {ldl}");
        assert_eq!(t.steps().len(), 4, "nothing is left to add once the target is met");
    }

    #[test]
    fn reviews_fall_on_the_interval() {
        let r = |every| rule(120.0, every, vec![DrugClass::Thiazide]);
        let months = |every| (0..=12).filter(|m| Titration::is_review(&r(every), *m)).collect::<Vec<_>>();
        assert_eq!(months(3.0), vec![3, 6, 9, 12]);
        assert_eq!(months(1.0), (1..=12).collect::<Vec<_>>());
        assert_eq!(months(0.5), (1..=12).collect::<Vec<_>>(), "under a month reviews monthly");
        assert_eq!(months(6.0), vec![6, 12]);
    }
}
