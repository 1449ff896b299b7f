//! What the overview screen needs beside the measured history: the patient's guideline targets
//! (the same ones the suggestion works to, computed by the engine) and each measurement's adult
//! reference range with its source, so the screen can draw target lines and flag a reading that
//! lies outside its range or above its target.

use serde::Serialize;
use time::Date;
use ts_rs::TS;

use twin_engine::record::{PatientRecord, Sex};
use twin_engine::suggest::{Guideline, Targets};
use twin_engine::units::{MeasurementKind as K, CHOLESTEROL_MG_DL_PER_MMOL_L};

use crate::suggest::TargetsView;

/// A measurement's reference range in its canonical unit: a reading below `low` or above `high`
/// is flagged. A bound is absent where only one side is abnormal (e.g. NT-proBNP has no low).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceRangeView {
    /// The measurement's key, as in [`crate::json::Series::key`].
    pub key: String,
    /// Lowest normal value.
    pub low: Option<f64>,
    /// Highest normal value.
    pub high: Option<f64>,
    /// Where the range comes from, for the screen's note.
    pub source: String,
}

impl TargetsView {
    /// The view of the engine's targets (BP and LDL-C, with their reasons and sources).
    pub fn of(t: &Targets) -> Self {
        Self {
            sbp_below: t.sbp_below,
            dbp_below: t.dbp_below,
            bp_reason: t.bp_reason.clone(),
            ldl_below_mmol: t.ldl_below_mmol,
            ldl_below_mg_dl: (t.ldl_below_mmol * CHOLESTEROL_MG_DL_PER_MMOL_L).round(),
            // Under ACC/AHA, the patient group of the cholesterol guideline.
            category: t.ldl_intensity.map_or(t.category.label(), |g| g.group.label()).into(),
            ldl_reason: t.ldl_reason.clone(),
            bp_source: t.bp_source.to_string(),
            ldl_source: t.ldl_source.to_string(),
            bp_guideline: t.bp_guideline().into(),
            ldl_guideline: t.ldl_guideline().into(),
            ldl_intensity: t.ldl_intensity.map(|g| g.goal_words()),
        }
    }
}

/// The patient's BP and LDL-C targets on `today` under `guideline` (the set chosen in Settings),
/// from the function the suggestion takes them from ([`twin_engine::suggest::targets_under`]):
/// the record's latest values, the twin's diastolic level (SBP relaxed to below 140 where it is
/// under 70) and, where it can be computed, SCORE2 (without it the risk category rests on
/// diagnoses alone, as the engine says in the reason).
pub fn patient_targets(record: &PatientRecord, today: Date, guideline: Guideline) -> TargetsView {
    use twin_engine::suggest::targets;
    let targets = match twin_engine::twin::risk_inputs(record, today, twin_engine::twin::Context::default()) {
        Ok((inputs, _)) => twin_engine::suggest::targets_under(guideline, record, today, &inputs),
        // No risk inputs, so no suggestion either: the ESC targets from the record, with the
        // same diastolic rule.
        Err(missing) => targets::with_low_dbp(
            targets::targets(record, today, Err(missing.to_string())),
            twin_engine::twin::dbp_today(record, today).map(|(dbp, _, _)| dbp),
        ),
    };
    TargetsView::of(&targets)
}

/// The reference range of every measurement the record holds that has one, for its sex.
pub fn reference_ranges(record: &PatientRecord) -> Vec<ReferenceRangeView> {
    K::ALL
        .into_iter()
        .filter(|k| !record.series(*k).is_empty())
        .filter_map(|k| reference_range(k, record.demographics.sex))
        .collect()
}

/// The home BP the overview shows beside the office BP: the protocol mean of the latest week,
/// judged against the home threshold, or why there is none (see [`twin_engine::home_bp`]).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HomeBpView {
    /// The protocol mean, where the latest week has enough days.
    pub mean: Option<HomeBpMeanView>,
    /// Why there is no mean (too few days), in plain words.
    pub no_mean_reason: Option<String>,
    /// Home readings held, all weeks.
    pub n_readings_held: usize,
    /// Date of the latest home reading (ISO).
    pub latest: String,
    /// The devices the latest week's readings came from.
    pub devices: Vec<String>,
    /// The threshold and protocol, for the screen's note.
    pub protocol: String,
}

