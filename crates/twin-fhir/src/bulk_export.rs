//! FHIR Bulk Data export, the client side: kick-off, polling the status URL, downloading the
//! NDJSON files into a folder for `cardiotwin panel`, and cleaning up on the server.
//!
//! One [`export`] call does it all:
//! 1. `GET [base]/$export` (or `Group/ID/$export`, `Patient/$export`) with
//!    `Accept: application/fhir+json` and `Prefer: respond-async` → 202 and `Content-Location`.
//! 2. Poll the status URL: 202 while the server works (waiting as its `Retry-After` says, in
//!    seconds or as an HTTP date, else a growing interval), 429 when polled too often (its
//!    `Retry-After` honoured), each wait capped, and the whole wait capped; 200 → the manifest.
//! 3. Download each `output[]` (and `error[]`) file, with the token where `requiresAccessToken`,
//!    into `<Type>.ndjson` (`<Type>.1.ndjson`, `<Type>.2.ndjson`, … when a type comes in several
//!    files), each through a temporary name renamed when complete ([`twin_store::bulk_folder`]).
//!    A dropped connection resumes with `Range: bytes=N-` where the server answers 206, and starts
//!    the file again where it answers 200; a few retries with backoff. Lines are counted against
//!    the manifest's `count` where it gives one.
//! 4. Keep a copy of the manifest (`manifest.json`) and `DELETE` the status URL.
//!
//! A 401 signs in again once (a fresh assertion, [`BackendAuth::renew`]) and repeats the request.
//! Errors say which step failed, the HTTP status and the server's OperationOutcome in plain
//! words (quoted values scrubbed); never a token.
//!
//! # References
//! - HL7 FHIR Bulk Data Access 2.0.0 (http://hl7.org/fhir/uv/bulkdata/): kick-off §5.1, status
//!   §5.2–5.3 (202 + `Retry-After`/`X-Progress`, 429, 200 + manifest), file request §5.4,
//!   delete §5.5, the manifest's `requiresAccessToken`, `output[].count`.
//! - RFC 9110 §10.2.3 (`Retry-After`), §14 (range requests, 206, `Content-Range`).

use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;
use twin_store::bulk_folder::{BulkFolder, PartialFile};
use twin_store::StoreError;
use url::Url;

use crate::backend_services::BackendAuth;
use crate::smart::AuthError;

/// Which records to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportLevel {
    /// Everything on the server (`[base]/$export`).
    System,
    /// Every patient's compartment (`[base]/Patient/$export`).
    AllPatients,
    /// The members of one Group (`[base]/Group/ID/$export`): a clinic's panel.
    Group(String),
}

/// What to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    /// The FHIR base.
    pub base: Url,
    /// System, all patients, or a group.
    pub level: ExportLevel,
    /// `_type`: resource types to include (all when empty).
    pub types: Vec<String>,
    /// `_since`: only resources changed since this FHIR instant.
    pub since: Option<String>,
}

