//! Guideline-directed therapy for heart failure as a plan of care: the four pillars started and
//! titrated, ivabradine where it belongs, loop diuretics for congestion only, and device
//! assessment, each change checked by the safety rules on the regimen it produces.
//!
//! # Order and doses
//! - **HFrEF (EF ≤ 40 %):** an ARNI (sacubitril/valsartan) or ACE inhibitor/ARB, an
//!   evidence-based beta-blocker, an MRA and an SGLT2 inhibitor, all class I (McDonagh TA et al.
//!   2021 ESC heart-failure guidelines, Eur Heart J 2021;42:3599, and the 2023 focused update,
//!   Eur Heart J 2023;44:3627; Heidenreich PA et al. 2022 AHA/ACC/HFSA guideline, Circulation
//!   2022;145:e895). A patient on an ACE inhibitor or ARB who remains symptomatic (NYHA II–IV)
//!   is switched to sacubitril/valsartan (ESC 2021 class I), 36 hours after the last ACE
//!   inhibitor dose; one on neither starts it de novo (ACC/AHA/HFSA 2022 class 1; ESC IIb), or an
//!   ACE inhibitor where eGFR is below 30 or SBP below 100 mmHg.
//! - Missing pillars come first, then titration towards the trials' target doses
//!   ([`target_daily_mg`], ESC 2021 Table 8); with SBP under 110 mmHg the pillars that barely
//!   lower BP (SGLT2 inhibitor, MRA) go first and a step changes one BP-lowering drug at most.
//!   Steps are a month apart (ESC 2021: titrate every 1–2 weeks in hospital, 2–4 weeks as an
//!   outpatient; STRONG-HF titrated over 6 weeks), at most two drug changes each (the plan of
//!   care's rule, [`super::plan`]), one change a drug, and one potassium-raising change (RAAS
//!   blocker or MRA) a step, so a rise in K⁺ or creatinine has one cause.
//! - Sacubitril/valsartan starts at 24/26 mg twice daily without an ACE inhibitor or ARB to
//!   switch from, at SBP under 110 mmHg, eGFR under 30 or age 75 or more (FDA label: the lower
//!   start for those not on an ACE inhibitor or ARB, or on a low dose, or with severe renal
//!   impairment, and in the elderly; ESC 2021 Table 8's footnote after symptomatic hypotension),
//!   else 49/51 mg.
//! - Gates (ESC 2021 practical guidance, Tables 8–10 and the titration sections): a RAAS blocker
//!   or MRA is started or raised only with K⁺ ≤ 5.0 mmol/L and eGFR ≥ 30; SGLT2 inhibitors from
//!   eGFR 20 (EMPEROR-Reduced's floor); a beta-blocker started or raised at a heart rate of 60 or
//!   more and SBP of 90 or more; ivabradine in sinus rhythm at 70 bpm or more with EF ≤ 35 %
//!   once the beta-blocker is at target or cannot be raised (ESC 2021 class IIa; SHIFT).
//! - **Loop diuretics** relieve congestion and do not change prognosis (ESC 2021 class I for
//!   congestion only): never started by the plan; one on record is reviewed against congestion.
//! - **Devices:** an ICD when EF ≤ 35 % after ≥ 3 months of optimised therapy in NYHA II–III
//!   and expected to survive substantially longer than a year (ESC 2021: class I ischaemic, IIa
//!   non-ischaemic); CRT by QRS width and morphology: LBBB ≥ 150 ms class I, LBBB 130–149 ms or
//!   non-LBBB ≥ 150 ms IIa, non-LBBB 130–149 ms IIb, under 130 ms not indicated.
//! - **EF above 40 %:** an SGLT2 inhibitor (ESC 2023 class I for HFmrEF and HFpEF; DELIVER,
//!   EMPEROR-Preserved); the rest is BP and lipid care as usual.

use time::Date;

use super::plan::{checks_for, to_interventions, Action, PlanStep, PlannedChange};
use super::safety::{Alert, Change, RegimenDrug, SafetyFacts, Severity};
use crate::drugs::{DoseLevel, DrugClass as D};
use crate::formulary;
use crate::progression::heart_failure::HeartFailureBaseline;
use crate::progression::scenario::Intervention;
use crate::progression::Baseline;
use crate::record::{ConditionKind, MeasurementKind as K, NyhaClass, PatientRecord};

