//! Who decided, and with which engine and learned model: written into every decision the log
//! records, so a later reader can tell which clinician decided on which build's numbers.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};

/// Longest display name or role, in characters (a name and post-nominals fit; a paragraph does not).
const MAX_NAME_CHARS: usize = 80;
/// Longest professional identifier, in characters (registration numbers are short).
const MAX_IDENTIFIER_CHARS: usize = 40;

/// The clinician using this workstation, as the decision log records them (set in Settings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Clinician {
    /// The name the log shows ("Dr Ana Silva").
    pub display_name: String,
    /// Role ("consultant cardiologist"), optional.
    pub role: Option<String>,
    /// Professional identifier (e.g. a registration number), optional.
    pub identifier: Option<String>,
}

impl Clinician {
    /// A clinician known only by a name (the command line's `--user`, or the system user name
    /// when no clinician is set in Settings), taken as given.
    pub fn named(name: impl Into<String>) -> Self {
        Self { display_name: name.into(), role: None, identifier: None }
    }

    /// The clinician with each field trimmed and blank optional fields dropped, or what is wrong.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] naming the field: a blank or over-long name, an over-long role or
    /// identifier, or control characters (a line break would forge a line in a printed log).
    pub fn checked(self) -> Result<Self, AppError> {
        let invalid = |m: String| AppError::new(ErrorCode::Validation, m);
        let field = |what: &str, value: &str, max: usize| -> Result<String, AppError> {
            let value = value.trim();
            if value.chars().count() > max {
                return Err(invalid(format!("the {what} is too long (at most {max} characters)")));
            }
            if value.chars().any(char::is_control) {
                return Err(invalid(format!("the {what} must be one line of text")));
            }
            Ok(value.to_string())
        };
        let display_name = field("display name", &self.display_name, MAX_NAME_CHARS)?;
        if display_name.is_empty() {
            return Err(invalid("give the name the decision log should record (e.g. Dr Ana Silva)".into()));
        }
        let optional = |what: &str, value: Option<String>, max: usize| -> Result<Option<String>, AppError> {
            let value = field(what, value.as_deref().unwrap_or(""), max)?;
            Ok((!value.is_empty()).then_some(value))
        };
        Ok(Self {
            display_name,
            role: optional("role", self.role, MAX_NAME_CHARS)?,
            identifier: optional("professional identifier", self.identifier, MAX_IDENTIFIER_CHARS)?,
        })
    }
}

/// This build's engine: the workspace version (the engine, its drug table and its equations ship
/// together).
pub fn engine() -> String {
    format!("cardiotwin engine {}", env!("CARGO_PKG_VERSION"))
}

/// The learned model beside the engine, by the SHA-256 of its weights and of its description
/// (what the model card documents), or why there is none. Hashed once per process: the model is
/// loaded once too.
pub fn learned_model() -> &'static str {
    static IDENTITY: OnceLock<String> = OnceLock::new();
    IDENTITY.get_or_init(|| {
        let dir = crate::ml::default_models_dir();
        let digest = |name: &str| -> Option<String> {
            let bytes = std::fs::read(dir.join(name)).ok()?;
            Some(Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect())
        };
        match (digest(twin_ml::WEIGHTS_FILE), digest(twin_ml::META_FILE)) {
            (Some(weights), Some(meta)) => format!(
                "ct-seq (learned residual, experimental) weights sha256:{weights} description sha256:{}",
                &meta[..16]
            ),
            _ => "none: no learned model is installed, the mechanistic engine alone".to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clinician_is_trimmed_and_bad_names_are_refused_in_words() {
        let c = Clinician {
            display_name: "  Dr Ana Silva ".into(),
            role: Some(" ".into()),
            identifier: Some(" GMC 7654321 ".into()),
        };
        let c = c.checked().unwrap();
        assert_eq!(c.display_name, "Dr Ana Silva");
        assert_eq!((c.role, c.identifier.as_deref()), (None, Some("GMC 7654321")));
        let e = Clinician::named("  ").checked().unwrap_err();
        assert!(e.message.contains("name the decision log should record"), "{}", e.message);
        let e = Clinician::named("Dr A\nSeq 7: accepted").checked().unwrap_err();
        assert!(e.message.contains("one line"), "{}", e.message);
        let e = Clinician { identifier: Some("9".repeat(41)), ..Clinician::named("Dr B") }.checked().unwrap_err();
        assert!(e.message.contains("professional identifier is too long"), "{}", e.message);
    }

    #[test]
    fn the_shipped_model_is_named_by_its_weights_hash() {
        let bytes = std::fs::read(crate::ml::default_models_dir().join(twin_ml::WEIGHTS_FILE)).unwrap();
        let hex: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert!(learned_model().contains(&format!("weights sha256:{hex}")), "{}", learned_model());
        assert!(engine().ends_with(env!("CARGO_PKG_VERSION")));
    }
}
