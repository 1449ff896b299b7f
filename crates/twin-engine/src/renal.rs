//! Kidney function: eGFR from serum creatinine.
//!
//! # References
//! - Inker LA et al. New creatinine- and cystatin C-based equations to estimate GFR without
//!   race. N Engl J Med 2021;385:1737-1749. doi:10.1056/NEJMoa2102953 (CKD-EPI 2021, race-free).

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

    #[test]
    fn refuses_children_and_nonsense() {
        assert!(egfr_ckd_epi_2021(80.0, 12.0, Sex::Male).is_none());
        assert!(egfr_ckd_epi_2021(0.0, 50.0, Sex::Male).is_none());
    }
}
