//! Clinical notes → facts: the plain text of DocumentReference attachments and DiagnosticReport
//! `presentedForm` / `conclusion`, and the text layer of PDF attachments ([`pdf`]), read by
//! `twin-notes`, and the affirmed facts added to the record where structured data has none of
//! that kind.
//!
//! Structured data wins: an LVEF, NYHA class or smoking status from a note is used only when no
//! Observation gave one (a letter usually repeats the echo that is already in the record, at a
//! later date, which would make an old value look new); an intolerance only when no
//! AllergyIntolerance names the same class. Everything else a note says (symptoms, valves, LVH,
//! home BP, negated, past, hypothetical and other people's facts) is kept for the twin panel and
//! does not enter the record. Note text is PHI: it lives only in [`NoteFact`], never in problems.

use std::ops::Range;

use base64::Engine as _;
use serde_json::Value;
use time::Date;

use twin_engine::formulary;
use twin_engine::record::{self, MeasurementKind, NyhaClass, PatientRecord, Sample, SmokingStatus, Source};
use twin_notes::Reaction;
/// The note reader's types, for the layers above (they need not depend on twin-notes).
pub use twin_notes::{Context, Experiencer, Fact, Found};

pub mod pdf;

/// The largest attachment we read, bytes: a long discharge summary is about 50 kB of text.
const MAX_NOTE_BYTES: usize = 1024 * 1024;

/// What a fact's text was read from, so the panel can say "PDF page 2".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSource {
    /// Plain text: a `text/plain` attachment or a report's `conclusion`.
    Text,
    /// The text layer of a PDF attachment; the sentence starts on this page (1-based).
    Pdf {
        /// The page.
        page: u32,
    },
}

/// What became of a fact read from a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteUse {
    /// Added to the record (no structured value of its kind).
    Recorded,
    /// The record already has structured data of this kind, which wins.
    StructuredWins,
    /// Negated, past, hypothetical or about someone else: shown, never recorded.
    NotAffirmed,
    /// Affirmed, but the record has no place for it (symptoms, valves, LVH, home BP, bands and
    /// bounds of LVEF), or the note has no date: shown only.
    ShownOnly,
}

/// One fact from one note.
#[derive(Debug, Clone)]
pub struct NoteFact {
    /// The resource the note came from, `DocumentReference/<id>` or `DiagnosticReport/<id>`.
    pub document: String,
    /// The note's title as the source names it (its description, type, or attachment title),
    /// or "Note".
    pub title: String,
    /// The note's date, when it has one.
    pub date: Option<Date>,
    /// What the text was read from: plain text, or a PDF's text layer and page.
    pub from: TextSource,
    /// The fact, its context, confidence, and byte ranges into the note's text (for a PDF, the
    /// text [`pdf::text_of`] gives).
    pub found: Found,
    /// The sentence that states it (PHI: kept in memory and in sealed files only).
    pub sentence: String,
    /// The fact's words within [`NoteFact::sentence`], bytes.
    pub span_in_sentence: Range<usize>,
    /// Whether it reached the record.
    pub used: NoteUse,
}

impl NoteFact {
    /// The fact in plain words with its context ("no chest pain", "LVEF 35–40 % (Simpson's
    /// biplane)").
    pub fn description(&self) -> String {
        twin_notes::describe(&self.found.fact, &self.found.context)
    }
}

/// Whether a DocumentReference or DiagnosticReport (as JSON) carries text we could read.
pub(crate) fn has_text(resource: &Value) -> bool {
    resource.get("conclusion").and_then(Value::as_str).is_some() || !attachments(resource).is_empty()
}

fn attachments(resource: &Value) -> Vec<&Value> {
    let from_content =
        resource.get("content").and_then(Value::as_array).into_iter().flatten().filter_map(|c| c.get("attachment"));
    let presented = resource.get("presentedForm").and_then(Value::as_array).into_iter().flatten();
    from_content.chain(presented).collect()
}

