//! ESC SCORE2-Diabetes: 10-year risk of fatal and non-fatal CVD (CVD death, non-fatal MI,
//! non-fatal stroke) in type 2 diabetes, age 40–69, without atherosclerotic disease or severe
//! target-organ damage, recalibrated to the patient's risk region as SCORE2 is.
//!
//! SCORE2's terms (cage = (age − 60)/5, csbp = (SBP − 120)/20, ctc = TC − 6, chdl =
//! (HDL − 1.3)/0.5, smoking, diabetes, each × cage) with refitted coefficients, plus age at
//! diagnosis ((age − 50)/5), HbA1c ((mmol/mol − 31)/9.34), eGFR ((ln eGFR − 4.5)/0.15, and its
//! square) and HbA1c × age, eGFR × age. Uncalibrated risk 1 − S₀^exp(LP); the region scales are
//! SCORE2's.
//!
//! # References
//! - SCORE2-Diabetes Working Group and the ESC Cardiovascular Risk Collaboration. SCORE2-Diabetes:
//!   10-year cardiovascular risk estimation in type 2 diabetes in Europe. Eur Heart J
//!   2023;44:2544-2556. doi:10.1093/eurheartj/ehad260 — coefficients and baseline survival
//!   (Supplementary Table), region scales (those of SCORE2).
//! - Marx N et al. 2023 ESC Guidelines for the management of cardiovascular disease in patients
//!   with diabetes. Eur Heart J 2023;44:4043-4140 — who it is for.

use super::score2::{recalibrate, region_index};
use super::{in_range, mg_dl, Decomposition, NotComputed, RiskEstimate, RiskInputs};
use crate::record::Sex;

/// The reference behind this equation, as the risk panel and the JSON cite it.
pub const SOURCE: &str =
    "SCORE2-Diabetes Working Group and the ESC Cardiovascular Risk Collaboration. Eur Heart J 2023;44:2544-2556";

/// One sex's coefficients (log subdistribution hazard ratios) and baseline survival.
struct Model {
    age: f64,
    smoker: f64,
    sbp: f64,
    diabetes: f64,
    tc: f64,
    hdl: f64,
    age_x_smoker: f64,
    age_x_sbp: f64,
    age_x_diabetes: f64,
    age_x_tc: f64,
    age_x_hdl: f64,
    age_at_diagnosis: f64,
    hba1c: f64,
    egfr: f64,
    egfr_sq: f64,
    age_x_hba1c: f64,
    age_x_egfr: f64,
    baseline_survival: f64,
    /// (scale₁, scale₂) for Low, Moderate, High, Very high (SCORE2's).
    scales: [(f64, f64); 4],
}

const MEN: Model = Model {
    age: 0.5368,
    smoker: 0.4774,
    sbp: 0.1322,
    diabetes: 0.6457,
    tc: 0.1102,
    hdl: -0.1087,
    age_x_smoker: -0.0672,
    age_x_sbp: -0.0268,
    age_x_diabetes: -0.0983,
    age_x_tc: -0.0181,
    age_x_hdl: 0.0095,
    age_at_diagnosis: -0.0998,
    hba1c: 0.0955,
    egfr: -0.0591,
    egfr_sq: 0.0058,
    age_x_hba1c: -0.0134,
    age_x_egfr: 0.0115,
    baseline_survival: 0.9605,
    scales: [(-0.5699, 0.7476), (-0.1565, 0.8009), (0.3207, 0.9360), (0.5836, 0.8294)],
};

const WOMEN: Model = Model {
    age: 0.6624,
    smoker: 0.6139,
    sbp: 0.1421,
    diabetes: 0.8096,
    tc: 0.1127,
    hdl: -0.1568,
    age_x_smoker: -0.1122,
    age_x_sbp: -0.0167,
    age_x_diabetes: -0.1272,
    age_x_tc: -0.0200,
    age_x_hdl: 0.0186,
    age_at_diagnosis: -0.1180,
    hba1c: 0.1173,
    egfr: -0.0640,
    egfr_sq: 0.0062,
    age_x_hba1c: -0.0196,
    age_x_egfr: 0.0169,
    baseline_survival: 0.9776,
    scales: [(-0.7380, 0.7019), (-0.3143, 0.7701), (0.5710, 0.9369), (0.9412, 0.8329)],
};

