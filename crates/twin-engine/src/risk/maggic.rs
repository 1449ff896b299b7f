//! MAGGIC: 1- and 3-year all-cause mortality in chronic heart failure (reduced or preserved
//! ejection fraction), from an integer score of 13 routinely known factors.
//!
//! It predicts death, not cardiovascular events, and was derived on observational data: its
//! lower-is-worse SBP points describe prognosis, not what lowering a patient's pressure would
//! do. So the twin shows it as prognosis and never drives a treatment projection with it.
//!
//! # References
//! - Pocock SJ, Ariti CA, McMurray JJV, et al. Predicting survival in heart failure: a risk score
//!   based on 39 372 patients from 30 studies. Eur Heart J 2013;34:1404-1413.
//!   doi:10.1093/eurheartj/ehs337 — the integer score (Figure 1) and the 1- and 3-year
//!   probability of death for each score 0–50 (Figure 2; the same table as the authors'
//!   calculator at heartfailurerisk.org).
//! - McDonagh TA et al. 2021 ESC Guidelines for heart failure. Eur Heart J 2021;42:3599-3726 —
//!   MAGGIC among the recommended prognostic scores.

use super::NotComputed;
use crate::record::{NyhaClass, Sex};

/// The reference behind this equation, as the risk panel and the JSON cite it.
pub const SOURCE: &str = "Pocock SJ et al. Predicting survival in heart failure: a risk score based on 39 372 patients from 30 studies. Eur Heart J 2013;34:1404-1413";

/// Everything the score needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inputs {
    /// Age, years.
    pub age: f64,
    /// Sex.
    pub sex: Sex,
    /// LV ejection fraction, %.
    pub ejection_fraction: f64,
    /// Systolic BP, mmHg.
    pub sbp: f64,
    /// BMI, kg/m².
    pub bmi: f64,
    /// Serum creatinine, µmol/L.
    pub creatinine: f64,
    /// NYHA class.
    pub nyha: NyhaClass,
    /// Current smoker.
    pub smoker: bool,
    /// Diabetes.
    pub diabetes: bool,
    /// COPD.
    pub copd: bool,
    /// Heart failure first diagnosed 18 months ago or more.
    pub diagnosed_18_months_ago: bool,
    /// On a beta-blocker.
    pub beta_blocker: bool,
    /// On an ACE inhibitor or ARB.
    pub acei_or_arb: bool,
}

/// The score, the points behind it and what it predicts.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// The integer score, 0–50.
    pub score: u32,
    /// Points per factor, in the paper's order (factors scoring 0 included).
    pub points: Vec<(&'static str, u32)>,
    /// Probability of death within 1 year.
    pub death_1y: f64,
    /// Probability of death within 3 years.
    pub death_3y: f64,
}

/// Probability of death within 1 year for scores 0–50 (Pocock 2013, Figure 2).
const DEATH_1Y: [f64; 51] = [
    0.015, 0.016, 0.018, 0.020, 0.022, 0.024, 0.027, 0.029, 0.032, 0.036, 0.039, 0.043, 0.048, 0.052, 0.058, 0.063,
    0.070, 0.077, 0.084, 0.093, 0.102, 0.111, 0.122, 0.134, 0.147, 0.160, 0.175, 0.191, 0.209, 0.227, 0.248, 0.269,
    0.292, 0.316, 0.342, 0.369, 0.398, 0.427, 0.458, 0.490, 0.523, 0.557, 0.591, 0.625, 0.659, 0.692, 0.725, 0.757,
    0.787, 0.816, 0.842,
];

