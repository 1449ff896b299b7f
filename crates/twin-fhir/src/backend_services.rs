//! SMART Backend Services: how CardioTwin signs in to an EHR with no one at the keyboard, for a
//! Bulk Data export ([`crate::bulk_export`]).
//!
//! The client holds a P-384 key pair ([`BackendKey`]); the EHR is given its public half as a
//! JWKS ([`BackendKey::jwks`]) when the client is registered. To sign in, the client posts the
//! `client_credentials` grant with a short-lived JWT assertion signed ES384 (`iss` = `sub` = the
//! client id, `aud` = the token endpoint, `exp` within five minutes, a unique `jti`), and gets an
//! access token for `system/*.rs` (SMART v2) or `system/*.read` (v1). Access tokens are not
//! refreshed: a fresh assertion signs in again ([`BackendAuth::renew`]).
//!
//! Where the private key is kept (the OS keychain) is the app's decision; this module takes and
//! gives its PKCS#8 bytes and never prints or logs them, nor a token.
//!
//! ES384 rather than RS384: both are allowed; ECDSA P-384 comes with `ring`, which the TLS
//! stack already builds, so signing costs no new dependency, and its keys are short.
//!
//! # References
//! - HL7 SMART App Launch 2.2.0, "SMART Backend Services"
//!   (http://hl7.org/fhir/smart-app-launch/backend-services.html): the assertion's claims and
//!   the five-minute `exp`, scopes, token endpoint from `.well-known/smart-configuration`.
//! - RFC 7523 (JWT client assertions), RFC 7515/7518 (JWS, ES384 as the fixed-width `r‖s`),
//!   RFC 7517 (JWK), RFC 7638 (the JWK thumbprint used as `kid`).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P384_SHA384_FIXED_SIGNING};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use url::Url;

use crate::smart::{AuthError, TokenResponse};

/// The assertion's lifetime. SMART: "no more than five minutes in the future"; a minute less
/// leaves room for a server clock that runs ahead.
pub const ASSERTION_LIFETIME_S: u64 = 240;

/// `client_assertion_type` for a JWT client assertion (RFC 7523 §2.2).
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Why a key could not be made or read. Never quotes the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The bytes are not an unencrypted PKCS#8 P-384 key (with its public key).
    #[error("not a P-384 private key in unencrypted PKCS#8 form (with its public key): {0}")]
    NotP384(String),
    /// The PEM text has no `PRIVATE KEY` block, or its base64 is broken.
    #[error("not a PEM private key: expected a '-----BEGIN PRIVATE KEY-----' block")]
    NotPem,
    /// The system's random source failed.
    #[error("could not make a key: the system's random source failed")]
    Random,
}

/// The client's signing key: P-384, for ES384 assertions.
pub struct BackendKey {
    pkcs8: Vec<u8>,
    pair: EcdsaKeyPair,
}

impl std::fmt::Debug for BackendKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BackendKey(kid {})", self.kid())
    }
}

