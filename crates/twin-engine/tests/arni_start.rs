//! Sacubitril/valsartan's starting dose follows the labels: 49/51 mg twice daily from a high dose
//! of an ACE inhibitor or ARB, 24/26 mg from a low dose (enalapril ≤ 10 mg/day or equivalent),
//! with none to switch from, at eGFR under 30, and (EU SmPC) at eGFR 30–60 or SBP 100–110 mmHg;
//! never for age alone.

use twin_engine::drugs::{DoseLevel, DrugClass as D};
use twin_engine::record::NyhaClass;
use twin_engine::suggest::heart_failure::{arni_start, low_raas_dose_ceiling_mg, HeartFailureFacts, LowArniStart};
use twin_engine::suggest::safety::RegimenDrug;

/// Demo 03 as the reviewer read it: HFrEF, NYHA II, SBP 120, eGFR 77, 68 years.
fn facts() -> HeartFailureFacts {
    HeartFailureFacts {
        reduced_ef: true,
        improved_ef: false,
        creatinine: Some(93.0),
        potassium_age_days: Some(30),
        ef: 33.0,
        nyha: NyhaClass::Ii,
        sbp: 120.0,
        heart_rate: 74.0,
        potassium: Some(4.3),
        egfr: Some(77.0),
        age: 68.0,
        atrial_fibrillation: false,
        qrs_ms: None,
        lbbb: false,
        ischaemic: false,
        weight_gain_3d: None,
    }
}

fn ramipril(mg: f64) -> RegimenDrug {
    RegimenDrug::agent(D::AceInhibitor, DoseLevel::from_ratio(mg / 10.0), "ramipril", Some(mg))
}

#[test]
fn ramipril_10_mg_a_day_starts_at_49_51() {
    let start = arni_start(&facts(), &[ramipril(10.0)]);
    assert_eq!(start.low, vec![]);
    assert_eq!(start.dose(), DoseLevel::Standard);
}

#[test]
fn age_alone_is_no_reason_for_the_lower_start() {
    let old = HeartFailureFacts { age: 82.0, ..facts() };
    assert_eq!(arni_start(&old, &[ramipril(10.0)]).dose(), DoseLevel::Standard);
}

#[test]
fn ramipril_2_5_mg_a_day_is_a_low_dose_and_starts_at_24_26() {
    let start = arni_start(&facts(), &[ramipril(2.5)]);
    assert_eq!(start.dose(), DoseLevel::Half);
    assert_eq!(start.low, vec![LowArniStart::LowDose { agent: "ramipril".into(), daily_mg: 2.5, ceiling_mg: 5.0 }]);
}

#[test]
fn the_label_low_dose_is_inclusive_ramipril_5_mg_is_low() {
    assert_eq!(arni_start(&facts(), &[ramipril(5.0)]).dose(), DoseLevel::Half);
}

#[test]
fn egfr_25_starts_at_24_26_even_from_a_high_dose() {
    let kidney = HeartFailureFacts { egfr: Some(25.0), ..facts() };
    let start = arni_start(&kidney, &[ramipril(10.0)]);
    assert_eq!(start.low, vec![LowArniStart::SevereRenalImpairment { egfr: 25.0 }]);
    assert_eq!(start.dose(), DoseLevel::Half);
}

#[test]
fn egfr_45_starts_at_24_26_as_the_eu_smpc_advises_and_60_does_not() {
    let moderate = HeartFailureFacts { egfr: Some(45.0), ..facts() };
    assert_eq!(
        arni_start(&moderate, &[ramipril(10.0)]).low,
        vec![LowArniStart::ModerateRenalImpairment { egfr: 45.0 }]
    );
    let sixty = HeartFailureFacts { egfr: Some(60.0), ..facts() };
    assert_eq!(arni_start(&sixty, &[ramipril(10.0)]).dose(), DoseLevel::Standard);
}

#[test]
fn sbp_107_starts_at_24_26_as_the_eu_smpc_advises() {
    let low_bp = HeartFailureFacts { sbp: 107.0, ..facts() };
    assert_eq!(arni_start(&low_bp, &[ramipril(10.0)]).low, vec![LowArniStart::LowSbp { sbp: 107.0 }]);
}

#[test]
fn no_ace_inhibitor_or_arb_or_an_unknown_dose_starts_at_24_26() {
    assert_eq!(arni_start(&facts(), &[]).low, vec![LowArniStart::NoAceInhibitorOrArb]);
    let unknown = RegimenDrug::agent(D::AceInhibitor, DoseLevel::Standard, "ramipril", None);
    assert_eq!(arni_start(&facts(), &[unknown]).low, vec![LowArniStart::DoseNotKnown { agent: "ramipril".into() }]);
}

#[test]
fn the_equivalents_match_the_label_table_and_half_the_hf_target_elsewhere() {
    for (agent, mg) in [
        ("enalapril", 10.0),
        ("lisinopril", 10.0),
        ("ramipril", 5.0),
        ("valsartan", 160.0),
        ("losartan", 50.0),
        ("olmesartan", 10.0),
        ("candesartan", 16.0),
    ] {
        assert_eq!(low_raas_dose_ceiling_mg(agent), Some(mg), "{agent}");
    }
    assert_eq!(low_raas_dose_ceiling_mg("perindopril"), None);
    let valsartan_320 = RegimenDrug::agent(D::Arb, DoseLevel::Double, "valsartan", Some(320.0));
    assert_eq!(arni_start(&facts(), &[valsartan_320]).dose(), DoseLevel::Standard);
}
