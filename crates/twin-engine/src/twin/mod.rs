//! Today's twin of one patient, built from the record in one call: the calibration targets and
//! the calibrated heart, the equations' inputs, the personal response factors, the event model's
//! hazards over the horizon, and the projection baseline. Every clinical constant the building
//! needs lives here, once.

mod freshness;
mod hazards;
mod hindcast;
mod inputs;
mod level;
mod responses;
mod weight;

use time::Date;

use crate::heart::calibrate::{
    calibrate, mosteller_bsa, population_cardiac_output, Calibration, Targets, TYPICAL_BSA_M2,
};
use crate::heart::{simulate as beat, HeartParams, SolverConfig};
use crate::progression::{Baseline, Spread, DBP_WALK_SHARE, SBP_WALK_SD};
use crate::record::{ConditionKind, MeasurementKind as K, PatientRecord};
use crate::risk::{prevent, Race, Region, RiskInputs};

pub use freshness::{
    calibrated_to, current_home_mean, freshness, Freshness, InputAge, LimitError, LimitGroup, Measure, StaleLimits,
    BLOOD_PRESSURE_LIMIT_MONTHS, MAX_LIMIT_MONTHS,
};
pub use hazards::{annual_hazards, heart_failure_model, EventModel, EventOutcome};
pub use hindcast::{months_after, record_as_of, treatment_after};
pub use inputs::{has_heart_failure, maggic_inputs, primary_prevention_caveat, risk_inputs, InputSource};
pub use level::{LevelFilter, Update as LevelUpdate};
pub use responses::{current_drug, learn_responses, ResponseFilter};
pub use weight::{weight_trend, RapidGain, WeightTrend, MAX_LATEST_AGE_DAYS, RAPID_GAIN_DAYS, RAPID_GAIN_KG};

/// Visit-to-visit SD of office SBP within a person, mmHg: typically 8–12 mmHg in treated
/// hypertension (Rothwell PM et al. Lancet 2010;375:895-905); the lower end is used.
pub const SBP_VISIT_SD: f64 = 8.0;
/// Visit-to-visit SD of office DBP, mmHg: taken as 5 (about 60% of the SBP figure, the ratio of
/// DBP to SBP variability in the same cohorts; an assumption).
pub const DBP_VISIT_SD: f64 = 5.0;
/// SD of a single echocardiographic LVEF, points: inter-observer variability of 2D echo LVEF is
/// about 5 points (Otterstad JE et al. Eur Heart J 1997;18:507-513).
pub const LVEF_SD: f64 = 5.0;
/// SD of the LVEF the heart model gives when no echo is on record, points: 5, the spread of LVEF
/// in healthy adults (ASE/EACVI: Lang RM et al. J Am Soc Echocardiogr 2015;28:1-39, men 62 ± 5%,
/// women 64 ± 5%). A heart calibrated to BP and heart rate alone knows no more of the patient's
/// LVEF than that; a lower bound, since patients are not all healthy.
pub const LVEF_WITHOUT_ECHO_SD: f64 = 5.0;
/// Within-person biological plus analytical CV of LDL-C: about 8% (Ricós C et al., biological
/// variation database, Scand J Clin Lab Invest 1999;59:491-500: LDL-C CVi 8.3%).
pub const LDL_CV: f64 = 0.08;
/// Visit-to-visit SD of office resting heart rate within a person, bpm: taken as 7 (an
/// assumption of the order seen in repeated office readings; not from a cited source).
pub const HEART_RATE_VISIT_SD: f64 = 7.0;
/// Within-person CV of HDL-C: 7.1% (Ricós 1999, as above: HDL-C CVi 7.1%).
pub const HDL_CV: f64 = 0.071;
/// Day-to-day SD of body weight, kg: taken as 1 (an assumption).
pub const WEIGHT_SD: f64 = 1.0;
/// Within-person CV of one eGFR: CKD-EPI 2021 scales as creatinine^−1.2 above its knot (Inker LA
/// et al. N Engl J Med 2021;385:1737), so 1.2 × creatinine's within-person CV of about 5% (Ricós
/// 1999 lists 4–6% across studies): 6%.
pub const EGFR_CV: f64 = 0.06;
/// How many of the most recent readings are averaged into today's value.
pub const N_RECENT: usize = 3;

