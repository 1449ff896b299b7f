//! Today's level of a drifting measure (SBP, DBP) as a filter state that new readings update: the
//! local-level Kalman filter of [`super::level_today`], kept after the last reading it folded in,
//! so that a fetch bringing new readings folds in only those (incremental recalibration) and gives
//! what a filter over the whole history gives.
//!
//! The update is taken only when it is exact: the readings the filter rests on must be the ones it
//! folded before (same days and values, checked by a fingerprint), the window after the last drug
//! change must not have moved, and every new reading must be later than the last one folded.
//! Otherwise (a back-dated or corrected reading, a drug started or stopped) the filter runs again
//! over the whole window; the answer is the same either way.

use time::Date;

use crate::record::{MeasurementKind as K, PatientRecord, Sample};

use super::{last_change, DAYS_PER_MONTH, SETTLE_DAYS};

/// The filter after its last reading, before it is widened to a consultation day.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelFilter {
    kind: K,
    visit_sd: f64,
    walk_sd: f64,
    /// The first day of the readings it rests on (six weeks after the last drug change).
    settled_from: Option<Date>,
    /// Whether no reading had settled, so it rests on every reading.
    unsettled: bool,
    level: f64,
    variance: f64,
    at: Date,
    n_readings: usize,
    fingerprint: u64,
}

/// How a filter (this one, or the response posterior's `ResponseFilter`) was brought up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Update {
    /// Only what is new was folded in.
    Incremental {
        /// Readings folded in (a response posterior: drug starts' observations).
        n_new: usize,
    },
    /// The whole window was read again (see the module docs for when).
    FromScratch,
}

/// The readings the filter rests on: those since the last drug change settled, else all.
fn pool(record: &PatientRecord, kind: K) -> (Option<Date>, bool, Vec<&Sample>) {
    let series = record.series(kind);
    let settled_from = last_change(record, kind).map(|d| d + time::Duration::days(SETTLE_DAYS));
    let settled: Vec<_> = series.iter().filter(|s| settled_from.is_none_or(|d| s.date >= d)).collect();
    if settled.is_empty() {
        (settled_from, true, series.iter().collect())
    } else {
        (settled_from, false, settled)
    }
}

