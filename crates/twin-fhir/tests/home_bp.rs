//! Which BP panels are home readings: kept apart from the office series (see
//! `twin_engine::home_bp`), with their time of day and device.

use serde_json::{json, Value};
use twin_engine::record::MeasurementKind as K;

fn panel(id: &str, extra: Value) -> Value {
    let mut o = json!({
        "resourceType": "Observation", "id": id, "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2026-11-20T07:05:00+01:00",
        "component": [
            {"code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
             "valueQuantity": {"value": 142, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}},
            {"code": {"coding": [{"system": "http://loinc.org", "code": "8462-4"}]},
             "valueQuantity": {"value": 88, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}}
        ]
    });
    if let (Some(o), Some(extra)) = (o.as_object_mut(), extra.as_object()) {
        o.extend(extra.clone());
    }
    o
}

#[test]
fn device_without_a_visit_or_a_self_measured_method_makes_a_home_reading() {
    let resources = vec![
        json!({"resourceType": "Patient", "id": "p"}),
        panel("office", json!({})),
        panel(
            "office-automated",
            json!({"device": {"display": "Welch Allyn"}, "encounter": {"reference": "Encounter/e"}}),
        ),
        panel("home-device", json!({"device": {"display": "Omron M3"}})),
        panel("home-method", json!({"method": {"text": "Self-measured blood pressure at home"}})),
        panel(
            "home-half",
            json!({"device": {"display": "Omron M3"}, "component": [
            {"code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
             "valueQuantity": {"value": 142, "unit": "mmHg", "code": "mm[Hg]"}}]}),
        ),
    ];
    let h = twin_fhir::harmonise_resources(resources).unwrap();
    let office: Vec<&str> = h.record.series(K::Sbp).iter().map(|s| s.source.resource.as_str()).collect();
    assert_eq!(office, ["Observation/office", "Observation/office-automated"]);
    let home: Vec<&str> = h.record.home_bp.iter().map(|r| r.source.resource.as_str()).collect();
    assert_eq!(home, ["Observation/home-device", "Observation/home-method"]);
    let reading = &h.record.home_bp[0];
    assert_eq!((reading.systolic, reading.diastolic), (142.0, 88.0));
    assert_eq!(reading.time, Some(time::macros::time!(7:05)), "the local clock time, for morning and evening");
    assert_eq!(reading.device.as_deref(), Some("Omron M3"));
    assert!(
        h.problems
            .iter()
            .any(|p| p.resource == "Observation/home-half" && p.reason.contains("lacks its systolic or diastolic")),
        "{:?}",
        h.problems
    );
}
