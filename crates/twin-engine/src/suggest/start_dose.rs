//! The dose a plan starts an ACE inhibitor or ARB at, and the BP-step limits on raising a drug
//! (a beta-blocker at a low heart rate, a thiazide past its useful dose).
//!
//! # The low start of a RAS blocker
//! An ACE inhibitor or ARB starts at its label's low dose in the situations that label names, and
//! no others ([`LOW_STARTS`]): beside a diuretic (volume depletion and first-dose hypotension),
//! from age 75 where the label lowers the start for the elderly, and below the renal function at
//! which the label lowers it (ramipril under a creatinine clearance of 40, perindopril 30–60,
//! candesartan any impairment, lisinopril, enalapril and telmisartan severe). Losartan and
//! irbesartan have no renal start; valsartan and olmesartan name no lower figure (olmesartan's US
//! label says only "consider a lower starting dose" with diuretics, so the usual dose stands and the
//! clinician is left to judge). The later reviews titrate. The twin projects the level the start is
//! at ([`DoseLevel::from_ratio`]: ramipril 1.25 mg, a quarter of the standard 5 mg, is projected as
//! the half-dose level, the lowest the twin models, so its first months' effect is, if anything,
//! over- not under-stated).

use crate::drugs::{DoseLevel, DrugClass as D};
use crate::formulary::{self, Agent};

use super::safety::{RegimenDrug, SafetyFacts};

/// Age from which a label lowers the start for the elderly, years: ramipril's EU SmPC (Tritace
/// §4.2, elderly: "a reduced initial dose of 1.25 mg ramipril should be considered"), losartan's
/// and irbesartan's (Cozaar, Aprovel §4.2: "over 75 years", 25 mg and 75 mg), perindopril's
/// (Coversyl §4.2, elderly: 2 mg). The twin reads "elderly" as 75 or over, the age two of them state.
pub const LOW_START_FROM_AGE: f64 = 75.0;

/// One agent's low start, mg once daily, and the situations its label names for it, each with
/// its source (`None`: the label names no lower start there).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LowStartRule {
    /// The agent (formulary name).
    pub agent: &'static str,
    /// The low start, mg once daily.
    pub daily_mg: f64,
    /// Beside a diuretic (possible volume depletion): the source.
    pub diuretic: Option<&'static str>,
    /// From [`LOW_START_FROM_AGE`]: the source.
    pub elderly: Option<&'static str>,
    /// Below this eGFR (the label's creatinine clearance, read as eGFR): the threshold and source.
    pub below_egfr: Option<(f64, &'static str)>,
}

