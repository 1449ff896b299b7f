//! Smoking status. The status words carry their own negation and time ("non-smoker",
//! "ex-smoker"), so only the hypothetical and experiencer context applies. "Continues to smoke"
//! and "still smoking" are current.

use std::sync::LazyLock;

use regex::Regex;

use super::Candidate;
use crate::context::Categories;
use crate::fact::{Fact, SmokingStatus};

static NEVER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:never\s+smoked|never[\s-]+smoker|(?:lifelong\s+)?non[\s-]?smoker|does\s+not\s+smoke|doesn't\s+smoke|denies\s+smoking|no\s+smoking\s+history|smoking(?:\s+status)?\s*:\s*never)\b")
        .expect("valid")
});
static FORMER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:ex[\s-]?smoker|former\s+smoker|previous\s+smoker|(?:quit|stopped|gave\s+up|given\s+up)\s+smoking|used\s+to\s+smoke|smoking(?:\s+status)?\s*:\s*(?:former|ex))\b")
        .expect("valid")
});
static CURRENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:smokers?|smokes|smoking\s+\d+|\d+\s+cigarettes|smoking(?:\s+status)?\s*:\s*(?:current|yes)|(?:continues|continuing)\s+to\s+smoke|still\s+smoking)\b")
        .expect("valid")
});

pub(crate) fn find(sentence: &str, out: &mut Vec<Candidate>) {
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    let rules =
        [(&*NEVER, SmokingStatus::Never), (&*FORMER, SmokingStatus::Former), (&*CURRENT, SmokingStatus::Current)];
    for (pattern, status) in rules {
        for found in pattern.find_iter(sentence) {
            let range = found.range();
            if taken.iter().any(|t| t.start < range.end && range.start < t.end) {
                continue;
            }
            // "ex-smoker" and "non-smoker" leave a bare "smoker" for CURRENT; skip it.
            if status == SmokingStatus::Current && prefixed(sentence, range.start) {
                continue;
            }
            let mut candidate = Candidate::new(Fact::Smoking(status), range.clone(), 0.9);
            candidate.categories = Categories::SMOKING;
            out.push(candidate);
            taken.push(range);
        }
    }
}

/// Whether a word such as "ex" or "non" sits right before `start` ("ex-smoker").
fn prefixed(sentence: &str, start: usize) -> bool {
    let before = sentence[..start].trim_end_matches(['-', ' ']);
    before.ends_with("ex") || before.ends_with("non") || before.ends_with("never")
}