/// The facts in a note resource, and the problems met (no PHI: reasons only).
pub(crate) fn read_resource(document: &str, resource: &Value) -> (Vec<NoteFact>, Vec<String>) {
    let mut facts = Vec::new();
    let mut problems = Vec::new();
    if matches!(resource.get("status").and_then(Value::as_str), Some("entered-in-error" | "cancelled" | "superseded")) {
        return (facts, problems);
    }
    let date = ["date", "effectiveDateTime", "issued"]
        .iter()
        .find_map(|f| resource.get(f).and_then(Value::as_str))
        .and_then(date_prefix);
    let title = title_of(resource);
    let mut texts = Vec::new();
    if let Some(conclusion) = resource.get("conclusion").and_then(Value::as_str) {
        texts.push(NoteText::Plain(conclusion.to_string()));
    }
    for attachment in attachments(resource) {
        match attachment_text(attachment) {
            Ok(Some(text)) => texts.push(text),
            Ok(None) => {}
            Err(reason) => problems.push(reason),
        }
    }
    for text in &texts {
        if let NoteText::Pdf(pdf) = text {
            problems.extend(
                pdf.unreadable_pages.iter().map(|page| {
                    format!("page {page} of a PDF attachment could not be read; the other pages were read")
                }),
            );
        }
    }
    for note in texts {
        let text = note.text();
        for found in twin_notes::extract(text) {
            let from = match &note {
                NoteText::Plain(_) => TextSource::Text,
                NoteText::Pdf(pdf) => TextSource::Pdf { page: pdf.page_at(found.sentence.start) },
            };
            let sentence = text[found.sentence.clone()].to_string();
            let span_in_sentence = found.span.start - found.sentence.start..found.span.end - found.sentence.start;
            let used = if found.context.is_affirmed_patient() { NoteUse::ShownOnly } else { NoteUse::NotAffirmed };
            facts.push(NoteFact {
                document: document.to_string(),
                title: title.clone(),
                date,
                from,
                found,
                sentence,
                span_in_sentence,
                used,
            });
        }
    }
    (facts, problems)
}

/// A note's text as read: plain, or a PDF's text layer with its pages.
enum NoteText {
    Plain(String),
    Pdf(pdf::PdfText),
}

impl NoteText {
    fn text(&self) -> &str {
        match self {
            NoteText::Plain(text) => text,
            NoteText::Pdf(pdf) => &pdf.text,
        }
    }
}

/// Whether an attachment is a kind the note reader reads, by its `contentType`: `Some(true)` for
/// `application/pdf`, `Some(false)` for `text/plain`, `None` for every other kind (HTML, images).
/// The fetcher asks the same before it reads a linked note ([`crate::attachments`]).
pub(crate) fn is_pdf_note(attachment: &Value) -> Option<bool> {
    let content_type = attachment.get("contentType").and_then(Value::as_str).unwrap_or("");
    match content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase().as_str() {
        "text/plain" => Some(false),
        "application/pdf" => Some(true),
        _ => None,
    }
}

/// The text of a `text/plain` or text-layer `application/pdf` attachment carried inline;
/// `Ok(None)` for other kinds we do not read quietly (HTML, images), an error for the ones a
/// clinician would expect us to read.
fn attachment_text(attachment: &Value) -> Result<Option<NoteText>, String> {
    let Some(is_pdf) = is_pdf_note(attachment) else { return Ok(None) };
    let (kind, limit) = if is_pdf { ("PDF", pdf::MAX_PDF_BYTES) } else { ("plain-text", MAX_NOTE_BYTES) };
    let Some(data) = attachment.get("data").and_then(Value::as_str) else {
        return Err(format!(
            "a {kind} note is referenced by URL only and was not fetched (a Binary on the same FHIR server is read when it can be; other addresses are not followed)"
        ));
    };
    // Base64 carries 3 bytes in 4 characters: refuse an oversized one before decoding it.
    let estimate = data.trim().len() / 4 * 3;
    if estimate > limit + 3 {
        return Err(format!("a {kind} note attachment of about {estimate} bytes is over the {limit}-byte limit"));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|_| format!("a {kind} note attachment is not valid base64"))?;
    if bytes.len() > limit {
        return Err(format!("a {kind} note attachment of {} bytes is over the {limit}-byte limit", bytes.len()));
    }
    if is_pdf {
        return pdf::text_of(&bytes).map(|text| Some(NoteText::Pdf(text))).map_err(|e| e.to_string());
    }
    String::from_utf8(bytes)
        .map(|text| Some(NoteText::Plain(text)))
        .map_err(|_| "a note attachment is not UTF-8 text".to_string())
}

