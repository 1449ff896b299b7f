//! The risk equations' inputs from a record: latest values, derived flags, and where each came
//! from.

use time::Date;

use crate::drugs::DrugClass;
use crate::record::{ConditionKind, MeasurementKind as K, PatientRecord, SmokingStatus};
use crate::renal::egfr_ckd_epi_2021;
use crate::risk::{AscvdHistory, RiskInputs};

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
    /// A value read from the record's history (a diagnosis date, say), with the resource it
    /// came from.
    FromRecord {
        /// Name for people.
        name: &'static str,
        /// Value, as text.
        value: String,
        /// Source resource (`Type/id`).
        resource: String,
    },
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
    let crp = latest(K::Crp).map(|(v, _)| v);
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
    let ascvd = ascvd_history(record, today);
    if let Some(h) = &ascvd {
        used.push(InputSource::Derived { name: "established atherosclerotic disease", value: true });
        used.push(InputSource::Derived { name: "on antithrombotic treatment", value: h.history.antithrombotic });
        if let (Some(years), Some(first)) = (h.history.years_since_first, &h.first) {
            used.push(InputSource::FromRecord {
                name: "years since the first atherosclerotic diagnosis",
                value: format!("{years:.1}"),
                resource: first.clone(),
            });
        }
    }
    let diabetes_onset = diabetes_onset_age(record);
    if let Some((onset, resource)) = &diabetes_onset {
        used.push(InputSource::FromRecord {
            name: "age at diabetes diagnosis",
            value: format!("{onset} years"),
            resource: resource.clone(),
        });
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
        crp,
        ascvd: ascvd.map(|h| h.history),
        diabetes_onset_age: diabetes_onset.map(|(age, _)| f64::from(age)),
    };
    Ok((inputs, used))
}

/// Established atherosclerotic disease found in a record, with the resource that dates it.
struct FoundAscvd {
    history: AscvdHistory,
    /// The resource of the earliest dated diagnosis or procedure.
    first: Option<String>,
}

/// Established atherosclerotic disease as SMART2 defines it (Hageman 2022, Supplementary Table
/// 1): coronary disease (MI, coronary disease, PCI or CABG), cerebrovascular disease (stroke or
/// TIA), symptomatic peripheral artery disease, abdominal aortic aneurysm; a diagnosis counts
/// whether or not it is still marked active, since a history is what the model asks for. The
/// years since diagnosis are from the earliest dated one; antithrombotic treatment is an active
/// antiplatelet or anticoagulant.
fn ascvd_history(record: &PatientRecord, today: Date) -> Option<FoundAscvd> {
    use crate::record::ProcedureKind as P;
    use ConditionKind as C;
    let mut dated: Vec<(Date, &str)> = Vec::new();
    let mut seen = |kinds: &[C]| {
        let mut any = false;
        for c in record.conditions.iter().filter(|c| c.kind.is_some_and(|k| kinds.contains(&k))) {
            any = true;
            if let Some(onset) = c.onset {
                dated.push((onset, &c.source.resource));
            }
        }
        any
    };
    let mut coronary = seen(&[C::MyocardialInfarction, C::CoronaryArteryDisease]);
    let cerebrovascular = seen(&[C::Stroke]);
    let peripheral = seen(&[C::PeripheralArteryDisease]);
    let aortic_aneurysm = seen(&[C::AorticAneurysm]);
    for p in record.procedures.iter().filter(|p| matches!(p.kind, Some(P::Pci | P::Cabg))) {
        coronary = true;
        if let Some(date) = p.date {
            dated.push((date, &p.source.resource));
        }
    }
    if !(coronary || cerebrovascular || peripheral || aortic_aneurysm) {
        return None;
    }
    let first = dated.iter().filter(|(d, _)| *d <= today).min_by_key(|(d, _)| *d);
    let antithrombotic = record
        .active_medications(today)
        .any(|m| matches!(m.class, Some(DrugClass::Antiplatelet | DrugClass::Anticoagulant)));
    Some(FoundAscvd {
        history: AscvdHistory {
            coronary,
            cerebrovascular,
            peripheral,
            aortic_aneurysm,
            years_since_first: first.map(|(d, _)| (today - *d).whole_days() as f64 / 365.25),
            antithrombotic,
        },
        first: first.map(|(_, r)| (*r).to_string()),
    })
}

/// Age at the earliest dated type 2 diabetes diagnosis, with its resource.
fn diabetes_onset_age(record: &PatientRecord) -> Option<(i32, String)> {
    record
        .conditions
        .iter()
        .filter(|c| c.kind == Some(ConditionKind::Type2Diabetes))
        .filter_map(|c| Some((c.onset?, &c.source.resource)))
        .min_by_key(|(d, _)| *d)
        .and_then(|(d, r)| Some((record.demographics.age_on(d)?, r.clone())))
}

