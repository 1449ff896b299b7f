//! The codes the suggestion's safety rules read: angioedema (as a condition and as an allergy's
//! reaction), frailty, orthostatic hypotension, falls, hyponatraemia and serum sodium.

use serde_json::{json, Value};
use twin_engine::record::{ConditionKind as C, MeasurementKind as K};
use twin_fhir::codes::{icd10_condition, loinc_measurement, snomed_condition};
use twin_fhir::harmonise_bundle;

fn patient() -> Value {
    json!({ "resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1950-05-01" })
}

fn bundle(resources: Vec<Value>) -> Value {
    json!({ "resourceType": "Bundle", "type": "collection",
            "entry": resources.into_iter().map(|r| json!({ "resource": r })).collect::<Vec<_>>() })
}

fn condition(id: &str, snomed: &str, status: &str) -> Value {
    json!({ "resourceType": "Condition", "id": id,
            "clinicalStatus": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": status }] },
            "code": { "coding": [{ "system": "http://snomed.info/sct", "code": snomed }] },
            "subject": { "reference": "Patient/p1" }, "onsetDateTime": "2019-04-01" })
}

#[test]
fn snomed_and_icd10_codes_of_the_safety_conditions_map() {
    for (code, kind) in [
        ("41291007", C::Angioedema),
        ("248279007", C::Frailty),
        ("28651003", C::OrthostaticHypotension),
        ("161898004", C::HistoryOfFalls),
        ("89627008", C::Hyponatraemia),
    ] {
        assert_eq!(snomed_condition(code), Some(kind), "SNOMED {code}");
    }
    for (code, kind) in [
        ("T78.3XXA", C::Angioedema),
        ("R54", C::Frailty),
        ("I95.1", C::OrthostaticHypotension),
        ("Z91.81", C::HistoryOfFalls),
        ("R29.6", C::HistoryOfFalls),
        ("E87.1", C::Hyponatraemia),
    ] {
        assert_eq!(icd10_condition(code), Some(kind), "ICD-10 {code}");
    }
    // Controls: neighbouring codes do not.
    assert_eq!(snomed_condition("41291008"), None);
    assert_eq!(icd10_condition("E87.5"), None, "hyperkalaemia is not hyponatraemia");
    assert_eq!(icd10_condition("I95.9"), None, "hypotension, unspecified, is not orthostatic");
}

#[test]
fn serum_sodium_maps_and_reads_in_meq_per_litre() {
    assert_eq!(loinc_measurement("2951-2"), Some(K::Sodium));
    assert_eq!(loinc_measurement("2947-0"), Some(K::Sodium));
    let na = json!({ "resourceType": "Observation", "id": "na", "status": "final",
        "code": { "coding": [{ "system": "http://loinc.org", "code": "2951-2" }] },
        "subject": { "reference": "Patient/p1" }, "effectiveDateTime": "2024-03-01",
        "valueQuantity": { "value": 128, "unit": "mEq/L", "code": "meq/L", "system": "http://unitsofmeasure.org" } });
    let h = harmonise_bundle(bundle(vec![patient(), na])).expect("bundle");
    assert_eq!(h.record.latest(K::Sodium).map(|s| s.value), Some(128.0));
}

#[test]
fn resolved_angioedema_and_the_other_conditions_are_kept_with_their_status() {
    let h = harmonise_bundle(bundle(vec![
        patient(),
        condition("ae", "41291007", "resolved"),
        condition("frail", "248279007", "active"),
        condition("oh", "28651003", "active"),
        condition("falls", "161898004", "active"),
        condition("hypona", "89627008", "resolved"),
    ]))
    .expect("bundle");
    let r = &h.record;
    assert!(r.has_ever(C::Angioedema) && !r.has_active(C::Angioedema), "a history, not active");
    assert!(r.has_active(C::Frailty) && r.has_active(C::OrthostaticHypotension) && r.has_active(C::HistoryOfFalls));
    assert!(r.has_ever(C::Hyponatraemia));
}

fn allergy(id: &str, reaction: Value) -> Value {
    json!({ "resourceType": "AllergyIntolerance", "id": id,
        "clinicalStatus": { "coding": [{ "code": "active" }] },
        "code": { "coding": [{ "system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "29046", "display": "lisinopril" }] },
        "patient": { "reference": "Patient/p1" },
        "reaction": [reaction] })
}

#[test]
fn an_allergy_reaction_of_angioedema_is_read_coded_or_in_words() {
    let coded = allergy(
        "a1",
        json!({ "manifestation": [{ "coding": [{ "system": "http://snomed.info/sct", "code": "41291007", "display": "Angioedema" }] }] }),
    );
    let words = allergy("a2", json!({ "manifestation": [{ "text": "Angio-oedema of the lips" }] }));
    let rash = allergy(
        "a3",
        json!({ "manifestation": [{ "coding": [{ "system": "http://snomed.info/sct", "code": "271807003", "display": "Eruption of skin" }] }] }),
    );
    let h = harmonise_bundle(bundle(vec![patient(), coded, words, rash])).expect("bundle");
    let flags: Vec<(String, bool)> =
        h.record.allergies.iter().map(|a| (a.source.resource.clone(), a.angioedema)).collect();
    assert_eq!(
        flags,
        [
            ("AllergyIntolerance/a1".to_string(), true),
            ("AllergyIntolerance/a2".to_string(), true),
            ("AllergyIntolerance/a3".to_string(), false)
        ]
    );
}
