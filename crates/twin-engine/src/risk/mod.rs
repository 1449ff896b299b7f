//! Validated event-risk equations: the honest baseline and the anchor of every explanation.
//!
//! Each equation returns a [`RiskEstimate`]: the risk as a fraction in [0, 1], or the reason it
//! was not computed (an input outside the equation's validated range, or missing); never an
//! extrapolation or a guess. With the risk come the [`Contribution`]s of each factor to the
//! linear predictor, relative to a stated reference person: they sum exactly to the difference
//! between the patient's linear predictor and the reference's, so an explanation can say which
//! factors push the risk up and by how much.
//!
//! - [`pce`]: ACC/AHA Pooled Cohort Equations (Goff 2013), 10-year hard ASCVD.
//! - [`prevent`]: AHA PREVENT (Khan 2024), 10- and 30-year CVD, ASCVD, heart failure; base model,
//!   or with HbA1c, UACR and social deprivation where known.
//! - [`score2`]: ESC SCORE2 and SCORE2-OP (2021), 10-year CVD, recalibrated to four risk regions.
//! - [`score2_diabetes`]: ESC SCORE2-Diabetes (2023), 10-year CVD in type 2 diabetes.
//! - [`smart2`]: SMART2 (2022), 10-year recurrent events in established atherosclerotic disease.
//! - [`maggic`]: MAGGIC (2013), 1- and 3-year mortality in heart failure.
//! - [`af`]: atrial fibrillation's point scores, CHA₂DS₂-VA (ESC 2024), CHA₂DS₂-VASc (Lip 2010)
//!   and HAS-BLED (Pisters 2010), and the DOAC dose criteria; not event equations, and not in the
//!   projected event risk.
//! - [`selection`]: which of them is meant for a given patient, and why.
//! - [`genomic`]: a polygenic risk score for coronary disease applied on top of an equation's
//!   risk, shown beside it (the headline stays the equation's), or why it was not applied.
//!
//! PCE, PREVENT and SCORE2 were derived in people free of cardiovascular disease; SMART2 and
//! MAGGIC in people with it. [`selection`] keeps each to the people it was made for.

pub mod af;
pub mod contrast;
pub mod genomic;
pub mod maggic;
pub mod pce;
pub mod prevent;
pub mod score2;
pub mod score2_diabetes;
pub mod selection;
pub mod smart2;

pub use smart2::AscvdHistory;

use crate::record::Sex;
use crate::units::CHOLESTEROL_MG_DL_PER_MMOL_L;

/// Race group as the Pooled Cohort Equations use it. The guideline applies the white equations
/// to people of other groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Race {
    /// White.
    White,
    /// African American / Black.
    Black,
    /// Any other group (the white equations are used).
    Other,
}

/// ESC cardiovascular risk region (SCORE2 2021, by country CVD mortality).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Region {
    /// Low risk (e.g. France, Spain, Netherlands).
    Low,
    /// Moderate risk (e.g. Germany, Greece, Portugal).
    Moderate,
    /// High risk (e.g. Hungary, Poland, Turkey).
    High,
    /// Very high risk (e.g. Bulgaria, Egypt, Russia).
    VeryHigh,
}

/// Everything the equations may use. Lipids in mmol/L, SBP in mmHg, eGFR in mL/min/1.73 m².
/// Optional inputs are `None` when unknown; an equation that needs one says so.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskInputs {
    /// Age, years.
    pub age: f64,
    /// Sex.
    pub sex: Sex,
    /// Race group (PCE only); `None` when not recorded.
    pub race: Option<Race>,
    /// Total cholesterol, mmol/L.
    pub total_cholesterol: f64,
    /// HDL cholesterol, mmol/L.
    pub hdl_cholesterol: f64,
    /// Systolic blood pressure, mmHg.
    pub sbp: f64,
    /// On blood-pressure-lowering treatment.
    pub bp_treated: bool,
    /// Current smoker.
    pub smoker: bool,
    /// Diabetes.
    pub diabetes: bool,
    /// eGFR, mL/min/1.73 m².
    pub egfr: Option<f64>,
    /// BMI, kg/m².
    pub bmi: Option<f64>,
    /// On a statin.
    pub statin: Option<bool>,
    /// ESC risk region for SCORE2.
    pub region: Option<Region>,
    /// HbA1c, % (NGSP); PREVENT's optional predictor.
    pub hba1c: Option<f64>,
    /// Urine albumin/creatinine ratio, mg/g; PREVENT's optional predictor.
    pub uacr: Option<f64>,
    /// Social Deprivation Index decile (1 least, 10 most deprived; Robert Graham Center), by
    /// residence; PREVENT's optional predictor.
    pub sdi_decile: Option<u8>,
    /// C-reactive protein, mg/L; SMART2's predictor.
    pub crp: Option<f64>,
    /// Established atherosclerotic disease, where on record; SMART2 is for these people and the
    /// primary-prevention equations are not.
    pub ascvd: Option<AscvdHistory>,
    /// Age at diabetes diagnosis, years; SCORE2-Diabetes's predictor.
    pub diabetes_onset_age: Option<f64>,
}