impl BackendKey {
    /// A new key from the system's random source.
    ///
    /// # Errors
    /// [`KeyError::Random`].
    pub fn generate() -> Result<BackendKey, KeyError> {
        let document = EcdsaKeyPair::generate_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, &SystemRandom::new())
            .map_err(|_| KeyError::Random)?;
        BackendKey::from_pkcs8(document.as_ref())
    }

    /// A key from its PKCS#8 bytes (as kept in the keychain).
    ///
    /// # Errors
    /// [`KeyError::NotP384`] for anything else (an RSA key, an encrypted one, another curve).
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<BackendKey, KeyError> {
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, pkcs8, &SystemRandom::new())
            .map_err(|e| KeyError::NotP384(e.to_string()))?;
        Ok(BackendKey { pkcs8: pkcs8.to_vec(), pair })
    }

    /// A key from PEM text (`-----BEGIN PRIVATE KEY-----`, as `openssl genpkey -algorithm EC
    /// -pkeyopt ec_paramgen_curve:P-384` writes it), for a key the EHR's team made.
    ///
    /// # Errors
    /// [`KeyError::NotPem`], [`KeyError::NotP384`].
    pub fn from_pem(pem: &str) -> Result<BackendKey, KeyError> {
        let body = pem
            .split("-----BEGIN PRIVATE KEY-----")
            .nth(1)
            .and_then(|rest| rest.split("-----END PRIVATE KEY-----").next())
            .ok_or(KeyError::NotPem)?;
        let base64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let der = STANDARD.decode(base64).map_err(|_| KeyError::NotPem)?;
        BackendKey::from_pkcs8(&der)
    }

    /// The PKCS#8 bytes, to keep in the keychain.
    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }

    fn coordinates(&self) -> (String, String) {
        // Uncompressed SEC 1 point: 0x04, then x and y, 48 bytes each.
        let point = self.pair.public_key().as_ref();
        (URL_SAFE_NO_PAD.encode(&point[1..49]), URL_SAFE_NO_PAD.encode(&point[49..97]))
    }

    /// The key id: the RFC 7638 thumbprint of the public key, so the same key always has the
    /// same id, wherever it is registered.
    pub fn kid(&self) -> String {
        let (x, y) = self.coordinates();
        // RFC 7638 §3.2: the required members in lexicographic order, no whitespace.
        let canonical = format!(r#"{{"crv":"P-384","kty":"EC","x":"{x}","y":"{y}"}}"#);
        URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
    }

    /// The public key as a JWK Set, to register with the EHR.
    pub fn jwks(&self) -> serde_json::Value {
        let (x, y) = self.coordinates();
        json!({ "keys": [{
            "kty": "EC", "crv": "P-384", "x": x, "y": y,
            "kid": self.kid(), "alg": "ES384", "use": "sig", "key_ops": ["verify"],
        }]})
    }

    /// A signed client assertion for `client_id` at `token_endpoint`, valid from `now_unix`
    /// (seconds since 1970) for [`ASSERTION_LIFETIME_S`], with a random `jti`.
    ///
    /// # Errors
    /// [`KeyError::Random`] when the signature's nonce cannot be drawn.
    pub fn assertion(&self, client_id: &str, token_endpoint: &str, now_unix: u64) -> Result<String, KeyError> {
        let mut jti = [0u8; 24];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut jti);
        let header = json!({ "alg": "ES384", "typ": "JWT", "kid": self.kid() });
        let claims = json!({
            "iss": client_id, "sub": client_id, "aud": token_endpoint,
            "exp": now_unix + ASSERTION_LIFETIME_S, "jti": URL_SAFE_NO_PAD.encode(jti),
        });
        let signing_input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature = self.pair.sign(&SystemRandom::new(), signing_input.as_bytes()).map_err(|_| KeyError::Random)?;
        Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref())))
    }
}

/// The parts of `.well-known/smart-configuration` a backend client uses (a backend-only server
/// need not offer an authorization endpoint, so this is not [`crate::smart::SmartConfiguration`]).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct BackendConfiguration {
    /// Token endpoint.
    pub token_endpoint: String,
    /// Declared capabilities (`permission-v2`, `client-confidential-asymmetric`).
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Scopes supported, where declared.
    #[serde(default)]
    pub scopes_supported: Vec<String>,
    /// Signing algorithms accepted for assertions, where declared.
    #[serde(default)]
    pub token_endpoint_auth_signing_alg_values_supported: Vec<String>,
}

impl BackendConfiguration {
    /// The scope to ask for: SMART v2 `system/*.rs` where the server declares `permission-v2`
    /// or lists it, else v1 `system/*.read`.
    pub fn scope(&self) -> &'static str {
        let v2 = self.capabilities.iter().any(|c| c == "permission-v2")
            || self.scopes_supported.iter().any(|s| s == "system/*.rs");
        if v2 {
            "system/*.rs"
        } else {
            "system/*.read"
        }
    }
}

