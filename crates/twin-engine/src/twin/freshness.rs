//! How old the readings behind today's twin are: each input the twin uses, the date of its latest
//! reading, its age on the consultation day, and whether it is older than the limit for its kind
//! of measurement, with what to re-measure. Also the date the calibration reaches: the latest
//! blood pressure, heart rate or echo reading it was fitted to.
//!
//! The engine has no clock: the consultation day is always given (`today`).

use time::{Date, Month};

use crate::home_bp::HomeBpMean;
use crate::record::{MeasurementKind as K, PatientRecord};

use super::months_after;

/// Default age limit of blood pressure (and of the heart rate taken with it), months: the
/// issue's choice (issue 26, item 3). It is the window of the ESC/ESH hypertension guideline's
/// follow-up, which asks for visits at least monthly in the first 3 months after treatment is
/// started and, once BP is controlled, allows yearly visits (Williams B et al., 2018 ESC/ESH
/// Guidelines for the management of arterial hypertension, Eur Heart J 2018;39:3021-3104,
/// patient follow-up); for a controlled patient 3 months is therefore stricter than the
/// guideline. The 2024 ESC guideline (McEvoy JW et al., Eur Heart J 2024;45:3912-4018) was not
/// checked for a different interval.
pub const BLOOD_PRESSURE_LIMIT_MONTHS: u32 = 3;
/// Default age limit of a lipid profile (total, LDL and HDL cholesterol), months: the 2019
/// ESC/EAS dyslipidaemia guideline re-measures lipids 8 (±4) weeks after starting or changing
/// treatment and once a year after the target is reached (Mach F et al., Eur Heart J
/// 2020;41:111-188, recommendations for monitoring lipids and enzymes on lipid-lowering
/// therapy). The figure too.
pub const LIPIDS_LIMIT_MONTHS: u32 = 12;
/// Default age limit of kidney function (eGFR, or the creatinine it is computed from), months:
/// KDIGO 2024 assesses GFR and albuminuria at least once a year in people with CKD, more often
/// at higher risk of progression (KDIGO 2024 Clinical Practice Guideline for the Evaluation and
/// Management of CKD, Kidney Int 2024;105(4S):S117-S314, practice points 2.1.1 and 2.1.2). The
/// issue's figure too.
pub const KIDNEY_LIMIT_MONTHS: u32 = 12;
/// Default age limit of HbA1c, months: the ADA assesses glycaemic status at least twice a year
/// in people meeting their goals, quarterly when therapy has changed or goals are not met
/// (American Diabetes Association, Standards of Care in Diabetes 2024, section 6,
/// recommendation 6.1). Not in the issue, which names BP, lipids and eGFR only.
pub const HBA1C_LIMIT_MONTHS: u32 = 6;
/// Longest limit a clinician may set, months (10 years): the bound on input (issue 26:
/// a limit of 0 or less, or over 120 months, is refused), not a clinical figure.
pub const MAX_LIMIT_MONTHS: u32 = 120;

/// A measurement with an age limit of its own (the limits the clinician may change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitGroup {
    /// Office or home blood pressure, and the heart rate taken with it.
    BloodPressure,
    /// The lipid profile: total, LDL and HDL cholesterol.
    Lipids,
    /// Kidney function: eGFR or creatinine.
    Kidney,
    /// HbA1c.
    Hba1c,
}

impl LimitGroup {
    /// Every group, in display order.
    pub const ALL: [LimitGroup; 4] = [Self::BloodPressure, Self::Lipids, Self::Kidney, Self::Hba1c];

    /// Name for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::BloodPressure => "blood pressure",
            Self::Lipids => "lipids",
            Self::Kidney => "eGFR",
            Self::Hba1c => "HbA1c",
        }
    }
}

/// A limit outside 1–[`MAX_LIMIT_MONTHS`] months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the {} limit must be a whole number of months from 1 to {MAX_LIMIT_MONTHS}, not {months}", group.label())]
pub struct LimitError {
    /// Which limit.
    pub group: LimitGroup,
    /// What was given.
    pub months: i64,
}

