//! SMART2: 10-year risk of a recurrent atherosclerotic event (non-fatal MI, non-fatal stroke or
//! vascular death) in people aged 40–80 with established coronary, cerebrovascular, peripheral
//! or aortic (AAA) disease. The model the ESC 2021 prevention guideline recommends for them.
//!
//! Linear predictor (Fine–Gray, death from other causes competing): age and age², sex, current
//! smoking, SBP, diabetes, each disease location, years since the first diagnosis and its
//! square, ln(non-HDL-C), eGFR and eGFR², ln(CRP), antithrombotic treatment. Risk =
//! 1 − (1 − r₀)^exp(LP − mean LP), with r₀ the cohort's 10-year baseline risk.
//!
//! Calibration: the coefficients and baseline are those of the derivation cohort (UCC-SMART,
//! the Netherlands, an ESC low-risk country). The paper also recalibrates to the four ESC risk
//! regions; those scales are not reproduced here, so in moderate- to very-high-risk regions the
//! figure likely underestimates, and the result says so.
//!
//! Bounds: age 40–80 are the paper's. CRP above 30 mg/L is truncated to 30 (it likely reflects
//! acute illness, not the stable state the model describes; the UCC-SMART group's advice) and
//! below 0.1 mg/L to 0.1 (assay floor). The bounds on eGFR (15–150), non-HDL-C (0.5–12 mmol/L)
//! and years since diagnosis (0–30: the quadratic turns steeply down beyond) are ours, to avoid
//! extrapolating.
//!
//! # References
//! - Hageman SHJ, McKay AJ, Ueda P, et al. Estimation of recurrent atherosclerotic cardiovascular
//!   event risk in patients with established cardiovascular disease: the updated SMART2
//!   algorithm. Eur Heart J 2022;43:1715-1727. doi:10.1093/eurheartj/ehac056.
//! - Coefficients, baseline 10-year risk (0.165822797) and mean linear predictor (−0.0463729) as
//!   published by the UCC-SMART group with a worked example: Holtrop J et al., "Integrating
//!   additional variables on top of SMART2" (github.com/JorisHolt/extended_SMART2, 2025), §4.
//! - Visseren FLJ et al. 2021 ESC Guidelines on cardiovascular disease prevention in clinical
//!   practice. Eur Heart J 2021;42:3227-3337 — SMART2 for established ASCVD.

use super::{in_range, Decomposition, NotComputed, RiskEstimate, RiskInputs};
use crate::record::Sex;

/// The reference behind this equation, as the risk panel and the JSON cite it.
pub const SOURCE: &str = "Hageman SHJ et al. Eur Heart J 2022;43:1715-1727 (SMART2); coefficients and baseline as published by the UCC-SMART group (Holtrop J et al., extended_SMART2)";

const AORTIC_ANEURYSM: f64 = 0.330356631;
const AGE: f64 = -0.03496022;
const AGE_SQ: f64 = 0.000551072;
const MALE: f64 = 0.287658743;
const SBP: f64 = 0.0018913154;
const DIABETES: f64 = 0.318170659;
const CORONARY: f64 = 0.294701954;
const CEREBROVASCULAR: f64 = 0.34831786;
const PERIPHERAL: f64 = 0.22446658;
const YEARS: f64 = 0.047699585;
const YEARS_SQ: f64 = -0.00164973;
const LN_NON_HDL: f64 = 0.540364249;
const EGFR: f64 = -0.03967521;
const EGFR_SQ: f64 = 0.000218613;
const LN_CRP: f64 = 0.151760173;
const ANTITHROMBOTIC: f64 = -0.21072103;
const SMOKER: f64 = 0.345583271;
/// 10-year cumulative incidence at the mean linear predictor.
const BASELINE_RISK_10Y: f64 = 0.165822797;
const MEAN_LP: f64 = -0.0463729;

/// Where CRP is truncated, mg/L (see the module docs).
const CRP_RANGE: (f64, f64) = (0.1, 30.0);

/// The reference person for contributions (same sex as the patient).
pub const REFERENCE: &str = "age 65, coronary disease diagnosed 5 years ago, on antithrombotic treatment, non-smoker, \
no diabetes, SBP 130 mmHg, non-HDL-C 3 mmol/L, eGFR 80 mL/min/1.73 m², CRP 2 mg/L";

