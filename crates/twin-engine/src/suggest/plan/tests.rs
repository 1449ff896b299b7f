//! The plan's reason as a cardiologist reads it: the risk model named and the unit said, and a
//! projected diastolic BP under 60 told, not hidden in a step's alerts.

use super::*;
use crate::record::Sex;
use crate::risk::Race;
use crate::suggest::guideline::Guideline;
use crate::suggest::safety::testing::{Rec, TODAY};
use crate::suggest::targets_under;
use crate::twin::Context;

const CONFIG: SearchConfig =
    SearchConfig { members: 64, seed: 7, probability: 0.8, risk_years: 10, bp_fresh_months: 3 };

/// Three office readings over the last months, heart rate, lipids and electrolytes.
fn patient(age: i32, sbp: f64, dbp: f64) -> Rec {
    let mut r = Rec::new(age, Sex::Male);
    for days in [10, 60, 120] {
        r = r.reading(K::Sbp, sbp, days).reading(K::Dbp, dbp, days).reading(K::HeartRate, 70.0, days);
    }
    r.lab(K::LdlCholesterol, 3.4)
        .lab(K::HdlCholesterol, 1.3)
        .lab(K::TotalCholesterol, 5.6)
        .lab(K::Egfr, 85.0)
        .lab(K::Potassium, 4.2)
        .lab(K::Sodium, 140.0)
}

fn care(r: Rec) -> CarePlan {
    let record = r.build();
    let context = Context { race: Some(Race::White), ..Context::default() };
    let twin = crate::twin::build(&record, TODAY, context, 10).expect("the twin builds");
    let targets = targets_under(Guideline::Esc, &record, TODAY, &twin.risk_inputs);
    plan_care(&record, TODAY, &twin.baseline, &twin.risk_inputs, targets, CONFIG)
}

#[test]
fn primary_prevention_names_prevent_and_percentage_points() {
    let c = care(patient(60, 160.0, 95.0));
    assert!(c.plans.first().is_some_and(|p| p.risk.is_some()), "premise: a plan with a risk change");
    assert!(c.why.contains("10-year event risk (PREVENT 10-year total CVD) by"), "{}", c.why);
    assert!(c.why.contains("percentage points"), "{}", c.why);
}

#[test]
fn score2_from_70_is_named_score2_op() {
    let x = crate::risk::RiskInputs {
        age: 82.0,
        sex: Sex::Male,
        race: None,
        total_cholesterol: 5.5,
        hdl_cholesterol: 1.3,
        sbp: 150.0,
        bp_treated: false,
        smoker: false,
        diabetes: false,
        egfr: Some(80.0),
        bmi: Some(26.0),
        statin: Some(false),
        region: Some(crate::risk::Region::Moderate),
        hba1c: None,
        uacr: None,
        sdi_decile: None,
        crp: None,
        ascvd: None,
        diabetes_onset_age: None,
    };
    // PREVENT and the PCE stop at 79: SCORE2's equation at 82 is SCORE2-OP.
    let record = Rec::new(82, Sex::Male).build();
    let baseline_name = crate::twin::annual_hazards(&x, false, 0).name;
    assert!(baseline_name.starts_with("SCORE2 "), "premise: {baseline_name}");
    let twin_free = risk_model_name(&record, &no_hf_baseline(), &x);
    assert!(twin_free.starts_with("SCORE2-OP 10-year CVD"), "{twin_free}");
}

/// A baseline without heart-failure outcomes (the rest is not read by [`risk_model_name`]).
fn no_hf_baseline() -> Baseline {
    let record = patient(60, 150.0, 90.0).build();
    crate::twin::build(&record, TODAY, Context::default(), 10).expect("the twin builds").baseline
}

fn plan_projecting_dbp(dbp: f64) -> Plan {
    Plan {
        label: "start ARB at half dose".into(),
        steps: Vec::new(),
        scenario: Scenario::current_treatment(),
        probability: 0.5,
        probability_bp: 0.6,
        probability_ldl: 0.9,
        effects: vec![Band { output: Output::Dbp, median: dbp, p05: dbp - 6.0, p95: dbp + 5.0 }],
        risk: None,
        hospitalisation: None,
    }
}

