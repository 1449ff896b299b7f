//! Left ventricular hypertrophy, with its grade when written.

use std::sync::LazyLock;

use regex::Regex;

use super::valve::{severity_of, SEVERITY};
use super::Candidate;
use crate::fact::Fact;

/// The grade uses the valves' words, so "mild-to-moderate LVH" keeps its range.
static LVH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?P<sev>{SEVERITY})\s+)?(?:(?:concentric|eccentric|asymmetric(?:al)?|septal)\s+)?(?:lvh|left\s+ventricular\s+hypertrophy|lv\s+hypertrophy)\b",
    ))
    .expect("valid")
});

pub(crate) fn find(sentence: &str, out: &mut Vec<Candidate>) {
    for caps in LVH.captures_iter(sentence) {
        let whole = caps.get(0).expect("match");
        let severity = caps.name("sev").map(|m| severity_of(m.as_str()));
        out.push(Candidate::new(Fact::Lvh { severity }, whole.range(), 0.9));
    }
}
