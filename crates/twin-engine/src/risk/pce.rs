//! ACC/AHA Pooled Cohort Equations: 10-year risk of a first hard ASCVD event (CHD death,
//! non-fatal MI, fatal or non-fatal stroke).
//!
//! risk = 1 − S₁₀^exp(LP − mean LP), with LP the sum of coefficient × term.
//!
//! # Validated range
//! Age 40–79 years, total cholesterol 130–320 mg/dL, HDL-C 20–100 mg/dL, SBP 90–200 mmHg.
//!
//! # References
//! - Goff DC Jr et al. 2013 ACC/AHA Guideline on the Assessment of Cardiovascular Risk.
//!   Circulation 2014;129(25 Suppl 2):S49-S73. doi:10.1161/01.cir.0000437741.48606.98 —
//!   coefficients, baseline survival and mean LP: Table A; the worked example (age 55,
//!   TC 213 mg/dL, HDL-C 50 mg/dL, untreated SBP 120 mmHg, non-smoker, no diabetes: 2.1% white
//!   woman, 3.0% African-American woman, 5.3% white man, 6.1% African-American man): Table A.
//! - The guideline's risk-estimator spreadsheet carries more digits than Table A's three: the
//!   African-American women's coefficients to four decimals and every group's baseline survival
//!   and mean LP to five significant digits. Those are used here; with Table A's rounding, the
//!   African-American women's risk drifts by up to 0.4 percentage points. They agree with the
//!   open-source SMART-on-FHIR ASCVD Risk Calculator (Cerner, github.com/cerner/ascvd-risk-calculator),
//!   whose published test cases are checked below.

use super::{in_range, mg_dl, Decomposition, NotComputed, Race, RiskEstimate, RiskInputs};
use crate::record::Sex;

/// The reference behind this equation, as the risk panel and the JSON cite it.
pub const SOURCE: &str = "Goff DC Jr et al. 2013 ACC/AHA Guideline on the Assessment of Cardiovascular Risk. Circulation 2014;129(25 Suppl 2):S49-S73 (Pooled Cohort Equations; coefficients at the risk spreadsheet's precision)";

/// Coefficients of one sex/race group (Goff 2013, Table A, at the spreadsheet's precision). Terms
/// absent from a group are 0.
struct Coefficients {
    ln_age: f64,
    ln_age_sq: f64,
    ln_tc: f64,
    ln_age_ln_tc: f64,
    ln_hdl: f64,
    ln_age_ln_hdl: f64,
    ln_sbp_treated: f64,
    ln_age_ln_sbp_treated: f64,
    ln_sbp_untreated: f64,
    ln_age_ln_sbp_untreated: f64,
    smoker: f64,
    ln_age_smoker: f64,
    diabetes: f64,
    baseline_survival: f64,
    mean_lp: f64,
}

const WHITE_WOMEN: Coefficients = Coefficients {
    ln_age: -29.799,
    ln_age_sq: 4.884,
    ln_tc: 13.540,
    ln_age_ln_tc: -3.114,
    ln_hdl: -13.578,
    ln_age_ln_hdl: 3.149,
    ln_sbp_treated: 2.019,
    ln_age_ln_sbp_treated: 0.0,
    ln_sbp_untreated: 1.957,
    ln_age_ln_sbp_untreated: 0.0,
    smoker: 7.574,
    ln_age_smoker: -1.665,
    diabetes: 0.661,
    baseline_survival: 0.96652,
    mean_lp: -29.1817,
};

const BLACK_WOMEN: Coefficients = Coefficients {
    ln_age: 17.1141,
    ln_age_sq: 0.0,
    ln_tc: 0.9396,
    ln_age_ln_tc: 0.0,
    ln_hdl: -18.9196,
    ln_age_ln_hdl: 4.4748,
    ln_sbp_treated: 29.2907,
    ln_age_ln_sbp_treated: -6.4321,
    ln_sbp_untreated: 27.8197,
    ln_age_ln_sbp_untreated: -6.0873,
    smoker: 0.6908,
    ln_age_smoker: 0.0,
    diabetes: 0.8738,
    baseline_survival: 0.95334,
    mean_lp: 86.6081,
};

const WHITE_MEN: Coefficients = Coefficients {
    ln_age: 12.344,
    ln_age_sq: 0.0,
    ln_tc: 11.853,
    ln_age_ln_tc: -2.664,
    ln_hdl: -7.990,
    ln_age_ln_hdl: 1.769,
    ln_sbp_treated: 1.797,
    ln_age_ln_sbp_treated: 0.0,
    ln_sbp_untreated: 1.764,
    ln_age_ln_sbp_untreated: 0.0,
    smoker: 7.837,
    ln_age_smoker: -1.795,
    diabetes: 0.658,
    baseline_survival: 0.91436,
    mean_lp: 61.1816,
};

