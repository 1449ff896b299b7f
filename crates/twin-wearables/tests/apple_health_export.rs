//! A generated Apple Health export of realistic structure and size (three months of a watch
//! user's data, 13 MB), whole and cut short, read from a real file and harmonised by
//! `twin-fhir` into the engine's record: home BP beside, never inside, the office series.

use std::io::Write;

use serde_json::json;
use time::macros::date;
use twin_engine::home_bp::{protocol_mean, HomeBpVerdict};
use twin_engine::record::MeasurementKind as K;
use twin_wearables::{read_export_file, Metric, Provenance, SyntheticExport};

const N_DAYS: u32 = 90;
const N_BP_DAYS: u32 = 7;

fn export() -> SyntheticExport {
    SyntheticExport { start: date!(2026 - 09 - 01), n_days: N_DAYS, heart_rate_every_minutes: 5, n_bp_days: N_BP_DAYS }
}

fn write_export(dir: &tempfile::TempDir) -> (std::path::PathBuf, u64) {
    let path = dir.path().join("export.xml");
    let file = std::fs::File::create(&path).unwrap();
    let n_bytes = export().write(std::io::BufWriter::new(file)).unwrap();
    (path, n_bytes)
}

fn patient() -> serde_json::Value {
    json!({"resourceType": "Patient", "id": "p1", "name": [{"family": "Test", "given": ["Sam"]}],
           "gender": "female", "birthDate": "1961-04-02"})
}

#[test]
fn a_whole_export_gives_one_summary_per_metric_and_day_and_every_bp_pair() {
    let dir = tempfile::tempdir().unwrap();
    let (path, n_bytes) = write_export(&dir);
    assert!(n_bytes > 10_000_000, "a realistic size: {n_bytes} bytes");
    let import = read_export_file(&path).unwrap();
    assert_eq!(import.stopped, None);
    let days_of = |m: Metric| import.daily.iter().filter(|d| d.metric == m).count();
    assert_eq!(days_of(Metric::Steps), N_DAYS as usize);
    assert_eq!(days_of(Metric::HeartRateMean), N_DAYS as usize);
    assert_eq!(days_of(Metric::RestingHeartRate), N_DAYS as usize);
    assert_eq!(days_of(Metric::HrvSdnn), N_DAYS as usize);
    assert_eq!(days_of(Metric::OxygenSaturation), N_DAYS as usize);
    // Nights end the morning after each day: the first morning has none.
    assert_eq!(days_of(Metric::SleepHours), N_DAYS as usize);
    assert_eq!(import.bp_readings.len(), (N_BP_DAYS * 4) as usize, "correlations only, not the loose copies");
    let steps = import.daily.iter().find(|d| d.metric == Metric::Steps).unwrap();
    assert!((1_000.0..20_000.0).contains(&steps.value), "one device's day, not both: {}", steps.value);
    let sleep = import.daily.iter().find(|d| d.metric == Metric::SleepHours).unwrap();
    assert!((4.0..9.0).contains(&sleep.value), "asleep stages only: {}", sleep.value);
    assert_eq!(import.bp_readings[0].device, "Health Mate (BPM Connect)");

    let prov = Provenance { patient_id: "p1".into(), source: "apple-health:export.xml".into() };
    let mut resources = vec![patient()];
    resources.extend(import.to_observations(&prov));
    let harmonised = twin_fhir::harmonise_resources(resources).unwrap();
    let record = &harmonised.record;
    assert!(harmonised.problems.is_empty(), "{:?}", harmonised.problems);
    assert_eq!(record.home_bp.len(), (N_BP_DAYS * 4) as usize);
    assert!(
        record.series(K::Sbp).is_empty() && record.series(K::Dbp).is_empty(),
        "home readings are not office readings"
    );
    assert_eq!(record.series(K::Steps).len(), N_DAYS as usize);
    assert_eq!(record.series(K::WearableRestingHeartRate).len(), N_DAYS as usize);
    assert!(record.series(K::HeartRate).is_empty(), "a watch's daily mean is not a clinic heart rate");
    let mean = protocol_mean(&record.home_bp, date!(2026 - 12 - 01)).unwrap();
    assert_eq!((mean.n_days, mean.n_readings, mean.n_morning, mean.n_evening), (6, 24, 12, 12));
    assert_eq!(mean.verdict, HomeBpVerdict::of(mean.systolic, mean.diastolic));
}

#[test]
fn a_cut_export_keeps_what_is_complete_and_says_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let (path, n_bytes) = write_export(&dir);
    let whole = std::fs::read(&path).unwrap();
    let cut_at = (n_bytes * 3 / 5) as usize;
    let cut = dir.path().join("cut.xml");
    std::fs::File::create(&cut).unwrap().write_all(&whole[..cut_at]).unwrap();

    let import = read_export_file(&cut).unwrap();
    let stopped = import.stopped.clone().expect("a cut file says so");
    assert!(stopped.byte <= cut_at as u64 && stopped.byte > cut_at as u64 - 2_000, "{stopped}");
    let line = whole[..stopped.byte as usize].iter().filter(|b| **b == b'\n').count() as u64 + 1;
    assert_eq!(stopped.line, line, "{stopped}");
    assert!(stopped.to_string().starts_with(&format!("stopped at line {line} / byte ")), "{stopped}");
    // Steps come first in the file, whole; heart rate was being read: its last day is dropped.
    let days_of = |m: Metric| import.daily.iter().filter(|d| d.metric == m).count();
    assert_eq!(days_of(Metric::Steps), N_DAYS as usize);
    let hr_days = days_of(Metric::HeartRateMean);
    assert!(hr_days > 0 && hr_days < N_DAYS as usize, "{hr_days}");
    assert_eq!(days_of(Metric::SleepHours), 0, "written after the cut");
    assert!(import.bp_readings.is_empty());
}
