//! Home blood pressure: self-measured readings, kept apart from the office series.
//!
//! Home readings run lower than office readings for the same patient (no white-coat effect), so
//! the guidelines judge them against their own threshold, 135/85 mmHg, not the office 140/90.
//! They are therefore never pushed into [`crate::record::MeasurementKind::Sbp`] /
//! [`crate::record::MeasurementKind::Dbp`], the office series the twin calibrates on and the risk
//! equations read (those were derived from office readings): they live in
//! [`crate::record::PatientRecord::home_bp`], and enter the consultation as the protocol mean
//! ([`protocol_mean`]) shown beside the office BP with its own verdict ([`HomeBpVerdict`]).
//!
//! # The protocol
//! The latest monitoring week: the seven calendar days ending on the day of the latest reading
//! (on or before the consultation day). The first day with readings in that week is dropped
//! (first-day readings run higher: about 2.8/1.4 mmHg in pooled European data), and the
//! mean of every remaining reading is taken, provided at least [`MIN_DAYS`] days remain.
//! Readings before noon count as morning, the rest as evening; both are reported so the clinician
//! sees whether the schedule was followed.
//!
//! # References
//! - McEvoy JW et al. 2024 ESC Guidelines for the management of elevated blood pressure and
//!   hypertension. Eur Heart J 2024;45:3912–4018, section 5 (home BP: hypertension at a mean of
//!   135/85 mmHg or more; 3 days at least, preferably 6–7, morning and evening, two readings each).
//! - Stergiou GS et al. 2021 European Society of Hypertension practice guidelines for office and
//!   out-of-office blood pressure measurement. J Hypertens 2021;39:1293–1302 (7 days, duplicate
//!   morning and evening readings, first day discarded; 12 readings at least).
//! - Parati G et al. Home blood pressure monitoring: methodology, clinical relevance and practical
//!   application (ESH position paper). J Hypertens 2021;39:1742–1767, doi:10.1097/HJH.0000000000002922.
//! - Stergiou GS's group (Kollias A, Ntineri A et al.), optimal schedule for home blood pressure
//!   monitoring, J Hypertens: pooled data of 2122 adults from Finland, Greece and the UK; day 1
//!   higher by about 2.8/1.4 mmHg, a plateau after day 3.

use std::fmt;

use time::{Date, Duration};

pub use crate::record::HomeBpReading;

/// Home BP at or above which hypertension is diagnosed (and treatment has not reached target),
/// systolic, mmHg: ESC 2024 section 5 (see the module's references).
pub const HOME_THRESHOLD_SBP: f64 = 135.0;
/// Home BP threshold, diastolic, mmHg: ESC 2024 section 5.
pub const HOME_THRESHOLD_DBP: f64 = 85.0;
/// Days of readings needed after the first is dropped: ESC 2024 ("at least 3 days").
pub const MIN_DAYS: usize = 3;
/// The monitoring week, in calendar days: ESC 2024 and ESH 2021 ("preferably 7 days").
pub const PROTOCOL_DAYS: i64 = 7;

/// Whether the home mean reaches the home threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeBpVerdict {
    /// Systolic ≥ 135 or diastolic ≥ 85 mmHg: raised at home (ESC 2024).
    AtOrAboveThreshold,
    /// Below 135/85 mmHg.
    BelowThreshold,
}

impl HomeBpVerdict {
    /// The verdict for a mean, against [`HOME_THRESHOLD_SBP`] / [`HOME_THRESHOLD_DBP`].
    pub fn of(systolic: f64, diastolic: f64) -> Self {
        if systolic >= HOME_THRESHOLD_SBP || diastolic >= HOME_THRESHOLD_DBP {
            HomeBpVerdict::AtOrAboveThreshold
        } else {
            HomeBpVerdict::BelowThreshold
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            HomeBpVerdict::AtOrAboveThreshold => "at or above the home threshold 135/85",
            HomeBpVerdict::BelowThreshold => "below the home threshold 135/85",
        }
    }
}