/// How old each kind of reading may be before it is flagged as stale, months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StaleLimits {
    /// Blood pressure and heart rate ([`BLOOD_PRESSURE_LIMIT_MONTHS`] by default).
    pub blood_pressure: u32,
    /// Total, LDL and HDL cholesterol ([`LIPIDS_LIMIT_MONTHS`] by default).
    pub lipids: u32,
    /// eGFR or creatinine ([`KIDNEY_LIMIT_MONTHS`] by default).
    pub kidney: u32,
    /// HbA1c ([`HBA1C_LIMIT_MONTHS`] by default).
    pub hba1c: u32,
}

impl Default for StaleLimits {
    fn default() -> Self {
        Self {
            blood_pressure: BLOOD_PRESSURE_LIMIT_MONTHS,
            lipids: LIPIDS_LIMIT_MONTHS,
            kidney: KIDNEY_LIMIT_MONTHS,
            hba1c: HBA1C_LIMIT_MONTHS,
        }
    }
}

impl StaleLimits {
    /// The limit of `group`, months.
    pub fn get(&self, group: LimitGroup) -> u32 {
        match group {
            LimitGroup::BloodPressure => self.blood_pressure,
            LimitGroup::Lipids => self.lipids,
            LimitGroup::Kidney => self.kidney,
            LimitGroup::Hba1c => self.hba1c,
        }
    }

    /// These limits with `group`'s set to `months`.
    ///
    /// # Errors
    /// [`LimitError`] for fewer than 1 or more than [`MAX_LIMIT_MONTHS`] months.
    pub fn with(self, group: LimitGroup, months: i64) -> Result<Self, LimitError> {
        let months = u32::try_from(months)
            .ok()
            .filter(|m| (1..=MAX_LIMIT_MONTHS).contains(m))
            .ok_or(LimitError { group, months })?;
        let mut out = self;
        match group {
            LimitGroup::BloodPressure => out.blood_pressure = months,
            LimitGroup::Lipids => out.lipids = months,
            LimitGroup::Kidney => out.kidney = months,
            LimitGroup::Hba1c => out.hba1c = months,
        }
        Ok(out)
    }

    /// Whether every limit is within 1–[`MAX_LIMIT_MONTHS`] months.
    ///
    /// # Errors
    /// [`LimitError`] naming the first limit out of range.
    pub fn checked(self) -> Result<Self, LimitError> {
        LimitGroup::ALL.into_iter().try_fold(self, |l, g| l.with(g, i64::from(l.get(g))))
    }
}

/// An input of the twin, as the clinician re-measures it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Systolic and diastolic BP (the calibration's targets, the equations' SBP).
    BloodPressure,
    /// Resting heart rate (a calibration target).
    HeartRate,
    /// LDL cholesterol (the projection's baseline).
    LdlCholesterol,
    /// HDL cholesterol (the equations and the baseline).
    HdlCholesterol,
    /// Total cholesterol (the equations).
    TotalCholesterol,
    /// eGFR, or creatinine where no eGFR is recorded (the equations and the baseline).
    KidneyFunction,
    /// HbA1c (the equations, where recorded).
    Hba1c,
    /// Echo LVEF (a calibration target, where recorded).
    Lvef,
}

impl Measure {
    /// Every measure, in display order.
    pub const ALL: [Measure; 8] = [
        Self::BloodPressure,
        Self::HeartRate,
        Self::LdlCholesterol,
        Self::HdlCholesterol,
        Self::TotalCholesterol,
        Self::KidneyFunction,
        Self::Hba1c,
        Self::Lvef,
    ];

