//! PDF notes: the text layer of real PDFs (made by fpdf2 with `fixtures/pdf/make_fixtures.py`;
//! synthetic, no real patient), each reason a PDF is not read, malformed files that must not
//! panic, and the facts from a PDF DocumentReference and DiagnosticReport fetched from a real FHIR
//! server (PyPI `sekmet-fhir`; `scripts/test` installs it, and by hand without it that test says
//! so and stops).

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use proptest::prelude::*;
use serde_json::{json, Value};
use twin_engine::record::{MeasurementKind, NyhaClass};
use twin_fhir::fetch::{Cancel, Credentials, FetchConfig, FhirClient};
use twin_fhir::notes::pdf::{self, Damage, PdfError};
use twin_fhir::notes::{NoteFact, NoteUse, TextSource};
use twin_fhir::{harmonise_resources, Harmonised};
use twin_test_support::servers::{http_status, server_binary, FhirServer};
use url::Url;

const PATIENT: &str = "pdf-notes-1";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

// ---- the PDF module ------------------------------------------------------------------------

#[test]
fn an_echo_report_gives_its_text_on_page_one() {
    let pdf = pdf::text_of(&fixture("echo-report.pdf")).expect("text layer");
    assert_eq!(pdf.pages.len(), 1);
    assert!(pdf.unreadable_pages.is_empty());
    let at = pdf.text.find("LVEF 35 % by Simpson's biplane.").expect("the LVEF line, as written");
    assert_eq!(pdf.page_at(at), 1);
    // List lines keep their breaks: the note reader ends a sentence at each.
    assert!(pdf.text.contains("biplane.\nAortic valve:"), "{:?}", pdf.text);
}

#[test]
fn a_two_page_letter_keeps_its_pages_and_rejoins_wrapped_sentences() {
    let pdf = pdf::text_of(&fixture("clinic-letter.pdf")).expect("text layer");
    assert_eq!(pdf.pages.len(), 2);
    // fpdf2 wrapped "…the ejection fraction / was estimated at 30 %…" across two lines.
    let lvef = pdf.text.find("was estimated at 30 %").expect("LVEF sentence");
    let sentence_start = pdf.text[..lvef].rfind('\n').map_or(0, |i| i + 1);
    assert!(pdf.text[sentence_start..lvef].starts_with("Her recent echocardiogram"), "{:?}", pdf.text);
    assert_eq!(pdf.page_at(lvef), 1);
    assert_eq!(pdf.page_at(pdf.text.find("NYHA III").expect("NYHA")), 2);
    // Joining only turns line breaks into spaces: every page range still lies on the text.
    assert!(pdf.pages.iter().all(|p| pdf.text.get(p.clone()).is_some()));
}

#[test]
fn each_reason_a_pdf_is_not_read_is_said_plainly() {
    let cases: [(&str, Vec<u8>, PdfError, &str); 6] = [
        ("scan", fixture("scan.pdf"), PdfError::NoTextLayer, "the PDF has no text layer (a scan?); it was not read"),
        (
            "truncated",
            fixture("truncated.pdf"),
            PdfError::Damaged(Damage::Truncated),
            "the PDF is damaged or cut short (the file ends early); it was not read",
        ),
        (
            "password",
            fixture("password.pdf"),
            PdfError::PasswordProtected,
            "the PDF is password-protected; it was not read",
        ),
        (
            "101 pages",
            fixture("many-pages.pdf"),
            PdfError::TooManyPages,
            "the PDF has more than 100 pages; it was not read",
        ),
        (
            "not a PDF",
            b"Dear Dr Example, LVEF 35 %.".to_vec(),
            PdfError::Damaged(Damage::NotAPdf),
            "the PDF is damaged or cut short (not a PDF file); it was not read",
        ),
        (
            "garbage between header and end",
            b"%PDF-1.7\n\x00\x01garbage\n%%EOF\n".to_vec(),
            PdfError::Damaged(Damage::Unparseable),
            "the PDF is damaged or cut short (its structure cannot be read); it was not read",
        ),
    ];
    for (what, bytes, expected, words) in cases {
        let error = pdf::text_of(&bytes).expect_err(what);
        assert_eq!(error, expected, "{what}");
        assert_eq!(error.to_string(), words, "{what}");
    }
}

#[test]
fn an_oversized_pdf_is_refused_before_it_is_parsed() {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(pdf::MAX_PDF_BYTES + 1, b' ');
    bytes.extend_from_slice(b"%%EOF\n");
    let error = pdf::text_of(&bytes).expect_err("too large");
    assert_eq!(error, PdfError::TooLarge { bytes: bytes.len() });
    assert!(error.to_string().contains("over the 16777216-byte limit"), "{error}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Damaged files (bytes overwritten, a piece cut out, end marker kept so the parser runs)
    /// give text or an error, never a panic.
    #[test]
    fn damaged_pdfs_never_panic(
        which in 0usize..3,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..24),
        cut in any::<prop::sample::Index>(),
        cut_len in 0usize..400,
    ) {
        let name = ["echo-report.pdf", "clinic-letter.pdf", "password.pdf"][which];
        let mut bytes = fixture(name);
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let start = cut.index(bytes.len());
        let end = (start + cut_len).min(bytes.len());
        bytes.drain(start..end);
        bytes.extend_from_slice(b"\n%%EOF\n");
        let _ = pdf::text_of(&bytes);
    }
}