impl ExportRequest {
    /// The kick-off URL.
    pub fn kick_off_url(&self) -> Url {
        let mut url = self.base.clone();
        url.set_query(None);
        let segments: Vec<&str> = match &self.level {
            ExportLevel::System => vec!["$export"],
            ExportLevel::AllPatients => vec!["Patient", "$export"],
            ExportLevel::Group(id) => vec!["Group", id, "$export"],
        };
        if let Ok(mut path) = url.path_segments_mut() {
            // Each segment is percent-encoded: an odd group id stays one segment.
            path.pop_if_empty().extend(segments);
        }
        {
            let mut query = url.query_pairs_mut();
            if !self.types.is_empty() {
                query.append_pair("_type", &self.types.join(","));
            }
            if let Some(since) = &self.since {
                query.append_pair("_since", since);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        url
    }
}

/// How patient the client is. Every limit is here, in one place.
#[derive(Debug, Clone)]
pub struct ExportConfig {
    /// The longest the whole export may take to be ready (large exports take hours).
    pub max_wait: Duration,
    /// The longest single wait a server's `Retry-After` may ask for; longer is an error.
    pub max_retry_after: Duration,
    /// The wait between polls when the server gives no `Retry-After`: this, doubling, up to
    /// `max_poll_interval`.
    pub poll_interval: Duration,
    /// The cap of the doubling poll interval.
    pub max_poll_interval: Duration,
    /// Tries per request (the first plus retries) on network errors and 5xx.
    pub attempts: u32,
    /// First backoff between tries; doubles.
    pub backoff: Duration,
}

impl Default for ExportConfig {
    fn default() -> Self {
        Self {
            max_wait: Duration::from_secs(6 * 3600),
            max_retry_after: Duration::from_secs(600),
            poll_interval: Duration::from_secs(2),
            max_poll_interval: Duration::from_secs(60),
            attempts: 5,
            backoff: Duration::from_millis(500),
        }
    }
}

/// Why an export failed, in plain words; never a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Signing in failed.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// An address that would carry patient data unencrypted over the network.
    #[error("export refused: {what} must use https:// (plain http:// only on this machine)")]
    Insecure {
        /// Which address.
        what: String,
    },
    /// The server could not be reached after the retries.
    #[error("the FHIR server cannot be reached during the {step} ({reason}) after {attempts} tries")]
    Unreachable {
        /// Which step.
        step: &'static str,
        /// What the network said.
        reason: String,
        /// Tries made.
        attempts: u32,
    },
    /// The server refused or failed a step.
    #[error("the FHIR server refused the {step} (HTTP {status}){}", outcome.as_deref().map(|o| format!(": {o}")).unwrap_or_default())]
    Refused {
        /// Which step.
        step: &'static str,
        /// HTTP status.
        status: u16,
        /// The OperationOutcome's words, scrubbed.
        outcome: Option<String>,
    },
    /// Still refused after signing in again.
    #[error("the FHIR server refused the {step} even after signing in again (HTTP {status}); check that this client is registered for system-level export")]
    Unauthorised {
        /// Which step.
        step: &'static str,
        /// 401.
        status: u16,
    },
    /// The server did not run the export asynchronously.
    #[error(
        "the FHIR server did not start an asynchronous export (HTTP {status} instead of 202 with a status address)"
    )]
    NotAsync {
        /// HTTP status.
        status: u16,
    },
    /// The server asked to wait longer than we will.
    #[error("the FHIR server asked to wait {seconds} s before the next {step}, longer than the {limit} s limit")]
    WaitTooLong {
        /// Which step.
        step: &'static str,
        /// Seconds asked.
        seconds: u64,
        /// Our limit.
        limit: u64,
    },
    /// The export was not ready in time.
    #[error("the export was not ready after {minutes} minutes; the server may still be working (try again later)")]
    NotReady {
        /// Minutes waited.
        minutes: u64,
    },
    /// The manifest cannot be used.
    #[error("the export's manifest cannot be used: {reason}")]
    BadManifest {
        /// What is wrong.
        reason: String,
    },
    /// A file's lines do not match the manifest's count.
    #[error("{file} has {found} resources but the manifest says {expected}")]
    CountMismatch {
        /// Local file name.
        file: String,
        /// From the manifest.
        expected: u64,
        /// Lines received.
        found: u64,
    },
    /// The folder could not be written.
    #[error(transparent)]
    Folder(#[from] StoreError),
}

/// What happened, for the progress line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExportStep {
    /// The server accepted the export.
    KickedOff,
    /// The server is still working; the next poll is after `wait`.
    Waiting {
        /// The server's `X-Progress`, where given.
        progress: Option<String>,
        /// Until the next poll.
        wait: Duration,
        /// Whether the wait is the server asking us to slow down (429).
        slow_down: bool,
    },
    /// The manifest arrived.
    Ready {
        /// Files to download.
        n_files: usize,
    },
    /// A download was cut off and is tried again.
    Retrying {
        /// Local file name.
        file: String,
        /// Bytes kept (resumed from), 0 when it starts again.
        from_byte: u64,
    },
    /// A file is complete.
    Downloaded {
        /// Local file name.
        file: String,
        /// Its lines.
        n_resources: u64,
    },
}

/// One downloaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedFile {
    /// Name in the folder.
    pub name: String,
    /// Resource type (from the manifest).
    pub resource_type: String,
    /// Lines (resources).
    pub n_resources: u64,
    /// Bytes.
    pub bytes: u64,
    /// Requests it took.
    pub n_requests: u32,
    /// Whether a cut-off download went on from where it stopped (HTTP Range).
    pub resumed: bool,
    /// Whether this is an `error[]` file (OperationOutcomes about the export).
    pub is_error_file: bool,
}

