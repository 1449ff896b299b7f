//! Saved scenarios as first-class objects, through the command registry on a real data folder
//! (sealed store, keychain): save, a taken name refused, edit in place, duplicate, delete, notes,
//! the name's limit; and the builder's choices and checks against today's regimen.

mod common;

use std::path::PathBuf;

use common::{call, keychain_available, walter};
use serde_json::{json, Value};
use twin_app::commands::dispatch;
use twin_app::session::{Session, SessionConfig};
use twin_app::ErrorCode;

fn session(data_dir: Option<PathBuf>) -> Session {
    Session::new(SessionConfig {
        demo_dir: Some(twin_test_support::demo_dir()),
        data_dir,
        as_of: Some(twin_test_support::CONSULTATION_DAY),
    })
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array().expect("a list").iter().map(|s| s["name"].as_str().expect("a name")).collect()
}

fn statin(adherence: f64) -> Value {
    json!([{ "type": "start_drug", "class": "statin", "dose": "double", "start_month": 0, "adherence": adherence }])
}

#[test]
fn saved_scenarios_are_edited_duplicated_and_deleted_never_silently_overwritten() {
    if !keychain_available("saved-scenario") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let s = session(Some(dir.path().to_path_buf()));
    let id = walter(&s);
    let save = |scenario: Value, replace: Option<&str>| {
        let mut args = json!({ "id": id, "scenario": scenario });
        if let Some(r) = replace {
            args["replace"] = json!(r);
        }
        dispatch(&s, "saveScenario", args)
    };

    let eighty = json!({ "name": "Statin 80 %", "interventions": statin(0.8), "notes": "Discussed at the visit." });
    save(eighty.clone(), None).expect("saved");
    // "Statin 80 %" must not end up holding 20 % adherence.
    let twenty = json!({ "name": "statin 80 %", "interventions": statin(0.2) });
    let e = save(twenty.clone(), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(e.message.contains("already saved") && e.message.contains("replace"), "{e}");
    let saved = call(&s, "savedScenarios", json!({ "id": id }));
    assert_eq!(saved[0]["interventions"][0]["adherence"], 0.8, "the saved one is unchanged");
    assert_eq!(saved[0]["notes"], "Discussed at the visit.");
    // Saving the same scenario again (a double click) is one scenario.
    assert_eq!(names(&save(eighty, None).expect("the same again")), ["Statin 80 %"]);

    // Edit: replace it by name, renamed and with new notes, in its place.
    save(json!({ "name": "Salt", "interventions": [{ "type": "sodium_reduction", "start_month": 0 }] }), None)
        .expect("second");
    let edited = json!({ "name": "Statin, 20 % adherence", "interventions": statin(0.2), "notes": "Worst case." });
    let list = save(edited, Some("Statin 80 %")).expect("edited");
    assert_eq!(names(&list), ["Statin, 20 % adherence", "Salt"]);
    assert_eq!(list[0]["interventions"][0]["adherence"], 0.2);
    assert_eq!(save(twenty, Some("No such scenario")).unwrap_err().code, ErrorCode::NotFound);

    // Names: at most 80 characters, not blank, not "current treatment".
    let long = "x".repeat(81);
    let e = save(json!({ "name": long, "interventions": statin(1.0) }), None).unwrap_err();
    assert!(e.message.contains("at most 80 characters"), "{e}");
    assert_eq!(save(json!({ "name": " ", "interventions": [] }), None).unwrap_err().code, ErrorCode::Validation);
    let reserved = save(json!({ "name": "Current treatment", "interventions": statin(1.0) }), None).unwrap_err();
    assert_eq!(reserved.code, ErrorCode::Validation);

    // Values the builder refuses, the server refuses too (NaN arrives as null).
    let nan = dispatch(
        &s,
        "saveScenario",
        json!({ "id": id, "scenario": { "name": "NaN", "interventions": [{ "type": "adherence", "level": null }] } }),
    )
    .unwrap_err();
    assert_eq!(nan.code, ErrorCode::Validation);
    let huge = json!({ "name": "Huge", "interventions": [{ "type": "exercise", "minutes_per_week": 1e9 }] });
    let e = save(huge, None).unwrap_err();
    assert!(e.message.contains("change 1: exercise minutes per week must be 0–600"), "{e}");
    // A class taken now cannot be started: said at save, not only at comparison.
    let again = json!({ "name": "Lisinopril again", "interventions": [
        { "type": "start_drug", "class": "ace_inhibitor", "start_month": 0 }] });
    let e = save(again, None).unwrap_err();
    assert!(e.message.contains("already taken") && e.message.contains("change 1"), "{e}");

    // Duplicate next to the original, then delete the copy.
    let list = call(&s, "duplicateScenario", json!({ "id": id, "name": "Salt" }));
    assert_eq!(names(&list), ["Statin, 20 % adherence", "Salt", "Salt (copy)"]);
    assert_eq!(list[2]["interventions"], list[1]["interventions"]);
    let list = call(&s, "deleteScenario", json!({ "id": id, "name": "Statin, 20 % adherence" }));
    assert_eq!(names(&list), ["Salt", "Salt (copy)"]);
    let e = dispatch(&s, "deleteScenario", json!({ "id": id, "name": "Statin, 20 % adherence" })).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);

    // A new session (the app restarted) reads the same list back; nothing is in clear on disk.
    let again = session(Some(dir.path().to_path_buf()));
    assert_eq!(call(&again, "savedScenarios", json!({ "id": id })), list);
    for path in twin_test_support::files_under(dir.path()) {
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(4).any(|w| w == b"Salt"), "{} holds a scenario in clear", path.display());
        assert!(!bytes.windows(10).any(|w| w == b"Worst case"), "{} holds notes in clear", path.display());
    }
}