/// Probability of death within 3 years for scores 0–50 (Pocock 2013, Figure 2).
const DEATH_3Y: [f64; 51] = [
    0.039, 0.043, 0.048, 0.052, 0.058, 0.063, 0.070, 0.077, 0.084, 0.092, 0.102, 0.111, 0.122, 0.134, 0.146, 0.160,
    0.175, 0.191, 0.209, 0.227, 0.247, 0.269, 0.292, 0.316, 0.342, 0.369, 0.397, 0.427, 0.458, 0.490, 0.523, 0.556,
    0.590, 0.625, 0.658, 0.692, 0.725, 0.756, 0.787, 0.815, 0.842, 0.866, 0.889, 0.908, 0.926, 0.941, 0.953, 0.964,
    0.973, 0.980, 0.985,
];

/// Ejection-fraction band used by the age and SBP points: < 30, 30–39, ≥ 40 %.
fn ef_band(ef: f64) -> usize {
    if ef < 30.0 {
        0
    } else if ef < 40.0 {
        1
    } else {
        2
    }
}

fn ef_points(ef: f64) -> u32 {
    match ef {
        e if e < 20.0 => 7,
        e if e < 25.0 => 6,
        e if e < 30.0 => 5,
        e if e < 35.0 => 3,
        e if e < 40.0 => 2,
        _ => 0,
    }
}

/// Age points by band (< 55, 55–59, 60–64, 65–69, 70–74, 75–79, ≥ 80) and EF band.
fn age_points(age: f64, ef: f64) -> u32 {
    const TABLE: [[u32; 7]; 3] = [[0, 1, 2, 4, 6, 8, 10], [0, 2, 4, 6, 8, 10, 13], [0, 3, 5, 7, 9, 12, 15]];
    let band = [55.0, 60.0, 65.0, 70.0, 75.0, 80.0].iter().filter(|&&edge| age >= edge).count();
    TABLE[ef_band(ef)][band]
}

/// SBP points by band (< 110, 110–119, 120–129, 130–139, 140–149, ≥ 150) and EF band.
fn sbp_points(sbp: f64, ef: f64) -> u32 {
    const TABLE: [[u32; 6]; 3] = [[5, 4, 3, 2, 1, 0], [3, 2, 1, 1, 0, 0], [2, 1, 1, 0, 0, 0]];
    let band = [110.0, 120.0, 130.0, 140.0, 150.0].iter().filter(|&&edge| sbp >= edge).count();
    TABLE[ef_band(ef)][band]
}

fn bmi_points(bmi: f64) -> u32 {
    match bmi {
        b if b < 15.0 => 6,
        b if b < 20.0 => 5,
        b if b < 25.0 => 3,
        b if b < 30.0 => 2,
        _ => 0,
    }
}

fn creatinine_points(umol_l: f64) -> u32 {
    match umol_l {
        c if c < 90.0 => 0,
        c if c < 110.0 => 1,
        c if c < 130.0 => 2,
        c if c < 150.0 => 3,
        c if c < 170.0 => 4,
        c if c < 210.0 => 5,
        c if c < 250.0 => 6,
        _ => 8,
    }
}

fn nyha_points(nyha: NyhaClass) -> u32 {
    match nyha {
        NyhaClass::I => 0,
        NyhaClass::Ii => 2,
        NyhaClass::Iii => 6,
        NyhaClass::Iv => 8,
    }
}