/// What an export brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    /// The server's `transactionTime`: the export holds the data as of then (use it as the next
    /// export's `_since`).
    pub transaction_time: String,
    /// The files, in the manifest's order.
    pub files: Vec<ExportedFile>,
    /// Status polls made.
    pub n_polls: u32,
    /// Whether the server confirmed deleting the export after the download; the error says
    /// what it answered instead (it then cleans up on its own, when the files expire).
    pub deleted: Result<(), String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    transaction_time: String,
    #[serde(default)]
    requires_access_token: bool,
    #[serde(default)]
    output: Vec<ManifestFile>,
    #[serde(default)]
    error: Vec<ManifestFile>,
}

#[derive(Deserialize)]
struct ManifestFile {
    #[serde(rename = "type")]
    resource_type: String,
    url: String,
    #[serde(default)]
    count: Option<u64>,
}

/// The words of an OperationOutcome body (its issues' `details.text` or `diagnostics`), scrubbed
/// of quoted values, or `None` when the body is not one.
fn outcome_words(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    if value.get("resourceType")?.as_str()? != "OperationOutcome" {
        return None;
    }
    let words: Vec<String> = value
        .get("issue")?
        .as_array()?
        .iter()
        .filter_map(|issue| issue.pointer("/details/text").or_else(|| issue.get("diagnostics")).and_then(Value::as_str))
        .map(|text| crate::error::scrub(text).chars().take(200).collect())
        .collect();
    (!words.is_empty()).then(|| words.join("; "))
}

/// A resource type as a file name part: FHIR type names only (letters and digits).
fn plain_type(resource_type: &str) -> Option<&str> {
    let ok = !resource_type.is_empty()
        && resource_type.len() <= 64
        && resource_type.starts_with(|c: char| c.is_ascii_uppercase())
        && resource_type.chars().all(|c| c.is_ascii_alphanumeric());
    ok.then_some(resource_type)
}

/// The local names of the manifest's files: `<Type>.ndjson`, numbered from 1 when a type has
/// several files.
fn local_names(files: &[&ManifestFile]) -> Result<Vec<String>, ExportError> {
    let mut names = Vec::with_capacity(files.len());
    for (idx, file) in files.iter().enumerate() {
        let t = plain_type(&file.resource_type)
            .ok_or_else(|| ExportError::BadManifest { reason: "a file's type is not a FHIR resource type".into() })?;
        let n_of_type = files.iter().filter(|f| f.resource_type == t).count();
        if n_of_type == 1 {
            names.push(format!("{t}.ndjson"));
        } else {
            let number = files[..=idx].iter().filter(|f| f.resource_type == t).count();
            names.push(format!("{t}.{number}.ndjson"));
        }
    }
    Ok(names)
}

/// The talking part: one HTTP client, the sign-in, the limits.
struct Exporter<'a> {
    http: reqwest::Client,
    auth: Option<&'a mut BackendAuth>,
    config: &'a ExportConfig,
    progress: &'a (dyn Fn(ExportStep) + Send + Sync),
}

enum Sent {
    Response(reqwest::Response),
    /// A network error on every try.
    Unreachable(String),
}

