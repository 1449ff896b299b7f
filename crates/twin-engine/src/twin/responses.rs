//! The patient's own response to BP- and LDL-lowering drugs, learned from past drug starts.

use time::{Date, Duration};

use crate::drugs::{self, DoseLevel, DrugClass, StatinIntensity};
use crate::progression::effects::SBP_AGEING_PER_YEAR;
use crate::progression::response::Belief;
use crate::progression::{ldl_fraction, CurrentDrug};
use crate::record::{MeasurementKind as K, Medication, PatientRecord};

use super::level::{extend_fingerprint, Update, FINGERPRINT_SEED};
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

/// The response a drug start shows in one measure: the fall from the year before the start to the
/// year after (SBP corrected for ageing drift), against the fall the published effect predicts.
/// Only clean starts count: two readings or more on each side, and no other drug of the same kind
/// started or stopped in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Factor {
    /// SBP against the class's standard-dose BP effect (Law 2009), one year either side.
    Bp,
    /// LDL-C against the class's LDL-C fraction, two years either side (lipids are measured
    /// less often than BP).
    Ldl,
}

impl Factor {
    fn measure(self) -> K {
        match self {
            Factor::Bp => K::Sbp,
            Factor::Ldl => K::LdlCholesterol,
        }
    }

    fn prior(self) -> Belief {
        match self {
            Factor::Bp => Belief::bp_prior(),
            Factor::Ldl => Belief::prior(),
        }
    }

    /// The first day a start at `start` no longer reads: readings on or after it never change
    /// what that start shows.
    fn window_end(self, start: Date) -> Date {
        let year = Duration::days(365);
        match self {
            Factor::Bp => start + year,
            Factor::Ldl => start + year + year,
        }
    }

    /// `m`'s start folded into `belief`, where it is a clean observation of this factor.
    fn fold(self, record: &PatientRecord, m: &Medication, belief: Belief) -> Belief {
        let (Some(start), Some(class), Some(drug)) = (m.start, m.class, current_drug(m)) else { return belief };
        let year = Duration::days(365);
        let before = (start - year, start);
        let after = (start + Duration::days(30), start + year);
        match self {
            Factor::Bp => {
                let Some((s_bp, _)) = class
                    .bp_effect_standard_dose()
                    .filter(|_| !other_change(record, m, before.0, after.1, DrugClass::lowers_bp))
                else {
                    return belief;
                };
                let (Some((b, nb, db)), Some((a, na, da))) =
                    (mean_between(record, K::Sbp, before.0, before.1), mean_between(record, K::Sbp, after.0, after.1))
                else {
                    return belief;
                };
                let drift = SBP_AGEING_PER_YEAR * (da - db).whole_days() as f64 / 365.25;
                let expected = s_bp * drug.dose.bp_effect_fraction() * drug.adherence;
                let noise = SBP_VISIT_SD.powi(2) * (1.0 / nb as f64 + 1.0 / na as f64);
                belief.update(b - a + drift, expected, noise)
            }
            Factor::Ldl => {
                let lowers_ldl = |c: DrugClass| ldl_fraction(c, DoseLevel::Standard) > 0.0;
                let fraction = ldl_fraction(class, drug.dose);
                if fraction <= 0.0 || other_change(record, m, before.0 - year, after.1 + year, lowers_ldl) {
                    return belief;
                }
                let (Some((b, nb, _)), Some((a, na, _))) = (
                    mean_between(record, K::LdlCholesterol, before.0 - year, before.1),
                    mean_between(record, K::LdlCholesterol, after.0, after.1 + year),
                ) else {
                    return belief;
                };
                let noise = LDL_CV.powi(2) * (1.0 / nb as f64 + 1.0 / na as f64);
                belief.update(1.0 - a / b, fraction * drug.adherence, noise)
            }
        }
    }
}

/// The drug starts that may teach a response, in date order (the order they are folded in).
fn starts(record: &PatientRecord) -> Vec<&Medication> {
    let mut starts: Vec<&Medication> =
        record.medications.iter().filter(|m| m.start.is_some() && m.class.is_some()).collect();
    starts.sort_by_key(|m| m.start);
    starts
}

