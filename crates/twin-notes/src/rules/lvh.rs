//! Left ventricular hypertrophy, with its grade when written, before ("mild concentric LVH")
//! or after it, closing the phrase ("LV hypertrophy, moderate.").

use std::sync::LazyLock;

use regex::Regex;

use super::valve::{severity_of, SEVERITY};
use super::Candidate;
use crate::fact::Fact;

/// The grade uses the valves' words, so "mild-to-moderate LVH" keeps its range.
static LVH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?P<sev>{SEVERITY})\s+)?(?:(?:concentric|concentic|concentrc|eccentric|asymmetric(?:al)?|septal)\s+)?(?P<lvh>lvh|left\s+ventricular\s+hypertrophy|lv\s+hypertrophy|septal\s+hypertrophy)\b(?:(?:\s*[,:–-]\s*|\s+(?:is|was)\s+)(?P<after>{SEVERITY})\b)?",
    ))
    .expect("valid")
});

/// What may follow a grade written after LVH: the phrase must end there, so "LVH, mild MR"
/// leaves "mild" to the valve.
static PHRASE_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(?:$|[.,;)]|and\b)").expect("valid"));

pub(crate) fn find(sentence: &str, out: &mut Vec<Candidate>) {
    for caps in LVH.captures_iter(sentence) {
        let whole = caps.get(0).expect("match");
        let after = caps.name("after").filter(|m| PHRASE_END.is_match(&sentence[m.end()..]));
        let end = after.map_or_else(|| caps.name("lvh").expect("group").end(), |m| m.end());
        let severity = caps.name("sev").or(after).map(|m| severity_of(m.as_str()));
        out.push(Candidate::new(Fact::Lvh { severity }, whole.start()..end, 0.9));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Severity;

    fn lvh(sentence: &str) -> Vec<Option<Severity>> {
        let mut out = Vec::new();
        find(sentence, &mut out);
        out.into_iter()
            .filter_map(|c| if let Fact::Lvh { severity } = c.fact { Some(severity) } else { None })
            .collect()
    }

    #[test]
    fn a_grade_after_lvh_counts_only_when_it_ends_the_phrase() {
        assert_eq!(lvh("left ventricular hypertrophy, moderate."), [Some(Severity::Moderate)]);
        assert_eq!(lvh("lvh is mild"), [Some(Severity::Mild)]);
        assert_eq!(lvh("lvh, mild mr"), [None]);
        assert_eq!(lvh("mild concentric lvh"), [Some(Severity::Mild)]);
    }
}
