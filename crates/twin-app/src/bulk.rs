//! A clinic's panel from the EHR: the SMART Backend Services signing key in the keychain, and
//! one FHIR Bulk Data export into a folder `cardiotwin panel` reads.
//!
//! The private key is made here (or imported) and kept only in the OS keychain, under
//! [`SIGNING_KEY_ENTRY`]; what leaves is its public half as a JWK Set, to register with the EHR.
//! Nothing here prints or logs the key or a token.

use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use url::Url;

use twin_fhir::backend_services::{self, BackendAuth, BackendKey};
use twin_fhir::bulk_export::{self, ExportConfig, ExportError, ExportRequest};
pub use twin_fhir::bulk_export::{ExportLevel, ExportStep};
use twin_fhir::fetch::http_client;
use twin_store::bulk_folder::BulkFolder;
use twin_store::secrets::{Keychain, SecretStore};

use crate::error::{AppError, ErrorCode};

/// The keychain entry of the Backend Services private key (PKCS#8): one per workstation, which
/// may be registered with several EHRs.
pub const SIGNING_KEY_ENTRY: &str = "backend-services-key";

/// How long one HTTP request may take: a bulk file is large, so this bounds a stalled transfer,
/// not a whole one (reqwest's timeout covers the whole body, so it is generous).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30 * 60);

fn key_error(e: backend_services::KeyError) -> AppError {
    AppError::new(ErrorCode::Validation, e.to_string())
}

fn stored_key(secrets: &dyn SecretStore) -> Result<Option<BackendKey>, AppError> {
    match secrets.get(SIGNING_KEY_ENTRY)? {
        None => Ok(None),
        Some(pkcs8) => BackendKey::from_pkcs8(&pkcs8).map(Some).map_err(|_| {
            AppError::new(
                ErrorCode::FhirAuth,
                "the signing key in the keychain is unreadable; make a new one (cardiotwin export keygen --replace) and register it again",
            )
        }),
    }
}

fn keep_key(secrets: &dyn SecretStore, key: BackendKey, replace: bool) -> Result<serde_json::Value, AppError> {
    if !replace && secrets.get(SIGNING_KEY_ENTRY)?.is_some() {
        return Err(AppError::new(
            ErrorCode::Validation,
            "a signing key is already in the keychain (EHRs may have it registered); print it with `cardiotwin export jwks`, or pass --replace to make a new one",
        ));
    }
    secrets.set(SIGNING_KEY_ENTRY, key.pkcs8())?;
    Ok(key.jwks())
}

/// Makes a new signing key, keeps it in `secrets` (the OS keychain: [`Keychain`]) and returns
/// its public JWK Set; refuses to replace one unless `replace`.
///
/// # Errors
/// [`ErrorCode::Validation`] when a key is there and `replace` is false; the keychain's errors.
pub fn keygen(secrets: &dyn SecretStore, replace: bool) -> Result<serde_json::Value, AppError> {
    keep_key(secrets, BackendKey::generate().map_err(key_error)?, replace)
}

/// Keeps a P-384 key the EHR's team made (PKCS#8 PEM file) and returns its public JWK Set.
///
/// # Errors
/// [`AppError::io`]'s code when the file cannot be read; [`ErrorCode::Validation`] when it is not a
/// P-384 PKCS#8 key, or a key is there and `replace` is false.
pub fn import_key(secrets: &dyn SecretStore, pem_file: &Path, replace: bool) -> Result<serde_json::Value, AppError> {
    let pem = std::fs::read_to_string(pem_file).map_err(|e| AppError::io(pem_file, &e))?;
    keep_key(secrets, BackendKey::from_pem(&pem).map_err(key_error)?, replace)
}

/// The public JWK Set of the key in `secrets`.
///
/// # Errors
/// [`ErrorCode::NotFound`] when there is none.
pub fn jwks(secrets: &dyn SecretStore) -> Result<serde_json::Value, AppError> {
    stored_key(secrets)?.map(|k| k.jwks()).ok_or_else(no_key)
}

fn no_key() -> AppError {
    AppError::new(
        ErrorCode::NotFound,
        "no signing key in the keychain: run `cardiotwin export keygen` and register the printed JWKS with the EHR",
    )
}

/// What to export and where to.
#[derive(Debug, Clone)]
pub struct ExportOptions<'a> {
    /// FHIR base URL.
    pub fhir: &'a str,
    /// Client id registered with the EHR for Backend Services.
    pub client_id: &'a str,
    /// System, all patients, or a group.
    pub level: ExportLevel,
    /// `_type` (all when empty).
    pub types: Vec<String>,
    /// `_since`, a FHIR instant.
    pub since: Option<String>,
    /// The folder to download into (made if missing).
    pub out: &'a Path,
}

/// One downloaded file, for people and JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedFileView {
    /// Name in the folder.
    pub name: String,
    /// Resource type.
    pub resource_type: String,
    /// Resources (lines).
    pub n_resources: u64,
    /// Bytes.
    pub bytes: u64,
    /// Whether a cut-off download resumed where it stopped.
    pub resumed: bool,
    /// Whether it holds the server's OperationOutcomes about the export.
    pub is_error_file: bool,
}