// ---- PDF notes in the harmonised record ----------------------------------------------------

fn patient() -> Value {
    json!({ "resourceType": "Patient", "id": PATIENT, "gender": "female", "birthDate": "1955-03-01" })
}

fn pdf_letter(id: &str, title: &str, pdf: &[u8]) -> Value {
    json!({ "resourceType": "DocumentReference", "id": id, "status": "current",
            "subject": { "reference": format!("Patient/{PATIENT}") }, "date": "2026-11-20T10:00:00Z",
            "description": title,
            "content": [{ "attachment": { "contentType": "application/pdf", "data": base64(pdf) } }] })
}

fn echo_report_with_pdf() -> Value {
    json!({ "resourceType": "DiagnosticReport", "id": "echo-pdf", "status": "final",
            "subject": { "reference": format!("Patient/{PATIENT}") }, "effectiveDateTime": "2026-10-02",
            "code": { "text": "Echocardiogram" },
            "presentedForm": [{ "contentType": "application/pdf", "data": base64(&fixture("echo-report.pdf")) }] })
}

fn pdf_notes() -> Vec<Value> {
    vec![
        patient(),
        pdf_letter("letter-pdf", "Heart failure clinic letter", &fixture("clinic-letter.pdf")),
        pdf_letter("scan-pdf", "Scanned echo", &fixture("scan.pdf")),
        echo_report_with_pdf(),
    ]
}

/// The fact from `document` described as `text`.
fn fact<'a>(h: &'a Harmonised, document: &str, text: &str) -> &'a NoteFact {
    h.note_facts.iter().find(|f| f.document == document && f.description() == text).unwrap_or_else(|| {
        let seen: Vec<_> = h.note_facts.iter().map(|f| (f.document.as_str(), f.description())).collect();
        panic!("{document}: no {text:?} in {seen:?}")
    })
}

/// What a harmonised record must hold from [`pdf_notes`], wherever the resources came from.
fn assert_pdf_facts(h: &Harmonised) {
    let lvef = fact(h, "DiagnosticReport/echo-pdf", "LVEF 35 % (Simpson's biplane)");
    assert_eq!(lvef.from, TextSource::Pdf { page: 1 });
    assert_eq!(lvef.title, "Echocardiogram");
    assert_eq!(lvef.sentence, "LVEF 35 % by Simpson's biplane.");
    assert_eq!(&lvef.sentence[lvef.span_in_sentence.clone()], "LVEF 35 %");
    // The span points into the PDF's text as the module gives it.
    let text = pdf::text_of(&fixture("echo-report.pdf")).expect("text layer").text;
    assert_eq!(&text[lvef.found.sentence.clone()], lvef.sentence);
    assert!(lvef.found.confidence > 0.5);

    let nyha = fact(h, "DocumentReference/letter-pdf", "NYHA III");
    assert_eq!(nyha.from, TextSource::Pdf { page: 2 });
    assert_eq!(nyha.title, "Heart failure clinic letter");
    assert!(nyha.sentence.starts_with("Assessment: she is limited"), "{:?}", nyha.sentence);
    let letter_text = pdf::text_of(&fixture("clinic-letter.pdf")).expect("text layer").text;
    assert_eq!(&letter_text[nyha.found.span.clone()], &nyha.sentence[nyha.span_in_sentence.clone()]);
    assert_eq!(nyha.used, NoteUse::Recorded);
    // The LVEF in the letter, wrapped over two lines by the producer, is read whole.
    let letter_lvef = fact(h, "DocumentReference/letter-pdf", "LVEF about 30 % (Simpson's biplane)");
    assert_eq!(letter_lvef.from, TextSource::Pdf { page: 1 });
    assert!(letter_lvef.sentence.starts_with("Her recent echocardiogram"), "{:?}", letter_lvef.sentence);
    let mother = fact(h, "DocumentReference/letter-pdf", "severe aortic stenosis (someone else)");
    assert_eq!(mother.used, NoteUse::NotAffirmed);

    // The newer note's LVEF (the letter, 20 Nov) and the echo's both reach the record: no
    // structured LVEF exists.
    let mut lvefs: Vec<f64> = h.record.series(MeasurementKind::Lvef).iter().map(|s| s.value).collect();
    lvefs.sort_by(f64::total_cmp);
    assert_eq!(lvefs, vec![30.0, 35.0]);
    assert_eq!(h.record.functional_class.iter().map(|(_, c, _)| *c).collect::<Vec<_>>(), vec![NyhaClass::Iii]);

    let scan: Vec<_> = h.problems.iter().filter(|p| p.resource == "DocumentReference/scan-pdf").collect();
    assert_eq!(scan.len(), 1, "{:?}", h.problems);
    assert_eq!(scan[0].reason, "the PDF has no text layer (a scan?); it was not read");
    assert!(h.note_facts.iter().all(|f| f.document != "DocumentReference/scan-pdf"));
}