/// The protocol mean of the latest monitoring week.
#[derive(Debug, Clone, PartialEq)]
pub struct HomeBpMean {
    /// Mean systolic, mmHg.
    pub systolic: f64,
    /// Mean diastolic, mmHg.
    pub diastolic: f64,
    /// Standard deviation of the systolic readings averaged, mmHg (the spread the mean hides).
    pub systolic_sd: f64,
    /// Days averaged (the first day dropped).
    pub n_days: usize,
    /// Readings averaged.
    pub n_readings: usize,
    /// Of those, taken before noon.
    pub n_morning: usize,
    /// Of those, taken at or after noon.
    pub n_evening: usize,
    /// The day dropped (the first of the week).
    pub dropped_day: Date,
    /// First day averaged.
    pub first_day: Date,
    /// Last day averaged.
    pub last_day: Date,
    /// Against 135/85.
    pub verdict: HomeBpVerdict,
}

/// Why there is no protocol mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoHomeMean {
    /// No home readings on or before the day.
    NoReadings,
    /// Fewer than [`MIN_DAYS`] days left once the first was dropped.
    TooFewDays {
        /// Days with readings in the latest week, the first included.
        n_days_with_readings: usize,
    },
}

impl fmt::Display for NoHomeMean {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoHomeMean::NoReadings => f.write_str("no home readings"),
            NoHomeMean::TooFewDays { n_days_with_readings } => write!(
                f,
                "{n_days_with_readings} day(s) of home readings in the latest week; the protocol drops the \
                 first and needs {MIN_DAYS} more (ESC 2024: at least 3 days, preferably 7, morning and evening)"
            ),
        }
    }
}

