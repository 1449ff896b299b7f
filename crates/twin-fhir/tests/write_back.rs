//! Writing the clinician summary back to a real FHIR R4 server (PyPI `sekmet-fhir` on loopback):
//! the DocumentReference and Provenance are written in one transaction, then read back and
//! checked. The failures a clinician meets (an expired sign-in, a sign-in without write scope,
//! the network down) are said in plain words; for the first two a small responder stands in
//! for the EHR's gateway, beside the real server.
//!
//! `scripts/test` installs the server and sets CARDIOTWIN_SEKMET; run by hand without it, the
//! real-server test says so and stops.

use std::path::PathBuf;

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use twin_fhir::fetch::{Cancel, Credentials, FetchConfig, FetchError, FhirClient};
use twin_fhir::write_back::{plain_reason, write_back, ConsultNote, CONSULT_NOTE_LOINC, DECISION_LOG_SYSTEM};
use twin_test_support::demo_files;
use twin_test_support::servers::{server_binary, FhirServer};
use url::Url;

fn sekmet() -> Option<PathBuf> {
    server_binary("CARDIOTWIN_SEKMET", "FHIR server tests not run (scripts/test runs them)")
}

fn note(patient_id: &str) -> ConsultNote {
    ConsultNote {
        patient_id: patient_id.to_string(),
        author: "Dr Ada Clinician".into(),
        date: "2026-12-01T10:30:00Z".into(),
        title: "CardioTwin consultation summary".into(),
        text: "Decision: declined (patient prefers to wait).\nBP 168/105 mmHg on 1 Nov 2026.\n".into(),
        decision_seq: 7,
        decision_hash: "9f2c".into(),
        decision: "Declined: patient prefers to wait".into(),
    }
}

fn client(base: &str, credentials: Credentials) -> FhirClient {
    FhirClient::new(Url::parse(base).unwrap(), credentials, FetchConfig::default()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_note_and_its_provenance_are_written_in_one_transaction_and_read_back() {
    let Some(binary) = sekmet() else { return };
    let file = demo_files().into_iter().next().unwrap();
    let server = FhirServer::start(&binary, std::slice::from_ref(&file));
    let patient = twin_fhir::harmonise_bundle_text(&std::fs::read_to_string(&file).unwrap()).unwrap().record.id;
    let client = client(&server.base, Credentials::None);

    let written = write_back(&client, &note(&patient)).await.unwrap();
    assert!(written.document_reference.starts_with("DocumentReference/"), "{written:?}");
    assert!(written.provenance.starts_with("Provenance/"), "{written:?}");

    let cancel = Cancel::default();
    let doc = client.get_json(&format!("{}/{}", server.base, written.document_reference), &cancel).await.unwrap();
    assert_eq!(doc["type"]["coding"][0]["code"], CONSULT_NOTE_LOINC);
    assert_eq!(doc["type"]["coding"][0]["system"], "http://loinc.org");
    assert_eq!(doc["subject"]["reference"], format!("Patient/{patient}"));
    assert_eq!(doc["author"][0]["display"], "Dr Ada Clinician");
    assert_eq!(doc["status"], "current");
    let attachment = &doc["content"][0]["attachment"];
    assert!(attachment["contentType"].as_str().unwrap().starts_with("text/plain"));
    let text = base64::engine::general_purpose::STANDARD.decode(attachment["data"].as_str().unwrap()).unwrap();
    assert_eq!(String::from_utf8(text).unwrap(), note(&patient).text);

    let provenance = client.get_json(&format!("{}/{}", server.base, written.provenance), &cancel).await.unwrap();
    let target = provenance["target"][0]["reference"].as_str().unwrap();
    assert!(target.ends_with(&written.document_reference), "the Provenance targets the note: {target}");
    assert_eq!(provenance["agent"][0]["who"]["display"], "Dr Ada Clinician");
    assert_eq!(provenance["entity"][0]["what"]["identifier"]["system"], DECISION_LOG_SYSTEM);
    assert_eq!(provenance["entity"][0]["what"]["identifier"]["value"], "7:9f2c");
    assert_eq!(provenance["reason"][0]["text"], "Declined: patient prefers to wait");

    // The note is found by the patient's search, as an EHR's chart would list it.
    let search = client
        .get_json(&format!("{}/DocumentReference?subject=Patient/{patient}", server.base), &cancel)
        .await
        .unwrap();
    assert!(search["total"].as_u64().unwrap_or(0) >= 1 || search["entry"].as_array().is_some_and(|e| !e.is_empty()));
}

/// A stand-in for an EHR gateway that answers every request with `status`.
async fn answering(status: u16) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 64 * 1024];
            let _ = socket.read(&mut buf).await;
            let body = r#"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"security"}]}"#;
            let reply = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/fhir+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(reply.as_bytes()).await;
        }
    });
    format!("http://127.0.0.1:{port}/fhir")
}

#[tokio::test]
async fn an_expired_sign_in_a_missing_scope_and_a_network_down_are_said_in_plain_words() {
    let expired =
        write_back(&client(&answering(401).await, Credentials::Bearer("old".into())), &note("p")).await.unwrap_err();
    assert_eq!(expired, FetchError::Unauthorised { status: 401 });
    assert!(plain_reason(&expired).contains("sign in again"), "{}", plain_reason(&expired));

    let no_scope =
        write_back(&client(&answering(403).await, Credentials::Bearer("t".into())), &note("p")).await.unwrap_err();
    assert!(plain_reason(&no_scope).contains("write access"), "{}", plain_reason(&no_scope));

    // Nothing listens on a port just freed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let down =
        write_back(&client(&format!("http://127.0.0.1:{port}/fhir"), Credentials::None), &note("p")).await.unwrap_err();
    assert!(matches!(down, FetchError::Unreachable { .. }), "{down:?}");
    assert!(plain_reason(&down).contains("not sent"), "{}", plain_reason(&down));
}
