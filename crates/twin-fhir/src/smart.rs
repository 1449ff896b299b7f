//! SMART App Launch 2.x for a native app: discovery, authorization code with PKCE (S256) and a
//! random `state`, through the system browser with a loopback redirect on an ephemeral port
//! (RFC 8252), EHR launch (`launch` + `iss`), token exchange and refresh.
//!
//! Tokens are handed to the caller; where the refresh token is kept (the OS keychain) is the
//! app's decision, not this module's. Nothing here logs a token.
//!
//! # References
//! - HL7 SMART App Launch 2.2.0, http://hl7.org/fhir/smart-app-launch/ (discovery §2.1,
//!   authorization §2.0.5–2.0.10, scopes §3, refresh §2.0.11).
//! - RFC 7636 (PKCE), RFC 8252 (OAuth 2.0 for native apps: loopback redirect, system browser).

use std::collections::HashMap;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use url::Url;

/// What can go wrong signing in. Messages never contain tokens or codes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The server's SMART configuration could not be read.
    #[error("could not read the EHR's SMART configuration at {url}: {reason}")]
    Discovery {
        /// Where it was looked for.
        url: String,
        /// Why it failed.
        reason: String,
    },
    /// The callback's `state` does not match the request: a possible forgery; rejected.
    #[error("sign-in rejected: the reply does not match this sign-in request (state mismatch)")]
    StateMismatch,
    /// The authorization server refused (e.g. the user declined).
    #[error("sign-in refused by the EHR: {error}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Refused {
        /// OAuth error code.
        error: String,
        /// Its description.
        description: Option<String>,
    },
    /// The token endpoint refused the code, verifier or refresh token.
    #[error("the EHR refused the token request ({error}{}); please sign in again", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    TokenRefused {
        /// OAuth error code (e.g. `invalid_grant`).
        error: String,
        /// The server's description, where given.
        description: Option<String>,
    },
    /// An address that would carry the sign-in unencrypted over the network.
    #[error("sign-in refused: {what} must use https:// (plain http:// only on this machine)")]
    Insecure {
        /// Which address.
        what: String,
    },
    /// No reply reached the loopback listener in time.
    #[error("sign-in timed out waiting for the browser to return")]
    Timeout,
    /// A network or protocol failure.
    #[error("sign-in failed: {0}")]
    Network(String),
}

/// The parts of `.well-known/smart-configuration` we use.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct SmartConfiguration {
    /// Authorization endpoint.
    pub authorization_endpoint: String,
    /// Token endpoint.
    pub token_endpoint: String,
    /// Declared capabilities (e.g. `permission-v2`, `launch-standalone`).
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// PKCE methods supported.
    #[serde(default)]
    pub code_challenge_methods_supported: Vec<String>,
    /// Scopes supported, where declared.
    #[serde(default)]
    pub scopes_supported: Vec<String>,
}

impl SmartConfiguration {
    /// The scopes to ask for: SMART v2 (`patient/*.rs`) where the server declares
    /// `permission-v2`, else SMART v1 (`patient/*.read`).
    pub fn scopes(&self) -> String {
        let resources =
            if self.capabilities.iter().any(|c| c == "permission-v2") { "patient/*.rs" } else { "patient/*.read" };
        format!("launch/patient openid fhirUser offline_access {resources}")
    }
}

/// Reads the SMART configuration of `fhir_base`.
///
/// # Errors
/// [`AuthError::Insecure`] when the base or a discovered endpoint is plain http off this machine;
/// [`AuthError::Discovery`] naming the URL and the reason.
pub async fn discover(http: &reqwest::Client, fhir_base: &Url) -> Result<SmartConfiguration, AuthError> {
    let insecure = |what: &str| AuthError::Insecure { what: what.to_string() };
    if !crate::transport::is_secure(fhir_base) {
        return Err(insecure("the FHIR server address"));
    }
    let url = format!("{}/.well-known/smart-configuration", fhir_base.as_str().trim_end_matches('/'));
    let fail = |reason: String| AuthError::Discovery { url: url.clone(), reason };
    let response = http.get(&url).header("accept", "application/json").send().await.map_err(|e| fail(e.to_string()))?;
    if !response.status().is_success() {
        return Err(fail(format!("HTTP {}", response.status())));
    }
    let config: SmartConfiguration = response
        .json()
        .await
        .map_err(|e| fail(format!("not a SMART configuration: {}", crate::error::scrub(&e.to_string()))))?;
    for (endpoint, what) in
        [(&config.authorization_endpoint, "the authorization endpoint"), (&config.token_endpoint, "the token endpoint")]
    {
        let secure = Url::parse(endpoint).is_ok_and(|u| crate::transport::is_secure(&u));
        if !secure {
            return Err(insecure(what));
        }
    }
    Ok(config)
}

