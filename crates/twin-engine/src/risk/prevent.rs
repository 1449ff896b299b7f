//! AHA PREVENT base model: 10- and 30-year risk of total CVD, ASCVD and heart failure.
//!
//! risk = logistic(LP), LP a sum of coefficient × centred term. Terms, with their centring:
//! age (age − 55)/10 (and its square for 30-year risk); non-HDL cholesterol (TC − HDL − 3.5
//! mmol/L); HDL-C (HDL − 1.3)/0.3; SBP as two pieces, (min(SBP,110) − 110)/20 and
//! (max(SBP,110) − 130)/20; eGFR as (min(eGFR,60) − 60)/−15 and (max(eGFR,60) − 90)/−15; BMI (heart
//! failure only) as (min(BMI,30) − 25)/5 and (max(BMI,30) − 30)/5; diabetes; current smoking;
//! BP treatment; statin; and the interactions listed in [`Coefficients`].
//!
//! The reference person (all centred terms zero): age 55, non-HDL 3.5 mmol/L, HDL 1.3 mmol/L,
//! SBP 130 mmHg, eGFR 90, BMI 25, no diabetes, non-smoker, untreated.
//!
//! # Validated range
//! Age 30–79 (10-year) or 30–59 (30-year), total cholesterol 130–320 mg/dL, HDL-C 20–100 mg/dL,
//! SBP 90–200 mmHg, BMI 18.5–39.99 kg/m² (heart failure), eGFR 15–150 mL/min/1.73 m².
//!
//! # Not implemented
//! The optional UACR, HbA1c and social-deprivation models are separate coefficient sets, not
//! add-on terms; only the base model is implemented.
//!
//! # References
//! - Khan SS, Matsushita K, Sang Y et al. Development and validation of the American Heart
//!   Association's PREVENT equations. Circulation 2024;149:430-449.
//!   doi:10.1161/CIRCULATIONAHA.123.067626 — base-model coefficients: Supplemental Tables S12A–F
//!   (as transcribed in Linden A, `prevent10i`/`prevent30i`, Stata SSC 2024, and checked here
//!   term by term); validated ranges: Methods.

use super::{in_range, mg_dl, Decomposition, NotComputed, RiskEstimate, RiskInputs};
use crate::record::Sex;

/// The outcome a PREVENT equation predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Total CVD (ASCVD + heart failure).
    Cvd,
    /// Atherosclerotic CVD.
    Ascvd,
    /// Heart failure.
    HeartFailure,
}

/// The prediction horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Horizon {
    /// 10 years.
    TenYears,
    /// 30 years.
    ThirtyYears,
}

/// One equation's coefficients; terms an equation lacks are 0.
#[derive(Debug, Clone, Copy, Default)]
struct Coefficients {
    age: f64,
    age_sq: f64,
    non_hdl: f64,
    hdl: f64,
    sbp_low: f64,
    sbp_high: f64,
    diabetes: f64,
    smoker: f64,
    bmi_low: f64,
    bmi_high: f64,
    egfr_low: f64,
    egfr_high: f64,
    bp_treated: f64,
    statin: f64,
    bp_treated_x_sbp_high: f64,
    statin_x_non_hdl: f64,
    age_x_non_hdl: f64,
    age_x_hdl: f64,
    age_x_sbp_high: f64,
    age_x_diabetes: f64,
    age_x_smoker: f64,
    age_x_bmi_high: f64,
    age_x_egfr_low: f64,
    constant: f64,
}

const Z: Coefficients = Coefficients {
    age: 0.0,
    age_sq: 0.0,
    non_hdl: 0.0,
    hdl: 0.0,
    sbp_low: 0.0,
    sbp_high: 0.0,
    diabetes: 0.0,
    smoker: 0.0,
    bmi_low: 0.0,
    bmi_high: 0.0,
    egfr_low: 0.0,
    egfr_high: 0.0,
    bp_treated: 0.0,
    statin: 0.0,
    bp_treated_x_sbp_high: 0.0,
    statin_x_non_hdl: 0.0,
    age_x_non_hdl: 0.0,
    age_x_hdl: 0.0,
    age_x_sbp_high: 0.0,
    age_x_diabetes: 0.0,
    age_x_smoker: 0.0,
    age_x_bmi_high: 0.0,
    age_x_egfr_low: 0.0,
    constant: 0.0,
};