/// Potassium above which no RAAS blocker or MRA is started or raised, mmol/L (ESC 2021).
pub const K_MAX: f64 = 5.0;
/// eGFR below which no RAAS blocker or MRA is started or raised (ESC 2021), and below which an
/// ARNI starts at its lowest dose (FDA label).
pub const EGFR_MIN: f64 = 30.0;
/// eGFR below which no SGLT2 inhibitor is started (EMPEROR-Reduced enrolled from 20).
pub const EGFR_SGLT2_MIN: f64 = 20.0;
/// SBP below which no ARNI is started (PARADIGM-HF's run-in), mmHg.
pub const SBP_ARNI_MIN: f64 = 100.0;
/// SBP below which an ARNI starts at 24/26 mg and one BP-lowering change is made at a time, mmHg.
pub const SBP_CAUTIOUS: f64 = 110.0;
/// SBP below which no beta-blocker is started or raised, mmHg (ESC 2021: symptomatic hypotension
/// or SBP < 90 stops titration).
pub const SBP_BETA_BLOCKER_MIN: f64 = 90.0;
/// Heart rate below which no beta-blocker is started or raised, bpm (ESC 2021: titrate to the
/// target dose or a resting rate of about 60).
pub const HR_BETA_BLOCKER_MIN: f64 = 60.0;
/// Heart rate from which ivabradine is added in sinus rhythm, bpm (ESC 2021; SHIFT).
pub const HR_IVABRADINE_MIN: f64 = 70.0;
/// EF at or below which ivabradine and an ICD are considered, %.
pub const EF_DEVICE_MAX: f64 = 35.0;
/// Age from which an ARNI starts at its lowest dose (FDA label), years.
pub const ARNI_LOW_START_AGE: f64 = 75.0;
/// Days of optimised therapy before a device is assessed (ESC 2021: ≥ 3 months).
pub const OPTIMISED_DAYS: i64 = 90;

/// The trials' target daily dose of an agent in heart failure, mg (ESC 2021 Table 8, evidence-
/// based doses): where the plan titrates to. `None` for agents without one.
pub fn target_daily_mg(agent: &str) -> Option<f64> {
    Some(match agent {
        "ramipril" => 10.0,
        "enalapril" => 20.0,
        "lisinopril" => 20.0,
        "candesartan" => 32.0,
        "valsartan" => 320.0,
        "losartan" => 150.0,
        // 97/103 mg twice daily, named by its total milligrams.
        "sacubitril" => 400.0,
        "bisoprolol" => 10.0,
        // 25 mg twice daily (the US label allows 50 mg twice daily above 85 kg; the formulary's
        // maximum, and the plan's target, is 50 mg a day).
        "carvedilol" => 50.0,
        "metoprolol" => 200.0,
        "nebivolol" => 10.0,
        "spironolactone" => 50.0,
        "eplerenone" => 50.0,
        "dapagliflozin" | "empagliflozin" => 10.0,
        "ivabradine" => 15.0,
        _ => return None,
    })
}

/// What the heart-failure plan reads of the patient.
#[derive(Debug, Clone, PartialEq)]
pub struct HeartFailureFacts {
    /// EF ≤ 40 %.
    pub reduced_ef: bool,
    /// Latest EF, %.
    pub ef: f64,
    /// Latest NYHA class.
    pub nyha: NyhaClass,
    /// Today's SBP (the twin's), mmHg.
    pub sbp: f64,
    /// Resting heart rate (the twin's), bpm.
    pub heart_rate: f64,
    /// Latest potassium, mmol/L.
    pub potassium: Option<f64>,
    /// Latest eGFR.
    pub egfr: Option<f64>,
    /// Age, years.
    pub age: f64,
    /// Atrial fibrillation or flutter on record (no sinus rhythm for ivabradine).
    pub atrial_fibrillation: bool,
    /// Latest QRS duration, ms.
    pub qrs_ms: Option<f64>,
    /// Left bundle-branch block on record.
    pub lbbb: bool,
    /// Ischaemic aetiology (coronary disease or MI on record): ICD class I rather than IIa.
    pub ischaemic: bool,
    /// A rise in weight of [`crate::twin::RAPID_GAIN_KG`] or more within three days, kg, where
    /// the readings show one ([`crate::twin::weight_trend`]).
    pub weight_gain_3d: Option<f64>,
}