/// Trip: demo 06's leading plan (79, no coronary disease, DBP 67 today) projected to 56 mmHg.
#[test]
fn a_projected_diastolic_under_60_is_a_caution_in_the_reason() {
    let why = explain(&[plan_projecting_dbp(56.3)], Outcome::NoneReaches, &CONFIG, "PCE 10-year hard ASCVD");
    assert!(why.contains("Caution: projected diastolic BP 56 mmHg at 12 months"), "{why}");
    assert!(why.contains("stop at a diastolic BP under 60"), "{why}");
}

/// Control: a projection at 64 mmHg carries no such caution.
#[test]
fn a_projected_diastolic_of_64_is_no_caution() {
    let why = explain(&[plan_projecting_dbp(64.0)], Outcome::Reaches, &CONFIG, "PCE 10-year hard ASCVD");
    assert!(!why.contains("Caution"), "{why}");
}

// ---- Start doses and BP-step raises (a consultant cardiologist's review of the demo plans) ----

use crate::progression::strategy::Rung;

/// Every ACE-inhibitor or ARB start across a plan's steps.
fn ras_starts(p: &Plan) -> Vec<&PlannedChange> {
    p.steps
        .iter()
        .flat_map(|s| s.changes.iter())
        .filter(|c| c.action == Action::Start && matches!(c.class, Some(D::AceInhibitor | D::Arb)))
        .collect()
}

/// The dose levels the twin projects for ACE-inhibitor and ARB starts (first step and ladder).
fn ras_projected(p: &Plan) -> Vec<DoseLevel> {
    let first = p.scenario.interventions.iter().filter_map(|i| match i {
        Intervention::StartDrug { class: D::AceInhibitor | D::Arb, dose, .. } => Some(*dose),
        _ => None,
    });
    let ladder =
        p.scenario.strategy.iter().flat_map(|s| s.sbp.iter()).flat_map(|r| r.ladder.iter()).filter_map(|r| match r {
            Rung::Add(D::AceInhibitor | D::Arb, d) => Some(*d),
            _ => None,
        });
    first.chain(ladder).collect()
}

#[test]
fn ras_blocker_started_beside_indapamide_starts_at_the_label_low_start_and_is_projected_so() {
    let c = care(patient(62, 165.0, 95.0).drug("indapamide", D::Thiazide, Some(2.5), DoseLevel::Standard));
    let starts: Vec<&PlannedChange> = c.plans.iter().flat_map(ras_starts).collect();
    assert!(!starts.is_empty(), "premise: a plan starts an ACE inhibitor or ARB");
    for s in &starts {
        let mg = s.daily_mg.expect("a low start names its dose");
        let agent = s.agent.expect("and its agent");
        let low = crate::suggest::start_dose::LOW_STARTS.iter().find(|r| r.agent == agent).expect("label low start");
        assert!(mg <= low.daily_mg + 1e-9, "{agent} {mg} mg");
        assert!(s.reason.as_deref().is_some_and(|r| r.starts_with("the low start: on indapamide")), "{:?}", s.reason);
        assert_eq!(s.dose, Some(DoseLevel::Half));
    }
    for p in &c.plans {
        assert!(ras_projected(p).iter().all(|d| *d == DoseLevel::Half), "{}: {:?}", p.label, ras_projected(p));
    }
}

#[test]
fn ras_blocker_starts_as_usual_off_diuretics_under_75_with_normal_egfr() {
    let c = care(patient(62, 165.0, 95.0));
    let starts: Vec<&PlannedChange> = c.plans.iter().flat_map(ras_starts).collect();
    assert!(!starts.is_empty(), "premise: a plan starts an ACE inhibitor or ARB");
    assert!(starts.iter().all(|s| s.reason.is_none() && s.daily_mg.is_none()), "{starts:?}");
    assert!(c.plans.iter().any(|p| ras_projected(p).contains(&DoseLevel::Standard)));
}

