//! What the patient view shows, chosen by the clinician, and the clinician summary filed in the
//! EHR, through the command registry on a real data folder (sealed store, keychain) and, for the
//! write-back, the real FHIR server (sekmet): the choice is none until made, is remembered across
//! sessions, is sealed beside the saved scenarios without disturbing them, and is checked against
//! today's regimen; the summary is written as a DocumentReference with a Provenance, read back,
//! and a server that cannot be reached is said in plain words with the decisions untouched.
//! Every attempt is logged in the same chain: the server's references when filed, the plain
//! reason when not (an unreachable server, an expired sign-in), and the log still verifies.

mod common;

use std::path::PathBuf;

use base64::Engine as _;
use common::{call, keychain_available, walter};
use serde_json::{json, Value};
use twin_app::commands::dispatch;
use twin_app::session::{Session, SessionConfig};
use twin_app::ErrorCode;
use twin_fhir::fetch::{Cancel, Credentials, FetchConfig, FhirClient};
use twin_test_support::servers::{free_port, server_binary, FhirServer};
use url::Url;

fn session(data_dir: Option<PathBuf>) -> Session {
    Session::new(SessionConfig {
        demo_dir: Some(twin_test_support::demo_dir()),
        data_dir,
        as_of: Some(twin_test_support::CONSULTATION_DAY),
    })
}

fn amlodipine_plan(name: &str) -> Value {
    json!({ "name": name, "interventions": [
        { "type": "start_drug", "class": "calcium_channel_blocker", "dose": "standard", "start_month": 0, "adherence": 0.9 }
    ] })
}

#[test]
fn the_choice_is_none_until_made_then_remembered_and_sealed_beside_the_saved_scenarios() {
    if !keychain_available("patient-view") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let s = session(Some(dir.path().to_path_buf()));
    let id = walter(&s);

    // Nothing chosen: the screen tells the clinician, and shows the patient nothing.
    assert_eq!(call(&s, "patientView", json!({ "id": id }))["chosen"], Value::Null);

    call(&s, "saveScenario", json!({ "id": id, "scenario": amlodipine_plan("Zebra plan") }));
    let chosen = call(
        &s,
        "choosePatientView",
        json!({ "id": id, "choice": { "kind": "modified", "scenario": amlodipine_plan("Modified: add CCB") } }),
    );
    assert_eq!(chosen["chosen"]["choice"]["kind"], "modified");
    assert_eq!(chosen["chosen"]["chosenOn"], "2026-12-01");
    // Saving another scenario keeps the choice; the choice kept the saved list.
    call(&s, "saveScenario", json!({ "id": id, "scenario": amlodipine_plan("Yak plan") }));
    let names: Vec<String> = call(&s, "savedScenarios", json!({ "id": id }))
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Zebra plan", "Yak plan"]);

    // A new session (the app restarted) reads the same choice.
    let again = session(Some(dir.path().to_path_buf()));
    let read = call(&again, "patientView", json!({ "id": id }));
    assert_eq!(read["chosen"]["choice"]["scenario"]["name"], "Modified: add CCB");

    // Sealed: no file in the data folder holds the plan or its name in clear.
    for path in twin_test_support::files_under(dir.path()) {
        let bytes = std::fs::read(&path).unwrap();
        for needle in [&b"Modified: add CCB"[..], b"calcium_channel_blocker", b"Zebra"] {
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "{} holds a plan in clear", path.display());
        }
    }

    // Today's treatment is a choice of its own.
    let today = call(&again, "choosePatientView", json!({ "id": id, "choice": { "kind": "today" } }));
    assert_eq!(today["chosen"]["choice"], json!({ "kind": "today" }));
}

#[test]
fn a_plan_that_does_not_fit_today_or_changes_nothing_is_refused_in_plain_words() {
    if !keychain_available("patient-view") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let s = session(Some(dir.path().to_path_buf()));
    let id = walter(&s);
    // Walter already takes lisinopril (an ACE inhibitor): starting one is not a plan.
    let ace = json!({ "name": "x", "interventions": [
        { "type": "start_drug", "class": "ace_inhibitor", "dose": "standard", "start_month": 0 }
    ] });
    let err = dispatch(&s, "choosePatientView", json!({ "id": id, "choice": { "kind": "saved", "scenario": ace } }))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.starts_with("the plan: change 1:"), "{}", err.message);
    let empty = json!({ "name": "nothing", "interventions": [] });
    let err =
        dispatch(&s, "choosePatientView", json!({ "id": id, "choice": { "kind": "suggested", "scenario": empty } }))
            .unwrap_err();
    assert!(err.message.contains("choose today's treatment"), "{}", err.message);
    assert_eq!(call(&s, "patientView", json!({ "id": id }))["chosen"], Value::Null, "nothing was remembered");
}

