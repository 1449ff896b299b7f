//! Treatment targets per patient, from the guidelines.
//!
//! - **Blood pressure.** Below 130/80 mmHg for adults with hypertension: ACC/AHA 2017 (Whelton et
//!   al., Hypertension 2018;71:e13, §8.1.5, recommendations 1–2), the same for community-dwelling
//!   adults of 65 and over (§10.3.1). From 80 years the ESC/ESH 2018 guideline (Williams et al., Eur
//!   Heart J 2018;39:3021, §7.3.2, Table 15) aims at 130–139 mmHg systolic if tolerated: below
//!   140/80. Frailty is not in the record; the clinician judges it.
//! - **LDL cholesterol**, by risk category: ESC/EAS 2019 (Mach et al., Eur Heart J 2020;41:111,
//!   Table 4 for the categories, §5 and Figure 3 for the goals): very high risk < 1.4 mmol/L
//!   (55 mg/dL), high < 1.8 (70), moderate < 2.6 (100), low < 3.0 (116). The score thresholds
//!   are those of the ESC 2021 prevention guideline for SCORE2 / SCORE2-OP (Visseren et al., Eur
//!   Heart J 2021;42:3227, Table 3 and Figure 4), which replaced SCORE's.

use time::Date;

use crate::record::{ConditionKind as C, MeasurementKind as K, PatientRecord};

/// The LDL-C risk category of ESC/EAS 2019.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RiskCategory {
    /// Low.
    Low,
    /// Moderate.
    Moderate,
    /// High.
    High,
    /// Very high.
    VeryHigh,
}

impl RiskCategory {
    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            RiskCategory::Low => "low",
            RiskCategory::Moderate => "moderate",
            RiskCategory::High => "high",
            RiskCategory::VeryHigh => "very high",
        }
    }

    /// The LDL-C goal, mmol/L (ESC/EAS 2019).
    pub fn ldl_goal_mmol(self) -> f64 {
        match self {
            RiskCategory::Low => 3.0,
            RiskCategory::Moderate => 2.6,
            RiskCategory::High => 1.8,
            RiskCategory::VeryHigh => 1.4,
        }
    }
}

/// What the suggestion aims at, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Targets {
    /// Systolic BP below, mmHg.
    pub sbp_below: f64,
    /// Diastolic BP below, mmHg.
    pub dbp_below: f64,
    /// Why this BP target, with its source.
    pub bp_reason: String,
    /// LDL-C below, mmol/L.
    pub ldl_below_mmol: f64,
    /// The LDL-C risk category.
    pub category: RiskCategory,
    /// Why this category, with its source.
    pub ldl_reason: String,
}

/// SCORE2 / SCORE2-OP thresholds (10-year risk, %) for high and very high risk by age band
/// (ESC 2021, Table 3): under 50, 50–69, 70 and over.
fn score2_thresholds(age: f64) -> (f64, f64) {
    if age < 50.0 {
        (2.5, 7.5)
    } else if age < 70.0 {
        (5.0, 10.0)
    } else {
        (7.5, 15.0)
    }
}

/// The targets for `record` on `today`; `score2_percent` is the patient's SCORE2 / SCORE2-OP
/// 10-year risk, or why there is none.
pub fn targets(record: &PatientRecord, today: Date, score2_percent: Result<f64, String>) -> Targets {
    let age = record.demographics.age_on(today).map_or(60.0, f64::from);
    let (sbp_below, dbp_below, bp_reason) = if age >= 80.0 {
        (
            140.0,
            80.0,
            format!(
                "age {age:.0}: below 140/80 mmHg (ESC/ESH 2018 §7.3.2 for 80 and over, 130–139 systolic if tolerated)"
            ),
        )
    } else {
        (130.0, 80.0, "below 130/80 mmHg for adults with or at risk of hypertension (ACC/AHA 2017 §8.1.5)".to_string())
    };
    let (category, why) = category(record, age, score2_percent);
    Targets {
        sbp_below,
        dbp_below,
        bp_reason,
        ldl_below_mmol: category.ldl_goal_mmol(),
        category,
        ldl_reason: format!(
            "{} risk ({why}): LDL-C below {:.1} mmol/L ({:.0} mg/dL) (ESC/EAS 2019)",
            category.label(),
            category.ldl_goal_mmol(),
            category.ldl_goal_mmol() * crate::units::CHOLESTEROL_MG_DL_PER_MMOL_L
        ),
    }
}

fn category(record: &PatientRecord, age: f64, score2: Result<f64, String>) -> (RiskCategory, String) {
    let (score2, why_none) = match score2 {
        Ok(r) => (Some(r), String::new()),
        Err(why) => (None, why),
    };
    let ascvd = record.has_ascvd();
    let egfr = record.latest(K::Egfr).map(|s| s.value);
    let diabetes = record.has_active(C::Type2Diabetes);
    let organ_damage = egfr.is_some_and(|e| e < 60.0) || record.latest(K::Uacr).is_some_and(|s| s.value > 30.0);
    let fh = record.has_active(C::FamilialHypercholesterolaemia);
    let ldl = record.latest(K::LdlCholesterol).map(|s| s.value);
    let (high, very_high) = score2_thresholds(age);
    if ascvd {
        return (RiskCategory::VeryHigh, "established atherosclerotic cardiovascular disease".into());
    }
    if diabetes && organ_damage {
        return (RiskCategory::VeryHigh, "diabetes with kidney damage".into());
    }
    if egfr.is_some_and(|e| e < 30.0) {
        return (RiskCategory::VeryHigh, "eGFR below 30".into());
    }
    if let Some(r) = score2.filter(|r| *r >= very_high) {
        return (RiskCategory::VeryHigh, format!("SCORE2 {r:.1}% ≥ {very_high}% at age {age:.0}"));
    }
    if fh {
        return (RiskCategory::High, "familial hypercholesterolaemia".into());
    }
    if diabetes {
        return (RiskCategory::High, "diabetes".into());
    }
    if egfr.is_some_and(|e| e < 60.0) {
        return (RiskCategory::High, "eGFR 30–59".into());
    }
    if ldl.is_some_and(|l| l > 4.9) {
        return (RiskCategory::High, "LDL-C above 4.9 mmol/L (190 mg/dL)".into());
    }
    match score2 {
        Some(r) if r >= high => (RiskCategory::High, format!("SCORE2 {r:.1}% ≥ {high}% at age {age:.0}")),
        Some(r) if r >= 1.0 => (RiskCategory::Moderate, format!("SCORE2 {r:.1}%")),
        Some(r) => (RiskCategory::Low, format!("SCORE2 {r:.1}%")),
        None => (RiskCategory::Moderate, format!("no SCORE2 ({why_none}); taken as moderate")),
    }
}