#[test]
fn a_change_may_start_as_late_as_the_longest_horizon() {
    assert_eq!(twin_app::scenario_file::MAX_CHANGE_MONTH, twin_app::session::MAX_MONTHS);
}

#[test]
fn the_builder_is_offered_what_applies_and_each_scenario_is_checked_before_a_comparison() {
    let s = session(None);
    let id = walter(&s);
    let options = call(&s, "scenarioOptions", json!({ "id": id }));
    let taken: Vec<&str> = options["taken"].as_array().unwrap().iter().map(|t| t["class"].as_str().unwrap()).collect();
    assert_eq!(taken, ["ace_inhibitor"], "Walter takes lisinopril alone");
    assert!(options["taken"][0]["medication"].as_str().unwrap().starts_with("lisinopril"), "{options}");
    let startable = options["startable"].as_array().unwrap();
    assert!(!startable.iter().any(|c| c["class"] == "ace_inhibitor"), "a class taken is not offered to start");
    let ccb = startable.iter().find(|c| c["class"] == "calcium_channel_blocker").expect("amlodipine can start");
    assert!(ccb["doses"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["text"].as_str().unwrap().starts_with("amlodipine 5 mg")));

    let good = json!({ "name": "Add amlodipine", "interventions": [
        { "type": "start_drug", "class": "calcium_channel_blocker", "start_month": 0, "adherence": 0.8 }] });
    let bad = json!({ "name": "Start lisinopril", "interventions": [
        { "type": "sodium_reduction", "start_month": 0 },
        { "type": "start_drug", "class": "ace_inhibitor", "start_month": 0 }] });
    let checks = call(&s, "checkScenarios", json!({ "id": id, "scenarios": [good, bad] }));
    assert_eq!(checks[0], json!({ "name": "Add amlodipine", "problem": null, "intervention": null }));
    assert_eq!(checks[1]["intervention"], 1, "the second change is at fault: {checks}");
    assert!(checks[1]["problem"].as_str().unwrap().contains("ACE inhibitor is already taken"), "{checks}");
}
