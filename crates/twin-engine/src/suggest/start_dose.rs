//! The dose a plan starts an ACE inhibitor or ARB at, and the BP-step limits on raising a drug
//! (a beta-blocker at a low heart rate, a thiazide past its useful dose).
//!
//! # The low start of a RAS blocker
//! An ACE inhibitor or ARB started beside a diuretic, at age 75 or over, or with an eGFR below 60
//! (the situations of volume depletion and first-dose hypotension or renal decline the labels
//! name) starts at the label's low start, and the later reviews titrate it. Each agent's figure is
//! its label's start "in patients on a diuretic / with possible volume depletion"
//! ([`LOW_STARTS`]); the same figure is used at 75 or over and below eGFR 60: for ramipril the
//! label's elderly start (1.25 mg), for the others at or below what their labels give there (a
//! cautious reading where a label names no separate figure for age or renal function). An agent whose label names no lower start (valsartan, telmisartan, olmesartan)
//! starts at its usual dose. The twin projects the level the start is at ([`DoseLevel::from_ratio`]:
//! ramipril 1.25 mg, a quarter of the standard 5 mg, is projected as the half-dose level, the
//! lowest the twin models, so its first months' effect is, if anything, over- not under-stated).

use crate::drugs::{DoseLevel, DrugClass as D};
use crate::formulary::{self, Agent};

use super::safety::{RegimenDrug, SafetyFacts};

/// Age from which a RAS blocker starts low, years (EU SmPC ramipril (Tritace) §4.2, elderly:
/// "a reduced initial dose of 1.25 mg should be considered"; EU SmPC losartan (Cozaar) §4.2: over
/// 75, a lower start of 25 mg should be considered).
pub const LOW_START_FROM_AGE: f64 = 75.0;

/// eGFR below which a RAS blocker starts low, mL/min/1.73 m² (EU SmPC ramipril §4.2, renal
/// impairment; candesartan (Atacand) §4.2: 4 mg start in renal impairment; perindopril
/// (Coversyl) §4.2: 2 mg at creatinine clearance 30–60).
pub const LOW_START_BELOW_EGFR: f64 = 60.0;

/// The label's low start of each ACE inhibitor and ARB, mg once daily, and its source:
/// - ramipril 1.25 mg: EU SmPC (Tritace) §4.2, diuretic-treated patients "1.25 mg"; elderly 1.25 mg.
/// - lisinopril 5 mg: FDA label (Zestril) §2.1, "in patients who are currently being treated with
///   a diuretic … 5 mg".
/// - enalapril 2.5 mg: FDA label (Vasotec), "if the patient is on a diuretic … an initial dose of
///   2.5 mg"; creatinine clearance ≤ 30: 2.5 mg.
/// - perindopril 2 mg: EU SmPC (Coversyl, erbumine) §4.2, diuretic-treated, elderly and
///   creatinine clearance 30–60: 2 mg.
/// - losartan 25 mg: FDA label (Cozaar) §2.1, "a starting dose of 25 mg … in patients with
///   possible depletion of intravascular volume (e.g. on diuretic therapy)"; EU SmPC over 75.
/// - candesartan 4 mg: EU SmPC (Atacand) §4.2, intravascular volume depletion and renal
///   impairment: 4 mg.
/// - irbesartan 75 mg: FDA label (Avapro) §2.1, "volume- or salt-depleted patients: a lower
///   initial dose of 75 mg"; EU SmPC over 75.
pub const LOW_STARTS: &[(&str, f64, &str)] = &[
    ("ramipril", 1.25, "EU SmPC"),
    ("lisinopril", 5.0, "FDA label"),
    ("enalapril", 2.5, "FDA label"),
    ("perindopril", 2.0, "EU SmPC"),
    ("losartan", 25.0, "FDA label; EU SmPC"),
    ("candesartan", 4.0, "EU SmPC"),
    ("irbesartan", 75.0, "FDA label; EU SmPC"),
];

/// A start below the usual one: the agent, its daily dose, the level the twin projects, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct LowStart {
    /// The agent started.
    pub agent: &'static Agent,
    /// Daily dose, mg.
    pub daily_mg: f64,
    /// The level the twin projects ([`DoseLevel::from_ratio`] of the dose over the standard one).
    pub level: DoseLevel,
    /// "the low start: on indapamide (EU SmPC)".
    pub reason: String,
}

/// Why a RAS blocker starts low for these facts beside `regimen` (the drugs taken once the step's
/// other changes are made): "on indapamide", "age 79", "eGFR 52"; empty when none applies.
pub fn low_start_reasons(facts: &SafetyFacts, regimen: &[RegimenDrug]) -> Vec<String> {
    let mut why: Vec<String> = regimen
        .iter()
        .filter(|r| matches!(r.class, D::Thiazide | D::LoopDiuretic))
        .map(|r| format!("on {}", r.agent.clone().unwrap_or_else(|| r.class.in_words())))
        .collect();
    if let Some(age) = facts.age().filter(|a| *a >= LOW_START_FROM_AGE) {
        why.push(format!("age {age:.0}"));
    }
    if let Some(egfr) = facts.egfr().filter(|e| *e < LOW_START_BELOW_EGFR) {
        why.push(format!("eGFR {egfr:.0}"));
    }
    why
}