#[rustfmt::skip]
const CVD_10_F: Coefficients = Coefficients { age: 0.7939329, non_hdl: 0.0305239, hdl: -0.1606857, sbp_low: -0.2394003, sbp_high: 0.3600781, diabetes: 0.8667604, smoker: 0.5360739, egfr_low: 0.6045917, egfr_high: 0.0433769, bp_treated: 0.3151672, statin: -0.1477655, bp_treated_x_sbp_high: -0.0663612, statin_x_non_hdl: 0.1197879, age_x_non_hdl: -0.0819715, age_x_hdl: 0.0306769, age_x_sbp_high: -0.0946348, age_x_diabetes: -0.27057, age_x_smoker: -0.078715, age_x_egfr_low: -0.1637806, constant: -3.307728, ..Z };
#[rustfmt::skip]
const CVD_10_M: Coefficients = Coefficients { age: 0.7688528, non_hdl: 0.0736174, hdl: -0.0954431, sbp_low: -0.4347345, sbp_high: 0.3362658, diabetes: 0.7692857, smoker: 0.4386871, egfr_low: 0.5378979, egfr_high: 0.0164827, bp_treated: 0.288879, statin: -0.1337349, bp_treated_x_sbp_high: -0.0475924, statin_x_non_hdl: 0.150273, age_x_non_hdl: -0.0517874, age_x_hdl: 0.0191169, age_x_sbp_high: -0.1049477, age_x_diabetes: -0.2251948, age_x_smoker: -0.0895067, age_x_egfr_low: -0.1543702, constant: -3.031168, ..Z };
#[rustfmt::skip]
const ASCVD_10_F: Coefficients = Coefficients { age: 0.719883, non_hdl: 0.1176967, hdl: -0.151185, sbp_low: -0.0835358, sbp_high: 0.3592852, diabetes: 0.8348585, smoker: 0.4831078, egfr_low: 0.4864619, egfr_high: 0.0397779, bp_treated: 0.2265309, statin: -0.0592374, bp_treated_x_sbp_high: -0.0395762, statin_x_non_hdl: 0.0844423, age_x_non_hdl: -0.0567839, age_x_hdl: 0.0325692, age_x_sbp_high: -0.1035985, age_x_diabetes: -0.2417542, age_x_smoker: -0.0791142, age_x_egfr_low: -0.1671492, constant: -3.819975, ..Z };
#[rustfmt::skip]
const ASCVD_10_M: Coefficients = Coefficients { age: 0.7099847, non_hdl: 0.1658663, hdl: -0.1144285, sbp_low: -0.2837212, sbp_high: 0.3239977, diabetes: 0.7189597, smoker: 0.3956973, egfr_low: 0.3690075, egfr_high: 0.0203619, bp_treated: 0.2036522, statin: -0.0865581, bp_treated_x_sbp_high: -0.0322916, statin_x_non_hdl: 0.114563, age_x_non_hdl: -0.0300005, age_x_hdl: 0.0232747, age_x_sbp_high: -0.0927024, age_x_diabetes: -0.2018525, age_x_smoker: -0.0970527, age_x_egfr_low: -0.1217081, constant: -3.500655, ..Z };
#[rustfmt::skip]
const HF_10_F: Coefficients = Coefficients { age: 0.8998235, sbp_low: -0.4559771, sbp_high: 0.3576505, diabetes: 1.038346, smoker: 0.583916, bmi_low: -0.0072294, bmi_high: 0.2997706, egfr_low: 0.7451638, egfr_high: 0.0557087, bp_treated: 0.3534442, bp_treated_x_sbp_high: -0.0981511, age_x_sbp_high: -0.0946663, age_x_diabetes: -0.3581041, age_x_smoker: -0.1159453, age_x_bmi_high: -0.003878, age_x_egfr_low: -0.1884289, constant: -4.310409, ..Z };
#[rustfmt::skip]
const HF_10_M: Coefficients = Coefficients { age: 0.8972642, sbp_low: -0.6811466, sbp_high: 0.3634461, diabetes: 0.923776, smoker: 0.5023736, bmi_low: -0.0485841, bmi_high: 0.3726929, egfr_low: 0.6926917, egfr_high: 0.0251827, bp_treated: 0.2980922, bp_treated_x_sbp_high: -0.0497731, age_x_sbp_high: -0.1289201, age_x_diabetes: -0.3040924, age_x_smoker: -0.1401688, age_x_bmi_high: 0.0068126, age_x_egfr_low: -0.1797778, constant: -3.946391, ..Z };
#[rustfmt::skip]
const CVD_30_F: Coefficients = Coefficients { age: 0.5503079, age_sq: -0.0928369, non_hdl: 0.0409794, hdl: -0.1663306, sbp_low: -0.1628654, sbp_high: 0.3299505, diabetes: 0.6793894, smoker: 0.3196112, egfr_low: 0.1857101, egfr_high: 0.0553528, bp_treated: 0.2894, statin: -0.075688, bp_treated_x_sbp_high: -0.056367, statin_x_non_hdl: 0.1071019, age_x_non_hdl: -0.0751438, age_x_hdl: 0.0301786, age_x_sbp_high: -0.0998776, age_x_diabetes: -0.3206166, age_x_smoker: -0.1607862, age_x_egfr_low: -0.1450788, constant: -1.318827, ..Z };
#[rustfmt::skip]
const CVD_30_M: Coefficients = Coefficients { age: 0.4627309, age_sq: -0.0984281, non_hdl: 0.0836088, hdl: -0.1029824, sbp_low: -0.2140352, sbp_high: 0.2904325, diabetes: 0.5331276, smoker: 0.2141914, egfr_low: 0.1155556, egfr_high: 0.0603775, bp_treated: 0.232714, statin: -0.0272112, bp_treated_x_sbp_high: -0.0384488, statin_x_non_hdl: 0.134192, age_x_non_hdl: -0.0511759, age_x_hdl: 0.0165865, age_x_sbp_high: -0.1101437, age_x_diabetes: -0.2585943, age_x_smoker: -0.1566406, age_x_egfr_low: -0.1166776, constant: -1.148204, ..Z };
#[rustfmt::skip]
const ASCVD_30_F: Coefficients = Coefficients { age: 0.4669202, age_sq: -0.0893118, non_hdl: 0.1256901, hdl: -0.1542255, sbp_low: -0.0018093, sbp_high: 0.322949, diabetes: 0.6296707, smoker: 0.268292, egfr_low: 0.100106, egfr_high: 0.0499663, bp_treated: 0.1875292, statin: 0.0152476, bp_treated_x_sbp_high: -0.0276123, statin_x_non_hdl: 0.0736147, age_x_non_hdl: -0.0521962, age_x_hdl: 0.0316918, age_x_sbp_high: -0.1046101, age_x_diabetes: -0.2727793, age_x_smoker: -0.1530907, age_x_egfr_low: -0.1299149, constant: -1.974074, ..Z };
#[rustfmt::skip]
const ASCVD_30_M: Coefficients = Coefficients { age: 0.3994099, age_sq: -0.0937484, non_hdl: 0.1744643, hdl: -0.120203, sbp_low: -0.0665117, sbp_high: 0.2753037, diabetes: 0.4790257, smoker: 0.1782635, egfr_low: -0.0218789, egfr_high: 0.0602553, bp_treated: 0.1421182, statin: 0.0135996, bp_treated_x_sbp_high: -0.0218265, statin_x_non_hdl: 0.1013148, age_x_non_hdl: -0.0312619, age_x_hdl: 0.020673, age_x_sbp_high: -0.0920935, age_x_diabetes: -0.2159947, age_x_smoker: -0.1548811, age_x_egfr_low: -0.0712547, constant: -1.736444, ..Z };
#[rustfmt::skip]
const HF_30_F: Coefficients = Coefficients { age: 0.6254374, age_sq: -0.0983038, sbp_low: -0.3919241, sbp_high: 0.3142295, diabetes: 0.8330787, smoker: 0.3438651, bmi_low: 0.0594874, bmi_high: 0.2525536, egfr_low: 0.2981642, egfr_high: 0.0667159, bp_treated: 0.333921, bp_treated_x_sbp_high: -0.0893177, age_x_sbp_high: -0.0974299, age_x_diabetes: -0.404855, age_x_smoker: -0.1982991, age_x_bmi_high: -0.0035619, age_x_egfr_low: -0.1564215, constant: -2.205379, ..Z };
#[rustfmt::skip]
const HF_30_M: Coefficients = Coefficients { age: 0.5681541, age_sq: -0.1048388, sbp_low: -0.4761564, sbp_high: 0.30324, diabetes: 0.6840338, smoker: 0.2656273, bmi_low: 0.0833107, bmi_high: 0.26999, egfr_low: 0.2541805, egfr_high: 0.0638923, bp_treated: 0.2583631, bp_treated_x_sbp_high: -0.0391938, age_x_sbp_high: -0.1269124, age_x_diabetes: -0.3273572, age_x_smoker: -0.2043019, age_x_bmi_high: -0.0182831, age_x_egfr_low: -0.1342618, constant: -1.95751, ..Z };

