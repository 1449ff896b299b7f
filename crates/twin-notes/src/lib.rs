//! Facts from clinical notes, each with where it was written and in what context.
//!
//! [`extract`] splits a note into sentences ([`sentence`]), runs one rule per fact type over
//! each (`rules`: LVEF, NYHA, valves, LVH, smoking, home BP, symptoms, intolerances), decides
//! each fact's [`Context`] with ConText ([`context`]; Harkema et al. 2009, after NegEx,
//! Chapman et al. 2001), and returns [`Found`]s: the [`Fact`], its context, its span and
//! sentence as byte ranges into the note, and a confidence. Negated, historical, hypothetical
//! and other people's facts are returned too, so a screen can show "no chest pain"; only
//! [`Context::is_affirmed_patient`] facts should feed a record.
//!
//! A note in another language yields nothing ([`language`]). The crate does no I/O; which
//! document a note came from is the caller's to keep (twin-fhir keeps the resource id).
#![deny(missing_docs)]

use std::ops::Range;

pub mod context;
pub mod fact;
pub mod language;
mod rules;
pub mod sentence;
mod text;

pub use context::{Context, Experiencer};
pub use fact::{
    EfBand, EfMethod, Fact, Lesion, LvefValue, NyhaClass, Reaction, Severity, SmokingStatus, Symptom, Valve,
};
pub use text::describe;

/// One fact found in a note.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// What the note says.
    pub fact: Fact,
    /// Negated, historical, hypothetical, whose.
    pub context: Context,
    /// The words that state the fact: byte offsets into the note, on `char` boundaries.
    pub span: Range<usize>,
    /// The sentence that holds them: byte offsets into the note, on `char` boundaries.
    pub sentence: Range<usize>,
    /// How sure the rule is, 0–1: a prior per rule, lowered when a context trigger fired (see
    /// the `rules` module); not a calibrated probability.
    pub confidence: f32,
}

/// How much a fired context trigger lowers the confidence.
const CONTEXT_PENALTY: f32 = 0.05;

/// Every fact in `note`, in the order written. Never fails: text with no cardiac content, or in
/// another language, yields an empty list.
pub fn extract(note: &str) -> Vec<Found> {
    if !language::looks_english(note) {
        return Vec::new();
    }
    let mut out = Vec::new();
    // The method of the MRI or MUGA study the paragraph is reporting, for an LVEF that names
    // none of its own ("Cardiac MR confirms severe AR … with LVEF 53%").
    let mut study: Option<fact::EfMethod> = None;
    let mut previous_end = 0;
    for sentence in sentence::sentences(note) {
        let original = &note[sentence.clone()];
        // ASCII-only lower-casing keeps every byte offset valid in the original.
        let lower = original.to_ascii_lowercase();
        // A blank line (with "\n" or "\r\n" endings) ends the paragraph and its study.
        if note[previous_end..sentence.start].matches('\n').count() >= 2 {
            study = None;
        }
        previous_end = sentence.end;
        study = match rules::lvef::study_named(&lower) {
            rules::lvef::StudyNamed::None => study,
            rules::lvef::StudyNamed::One(method) => method,
            rules::lvef::StudyNamed::Several => None,
        };
        let mut candidates = rules::candidates(&lower, original);
        // A figure the rule itself reads as earlier ("MUGA today: LVEF 48%, down from 58%") came
        // from an earlier study, which the sentence does not name: it takes no study method.
        // Beside a figure, a band word takes none either: the study measured the figure
        // ("severely impaired LV function (CMR LVEF 34%)"; corpus/README.md's method convention).
        let has_figure = candidates
            .iter()
            .any(|c| matches!(&c.fact, Fact::Lvef { value, .. } if !matches!(value, fact::LvefValue::Band(_))));
        for candidate in candidates.iter_mut().filter(|c| !c.past) {
            if let Fact::Lvef { value, method: method @ None, .. } = &mut candidate.fact {
                if !(has_figure && matches!(value, fact::LvefValue::Band(_))) {
                    *method = study;
                }
            }
        }
        candidates.sort_by_key(|c| (c.span.start, c.span.end));
        if candidates.is_empty() {
            continue;
        }
        let triggers = context::SentenceContext::new(&lower);
        let mut in_sentence: Vec<Found> = Vec::new();
        for candidate in candidates {
            let context_at = candidate.context_at.clone().unwrap_or_else(|| candidate.span.clone());
            let mut context = triggers.of(context_at, candidate.categories);
            context.historical |= candidate.past;
            // The same fact in the same context twice in a sentence ("smokes 15 cigarettes a
            // day") is one fact; the first mention keeps the span.
            if in_sentence.iter().any(|f| f.fact == candidate.fact && f.context == context) {
                continue;
            }
            let penalty = if context == Context::default() { 0.0 } else { CONTEXT_PENALTY };
            in_sentence.push(Found {
                fact: candidate.fact,
                context,
                span: sentence.start + candidate.span.start..sentence.start + candidate.span.end,
                sentence: sentence.clone(),
                confidence: candidate.confidence - penalty,
            });
        }
        out.extend(in_sentence);
    }
    out
}
