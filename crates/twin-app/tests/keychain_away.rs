//! Without a reachable keychain: the decision screen and Settings learn it from `keychainStatus`
//! before a form is filled; demo patients still open; an unknown patient is "not found", with the
//! cache's state beside it rather than a keychain error instead of it.
//!
//! Its own test binary with one test: it points this process's D-Bus session at nothing, which
//! must not reach tests that use the real keychain.

use serde_json::json;
use twin_app::commands::dispatch;
use twin_app::session::{Session, SessionConfig};
use twin_app::ErrorCode;

#[test]
fn without_a_keychain_the_state_is_known_before_recording_and_patients_still_open() {
    // No keyring service can answer here (set before any thread of this process starts).
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/cardiotwin-test-bus");
    let data = tempfile::tempdir().unwrap();
    let s = Session::new(SessionConfig {
        demo_dir: Some(twin_test_support::demo_dir()),
        data_dir: Some(data.path().join("data")),
        as_of: Some(twin_test_support::CONSULTATION_DAY),
    });

    let status = dispatch(&s, "keychainStatus", json!({})).unwrap();
    assert_eq!(status["state"], "unavailable", "{status}");
    assert_eq!(status["usable"], false);
    assert!(status["message"].as_str().unwrap().starts_with("The system keychain cannot be reached"), "{status}");
    assert!(status["action"].as_str().unwrap().contains("Start or unlock the system keychain"), "{status}");
    let detail = status["detail"].as_str().unwrap();
    assert!(
        !detail.is_empty() && !detail.contains("org.freedesktop") && !detail.contains('/'),
        "plain words: {detail}"
    );

    // The demo set still opens.
    let walter =
        twin_test_support::bundle_patient_id(&twin_test_support::demo_bundle("01-uncontrolled-hypertension.json"));
    dispatch(&s, "patientSummary", json!({ "id": walter })).unwrap();

    // An unknown id is not found; that the cache could not be searched comes with it.
    let err = dispatch(&s, "patientSummary", json!({ "id": "no-such-patient" })).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound, "{err}");
    assert!(
        err.message.starts_with("no patient with this id in the demo set; the offline cache could not be searched"),
        "{err}"
    );

    // Recording is refused as the status said it would be.
    let args =
        json!({ "id": walter, "suggestionJson": "{}", "decision": "declined", "reason": "r", "decisionId": "d" });
    assert_eq!(dispatch(&s, "decideSuggestion", args).unwrap_err().code, ErrorCode::StoreLocked);
}
