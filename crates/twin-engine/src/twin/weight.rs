//! Body-weight trend for heart-failure self-care: the change over the last week and month, and a
//! flag for a rapid gain (fluid retention before symptoms).
//!
//! # Source
//! The ESC 2021 heart-failure guideline's patient education on self-care asks patients to weigh
//! themselves daily and to act on "sudden unexpected weight gain of more than 2 kg in 3 days"
//! (McDonagh TA et al. 2021 ESC Guidelines for the diagnosis and treatment of acute and chronic
//! heart failure. Eur Heart J 2021;42:3599–3726, the table of self-care topics). A scale reads to
//! 0.1 kg, so a gain of 2.0 kg within 3 days is flagged here ([`RAPID_GAIN_KG`],
//! [`RAPID_GAIN_DAYS`]). The windows' tolerances below are ours.

use time::{Date, Duration};

use crate::record::{MeasurementKind, PatientRecord, Sample};

/// A gain of at least this many kg within [`RAPID_GAIN_DAYS`] is flagged (ESC HF 2021 self-care).
pub const RAPID_GAIN_KG: f64 = 2.0;
/// The span, days, within which a [`RAPID_GAIN_KG`] gain is flagged.
pub const RAPID_GAIN_DAYS: i64 = 3;
/// The latest reading must be at most this many days before the day asked about; an older one
/// says nothing of this week (ours).
pub const MAX_LATEST_AGE_DAYS: i64 = 7;

/// A window's change is measured from the reading nearest to `days` before the latest, accepted
/// within `tolerance` days of that (ours: 5–9 days for a week, 23–37 for a month).
const WINDOWS: [(i64, i64); 2] = [(7, 2), (30, 7)];

/// A rise of body weight within [`RAPID_GAIN_DAYS`].
#[derive(Debug, Clone, PartialEq)]
pub struct RapidGain {
    /// The lower reading's day.
    pub from: Date,
    /// The higher reading's day.
    pub to: Date,
    /// The rise, kg.
    pub kg: f64,
}

/// The weight trend on a day.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightTrend {
    /// The latest reading on or before the day: its date and value, kg.
    pub latest: (Date, f64),
    /// Change over about 7 days, kg (latest minus the reading nearest a week before); `None`
    /// when no reading lies 5–9 days before the latest.
    pub change_7d: Option<f64>,
    /// Change over about 30 days, kg; `None` when no reading lies 23–37 days before the latest.
    pub change_30d: Option<f64>,
    /// The largest rise of at least [`RAPID_GAIN_KG`] within [`RAPID_GAIN_DAYS`] whose later
    /// reading falls in the 7 days up to the latest (the most recent of equal rises); `None`
    /// when there is none.
    pub rapid_gain: Option<RapidGain>,
}

impl WeightTrend {
    /// Whether the trend calls for the self-care action (a rapid gain).
    pub fn flagged(&self) -> bool {
        self.rapid_gain.is_some()
    }
}

