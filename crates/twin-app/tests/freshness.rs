//! Stale data is visible (issue 26, item 3): every answer built on a record says which inputs
//! are older than their limit, how old, and what to re-measure; the limits are a setting. On the
//! committed demo cohort and the pinned consultation day, through the command registry.

mod common;

use std::path::PathBuf;

use common::keychain_available;
use serde_json::{json, Value};
use twin_app::commands::dispatch;
use twin_app::session::{Session, SessionConfig};
use twin_app::ErrorCode;
use twin_test_support::{demo_dir, CONSULTATION_DAY};

/// Walter Brennan, the uncontrolled hypertensive (assets/demo/01-…): last BP 2026-03-25, last
/// lipids, eGFR and HbA1c 2025-07-11.
const WALTER: &str = "ct-demo-01";
/// The poorly adherent patient (assets/demo/08-…): every reading last taken on 2026-06-27.
const LAST_VISIT_0627: &str = "ct-demo-08";

fn session_on(day: time::Date, data_dir: Option<PathBuf>) -> Session {
    Session::new(SessionConfig { demo_dir: Some(demo_dir()), data_dir, as_of: Some(day) })
}

fn call(s: &Session, command: &str, args: Value) -> Value {
    dispatch(s, command, args).unwrap_or_else(|e| panic!("{command}: {e}"))
}

fn stale(freshness: &Value) -> Vec<&str> {
    freshness["staleInputs"].as_array().expect("staleInputs").iter().map(|i| i["measure"].as_str().unwrap()).collect()
}

fn input<'a>(freshness: &'a Value, measure: &str) -> &'a Value {
    freshness["staleInputs"]
        .as_array()
        .and_then(|l| l.iter().find(|i| i["measure"] == measure))
        .unwrap_or_else(|| panic!("{measure} is not reported stale: {freshness}"))
}

/// Walter's freshness as every answer must carry it on 2026-12-01, under the default limits.
fn assert_walter(freshness: &Value, answer: &str) {
    assert_eq!(freshness["asOf"], "2026-12-01", "{answer}");
    assert_eq!(
        stale(freshness),
        [
            "blood_pressure",
            "heart_rate",
            "ldl_cholesterol",
            "hdl_cholesterol",
            "total_cholesterol",
            "kidney_function",
            "hba1c"
        ],
        "{answer}"
    );
    let bp = input(freshness, "blood_pressure");
    assert_eq!(
        (&bp["lastDate"], &bp["ageDays"], &bp["ageMonths"], &bp["limitMonths"]),
        (&json!("2026-03-25"), &json!(251), &json!(8), &json!(3)),
        "{answer}: {bp}"
    );
    assert_eq!(bp["remeasure"], "re-measure office or home BP");
    assert_eq!(
        bp["sentence"],
        "blood pressure: last measured 2026-03-25, 8 months ago (limit 3): re-measure office or home BP"
    );
    for lipid in ["ldl_cholesterol", "hdl_cholesterol", "total_cholesterol"] {
        let l = input(freshness, lipid);
        // 508 days: 16.7 months, "17 months" as the issue says.
        assert_eq!(
            (&l["lastDate"], &l["ageDays"], &l["ageMonths"], &l["limitMonths"]),
            (&json!("2025-07-11"), &json!(508), &json!(17), &json!(12)),
            "{answer}: {l}"
        );
        assert_eq!(l["remeasure"], "repeat the lipid profile (total, LDL and HDL cholesterol)");
    }
    assert_eq!(input(freshness, "kidney_function")["limitMonths"], 12);
    assert_eq!(input(freshness, "hba1c")["limitMonths"], 6);
    assert_eq!(freshness["calibratedTo"], "2026-03-25", "{answer}");
    assert_eq!(freshness["calibratedMonthsBefore"], 8, "{answer}");
    assert_eq!(freshness["calibration"], "model calibrated to readings up to 2026-03-25 (8 months before 2026-12-01)");
    assert_eq!(
        freshness["limits"],
        json!({"bloodPressureMonths": 3, "lipidsMonths": 12, "egfrMonths": 12, "hba1cMonths": 6})
    );
    assert!(freshness["note"].is_null(), "{answer}: no data folder, nothing to read: {}", freshness["note"]);
}

#[test]
fn walter_brennans_bp_and_lipids_are_stale_in_every_answer() {
    let s = session_on(CONSULTATION_DAY, None);
    let ensemble = json!({ "months": 12, "members": 100, "seed": 1 });
    let current = json!({ "name": "Current treatment", "interventions": [] });
    // A second name for the same plan: the comparison's answer is what is checked, not its figures.
    let again = json!({ "name": "Current treatment again", "interventions": [] });
    assert_walter(&call(&s, "patientSummary", json!({ "id": WALTER }))["freshness"], "patientSummary");
    assert_walter(&call(&s, "twin", json!({ "id": WALTER }))["freshness"], "twin");
    assert_walter(&call(&s, "risk", json!({ "id": WALTER }))["freshness"], "risk");
    let projection = call(&s, "simulate", json!({ "id": WALTER, "scenario": current, "ensemble": ensemble }));
    assert_walter(&projection["freshness"], "simulate");
    let comparison = call(&s, "compare", json!({ "id": WALTER, "scenarios": [current, again], "ensemble": ensemble }));
    for p in comparison["projections"].as_array().unwrap() {
        assert_walter(&p["freshness"], "compare");
    }
    assert_walter(
        &call(&s, "suggest", json!({ "id": WALTER, "members": 100, "alternatives": 1 }))["freshness"],
        "suggest",
    );
}

