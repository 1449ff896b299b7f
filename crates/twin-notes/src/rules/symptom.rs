//! Cardiac symptoms, from a lexicon of the ways letters write them, with one-edit typo
//! tolerance (see [`super::words::phrase_at`]). Pre-syncope is not syncope.

use std::ops::Range;

use std::sync::LazyLock;

use super::words::{phrase_at, phrase_at_exact, Lexicon, Match, Word};
use super::Candidate;
use crate::fact::{Fact, Symptom};

/// Phrases, longest first within each symptom so "shortness of breath" wins over a part of it.
const LEXICON: &[(&str, Symptom)] = &[
    ("paroxysmal nocturnal dyspnoea", Symptom::Dyspnoea),
    ("shortness of breath", Symptom::Dyspnoea),
    ("short of breath", Symptom::Dyspnoea),
    ("breathlessness", Symptom::Dyspnoea),
    ("breathless", Symptom::Dyspnoea),
    ("dyspnoea", Symptom::Dyspnoea),
    ("dyspnea", Symptom::Dyspnoea),
    ("orthopnoea", Symptom::Dyspnoea),
    ("orthopnea", Symptom::Dyspnoea),
    ("soboe", Symptom::Dyspnoea),
    ("sob", Symptom::Dyspnoea),
    ("doe", Symptom::Dyspnoea),
    ("pnd", Symptom::Dyspnoea),
    ("chest tightness", Symptom::ChestPain),
    ("chest discomfort", Symptom::ChestPain),
    ("chest pressure", Symptom::ChestPain),
    ("chest heaviness", Symptom::ChestPain),
    ("chest pain", Symptom::ChestPain),
    ("anginal", Symptom::ChestPain),
    ("angina", Symptom::ChestPain),
    ("swelling of the ankles", Symptom::Oedema),
    ("swelling of the legs", Symptom::Oedema),
    ("ankle swelling", Symptom::Oedema),
    ("leg swelling", Symptom::Oedema),
    ("swollen ankles", Symptom::Oedema),
    ("swollen legs", Symptom::Oedema),
    ("swollen feet", Symptom::Oedema),
    ("ankles are swollen", Symptom::Oedema),
    ("ankles swollen", Symptom::Oedema),
    ("puffy ankles", Symptom::Oedema),
    ("ankles puffy", Symptom::Oedema),
    ("ankles swell", Symptom::Oedema),
    ("legs swell", Symptom::Oedema),
    ("swelling of both legs", Symptom::Oedema),
    ("swelling of both ankles", Symptom::Oedema),
    ("oedema", Symptom::Oedema),
    ("edema", Symptom::Oedema),
    ("loss of consciousness", Symptom::Syncope),
    ("passed out", Symptom::Syncope),
    ("syncopal", Symptom::Syncope),
    ("syncope", Symptom::Syncope),
    ("blackout", Symptom::Syncope),
    ("blacked out", Symptom::Syncope),
    ("collapsed", Symptom::Syncope),
    ("collapse", Symptom::Syncope),
];

/// Words read only as written, because one edit off is another word ("fainted", "painted")
/// or they are short abbreviations ("c/o CP").
const EXACT_ONLY: &[(&str, Symptom)] =
    &[("cp", Symptom::ChestPain), ("fainted", Symptom::Syncope), ("fainting", Symptom::Syncope)];

static LEXICON_WORDS: LazyLock<Lexicon<Symptom>> = LazyLock::new(|| Lexicon::new(LEXICON));
static EXACT_WORDS: LazyLock<Lexicon<Symptom>> = LazyLock::new(|| Lexicon::new(EXACT_ONLY));

/// Symptoms in the sentence's words, skipping words an intolerance already took
/// ("ankle swelling on amlodipine" is a reaction, not a second fact).
pub(crate) fn find(words: &[Word<'_>], consumed: &[Range<usize>], out: &mut Vec<Candidate>) {
    let mut idx = 0;
    while idx < words.len() {
        let taken = consumed.iter().any(|c| c.start <= words[idx].range.start && words[idx].range.end <= c.end);
        let hit = if taken {
            None
        } else {
            LEXICON_WORDS.at(words, idx, phrase_at).or_else(|| EXACT_WORDS.at(words, idx, phrase_at_exact))
        };
        let Some((hit, symptom)) = hit else {
            idx += 1;
            continue;
        };
        let previous = idx.checked_sub(1).map(|p| words[p].text);
        let pre_syncope = symptom == Symptom::Syncope && matches!(previous, Some("pre" | "near"));
        // A short abbreviation takes no plural: "does" is not "DOE"s.
        let word = words[idx].text;
        let abbreviation_plural = hit.n_words == 1 && word.len() <= 4 && word.ends_with('s') && !word.ends_with("ss");
        if !pre_syncope && !abbreviation_plural {
            let span = words[idx].range.start..words[idx + hit.n_words - 1].range.end;
            let confidence = if hit.quality == Match::Exact { 0.85 } else { 0.7 };
            out.push(Candidate::new(Fact::Symptom(symptom), span, confidence));
        }
        idx += hit.n_words;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::words::tokens;

    fn symptoms(sentence: &str) -> Vec<Symptom> {
        let mut out = Vec::new();
        find(&tokens(sentence), &[], &mut out);
        out.into_iter()
            .map(|c| match c.fact {
                Fact::Symptom(s) => s,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_short_abbreviation_takes_no_plural() {
        assert_eq!(symptoms("doe on hills"), [Symptom::Dyspnoea]);
        assert!(symptoms("she does not have nyha class iii symptoms").is_empty());
        assert!(symptoms("more than his heart does").is_empty());
    }
}