/// The weight trend of `record` on `today`, from its weight readings on or before `today`.
///
/// `None` when the readings are too sparse to say: no reading in the [`MAX_LATEST_AGE_DAYS`]
/// before `today`, or none a week or a month before the latest and no rapid gain between recent
/// readings (clinic visits months apart give no trend; daily home weights do).
pub fn weight_trend(record: &PatientRecord, today: Date) -> Option<WeightTrend> {
    let readings: Vec<&Sample> = record.series(MeasurementKind::Weight).iter().filter(|s| s.date <= today).collect();
    let latest = *readings.last()?;
    if (today - latest.date).whole_days() > MAX_LATEST_AGE_DAYS {
        return None;
    }
    let change = |(days, tolerance): (i64, i64)| {
        let target = latest.date - Duration::days(days);
        readings
            .iter()
            .filter(|s| (s.date - target).whole_days().abs() <= tolerance)
            .min_by_key(|s| (s.date - target).whole_days().abs())
            .map(|s| latest.value - s.value)
    };
    let (change_7d, change_30d) = (change(WINDOWS[0]), change(WINDOWS[1]));
    let week_start = latest.date - Duration::days(MAX_LATEST_AGE_DAYS);
    let mut rapid_gain: Option<RapidGain> = None;
    for later in readings.iter().filter(|s| s.date >= week_start) {
        for earlier in readings.iter().filter(|s| s.date < later.date) {
            let gap = (later.date - earlier.date).whole_days();
            let kg = later.value - earlier.value;
            // A hair under 2.0 from floating-point subtraction of readings to 0.1 kg still counts.
            if gap <= RAPID_GAIN_DAYS && kg >= RAPID_GAIN_KG - 1e-9 && rapid_gain.as_ref().is_none_or(|g| kg >= g.kg) {
                rapid_gain = Some(RapidGain { from: earlier.date, to: later.date, kg });
            }
        }
    }
    // Two readings days apart show a rapid gain even without a week's or a month's trend.
    if change_7d.is_none() && change_30d.is_none() && rapid_gain.is_none() {
        return None;
    }
    Some(WeightTrend { latest: (latest.date, latest.value), change_7d, change_30d, rapid_gain })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Demographics, Source};
    use time::macros::date;

    fn record(weights: &[(Date, f64)]) -> PatientRecord {
        let mut r = PatientRecord::new("p", Demographics { name: "T".into(), birth_date: None, sex: None });
        for (n, (date, value)) in weights.iter().enumerate() {
            let source = Source { resource: format!("Observation/w{n}") };
            r.push_sample(MeasurementKind::Weight, Sample { date: *date, value: *value, source });
        }
        r
    }

    #[test]
    fn a_gain_of_two_kg_in_three_days_is_flagged() {
        let today = date!(2026 - 03 - 31);
        let days: Vec<(Date, f64)> = (0..31)
            .map(|back| {
                let d = today - Duration::days(back);
                // Steady at 80 kg, then 82.1 kg over the last 2 days.
                (d, if back <= 1 { 82.1 } else { 80.0 })
            })
            .collect();
        let t = weight_trend(&record(&days), today).expect("daily weights");
        assert!((t.change_7d.unwrap() - 2.1).abs() < 1e-9);
        assert!((t.change_30d.unwrap() - 2.1).abs() < 1e-9);
        let gain = t.rapid_gain.as_ref().expect("flagged");
        assert!((gain.kg - 2.1).abs() < 1e-9 && gain.to == today && (gain.to - gain.from).whole_days() <= 3);
        assert!(t.flagged());
    }

    #[test]
    fn a_slow_gain_is_a_change_but_not_a_flag() {
        let today = date!(2026 - 03 - 31);
        // +0.1 kg a day for a month: 3 kg in 30 days, 0.3 kg in 3.
        let days: Vec<(Date, f64)> =
            (0..31).map(|back| (today - Duration::days(back), 83.0 - 0.1 * back as f64)).collect();
        let t = weight_trend(&record(&days), today).expect("daily weights");
        assert!((t.change_30d.unwrap() - 3.0).abs() < 1e-9);
        assert!((t.change_7d.unwrap() - 0.7).abs() < 1e-9);
        assert!(!t.flagged());
    }

    #[test]
    fn sparse_or_stale_readings_give_no_trend() {
        let today = date!(2026 - 03 - 31);
        // Clinic weights three months apart.
        let clinic = [(date!(2025 - 10 - 01), 80.0), (date!(2026 - 01 - 01), 81.0), (date!(2026 - 03 - 30), 82.0)];
        assert_eq!(weight_trend(&record(&clinic), today), None);
        // Daily weights that stopped a fortnight ago.
        let stale: Vec<(Date, f64)> = (14..45).map(|back| (today - Duration::days(back), 80.0)).collect();
        assert_eq!(weight_trend(&record(&stale), today), None);
        assert_eq!(weight_trend(&record(&[]), today), None);
        // Readings after the day asked about are not looked at.
        let later = [(date!(2026 - 03 - 24), 80.0), (date!(2026 - 03 - 31), 80.5), (date!(2026 - 04 - 02), 85.0)];
        let t = weight_trend(&record(&later), today).expect("a week apart");
        assert_eq!(t.latest, (today, 80.5));
        assert!(!t.flagged());
    }
}
