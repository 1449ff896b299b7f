//! Writing the clinician summary back to the EHR: the summary as a FHIR R4 DocumentReference
//! (a consult note, its text as a base64 attachment) and the decision as a Provenance that
//! targets it, naming the clinician as agent and the decision-log entry as its source entity.
//! Both travel in one transaction Bundle, so the EHR holds both or neither; a server that does
//! not take transactions (HTTP 404, 405 or 501 on the base) gets the two resources one after
//! the other, the Provenance pointing at the DocumentReference the server created.
//!
//! A POST is not retried (a second try could file the note twice); a 401 refreshes the SMART
//! token once and tries again, as a read does.
//!
//! # References
//! - HL7 FHIR R4 DocumentReference, Provenance, and Bundle transactions (`http.html#transaction`).
//! - LOINC 11488-4 "Consult note" (the document type US Core's clinical-notes guidance lists for
//!   a consultation).

use base64::Engine as _;
use serde_json::{json, Value};

use crate::fetch::{connection_reason, FetchError, FhirClient};

/// LOINC's code for a consult note (the DocumentReference's type).
pub const CONSULT_NOTE_LOINC: &str = "11488-4";
/// The identifier system of CardioTwin's decision-log entries (a Provenance entity's identifier).
pub const DECISION_LOG_SYSTEM: &str = "urn:cardiotwin:decision-log";

/// The note and the decision it records, as written back.
#[derive(Debug, Clone)]
pub struct ConsultNote {
    /// The patient's id on that server (`Patient/<id>`).
    pub patient_id: String,
    /// The clinician who decided, by name.
    pub author: String,
    /// When the note was written (an instant, RFC 3339).
    pub date: String,
    /// The note's title.
    pub title: String,
    /// The summary, plain text (UTF-8).
    pub text: String,
    /// The decision-log entry's sequence number.
    pub decision_seq: u64,
    /// The decision-log entry's hash (the chain's link for that entry).
    pub decision_hash: String,
    /// The decision in one line ("Accepted: …").
    pub decision: String,
}

/// What the server made: the two resources' references (`DocumentReference/<id>`, `Provenance/<id>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenBack {
    /// The DocumentReference's reference.
    pub document_reference: String,
    /// The Provenance's reference.
    pub provenance: String,
}

const DOCUMENT_URN: &str = "urn:uuid:6a1c2f4e-2b7d-4c4e-9a51-0c7f3d2e8b10";

/// The DocumentReference of `note` (R4; current, final, a consult note, its text base64 encoded).
pub fn document_reference(note: &ConsultNote) -> Value {
    json!({
        "resourceType": "DocumentReference",
        "status": "current",
        "docStatus": "final",
        "type": { "coding": [{ "system": "http://loinc.org", "code": CONSULT_NOTE_LOINC, "display": "Consult note" }],
                  "text": "Consult note" },
        "category": [{ "coding": [{
            "system": "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
            "code": "clinical-note", "display": "Clinical Note" }] }],
        "subject": { "reference": format!("Patient/{}", note.patient_id) },
        "date": note.date,
        "author": [{ "display": note.author }],
        "description": note.title,
        "content": [{ "attachment": {
            "contentType": "text/plain; charset=utf-8",
            "language": "en",
            "title": note.title,
            "creation": note.date,
            "data": base64::engine::general_purpose::STANDARD.encode(note.text.as_bytes()),
        } }],
    })
}

/// The Provenance of `note`'s decision, targeting `target` (a reference or a bundle's `urn:uuid`).
pub fn provenance(note: &ConsultNote, target: &str) -> Value {
    json!({
        "resourceType": "Provenance",
        "target": [{ "reference": target }],
        "recorded": note.date,
        "activity": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-DataOperation",
                                   "code": "CREATE", "display": "create" }] },
        "reason": [{ "text": note.decision }],
        "agent": [{
            "type": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                                   "code": "author", "display": "Author" }] },
            "who": { "display": note.author },
        }],
        "entity": [{
            "role": "source",
            "what": {
                "identifier": { "system": DECISION_LOG_SYSTEM,
                                "value": format!("{}:{}", note.decision_seq, note.decision_hash) },
                "display": format!("CardioTwin decision log entry {}", note.decision_seq),
            },
        }],
    })
}

