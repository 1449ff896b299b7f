//! New resources for a patient the workstation already holds: lab results from an HL7 v2 feed,
//! home readings, a wearable export, or what the EHR changed since the last fetch. They join the
//! held FHIR Bundle (a resource with the same type and id replaces the old one, as a FHIR server's
//! newer version would), the whole is harmonised again by the one path every record takes, and the
//! snapshot is stored under the store's lock: a record is never half-merged.

use serde_json::Value;
use time::Date;
use twin_store::cache::{FetchMark, Snapshot};
use twin_store::Store;

use crate::cache::now_rfc3339;
use crate::error::{AppError, ErrorCode};
use crate::json::PatientSummary;

/// What a merge did, for the user's "what arrived" line and for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeCounts {
    /// Resources the record did not hold.
    pub added: usize,
    /// Resources that replaced a held one of the same type and id.
    pub replaced: usize,
}

/// The merged record and what the merge did.
#[derive(Debug)]
pub struct Merged {
    /// The record harmonised again, as stored.
    pub harmonised: twin_fhir::Harmonised,
    /// When it was stored (RFC 3339, the workstation's clock): the stored version's name.
    pub fetched_at: String,
    /// The record before the merge (for "what changed").
    pub before: twin_fhir::Harmonised,
    /// What came in.
    pub counts: MergeCounts,
}

/// Adds `resources` (FHIR R4 JSON, each with `resourceType` and `id`) to the held record of
/// `patient_id` and stores it. `source` names where they came from (e.g. `hl7:results.hl7`) and is
/// appended to the snapshot's source list.
///
/// # Errors
/// [`ErrorCode::NotFound`] when the patient is not held; [`ErrorCode::Validation`] when a resource
/// has no type or id, or the merged record no longer harmonises (the held record is then unchanged);
/// store errors.
pub fn merge_resources(
    store: &Store,
    patient_id: &str,
    resources: Vec<Value>,
    source: &str,
    today: Date,
) -> Result<Merged, AppError> {
    merge_resources_noting(store, patient_id, resources, source, today, None, |_, _, _| Ok(()))
}

/// What an EHR fetch brings to a merge besides its resources.
#[derive(Debug, Clone, Copy)]
pub struct FetchMerge<'a> {
    /// The fetch the merge brings the record up to, kept in the record's sealed index.
    pub mark: &'a FetchMark,
    /// The record as the caller holds it and when that version was stored: used as the record
    /// before the merge, instead of harmonising the stored one again, if the store still holds
    /// that version (same `fetched_at`).
    pub held: Option<(&'a str, &'a twin_fhir::Harmonised)>,
}

/// [`merge_resources`], with `note` given the record before and after the merge and the merged
/// Bundle just before it is stored, to write what the merge means into the Bundle's `meta` (an
/// EHR fetch records what changed there), in the same store write. `fetch` is the EHR fetch the
/// merge brings the record up to; `None` keeps the held fetch mark (new lab results do not move
/// where the next fetch starts).
///
/// # Errors
/// As [`merge_resources`]; `note`'s error, with the held record unchanged.
pub fn merge_resources_noting(
    store: &Store,
    patient_id: &str,
    resources: Vec<Value>,
    source: &str,
    today: Date,
    fetch: Option<FetchMerge<'_>>,
    note: impl FnOnce(&twin_fhir::Harmonised, &twin_fhir::Harmonised, &mut Value) -> Result<(), AppError>,
) -> Result<Merged, AppError> {
    let snapshot = store.get_snapshot(patient_id)?;
    let mark = match fetch {
        Some(f) => Some(f.mark.clone()),
        None => store.get_index(patient_id)?.fetch,
    };
    let held = fetch.and_then(|f| f.held).filter(|(at, _)| *at == snapshot.fetched_at);
    let before = match held {
        Some((_, h)) => h.clone(),
        None => twin_fhir::harmonise_bundle_text_for(&snapshot.bundle_json, Some(patient_id))
            .map_err(|e| AppError::new(ErrorCode::Validation, format!("the held record: {e}")))?,
    };
    let mut bundle: Value = serde_json::from_str(&snapshot.bundle_json)
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("the held record is not JSON: {e}")))?;
    let counts = merge_into_bundle(&mut bundle, resources)?;
    // Nothing came (an EHR with nothing new since the last fetch): the record is the one held.
    let harmonised = if counts.added + counts.replaced == 0 {
        before.clone()
    } else {
        let merged_json = serde_json::to_string(&bundle).map_err(|e| AppError::new(ErrorCode::Store, e.to_string()))?;
        twin_fhir::harmonise_bundle_text_for(&merged_json, Some(patient_id))
            .map_err(|e| AppError::new(ErrorCode::Validation, format!("with the new resources: {e}")))?
    };
    note(&before, &harmonised, &mut bundle)?;
    let bundle_json = serde_json::to_string(&bundle).map_err(|e| AppError::new(ErrorCode::Store, e.to_string()))?;
    let summary = PatientSummary::from_harmonised(&harmonised, today);
    let sources = if snapshot.source.split(" + ").any(|s| s == source) {
        snapshot.source.clone()
    } else {
        format!("{} + {source}", snapshot.source)
    };
    let fetched_at = now_rfc3339();
    store.put_snapshot_marked(
        &Snapshot {
            patient_id: snapshot.patient_id,
            display_name: harmonised.record.demographics.name.clone(),
            source: sources,
            fetched_at: fetched_at.clone(),
            bundle_json,
            summary_json: serde_json::to_string(&summary)
                .map_err(|e| AppError::new(ErrorCode::Store, e.to_string()))?,
        },
        mark.as_ref(),
    )?;
    Ok(Merged { harmonised, fetched_at, before, counts })
}