/// The labels' low starts (quotes from the labels' dosing sections):
/// - ramipril 1.25 mg: EU SmPC (Tritace) §4.2, "in whom the diuretic is not discontinued, therapy
///   with ramipril should be initiated with a 1.25 mg dose"; elderly (above); FDA label (Altace),
///   creatinine clearance < 40 mL/min: 1.25 mg (the EU SmPC keeps 2.5 mg at 30–60).
/// - lisinopril 5 mg: FDA label (Zestril) §2.1, "if the diuretic cannot be discontinued, an
///   initial dose of 5 mg should be used"; creatinine clearance 10–30: 5 mg.
/// - enalapril 2.5 mg: FDA label (Vasotec), on a diuretic "an initial dose of 2.5 mg should be
///   used"; creatinine clearance ≤ 30: 2.5 mg.
/// - perindopril 2 mg: EU SmPC (Coversyl, erbumine) §4.2, diuretic-treated, elderly and
///   creatinine clearance 30–60: 2 mg.
/// - losartan 25 mg: FDA label (Cozaar) §2.1, possible depletion of intravascular volume (e.g. on
///   diuretic therapy); EU SmPC §4.2, over 75. No renal adjustment.
/// - candesartan 4 mg: EU SmPC (Atacand) §4.2, possible intravascular volume depletion "an initial
///   dose of 4 mg may be considered"; "the starting dose is 4 mg in patients with renal impairment".
/// - irbesartan 75 mg: FDA label (Avapro) §2.1, volume- or salt-depleted patients; EU SmPC §4.2,
///   over 75. No renal adjustment.
/// - telmisartan 20 mg: EU SmPC (Micardis) §4.2, severe renal impairment or haemodialysis "a lower
///   starting dose of 20 mg is recommended".
pub const LOW_STARTS: &[LowStartRule] = &[
    LowStartRule {
        agent: "ramipril",
        daily_mg: 1.25,
        diuretic: Some("EU SmPC"),
        elderly: Some("EU SmPC"),
        below_egfr: Some((40.0, "FDA label")),
    },
    LowStartRule {
        agent: "lisinopril",
        daily_mg: 5.0,
        diuretic: Some("FDA label"),
        elderly: None,
        below_egfr: Some((30.0, "FDA label")),
    },
    LowStartRule {
        agent: "enalapril",
        daily_mg: 2.5,
        diuretic: Some("FDA label"),
        elderly: None,
        below_egfr: Some((30.0, "FDA label")),
    },
    LowStartRule {
        agent: "perindopril",
        daily_mg: 2.0,
        diuretic: Some("EU SmPC"),
        elderly: Some("EU SmPC"),
        below_egfr: Some((60.0, "EU SmPC")),
    },
    LowStartRule {
        agent: "losartan",
        daily_mg: 25.0,
        diuretic: Some("FDA label"),
        elderly: Some("EU SmPC"),
        below_egfr: None,
    },
    LowStartRule {
        agent: "candesartan",
        daily_mg: 4.0,
        diuretic: Some("EU SmPC"),
        elderly: None,
        below_egfr: Some((60.0, "EU SmPC")),
    },
    LowStartRule {
        agent: "irbesartan",
        daily_mg: 75.0,
        diuretic: Some("FDA label"),
        elderly: Some("EU SmPC"),
        below_egfr: None,
    },
    LowStartRule {
        agent: "telmisartan",
        daily_mg: 20.0,
        diuretic: None,
        elderly: None,
        below_egfr: Some((30.0, "EU SmPC")),
    },
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

/// Why `rule`'s agent starts low for these facts beside `regimen` (the drugs taken once the
/// step's other changes are made), each with its source: "on indapamide (EU SmPC)", "age 79 (EU
/// SmPC)", "eGFR 35 (FDA label)"; empty when none of the label's situations applies.
pub fn low_start_reasons(rule: &LowStartRule, facts: &SafetyFacts, regimen: &[RegimenDrug]) -> Vec<String> {
    let mut why: Vec<String> = Vec::new();
    if let Some(source) = rule.diuretic {
        why.extend(
            regimen
                .iter()
                .filter(|r| matches!(r.class, D::Thiazide | D::LoopDiuretic))
                .map(|r| format!("on {} ({source})", r.agent.clone().unwrap_or_else(|| r.class.in_words()))),
        );
    }
    if let (Some(source), Some(age)) = (rule.elderly, facts.age().filter(|a| *a >= LOW_START_FROM_AGE)) {
        why.push(format!("age {age:.0} ({source})"));
    }
    if let Some((below, source)) = rule.below_egfr {
        if let Some(egfr) = facts.egfr().filter(|e| *e < below) {
            why.push(format!("eGFR {egfr:.0}, under {below:.0} ({source})"));
        }
    }
    why
}

/// The low start of `class` (an ACE inhibitor or ARB; `agent` the one named, else the class's
/// preferred one) where its label names one for these facts; `None` otherwise, and for every
/// other class.
pub fn ras_low_start(class: D, agent: Option<&str>, facts: &SafetyFacts, regimen: &[RegimenDrug]) -> Option<LowStart> {
    if !matches!(class, D::AceInhibitor | D::Arb) {
        return None;
    }
    let agent = agent
        .and_then(formulary::agent_by_name)
        .filter(|a| a.class == class)
        .unwrap_or_else(|| formulary::preferred_agent(class));
    let rule = LOW_STARTS.iter().find(|r| r.agent == agent.name)?;
    let why = low_start_reasons(rule, facts, regimen);
    if why.is_empty() {
        return None;
    }
    Some(LowStart {
        agent,
        daily_mg: rule.daily_mg,
        level: DoseLevel::from_ratio(rule.daily_mg / agent.standard_daily_mg),
        reason: format!("the low start: {}", why.join(", ")),
    })
}

/// How a raise from `from_mg` to `to_mg` of `agent` is taken when it is more than one doubling:
/// in doublings along the agent's ladder, each after 2–4 weeks if BP, potassium and creatinine
/// allow (the ACE-inhibitor and ARB labels: "the dose may be doubled at intervals of 2–4 weeks",
/// ramipril EU SmPC §4.2; ESC 2024: review 2–4 weeks after each change). `None` for one step.
pub fn titration_words(agent: &Agent, from_mg: f64, to_mg: f64) -> Option<String> {
    if to_mg <= 2.0 * from_mg + 1e-9 {
        return None;
    }
    let steps: Vec<f64> =
        agent.ladder.iter().map(|d| d.daily_mg()).filter(|mg| *mg > from_mg + 1e-9 && *mg <= to_mg + 1e-9).collect();
    if steps.len() < 2 {
        return None;
    }
    let chain: Vec<String> =
        std::iter::once(from_mg).chain(steps).map(|mg| format!("{} mg", formulary::describe_mg(mg))).collect();
    Some(format!(
        "in doublings, {}, each 2–4 weeks after the last if BP, potassium and creatinine allow (label)",
        chain.join(" → ")
    ))
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
    fn each_label_gives_its_own_situations_and_no_others() {
        // Losartan: the elderly start (EU SmPC), but no renal one: eGFR 52 is not a reason.
        let old = facts(Rec::new(79, Sex::Female).lab(K::Egfr, 52.0));
        let low = ras_low_start(D::Arb, None, &old, &[]).expect("low start");
        assert_eq!((low.agent.name, low.daily_mg), ("losartan", 25.0));
        assert_eq!(low.reason, "the low start: age 79 (EU SmPC)");
        let kidney = facts(Rec::new(60, Sex::Female).lab(K::Egfr, 45.0));
        assert!(ras_low_start(D::Arb, Some("losartan"), &kidney, &[]).is_none(), "losartan has no renal start");
        // Ramipril: the EU SmPC keeps 2.5 mg at clearance 30–60; the FDA label lowers it under 40.
        assert!(ras_low_start(D::AceInhibitor, Some("ramipril"), &kidney, &[]).is_none());
        let worse = facts(Rec::new(60, Sex::Female).lab(K::Egfr, 35.0));
        let low = ras_low_start(D::AceInhibitor, Some("ramipril"), &worse, &[]).expect("under 40");
        assert_eq!(low.reason, "the low start: eGFR 35, under 40 (FDA label)");
        // Perindopril at 30–60, candesartan in any impairment.
        assert!(ras_low_start(D::AceInhibitor, Some("perindopril"), &kidney, &[]).is_some_and(|l| l.daily_mg == 2.0));
        assert!(ras_low_start(D::Arb, Some("candesartan"), &kidney, &[]).is_some_and(|l| l.daily_mg == 4.0));
        // Lisinopril: beside a diuretic, not at 79 alone.
        let elderly = facts(Rec::new(79, Sex::Female).lab(K::Egfr, 80.0));
        assert!(ras_low_start(D::AceInhibitor, Some("lisinopril"), &elderly, &[]).is_none());
        assert!(ras_low_start(D::AceInhibitor, Some("lisinopril"), &elderly, &indapamide())
            .is_some_and(|l| l.daily_mg == 5.0));
    }

    #[test]
    fn a_raise_of_more_than_one_doubling_is_said_in_doublings() {
        let ramipril = formulary::agent_by_name("ramipril").expect("ramipril");
        assert_eq!(
            titration_words(ramipril, 1.25, 5.0).as_deref(),
            Some("in doublings, 1.25 mg → 2.5 mg → 5 mg, each 2–4 weeks after the last if BP, potassium and creatinine allow (label)")
        );
        assert_eq!(titration_words(ramipril, 2.5, 5.0), None, "one doubling");
        assert_eq!(titration_words(ramipril, 5.0, 10.0), None);
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
        for rule in LOW_STARTS {
            let agent = formulary::agent_by_name(rule.agent).expect("agent in the table");
            assert!(
                formulary::rung(agent, rule.daily_mg).is_some(),
                "{} {} mg is on the ladder",
                rule.agent,
                rule.daily_mg
            );
            assert!(rule.daily_mg < agent.standard_daily_mg, "{}", rule.agent);
        }
    }
}
