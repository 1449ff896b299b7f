//! Atrial fibrillation on the demo cohort: patient 09's CHA₂DS₂-VA, CHA₂DS₂-VASc and HAS-BLED on
//! the risk view, with the inputs each item rests on, and the safety rules on its regimen
//! (apixaban 5 mg twice daily, bisoprolol, candesartan) and on a copy of it given diltiazem.

use std::path::PathBuf;

use serde_json::{json, Value};
use twin_app::commands::dispatch;
use twin_app::session::{Session, SessionConfig};

use twin_test_support::{bundle_patient_id as patient_id, demo_bundle as demo};

/// `command` on a session over `bundle` alone, on the consultation day.
fn call(bundle: &Value, command: &str, args: Value) -> Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.json"), bundle.to_string()).unwrap();
    let session = Session::new(SessionConfig {
        demo_dir: Some(PathBuf::from(dir.path())),
        data_dir: None,
        as_of: Some(twin_test_support::CONSULTATION_DAY),
    });
    let mut args = args;
    args["id"] = json!(patient_id(bundle));
    dispatch(&session, command, args).unwrap_or_else(|e| panic!("{command}: {e}"))
}

fn item<'a>(score: &'a Value, label: &str) -> &'a Value {
    score["items"].as_array().unwrap().iter().find(|i| i["label"] == label).unwrap_or_else(|| panic!("{label}"))
}

/// Patient 09 (woman born 1952-09-11, 74 on 2026-12-01; atrial fibrillation and hypertension on
/// record; LVEF 57 %, HbA1c 5.6 %, no stroke, coronary or peripheral disease; latest SBP 133 mmHg on
/// 2026-03-31, creatinine 88 µmol/L on 2025-07-12; apixaban, bisoprolol, candesartan; no
/// antiplatelet, NSAID, bleeding or alcohol excess on record), by hand:
/// - CHA₂DS₂-VA = hypertension 1 + age 65–74 1 = 2 → anticoagulation recommended (ESC 2024);
/// - CHA₂DS₂-VASc = 2 + female 1 = 3 → recommended for a woman (≥ 3, ACC/AHA/ACCP/HRS 2023);
/// - HAS-BLED = SBP 133 ≤ 160: 0, creatinine 88 < 200: 0, liver 0, stroke 0, bleeding 0, labile
///   INR 0 (apixaban is no VKA), elderly (74 > 65) 1, drugs 0, alcohol 0 = 1.
#[test]
fn patient_09s_risk_view_carries_cha2ds2_va_2_vasc_3_and_has_bled_1() {
    let r = call(&demo("09-atrial-fibrillation.json"), "risk", json!({}));
    let af = &r["af"];
    assert!(af.is_object(), "{r}");
    assert_eq!(af["cha2ds2Va"]["total"], 2, "{}", af["cha2ds2Va"]);
    assert_eq!(af["cha2ds2Vasc"]["total"], 3, "{}", af["cha2ds2Vasc"]);
    assert_eq!(af["hasBled"]["total"], 1, "{}", af["hasBled"]);
    let va = &af["cha2ds2Va"];
    assert_eq!(item(va, "hypertension")["points"], 1);
    assert_eq!(item(va, "age 65–74")["points"], 1);
    assert_eq!(item(va, "heart failure")["points"], 0);
    assert!(item(va, "hypertension")["source"].as_str().unwrap().starts_with("Condition/"));
    assert!(va["recommendation"].as_str().unwrap().contains("oral anticoagulation is recommended"));
    assert!(va["source"].as_str().unwrap().contains("Van Gelder IC"), "cited in the JSON");
    let h = item(&af["hasBled"], "uncontrolled hypertension (systolic > 160 mmHg)");
    assert_eq!(
        (h["points"].clone(), h["value"].clone(), h["date"].clone()),
        (json!(0), json!("133 mmHg"), json!("2026-03-31"))
    );
    assert_eq!(item(&af["hasBled"], "elderly (over 65)")["points"], 1);
    assert!(af["hasBled"]["missing"].as_array().unwrap().is_empty());
    let note = af["eventModelNote"].as_str().unwrap();
    assert!(note.contains("not modelled in the projected event risk") && note.contains("CHA₂DS₂-VA 2"), "{note}");
}

#[test]
fn a_patient_without_atrial_fibrillation_has_no_af_section() {
    let r = call(&demo("01-uncontrolled-hypertension.json"), "risk", json!({}));
    assert!(r["af"].is_null(), "{}", r["af"]);
}

fn alerts(s: &Value) -> Vec<String> {
    s["alerts"].as_array().unwrap().iter().map(|a| a["rule"].as_str().unwrap().to_string()).collect()
}

/// Patient 09's apixaban 5 mg twice daily fits its criteria (age 74, weight 72.1 kg, creatinine
/// 88 µmol/L: none of the three), and she is anticoagulated: no DOAC dose alert, no gap. Given
/// diltiazem, the regimen raises apixaban exposure: a caution beside the beta-blocker rule.
#[test]
fn patient_09s_apixaban_dose_fits_and_diltiazem_beside_it_is_an_interaction() {
    let base = demo("09-atrial-fibrillation.json");
    let s = call(&base, "suggest", json!({ "members": 200, "seed": 1, "alternatives": 50 }));
    let now = alerts(&s);
    for rule in ["doac-dose", "doac-renal", "af-anticoagulation-gap", "doac-interaction", "af-rate-control"] {
        assert!(!now.contains(&rule.to_string()), "{rule}: {now:?}");
    }
    let mut with = base.clone();
    let id = patient_id(&base);
    with["entry"].as_array_mut().unwrap().push(json!({ "resource": {
        "resourceType": "MedicationRequest", "id": "dilt", "status": "active", "intent": "order",
        "authoredOn": "2025-06-01",
        "medicationCodeableConcept": { "coding": [{ "system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "3443", "display": "diltiazem" }], "text": "diltiazem 180 mg once daily" },
        "subject": { "reference": format!("Patient/{id}") },
        "dosageInstruction": [{ "text": "diltiazem 180 mg once daily",
            "timing": { "repeat": { "frequency": 1, "period": 1, "periodUnit": "d" } },
            "doseAndRate": [{ "doseQuantity": { "value": 180, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg" } }] }] } }));
    let s = call(&with, "suggest", json!({ "members": 200, "seed": 1, "alternatives": 50 }));
    let a = s["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["rule"] == "doac-interaction")
        .unwrap_or_else(|| panic!("{}", s["alerts"]));
    assert_eq!(a["severity"], "caution");
    assert!(a["message"].as_str().unwrap().contains("apixaban with diltiazem"), "{a}");
    assert!(alerts(&s).contains(&"beta-blocker-non-dhp-ccb".to_string()));
}