    /// A stable key for transport (`blood_pressure`, `ldl_cholesterol`, …).
    pub fn key(self) -> &'static str {
        match self {
            Self::BloodPressure => "blood_pressure",
            Self::HeartRate => "heart_rate",
            Self::LdlCholesterol => "ldl_cholesterol",
            Self::HdlCholesterol => "hdl_cholesterol",
            Self::TotalCholesterol => "total_cholesterol",
            Self::KidneyFunction => "kidney_function",
            Self::Hba1c => "hba1c",
            Self::Lvef => "lvef",
        }
    }

    /// Name for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::BloodPressure => "blood pressure",
            Self::HeartRate => "heart rate",
            Self::LdlCholesterol => "LDL cholesterol",
            Self::HdlCholesterol => "HDL cholesterol",
            Self::TotalCholesterol => "total cholesterol",
            Self::KidneyFunction => "eGFR",
            Self::Hba1c => "HbA1c",
            Self::Lvef => "LV ejection fraction",
        }
    }

    /// Which limit applies; `None` for an echo LVEF: an echo is repeated when the clinical picture
    /// changes rather than at an interval (the issue names none, and none is applied here), so it
    /// is listed with its age but never flagged.
    pub fn limit_group(self) -> Option<LimitGroup> {
        match self {
            Self::BloodPressure | Self::HeartRate => Some(LimitGroup::BloodPressure),
            Self::LdlCholesterol | Self::HdlCholesterol | Self::TotalCholesterol => Some(LimitGroup::Lipids),
            Self::KidneyFunction => Some(LimitGroup::Kidney),
            Self::Hba1c => Some(LimitGroup::Hba1c),
            Self::Lvef => None,
        }
    }

    /// What to re-measure, in plain words.
    pub fn remeasure(self) -> &'static str {
        match self {
            Self::BloodPressure => "re-measure office or home BP",
            Self::HeartRate => "record resting heart rate with the BP",
            Self::LdlCholesterol | Self::HdlCholesterol | Self::TotalCholesterol => {
                "repeat the lipid profile (total, LDL and HDL cholesterol)"
            }
            Self::KidneyFunction => "repeat serum creatinine with eGFR",
            Self::Hba1c => "repeat HbA1c",
            Self::Lvef => "repeat echocardiography if the clinical picture has changed",
        }
    }

    /// The reading the twin uses for this measure: the latest one (for blood pressure, the older
    /// of the latest systolic and diastolic; for kidney function, the latest eGFR, else the
    /// latest creatinine, as the equations take them). `None` when the record has none.
    fn latest(self, record: &PatientRecord) -> Option<Date> {
        let last = |k: K| record.latest(k).map(|s| s.date);
        match self {
            Self::BloodPressure => match (last(K::Sbp), last(K::Dbp)) {
                (Some(s), Some(d)) => Some(s.min(d)),
                (s, d) => s.or(d),
            },
            Self::HeartRate => last(K::HeartRate),
            Self::LdlCholesterol => last(K::LdlCholesterol),
            Self::HdlCholesterol => last(K::HdlCholesterol),
            Self::TotalCholesterol => last(K::TotalCholesterol),
            Self::KidneyFunction => last(K::Egfr).or_else(|| last(K::Creatinine)),
            Self::Hba1c => last(K::Hba1c),
            Self::Lvef => last(K::Lvef),
        }
    }
}

/// The home BP monitoring week behind a protocol mean ([`crate::home_bp::protocol_mean`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HomeWeek {
    /// First day averaged (the week's first day is dropped by the protocol).
    pub first_day: Date,
    /// Last day averaged: the latest home reading.
    pub last_day: Date,
    /// Readings averaged.
    pub n_readings: usize,
}