/// Reads the SMART configuration of `fhir_base` for a backend client.
///
/// # Errors
/// [`AuthError::Insecure`] for plain http off this machine; [`AuthError::Discovery`] naming the
/// URL and the reason, including a server that says it does not accept ES384 assertions.
pub async fn discover(http: &reqwest::Client, fhir_base: &Url) -> Result<BackendConfiguration, AuthError> {
    if !crate::transport::is_secure(fhir_base) {
        return Err(AuthError::Insecure { what: "the FHIR server address".into() });
    }
    let url = format!("{}/.well-known/smart-configuration", fhir_base.as_str().trim_end_matches('/'));
    let fail = |reason: String| AuthError::Discovery { url: url.clone(), reason };
    let response = http.get(&url).header("accept", "application/json").send().await.map_err(|e| fail(e.to_string()))?;
    if !response.status().is_success() {
        return Err(fail(format!("HTTP {}", response.status())));
    }
    let config: BackendConfiguration = response
        .json()
        .await
        .map_err(|e| fail(format!("not a SMART configuration: {}", crate::error::scrub(&e.to_string()))))?;
    if !Url::parse(&config.token_endpoint).is_ok_and(|u| crate::transport::is_secure(&u)) {
        return Err(AuthError::Insecure { what: "the token endpoint".into() });
    }
    let algs = &config.token_endpoint_auth_signing_alg_values_supported;
    if !algs.is_empty() && !algs.iter().any(|a| a == "ES384") {
        return Err(fail(format!(
            "the server accepts client assertions signed {} but not ES384, the algorithm of CardioTwin's key",
            algs.join(", ")
        )));
    }
    Ok(config)
}

/// A backend sign-in: signs an assertion and gets an access token when one is needed, and again
/// when the server says the token has expired.
pub struct BackendAuth {
    http: reqwest::Client,
    key: BackendKey,
    client_id: String,
    token_endpoint: String,
    scope: String,
    token: Option<String>,
    n_sign_ins: usize,
}

impl std::fmt::Debug for BackendAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackendAuth")
            .field("client_id", &self.client_id)
            .field("token_endpoint", &self.token_endpoint)
            .field("scope", &self.scope)
            .field("n_sign_ins", &self.n_sign_ins)
            .finish_non_exhaustive()
    }
}

fn now_unix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

impl BackendAuth {
    /// A sign-in for `client_id` with `key` at the server `config` describes; nothing is sent yet.
    pub fn new(http: reqwest::Client, config: &BackendConfiguration, client_id: &str, key: BackendKey) -> Self {
        Self {
            http,
            key,
            client_id: client_id.to_string(),
            token_endpoint: config.token_endpoint.clone(),
            scope: config.scope().to_string(),
            token: None,
            n_sign_ins: 0,
        }
    }

    /// The current access token, signing in first when there is none.
    ///
    /// # Errors
    /// [`AuthError::TokenRefused`] with the server's reason (an unregistered key, a wrong client
    /// id), [`AuthError::Network`].
    pub async fn access_token(&mut self) -> Result<String, AuthError> {
        match &self.token {
            Some(token) => Ok(token.clone()),
            None => self.renew().await,
        }
    }

    /// Signs in again with a fresh assertion (the token expired or was refused).
    ///
    /// # Errors
    /// As [`BackendAuth::access_token`].
    pub async fn renew(&mut self) -> Result<String, AuthError> {
        self.token = None;
        let assertion = self
            .key
            .assertion(&self.client_id, &self.token_endpoint, now_unix())
            .map_err(|e| AuthError::Network(e.to_string()))?;
        let tokens: TokenResponse = crate::smart::token_request(
            &self.http,
            &self.token_endpoint,
            &[
                ("grant_type", "client_credentials"),
                ("scope", &self.scope),
                ("client_assertion_type", ASSERTION_TYPE),
                ("client_assertion", &assertion),
            ],
        )
        .await?;
        self.n_sign_ins += 1;
        self.token = Some(tokens.access_token.clone());
        Ok(tokens.access_token)
    }

