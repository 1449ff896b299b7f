//! Kidney function: eGFR and creatinine clearance from serum creatinine.
//!
//! # References
//! - Inker LA et al. New creatinine- and cystatin C-based equations to estimate GFR without
//!   race. N Engl J Med 2021;385:1737-1749. doi:10.1056/NEJMoa2102953 (CKD-EPI 2021, race-free).
//! - Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum creatinine. Nephron
//!   1976;16:31-41. doi:10.1159/000180580 (creatinine clearance, the estimate the DOAC labels and
//!   trials dose by: EHRA practical guide, Steffel J et al., Europace 2021;23:1612, Table 2).

use crate::record::Sex;
use crate::units::CREATININE_UMOL_L_PER_MG_DL;

/// eGFR in mL/min/1.73 m² by CKD-EPI 2021 (creatinine only).
///
/// `creatinine_umol_l` is serum creatinine in µmol/L; `age_years` must be ≥ 18 (the equation
/// was developed in adults; callers outside that range get `None`).
pub fn egfr_ckd_epi_2021(creatinine_umol_l: f64, age_years: f64, sex: Sex) -> Option<f64> {
    if !((18.0..=120.0).contains(&age_years) && creatinine_umol_l.is_finite() && creatinine_umol_l > 0.0) {
        return None;
    }
    let scr_mg_dl = creatinine_umol_l / CREATININE_UMOL_L_PER_MG_DL;
    let (kappa, alpha, sex_factor) = match sex {
        Sex::Female => (0.7, -0.241, 1.012),
        Sex::Male => (0.9, -0.302, 1.0),
    };
    let ratio = scr_mg_dl / kappa;
    Some(142.0 * ratio.min(1.0).powf(alpha) * ratio.max(1.0).powf(-1.200) * 0.9938_f64.powf(age_years) * sex_factor)
}

/// Creatinine clearance in mL/min by Cockcroft–Gault (1976): (140 − age) × weight / (72 × serum
/// creatinine in mg/dL), × 0.85 for women, with actual body weight (as the DOAC labels use it).
///
/// `None` outside adult ages 18–120, for a weight outside 20–300 kg or a creatinine that is not a
/// positive number: the equation was derived in adults and nothing is extrapolated.
pub fn creatinine_clearance_cockcroft_gault(
    creatinine_umol_l: f64,
    age_years: f64,
    weight_kg: f64,
    sex: Sex,
) -> Option<f64> {
    let valid = (18.0..=120.0).contains(&age_years)
        && (20.0..=300.0).contains(&weight_kg)
        && creatinine_umol_l.is_finite()
        && creatinine_umol_l > 0.0;
    if !valid {
        return None;
    }
    let scr_mg_dl = creatinine_umol_l / CREATININE_UMOL_L_PER_MG_DL;
    let female = match sex {
        Sex::Female => 0.85,
        Sex::Male => 1.0,
    };
    Some((140.0 - age_years) * weight_kg * female / (72.0 * scr_mg_dl))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values computed by hand from the equation as printed in Inker 2021 (Table 2),
    /// rounded to whole numbers as the NKF calculator reports them.
    #[test]
    fn matches_published_calculator_values() {
        let cases = [(1.0, 60.0, Sex::Female, 64.0), (1.0, 60.0, Sex::Male, 86.0), (2.0, 70.0, Sex::Male, 35.0)];
        for (scr_mg_dl, age, sex, expected) in cases {
            let got = egfr_ckd_epi_2021(scr_mg_dl * CREATININE_UMOL_L_PER_MG_DL, age, sex).unwrap();
            assert!((got - expected).abs() < 1.0, "{scr_mg_dl} {age} {sex:?}: {got}");
        }
    }

    /// By hand from the equation (Cockcroft & Gault 1976): a 74-year-old woman of 72.1 kg with
    /// creatinine 88 µmol/L (0.995 mg/dL): 66 × 72.1 × 0.85 / (72 × 0.995) = 56.4 mL/min; a
    /// 60-year-old man of 80 kg at 1.0 mg/dL: 80 × 80 / 72 = 88.9 mL/min.
    #[test]
    fn cockcroft_gault_matches_hand_arithmetic() {
        let woman = creatinine_clearance_cockcroft_gault(88.0, 74.0, 72.1, Sex::Female).unwrap();
        assert!((woman - 56.4).abs() < 0.05, "{woman}");
        let man = creatinine_clearance_cockcroft_gault(CREATININE_UMOL_L_PER_MG_DL, 60.0, 80.0, Sex::Male).unwrap();
        assert!((man - 88.9).abs() < 0.05, "{man}");
        assert!(creatinine_clearance_cockcroft_gault(88.0, 16.0, 60.0, Sex::Male).is_none());
        assert!(creatinine_clearance_cockcroft_gault(0.0, 60.0, 60.0, Sex::Male).is_none());
        assert!(creatinine_clearance_cockcroft_gault(88.0, 60.0, 5.0, Sex::Male).is_none());
    }

    #[test]
    fn refuses_children_and_nonsense() {
        assert!(egfr_ckd_epi_2021(80.0, 12.0, Sex::Male).is_none());
        assert!(egfr_ckd_epi_2021(0.0, 50.0, Sex::Male).is_none());
    }
}
