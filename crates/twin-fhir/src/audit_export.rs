//! The audit log as FHIR R4: one Provenance (who decided what, about which patient) and one
//! AuditEvent (the event itself, with the suggestion, reason and input hash) per entry, in a
//! collection Bundle that validates as FHIR R4. It reads the log's own entries
//! ([`twin_store::audit::AuditEntry`]): one type for a decision, from the log to the export.
//! Each attempt to file a decision's summary in an EHR ([`twin_store::write_backs`]) is one more
//! AuditEvent, its outcome success or failure ([`write_back_events`]).

use serde_json::{json, Value};
use twin_store::audit::AuditEntry;
use twin_store::write_backs::{WriteBackEntry, WriteBackOutcome};

/// Code system for CardioTwin's decision codes.
pub const DECISION_SYSTEM: &str = "urn:cardiotwin:decision";
/// Code system for CardioTwin's other logged events (a summary filed in an EHR: `write-back`).
pub const EVENT_SYSTEM: &str = "urn:cardiotwin:event";

/// The Bundle (type `collection`) of Provenance and AuditEvent resources.
pub fn audit_bundle(records: &[AuditEntry], timestamp: &str) -> Value {
    let mut entries = Vec::with_capacity(records.len() * 2);
    for r in records {
        let patient = json!({ "reference": format!("Patient/{}", r.patient_id) });
        // The clinician as the log names them: display name with role, and their identifier where set.
        let display = match &r.user_role {
            Some(role) => format!("{} ({role})", r.user),
            None => r.user.clone(),
        };
        let mut who = json!({ "display": display });
        if let Some(id) = &r.user_identifier {
            who["identifier"] = json!({ "value": id });
        }
        let code = r.decision.code();
        let decision = json!({ "system": DECISION_SYSTEM, "code": code, "display": code });
        let mut provenance = json!({
            "resourceType": "Provenance",
            "id": format!("cardiotwin-decision-{}", r.seq),
            "target": [patient],
            "recorded": r.time,
            "activity": { "coding": [decision], "text": format!("suggestion {code}") },
            "agent": [{
                "type": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "code": "author", "display": "Author" }] },
                "who": who
            }],
            "entity": [{ "role": "source", "what": { "identifier": { "system": "urn:cardiotwin:audit-hash", "value": r.hash } } }]
        });
        if let Some(reason) = &r.reason {
            provenance["reason"] = json!([{ "text": reason }]);
        }
        let mut details = vec![
            json!({ "type": "suggestion", "valueString": r.suggestion }),
            json!({ "type": "decision", "valueString": code }),
            json!({ "type": "inputs-sha256", "valueString": r.inputs_hash }),
            json!({ "type": "engine-version", "valueString": r.engine_version }),
            json!({ "type": "model-version", "valueString": r.model_version }),
            json!({ "type": "chain-hash", "valueString": r.hash }),
        ];
        if let Some(reason) = &r.reason {
            details.push(json!({ "type": "reason", "valueString": reason }));
        }
        if let Some(modification) = &r.modification {
            details.push(json!({ "type": "modification", "valueString": modification }));
        }
        let audit_event = json!({
            "resourceType": "AuditEvent",
            "id": format!("cardiotwin-audit-{}", r.seq),
            "type": { "system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest", "display": "RESTful Operation" },
            "subtype": [decision],
            "action": "E",
            "recorded": r.time,
            "outcome": "0",
            "agent": [{ "who": who, "requestor": true }],
            "source": { "observer": { "display": format!("CardioTwin {}", r.engine_version) } },
            "entity": [{ "what": patient, "detail": details }]
        });
        entries.push(json!({ "fullUrl": format!("urn:cardiotwin:provenance:{}", r.seq), "resource": provenance }));
        entries.push(json!({ "fullUrl": format!("urn:cardiotwin:audit-event:{}", r.seq), "resource": audit_event }));
    }
    json!({ "resourceType": "Bundle", "type": "collection", "timestamp": timestamp, "entry": entries })
}

