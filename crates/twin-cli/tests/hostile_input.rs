//! The trust issue's probe, from the command line: a careless or hostile bundle never reaches
//! the twin. Every command exits 0 or 1 with plain words (never a panic), and no output holds
//! NaN, infinity, a negative pressure or a negative age.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

fn cardiotwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cardiotwin"))
        .env("CARDIOTWIN_AS_OF", twin_test_support::CONSULTATION_DAY_TEXT)
        .args(args)
        .output()
        .expect("run cardiotwin")
}

use twin_test_support::{bundle_patient_id as patient_id, demo_bundle as demo};

fn observation(id: &str, patient: &str, loinc: &str, value: f64, unit: &str) -> Value {
    json!({ "fullUrl": format!("urn:uuid:{id}"), "resource": {
        "resourceType": "Observation", "id": id, "status": "final",
        "code": { "coding": [{ "system": "http://loinc.org", "code": loinc }] },
        "subject": { "reference": format!("Patient/{patient}") }, "effectiveDateTime": "2026-06-01",
        "valueQuantity": { "value": value, "code": unit } } })
}

/// Walks a JSON answer for values no patient can have.
fn impossible(v: &Value, key: &str, found: &mut Vec<String>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, v)| impossible(v, k, found)),
        Value::Array(a) => a.iter().for_each(|v| impossible(v, key, found)),
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            let k = key.to_ascii_lowercase();
            let pressure_or_age =
                ["sbp", "dbp", "pressure", "age", "median", "low", "high", "p05", "p95"].iter().any(|w| k.contains(w))
                    && !k.contains("delta")
                    && !k.contains("change")
                    && !k.contains("difference");
            if !x.is_finite() || (pressure_or_age && x < 0.0) {
                found.push(format!("{key} = {x}"));
            }
        }
        Value::String(s) if s.contains("NaN") || s.to_ascii_lowercase().contains("inf ") => found.push(s.clone()),
        _ => {}
    }
}

fn write(dir: &Path, name: &str, bundle: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bundle.to_string()).unwrap();
    path
}

#[test]
fn hostile_bundles_never_reach_the_twin() {
    let dir = tempfile::tempdir().unwrap();
    let base = demo("01-uncontrolled-hypertension.json");
    let id = patient_id(&base);
    let mut cases: Vec<(&str, Value)> = Vec::new();
    for (name, loinc, value, unit) in [
        ("hr-zero", "8867-4", 0.0, "/min"),
        ("sbp-99999", "8480-6", 99999.0, "mm[Hg]"),
        ("sbp-negative", "8480-6", -5.0, "mm[Hg]"),
        ("sbp-1e308", "8480-6", 1e308, "mm[Hg]"),
        ("ldl-negative", "13457-7", -40.0, "mg/dL"),
    ] {
        let mut b = base.clone();
        b["entry"].as_array_mut().unwrap().push(observation(name, &id, loinc, value, unit));
        cases.push((name, b));
    }
    let mut born_2090 = base.clone();
    for e in born_2090["entry"].as_array_mut().unwrap() {
        if e["resource"]["resourceType"] == "Patient" {
            e["resource"]["birthDate"] = json!("2090-01-01");
        }
    }
    cases.push(("born-2090", born_2090));
    let mut supply = base.clone();
    supply["entry"].as_array_mut().unwrap().push(json!({ "resource": {
        "resourceType": "MedicationDispense", "id": "huge", "status": "completed",
        "subject": { "reference": format!("Patient/{id}") },
        "medicationCodeableConcept": { "text": "lisinopril 10 mg" }, "whenHandedOver": "2026-01-01",
        "daysSupply": { "value": 3_000_000 } } }));
    cases.push(("days-supply", supply));

    let clean_path = write(dir.path(), "clean.json", &base);
    let clean = cardiotwin(&["risk", "--bundle", clean_path.to_str().unwrap(), "--format", "json"]);
    let clean_risk: Value = serde_json::from_slice(&clean.stdout).unwrap();

    for (name, bundle) in &cases {
        let path = write(dir.path(), &format!("{name}.json"), bundle);
        let file = path.to_str().unwrap();
        for args in [
            vec!["patient", "--bundle", file, "--format", "json"],
            vec!["risk", "--bundle", file, "--format", "json"],
            vec!["twin", "--bundle", file, "--format", "json"],
            vec!["simulate", "--bundle", file, "--months", "24", "--members", "50", "--format", "json"],
        ] {
            let out = cardiotwin(&args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let what = format!("{name}: {}", args[0]);
            assert!(matches!(out.status.code(), Some(0 | 1)), "{what}: exit {:?}: {stderr}", out.status.code());
            assert!(!stderr.contains("internal error"), "{what}: {stderr}");
            if out.status.success() {
                let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{what}: {e}"));
                let mut found = Vec::new();
                impossible(&v, "", &mut found);
                assert!(found.is_empty(), "{what}: {found:?}");
                if args[0] == "risk" && *name != "born-2090" {
                    assert_eq!(v["prevent"], clean_risk["prevent"], "{what}: the bad value changed the risk");
                }
            } else {
                assert_eq!(stderr.lines().count(), 1, "{what}: one plain line: {stderr}");
            }
        }
    }
}

/// The probe that changed PREVENT from 36.9 % to 30.3 %: another patient's Observations
/// appended. The risk is unchanged, and two whole patients in one file are refused.
#[test]
fn another_patients_data_does_not_change_the_risk() {
    let dir = tempfile::tempdir().unwrap();
    let own = demo("07-smoker-high-ldl.json");
    let other = demo("05-healthy-45.json");
    let mut mixed = own.clone();
    let foreign: Vec<Value> = other["entry"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["resource"]["resourceType"] == "Observation")
        .cloned()
        .collect();
    mixed["entry"].as_array_mut().unwrap().extend(foreign);
    let own_path = write(dir.path(), "own.json", &own);
    let mixed_path = write(dir.path(), "mixed.json", &mixed);
    let risk = |p: &Path| -> Value {
        let out = cardiotwin(&["risk", "--bundle", p.to_str().unwrap(), "--format", "json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(risk(&mixed_path)["prevent"], risk(&own_path)["prevent"]);

    let mut two = own.clone();
    two["entry"].as_array_mut().unwrap().extend(other["entry"].as_array().unwrap().iter().cloned());
    let two_path = write(dir.path(), "two.json", &two);
    let out = cardiotwin(&["risk", "--bundle", two_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 different patients"));
}

#[test]
fn an_oversized_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(70 * 1024 * 1024).unwrap(); // sparse: no memory or disk needed
    let out = cardiotwin(&["patient", "--bundle", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("above the 67 MB limit"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// With no Secret Service on the bus, the user is told so in plain words.
#[test]
fn a_missing_keychain_service_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let bus = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cardiotwin"))
        .env("CARDIOTWIN_AS_OF", twin_test_support::CONSULTATION_DAY_TEXT)
        .args(["--data-dir", dir.path().to_str().unwrap(), "cache", "list"])
        .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}/no-bus", bus.path().display()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no keychain service is running"), "{stderr}");
}
