//! The decision log: listing and checking it, its FHIR export, and recording a clinician's
//! decision on a suggestion.

use super::*;

impl Session {
    /// The decision log with its verification.
    ///
    /// # Errors
    /// The store cannot be opened.
    pub fn cmd_audit_log(&self, _: NoArgs) -> Result<AuditLog, AppError> {
        let store = self.store()?;
        Ok(AuditLog { entries: cache::list_audit(&store)?, check: cache::verify_audit(&store)? })
    }

    /// The decision log as FHIR AuditEvent and Provenance resources.
    ///
    /// # Errors
    /// The store cannot be opened or read.
    pub fn cmd_export_audit(&self, _: NoArgs) -> Result<AuditExport, AppError> {
        let store = self.store()?;
        let bundle = cache::export_audit_fhir(&store)?;
        let entries = cache::list_audit(&store)?.len();
        let bundle = serde_json::to_string_pretty(&bundle)
            .map_err(|e| AppError::new(ErrorCode::Io, format!("the audit bundle could not be written: {e}")))?;
        Ok(AuditExport { bundle, entries })
    }

    /// Records the clinician's decision on a suggestion, with its full content, in the audit log.
    ///
    /// # Errors
    /// A missing reason (modify, decline) or modification; the store cannot be opened.
    pub fn cmd_decide_suggestion(&self, a: DecideArgs) -> Result<AuditView, AppError> {
        let store = self.store()?;
        let h = self.patient(&a.id)?;
        let suggestion: serde_json::Value = serde_json::from_str(&a.suggestion_json)
            .map_err(|_| AppError::new(ErrorCode::Validation, "the suggestion to record is not JSON"))?;
        let decision = match a.decision {
            DecisionChoice::Accepted => Decision::Accepted,
            DecisionChoice::Modified => Decision::Modified,
            DecisionChoice::Declined => Decision::Declined,
        };
        let user = std::env::var("USER").unwrap_or_else(|_| "clinician".into());
        cache::record_decision(
            &store,
            cache::DecisionInput {
                user,
                patient_id: a.id.clone(),
                suggestion: a.suggestion_json.clone(),
                decision,
                modification: a.modification,
                reason: a.reason,
                inputs: format!(
                    "{:?}\n{}",
                    h.record,
                    suggestion.get("settings").map(ToString::to_string).unwrap_or_default()
                ),
            },
        )
    }
}
