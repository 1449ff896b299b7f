//! "How well this twin predicted this patient's last year": the twin is rebuilt from the record
//! as it stood 12 months before its latest reading, the year that followed is projected under
//! the treatment that was actually given, and each reading of that year is set against what the
//! twin of a year ago said: its error, and whether it fell inside the 90% interval for a reading.
//! The learned model's hybrid is checked the same way, at its horizons.
//!
//! The same hindcast, over synthetic patients regenerated from other seeds, is the cohort check
//! in `twin_devtools::coverage`. For one patient a year holds few readings: the figures describe this
//! record, not the twin's accuracy in general, and the screen says so.

use serde::Serialize;
use time::{Date, Duration};
use ts_rs::TS;

use twin_engine::progression::{quantile, run_ensemble, EnsembleConfig, Output};
use twin_engine::record::{MeasurementKind as K, PatientRecord};
use twin_engine::twin::{self, Context, Missing, Twin};

use crate::ml::HybridHindcastRow;
use crate::words::iso_date;

/// Months held out and projected.
pub const HORIZON_MONTHS: u32 = 12;

/// Ensemble members of a personal hindcast: enough for stable 5th/95th percentiles of a reading
/// (the reading noise is added ten ways per member, so 4,000 values per interval).
pub const MEMBERS: usize = 400;

/// Standard-normal quantiles at the midpoints of the ten deciles: a deterministic stand-in for a
/// normal noise draw.
const DECILE_MIDPOINTS: [f64; 10] =
    [-1.644_854, -1.036_433, -0.674_490, -0.385_320, -0.125_661, 0.125_661, 0.385_320, 0.674_490, 1.036_433, 1.644_854];

/// The measurements checked and the projection output each is checked against.
pub const CHECKED: [(K, Output); 7] = [
    (K::Sbp, Output::Sbp),
    (K::Dbp, Output::Dbp),
    (K::HeartRate, Output::HeartRate),
    (K::LdlCholesterol, Output::Ldl),
    (K::HdlCholesterol, Output::Hdl),
    (K::Weight, Output::Weight),
    (K::Egfr, Output::Egfr),
];

/// The twin's own SD of one reading around the usual value (its stated visit-to-visit figures,
/// `twin_engine::twin`): absolute for pressures, rate and weight, relative (× value) for labs.
pub fn reading_sd(kind: K, value: f64) -> f64 {
    match kind {
        K::Sbp => twin::SBP_VISIT_SD,
        K::Dbp => twin::DBP_VISIT_SD,
        K::HeartRate => twin::HEART_RATE_VISIT_SD,
        K::LdlCholesterol => twin::LDL_CV * value,
        K::HdlCholesterol => twin::HDL_CV * value,
        K::Weight => twin::WEIGHT_SD,
        K::Egfr => twin::EGFR_CV * value,
        _ => 0.0,
    }
}

/// One held-out reading against the mechanistic twin of `HORIZON_MONTHS` before.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// What was measured.
    pub kind: K,
    /// When.
    pub date: Date,
    /// Whole months after the cut.
    pub month: u32,
    /// The reading.
    pub observed: f64,
    /// The twin's median usual value that month.
    pub predicted: f64,
    /// 5th percentile of a reading that month (ensemble spread widened by reading noise).
    pub lo: f64,
    /// 95th percentile.
    pub hi: f64,
}

/// Rebuilds the twin from `record` as it stood on `cut`, projects `HORIZON_MONTHS` under the
/// treatment actually given after it, and sets every checked reading after `cut` against it.
///
/// # Errors
/// [`Missing`] when the record as it stood on `cut` cannot make a twin.
pub fn mechanistic(
    record: &PatientRecord,
    cut: Date,
    members: usize,
    seed: u64,
) -> Result<(Twin, Vec<Point>), Missing> {
    let twin = twin::build(&twin::record_as_of(record, cut), cut, Context::default(), 2)?;
    let config = EnsembleConfig { months: HORIZON_MONTHS, members, seed };
    let ensemble = run_ensemble(&twin.baseline, &twin::treatment_after(record, cut), &config);
    let mut points = Vec::new();
    for (kind, output) in CHECKED {
        for s in record.series(kind).iter().filter(|s| s.date > cut) {
            let month = twin::months_after(cut, s.date).min(HORIZON_MONTHS);
            let mut usual: Vec<f64> =
                (0..members).map(|m| ensemble.get(m, month as usize, output)).filter(|v| v.is_finite()).collect();
            if usual.is_empty() {
                continue;
            }
            let mut reading: Vec<f64> =
                usual.iter().flat_map(|&v| DECILE_MIDPOINTS.iter().map(move |z| v + reading_sd(kind, v) * z)).collect();
            points.push(Point {
                kind,
                date: s.date,
                month,
                observed: s.value,
                predicted: quantile(&mut usual, 0.5),
                lo: quantile(&mut reading, 0.05),
                hi: quantile(&mut reading, 0.95),
            });
        }
    }
    Ok((twin, points))
}

