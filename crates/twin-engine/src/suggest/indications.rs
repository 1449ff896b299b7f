//! Who a guideline says should have a statin, and who may have familial hypercholesterolaemia.
//!
//! **Statins** ([`statin_indication`]), in this order, the first that applies deciding:
//! 1. Established atherosclerotic disease: yes, high intensity (ACC/AHA 2018 cholesterol
//!    guideline, Grundy et al., Circulation 2019;139:e1082, §4.1; ESC 2021 prevention guideline,
//!    Visseren et al., Eur Heart J 2021;42:3227).
//! 2. Familial hypercholesterolaemia on record, or LDL-C ≥ 4.9 mmol/L (190 mg/dL) at 20 or over:
//!    yes, high intensity (ACC/AHA 2018 §4.2; ESC/EAS 2019, Mach et al., Eur Heart J 2020;41:111).
//! 3. Diabetes at 40–75: yes, at least moderate intensity (ACC/AHA 2018 §4.3).
//! 4. Chronic kidney disease (eGFR < 60, not on dialysis) at 50 or over: yes (KDIGO 2013 lipid
//!    guideline, Kidney Int Suppl 2013;3:259, rec. 1.1.1).
//! 5. Heart failure without any of the above: no. Statins did not change outcomes in heart
//!    failure (CORONA, Kjekshus et al., N Engl J Med 2007;357:2248; GISSI-HF, Lancet
//!    2008;372:1231); ESC 2021 heart failure guideline (McDonagh et al.): not recommended without
//!    another indication. The primary-prevention equations exclude heart failure.
//! 6. Under 40 in primary prevention: no (ACC/AHA 2018: below 40, only LDL-C ≥ 190 mg/dL or FH).
//! 7. Primary prevention by risk: SCORE2 / SCORE2-OP when an ESC risk region is given (ESC 2021
//!    Table 3 bands: below 50, high 2.5 %, very high 7.5 %; 50–69, 5 % and 10 %; 70 and over,
//!    7.5 % and 15 %; very high: recommended, high: to be considered), else the Pooled Cohort
//!    Equations (ACC/AHA 2018 §4.4, age 40–75: ≥ 20 % high intensity, 7.5–20 % moderate
//!    intensity; 5–7.5 % borderline, a discussion, not an indication here), else PREVENT's 10-year
//!    ASCVD risk against the same thresholds (PREVENT gives lower risks than the PCE, Khan et al.,
//!    Circulation 2024;149:430, so this errs towards no statin, and says so).
//! 8. Over 75 without an ESC band: no (ACC/AHA 2018 §4.4.4: an individual decision).
//!
//! The reason always names the figure used. SCORE's old 1 % cut-off is not used anywhere.
//!
//! **Familial hypercholesterolaemia** ([`familial_hypercholesterolaemia`]): the Dutch Lipid Clinic
//! Network score (as tabulated in ESC/EAS 2019, Table 8; Nordestgaard et al., Eur Heart J
//! 2013;34:3478) from what a record holds: LDL-C (the highest on record: ≥ 8.5 mmol/L 8 points,
//! 6.5–8.4 5, 5.0–6.4 3, 4.0–4.9 1), premature coronary disease (men < 55, women < 60: 2),
//! premature cerebral or peripheral vascular disease (1). Family history, tendon xanthomata,
//! arcus cornealis and DNA analysis are not in the record and are listed as not scored. Definite
//! above 8, probable 6–8, possible 3–5, unlikely below 3.

use time::Date;

use crate::drugs::{DrugClass as D, StatinIntensity};
use crate::record::{ConditionKind as C, MeasurementKind as K, PatientRecord, ProcedureKind, Sex};
use crate::risk::RiskInputs;
use crate::units::CHOLESTEROL_MG_DL_PER_MMOL_L as MG_DL;

use super::targets::score2_thresholds;

/// Whether a statin is indicated, why, and by which guideline.
#[derive(Debug, Clone, PartialEq)]
pub struct StatinIndication {
    /// Indicated (recommended, or to be considered where the guideline says so; the reason says
    /// which).
    pub indicated: bool,
    /// Why, naming the figure used.
    pub reason: String,
    /// The guideline and section.
    pub source: &'static str,
    /// The intensity the guideline names, where it names one.
    pub intensity: Option<StatinIntensity>,
}