/// Puts `resources` into a Bundle's entries: same type and id replaces, otherwise appends.
///
/// # Errors
/// [`ErrorCode::Validation`] when the bundle has no entry list or a resource lacks type or id.
pub fn merge_into_bundle(bundle: &mut Value, resources: Vec<Value>) -> Result<MergeCounts, AppError> {
    let entries = match bundle.get_mut("entry") {
        Some(Value::Array(a)) => a,
        _ => {
            bundle["entry"] = Value::Array(Vec::new());
            match bundle.get_mut("entry") {
                Some(Value::Array(a)) => a,
                _ => return Err(AppError::new(ErrorCode::Validation, "the held record is not a Bundle")),
            }
        }
    };
    let mut counts = MergeCounts { added: 0, replaced: 0 };
    for resource in resources {
        let key = resource_key(&resource).ok_or_else(|| {
            AppError::new(ErrorCode::Validation, "a new resource has no resourceType or id; nothing was merged")
        })?;
        let held = entries.iter_mut().find(|e| e.get("resource").and_then(resource_key).as_ref() == Some(&key));
        match held {
            Some(entry) => {
                entry["resource"] = resource;
                counts.replaced += 1;
            }
            None => {
                let full_url = format!("{}/{}", key.0, key.1);
                entries.push(serde_json::json!({ "fullUrl": full_url, "resource": resource }));
                counts.added += 1;
            }
        }
    }
    Ok(counts)
}

fn resource_key(resource: &Value) -> Option<(String, String)> {
    Some((resource.get("resourceType")?.as_str()?.to_string(), resource.get("id")?.as_str()?.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn same_type_and_id_replaces_and_the_rest_appends() {
        let mut bundle = json!({"resourceType": "Bundle", "type": "collection", "entry": [
            {"resource": {"resourceType": "Patient", "id": "p"}},
            {"resource": {"resourceType": "Observation", "id": "o1", "status": "preliminary"}}
        ]});
        let counts = merge_into_bundle(
            &mut bundle,
            vec![
                json!({"resourceType": "Observation", "id": "o1", "status": "final"}),
                json!({"resourceType": "Observation", "id": "o2", "status": "final"}),
                json!({"resourceType": "Patient", "id": "o1"}),
            ],
        )
        .unwrap();
        assert_eq!(counts, MergeCounts { added: 2, replaced: 1 });
        let entries = bundle["entry"].as_array().unwrap();
        assert_eq!(entries.len(), 4);
        assert_eq!(entries[1]["resource"]["status"], "final");
        assert_eq!(entries[2]["fullUrl"], "Observation/o2");
    }

    /// New lab results (a merge that is no fetch) keep where the next EHR fetch starts.
    #[test]
    fn a_merge_keeps_the_held_fetch_mark_and_a_fetch_moves_it() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::open(dir.path(), std::sync::Arc::new(twin_store::secrets::MemorySecrets::default())).unwrap();
        let bundle = json!({"resourceType": "Bundle", "type": "collection", "entry": [
            {"resource": {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1960-01-01"}}
        ]});
        let snapshot = Snapshot {
            patient_id: "p".into(),
            display_name: String::new(),
            source: "http://127.0.0.1:9/fhir".into(),
            fetched_at: "2026-12-01T10:00:00Z".into(),
            bundle_json: bundle.to_string(),
            summary_json: "{}".into(),
        };
        let mark =
            FetchMark { base: "http://127.0.0.1:9/fhir".into(), server_time: Some("2026-12-01T09:00:00Z".into()) };
        store.put_snapshot_marked(&snapshot, Some(&mark)).unwrap();
        let today = time::macros::date!(2026 - 12 - 01);
        let result = json!({"resourceType": "Observation", "id": "o1", "status": "final"});
        merge_resources(&store, "p", vec![result], "hl7:results.hl7", today).unwrap();
        assert_eq!(store.get_index("p").unwrap().fetch, Some(mark));
        let later =
            FetchMark { base: "http://127.0.0.1:9/fhir".into(), server_time: Some("2026-12-02T09:00:00Z".into()) };
        let merge = |held: Option<(&str, &twin_fhir::Harmonised)>| {
            let fetch = FetchMerge { mark: &later, held };
            merge_resources_noting(&store, "p", Vec::new(), "http://127.0.0.1:9/fhir", today, Some(fetch), |_, _, _| {
                Ok(())
            })
            .unwrap()
        };
        let merged = merge(None);
        assert_eq!(store.get_index("p").unwrap().fetch, Some(later.clone()));
        // The caller's copy of the stored version stands for the record before the next merge; a
        // copy of another version does not.
        let mut copy = merged.harmonised.clone();
        copy.record.demographics.name = "the caller's copy".into();
        let again = merge(Some((&merged.fetched_at, &copy)));
        assert_eq!(again.before.record.demographics.name, "the caller's copy");
        assert_eq!(again.fetched_at, store.get_snapshot("p").unwrap().fetched_at);
        let stale = merge(Some((&merged.fetched_at, &copy)));
        assert_ne!(stale.before.record.demographics.name, "the caller's copy");
    }

    #[test]
    fn a_resource_without_id_is_refused_before_anything_changes_the_store() {
        let mut bundle = json!({"resourceType": "Bundle", "entry": []});
        let err = merge_into_bundle(&mut bundle, vec![json!({"resourceType": "Observation"})]).unwrap_err();
        assert!(err.message.contains("no resourceType or id"), "{}", err.message);
    }
}
