//! ESC/EAS 2019's LDL-C goal at high and very high risk is two-fold: below the category's level
//! and at least 50 % below the untreated baseline. The goal reads the baseline from the record
//! where it is there, says so where it is not, and ACC/AHA's thresholds do not change.

use time::macros::date;
use twin_engine::drugs::{DoseLevel, DrugClass};
use twin_engine::record::{
    Condition, ConditionKind, Demographics, MeasurementKind as K, Medication, PatientRecord, Sample, Sex, Source,
};
use twin_engine::suggest::targets::{targets, EscLdlGoal, RiskCategory};

const TODAY: time::Date = date!(2026 - 12 - 01);

/// A 62-year-old man with coronary disease (very high risk), on atorvastatin 40 mg since
/// 2024-01-01, LDL-C 1.3 mmol/L last month; with `untreated` LDL-C measured in 2023 if given.
fn coronary(untreated: Option<f64>) -> PatientRecord {
    let demo = Demographics { name: "Test".into(), birth_date: Some(date!(1964 - 06 - 01)), sex: Some(Sex::Male) };
    let mut r = PatientRecord::new("p", demo);
    r.conditions.push(Condition {
        kind: Some(ConditionKind::CoronaryArteryDisease),
        code: "test".into(),
        display: "coronary artery disease".into(),
        onset: Some(date!(2023 - 10 - 01)),
        active: true,
        source: Source { resource: "Condition/c0".into() },
    });
    r.medications.push(Medication {
        class: Some(DrugClass::Statin),
        agent: Some("atorvastatin".into()),
        code: "test".into(),
        display: "atorvastatin 40 mg".into(),
        daily_dose_mg: Some(40.0),
        dose_level: Some(DoseLevel::Standard),
        start: Some(date!(2024 - 01 - 01)),
        end: None,
        adherence: None,
        source: Source { resource: "MedicationRequest/m0".into() },
    });
    let mut ldl = |date, value, id: &str| {
        r.push_sample(K::LdlCholesterol, Sample { date, value, source: Source { resource: id.into() } });
    };
    if let Some(v) = untreated {
        ldl(date!(2023 - 11 - 01), v, "Observation/ldl-untreated");
    }
    ldl(date!(2026 - 11 - 01), 1.3, "Observation/ldl-now");
    r
}

#[test]
fn an_untreated_baseline_on_record_adds_the_50_percent_reduction_to_the_goal() {
    let t = targets(&coronary(Some(2.4)), TODAY, Err("no SCORE2".into()));
    assert_eq!(t.category, RiskCategory::VeryHigh);
    // Half of 2.4 is 1.2, under 1.4: LDL-C 1.3 meets the level but not the reduction.
    assert!((t.ldl_below_mmol - 1.2).abs() < 1e-9, "{}", t.ldl_below_mmol);
    assert!(t.ldl_reason.contains("below 1.4 mmol/L (54 mg/dL)"), "{}", t.ldl_reason);
    assert!(t.ldl_reason.contains("at least 50 % below the untreated baseline of 2.4 mmol/L"), "{}", t.ldl_reason);
    assert!(t.ldl_reason.contains("both are met below 1.2 mmol/L"), "{}", t.ldl_reason);
}

#[test]
fn a_high_baseline_leaves_the_level_as_the_binding_part() {
    let t = targets(&coronary(Some(4.0)), TODAY, Err("no SCORE2".into()));
    assert!((t.ldl_below_mmol - 1.4).abs() < 1e-9, "{}", t.ldl_below_mmol);
}

#[test]
fn without_an_untreated_ldl_the_goal_says_the_baseline_is_not_in_the_record() {
    let t = targets(&coronary(None), TODAY, Err("no SCORE2".into()));
    assert!((t.ldl_below_mmol - 1.4).abs() < 1e-9, "{}", t.ldl_below_mmol);
    assert!(t.ldl_reason.contains("(baseline not in the record)"), "{}", t.ldl_reason);
}

#[test]
fn low_and_moderate_risk_keep_the_level_alone() {
    assert_eq!(EscLdlGoal::new(RiskCategory::Moderate, Some(3.0)).below_mmol(), 2.6);
    assert_eq!(EscLdlGoal::new(RiskCategory::Moderate, Some(3.0)).words(), "LDL-C below 2.6 mmol/L (101 mg/dL)");
    assert_eq!(EscLdlGoal::new(RiskCategory::High, Some(3.0)).below_mmol(), 1.5);
    assert_eq!(EscLdlGoal::new(RiskCategory::High, Some(5.0)).below_mmol(), 1.8);
}

/// ACC/AHA's goal is an intensity with its own thresholds: the ESC reduction does not reach it.
#[test]
fn acc_aha_thresholds_do_not_change_with_the_baseline() {
    use twin_engine::suggest::guideline::Guideline;
    use twin_engine::suggest::targets_under;
    let x = twin_engine::risk::RiskInputs {
        age: 62.0,
        sex: Sex::Male,
        race: None,
        total_cholesterol: 3.5,
        hdl_cholesterol: 1.2,
        sbp: 130.0,
        bp_treated: false,
        smoker: false,
        diabetes: false,
        egfr: Some(85.0),
        bmi: Some(26.0),
        statin: Some(true),
        region: None,
        hba1c: None,
        uacr: None,
        sdi_decile: None,
        crp: None,
        ascvd: None,
        diabetes_onset_age: None,
    };
    let with = targets_under(Guideline::AccAha, &coronary(Some(2.4)), TODAY, &x);
    let without = targets_under(Guideline::AccAha, &coronary(None), TODAY, &x);
    assert_eq!(with.ldl_below_mmol, without.ldl_below_mmol);
    assert!(!with.ldl_reason.contains("50 %"), "{}", with.ldl_reason);
    // And ESC's goal does differ between the two, so the comparison means something.
    let esc = |r: &PatientRecord| targets_under(Guideline::Esc, r, TODAY, &x).ldl_below_mmol;
    assert!(esc(&coronary(Some(2.4))) < esc(&coronary(None)));
}