/// What the record lacks for a purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the record has no {what}; {purpose}")]
pub struct Missing {
    /// What is missing, in words (e.g. "systolic BP").
    pub what: &'static str,
    /// Who needs it ("the twin needs it", "projections need it", "risk needs it").
    pub purpose: &'static str,
}

/// What the record does not say but the clinician may.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Context {
    /// Race group for the PCE.
    pub race: Option<Race>,
    /// ESC risk region for SCORE2.
    pub region: Option<Region>,
    /// Social Deprivation Index decile (1–10) for PREVENT.
    pub sdi_decile: Option<u8>,
}

/// Days after a treatment change before readings describe the new state: most of a BP or
/// LDL-C effect appears within 4–6 weeks (Law 2003; statin trials), so six weeks.
pub const SETTLE_DAYS: i64 = 42;

/// The last start, stop or dose change of a drug acting on `kind`, up to the last reading.
fn last_change(record: &PatientRecord, kind: K) -> Option<Date> {
    use crate::drugs::{DoseLevel, DrugClass};
    let acts = |c: DrugClass| match kind {
        K::Sbp | K::Dbp => c.lowers_bp(),
        K::LdlCholesterol => crate::progression::ldl_fraction(c, DoseLevel::Double) > 0.0,
        K::HeartRate => c.heart_rate_effect_standard_dose().is_some(),
        _ => false,
    };
    let last_reading = record.latest(kind)?.date;
    record
        .medications
        .iter()
        .filter(|m| m.class.is_some_and(acts))
        .flat_map(|m| [m.start, m.end])
        .flatten()
        .filter(|d| *d <= last_reading)
        .max()
}

/// Today's value of `kind`: the mean of the last [`N_RECENT`] readings taken at least
/// [`SETTLE_DAYS`] after the last change of a drug acting on it (so a mean never straddles a
/// start or stop: patient 07's LDL-C once averaged 211 mg/dL before a statin with 92 and 108
/// on it), and how many there were. When no reading is that recent, the last ones are used.
pub fn recent_mean(record: &PatientRecord, kind: K) -> Option<(f64, usize)> {
    let series = record.series(kind);
    let settled_from = last_change(record, kind).map(|d| d + time::Duration::days(SETTLE_DAYS));
    let settled: Vec<f64> =
        series.iter().filter(|s| settled_from.is_none_or(|d| s.date >= d)).map(|s| s.value).collect();
    let pool: Vec<f64> = if settled.is_empty() { series.iter().map(|s| s.value).collect() } else { settled };
    let recent = &pool[pool.len().saturating_sub(N_RECENT)..];
    (!recent.is_empty()).then(|| (recent.iter().sum::<f64>() / recent.len() as f64, recent.len()))
}

/// Today's level of a measure that drifts (SBP, DBP), its SD, and how many readings it rests on:
/// a local-level Kalman filter over the readings taken since the last drug change settled (as
/// [`recent_mean`] picks them), with each reading's visit-to-visit error `visit_sd` and the true
/// level drifting as the projection's own random walk, `walk_sd` per √month. Every reading
/// narrows the estimate, older ones less (the level has drifted since); the estimate never gets
/// sharper than the drift allows (about 2.3 mmHg SBP with monthly readings); and the time from
/// the last reading to `today` widens it again, so a stale reading gives a wide band.
pub fn level_today(
    record: &PatientRecord,
    kind: K,
    today: Date,
    visit_sd: f64,
    walk_sd: f64,
) -> Option<(f64, f64, usize)> {
    LevelFilter::over(record, kind, visit_sd, walk_sd).map(|filter| filter.today(today))
}

