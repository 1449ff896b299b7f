//! Whether a message is about the patient the workstation holds.
//!
//! A message's PID-3 identifiers are compared with the held Patient's identifiers (FHIR
//! `Patient.identifier[].value`) and with its id. Only the values are compared: an HL7 assigning
//! authority (`HOSP`) and a FHIR identifier system (a URI) name the same issuer in different
//! words, and a table of such pairs would be a guess. A message that matches no identifier is
//! refused, so results are never filed under the wrong patient.

use serde_json::Value;

use crate::message::OruMessage;

/// The identifier values of the Patient with id `patient_id` in a FHIR Bundle (JSON).
pub fn held_identifiers(bundle: &Value, patient_id: &str) -> Vec<String> {
    let entries = bundle.get("entry").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    entries
        .iter()
        .filter_map(|e| e.get("resource"))
        .filter(|r| r.get("resourceType").and_then(Value::as_str) == Some("Patient"))
        .filter(|r| r.get("id").and_then(Value::as_str) == Some(patient_id))
        .flat_map(|r| r.get("identifier").and_then(Value::as_array).cloned().unwrap_or_default())
        .filter_map(|i| i.get("value").and_then(Value::as_str).map(str::to_owned))
        .filter(|v| !v.trim().is_empty())
        .collect()
}

/// Whether one of `message`'s PID-3 identifiers is `patient_id` or one of `held` (the held
/// Patient's identifier values).
pub fn is_about(message: &OruMessage, patient_id: &str, held: &[String]) -> bool {
    message.patient_identifiers.iter().any(|i| i.value == patient_id || held.iter().any(|h| h == &i.value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn identifiers_of_the_chosen_patient_only() {
        let bundle = json!({"resourceType": "Bundle", "entry": [
            {"resource": {"resourceType": "Patient", "id": "p1", "identifier": [{"system": "urn:mrn", "value": "MRN-1"}, {"value": " "}]}},
            {"resource": {"resourceType": "Patient", "id": "p2", "identifier": [{"value": "MRN-2"}]}}
        ]});
        assert_eq!(held_identifiers(&bundle, "p1"), ["MRN-1"]);
        assert!(held_identifiers(&bundle, "p3").is_empty());
    }
}
