//! Home (self-measured) blood pressure: each `sbp/dbp` whose nearest preceding setting word is
//! a home one ("home", "HBPM", "self-measured", "diary") rather than a clinic one. A target
//! ("target home BP below 135/85") is not a reading.

use std::sync::LazyLock;

use regex::Regex;

use super::Candidate;
use crate::fact::Fact;

static READING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?P<sbp>\d{2,3})\s*/\s*(?P<dbp>\d{2,3})\b").expect("valid"));
static HOME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:home|hbpm|self[\s-]?measured|self[\s-]?monitored|diary)\b").expect("valid"));
/// "Home" that is a place of care, not the patient's own measurement.
static INSTITUTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:nursing|care|residential|rest)\s+home\b").expect("valid"));
static CLINIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:clinic|office|surgery|ward|ambulatory|abpm|in\s+hospital|on\s+admission)\b").expect("valid")
});

/// Words right before a figure that make it a target or a bound, not a reading.
static TARGET_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\b(?:below|under|less\s+than|target(?:\s+(?:of|is|was))?|goal(?:\s+(?:of|is))?|aim(?:\s+for)?)|<|≤)\s*$",
    )
    .expect("valid")
});

/// Plausible limits for a reading, mmHg; outside them `a/b` is a date or a ratio, not a BP.
/// The bounds are wide on purpose (a hypertensive emergency reaches 250/150).
const SBP_RANGE: std::ops::RangeInclusive<u16> = 60..=260;
const DBP_RANGE: std::ops::RangeInclusive<u16> = 30..=160;

pub(crate) fn find(sentence: &str, out: &mut Vec<Candidate>) {
    let institutions: Vec<std::ops::Range<usize>> = INSTITUTION.find_iter(sentence).map(|m| m.range()).collect();
    let homes: Vec<usize> = HOME
        .find_iter(sentence)
        .map(|m| m.start())
        .filter(|start| !institutions.iter().any(|r| r.contains(start)))
        .collect();
    if homes.is_empty() {
        return;
    }
    let clinics: Vec<usize> = CLINIC.find_iter(sentence).map(|m| m.start()).collect();
    for caps in READING.captures_iter(sentence) {
        let whole = caps.get(0).expect("match");
        let (Ok(sbp), Ok(dbp)) = (caps["sbp"].parse::<u16>(), caps["dbp"].parse::<u16>()) else { continue };
        if !SBP_RANGE.contains(&sbp) || !DBP_RANGE.contains(&dbp) || sbp <= dbp {
            continue;
        }
        if TARGET_BEFORE.is_match(&sentence[..whole.start()]) {
            continue;
        }
        let last_before = |starts: &[usize]| starts.iter().copied().filter(|&s| s < whole.start()).max();
        let home = last_before(&homes);
        let clinic = last_before(&clinics);
        // With no setting word before it, a home word after it ("135/85 at home") counts.
        let is_home = match (home, clinic) {
            (Some(h), Some(c)) => h > c,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => true,
        };
        if is_home {
            out.push(Candidate::new(Fact::HomeBp { sbp, dbp }, whole.range(), 0.9).measured());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings(sentence: &str) -> Vec<Fact> {
        let mut out = Vec::new();
        find(sentence, &mut out);
        out.into_iter().map(|c| c.fact).collect()
    }

    #[test]
    fn a_target_is_not_a_reading() {
        for sentence in ["target home bp is below 135/85", "home bp target 135/85", "aim for home bp <135/85"] {
            assert!(readings(sentence).is_empty(), "{sentence}");
        }
        assert_eq!(readings("home bp 138/84, target below 135/85"), [Fact::HomeBp { sbp: 138, dbp: 84 }]);
    }
}