impl HeartFailureFacts {
    /// Reads the record on `today` with the twin's baseline.
    pub fn of(record: &PatientRecord, today: Date, baseline: &Baseline, hf: &HeartFailureBaseline) -> Self {
        let latest = |k: K| record.latest(k).map(|s| s.value);
        let has = |k: ConditionKind| record.has_condition(k);
        let weight_gain_3d = crate::twin::weight_trend(record, today).and_then(|t| t.rapid_gain).map(|g| g.kg);
        Self {
            reduced_ef: hf.reduced_ef,
            ef: hf.maggic.ejection_fraction,
            nyha: hf.maggic.nyha,
            sbp: baseline.sbp.0,
            heart_rate: baseline.heart_rate,
            potassium: latest(K::Potassium),
            egfr: latest(K::Egfr).or(baseline.egfr),
            age: baseline.age,
            atrial_fibrillation: has(ConditionKind::AtrialFibrillation),
            qrs_ms: latest(K::QrsDuration),
            lbbb: has(ConditionKind::LeftBundleBranchBlock),
            ischaemic: has(ConditionKind::CoronaryArteryDisease) || has(ConditionKind::MyocardialInfarction),
            weight_gain_3d,
        }
    }

    fn potassium_ok(&self) -> bool {
        self.potassium.is_none_or(|k| k <= K_MAX)
    }

    fn egfr_at_least(&self, floor: f64) -> bool {
        self.egfr.is_none_or(|e| e >= floor)
    }
}

/// A planned drug change with its interventions and the safety rules' cautions.
struct Planned {
    change: PlannedChange,
    safety: Change,
    lowers_bp: bool,
    alerts: Vec<Alert>,
    /// A condition the step waits for ("if resting heart rate is still 70 bpm or more"): such a
    /// change takes a step of its own.
    condition: Option<String>,
}

/// Takes `p` into the plan when the safety rules allow the regimen `after` it (its cautions
/// attached), else excludes it with the rule.
fn accept(
    facts: &SafetyFacts,
    now: &mut Vec<RegimenDrug>,
    after: Vec<RegimenDrug>,
    mut p: Planned,
    planned: &mut Vec<Planned>,
    excluded: &mut Vec<(String, Vec<Alert>)>,
) {
    let alerts = facts.check_change(now, &p.safety, &after);
    if alerts.iter().any(|a| a.severity == Severity::Contraindicated) {
        let forbidding = alerts.into_iter().filter(|a| a.severity == Severity::Contraindicated).collect();
        excluded.push((p.change.label.clone(), forbidding));
        return;
    }
    *now = after;
    p.alerts = alerts;
    planned.push(p);
}

/// The heart-failure plan: its steps (each with the interventions that project it) and the
/// changes the safety rules forbade.
#[derive(Debug, Clone, PartialEq)]
pub struct HeartFailurePlan {
    /// Now, then monthly titration steps, then reviews.
    pub steps: Vec<(PlanStep, Vec<Intervention>)>,
    /// Changes never proposed, with the rule.
    pub excluded: Vec<(String, Vec<Alert>)>,
}

/// The agent on record for a class, or the class's usual one.
fn agent_of(regimen: &[RegimenDrug], class: D) -> &'static formulary::Agent {
    regimen
        .iter()
        .find(|r| r.class == class)
        .and_then(|r| r.agent.as_deref())
        .and_then(formulary::agent_by_name)
        .filter(|a| a.class == class)
        .unwrap_or_else(|| formulary::preferred_agent(class))
}