fn decide(s: &Session, id: &str) -> u64 {
    let entry = call(
        s,
        "decideSuggestion",
        json!({ "id": id, "suggestionJson": "{\"suggestion\":null}", "decision": "declined", "reason": "patient prefers to wait" }),
    );
    entry["seq"].as_u64().expect("a sequence number")
}

#[test]
fn the_summary_is_filed_as_a_consult_note_with_its_provenance_and_read_back() {
    if !keychain_available("patient-view") {
        return;
    }
    let Some(sekmet) = server_binary("CARDIOTWIN_SEKMET", "FHIR server tests not run (scripts/test runs them)") else {
        return;
    };
    let server = FhirServer::start(&sekmet, &[twin_test_support::demo_file("01-uncontrolled-hypertension.json")]);
    let dir = tempfile::tempdir().expect("temp dir");
    let s = session(Some(dir.path().to_path_buf()));
    let id = walter(&s);
    let seq = decide(&s, &id);
    call(
        &s,
        "saveConnection",
        json!({ "name": "Test EHR", "fhirBase": server.base, "clientId": "cardiotwin", "scopes": "" }),
    );
    let text = "Clinician summary: Walter Brennan\nBP 168/105 mmHg (1 Nov 2026)\nDecision: declined";
    let filed =
        call(&s, "ehrWriteBack", json!({ "id": id, "connection": "Test EHR", "text": text, "decisionSeq": seq }));
    let doc_ref = filed["documentReference"].as_str().unwrap();
    let prov_ref = filed["provenance"].as_str().unwrap();

    let client = FhirClient::new(Url::parse(&server.base).unwrap(), Credentials::None, FetchConfig::default()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let read = |r: &str| -> Value {
        runtime
            .block_on(client.get_json(&format!("{}/{r}", server.base), &Cancel::default()))
            .unwrap_or_else(|e| panic!("{r}: {e}"))
    };
    let doc = read(doc_ref);
    assert_eq!(doc["subject"]["reference"], format!("Patient/{id}"));
    assert_eq!(doc["type"]["coding"][0]["code"], "11488-4");
    let data = doc["content"][0]["attachment"]["data"].as_str().unwrap();
    let body = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(data).unwrap()).unwrap();
    assert_eq!(body.trim_end(), text);
    let provenance = read(prov_ref);
    assert!(provenance["target"][0]["reference"].as_str().unwrap().ends_with(doc_ref));
    assert!(provenance["entity"][0]["what"]["identifier"]["value"].as_str().unwrap().starts_with(&format!("{seq}:")));
    assert_eq!(provenance["reason"][0]["text"], "declined: patient prefers to wait");

    // The filing is in the decision log, with the server's references, and the log verifies.
    let log = call(&s, "auditLog", json!({}));
    assert_eq!(log["check"]["intact"], true, "{log}");
    assert_eq!(log["entries"].as_array().unwrap().len(), 1, "a write-back is not a decision");
    let logged = &log["writeBacks"][0];
    assert_eq!(filed["logSeq"], logged["seq"]);
    assert_eq!(logged["decisionSeq"], seq);
    assert_eq!(logged["patientId"], id.as_str());
    assert_eq!(logged["server"], Url::parse(&server.base).unwrap().as_str());
    assert_eq!(logged["outcome"], json!({ "status": "written", "documentReference": doc_ref, "provenance": prov_ref }));
}

/// A stand-in for an EHR gateway that answers every request 401 (the sign-in expired).
fn answering_401() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("its address").port();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for mut socket in listener.incoming().flatten() {
            let mut buf = vec![0u8; 64 * 1024];
            let _ = socket.read(&mut buf);
            let body = r#"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"login"}]}"#;
            let reply = format!(
                "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/fhir+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(reply.as_bytes());
        }
    });
    format!("http://127.0.0.1:{port}/fhir")
}

