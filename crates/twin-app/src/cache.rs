//! The offline cache and the decision log, as the app and the CLI use them.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use ts_rs::TS;

use twin_fhir::audit_export::audit_bundle;
use twin_store::audit::{AuditEntry, Decision, NewEntry};
use twin_store::cache::Snapshot;
use twin_store::secrets::Keychain;
use twin_store::{Store, StoreError};

use crate::error::{AppError, ErrorCode};
use crate::json::PatientSummary;

/// The engine version recorded with each decision.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        let code = match e {
            StoreError::Locked { .. } | StoreError::Keychain { .. } => ErrorCode::StoreLocked,
            StoreError::Busy => ErrorCode::Busy,
            StoreError::RolledBack { .. } => ErrorCode::Tampered,
            StoreError::NotFound => ErrorCode::NotFound,
            StoreError::Invalid(_) => ErrorCode::Validation,
            _ => ErrorCode::Store,
        };
        AppError::new(code, e.to_string())
    }
}

/// Now, as RFC 3339 UTC.
pub fn now_rfc3339() -> String {
    OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

/// The data directory: `explicit`, else `CARDIOTWIN_DATA_DIR`, else the platform's.
///
/// # Errors
/// [`ErrorCode::Store`] when no platform directory exists (no home directory).
pub fn data_dir(explicit: Option<&Path>) -> Result<PathBuf, AppError> {
    explicit
        .map(Path::to_path_buf)
        .or_else(twin_store::default_data_dir)
        .ok_or_else(|| AppError::new(ErrorCode::Store, "no data directory: set CARDIOTWIN_DATA_DIR or pass --data-dir"))
}

/// Opens the store in `dir` with its key from the OS keychain.
///
/// # Errors
/// [`ErrorCode::StoreLocked`] when the keychain is unavailable or holds no matching key.
pub fn open_store(dir: &Path) -> Result<Store, AppError> {
    Ok(Store::open(dir, std::sync::Arc::new(Keychain))?)
}

/// A cached patient as listed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CachedPatient {
    /// Patient id.
    pub id: String,
    /// Name.
    pub name: String,
    /// When fetched (RFC 3339).
    pub fetched_at: String,
    /// Where from.
    pub source: String,
    /// Days since fetched (staleness).
    pub age_days: f64,
}

/// The cache listing, and how many records were found corrupt (now quarantined).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CacheList {
    /// Patients.
    pub patients: Vec<CachedPatient>,
    /// Corrupt records moved to quarantine while listing.
    pub quarantined: Vec<String>,
}

/// Imports a bundle file into the cache; returns the patient id.
///
/// # Errors
/// As [`open_bundle`], or a store error.
pub fn import_bundle(store: &Store, path: &Path, patient: Option<&str>, today: Date) -> Result<String, AppError> {
    let text = crate::patients::read_bundle_file(path)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("bundle");
    Ok(import_bundle_text(store, &text, &path.display().to_string(), name, patient, today)?.record.id)
}

/// Harmonises a bundle given as JSON text and stores it in the cache; returns the harmonised
/// record. `origin` names it in errors; `file_name` is recorded as its source; `patient` chooses
/// one Patient of a Bundle that holds several.
///
/// # Errors
/// [`ErrorCode::Validation`] when it is not a FHIR Bundle with a Patient; store errors.
pub fn import_bundle_text(
    store: &Store,
    bundle_json: &str,
    origin: &str,
    file_name: &str,
    patient: Option<&str>,
    today: Date,
) -> Result<twin_fhir::Harmonised, AppError> {
    let harmonised = twin_fhir::harmonise_bundle_text_for(bundle_json, patient)
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("{origin}: {e}")))?;
    let summary = PatientSummary::from_harmonised(&harmonised, today);
    store.put_snapshot(&Snapshot {
        patient_id: harmonised.record.id.clone(),
        display_name: harmonised.record.demographics.name.clone(),
        source: format!("file:{file_name}"),
        fetched_at: now_rfc3339(),
        bundle_json: bundle_json.to_string(),
        summary_json: serde_json::to_string(&summary).map_err(|e| AppError::new(ErrorCode::Store, e.to_string()))?,
    })?;
    Ok(harmonised)
}

/// Deletes a cached patient; `false` when there was none.
///
/// # Errors
/// Store errors.
pub fn delete_cached(store: &Store, id: &str) -> Result<bool, AppError> {
    Ok(store.delete_snapshot(id)?)
}

/// Deletes every cached patient (the audit log is kept); returns how many.
///
/// # Errors
/// Store errors.
pub fn purge_cached(store: &Store) -> Result<usize, AppError> {
    Ok(store.purge_patients()?)
}

/// Lists the cache with staleness.
///
/// # Errors
/// A store error.
pub fn list_cached(store: &Store) -> Result<CacheList, AppError> {
    let (entries, corrupt) = store.list()?;
    let now = OffsetDateTime::now_utc();
    let patients = entries
        .into_iter()
        .map(|e| {
            let age_days = OffsetDateTime::parse(&e.fetched_at, &Rfc3339)
                .map(|t| (now - t).as_seconds_f64() / 86_400.0)
                .unwrap_or(f64::NAN);
            CachedPatient {
                id: e.patient_id,
                name: e.display_name,
                fetched_at: e.fetched_at,
                source: e.source,
                age_days,
            }
        })
        .collect();
    Ok(CacheList { patients, quarantined: corrupt.iter().map(ToString::to_string).collect() })
}

/// A cached patient's record, harmonised afresh from the stored resources.
///
/// # Errors
/// Not found, corrupt, or the stored resources no longer harmonise.
pub fn show_cached(store: &Store, id: &str, today: Date) -> Result<PatientSummary, AppError> {
    let snapshot = store.get_snapshot(id)?;
    let harmonised = twin_fhir::harmonise_bundle_text(&snapshot.bundle_json)
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("the cached record no longer reads: {e}")))?;
    Ok(PatientSummary::from_harmonised(&harmonised, today))
}