/// One input's latest reading and its age on the consultation day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputAge {
    /// Which input.
    pub measure: Measure,
    /// The latest reading's date (for blood pressure, the latest office reading: home readings
    /// never enter the office series).
    pub last: Date,
    /// Days from it to the consultation day (negative for a reading dated after it).
    pub age_days: i64,
    /// Months (of 30.44 days, rounded, as [`months_after`]) from it to the consultation day.
    pub age_months: u32,
    /// The limit that applies, months; `None` when none does.
    pub limit_months: Option<u32>,
    /// Whether the reading is older than its limit: the consultation day is later than the
    /// reading's date plus the limit in calendar months. Blood pressure is not stale while a home
    /// protocol mean ([`Self::home`]) falls within the limit, office BP old or not: the
    /// guidelines accept home BP for follow-up (ESC 2024 section 5, see [`crate::home_bp`]).
    pub stale: bool,
    /// For blood pressure, the home monitoring week whose protocol mean is within the limit;
    /// `None` otherwise (and for every other input).
    pub home: Option<HomeWeek>,
}

impl InputAge {
    /// How long ago, in words ([`span_words`]; "just over 3 months" for a stale reading whose
    /// rounded age is still the limit).
    pub fn age_words(&self) -> String {
        match self.limit_months {
            Some(limit) if self.stale && self.age_months <= limit && self.age_days >= SHORT_SPAN_DAYS => {
                format!("just over {}", plural(limit.into(), "month"))
            }
            _ => span_words(self.age_days),
        }
    }

    /// Whether the latest (office) reading alone is older than its limit: for blood pressure with
    /// a current home week, the office BP the twin still calibrates on is old.
    pub fn office_stale(&self) -> bool {
        self.limit_months.is_some_and(|limit| self.stale_office(limit))
    }

    /// Whether the latest (office) reading alone is older than `limit` months.
    fn stale_office(&self, limit: u32) -> bool {
        let today = self.last + time::Duration::days(self.age_days);
        today > add_months(self.last, limit)
    }

    /// One line for the clinician, e.g. "blood pressure: last measured 2026-03-25, 8 months ago
    /// (limit 3): re-measure office or home BP".
    pub fn describe(&self) -> String {
        let ago = match self.age_words().as_str() {
            "today" => "today".to_string(),
            words => format!("{words} ago"),
        };
        if let (Some(home), Some(limit)) = (self.home, self.limit_months) {
            // Truthful about what each reading feeds: the home mean keeps BP current for the
            // clinician, but the calibration and the equations read office BP only.
            let office = if self.stale_office(limit) {
                format!("older than the {limit}-month limit")
            } else {
                format!("within the {limit}-month limit")
            };
            return format!(
                "{}: office BP last measured {}, {ago} ({office}); home BP mean of {}–{} ({} readings) is \
                 current and shown beside it; the twin's calibration and risk equations use the office BP",
                self.measure.label(),
                self.last,
                home.first_day,
                home.last_day,
                home.n_readings
            );
        }
        let head = format!("{}: last measured {}, {ago}", self.measure.label(), self.last);
        match (self.limit_months, self.stale) {
            (Some(limit), true) => format!("{head} (limit {limit}): {}", self.measure.remeasure()),
            (Some(limit), false) => format!("{head} (within the {limit}-month limit)"),
            (None, _) => format!("{head} (no fixed limit: {})", self.measure.remeasure()),
        }
    }
}

/// Spans shorter than this many days are said in days or weeks, not months.
const SHORT_SPAN_DAYS: i64 = 60;

/// A span of days in words: "today", "5 days", "3 weeks" under two months, else months of 30.44
/// days rounded as [`months_after`] counts them ("8 months").
pub fn span_words(days: i64) -> String {
    match days {
        d if d <= 0 => "today".to_string(),
        d if d < 14 => plural(d, "day"),
        d if d < SHORT_SPAN_DAYS => plural((d as f64 / 7.0).round() as i64, "week"),
        d => plural((d as f64 / DAYS_PER_MONTH).round() as i64, "month"),
    }
}

/// Days in an average month (365.25 / 12), as [`months_after`] counts them.
const DAYS_PER_MONTH: f64 = 30.44;

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// How fresh a record's inputs are on the consultation day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freshness {
    /// The consultation day the ages are counted to.
    pub today: Date,
    /// The limits applied.
    pub limits: StaleLimits,
    /// Each input the record has, in [`Measure::ALL`]'s order.
    pub inputs: Vec<InputAge>,
    /// The latest reading the calibration is fitted to (blood pressure, heart rate, echo LVEF);
    /// `None` when the record has none of them.
    pub calibrated_to: Option<Date>,
}

