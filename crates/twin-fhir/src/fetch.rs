//! Fetching one patient's record from a FHIR R4 server: the searches, paging by
//! `Bundle.link[next]`, bounded concurrency, retries with backoff, `Retry-After` on 429, timeouts,
//! token refresh on 401, progress and cancellation. A partial failure keeps what arrived and
//! names exactly what is missing.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{Mutex, Semaphore};
use url::Url;

use crate::smart::{self, AuthError, TokenResponse};
/// Also here, beside [`require_secure`], where callers have always found it.
pub use crate::transport::is_secure;

/// How the client behaves.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Searches in flight at once.
    pub concurrency: usize,
    /// Attempts per request (the first plus retries) for idempotent GETs.
    pub attempts: u32,
    /// First backoff; doubles each retry.
    pub backoff: Duration,
    /// Longest `Retry-After` we honour before giving up on that request.
    pub max_retry_after: Duration,
    /// Per-request timeout.
    pub timeout: Duration,
    /// `_count` per page.
    pub page_size: u32,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            concurrency: 4,
            attempts: 4,
            backoff: Duration::from_millis(250),
            max_retry_after: Duration::from_secs(30),
            timeout: Duration::from_secs(20),
            page_size: 200,
        }
    }
}

/// Why a request failed, in plain words; never a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The server could not be reached.
    #[error("the FHIR server at {base} cannot be reached ({reason})")]
    Unreachable {
        /// The configured base.
        base: String,
        /// What the network said.
        reason: String,
    },
    /// The server did not answer in time.
    #[error("the FHIR server did not answer within {seconds} s")]
    Timeout {
        /// The timeout.
        seconds: u64,
    },
    /// The server kept failing.
    #[error("the FHIR server answered HTTP {status} after {attempts} attempts")]
    Server {
        /// Last status.
        status: u16,
        /// Attempts made.
        attempts: u32,
    },
    /// Too many requests, and the server asked us to wait too long.
    #[error("the FHIR server is rate-limiting (HTTP 429) and asked to wait {seconds} s")]
    RateLimited {
        /// Seconds it asked for.
        seconds: u64,
    },
    /// Not authorised, even after refreshing the token.
    #[error("not authorised by the EHR (HTTP {status}); please sign in again")]
    Unauthorised {
        /// 401 or 403.
        status: u16,
    },
    /// Signing in again is needed: the refresh token was refused.
    #[error("{0}")]
    Auth(String),
    /// The reply was not a FHIR resource (truncated or malformed JSON).
    #[error("the FHIR server sent an unreadable reply ({reason})")]
    Malformed {
        /// What was wrong.
        reason: String,
    },
    /// Another client error.
    #[error("the FHIR server refused the request (HTTP {status})")]
    Refused {
        /// Status.
        status: u16,
    },
    /// The user cancelled.
    #[error("cancelled")]
    Cancelled,
    /// A plain-HTTP address for a server that is not on this machine: patient data and tokens
    /// would cross the network unencrypted.
    #[error("{what} must use https:// (plain http:// is allowed only for 127.0.0.1 and localhost)")]
    Insecure {
        /// Which address.
        what: String,
    },
    /// The server sent more than a patient's record can be.
    #[error("the FHIR server sent more than the {limit} limit for one record ({what}); the fetch stopped there")]
    TooLarge {
        /// What overflowed (a page, the page count, the resource count).
        what: String,
        /// The limit, in words.
        limit: String,
    },
}

/// The largest page we read, bytes (a page of 200 resources is well under 2 MB).
pub const MAX_PAGE_BYTES: usize = 32 * 1024 * 1024;
/// The most pages one search may have (200 per page: 100,000 resources).
pub const MAX_PAGES_PER_SEARCH: usize = 500;
/// The most resources one patient's record may have.
pub const MAX_RESOURCES: usize = 500_000;
/// The longest access-token life we believe; a larger `expires_in` is clamped (one day).
const MAX_TOKEN_LIFE_S: u64 = 86_400;

/// [`is_secure`] as an error naming `what`.
///
/// # Errors
/// [`FetchError::Insecure`].
pub fn require_secure(url: &Url, what: &str) -> Result<(), FetchError> {
    if is_secure(url) {
        Ok(())
    } else {
        Err(FetchError::Insecure { what: what.to_string() })
    }
}

/// Progress so far, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Resources received.
    pub resources: usize,
    /// Searches finished.
    pub searches_done: usize,
    /// Searches in all.
    pub searches_total: usize,
}

