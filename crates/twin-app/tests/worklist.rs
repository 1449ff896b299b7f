//! `openPanel` through the registry: a panel result as a ranked worklist. The Parquet reader is
//! twin-panel's, registered by the process that serves the app; here a reader stands in for it
//! (twin-panel's own tests and the browser test read real files).

use std::sync::Arc;

use twin_app::commands::dispatch;
use twin_app::session::{Session, SessionConfig};
use twin_app::settings::GuidelineSet;
use twin_app::worklist::{set_reader, WorklistRow};
use twin_test_support::{demo_dir, CONSULTATION_DAY};

fn row(id: &str, scenario: &str, benefit: Option<f64>, alerts: &[&str], skip: Option<&str>) -> WorklistRow {
    WorklistRow {
        patient_id: id.into(),
        scenario: scenario.into(),
        event_model: None,
        risk_pct: Some(10.0),
        risk_years: Some(10),
        benefit_pct: benefit,
        benefit_p5: None,
        benefit_p95: None,
        benefit_years: Some(10),
        first_step: None,
        guidelines: Some(GuidelineSet::AccAha),
        alerts: alerts.iter().map(|a| a.to_string()).collect(),
        stale_inputs: Vec::new(),
        skip_reason: skip.map(str::to_string),
        skip_detail: None,
        openable: false,
        name: None,
    }
}

#[test]
fn a_panel_opens_ranked_one_row_a_patient() {
    set_reader(Arc::new(|path: &std::path::Path| {
        assert!(path.ends_with("panel.parquet"));
        Ok(vec![
            row("ct-demo-01", "amlodipine", Some(1.0), &[], None),
            row("ct-demo-01", "current", Some(2.0), &[], None),
            row("ct-demo-02", "current", Some(2.0), &["k-high"], None),
            row("ghost", "current", None, &[], Some("no_patient_resource")),
            row("zz-elsewhere", "current", Some(9.0), &[], None),
        ])
    }));
    let session =
        Session::new(SessionConfig { demo_dir: Some(demo_dir()), data_dir: None, as_of: Some(CONSULTATION_DAY) });
    let answer = dispatch(&session, "openPanel", serde_json::json!({ "path": "/data/panel.parquet" })).unwrap();
    assert_eq!(answer["file"], "panel.parquet");
    let ids: Vec<&str> = answer["rows"].as_array().unwrap().iter().map(|r| r["patientId"].as_str().unwrap()).collect();
    // Benefit first, then alerts: 02 and 01 tie on benefit, 02 has the alert.
    assert_eq!(ids, ["zz-elsewhere", "ct-demo-02", "ct-demo-01"]);
    assert_eq!(answer["rows"][2]["scenario"], "current", "the patient's row under today's treatment");
    assert_eq!(answer["rows"][1]["openable"], true, "a demo patient opens");
    assert_eq!(answer["rows"][0]["openable"], false, "a patient the workstation does not hold does not");
    assert!(answer["rows"][1]["name"].as_str().is_some_and(|n| !n.is_empty()), "a held patient is named");
    assert!(answer["rows"][0]["name"].is_null(), "the file holds no names");
    assert_eq!(answer["skipped"][0]["skipReason"], "no_patient_resource");
    assert_eq!(answer["guidelines"], "accAha", "every projected row names the same set");
    let bad = dispatch(&session, "openPanel", serde_json::json!({})).unwrap_err();
    assert!(bad.message.contains("invalid arguments"), "{}", bad.message);
}
