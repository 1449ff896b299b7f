//! `cardiotwin export` as a user runs it, with the real keychain and a real FHIR server (PyPI
//! `sekmet-fhir`, which verifies the JWT assertion against the registered JWKS): make the key,
//! register its JWKS, export a Group, and run `cardiotwin panel` on the folder.
//!
//! Needs a D-Bus session with a keyring and `CARDIOTWIN_SEKMET` (what `scripts/test` sets up);
//! without them the test says so and passes.

mod common;

use common::{cardiotwin, keychain, text};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};
use twin_test_support::servers::{free_port, http_status, server_binary, Process, ScratchDir, FHIR_SERVER_START};

/// sekmet with `jwks` registered for client `ct-bulk`, loaded with three demo patients and a
/// Group `clinic-7` of them.
fn start_sekmet(binary: &Path, jwks: &Value) -> (Process, ScratchDir, String) {
    let dir = ScratchDir::new("sekmet-export");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/fhir");
    let settings = json!({
        "base_url": base,
        "log_inbound": false,
        "simulator": { "delay_seconds": 0.5 },
        // Reads are open so the test can load the server with plain requests; the token
        // endpoint still verifies the client's assertion against the registered key.
        "server_auth": { "types": ["none"], "smart_clients": [{ "client_id": "ct-bulk", "scopes": "system/*.rs", "jwks": jwks }] },
    });
    std::fs::write(dir.path().join("settings.yaml"), settings.to_string()).unwrap();
    let mut process = Process::spawn(
        Command::new(binary)
            .args(["serve", "--host", "127.0.0.1", "--port", &port.to_string()])
            .current_dir(dir.path()),
        "sekmet",
    );
    process.wait_for_http(&format!("{base}/metadata"), FHIR_SERVER_START);
    let mut members = Vec::new();
    for file in twin_test_support::demo_files().into_iter().take(3) {
        let body = std::fs::read(&file).unwrap();
        let id = twin_test_support::bundle_patient_id(&serde_json::from_slice(&body).unwrap());
        members.push(json!({ "entity": { "reference": format!("Patient/{id}") } }));
        let status = http_status("POST", &base, Some("application/fhir+json"), &body, Duration::from_secs(60)).unwrap();
        assert!((200..300).contains(&status), "loading {}: {status}", file.display());
    }
    let group =
        json!({ "resourceType": "Group", "id": "clinic-7", "type": "person", "actual": true, "member": members });
    let status = http_status(
        "PUT",
        &format!("{base}/Group/clinic-7"),
        Some("application/fhir+json"),
        group.to_string().as_bytes(),
        Duration::from_secs(30),
    )
    .unwrap();
    assert!((200..300).contains(&status), "the group: {status}");
    (process, dir, base)
}

#[test]
fn export_signs_in_with_the_keychains_key_and_the_panel_reads_the_folder() {
    if !keychain("export") {
        return;
    }
    let Some(binary) = server_binary("CARDIOTWIN_SEKMET", "export tests not run (scripts/test runs them)") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");

    let made = cardiotwin(&data, &["export", "keygen", "--replace"]);
    assert!(made.status.success(), "{}", text(&made));
    let jwks: Value = serde_json::from_slice(&made.stdout).expect("the JWKS on stdout");
    assert_eq!(jwks["keys"][0]["crv"], "P-384");
    let again = cardiotwin(&data, &["export", "keygen"]);
    assert_eq!(again.status.code(), Some(1), "a second key is not made over the first");
    assert!(text(&again).contains("--replace"), "{}", text(&again));
    let printed = cardiotwin(&data, &["export", "jwks"]);
    assert_eq!(serde_json::from_slice::<Value>(&printed.stdout).unwrap(), jwks);

    let (_server, _dir, base) = start_sekmet(&binary, &jwks);
    let out = work.path().join("panel-in");
    let out_text = out.to_str().unwrap();
    let args = ["export", "--fhir", &base, "--client-id", "ct-bulk", "--group", "clinic-7", "--out", out_text];
    let exported = cardiotwin(&data, &[&args[..], &["--format", "json"]].concat());
    assert!(exported.status.success(), "{}", text(&exported));
    let summary: Value = serde_json::from_slice(&exported.stdout).unwrap();
    let files = summary["files"].as_array().unwrap();
    let patient = files.iter().find(|f| f["name"] == "Patient.ndjson").expect("Patient.ndjson");
    assert_eq!(patient["nResources"], 3);
    assert!(files.iter().any(|f| f["name"] == "Observation.ndjson"));
    assert!(out.join("manifest.json").is_file());
    assert_eq!(summary["notDeleted"], Value::Null, "open server: the delete is allowed");

    // A client the server does not know is refused in words, with exit 1 and no panic.
    let stranger = cardiotwin(&data, &["export", "--fhir", &base, "--client-id", "nobody", "--out", out_text]);
    assert_eq!(stranger.status.code(), Some(1));
    assert!(text(&stranger).contains("invalid_client"), "{}", text(&stranger));
    assert!(!text(&stranger).contains("panicked"));

    // The panel reads the downloaded folder.
    let result = work.path().join("panel.parquet");
    let panel =
        cardiotwin(&data, &["panel", "--in", out_text, "--scenario", "current", "--out", result.to_str().unwrap()]);
    assert!(panel.status.success(), "{}", text(&panel));
    assert!(result.is_file());

    // A key the EHR's team made with openssl can be imported instead; an RSA key cannot.
    // (In this test, not a second one: both would write the same keychain entry at once.)
    import_from_openssl(work.path(), &data);
}

fn import_from_openssl(work: &Path, data: &Path) {
    let pem = work.join("key.pem");
    let made = Command::new("openssl")
        .args(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out"])
        .arg(&pem)
        .output();
    if !made.is_ok_and(|o| o.status.success()) {
        eprintln!("openssl not available: PEM import not tested");
        return;
    }
    let imported = cardiotwin(data, &["export", "key-import", pem.to_str().unwrap(), "--replace"]);
    assert!(imported.status.success(), "{}", text(&imported));
    let jwks: Value = serde_json::from_slice(&imported.stdout).unwrap();
    assert_eq!(jwks["keys"][0]["alg"], "ES384");
    let rsa = work.join("rsa.pem");
    let made = Command::new("openssl").args(["genpkey", "-algorithm", "RSA", "-out"]).arg(&rsa).output().unwrap();
    assert!(made.status.success());
    let refused = cardiotwin(data, &["export", "key-import", rsa.to_str().unwrap(), "--replace"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused).contains("P-384"), "{}", text(&refused));
}