/// The reference person (every centred term zero).
pub const REFERENCE: &str = "age 55, non-HDL cholesterol 3.5 mmol/L, HDL-C 1.3 mmol/L, SBP 130 mmHg, eGFR 90, BMI 25, no diabetes, non-smoker, no BP or statin treatment";

/// The log odds ratio of current smoking in the 10-year total-CVD equation at age 55 (the
/// smoking coefficient; its age interaction is zero there): how much quitting can remove.
pub fn smoking_coefficient(sex: Sex) -> f64 {
    coefficients(sex, Outcome::Cvd, Horizon::TenYears).smoker
}

/// The PREVENT base-model risk of `outcome` over `horizon`.
pub fn risk(x: &RiskInputs, outcome: Outcome, horizon: Horizon) -> RiskEstimate {
    match compute(x, outcome, horizon) {
        Ok(estimate) => estimate,
        Err(reason) => RiskEstimate::not_computed(reason, REFERENCE),
    }
}

fn coefficients(sex: Sex, outcome: Outcome, horizon: Horizon) -> &'static Coefficients {
    use {Horizon as H, Outcome as O};
    match (sex, outcome, horizon) {
        (Sex::Female, O::Cvd, H::TenYears) => &CVD_10_F,
        (Sex::Male, O::Cvd, H::TenYears) => &CVD_10_M,
        (Sex::Female, O::Ascvd, H::TenYears) => &ASCVD_10_F,
        (Sex::Male, O::Ascvd, H::TenYears) => &ASCVD_10_M,
        (Sex::Female, O::HeartFailure, H::TenYears) => &HF_10_F,
        (Sex::Male, O::HeartFailure, H::TenYears) => &HF_10_M,
        (Sex::Female, O::Cvd, H::ThirtyYears) => &CVD_30_F,
        (Sex::Male, O::Cvd, H::ThirtyYears) => &CVD_30_M,
        (Sex::Female, O::Ascvd, H::ThirtyYears) => &ASCVD_30_F,
        (Sex::Male, O::Ascvd, H::ThirtyYears) => &ASCVD_30_M,
        (Sex::Female, O::HeartFailure, H::ThirtyYears) => &HF_30_F,
        (Sex::Male, O::HeartFailure, H::ThirtyYears) => &HF_30_M,
    }
}

