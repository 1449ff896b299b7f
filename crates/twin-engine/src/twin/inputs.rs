//! The risk equations' inputs from a record: latest values, derived flags, and where each came
//! from.

use time::Date;

use crate::drugs::DrugClass;
use crate::record::{ConditionKind, MeasurementKind as K, PatientRecord, SmokingStatus};
use crate::renal::egfr_ckd_epi_2021;
use crate::risk::RiskInputs;

use super::{Context, Missing};

/// HbA1c at or above which diabetes is taken as present without a coded diagnosis, %
/// (American Diabetes Association, Standards of Care in Diabetes 2024, §2, Table 2.1).
pub const DIABETES_HBA1C_PERCENT: f64 = 6.5;

/// One input the equations used, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum InputSource {
    /// A measurement: its kind, value (canonical unit), date and source resource.
    Measured {
        /// Kind.
        kind: K,
        /// Value.
        value: f64,
        /// When.
        date: Date,
        /// Source resource (`Type/id`).
        resource: String,
    },
    /// A yes/no derived from the record (medications, conditions, smoking status).
    Derived {
        /// Name for people.
        name: &'static str,
        /// Value.
        value: bool,
    },
    /// Age on the day of assessment.
    Age {
        /// Years.
        years: i32,
        /// The day.
        on: Date,
    },
    /// Sex at birth.
    Sex(crate::record::Sex),
    /// Given by the clinician, not in the record.
    Given {
        /// Name for people.
        name: &'static str,
        /// Value, as text.
        value: String,
    },
}

/// The equations' inputs from a record's latest values on `today`, with each input's source.
/// eGFR is the recorded one, else CKD-EPI 2021 from the latest creatinine at the age it was
/// measured; diabetes is a coded diagnosis or HbA1c ≥ [`DIABETES_HBA1C_PERCENT`].
///
/// # Errors
/// [`Missing`] when a core input (sex, birth date, total or HDL cholesterol, SBP) is absent;
/// absent optional inputs are left for each equation to name.
pub fn risk_inputs(
    record: &PatientRecord,
    today: Date,
    context: Context,
) -> Result<(RiskInputs, Vec<InputSource>), Missing> {
    let missing = |what| Missing { what, purpose: "risk needs it" };
    let mut used = Vec::new();
    let mut latest = |kind: K| {
        record.latest(kind).map(|s| {
            used.push(InputSource::Measured {
                kind,
                value: s.value,
                date: s.date,
                resource: s.source.resource.clone(),
            });
            (s.value, s.date)
        })
    };
    let sex = record.demographics.sex.ok_or_else(|| missing("sex"))?;
    let age = record.demographics.age_on(today).ok_or_else(|| missing("birth date"))?;
    let (tc, _) = latest(K::TotalCholesterol).ok_or_else(|| missing("total cholesterol"))?;
    let (hdl, _) = latest(K::HdlCholesterol).ok_or_else(|| missing("HDL cholesterol"))?;
    let (sbp, _) = latest(K::Sbp).ok_or_else(|| missing("systolic BP"))?;
    let bmi = latest(K::Bmi).map(|(v, _)| v);
    let egfr = latest(K::Egfr).map(|(v, _)| v).or_else(|| {
        let (creatinine, date) = latest(K::Creatinine)?;
        let age_then = record.demographics.age_on(date)?;
        egfr_ckd_epi_2021(creatinine, f64::from(age_then), sex)
    });
    let hba1c = latest(K::Hba1c).map(|(v, _)| v);
    let uacr = latest(K::Uacr).map(|(v, _)| v);
    let active: Vec<_> = record.active_medications(today).collect();
    let bp_treated = active.iter().any(|m| m.class.is_some_and(DrugClass::lowers_bp));
    let statin = active.iter().any(|m| m.class == Some(DrugClass::Statin));
    let diabetes =
        record.has_condition(ConditionKind::Type2Diabetes) || hba1c.is_some_and(|a| a >= DIABETES_HBA1C_PERCENT);
    let smoker = record.smoking_status() == Some(SmokingStatus::Current);
    for (name, value) in [
        ("on BP-lowering treatment", bp_treated),
        ("on a statin", statin),
        ("diabetes", diabetes),
        ("current smoker", smoker),
    ] {
        used.push(InputSource::Derived { name, value });
    }
    used.push(InputSource::Age { years: age, on: today });
    used.push(InputSource::Sex(sex));
    if let Some(decile) = context.sdi_decile {
        used.push(InputSource::Given { name: "social deprivation index decile", value: decile.to_string() });
    }
    let inputs = RiskInputs {
        age: f64::from(age),
        sex,
        race: context.race,
        total_cholesterol: tc,
        hdl_cholesterol: hdl,
        sbp,
        bp_treated,
        smoker,
        diabetes,
        egfr,
        bmi,
        statin: Some(statin),
        region: context.region,
        hba1c,
        uacr,
        sdi_decile: context.sdi_decile,
    };
    Ok((inputs, used))
}

/// Why the primary-prevention equations (PCE, PREVENT, SCORE2) do not apply to this record, when
/// they do not: they were derived in people free of cardiovascular disease (Goff 2013; Khan 2024;
/// SCORE2 working group 2021). For established ASCVD the ESC 2021 guideline uses SMART2 (Hageman
/// et al., Eur Heart J 2022), for heart failure a model such as MAGGIC (Pocock et al., Eur Heart J
/// 2013); neither is implemented yet, so the figures are shown for reference and say so.
pub fn primary_prevention_caveat(record: &crate::record::PatientRecord) -> Option<String> {
    use crate::record::{ConditionKind as C, ProcedureKind as P};
    let mut found: Vec<&str> = Vec::new();
    let has = |k: C| record.conditions.iter().any(|c| c.kind == Some(k));
    if has(C::MyocardialInfarction) || has(C::CoronaryArteryDisease) {
        found.push("coronary artery disease");
    }
    if record.procedures.iter().any(|p| p.kind == Some(P::Pci)) {
        found.push("a PCI");
    }
    if record.procedures.iter().any(|p| p.kind == Some(P::Cabg)) {
        found.push("a CABG");
    }
    if has(C::Stroke) {
        found.push("a stroke or TIA");
    }
    if has(C::PeripheralArteryDisease) {
        found.push("peripheral artery disease");
    }
    if has(C::HeartFailure) || has(C::HeartFailureReducedEf) {
        found.push("heart failure");
    }
    (!found.is_empty()).then(|| {
        format!(
            "this patient has {} on record: PCE, PREVENT and SCORE2 were derived in people without cardiovascular \
             disease and do not apply. The validated models for them (SMART2 for established atherosclerotic \
             disease, MAGGIC for heart failure) are not implemented yet, so these risks and the projected event risk \
             are shown for reference only and likely underestimate the risk",
            found.join(", ")
        )
    })
}