/// Today's diastolic level, its SD and the readings behind it ([`level_today`] with the DBP
/// visit error and drift): the projection baseline's DBP, and what the suggestion's targets read
/// when DBP is already low ([`crate::suggest::targets::with_low_dbp`]), so both see one figure.
pub fn dbp_today(record: &PatientRecord, today: Date) -> Option<(f64, f64, usize)> {
    level_today(record, K::Dbp, today, DBP_VISIT_SD, DBP_WALK_SHARE * SBP_WALK_SD)
}

/// Days per month, for the filter's clock: 365.25 / 12.
const DAYS_PER_MONTH: f64 = 30.4375;

/// Calibration targets and how many readings each averages.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationTargets {
    /// The targets the heart is fitted to.
    pub targets: Targets,
    /// Readings behind SBP, DBP, heart rate and LVEF.
    pub n_sbp: usize,
    /// Readings behind DBP.
    pub n_dbp: usize,
    /// Readings behind heart rate.
    pub n_heart_rate: usize,
    /// 1 when an echo LVEF is on record, else 0.
    pub n_lvef: usize,
}

/// Calibration targets from a record: means of the most recent readings, with SDs shrinking as
/// 1/√n; the latest echo LVEF where there is one; the population cardiac-output prior for this
/// body size.
///
/// # Errors
/// [`Missing`] when the record has no blood pressure or heart rate.
pub fn calibration_targets(record: &PatientRecord) -> Result<CalibrationTargets, Missing> {
    let need = |what| Missing { what, purpose: "the twin needs it" };
    let (sbp, n_sbp) = recent_mean(record, K::Sbp).ok_or_else(|| need("systolic BP"))?;
    let (dbp, n_dbp) = recent_mean(record, K::Dbp).ok_or_else(|| need("diastolic BP"))?;
    let (hr, n_heart_rate) = recent_mean(record, K::HeartRate).ok_or_else(|| need("heart rate"))?;
    let ef = record.latest(K::Lvef).map(|s| s.value);
    // The cardiac-output prior scales with body size: height from the latest weight and BMI.
    let weight = record.latest(K::Weight).map(|s| s.value);
    let bmi = record.latest(K::Bmi).map(|s| s.value);
    let bsa = match (weight, bmi) {
        (Some(w), Some(b)) if w > 0.0 && b > 0.0 => mosteller_bsa((w / b).sqrt(), w),
        _ => TYPICAL_BSA_M2,
    };
    let reduced_ef = ef.is_some_and(|e| e < 40.0) || record.has_condition(ConditionKind::HeartFailureReducedEf);
    let targets = Targets {
        heart_rate: hr,
        sbp: (sbp, SBP_VISIT_SD / (n_sbp as f64).sqrt()),
        dbp: (dbp, DBP_VISIT_SD / (n_dbp as f64).sqrt()),
        ef: ef.map(|e| (e, LVEF_SD)),
        edv: None,
        cardiac_output: Some(population_cardiac_output(bsa, reduced_ef)),
    };
    Ok(CalibrationTargets { targets, n_sbp, n_dbp, n_heart_rate, n_lvef: usize::from(ef.is_some()) })
}

/// The calibrated heart of a record.
///
/// # Errors
/// As [`calibration_targets`].
pub fn calibrate_heart(record: &PatientRecord) -> Result<(CalibrationTargets, Calibration), Missing> {
    let targets = calibration_targets(record)?;
    let calibration = calibrate(&targets.targets);
    Ok((targets, calibration))
}

/// Today's twin.
#[derive(Debug, Clone)]
pub struct Twin {
    /// What the heart was fitted to.
    pub targets: CalibrationTargets,
    /// The calibrated heart.
    pub calibration: Calibration,
    /// The equations' inputs.
    pub risk_inputs: RiskInputs,
    /// Where each input came from.
    pub input_sources: Vec<InputSource>,
    /// The event model behind the projected event risk.
    pub event_model: EventModel,
    /// The projection baseline.
    pub baseline: Baseline,
    /// What was assumed, for people to read.
    pub notes: Vec<String>,
    /// The filters behind today's BP and the response factors, for [`rebuild`].
    pub learned: Learned,
}