/// Post-PCI, on metoprolol at `mg` a day (its record text `text`), resting heart rate `hr`.
fn on_metoprolol(hr: f64, mg: f64, text: &str) -> CarePlan {
    let mut r = Rec::new(66, Sex::Male);
    for days in [10, 60, 120] {
        r = r.reading(K::Sbp, 150.0, days).reading(K::Dbp, 85.0, days).reading(K::HeartRate, hr, days);
    }
    let mut r = r
        .lab(K::LdlCholesterol, 1.2)
        .lab(K::HdlCholesterol, 1.3)
        .lab(K::TotalCholesterol, 3.6)
        .lab(K::Egfr, 85.0)
        .lab(K::Potassium, 4.2)
        .lab(K::Sodium, 140.0)
        .condition(crate::record::ConditionKind::CoronaryArteryDisease)
        .drug("atorvastatin", D::Statin, Some(80.0), DoseLevel::Double)
        .drug("metoprolol", D::BetaBlocker, Some(mg), DoseLevel::from_ratio(mg / 100.0));
    if let Some(m) = r.0.medications.last_mut() {
        m.display = text.to_string();
    }
    care(r)
}

fn raises(c: &CarePlan, class: D) -> bool {
    c.plans
        .iter()
        .flat_map(|p| p.steps.iter())
        .flat_map(|s| s.changes.iter())
        .any(|ch| ch.action == Action::Raise && ch.class == Some(class))
        || c.plans
            .iter()
            .filter_map(|p| p.scenario.strategy.as_ref())
            .flat_map(|s| s.sbp.iter())
            .any(|r| r.ladder.iter().any(|x| matches!(x, Rung::Raise(k, _) if *k == class)))
}

#[test]
fn beta_blocker_is_not_raised_for_bp_at_a_resting_rate_under_65() {
    let c = on_metoprolol(61.0, 100.0, "metoprolol 100 mg once daily");
    assert!(!c.plans.is_empty(), "premise: plans");
    assert!(!raises(&c, D::BetaBlocker));
}

#[test]
fn beta_blocker_is_raised_at_70_on_its_own_schedule_only() {
    let c = on_metoprolol(70.0, 100.0, "metoprolol 100 mg once daily");
    assert!(raises(&c, D::BetaBlocker), "100 mg once daily → 200 mg once daily keeps the schedule");
    // 50 mg twice daily (tartrate): the ladder's 200 mg once daily is another formulation
    let c = on_metoprolol(70.0, 100.0, "metoprolol 50 mg 2 times daily");
    assert!(!raises(&c, D::BetaBlocker));
}

/// On lisinopril, amlodipine and hydrochlorothiazide at `hctz_mg`, above target.
fn on_hctz(hctz_mg: f64) -> CarePlan {
    care(
        patient(60, 160.0, 95.0)
            .drug("lisinopril", D::AceInhibitor, Some(20.0), DoseLevel::Double)
            .drug("amlodipine", D::CalciumChannelBlocker, Some(10.0), DoseLevel::Double)
            .drug("hydrochlorothiazide", D::Thiazide, Some(hctz_mg), DoseLevel::from_ratio(hctz_mg / 25.0)),
    )
}

#[test]
fn hydrochlorothiazide_is_not_raised_past_25_mg() {
    let c = on_hctz(25.0);
    assert!(!raises(&c, D::Thiazide));
    assert!(c
        .plans
        .iter()
        .all(|p| p.steps.iter().all(|s| s.alerts.iter().all(|a| a.severity != Severity::Contraindicated))));
}

#[test]
fn hydrochlorothiazide_12_5_mg_is_raised_to_25() {
    let c = on_hctz(12.5);
    assert!(raises(&c, D::Thiazide));
}

#[test]
fn a_record_at_hydrochlorothiazide_50_mg_is_not_above_the_label_maximum() {
    let hctz = formulary::agent_by_name("hydrochlorothiazide").expect("in the table");
    assert!(!formulary::is_above_max(hctz, 50.0));
    assert_eq!(formulary::plan_ceiling_mg(hctz), Some(25.0));
    let c = on_hctz(50.0);
    assert!(!c.alerts.iter().any(|a| a.message.contains("above its maximum")), "{:?}", c.alerts);
}