/// One factor's posterior, split where new readings can no longer reach: the starts whose
/// window ended by the last reading are `closed` (a later reading falls outside them), the rest
/// are folded on top each time.
#[derive(Debug, Clone, PartialEq)]
struct Track {
    factor: Factor,
    /// The last reading's day of the factor's measure when the track was built.
    seen_through: Option<Date>,
    /// Which readings those were: FNV-1a over each reading's day and value, in order.
    fingerprint: u64,
    /// Starts whose window had ended by `seen_through` (a prefix of [`starts`]).
    n_closed: usize,
    /// The posterior after the closed starts.
    closed: Belief,
    /// The posterior after every start: the factor's response now.
    now: Belief,
}

impl Track {
    /// The track over `record` from the prior.
    fn over(record: &PatientRecord, starts: &[&Medication], factor: Factor) -> Track {
        let series = record.series(factor.measure());
        let fingerprint = series.iter().fold(FINGERPRINT_SEED, extend_fingerprint);
        let held = Track {
            factor,
            seen_through: None,
            fingerprint: FINGERPRINT_SEED,
            n_closed: 0,
            closed: factor.prior(),
            now: factor.prior(),
        };
        held.fold_from(record, starts, series.last().map(|s| s.date), fingerprint)
    }

    /// This track with the starts after the closed ones folded in again, for `record` whose last
    /// reading is on `seen_through`.
    fn fold_from(
        &self,
        record: &PatientRecord,
        starts: &[&Medication],
        seen_through: Option<Date>,
        fingerprint: u64,
    ) -> Track {
        let closes = |m: &&&Medication| {
            let end = m.start.map(|d| self.factor.window_end(d));
            end.zip(seen_through).is_some_and(|(end, last)| last.next_day().is_none_or(|after| end <= after))
        };
        let rest = &starts[self.n_closed.min(starts.len())..];
        let n_newly_closed = rest.iter().take_while(closes).count();
        let (newly_closed, open) = rest.split_at(n_newly_closed);
        let closed = newly_closed.iter().fold(self.closed, |b, m| self.factor.fold(record, m, b));
        let now = open.iter().fold(closed, |b, m| self.factor.fold(record, m, b));
        Track { factor: self.factor, seen_through, fingerprint, n_closed: self.n_closed + n_newly_closed, closed, now }
    }

    /// The track over `record` with only the open starts folded again, `None` when that would
    /// not be exact: a reading on or before the last one seen was added, removed or changed.
    fn updated(&self, record: &PatientRecord, starts: &[&Medication]) -> Option<Track> {
        let series = record.series(self.factor.measure());
        let n_seen = self.seen_through.map_or(0, |last| series.partition_point(|s| s.date <= last));
        let (seen, new) = series.split_at(n_seen);
        if seen.iter().fold(FINGERPRINT_SEED, extend_fingerprint) != self.fingerprint {
            return None;
        }
        let fingerprint = new.iter().fold(self.fingerprint, extend_fingerprint);
        Some(self.fold_from(record, starts, series.last().map(|s| s.date), fingerprint))
    }
}

/// The patient's BP and LDL-C response factors (see [`crate::progression::response`]), kept so
/// that new readings update them incrementally, as [`super::LevelFilter`] does today's BP.
///
/// A start's evidence reads the readings in a window around it, so a start is folded into the
/// held posterior once its window has ended before the last reading; a later reading cannot reach
/// it, and an update folds only the starts still open. The update is exact or not taken: when the
/// medications changed (a start, stop, dose or adherence) or a reading on or before the last one
/// seen arrived (back-dated or corrected), the posterior is computed again from the prior; the
/// answer is the same either way.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseFilter {
    /// The medications the posterior was learned from.
    medications: Vec<Medication>,
    bp: Track,
    ldl: Track,
}