/// The next dose towards the agent's HF target, as a dose level and daily mg; `None` at target.
/// Plans name doses by level (half, standard, double: [`formulary::name_dose`]), so a step goes
/// to the next level's dose, about a doubling, as ESC 2021 titrates ("double the dose at not less
/// than 2-week intervals"), and never past the target.
fn towards_target(drug: &RegimenDrug) -> Option<(DoseLevel, f64)> {
    let agent = drug
        .agent
        .as_deref()
        .and_then(formulary::agent_by_name)
        .filter(|a| a.class == drug.class)
        .unwrap_or_else(|| formulary::preferred_agent(drug.class));
    let target = target_daily_mg(agent.name)?;
    let now = drug.daily_mg.or_else(|| formulary::dose_for_level(agent, drug.dose))?;
    if now >= target - 1e-9 {
        return None;
    }
    let level = |mg: f64| DoseLevel::from_ratio(mg / agent.standard_daily_mg);
    let mut next = formulary::next_dose(agent, now)?;
    while level(next) == level(now) && next < target - 1e-9 {
        next = formulary::next_dose(agent, next)?;
    }
    let to = level(next.min(target));
    let mg = formulary::dose_for_level(agent, to).unwrap_or(next).min(target);
    (mg > now + 1e-9).then_some((to, mg))
}