#[test]
fn facts_from_pdf_notes_carry_their_page_sentence_and_span() {
    let h = harmonise_resources(pdf_notes()).expect("resources");
    assert_pdf_facts(&h);
    assert_eq!(h.problems.len(), 1, "{:?}", h.problems);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pdf_notes_fetched_from_a_fhir_server_give_their_facts() {
    let Some(binary) = server_binary("CARDIOTWIN_SEKMET", "FHIR server tests not run (scripts/test runs them)") else {
        return;
    };
    let server = FhirServer::start(&binary, &[]);
    let h = load_and_fetch(&server, pdf_notes()).await;
    assert_pdf_facts(&h);
}

/// Loads `resources` into `server` (one transaction, PUT by type and id), fetches the patient's
/// record as the workstation does, and harmonises it; the fetch must be complete.
async fn load_and_fetch(server: &FhirServer, resources: Vec<Value>) -> Harmonised {
    let entries: Vec<Value> = resources
        .into_iter()
        .map(|r| {
            let url =
                format!("{}/{}", r["resourceType"].as_str().unwrap_or_default(), r["id"].as_str().unwrap_or_default());
            json!({ "resource": r, "request": { "method": "PUT", "url": url } })
        })
        .collect();
    let bundle = json!({ "resourceType": "Bundle", "type": "transaction", "entry": entries });
    let status = http_status(
        "POST",
        &server.base,
        Some("application/fhir+json"),
        bundle.to_string().as_bytes(),
        Duration::from_secs(60),
    )
    .expect("load the notes");
    assert!((200..300).contains(&status), "HTTP {status}");
    let client = Arc::new(
        FhirClient::new(Url::parse(&server.base).expect("base"), Credentials::None, FetchConfig::default())
            .expect("client"),
    );
    let fetched = client.fetch_patient(PATIENT, &Cancel::default(), Arc::new(|_| {})).await;
    // A linked note's attachment is not a search: reading it never makes the record incomplete.
    assert!(fetched.missing.is_empty(), "{:?}", fetched.missing);
    harmonise_resources(fetched.resources).expect("resources")
}

/// Moves `resource`'s attachment at `pointer` into a Binary `binary_id`, leaving `url` behind.
fn linked(mut resource: Value, pointer: &str, binary_id: &str, url: &str) -> (Value, Value) {
    let attachment = resource.pointer_mut(pointer).and_then(Value::as_object_mut).expect("an attachment");
    let data = attachment.remove("data").expect("inline data");
    attachment.insert("url".into(), json!(url));
    let binary = json!({ "resourceType": "Binary", "id": binary_id, "contentType": "application/pdf", "data": data });
    (resource, binary)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pdf_notes_linked_to_a_binary_on_the_server_are_read_and_other_servers_are_not_followed() {
    let Some(binary) = server_binary("CARDIOTWIN_SEKMET", "FHIR server tests not run (scripts/test runs them)") else {
        return;
    };
    let server = FhirServer::start(&binary, &[]);
    // The letter names its Binary by absolute URL on this server, the echo report relatively;
    // a third note lives on another server, whose address gets no request and no token.
    let letter = pdf_letter("letter-pdf", "Heart failure clinic letter", &fixture("clinic-letter.pdf"));
    let (letter, letter_bin) =
        linked(letter, "/content/0/attachment", "letter-bin", &format!("{}/Binary/letter-bin", server.base));
    let (echo, echo_bin) = linked(echo_report_with_pdf(), "/presentedForm/0", "echo-bin", "Binary/echo-bin");
    let elsewhere = pdf_letter("elsewhere-pdf", "Outside letter", &fixture("echo-report.pdf"));
    let (elsewhere, _) =
        linked(elsewhere, "/content/0/attachment", "unused", "https://other.example/fhir/Binary/elsewhere");
    let scan = pdf_letter("scan-pdf", "Scanned echo", &fixture("scan.pdf"));
    let h = load_and_fetch(&server, vec![patient(), letter, letter_bin, echo, echo_bin, elsewhere, scan]).await;
    // The same facts as the inline notes give: page, sentence, span and what reaches the record.
    assert_pdf_facts(&h);
    let outside: Vec<_> = h.problems.iter().filter(|p| p.resource == "DocumentReference/elsewhere-pdf").collect();
    assert_eq!(outside.len(), 1, "{:?}", h.problems);
    assert!(outside[0].reason.contains("referenced by URL only"), "{}", outside[0].reason);
    assert!(!outside[0].reason.contains("other.example"), "no address in the words: {}", outside[0].reason);
}