fn compute(x: &RiskInputs, outcome: Outcome, horizon: Horizon) -> Result<RiskEstimate, NotComputed> {
    let max_age = match horizon {
        Horizon::TenYears => 79.0,
        Horizon::ThirtyYears => 59.0,
    };
    in_range("age", x.age, 30.0, max_age, "years")?;
    in_range("total cholesterol", mg_dl(x.total_cholesterol), 130.0, 320.0, "mg/dL")?;
    in_range("HDL cholesterol", mg_dl(x.hdl_cholesterol), 20.0, 100.0, "mg/dL")?;
    in_range("systolic BP", x.sbp, 90.0, 200.0, "mmHg")?;
    let egfr = x.egfr.ok_or(NotComputed::Missing { input: "eGFR" })?;
    in_range("eGFR", egfr, 15.0, 150.0, "mL/min/1.73m²")?;
    let (bmi, statin) = match outcome {
        Outcome::HeartFailure => {
            let bmi = x.bmi.ok_or(NotComputed::Missing { input: "BMI" })?;
            in_range("BMI", bmi, 18.5, 39.99, "kg/m²")?;
            (bmi, false)
        }
        Outcome::Cvd | Outcome::Ascvd => (25.0, x.statin.ok_or(NotComputed::Missing { input: "statin use" })?),
    };
    let c = coefficients(x.sex, outcome, horizon);
    let flag = |b: bool| f64::from(u8::from(b));
    let age = (x.age - 55.0) / 10.0;
    let non_hdl = x.total_cholesterol - x.hdl_cholesterol - 3.5;
    let hdl = (x.hdl_cholesterol - 1.3) / 0.3;
    let sbp_low = (x.sbp.min(110.0) - 110.0) / 20.0;
    let sbp_high = (x.sbp.max(110.0) - 130.0) / 20.0;
    let bmi_low = (bmi.min(30.0) - 25.0) / 5.0;
    let bmi_high = (bmi.max(30.0) - 30.0) / 5.0;
    let egfr_low = (egfr.min(60.0) - 60.0) / -15.0;
    let egfr_high = (egfr.max(60.0) - 90.0) / -15.0;
    let (diabetes, smoker, treated, statin) = (flag(x.diabetes), flag(x.smoker), flag(x.bp_treated), flag(statin));

    let mut d = Decomposition::default();
    d.constant(c.constant);
    d.term("age", c.age, age, 0.0);
    d.term("age", c.age_sq, age * age, 0.0);
    d.term("non-HDL cholesterol", c.non_hdl, non_hdl, 0.0);
    d.term("non-HDL cholesterol", c.age_x_non_hdl, age * non_hdl, 0.0);
    d.term("non-HDL cholesterol", c.statin_x_non_hdl, statin * non_hdl, 0.0);
    d.term("HDL cholesterol", c.hdl, hdl, 0.0);
    d.term("HDL cholesterol", c.age_x_hdl, age * hdl, 0.0);
    d.term("systolic BP", c.sbp_low, sbp_low, 0.0);
    d.term("systolic BP", c.sbp_high, sbp_high, 0.0);
    d.term("systolic BP", c.age_x_sbp_high, age * sbp_high, 0.0);
    d.term("systolic BP", c.bp_treated_x_sbp_high, treated * sbp_high, 0.0);
    d.term("BP treatment", c.bp_treated, treated, 0.0);
    d.term("statin", c.statin, statin, 0.0);
    d.term("diabetes", c.diabetes, diabetes, 0.0);
    d.term("diabetes", c.age_x_diabetes, age * diabetes, 0.0);
    d.term("smoking", c.smoker, smoker, 0.0);
    d.term("smoking", c.age_x_smoker, age * smoker, 0.0);
    d.term("BMI", c.bmi_low, bmi_low, 0.0);
    d.term("BMI", c.bmi_high, bmi_high, 0.0);
    d.term("BMI", c.age_x_bmi_high, age * bmi_high, 0.0);
    d.term("eGFR", c.egfr_low, egfr_low, 0.0);
    d.term("eGFR", c.egfr_high, egfr_high, 0.0);
    d.term("eGFR", c.age_x_egfr_low, age * egfr_low, 0.0);
    d.contributions.retain(|c| c.value != 0.0 || matches!(c.factor, "age" | "systolic BP"));
    let logistic = |lp: f64| 1.0 / (1.0 + (-lp).exp());
    Ok(RiskEstimate {
        risk: Ok(logistic(d.lp)),
        reference_risk: Some(logistic(d.lp_reference)),
        contributions: d.contributions,
        reference: REFERENCE,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::CHOLESTEROL_MG_DL_PER_MMOL_L as F;

    fn person(sex: Sex) -> RiskInputs {
        RiskInputs {
            age: 50.0,
            sex,
            race: None,
            total_cholesterol: 200.0 / F,
            hdl_cholesterol: 45.0 / F,
            sbp: 160.0,
            bp_treated: true,
            smoker: false,
            diabetes: true,
            egfr: Some(90.0),
            bmi: Some(35.0),
            statin: Some(false),
            region: None,
        }
    }

    /// A 50-year-old woman (TC 200 mg/dL, HDL-C 45 mg/dL, treated SBP 160 mmHg, diabetes,
    /// non-smoker, eGFR 90, BMI 35, no statin). The expected 14.68% is an independent
    /// recomputation (a Python one-liner of the Stata transcription's formula, in
    /// docs/VALIDATION.md): it checks this code against the formula, not against a published
    /// worked example, which the PREVENT paper does not give.
    #[test]
    fn matches_an_independent_recomputation() {
        let cvd = risk(&person(Sex::Female), Outcome::Cvd, Horizon::TenYears).risk.unwrap();
        assert!((cvd - 0.14684).abs() < 0.00005, "{cvd}");
    }

    #[test]
    fn reference_person_has_no_contributions_and_risk_is_logistic_of_constant() {
        let x = RiskInputs {
            age: 55.0,
            total_cholesterol: 4.8,
            hdl_cholesterol: 1.3,
            sbp: 130.0,
            bp_treated: false,
            diabetes: false,
            bmi: Some(25.0),
            ..person(Sex::Male)
        };
        let est = risk(&x, Outcome::Cvd, Horizon::TenYears);
        assert!(est.contributions.iter().all(|c| c.value.abs() < 1e-12));
        let expected = 1.0 / (1.0 + 3.031168f64.exp());
        assert!((est.risk.unwrap() - expected).abs() < 1e-12);
    }

    #[test]
    fn risk_rises_with_each_risk_factor() {
        for outcome in [Outcome::Cvd, Outcome::Ascvd, Outcome::HeartFailure] {
            let base = person(Sex::Male);
            let r0 = risk(&base, outcome, Horizon::TenYears).risk.unwrap();
            let smoker = risk(&RiskInputs { smoker: true, ..base.clone() }, outcome, Horizon::TenYears).risk.unwrap();
            let older = risk(&RiskInputs { age: 65.0, ..base.clone() }, outcome, Horizon::TenYears).risk.unwrap();
            let ckd = risk(&RiskInputs { egfr: Some(40.0), ..base.clone() }, outcome, Horizon::TenYears).risk.unwrap();
            assert!(smoker > r0 && older > r0 && ckd > r0, "{outcome:?}");
        }
    }

    #[test]
    fn thirty_year_risk_is_for_under_sixty_and_needs_inputs() {
        let x = person(Sex::Female);
        assert!(risk(&x, Outcome::Cvd, Horizon::ThirtyYears).risk.is_ok());
        let old = RiskInputs { age: 65.0, ..x.clone() };
        assert!(matches!(
            risk(&old, Outcome::Cvd, Horizon::ThirtyYears).risk,
            Err(NotComputed::OutOfRange { input: "age", .. })
        ));
        let no_egfr = RiskInputs { egfr: None, ..x };
        assert_eq!(risk(&no_egfr, Outcome::Ascvd, Horizon::TenYears).risk, Err(NotComputed::Missing { input: "eGFR" }));
    }
}
