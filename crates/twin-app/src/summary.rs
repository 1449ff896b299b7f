//! The clinician summary, filed in the EHR: the summary the clinician saw (its text, as the
//! screen printed it) becomes a FHIR consult note, and the decision it records a Provenance
//! naming the clinician and the decision-log entry ([`twin_fhir::write_back`]). Nothing is sent
//! until the clinician confirms, on the screen, the server and the patient; a failure is said in
//! plain words and nothing is lost (the summary is made again from the record and the log, and
//! the screen offers to try again). Every attempt, filed or failed, is written to the decision
//! log ([`twin_store::write_backs`]): the server's references, or the reason the clinician was
//! given.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

use twin_fhir::fetch::{Credentials, FetchConfig, FetchError, FhirClient};
use twin_fhir::write_back::{plain_reason, ConsultNote};
use twin_store::write_backs::{NewWriteBack, WriteBack, WriteBackEntry, WriteBackOutcome, MAX_REASON_CHARS};
use twin_store::Store;

use crate::cache::AuditView;
use crate::error::{AppError, ErrorCode};

/// How a failure to file begins, on the screen; the log keeps the reason after it.
const NOT_FILED: &str = "the summary was not filed: ";

/// Longest summary filed, characters: a one-page summary is a few thousand; 100,000 refuses
/// anything that is not one.
pub const MAX_SUMMARY_CHARS: usize = 100_000;

/// The arguments of `ehrWriteBack`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WriteBackArgs {
    /// Patient id (the record's, which is the Patient's id on the EHR it came from).
    pub id: String,
    /// The saved EHR connection to file it in, by name.
    pub connection: String,
    /// The summary's text, as the clinician saw it.
    pub text: String,
    /// The decision-log entry the summary records (its sequence number).
    #[ts(type = "number")]
    pub decision_seq: u64,
}

/// What the EHR made of it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WriteBackView {
    /// The FHIR server it was filed on.
    pub server: String,
    /// The consult note (`DocumentReference/<id>`).
    pub document_reference: String,
    /// The decision's Provenance (`Provenance/<id>`).
    pub provenance: String,
    /// The decision-log entry recording this filing; `null` when the log could not be written
    /// (the note is filed all the same).
    #[ts(type = "number | null")]
    pub log_seq: Option<u64>,
}

/// What came of a write-back, as the log lists it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "status", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum WriteBackOutcomeView {
    /// Filed: the references the server made.
    Written {
        /// `DocumentReference/<id>`.
        document_reference: String,
        /// `Provenance/<id>`.
        provenance: String,
    },
    /// Not filed, and why, as the clinician was told.
    Failed {
        /// The reason in plain words.
        reason: String,
    },
}

/// A write-back attempt in the decision log.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WriteBackLogView {
    /// Sequence number in the log.
    #[ts(type = "number")]
    pub seq: u64,
    /// When (RFC 3339).
    pub time: String,
    /// Who filed it.
    pub user: String,
    /// Patient id.
    pub patient_id: String,
    /// The decision whose summary it was (its sequence number).
    #[ts(type = "number")]
    pub decision_seq: u64,
    /// The FHIR server.
    pub server: String,
    /// What came of it.
    pub outcome: WriteBackOutcomeView,
}

impl From<WriteBackEntry> for WriteBackLogView {
    fn from(e: WriteBackEntry) -> Self {
        let outcome = match e.write_back.outcome {
            WriteBackOutcome::Written { document_reference, provenance } => {
                WriteBackOutcomeView::Written { document_reference, provenance }
            }
            WriteBackOutcome::Failed { reason } => WriteBackOutcomeView::Failed { reason },
        };
        WriteBackLogView {
            seq: e.seq,
            time: e.time,
            user: e.user,
            patient_id: e.patient_id,
            decision_seq: e.write_back.decision_seq,
            server: e.write_back.server,
            outcome,
        }
    }
}

