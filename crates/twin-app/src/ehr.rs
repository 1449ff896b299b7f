//! The EHR: signing in over SMART-on-FHIR, and fetching a patient into the cache.
//!
//! The refresh token is kept only in the OS keychain, under one entry per FHIR base; access
//! tokens live in memory for the duration of a command. Nothing here prints or logs a token.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;
use url::Url;

use twin_fhir::fetch::{http_client, Credentials, FetchConfig, FhirClient};
pub use twin_fhir::fetch::{Cancel, Progress};
use twin_fhir::incremental::{held_fetch, set_meta_extension, Since, CHANGES_EXTENSION};
use twin_fhir::smart::{self, TokenResponse};
use twin_store::cache::{FetchMark, Snapshot};
use twin_store::secrets::{Keychain, SecretStore};
use twin_store::Store;

use crate::cache::now_rfc3339;
use crate::changes::Changes;
use crate::error::{AppError, ErrorCode};
use crate::json::PatientSummary;
use crate::record_merge::FetchMerge;

/// The client id CardioTwin registers with EHRs unless told otherwise.
pub const DEFAULT_CLIENT_ID: &str = "cardiotwin";
/// How long to wait for the browser to come back.
pub const LOGIN_TIMEOUT: Duration = Duration::from_secs(300);

fn parse_base(fhir: &str) -> Result<Url, AppError> {
    let url =
        Url::parse(fhir).map_err(|e| AppError::new(ErrorCode::Validation, format!("not a FHIR base URL: {e}")))?;
    twin_fhir::fetch::require_secure(&url, "the FHIR server address")
        .map_err(|e| AppError::new(ErrorCode::Validation, e.to_string()))?;
    Ok(url)
}

/// The keychain entry holding the refresh token for `base`.
pub fn refresh_entry(base: &Url) -> String {
    let digest = Sha256::digest(base.as_str().trim_end_matches('/').as_bytes());
    format!("refresh-token-{}", digest.iter().take(12).map(|b| format!("{b:02x}")).collect::<String>())
}

fn auth_error(e: smart::AuthError) -> AppError {
    AppError::new(ErrorCode::FhirAuth, e.to_string())
}

/// What a sign-in established.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LoginResult {
    /// The FHIR base signed in to.
    pub fhir: String,
    /// The patient in context, when the EHR gave one.
    pub patient: Option<String>,
    /// Scopes granted.
    pub scope: Option<String>,
    /// Whether a refresh token was stored in the keychain.
    pub refresh_token_stored: bool,
}

/// Signs in: discovery, then the system browser with PKCE and a loopback redirect.
/// `open_browser` is called with the authorization URL (the CLI opens the system browser).
///
/// # Errors
/// [`ErrorCode::FhirAuth`] with the reason (refused, state mismatch, timeout, token refused).
pub async fn login(
    fhir: &str,
    client_id: &str,
    launch: Option<&str>,
    open_browser: impl FnOnce(&Url) -> Result<(), String>,
) -> Result<LoginResult, AppError> {
    let base = parse_base(fhir)?;
    let http =
        http_client(Duration::from_secs(30)).map_err(|e| AppError::new(ErrorCode::FhirUnavailable, e.to_string()))?;
    let config = smart::discover(&http, &base).await.map_err(auth_error)?;
    let loopback = smart::LoopbackRedirect::bind().await.map_err(auth_error)?;
    let request =
        smart::authorization_request(&config, client_id, &loopback.redirect_uri, &base, launch).map_err(auth_error)?;
    open_browser(&request.url)
        .map_err(|e| AppError::new(ErrorCode::FhirAuth, format!("could not open the browser: {e}")))?;
    let params = loopback.wait(&request.state, LOGIN_TIMEOUT).await.map_err(auth_error)?;
    let code = smart::code_from_callback(&params, &request.state).map_err(auth_error)?;
    let tokens = smart::exchange_code(&http, &config, client_id, &request, &code).await.map_err(auth_error)?;
    let stored = match &tokens.refresh_token {
        Some(refresh) => {
            Keychain.set(&refresh_entry(&base), refresh.as_bytes())?;
            true
        }
        None => false,
    };
    Ok(LoginResult {
        fhir: base.to_string(),
        patient: tokens.patient.clone(),
        scope: tokens.scope.clone(),
        refresh_token_stored: stored,
    })
}