/// What an export brought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportSummary {
    /// The folder.
    pub folder: String,
    /// The data are as of this instant (the next export's `since`).
    pub transaction_time: String,
    /// The files.
    pub files: Vec<ExportedFileView>,
    /// Times the client signed in (more than one: a token expired on the way and was renewed).
    pub n_sign_ins: usize,
    /// Status polls.
    pub n_polls: u32,
    /// Why the server's copy was not confirmed deleted, if it was not.
    pub not_deleted: Option<String>,
}

fn export_error(e: ExportError) -> AppError {
    let code = match &e {
        ExportError::Auth(_) | ExportError::Unauthorised { .. } => ErrorCode::FhirAuth,
        ExportError::Folder(_) => ErrorCode::Io,
        ExportError::Insecure { .. } => ErrorCode::Validation,
        _ => ErrorCode::FhirUnavailable,
    };
    AppError::new(code, e.to_string())
}

/// Runs a Bulk Data export with the keychain's key: discovery, sign-in, kick-off, polling,
/// download into `options.out`, clean-up. `progress` is told each step.
///
/// # Errors
/// [`ErrorCode::Validation`] for a bad address; [`ErrorCode::NotFound`] without a key;
/// [`ErrorCode::FhirAuth`] when sign-in is refused; [`ErrorCode::FhirUnavailable`] for the
/// server's failures; [`ErrorCode::Io`] when the folder cannot be written.
pub async fn export(
    secrets: &dyn SecretStore,
    options: ExportOptions<'_>,
    progress: &(dyn Fn(ExportStep) + Send + Sync),
) -> Result<ExportSummary, AppError> {
    let base = Url::parse(options.fhir)
        .map_err(|_| AppError::new(ErrorCode::Validation, format!("'{}' is not a web address", options.fhir)))?;
    let key = stored_key(secrets)?.ok_or_else(no_key)?;
    let http = http_client(REQUEST_TIMEOUT).map_err(|e| AppError::new(ErrorCode::FhirUnavailable, e.to_string()))?;
    let config = backend_services::discover(&http, &base)
        .await
        .map_err(|e| AppError::new(ErrorCode::FhirAuth, e.to_string()))?;
    let mut auth = BackendAuth::new(http.clone(), &config, options.client_id, key);
    let folder = BulkFolder::create(options.out)?;
    let request = ExportRequest { base, level: options.level, types: options.types, since: options.since };
    let report = bulk_export::export(http, &request, Some(&mut auth), &folder, &ExportConfig::default(), progress)
        .await
        .map_err(export_error)?;
    Ok(ExportSummary {
        folder: options.out.display().to_string(),
        transaction_time: report.transaction_time,
        files: report
            .files
            .into_iter()
            .map(|f| ExportedFileView {
                name: f.name,
                resource_type: f.resource_type,
                n_resources: f.n_resources,
                bytes: f.bytes,
                resumed: f.resumed,
                is_error_file: f.is_error_file,
            })
            .collect(),
        n_sign_ins: auth.n_sign_ins(),
        n_polls: report.n_polls,
        not_deleted: report.deleted.err(),
    })
}

/// The keychain, for callers that do not test with another store.
pub fn keychain() -> &'static dyn SecretStore {
    &Keychain
}

#[cfg(test)]
mod tests {
    use super::*;
    use twin_store::secrets::MemorySecrets;

    #[test]
    fn a_key_is_made_once_kept_and_its_public_half_printed_again() {
        let secrets = MemorySecrets::default();
        assert_eq!(jwks(&secrets).unwrap_err().code, ErrorCode::NotFound);
        let made = keygen(&secrets, false).unwrap();
        assert_eq!(made["keys"][0]["alg"], "ES384");
        assert!(made["keys"][0].get("d").is_none(), "the private part never leaves the keychain");
        assert_eq!(jwks(&secrets).unwrap(), made);
        let again = keygen(&secrets, false).unwrap_err();
        assert_eq!(again.code, ErrorCode::Validation);
        assert!(again.message.contains("--replace"), "{}", again.message);
        assert_ne!(keygen(&secrets, true).unwrap(), made);
    }

    #[test]
    fn an_imported_key_must_be_p384() {
        let secrets = MemorySecrets::default();
        let dir = tempfile::tempdir().unwrap();
        let pem = dir.path().join("key.pem");
        std::fs::write(&pem, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").unwrap();
        assert_eq!(import_key(&secrets, &pem, false).unwrap_err().code, ErrorCode::Validation);
        assert_eq!(import_key(&secrets, &dir.path().join("missing.pem"), false).unwrap_err().code, ErrorCode::NotFound);
        secrets.set(SIGNING_KEY_ENTRY, b"garbage").unwrap();
        assert_eq!(jwks(&secrets).unwrap_err().code, ErrorCode::FhirAuth);
    }
}