impl Exporter<'_> {
    async fn bearer(&mut self, with_token: bool) -> Result<Option<String>, ExportError> {
        match (&mut self.auth, with_token) {
            (Some(auth), true) => Ok(Some(auth.access_token().await?)),
            _ => Ok(None),
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.config.backoff * 2u32.pow(attempt.saturating_sub(1).min(6))
    }

    /// Sends a request built by `build` with the token, retrying network errors and 5xx with
    /// backoff, and signing in again once on 401. Other statuses come back to the caller.
    async fn send(
        &mut self,
        step: &'static str,
        with_token: bool,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Sent, ExportError> {
        let mut renewed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = build(&self.http);
            if let Some(token) = self.bearer(with_token).await? {
                request = request.bearer_auth(token);
            }
            match request.send().await {
                Err(e) => {
                    if attempt >= self.config.attempts {
                        return Ok(Sent::Unreachable(crate::fetch::connection_reason(&e)));
                    }
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    if status == 401 && with_token && !renewed {
                        if let Some(auth) = &mut self.auth {
                            auth.renew().await?;
                            renewed = true;
                            attempt -= 1;
                            continue;
                        }
                    }
                    if status == 401 && with_token && self.auth.is_some() {
                        return Err(ExportError::Unauthorised { step, status });
                    }
                    if !(500..=599).contains(&status) || attempt >= self.config.attempts {
                        return Ok(Sent::Response(response));
                    }
                }
            }
            tokio::time::sleep(self.backoff(attempt)).await;
        }
    }

    async fn refused(step: &'static str, response: reqwest::Response) -> ExportError {
        let status = response.status().as_u16();
        let body = response.bytes().await.unwrap_or_default();
        ExportError::Refused { step, status, outcome: outcome_words(&body) }
    }

    fn checked_wait(&self, step: &'static str, wait: Duration) -> Result<Duration, ExportError> {
        if wait > self.config.max_retry_after {
            return Err(ExportError::WaitTooLong {
                step,
                seconds: wait.as_secs(),
                limit: self.config.max_retry_after.as_secs(),
            });
        }
        Ok(wait)
    }

    async fn kick_off(&mut self, request: &ExportRequest) -> Result<Url, ExportError> {
        const STEP: &str = "export request (kick-off)";
        let url = request.kick_off_url();
        let mut n_slow_downs = 0;
        loop {
            let sent = self
                .send(STEP, true, |http| {
                    http.get(url.clone()).header("accept", "application/fhir+json").header("prefer", "respond-async")
                })
                .await?;
            let response = match sent {
                Sent::Response(r) => r,
                Sent::Unreachable(reason) => {
                    return Err(ExportError::Unreachable { step: STEP, reason, attempts: self.config.attempts })
                }
            };
            let status = response.status().as_u16();
            if status == 429 && n_slow_downs < self.config.attempts {
                n_slow_downs += 1;
                let wait = crate::fetch::retry_after(&response).unwrap_or(self.backoff(n_slow_downs));
                tokio::time::sleep(self.checked_wait(STEP, wait)?).await;
                continue;
            }
            if status != 202 {
                return Err(if (200..300).contains(&status) {
                    ExportError::NotAsync { status }
                } else {
                    Self::refused(STEP, response).await
                });
            }
            let location = response
                .headers()
                .get("content-location")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| url.join(v).ok())
                .ok_or(ExportError::NotAsync { status })?;
            if !crate::transport::is_secure(&location) {
                return Err(ExportError::Insecure { what: "the export's status address".into() });
            }
            (self.progress)(ExportStep::KickedOff);
            return Ok(location);
        }
    }

    async fn poll(&mut self, status_url: &Url) -> Result<(Vec<u8>, u32), ExportError> {
        const STEP: &str = "export status check";
        let started = Instant::now();
        let mut interval = self.config.poll_interval;
        let mut n_polls = 0;
        loop {
            n_polls += 1;
            let sent =
                self.send(STEP, true, |http| http.get(status_url.clone()).header("accept", "application/json")).await?;
            let response = match sent {
                Sent::Response(r) => r,
                Sent::Unreachable(reason) => {
                    return Err(ExportError::Unreachable { step: STEP, reason, attempts: self.config.attempts })
                }
            };
            let status = response.status().as_u16();
            let (wait, progress, slow_down) = match status {
                200 => {
                    let body = response.bytes().await.map_err(|e| ExportError::Unreachable {
                        step: STEP,
                        reason: crate::fetch::connection_reason(&e),
                        attempts: 1,
                    })?;
                    return Ok((body.to_vec(), n_polls));
                }
                202 => {
                    let progress = response
                        .headers()
                        .get("x-progress")
                        .and_then(|v| v.to_str().ok())
                        .map(|p| p.chars().take(100).collect::<String>());
                    let wait = match crate::fetch::retry_after(&response) {
                        Some(wait) => wait,
                        None => {
                            let wait = interval;
                            interval = (interval * 2).min(self.config.max_poll_interval);
                            wait
                        }
                    };
                    (self.checked_wait(STEP, wait)?, progress, false)
                }
                429 => {
                    let wait = crate::fetch::retry_after(&response).unwrap_or(interval * 2);
                    interval = (interval * 2).min(self.config.max_poll_interval);
                    (self.checked_wait(STEP, wait)?, None, true)
                }
                _ => return Err(Self::refused(STEP, response).await),
            };
            if started.elapsed() + wait > self.config.max_wait {
                return Err(ExportError::NotReady { minutes: self.config.max_wait.as_secs() / 60 });
            }
            (self.progress)(ExportStep::Waiting { progress, wait, slow_down });
            tokio::time::sleep(wait).await;
        }
    }

    /// Downloads one file into `partial`, resuming or restarting on a cut-off; returns its lines,
    /// requests and whether it resumed.
    async fn download(
        &mut self,
        url: &Url,
        name: &str,
        with_token: bool,
        partial: &mut PartialFile,
    ) -> Result<(u64, u32, bool), ExportError> {
        const STEP: &str = "file download";
        let mut n_requests = 0;
        let mut n_lines = 0u64;
        let mut last_byte = None;
        let mut resumed = false;
        let mut last_error = String::new();
        while n_requests < self.config.attempts {
            n_requests += 1;
            let from = partial.len();
            let sent = self
                .send(STEP, with_token, |http| {
                    let request = http.get(url.clone()).header("accept", "application/fhir+ndjson");
                    if from > 0 {
                        request.header("range", format!("bytes={from}-"))
                    } else {
                        request
                    }
                })
                .await?;
            let mut response = match sent {
                Sent::Response(r) => r,
                Sent::Unreachable(reason) => {
                    return Err(ExportError::Unreachable { step: STEP, reason, attempts: self.config.attempts })
                }
            };
            match response.status().as_u16() {
                206 if from > 0 && content_range_start(&response) == Some(from) => resumed = true,
                200 => {
                    if from > 0 {
                        // The server sends the whole file again: start it again.
                        partial.restart()?;
                        n_lines = 0;
                        last_byte = None;
                    }
                }
                429 => {
                    let wait = crate::fetch::retry_after(&response).unwrap_or(self.backoff(n_requests));
                    tokio::time::sleep(self.checked_wait(STEP, wait)?).await;
                    continue;
                }
                _ => return Err(Self::refused(STEP, response).await),
            }
            loop {
                match response.chunk().await {
                    Ok(Some(bytes)) => {
                        n_lines += bytes.iter().filter(|b| **b == b'\n').count() as u64;
                        last_byte = bytes.last().copied().or(last_byte);
                        partial.append(&bytes)?;
                    }
                    Ok(None) => {
                        // A last line without its newline is still a resource.
                        let unterminated = last_byte.is_some_and(|b| b != b'\n');
                        return Ok((n_lines + u64::from(unterminated), n_requests, resumed));
                    }
                    Err(e) => {
                        last_error = crate::fetch::connection_reason(&e);
                        (self.progress)(ExportStep::Retrying { file: name.to_string(), from_byte: partial.len() });
                        break;
                    }
                }
            }
            tokio::time::sleep(self.backoff(n_requests)).await;
        }
        Err(ExportError::Unreachable { step: STEP, reason: last_error, attempts: n_requests })
    }
}

