//! A statin with no high-intensity dose is switched, not topped up with ezetimibe: demo patient
//! 02 (after PCI, LDL-C 1.95 mmol/L, above both sets' goals) on pravastatin 40 mg instead of his
//! atorvastatin 80 mg, through the real FHIR mapping, the offline cache and the keychain
//! (`with_test_keyring`), under ESC and ACC/AHA; on his own atorvastatin 80 mg, ezetimibe.

mod common;

use common::keychain_available;
use serde_json::{json, Value};
use twin_app::commands::dispatch;

const DEMO_FILE: &str = "02-post-pci-coronary-disease.json";

fn suggest(s: &twin_app::session::Session, id: &str) -> Value {
    dispatch(s, "suggest", json!({ "id": id, "members": 100, "seed": 3, "alternatives": 20 })).unwrap()
}

/// Every change of the suggested plan, step by step (now, then the reviews).
fn plan_changes(v: &Value) -> Vec<Value> {
    v["suggestion"]["plan"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|step| step["changes"].as_array().cloned().unwrap_or_default())
        .collect()
}

#[test]
fn pravastatin_40_is_switched_and_atorvastatin_80_gets_ezetimibe_under_both_sets() {
    if !keychain_available("statin_switch") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let s = common::session_on(Some(common::demo_dir()), Some(data.path().to_path_buf()));
    let demo_id = twin_test_support::bundle_patient_id(&twin_test_support::demo_bundle(DEMO_FILE));
    let text = std::fs::read_to_string(common::demo_dir().join(DEMO_FILE)).unwrap();
    let on_pravastatin = text
        .replace(&demo_id, "ct-prava-02")
        .replace("\"83367\"", "\"42463\"")
        .replace("atorvastatin 80 mg", "pravastatin 40 mg")
        .replace("\"display\": \"atorvastatin\"", "\"display\": \"pravastatin\"")
        .replace("\"value\": 80.0", "\"value\": 40.0");
    assert_ne!(on_pravastatin, text, "premise: the bundle was rewritten");
    dispatch(&s, "importBundle", json!({ "fileName": "prava.json", "bundleJson": on_pravastatin })).unwrap();

    for set in ["esc", "accAha"] {
        dispatch(&s, "savePreferences", json!({ "guidelines": set })).unwrap();
        let v = suggest(&s, "ct-prava-02");
        // BP is above target too: the plan may start a BP drug now and switch the statin at the
        // first lipid review, but it switches before any ezetimibe.
        let changes = plan_changes(&v);
        let switch_at = changes.iter().position(|c| c["action"] == "switch" && c["drugClass"] == "statin");
        let switch_at = switch_at.unwrap_or_else(|| panic!("{set}: a statin switch in the plan: {changes:?}"));
        let text = changes[switch_at]["text"].as_str().unwrap();
        assert!(text.starts_with("switch pravastatin 40 mg"), "{set}: {text}");
        assert!(
            text.contains("to atorvastatin 40 mg") || text.contains("to rosuvastatin 20 mg"),
            "{set}: the high-intensity statin is named: {text}"
        );
        let ezetimibe_at = changes.iter().position(|c| c["drugClass"] == "ezetimibe");
        assert!(ezetimibe_at.is_none_or(|e| e > switch_at), "{set}: the switch before ezetimibe: {changes:?}");
        // And the plan that makes the lipid change now is the switch, one change.
        let alternatives = v["alternatives"].as_array().unwrap();
        assert!(
            alternatives.iter().any(|a| a["steps"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t.as_str().is_some_and(|t| t.starts_with("switch pravastatin")))),
            "{set}: {alternatives:?}"
        );

        // The control: his own atorvastatin 80 mg has nowhere higher to go: ezetimibe, no switch.
        let v = suggest(&s, &demo_id);
        let changes = plan_changes(&v);
        assert!(!changes.iter().any(|c| c["action"] == "switch"), "{set}: {changes:?}");
        assert!(
            changes.iter().any(|c| c["action"] == "start" && c["drugClass"] == "ezetimibe"),
            "{set}: {changes:?} ({})",
            v["headline"]
        );
    }
}