impl ResponseFilter {
    /// The response factors learned from `record` from the priors.
    pub fn over(record: &PatientRecord) -> ResponseFilter {
        let starts = starts(record);
        ResponseFilter {
            medications: record.medications.clone(),
            bp: Track::over(record, &starts, Factor::Bp),
            ldl: Track::over(record, &starts, Factor::Ldl),
        }
    }

    /// The factors for `record`, the same patient's record grown since: only the starts whose
    /// window is still open folded onto the held posterior where that is exact, else from the
    /// priors (see the type's docs). `n_new` counts the observations folded in.
    pub fn updated(&self, record: &PatientRecord) -> (ResponseFilter, Update) {
        if record.medications == self.medications {
            let starts = starts(record);
            if let (Some(bp), Some(ldl)) = (self.bp.updated(record, &starts), self.ldl.updated(record, &starts)) {
                let n_new =
                    (bp.now.n_updates - self.bp.closed.n_updates) + (ldl.now.n_updates - self.ldl.closed.n_updates);
                let filter = ResponseFilter { medications: self.medications.clone(), bp, ldl };
                return (filter, Update::Incremental { n_new });
            }
        }
        (ResponseFilter::over(record), Update::FromScratch)
    }

    /// The BP and LDL-C beliefs, each bounded to [`crate::progression::response::RHO_BOUNDS`];
    /// the second value says whether a bound was applied.
    pub fn responses(&self) -> ((Belief, bool), (Belief, bool)) {
        (self.bp.now.bounded(), self.ldl.now.bounded())
    }
}