/// Credentials for fetching: a token file (tests, service accounts), else the keychain's refresh
/// token (refreshed now), else none.
///
/// # Errors
/// [`ErrorCode::FhirAuth`] when the stored sign-in is refused (sign in again).
pub async fn credentials(base: &Url, client_id: &str, token_file: Option<&Path>) -> Result<Credentials, AppError> {
    if let Some(path) = token_file {
        let token = std::fs::read_to_string(path).map_err(|e| AppError::io(path, &e))?;
        return Ok(Credentials::Bearer(token.trim().to_string()));
    }
    let Some(refresh) = Keychain.get(&refresh_entry(base)).ok().flatten() else { return Ok(Credentials::None) };
    let refresh = String::from_utf8(refresh)
        .map_err(|_| AppError::new(ErrorCode::FhirAuth, "the stored sign-in is unreadable; please sign in again"))?;
    let http =
        http_client(Duration::from_secs(30)).map_err(|e| AppError::new(ErrorCode::FhirUnavailable, e.to_string()))?;
    let config = smart::discover(&http, base).await.map_err(auth_error)?;
    let mut tokens: TokenResponse =
        smart::refresh(&http, &config.token_endpoint, client_id, &refresh).await.map_err(auth_error)?;
    if let Some(new_refresh) = &tokens.refresh_token {
        Keychain.set(&refresh_entry(base), new_refresh.as_bytes())?;
    } else {
        tokens.refresh_token = Some(refresh);
    }
    Ok(Credentials::Smart { tokens, token_endpoint: config.token_endpoint, client_id: client_id.into() })
}

/// Keeps the refresh token a refresh during the fetch may have rotated: servers that rotate
/// (OAuth 2.0 Security BCP §4.14) revoke the old one, so losing the new one loses the sign-in.
fn save_rotated_refresh_token(base: &Url, credentials: &Credentials) -> Result<(), AppError> {
    if let Credentials::Smart { tokens, .. } = credentials {
        if let Some(refresh) = &tokens.refresh_token {
            let entry = refresh_entry(base);
            if Keychain.get(&entry)?.as_deref() != Some(refresh.as_bytes()) {
                Keychain.set(&entry, refresh.as_bytes())?;
            }
        }
    }
    Ok(())
}

/// What a fetch brought, for people.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FetchReport {
    /// The harmonised record.
    pub summary: PatientSummary,
    /// Searches that failed (the record is incomplete where this is not empty).
    pub missing: Vec<MissingView>,
    /// Pages read.
    pub n_pages: usize,
    /// Whether the patient was written to the offline cache.
    pub cached: bool,
    /// Whether only what changed since the last fetch was asked for (the patient was held from
    /// this server); `false` for a whole record.
    pub incremental: bool,
    /// Resources the server sent.
    pub n_received: usize,
    /// What changed in the record since it was last held, when it was held before.
    pub changes: Option<crate::changes::Changes>,
}

/// A search that failed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MissingView {
    /// The search.
    pub search: String,
    /// Why.
    pub reason: String,
}

/// A fetch's report, and the record as it was stored, harmonised: the session holds it as it is
/// (see `Session::cmd_ehr_fetch`) instead of reading it back and harmonising it again.
#[derive(Debug)]
pub struct FetchOutcome {
    /// What the fetch brought, for people.
    pub report: FetchReport,
    /// The record as stored; `None` when nothing was stored (an incomplete fetch).
    pub stored: Option<Stored>,
}

/// A record as a fetch stored it.
#[derive(Debug)]
pub struct Stored {
    /// The record, harmonised.
    pub harmonised: twin_fhir::Harmonised,
    /// When that version was stored (the snapshot's `fetched_at`).
    pub fetched_at: String,
}

/// A record the caller holds as a fetch stored it: the next fetch of the patient takes it for
/// the record before the fetch (for "what changed") instead of harmonising the stored one again,
/// as long as the store still holds that version.
#[derive(Debug, Clone)]
pub struct HeldRecord {
    /// The record, harmonised.
    pub harmonised: Arc<twin_fhir::Harmonised>,
    /// When that version was stored (the snapshot's `fetched_at`).
    pub fetched_at: String,
}

