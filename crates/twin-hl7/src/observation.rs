//! A result as a FHIR R4 Observation, with its provenance.
//!
//! The Observation's id is derived from what names the same test of the same order (sending
//! facility, filler order number, OBX-3, OBX-4), so a corrected result (OBX-11 `C`) or a
//! retraction (`W`, `D`) gets the id of the result it replaces and the record merge replaces
//! it. `meta.source` is `hl7v2:<MSH-10>`; the identifiers carry the message and OBX set id and
//! the result key; the performer names the sending facility.

use serde_json::{json, Map, Value};

use crate::message::{LabResult, OruMessage, ResultStatus, ResultValue};
use crate::units::ucum;

/// FHIR's Observation.interpretation code system (HL7 v3 ObservationInterpretation).
const INTERPRETATION: &str = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
/// The flags of HL7 v2 table 0078 that have the same code in v3 ObservationInterpretation.
const FLAGS: [&str; 22] = [
    "L", "H", "LL", "HH", "N", "A", "AA", "<", ">", "S", "R", "I", "U", "D", "B", "W", "MS", "VS", "POS", "NEG", "IND",
    "DET",
];
/// Identifier system of the message and OBX set id a result came in.
pub const OBX_IDENTIFIER_SYSTEM: &str = "urn:cardiotwin:hl7v2:obx";
/// Identifier system of the result key (facility, order, test, sub-id).
pub const RESULT_IDENTIFIER_SYSTEM: &str = "urn:cardiotwin:hl7v2:result";

/// The Observation id of a result key: `hl7-` and a 64-bit FNV-1a hash, stable across runs and
/// machines (a FHIR id allows 64 characters of `[A-Za-z0-9.-]`).
pub fn observation_id(result_key: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in result_key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("hl7-{hash:016x}")
}

/// The Observation of one result, about `Patient/<patient_id>`.
pub fn observation(message: &OruMessage, result: &LabResult, patient_id: &str) -> Value {
    let mut codings = vec![json!({"system": "http://loinc.org", "code": result.loinc.code})];
    if let Some(display) = &result.loinc.display {
        codings[0]["display"] = json!(display);
    }
    let (system, code, words) = &result.sent_code;
    if code != &result.loinc.code {
        let local_system = format!("urn:cardiotwin:hl7v2:code:{}", if system.is_empty() { "-" } else { system });
        codings.push(json!({"system": local_system, "code": code}));
    }
    let mut concept = json!({"coding": codings});
    if !words.is_empty() {
        concept["text"] = json!(words);
    }
    let mut o = Map::new();
    o.insert("resourceType".into(), json!("Observation"));
    o.insert("id".into(), json!(observation_id(&result.result_key)));
    o.insert("meta".into(), json!({"source": format!("hl7v2:{}", message.control_id)}));
    o.insert(
        "identifier".into(),
        json!([
            {"system": OBX_IDENTIFIER_SYSTEM, "value": format!("{}/OBX-{}", message.control_id, result.set_id)},
            {"system": RESULT_IDENTIFIER_SYSTEM, "value": result.result_key},
        ]),
    );
    o.insert("status".into(), json!(result.status.fhir()));
    o.insert(
        "category".into(),
        json!([{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "laboratory"
        }]}]),
    );
    o.insert("code".into(), concept);
    o.insert("subject".into(), json!({"reference": format!("Patient/{patient_id}")}));
    o.insert("effectiveDateTime".into(), json!(result.effective));
    if !message.sending_facility.is_empty() {
        o.insert("performer".into(), json!([{"display": message.sending_facility}]));
    }
    match &result.value {
        ResultValue::Number { value, comparator } => {
            let mut q = json!({"value": value});
            if let Some(c) = comparator {
                q["comparator"] = json!(c);
            }
            if let Some(unit) = &result.unit {
                q["unit"] = json!(unit);
                if let Some(code) = ucum(unit) {
                    q["system"] = json!("http://unitsofmeasure.org");
                    q["code"] = json!(code);
                }
            }
            o.insert("valueQuantity".into(), q);
        }
        ResultValue::Text(text) => {
            o.insert("valueString".into(), json!(text));
        }
        ResultValue::Coded { code, text } => {
            let mut c = json!({"coding": [{"code": code}]});
            if !text.is_empty() {
                c["text"] = json!(text);
            }
            o.insert("valueCodeableConcept".into(), c);
        }
    }
    if !result.abnormal_flags.is_empty() {
        let interpretations: Vec<Value> = result
            .abnormal_flags
            .iter()
            .map(|flag| match FLAGS.iter().find(|f| f.eq_ignore_ascii_case(flag)) {
                Some(code) => json!({"coding": [{"system": INTERPRETATION, "code": code}], "text": flag}),
                None => json!({"text": flag}),
            })
            .collect();
        o.insert("interpretation".into(), Value::Array(interpretations));
    }
    if let Some(range) = &result.reference_range {
        o.insert("referenceRange".into(), json!([{"text": range}]));
    }
    if !result.notes.is_empty() {
        let notes: Vec<Value> = result.notes.iter().map(|n| json!({"text": n})).collect();
        o.insert("note".into(), Value::Array(notes));
    }
    Value::Object(o)
}