const BLACK_MEN: Coefficients = Coefficients {
    ln_age: 2.469,
    ln_age_sq: 0.0,
    ln_tc: 0.302,
    ln_age_ln_tc: 0.0,
    ln_hdl: -0.307,
    ln_age_ln_hdl: 0.0,
    ln_sbp_treated: 1.916,
    ln_age_ln_sbp_treated: 0.0,
    ln_sbp_untreated: 1.809,
    ln_age_ln_sbp_untreated: 0.0,
    smoker: 0.549,
    ln_age_smoker: 0.0,
    diabetes: 0.645,
    baseline_survival: 0.89536,
    mean_lp: 19.5425,
};

/// The reference person: the guideline's worked example, of the patient's sex and race group.
pub const REFERENCE: &str =
    "age 55, total cholesterol 213 mg/dL, HDL-C 50 mg/dL, untreated SBP 120 mmHg, non-smoker, no diabetes";

/// The 10-year hard ASCVD risk.
pub fn ascvd_10y(x: &RiskInputs) -> RiskEstimate {
    match compute(x) {
        Ok(estimate) => estimate,
        Err(reason) => RiskEstimate::not_computed(reason, REFERENCE),
    }
}

fn compute(x: &RiskInputs) -> Result<RiskEstimate, NotComputed> {
    let race = x.race.ok_or(NotComputed::Missing { input: "race group" })?;
    let (tc, hdl) = (mg_dl(x.total_cholesterol), mg_dl(x.hdl_cholesterol));
    in_range("age", x.age, 40.0, 79.0, "years")?;
    in_range("total cholesterol", tc, 130.0, 320.0, "mg/dL")?;
    in_range("HDL cholesterol", hdl, 20.0, 100.0, "mg/dL")?;
    in_range("systolic BP", x.sbp, 90.0, 200.0, "mmHg")?;
    let c = match (x.sex, race) {
        (Sex::Female, Race::Black) => &BLACK_WOMEN,
        (Sex::Female, Race::White | Race::Other) => &WHITE_WOMEN,
        (Sex::Male, Race::Black) => &BLACK_MEN,
        (Sex::Male, Race::White | Race::Other) => &WHITE_MEN,
    };
    let (ln_age, ln_tc, ln_hdl, ln_sbp) = (x.age.ln(), tc.ln(), hdl.ln(), x.sbp.ln());
    let (r_age, r_tc, r_hdl, r_sbp) = (55f64.ln(), 213f64.ln(), 50f64.ln(), 120f64.ln());
    let (treated, untreated) = if x.bp_treated { (1.0, 0.0) } else { (0.0, 1.0) };
    let smoker = f64::from(u8::from(x.smoker));
    let mut d = Decomposition::default();
    d.term("age", c.ln_age, ln_age, r_age);
    d.term("age", c.ln_age_sq, ln_age * ln_age, r_age * r_age);
    d.term("total cholesterol", c.ln_tc, ln_tc, r_tc);
    d.term("total cholesterol", c.ln_age_ln_tc, ln_age * ln_tc, r_age * r_tc);
    d.term("HDL cholesterol", c.ln_hdl, ln_hdl, r_hdl);
    d.term("HDL cholesterol", c.ln_age_ln_hdl, ln_age * ln_hdl, r_age * r_hdl);
    d.term("systolic BP and its treatment", c.ln_sbp_treated, treated * ln_sbp, 0.0);
    d.term("systolic BP and its treatment", c.ln_age_ln_sbp_treated, treated * ln_age * ln_sbp, 0.0);
    d.term("systolic BP and its treatment", c.ln_sbp_untreated, untreated * ln_sbp, r_sbp);
    d.term("systolic BP and its treatment", c.ln_age_ln_sbp_untreated, untreated * ln_age * ln_sbp, r_age * r_sbp);
    d.term("smoking", c.smoker, smoker, 0.0);
    d.term("smoking", c.ln_age_smoker, smoker * ln_age, 0.0);
    d.term("diabetes", c.diabetes, f64::from(u8::from(x.diabetes)), 0.0);
    let risk = |lp: f64| 1.0 - c.baseline_survival.powf((lp - c.mean_lp).exp());
    Ok(RiskEstimate {
        risk: Ok(risk(d.lp)),
        reference_risk: Some(risk(d.lp_reference)),
        contributions: d.contributions,
        reference: REFERENCE,
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::CHOLESTEROL_MG_DL_PER_MMOL_L as F;

    pub(crate) fn worked_example(sex: Sex, race: Race) -> RiskInputs {
        RiskInputs {
            age: 55.0,
            sex,
            race: Some(race),
            total_cholesterol: 213.0 / F,
            hdl_cholesterol: 50.0 / F,
            sbp: 120.0,
            bp_treated: false,
            smoker: false,
            diabetes: false,
            egfr: None,
            bmi: None,
            statin: None,
            region: None,
            hba1c: None,
            uacr: None,
            sdi_decile: None,
            crp: None,
            ascvd: None,
            diabetes_onset_age: None,
        }
    }

    /// Goff 2013 Table A worked example; published figures are rounded to 0.1 point.
    #[test]
    fn reproduces_the_guideline_worked_example() {
        for (sex, race, published) in [
            (Sex::Female, Race::White, 0.021),
            (Sex::Female, Race::Black, 0.030),
            (Sex::Male, Race::White, 0.053),
            (Sex::Male, Race::Black, 0.061),
        ] {
            let est = ascvd_10y(&worked_example(sex, race));
            let risk = est.risk.expect("in range");
            assert!((risk - published).abs() < 0.0015, "{sex:?} {race:?}: {risk:.4} vs {published}");
            // The worked example is the reference person: nothing contributes.
            assert!(est.contributions.iter().all(|c| c.value.abs() < 1e-9));
        }
    }

    /// The test cases of the Cerner ASCVD Risk Calculator (`ASCVDRisk.computeTenYearScore`, which
    /// rounds to 0.1 point): a 46-year-old treated, diabetic smoker, SBP 140 mmHg. Women TC 141,
    /// HDL-C 34 mg/dL: 10.3% white, 26.8% African-American; men TC 150, HDL-C 40: 12.2% white,
    /// 24.9% African-American. Every group within 0.05 points, so within 0.1 of the calculator.
    #[test]
    fn matches_the_cerner_calculators_cases_in_every_group() {
        for (sex, race, tc, hdl, published) in [
            (Sex::Female, Race::White, 141.0, 34.0, 10.3),
            (Sex::Female, Race::Black, 141.0, 34.0, 26.8),
            (Sex::Male, Race::White, 150.0, 40.0, 12.2),
            (Sex::Male, Race::Black, 150.0, 40.0, 24.9),
        ] {
            let x = RiskInputs {
                age: 46.0,
                total_cholesterol: tc / F,
                hdl_cholesterol: hdl / F,
                sbp: 140.0,
                bp_treated: true,
                smoker: true,
                diabetes: true,
                ..worked_example(sex, race)
            };
            let risk = ascvd_10y(&x).risk.unwrap() * 100.0;
            assert!((risk - published).abs() < 0.05, "{sex:?} {race:?}: {risk:.3} vs {published}");
        }
    }

    #[test]
    fn other_races_use_the_white_equations() {
        let white = ascvd_10y(&worked_example(Sex::Male, Race::White)).risk.unwrap();
        let other = ascvd_10y(&worked_example(Sex::Male, Race::Other)).risk.unwrap();
        assert_eq!(white, other);
    }

    #[test]
    fn out_of_range_is_named_not_extrapolated() {
        let mut x = worked_example(Sex::Female, Race::White);
        x.age = 35.0;
        match ascvd_10y(&x).risk {
            Err(NotComputed::OutOfRange { input: "age", min, max, .. }) => assert_eq!((min, max), (40.0, 79.0)),
            other => panic!("{other:?}"),
        }
        let mut x = worked_example(Sex::Female, Race::White);
        x.race = None;
        assert_eq!(ascvd_10y(&x).risk, Err(NotComputed::Missing { input: "race group" }));
    }

    #[test]
    fn contributions_sum_to_the_linear_predictor_difference() {
        let mut x = worked_example(Sex::Male, Race::White);
        x.smoker = true;
        x.sbp = 150.0;
        x.bp_treated = true;
        x.age = 63.0;
        let est = ascvd_10y(&x);
        let risk = est.risk.clone().unwrap();
        let c = &WHITE_MEN;
        let lp_diff: f64 = est.contributions.iter().map(|c| c.value).sum();
        let reference_risk = est.reference_risk.unwrap();
        // Reconstruct the patient's risk from the reference risk and the contributions.
        let ref_lp = ((1.0 - reference_risk).ln() / c.baseline_survival.ln()).ln() + c.mean_lp;
        let rebuilt = 1.0 - c.baseline_survival.powf((ref_lp + lp_diff - c.mean_lp).exp());
        assert!((rebuilt - risk).abs() < 1e-12);
        let smoking = est.contributions.iter().find(|c| c.factor == "smoking").unwrap().value;
        assert!(smoking > 0.0);
    }
}
