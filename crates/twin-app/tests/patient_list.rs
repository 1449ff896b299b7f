//! One row per patient in the list: a demo patient imported into the offline cache (under its
//! own id or another) is listed once, as the held (cached) copy, never beside its bundled demo
//! copy. On the real demo cohort, a real data folder and the real keychain (`with_test_keyring`).

mod common;

use common::keychain_available;
use serde_json::{json, Value};
use twin_app::commands::dispatch;

const DEMO_FILE: &str = "06-isolated-systolic-hypertension.json";

/// The rows listed for patient `id`.
fn rows_for(s: &twin_app::session::Session, id: &str) -> Vec<Value> {
    let list = dispatch(s, "listPatients", json!({})).unwrap();
    list["patients"].as_array().unwrap().iter().filter(|p| p["id"] == id).cloned().collect()
}

#[test]
fn a_demo_patient_imported_into_the_cache_is_listed_once_as_held() {
    if !keychain_available("patient_list") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let bundle = twin_test_support::demo_bundle(DEMO_FILE);
    let id = twin_test_support::bundle_patient_id(&bundle);
    let text = std::fs::read_to_string(common::demo_dir().join(DEMO_FILE)).unwrap();

    let s = common::session_on(Some(common::demo_dir()), Some(data.path().to_path_buf()));
    let before = rows_for(&s, &id);
    assert_eq!(before.len(), 1, "{before:?}");
    assert_eq!(before[0]["origin"], "demo");
    let n_before = dispatch(&s, "listPatients", json!({})).unwrap()["patients"].as_array().unwrap().len();

    dispatch(&s, "importBundle", json!({ "fileName": DEMO_FILE, "bundleJson": text })).unwrap();
    let after = rows_for(&s, &id);
    assert_eq!(after.len(), 1, "one row after the import: {after:?}");
    assert_eq!(after[0]["origin"], "cache", "the held copy wins: {after:?}");
    let n_after = dispatch(&s, "listPatients", json!({})).unwrap()["patients"].as_array().unwrap().len();
    assert_eq!(n_after, n_before, "the import added no row");

    // A new session (the app restarted) lists the demo folder and the cache: still one row.
    drop(s);
    let again = common::session_on(Some(common::demo_dir()), Some(data.path().to_path_buf()));
    let rows = rows_for(&again, &id);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["origin"], "cache");
    assert!(rows[0]["cachedDaysAgo"].as_f64().is_some(), "{rows:?}");
}

/// The defect as it was seen: the demo bundle imported under new resource ids (as a server that
/// assigns its own ids returns it) is the same person by identifier (`urn:cardiotwin:demo`), and
/// was listed twice, once as the demo and once as cached. Now one row: the held copy.
#[test]
fn a_demo_patient_held_under_another_id_is_listed_once_as_held() {
    if !keychain_available("patient_list") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let demo_id = twin_test_support::bundle_patient_id(&twin_test_support::demo_bundle(DEMO_FILE));
    let text = std::fs::read_to_string(common::demo_dir().join(DEMO_FILE)).unwrap().replace(&demo_id, "ct-held-06");
    let name_rows = |s: &twin_app::session::Session| -> Vec<Value> {
        let list = dispatch(s, "listPatients", json!({})).unwrap();
        list["patients"].as_array().unwrap().iter().filter(|p| p["name"] == "Edith Marlowe").cloned().collect()
    };

    let s = common::session_on(Some(common::demo_dir()), Some(data.path().to_path_buf()));
    let n_before = dispatch(&s, "listPatients", json!({})).unwrap()["patients"].as_array().unwrap().len();
    dispatch(&s, "importBundle", json!({ "fileName": "edith.json", "bundleJson": text })).unwrap();
    let rows = name_rows(&s);
    assert_eq!(rows.len(), 1, "one row for the person: {rows:?}");
    assert_eq!((rows[0]["id"].as_str(), rows[0]["origin"].as_str()), (Some("ct-held-06"), Some("cache")));
    let n_after = dispatch(&s, "listPatients", json!({})).unwrap()["patients"].as_array().unwrap().len();
    assert_eq!(n_after, n_before);
    // The demo copy still opens by its own id (a link or a decision that names it).
    dispatch(&s, "patientSummary", json!({ "id": demo_id })).unwrap();

    drop(s);
    let again = common::session_on(Some(common::demo_dir()), Some(data.path().to_path_buf()));
    let rows = name_rows(&again);
    assert_eq!(rows.len(), 1, "after a restart too: {rows:?}");
    assert_eq!((rows[0]["id"].as_str(), rows[0]["origin"].as_str()), (Some("ct-held-06"), Some("cache")));
    assert!(rows[0]["cachedDaysAgo"].as_f64().is_some());
}

/// The control: without an import, the demo patient is listed once, from the demo cohort.
#[test]
fn a_demo_patient_not_imported_is_listed_once_from_the_demo_cohort() {
    if !keychain_available("patient_list") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let id = twin_test_support::bundle_patient_id(&twin_test_support::demo_bundle(DEMO_FILE));
    let s = common::session_on(Some(common::demo_dir()), Some(data.path().to_path_buf()));
    let rows = rows_for(&s, &id);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0]["origin"].as_str(), rows[0]["cachedDaysAgo"].as_f64()), (Some("demo"), None));
}