#[test]
fn no_demo_patient_is_fresh_on_the_consultation_day_but_one_seen_last_month_is() {
    // The committed cohort's last visits run to mid-2026; on the pinned 2026-12-01 every patient's
    // BP is over 3 months old, so none is a fresh control on that day.
    let s = session_on(CONSULTATION_DAY, None);
    let list = call(&s, "listPatients", json!({}));
    for p in list["patients"].as_array().unwrap() {
        let f = &call(&s, "patientSummary", json!({ "id": p["id"] }))["freshness"];
        assert!(stale(f).contains(&"blood_pressure"), "{}: {f}", p["id"]);
    }
    // Patient 08 was last seen on 2026-06-27: on 2026-07-15 nothing is stale, every input is
    // still listed with its age, and the calibration is 18 days old.
    let s = session_on(time::macros::date!(2026 - 07 - 15), None);
    for answer in ["patientSummary", "twin", "risk"] {
        let f = &call(&s, answer, json!({ "id": LAST_VISIT_0627 }))["freshness"];
        assert_eq!(stale(f), Vec::<&str>::new(), "{answer}: {f}");
        assert_eq!(f["inputs"].as_array().map(Vec::len), Some(7), "{answer}: BP, heart rate, 3 lipids, eGFR, HbA1c");
        assert_eq!(f["calibratedTo"], "2026-06-27");
        assert_eq!(f["calibration"], "model calibrated to readings up to 2026-06-27 (3 weeks before 2026-07-15)");
    }
}

#[test]
fn without_a_data_folder_the_defaults_apply_and_limits_cannot_be_saved() {
    let s = session_on(CONSULTATION_DAY, None);
    let settings = call(&s, "settings", json!({}));
    assert_eq!(settings["staleLimits"], settings["staleLimitsDefault"]);
    assert_eq!(settings["staleLimitsSaved"], false);
    let e = dispatch(
        &s,
        "saveStaleLimits",
        json!({"bloodPressureMonths": 6, "lipidsMonths": 12, "egfrMonths": 12, "hba1cMonths": 6}),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Store, "{e}");
}

#[test]
fn the_limits_are_a_sealed_setting_that_later_answers_follow_and_bad_ones_are_refused() {
    if !keychain_available("settings") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let s = session_on(CONSULTATION_DAY, Some(data.path().to_path_buf()));
    let settings = call(&s, "settings", json!({}));
    assert_eq!(
        settings["staleLimits"],
        json!({"bloodPressureMonths": 3, "lipidsMonths": 12, "egfrMonths": 12, "hba1cMonths": 6})
    );
    assert_eq!(settings["staleLimitsSaved"], false);

    for (bad, field, words) in [
        (0, "bloodPressureMonths", "the blood pressure limit must be a whole number of months from 1 to 120, not 0"),
        (121, "lipidsMonths", "the lipids limit must be a whole number of months from 1 to 120, not 121"),
        (-1, "egfrMonths", "the eGFR limit must be a whole number of months from 1 to 120, not -1"),
    ] {
        let mut limits = json!({"bloodPressureMonths": 3, "lipidsMonths": 12, "egfrMonths": 12, "hba1cMonths": 6});
        limits[field] = json!(bad);
        let e = dispatch(&s, "saveStaleLimits", limits).unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (ErrorCode::Validation, words));
    }
    let e = dispatch(&s, "saveStaleLimits", json!({"bloodPressureMonths": 3})).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation, "every limit is given: {e}");
    assert_eq!(call(&s, "settings", json!({}))["staleLimitsSaved"], false, "nothing bad was saved");

    // A year for BP and two for lipids: Walter's 8-month-old BP and 17-month-old lipids pass.
    let saved = call(
        &s,
        "saveStaleLimits",
        json!({"bloodPressureMonths": 12, "lipidsMonths": 24, "egfrMonths": 12, "hba1cMonths": 6}),
    );
    assert_eq!(saved["staleLimitsSaved"], true);
    assert_eq!(saved["staleLimits"]["bloodPressureMonths"], 12);
    let f = &call(&s, "twin", json!({ "id": WALTER }))["freshness"];
    assert_eq!(stale(f), ["kidney_function", "hba1c"], "{f}");
    assert_eq!(f["limits"]["lipidsMonths"], 24);
    // A new session on the same folder reads them back (sealed on disk, not in memory).
    let again = session_on(CONSULTATION_DAY, Some(data.path().to_path_buf()));
    assert_eq!(stale(&call(&again, "risk", json!({ "id": WALTER }))["freshness"]), ["kidney_function", "hba1c"]);
    for path in twin_test_support::files_under(data.path()) {
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(13).any(|w| w == b"bloodPressure"), "{} holds the limits in clear", path.display());
    }
}