/// The first byte of a 206's `Content-Range: bytes FIRST-LAST/SIZE`.
fn content_range_start(response: &reqwest::Response) -> Option<u64> {
    let value = response.headers().get("content-range")?.to_str().ok()?;
    value.trim().strip_prefix("bytes ")?.split('-').next()?.trim().parse().ok()
}

/// Runs a whole export into `folder`; see the module's documentation for the steps.
///
/// `auth` is the Backend Services sign-in (`None` for a server that needs none); `progress` is
/// told each step.
///
/// # Errors
/// An [`ExportError`] naming the step and the reason. Files completed before the failure stay
/// in the folder; the one in flight is removed.
pub async fn export(
    http: reqwest::Client,
    request: &ExportRequest,
    auth: Option<&mut BackendAuth>,
    folder: &BulkFolder,
    config: &ExportConfig,
    progress: &(dyn Fn(ExportStep) + Send + Sync),
) -> Result<ExportReport, ExportError> {
    if !crate::transport::is_secure(&request.base) {
        return Err(ExportError::Insecure { what: "the FHIR server address".into() });
    }
    let mut exporter = Exporter { http, auth, config, progress };
    let status_url = exporter.kick_off(request).await?;
    let (manifest_bytes, n_polls) = exporter.poll(&status_url).await?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| ExportError::BadManifest { reason: crate::error::scrub(&e.to_string()) })?;
    let files: Vec<(&ManifestFile, bool)> =
        manifest.output.iter().map(|f| (f, false)).chain(manifest.error.iter().map(|f| (f, true))).collect();
    (exporter.progress)(ExportStep::Ready { n_files: files.len() });
    let mut names = local_names(&manifest.output.iter().collect::<Vec<_>>())?;
    names.extend(local_names(&manifest.error.iter().collect::<Vec<_>>())?.into_iter().map(|n| format!("errors.{n}")));
    let mut report_files = Vec::with_capacity(files.len());
    for ((file, is_error_file), name) in files.into_iter().zip(names) {
        let url = status_url
            .join(&file.url)
            .map_err(|_| ExportError::BadManifest { reason: format!("the address of {name} is not a URL") })?;
        if !crate::transport::is_secure(&url) {
            return Err(ExportError::Insecure { what: format!("the address of {name}") });
        }
        let mut partial = folder.partial(&name)?;
        let downloaded = exporter.download(&url, &name, manifest.requires_access_token, &mut partial).await;
        let (n_resources, n_requests, resumed) = match downloaded {
            Ok(done) => done,
            Err(e) => {
                partial.abandon();
                return Err(e);
            }
        };
        if let Some(expected) = file.count.filter(|c| *c != n_resources) {
            partial.abandon();
            return Err(ExportError::CountMismatch { file: name, expected, found: n_resources });
        }
        let bytes = partial.len();
        partial.finish()?;
        (exporter.progress)(ExportStep::Downloaded { file: name.clone(), n_resources });
        report_files.push(ExportedFile {
            name,
            resource_type: file.resource_type.clone(),
            n_resources,
            bytes,
            n_requests,
            resumed,
            is_error_file,
        });
    }
    folder.write_file("manifest.json", &manifest_bytes)?;
    let deleted = match exporter.send("export clean-up", true, |http| http.delete(status_url.clone())).await {
        Ok(Sent::Response(r)) if r.status().is_success() => Ok(()),
        Ok(Sent::Response(r)) => Err(format!("HTTP {}", r.status().as_u16())),
        Ok(Sent::Unreachable(reason)) => Err(reason),
        Err(e) => Err(e.to_string()),
    };
    Ok(ExportReport { transaction_time: manifest.transaction_time, files: report_files, n_polls, deleted })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(t: &str) -> ManifestFile {
        ManifestFile { resource_type: t.into(), url: format!("https://ehr.example/files/{t}"), count: None }
    }

    #[test]
    fn several_files_of_a_type_are_numbered_and_odd_types_refused() {
        let files = [file("Patient"), file("Observation"), file("Observation")];
        assert_eq!(
            local_names(&files.iter().collect::<Vec<_>>()).unwrap(),
            ["Patient.ndjson", "Observation.1.ndjson", "Observation.2.ndjson"]
        );
        let bad = [file("../../etc")];
        assert!(matches!(local_names(&bad.iter().collect::<Vec<_>>()), Err(ExportError::BadManifest { .. })));
    }

    #[test]
    fn kick_off_urls_follow_the_level() {
        let base = Url::parse("https://ehr.example/fhir/").unwrap();
        let mut request =
            ExportRequest { base, level: ExportLevel::Group("clinic 7".into()), types: vec![], since: None };
        assert_eq!(request.kick_off_url().as_str(), "https://ehr.example/fhir/Group/clinic%207/$export");
        request.level = ExportLevel::Group("a/b".into());
        assert_eq!(request.kick_off_url().as_str(), "https://ehr.example/fhir/Group/a%2Fb/$export");
        request.level = ExportLevel::System;
        request.types = vec!["Patient".into(), "Observation".into()];
        assert_eq!(request.kick_off_url().as_str(), "https://ehr.example/fhir/$export?_type=Patient%2CObservation");
    }

    #[test]
    fn operation_outcomes_read_as_words_without_their_quoted_values() {
        let body = br#"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found","diagnostics":"Group 'Jane Doe' not found"}]}"#;
        assert_eq!(outcome_words(body).unwrap(), "Group '…' not found");
        assert_eq!(outcome_words(b"<html>"), None);
    }
}