/// What the twin learns from the record by filtering, kept so that a grown record (a fetch
/// bringing new readings) updates it rather than relearning it: today's SBP and DBP levels
/// ([`LevelFilter`]) and the response posterior ([`ResponseFilter`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Learned {
    /// Today's SBP level; `None` without SBP readings.
    pub sbp: Option<LevelFilter>,
    /// Today's DBP level; `None` without DBP readings.
    pub dbp: Option<LevelFilter>,
    /// The BP and LDL-C response factors.
    pub responses: ResponseFilter,
}

/// How [`rebuild`] brought each filter up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recalibration {
    /// Today's SBP level.
    pub sbp: LevelUpdate,
    /// Today's DBP level.
    pub dbp: LevelUpdate,
    /// The response factors.
    pub responses: LevelUpdate,
}

impl Learned {
    /// Everything learned from `record` from scratch.
    pub fn over(record: &PatientRecord) -> Learned {
        Learned {
            sbp: LevelFilter::over(record, K::Sbp, SBP_VISIT_SD, SBP_WALK_SD),
            dbp: LevelFilter::over(record, K::Dbp, DBP_VISIT_SD, DBP_WALK_SHARE * SBP_WALK_SD),
            responses: ResponseFilter::over(record),
        }
    }

    /// What is learned from `record`, the same patient's record grown since: each filter
    /// updated incrementally where that is exact, else from scratch.
    pub fn updated(&self, record: &PatientRecord) -> (Learned, Recalibration) {
        let level = |held: &Option<LevelFilter>, kind: K, visit_sd: f64, walk_sd: f64| match held {
            Some(filter) => filter.updated(record).map_or((None, LevelUpdate::FromScratch), |(f, how)| (Some(f), how)),
            None => (LevelFilter::over(record, kind, visit_sd, walk_sd), LevelUpdate::FromScratch),
        };
        let (sbp, sbp_how) = level(&self.sbp, K::Sbp, SBP_VISIT_SD, SBP_WALK_SD);
        let (dbp, dbp_how) = level(&self.dbp, K::Dbp, DBP_VISIT_SD, DBP_WALK_SHARE * SBP_WALK_SD);
        let (responses, responses_how) = self.responses.updated(record);
        (Learned { sbp, dbp, responses }, Recalibration { sbp: sbp_how, dbp: dbp_how, responses: responses_how })
    }
}

/// Builds today's twin of `record` on `today`, with event hazards for `years` years.
///
/// # Errors
/// [`Missing`] naming what the record lacks (BP, heart rate, lipids, birth date, sex).
pub fn build(record: &PatientRecord, today: Date, context: Context, years: u32) -> Result<Twin, Missing> {
    assemble(record, today, context, years, Learned::over(record))
}

/// Today's twin of `record`, the same patient's record grown since `previous` was learned (a
/// fetch brought new readings): the filters are updated rather than rerun where that is exact
/// ([`Learned::updated`]), and the twin is the one [`build`] gives.
///
/// # Errors
/// As [`build`].
pub fn rebuild(
    record: &PatientRecord,
    today: Date,
    context: Context,
    years: u32,
    previous: &Learned,
) -> Result<(Twin, Recalibration), Missing> {
    let (learned, how) = previous.updated(record);
    Ok((assemble(record, today, context, years, learned)?, how))
}