/// A cancellation switch shared with the UI.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Asks the fetch to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether it was asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Where the access token comes from, and how to get a new one. Its `Debug` shows the kind, never
/// a token.
#[derive(Clone)]
pub enum Credentials {
    /// No authorization (open test servers).
    None,
    /// A fixed bearer token (e.g. from `--token-file`).
    Bearer(String),
    /// SMART tokens with refresh.
    Smart {
        /// Current tokens.
        tokens: TokenResponse,
        /// Token endpoint.
        token_endpoint: String,
        /// Client id.
        client_id: String,
    },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::None => f.write_str("Credentials::None"),
            Credentials::Bearer(_) => f.write_str("Credentials::Bearer(<redacted>)"),
            Credentials::Smart { tokens, token_endpoint, .. } => f
                .debug_struct("Credentials::Smart")
                .field("tokens", tokens)
                .field("token_endpoint", token_endpoint)
                .finish_non_exhaustive(),
        }
    }
}

/// A search that could not be completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The search (`Type?params`), without server or token.
    pub search: String,
    /// Why.
    pub error: FetchError,
}

/// What a fetch brought back.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Every resource received (deduplicated by type and id).
    pub resources: Vec<Value>,
    /// Searches that failed; empty when the record is complete.
    pub missing: Vec<Missing>,
    /// Pages read.
    pub n_pages: usize,
    /// Resources the server returned for another patient (or none), as `Type/id`: not kept.
    pub excluded: Vec<String>,
    /// Credentials after the fetch (tokens may have been refreshed, and the refresh token
    /// rotated: save it).
    pub credentials: Credentials,
    /// The server's clock when the fetch began: the earliest `Bundle.meta.lastUpdated` of the
    /// searches' first pages (RFC 3339), where the server sends one. The next incremental fetch
    /// asks for what changed after it (twin-fhir's `incremental`).
    pub server_time: Option<String>,
}

/// A FHIR client bound to one configured base URL.
pub struct FhirClient {
    base: Url,
    pub(crate) http: reqwest::Client,
    config: FetchConfig,
    credentials: Mutex<Credentials>,
    /// When to refresh the SMART access token (shortly before it expires).
    expires_at: Mutex<Option<std::time::Instant>>,
}

/// When to refresh a token that lives `expires_in` seconds: a quarter of its life, at most 30 s,
/// before it expires, so no request races its expiry.
fn refresh_at(expires_in: Option<u64>) -> Option<std::time::Instant> {
    let life = Duration::from_secs(expires_in?.min(MAX_TOKEN_LIFE_S));
    std::time::Instant::now().checked_add(life - (life / 4).min(Duration::from_secs(30)))
}

fn expiry(credentials: &Credentials) -> Option<std::time::Instant> {
    match credentials {
        Credentials::Smart { tokens, .. } => refresh_at(tokens.expires_in),
        _ => None,
    }
}