/// A PKCE verifier and its S256 challenge (RFC 7636 §4.1–4.2).
#[derive(Clone, PartialEq, Eq)]
pub struct Pkce {
    /// The verifier (kept by the app, sent with the code).
    pub verifier: String,
    /// BASE64URL(SHA-256(verifier)).
    pub challenge: String,
}

impl std::fmt::Debug for Pkce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pkce(<redacted>)")
    }
}

fn random_token(n_bytes: usize) -> String {
    let mut bytes = vec![0u8; n_bytes];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

impl Pkce {
    /// A fresh verifier (43 characters from 32 random bytes) and its challenge.
    pub fn generate() -> Self {
        Self::from_verifier(random_token(32))
    }

    /// The challenge of a given verifier.
    pub fn from_verifier(verifier: String) -> Self {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        Self { verifier, challenge }
    }
}

/// A prepared authorization request: the URL to open, and what must come back.
#[derive(Debug, Clone)]
pub struct AuthorizationRequest {
    /// Open this in the system browser.
    pub url: Url,
    /// The `state` the callback must echo.
    pub state: String,
    /// The PKCE pair.
    pub pkce: Pkce,
    /// The redirect URI used.
    pub redirect_uri: String,
}

/// Builds the authorization URL (standalone launch, or EHR launch when `launch` is given).
///
/// # Errors
/// [`AuthError::Discovery`] when the authorization endpoint is not a URL.
pub fn authorization_request(
    config: &SmartConfiguration,
    client_id: &str,
    redirect_uri: &str,
    fhir_base: &Url,
    launch: Option<&str>,
) -> Result<AuthorizationRequest, AuthError> {
    let mut url = Url::parse(&config.authorization_endpoint).map_err(|e| AuthError::Discovery {
        url: config.authorization_endpoint.clone(),
        reason: format!("authorization endpoint is not a URL: {e}"),
    })?;
    let pkce = Pkce::generate();
    let state = random_token(24);
    let mut scopes = config.scopes();
    if launch.is_some() {
        scopes = scopes.replace("launch/patient", "launch");
    }
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", &scopes)
            .append_pair("state", &state)
            .append_pair("aud", fhir_base.as_str().trim_end_matches('/'))
            .append_pair("code_challenge", &pkce.challenge)
            .append_pair("code_challenge_method", "S256");
        if let Some(launch) = launch {
            q.append_pair("launch", launch);
        }
    }
    Ok(AuthorizationRequest { url, state, pkce, redirect_uri: redirect_uri.to_string() })
}

/// Checks a callback's query parameters against the request and returns the code.
///
/// # Errors
/// [`AuthError::StateMismatch`] when `state` differs (checked before anything else is trusted);
/// [`AuthError::Refused`] when the server returned an error.
pub fn code_from_callback(params: &HashMap<String, String>, expected_state: &str) -> Result<String, AuthError> {
    if params.get("state").map(String::as_str) != Some(expected_state) {
        return Err(AuthError::StateMismatch);
    }
    if let Some(error) = params.get("error") {
        return Err(AuthError::Refused { error: error.clone(), description: params.get("error_description").cloned() });
    }
    params.get("code").cloned().ok_or_else(|| AuthError::Network("the reply carried no authorization code".into()))
}