/// The low start of `class` (an ACE inhibitor or ARB; `agent` the one named, else the class's
/// preferred one) where the facts call for one and the label names one; `None` otherwise, and
/// for every other class.
pub fn ras_low_start(class: D, agent: Option<&str>, facts: &SafetyFacts, regimen: &[RegimenDrug]) -> Option<LowStart> {
    if !matches!(class, D::AceInhibitor | D::Arb) {
        return None;
    }
    let agent = agent
        .and_then(formulary::agent_by_name)
        .filter(|a| a.class == class)
        .unwrap_or_else(|| formulary::preferred_agent(class));
    let (_, mg, label) = LOW_STARTS.iter().find(|(name, _, _)| *name == agent.name)?;
    let why = low_start_reasons(facts, regimen);
    if why.is_empty() {
        return None;
    }
    Some(LowStart {
        agent,
        daily_mg: *mg,
        level: DoseLevel::from_ratio(mg / agent.standard_daily_mg),
        reason: format!("the low start: {} ({label})", why.join(", ")),
    })
}

/// How many times a day a medication's text says it is taken ("metoprolol 50 mg 2 times daily",
/// "twice daily", "bid"), where it says so.
pub fn times_daily_in_text(text: &str) -> Option<u8> {
    let t = text.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["once daily", "1 times daily", "once a day", " od", " qd"]) {
        Some(1)
    } else if has(&["twice daily", "2 times daily", "twice a day", " bid", " bd", "b.i.d"]) {
        Some(2)
    } else if has(&["three times daily", "3 times daily", " tid", " tds", "t.i.d"]) {
        Some(3)
    } else if has(&["four times daily", "4 times daily", " qid", " qds"]) {
        Some(4)
    } else {
        None
    }
}

