//! A guard against notes in another language: they yield no facts rather than guesses.
//!
//! The typo tolerance that reads "dyspnoae" as dyspnoea would also read German "Dyspnoe" or
//! "Synkope"; a note whose common function words are mostly French, German, Spanish, Italian,
//! Dutch or Portuguese ones is therefore not read at all. Short notes with no function words in
//! either list ("EF 35%. NYHA II.") are read.

/// Frequent English function words (a note of any length has some).
const ENGLISH: &[&str] = &[
    "the", "and", "of", "with", "is", "was", "on", "in", "to", "for", "at", "has", "had", "he", "she", "his", "her",
    "no", "not", "an", "by", "from", "this", "that", "are", "were", "be", "since", "or", "but", "we",
];

/// Frequent function words of other European languages that are not English words.
const OTHER: &[&str] = &[
    // French
    "le", "la", "les", "des", "une", "et", "est", "avec", "pas", "sans", "du", "au", "aux", "il", "elle", "de", "dans",
    "pour", "sur", "qui", "que", "y", "n", // German
    "der", "die", "das", "und", "ist", "mit", "keine", "kein", "nicht", "bei", "ein", "eine", "den", "dem", "zu",
    "von", "auf", "im", "hat", // Spanish, Italian, Portuguese
    "el", "los", "las", "con", "sin", "es", "del", "por", "il", "di", "che", "non", "della", "em", "uma", "com", "nao",
    // Dutch
    "het", "een", "en", "van", "niet", "geen", "met",
];

/// Whether `text` reads as English enough to extract from: `false` when words of another
/// language's function-word list outnumber English ones and there are at least two of them.
pub fn looks_english(text: &str) -> bool {
    let (mut english, mut other) = (0usize, 0usize);
    for word in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        if ENGLISH.iter().any(|w| w.eq_ignore_ascii_case(word)) {
            english += 1;
        } else if OTHER.iter().any(|w| w.eq_ignore_ascii_case(word)) {
            other += 1;
        }
    }
    !(other >= 2 && other > english)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_english_from_other_languages() {
        assert!(looks_english("No chest pain. EF 35% by Simpson's biplane."));
        assert!(looks_english("EF 35%. NYHA II."));
        assert!(!looks_english("Der Patient hat keine Synkope, Dyspnoe bei Belastung."));
        assert!(!looks_english("Le patient présente une dyspnée d'effort et des douleurs thoraciques."));
    }
}