/// MAGGIC's inputs from a record on `today`, when it has heart failure: the latest EF, SBP, BMI
/// (or weight over height², not kept: BMI must be recorded), creatinine and NYHA class; COPD and
/// diabetes coded (diabetes also by HbA1c, as for the other equations); heart failure first
/// dated 18 months ago or more; active beta-blocker and ACE inhibitor or ARB.
///
/// # Errors
/// `Ok(None)` without heart failure on record; [`NotComputed::Missing`] naming the first input
/// that is absent.
pub fn maggic_inputs(
    record: &PatientRecord,
    today: Date,
) -> Result<Option<crate::risk::maggic::Inputs>, crate::risk::NotComputed> {
    use crate::risk::NotComputed;
    let hf: Vec<_> = record.conditions.iter().filter(|c| is_heart_failure(c)).collect();
    if hf.is_empty() {
        return Ok(None);
    }
    let need = |input| NotComputed::Missing { input };
    let value = |kind: K, input| record.latest(kind).map(|s| s.value).ok_or(need(input));
    let sex = record.demographics.sex.ok_or(need("sex"))?;
    let age = record.demographics.age_on(today).ok_or(need("birth date"))?;
    let ejection_fraction = value(K::Lvef, "ejection fraction")?;
    let sbp = value(K::Sbp, "systolic BP")?;
    let bmi = value(K::Bmi, "BMI")?;
    let creatinine = value(K::Creatinine, "creatinine")?;
    let nyha = record.functional_class.last().map(|(_, c, _)| *c).ok_or(need("NYHA class"))?;
    let first_hf = hf.iter().filter_map(|c| c.onset).min().ok_or(need("date heart failure was diagnosed"))?;
    let active: Vec<_> = record.active_medications(today).collect();
    let on = |classes: &[DrugClass]| active.iter().any(|m| m.class.is_some_and(|c| classes.contains(&c)));
    let hba1c = record.latest(K::Hba1c).map(|s| s.value);
    Ok(Some(crate::risk::maggic::Inputs {
        age: f64::from(age),
        sex,
        ejection_fraction,
        sbp,
        bmi,
        creatinine,
        nyha,
        smoker: record.smoking_status() == Some(SmokingStatus::Current),
        diabetes: record.has_condition(ConditionKind::Type2Diabetes)
            || hba1c.is_some_and(|a| a >= DIABETES_HBA1C_PERCENT),
        copd: record.has_condition(ConditionKind::Copd),
        // 18 months = 548 days.
        diagnosed_18_months_ago: (today - first_hf).whole_days() >= 548,
        beta_blocker: on(&[DrugClass::BetaBlocker]),
        // Sacubitril/valsartan carries an ARB.
        acei_or_arb: on(&[DrugClass::AceInhibitor, DrugClass::Arb, DrugClass::Arni]),
    }))
}

/// Whether a condition is heart failure of any type.
fn is_heart_failure(c: &crate::record::Condition) -> bool {
    matches!(c.kind, Some(ConditionKind::HeartFailure | ConditionKind::HeartFailureReducedEf))
}

/// Whether heart failure (any type) is on record.
pub fn has_heart_failure(record: &PatientRecord) -> bool {
    record.conditions.iter().any(is_heart_failure)
}

/// Why the primary-prevention equations (PCE, PREVENT, SCORE2) do not apply to this record, when
/// they do not: they were derived in people free of cardiovascular disease (Goff 2013; Khan 2024;
/// SCORE2 working group 2021). Names the model meant instead: SMART2 for established
/// atherosclerotic disease (Hageman et al., Eur Heart J 2022), MAGGIC for heart failure (Pocock
/// et al., Eur Heart J 2013).
pub fn primary_prevention_caveat(record: &PatientRecord) -> Option<String> {
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
    if has(C::AorticAneurysm) {
        found.push("an abdominal aortic aneurysm");
    }
    let atherosclerotic = !found.is_empty();
    let heart_failure = has_heart_failure(record);
    if heart_failure {
        found.push("heart failure");
    }
    let instead = match (atherosclerotic, heart_failure) {
        (_, true) => {
            "MAGGIC gives the heart-failure prognosis, and projections show death from any cause and a first \
             HF hospitalisation under treatment (MAGGIC with the trial effects of heart-failure therapy)"
        }
        (true, false) => "SMART2 gives this patient's risk of recurrent events and drives projected event risk",
        _ => "",
    };
    (!found.is_empty()).then(|| {
        format!(
            "this patient has {} on record: PCE, PREVENT and SCORE2 were derived in people without cardiovascular \
             disease and do not apply (shown for reference only). {instead}",
            found.join(", ")
        )
    })
}
