//! An incremental fetch against a real FHIR R4 server (PyPI `sekmet-fhir`): the server's
//! `_lastUpdated` search with `gt` and millisecond instants, and its searchsets'
//! `Bundle.meta.lastUpdated` as the clock the next fetch starts from. `scripts/test` installs the
//! server; run by hand without it, this test says so and stops.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use twin_fhir::fetch::{http_client, Cancel, Credentials, FetchConfig, FhirClient, Progress};
use twin_fhir::incremental::{Since, OVERLAP};
use twin_test_support::demo_file;
use twin_test_support::servers::{server_binary, FhirServer};
use url::Url;

const PATIENT: &str = "ct-demo-05";

fn no_progress() -> Arc<dyn Fn(Progress) + Send + Sync> {
    Arc::new(|_| {})
}

async fn post(base: &str, kind: &str, resource: Value) -> Value {
    let http = http_client(Duration::from_secs(30)).unwrap();
    let response = http
        .post(format!("{base}/{kind}"))
        .header("content-type", "application/fhir+json")
        .body(resource.to_string())
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "POST {kind}: {}", response.status());
    response.json().await.unwrap()
}

fn heart_rate(day: &str, bpm: f64) -> Value {
    json!({
        "resourceType": "Observation", "status": "final",
        "category": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs" }] }],
        "code": { "coding": [{ "system": "http://loinc.org", "code": "8867-4" }] },
        "subject": { "reference": format!("Patient/{PATIENT}") }, "effectiveDateTime": day,
        "valueQuantity": { "value": bpm, "unit": "/min", "system": "http://unitsofmeasure.org", "code": "/min" }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_what_the_server_changed_after_the_last_fetch_comes_back() {
    let Some(binary) = server_binary("CARDIOTWIN_SEKMET", "FHIR server tests not run (scripts/test runs them)") else {
        return;
    };
    let server = FhirServer::start(&binary, &[demo_file("05-healthy-45.json")]);
    // Let the loaded record fall outside the next query's overlap.
    tokio::time::sleep(OVERLAP + Duration::from_secs(1)).await;
    let client = Arc::new(
        FhirClient::new(Url::parse(&server.base).unwrap(), Credentials::None, FetchConfig::default()).unwrap(),
    );

    let whole = client.fetch_patient(PATIENT, &Cancel::default(), no_progress()).await;
    assert!(whole.missing.is_empty() && whole.resources.len() > 150);
    let server_time = whole.server_time.clone().expect("sekmet dates its searchsets (Bundle.meta.lastUpdated)");
    let since = Since::after_previous(&server_time).unwrap();

    let created = post(&server.base, "Observation", heart_rate("2026-11-30", 64.0)).await;
    let changed = client.fetch_patient_since(PATIENT, &since, &Cancel::default(), no_progress()).await;
    assert!(changed.missing.is_empty(), "{:?}", changed.missing);
    let ids: Vec<&str> = changed.resources.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, vec![created["id"].as_str().unwrap()], "only the new reading");
    // The server's clock moves on: the next fetch starts after this one.
    let next = changed.server_time.expect("a server time");
    assert!(Since::after_previous(&next).unwrap() > since);

    // Asked from just after the new reading's own time (net of the overlap): nothing; `gt`
    // really filters.
    let stamped = created["meta"]["lastUpdated"].as_str().unwrap();
    let stamped = OffsetDateTime::parse(stamped, &Rfc3339).unwrap();
    let just_after = (stamped + OVERLAP + Duration::from_millis(1)).format(&Rfc3339).unwrap();
    let none = client
        .fetch_patient_since(PATIENT, &Since::after_previous(&just_after).unwrap(), &Cancel::default(), no_progress())
        .await;
    assert!(none.missing.is_empty());
    assert!(none.resources.is_empty(), "{:?}", none.resources);
}
