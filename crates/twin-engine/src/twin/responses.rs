//! The patient's own response to BP- and LDL-lowering drugs, learned from past drug starts.

use time::{Date, Duration};

use crate::drugs::{self, DoseLevel, DrugClass, StatinIntensity};
use crate::progression::effects::SBP_AGEING_PER_YEAR;
use crate::progression::response::Belief;
use crate::progression::{ldl_fraction, CurrentDrug};
use crate::record::{MeasurementKind as K, Medication, PatientRecord};

use super::{LDL_CV, SBP_VISIT_SD};

/// A medication as the progression model sees it: class, dose level (statins by intensity,
/// ACC/AHA 2018 Table 3) and adherence (proportion of days covered; 1 when unknown).
pub fn current_drug(m: &Medication) -> Option<CurrentDrug> {
    let class = m.class?;
    let dose = match class {
        DrugClass::Statin => {
            let intensity = m.agent.as_deref().zip(m.daily_dose_mg).and_then(|(a, mg)| drugs::statin_intensity(a, mg));
            match intensity {
                Some(StatinIntensity::Low) => DoseLevel::Half,
                Some(StatinIntensity::High) => DoseLevel::Double,
                Some(StatinIntensity::Moderate) | None => DoseLevel::Standard,
            }
        }
        _ => m.dose_level.unwrap_or(DoseLevel::Standard),
    };
    Some(CurrentDrug { class, dose, adherence: m.adherence.unwrap_or(1.0).clamp(0.0, 1.0) })
}

/// Mean of the readings in [from, to) when there are at least two, their count and the date of
/// the middle one.
fn mean_between(record: &PatientRecord, kind: K, from: Date, to: Date) -> Option<(f64, usize, Date)> {
    let v: Vec<_> = record.series(kind).iter().filter(|s| s.date >= from && s.date < to).collect();
    if v.len() < 2 {
        return None;
    }
    let mean = v.iter().map(|s| s.value).sum::<f64>() / v.len() as f64;
    let mid = v[v.len() / 2].date;
    Some((mean, v.len(), mid))
}

/// Whether another drug of the same kind (BP-lowering, or LDL-lowering) started or stopped in
/// [from, to): its readings would mix two changes, so the start teaches nothing clean.
fn other_change(
    record: &PatientRecord,
    start: &Medication,
    from: Date,
    to: Date,
    same_kind: impl Fn(DrugClass) -> bool,
) -> bool {
    record.medications.iter().filter(|m| !std::ptr::eq(*m, start) && m.class.is_some_and(&same_kind)).any(|m| {
        let within = |d: Option<Date>| d.is_some_and(|d| d >= from && d < to);
        within(m.start) || within(m.end)
    })
}

/// Learns the BP and LDL-C response factors from past drug starts (see
/// [`crate::progression::response`]): the fall from the year before a start to the year after
/// (SBP corrected for ageing drift), against the fall the published effect size predicts. Only
/// clean starts count: two readings or more on each side, and no other drug of the same kind
/// started or stopped in the window. The BP factor starts from the trial-based prior and both
/// are bounded; the second value says whether a bound was applied.
pub fn learn_responses(record: &PatientRecord) -> ((Belief, bool), (Belief, bool)) {
    let mut bp = Belief::bp_prior();
    let mut ldl = Belief::prior();
    let mut starts: Vec<&Medication> =
        record.medications.iter().filter(|m| m.start.is_some() && m.class.is_some()).collect();
    starts.sort_by_key(|m| m.start);
    for m in starts {
        let (Some(start), Some(class), Some(drug)) = (m.start, m.class, current_drug(m)) else { continue };
        let year = Duration::days(365);
        let before = (start - year, start);
        let after = (start + Duration::days(30), start + year);
        let lowers_ldl = |c: DrugClass| ldl_fraction(c, DoseLevel::Standard) > 0.0;
        if let Some((s_bp, _)) = class
            .bp_effect_standard_dose()
            .filter(|_| !other_change(record, m, before.0, after.1, DrugClass::lowers_bp))
        {
            if let (Some((b, nb, db)), Some((a, na, da))) =
                (mean_between(record, K::Sbp, before.0, before.1), mean_between(record, K::Sbp, after.0, after.1))
            {
                let drift = SBP_AGEING_PER_YEAR * (da - db).whole_days() as f64 / 365.25;
                let expected = s_bp * drug.dose.bp_effect_fraction() * drug.adherence;
                let noise = SBP_VISIT_SD.powi(2) * (1.0 / nb as f64 + 1.0 / na as f64);
                bp = bp.update(b - a + drift, expected, noise);
            }
        }
        let fraction = ldl_fraction(class, drug.dose);
        if fraction > 0.0 && !other_change(record, m, before.0 - year, after.1 + year, lowers_ldl) {
            if let (Some((b, nb, _)), Some((a, na, _))) = (
                mean_between(record, K::LdlCholesterol, before.0 - year, before.1),
                mean_between(record, K::LdlCholesterol, after.0, after.1 + year),
            ) {
                let noise = LDL_CV.powi(2) * (1.0 / nb as f64 + 1.0 / na as f64);
                ldl = ldl.update(1.0 - a / b, fraction * drug.adherence, noise);
            }
        }
    }
    (bp.bounded(), ldl.bounded())
}
