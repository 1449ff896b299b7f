//! The EHR from the app's backend, against the real FHIR server (sekmet) behind the real SMART
//! rig (tests/rig: oidc-provider and a token-verifying gateway): save a connection, see it online,
//! sign in through the browser leg, fetch a patient into the encrypted cache with progress, and
//! cancel a fetch. `scripts/test` sets the servers up; without them this test says so and passes.
//!
//! The server start-up mirrors twin-fhir's tests/fhir_server.rs (a shared test-support crate
//! would hold it once; noted in the closing note).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use twin_app::commands::dispatch;
use twin_app::session::{Session, SessionConfig};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn env_path(name: &str) -> Option<PathBuf> {
    match std::env::var_os(name) {
        Some(p) => Some(PathBuf::from(p)),
        None => {
            assert!(std::env::var_os("CARDIOTWIN_REQUIRE_SERVERS").is_none(), "{name} is not set");
            eprintln!("{name} not set: the EHR test does not run (scripts/test runs it)");
            None
        }
    }
}

fn wait_for(url: &str) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let http = twin_fhir::fetch::http_client(Duration::from_secs(5)).unwrap();
        let started = Instant::now();
        while http.get(url).send().await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(120), "{url} did not come up");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
}

/// sekmet with the demo cohort loaded, and the SMART rig in front of it.
fn start(sekmet: &Path, rig: &Path) -> (Killed, Killed, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = Killed(
        Command::new(sekmet)
            .args(["serve", "--host", "127.0.0.1", "--port", &port.to_string()])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sekmet"),
    );
    let upstream = format!("http://127.0.0.1:{port}/fhir");
    wait_for(&format!("{upstream}/metadata"));
    let demo = twin_test_support::demo_file("05-healthy-45.json");
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let r = twin_fhir::fetch::http_client(Duration::from_secs(60))
            .unwrap()
            .post(&upstream)
            .header("content-type", "application/fhir+json")
            .body(std::fs::read_to_string(&demo).unwrap())
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "loading the demo patient: {}", r.status());
    });
    let (auth_port, gateway_port) = (free_port(), free_port());
    let rig = Killed(
        Command::new("node")
            .arg(rig)
            .args([&upstream, &auth_port.to_string(), &gateway_port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the SMART rig"),
    );
    let fhir = format!("http://127.0.0.1:{gateway_port}/fhir");
    wait_for(&format!("{fhir}/.well-known/smart-configuration"));
    (server, rig, fhir, dir)
}

fn call(s: &Session, command: &str, args: Value) -> Result<Value, String> {
    dispatch(s, command, args).map_err(|e| e.to_string())
}

#[test]
fn sign_in_and_fetch_from_the_app_backend() {
    let (Some(sekmet), Some(rig)) = (env_path("CARDIOTWIN_SEKMET"), env_path("CARDIOTWIN_SMART_RIG")) else { return };
    let (_server, _rig, fhir, _dir) = start(&sekmet, &rig);
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