impl Freshness {
    /// The inputs older than their limit.
    pub fn stale(&self) -> impl Iterator<Item = &InputAge> {
        self.inputs.iter().filter(|i| i.stale)
    }

    /// Whole days from the calibration's latest reading to the consultation day.
    pub fn calibrated_days_before(&self) -> Option<i64> {
        self.calibrated_to.map(|d| (self.today - d).whole_days())
    }

    /// Months (as [`months_after`]) from the calibration's latest reading to the consultation day.
    pub fn calibrated_months_before(&self) -> Option<u32> {
        self.calibrated_to.map(|d| months_after(d, self.today))
    }

    /// "model calibrated to readings up to 2026-03-25 (8 months before 2026-12-01)", or `None`
    /// without readings.
    pub fn calibration_sentence(&self) -> Option<String> {
        let to = self.calibrated_to?;
        let before = match self.calibrated_days_before()? {
            d if d <= 0 => "the consultation day".to_string(),
            d => format!("{} before {}", span_words(d), self.today),
        };
        Some(format!("model calibrated to readings up to {to} ({before})"))
    }
}

/// The latest reading the heart's calibration is fitted to: the latest systolic or diastolic BP,
/// heart rate or echo LVEF.
pub fn calibrated_to(record: &PatientRecord) -> Option<Date> {
    [K::Sbp, K::Dbp, K::HeartRate, K::Lvef].into_iter().filter_map(|k| record.latest(k).map(|s| s.date)).max()
}

/// Each input of the twin that `record` holds, with its latest reading's date, its age on `today`
/// and whether it is older than `limits` allow; and the date the calibration reaches.
pub fn freshness(record: &PatientRecord, today: Date, limits: &StaleLimits) -> Freshness {
    let inputs = Measure::ALL
        .into_iter()
        .filter_map(|measure| {
            let last = measure.latest(record)?;
            let limit_months = measure.limit_group().map(|g| limits.get(g));
            let home = match (measure, limit_months) {
                (Measure::BloodPressure, Some(m)) => current_home_week(record, today, m),
                _ => None,
            };
            Some(InputAge {
                measure,
                last,
                age_days: (today - last).whole_days(),
                age_months: months_after(last, today),
                limit_months,
                stale: home.is_none() && limit_months.is_some_and(|m| today > add_months(last, m)),
                home,
            })
        })
        .collect();
    Freshness { today, limits: *limits, inputs, calibrated_to: calibrated_to(record) }
}

/// `record`'s home protocol mean on `today`, when the mean exists and its last day is within
/// `limit_months` (the blood-pressure limit applies to home BP as to office).
pub fn current_home_mean(record: &PatientRecord, today: Date, limit_months: u32) -> Option<HomeBpMean> {
    let mean = crate::home_bp::protocol_mean(&record.home_bp, today).ok()?;
    (today <= add_months(mean.last_day, limit_months)).then_some(mean)
}

/// The home monitoring week of [`current_home_mean`].
fn current_home_week(record: &PatientRecord, today: Date, limit_months: u32) -> Option<HomeWeek> {
    current_home_mean(record, today, limit_months).map(|mean| HomeWeek {
        first_day: mean.first_day,
        last_day: mean.last_day,
        n_readings: mean.n_readings,
    })
}

/// `date` plus `months` calendar months, the day held to the month's last (31 January + 1 month
/// is 28 or 29 February).
pub fn add_months(date: Date, months: u32) -> Date {
    let index = i64::from(date.year()) * 12 + i64::from(date.month() as u8 - 1) + i64::from(months);
    let year = i32::try_from(index.div_euclid(12)).unwrap_or(i32::MAX);
    let month = Month::try_from((index.rem_euclid(12) + 1) as u8).unwrap_or(Month::December);
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MAX)
}

