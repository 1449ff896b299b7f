//! Saved EHR connections and what the settings screen shows: the data folder, the compute
//! backend in use.
//!
//! Connections hold no PHI and no secret (name, FHIR base, client id, scopes); they live in
//! `connections.json` in the data folder, written atomically with owner-only permissions. The
//! sign-in they lead to is kept in the OS keychain ([`crate::ehr`]).

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};

/// The file in the data folder.
pub const CONNECTIONS_FILE: &str = "connections.json";

/// The scopes asked for unless the clinician says otherwise (SMART App Launch v2: read the
/// patient's record, refresh without the browser).
pub const DEFAULT_SCOPES: &str = "openid fhirUser offline_access launch/patient patient/*.rs";

/// One saved EHR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EhrConnection {
    /// What the clinician calls it ("St Mary's Epic").
    pub name: String,
    /// FHIR R4 base URL (https, or http on this machine only).
    pub fhir_base: String,
    /// Client id registered with the EHR.
    pub client_id: String,
    /// Scopes to ask for.
    pub scopes: String,
}

impl EhrConnection {
    /// The connection with its fields trimmed, or what is wrong with it.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] naming the field.
    pub fn checked(self) -> Result<Self, AppError> {
        let invalid = |m: &str| AppError::new(ErrorCode::Validation, m);
        let c = Self {
            name: self.name.trim().to_string(),
            fhir_base: self.fhir_base.trim().to_string(),
            client_id: self.client_id.trim().to_string(),
            scopes: self.scopes.split_whitespace().collect::<Vec<_>>().join(" "),
        };
        if c.name.is_empty() || c.name.len() > 80 {
            return Err(invalid("give the connection a name (up to 80 characters)"));
        }
        let url = url::Url::parse(&c.fhir_base)
            .map_err(|_| invalid("the FHIR base is not a web address (e.g. https://ehr.example.org/fhir)"))?;
        twin_fhir::fetch::require_secure(&url, "the FHIR base").map_err(|e| invalid(&e.to_string()))?;
        if c.client_id.is_empty() {
            return Err(invalid("give the client id the EHR registered for CardioTwin"));
        }
        Ok(Self { scopes: if c.scopes.is_empty() { DEFAULT_SCOPES.into() } else { c.scopes.clone() }, ..c })
    }
}

/// What the settings screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    /// The data folder (offline cache, audit log, saved scenarios, connections), if any.
    pub data_dir: Option<String>,
    /// Saved EHR connections.
    pub connections: Vec<EhrConnection>,
    /// The compute backend projections run on, in words.
    pub compute: String,
    /// This build's version.
    pub version: String,
}

/// The saved connections (none when the file does not exist yet).
///
/// # Errors
/// [`ErrorCode::Io`] when the file cannot be read; [`ErrorCode::Validation`] when it is not ours.
pub fn load(dir: &Path) -> Result<Vec<EhrConnection>, AppError> {
    let path = dir.join(CONNECTIONS_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map_err(|_| {
            AppError::new(ErrorCode::Validation, format!("{CONNECTIONS_FILE} in the data folder is not readable"))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(AppError::io(&path, &e)),
    }
}

/// Writes the connections.
///
/// # Errors
/// [`ErrorCode::Io`].
pub fn save(dir: &Path, connections: &[EhrConnection]) -> Result<(), AppError> {
    let text = serde_json::to_string_pretty(connections)
        .map_err(|e| AppError::new(ErrorCode::Io, format!("the connections could not be written: {e}")))?;
    crate::session::write_atomically(&dir.join(CONNECTIONS_FILE), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(base: &str) -> EhrConnection {
        EhrConnection {
            name: " Clinic ".into(),
            fhir_base: base.into(),
            client_id: "cardiotwin".into(),
            scopes: "".into(),
        }
    }

    #[test]
    fn a_connection_is_checked_and_trimmed() {
        let c = conn("https://ehr.example.org/fhir").checked().unwrap();
        assert_eq!((c.name.as_str(), c.scopes.as_str()), ("Clinic", DEFAULT_SCOPES));
        assert!(conn("http://ehr.example.org/fhir").checked().is_err(), "plain http off this machine");
        assert!(conn("http://127.0.0.1:8080/fhir").checked().is_ok(), "loopback is fine");
        assert!(conn("not a url").checked().is_err());
        assert!(EhrConnection { client_id: " ".into(), ..conn("https://a.example/fhir") }.checked().is_err());
    }

    #[test]
    fn connections_round_trip_through_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(dir.path()).unwrap().is_empty());
        let c = conn("https://ehr.example.org/fhir").checked().unwrap();
        save(dir.path(), std::slice::from_ref(&c)).unwrap();
        assert_eq!(load(dir.path()).unwrap(), vec![c]);
    }
}
