//! One module per fact type. Each reads one ASCII-lower-cased sentence and proposes
//! [`Candidate`]s with spans relative to that sentence; `crate::extract` adds the context and
//! turns the spans into offsets in the note.
//!
//! Confidences are priors we assign per rule (how specific its pattern is), not calibrated
//! probabilities: a number with its keyword ("LVEF 35%") 0.95, a word band 0.85, a typo matched
//! within one edit 0.7; `crate::extract` lowers them by 0.05 when a context trigger fired, because
//! context is where rule-based readers err most (Harkema 2009 found history and hypothesis
//! harder than negation).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::context::Categories;
use crate::fact::Fact;

pub(crate) mod home_bp;
pub(crate) mod intolerance;
pub(crate) mod lvef;
pub(crate) mod lvh;
pub(crate) mod nyha;
pub(crate) mod smoking;
pub(crate) mod symptom;
pub(crate) mod valve;
pub(crate) mod words;

/// A fact proposed by a rule, before context.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub fact: Fact,
    /// Byte offsets into the sentence.
    pub span: Range<usize>,
    pub confidence: f32,
    pub categories: Categories,
    /// Where ConText judges the fact, when not at the whole span: for "atorvastatin without
    /// myalgia" it is the reaction, so the "without" between the two words negates it.
    pub context_at: Option<Range<usize>>,
    /// Historical by the rule's own reading, whatever ConText finds: the first class of a
    /// change ("improved from III to I").
    pub past: bool,
}

impl Candidate {
    pub fn new(fact: Fact, span: Range<usize>, confidence: f32) -> Self {
        Self { fact, span, confidence, categories: Categories::ALL, context_at: None, past: false }
    }

    /// A measured value (EF figure, NYHA class, BP reading): see [`Categories::measured`].
    pub fn measured(mut self) -> Self {
        self.categories = Categories::MEASURED;
        self
    }

    /// Marks the fact historical ([`Candidate::past`]).
    pub fn past(mut self) -> Self {
        self.past = true;
        self
    }

    /// Judges the context at `range` rather than at the whole span.
    pub fn context_at(mut self, range: Range<usize>) -> Self {
        self.context_at = Some(range);
        self
    }
}

/// A statement about a population, not the patient: "In NYHA class IV patients, palliative care
/// input should be offered"; "For patients with an EF below 35%, an ICD is recommended". Its
/// classes and figures are thresholds of a rule, so the sentence gives no fact.
static POPULATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\W*(?:in|for|among|all)\s+(?:[a-z0-9/<>%-]+\s+){0,6}?(?:patients|pts|people|individuals|adults)\b[^.]*\b(?:should|must|recommended|indicated|are\s+offered|benefit)\b",
    )
    .expect("valid")
});

/// Every rule's candidates for one lower-cased sentence.
pub(crate) fn candidates(sentence: &str, original: &str) -> Vec<Candidate> {
    let mut out = Vec::new();
    if POPULATION.is_match(sentence) {
        return out;
    }
    lvef::find(sentence, &mut out);
    nyha::find(sentence, &mut out);
    valve::find(sentence, original, &mut out);
    lvh::find(sentence, &mut out);
    smoking::find(sentence, &mut out);
    home_bp::find(sentence, &mut out);
    let words = words::tokens(sentence);
    let consumed = intolerance::find(sentence, &words, &mut out);
    symptom::find(&words, &consumed, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_population_statement_is_no_patient_fact() {
        assert!(candidates("in nyha class iv patients, palliative care input should be offered.", "").is_empty());
        assert!(candidates("for patients with lvef <35%, an icd is recommended.", "").is_empty());
        // The patient's own class, and a sentence that only starts with "in", are read.
        assert!(!candidates("in clinic today he is nyha ii.", "").is_empty());
        assert!(!candidates("in patients' terms she is nyha ii.", "").is_empty());
    }
}
