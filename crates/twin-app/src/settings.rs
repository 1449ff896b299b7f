//! Saved EHR connections and what the settings screen shows: the data folder, the compute
//! backend in use, the stale-data limits ([`crate::freshness::StaleLimitsView`]).
//!
//! Connections hold no PHI and no secret (name, FHIR base, client id, scopes); they are still
//! sealed by the store like everything else in the data folder ([`crate::saved`]). The sign-in
//! they lead to is kept in the OS keychain ([`crate::ehr`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};

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
    /// The stale-data limits in use: the saved ones, else the defaults.
    pub stale_limits: crate::freshness::StaleLimitsView,
    /// The default limits (the engine's, each with its source).
    pub stale_limits_default: crate::freshness::StaleLimitsView,
    /// Whether the limits in use were saved on this workstation (false: the defaults).
    pub stale_limits_saved: bool,
    /// Why the saved limits could not be read (the defaults are in use), when they could not.
    pub stale_limits_problem: Option<String>,
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
}