/// What to fetch and how to sign in for it.
#[derive(Debug, Clone, Copy)]
pub struct FetchRequest<'a> {
    /// FHIR base URL.
    pub fhir: &'a str,
    /// Client id registered with the EHR (for the keychain's sign-in).
    pub client_id: &'a str,
    /// A bearer token file instead of the keychain's sign-in (tests, service accounts).
    pub token_file: Option<&'a Path>,
    /// Patient id(s) on that server.
    pub patient: &'a str,
    /// Fetch the whole record even when it is held from this server (a held record is
    /// otherwise brought up to date with only what changed: [`twin_fhir::incremental`]).
    pub full: bool,
}

/// The one EHR fetch sequence, for the screens and the CLI alike: read the base, find the
/// sign-in, fetch with progress into the cache, and stop when `stop` finishes (the screen's
/// cancel, the terminal's Ctrl-C). A stopped fetch writes nothing to the cache.
///
/// # Errors
/// [`ErrorCode::Validation`] for a base that is not a URL; sign-in refused; nothing fetched;
/// [`ErrorCode::Cancelled`].
pub async fn fetch_into_cache(
    store: &Store,
    request: FetchRequest<'_>,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
    today: time::Date,
) -> Result<FetchReport, AppError> {
    fetch_record(store, request, None, progress, stop, today).await.map(|outcome| outcome.report)
}

/// [`fetch_into_cache`], with the stored record harmonised beside the report; `held` is the
/// caller's copy of the patient as the last fetch stored it, if it has one ([`HeldRecord`]).
///
/// # Errors
/// As [`fetch_into_cache`].
pub async fn fetch_record(
    store: &Store,
    request: FetchRequest<'_>,
    held: Option<&HeldRecord>,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
    today: time::Date,
) -> Result<FetchOutcome, AppError> {
    let base = Url::parse(request.fhir)
        .map_err(|_| AppError::new(ErrorCode::Validation, format!("'{}' is not a web address", request.fhir)))?;
    let credentials = credentials(&base, request.client_id, request.token_file).await?;
    let cancel = Cancel::default();
    let on_stop = cancel.clone();
    let watcher = tokio::spawn(async move {
        stop.await;
        on_stop.cancel();
    });
    let report = fetch_patient(store, request, credentials, held, progress, &cancel, today).await;
    watcher.abort();
    if cancel.is_cancelled() {
        return Err(AppError::new(ErrorCode::Cancelled, "the fetch was cancelled; nothing was written to the cache"));
    }
    report
}

/// Fetches a patient, harmonises, and writes the snapshot into `store`: only what changed since
/// the last fetch when the patient is held from this server (and the whole record was not asked
/// for), else the whole record.
///
/// # Errors
/// [`ErrorCode::FhirUnavailable`] when nothing at all arrived; [`ErrorCode::Validation`] when what
/// arrived holds no Patient.
async fn fetch_patient(
    store: &Store,
    request: FetchRequest<'_>,
    credentials: Credentials,
    copy: Option<&HeldRecord>,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
    cancel: &Cancel,
    today: time::Date,
) -> Result<FetchOutcome, AppError> {
    let base = parse_base(request.fhir)?;
    let client = Arc::new(
        FhirClient::new(base.clone(), credentials, FetchConfig::default())
            .map_err(|e| AppError::new(ErrorCode::FhirUnavailable, e.to_string()))?,
    );
    let held = if request.full { None } else { held_from(store, request.patient, &base) };
    let held = held.map(|h| Held { copy: copy.cloned(), ..h });
    match held {
        Some(held) => fetch_changes(store, &client, request.patient, held, progress, cancel, today).await,
        None => fetch_whole(store, &client, request.patient, progress, cancel, today).await,
    }
}

/// A patient held from this server, and where an incremental fetch starts.
#[derive(Debug)]
struct Held {
    /// When the held record was stored (the workstation's clock), for "what changed since".
    fetched_at: String,
    since: Since,
    server_time: String,
    /// The caller's copy of the record, if it has one.
    copy: Option<HeldRecord>,
}

/// Where `patient`'s held record says an incremental fetch from `base` starts, read from the
/// record's sealed index ([`FetchMark`]) without opening the record; a record stored before the
/// mark was kept there carries it in its Bundle's `meta` instead, and is read whole once. `None`
/// (not held, imported from a file, another server, no server time) makes the fetch a whole one.
fn held_from(store: &Store, patient: &str, base: &Url) -> Option<Held> {
    let index = store.get_index(patient).ok()?;
    let mark = match index.fetch {
        Some(mark) => mark,
        None => {
            let snapshot = store.get_snapshot(patient).ok()?;
            let bundle: serde_json::Value = serde_json::from_str(&snapshot.bundle_json).ok()?;
            let held = held_fetch(&bundle)?;
            FetchMark { base: held.base, server_time: held.server_time }
        }
    };
    if mark.base != base.as_str() {
        return None;
    }
    let server_time = mark.server_time?;
    let since = Since::after_previous(&server_time).ok()?;
    Some(Held { fetched_at: index.fetched_at, since, server_time, copy: None })
}

