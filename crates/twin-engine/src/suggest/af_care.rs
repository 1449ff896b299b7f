//! Atrial fibrillation's actions in a plan of care: what the safety rules' AF alerts ask for,
//! as changes the plan makes first, so an alert never stops at a warning (ESC 2024 AF guideline,
//! Van Gelder IC et al. Eur Heart J 2024;45:3314).
//!
//! - **Anticoagulation gap:** CHA₂DS₂-VA 2 or more and no anticoagulant on record: start a DOAC
//!   (class I, in preference to a vitamin K antagonist), apixaban at the dose its criteria call
//!   for (5 mg twice daily, 2.5 mg with two of age ≥ 80, weight ≤ 60 kg, creatinine ≥ 133 µmol/L;
//!   [`crate::risk::af::check_dose`]); none below a creatinine clearance of 15 mL/min, where the
//!   renal rule speaks instead.
//! - **A DOAC dose off its criteria:** changed to the dose they call for.
//! - **Rate above the lenient target (≥ 110 bpm):** the beta-blocker on record raised one rung
//!   (RACE II; ESC 2024 lenient rate control first).

use super::plan::{Action, PlannedChange};
use super::safety::{Change, RegimenDrug, SafetyFacts};
use crate::drugs::{DoseLevel, DrugClass as D};
use crate::formulary;
use crate::risk::af::{check_dose, DoseFinding};

/// The agent a plan starts for anticoagulation in atrial fibrillation.
pub const ANTICOAGULANT: &str = "apixaban";

/// A change the plan makes first, with its class's dose level.
fn named(
    action: Action,
    class: D,
    agent: &'static formulary::Agent,
    mg: f64,
    reason: String,
) -> (PlannedChange, Change) {
    let level = DoseLevel::from_ratio(mg / agent.standard_daily_mg);
    let mut change = PlannedChange::drug(action, class, None, Some(level));
    change.agent = Some(agent.name);
    change.daily_mg = Some(mg);
    change.label = format!("{}: {reason}", change.label);
    change.reason = Some(reason);
    let safety = match action {
        Action::Start => Change::Start(class, level),
        Action::Lower => Change::Lower(class, level),
        _ => Change::Raise(class, level),
    };
    (change, safety)
}

/// The AF actions for `regimen`, in order: anticoagulation, its dose, the rate.
pub fn actions(facts: &SafetyFacts, regimen: &[RegimenDrug]) -> Vec<(PlannedChange, Change)> {
    let mut out = Vec::new();
    let x = facts.dose_inputs();
    if let Some(score) = facts.anticoagulation_needed(regimen) {
        let renal_floor = x.crcl.is_some_and(|c| c < 15.0);
        if let (false, Some(agent)) = (renal_floor, formulary::agent_by_name(ANTICOAGULANT)) {
            let mg = match check_dose(ANTICOAGULANT, Some(agent.standard_daily_mg), x) {
                DoseFinding::Over { expected_mg, .. } => expected_mg,
                _ => agent.standard_daily_mg,
            };
            let reason = format!("atrial fibrillation with {score}: anticoagulation recommended (ESC 2024 class I)");
            out.push(named(Action::Start, D::Anticoagulant, agent, mg, reason));
        }
    }
    for drug in regimen.iter().filter(|d| d.class == D::Anticoagulant) {
        let Some(agent) = drug.agent.as_deref().and_then(formulary::agent_by_name) else { continue };
        let (action, mg, why) = match check_dose(agent.name, drug.daily_mg, x) {
            DoseFinding::Under { expected_mg, why } => (Action::Raise, expected_mg, why),
            DoseFinding::Over { expected_mg, why } => (Action::Lower, expected_mg, why),
            _ => continue,
        };
        out.push(named(action, D::Anticoagulant, agent, mg, format!("the dose its criteria call for ({why})")));
    }
    if let (Some(hr), Some(bb)) = (facts.af_rate_high(), regimen.iter().find(|d| d.class == D::BetaBlocker)) {
        let agent = bb.agent.as_deref().and_then(formulary::agent_by_name).filter(|a| a.class == D::BetaBlocker);
        let now = agent.and_then(|a| bb.daily_mg.or_else(|| formulary::dose_for_level(a, bb.dose)).map(|mg| (a, mg)));
        if let Some((agent, mg)) = now.and_then(|(a, mg)| formulary::next_dose(a, mg).map(|up| (a, up))) {
            let reason = format!(
                "resting heart rate {hr:.0} bpm in atrial fibrillation, above the lenient target of 110 (RACE II; ESC 2024)"
            );
            out.push(named(Action::Raise, D::BetaBlocker, agent, mg, reason));
        }
    }
    out
}

/// `regimen` after `safety`, with the agent and exact daily dose the change names.
pub fn applied(regimen: &[RegimenDrug], change: &PlannedChange, safety: Change) -> Vec<RegimenDrug> {
    let mut after = safety.apply(regimen);
    if let (Some(class), Some(mg)) = (change.class, change.daily_mg) {
        if let Some(r) = after.iter_mut().find(|r| r.class == class) {
            r.daily_mg = Some(mg);
            if let Some(agent) = change.agent {
                r.agent = Some(agent.to_string());
            }
        }
    }
    after
}
