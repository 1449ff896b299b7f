//! The guideline set chosen in Settings drives the treatment suggestion (issue 29), on the real
//! keychain (`with_test_keyring`): the same patient, with ESC and then ACC/AHA saved as the
//! preference, gets that set's targets, statin indication and plan, and the suggestion's
//! settings (which the decision log keeps with each decision) name the set.

mod common;

use common::keychain_available;
use serde_json::{json, Value};
use twin_app::commands::dispatch;

fn suggest(s: &twin_app::session::Session, id: &str) -> Value {
    dispatch(s, "suggest", json!({ "id": id, "members": 100, "seed": 3, "alternatives": 20 })).unwrap()
}

/// Whether any step of any plan shown starts or raises a drug of `class`.
fn any_plan_touches(s: &Value, class: &str) -> bool {
    s["suggestion"]
        .as_object()
        .map(|_| &s["suggestion"])
        .into_iter()
        .chain(s["alternatives"].as_array().unwrap())
        .flat_map(|p| p["plan"].as_array().unwrap())
        .flat_map(|step| step["changes"].as_array().unwrap())
        .any(|c| c["drugClass"] == class && (c["action"] == "start" || c["action"] == "raise"))
}

#[test]
fn the_guideline_preference_changes_the_targets_the_indication_and_the_plan() {
    if !keychain_available("guideline_preference") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let s = common::session_on(Some(common::demo_dir()), Some(data.path().to_path_buf()));
    // 79, isolated systolic hypertension, eGFR 52: ESC (KDIGO 2013) gives a statin for CKD at 50
    // or over; ACC/AHA 2018 leaves primary prevention over 75 to an individual decision.
    let id =
        twin_test_support::bundle_patient_id(&twin_test_support::demo_bundle("06-isolated-systolic-hypertension.json"));

    let esc = suggest(&s, &id);
    assert_eq!(esc["settings"]["guideline"], "ESC", "the default, before any preference is saved");
    assert_eq!(
        (esc["targets"]["bpGuideline"].as_str(), esc["targets"]["ldlGuideline"].as_str()),
        (Some("ESC 2024"), Some("ESC/EAS 2019"))
    );
    assert!(esc["targets"].get("ldlIntensity").is_none(), "ESC's goal is an LDL-C value: {}", esc["targets"]);
    assert_eq!(esc["statin"]["indicated"], true, "{}", esc["statin"]);
    assert!(any_plan_touches(&esc, "statin"), "ESC: a statin is started");

    dispatch(&s, "savePreferences", json!({ "guidelines": "accAha" })).unwrap();
    let acc = suggest(&s, &id);
    assert_eq!(acc["settings"]["guideline"], "ACC/AHA");
    let t = &acc["targets"];
    assert_eq!((t["bpGuideline"].as_str(), t["ldlGuideline"].as_str()), (Some("ACC/AHA 2017"), Some("ACC/AHA 2018")));
    assert_eq!(t["ldlIntensity"], "no statin", "{t}");
    // Diastolic BP under 70: SBP is lowered cautiously under either set (the engine's DBP rule).
    assert_eq!(t["sbpBelow"], esc["targets"]["sbpBelow"]);
    assert_eq!(acc["statin"]["indicated"], false, "{}", acc["statin"]);
    assert!(acc["statin"]["reason"].as_str().unwrap().contains("over 75"), "{}", acc["statin"]);
    assert!(!any_plan_touches(&acc, "statin"), "ACC/AHA: no plan starts a statin");
    // The BP care is the same kind under both: the twin still lowers SBP.
    assert!(any_plan_touches(&acc, "arb") || any_plan_touches(&acc, "ace_inhibitor"), "{}", acc["headline"]);

    // The overview reads values against the same guideline's targets as the suggestion,
    // including the SBP target relaxed for a diastolic level under 70 (DBP 67 at 79: below 140,
    // not 130, with the same reason).
    let overview = dispatch(&s, "timeline", json!({ "id": id })).unwrap();
    same_guideline_targets(&overview["targets"], &acc["targets"], "overview under ACC/AHA");
    assert_eq!(overview["targets"]["sbpBelow"].as_f64(), Some(140.0), "{}", overview["targets"]);
    assert!(
        overview["targets"]["bpReason"].as_str().unwrap().contains("lowered cautiously"),
        "{}",
        overview["targets"]
    );

    // Back to ESC: the first answer again (the preference, not a leftover, decides).
    dispatch(&s, "savePreferences", json!({ "guidelines": "esc" })).unwrap();
    let again = suggest(&s, &id);
    assert_eq!(again["targets"], esc["targets"]);
    assert_eq!(again["headline"], esc["headline"]);
    let overview = dispatch(&s, "timeline", json!({ "id": id })).unwrap();
    same_guideline_targets(&overview["targets"], &esc["targets"], "overview under ESC");
    assert_eq!(overview["targets"]["sbpBelow"].as_f64(), Some(140.0), "{}", overview["targets"]);
}