/// A home BP protocol mean.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HomeBpMeanView {
    /// Mean systolic, mmHg (rounded).
    pub systolic: f64,
    /// Mean diastolic, mmHg (rounded).
    pub diastolic: f64,
    /// Standard deviation of the systolic readings, mmHg (one decimal).
    pub systolic_sd: f64,
    /// Days averaged (the first day of the week dropped).
    pub n_days: u32,
    /// Readings averaged.
    pub n_readings: u32,
    /// Of those, before noon.
    pub n_morning: u32,
    /// Of those, from noon.
    pub n_evening: u32,
    /// First day averaged (ISO).
    pub first_day: String,
    /// Last day averaged (ISO).
    pub last_day: String,
    /// The day dropped (ISO).
    pub dropped_day: String,
    /// Systolic ≥ 135 or diastolic ≥ 85 mmHg.
    pub at_or_above_threshold: bool,
}

/// The home BP view of `record` on `today`; `None` when it holds no home readings.
pub fn home_bp_view(record: &PatientRecord, today: Date) -> Option<HomeBpView> {
    use twin_engine::home_bp::{protocol_mean, HomeBpVerdict, HOME_THRESHOLD_DBP, HOME_THRESHOLD_SBP, PROTOCOL_DAYS};
    let held: Vec<_> = record.home_bp.iter().filter(|r| r.date <= today).collect();
    let latest = held.iter().map(|r| r.date).max()?;
    let week_start = latest - time::Duration::days(PROTOCOL_DAYS - 1);
    let mut devices: Vec<String> =
        held.iter().filter(|r| r.date >= week_start).filter_map(|r| r.device.clone()).collect();
    devices.sort();
    devices.dedup();
    let protocol = format!(
        "Home readings, threshold {HOME_THRESHOLD_SBP:.0}/{HOME_THRESHOLD_DBP:.0} mmHg (not the office 140/90): mean of          the latest week with its first day dropped, at least 3 days, morning and evening (ESC 2024; ESH 2021)"
    );
    let (mean, no_mean_reason) = match protocol_mean(&record.home_bp, today) {
        Ok(m) => (
            Some(HomeBpMeanView {
                systolic: m.systolic.round(),
                diastolic: m.diastolic.round(),
                systolic_sd: (m.systolic_sd * 10.0).round() / 10.0,
                n_days: m.n_days as u32,
                n_readings: m.n_readings as u32,
                n_morning: m.n_morning as u32,
                n_evening: m.n_evening as u32,
                first_day: m.first_day.to_string(),
                last_day: m.last_day.to_string(),
                dropped_day: m.dropped_day.to_string(),
                at_or_above_threshold: m.verdict == HomeBpVerdict::AtOrAboveThreshold,
            }),
            None,
        ),
        Err(why) => (None, Some(why.to_string())),
    };
    Some(HomeBpView {
        mean,
        no_mean_reason,
        n_readings_held: held.len(),
        latest: latest.to_string(),
        devices,
        protocol,
    })
}

/// UK Pathology Harmony adult ranges (Berg J, Lane V. Ann Clin Biochem 2011;48:195–197).
const HARMONY: &str = "UK Pathology Harmony, adults (Ann Clin Biochem 2011)";
/// ESC/EAS 2019 dyslipidaemia guideline (Mach F et al. Eur Heart J 2020;41:111–188), section 4:
/// triglycerides above 1.7 mmol/L and HDL-C below 1.0 (men) / 1.2 (women) mmol/L mark increased
/// risk; LDL-C below 3.0 mmol/L is the goal at low risk (the patient's own target is flagged
/// separately).
const ESC_EAS_2019: &str = "ESC/EAS 2019 dyslipidaemia guideline";