const SRC_ASCVD: &str =
    "ACC/AHA 2018 cholesterol guideline (Grundy et al., Circulation 2019;139:e1082) §4.1; ESC 2021 \
                         prevention guideline (Visseren et al., Eur Heart J 2021;42:3227)";
const SRC_LDL_190: &str = "ACC/AHA 2018 cholesterol guideline §4.2 (LDL-C ≥ 190 mg/dL, age 20–75); ESC/EAS 2019 \
                           dyslipidaemia guideline (Mach et al., Eur Heart J 2020;41:111) Table 4 (FH, LDL-C > 4.9 \
                           mmol/L: high risk)";
const SRC_DIABETES: &str = "ACC/AHA 2018 cholesterol guideline §4.3 (diabetes, age 40–75: moderate intensity)";
const SRC_CKD: &str =
    "KDIGO 2013 lipid management in CKD guideline (Kidney Int Suppl 2013;3:259) rec. 1.1.1 (age ≥ 50, \
                       eGFR < 60, not on dialysis)";
const SRC_HF: &str = "CORONA (Kjekshus et al., N Engl J Med 2007;357:2248); GISSI-HF (Lancet 2008;372:1231); ESC 2021 \
                      heart failure guideline (McDonagh et al., Eur Heart J 2021;42:3599)";
const SRC_YOUNG: &str = "ACC/AHA 2018 cholesterol guideline §4.4 (primary prevention by risk at 40–75; below 40 only \
                         for LDL-C ≥ 190 mg/dL or FH)";
const SRC_SCORE2: &str = "ESC 2021 prevention guideline (Visseren et al.) Table 3 and Figure 4 (SCORE2 / SCORE2-OP \
                          bands by age)";
const SRC_PCE: &str = "ACC/AHA 2018 cholesterol guideline §4.4 (Pooled Cohort Equations, age 40–75: ≥ 20 % high \
                       intensity, 7.5–20 % moderate intensity, 5–7.5 % borderline)";
const SRC_PREVENT: &str = "ACC/AHA 2018 cholesterol guideline §4.4 thresholds applied to PREVENT (Khan et al., \
                           Circulation 2024;149:430), which estimates lower risks than the PCE";
const SRC_OLD: &str = "ACC/AHA 2018 cholesterol guideline §4.4.4 (over 75: an individual decision)";

fn yes(reason: String, source: &'static str, intensity: Option<StatinIntensity>) -> StatinIndication {
    StatinIndication { indicated: true, reason, source, intensity }
}

/// An indication (or not) built elsewhere in the suggestion ([`super::guideline`]).
pub(super) fn yes_no(
    indicated: bool,
    reason: String,
    source: &'static str,
    intensity: Option<StatinIntensity>,
) -> StatinIndication {
    StatinIndication { indicated, reason, source, intensity }
}

/// The atherosclerotic diseases on record, in words (coronary disease, myocardial infarction,
/// stroke or TIA, peripheral artery disease, aortic aneurysm, coronary revascularisation).
pub(super) fn ascvd_on_record(record: &PatientRecord) -> Vec<&'static str> {
    [
        (C::CoronaryArteryDisease, "coronary disease"),
        (C::MyocardialInfarction, "myocardial infarction"),
        (C::Stroke, "stroke or TIA"),
        (C::PeripheralArteryDisease, "peripheral artery disease"),
        (C::AorticAneurysm, "aortic aneurysm"),
    ]
    .into_iter()
    .filter(|(k, _)| record.conditions.iter().any(|c| c.kind == Some(*k)))
    .map(|(_, what)| what)
    .chain(
        record
            .procedures
            .iter()
            .any(|p| matches!(p.kind, Some(ProcedureKind::Pci | ProcedureKind::Cabg)))
            .then_some("coronary revascularisation"),
    )
    .collect()
}