fn assemble(
    record: &PatientRecord,
    today: Date,
    context: Context,
    years: u32,
    learned: Learned,
) -> Result<Twin, Missing> {
    let need = |what| Missing { what, purpose: "projections need it" };
    let (targets, calibration) = calibrate_heart(record)?;
    let age = f64::from(record.demographics.age_on(today).ok_or_else(|| need("birth date"))?);
    // Today's BP: every settled reading, weighted by how much the level has drifted since.
    let (sbp, sbp_sd, _) = learned.sbp.as_ref().map(|f| f.today(today)).ok_or_else(|| need("systolic BP"))?;
    let (dbp, dbp_sd, _) = learned.dbp.as_ref().map(|f| f.today(today)).ok_or_else(|| need("diastolic BP"))?;
    let (ldl, n_ldl) = recent_mean(record, K::LdlCholesterol).ok_or_else(|| need("LDL cholesterol"))?;
    let (hdl, n_hdl) = recent_mean(record, K::HdlCholesterol).ok_or_else(|| need("HDL cholesterol"))?;
    let weight = record.latest(K::Weight).map_or(f64::NAN, |s| s.value);
    let (inputs, input_sources) = risk_inputs(record, today, context)?;
    // Today's eGFR: the mean of the recent recorded ones, else the equations' (one reading, or
    // computed from creatinine).
    let egfr = recent_mean(record, K::Egfr).or(inputs.egfr.map(|e| (e, 1)));
    let mut notes = Vec::new();
    let lvef = match record.latest(K::Lvef) {
        Some(s) => s.value,
        None => {
            notes.push("no echo LVEF on record: the LVEF used is the calibrated heart model's estimate".to_string());
            calibration.hemodynamics.ejection_fraction
        }
    };
    // EF and SV sensitivities to afterload, arterial compliance and heart rate at today's
    // calibration, by a 5% bump of each.
    let p = calibration.params;
    let base_ef = calibration.hemodynamics.ejection_fraction;
    let base_sv = calibration.hemodynamics.stroke_volume;
    let config = SolverConfig { steps_per_beat: 250, ..SolverConfig::default() };
    let start = Some(calibration.hemodynamics.onset_state);
    let bump = 1.05_f64;
    let bumped = |q: HeartParams| {
        let h = beat(&q, &config, start);
        ((h.ejection_fraction - base_ef) / bump.ln(), (h.stroke_volume - base_sv) / bump.ln())
    };
    let (ef_per_log_map, sv_per_log_map) = bumped(HeartParams { resistance: p.resistance * bump, ..p });
    let (ef_per_log_compliance, sv_per_log_compliance) = bumped(HeartParams { compliance: p.compliance * bump, ..p });
    let (ef_per_log_heart_rate, sv_per_log_heart_rate) = bumped(HeartParams { heart_rate: p.heart_rate * bump, ..p });
    let ((bp_response, bp_bounded), (ldl_response, ldl_bounded)) = learned.responses.responses();
    for (bounded, which, belief) in [(bp_bounded, "BP", &bp_response), (ldl_bounded, "LDL-C", &ldl_response)] {
        if bounded {
            notes.push(format!(
                "the {which} response learned from this record lay outside {:.1}–{:.1}× the trial effect and was held at {:.2}",
                crate::progression::response::RHO_BOUNDS.0,
                crate::progression::response::RHO_BOUNDS.1,
                belief.mean
            ));
        }
    }
    let (event_model, heart_failure) = if has_heart_failure(record) {
        match maggic_inputs(record, today) {
            Ok(Some(x)) => heart_failure_model(Ok(x)),
            Ok(None) => (annual_hazards(&inputs, true, years), None),
            Err(reason) => heart_failure_model(Err(reason)),
        }
    } else {
        (annual_hazards(&inputs, false, years), None)
    };
    notes.extend(primary_prevention_caveat(record));
    // No event equation the twin uses includes atrial fibrillation: its stroke risk is named,
    // not projected (CHA₂DS₂-VA on the risk screen stands for it).
    if crate::risk::af::atrial_fibrillation(record).is_some() {
        notes.push(
            "atrial fibrillation is on record: its stroke risk is not in the projected event risk (no equation the \
             twin uses includes it); CHA₂DS₂-VA on the risk screen stands for it"
                .to_string(),
        );
    }
    notes.extend(event_model.notes.iter().cloned());
    let baseline = Baseline {
        age,
        female: inputs.sex == crate::record::Sex::Female,
        sbp: (sbp, sbp_sd),
        dbp: (dbp, dbp_sd),
        heart_rate: calibration.params.heart_rate,
        ldl: (ldl, LDL_CV * ldl / (n_ldl as f64).sqrt()),
        hdl,
        weight,
        egfr: egfr.map(|(e, _)| e),
        lvef,
        ef_per_log_map,
        ef_per_log_compliance,
        ef_per_log_heart_rate,
        stroke_volume: base_sv,
        sv_per_log_map,
        sv_per_log_compliance,
        sv_per_log_heart_rate,
        smoker: inputs.smoker,
        smoking_log_hr: prevent::smoking_coefficient(inputs.sex),
        current_drugs: record.active_medications(today).filter_map(current_drug).collect(),
        bp_response,
        ldl_response,
        annual_hazard: event_model.annual_hazard.clone(),
        heart_failure,
        spread: Spread {
            heart_rate: HEART_RATE_VISIT_SD / (targets.n_heart_rate.max(1) as f64).sqrt(),
            hdl_cv: HDL_CV / (n_hdl as f64).sqrt(),
            weight: WEIGHT_SD,
            egfr_cv: EGFR_CV / (egfr.map_or(1, |(_, n)| n) as f64).sqrt(),
            lvef: if record.latest(K::Lvef).is_some() { LVEF_SD } else { LVEF_WITHOUT_ECHO_SD },
        },
    };
    Ok(Twin { targets, calibration, risk_inputs: inputs, input_sources, event_model, baseline, notes, learned })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Sample, Sex, Source};
    use crate::suggest::safety::testing::{Rec, TODAY};

    fn patient(n_visits: i64) -> PatientRecord {
        let mut r = Rec::new(62, Sex::Female)
            .lab(K::LdlCholesterol, 3.4)
            .lab(K::HdlCholesterol, 1.3)
            .lab(K::TotalCholesterol, 5.6)
            .reading(K::HeartRate, 72.0, 30)
            .build();
        for visit in 0..n_visits {
            let date = TODAY - time::Duration::days(600 - 30 * visit);
            let source = Source { resource: format!("Observation/bp{visit}") };
            let wobble = [2.0, -3.0, 1.0, 0.0][visit as usize % 4];
            r.push_sample(K::Sbp, Sample { date, value: 146.0 + wobble, source: source.clone() });
            r.push_sample(K::Dbp, Sample { date, value: 88.0 - wobble, source });
        }
        r
    }

    /// A fetch brought three more visits: the twin rebuilt from what it learned before is the
    /// twin built from scratch, with the BP filters updated by the new readings alone.
    #[test]
    fn a_rebuilt_twin_is_the_twin_built_from_scratch() {
        let before = build(&patient(17), TODAY, Context::default(), 10).unwrap();
        let grown = patient(20);
        let (rebuilt, how) = rebuild(&grown, TODAY, Context::default(), 10, &before.learned).unwrap();
        assert_eq!(how.sbp, LevelUpdate::Incremental { n_new: 3 });
        assert_eq!(how.dbp, LevelUpdate::Incremental { n_new: 3 });
        assert_eq!(how.responses, LevelUpdate::Incremental { n_new: 0 });
        let scratch = build(&grown, TODAY, Context::default(), 10).unwrap();
        assert_eq!(rebuilt.learned, scratch.learned);
        let (a, b) = (&rebuilt.baseline, &scratch.baseline);
        for (x, y) in [(a.sbp, b.sbp), (a.dbp, b.dbp)] {
            assert!((x.0 - y.0).abs() < 1e-9 && (x.1 - y.1).abs() < 1e-9, "{x:?} vs {y:?}");
        }
        assert_eq!((a.bp_response, a.ldl_response), (b.bp_response, b.ldl_response));
        assert_ne!(before.baseline.sbp, b.sbp, "the new readings moved today's BP");
    }
}