/// The transaction Bundle holding both: the Provenance targets the DocumentReference's `urn:uuid`,
/// which the server replaces with the id it assigns.
pub fn transaction(note: &ConsultNote) -> Value {
    json!({
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            { "fullUrl": DOCUMENT_URN, "resource": document_reference(note),
              "request": { "method": "POST", "url": "DocumentReference" } },
            { "resource": provenance(note, DOCUMENT_URN), "request": { "method": "POST", "url": "Provenance" } },
        ],
    })
}

/// Writes `note` to the client's server: one transaction, or two POSTs where transactions are not
/// taken.
///
/// # Errors
/// A [`FetchError`] in plain words: [`FetchError::Unauthorised`] (401 after a refresh: sign in
/// again; 403: the sign-in's scopes do not allow writing), [`FetchError::Unreachable`] (network
/// down), [`FetchError::Refused`] (the server rejected the resources), [`FetchError::Malformed`]
/// (a reply without the created resources' locations).
pub async fn write_back(client: &FhirClient, note: &ConsultNote) -> Result<WrittenBack, FetchError> {
    match post(client, "", &transaction(note)).await {
        Ok(reply) => {
            let locations = transaction_locations(&reply)?;
            match locations.as_slice() {
                [document, provenance] => {
                    Ok(WrittenBack { document_reference: document.clone(), provenance: provenance.clone() })
                }
                _ => Err(FetchError::Malformed { reason: "the transaction reply does not list both resources".into() }),
            }
        }
        Err(FetchError::Refused { status: 404 | 405 | 501 }) => {
            let document = location_of(&post(client, "DocumentReference", &document_reference(note)).await?)?;
            let provenance = location_of(&post(client, "Provenance", &provenance(note, &document)).await?)?;
            Ok(WrittenBack { document_reference: document, provenance })
        }
        Err(e) => Err(e),
    }
}

/// `Type/id` from a location (`…/Type/id/_history/v`, absolute or relative).
fn reference_of(location: &str) -> Option<String> {
    let path = location.split("/_history").next()?;
    let mut parts = path.trim_end_matches('/').rsplit('/');
    let id = parts.next().filter(|s| !s.is_empty())?;
    let kind = parts.next().filter(|s| !s.is_empty())?;
    Some(format!("{kind}/{id}"))
}

fn transaction_locations(reply: &Value) -> Result<Vec<String>, FetchError> {
    let entries = reply
        .get("entry")
        .and_then(Value::as_array)
        .ok_or_else(|| FetchError::Malformed { reason: "the transaction reply has no entries".into() })?;
    entries
        .iter()
        .map(|e| {
            e.pointer("/response/location")
                .and_then(Value::as_str)
                .and_then(reference_of)
                .or_else(|| {
                    let r = e.get("resource")?;
                    Some(format!("{}/{}", r.get("resourceType")?.as_str()?, r.get("id")?.as_str()?))
                })
                .ok_or_else(|| FetchError::Malformed { reason: "a transaction entry has no location".into() })
        })
        .collect()
}

fn location_of(reply: &Value) -> Result<String, FetchError> {
    match (reply.get("resourceType").and_then(Value::as_str), reply.get("id").and_then(Value::as_str)) {
        (Some(kind), Some(id)) => Ok(format!("{kind}/{id}")),
        _ => Err(FetchError::Malformed { reason: "the server did not return the created resource".into() }),
    }
}

