//! Do the bands mean what they say? A hindcast on synthetic follow-up nobody fitted to: each demo
//! patient is generated afresh from other seeds (same clinical sketch, new noise, new course),
//! the twin is built from the record as it stood 12 months before its end, the year that
//! followed is projected under the treatment that was actually given, and each held-out reading
//! is checked against the twin's 90% prediction interval for a reading on that day.
//!
//! A reading is a value plus measurement noise, so the interval for a reading is the ensemble's
//! spread of the usual value widened by the twin's own stated visit-to-visit spread
//! ([`twin_app::hindcast::reading_sd`]), not by the generator's (which differs: SBP 6 against the
//! twin's 8 mmHg, LDL-C 7% against 8%). Each member's value is combined with ten equally likely noise offsets
//! (the deciles' midpoints of a standard normal), so the check is deterministic.
//!
//! Synthetic data only: this checks that the twin's bands are calibrated to the generator's
//! world, not to real patients; no clinical accuracy follows from it.

use serde::Serialize;
use time::Duration;

use twin_synth::DEMO_AS_OF;

use twin_app::hindcast::HORIZON_MONTHS;
use twin_app::hindcast::{mechanistic, CHECKED};

/// Coverage of one measurement.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoverageRow {
    /// Measurement (`sbp`, `ldl_cholesterol`, …).
    pub measurement: String,
    /// Held-out readings checked.
    pub readings: usize,
    /// Of them, inside the 90% prediction interval.
    pub inside: usize,
    /// inside ÷ readings.
    pub coverage: f64,
    /// Below the interval, share of readings.
    pub below: f64,
    /// Above the interval, share of readings.
    pub above: f64,
}

/// The whole check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoverageReport {
    /// Generator seeds used (seed 1 is the committed demo cohort and is not used).
    pub seeds: Vec<u32>,
    /// Hindcasts run (patients × seeds).
    pub hindcasts: usize,
    /// Months held out.
    pub horizon_months: u32,
    /// Ensemble members per hindcast.
    pub members: usize,
    /// Nominal coverage of the interval.
    pub nominal: f64,
    /// Per measurement.
    pub rows: Vec<CoverageRow>,
    /// Records that could not be hindcast, and why.
    pub skipped: Vec<String>,
    /// How it was done, in a sentence.
    pub method: String,
}

/// Runs the hindcast over the demo cohort regenerated from each of `seeds`.
pub fn check(seeds: &[u32], members: usize) -> CoverageReport {
    let cut = DEMO_AS_OF - Duration::days(365);
    let mut tally: Vec<(usize, usize, usize)> = vec![(0, 0, 0); CHECKED.len()];
    let mut skipped = Vec::new();
    let mut hindcasts = 0;
    for &seed in seeds {
        for bundle in twin_synth::generate(u64::from(seed)) {
            let label = format!("seed {seed} {}", bundle.file_name);
            let record = match twin_fhir::harmonise::harmonise_bundle_text(&bundle.json) {
                Ok(h) => h.record,
                Err(e) => {
                    skipped.push(format!("{label}: {e}"));
                    continue;
                }
            };
            let points = match mechanistic(&record, cut, members, u64::from(seed)) {
                Ok((_, points)) => points,
                Err(e) => {
                    skipped.push(format!("{label}: {e}"));
                    continue;
                }
            };
            hindcasts += 1;
            for p in points {
                let Some(t) = CHECKED.iter().position(|(k, _)| *k == p.kind).map(|i| &mut tally[i]) else { continue };
                t.0 += usize::from(p.observed >= p.lo && p.observed <= p.hi);
                t.1 += usize::from(p.observed < p.lo);
                t.2 += usize::from(p.observed > p.hi);
            }
        }
    }
    let rows = CHECKED
        .iter()
        .zip(&tally)
        .map(|((kind, _), &(inside, below, above))| {
            let readings = inside + below + above;
            let share = |n: usize| if readings == 0 { f64::NAN } else { n as f64 / readings as f64 };
            CoverageRow {
                measurement: kind.key().to_string(),
                readings,
                inside,
                coverage: share(inside),
                below: share(below),
                above: share(above),
            }
        })
        .collect();
    CoverageReport {
        seeds: seeds.to_vec(),
        hindcasts,
        horizon_months: HORIZON_MONTHS,
        members,
        nominal: 0.9,
        rows,
        skipped,
        method: format!(
            "twin built from each synthetic record as it stood {HORIZON_MONTHS} months before its end; the year after \
             projected under the treatment actually given; each held-out reading checked against the 5–95% interval \
             for a reading (ensemble spread widened by the twin's visit-to-visit SDs)"
        ),
    }
}