fn missing_views(fetched: &twin_fhir::fetch::Fetched) -> Vec<MissingView> {
    fetched.missing.iter().map(|m| MissingView { search: m.search.clone(), reason: m.error.to_string() }).collect()
}

/// Brings a held record up to date with what the server changed after the last fetch, merged
/// by [`crate::record_merge`]; the server's time and what changed are stored with it. When a
/// search fails nothing is merged (the next fetch would otherwise start after what is missing).
async fn fetch_changes(
    store: &Store,
    client: &Arc<FhirClient>,
    patient: &str,
    held: Held,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
    cancel: &Cancel,
    today: time::Date,
) -> Result<FetchOutcome, AppError> {
    let fetched = client.fetch_patient_since(patient, &held.since, cancel, progress).await;
    save_rotated_refresh_token(client.base(), &fetched.credentials)?;
    let missing = missing_views(&fetched);
    let n_received = fetched.resources.len();
    if !missing.is_empty() {
        let snapshot = store.get_snapshot(patient)?;
        let h = twin_fhir::harmonise_bundle_text_for(&snapshot.bundle_json, Some(patient))
            .map_err(|e| AppError::new(ErrorCode::Validation, format!("the held record: {e}")))?;
        let summary = PatientSummary::from_harmonised(&h, today);
        let report = FetchReport {
            summary,
            missing,
            n_pages: fetched.n_pages,
            cached: false,
            incremental: true,
            n_received,
            changes: None,
        };
        return Ok(FetchOutcome { report, stored: None });
    }
    let base = client.base().to_string();
    let mark = FetchMark { base: base.clone(), server_time: Some(fetched.server_time.unwrap_or(held.server_time)) };
    let mut changes = None;
    let merged = crate::record_merge::merge_resources_noting(
        store,
        patient,
        fetched.resources,
        &base,
        today,
        Some(FetchMerge { mark: &mark, held: held.copy.as_ref().map(|c| (c.fetched_at.as_str(), &*c.harmonised)) }),
        |before, after, bundle| {
            let found = Changes::between(&before.record, &after.record, &held.fetched_at, today);
            let text = serde_json::to_string(&found).map_err(|e| AppError::new(ErrorCode::Store, e.to_string()))?;
            set_meta_extension(bundle, CHANGES_EXTENSION, &text);
            changes = Some(found);
            Ok(())
        },
    )?;
    let summary = PatientSummary::from_harmonised(&merged.harmonised, today);
    let report = FetchReport {
        summary,
        missing,
        n_pages: fetched.n_pages,
        cached: true,
        incremental: true,
        n_received,
        changes,
    };
    Ok(FetchOutcome { report, stored: Some(Stored { harmonised: merged.harmonised, fetched_at: merged.fetched_at }) })
}