/// Every write-back attempt in the log, oldest first.
///
/// # Errors
/// Store errors.
pub fn list_write_backs(store: &Store) -> Result<Vec<WriteBackLogView>, AppError> {
    Ok(store.write_back_entries()?.into_iter().map(WriteBackLogView::from).collect())
}

/// Records the attempt to file `note` on `server` by `user`, and its outcome, in the decision
/// log. A failure is kept as the reason the clinician was given, which names no patient data
/// (the app's error messages never do) and no token (none is ever put in one), cut to the log's
/// limit. Answers the entry's sequence number.
///
/// # Errors
/// Store errors (the keychain went away, the folder is busy).
pub fn log_attempt(
    store: &Store,
    user: crate::identity::Clinician,
    note: &ConsultNote,
    server: &Url,
    outcome: &Result<WriteBackView, AppError>,
) -> Result<u64, AppError> {
    let outcome = match outcome {
        Ok(view) => WriteBackOutcome::Written {
            document_reference: view.document_reference.clone(),
            provenance: view.provenance.clone(),
        },
        Err(e) => {
            let reason = e.message.strip_prefix(NOT_FILED).unwrap_or(&e.message);
            WriteBackOutcome::Failed { reason: reason.chars().take(MAX_REASON_CHARS).collect() }
        }
    };
    let entry = store.append_write_back(
        NewWriteBack {
            user: user.display_name,
            user_role: user.role,
            user_identifier: user.identifier,
            patient_id: note.patient_id.clone(),
            write_back: WriteBack { decision_seq: note.decision_seq, server: server.to_string(), outcome },
        },
        &crate::cache::now_rfc3339(),
    )?;
    Ok(entry.seq)
}

/// The note for `entry`, `text` checked: not empty, at most [`MAX_SUMMARY_CHARS`].
///
/// # Errors
/// [`ErrorCode::Validation`] for an empty or oversized summary, or an entry of another patient.
pub fn consult_note(patient_id: &str, text: &str, entry: &AuditView, now: String) -> Result<ConsultNote, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::new(ErrorCode::Validation, "the summary is empty: nothing to file"));
    }
    let n_chars = text.chars().count();
    if n_chars > MAX_SUMMARY_CHARS {
        return Err(AppError::new(
            ErrorCode::Validation,
            format!("the summary has {n_chars} characters; at most {MAX_SUMMARY_CHARS} are filed"),
        ));
    }
    if entry.patient_id != patient_id {
        return Err(AppError::new(ErrorCode::Validation, "that decision is another patient's"));
    }
    let decision = match (&entry.reason, entry.decision.as_str()) {
        (Some(reason), d) => format!("{d}: {reason}"),
        (None, d) => d.to_string(),
    };
    Ok(ConsultNote {
        patient_id: patient_id.to_string(),
        author: entry.user.clone(),
        date: now,
        title: "CardioTwin consultation summary (decision support)".into(),
        text: format!("{text}\n"),
        decision_seq: entry.seq,
        decision_hash: entry.hash.clone(),
        decision,
    })
}

/// Files `note` on `base` with `credentials`.
///
/// # Errors
/// [`ErrorCode::FhirAuth`] for an expired sign-in or a missing write scope,
/// [`ErrorCode::FhirUnavailable`] for a server that cannot be reached or refuses; each in plain
/// words.
pub async fn file(base: &Url, credentials: Credentials, note: &ConsultNote) -> Result<WriteBackView, AppError> {
    let client = FhirClient::new(base.clone(), credentials, FetchConfig::default())
        .map_err(|e| AppError::new(ErrorCode::FhirUnavailable, e.to_string()))?;
    let written = twin_fhir::write_back::write_back(&client, note).await.map_err(|e| {
        let code = match e {
            FetchError::Unauthorised { .. } | FetchError::Auth(_) => ErrorCode::FhirAuth,
            _ => ErrorCode::FhirUnavailable,
        };
        AppError::new(code, format!("{NOT_FILED}{}", plain_reason(&e)))
    })?;
    Ok(WriteBackView {
        server: base.to_string(),
        document_reference: written.document_reference,
        provenance: written.provenance,
        log_seq: None,
    })
}