/// One held-out reading, for the chart.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HindcastPoint {
    /// Measurement (`sbp`, `ldl_cholesterol`, …).
    pub measurement: String,
    /// ISO date of the reading.
    pub date: String,
    /// The reading.
    pub observed: f64,
    /// What the twin of a year before said (median usual value).
    pub predicted: f64,
    /// 5th percentile of a reading that month.
    pub lo: f64,
    /// 95th percentile.
    pub hi: f64,
}

/// The mechanistic twin's hindcast of one measurement.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HindcastRow {
    /// Measurement (`sbp`, …).
    pub measurement: String,
    /// Label for people.
    pub label: String,
    /// Canonical unit.
    pub unit: String,
    /// Readings in the held-out year.
    pub readings: usize,
    /// Of them, inside the 90% interval.
    pub inside: usize,
    /// Mean |reading − prediction|.
    pub mean_abs_error: f64,
    /// Mean (reading − prediction): above 0, the twin predicted too low.
    pub bias: f64,
}

/// How well this twin predicted this patient's last year, or why it cannot be told.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PersonalHindcast {
    /// Whether the hindcast ran.
    pub available: bool,
    /// What it is, or why it did not run, in a sentence.
    pub note: String,
    /// The day the twin was rebuilt at (ISO), when it ran.
    pub cut: Option<String>,
    /// The latest reading (ISO): the end of the held-out year.
    pub end: Option<String>,
    /// Months held out.
    pub months: u32,
    /// The mechanistic twin, per measurement with readings in the year.
    pub rows: Vec<HindcastRow>,
    /// Every held-out reading.
    pub points: Vec<HindcastPoint>,
    /// The learned hybrid, per target; empty when the learned model did not run.
    pub hybrid: Vec<HybridHindcastRow>,
    /// What the hybrid part is, or why it is absent.
    pub hybrid_note: String,
}

impl PersonalHindcast {
    /// No hindcast, and why.
    pub fn unavailable(note: impl Into<String>) -> Self {
        Self {
            available: false,
            note: note.into(),
            cut: None,
            end: None,
            months: HORIZON_MONTHS,
            rows: Vec::new(),
            points: Vec::new(),
            hybrid: Vec::new(),
            hybrid_note: String::new(),
        }
    }
}

/// The personal hindcast of `record` as of `today`: the held-out year ends at its latest checked
/// reading (not later than `today`).
pub fn personal(record: &PatientRecord, today: Date) -> PersonalHindcast {
    let latest =
        CHECKED.iter().flat_map(|(k, _)| record.series(*k).iter().map(|s| s.date)).filter(|d| *d <= today).max();
    let Some(end) = latest else {
        return PersonalHindcast::unavailable(
            "no BP, heart rate, lipid, weight or eGFR readings to check a hindcast against",
        );
    };
    let cut = end - Duration::days(365);
    let (twin, points) = match mechanistic(record, cut, MEMBERS, 1) {
        Ok(r) => r,
        Err(e) => {
            return PersonalHindcast::unavailable(format!(
                "the record as it stood on {} could not make a twin ({e}), so there is no year to check it on",
                iso_date(cut)
            ))
        }
    };
    if points.is_empty() {
        return PersonalHindcast::unavailable(format!("no readings in the year after {}", iso_date(cut)));
    }
    let rows = CHECKED
        .iter()
        .filter_map(|(kind, _)| {
            let mine: Vec<&Point> = points.iter().filter(|p| p.kind == *kind).collect();
            if mine.is_empty() {
                return None;
            }
            let n = mine.len() as f64;
            Some(HindcastRow {
                measurement: kind.key().to_string(),
                label: kind.label().to_string(),
                unit: kind.canonical_unit().to_string(),
                readings: mine.len(),
                inside: mine.iter().filter(|p| (p.lo..=p.hi).contains(&p.observed)).count(),
                mean_abs_error: mine.iter().map(|p| (p.observed - p.predicted).abs()).sum::<f64>() / n,
                bias: mine.iter().map(|p| p.observed - p.predicted).sum::<f64>() / n,
            })
        })
        .collect();
    let (hybrid, hybrid_note) = crate::ml::hybrid_hindcast(record, cut, &twin.baseline);
    PersonalHindcast {
        available: true,
        note: format!(
            "the twin rebuilt from the record as it stood on {}, projecting the {HORIZON_MONTHS} months to {} under the \
             treatment actually given; a handful of readings describe this record, not the twin's accuracy in general",
            iso_date(cut),
            iso_date(end)
        ),
        cut: Some(iso_date(cut)),
        end: Some(iso_date(end)),
        months: HORIZON_MONTHS,
        rows,
        points: points
            .iter()
            .map(|p| HindcastPoint {
                measurement: p.kind.key().to_string(),
                date: iso_date(p.date),
                observed: p.observed,
                predicted: p.predicted,
                lo: p.lo,
                hi: p.hi,
            })
            .collect(),
        hybrid,
        hybrid_note,
    }
}