/// POSTs `body` to `base/relative`, refreshing the SMART token once on 401; never retried
/// otherwise.
async fn post(client: &FhirClient, relative: &str, body: &Value) -> Result<Value, FetchError> {
    let url = if relative.is_empty() { client.base().as_str().to_string() } else { client.url_for(relative) };
    let mut refreshed = false;
    loop {
        let token = client.bearer().await;
        let mut request = client
            .http
            .post(&url)
            .header("content-type", "application/fhir+json")
            .header("accept", "application/fhir+json")
            .header("prefer", "return=representation")
            .json(body);
        if let Some(token) = &token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(|e| {
            if e.is_timeout() {
                FetchError::Timeout { seconds: 20 }
            } else {
                FetchError::Unreachable { base: client.base().to_string(), reason: connection_reason(&e) }
            }
        })?;
        let status = response.status().as_u16();
        match status {
            200..=299 => {
                let bytes =
                    response.bytes().await.map_err(|e| FetchError::Malformed { reason: connection_reason(&e) })?;
                return serde_json::from_slice(&bytes)
                    .map_err(|e| FetchError::Malformed { reason: format!("invalid JSON at line {}", e.line()) });
            }
            401 if !refreshed && client.refresh_tokens(token.as_deref()).await? => refreshed = true,
            401 | 403 => return Err(FetchError::Unauthorised { status }),
            500..=599 => return Err(FetchError::Server { status, attempts: 1 }),
            _ => return Err(FetchError::Refused { status }),
        }
    }
}

/// What a failed write-back means for the clinician, in plain words: what happened and what to do.
pub fn plain_reason(e: &FetchError) -> String {
    match e {
        FetchError::Unauthorised { status: 403 } => {
            "the EHR did not allow this sign-in to write notes (HTTP 403): sign in with write access \
             (a scope such as patient/DocumentReference.c) and try again"
                .into()
        }
        FetchError::Unauthorised { .. } | FetchError::Auth(_) => {
            "the EHR sign-in has expired (HTTP 401): sign in again in Settings, then try again".into()
        }
        FetchError::Unreachable { .. } | FetchError::Timeout { .. } => {
            format!("{e}: the note was not sent; try again when the EHR can be reached")
        }
        other => format!("{other}: the note was not filed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note() -> ConsultNote {
        ConsultNote {
            patient_id: "p1".into(),
            author: "Dr A".into(),
            date: "2026-12-01T10:00:00Z".into(),
            title: "Cardiology consultation summary".into(),
            text: "Decision: accepted. BP 168/105 mmHg.".into(),
            decision_seq: 3,
            decision_hash: "abc".into(),
            decision: "Accepted: start amlodipine".into(),
        }
    }

    #[test]
    fn the_bundle_links_the_provenance_to_the_note_and_the_log_entry() {
        let b = transaction(&note());
        assert_eq!(b["entry"][0]["resource"]["type"]["coding"][0]["code"], CONSULT_NOTE_LOINC);
        assert_eq!(b["entry"][1]["resource"]["target"][0]["reference"], b["entry"][0]["fullUrl"]);
        assert_eq!(b["entry"][1]["resource"]["entity"][0]["what"]["identifier"]["value"], "3:abc");
        let data = b["entry"][0]["resource"]["content"][0]["attachment"]["data"].as_str().unwrap();
        let text = base64::engine::general_purpose::STANDARD.decode(data).unwrap();
        assert_eq!(text, note().text.as_bytes());
    }

    #[test]
    fn locations_become_references() {
        assert_eq!(reference_of("DocumentReference/12/_history/1").as_deref(), Some("DocumentReference/12"));
        assert_eq!(reference_of("http://h/fhir/Provenance/9").as_deref(), Some("Provenance/9"));
        assert_eq!(reference_of("x"), None);
    }

    #[test]
    fn failures_say_what_to_do() {
        assert!(plain_reason(&FetchError::Unauthorised { status: 401 }).contains("sign in again"));
        assert!(plain_reason(&FetchError::Unauthorised { status: 403 }).contains("write access"));
        let down = FetchError::Unreachable { base: "http://127.0.0.1:1/fhir".into(), reason: "refused".into() };
        assert!(plain_reason(&down).contains("not sent"));
    }
}
