//! Recording a decision from the decision screen, on the real keychain (`scripts/test`, or
//! `with_test_keyring` from scripts/lib/setup.sh): the keychain's state is known before the form
//! is filled, a reason is needed for every choice, and one decision id writes one entry however
//! often (and however concurrently) it is sent. An unknown patient id is "not found".

mod common;

use std::path::PathBuf;

use common::keychain_available;
use serde_json::{json, Value};
use twin_app::commands::dispatch;
use twin_app::session::{Session, SessionConfig, NO_SUCH_PATIENT};
use twin_app::ErrorCode;

fn session(data_dir: Option<PathBuf>) -> Session {
    Session::new(SessionConfig {
        demo_dir: Some(twin_test_support::demo_dir()),
        data_dir,
        as_of: Some(twin_test_support::CONSULTATION_DAY),
    })
}

fn walter() -> String {
    twin_test_support::bundle_patient_id(&twin_test_support::demo_bundle("01-uncontrolled-hypertension.json"))
}

fn decide(id: &str, decision: &str, reason: Option<&str>, decision_id: Option<&str>) -> Value {
    let mut args = json!({ "id": id, "suggestionJson": "{\"headline\":\"add amlodipine\"}", "decision": decision });
    if let Some(r) = reason {
        args["reason"] = json!(r);
    }
    if let Some(d) = decision_id {
        args["decisionId"] = json!(d);
    }
    args
}

#[test]
fn without_a_data_folder_the_keychain_status_says_nothing_can_be_recorded() {
    let s = session(None);
    let status = dispatch(&s, "keychainStatus", json!({})).unwrap();
    assert_eq!(status["state"], "noDataFolder");
    assert_eq!(status["usable"], false);
    assert!(status["action"].as_str().unwrap().contains("--data-dir"));
}

#[test]
fn one_decision_id_records_one_entry_and_the_keychain_is_reported_ready() {
    if !keychain_available("decision-recording") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let s = session(Some(data.path().to_path_buf()));
    let id = walter();

    // Known before the form is filled, with nothing secret in it.
    let status = dispatch(&s, "keychainStatus", json!({})).unwrap();
    assert_eq!(status["state"], "ready", "{status}");
    assert_eq!(status["usable"], true);
    assert_eq!(status["detail"], Value::Null);
    assert_eq!(status.as_object().unwrap().len(), 5, "state, usable, message, detail, action only: {status}");

    // A reason for every choice, accept included.
    let err = dispatch(&s, "decideSuggestion", decide(&id, "accepted", None, Some("d-1"))).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.contains("reason is required"), "{err}");
    let err = dispatch(&s, "decideSuggestion", decide(&id, "accepted", Some("  "), Some("d-1"))).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let err =
        dispatch(&s, "decideSuggestion", decide(&id, "accepted", Some("at target"), Some("no spaces"))).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation, "a malformed decision id");

    // The double click: the second answers the first entry and writes nothing.
    let first =
        dispatch(&s, "decideSuggestion", decide(&id, "accepted", Some("agrees with the plan"), Some("d-1"))).unwrap();
    let second =
        dispatch(&s, "decideSuggestion", decide(&id, "accepted", Some("agrees with the plan"), Some("d-1"))).unwrap();
    assert_eq!(first, second);
    assert_eq!(first["decisionId"], "d-1");
    assert_eq!(first["reason"], "agrees with the plan");
    // The same id for another decision is refused, not merged into the first.
    let err = dispatch(&s, "decideSuggestion", decide(&id, "declined", Some("changed mind"), Some("d-1"))).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);

    // A second submit while the first is in flight: eight at once, one entry.
    let answers: Vec<Value> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    dispatch(&s, "decideSuggestion", decide(&id, "declined", Some("prefers to wait"), Some("d-2")))
                        .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(answers.iter().all(|a| a["seq"] == answers[0]["seq"]), "every request answers the same entry");

    // Without an id (the CLI, older screens) each call is its own decision, as before.
    dispatch(&s, "decideSuggestion", decide(&id, "declined", Some("recorded from the CLI"), None)).unwrap();

    let log = dispatch(&s, "auditLog", json!({})).unwrap();
    let entries = log["entries"].as_array().unwrap();
    let ids: Vec<&Value> = entries.iter().map(|e| &e["decisionId"]).collect();
    assert_eq!(ids, [&json!("d-1"), &json!("d-2"), &Value::Null]);
    assert_eq!(log["check"]["intact"], true);
    assert_eq!(log["check"]["nGood"], 3);
}

#[test]
fn an_unknown_patient_is_not_found() {
    if !keychain_available("decision-recording") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let s = session(Some(data.path().to_path_buf()));
    for command in ["patientSummary", "timeline", "twin"] {
        let err = dispatch(&s, command, json!({ "id": "no-such-patient" })).unwrap_err();
        assert_eq!((err.code, err.message.as_str()), (ErrorCode::NotFound, NO_SUCH_PATIENT), "{command}");
    }
}
