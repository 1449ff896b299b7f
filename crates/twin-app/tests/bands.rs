//! Bands that mean what they say (issue 26, honest uncertainty): today's BP is as uncertain as
//! its readings leave it (more readings narrow it, staleness widens it), LVEF without an echo is
//! not a sharp line, and heart rate drifts apart over years. On the pinned consultation day.

use time::Duration;
use twin_engine::progression::scenario::Scenario;
use twin_engine::progression::{run_ensemble, summarise, EnsembleConfig, Output};
use twin_engine::record::{MeasurementKind as K, PatientRecord};
use twin_engine::twin::{self, Context};
use twin_test_support::CONSULTATION_DAY;

fn record(file: &str) -> PatientRecord {
    let text = std::fs::read_to_string(twin_test_support::demo_file(file)).unwrap();
    twin_fhir::harmonise::harmonise_bundle_text(&text).unwrap().record
}

fn sbp_sd(r: &PatientRecord, today: time::Date) -> f64 {
    twin::build(r, today, Context::default(), 10).unwrap().baseline.sbp.1
}

/// Keeps the last `n` readings of BP.
fn last_bp_readings(r: &PatientRecord, n: usize) -> PatientRecord {
    let mut r = r.clone();
    for kind in [K::Sbp, K::Dbp] {
        if let Some(series) = r.measurements.get_mut(&kind) {
            series.sort_by_key(|s| s.date);
            let drop = series.len().saturating_sub(n);
            series.drain(..drop);
        }
    }
    r
}

#[test]
fn more_readings_narrow_todays_bp_and_staleness_widens_it() {
    let full = record("01-uncontrolled-hypertension.json");
    let n = full.series(K::Sbp).len();
    assert!(n >= 6, "patient 01 has a BP history ({n})");
    let one = sbp_sd(&last_bp_readings(&full, 1), CONSULTATION_DAY);
    let few = sbp_sd(&last_bp_readings(&full, 3), CONSULTATION_DAY);
    let all = sbp_sd(&full, CONSULTATION_DAY);
    assert!(all < few && few < one, "SD with all {n} readings {all:.2} < 3 readings {few:.2} < 1 reading {one:.2}");
    assert!(one > twin::SBP_VISIT_SD, "one old reading is no better than one visit: {one:.2}");
    let a_year_later = sbp_sd(&full, CONSULTATION_DAY + Duration::days(365));
    assert!(a_year_later > all, "a year without a reading widens it: {all:.2} → {a_year_later:.2}");
}

#[test]
fn lvef_without_an_echo_and_heart_rate_have_honest_bands() {
    let r = record("01-uncontrolled-hypertension.json");
    assert!(r.latest(K::Lvef).is_none(), "patient 01 has no echo");
    let t = twin::build(&r, CONSULTATION_DAY, Context::default(), 10).unwrap();
    let e = run_ensemble(
        &t.baseline,
        &Scenario::current_treatment(),
        &EnsembleConfig { months: 120, members: 1000, seed: 1 },
    );
    let bands = summarise(&e);
    let band = |o: Output| bands.iter().find(|b| b.output == o).unwrap();
    let lvef = band(Output::Lvef);
    let width = lvef.p95[0] - lvef.p5[0];
    assert!(width > 10.0, "LVEF today, without an echo, is not known to better than ±5 points: {width:.1}");
    let hr = band(Output::HeartRate);
    let (now, later) = (hr.p95[0] - hr.p5[0], hr.p95[120] - hr.p5[120]);
    assert!(later > now + 5.0, "heart rates drift apart over ten years: {now:.1} → {later:.1}");
}