/// Why an equation gave no number.
#[derive(Debug, Clone, PartialEq)]
pub enum NotComputed {
    /// An input lies outside the range the equation was developed and validated in.
    OutOfRange {
        /// Which input.
        input: &'static str,
        /// Its value (in the unit named in `unit`).
        value: f64,
        /// Lowest validated value.
        min: f64,
        /// Highest validated value.
        max: f64,
        /// Unit of `value`, `min`, `max`.
        unit: &'static str,
    },
    /// A needed input is unknown.
    Missing {
        /// Which input.
        input: &'static str,
    },
    /// The equation is not meant for this patient.
    NotIntended {
        /// Why, in plain words.
        reason: &'static str,
    },
}

impl NotComputed {
    /// A plain-language sentence.
    pub fn describe(&self) -> String {
        match self {
            NotComputed::OutOfRange { input, value, min, max, unit } => {
                format!("{input} {value:.1} {unit} is outside the validated range {min}–{max} {unit}; not extrapolated")
            }
            NotComputed::Missing { input } => format!("{input} is not known; the equation needs it"),
            NotComputed::NotIntended { reason } => (*reason).to_string(),
        }
    }
}

/// One factor's share of the linear predictor, relative to the equation's reference person.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The factor (e.g. `smoking`, `systolic BP`).
    pub factor: &'static str,
    /// Its contribution to the linear predictor (log hazard or log odds).
    pub value: f64,
}

/// An equation's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskEstimate {
    /// The risk as a fraction in [0, 1], or why there is none.
    pub risk: Result<f64, NotComputed>,
    /// The reference person's risk, so contributions can be read against it.
    pub reference_risk: Option<f64>,
    /// Per-factor contributions; they sum to (patient − reference) linear predictor.
    pub contributions: Vec<Contribution>,
    /// Description of the reference person.
    pub reference: &'static str,
    /// What the equation did with the inputs that a reader should know (an optional value set
    /// aside, say), in plain words.
    pub notes: Vec<String>,
}

impl RiskEstimate {
    fn not_computed(reason: NotComputed, reference: &'static str) -> Self {
        Self { risk: Err(reason), reference_risk: None, contributions: Vec::new(), reference, notes: Vec::new() }
    }
}

/// Checks `value` against [min, max] for `input`.
fn in_range(input: &'static str, value: f64, min: f64, max: f64, unit: &'static str) -> Result<(), NotComputed> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(NotComputed::OutOfRange { input, value, min, max, unit })
    }
}

/// mmol/L → mg/dL for cholesterol.
fn mg_dl(mmol_l: f64) -> f64 {
    mmol_l * CHOLESTEROL_MG_DL_PER_MMOL_L
}

/// A linear predictor built term by term, each term attributed to a factor and measured
/// against the same term at the reference person. The sum of contributions equals
/// `lp(patient) − lp(reference)` exactly.
#[derive(Debug, Default)]
struct Decomposition {
    lp: f64,
    lp_reference: f64,
    contributions: Vec<Contribution>,
}

impl Decomposition {
    fn term(&mut self, factor: &'static str, coefficient: f64, patient: f64, reference: f64) {
        let (a, b) = (coefficient * patient, coefficient * reference);
        self.lp += a;
        self.lp_reference += b;
        match self.contributions.iter_mut().find(|c| c.factor == factor) {
            Some(c) => c.value += a - b,
            None => self.contributions.push(Contribution { factor, value: a - b }),
        }
    }

    fn constant(&mut self, value: f64) {
        self.lp += value;
        self.lp_reference += value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposition_is_exact() {
        let mut d = Decomposition::default();
        d.constant(-3.0);
        d.term("age", 0.8, 1.5, 0.0);
        d.term("smoking", 0.5, 1.0, 0.0);
        d.term("smoking", -0.08, 1.5, 0.0);
        let sum: f64 = d.contributions.iter().map(|c| c.value).sum();
        assert!((sum - (d.lp - d.lp_reference)).abs() < 1e-12);
        assert_eq!(d.contributions.len(), 2);
    }
}