/// Whether a statin is indicated under `guideline`: ESC's rules ([`statin_indication`]) or
/// ACC/AHA 2018's ([`super::guideline::acc_aha_lipids`]).
pub fn statin_indication_under(
    guideline: super::guideline::Guideline,
    record: &PatientRecord,
    today: Date,
    inputs: &RiskInputs,
) -> StatinIndication {
    match guideline {
        super::guideline::Guideline::Esc => statin_indication(record, today, inputs),
        super::guideline::Guideline::AccAha => super::guideline::acc_aha_lipids(record, today, inputs).0,
    }
}

fn no(reason: String, source: &'static str) -> StatinIndication {
    StatinIndication { indicated: false, reason, source, intensity: None }
}

/// The highest LDL-C on record up to `today`, mmol/L, with whether a lipid-lowering drug was taken
/// that day.
fn highest_ldl(record: &PatientRecord, today: Date) -> Option<(f64, bool)> {
    let s = record
        .series(K::LdlCholesterol)
        .iter()
        .filter(|s| s.date <= today && s.value.is_finite())
        .max_by(|a, b| a.value.total_cmp(&b.value))?;
    let treated = record
        .medications
        .iter()
        .any(|m| matches!(m.class, Some(D::Statin | D::Ezetimibe | D::Pcsk9Inhibitor)) && m.active_on(s.date));
    Some((s.value, treated))
}