/// The adult reference range of `kind`, or `None` where the overview flags it by target alone
/// (blood pressure: the patient's target) or has no agreed range (wearables, weight, BMI).
///
/// # References
/// - Potassium 3.5–5.3, sodium 133–146 mmol/L: UK Pathology Harmony (Berg & Lane, Ann Clin
///   Biochem 2011;48:195).
/// - Creatinine, IDMS-traceable enzymatic assay: men 59–104, women 45–84 µmol/L (Roche CREP2
///   method sheet; the intervals most UK laboratories quote).
/// - eGFR: below 60 mL/min/1.73 m² is CKD by GFR alone (KDIGO 2012 CKD guideline, category G3a
///   and below).
/// - HbA1c: below 5.7 % is normal; 5.7–6.4 % prediabetes, ≥ 6.5 % diabetes (ADA Standards of
///   Care 2024, section 2).
/// - Total cholesterol: below 5.0 mmol/L (Joint British Societies JBS3 2014; ESC 2016 prevention).
/// - LDL-C 3.0, HDL-C 1.0/1.2, triglycerides 1.7 mmol/L: ESC/EAS 2019 (see [`ESC_EAS_2019`]).
/// - NT-proBNP below 125 pg/mL and BNP below 35 pg/mL make heart failure unlikely in the
///   non-acute setting (ESC HF 2021 guideline, McDonagh TA et al. Eur Heart J 2021;42:3599, fig. 1).
/// - LVEF ≥ 50 %: ESC HF 2021 (below 50 % is mildly reduced, ≤ 40 % reduced).
/// - Heart rate 50–100 bpm: 2018 ACC/AHA/HRS bradycardia guideline (sinus bradycardia below
///   50 bpm) and the conventional tachycardia limit of 100 bpm.
/// - Urine albumin/creatinine ratio below 30 mg/g: KDIGO 2012 (category A1).
/// - CRP below 5 mg/L: the usual laboratory upper limit (Pepys MB, Hirschfield GM. J Clin Invest
///   2003;111:1805).
pub fn reference_range(kind: K, sex: Option<Sex>) -> Option<ReferenceRangeView> {
    let female = sex == Some(Sex::Female);
    let (low, high, source) = match kind {
        K::Potassium => (Some(3.5), Some(5.3), HARMONY),
        K::Sodium => (Some(133.0), Some(146.0), HARMONY),
        K::Creatinine if female => (Some(45.0), Some(84.0), "IDMS-traceable enzymatic assay, women"),
        K::Creatinine => (Some(59.0), Some(104.0), "IDMS-traceable enzymatic assay, men"),
        K::Egfr => (Some(60.0), None, "KDIGO 2012: below 60 is CKD G3a or worse"),
        K::Hba1c => (None, Some(5.6), "ADA 2024: 5.7–6.4 % prediabetes, 6.5 % or more diabetes"),
        K::TotalCholesterol => (None, Some(5.0), "JBS3 2014 / ESC 2016 prevention"),
        K::LdlCholesterol => (None, Some(3.0), ESC_EAS_2019),
        K::HdlCholesterol => (Some(if female { 1.2 } else { 1.0 }), None, ESC_EAS_2019),
        K::Triglycerides => (None, Some(1.7), ESC_EAS_2019),
        K::NtProBnp => (None, Some(125.0), "ESC HF 2021: below 125 pg/mL heart failure is unlikely"),
        K::Bnp => (None, Some(35.0), "ESC HF 2021: below 35 pg/mL heart failure is unlikely"),
        K::Lvef => (Some(50.0), None, "ESC HF 2021: below 50 % is reduced"),
        K::HeartRate => (Some(50.0), Some(100.0), "ACC/AHA/HRS 2018: below 50 bradycardia, above 100 tachycardia"),
        K::Uacr => (None, Some(30.0), "KDIGO 2012: 30 mg/g or more is albuminuria"),
        K::Crp => (None, Some(5.0), "usual laboratory upper limit"),
        _ => return None,
    };
    Some(ReferenceRangeView { key: kind.key().to_string(), low, high, source: source.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creatinine_and_hdl_ranges_follow_sex() {
        let women = reference_range(K::Creatinine, Some(Sex::Female)).map(|r| r.high);
        let men = reference_range(K::Creatinine, Some(Sex::Male)).map(|r| r.high);
        assert_eq!((women, men), (Some(Some(84.0)), Some(Some(104.0))));
        assert_eq!(reference_range(K::HdlCholesterol, Some(Sex::Female)).and_then(|r| r.low), Some(1.2));
    }

    #[test]
    fn blood_pressure_is_flagged_by_target_not_range() {
        assert!(reference_range(K::Sbp, None).is_none());
        assert!(reference_range(K::Dbp, None).is_none());
    }

    #[test]
    fn every_range_has_a_source_and_ordered_bounds() {
        for kind in K::ALL {
            if let Some(r) = reference_range(kind, Some(Sex::Male)) {
                assert!(!r.source.is_empty(), "{kind}");
                assert!(r.low.is_some() || r.high.is_some(), "{kind}");
                if let (Some(l), Some(h)) = (r.low, r.high) {
                    assert!(l < h, "{kind}");
                }
            }
        }
    }
}