/// The MAGGIC score and mortality, or why not (an input outside the derivation cohort's range).
///
/// # Errors
/// [`NotComputed::OutOfRange`] for age under 18, EF outside 1–95 %, SBP outside 50–250 mmHg,
/// BMI outside 10–50 kg/m², creatinine outside 20–1400 µmol/L (the calculator's limits).
pub fn score(x: &Inputs) -> Result<Score, NotComputed> {
    let check = |input, value: f64, min, max, unit| super::in_range(input, value, min, max, unit);
    check("age", x.age, 18.0, 110.0, "years")?;
    check("ejection fraction", x.ejection_fraction, 1.0, 95.0, "%")?;
    check("systolic BP", x.sbp, 50.0, 250.0, "mmHg")?;
    check("BMI", x.bmi, 10.0, 50.0, "kg/m²")?;
    check("creatinine", x.creatinine, 20.0, 1400.0, "µmol/L")?;
    let yes = |b: bool, p: u32| if b { p } else { 0 };
    let ef = x.ejection_fraction;
    let points = vec![
        ("ejection fraction", ef_points(ef)),
        ("age", age_points(x.age, ef)),
        ("systolic BP", sbp_points(x.sbp, ef)),
        ("BMI", bmi_points(x.bmi)),
        ("creatinine", creatinine_points(x.creatinine)),
        ("NYHA class", nyha_points(x.nyha)),
        ("male sex", yes(x.sex == Sex::Male, 1)),
        ("current smoker", yes(x.smoker, 1)),
        ("diabetes", yes(x.diabetes, 3)),
        ("COPD", yes(x.copd, 2)),
        ("heart failure diagnosed ≥ 18 months ago", yes(x.diagnosed_18_months_ago, 2)),
        ("not on a beta-blocker", yes(!x.beta_blocker, 3)),
        ("not on an ACE inhibitor or ARB", yes(!x.acei_or_arb, 1)),
    ];
    let score: u32 = points.iter().map(|(_, p)| p).sum::<u32>().min(50);
    let i = score as usize;
    Ok(Score { score, points, death_1y: DEATH_1Y[i], death_3y: DEATH_3Y[i] })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patient() -> Inputs {
        Inputs {
            age: 67.0,
            sex: Sex::Male,
            ejection_fraction: 33.0,
            sbp: 125.0,
            bmi: 29.0,
            creatinine: 97.0,
            nyha: NyhaClass::Ii,
            smoker: false,
            diabetes: false,
            copd: false,
            diagnosed_18_months_ago: true,
            beta_blocker: true,
            acei_or_arb: true,
        }
    }

    /// Read off the published chart (Pocock 2013, Figure 1) by hand for a 67-year-old man, EF
    /// 33 %, SBP 125, BMI 29, creatinine 97 µmol/L, NYHA II, non-smoker, no diabetes or COPD,
    /// HF for 4 years, on a beta-blocker and an ACE inhibitor: EF 3 + age (65–69, EF 30–39) 6 +
    /// SBP (120–129, EF 30–39) 1 + BMI 2 + creatinine 1 + NYHA 2 + male 1 + HF ≥ 18 months 2 =
    /// 18; Figure 2 gives 8.4 % at 1 year and 20.9 % at 3 years for a score of 18.
    #[test]
    fn scores_a_patient_as_the_chart_does() {
        let s = score(&patient()).unwrap();
        assert_eq!(s.score, 18);
        assert_eq!((s.death_1y, s.death_3y), (0.084, 0.209));
    }

    #[test]
    fn the_tables_rise_with_the_score_and_end_where_the_paper_does() {
        assert!(DEATH_1Y.windows(2).all(|w| w[1] > w[0]) && DEATH_3Y.windows(2).all(|w| w[1] > w[0]));
        assert_eq!((DEATH_1Y[0], DEATH_3Y[0], DEATH_1Y[50], DEATH_3Y[50]), (0.015, 0.039, 0.842, 0.985));
    }

    #[test]
    fn worse_function_and_no_treatment_raise_the_score() {
        let base = score(&patient()).unwrap().score;
        let worse = Inputs { nyha: NyhaClass::Iv, ejection_fraction: 18.0, beta_blocker: false, ..patient() };
        // NYHA +6, EF 7 vs 3 (+4), age and SBP points at EF < 30: 4 and 3 (−2, +2), beta-blocker +3.
        assert_eq!(score(&worse).unwrap().score, base + 6 + 4 - 2 + 2 + 3);
    }

    #[test]
    fn refuses_values_outside_the_calculators_limits() {
        let e = score(&Inputs { ejection_fraction: 0.5, ..patient() }).unwrap_err();
        assert!(matches!(e, NotComputed::OutOfRange { input: "ejection fraction", .. }));
    }
}