/// The control: a patient whose diastolic level is not low keeps the standard SBP target on
/// the overview and in the suggestion alike, under either set.
#[test]
fn with_a_normal_diastolic_level_the_overview_and_the_suggestion_keep_below_130() {
    if !keychain_available("guideline_preference") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let s = common::session_on(Some(common::demo_dir()), Some(data.path().to_path_buf()));
    let id = twin_test_support::bundle_patient_id(&twin_test_support::demo_bundle("02-post-pci-coronary-disease.json"));
    for (set, name) in [("esc", "ESC"), ("accAha", "ACC/AHA")] {
        dispatch(&s, "savePreferences", json!({ "guidelines": set })).unwrap();
        let suggestion = suggest(&s, &id);
        let overview = dispatch(&s, "timeline", json!({ "id": id })).unwrap();
        same_guideline_targets(&overview["targets"], &suggestion["targets"], name);
        assert_eq!(overview["targets"]["sbpBelow"].as_f64(), Some(130.0), "{name}: {}", overview["targets"]);
    }
}

/// The overview's and the suggestion's targets name the same guideline, the same BP target with
/// the same reason, and the same lipid goal.
fn same_guideline_targets(overview: &Value, suggestion: &Value, what: &str) {
    for field in [
        "bpGuideline",
        "bpSource",
        "sbpBelow",
        "dbpBelow",
        "bpReason",
        "ldlGuideline",
        "ldlSource",
        "ldlReason",
        "ldlBelowMmol",
        "category",
    ] {
        assert_eq!(overview[field], suggestion[field], "{what}: {field}");
    }
    assert_eq!(overview.get("ldlIntensity"), suggestion.get("ldlIntensity"), "{what}: ldlIntensity");
}

#[test]
fn under_acc_aha_clinical_ascvd_is_a_statin_intensity_with_a_non_statin_threshold() {
    if !keychain_available("guideline_preference") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let s = common::session_on(Some(common::demo_dir()), Some(data.path().to_path_buf()));
    dispatch(&s, "savePreferences", json!({ "guidelines": "accAha" })).unwrap();
    let id = twin_test_support::bundle_patient_id(&twin_test_support::demo_bundle("02-post-pci-coronary-disease.json"));
    let acc = suggest(&s, &id);
    let t = &acc["targets"];
    assert_eq!(t["ldlIntensity"], "high-intensity statin, ≥ 50 % LDL-C reduction", "{t}");
    // The non-statin threshold, 70 mg/dL, is the LDL-C value the plan's ladder climbs at.
    assert_eq!(t["ldlBelowMgDl"].as_f64(), Some(70.0), "{t}");
    assert!(t["ldlReason"].as_str().unwrap().starts_with("clinical ASCVD"), "{t}");
    let reviews: Vec<&str> = acc["plan"].as_array().unwrap().iter().map(|st| st["when"].as_str().unwrap()).collect();
    assert!(reviews.iter().all(|w| !w.contains("1.4 mmol/L")), "no ESC goal in an ACC/AHA plan: {reviews:?}");
}
