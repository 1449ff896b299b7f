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
        Ok(AuditLog {
            entries: cache::list_audit(&store)?,
            write_backs: crate::summary::list_write_backs(&store)?,
            check: cache::verify_audit(&store)?,
        })
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

    /// Records the clinician's decision on a suggestion, with its full content, in the audit log;
    /// once per `decision_id` when the screen gives one (a second submit answers the entry
    /// already recorded).
    ///
    /// # Errors
    /// A missing reason (every choice needs one) or modification; a malformed decision id, or one
    /// already used for another decision; the store cannot be opened (the keychain is away).
    pub fn cmd_decide_suggestion(&self, a: DecideArgs) -> Result<AuditView, AppError> {
        if a.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(AppError::new(
                ErrorCode::Validation,
                "a reason is required: the log records why a suggestion was accepted, modified or declined",
            ));
        }
        if let Some(id) = a.decision_id.as_deref() {
            let well_formed = (1..=128).contains(&id.len())
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !well_formed {
                return Err(AppError::new(
                    ErrorCode::Validation,
                    "the decision id must be 1 to 128 letters, digits, '-' or '_'",
                ));
            }
        }
        let store = self.store()?;
        let h = self.patient(&a.id)?;
        let suggestion: serde_json::Value = serde_json::from_str(&a.suggestion_json)
            .map_err(|_| AppError::new(ErrorCode::Validation, "the suggestion to record is not JSON"))?;
        let decision = match a.decision {
            DecisionChoice::Accepted => Decision::Accepted,
            DecisionChoice::Modified => Decision::Modified,
            DecisionChoice::Declined => Decision::Declined,
        };
        let input = cache::DecisionInput {
            user: self.clinician(),
            patient_id: a.id.clone(),
            suggestion: a.suggestion_json.clone(),
            decision,
            modification: a.modification,
            reason: a.reason.map(|r| r.trim().to_string()),
            inputs: format!(
                "{:?}\n{}",
                h.record,
                suggestion.get("settings").map(ToString::to_string).unwrap_or_default()
            ),
        };
        match a.decision_id.as_deref() {
            Some(id) => cache::record_decision_once(&store, input, id),
            None => cache::record_decision(&store, input),
        }
    }
}
