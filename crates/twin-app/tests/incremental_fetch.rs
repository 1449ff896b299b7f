//! Fetching a held patient again asks the EHR only for what changed (`_lastUpdated`), against
//! the real FHIR server (sekmet), the real keychain and the sealed data folder: load a healthy
//! 45-year-old on no drugs (assets/demo/05-…), fetch him whole, post three BP readings, an LDL-C result and an amlodipine
//! prescription to the server, fetch again. Only those five come back, the record holds them, and
//! the overview's "since the last fetch" list says so; a fetch with nothing new brings nothing;
//! a full fetch on demand brings the whole record again. `scripts/test` sets the server up;
//! without it this test says so and passes.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};
use twin_app::risk::RecordOverrides;
use twin_fhir::incremental::OVERLAP;
use twin_test_support::servers::{http_status, server_binary, FhirServer};

use common::{call, demo_file, keychain_available, session_on};

const PATIENT: &str = "ct-demo-05";

fn sekmet() -> Option<PathBuf> {
    server_binary("CARDIOTWIN_SEKMET", "the incremental fetch test does not run (scripts/test runs it)")
}

fn category(code: &str) -> Value {
    json!([{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": code }] }])
}

fn quantity(value: f64, unit: &str, code: &str) -> Value {
    json!({ "value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": code })
}

fn loinc(code: &str) -> Value {
    json!({ "coding": [{ "system": "http://loinc.org", "code": code }] })
}

fn bp(day: &str, sbp: f64, dbp: f64) -> Value {
    json!({
        "resourceType": "Observation", "status": "final", "category": category("vital-signs"),
        "code": loinc("85354-9"), "subject": { "reference": format!("Patient/{PATIENT}") },
        "effectiveDateTime": day,
        "component": [
            { "code": loinc("8480-6"), "valueQuantity": quantity(sbp, "mmHg", "mm[Hg]") },
            { "code": loinc("8462-4"), "valueQuantity": quantity(dbp, "mmHg", "mm[Hg]") }
        ]
    })
}

fn new_resources() -> Vec<(&'static str, Value)> {
    vec![
        ("Observation", bp("2026-11-10", 148.0, 90.0)),
        ("Observation", bp("2026-11-20", 144.0, 88.0)),
        ("Observation", bp("2026-11-28", 141.0, 86.0)),
        (
            "Observation",
            json!({
                "resourceType": "Observation", "status": "final", "category": category("laboratory"),
                "code": loinc("13457-7"), "subject": { "reference": format!("Patient/{PATIENT}") },
                "effectiveDateTime": "2026-11-28", "valueQuantity": quantity(2.4, "mmol/L", "mmol/L")
            }),
        ),
        (
            "MedicationRequest",
            json!({
                "resourceType": "MedicationRequest", "status": "active", "intent": "order",
                "subject": { "reference": format!("Patient/{PATIENT}") }, "authoredOn": "2026-11-25",
                "medicationCodeableConcept": {
                    "coding": [{ "system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "17767", "display": "amlodipine" }],
                    "text": "amlodipine 5 mg once daily"
                },
                "dosageInstruction": [{
                    "text": "amlodipine 5 mg once daily",
                    "timing": { "repeat": { "boundsPeriod": { "start": "2026-11-25" }, "frequency": 1, "period": 1, "periodUnit": "d" } },
                    "doseAndRate": [{ "doseQuantity": quantity(5.0, "mg", "mg") }]
                }]
            }),
        ),
    ]
}

/// POSTs each resource to the server (it assigns the ids and stamps `meta.lastUpdated`).
fn post_all(base: &str, resources: Vec<(&'static str, Value)>) {
    for (kind, resource) in resources {
        let url = format!("{base}/{kind}");
        let status = http_status(
            "POST",
            &url,
            Some("application/fhir+json"),
            resource.to_string().as_bytes(),
            Duration::from_secs(30),
        )
        .unwrap_or_else(|e| panic!("POST {kind}: {e}"));
        assert!((200..300).contains(&status), "POST {kind}: HTTP {status}");
    }
}

/// How many resources a search (`Type?params`) finds on the server.
fn search(base: &str, query: &str) -> u64 {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = twin_fhir::fetch::http_client(Duration::from_secs(30)).unwrap();
    let bundle: Value =
        runtime.block_on(async { client.get(format!("{base}/{query}")).send().await.unwrap().json().await.unwrap() });
    bundle["total"].as_u64().unwrap_or_else(|| panic!("{query}: no total in {bundle}"))
}

fn n_readings(session: &twin_app::session::Session, key: &str) -> usize {
    let series = call(session, "series", json!({ "id": PATIENT, "key": key }));
    series["points"].as_array().map_or(0, Vec::len)
}

#[test]
fn a_held_patient_is_brought_up_to_date_with_only_what_changed() {
    let Some(sekmet) = sekmet() else { return };
    if !keychain_available("incremental fetch") {
        return;
    }
    // A record without prescriptions: sekmet makes a loaded prescription's MedicationDispense
    // some time after loading, which a fetch would rightly receive as new.
    let server = FhirServer::start(&sekmet, &[demo_file("05-healthy-45.json")]);
    // The incremental query starts OVERLAP before the previous fetch: let the loaded record fall
    // outside it, so what the second fetch receives is exactly what was posted.
    std::thread::sleep(OVERLAP + Duration::from_secs(1));
    let data = tempfile::tempdir().unwrap();
    let session = session_on(None, Some(data.path().to_path_buf()));
    call(
        &session,
        "saveConnection",
        json!({ "name": "EHR", "fhirBase": server.base, "clientId": "cardiotwin", "scopes": "" }),
    );

    let first = call(&session, "ehrFetch", json!({ "name": "EHR", "patient": PATIENT }));
    assert_eq!((first["cached"].as_bool(), first["incremental"].as_bool()), (Some(true), Some(false)), "{first}");
    let whole = first["nReceived"].as_u64().unwrap();
    assert!(whole > 160, "the demo record: a Patient and 160 Observations: {first}");
    assert_eq!(first["changes"], Value::Null, "nothing was held before");
    assert_eq!(call(&session, "changesSinceFetch", json!({ "id": PATIENT }))["changes"], Value::Null);
    // Today's twin, so that the session holds what it learned (BP filters, response posterior).
    let learned_first = session.twin(PATIENT, RecordOverrides::default(), 10).unwrap().learned.clone();
    let sbp_before = n_readings(&session, "sbp");
    let ldl_before = call(&session, "series", json!({ "id": PATIENT, "key": "ldl_cholesterol" }))["points"]
        .as_array()
        .and_then(|p| p.last())
        .and_then(|p| p["value"].as_f64())
        .unwrap();

    post_all(&server.base, new_resources());
    // sekmet's pharmacy fills a new prescription (a MedicationDispense) when it is searched for:
    // have that happen now, and let everything new fall outside the next fetch's overlap.
    let _ = search(&server.base, &format!("MedicationRequest?patient={PATIENT}"));
    let _ = search(&server.base, &format!("MedicationDispense?patient={PATIENT}"));
    std::thread::sleep(OVERLAP + Duration::from_secs(1));
    let n_dispensed = search(&server.base, &format!("MedicationDispense?patient={PATIENT}"));
    let second = call(&session, "ehrFetch", json!({ "name": "EHR", "patient": PATIENT }));
    assert_eq!((second["cached"].as_bool(), second["incremental"].as_bool()), (Some(true), Some(true)), "{second}");
    assert_eq!(second["nReceived"], 5 + n_dispensed, "only the new resources were sent: {second}");
    assert!(second["missing"].as_array().unwrap().is_empty());

    // The record holds them (the session reads the merged record from the cache).
    assert_eq!(n_readings(&session, "sbp"), sbp_before + 3);
    let summary = call(&session, "patientSummary", json!({ "id": PATIENT }));
    let active = summary["activeMedications"].as_array().unwrap();
    assert!(active.iter().any(|m| m["agent"] == "amlodipine"), "{active:?}");

    // What changed, as the fetch answered it and as the overview reads it later.
    let changes = &second["changes"];
    assert_eq!(changes["readings"], json!([{ "key": "sbp", "label": "BP", "count": 3 }]), "{changes}");
    let ldl = &changes["results"][0];
    assert_eq!(ldl["key"], "ldl_cholesterol");
    assert!((ldl["before"].as_f64().unwrap() - ldl_before).abs() < 1e-9);
    assert!((ldl["after"].as_f64().unwrap() - 2.4).abs() < 1e-9);
    assert_eq!(ldl["unit"], "mmol/L");
    assert_eq!(changes["medications"], json!([{ "change": "started", "name": "amlodipine" }]));
    assert_eq!(call(&session, "changesSinceFetch", json!({ "id": PATIENT }))["changes"], *changes);

    // Nothing new from the clinic: at most the pharmacy's fills of the new prescription come back
    // (sekmet makes them as it is searched), nothing changes, the record stays whole.
    let third = call(&session, "ehrFetch", json!({ "name": "EHR", "patient": PATIENT }));
    assert_eq!(third["incremental"], true);
    let dispensed_now = search(&server.base, &format!("MedicationDispense?patient={PATIENT}"));
    assert!(third["nReceived"].as_u64().unwrap() <= dispensed_now, "{third}");
    let without_fills = |report: &Value| {
        let mut counts = report["summary"]["resourceCounts"].clone();
        counts.as_object_mut().unwrap().remove("MedicationDispense");
        counts
    };
    assert_eq!(without_fills(&third), without_fills(&second));
    let nothing = &third["changes"];
    for list in ["readings", "results", "medications", "conditions", "procedures"] {
        assert_eq!(nothing[list], json!([]), "{nothing}");
    }
    assert_eq!(n_readings(&session, "sbp"), sbp_before + 3);

    // The twin the session recalibrated from what it had learned is the twin a fresh session
    // builds from the stored record.
    let recalibrated = session.twin(PATIENT, RecordOverrides::default(), 10).unwrap();
    let fresh =
        session_on(None, Some(data.path().to_path_buf())).twin(PATIENT, RecordOverrides::default(), 10).unwrap();
    assert_ne!(recalibrated.learned, learned_first, "the new readings were learned");
    assert_eq!(recalibrated.learned, fresh.learned);
    let (a, b) = (&recalibrated.baseline, &fresh.baseline);
    assert_eq!((a.sbp, a.dbp, a.bp_response, a.ldl_response), (b.sbp, b.dbp, b.bp_response, b.ldl_response));

    // The clinician may ask for the whole record: it comes whole, and nothing changed in it.
    let full = call(&session, "ehrFetch", json!({ "name": "EHR", "patient": PATIENT, "full": true }));
    let dispensed_now = search(&server.base, &format!("MedicationDispense?patient={PATIENT}"));
    assert_eq!(
        (full["incremental"].as_bool(), full["nReceived"].as_u64()),
        (Some(false), Some(whole + 5 + dispensed_now)),
        "{full}"
    );
    assert_eq!(full["changes"]["readings"], json!([]), "{full}");
    assert_eq!(n_readings(&session, "sbp"), sbp_before + 3);
}
