//! Bad input: each case gets a clear problem or error that names the resource, and everything
//! else in the bundle is kept.

use serde_json::{json, Value};
use twin_engine::record::MeasurementKind as K;
use twin_fhir::{harmonise_bundle, harmonise_bundle_text, BundleError};

fn patient() -> Value {
    json!({ "resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1960-05-01",
            "name": [{ "family": "Test", "given": ["Ada"] }] })
}

fn obs(id: &str, loinc: &str, value: Value) -> Value {
    json!({ "resourceType": "Observation", "id": id, "status": "final",
            "code": { "coding": [{ "system": "http://loinc.org", "code": loinc }] },
            "subject": { "reference": "Patient/p1" }, "effectiveDateTime": "2024-03-01",
            "valueQuantity": value })
}

fn bundle(resources: Vec<Value>) -> Value {
    json!({ "resourceType": "Bundle", "type": "collection",
            "entry": resources.into_iter().map(|r| json!({ "resource": r })).collect::<Vec<_>>() })
}

#[test]
fn unknown_unit_is_a_problem_naming_the_resource_and_the_rest_is_kept() {
    let h = harmonise_bundle(bundle(vec![
        patient(),
        obs("ldl-odd", "13457-7", json!({ "value": 3.1, "code": "g/L", "system": "http://unitsofmeasure.org" })),
        obs("ldl-ok", "13457-7", json!({ "value": 116.0, "code": "mg/dL", "system": "http://unitsofmeasure.org" })),
    ]))
    .expect("bundle");
    assert_eq!(h.problems.len(), 1);
    assert_eq!(h.problems[0].resource, "Observation/ldl-odd");
    assert!(h.problems[0].reason.contains("g/L"), "{}", h.problems[0].reason);
    let ldl = h.record.series(K::LdlCholesterol);
    assert_eq!(ldl.len(), 1);
    assert!((ldl[0].value - 116.0 / 38.67).abs() < 1e-9);
    assert_eq!(ldl[0].source.resource, "Observation/ldl-ok");
}

#[test]
fn missing_unit_and_missing_value_are_problems_not_guesses() {
    let h = harmonise_bundle(bundle(vec![
        patient(),
        obs("chol-nounit", "2093-3", json!({ "value": 5.2 })),
        obs("chol-novalue", "2093-3", json!({ "unit": "mmol/L" })),
    ]))
    .expect("bundle");
    assert!(h.record.series(K::TotalCholesterol).is_empty());
    let named: Vec<&str> = h.problems.iter().map(|p| p.resource.as_str()).collect();
    assert_eq!(named, ["Observation/chol-nounit", "Observation/chol-novalue"]);
}

#[test]
fn an_invalid_resource_costs_only_itself() {
    let mut bad = obs("bad-status", "8867-4", json!({ "value": 70, "code": "/min" }));
    bad["status"] = json!("not-a-status");
    let h = harmonise_bundle(bundle(vec![patient(), bad, obs("hr", "8867-4", json!({ "value": 64, "code": "/min" }))]))
        .expect("bundle");
    assert_eq!(h.record.series(K::HeartRate).len(), 1);
    assert_eq!(h.problems.len(), 1);
    assert_eq!(h.problems[0].resource, "Observation/bad-status");
    assert!(h.problems[0].reason.starts_with("not valid FHIR R4"));
}

#[test]
fn unmapped_codes_are_counted_not_dropped() {
    let h = harmonise_bundle(bundle(vec![
        patient(),
        obs("glucose", "2345-7", json!({ "value": 5.5, "code": "mmol/L" })),
        obs("glucose2", "2345-7", json!({ "value": 5.9, "code": "mmol/L" })),
        json!({ "resourceType": "Encounter", "id": "e1", "status": "finished",
                "class": { "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB" } }),
    ]))
    .expect("bundle");
    assert_eq!(h.unmapped.get("Observation http://loinc.org|2345-7 ()"), Some(&2));
    assert_eq!(h.resource_counts.get("Encounter"), Some(&1));
    assert!(h.problems.is_empty());
}

#[test]
fn whole_file_errors_say_what_is_wrong() {
    assert!(matches!(
        harmonise_bundle_text("{\"resourceType\": \"Bundle\", \"entry\": ["),
        Err(BundleError::NotJson { .. })
    ));
    assert_eq!(
        harmonise_bundle_text("{\"resourceType\": \"Patient\"}").unwrap_err(),
        BundleError::NotABundle { found: "Patient".into() }
    );
    assert_eq!(harmonise_bundle_text("{\"hello\": 1}").unwrap_err(), BundleError::NotFhir);
    assert_eq!(harmonise_bundle(bundle(vec![])).unwrap_err(), BundleError::NoPatient);
    let e = harmonise_bundle_text("[1, 2").unwrap_err().to_string();
    assert!(e.contains("truncated"), "{e}");
}

#[test]
fn bp_panel_components_and_standalone_codes_both_map() {
    let panel = json!({ "resourceType": "Observation", "id": "bp", "status": "final",
        "code": { "coding": [{ "system": "http://loinc.org", "code": "85354-9" }] },
        "effectiveDateTime": "2024-01-01T09:30:00+01:00",
        "component": [
            { "code": { "coding": [{ "system": "http://loinc.org", "code": "8480-6" }] },
              "valueQuantity": { "value": 142, "code": "mm[Hg]" } },
            { "code": { "coding": [{ "system": "http://loinc.org", "code": "8462-4" }] },
              "valueQuantity": { "value": 88, "unit": "mmHg" } } ] });
    let standalone = obs("sbp", "8480-6", json!({ "value": 150, "code": "mm[Hg]" }));
    let h = harmonise_bundle(bundle(vec![patient(), panel, standalone])).expect("bundle");
    assert_eq!(h.record.series(K::Sbp).len(), 2);
    assert_eq!(h.record.series(K::Dbp).len(), 1);
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn json_leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            "[a-zA-Z0-9/\\[\\]%-]{0,12}".prop_map(Value::from),
            prop_oneof![Just("8480-6"), Just("85354-9"), Just("mg/dL"), Just("mm[Hg]"), Just("2024-01-01")]
                .prop_map(Value::from),
        ]
    }

    fn json_tree() -> impl Strategy<Value = Value> {
        json_leaf().prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("resourceType".to_string()),
                        Just("code".to_string()),
                        Just("coding".to_string()),
                        Just("valueQuantity".to_string()),
                        Just("component".to_string()),
                        Just("value".to_string()),
                        Just("effectiveDateTime".to_string()),
                        Just("status".to_string()),
                        "[a-z]{1,6}",
                    ],
                    inner,
                    0..5
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn resource() -> impl Strategy<Value = Value> {
        (
            prop_oneof![
                Just("Observation"),
                Just("Patient"),
                Just("Condition"),
                Just("MedicationRequest"),
                Just("Procedure")
            ],
            json_tree(),
        )
            .prop_map(|(kind, tree)| {
                let mut obj = match tree {
                    Value::Object(m) => m,
                    other => [("extra".to_string(), other)].into_iter().collect(),
                };
                obj.insert("resourceType".into(), Value::from(kind));
                Value::Object(obj)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

        /// Arbitrary resource-shaped JSON never panics the harmonisation.
        #[test]
        fn harmonisation_never_panics(resources in prop::collection::vec(resource(), 0..6)) {
            let mut all = vec![patient()];
            all.extend(resources);
            let _ = harmonise_bundle(bundle(all));
        }

        /// Arbitrary text never panics the file reader.
        #[test]
        fn arbitrary_text_never_panics(text in ".{0,200}") {
            let _ = harmonise_bundle_text(&text);
        }
    }
}
