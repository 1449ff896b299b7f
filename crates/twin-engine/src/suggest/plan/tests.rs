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