/// Installs the TLS crypto provider once per process (ring).
fn ensure_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// An HTTP client with our timeouts; shared by SMART and FHIR requests.
///
/// # Errors
/// [`FetchError::Unreachable`] when the TLS stack cannot start.
pub fn http_client(timeout: Duration) -> Result<reqwest::Client, FetchError> {
    ensure_crypto_provider();
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("CardioTwin/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| FetchError::Unreachable { base: String::new(), reason: e.to_string() })
}

/// The searches that make up a patient's record (DESIGN §5).
///
/// The id is percent-encoded: `a,b` is one (odd) id, never a search for two patients.
pub fn patient_searches(patient: &str) -> Vec<String> {
    let p: String = url::form_urlencoded::byte_serialize(patient.as_bytes()).collect();
    let mut searches = vec![format!("Patient?_id={p}")];
    // ECGs (QRS duration, rhythm) are filed under "procedure" (US Core; HL7 observation-category).
    for category in ["vital-signs", "laboratory", "imaging", "procedure", "activity", "social-history"] {
        searches.push(format!("Observation?patient={p}&category={category}"));
    }
    // Echo LVEF, smoking status, NYHA class and ECGs are often uncategorised (or "survey"): ask by
    // LOINC code too (ECG panels 34534-8 and 11524-6, QRS duration 8633-0, rhythm 8884-9).
    searches.push(format!("Observation?patient={p}&code=http://loinc.org|10230-1,http://loinc.org|8806-2,http://loinc.org|18043-0,http://loinc.org|72166-2,http://loinc.org|88020-3,http://loinc.org|34534-8,http://loinc.org|11524-6,http://loinc.org|8633-0,http://loinc.org|8884-9"));
    for kind in [
        "Condition",
        "MedicationRequest",
        "MedicationStatement",
        "MedicationDispense",
        "Procedure",
        "AllergyIntolerance",
        "FamilyMemberHistory",
        "DiagnosticReport",
        "DocumentReference",
    ] {
        searches.push(format!("{kind}?patient={p}"));
    }
    searches
}

impl FhirClient {
    /// A client for `base` (e.g. `https://ehr.example/fhir`).
    ///
    /// # Errors
    /// [`FetchError::Insecure`] for a plain-http base (or token endpoint) off this machine;
    /// [`FetchError::Unreachable`] when the HTTP stack cannot start.
    pub fn new(base: Url, credentials: Credentials, config: FetchConfig) -> Result<Self, FetchError> {
        require_secure(&base, "the FHIR server address")?;
        if let Credentials::Smart { token_endpoint, .. } = &credentials {
            let endpoint =
                Url::parse(token_endpoint).map_err(|_| FetchError::Insecure { what: "the token endpoint".into() })?;
            require_secure(&endpoint, "the token endpoint")?;
        }
        let http = http_client(config.timeout)?;
        let expires_at = Mutex::new(expiry(&credentials));
        Ok(Self { base, http, config, credentials: Mutex::new(credentials), expires_at })
    }

    /// The configured base.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// Requests in flight at once (at least one).
    pub(crate) fn config_concurrency(&self) -> usize {
        self.config.concurrency.max(1)
    }

    /// `base` + `relative` (a search or a read), keeping the base's path.
    pub(crate) fn url_for(&self, relative: &str) -> String {
        format!("{}/{}", self.base.as_str().trim_end_matches('/'), relative.trim_start_matches('/'))
    }

    /// A server's `next` link rewritten onto the configured base: servers often write their own
    /// idea of their host (`localhost:P`), which may not be reachable from here.
    pub fn rebase_next(&self, next: &str) -> Option<String> {
        let next = Url::parse(next).ok()?;
        let mut rebased = self.base.clone();
        rebased.set_path(next.path());
        rebased.set_query(next.query());
        Some(rebased.to_string())
    }

    pub(crate) async fn bearer(&self) -> Option<String> {
        match &*self.credentials.lock().await {
            Credentials::None => None,
            Credentials::Bearer(t) => Some(t.clone()),
            Credentials::Smart { tokens, .. } => Some(tokens.access_token.clone()),
        }
    }

    /// Refreshes SMART tokens (after a 401 with `stale`, or before expiry); `false` when there is
    /// nothing to refresh with. Concurrent callers refresh once: whoever finds the token already
    /// replaced uses the new one.
    pub(crate) async fn refresh_tokens(&self, stale: Option<&str>) -> Result<bool, FetchError> {
        let mut credentials = self.credentials.lock().await;
        let Credentials::Smart { tokens, token_endpoint, client_id } = &mut *credentials else { return Ok(false) };
        if stale.is_some_and(|s| s != tokens.access_token) {
            return Ok(true);
        }
        let Some(refresh_token) = tokens.refresh_token.clone() else { return Ok(false) };
        match smart::refresh(&self.http, token_endpoint, client_id, &refresh_token).await {
            Ok(mut fresh) => {
                if fresh.refresh_token.is_none() {
                    fresh.refresh_token = Some(refresh_token);
                }
                *self.expires_at.lock().await = refresh_at(fresh.expires_in);
                *tokens = fresh;
                Ok(true)
            }
            Err(AuthError::TokenRefused { .. }) => Err(FetchError::Auth(
                "the EHR no longer accepts this sign-in (refresh token revoked or expired); please sign in again"
                    .into(),
            )),
            Err(e) => Err(FetchError::Auth(e.to_string())),
        }
    }

    /// GETs `url` as FHIR JSON with retries, 429 handling and one token refresh on 401.
    ///
    /// # Errors
    /// A [`FetchError`] saying what happened.
    pub async fn get_json(&self, url: &str, cancel: &Cancel) -> Result<Value, FetchError> {
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            if cancel.is_cancelled() {
                return Err(FetchError::Cancelled);
            }
            attempt += 1;
            // Read the token before the expiry: a refresh by another task in between then shows
            // as a changed token, and `refresh_tokens` does not refresh twice.
            let seen = self.bearer().await;
            let near_expiry = self.expires_at.lock().await.is_some_and(|t| t <= std::time::Instant::now());
            let token = if near_expiry {
                // A failed early refresh is not fatal: the request may still succeed, and a 401
                // takes the refresh path again with its own error.
                let _ = self.refresh_tokens(seen.as_deref()).await;
                self.bearer().await
            } else {
                seen
            };
            let mut request = self.http.get(url).header("accept", "application/fhir+json");
            if let Some(token) = &token {
                request = request.bearer_auth(token);
            }
            let retry_or = |error: FetchError| if attempt < self.config.attempts { None } else { Some(error) };
            match request.send().await {
                Err(e) => {
                    let error = if e.is_timeout() {
                        FetchError::Timeout { seconds: self.config.timeout.as_secs() }
                    } else {
                        FetchError::Unreachable { base: self.base.to_string(), reason: connection_reason(&e) }
                    };
                    if let Some(error) = retry_or(error) {
                        return Err(error);
                    }
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    match status {
                        200..=299 => {
                            if response.content_length().is_some_and(|n| n > MAX_PAGE_BYTES as u64) {
                                return Err(page_too_large());
                            }
                            let bytes = match read_bounded(response).await {
                                Ok(b) => Ok(b),
                                Err(ReadError::TooLarge) => return Err(page_too_large()),
                                Err(ReadError::Http(e)) => Err(e),
                            };
                            let bytes = match bytes {
                                Ok(b) => b,
                                Err(e) if e.is_timeout() => {
                                    if let Some(error) =
                                        retry_or(FetchError::Timeout { seconds: self.config.timeout.as_secs() })
                                    {
                                        return Err(error);
                                    }
                                    self.sleep_backoff(attempt).await;
                                    continue;
                                }
                                Err(e) => {
                                    if let Some(error) =
                                        retry_or(FetchError::Malformed { reason: connection_reason(&e) })
                                    {
                                        return Err(error);
                                    }
                                    self.sleep_backoff(attempt).await;
                                    continue;
                                }
                            };
                            match serde_json::from_slice::<Value>(&bytes) {
                                Ok(v) if v.get("resourceType").is_some() => return Ok(v),
                                Ok(_) => {
                                    return Err(FetchError::Malformed { reason: "JSON without a resourceType".into() })
                                }
                                Err(e) => {
                                    let reason = if e.is_eof() {
                                        "the reply was cut off (truncated JSON)".to_string()
                                    } else {
                                        format!("invalid JSON at line {}", e.line())
                                    };
                                    if let Some(error) = retry_or(FetchError::Malformed { reason }) {
                                        return Err(error);
                                    }
                                }
                            }
                        }
                        401 | 403 => {
                            if status == 401 && !refreshed && self.refresh_tokens(token.as_deref()).await? {
                                refreshed = true;
                                attempt -= 1;
                                continue;
                            }
                            return Err(FetchError::Unauthorised { status });
                        }
                        429 => {
                            let wait = retry_after(&response).unwrap_or(self.config.backoff * 2u32.pow(attempt));
                            if wait > self.config.max_retry_after {
                                return Err(FetchError::RateLimited { seconds: wait.as_secs() });
                            }
                            if attempt >= self.config.attempts {
                                return Err(FetchError::RateLimited { seconds: wait.as_secs() });
                            }
                            tokio::time::sleep(wait).await;
                            continue;
                        }
                        500..=599 => {
                            if let Some(error) = retry_or(FetchError::Server { status, attempts: attempt }) {
                                return Err(error);
                            }
                        }
                        _ => return Err(FetchError::Refused { status }),
                    }
                }
            }
            self.sleep_backoff(attempt).await;
        }
    }

    async fn sleep_backoff(&self, attempt: u32) {
        tokio::time::sleep(self.config.backoff * 2u32.pow(attempt.saturating_sub(1).min(6))).await;
    }

    /// Runs one search to its last page; returns the resources and the number of pages.
    ///
    /// # Errors
    /// The first page's or a later page's [`FetchError`], with what arrived before it.
    pub async fn search_all(
        &self,
        search: &str,
        cancel: &Cancel,
        on_page: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<(Vec<Value>, usize), (Vec<Value>, FetchError)> {
        self.search_pages(search, cancel, on_page).await.map(|(resources, n_pages, _)| (resources, n_pages))
    }

    /// [`FhirClient::search_all`], with the first page's `Bundle.meta.lastUpdated` (the server's
    /// clock when it answered), where it has one.
    async fn search_pages(
        &self,
        search: &str,
        cancel: &Cancel,
        on_page: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<(Vec<Value>, usize, Option<String>), (Vec<Value>, FetchError)> {
        let mut server_time = None;
        let separator = if search.contains('?') { '&' } else { '?' };
        let mut next = Some(self.url_for(&format!("{search}{separator}_count={}", self.config.page_size)));
        let mut resources = Vec::new();
        let mut n_pages = 0;
        let mut seen_pages = HashSet::new();
        while let Some(url) = next.take() {
            if !seen_pages.insert(url.clone()) {
                break;
            }
            if n_pages >= MAX_PAGES_PER_SEARCH {
                let error = FetchError::TooLarge {
                    what: "too many pages".into(),
                    limit: format!("{MAX_PAGES_PER_SEARCH}-page"),
                };
                return Err((resources, error));
            }
            let page = match self.get_json(&url, cancel).await {
                Ok(page) => page,
                Err(e) => return Err((resources, e)),
            };
            n_pages += 1;
            if n_pages == 1 {
                server_time = page.pointer("/meta/lastUpdated").and_then(Value::as_str).map(str::to_string);
            }
            let entries = page.get("entry").and_then(Value::as_array).cloned().unwrap_or_default();
            let before = resources.len();
            resources.extend(
                entries
                    .into_iter()
                    .filter_map(|mut e| e.get_mut("resource").map(Value::take))
                    .filter(|r| r.get("resourceType").and_then(Value::as_str) != Some("OperationOutcome")),
            );
            on_page(resources.len() - before);
            if resources.len() > MAX_RESOURCES {
                let error = FetchError::TooLarge {
                    what: "too many resources".into(),
                    limit: format!("{MAX_RESOURCES}-resource"),
                };
                return Err((resources, error));
            }
            next = page
                .get("link")
                .and_then(Value::as_array)
                .and_then(|links| links.iter().find(|l| l.get("relation").and_then(Value::as_str) == Some("next")))
                .and_then(|l| l.get("url").and_then(Value::as_str))
                .and_then(|u| self.rebase_next(u));
        }
        Ok((resources, n_pages, server_time))
    }

    /// Fetches a patient's whole record: every search of [`patient_searches`], `concurrency` at a
    /// time. Progress is reported after every page; cancellation stops at the next request.
    pub async fn fetch_patient(
        self: &Arc<Self>,
        patient: &str,
        cancel: &Cancel,
        progress: Arc<dyn Fn(Progress) + Send + Sync>,
    ) -> Fetched {
        self.fetch_searches(patient, patient_searches(patient), cancel, progress).await
    }

    /// Runs `searches` (each one of `patient`'s, as [`patient_searches`] makes them), as
    /// [`FhirClient::fetch_patient`] does.
    pub(crate) async fn fetch_searches(
        self: &Arc<Self>,
        patient: &str,
        searches: Vec<String>,
        cancel: &Cancel,
        progress: Arc<dyn Fn(Progress) + Send + Sync>,
    ) -> Fetched {
        let total = searches.len();
        let semaphore = Arc::new(Semaphore::new(self.config.concurrency.max(1)));
        let n_resources = Arc::new(AtomicUsize::new(0));
        let n_done = Arc::new(AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for (idx, search) in searches.into_iter().enumerate() {
            let client = Arc::clone(self);
            let cancel = cancel.clone();
            let semaphore = Arc::clone(&semaphore);
            let (n_resources, n_done, progress) =
                (Arc::clone(&n_resources), Arc::clone(&n_done), Arc::clone(&progress));
            tasks.spawn(async move {
                let _permit = semaphore.acquire_owned().await;
                let report = {
                    let (n_resources, n_done, progress) =
                        (Arc::clone(&n_resources), Arc::clone(&n_done), Arc::clone(&progress));
                    move |added: usize| {
                        let resources = n_resources.fetch_add(added, Ordering::SeqCst) + added;
                        progress(Progress {
                            resources,
                            searches_done: n_done.load(Ordering::SeqCst),
                            searches_total: total,
                        });
                    }
                };
                let result = client.search_pages(&search, &cancel, &report).await;
                n_done.fetch_add(1, Ordering::SeqCst);
                progress(Progress {
                    resources: n_resources.load(Ordering::SeqCst),
                    searches_done: n_done.load(Ordering::SeqCst),
                    searches_total: total,
                });
                (idx, search, result)
            });
        }
        let mut results = Vec::with_capacity(total);
        while let Some(joined) = tasks.join_next().await {
            if let Ok(r) = joined {
                results.push(r);
            }
        }
        results.sort_by_key(|(idx, _, _)| *idx);
        let mut seen = HashSet::new();
        let mut resources = Vec::new();
        let mut missing = Vec::new();
        let mut excluded = Vec::new();
        let mut n_pages = 0;
        let mut server_time: Option<String> = None;
        for (_, search, result) in results {
            let batch = match result {
                Ok((batch, pages, answered_at)) => {
                    n_pages += pages;
                    server_time = earliest(server_time, answered_at);
                    batch
                }
                Err((partial, error)) => {
                    missing.push(Missing { search, error });
                    partial
                }
            };
            for r in batch {
                let key = (
                    r.get("resourceType").and_then(Value::as_str).unwrap_or_default().to_string(),
                    r.get("id").and_then(Value::as_str).unwrap_or_default().to_string(),
                );
                if !is_for_patient(&r, patient) {
                    excluded.push(format!("{}/{}", key.0, key.1));
                } else if key.1.is_empty() || seen.insert(key) {
                    resources.push(r);
                }
            }
        }
        // Notes linked by URL to a Binary on this server are read now, so the record holds their
        // text like any other note's (crate::attachments).
        self.inline_linked_notes(&mut resources, cancel).await;
        let credentials = self.credentials.lock().await.clone();
        excluded.sort();
        excluded.dedup();
        Fetched { resources, missing, n_pages, excluded, credentials, server_time }
    }
}

/// Whether a returned resource is `patient`'s: the Patient itself, or a resource whose
/// `subject` (or, for AllergyIntolerance and FamilyMemberHistory, `patient`) names it.
fn is_for_patient(resource: &Value, patient: &str) -> bool {
    let kind = resource.get("resourceType").and_then(Value::as_str).unwrap_or_default();
    if kind == "Patient" {
        return resource.get("id").and_then(Value::as_str) == Some(patient);
    }
    let reference = ["subject", "patient"]
        .iter()
        .find_map(|field| resource.get(field).and_then(|r| r.get("reference")).and_then(Value::as_str));
    reference.is_some_and(|r| crate::harmonise::names_patient(r, patient))
}

/// The earlier of two server times (RFC 3339); one that does not parse is passed over.
pub(crate) fn earliest(a: Option<String>, b: Option<String>) -> Option<String> {
    let instant = |t: &str| time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok();
    let parsed = |t: Option<String>| t.and_then(|t| instant(&t).map(|at| (at, t)));
    match (parsed(a), parsed(b)) {
        (Some(a), Some(b)) => Some(if b.0 < a.0 { b.1 } else { a.1 }),
        (a, b) => a.or(b).map(|(_, t)| t),
    }
}

fn page_too_large() -> FetchError {
    FetchError::TooLarge { what: "one page".into(), limit: format!("{} MB page", MAX_PAGE_BYTES / 1024 / 1024) }
}

enum ReadError {
    TooLarge,
    Http(reqwest::Error),
}

/// The body, read chunk by chunk and abandoned past [`MAX_PAGE_BYTES`] (a server that ignores
/// `_count`, or a hostile one, cannot make us hold gigabytes).
async fn read_bounded(mut response: reqwest::Response) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_PAGE_BYTES {
                    return Err(ReadError::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(ReadError::Http(e)),
        }
    }
}

/// A reason without the URL (URLs carry patient ids): the innermost cause.
pub(crate) fn connection_reason(e: &reqwest::Error) -> String {
    if e.is_connect() {
        return "connection refused or no route".into();
    }
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// `Retry-After` as seconds or an HTTP date.
pub(crate) fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get("retry-after")?.to_str().ok()?;
    if let Ok(seconds) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let wait = when - time::OffsetDateTime::now_utc();
    Some(Duration::from_secs_f64(wait.as_seconds_f64().max(0.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links_are_rebased_onto_the_configured_base() {
        let client = FhirClient::new(
            Url::parse("http://127.0.0.1:9000/fhir").unwrap(),
            Credentials::None,
            FetchConfig::default(),
        )
        .unwrap();
        assert_eq!(
            client.rebase_next("http://localhost:8080/fhir/Observation?patient=1&_page=2").unwrap(),
            "http://127.0.0.1:9000/fhir/Observation?patient=1&_page=2"
        );
    }

    #[test]
    fn searches_cover_the_record() {
        let s = patient_searches("p1");
        assert!(s.iter().any(|q| q.starts_with("Observation?patient=p1&category=laboratory")));
        assert!(s.iter().any(|q| q == "DocumentReference?patient=p1"));
        assert!(s.iter().any(|q| q.contains("72166-2")));
    }
}