#[test]
fn an_expired_sign_in_is_logged_as_a_failed_attempt_and_a_retry_is_logged_again() {
    if !keychain_available("patient-view") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let s = session(Some(dir.path().to_path_buf()));
    let id = walter(&s);
    let seq = decide(&s, &id);
    let gateway = answering_401();
    call(
        &s,
        "saveConnection",
        json!({ "name": "Expired", "fhirBase": gateway, "clientId": "cardiotwin", "scopes": "" }),
    );
    let args =
        json!({ "id": id, "connection": "Expired", "text": "Clinician summary: Walter Brennan", "decisionSeq": seq });
    for attempt in 1..=2u64 {
        let err = dispatch(&s, "ehrWriteBack", args.clone()).unwrap_err();
        assert_eq!(err.code, ErrorCode::FhirAuth, "{}", err.message);
        assert!(err.message.contains(&format!("entry {} of the decision log", seq + attempt)), "{}", err.message);
    }
    let log = call(&s, "auditLog", json!({}));
    assert_eq!(log["check"]["intact"], true, "{log}");
    let attempts = log["writeBacks"].as_array().unwrap();
    assert_eq!(attempts.len(), 2, "each try is logged: {log}");
    for logged in attempts {
        assert_eq!(logged["decisionSeq"], seq);
        assert_eq!(logged["outcome"]["status"], "failed");
        let reason = logged["outcome"]["reason"].as_str().unwrap();
        assert!(reason.contains("sign in again"), "{reason}");
        assert!(!reason.contains("Walter") && !reason.contains("Bearer"), "no PHI, no token: {reason}");
        assert!(reason.starts_with("the EHR sign-in has expired"), "the reason, not the screen's preamble: {reason}");
    }
    // The FHIR export carries each attempt as an AuditEvent that failed, with the reason.
    let export = call(&s, "exportAudit", json!({}));
    let bundle: Value = serde_json::from_str(export["bundle"].as_str().unwrap()).unwrap();
    let failed: Vec<&Value> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["resource"]["subtype"][0]["code"] == "write-back")
        .collect();
    assert_eq!(failed.len(), 2, "{bundle}");
    assert!(failed.iter().all(|e| e["resource"]["outcome"] == "4"));
    assert!(failed[0]["resource"]["outcomeDesc"].as_str().unwrap().contains("sign in again"));
    // A decision after the attempts chains on, and the whole log still verifies.
    decide(&s, &id);
    let log = call(&s, "auditLog", json!({}));
    assert_eq!(log["check"]["intact"], true, "{log}");
    assert_eq!(log["check"]["nGood"], 4);
}

#[test]
fn a_server_that_cannot_be_reached_is_said_plainly_and_nothing_is_lost() {
    if !keychain_available("patient-view") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let s = session(Some(dir.path().to_path_buf()));
    let id = walter(&s);
    let seq = decide(&s, &id);
    let down = format!("http://127.0.0.1:{}/fhir", free_port());
    call(&s, "saveConnection", json!({ "name": "Down", "fhirBase": down, "clientId": "cardiotwin", "scopes": "" }));
    let args = json!({ "id": id, "connection": "Down", "text": "summary", "decisionSeq": seq });
    let err = dispatch(&s, "ehrWriteBack", args).unwrap_err();
    assert_eq!(err.code, ErrorCode::FhirUnavailable, "{}", err.message);
    assert!(err.message.contains("not filed") && err.message.contains("try again"), "{}", err.message);
    assert!(!err.message.contains("Walter"), "no PHI in the error: {}", err.message);
    // The log still holds the decision, intact, and the failed attempt beside it; an empty summary
    // or another decision number is refused before anything is sent, and is not an attempt.
    let log = call(&s, "auditLog", json!({}));
    assert_eq!(log["check"]["intact"], true);
    assert_eq!(log["entries"].as_array().unwrap().len(), 1);
    let attempts = log["writeBacks"].as_array().unwrap();
    assert_eq!(attempts.len(), 1, "{log}");
    assert_eq!(attempts[0]["outcome"]["status"], "failed");
    assert!(attempts[0]["outcome"]["reason"].as_str().unwrap().contains("cannot be reached"), "{log}");
    let empty = json!({ "id": id, "connection": "Down", "text": "  ", "decisionSeq": seq });
    assert_eq!(dispatch(&s, "ehrWriteBack", empty).unwrap_err().code, ErrorCode::Validation);
    let missing = json!({ "id": id, "connection": "Down", "text": "x", "decisionSeq": seq + 5 });
    assert_eq!(dispatch(&s, "ehrWriteBack", missing).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(call(&s, "auditLog", json!({}))["writeBacks"].as_array().unwrap().len(), 1);
}