/// Whether a statin is indicated for the patient of `record` on `today`, whose twin's risk inputs
/// are `inputs`.
pub fn statin_indication(record: &PatientRecord, today: Date, inputs: &RiskInputs) -> StatinIndication {
    let age = record.demographics.age_on(today).map_or(inputs.age, f64::from);
    let ascvd = ascvd_on_record(record);
    if !ascvd.is_empty() || inputs.ascvd.is_some() {
        let what = if ascvd.is_empty() { "atherosclerotic disease".to_string() } else { ascvd.join(", ") };
        return yes(
            format!("established atherosclerotic disease ({what}): a high-intensity statin"),
            SRC_ASCVD,
            Some(StatinIntensity::High),
        );
    }
    if record.has_active(C::FamilialHypercholesterolaemia) {
        return yes(
            "familial hypercholesterolaemia on record: a high-intensity statin".into(),
            SRC_LDL_190,
            Some(StatinIntensity::High),
        );
    }
    if let Some((ldl, treated)) = highest_ldl(record, today).filter(|(l, _)| *l >= 4.9 && age >= 20.0) {
        let on = if treated { " (on lipid-lowering treatment)" } else { "" };
        return yes(
            format!(
                "LDL-C {ldl:.1} mmol/L ({:.0} mg/dL){on} on record, 4.9 mmol/L (190 mg/dL) or more: a high-intensity \
                 statin",
                ldl * MG_DL
            ),
            SRC_LDL_190,
            Some(StatinIntensity::High),
        );
    }
    let diabetes = record.has_active(C::Type2Diabetes) || inputs.diabetes;
    if diabetes && (40.0..=75.0).contains(&age) {
        return yes(
            format!("diabetes at age {age:.0} (40–75): at least a moderate-intensity statin"),
            SRC_DIABETES,
            Some(StatinIntensity::Moderate),
        );
    }
    let egfr = record.latest(K::Egfr).map(|s| s.value).or(inputs.egfr);
    if let Some(e) = egfr.filter(|e| *e < 60.0 && age >= 50.0) {
        return yes(
            format!("chronic kidney disease, eGFR {e:.0} (below 60) at age {age:.0} (50 or over)"),
            SRC_CKD,
            Some(StatinIntensity::Moderate),
        );
    }
    if record.has_active(C::HeartFailure) || record.has_active(C::HeartFailureReducedEf) {
        return no(
            "heart failure alone is not an indication (CORONA, GISSI-HF), and none of atherosclerotic disease, \
             LDL-C ≥ 4.9 mmol/L, familial hypercholesterolaemia or diabetes is on record"
                .into(),
            SRC_HF,
        );
    }
    if age < 40.0 {
        return no(
            format!(
                "age {age:.0}: below 40 a statin is for LDL-C ≥ 4.9 mmol/L (190 mg/dL), familial \
                 hypercholesterolaemia or diabetes with other risk; none on record"
            ),
            SRC_YOUNG,
        );
    }
    // ESC: SCORE2 / SCORE2-OP where an ESC region makes it computable.
    let score2 = crate::risk::score2::cvd_10y(inputs).risk.map(|r| r * 100.0);
    if let Ok(r) = score2 {
        let (high, very_high) = score2_thresholds(age);
        let model = if age >= 70.0 { "SCORE2-OP" } else { "SCORE2" };
        return if r >= very_high {
            yes(
                format!("{model} {r:.1}% at age {age:.0}: very high risk (≥ {very_high}%): a statin is recommended"),
                SRC_SCORE2,
                None,
            )
        } else if r >= high {
            yes(
                format!(
                    "{model} {r:.1}% at age {age:.0}: high risk ({high}–{very_high}%): a statin is to be considered"
                ),
                SRC_SCORE2,
                None,
            )
        } else {
            no(
                format!("{model} {r:.1}% at age {age:.0}: below the high-risk band ({high}%): low to moderate risk"),
                SRC_SCORE2,
            )
        };
    }
    if age > 75.0 {
        return no(
            format!(
                "age {age:.0}: over 75 in primary prevention a statin is an individual decision (no ESC risk region \
                 for SCORE2-OP)"
            ),
            SRC_OLD,
        );
    }
    // ACC/AHA: the PCE, else PREVENT.
    let pce = crate::risk::pce::ascvd_10y(inputs).risk;
    let (name, risk, source) = match &pce {
        Ok(r) => ("PCE 10-year ASCVD", Ok(r * 100.0), SRC_PCE),
        Err(_) => {
            let p = crate::risk::prevent::risk(
                inputs,
                crate::risk::prevent::Outcome::Ascvd,
                crate::risk::prevent::Horizon::TenYears,
            );
            ("PREVENT 10-year ASCVD", p.risk.map(|r| r * 100.0), SRC_PREVENT)
        }
    };
    match risk {
        Ok(r) if r >= 20.0 => {
            yes(format!("{name} risk {r:.1}% (≥ 20%): a high-intensity statin"), source, Some(StatinIntensity::High))
        }
        Ok(r) if r >= 7.5 => yes(
            format!("{name} risk {r:.1}% (7.5–20%): a moderate-intensity statin after a risk discussion"),
            source,
            Some(StatinIntensity::Moderate),
        ),
        Ok(r) if r >= 5.0 => {
            no(format!("{name} risk {r:.1}% (5–7.5%, borderline): a statin only if risk enhancers favour it"), source)
        }
        Ok(r) => no(format!("{name} risk {r:.1}% (below 5%): low risk"), source),
        Err(e) => {
            let pce_why = pce.as_ref().err().map(|p| format!("PCE: {}; ", p.describe())).unwrap_or_default();
            no(
                format!(
                    "no risk equation could be computed ({pce_why}PREVENT: {}): the indication could not be assessed",
                    e.describe()
                ),
                SRC_PCE,
            )
        }
    }
}

/// The Dutch Lipid Clinic Network score from what the record holds.
#[derive(Debug, Clone, PartialEq)]
pub struct FhFlag {
    /// Points.
    pub dlcn_points: u32,
    /// "definite" (> 8), "probable" (6–8), "possible" (3–5) or "unlikely" (< 3).
    pub category: &'static str,
    /// What scored, in plain words.
    pub because: Vec<String>,
    /// The criteria the record cannot score.
    pub not_scored: Vec<&'static str>,
}

/// The DLCN category of a score.
pub fn dlcn_category(points: u32) -> &'static str {
    match points {
        p if p > 8 => "definite",
        6..=8 => "probable",
        3..=5 => "possible",
        _ => "unlikely",
    }
}