#[cfg(test)]
mod tests {
    use time::macros::date;
    use time::Duration;

    use super::*;
    use crate::record::{Demographics, Sample, Sex, Source};

    /// The pinned consultation day of these tests.
    const TODAY: Date = date!(2026 - 12 - 01);

    fn record(readings: &[(K, i64)]) -> PatientRecord {
        let demo = Demographics { name: "T".into(), birth_date: Some(date!(1960 - 05 - 01)), sex: Some(Sex::Male) };
        let mut r = PatientRecord::new("p", demo);
        for (n, (kind, days_ago)) in readings.iter().enumerate() {
            let sample = Sample {
                date: TODAY - Duration::days(*days_ago),
                value: 1.0,
                source: Source { resource: format!("Observation/{n}") },
            };
            r.push_sample(*kind, sample);
        }
        r
    }

    fn stale_keys(f: &Freshness) -> Vec<&'static str> {
        f.stale().map(|i| i.measure.key()).collect()
    }

    /// Every input read this many days before the pinned day.
    fn everything(days_ago: i64) -> Vec<(K, i64)> {
        [K::Sbp, K::Dbp, K::HeartRate, K::LdlCholesterol, K::HdlCholesterol, K::TotalCholesterol, K::Egfr, K::Hba1c]
            .into_iter()
            .map(|k| (k, days_ago))
            .collect()
    }

    /// Every input a week old except `old`, read `days_ago`.
    fn old(old: &[K], days_ago: i64) -> PatientRecord {
        let mut r = everything(7);
        for (k, d) in &mut r {
            if old.contains(k) {
                *d = days_ago;
            }
        }
        record(&r)
    }

    #[test]
    fn each_limit_trips_on_its_own() {
        let limits = StaleLimits::default();
        let stale = |r: PatientRecord| stale_keys(&freshness(&r, TODAY, &limits));
        // BP 4 months old: BP and the heart rate taken with it.
        assert_eq!(stale(old(&[K::Sbp, K::Dbp, K::HeartRate], 125)), ["blood_pressure", "heart_rate"]);
        // Lipids 13 months old.
        let lipids = [K::LdlCholesterol, K::HdlCholesterol, K::TotalCholesterol];
        assert_eq!(stale(old(&lipids, 400)), ["ldl_cholesterol", "hdl_cholesterol", "total_cholesterol"]);
        // eGFR 13 months old.
        assert_eq!(stale(old(&[K::Egfr], 400)), ["kidney_function"]);
        // HbA1c 7 months old.
        assert_eq!(stale(old(&[K::Hba1c], 215)), ["hba1c"]);
        // Just inside each limit: nothing.
        assert!(stale(old(&[K::Sbp, K::Dbp, K::HeartRate], 85)).is_empty());
        assert!(stale(old(&[K::Egfr, K::LdlCholesterol, K::HdlCholesterol, K::TotalCholesterol], 360)).is_empty());
        assert!(stale(old(&[K::Hba1c], 180)).is_empty());
    }

    #[test]
    fn a_record_read_within_every_limit_has_nothing_stale() {
        let mut r = everything(60);
        r.push((K::Lvef, 3000));
        let f = freshness(&record(&r), TODAY, &StaleLimits::default());
        assert_eq!(stale_keys(&f), Vec::<&str>::new());
        assert_eq!(f.inputs.len(), 8, "every input is listed, fresh or not");
        let lvef = f.inputs.iter().find(|i| i.measure == Measure::Lvef).unwrap();
        assert_eq!((lvef.limit_months, lvef.stale), (None, false), "an echo is never flagged by age");
        assert_eq!(f.calibrated_to, Some(TODAY - Duration::days(60)));
        assert_eq!(f.calibrated_months_before(), Some(2));
    }

    #[test]
    fn the_limit_is_in_calendar_months_to_the_day() {
        let limits = StaleLimits::default();
        let at = |last: Date| freshness(&record(&[(K::Sbp, (TODAY - last).whole_days())]), TODAY, &limits);
        // 2026-09-01 + 3 months is the consultation day itself: still within the limit.
        let edge = at(date!(2026 - 09 - 01));
        assert!(!edge.inputs[0].stale);
        assert_eq!(
            edge.inputs[0].describe(),
            "blood pressure: last measured 2026-09-01, 3 months ago (within the 3-month limit)"
        );
        let over = at(date!(2026 - 08 - 31));
        assert!(over.inputs[0].stale);
        assert_eq!(
            over.inputs[0].describe(),
            "blood pressure: last measured 2026-08-31, just over 3 months ago (limit 3): re-measure office or home BP"
        );
    }

    #[test]
    fn ages_and_words_read_as_a_clinician_would_say_them() {
        // Patient 01's dates: BP 2026-03-25, lipids 2025-07-11.
        let r = record(&[
            (K::Sbp, (TODAY - date!(2026 - 03 - 25)).whole_days()),
            (K::Dbp, (TODAY - date!(2026 - 03 - 25)).whole_days()),
            (K::LdlCholesterol, (TODAY - date!(2025 - 07 - 11)).whole_days()),
        ]);
        let f = freshness(&r, TODAY, &StaleLimits::default());
        let bp = &f.inputs[0];
        assert_eq!((bp.age_days, bp.age_months, bp.stale), (251, 8, true));
        assert_eq!(
            bp.describe(),
            "blood pressure: last measured 2026-03-25, 8 months ago (limit 3): re-measure office or home BP"
        );
        let ldl = &f.inputs[1];
        assert_eq!((ldl.age_months, ldl.limit_months, ldl.stale), (17, Some(12), true));
        assert_eq!(
            f.calibration_sentence().as_deref(),
            Some("model calibrated to readings up to 2026-03-25 (8 months before 2026-12-01)")
        );
        assert_eq!(
            [0, 1, 13, 18, 59, 60, 251].map(span_words),
            ["today", "1 day", "13 days", "3 weeks", "8 weeks", "2 months", "8 months"]
        );
        let fresh = freshness(&record(&[(K::Sbp, 1)]), TODAY, &StaleLimits::default());
        assert_eq!(
            fresh.inputs[0].describe(),
            "blood pressure: last measured 2026-11-30, 1 day ago (within the 3-month limit)"
        );
        assert_eq!(
            fresh.calibration_sentence().as_deref(),
            Some("model calibrated to readings up to 2026-11-30 (1 day before 2026-12-01)")
        );
    }

    #[test]
    fn kidney_function_is_the_egfr_else_the_creatinine_and_bp_the_older_of_its_pair() {
        let creatinine_only = freshness(&record(&[(K::Creatinine, 500)]), TODAY, &StaleLimits::default());
        assert_eq!(stale_keys(&creatinine_only), ["kidney_function"]);
        // A recorded eGFR is what the equations use, even when a creatinine is newer.
        let both = freshness(&record(&[(K::Creatinine, 10), (K::Egfr, 500)]), TODAY, &StaleLimits::default());
        assert_eq!(stale_keys(&both), ["kidney_function"]);
        let split = freshness(&record(&[(K::Sbp, 10), (K::Dbp, 200)]), TODAY, &StaleLimits::default());
        assert_eq!(split.inputs[0].age_days, 200);
        assert!(freshness(&record(&[]), TODAY, &StaleLimits::default()).calibration_sentence().is_none());
    }

    #[test]
    fn limits_are_settable_and_refused_outside_one_to_120_months() {
        let six = StaleLimits::default().with(LimitGroup::BloodPressure, 12).unwrap();
        let f = freshness(&record(&[(K::Sbp, 125)]), TODAY, &six);
        assert_eq!(stale_keys(&f), Vec::<&str>::new(), "4 months is within a 12-month BP limit");
        for bad in [0, -3, 121] {
            let e = StaleLimits::default().with(LimitGroup::Lipids, bad).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("the lipids limit must be a whole number of months from 1 to 120, not {bad}")
            );
        }
        assert!(StaleLimits { kidney: 0, ..StaleLimits::default() }.checked().is_err());
        assert_eq!(StaleLimits::default().checked(), Ok(StaleLimits::default()));
    }

    /// `days` days of home readings (07:00 and 21:00), the last `last_days_ago` before the pinned day.
    fn with_home_week(mut r: PatientRecord, days: i64, last_days_ago: i64) -> PatientRecord {
        use crate::record::HomeBpReading;
        for d in 0..days {
            for t in [time::macros::time!(7:00), time::macros::time!(21:00)] {
                r.home_bp.push(HomeBpReading {
                    date: TODAY - Duration::days(last_days_ago + d),
                    time: Some(t),
                    systolic: 128.0,
                    diastolic: 79.0,
                    device: Some("Omron M3".into()),
                    source: Source { resource: "Observation/home".into() },
                });
            }
        }
        r.home_bp.sort_by_key(|h| (h.date, h.time));
        r
    }

    #[test]
    fn a_current_home_week_keeps_old_office_bp_from_being_called_stale_and_says_what_the_twin_uses() {
        let limits = StaleLimits::default();
        // Office BP 8 months old, a full home week ending 5 days ago: BP is not stale.
        let office_old = old(&[K::Sbp, K::Dbp], 250);
        let f = freshness(&with_home_week(office_old.clone(), 7, 5), TODAY, &limits);
        assert_eq!(stale_keys(&f), Vec::<&str>::new());
        let bp = &f.inputs[0];
        assert_eq!(
            bp.home,
            Some(HomeWeek { first_day: date!(2026 - 11 - 21), last_day: date!(2026 - 11 - 26), n_readings: 12 })
        );
        assert_eq!(
            bp.describe(),
            "blood pressure: office BP last measured 2026-03-26, 8 months ago (older than the 3-month limit); \
             home BP mean of 2026-11-21–2026-11-26 (12 readings) is current and shown beside it; the twin's \
             calibration and risk equations use the office BP"
        );
        // The calibration date is still the office one's: home readings do not calibrate the twin.
        assert_eq!(f.calibrated_to, freshness(&office_old, TODAY, &limits).calibrated_to);
    }

    #[test]
    fn home_readings_that_miss_the_protocol_or_the_limit_leave_old_office_bp_stale() {
        let limits = StaleLimits::default();
        let office_old = old(&[K::Sbp, K::Dbp], 250);
        // Three days: the first is dropped, two remain (the protocol needs three).
        let short = freshness(&with_home_week(office_old.clone(), 3, 5), TODAY, &limits);
        assert_eq!(stale_keys(&short), ["blood_pressure"]);
        assert_eq!(short.inputs[0].home, None);
        // A full week, but ending 4 months ago: older than the BP limit itself.
        let old_week = freshness(&with_home_week(office_old.clone(), 7, 125), TODAY, &limits);
        assert_eq!(stale_keys(&old_week), ["blood_pressure"]);
        assert!(old_week.inputs[0].describe().starts_with("blood pressure: last measured 2026-03-26"));
        // Heart rate keeps its own (office) age: home pulse is not in its series.
        let hr_old = freshness(&with_home_week(old(&[K::Sbp, K::Dbp, K::HeartRate], 250), 7, 5), TODAY, &limits);
        assert_eq!(stale_keys(&hr_old), ["heart_rate"]);
    }

    #[test]
    fn months_are_added_by_the_calendar() {
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2024 - 01 - 31), 1), date!(2024 - 02 - 29));
        assert_eq!(add_months(date!(2025 - 11 - 15), 3), date!(2026 - 02 - 15));
        assert_eq!(add_months(date!(2025 - 12 - 01), 120), date!(2035 - 12 - 01));
    }
}
