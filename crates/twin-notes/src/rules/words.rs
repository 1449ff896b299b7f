//! Words, phrase look-up and typo tolerance for the lexicon-driven rules (symptoms, drugs,
//! reactions).

use std::ops::Range;

/// A word of a sentence: ASCII letters and digits, with its byte range.
#[derive(Debug, Clone)]
pub(crate) struct Word<'a> {
    pub text: &'a str,
    pub range: Range<usize>,
}

/// The words of a lower-cased sentence; anything not an ASCII letter or digit separates them.
pub(crate) fn tokens(sentence: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (idx, byte) in sentence.bytes().enumerate() {
        let in_word = byte.is_ascii_alphanumeric();
        match (in_word, start) {
            (true, None) => start = Some(idx),
            (false, Some(s)) => {
                out.push(Word { text: &sentence[s..idx], range: s..idx });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Word { text: &sentence[s..], range: s..sentence.len() });
    }
    out
}

/// How a phrase matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    Exact,
    /// Within one edit of a word (a typo).
    Typo,
}

/// A phrase found at a word index: how many words it took and how it matched.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PhraseHit {
    pub n_words: usize,
    pub quality: Match,
}

/// Whether the phrase `parts` (lower-case words) starts at `words[idx]`.
///
/// Exact words match; a trailing plural `s` is allowed on the last word. Typos are tolerated
/// by rule, not by list: a single-word term of at least 6 letters matches within one edit
/// (Damerau: insertion, deletion, substitution or transposition), and in a longer phrase the
/// first word must match exactly and each later word of at least 4 letters may be one edit off.
pub(crate) fn phrase_at(words: &[Word<'_>], idx: usize, parts: &[&str]) -> Option<PhraseHit> {
    phrase_with(words, idx, parts, true)
}

/// Whether `phrase` starts at `words[idx]` with every word exact (a plural `s` allowed).
pub(crate) fn phrase_at_exact(words: &[Word<'_>], idx: usize, parts: &[&str]) -> Option<PhraseHit> {
    phrase_with(words, idx, parts, false)
}

/// A lexicon with each phrase split into its words once.
pub(crate) struct Lexicon<T: 'static> {
    entries: Vec<(Vec<&'static str>, T)>,
}

impl<T: Copy> Lexicon<T> {
    pub(crate) fn new(phrases: &[(&'static str, T)]) -> Self {
        Self { entries: phrases.iter().map(|(p, v)| (p.split(' ').collect(), *v)).collect() }
    }

    /// The first entry that `matcher` finds at `words[idx]`.
    pub(crate) fn at(&self, words: &[Word<'_>], idx: usize, matcher: Matcher) -> Option<(PhraseHit, T)> {
        self.entries.iter().find_map(|(parts, value)| matcher(words, idx, parts).map(|hit| (hit, *value)))
    }
}

/// [`phrase_at`] or [`phrase_at_exact`].
pub(crate) type Matcher = fn(&[Word<'_>], usize, &[&str]) -> Option<PhraseHit>;

fn phrase_with(words: &[Word<'_>], idx: usize, parts: &[&str], typos: bool) -> Option<PhraseHit> {
    if idx + parts.len() > words.len() {
        return None;
    }
    let mut quality = Match::Exact;
    for (part_idx, part) in parts.iter().enumerate() {
        let word = words[idx + part_idx].text;
        let last = part_idx + 1 == parts.len();
        if word == *part || (last && word.strip_suffix('s') == Some(part)) {
            continue;
        }
        let may_be_typo = if parts.len() == 1 { part.len() >= 6 } else { part_idx > 0 && part.len() >= 4 };
        if typos && may_be_typo && within_one_edit(word, part) {
            quality = Match::Typo;
            continue;
        }
        return None;
    }
    Some(PhraseHit { n_words: parts.len(), quality })
}

/// Whether `a` and `b` differ by at most one insertion, deletion, substitution or adjacent
/// transposition (optimal-string-alignment distance ≤ 1), on bytes.
pub(crate) fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b {
        return true;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    match a.len() as isize - b.len() as isize {
        0 => a[1..] == b[1..] || (a.len() >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..]),
        1 => a[1..] == *b,
        -1 => *a == b[1..],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit() {
        assert!(within_one_edit("dyspnoae", "dyspnoea"));
        assert!(within_one_edit("syncopy", "syncope"));
        assert!(within_one_edit("oedmea", "oedema"));
        assert!(within_one_edit("dyspnoe", "dyspnoea"));
        assert!(!within_one_edit("dyspnee", "dyspnoea"));
        assert!(!within_one_edit("vagina", "angina"));
    }

    #[test]
    fn phrases_need_an_exact_first_word() {
        let words = tokens("chest pian on walking");
        assert_eq!(phrase_at(&words, 0, &["chest", "pain"]).map(|h| h.quality), Some(Match::Typo));
        let words = tokens("cheat pain");
        assert!(phrase_at(&words, 0, &["chest", "pain"]).is_none());
    }
}
