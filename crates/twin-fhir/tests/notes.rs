//! Clinical notes → facts in the harmonised record: DocumentReference and DiagnosticReport
//! text, structured data winning over text, and notes we cannot or should not read.

use base64::Engine as _;
use serde_json::{json, Value};
use twin_engine::record::{MeasurementKind, NyhaClass, SmokingStatus};
use twin_fhir::notes::NoteUse;
use twin_fhir::{harmonise_bundle, Harmonised};

fn patient() -> Value {
    json!({ "resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1958-05-01" })
}

fn harmonise(resources: Vec<Value>) -> Harmonised {
    let entries: Vec<Value> = std::iter::once(patient()).chain(resources).map(|r| json!({ "resource": r })).collect();
    harmonise_bundle(json!({ "resourceType": "Bundle", "type": "collection", "entry": entries })).expect("bundle")
}

fn base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text.as_bytes())
}

fn letter(id: &str, content_type: &str, text: &str) -> Value {
    json!({ "resourceType": "DocumentReference", "id": id, "status": "current",
            "subject": { "reference": "Patient/p1" }, "date": "2026-11-20T10:00:00Z",
            "type": { "text": "Clinic letter" },
            "content": [{ "attachment": { "contentType": content_type, "data": base64(text) } }] })
}

fn lvef_observation(value: f64) -> Value {
    json!({ "resourceType": "Observation", "id": "ef-1", "status": "final",
            "code": { "coding": [{ "system": "http://loinc.org", "code": "10230-1" }] },
            "subject": { "reference": "Patient/p1" }, "effectiveDateTime": "2026-10-01",
            "valueQuantity": { "value": value, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%" } })
}

const LETTER: &str = "Echo: LVEF 35-40% by Simpson's biplane. NYHA II-III. Ex-smoker.\n\
    No chest pain. Father had severe aortic stenosis. Stopped atorvastatin due to myalgia.";

#[test]
fn a_letter_fills_what_the_structured_record_lacks() {
    let h = harmonise(vec![letter("doc-1", "text/plain; charset=utf-8", LETTER)]);
    assert!(h.problems.is_empty(), "{:?}", h.problems);
    let lvef = h.record.series(MeasurementKind::Lvef);
    assert_eq!(lvef.len(), 1);
    assert!((lvef[0].value - 37.5).abs() < 1e-9, "a range is recorded at its middle");
    assert_eq!(lvef[0].source.resource, "DocumentReference/doc-1");
    assert_eq!(h.record.functional_class.iter().map(|(_, c, _)| *c).collect::<Vec<_>>(), vec![NyhaClass::Iii]);
    assert_eq!(h.record.smoking.iter().map(|(_, s, _)| *s).collect::<Vec<_>>(), vec![SmokingStatus::Former]);
    assert!(
        h.record.allergies.iter().any(|a| a.display == "atorvastatin" && a.class.is_some()),
        "{:?}",
        h.record.allergies
    );

    let chest_pain = h.note_facts.iter().find(|f| f.sentence == "No chest pain.").expect("negated symptom kept");
    assert_eq!(chest_pain.used, NoteUse::NotAffirmed);
    assert_eq!(&chest_pain.sentence[chest_pain.span_in_sentence.clone()], "chest pain");
    let father = h.note_facts.iter().find(|f| f.sentence.starts_with("Father")).expect("other experiencer kept");
    assert_eq!(father.used, NoteUse::NotAffirmed);
    assert!(h.note_facts.iter().all(|f| f.document == "DocumentReference/doc-1" && f.title == "Clinic letter"));
}

#[test]
fn structured_data_wins_over_text() {
    let h = harmonise(vec![lvef_observation(30.0), letter("doc-1", "text/plain", "EF 55%.")]);
    let values: Vec<f64> = h.record.series(MeasurementKind::Lvef).iter().map(|s| s.value).collect();
    assert_eq!(values, vec![30.0]);
    assert_eq!(h.note_facts.len(), 1);
    assert_eq!(h.note_facts[0].used, NoteUse::StructuredWins);
}

#[test]
fn a_diagnostic_report_text_is_read() {
    let report = json!({ "resourceType": "DiagnosticReport", "id": "echo-9", "status": "final",
        "subject": { "reference": "Patient/p1" }, "effectiveDateTime": "2026-11-02",
        "code": { "text": "Echocardiogram" },
        "conclusion": "Severe AS. Moderately impaired LV systolic function.",
        "presentedForm": [{ "contentType": "text/plain", "data": base64("LVEF 32% (visual).") }] });
    let h = harmonise(vec![report]);
    let described: Vec<String> =
        h.note_facts.iter().map(|f| twin_notes::describe(&f.found.fact, &f.found.context)).collect();
    assert!(described.contains(&"severe aortic stenosis".to_string()), "{described:?}");
    assert!(described.contains(&"LVEF 32 % (visual estimate)".to_string()), "{described:?}");
    assert_eq!(h.record.series(MeasurementKind::Lvef).iter().map(|s| s.value).collect::<Vec<_>>(), vec![32.0]);
}

#[test]
fn unreadable_and_foreign_notes_give_problems_or_nothing_never_guesses() {
    let mut pdf = letter("doc-pdf", "application/pdf", "%PDF-1.7");
    pdf["content"][0]["attachment"]["data"] = json!("JVBERi0xLjc=");
    let mut bad = letter("doc-bad", "text/plain", "");
    bad["content"][0]["attachment"]["data"] = json!("not base64!!");
    let mut latin1 = letter("doc-latin1", "text/plain", "");
    latin1["content"][0]["attachment"]["data"] =
        json!(base64::engine::general_purpose::STANDARD.encode([0x45, 0x46, 0xe9, 0xff]));
    let german = letter("doc-de", "text/plain", "Der Patient hat keine Synkope, aber Dyspnoe bei Belastung.");
    let mut other_patient = letter("doc-other", "text/plain", "EF 20%.");
    other_patient["subject"] = json!({ "reference": "Patient/someone-else" });
    let h = harmonise(vec![pdf, bad, latin1, german, other_patient]);
    assert!(h.note_facts.is_empty(), "{:?}", h.note_facts);
    assert!(h.record.series(MeasurementKind::Lvef).is_empty());
    let problems: Vec<(&str, &str)> = h.problems.iter().map(|p| (p.resource.as_str(), p.reason.as_str())).collect();
    for (resource, words) in [
        ("DocumentReference/doc-pdf", "PDF"),
        ("DocumentReference/doc-bad", "base64"),
        ("DocumentReference/doc-latin1", "UTF-8"),
        ("DocumentReference/doc-other", "another patient"),
    ] {
        assert!(problems.iter().any(|(r, why)| *r == resource && why.contains(words)), "{resource}: {problems:?}");
    }
    // Problems name the resource and the reason, never the note's words.
    assert!(h.problems.iter().all(|p| !p.reason.contains("Dyspnoe") && !p.reason.contains("EF 20")));
}