/// Learns the BP and LDL-C response factors from past drug starts (see
/// [`crate::progression::response`]): the fall from the year before a start to the year after
/// (SBP corrected for ageing drift), against the fall the published effect size predicts. Only
/// clean starts count: two readings or more on each side, and no other drug of the same kind
/// started or stopped in the window. The BP factor starts from the trial-based prior and both
/// are bounded; the second value says whether a bound was applied.
pub fn learn_responses(record: &PatientRecord) -> ((Belief, bool), (Belief, bool)) {
    ResponseFilter::over(record).responses()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Demographics, Sample, Source};
    use time::macros::date;

    fn drug(class: DrugClass, agent: &str, mg: f64, start: Date) -> Medication {
        Medication {
            class: Some(class),
            agent: Some(agent.into()),
            code: String::new(),
            display: format!("{agent} {mg} mg"),
            daily_dose_mg: Some(mg),
            dose_level: None,
            start: Some(start),
            end: None,
            adherence: None,
            source: Source { resource: format!("MedicationRequest/{agent}") },
        }
    }

    fn reading(record: &mut PatientRecord, kind: K, date: Date, value: f64) {
        let n = record.series(kind).len();
        record
            .push_sample(kind, Sample { date, value, source: Source { resource: format!("Observation/{kind:?}{n}") } });
    }

    /// Amlodipine from March 2023 (SBP falls 9 mmHg), atorvastatin 40 mg from June 2023 (LDL-C
    /// falls 45%), ramipril from March 2026 (SBP falls 6 more): monthly SBP and quarterly LDL-C
    /// through `last`. By then the first two starts' windows have ended; ramipril's has not.
    fn record_through(last: Date) -> PatientRecord {
        let demographics = Demographics { name: "Test".into(), birth_date: None, sex: None };
        let mut r = PatientRecord::new("p", demographics);
        r.medications.push(drug(DrugClass::CalciumChannelBlocker, "amlodipine", 5.0, date!(2023 - 03 - 01)));
        r.medications.push(drug(DrugClass::Statin, "atorvastatin", 40.0, date!(2023 - 06 - 01)));
        r.medications.push(drug(DrugClass::AceInhibitor, "ramipril", 5.0, date!(2026 - 03 - 01)));
        let mut day = date!(2021 - 06 - 05);
        let mut month = 0;
        while day <= last {
            let wobble = [1.5, -2.0, 0.5, 2.5, -1.0][month % 5];
            let sbp = 152.0
                - if day > date!(2023 - 03 - 01) { 9.0 } else { 0.0 }
                - if day > date!(2026 - 03 - 01) { 6.0 } else { 0.0 };
            reading(&mut r, K::Sbp, day, sbp + wobble);
            if month % 3 == 0 {
                let ldl = if day > date!(2023 - 06 - 01) { 2.2 } else { 4.0 };
                reading(&mut r, K::LdlCholesterol, day, ldl + wobble * 0.05);
            }
            day += Duration::days(30);
            month += 1;
        }
        r
    }

    fn assert_same(a: &ResponseFilter, b: &ResponseFilter) {
        let ((a_bp, _), (a_ldl, _)) = a.responses();
        let ((b_bp, _), (b_ldl, _)) = b.responses();
        for (x, y) in [(a_bp, b_bp), (a_ldl, b_ldl)] {
            assert!((x.mean - y.mean).abs() < 1e-9 && (x.variance - y.variance).abs() < 1e-9, "{x:?} vs {y:?}");
            assert_eq!(x.n_updates, y.n_updates);
        }
    }

    #[test]
    fn new_readings_fold_in_only_the_open_starts_and_give_what_the_prior_gives() {
        let held = ResponseFilter::over(&record_through(date!(2026 - 09 - 30)));
        let ((bp, _), (ldl, _)) = held.responses();
        assert_eq!((bp.n_updates, ldl.n_updates), (2, 1), "amlodipine and ramipril teach BP, atorvastatin LDL-C");
        let grown = record_through(date!(2026 - 11 - 30));
        assert!(grown.series(K::Sbp).len() > record_through(date!(2026 - 09 - 30)).series(K::Sbp).len());
        let (updated, how) = held.updated(&grown);
        // Only ramipril's window is open: its observation alone is folded again.
        assert_eq!(how, Update::Incremental { n_new: 1 });
        let scratch = ResponseFilter::over(&grown);
        assert_same(&updated, &scratch);
        assert_eq!(updated, scratch, "the held state is the one from the prior, too");
        assert_eq!(learn_responses(&grown), scratch.responses());
        assert_ne!(updated.responses().0 .0, bp, "the new readings moved the BP response");
    }

    #[test]
    fn a_back_dated_or_corrected_reading_starts_again_from_the_prior() {
        let held = ResponseFilter::over(&record_through(date!(2026 - 09 - 30)));
        let mut back_dated = record_through(date!(2026 - 11 - 30));
        reading(&mut back_dated, K::Sbp, date!(2023 - 08 - 20), 120.0);
        let mut corrected = record_through(date!(2026 - 11 - 30));
        corrected.measurements.get_mut(&K::LdlCholesterol).unwrap()[2].value = 5.0;
        for record in [back_dated, corrected] {
            let (updated, how) = held.updated(&record);
            assert_eq!(how, Update::FromScratch);
            assert_same(&updated, &ResponseFilter::over(&record));
        }
    }

    #[test]
    fn a_changed_medication_starts_again_from_the_prior() {
        let held = ResponseFilter::over(&record_through(date!(2026 - 09 - 30)));
        let mut new_drug = record_through(date!(2026 - 11 - 30));
        new_drug.medications.push(drug(DrugClass::Thiazide, "indapamide", 1.5, date!(2026 - 11 - 01)));
        let mut new_dose = record_through(date!(2026 - 11 - 30));
        new_dose.medications[0].adherence = Some(0.6);
        for record in [new_drug, new_dose] {
            let (updated, how) = held.updated(&record);
            assert_eq!(how, Update::FromScratch);
            assert_same(&updated, &ResponseFilter::over(&record));
        }
    }

    #[test]
    fn nothing_new_changes_nothing() {
        let record = record_through(date!(2026 - 09 - 30));
        let held = ResponseFilter::over(&record);
        let (updated, how) = held.updated(&record);
        assert_eq!(how, Update::Incremental { n_new: 1 });
        assert_eq!(updated, held);
    }
}