/// Builds the heart-failure plan for a patient with heart failure on record; `None` when it has
/// nothing to add (EF above 40 % on an SGLT2 inhibitor: BP and lipid care as usual).
pub fn plan(
    record: &PatientRecord,
    facts: &SafetyFacts,
    hf: &HeartFailureFacts,
    regimen: &[RegimenDrug],
    baseline: &Baseline,
    today: Date,
) -> Option<HeartFailurePlan> {
    let on = |now: &[RegimenDrug], c: D| now.iter().any(|r| r.class == c);
    let mut now = regimen.to_vec();
    let mut wanted: Vec<(PlannedChange, Change, bool)> = Vec::new();
    let raas = [D::AceInhibitor, D::Arb, D::Arni];
    let cautious = hf.sbp < SBP_CAUTIOUS;
    if hf.reduced_ef {
        // Missing pillars.
        let mut starts: Vec<(PlannedChange, Change, bool)> = Vec::new();
        // The lower start also without an ACE inhibitor or ARB to switch from (FDA label).
        let naive = ![D::AceInhibitor, D::Arb].iter().any(|c| on(&now, *c));
        let low_arni = cautious || naive || !hf.egfr_at_least(EGFR_MIN) || hf.age >= ARNI_LOW_START_AGE;
        let arni_dose = if low_arni { DoseLevel::Half } else { DoseLevel::Standard };
        let raas_ok = hf.potassium_ok() && hf.egfr_at_least(EGFR_MIN);
        if !raas.iter().any(|c| on(&now, *c)) {
            if hf.sbp >= SBP_ARNI_MIN && raas_ok {
                starts.push((
                    PlannedChange::drug(Action::Start, D::Arni, None, Some(arni_dose)),
                    Change::Start(D::Arni, arni_dose),
                    true,
                ));
            } else if raas_ok {
                starts.push((
                    PlannedChange::drug(Action::Start, D::AceInhibitor, None, Some(DoseLevel::Half)),
                    Change::Start(D::AceInhibitor, DoseLevel::Half),
                    true,
                ));
            }
        } else if hf.nyha >= NyhaClass::Ii && hf.sbp >= SBP_ARNI_MIN && raas_ok && !on(&now, D::Arni) {
            if let Some(from) = [D::AceInhibitor, D::Arb].into_iter().find(|c| on(&now, *c)) {
                let mut change = PlannedChange::drug(Action::Switch, D::Arni, Some(from), Some(arni_dose));
                if from == D::AceInhibitor {
                    change.label.push_str(" (36 hours after the last ACE-inhibitor dose)");
                }
                starts.push((change, Change::Switch(from, D::Arni, arni_dose), true));
            }
        }
        if !on(&now, D::BetaBlocker) && hf.heart_rate >= HR_BETA_BLOCKER_MIN && hf.sbp >= SBP_BETA_BLOCKER_MIN {
            starts.push((
                PlannedChange::drug(Action::Start, D::BetaBlocker, None, Some(DoseLevel::Half)),
                Change::Start(D::BetaBlocker, DoseLevel::Half),
                true,
            ));
        }
        if !on(&now, D::Mra) && raas_ok {
            starts.push((
                PlannedChange::drug(Action::Start, D::Mra, None, Some(DoseLevel::Standard)),
                Change::Start(D::Mra, DoseLevel::Standard),
                false,
            ));
        }
        if !on(&now, D::Sglt2Inhibitor) && hf.egfr_at_least(EGFR_SGLT2_MIN) {
            starts.push((
                PlannedChange::drug(Action::Start, D::Sglt2Inhibitor, None, Some(DoseLevel::Standard)),
                Change::Start(D::Sglt2Inhibitor, DoseLevel::Standard),
                false,
            ));
        }
        // With a low SBP the pillars that barely lower BP go first.
        if cautious {
            starts.sort_by_key(|(_, _, lowers)| *lowers);
        }
        wanted.extend(starts);
    } else if !on(&now, D::Sglt2Inhibitor) && hf.egfr_at_least(EGFR_SGLT2_MIN) {
        wanted.push((
            PlannedChange::drug(Action::Start, D::Sglt2Inhibitor, None, Some(DoseLevel::Standard)),
            Change::Start(D::Sglt2Inhibitor, DoseLevel::Standard),
            false,
        ));
    } else {
        return None;
    }

    // Check each start on the regimen it produces; a forbidden one is excluded with its rule.
    let mut planned: Vec<Planned> = Vec::new();
    let mut excluded: Vec<(String, Vec<Alert>)> = Vec::new();
    let mut ivabradine_later: Option<PlannedChange> = None;
    for (change, safety, lowers_bp) in wanted {
        let after = safety.apply(&now);
        accept(
            facts,
            &mut now,
            after,
            Planned { change, safety, lowers_bp, alerts: Vec::new(), condition: None },
            &mut planned,
            &mut excluded,
        );
    }
    // Titration towards the target doses: RAAS, beta-blocker, MRA, one rung each per pass.
    if hf.reduced_ef {
        for _pass in 0..3 {
            for class in [D::Arni, D::AceInhibitor, D::Arb, D::BetaBlocker, D::Mra] {
                let Some(drug) = now.iter().find(|r| r.class == class).cloned() else { continue };
                let gate = match class {
                    D::BetaBlocker => hf.heart_rate >= HR_BETA_BLOCKER_MIN && hf.sbp >= SBP_BETA_BLOCKER_MIN,
                    D::Arni | D::AceInhibitor | D::Arb => {
                        hf.sbp >= SBP_ARNI_MIN && hf.potassium_ok() && hf.egfr_at_least(EGFR_MIN)
                    }
                    _ => hf.potassium_ok() && hf.egfr_at_least(EGFR_MIN),
                };
                let Some((level, mg)) = towards_target(&drug).filter(|_| gate) else { continue };
                let agent = agent_of(&now, class);
                let mut change = PlannedChange::drug(Action::Raise, class, None, Some(level));
                change.label = format!("raise to {} (towards the trials' target dose)", formulary::describe(agent, mg));
                change.agent = Some(agent.name);
                let mut next = now.clone();
                if let Some(r) = next.iter_mut().find(|r| r.class == class) {
                    r.dose = level;
                    r.daily_mg = Some(mg);
                }
                let safety = Change::Raise(class, level);
                let p = Planned { change, safety, lowers_bp: class != D::Mra, alerts: Vec::new(), condition: None };
                accept(facts, &mut now, next, p, &mut planned, &mut excluded);
            }
        }
        // Ivabradine: sinus rhythm, EF ≤ 35 %, still ≥ 70 bpm with the beta-blocker at target.
        // When this plan starts or raises the beta-blocker, today's rate says nothing of the rate
        // on it: ivabradine is then a reassessment after the titration, not a projected start.
        let beta_at_target = now.iter().find(|r| r.class == D::BetaBlocker).is_none_or(|b| towards_target(b).is_none());
        let beta_changed = planned.iter().any(|p| p.change.class == Some(D::BetaBlocker));
        let eligible = hf.ef <= EF_DEVICE_MAX && !hf.atrial_fibrillation && !on(&now, D::Ivabradine);
        if eligible && beta_changed {
            ivabradine_later = Some(PlannedChange::other(
                Action::Confirm,
                &format!(
                    "once the beta-blocker is at its target dose: ivabradine 5 mg twice daily if resting heart rate is still {HR_IVABRADINE_MIN:.0} bpm or more in sinus rhythm (ESC 2021 IIa; SHIFT)"
                ),
            ));
        } else if eligible && hf.heart_rate >= HR_IVABRADINE_MIN && beta_at_target {
            let change = PlannedChange::drug(Action::Start, D::Ivabradine, None, Some(DoseLevel::Standard));
            let safety = Change::Start(D::Ivabradine, DoseLevel::Standard);
            let after = safety.apply(&now);
            let condition = format!(
                "if resting heart rate is still {HR_IVABRADINE_MIN:.0} bpm or more in sinus rhythm on the beta-blocker (ESC 2021 IIa; SHIFT)"
            );
            let p = Planned { change, safety, lowers_bp: false, alerts: Vec::new(), condition: Some(condition) };
            accept(facts, &mut now, after, p, &mut planned, &mut excluded);
        }
    }

    // Group into monthly steps: at most two drug changes, one BP-lowering one when SBP is low.
    let mut steps: Vec<(PlanStep, Vec<Intervention>)> = Vec::new();
    let mut current: Vec<Planned> = Vec::new();
    // Classes the plan itself started: a later raise of one is a dose change of that course, not
    // a second start (a scenario file refuses that).
    let mut started: Vec<D> = Vec::new();
    let mut flush = |current: &mut Vec<Planned>, steps: &mut Vec<(PlanStep, Vec<Intervention>)>| {
        if current.is_empty() {
            return;
        }
        let month = steps.len() as u32;
        let classes: Vec<D> = current.iter().filter_map(|p| p.change.class).collect();
        let interventions: Vec<Intervention> = current
            .iter()
            .flat_map(|p| match p.safety {
                Change::Raise(class, dose) if started.contains(&class) => {
                    vec![Intervention::ChangeDose { class, dose, month }]
                }
                change => to_interventions(change, month, baseline),
            })
            .collect();
        started.extend(current.iter().filter(|p| p.safety.starts()).filter_map(|p| p.safety.intensifies()));
        let mut checks = checks_for(&classes, false, false, false);
        if classes.iter().any(|c| matches!(c, D::Arni | D::BetaBlocker | D::Ivabradine)) {
            checks.push("BP sitting and standing, heart rate and symptoms at 2 weeks".to_string());
        }
        let when = if month == 0 { "now".to_string() } else { format!("at the {month}-month review") };
        let condition = current.iter().find_map(|p| p.condition.clone());
        let step = PlanStep {
            month,
            when: condition.map_or(when.clone(), |c| format!("{when}, {c}")),
            changes: current.iter().map(|p| p.change.clone()).collect(),
            checks,
            why: if month == 0 {
                "guideline-directed therapy for heart failure (ESC 2021/2023, ACC/AHA/HFSA 2022): the pillars first, then titration".to_string()
            } else {
                "next titration step, if BP, heart rate, potassium and creatinine allow".to_string()
            },
            alerts: current.iter().flat_map(|p| p.alerts.iter().cloned()).collect(),
        };
        steps.push((step, interventions));
        current.clear();
    };
    for p in planned {
        let bp_changes = current.iter().filter(|c| c.lowers_bp).count();
        // A drug is changed once a step; a conditional change waits in a step of its own.
        let same_class = current.iter().any(|c| c.change.class == p.change.class);
        // One potassium-raising change (a RAAS blocker or MRA) a step, so a rise in K⁺ or
        // creatinine has one cause (ESC 2021: check both 1–2 weeks after each).
        let raises_k = |c: Option<D>| matches!(c, Some(D::AceInhibitor | D::Arb | D::Arni | D::Mra));
        let k_twice = raises_k(p.change.class) && current.iter().any(|c| raises_k(c.change.class));
        let conditional = p.condition.is_some() || current.iter().any(|c| c.condition.is_some());
        if current.len() >= 2 || same_class || k_twice || conditional || (cautious && p.lowers_bp && bp_changes >= 1) {
            flush(&mut current, &mut steps);
        }
        current.push(p);
    }
    flush(&mut current, &mut steps);
    if let (Some(note), Some((last, _))) = (ivabradine_later, steps.last_mut()) {
        last.changes.push(note);
    }

    // Beside the drugs: the loop diuretic, congestion and devices, in the first step.
    let mut beside: Vec<PlannedChange> = Vec::new();
    if let Some(loop_drug) = regimen.iter().find(|r| r.class == D::LoopDiuretic) {
        let agent = agent_of(regimen, D::LoopDiuretic);
        let dose = loop_drug.daily_mg.map_or_else(|| agent.name.to_string(), |mg| formulary::describe(agent, mg));
        beside.push(PlannedChange::other(
            Action::Confirm,
            &format!(
                "review {dose} against congestion (weight, oedema, breathlessness): the lowest dose that keeps the patient free of congestion; loop diuretics relieve congestion and do not change prognosis (ESC 2021)"
            ),
        ));
    }
    if let Some(gain) = hf.weight_gain_3d {
        beside.push(PlannedChange::other(
            Action::Confirm,
            &format!("weight up {gain:.1} kg in 3 days: assess for congestion today; a loop diuretic if congested (ESC 2021)"),
        ));
    }
    beside.extend(device_assessment(record, hf, regimen, today));
    if !beside.is_empty() {
        match steps.first_mut() {
            Some((first, _)) => first.changes.extend(beside),
            None => steps.push((
                PlanStep {
                    month: 0,
                    when: "now".to_string(),
                    changes: beside,
                    checks: Vec::new(),
                    why: "heart-failure care beside the drugs".to_string(),
                    alerts: Vec::new(),
                },
                Vec::new(),
            )),
        }
    }
    (!steps.is_empty()).then_some(HeartFailurePlan { steps, excluded })
}