/// FNV-1a over each reading's day and value: which readings a filter folded, in order.
pub(super) fn extend_fingerprint(mut hash: u64, sample: &Sample) -> u64 {
    let day = i64::from(sample.date.to_julian_day()) as u64;
    for word in [day, sample.value.to_bits()] {
        for byte in word.to_le_bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

pub(super) const FINGERPRINT_SEED: u64 = 0xcbf2_9ce4_8422_2325;

impl LevelFilter {
    /// The filter over `record`'s readings of `kind`, each with visit-to-visit SD `visit_sd`, the
    /// level drifting `walk_sd` per √month; `None` without readings.
    pub fn over(record: &PatientRecord, kind: K, visit_sd: f64, walk_sd: f64) -> Option<LevelFilter> {
        let (settled_from, unsettled, readings) = pool(record, kind);
        let (first, rest) = readings.split_first()?;
        let mut filter = LevelFilter {
            kind,
            visit_sd,
            walk_sd,
            settled_from,
            unsettled,
            level: first.value,
            variance: visit_sd * visit_sd,
            at: first.date,
            n_readings: 1,
            fingerprint: extend_fingerprint(FINGERPRINT_SEED, first),
        };
        for s in rest {
            filter.fold(s);
        }
        Some(filter)
    }

    /// One reading folded in: the level drifts from the last reading's day to this one's, then the
    /// reading pulls it by the Kalman gain.
    fn fold(&mut self, sample: &Sample) {
        let (r, q) = (self.visit_sd * self.visit_sd, self.walk_sd * self.walk_sd);
        self.variance += q * months(self.at, sample.date);
        let gain = self.variance / (self.variance + r);
        self.level += gain * (sample.value - self.level);
        self.variance *= 1.0 - gain;
        self.at = sample.date;
        self.n_readings += 1;
        self.fingerprint = extend_fingerprint(self.fingerprint, sample);
    }

    /// The filter over `record`, the same patient's record with new readings: only those folded
    /// in where that is exact, else from scratch (module docs); `None` without readings.
    pub fn updated(&self, record: &PatientRecord) -> Option<(LevelFilter, Update)> {
        let (settled_from, unsettled, readings) = pool(record, self.kind);
        let same_window = settled_from == self.settled_from && unsettled == self.unsettled;
        let folded = readings.get(..self.n_readings);
        let same_history = folded.is_some_and(|held| {
            held.iter().fold(FINGERPRINT_SEED, |h, s| extend_fingerprint(h, s)) == self.fingerprint
        });
        let new = &readings[self.n_readings.min(readings.len())..];
        if same_window && same_history && new.iter().all(|s| s.date > self.at) {
            let mut filter = self.clone();
            for s in new {
                filter.fold(s);
            }
            return Some((filter, Update::Incremental { n_new: new.len() }));
        }
        LevelFilter::over(record, self.kind, self.visit_sd, self.walk_sd).map(|f| (f, Update::FromScratch))
    }

    /// Today's level, its SD (widened by the drift since the last reading) and how many readings
    /// it rests on.
    pub fn today(&self, today: Date) -> (f64, f64, usize) {
        let variance = self.variance + self.walk_sd * self.walk_sd * months(self.at, today);
        (self.level, variance.sqrt(), self.n_readings)
    }
}

fn months(from: Date, to: Date) -> f64 {
    ((to - from).whole_days().max(0) as f64) / DAYS_PER_MONTH
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drugs::DrugClass;
    use crate::record::{Demographics, Medication, Source};
    use crate::twin::{level_today, SBP_VISIT_SD};
    use time::macros::date;

    const WALK: f64 = 1.0;

    fn record(readings: &[(Date, f64)]) -> PatientRecord {
        let demographics = Demographics { name: "Test".into(), birth_date: None, sex: None };
        let mut r = PatientRecord::new("p", demographics);
        for (i, (day, value)) in readings.iter().enumerate() {
            let source = Source { resource: format!("Observation/{i}") };
            r.push_sample(K::Sbp, Sample { date: *day, value: *value, source });
        }
        r
    }

    fn history() -> Vec<(Date, f64)> {
        (0..24).map(|m| (date!(2024 - 01 - 15) + time::Duration::days(30 * m), 150.0 - m as f64 * 0.7)).collect()
    }

    fn assert_same(a: (f64, f64, usize), b: (f64, f64, usize)) {
        assert!((a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9 && a.2 == b.2, "{a:?} vs {b:?}");
    }

    #[test]
    fn new_readings_fold_in_alone_and_give_what_the_whole_history_gives() {
        let today = date!(2026 - 12 - 01);
        let before = record(&history());
        let held = LevelFilter::over(&before, K::Sbp, SBP_VISIT_SD, WALK).unwrap();
        let mut readings = history();
        readings.extend([
            (date!(2026 - 11 - 10), 141.0),
            (date!(2026 - 11 - 20), 138.0),
            (date!(2026 - 11 - 28), 144.0),
        ]);
        let after = record(&readings);
        let (updated, how) = held.updated(&after).unwrap();
        assert_eq!(how, Update::Incremental { n_new: 3 });
        let scratch = level_today(&after, K::Sbp, today, SBP_VISIT_SD, WALK).unwrap();
        assert_same(updated.today(today), scratch);
        assert_eq!(updated, LevelFilter::over(&after, K::Sbp, SBP_VISIT_SD, WALK).unwrap());
    }

    #[test]
    fn a_back_dated_or_corrected_reading_reads_the_window_again() {
        let today = date!(2026 - 12 - 01);
        let held = LevelFilter::over(&record(&history()), K::Sbp, SBP_VISIT_SD, WALK).unwrap();
        let mut back_dated = history();
        back_dated.push((date!(2024 - 06 - 01), 170.0));
        back_dated.sort_by_key(|r| r.0);
        let mut corrected = history();
        corrected[5].1 = 120.0;
        for readings in [back_dated, corrected] {
            let after = record(&readings);
            let (updated, how) = held.updated(&after).unwrap();
            assert_eq!(how, Update::FromScratch);
            assert_same(updated.today(today), level_today(&after, K::Sbp, today, SBP_VISIT_SD, WALK).unwrap());
        }
    }

    #[test]
    fn a_drug_started_since_moves_the_window_and_reads_it_again() {
        let today = date!(2026 - 12 - 01);
        let held = LevelFilter::over(&record(&history()), K::Sbp, SBP_VISIT_SD, WALK).unwrap();
        let mut readings = history();
        readings.extend([(date!(2026 - 10 - 20), 139.0), (date!(2026 - 11 - 28), 132.0)]);
        let mut after = record(&readings);
        after.medications.push(Medication {
            class: Some(DrugClass::CalciumChannelBlocker),
            agent: Some("amlodipine".into()),
            code: String::new(),
            display: "amlodipine 5 mg".into(),
            daily_dose_mg: Some(5.0),
            dose_level: None,
            start: Some(date!(2026 - 01 - 10)),
            end: None,
            adherence: None,
            source: Source { resource: "MedicationRequest/m".into() },
        });
        let (updated, how) = held.updated(&after).unwrap();
        assert_eq!(how, Update::FromScratch);
        assert_same(updated.today(today), level_today(&after, K::Sbp, today, SBP_VISIT_SD, WALK).unwrap());
    }
}