/// The age at which the earliest condition of `kinds` (or procedure of `procedures`) was dated, and
/// whether one of them is on record at all.
fn earliest_age(record: &PatientRecord, kinds: &[C], procedures: &[ProcedureKind]) -> (bool, Option<i32>) {
    let conditions = record.conditions.iter().filter(|c| c.kind.is_some_and(|k| kinds.contains(&k)));
    let procs = record.procedures.iter().filter(|p| p.kind.is_some_and(|k| procedures.contains(&k)));
    let any = conditions.clone().next().is_some() || procs.clone().next().is_some();
    let first = conditions.filter_map(|c| c.onset).chain(procs.filter_map(|p| p.date)).min();
    (any, first.and_then(|d| record.demographics.age_on(d)))
}

/// The Dutch Lipid Clinic Network score of the patient of `record` from readings up to `today`;
/// `None` when the record holds no LDL-C (the main criterion).
pub fn familial_hypercholesterolaemia(record: &PatientRecord, today: Date) -> Option<FhFlag> {
    let (ldl, treated) = highest_ldl(record, today)?;
    let mut points = 0;
    let mut because = Vec::new();
    let mut not_scored = vec![
        "family history (premature vascular disease or high LDL-C in a first-degree relative)",
        "tendon xanthomata",
        "arcus cornealis before 45",
        "DNA analysis",
    ];
    let ldl_points = if ldl >= 8.5 {
        8
    } else if ldl >= 6.5 {
        5
    } else if ldl >= 5.0 {
        3
    } else if ldl >= 4.0 {
        1
    } else {
        0
    };
    points += ldl_points;
    let on = if treated {
        " (measured on lipid-lowering treatment: the untreated level is higher, so this is a floor)"
    } else {
        ""
    };
    because.push(format!("highest LDL-C {ldl:.1} mmol/L ({:.0} mg/dL){on}: {ldl_points} points", ldl * MG_DL));
    let limit = match record.demographics.sex {
        Some(Sex::Male) => Some(55),
        Some(Sex::Female) => Some(60),
        None => None,
    };
    let coronary = earliest_age(
        record,
        &[C::CoronaryArteryDisease, C::MyocardialInfarction],
        &[ProcedureKind::Pci, ProcedureKind::Cabg],
    );
    let vascular = earliest_age(record, &[C::Stroke, C::PeripheralArteryDisease], &[]);
    for ((any, at), what, score) in
        [(coronary, "coronary disease", 2), (vascular, "cerebral or peripheral vascular disease", 1)]
    {
        match (any, at, limit) {
            (false, _, _) => {}
            (true, Some(a), Some(l)) if a < l => {
                points += score;
                because.push(format!("premature {what} (from age {a}, before {l}): {score} points"));
            }
            (true, Some(_), Some(_)) => {}
            (true, None, _) => not_scored.push(if score == 2 {
                "premature coronary disease (no onset date on record)"
            } else {
                "premature cerebral or peripheral vascular disease (no onset date on record)"
            }),
            (true, Some(_), None) => not_scored.push(if score == 2 {
                "premature coronary disease (sex not recorded)"
            } else {
                "premature cerebral or peripheral vascular disease (sex not recorded)"
            }),
        }
    }
    if record.has_active(C::FamilialHypercholesterolaemia) {
        because
            .push("familial hypercholesterolaemia is already on record (not scored: its basis is not stated)".into());
    }
    Some(FhFlag { dlcn_points: points, category: dlcn_category(points), because, not_scored })
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::super::safety::testing::{Rec, TODAY};
    use super::*;
    use crate::drugs::DoseLevel;
    use crate::risk::{Race, Region};

    fn inputs(age: f64, sex: Sex) -> RiskInputs {
        RiskInputs {
            age,
            sex,
            race: None,
            total_cholesterol: 5.0,
            hdl_cholesterol: 1.5,
            sbp: 120.0,
            bp_treated: false,
            smoker: false,
            diabetes: false,
            egfr: Some(90.0),
            bmi: Some(24.0),
            statin: Some(false),
            region: None,
            hba1c: None,
            uacr: None,
            sdi_decile: None,
            crp: None,
            ascvd: None,
            diabetes_onset_age: None,
        }
    }

    fn ind(r: Rec, x: &RiskInputs) -> StatinIndication {
        statin_indication(&r.build(), TODAY, x)
    }

    #[test]
    fn ascvd_gets_a_high_intensity_statin() {
        let s = ind(Rec::new(62, Sex::Male).condition(C::MyocardialInfarction), &inputs(62.0, Sex::Male));
        assert!(s.indicated && s.intensity == Some(StatinIntensity::High));
        assert!(s.reason.contains("myocardial infarction"), "{}", s.reason);
        let s =
            ind(Rec::new(62, Sex::Male).procedure(ProcedureKind::Pci, date!(2020 - 01 - 01)), &inputs(62.0, Sex::Male));
        assert!(s.indicated && s.reason.contains("revascularisation"), "{}", s.reason);
    }

    #[test]
    fn ldl_190_or_fh_gets_a_statin_at_any_adult_age() {
        let s = ind(Rec::new(30, Sex::Female).lab(K::LdlCholesterol, 5.2), &inputs(30.0, Sex::Female));
        assert!(s.indicated && s.reason.contains("5.2 mmol/L (201 mg/dL)"), "{}", s.reason);
        let s = ind(Rec::new(30, Sex::Female).condition(C::FamilialHypercholesterolaemia), &inputs(30.0, Sex::Female));
        assert!(s.indicated);
    }

    #[test]
    fn diabetes_40_to_75_gets_a_moderate_statin_and_at_35_not_by_that_rule() {
        let mut x = inputs(55.0, Sex::Male);
        x.diabetes = true;
        let s = ind(Rec::new(55, Sex::Male).condition(C::Type2Diabetes), &x);
        assert!(s.indicated && s.intensity == Some(StatinIntensity::Moderate), "{s:?}");
        x.age = 35.0;
        let s = ind(Rec::new(35, Sex::Male).condition(C::Type2Diabetes), &x);
        assert!(!s.indicated, "{s:?}");
    }

    #[test]
    fn ckd_at_50_or_over_gets_a_statin() {
        let s = ind(Rec::new(58, Sex::Female).lab(K::Egfr, 45.0), &inputs(58.0, Sex::Female));
        assert!(s.indicated && s.reason.contains("eGFR 45"), "{s:?}");
    }

    #[test]
    fn heart_failure_alone_is_not_an_indication() {
        // Issue 27: patient 03 got a statin through a SCORE2 that does not apply to heart failure.
        let mut x = inputs(68.0, Sex::Male);
        x.region = Some(Region::Moderate);
        let s = ind(Rec::new(68, Sex::Male).condition(C::HeartFailureReducedEf), &x);
        assert!(!s.indicated, "{s:?}");
        assert!(s.reason.contains("heart failure alone") && s.source.contains("CORONA"), "{}", s.reason);
        // Control: heart failure with coronary disease is indicated.
        let s =
            ind(Rec::new(68, Sex::Male).condition(C::HeartFailureReducedEf).condition(C::CoronaryArteryDisease), &x);
        assert!(s.indicated);
    }

    #[test]
    fn an_18_year_old_gets_no_statin_without_a_named_reason() {
        let s = ind(Rec::new(18, Sex::Male).lab(K::LdlCholesterol, 3.4), &inputs(18.0, Sex::Male));
        assert!(!s.indicated && s.reason.contains("age 18"), "{}", s.reason);
    }

    #[test]
    fn a_healthy_46_year_old_woman_at_low_risk_gets_no_statin() {
        // PREVENT (no race, no region): low.
        let s = ind(Rec::new(46, Sex::Female).lab(K::LdlCholesterol, 3.4), &inputs(46.0, Sex::Female));
        assert!(!s.indicated, "{s:?}");
        assert!(s.reason.contains("PREVENT 10-year ASCVD risk") && s.reason.contains('%'), "{}", s.reason);
        // SCORE2 with a region: below the 2.5 % band at 46.
        let mut x = inputs(46.0, Sex::Female);
        x.region = Some(Region::Low);
        let s = ind(Rec::new(46, Sex::Female), &x);
        assert!(!s.indicated && s.reason.starts_with("SCORE2 ") && s.reason.contains("2.5%"), "{}", s.reason);
    }

    #[test]
    fn primary_prevention_at_high_risk_gets_a_statin_naming_the_figure() {
        // A 65-year-old smoking man with high SBP and cholesterol: PCE well above 7.5 %.
        let mut x = inputs(65.0, Sex::Male);
        x.race = Some(Race::White);
        x.smoker = true;
        x.sbp = 165.0;
        x.total_cholesterol = 6.5;
        x.hdl_cholesterol = 1.0;
        let s = ind(Rec::new(65, Sex::Male), &x);
        assert!(s.indicated && s.reason.starts_with("PCE 10-year ASCVD risk"), "{s:?}");
        // The same man in an ESC region: SCORE2's band.
        x.region = Some(Region::High);
        let s = ind(Rec::new(65, Sex::Male), &x);
        assert!(s.indicated && s.reason.starts_with("SCORE2 ") && s.source.contains("ESC 2021"), "{s:?}");
    }

    #[test]
    fn over_75_without_an_esc_band_is_an_individual_decision() {
        let s = ind(Rec::new(80, Sex::Female), &inputs(80.0, Sex::Female));
        assert!(!s.indicated && s.reason.contains("over 75"), "{}", s.reason);
    }

    // ---- Familial hypercholesterolaemia.

    #[test]
    fn ldl_400_mg_dl_with_premature_mi_is_definite_fh() {
        let r = Rec::new(50, Sex::Male).lab(K::LdlCholesterol, 400.0 / MG_DL).condition_since(
            C::MyocardialInfarction,
            Some(date!(2018 - 01 - 01)),
            true,
        );
        let f = familial_hypercholesterolaemia(&r.build(), TODAY).expect("scored");
        assert_eq!((f.dlcn_points, f.category), (10, "definite"));
        assert!(f.because.iter().any(|b| b.contains("premature coronary")), "{f:?}");
        assert!(f.not_scored.iter().any(|n| n.contains("family history")));
        assert!(f.not_scored.iter().any(|n| n.contains("xanthomata")));
    }

    #[test]
    fn ldl_400_mg_dl_alone_is_probable_and_ldl_3_is_unlikely() {
        let f = familial_hypercholesterolaemia(&Rec::new(40, Sex::Female).lab(K::LdlCholesterol, 10.3).build(), TODAY);
        assert_eq!(f.map(|f| (f.dlcn_points, f.category)), Some((8, "probable")));
        let f = familial_hypercholesterolaemia(&Rec::new(40, Sex::Female).lab(K::LdlCholesterol, 3.0).build(), TODAY);
        assert_eq!(f.map(|f| f.category), Some("unlikely"));
        assert!(familial_hypercholesterolaemia(&Rec::new(40, Sex::Female).build(), TODAY).is_none());
    }

    #[test]
    fn late_mi_scores_nothing_and_an_undated_one_is_not_scored() {
        let r = Rec::new(75, Sex::Male).lab(K::LdlCholesterol, 5.5).condition_since(
            C::MyocardialInfarction,
            Some(date!(2020 - 01 - 01)),
            true,
        );
        let f = familial_hypercholesterolaemia(&r.build(), TODAY).expect("scored");
        assert_eq!((f.dlcn_points, f.category), (3, "possible"));
        let r = Rec::new(75, Sex::Male).lab(K::LdlCholesterol, 5.5).condition(C::MyocardialInfarction);
        let f = familial_hypercholesterolaemia(&r.build(), TODAY).expect("scored");
        assert!(f.not_scored.iter().any(|n| n.contains("no onset date")), "{f:?}");
    }

    #[test]
    fn ldl_on_a_statin_is_said_to_be_a_floor() {
        let r = Rec::new(45, Sex::Male)
            .drug("atorvastatin", D::Statin, Some(40.0), DoseLevel::Double)
            .lab(K::LdlCholesterol, 6.6);
        let f = familial_hypercholesterolaemia(&r.build(), TODAY).expect("scored");
        assert_eq!(f.dlcn_points, 5);
        assert!(f.because[0].contains("floor"), "{f:?}");
    }
}