/// The Observations of `results` (each with its message) for one patient, one per result key:
/// a later result replaces an earlier one, except that a final or preliminary result never
/// replaces a correction or a retraction received before it.
pub fn observations<'m>(
    results: impl IntoIterator<Item = (&'m OruMessage, &'m LabResult)>,
    patient_id: &str,
) -> Vec<Value> {
    let mut kept: Vec<(&OruMessage, &LabResult)> = Vec::new();
    for (message, result) in results {
        match kept.iter_mut().find(|(_, held)| held.result_key == result.result_key) {
            Some(slot) => {
                let held_is_amendment = matches!(slot.1.status, ResultStatus::Corrected | ResultStatus::EnteredInError);
                let new_is_amendment = matches!(result.status, ResultStatus::Corrected | ResultStatus::EnteredInError);
                if new_is_amendment || !held_is_amendment {
                    *slot = (message, result);
                }
            }
            None => kept.push((message, result)),
        }
    }
    kept.into_iter().map(|(m, r)| observation(m, r, patient_id)).collect()
}

/// Whether a FHIR Observation status amends an earlier result (a correction or a retraction).
fn is_amendment(status: Option<&str>) -> bool {
    matches!(status, Some("corrected" | "amended" | "entered-in-error"))
}

/// The ids of the Observations in a held FHIR Bundle (JSON) that amend an earlier result: an
/// original result sent again later must not undo them.
pub fn amended_ids(bundle: &Value) -> std::collections::HashSet<String> {
    let entries = bundle.get("entry").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    entries
        .iter()
        .filter_map(|e| e.get("resource"))
        .filter(|r| r.get("resourceType").and_then(Value::as_str) == Some("Observation"))
        .filter(|r| is_amendment(r.get("status").and_then(Value::as_str)))
        .filter_map(|r| r.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

/// Whether `observation` would put an original result over a correction the record holds (its
/// id is in `amended`, and it is not itself an amendment).
pub fn would_undo_a_correction(observation: &Value, amended: &std::collections::HashSet<String>) -> bool {
    let id = observation.get("id").and_then(Value::as_str).unwrap_or_default();
    amended.contains(id) && !is_amendment(observation.get("status").and_then(Value::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_original_sent_again_does_not_undo_a_held_correction() {
        let held = json!({"resourceType": "Bundle", "entry": [
            {"resource": {"resourceType": "Observation", "id": "hl7-a", "status": "corrected"}},
            {"resource": {"resourceType": "Observation", "id": "hl7-b", "status": "final"}}
        ]});
        let amended = amended_ids(&held);
        assert!(would_undo_a_correction(&json!({"id": "hl7-a", "status": "final"}), &amended));
        assert!(!would_undo_a_correction(&json!({"id": "hl7-a", "status": "corrected"}), &amended));
        assert!(!would_undo_a_correction(&json!({"id": "hl7-b", "status": "final"}), &amended));
    }

    #[test]
    fn ids_are_stable_fhir_ids() {
        let id = observation_id("LAB|F123|LN^13457-7|");
        assert_eq!(id, observation_id("LAB|F123|LN^13457-7|"));
        assert_ne!(id, observation_id("LAB|F124|LN^13457-7|"));
        assert!(id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }
}