/// What a clinician would call the note: its description, its type's text or display (a
/// DiagnosticReport's code), or its first attachment's title.
fn title_of(resource: &Value) -> String {
    resource
        .get("description")
        .and_then(Value::as_str)
        .or_else(|| concept_text(resource.get("type")))
        .or_else(|| concept_text(resource.get("code")))
        .or_else(|| attachments(resource).into_iter().find_map(|a| a.get("title").and_then(Value::as_str)))
        .map_or_else(|| "Note".to_string(), str::to_owned)
}

/// A CodeableConcept's text, or its first coding's display.
fn concept_text(concept: Option<&Value>) -> Option<&str> {
    let concept = concept?;
    concept.get("text").and_then(Value::as_str).or_else(|| concept.pointer("/coding/0/display").and_then(Value::as_str))
}

/// `YYYY-MM-DD` at the start of a FHIR date or instant.
fn date_prefix(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.get(..10)?, &format).ok()
}

/// Adds the affirmed facts to `record` where structured data has none of their kind, and marks
/// each fact with what became of it. Runs after every structured resource has been read.
pub(crate) fn apply(facts: &mut [NoteFact], record: &mut PatientRecord) {
    let structured_lvef = !record.series(MeasurementKind::Lvef).is_empty();
    let structured_nyha = !record.functional_class.is_empty();
    let structured_smoking = !record.smoking.is_empty();
    let structured_classes: Vec<_> = record.allergies.iter().filter_map(|a| a.class).collect();
    for fact in facts.iter_mut().filter(|f| f.used == NoteUse::ShownOnly) {
        let source = Source { resource: fact.document.clone() };
        fact.used = match (&fact.found.fact, fact.date) {
            (Fact::Lvef { value, .. }, Some(date)) => match value.point_estimate() {
                Some(_) if structured_lvef => NoteUse::StructuredWins,
                Some(value) => {
                    record.push_sample(MeasurementKind::Lvef, Sample { date, value, source });
                    NoteUse::Recorded
                }
                None => NoteUse::ShownOnly,
            },
            (Fact::Nyha { .. }, Some(_)) if structured_nyha => NoteUse::StructuredWins,
            // A range ("II–III") is recorded as its upper class: the note says at least that
            // much limitation is sometimes present.
            (Fact::Nyha { to, .. }, Some(date)) => {
                record.functional_class.push((date, nyha(*to), source));
                NoteUse::Recorded
            }
            (Fact::Smoking(_), Some(_)) if structured_smoking => NoteUse::StructuredWins,
            (Fact::Smoking(status), Some(date)) => {
                record.smoking.push((date, smoking(*status), source));
                NoteUse::Recorded
            }
            (Fact::Intolerance { agent, reaction }, _) => {
                let display = agent.replace('_', " ");
                let class = formulary::class_in_text(&display);
                if class.is_some_and(|c| structured_classes.contains(&c)) {
                    NoteUse::StructuredWins
                } else {
                    let angioedema = *reaction == Reaction::Angioedema;
                    record.allergies.push(record::Allergy { class, display, angioedema, source });
                    NoteUse::Recorded
                }
            }
            _ => NoteUse::ShownOnly,
        };
    }
    record.functional_class.sort_by_key(|(d, _, _)| *d);
    record.smoking.sort_by_key(|(d, _, _)| *d);
}

fn nyha(class: twin_notes::NyhaClass) -> NyhaClass {
    match class {
        twin_notes::NyhaClass::I => NyhaClass::I,
        twin_notes::NyhaClass::Ii => NyhaClass::Ii,
        twin_notes::NyhaClass::Iii => NyhaClass::Iii,
        twin_notes::NyhaClass::Iv => NyhaClass::Iv,
    }
}

fn smoking(status: twin_notes::SmokingStatus) -> SmokingStatus {
    match status {
        twin_notes::SmokingStatus::Current => SmokingStatus::Current,
        twin_notes::SmokingStatus::Former => SmokingStatus::Former,
        twin_notes::SmokingStatus::Never => SmokingStatus::Never,
    }
}