/// Established atherosclerotic disease on record, as SMART2 needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AscvdHistory {
    /// Coronary artery disease (angina with documented stenosis, MI, coronary revascularisation).
    pub coronary: bool,
    /// Cerebrovascular disease (TIA, ischaemic stroke, carotid surgery).
    pub cerebrovascular: bool,
    /// Symptomatic peripheral artery disease of the legs.
    pub peripheral: bool,
    /// Abdominal aortic aneurysm.
    pub aortic_aneurysm: bool,
    /// Years since the first of these was diagnosed; `None` when no diagnosis is dated.
    pub years_since_first: Option<f64>,
    /// On antiplatelet or anticoagulant treatment.
    pub antithrombotic: bool,
}

/// The 10-year risk of a recurrent atherosclerotic event by SMART2.
pub fn recurrent_10y(x: &RiskInputs) -> RiskEstimate {
    match compute(x) {
        Ok(estimate) => estimate,
        Err(reason) => RiskEstimate::not_computed(reason, REFERENCE),
    }
}

fn compute(x: &RiskInputs) -> Result<RiskEstimate, NotComputed> {
    let h = x.ascvd.ok_or(NotComputed::NotIntended {
        reason: "SMART2 is for people with established atherosclerotic disease; none is on record",
    })?;
    in_range("age", x.age, 40.0, 80.0, "years")?;
    in_range("systolic BP", x.sbp, 70.0, 250.0, "mmHg")?;
    let non_hdl = x.total_cholesterol - x.hdl_cholesterol;
    in_range("non-HDL cholesterol", non_hdl, 0.5, 12.0, "mmol/L")?;
    let egfr = x.egfr.ok_or(NotComputed::Missing { input: "eGFR" })?;
    in_range("eGFR", egfr, 15.0, 150.0, "mL/min/1.73 m²")?;
    let years =
        h.years_since_first.ok_or(NotComputed::Missing { input: "date of the first atherosclerotic diagnosis" })?;
    in_range("years since the first diagnosis", years, 0.0, 30.0, "years")?;
    let measured_crp = x.crp.ok_or(NotComputed::Missing { input: "C-reactive protein" })?;
    let crp = measured_crp.clamp(CRP_RANGE.0, CRP_RANGE.1);
    let flag = |b: bool| f64::from(u8::from(b));
    let mut d = Decomposition::default();
    d.term("sex", MALE, flag(x.sex == Sex::Male), flag(x.sex == Sex::Male));
    d.term("age", AGE, x.age, 65.0);
    d.term("age", AGE_SQ, x.age * x.age, 65.0 * 65.0);
    d.term("smoking", SMOKER, flag(x.smoker), 0.0);
    d.term("systolic BP", SBP, x.sbp, 130.0);
    d.term("diabetes", DIABETES, flag(x.diabetes), 0.0);
    d.term("coronary disease", CORONARY, flag(h.coronary), 1.0);
    d.term("cerebrovascular disease", CEREBROVASCULAR, flag(h.cerebrovascular), 0.0);
    d.term("peripheral artery disease", PERIPHERAL, flag(h.peripheral), 0.0);
    d.term("aortic aneurysm", AORTIC_ANEURYSM, flag(h.aortic_aneurysm), 0.0);
    d.term("years since diagnosis", YEARS, years, 5.0);
    d.term("years since diagnosis", YEARS_SQ, years * years, 25.0);
    d.term("non-HDL cholesterol", LN_NON_HDL, non_hdl.ln(), 3.0f64.ln());
    d.term("eGFR", EGFR, egfr, 80.0);
    d.term("eGFR", EGFR_SQ, egfr * egfr, 6400.0);
    d.term("C-reactive protein", LN_CRP, crp.ln(), 2.0f64.ln());
    d.term("antithrombotic treatment", ANTITHROMBOTIC, flag(h.antithrombotic), 1.0);
    d.contributions.retain(|c| c.factor != "sex");
    let risk = |lp: f64| 1.0 - (1.0 - BASELINE_RISK_10Y).powf((lp - MEAN_LP).exp());
    let mut notes = vec![
        "SMART2 as derived in the Netherlands (ESC low-risk region); not recalibrated to other regions, where it \
         likely underestimates"
            .to_string(),
    ];
    if crp != measured_crp {
        notes.push(format!(
            "CRP {measured_crp:.1} mg/L was taken as {crp:.1} mg/L (SMART2 describes the stable state; values above \
             30 mg/L usually reflect acute illness)"
        ));
    }
    Ok(RiskEstimate {
        risk: Ok(risk(d.lp)),
        reference_risk: Some(risk(d.lp_reference)),
        contributions: d.contributions,
        reference: REFERENCE,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history() -> AscvdHistory {
        AscvdHistory {
            coronary: true,
            cerebrovascular: false,
            peripheral: false,
            aortic_aneurysm: false,
            years_since_first: Some(5.0),
            antithrombotic: true,
        }
    }

    /// The UCC-SMART group's worked example (Holtrop et al., §4.1): a 65-year-old man with
    /// coronary disease diagnosed 5 years ago, diabetes, SBP 140 mmHg, non-HDL-C 4.0 mmol/L,
    /// eGFR 70, CRP 3 mg/L, on antithrombotic treatment, non-smoker: 25.05%.
    fn worked_example() -> RiskInputs {
        RiskInputs {
            age: 65.0,
            sex: Sex::Male,
            race: None,
            total_cholesterol: 5.0,
            hdl_cholesterol: 1.0,
            sbp: 140.0,
            bp_treated: true,
            smoker: false,
            diabetes: true,
            egfr: Some(70.0),
            bmi: None,
            statin: None,
            region: None,
            hba1c: None,
            uacr: None,
            sdi_decile: None,
            crp: Some(3.0),
            ascvd: Some(history()),
            diabetes_onset_age: None,
        }
    }

    #[test]
    fn reproduces_the_worked_example() {
        let e = recurrent_10y(&worked_example());
        let risk = e.risk.unwrap();
        assert!((risk * 100.0 - 25.05).abs() < 0.005, "{risk}");
    }

    #[test]
    fn contributions_are_exact_and_point_the_right_way() {
        let e = recurrent_10y(&worked_example());
        let by = |f: &str| e.contributions.iter().find(|c| c.factor == f).map(|c| c.value).unwrap();
        assert!(by("diabetes") > 0.0 && by("non-HDL cholesterol") > 0.0 && by("eGFR") > 0.0);
        let sum: f64 = e.contributions.iter().map(|c| c.value).sum();
        let (r, r0) = (e.risk.unwrap(), e.reference_risk.unwrap());
        // 1 − r = (1 − r0)^exp(sum): the contributions carry the whole difference.
        assert!(((1.0 - r).ln() / (1.0 - r0).ln() - sum.exp()).abs() < 1e-9);
    }

    #[test]
    fn needs_established_disease_crp_and_egfr() {
        let none = recurrent_10y(&RiskInputs { ascvd: None, ..worked_example() });
        assert!(matches!(none.risk, Err(NotComputed::NotIntended { .. })));
        let no_crp = recurrent_10y(&RiskInputs { crp: None, ..worked_example() });
        assert_eq!(no_crp.risk, Err(NotComputed::Missing { input: "C-reactive protein" }));
        let no_egfr = recurrent_10y(&RiskInputs { egfr: None, ..worked_example() });
        assert_eq!(no_egfr.risk, Err(NotComputed::Missing { input: "eGFR" }));
        let old = recurrent_10y(&RiskInputs { age: 84.0, ..worked_example() });
        assert!(matches!(old.risk, Err(NotComputed::OutOfRange { input: "age", .. })));
    }

    #[test]
    fn acute_phase_crp_is_truncated_and_said() {
        let at_30 = recurrent_10y(&RiskInputs { crp: Some(30.0), ..worked_example() }).risk.unwrap();
        let acute = recurrent_10y(&RiskInputs { crp: Some(180.0), ..worked_example() });
        assert!((acute.risk.unwrap() - at_30).abs() < 1e-12);
        assert!(acute.notes.iter().any(|n| n.contains("acute illness")));
    }
}
