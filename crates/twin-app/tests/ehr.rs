//! The EHR from the app's backend, against the real FHIR server (sekmet) behind the real SMART
//! rig (tests/rig: oidc-provider and a token-verifying gateway): save a connection, see it online,
//! sign in through the browser leg, fetch a patient into the encrypted cache with progress, and
//! cancel a fetch. `scripts/test` sets the servers up; without them this test says so and passes.
//!
//! The servers are started by twin-test-support's `servers` (shared with twin-fhir's
//! tests/fhir_server.rs).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use twin_app::commands::dispatch;
use twin_app::session::{Session, SessionConfig};
use twin_test_support::servers::{free_port, server_binary, FhirServer, SmartRig};

/// How long the SMART rig may take to answer.
const RIG_START: Duration = Duration::from_secs(120);

fn env_path(name: &str) -> Option<PathBuf> {
    server_binary(name, "the EHR test does not run (scripts/test runs it)")
}

fn call(s: &Session, command: &str, args: Value) -> Result<Value, String> {
    dispatch(s, command, args).map_err(|e| e.to_string())
}

#[test]
fn sign_in_and_fetch_from_the_app_backend() {
    let (Some(sekmet), Some(rig_script)) = (env_path("CARDIOTWIN_SEKMET"), env_path("CARDIOTWIN_SMART_RIG")) else {
        return;
    };
    // sekmet with the demo patient loaded, and the SMART rig in front of it.
    let server = FhirServer::start(&sekmet, &[twin_test_support::demo_file("05-healthy-45.json")]);
    let rig = SmartRig::start(&rig_script, &server.base, RIG_START);
    let fhir = rig.fhir.clone();
    let data = tempfile::tempdir().unwrap();
    let session = Session::new(SessionConfig {
        demo_dir: None,
        data_dir: Some(data.path().to_path_buf()),
        as_of: Some(twin_test_support::CONSULTATION_DAY),
    });
    // The browser's part: follow the authorization URL through the rig's sign-in and consent to
    // the loopback redirect, off the sign-in's own thread (as a real browser is).
    session.set_browser(Arc::new(|url: &url::Url| {
        let url = url.to_string();
        std::thread::spawn(move || {
            tokio::runtime::Runtime::new().unwrap().block_on(async {
                let browser = reqwest::Client::builder()
                    .cookie_store(true)
                    .redirect(reqwest::redirect::Policy::limited(20))
                    .build()
                    .unwrap();
                let _ = browser.get(&url).send().await;
            });
        });
        Ok(())
    }));

    let settings = call(
        &session,
        "saveConnection",
        json!({ "name": "Test EHR", "fhirBase": fhir, "clientId": "cardiotwin", "scopes": "" }),
    )
    .unwrap();
    assert_eq!(settings["connections"][0]["name"], "Test EHR");
    assert!(settings["compute"].as_str().unwrap().starts_with("CPU"));
    let status = call(&session, "ehrStatus", json!({ "name": "Test EHR" })).unwrap();
    assert_eq!(status["online"], true, "{status}");

    let signed_in = call(&session, "ehrSignIn", json!({ "name": "Test EHR" })).unwrap();
    assert_eq!(signed_in["patient"], "ct-demo-05", "patient in context");
    assert_eq!(signed_in["refreshTokenStored"], true);

    // A fetch asked to stop before it starts writes nothing.
    call(&session, "cancelJob", json!({ "job": "stopped" })).unwrap();
    let stopped = call(&session, "ehrFetch", json!({ "name": "Test EHR", "patient": "ct-demo-05", "job": "stopped" }));
    assert!(stopped.unwrap_err().contains("cancelled"));

    let report =
        call(&session, "ehrFetch", json!({ "name": "Test EHR", "patient": "ct-demo-05", "job": "fetch" })).unwrap();
    assert_eq!(report["cached"], true, "{report}");
    assert!(report["missing"].as_array().unwrap().is_empty());
    let list = call(&session, "listPatients", json!({})).unwrap();
    let cached = list["patients"].as_array().unwrap().iter().find(|p| p["id"] == "ct-demo-05").expect("in the list");
    assert_eq!(cached["origin"], "cache");
    let summary = call(&session, "patientSummary", json!({ "id": "ct-demo-05" })).unwrap();
    assert!(summary["latest"].as_array().is_some_and(|l| !l.is_empty()), "opens from the cache");

    // An EHR that does not answer: the app says it is offline; the cached patient still opens.
    call(
        &session,
        "saveConnection",
        json!({ "name": "Unreachable", "fhirBase": format!("http://127.0.0.1:{}/fhir", free_port()), "clientId": "cardiotwin", "scopes": "" }),
    )
    .unwrap();
    let offline = call(&session, "ehrStatus", json!({ "name": "Unreachable" })).unwrap();
    assert_eq!(offline["online"], false);
    assert!(offline["message"].as_str().unwrap().contains("offline"));
    assert!(call(&session, "twin", json!({ "id": "ct-demo-05" })).is_ok());
    let removed = call(&session, "removeConnection", json!({ "name": "Unreachable" })).unwrap();
    assert_eq!(removed["connections"].as_array().unwrap().len(), 1);
}