/// The token response (SMART adds `patient` and friends).
#[derive(Clone, Deserialize, PartialEq, Eq)]
pub struct TokenResponse {
    /// Access token.
    pub access_token: String,
    /// `Bearer`.
    #[serde(default)]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[serde(default)]
    pub expires_in: Option<u64>,
    /// Refresh token, when `offline_access` was granted.
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// Granted scopes.
    #[serde(default)]
    pub scope: Option<String>,
    /// The patient in context.
    #[serde(default)]
    pub patient: Option<String>,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .field("scope", &self.scope)
            .field("patient", &self.patient)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct OAuthError {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

pub(crate) async fn token_request(
    http: &reqwest::Client,
    endpoint: &str,
    form: &[(&str, &str)],
) -> Result<TokenResponse, AuthError> {
    let response = http
        .post(endpoint)
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .map_err(|e| AuthError::Network(e.without_url().to_string()))?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| AuthError::Network(e.to_string()))?;
    if status.is_success() {
        serde_json::from_slice(&body).map_err(|e| AuthError::Network(format!("unreadable token response: {e}")))
    } else {
        let (error, description) = serde_json::from_slice::<OAuthError>(&body)
            .map(|e| (e.error, e.error_description))
            .unwrap_or_else(|_| (format!("HTTP {status}"), None));
        Err(AuthError::TokenRefused { error, description })
    }
}

/// Exchanges an authorization code (with its PKCE verifier) for tokens.
///
/// # Errors
/// [`AuthError::TokenRefused`] (e.g. a wrong verifier gives `invalid_grant`), [`AuthError::Network`].
pub async fn exchange_code(
    http: &reqwest::Client,
    config: &SmartConfiguration,
    client_id: &str,
    request: &AuthorizationRequest,
    code: &str,
) -> Result<TokenResponse, AuthError> {
    token_request(
        http,
        &config.token_endpoint,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &request.redirect_uri),
            ("client_id", client_id),
            ("code_verifier", &request.pkce.verifier),
        ],
    )
    .await
}

