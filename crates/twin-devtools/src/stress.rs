//! The crash-safety test's load (`cardiotwin store-stress`): patient snapshots and audit entries
//! written in rounds, each acknowledged only once durable.

use twin_app::cache::{now_rfc3339, record_decision, DecisionInput};
use twin_app::error::AppError;
use twin_store::audit::Decision;
use twin_store::cache::Snapshot;
use twin_store::Store;

/// First half of a round: writes `bundle_json` under the id `{prefix}-{i}`, durably, before
/// returning.
///
/// # Errors
/// Store errors.
pub fn stress_put(store: &Store, bundle_json: &str, prefix: &str, i: u64) -> Result<(), AppError> {
    Ok(store.put_snapshot(&Snapshot {
        patient_id: format!("{prefix}-{i}"),
        display_name: format!("Stress {i}"),
        source: "stress".into(),
        fetched_at: now_rfc3339(),
        bundle_json: bundle_json.to_string(),
        summary_json: "{}".into(),
    })?)
}

/// Second half of a stress round: one audit entry for `{prefix}-{i}`; returns its sequence.
///
/// # Errors
/// Store errors.
pub fn stress_audit(store: &Store, prefix: &str, i: u64) -> Result<u64, AppError> {
    let entry = record_decision(
        store,
        DecisionInput {
            user: twin_app::identity::Clinician::named("stress"),
            patient_id: format!("{prefix}-{i}"),
            suggestion: "stress".into(),
            decision: Decision::Declined,
            modification: None,
            reason: Some("stress test".into()),
            inputs: String::new(),
        },
    )?;
    Ok(entry.seq)
}