/// Fetches the whole record, harmonises, and writes the snapshot into `store` (with the server's
/// time, and what changed when the patient was held before).
///
/// # Errors
/// [`ErrorCode::FhirUnavailable`] when nothing at all arrived; [`ErrorCode::Validation`] when what
/// arrived holds no Patient.
async fn fetch_whole(
    store: &Store,
    client: &Arc<FhirClient>,
    patient: &str,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
    cancel: &Cancel,
    today: time::Date,
) -> Result<FetchOutcome, AppError> {
    let base = client.base().clone();
    let fetched = client.fetch_patient(patient, cancel, progress).await;
    save_rotated_refresh_token(&base, &fetched.credentials)?;
    let missing = missing_views(&fetched);
    if fetched.resources.is_empty() {
        let reason = missing.first().map_or_else(|| "no resources".to_string(), |m| m.reason.clone());
        return Err(AppError::new(ErrorCode::FhirUnavailable, format!("nothing could be fetched: {reason}")));
    }
    let n_received = fetched.resources.len();
    let mut bundle = serde_json::json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": fetched.resources.iter().map(|r| serde_json::json!({ "resource": r })).collect::<Vec<_>>(),
    });
    let harmonised = twin_fhir::harmonise_bundle_for(bundle.clone(), Some(patient))
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("the fetched record cannot be used: {e}")))?;
    let summary = PatientSummary::from_harmonised(&harmonised, today);
    let cached = missing.is_empty();
    let mut changes = None;
    let fetched_at = now_rfc3339();
    // An incomplete fetch is shown but not cached over a complete earlier one.
    if cached {
        let previous = store.get_snapshot(&harmonised.record.id).ok().and_then(|s| {
            let before = twin_fhir::harmonise_bundle_text_for(&s.bundle_json, Some(&harmonised.record.id)).ok()?;
            Some(Changes::between(&before.record, &harmonised.record, &s.fetched_at, today))
        });
        if let Some(found) = previous {
            let text = serde_json::to_string(&found).map_err(|e| AppError::new(ErrorCode::Store, e.to_string()))?;
            set_meta_extension(&mut bundle, CHANGES_EXTENSION, &text);
            changes = Some(found);
        }
        let mark = FetchMark { base: base.to_string(), server_time: fetched.server_time.clone() };
        store.put_snapshot_marked(
            &Snapshot {
                patient_id: harmonised.record.id.clone(),
                display_name: harmonised.record.demographics.name.clone(),
                source: base.to_string(),
                fetched_at: fetched_at.clone(),
                bundle_json: bundle.to_string(),
                summary_json: serde_json::to_string(&summary)
                    .map_err(|e| AppError::new(ErrorCode::Store, e.to_string()))?,
            },
            Some(&mark),
        )?;
    }
    let report =
        FetchReport { summary, missing, n_pages: fetched.n_pages, cached, incremental: false, n_received, changes };
    Ok(FetchOutcome { report, stored: cached.then_some(Stored { harmonised, fetched_at }) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use twin_store::secrets::MemorySecrets;

    const BASE: &str = "http://127.0.0.1:9/fhir";

    fn snapshot(bundle: serde_json::Value) -> Snapshot {
        Snapshot {
            patient_id: "p".into(),
            display_name: "Test".into(),
            source: BASE.into(),
            fetched_at: "2026-12-01T10:00:00Z".into(),
            bundle_json: bundle.to_string(),
            summary_json: "{}".into(),
        }
    }

    fn store(dir: &Path) -> Store {
        Store::open(dir, Arc::new(MemorySecrets::default())).unwrap()
    }

    #[test]
    fn where_a_fetch_starts_is_read_from_the_sealed_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let bundle = serde_json::json!({"resourceType": "Bundle", "type": "collection", "entry": []});
        let mark = FetchMark { base: BASE.into(), server_time: Some("2026-12-01T09:00:05Z".into()) };
        store.put_snapshot_marked(&snapshot(bundle), Some(&mark)).unwrap();
        let base = Url::parse(BASE).unwrap();
        let held = held_from(&store, "p", &base).unwrap();
        assert_eq!(
            (held.server_time.as_str(), held.fetched_at.as_str()),
            ("2026-12-01T09:00:05Z", "2026-12-01T10:00:00Z")
        );
        assert_eq!(held.since.to_param(), "2026-12-01T09:00:00.000Z");
        assert!(held_from(&store, "p", &Url::parse("http://127.0.0.1:10/fhir").unwrap()).is_none(), "another server");
        assert!(held_from(&store, "q", &base).is_none(), "not held");
    }

    /// Records stored before the mark moved to the index carry it in their Bundle's `meta`: they
    /// are still brought up to date incrementally.
    #[test]
    fn a_record_stored_before_the_index_kept_the_mark_still_fetches_incrementally() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let bundle = serde_json::json!({
            "resourceType": "Bundle", "type": "collection", "entry": [],
            "meta": { "source": BASE, "lastUpdated": "2026-12-01T09:00:05Z" }
        });
        store.put_snapshot(&snapshot(bundle)).unwrap();
        assert_eq!(store.get_index("p").unwrap().fetch, None);
        let held = held_from(&store, "p", &Url::parse(BASE).unwrap()).unwrap();
        assert_eq!(held.server_time, "2026-12-01T09:00:05Z");
        let imported = serde_json::json!({"resourceType": "Bundle", "type": "collection", "entry": []});
        store.put_snapshot(&snapshot(imported)).unwrap();
        assert!(held_from(&store, "p", &Url::parse(BASE).unwrap()).is_none(), "a file import is fetched whole");
    }
}