/// Why a BP step may not raise `drug` to `level`, where it may not:
/// - a beta-blocker without a compelling indication or at a resting heart rate under 65
///   ([`SafetyFacts::beta_blocker_bp_raise_barred`]);
/// - a raise past the agent's plan ceiling ([`formulary::plan_ceiling_mg`]: hydrochlorothiazide
///   and chlorthalidone 25 mg);
/// - a raise the ladder can only name on another schedule than the record's (metoprolol 50 mg
///   twice daily is tartrate; the ladder's 200 mg once daily is succinate, so naming it would
///   silently change the formulation: the raise is left to the clinician).
///
/// `times_daily` is how often the record says the drug is taken, where it says.
pub fn bp_raise_barred(
    drug: &RegimenDrug,
    level: DoseLevel,
    times_daily: Option<u8>,
    facts: &SafetyFacts,
) -> Option<String> {
    if drug.class == D::BetaBlocker {
        if let Some(why) = facts.beta_blocker_bp_raise_barred() {
            return Some(why);
        }
    }
    let named = formulary::name_dose(drug.class, level, drug.agent.as_deref());
    let agent = formulary::agent_by_name(named.agent)?;
    if let Some(ceiling) = formulary::plan_ceiling_mg(agent).filter(|c| named.daily_mg > *c + 1e-9) {
        return Some(format!(
            "{} above {} mg a day adds little BP lowering and more metabolic harm (ESC 2024; BNF)",
            agent.name,
            formulary::describe_mg(ceiling)
        ));
    }
    let rung_times = formulary::rung(agent, named.daily_mg).and_then(|d| match d.schedule {
        formulary::Schedule::TimesDaily(n) => Some(n),
        formulary::Schedule::EveryDays(_) => None,
    });
    match (times_daily, rung_times) {
        (Some(now), Some(next)) if now != next => Some(format!(
            "{} is taken {now} times daily; the next dose on the ladder is {} times daily, another formulation",
            agent.name, next
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{MeasurementKind as K, Sex};
    use crate::suggest::safety::testing::{Rec, TODAY};

    fn facts(r: Rec) -> SafetyFacts {
        SafetyFacts::of(&r.build(), TODAY)
    }

    fn indapamide() -> Vec<RegimenDrug> {
        vec![RegimenDrug::agent(D::Thiazide, DoseLevel::Standard, "indapamide", Some(2.5))]
    }

    #[test]
    fn ramipril_beside_indapamide_starts_at_1_25_mg_with_the_reason() {
        let f = facts(Rec::new(60, Sex::Male).lab(K::Egfr, 80.0));
        let low = ras_low_start(D::AceInhibitor, None, &f, &indapamide()).expect("low start");
        assert_eq!((low.agent.name, low.daily_mg, low.level), ("ramipril", 1.25, DoseLevel::Half));
        assert_eq!(low.reason, "the low start: on indapamide (EU SmPC)");
    }

    #[test]
    fn age_and_egfr_each_call_for_the_low_start() {
        let old = facts(Rec::new(79, Sex::Female).lab(K::Egfr, 52.0));
        let low = ras_low_start(D::Arb, None, &old, &[]).expect("low start");
        assert_eq!((low.agent.name, low.daily_mg), ("losartan", 25.0));
        assert_eq!(low.reason, "the low start: age 79, eGFR 52 (FDA label; EU SmPC)");
        let kidney = facts(Rec::new(60, Sex::Female).lab(K::Egfr, 45.0));
        assert!(ras_low_start(D::AceInhibitor, Some("lisinopril"), &kidney, &[]).is_some_and(|l| l.daily_mg == 5.0));
    }

    #[test]
    fn no_low_start_for_a_younger_patient_off_diuretics_with_normal_egfr() {
        let f = facts(Rec::new(60, Sex::Male).lab(K::Egfr, 80.0));
        assert!(ras_low_start(D::AceInhibitor, None, &f, &[]).is_none());
        // a CCB beside a diuretic is not a RAS blocker
        assert!(ras_low_start(D::CalciumChannelBlocker, None, &f, &indapamide()).is_none());
        // valsartan's label names no lower start
        assert!(ras_low_start(D::Arb, Some("valsartan"), &f, &indapamide()).is_none());
    }

    fn metoprolol(mg: f64) -> RegimenDrug {
        RegimenDrug::agent(D::BetaBlocker, DoseLevel::Standard, "metoprolol", Some(mg))
    }

    #[test]
    fn beta_blocker_is_not_raised_for_bp_below_65_per_minute_or_without_an_indication() {
        let slow = facts(
            Rec::new(70, Sex::Male)
                .condition(crate::record::ConditionKind::CoronaryArteryDisease)
                .lab(K::HeartRate, 61.0),
        );
        let why = bp_raise_barred(&metoprolol(100.0), DoseLevel::Double, Some(1), &slow).expect("barred");
        assert!(why.contains("resting heart rate 61/min"), "{why}");
        let none = facts(Rec::new(70, Sex::Male).lab(K::HeartRate, 72.0));
        assert!(bp_raise_barred(&metoprolol(100.0), DoseLevel::Double, Some(1), &none).is_some());
    }

    #[test]
    fn beta_blocker_raise_at_65_with_an_indication_keeps_its_schedule_or_is_barred() {
        let f = facts(
            Rec::new(70, Sex::Male)
                .condition(crate::record::ConditionKind::CoronaryArteryDisease)
                .lab(K::HeartRate, 66.0),
        );
        // 100 mg once daily (succinate) → 200 mg once daily: same schedule, offered
        assert_eq!(bp_raise_barred(&metoprolol(100.0), DoseLevel::Double, Some(1), &f), None);
        // 50 mg twice daily (tartrate) → the ladder's 200 mg once daily: another formulation
        let why = bp_raise_barred(&metoprolol(100.0), DoseLevel::Double, Some(2), &f).expect("barred");
        assert!(why.contains("2 times daily"), "{why}");
    }

    #[test]
    fn hydrochlorothiazide_is_not_raised_past_25_mg() {
        let f = facts(Rec::new(60, Sex::Male));
        let hctz =
            |mg| RegimenDrug::agent(D::Thiazide, DoseLevel::from_ratio(mg / 25.0), "hydrochlorothiazide", Some(mg));
        assert!(bp_raise_barred(&hctz(25.0), DoseLevel::Double, Some(1), &f).is_some_and(|w| w.contains("25 mg")));
        assert_eq!(bp_raise_barred(&hctz(12.5), DoseLevel::Standard, Some(1), &f), None);
    }

    #[test]
    fn times_daily_reads_the_usual_wordings() {
        assert_eq!(times_daily_in_text("metoprolol 50 mg 2 times daily"), Some(2));
        assert_eq!(times_daily_in_text("metoprolol 100 mg once daily"), Some(1));
        assert_eq!(times_daily_in_text("Carvedilol 12.5 MG Oral Tablet BID"), Some(2));
        assert_eq!(times_daily_in_text("amlodipine 5 mg"), None);
    }

    #[test]
    fn every_low_start_is_a_rung_below_the_standard_dose() {
        for (name, mg, _) in LOW_STARTS {
            let agent = formulary::agent_by_name(name).expect("agent in the table");
            assert!(formulary::rung(agent, *mg).is_some(), "{name} {mg} mg is on the ladder");
            assert!(*mg < agent.standard_daily_mg, "{name}");
        }
    }
}
