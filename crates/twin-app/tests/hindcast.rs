//! The personal hindcast ("how well this twin predicted this patient's last year") on the
//! committed demo cohort: it runs for every patient, it never sees the year it is checked on,
//! a record too short says why, and every projection carries it.

mod common;

use time::Duration;

use twin_app::hindcast::{personal, PersonalHindcast};
use twin_app::session::{PatientArgs, Session, SessionConfig};
use twin_engine::record::{MeasurementKind as K, PatientRecord};
use twin_synth::DEMO_AS_OF;

fn demo_records() -> Vec<PatientRecord> {
    common::demo_files().iter().map(|f| twin_app::patients::open_bundle(f).unwrap().record).collect()
}

fn row<'a>(h: &'a PersonalHindcast, key: &str) -> Option<&'a twin_app::hindcast::HindcastRow> {
    h.rows.iter().find(|r| r.measurement == key)
}

#[test]
fn every_demo_patient_gets_a_hindcast_of_its_last_year() {
    let (mut inside, mut readings) = (0, 0);
    // Per measurement over the cohort: readings, inside, sum of |error|; and the hybrid's SBP.
    let mut pooled: std::collections::BTreeMap<String, (usize, usize, f64)> = Default::default();
    let mut hybrid_sbp = (0usize, 0.0, 0.0, 0usize);
    for record in demo_records() {
        let h = personal(&record, DEMO_AS_OF);
        assert!(h.available, "{}: {}", record.id, h.note);
        let (cut, end) = (h.cut.clone().unwrap(), h.end.clone().unwrap());
        assert!(cut < end && end <= DEMO_AS_OF.to_string(), "{cut} – {end}");
        let sbp = row(&h, "sbp").expect("every demo patient has SBP readings in the last year");
        assert!(sbp.readings > 0 && sbp.inside <= sbp.readings);
        assert!(sbp.mean_abs_error >= sbp.bias.abs());
        for p in &h.points {
            assert!(p.date > cut && p.date <= end, "{} outside {cut}–{end}", p.date);
            assert!(p.lo < p.predicted && p.predicted < p.hi, "{p:?}");
        }
        assert_eq!(h.rows.iter().map(|r| r.readings).sum::<usize>(), h.points.len());
        // The shipped model is in models/, so the hybrid part runs too.
        assert!(!h.hybrid.is_empty(), "{}: {}", record.id, h.hybrid_note);
        for r in &h.hybrid {
            assert!(r.points > 0 && r.hybrid_inside <= r.points && r.engine_abs_error.is_finite());
        }
        for r in &h.rows {
            let p = pooled.entry(r.label.clone()).or_default();
            *p = (p.0 + r.readings, p.1 + r.inside, p.2 + r.mean_abs_error * r.readings as f64);
        }
        if let Some(r) = h.hybrid.iter().find(|r| r.target == "sbp") {
            let n = r.points as f64;
            hybrid_sbp = (
                hybrid_sbp.0 + r.points,
                hybrid_sbp.1 + r.engine_abs_error * n,
                hybrid_sbp.2 + r.hybrid_abs_error * n,
                hybrid_sbp.3 + r.hybrid_inside,
            );
        }
        inside += h.rows.iter().map(|r| r.inside).sum::<usize>();
        readings += h.points.len();
        eprintln!(
            "{}: SBP {} readings, error {:.1} mmHg, {} inside; hybrid SBP {:?}",
            record.id,
            sbp.readings,
            sbp.mean_abs_error,
            sbp.inside,
            h.hybrid.iter().find(|r| r.target == "sbp").map(|r| (r.engine_abs_error, r.hybrid_abs_error))
        );
    }
    for (label, (n, inside, abs)) in &pooled {
        eprintln!("demo cohort {label}: {n} readings, mean |error| {:.2}, {inside} inside", abs / *n as f64);
    }
    let (n, engine, hybrid, hybrid_inside) = hybrid_sbp;
    eprintln!(
        "demo cohort SBP at the learned horizons: {n} readings, engine {:.2}, hybrid {:.2}, {hybrid_inside} inside",
        engine / n as f64,
        hybrid / n as f64
    );
    // 90% intervals over a whole cohort: far fewer inside would mean the bands are too narrow.
    let coverage = inside as f64 / readings as f64;
    eprintln!("demo cohort: {inside} of {readings} readings inside the 90% interval ({coverage:.2})");
    assert!(coverage > 0.75, "{coverage}");
}

