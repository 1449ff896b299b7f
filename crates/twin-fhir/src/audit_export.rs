//! The audit log as FHIR R4: one Provenance (who decided what, about which patient) and one
//! AuditEvent (the event itself, with the suggestion, reason and input hash) per entry, in a
//! collection Bundle that validates as FHIR R4.

use serde_json::{json, Value};

/// One audit entry, as the exporter needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Sequence number.
    pub seq: u64,
    /// RFC 3339 time.
    pub time: String,
    /// Who decided.
    pub user: String,
    /// Patient id.
    pub patient_id: String,
    /// What was suggested or simulated.
    pub suggestion: String,
    /// `accepted`, `modified` or `declined`.
    pub decision: String,
    /// What was modified.
    pub modification: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// Engine version.
    pub engine_version: String,
    /// Model version.
    pub model_version: String,
    /// Hash of the inputs.
    pub inputs_hash: String,
    /// This entry's chain hash.
    pub hash: String,
}

/// Code system for CardioTwin's decision codes.
pub const DECISION_SYSTEM: &str = "urn:cardiotwin:decision";

/// The Bundle (type `collection`) of Provenance and AuditEvent resources.
pub fn audit_bundle(records: &[AuditRecord], timestamp: &str) -> Value {
    let mut entries = Vec::with_capacity(records.len() * 2);
    for r in records {
        let patient = json!({ "reference": format!("Patient/{}", r.patient_id) });
        let who = json!({ "display": r.user });
        let decision = json!({ "system": DECISION_SYSTEM, "code": r.decision, "display": r.decision });
        let mut provenance = json!({
            "resourceType": "Provenance",
            "id": format!("cardiotwin-decision-{}", r.seq),
            "target": [patient],
            "recorded": r.time,
            "activity": { "coding": [decision], "text": format!("suggestion {}", r.decision) },
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
            json!({ "type": "decision", "valueString": r.decision }),
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

#[cfg(test)]
mod tests {
    use super::*;
    use fhir_sdk::r4b::resources::{Bundle, Resource};

    #[test]
    fn export_validates_as_fhir_r4() {
        let record = AuditRecord {
            seq: 1,
            time: "2026-11-22T10:00:00Z".into(),
            user: "dr.test".into(),
            patient_id: "ct-demo-01".into(),
            suggestion: "add amlodipine 5 mg".into(),
            decision: "declined".into(),
            modification: None,
            reason: Some("ankle oedema on amlodipine before".into()),
            engine_version: "0.1.0".into(),
            model_version: "none".into(),
            inputs_hash: "ab".repeat(32),
            hash: "cd".repeat(32),
        };
        let bundle = audit_bundle(
            &[record.clone(), AuditRecord { seq: 2, decision: "accepted".into(), reason: None, ..record }],
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
}