/// The protocol mean of `readings` as of `today` (see the module docs for the rule).
///
/// # Errors
/// [`NoHomeMean`] with the reason when there are no readings or too few days.
pub fn protocol_mean(readings: &[HomeBpReading], today: Date) -> Result<HomeBpMean, NoHomeMean> {
    let last_day = readings.iter().map(|r| r.date).filter(|d| *d <= today).max().ok_or(NoHomeMean::NoReadings)?;
    let week_start = last_day - Duration::days(PROTOCOL_DAYS - 1);
    let in_week: Vec<&HomeBpReading> = readings.iter().filter(|r| r.date >= week_start && r.date <= last_day).collect();
    let mut days: Vec<Date> = in_week.iter().map(|r| r.date).collect();
    days.sort_unstable();
    days.dedup();
    let dropped_day = days[0];
    if days.len() - 1 < MIN_DAYS {
        return Err(NoHomeMean::TooFewDays { n_days_with_readings: days.len() });
    }
    let kept: Vec<&HomeBpReading> = in_week.into_iter().filter(|r| r.date != dropped_day).collect();
    let n = kept.len() as f64;
    let systolic = kept.iter().map(|r| r.systolic).sum::<f64>() / n;
    let diastolic = kept.iter().map(|r| r.diastolic).sum::<f64>() / n;
    let systolic_sd = (kept.iter().map(|r| (r.systolic - systolic).powi(2)).sum::<f64>() / n).sqrt();
    Ok(HomeBpMean {
        systolic,
        diastolic,
        systolic_sd,
        n_days: days.len() - 1,
        n_readings: kept.len(),
        n_morning: kept.iter().filter(|r| r.is_morning() == Some(true)).count(),
        n_evening: kept.iter().filter(|r| r.is_morning() == Some(false)).count(),
        dropped_day,
        first_day: days[1],
        last_day,
        verdict: HomeBpVerdict::of(systolic, diastolic),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Source;
    use time::macros::{date, time};
    use time::Time;

    fn reading(date: Date, time: Time, systolic: f64, diastolic: f64) -> HomeBpReading {
        HomeBpReading {
            date,
            time: Some(time),
            systolic,
            diastolic,
            device: Some("Omron M3".into()),
            source: Source { resource: "Observation/h".into() },
        }
    }

    /// A week of duplicate morning and evening readings; day 1 reads 20 mmHg higher.
    fn week(start: Date, systolic: f64, diastolic: f64) -> Vec<HomeBpReading> {
        let mut out = Vec::new();
        for day_idx in 0..7 {
            let day = start + Duration::days(day_idx);
            let extra = if day_idx == 0 { 20.0 } else { 0.0 };
            for t in [time!(7:00), time!(7:02), time!(21:00), time!(21:02)] {
                out.push(reading(day, t, systolic + extra, diastolic + extra));
            }
        }
        out
    }

    #[test]
    fn the_first_day_is_dropped_and_the_rest_averaged() {
        let readings = week(date!(2026 - 11 - 20), 130.0, 80.0);
        let mean = protocol_mean(&readings, date!(2026 - 12 - 01)).unwrap();
        assert_eq!((mean.systolic, mean.diastolic), (130.0, 80.0), "day 1's 150/100 must not count");
        assert_eq!((mean.n_days, mean.n_readings, mean.n_morning, mean.n_evening), (6, 24, 12, 12));
        assert_eq!(mean.dropped_day, date!(2026 - 11 - 20));
        assert_eq!((mean.first_day, mean.last_day), (date!(2026 - 11 - 21), date!(2026 - 11 - 26)));
        assert_eq!(mean.verdict, HomeBpVerdict::BelowThreshold);
    }

    #[test]
    fn only_the_latest_week_counts_and_nothing_after_today() {
        let mut readings = week(date!(2026 - 10 - 01), 160.0, 100.0);
        readings.extend(week(date!(2026 - 11 - 20), 128.0, 78.0));
        readings.extend(week(date!(2026 - 12 - 10), 170.0, 105.0));
        let mean = protocol_mean(&readings, date!(2026 - 12 - 01)).unwrap();
        assert_eq!((mean.systolic, mean.diastolic), (128.0, 78.0));
    }

    #[test]
    fn too_few_days_give_no_mean_and_say_why() {
        let readings: Vec<_> =
            week(date!(2026 - 11 - 20), 130.0, 80.0).into_iter().filter(|r| r.date <= date!(2026 - 11 - 22)).collect();
        let err = protocol_mean(&readings, date!(2026 - 12 - 01)).unwrap_err();
        assert_eq!(err, NoHomeMean::TooFewDays { n_days_with_readings: 3 });
        assert!(err.to_string().contains("at least 3 days"), "{err}");
        assert_eq!(protocol_mean(&[], date!(2026 - 12 - 01)), Err(NoHomeMean::NoReadings));
    }

    #[test]
    fn the_verdict_uses_135_85_not_the_office_140_90() {
        assert_eq!(HomeBpVerdict::of(138.0, 80.0), HomeBpVerdict::AtOrAboveThreshold);
        assert_eq!(HomeBpVerdict::of(130.0, 86.0), HomeBpVerdict::AtOrAboveThreshold);
        assert_eq!(HomeBpVerdict::of(135.0, 70.0), HomeBpVerdict::AtOrAboveThreshold);
        assert_eq!(HomeBpVerdict::of(134.0, 84.0), HomeBpVerdict::BelowThreshold);
        let mean = protocol_mean(&week(date!(2026 - 11 - 20), 137.0, 82.0), date!(2026 - 12 - 01)).unwrap();
        assert_eq!(mean.verdict, HomeBpVerdict::AtOrAboveThreshold, "137/82 is raised at home though below 140/90");
    }

    #[test]
    fn readings_without_a_time_are_averaged_but_not_called_morning_or_evening() {
        let mut readings = week(date!(2026 - 11 - 20), 130.0, 80.0);
        for r in &mut readings {
            r.time = None;
        }
        let mean = protocol_mean(&readings, date!(2026 - 12 - 01)).unwrap();
        assert_eq!((mean.n_readings, mean.n_morning, mean.n_evening), (24, 0, 0));
    }
}
