//! A polygenic risk score on the risk view (issue 31, item 3): imported with a record into the
//! real sealed store, shown beside the equation's figure, never folded into it; applied only
//! where its ancestry matches the validation cohort's and a value is given.
//!
//! The record is demo patient 07 (man born 1974-05-28, 52 on 2026-12-01: UK Biobank's ages)
//! with one genomics-report Observation added in the documented local coding
//! (`twin_fhir::genomics`).

mod common;

use serde_json::{json, Value};
use twin_app::session::{Session, SessionConfig};

use common::{call, keychain_available, CONSULTATION_DAY};
use twin_test_support::{bundle_patient_id, demo_bundle};

const SYSTEM: &str = "urn:cardiotwin:genomics";

/// The metaGRS Observation: 82nd percentile, with `ancestry` as its ancestry component (none
/// when `None`).
fn prs(patient: &str, ancestry: Option<&str>) -> Value {
    let part = |code: &str, value: Value| {
        let mut c = json!({ "code": { "coding": [{ "system": SYSTEM, "code": code }] } });
        c.as_object_mut().expect("object").extend(value.as_object().expect("object").clone());
        c
    };
    let mut components = vec![
        part("score-name", json!({ "valueString": "metaGRS" })),
        part(
            "percentile",
            json!({ "valueQuantity": { "value": 82, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%" } }),
        ),
    ];
    if let Some(a) = ancestry {
        components.push(part(
            "ancestry",
            json!({ "valueCodeableConcept": { "coding": [{ "system": "https://www.internationalgenome.org", "code": a }] } }),
        ));
    }
    json!({
        "resourceType": "Observation",
        "id": "prs-cad-1",
        "meta": { "source": "urn:lab:genomics-report-77" },
        "status": "final",
        "category": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory" }] }],
        "code": { "coding": [{ "system": SYSTEM, "code": "cad-polygenic-score", "display": "Polygenic risk score, coronary artery disease" }] },
        "subject": { "reference": format!("Patient/{patient}") },
        "effectiveDateTime": "2026-05-04",
        "component": components
    })
}

/// Patient 07's bundle with the score added, imported into a sealed store in `dir`.
fn imported(dir: &std::path::Path, ancestry: Option<&str>) -> (Session, String) {
    let mut bundle = demo_bundle("07-smoker-high-ldl.json");
    let id = bundle_patient_id(&bundle);
    bundle["entry"].as_array_mut().expect("entries").push(json!({ "resource": prs(&id, ancestry) }));
    let s = Session::new(SessionConfig {
        demo_dir: None,
        data_dir: Some(dir.to_path_buf()),
        as_of: Some(CONSULTATION_DAY),
    });
    let item = call(&s, "importBundle", json!({ "fileName": "p07-prs.json", "bundleJson": bundle.to_string() }));
    assert_eq!(item["origin"], "cache");
    (s, item["id"].as_str().expect("id").to_string())
}

/// PREVENT's 10-year ASCVD figure carries the separate line: 82nd percentile → z = Φ⁻¹(0.82) =
/// 0.9154; at age 52 the ten years ahead are 3 in ARIC's band to 55 (2.9 at the 95th percentile)
/// and 7 in its 55–65 band (2.5), so the per-SD ratio is exp((3 ln 2.9 + 7 ln 2.5) / 10 / 1.64485)
/// = 1.7934 and the hazard is multiplied by 1.7934^0.9154 = 1.707: risk' = 1 − (1 − p)^1.707,
/// above p; the headline `value` stays the equation's. PREVENT's total CVD (which counts heart
/// failure) shows the same line, applied to the ASCVD figure, and says so.
#[test]
fn a_european_ancestry_metagrs_is_applied_beside_the_equation_and_sealed_at_rest() {
    if !keychain_available("genetic score") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (s, id) = imported(dir.path(), Some("EUR"));
    let r = call(&s, "risk", json!({ "id": id }));
    let figure = &r["prevent"]["ascvd_10y"];
    let base = figure["value"].as_f64().expect("PREVENT computed");
    let line = &figure["genetic"];
    assert_eq!(line["applied"], true, "{line}");
    assert_eq!(line["base"].as_f64(), Some(base), "applied to the figure's own value");
    let adjusted = line["risk"].as_f64().expect("adjusted risk");
    let expected = 1.0 - (1.0 - base).powf(1.793_439_f64.powf(0.915_365));
    assert!((adjusted - expected).abs() < 1e-6, "{adjusted} against {expected}");
    assert!(line["riskLow"].as_f64().unwrap() <= adjusted && adjusted <= line["riskHigh"].as_f64().unwrap());
    let sentence = line["sentence"].as_str().unwrap();
    assert!(
        sentence.starts_with("With the genetic score (metaGRS, 82nd percentile, European ancestry): "),
        "{sentence}"
    );
    assert!(sentence.contains(&format!("{:+.1} pp", (adjusted - base) * 100.0)), "{sentence}");
    assert!(line["calibration"].as_str().unwrap().contains("ARIC"), "{line}");
    assert_eq!(line["source"], "Observation/prs-cad-1");
    // The equation's own sentences do not mention it: it is a line of its own.
    assert!(figure["explanation"].as_array().unwrap().iter().all(|e| !e.as_str().unwrap().contains("genetic")));
    let total = &r["prevent"]["cvd_10y"];
    assert_eq!(total["genetic"]["applied"], true);
    assert_eq!(total["genetic"]["base"].as_f64(), Some(base), "total CVD's line is on the ASCVD figure");
    assert!(total["genetic"]["appliedTo"].as_str().unwrap().contains("counts heart failure"), "{}", total["genetic"]);
    assert_ne!(total["value"].as_f64(), Some(base), "the headline stays total CVD");
    // Figures it was not calibrated for say so.
    let hf = &r["prevent"]["hf_10y"]["genetic"];
    assert_eq!(hf["applied"], false);
    assert!(hf["reason"].as_str().unwrap().contains("not heart failure"), "{hf}");
    assert_eq!(r["smart2"]["recurrent_10y"]["genetic"]["applied"], false);
    // Sealed at rest: the score's name is in no file of the data folder.
    for file in twin_test_support::files_under(dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.windows(7).any(|w| w == b"metaGRS"), "{} holds the score in clear", file.display());
    }
}

#[test]
fn a_score_without_ancestry_is_shown_but_not_applied() {
    if !keychain_available("genetic score") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (s, id) = imported(dir.path(), None);
    let r = call(&s, "risk", json!({ "id": id }));
    for figure in [&r["prevent"]["cvd_10y"], &r["pce"]["ascvd_10y"], &r["score2"]["cvd_10y"]] {
        let line = &figure["genetic"];
        assert_eq!(line["applied"], false, "{line}");
        assert!(line["risk"].is_null());
        assert_eq!(line["score"], "metaGRS, 82nd percentile, ancestry not stated");
        let sentence = line["sentence"].as_str().unwrap();
        assert!(sentence.starts_with("Genetic score recorded (metaGRS"), "{sentence}");
        assert!(sentence.contains("does not state the genetic ancestry"), "{sentence}");
    }
}

#[test]
fn a_score_of_another_ancestry_is_not_applied_and_a_record_without_one_has_no_line() {
    if !keychain_available("genetic score") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (s, id) = imported(dir.path(), Some("AFR"));
    let line = &call(&s, "risk", json!({ "id": id }))["prevent"]["cvd_10y"]["genetic"];
    assert_eq!(line["applied"], false);
    assert!(line["reason"]
        .as_str()
        .unwrap()
        .contains("computed for African ancestry but validated in people of European"));
    let plain = common::session_on(Some(common::demo_dir()), None);
    let walter = common::walter(&plain);
    assert!(call(&plain, "risk", json!({ "id": walter }))["prevent"]["cvd_10y"]["genetic"].is_null());
}