/// One AuditEvent per write-back attempt, as entries to add to [`audit_bundle`]'s Bundle: action
/// create, outcome `0` (success) with the references the EHR made, or `4` (failure; FHIR R4
/// `AuditEventOutcome`, "the action was not successful") with the reason in `outcomeDesc`.
pub fn write_back_events(records: &[WriteBackEntry]) -> Vec<Value> {
    records
        .iter()
        .map(|r| {
            let who = match &r.user_role {
                Some(role) => json!({ "display": format!("{} ({role})", r.user) }),
                None => json!({ "display": r.user }),
            };
            let w = &r.write_back;
            let mut details = vec![
                json!({ "type": "decision-log-entry", "valueString": w.decision_seq.to_string() }),
                json!({ "type": "server", "valueString": w.server }),
                json!({ "type": "chain-hash", "valueString": r.hash }),
            ];
            let (outcome, description) = match &w.outcome {
                WriteBackOutcome::Written { document_reference, provenance } => {
                    details.push(json!({ "type": "document-reference", "valueString": document_reference }));
                    details.push(json!({ "type": "provenance", "valueString": provenance }));
                    ("0", "the clinician summary was filed in the EHR".to_string())
                }
                WriteBackOutcome::Failed { reason } => ("4", reason.clone()),
            };
            let event = json!({
                "resourceType": "AuditEvent",
                "id": format!("cardiotwin-audit-{}", r.seq),
                "type": { "system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest", "display": "RESTful Operation" },
                "subtype": [{ "system": EVENT_SYSTEM, "code": "write-back", "display": "clinician summary filed in the EHR" }],
                "action": "C",
                "recorded": r.time,
                "outcome": outcome,
                "outcomeDesc": description,
                "agent": [{ "who": who, "requestor": true }],
                "source": { "observer": { "display": "CardioTwin" } },
                "entity": [{ "what": { "reference": format!("Patient/{}", r.patient_id) }, "detail": details }]
            });
            json!({ "fullUrl": format!("urn:cardiotwin:audit-event:{}", r.seq), "resource": event })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fhir_sdk::r4b::resources::{Bundle, Resource};
    use twin_store::audit::Decision;

    #[test]
    fn export_validates_as_fhir_r4() {
        let record = AuditEntry {
            seq: 1,
            time: "2026-11-22T10:00:00Z".into(),
            user: "dr.test".into(),
            user_role: None,
            user_identifier: None,
            patient_id: "ct-demo-01".into(),
            suggestion: "add amlodipine 5 mg".into(),
            decision: Decision::Declined,
            modification: None,
            reason: Some("ankle oedema on amlodipine before".into()),
            engine_version: "0.1.0".into(),
            model_version: "none".into(),
            inputs_hash: "ab".repeat(32),
            decision_id: None,
            prev_hash: "ef".repeat(32),
            hash: "cd".repeat(32),
        };
        let bundle = audit_bundle(
            &[
                record.clone(),
                AuditEntry {
                    seq: 2,
                    decision: Decision::Accepted,
                    reason: None,
                    user: "Dr Ana Silva".into(),
                    user_role: Some("consultant cardiologist".into()),
                    user_identifier: Some("GMC 7654321".into()),
                    ..record
                },
            ],
            "2026-11-22T11:00:00Z",
        );
        let parsed: Bundle = serde_json::from_value(bundle).expect("valid FHIR R4 Bundle");
        let kinds: Vec<&str> = parsed
            .entry
            .iter()
            .flatten()
            .filter_map(|e| match &e.resource {
                Some(Resource::Provenance(_)) => Some("Provenance"),
                Some(Resource::AuditEvent(_)) => Some("AuditEvent"),
                _ => None,
            })
            .collect();
        assert_eq!(kinds, ["Provenance", "AuditEvent", "Provenance", "AuditEvent"]);
    }

    #[test]
    fn write_backs_export_as_audit_events_that_validate_as_fhir_r4() {
        use twin_store::write_backs::WriteBack;
        let filed = WriteBackEntry {
            seq: 2,
            time: "2026-12-01T10:05:00Z".into(),
            user: "Dr Ana Silva".into(),
            user_role: Some("consultant cardiologist".into()),
            user_identifier: None,
            patient_id: "ct-demo-01".into(),
            write_back: WriteBack {
                decision_seq: 1,
                server: "https://ehr.example/fhir".into(),
                outcome: WriteBackOutcome::Written {
                    document_reference: "DocumentReference/7".into(),
                    provenance: "Provenance/8".into(),
                },
            },
            prev_hash: "ab".repeat(32),
            hash: "cd".repeat(32),
        };
        let failed = WriteBackEntry {
            seq: 3,
            write_back: WriteBack {
                outcome: WriteBackOutcome::Failed { reason: "the EHR sign-in has expired (HTTP 401)".into() },
                ..filed.write_back.clone()
            },
            ..filed.clone()
        };
        let mut bundle = audit_bundle(&[], "2026-12-01T11:00:00Z");
        bundle["entry"] = Value::Array(write_back_events(&[filed, failed]));
        let parsed: Bundle = serde_json::from_value(bundle.clone()).expect("valid FHIR R4 Bundle");
        assert_eq!(parsed.entry.len(), 2);
        assert_eq!(bundle["entry"][0]["resource"]["outcome"], "0");
        assert_eq!(bundle["entry"][1]["resource"]["outcome"], "4");
        assert_eq!(bundle["entry"][1]["resource"]["outcomeDesc"], "the EHR sign-in has expired (HTTP 401)");
        assert_eq!(bundle["entry"][0]["resource"]["entity"][0]["detail"][3]["valueString"], "DocumentReference/7");
    }
}