#[test]
fn the_year_checked_is_never_seen() {
    let record = demo_records().remove(0);
    let h = personal(&record, DEMO_AS_OF);
    let cut = h.cut.clone().expect("the demo patient has a hindcast");
    let mut changed = record.clone();
    for s in changed.measurements.get_mut(&K::Sbp).unwrap().iter_mut().filter(|s| s.date.to_string() > cut) {
        s.value += 25.0;
    }
    let h2 = personal(&changed, DEMO_AS_OF);
    let sbp = |h: &PersonalHindcast| h.points.iter().filter(|p| p.measurement == "sbp").cloned().collect::<Vec<_>>();
    assert!(!sbp(&h).is_empty());
    for (a, b) in sbp(&h).iter().zip(sbp(&h2)) {
        assert_eq!((a.predicted, a.lo, a.hi), (b.predicted, b.lo, b.hi), "the prediction moved with the held-out year");
        assert!((b.observed - a.observed - 25.0).abs() < 1e-9);
    }
    let (a, b) = (row(&h, "sbp").unwrap(), row(&h2, "sbp").unwrap());
    assert!((b.bias - a.bias - 25.0).abs() < 1e-9, "bias {} then {}", a.bias, b.bias);
}

#[test]
fn a_record_shorter_than_a_year_says_why() {
    let mut record = demo_records().remove(0);
    let end = record.measurements.values().flat_map(|s| s.iter().map(|x| x.date)).max().unwrap();
    for series in record.measurements.values_mut() {
        series.retain(|s| s.date > end - Duration::days(180));
    }
    let h = personal(&record, DEMO_AS_OF);
    assert!(!h.available);
    assert!(h.note.contains("could not make a twin") && h.note.contains("BP"), "{}", h.note);
    assert!(h.rows.is_empty() && h.points.is_empty());
}

#[test]
fn every_projection_and_the_twin_panel_carry_it() {
    let (session, id) = common::demo_session();
    let p = common::current_treatment(&session, &id, 12, 50);
    assert!(p.hindcast.available, "{}", p.hindcast.note);
    let twin = session.cmd_twin(PatientArgs { id }).unwrap();
    assert_eq!(twin.hindcast.as_ref(), Some(&p.hindcast));
}

/// Adds `by` to every systolic reading (LOINC 8480-6) of a FHIR bundle.
fn raise_sbp(v: &mut serde_json::Value, by: f64) {
    match v {
        serde_json::Value::Object(map) => {
            let coding = map.get("code").and_then(|c| c.get("coding"));
            let is_sbp = coding.and_then(|c| c.as_array()).is_some_and(|c| c.iter().any(|c| c["code"] == "8480-6"));
            if let (true, Some(value)) = (is_sbp, map.get_mut("valueQuantity").and_then(|q| q.get_mut("value"))) {
                *value = serde_json::json!(value.as_f64().unwrap() + by);
            }
            map.values_mut().for_each(|x| raise_sbp(x, by));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|x| raise_sbp(x, by)),
        _ => {}
    }
}

#[test]
fn a_record_opened_again_gets_a_new_twin_and_hindcast() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("patient.json");
    let original = std::fs::read_to_string(&common::demo_files()[0]).unwrap();
    std::fs::write(&path, &original).unwrap();
    let session = Session::new(SessionConfig {
        demo_dir: None,
        data_dir: None,
        as_of: Some(twin_test_support::CONSULTATION_DAY),
    });
    let simulate = |id: &str| common::current_treatment(&session, id, 12, 50);
    let id = session.open_file(&path).unwrap();
    let before = simulate(&id);
    let mut bundle: serde_json::Value = serde_json::from_str(&original).unwrap();
    raise_sbp(&mut bundle, 20.0);
    std::fs::write(&path, bundle.to_string()).unwrap();
    assert_eq!(session.open_file(&path).unwrap(), id);
    let after = simulate(&id);
    let sbp_now =
        |p: &twin_app::simulate::Projection| p.outputs.iter().find(|o| o.label == "Systolic BP").unwrap().p50[0];
    assert!(sbp_now(&after) - sbp_now(&before) > 15.0, "the twin was rebuilt from the new readings");
    assert_ne!(after.hindcast, before.hindcast, "and so was the hindcast");
}