/// The reference person for contributions: every centred term zero.
pub const REFERENCE: &str =
    "age 60, type 2 diabetes diagnosed at 50, non-smoker, SBP 120 mmHg, TC 6 mmol/L, HDL-C 1.3 mmol/L, \
HbA1c 31 mmol/mol, eGFR 90 mL/min/1.73 m²";

/// HbA1c % (NGSP/DCCT) → mmol/mol (IFCC), by the master equation NGSP = 0.09148 · IFCC + 2.152
/// (Hoelzel et al., Clin Chem 2004;50:166), the inverse of the conversion on ingest.
pub fn hba1c_mmol_mol(percent: f64) -> f64 {
    (percent - 2.152) / 0.09148
}

/// The 10-year CVD risk by SCORE2-Diabetes.
pub fn cvd_10y(x: &RiskInputs) -> RiskEstimate {
    match compute(x) {
        Ok(estimate) => estimate,
        Err(reason) => RiskEstimate::not_computed(reason, REFERENCE),
    }
}

fn compute(x: &RiskInputs) -> Result<RiskEstimate, NotComputed> {
    if !x.diabetes {
        return Err(NotComputed::NotIntended { reason: "SCORE2-Diabetes is for people with type 2 diabetes" });
    }
    if x.ascvd.is_some() {
        return Err(NotComputed::NotIntended {
            reason: "SCORE2-Diabetes is for people without atherosclerotic disease; SMART2 applies",
        });
    }
    in_range("age", x.age, 40.0, 69.0, "years")?;
    in_range("total cholesterol", mg_dl(x.total_cholesterol), 130.0, 320.0, "mg/dL")?;
    in_range("HDL cholesterol", mg_dl(x.hdl_cholesterol), 20.0, 100.0, "mg/dL")?;
    in_range("systolic BP", x.sbp, 90.0, 200.0, "mmHg")?;
    let region = x.region.ok_or(NotComputed::Missing { input: "ESC risk region" })?;
    let onset = x.diabetes_onset_age.ok_or(NotComputed::Missing { input: "age at diabetes diagnosis" })?;
    in_range("age at diabetes diagnosis", onset, 0.0, x.age, "years")?;
    let hba1c = hba1c_mmol_mol(x.hba1c.ok_or(NotComputed::Missing { input: "HbA1c" })?);
    in_range("HbA1c", hba1c, 20.0, 150.0, "mmol/mol")?;
    let egfr = x.egfr.ok_or(NotComputed::Missing { input: "eGFR" })?;
    in_range("eGFR", egfr, 15.0, 150.0, "mL/min/1.73 m²")?;
    let m = match x.sex {
        Sex::Male => &MEN,
        Sex::Female => &WOMEN,
    };
    let age = (x.age - 60.0) / 5.0;
    let sbp = (x.sbp - 120.0) / 20.0;
    let tc = x.total_cholesterol - 6.0;
    let hdl = (x.hdl_cholesterol - 1.3) / 0.5;
    let onset = (onset - 50.0) / 5.0;
    let a1c = (hba1c - 31.0) / 9.34;
    let gfr = (egfr.ln() - 4.5) / 0.15;
    let smoker = f64::from(u8::from(x.smoker));
    let mut d = Decomposition::default();
    // Everyone this equation is for has diabetes: the terms are the same at the reference.
    d.term("diabetes", m.diabetes, 1.0, 1.0);
    d.term("diabetes", m.age_x_diabetes, age, 0.0);
    d.term("age", m.age, age, 0.0);
    d.term("smoking", m.smoker, smoker, 0.0);
    d.term("smoking", m.age_x_smoker, age * smoker, 0.0);
    d.term("systolic BP", m.sbp, sbp, 0.0);
    d.term("systolic BP", m.age_x_sbp, age * sbp, 0.0);
    d.term("total cholesterol", m.tc, tc, 0.0);
    d.term("total cholesterol", m.age_x_tc, age * tc, 0.0);
    d.term("HDL cholesterol", m.hdl, hdl, 0.0);
    d.term("HDL cholesterol", m.age_x_hdl, age * hdl, 0.0);
    d.term("age at diabetes diagnosis", m.age_at_diagnosis, onset, 0.0);
    d.term("HbA1c", m.hba1c, a1c, 0.0);
    d.term("HbA1c", m.age_x_hba1c, age * a1c, 0.0);
    d.term("eGFR", m.egfr, gfr, 0.0);
    d.term("eGFR", m.egfr_sq, gfr * gfr, 0.0);
    d.term("eGFR", m.age_x_egfr, age * gfr, 0.0);
    // The age × diabetes term belongs with age for a reader: fold it in.
    if let Some(i) = d.contributions.iter().position(|c| c.factor == "diabetes") {
        let moved = d.contributions.remove(i).value;
        if let Some(a) = d.contributions.iter_mut().find(|c| c.factor == "age") {
            a.value += moved;
        }
    }
    let scales = m.scales[region_index(region)];
    let calibrated = |lp: f64| recalibrate(1.0 - m.baseline_survival.powf(lp.exp()), scales);
    Ok(RiskEstimate {
        risk: Ok(calibrated(d.lp)),
        reference_risk: Some(calibrated(d.lp_reference)),
        contributions: d.contributions,
        reference: REFERENCE,
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::{AscvdHistory, Region};

    fn person(sex: Sex) -> RiskInputs {
        RiskInputs {
            age: 60.0,
            sex,
            race: None,
            total_cholesterol: 5.5,
            hdl_cholesterol: 1.3,
            sbp: 140.0,
            bp_treated: false,
            smoker: false,
            diabetes: true,
            egfr: Some(90.0),
            bmi: None,
            statin: None,
            region: Some(Region::Low),
            // 50 mmol/mol in NGSP %.
            hba1c: Some(0.09148 * 50.0 + 2.152),
            uacr: None,
            sdi_decile: None,
            crp: None,
            ascvd: None,
            diabetes_onset_age: Some(60.0),
        }
    }

    /// The documented example of an independent implementation (RiskScorescvd, CRAN, function
    /// `SCORE2_Diabetes`): a 60-year-old man, low-risk region, non-smoker, diabetes diagnosed at
    /// 60, SBP 140 mmHg, TC 5.5 and HDL-C 1.3 mmol/L, HbA1c 50 mmol/mol, eGFR 90: 8.4%.
    #[test]
    fn matches_the_documented_example() {
        let risk = cvd_10y(&person(Sex::Male)).risk.unwrap();
        assert!((risk * 100.0 - 8.4).abs() < 0.05, "{risk}");
    }

    #[test]
    fn contributions_sum_to_the_linear_predictor_difference() {
        let x = RiskInputs { smoker: true, egfr: Some(55.0), diabetes_onset_age: Some(45.0), ..person(Sex::Female) };
        let e = cvd_10y(&x);
        let sum: f64 = e.contributions.iter().map(|c| c.value).sum();
        let (r, r0) = (e.risk.unwrap(), e.reference_risk.unwrap());
        assert!(sum > 0.0 && r > r0, "{sum} {r} {r0}");
    }

    #[test]
    fn earlier_onset_higher_hba1c_and_lower_egfr_raise_risk() {
        let base = cvd_10y(&person(Sex::Male)).risk.unwrap();
        let early = cvd_10y(&RiskInputs { diabetes_onset_age: Some(45.0), ..person(Sex::Male) }).risk.unwrap();
        let a1c = cvd_10y(&RiskInputs { hba1c: Some(9.0), ..person(Sex::Male) }).risk.unwrap();
        let ckd = cvd_10y(&RiskInputs { egfr: Some(40.0), ..person(Sex::Male) }).risk.unwrap();
        assert!(early > base && a1c > base && ckd > base, "{base} {early} {a1c} {ckd}");
    }

    #[test]
    fn says_who_it_is_not_for() {
        let no_dm = cvd_10y(&RiskInputs { diabetes: false, ..person(Sex::Male) });
        assert!(matches!(no_dm.risk, Err(NotComputed::NotIntended { .. })));
        let history = AscvdHistory {
            coronary: true,
            cerebrovascular: false,
            peripheral: false,
            aortic_aneurysm: false,
            years_since_first: Some(2.0),
            antithrombotic: true,
        };
        let ascvd = cvd_10y(&RiskInputs { ascvd: Some(history), ..person(Sex::Male) });
        assert!(matches!(ascvd.risk, Err(NotComputed::NotIntended { .. })));
        let old = cvd_10y(&RiskInputs { age: 72.0, ..person(Sex::Male) });
        assert!(matches!(old.risk, Err(NotComputed::OutOfRange { input: "age", .. })));
        let unknown_onset = cvd_10y(&RiskInputs { diabetes_onset_age: None, ..person(Sex::Male) });
        assert_eq!(unknown_onset.risk, Err(NotComputed::Missing { input: "age at diabetes diagnosis" }));
    }
}
