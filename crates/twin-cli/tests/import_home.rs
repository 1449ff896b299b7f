//! `cardiotwin import --home-bp` and `--apple-health` as a user runs them: a real sealed store in
//! a temporary data folder with the real keychain, a demo patient imported first, then a home
//! monitor's CSV (again, to show it replaces), a bad CSV, a generated Apple Health export and a
//! cut-short one.
//!
//! Needs a D-Bus session with a keyring (what `scripts/test` sets up); without one the test says
//! so and passes.

mod common;

use common::{cardiotwin, keychain, text, week_csv};
use std::path::Path;
use std::process::Output;

use serde_json::Value;
use time::macros::date;

const PATIENT: &str = "ct-demo-01";

fn report(out: &Output) -> Value {
    assert!(out.status.success(), "{}", text(out));
    serde_json::from_slice(&out.stdout).expect("the report is JSON")
}

fn latest_sbp(data: &Path) -> Value {
    let out = cardiotwin(data, &["cache", "show", PATIENT, "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out));
    let summary: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    summary["latest"].as_array().expect("latest").iter().find(|l| l["key"] == "sbp").cloned().unwrap_or(Value::Null)
}

fn setup() -> Option<tempfile::TempDir> {
    if !keychain("home import") {
        return None;
    }
    let data = tempfile::tempdir().unwrap();
    let bundle = twin_test_support::demo_file("01-uncontrolled-hypertension.json");
    let out = cardiotwin(data.path(), &["cache", "import", "--bundle", bundle.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    Some(data)
}

#[test]
fn a_home_monitor_csv_joins_the_record_as_home_readings_and_again_replaces() {
    let Some(data) = setup() else { return };
    let office_before = latest_sbp(data.path());
    let csv = data.path().join("omron.csv");
    std::fs::write(&csv, week_csv()).unwrap();
    let args = ["import", "--home-bp", csv.to_str().unwrap(), "--device", "Omron M3", "--format", "json"];
    let first = report(&cardiotwin(data.path(), &args));
    assert_eq!((first["patient"].as_str(), first["bpReadings"].as_u64()), (Some(PATIENT), Some(28)));
    assert_eq!((first["added"].as_u64(), first["replaced"].as_u64()), (Some(28), Some(0)));
    let home = &first["homeBp"];
    assert_eq!(home["mean"]["systolic"], 141.0, "the first day's 156/99 is dropped: {home}");
    assert_eq!(home["mean"]["diastolic"], 84.0);
    assert_eq!((home["mean"]["nDays"].as_u64(), home["mean"]["nReadings"].as_u64()), (Some(6), Some(24)));
    assert_eq!((home["mean"]["nMorning"].as_u64(), home["mean"]["nEvening"].as_u64()), (Some(12), Some(12)));
    assert_eq!(home["mean"]["atOrAboveThreshold"], true, "141/84 is raised at home (135/85), though under 140/90");
    assert_eq!(home["devices"], serde_json::json!(["Omron M3"]));
    assert_eq!(latest_sbp(data.path()), office_before, "home readings do not enter the office series");

    let again = report(&cardiotwin(data.path(), &args));
    assert_eq!((again["added"].as_u64(), again["replaced"].as_u64()), (Some(0), Some(28)));

    let text_out = cardiotwin(data.path(), &args[..5]);
    assert!(text_out.status.success(), "{}", text(&text_out));
    let words = String::from_utf8_lossy(&text_out.stdout);
    assert!(words.contains("home BP 141/84 mmHg (6 days 2026-11-22–2026-11-27"), "{words}");
    assert!(words.contains("at or above the home threshold 135/85"), "{words}");
}

#[test]
fn a_bad_csv_names_its_lines_and_changes_nothing() {
    let Some(data) = setup() else { return };
    let csv = data.path().join("bad.csv");
    std::fs::write(&csv, "date,time,systolic,diastolic\n2026-11-21,07:05,142,88\n21/11/2026,07:06,140,\n").unwrap();
    let out = cardiotwin(data.path(), &["import", "--home-bp", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.csv: 1 line(s) could not be read, nothing was imported: line 3: date '21/11/2026'"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn an_apple_health_export_whole_and_cut_short() {
    let Some(data) = setup() else { return };
    let export = twin_wearables::SyntheticExport {
        start: date!(2026 - 10 - 01),
        n_days: 56,
        heart_rate_every_minutes: 5,
        n_bp_days: 7,
    };
    let xml = data.path().join("export.xml");
    let n_bytes = export.write(std::io::BufWriter::new(std::fs::File::create(&xml).unwrap())).unwrap();
    let whole =
        report(&cardiotwin(data.path(), &["import", "--apple-health", xml.to_str().unwrap(), "--format", "json"]));
    assert_eq!(whole["stopped"], Value::Null);
    assert_eq!(whole["bpReadings"].as_u64(), Some(28));
    assert_eq!(whole["dailySummaries"].as_u64(), Some(56 * 6));
    assert_eq!(whole["source"], "apple-health:export.xml");
    assert_eq!(whole["homeBp"]["devices"], serde_json::json!(["Health Mate (BPM Connect)"]));
    assert_eq!(whole["homeBp"]["mean"]["nDays"].as_u64(), Some(6));

    let bytes = std::fs::read(&xml).unwrap();
    let cut = data.path().join("cut-export.xml");
    std::fs::write(&cut, &bytes[..(n_bytes / 2) as usize]).unwrap();
    let out = cardiotwin(data.path(), &["import", "--apple-health", cut.to_str().unwrap()]);
    assert!(out.status.success(), "what is complete is imported: {}", text(&out));
    let words = String::from_utf8_lossy(&out.stdout);
    assert!(words.contains("the export is incomplete: stopped at line "), "{words}");
    assert!(words.contains(" / byte "), "{words}");
}