/// Uses a refresh token.
///
/// # Errors
/// [`AuthError::TokenRefused`] when revoked or expired (sign in again), [`AuthError::Network`].
pub async fn refresh(
    http: &reqwest::Client,
    token_endpoint: &str,
    client_id: &str,
    refresh_token: &str,
) -> Result<TokenResponse, AuthError> {
    token_request(
        http,
        token_endpoint,
        &[("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("client_id", client_id)],
    )
    .await
}

/// A loopback listener on 127.0.0.1 and an ephemeral port, for the browser's redirect (RFC 8252 §7.3).
pub struct LoopbackRedirect {
    listener: TcpListener,
    /// `http://127.0.0.1:PORT/callback`.
    pub redirect_uri: String,
}

impl LoopbackRedirect {
    /// Binds the listener.
    ///
    /// # Errors
    /// [`AuthError::Network`] when no loopback port can be bound.
    pub async fn bind() -> Result<Self, AuthError> {
        let listener = TcpListener::bind("127.0.0.1:0").await.map_err(|e| AuthError::Network(e.to_string()))?;
        let port = listener.local_addr().map_err(|e| AuthError::Network(e.to_string()))?.port();
        Ok(Self { listener, redirect_uri: format!("http://127.0.0.1:{port}/callback") })
    }

    /// Waits for the browser to arrive at the redirect URI with this sign-in's `state` and
    /// returns the query parameters. Anything else is answered and ignored, so it cannot abort
    /// the sign-in: other paths (a favicon) get 404, a callback with another state (a stale tab, a
    /// forgery) gets 400, and a connection that sends nothing or garbage is dropped.
    ///
    /// # Errors
    /// [`AuthError::Timeout`] after `timeout`; [`AuthError::Network`] when the listener fails.
    pub async fn wait(self, expected_state: &str, timeout: Duration) -> Result<HashMap<String, String>, AuthError> {
        tokio::time::timeout(timeout, async {
            loop {
                let Ok((mut socket, _)) = self.listener.accept().await else { continue };
                let mut buf = vec![0u8; 8192];
                let n = match tokio::time::timeout(STRAY_READ_TIMEOUT, socket.read(&mut buf)).await {
                    Ok(Ok(n)) if n > 0 => n,
                    _ => continue,
                };
                let request = String::from_utf8_lossy(&buf[..n]);
                let target = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                let Ok(url) = Url::parse(&format!("http://127.0.0.1{target}")) else { continue };
                if url.path() != "/callback" {
                    let _ = socket.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
                    continue;
                }
                let params: HashMap<String, String> = url.query_pairs().into_owned().collect();
                if params.get("state").map(String::as_str) != Some(expected_state) {
                    let body = "<!doctype html><title>CardioTwin</title><p>This sign-in link is not the current one; it was ignored.</p>";
                    let reply = format!(
                        "HTTP/1.1 400 Bad Request\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(reply.as_bytes()).await;
                    continue;
                }
                let body = "<!doctype html><title>CardioTwin</title><p>Signed in. You can close this window and return to CardioTwin.</p>";
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
                return Ok(params);
            }
        })
        .await
        .map_err(|_| AuthError::Timeout)?
    }
}

/// How long a connection to the redirect listener may take to send its request line.
const STRAY_READ_TIMEOUT: Duration = Duration::from_secs(2);

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 Appendix B's worked example.
    #[test]
    fn pkce_matches_the_rfc_example() {
        let pkce = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into());
        assert_eq!(pkce.challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert_eq!(Pkce::generate().verifier.len(), 43);
    }

    #[test]
    fn state_is_checked_first() {
        let mut params = HashMap::new();
        params.insert("state".to_string(), "other".to_string());
        params.insert("code".to_string(), "abc".to_string());
        assert!(matches!(code_from_callback(&params, "expected"), Err(AuthError::StateMismatch)));
        params.insert("state".to_string(), "expected".to_string());
        assert_eq!(code_from_callback(&params, "expected").unwrap(), "abc");
    }

    #[test]
    fn scopes_follow_the_servers_smart_version() {
        let mut config = SmartConfiguration {
            authorization_endpoint: "https://ehr.example/auth".into(),
            token_endpoint: "https://ehr.example/token".into(),
            capabilities: vec!["permission-v2".into()],
            code_challenge_methods_supported: vec!["S256".into()],
            scopes_supported: vec![],
        };
        assert!(config.scopes().ends_with("patient/*.rs"));
        config.capabilities.clear();
        assert!(config.scopes().ends_with("patient/*.read"));
        let base = Url::parse("https://ehr.example/fhir").unwrap();
        let req =
            authorization_request(&config, "cardiotwin", "http://127.0.0.1:5000/callback", &base, Some("xyz")).unwrap();
        let q: HashMap<_, _> = req.url.query_pairs().into_owned().collect();
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["aud"], "https://ehr.example/fhir");
        assert_eq!(q["launch"], "xyz");
        assert!(q["scope"].starts_with("launch openid"));
        assert_eq!(q["state"], req.state);
    }

    #[tokio::test]
    async fn the_redirect_listener_ignores_stray_connections_and_stale_callbacks() {
        use tokio::net::TcpStream;
        let loopback = LoopbackRedirect::bind().await.unwrap();
        let addr = loopback.redirect_uri.trim_start_matches("http://").trim_end_matches("/callback").to_string();
        let waiting = tokio::spawn(loopback.wait("right", Duration::from_secs(20)));
        let send = |text: &'static str| {
            let addr = addr.clone();
            async move {
                let mut s = TcpStream::connect(&addr).await.unwrap();
                s.write_all(text.as_bytes()).await.unwrap();
                let mut reply = Vec::new();
                let _ = s.read_to_end(&mut reply).await;
                String::from_utf8_lossy(&reply).to_string()
            }
        };
        // A connection that says nothing, then one that closes at once, then garbage.
        let silent = TcpStream::connect(&addr).await.unwrap();
        drop(TcpStream::connect(&addr).await.unwrap());
        let _ = send("\x00\x01 not http\r\n\r\n").await;
        assert!(send("GET /favicon.ico HTTP/1.1\r\n\r\n").await.starts_with("HTTP/1.1 404"));
        assert!(send("GET /callback?code=forged&state=wrong HTTP/1.1\r\n\r\n").await.starts_with("HTTP/1.1 400"));
        assert!(!waiting.is_finished(), "nothing so far may end the sign-in");
        assert!(send("GET /callback?code=good&state=right HTTP/1.1\r\n\r\n").await.starts_with("HTTP/1.1 200"));
        let params = waiting.await.unwrap().unwrap();
        assert_eq!(params["code"], "good");
        drop(silent);
    }
}