/// ICD and CRT assessment (ESC 2021), or what is needed to decide it.
fn device_assessment(
    record: &PatientRecord,
    hf: &HeartFailureFacts,
    regimen: &[RegimenDrug],
    today: Date,
) -> Vec<PlannedChange> {
    if !hf.reduced_ef || hf.ef > EF_DEVICE_MAX || !matches!(hf.nyha, NyhaClass::Ii | NyhaClass::Iii) {
        return Vec::new();
    }
    // Optimised: a RAAS blocker, a beta-blocker and an MRA each taken for 3 months or more.
    let since = |classes: &[D]| {
        record
            .active_medications(today)
            .filter(|m| m.class.is_some_and(|c| classes.contains(&c)))
            .filter_map(|m| m.start)
            .min()
    };
    let pillars = [&[D::AceInhibitor, D::Arb, D::Arni][..], &[D::BetaBlocker][..], &[D::Mra][..]];
    let optimised = pillars.iter().all(|p| {
        regimen.iter().any(|r| p.contains(&r.class))
            && since(p).is_some_and(|d| (today - d).whole_days() >= OPTIMISED_DAYS)
    });
    let ef = hf.ef;
    let mut out = Vec::new();
    let class = if hf.ischaemic { "class I, ischaemic" } else { "class IIa, non-ischaemic" };
    if optimised {
        out.push(PlannedChange::other(
            Action::Refer,
            &format!(
                "ICD assessment: EF {ef:.0} % despite 3 months or more of optimised therapy, {} (ESC 2021 {class}), if expected to survive substantially longer than a year in good functional status",
                hf.nyha.label()
            ),
        ));
    } else {
        out.push(PlannedChange::other(
            Action::Confirm,
            &format!("repeat echocardiography after 3 months of optimised therapy: ICD assessment if EF is still ≤ {EF_DEVICE_MAX:.0} % (ESC 2021)"),
        ));
    }
    match hf.qrs_ms {
        Some(q) if q >= 130.0 => {
            let (grade, morphology) = match (q >= 150.0, hf.lbbb) {
                (true, true) => ("class I", "LBBB"),
                (false, true) => ("class IIa", "LBBB"),
                (true, false) => ("class IIa", "non-LBBB"),
                (false, false) => ("class IIb", "non-LBBB"),
            };
            // CRT, like an ICD, is for symptoms and EF ≤ 35 % despite optimised therapy.
            let when = if optimised { "" } else { "after 3 months of optimised therapy, if EF is still ≤ 35 %: " };
            out.push(PlannedChange::other(
                if optimised { Action::Refer } else { Action::Confirm },
                &format!(
                    "{when}CRT assessment: QRS {q:.0} ms, {morphology}, EF {ef:.0} % (ESC 2021 {grade}; CRT-D where an ICD is indicated)"
                ),
            ));
        }
        Some(_) => {}
        None => out.push(PlannedChange::other(
            Action::Confirm,
            "12-lead ECG for QRS width and morphology: CRT is decided on them (ESC 2021)",
        )),
    }
    out
}