    /// How many times this sign-in got a token (a renewal after expiry counts).
    pub fn n_sign_ins(&self) -> usize {
        self.n_sign_ins
    }

    /// The scope asked for.
    pub fn scope(&self) -> &str {
        &self.scope
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::{UnparsedPublicKey, ECDSA_P384_SHA384_FIXED};

    fn part(jwt: &str, idx: usize) -> serde_json::Value {
        let text = URL_SAFE_NO_PAD.decode(jwt.split('.').nth(idx).unwrap()).unwrap();
        serde_json::from_slice(&text).unwrap()
    }

    #[test]
    fn an_assertion_carries_the_claims_backend_services_asks_for_and_verifies_with_the_jwks() {
        let key = BackendKey::generate().unwrap();
        let jwt = key.assertion("ct-bulk", "https://ehr.example/token", 1_800_000_000).unwrap();
        let header = part(&jwt, 0);
        assert_eq!(header["alg"], "ES384");
        assert_eq!(header["kid"], key.kid());
        let claims = part(&jwt, 1);
        assert_eq!(claims["iss"], "ct-bulk");
        assert_eq!(claims["sub"], "ct-bulk");
        assert_eq!(claims["aud"], "https://ehr.example/token");
        assert!(claims["exp"].as_u64().unwrap() <= 1_800_000_000 + 300, "exp within five minutes");
        let other = key.assertion("ct-bulk", "https://ehr.example/token", 1_800_000_000).unwrap();
        assert_ne!(claims["jti"], part(&other, 1)["jti"], "every assertion has its own jti");
        // Verify with the public key as the EHR would rebuild it from the JWKS.
        let jwk = &key.jwks()["keys"][0];
        let mut point = vec![4u8];
        point.extend(URL_SAFE_NO_PAD.decode(jwk["x"].as_str().unwrap()).unwrap());
        point.extend(URL_SAFE_NO_PAD.decode(jwk["y"].as_str().unwrap()).unwrap());
        let (signed, signature) = jwt.rsplit_once('.').unwrap();
        UnparsedPublicKey::new(&ECDSA_P384_SHA384_FIXED, &point)
            .verify(signed.as_bytes(), &URL_SAFE_NO_PAD.decode(signature).unwrap())
            .expect("the signature verifies with the published key");
    }

    #[test]
    fn a_key_survives_the_keychain_round_trip_and_nothing_else_passes_for_one() {
        let key = BackendKey::generate().unwrap();
        let again = BackendKey::from_pkcs8(key.pkcs8()).unwrap();
        assert_eq!(key.kid(), again.kid());
        assert!(!format!("{key:?}").contains(&STANDARD.encode(key.pkcs8())));
        assert!(matches!(BackendKey::from_pkcs8(b"not a key"), Err(KeyError::NotP384(_))));
        assert!(matches!(BackendKey::from_pem("hello"), Err(KeyError::NotPem)));
        let pem = format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", STANDARD.encode(key.pkcs8()));
        assert_eq!(BackendKey::from_pem(&pem).unwrap().kid(), key.kid());
    }

    /// RFC 7638 §3.1 computes a thumbprint over the canonical members only; two keys differ.
    #[test]
    fn key_ids_are_thumbprints() {
        let a = BackendKey::generate().unwrap();
        let b = BackendKey::generate().unwrap();
        assert_ne!(a.kid(), b.kid());
        assert_eq!(a.kid().len(), 43, "base64url of a SHA-256");
    }

    #[test]
    fn scopes_follow_the_servers_smart_version() {
        let mut config = BackendConfiguration {
            token_endpoint: "https://ehr.example/token".into(),
            capabilities: vec!["permission-v2".into()],
            scopes_supported: vec![],
            token_endpoint_auth_signing_alg_values_supported: vec![],
        };
        assert_eq!(config.scope(), "system/*.rs");
        config.capabilities.clear();
        assert_eq!(config.scope(), "system/*.read");
    }
}