/// An audit entry as listed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditView {
    /// Sequence number.
    pub seq: u64,
    /// Time.
    pub time: String,
    /// Who.
    pub user: String,
    /// The clinician's role, where the log recorded one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub user_role: Option<String>,
    /// The clinician's professional identifier, where the log recorded one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub user_identifier: Option<String>,
    /// Patient id.
    pub patient_id: String,
    /// Suggestion.
    pub suggestion: String,
    /// `accepted`, `modified`, `declined`.
    pub decision: String,
    /// Modification.
    pub modification: Option<String>,
    /// Reason.
    pub reason: Option<String>,
    /// Engine version.
    pub engine_version: String,
    /// Model version.
    pub model_version: String,
    /// Inputs hash.
    pub inputs_hash: String,
    /// The id the recording screen gave the decision (absent on entries recorded without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub decision_id: Option<String>,
    /// Chain hash.
    pub hash: String,
}

fn audit_view(e: AuditEntry) -> AuditView {
    AuditView {
        seq: e.seq,
        time: e.time,
        user: e.user,
        user_role: e.user_role,
        user_identifier: e.user_identifier,
        patient_id: e.patient_id,
        suggestion: e.suggestion,
        decision: e.decision.code().into(),
        modification: e.modification,
        reason: e.reason,
        engine_version: e.engine_version,
        model_version: e.model_version,
        inputs_hash: e.inputs_hash,
        decision_id: e.decision_id,
        hash: e.hash,
    }
}

/// Parses a decision word.
///
/// # Errors
/// [`ErrorCode::Validation`] for anything but accepted/modified/declined.
pub fn parse_decision(s: &str) -> Result<Decision, AppError> {
    match s {
        "accepted" => Ok(Decision::Accepted),
        "modified" => Ok(Decision::Modified),
        "declined" => Ok(Decision::Declined),
        other => Err(AppError::new(
            ErrorCode::Validation,
            format!("decision must be accepted, modified or declined, not '{other}'"),
        )),
    }
}

/// What a clinician decided, to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionInput {
    /// Who: the clinician set in Settings, or a name given on the command line.
    pub user: crate::identity::Clinician,
    /// Patient.
    pub patient_id: String,
    /// What was suggested or simulated.
    pub suggestion: String,
    /// Decision.
    pub decision: Decision,
    /// What was changed.
    pub modification: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// The inputs the suggestion was computed from (hashed, not stored).
    pub inputs: String,
}

/// Records a decision in the audit log.
///
/// # Errors
/// [`ErrorCode::Validation`] when a required reason is missing; store errors.
pub fn record_decision(store: &Store, d: DecisionInput) -> Result<AuditView, AppError> {
    Ok(audit_view(store.append_audit(new_entry(d), &now_rfc3339())?))
}

/// Records a decision the screen gave `decision_id`, once: a second call with the same id (a
/// double click, a retry) writes nothing and answers the entry already recorded.
///
/// # Errors
/// As [`record_decision`]; [`ErrorCode::Validation`] for an id already used for another decision.
pub fn record_decision_once(store: &Store, d: DecisionInput, decision_id: &str) -> Result<AuditView, AppError> {
    Ok(audit_view(store.append_audit_once(new_entry(d), decision_id, &now_rfc3339())?.0))
}

fn new_entry(d: DecisionInput) -> NewEntry {
    NewEntry {
        user: d.user.display_name,
        user_role: d.user.role,
        user_identifier: d.user.identifier,
        patient_id: d.patient_id,
        suggestion: d.suggestion,
        decision: d.decision,
        modification: d.modification,
        reason: d.reason,
        engine_version: crate::identity::engine(),
        model_version: crate::identity::learned_model().into(),
        inputs_hash: Sha256::digest(d.inputs.as_bytes()).iter().map(|b| format!("{b:02x}")).collect(),
    }
}

/// Every audit entry.
///
/// # Errors
/// Store errors.
pub fn list_audit(store: &Store) -> Result<Vec<AuditView>, AppError> {
    Ok(store.audit_entries()?.into_iter().map(audit_view).collect())
}

/// The result of checking the log.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditCheck {
    /// Whether the log is intact.
    pub intact: bool,
    /// Entries that check out.
    pub n_good: u64,
    /// First bad sequence number.
    pub first_bad_seq: Option<u64>,
    /// What is wrong with it.
    pub problem: Option<String>,
}

/// Checks the log's chain.
///
/// # Errors
/// Store errors.
pub fn verify_audit(store: &Store) -> Result<AuditCheck, AppError> {
    let v = store.verify_audit()?;
    Ok(AuditCheck {
        intact: v.intact(),
        n_good: v.n_good,
        first_bad_seq: v.first_bad.as_ref().map(|b| b.0),
        problem: v.first_bad.map(|b| b.1),
    })
}

/// The log as a FHIR R4 Bundle of Provenance and AuditEvent resources: the decisions, then the
/// attempts to file their summaries in an EHR.
///
/// # Errors
/// Store errors.
pub fn export_audit_fhir(store: &Store) -> Result<serde_json::Value, AppError> {
    let records = store.audit_entries()?;
    let mut bundle = audit_bundle(&records, &now_rfc3339());
    let write_backs = twin_fhir::audit_export::write_back_events(&store.write_back_entries()?);
    if let Some(entries) = bundle.get_mut("entry").and_then(serde_json::Value::as_array_mut) {
        entries.extend(write_backs);
    }
    Ok(bundle)
}
