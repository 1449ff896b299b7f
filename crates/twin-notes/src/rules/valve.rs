//! Valve disease: "severe aortic stenosis", "mitral stenosis, mild", and the abbreviations
//! ("mod AS", "sev MR"), which count only when written in capitals, because "as", "ms" and
//! "pr" are also words and units.

use std::sync::LazyLock;

use regex::Regex;

use super::Candidate;
use crate::fact::{Fact, Lesion, Severity, Valve};

const SEVERITY: &str = r"trivial|trace|mild(?:ly)?(?:\s*(?:-|–|to)\s*mod(?:erate)?)?|mod(?:erate)?(?:ly)?(?:\s*(?:-|–|to)\s*sev(?:ere)?)?|sev(?:ere)?";

static WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?P<sev>{SEVERITY})\s+)?(?:significant\s+)?(?P<valve>aortic|mitral|tricuspid|pulmonary|pulmonic)\s+(?:valve\s+)?(?P<lesion>stenosis|regurgitation|regurg|incompetence|insufficiency)\b(?:\s*(?:,|:|-|is|was)?\s*(?P<after>{SEVERITY})\b)?"
    ))
    .expect("valid")
});

static ABBREVIATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b(?:(?P<sev>{SEVERITY})\.?\s+)?(?P<abbr>as|ar|ai|ms|mr|tr|ti|ps|pr|pi)\b")).expect("valid")
});

pub(crate) fn find(sentence: &str, original: &str, out: &mut Vec<Candidate>) {
    // In a sentence written all in capitals, capitals say nothing: "SAME AS BEFORE" is no
    // aortic stenosis, so an abbreviation then needs its severity ("MOD AS").
    let all_capitals = !original.bytes().any(|b| b.is_ascii_lowercase());
    for caps in WORDS.captures_iter(sentence) {
        let whole = caps.get(0).expect("match");
        let valve = match &caps["valve"] {
            "aortic" => Valve::Aortic,
            "mitral" => Valve::Mitral,
            "tricuspid" => Valve::Tricuspid,
            _ => Valve::Pulmonary,
        };
        let lesion = if &caps["lesion"] == "stenosis" { Lesion::Stenosis } else { Lesion::Regurgitation };
        let severity = caps.name("sev").or(caps.name("after")).map(|m| severity_of(m.as_str()));
        out.push(Candidate::new(Fact::Valve { valve, lesion, severity }, whole.range(), 0.9));
    }
    for caps in ABBREVIATION.captures_iter(sentence) {
        let whole = caps.get(0).expect("match");
        let abbr = caps.name("abbr").expect("group");
        let written = original.get(abbr.range()).unwrap_or("");
        if written.bytes().any(|b| b.is_ascii_lowercase()) {
            continue;
        }
        let severity = caps.name("sev").map(|m| severity_of(m.as_str()));
        let common = matches!(abbr.as_str(), "as" | "ar" | "ai" | "mr" | "tr");
        if severity.is_none()
            && (all_capitals || !common || sentence[whole.end()..].trim_start().starts_with("interval"))
        {
            continue;
        }
        let (valve, lesion) = match abbr.as_str() {
            "as" => (Valve::Aortic, Lesion::Stenosis),
            "ar" | "ai" => (Valve::Aortic, Lesion::Regurgitation),
            "ms" => (Valve::Mitral, Lesion::Stenosis),
            "mr" => (Valve::Mitral, Lesion::Regurgitation),
            "tr" | "ti" => (Valve::Tricuspid, Lesion::Regurgitation),
            "ps" => (Valve::Pulmonary, Lesion::Stenosis),
            _ => (Valve::Pulmonary, Lesion::Regurgitation),
        };
        out.push(Candidate::new(Fact::Valve { valve, lesion, severity }, whole.range(), 0.8));
    }
}

/// The grade a severity word names.
pub(crate) fn severity_of(words: &str) -> Severity {
    let has = |w: &str| words.contains(w);
    match (has("mild"), has("mod"), has("sev")) {
        (true, true, _) => Severity::MildToModerate,
        (_, true, true) => Severity::ModerateToSevere,
        (true, _, _) => Severity::Mild,
        (_, true, _) => Severity::Moderate,
        (_, _, true) => Severity::Severe,
        _ => Severity::Trivial,
    }
}
