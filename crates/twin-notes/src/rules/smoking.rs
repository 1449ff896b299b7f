//! Smoking status. The status words carry their own negation and time ("non-smoker",
//! "ex-smoker"), so only the hypothetical and experiencer context applies. "Continues to smoke"
//! and "still smoking" are current, and so is smoking again ("took up smoking again", "resumed
//! smoking"; in "if he took up smoking again" ConText makes it hypothetical). A structured field
//! ("Tobacco: Former") and a dated quit after tobacco ("40 pack-years, quit 2019") are former;
//! "never used tobacco" is never.

use std::sync::LazyLock;

use regex::Regex;

use super::Candidate;
use crate::context::Categories;
use crate::fact::{Fact, SmokingStatus};

static NEVER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:never\s+smoked|never[\s-]+smoker|(?:lifelong\s+)?non[\s-]?smoker|does\s+not\s+smoke|doesn't\s+smoke|denies\s+smoking|no\s+smoking\s+history|never\s+(?:used|smoked|chewed)\s+(?:tobacco|cigarettes|nicotine)|(?:smoking|tobacco)(?:\s+(?:status|use|history))?\s*:\s*never)\b")
        .expect("valid")
});
static FORMER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:ex[\s-]?smoker|former\s+smoker|previous\s+smoker|(?:quit|stopped|gave\s+up|given\s+up)\s+(?:smoking|cigarettes|cigs|tobacco)|used\s+to\s+smoke|(?:smoking|tobacco)(?:\s+(?:status|use|history))?\s*:\s*(?:former|ex)|(?:smok\w*|tobacco|cigarettes?|pack[\s-]?years?)\b[^.;]{0,40}?\bquit\s+(?:in\s+)?(?:(?:19|20)\d\d|\d{1,2}/(?:\d{1,2}/)?(?:19|20)\d\d|\d+\s+(?:years?|yrs?|months?)\s+ago))\b")
        .expect("valid")
});
static CURRENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:smokers?|smokes|smoking\s+\d+|\d+\s+cigarettes|smoking(?:\s+status)?\s*:\s*(?:current|yes)|(?:continues|continuing)\s+to\s+smoke|still\s+smoking|(?:took|takes?|taking|started|starts?|starting)\s+(?:up\s+)?smoking\s+again|(?:resumed|resumes?|resuming|restarted|restarts?|restarting)\s+smoking)\b")
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

#[cfg(test)]
mod tests {
    use super::*;

    fn statuses(sentence: &str) -> Vec<Fact> {
        let mut out = Vec::new();
        find(sentence, &mut out);
        out.into_iter().map(|c| c.fact).collect()
    }

    #[test]
    fn smoking_again_is_current() {
        for sentence in ["if he took up smoking again", "she has resumed smoking", "started smoking again in may"] {
            assert_eq!(statuses(sentence), [Fact::Smoking(SmokingStatus::Current)], "{sentence}");
        }
        // Taking it up once, long ago, says nothing about now.
        assert!(statuses("took up smoking at 15").is_empty());
    }

    #[test]
    fn a_never_field_is_never() {
        for sentence in ["tobacco: never", "smoking status: never", "tobacco use: never"] {
            assert_eq!(statuses(sentence), [Fact::Smoking(SmokingStatus::Never)], "{sentence}");
        }
    }

    #[test]
    fn a_former_field_a_dated_quit_and_never_used_tobacco() {
        for sentence in ["tobacco: former - quit 05/2018", "tobacco use disorder, 40 pack-years, quit 2019"] {
            assert_eq!(statuses(sentence), [Fact::Smoking(SmokingStatus::Former)], "{sentence}");
        }
        assert_eq!(statuses("he has never used tobacco products"), [Fact::Smoking(SmokingStatus::Never)]);
        // Quitting something else is not quitting tobacco.
        assert!(statuses("quit alcohol 2019").is_empty());
        assert!(statuses("never used cannabis").is_empty());
    }
}
