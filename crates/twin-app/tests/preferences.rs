//! The clinician's preferences on the real keychain (`scripts/test`, or `with_test_keyring` from
//! scripts/lib/setup.sh): saved sealed and read back by a later session, refused in words when
//! wrong, the default risk region and race feeding every risk answer (a region the screen gives
//! still wins), and the clinician's name in each new decision-log entry while the entries written
//! before it still verify.

mod common;

use std::path::PathBuf;

use common::keychain_available;
use serde_json::{json, Value};
use twin_app::commands::dispatch;
use twin_app::session::{Session, SessionConfig};
use twin_app::ErrorCode;

fn session(data_dir: PathBuf) -> Session {
    Session::new(SessionConfig {
        demo_dir: Some(twin_test_support::demo_dir()),
        data_dir: Some(data_dir),
        as_of: Some(twin_test_support::CONSULTATION_DAY),
    })
}

fn walter() -> String {
    twin_test_support::bundle_patient_id(&twin_test_support::demo_bundle("01-uncontrolled-hypertension.json"))
}

fn decide(id: &str, decision_id: &str) -> Value {
    json!({
        "id": id,
        "suggestionJson": "{\"headline\":\"add amlodipine\"}",
        "decision": "declined",
        "reason": "patient prefers to wait for home readings",
        "decisionId": decision_id,
    })
}

fn preferences(name: Option<&str>) -> Value {
    json!({
        "lipidUnit": "mg/dL",
        "defaultRegion": "moderate",
        "defaultRace": "white",
        "guidelines": "accAha",
        "clinician": name.map(|n| json!({ "displayName": n, "role": "consultant cardiologist", "identifier": "GMC 7654321" })),
    })
}

#[test]
fn preferences_are_sealed_refused_in_words_and_feed_risk_and_the_log() {
    if !keychain_available("preferences") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let s = session(data.path().to_path_buf());
    let id = walter();

    // Before any choice: the defaults, and a decision recorded under the system user name.
    let settings = dispatch(&s, "settings", json!({})).unwrap();
    assert_eq!(settings["preferences"]["lipidUnit"], "mmol/L");
    assert_eq!(settings["preferencesSaved"], false);
    assert!(settings["targets"][0]["source"].as_str().unwrap().starts_with("ESC 2024"), "{settings}");
    let before = dispatch(&s, "decideSuggestion", decide(&id, "before-name")).unwrap();
    assert!(before.get("userRole").is_none(), "{before}");
    let risk_unset = dispatch(&s, "risk", json!({ "id": id })).unwrap();
    let risk_moderate =
        dispatch(&s, "risk", json!({ "id": id, "context": { "region": "moderate", "race": "white" } })).unwrap();
    let risk_high =
        dispatch(&s, "risk", json!({ "id": id, "context": { "region": "high", "race": "white" } })).unwrap();

    // Wrong values are refused in words, and nothing is saved.
    let e = dispatch(&s, "savePreferences", preferences(Some("   "))).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(e.message.contains("name the decision log should record"), "{e}");
    let e = dispatch(&s, "savePreferences", json!({ "lipidUnit": "mg/dl" })).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation, "{e}");
    assert!(e.message.contains("savePreferences: invalid arguments"), "{e}");
    assert_eq!(dispatch(&s, "settings", json!({})).unwrap()["preferencesSaved"], false);

    // Saved, and read back sealed by a later session over the same folder.
    let saved = dispatch(&s, "savePreferences", preferences(Some(" Dr Ana Silva "))).unwrap();
    assert_eq!(saved["preferences"]["clinician"]["displayName"], "Dr Ana Silva");
    assert_eq!(saved["targets"][0]["source"].as_str().unwrap().get(..4), Some("2017"), "ACC/AHA targets: {saved}");
    drop(s);
    let s = session(data.path().to_path_buf());
    let settings = dispatch(&s, "settings", json!({})).unwrap();
    assert_eq!(
        (settings["preferencesSaved"].clone(), settings["preferences"]["lipidUnit"].clone()),
        (json!(true), json!("mg/dL"))
    );
    for file in twin_test_support::files_under(data.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.windows(9).any(|w| w == b"Ana Silva"), "{} holds the name in the clear", file.display());
    }

    // The defaults feed the risk equations; a region the screen gives wins.
    let risk_default = dispatch(&s, "risk", json!({ "id": id })).unwrap();
    assert_eq!(risk_default["score2"], risk_moderate["score2"], "the default region is used");
    assert_eq!(risk_default["pce"], risk_moderate["pce"], "the default race is used");
    assert_ne!(risk_unset["score2"], risk_moderate["score2"], "without a region SCORE2 differs (it waits for one)");
    let risk_given = dispatch(&s, "risk", json!({ "id": id, "context": { "region": "high" } })).unwrap();
    assert_eq!(risk_given["score2"], risk_high["score2"], "the screen's region wins over the default");

    // New decisions carry the clinician; the entry from before still verifies with them.
    let after = dispatch(&s, "decideSuggestion", decide(&id, "after-name")).unwrap();
    assert_eq!(after["user"], "Dr Ana Silva");
    assert_eq!(after["userRole"], "consultant cardiologist");
    assert_eq!(after["userIdentifier"], "GMC 7654321");
    let log = dispatch(&s, "auditLog", json!({})).unwrap();
    assert_eq!(log["check"]["intact"], true, "{log}");
    assert_eq!(log["check"]["nGood"], 2);
    assert_eq!(log["entries"][0]["user"], before["user"]);
    let export = dispatch(&s, "exportAudit", json!({})).unwrap();
    assert!(export["bundle"].as_str().unwrap().contains("Dr Ana Silva (consultant cardiologist)"));
}
