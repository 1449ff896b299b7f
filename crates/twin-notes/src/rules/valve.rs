//! Valve disease: "severe aortic stenosis", "mitral stenosis, mild", and the abbreviations
//! ("mod AS", "sev MR"), which count only when written in capitals, because "as", "ms" and
//! "pr" are also words and units. "MR" after "cardiac" or before "imaging" is the scan, not
//! mitral regurgitation. A range of grades ("mild-to-moderate", "mod-sev", "moderately
//! severe") is kept as the range; a grade the lesion may progress to ("should the MR progress
//! to severe") is read as its severity, in whatever context the sentence gives.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::Candidate;
use crate::fact::{Fact, Lesion, Severity, Valve};

/// One grade, or a range of two ("mild-to-moderate", "mild/moderate", "mod-sev", "moderate to
/// severe"). "Moderately severe" is read as moderate-to-severe: the ASE divides moderate
/// regurgitation into mild-to-moderate and moderate-to-severe (Zoghbi WA et al., J Am Soc
/// Echocardiogr 2017;30:303–371), and "moderately severe" is the older name of the upper half.
pub(crate) const SEVERITY: &str = r"(?:moderately\s+severe|(?:trivial|trace|mild(?:ly)?|mod(?:erate)?(?:ly)?|sev(?:ere?)?(?:ly)?)(?:(?:\s*[-–—/]\s*(?:to\s*[-–—]\s*)?|\s+to\s+)(?:mild(?:ly)?|mod(?:erate)?(?:ly)?|sev(?:ere?)?(?:ly)?))?)";

/// A grade the lesion reaches or may reach ("has progressed to moderate-severe", "should the MR
/// progress to severe"): its severity, in whatever context the sentence gives.
const PROGRESS: &str = r"(?:\s+(?:has|have|had|may|might|will|could|would|should))?\s+(?:progress(?:es|ed|ing)?|worsen(?:s|ed|ing)?|deteriorat(?:es|ed|ing)|becom(?:es|ing|e))\s+(?:to\s+)?";

/// A word that may stand between a grade and the lesion: the mechanism or the jet ("severe
/// functional MR", "moderate rheumatic mitral stenosis", "mild eccentric AR"), or whether it gives
/// symptoms ("severe symptomatic AS").
const QUALIFIER: &str = r"(?:significant|symptomatic|asymptomatic|functional|secondary|primary|degenerative|rheumatic|calcific|ischaemic|ischemic|organic|eccentric|central|paravalvular|holosystolic)";

/// The grade written after an abbreviation: "the AR is mild", "MR remains moderate", "AR: mild".
const STATED: &str =
    r"(?:\s+(?:is|was|remains|remained|appears|appeared|looks|now)\s+(?:now\s+|only\s+|still\s+)?|\s*:\s*)";

static WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?P<sev>{SEVERITY})\s+)?(?:{QUALIFIER}\s+)?(?P<valve>aortic|mitral|tricuspid|pulmonary|pulmonic)\s+(?:valve\s+)?(?P<lesion>stenosis|regurg[a-z]*|incompetence|insufficiency)\b(?:(?:\s*(?:,|:|-|is|was)?\s*|{PROGRESS})(?P<after>{SEVERITY})\b)?"
    ))
    .expect("valid")
});

static ABBREVIATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?P<sev>{SEVERITY})\.?\s+)?(?:{QUALIFIER}\s+)?(?P<abbr>as|ar|ai|ms|mr|tr|ti|ps|pr|pi)\b(?:(?:{PROGRESS}|{STATED})(?P<after>{SEVERITY})\b|\s+(?P<bare>{SEVERITY})\s*(?:$|[.,;)]))?"
    ))
    .expect("valid")
});

/// A valve named once for the lesions listed after it: "Bicuspid aortic valve with moderate
/// stenosis (mean gradient 28 mmHg) and mild regurgitation".
static VALVE_WITH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?P<valve>aortic|mitral|tricuspid|pulmonary|pulmonic)\s+valve\s*(?:with|shows?|showing|has|having|:|-)\s",
    )
    .expect("valid")
});
/// A graded lesion with no valve named ("moderate stenosis"); "stenosis of the LAD" is an artery's.
static LESION_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?P<sev>{SEVERITY})\s+(?:{QUALIFIER}\s+)?(?P<lesion>stenosis|regurg[a-z]*|incompetence|insufficiency)\b(?P<of>\s+(?:of|in)\b)?"
    ))
    .expect("valid")
});

/// Joins two abbreviations that share the first one's grade: "mild MR and TR".
static SHARED_JOIN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(?:and|&|/)\s*$").expect("valid"));

/// "MR" as magnetic resonance: after "cardiac", "stress" and their like, or before "imaging",
/// "scan" and their like ("Cardiac MR: LVEF 33%").
static SCAN_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:cardiac|cardiovascular|heart|stress|perfusion|contrast|cine|breast|brain|spine)\s*$")
        .expect("valid")
});
/// An abbreviation before a measurement names the jet measured, not a lesion ("TR Vmax 3.6 m/s",
/// "TR velocity", "TR gradient"), and "TR band" is a radial compression band.
static MEASURE_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:v\s*max|velocity|peak\s+velocity|gradient|pg|band)\b").expect("valid"));
static SCAN_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:imaging|scan|angiogra|study|perfusion|images|sequences|report|venogra|with\s+gadolinium)")
        .expect("valid")
});

pub(crate) fn find(sentence: &str, original: &str, out: &mut Vec<Candidate>) {
    // In a sentence written all in capitals, capitals say nothing: "SAME AS BEFORE" is no
    // aortic stenosis, so an abbreviation then needs its severity ("MOD AS").
    let all_capitals = !original.bytes().any(|b| b.is_ascii_lowercase());
    for caps in WORDS.captures_iter(sentence) {
        let whole = caps.get(0).expect("match");
        let valve = valve_of(&caps["valve"]);
        let lesion = if &caps["lesion"] == "stenosis" { Lesion::Stenosis } else { Lesion::Regurgitation };
        let severity = caps.name("sev").or(caps.name("after")).map(|m| severity_of(m.as_str()));
        out.push(Candidate::new(Fact::Valve { valve, lesion, severity }, whole.range(), 0.9));
    }
    // Lesions listed after "<valve> valve with", in its clause.
    if let Some(caps) = VALVE_WITH.captures(sentence) {
        let valve = valve_of(&caps["valve"]);
        let from = caps.get(0).expect("match").end();
        let to = sentence[from..].find([';', '.']).map_or(sentence.len(), |idx| from + idx);
        for lesion in LESION_ONLY.captures_iter(&sentence[from..to]).filter(|l| l.name("of").is_none()) {
            let whole = lesion.get(0).expect("match");
            let kind = if &lesion["lesion"] == "stenosis" { Lesion::Stenosis } else { Lesion::Regurgitation };
            let severity = Some(severity_of(&lesion["sev"]));
            let fact = Fact::Valve { valve, lesion: kind, severity };
            out.push(Candidate::new(fact, from + whole.start()..from + whole.end(), 0.8));
        }
    }
    // The grade written before the last abbreviation, and where it ended: "trivial MR and TR"
    // grades both, as echo reports write it.
    let mut shared: Option<(usize, Severity)> = None;
    for caps in ABBREVIATION.captures_iter(sentence) {
        let whole = caps.get(0).expect("match");
        let inherited = shared
            .take()
            .filter(|(end, _)| caps.name("sev").is_none() && SHARED_JOIN.is_match(&sentence[*end..whole.start()]))
            .map(|(_, severity)| severity);
        let abbr = caps.name("abbr").expect("group");
        let written = original.get(abbr.range()).unwrap_or("");
        if written.bytes().any(|b| b.is_ascii_lowercase()) {
            continue;
        }
        if caps.name("sev").is_none() && MEASURE_AFTER.is_match(&sentence[abbr.end()..]) {
            continue;
        }
        if abbr.as_str() == "mr" && is_scan(sentence, abbr.range()) {
            continue;
        }
        let before = caps.name("sev").map(|m| severity_of(m.as_str()));
        // A grade straight after the abbreviation, ending its item, is its grade: "TR mild.".
        let after = caps.name("after").or(caps.name("bare"));
        let severity = before.or(after.map(|m| severity_of(m.as_str()))).or(inherited);
        shared = before.or(inherited).map(|severity| (whole.end(), severity));
        let common = matches!(abbr.as_str(), "as" | "ar" | "ai" | "mr" | "tr");
        // "no MS": a capitalised abbreviation after "no" is a lesion said to be absent.
        let preceding = sentence[..whole.start()].trim_end();
        let absent = (preceding.ends_with(" no") || preceding == "no") && !all_capitals;
        if severity.is_none()
            && !absent
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

fn valve_of(word: &str) -> Valve {
    match word {
        "aortic" => Valve::Aortic,
        "mitral" => Valve::Mitral,
        "tricuspid" => Valve::Tricuspid,
        _ => Valve::Pulmonary,
    }
}

/// Whether the "mr" at `range` names the scan, not the lesion.
fn is_scan(sentence: &str, range: Range<usize>) -> bool {
    SCAN_BEFORE.is_match(&sentence[..range.start]) || SCAN_AFTER.is_match(&sentence[range.end..])
}

/// The grade (or range of two grades) a severity word names.
pub(crate) fn severity_of(words: &str) -> Severity {
    let has = |w: &str| words.contains(w);
    let trivial = has("trivial") || has("trace");
    match (trivial, has("mild"), has("mod"), has("sev")) {
        (true, true, _, _) => Severity::TrivialToMild,
        (_, true, true, _) => Severity::MildToModerate,
        (_, _, true, true) => Severity::ModerateToSevere,
        (_, true, _, _) => Severity::Mild,
        (_, _, true, _) => Severity::Moderate,
        (_, _, _, true) => Severity::Severe,
        _ => Severity::Trivial,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valves(original: &str) -> Vec<(Valve, Lesion, Option<Severity>)> {
        let mut out = Vec::new();
        find(&original.to_ascii_lowercase(), original, &mut out);
        out.into_iter()
            .filter_map(|c| match c.fact {
                Fact::Valve { valve, lesion, severity } => Some((valve, lesion, severity)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn ranges_of_grades_stay_ranges() {
        let ar = |s| vec![(Valve::Aortic, Lesion::Regurgitation, Some(s))];
        assert_eq!(valves("Mild-to-moderate aortic regurgitation"), ar(Severity::MildToModerate));
        assert_eq!(valves("mild to moderate aortic regurgitation"), ar(Severity::MildToModerate));
        assert_eq!(valves("mild/moderate AR"), ar(Severity::MildToModerate));
        assert_eq!(valves("Mod-sev AR"), ar(Severity::ModerateToSevere));
        assert_eq!(valves("moderately severe aortic regurgitation"), ar(Severity::ModerateToSevere));
        assert_eq!(valves("aortic regurgitation, moderate to severe"), ar(Severity::ModerateToSevere));
        assert_eq!(valves("trivial-mild AR"), ar(Severity::TrivialToMild));
        assert_eq!(valves("moderate aortic regurgitation"), ar(Severity::Moderate));
        // Any spelling that starts "regurg" ("regurgiation", "regurgitaion") is regurgitation.
        assert_eq!(valves("moderate aortic regurgiation"), ar(Severity::Moderate));
        // One grade before two abbreviations joined by "and" grades both; a comma does not join.
        let both: Vec<_> = valves("Trivial MR and TR").into_iter().map(|(_, _, s)| s).collect();
        assert_eq!(both, [Some(Severity::Trivial), Some(Severity::Trivial)]);
        let listed: Vec<_> = valves("Mild MR, TR").into_iter().map(|(_, _, s)| s).collect();
        assert_eq!(listed, [Some(Severity::Mild), None]);
    }

    #[test]
    fn a_grade_it_may_progress_to_is_its_severity() {
        let mr = (Valve::Mitral, Lesion::Regurgitation, Some(Severity::Severe));
        assert_eq!(valves("Should the MR progress to severe, repair"), [mr]);
        assert_eq!(valves("if the mitral regurgitation becomes severe"), [mr]);
        let mr = (Valve::Mitral, Lesion::Regurgitation, Some(Severity::ModerateToSevere));
        assert_eq!(valves("The MR has progressed to moderate-severe"), [mr]);
    }

    #[test]
    fn a_mechanism_word_or_a_stated_grade_keeps_the_severity() {
        let mr = |s| vec![(Valve::Mitral, Lesion::Regurgitation, Some(s))];
        assert_eq!(valves("severe functional MR"), mr(Severity::Severe));
        assert_eq!(valves("Moderate-severe secondary mitral regurgitation"), mr(Severity::ModerateToSevere));
        assert_eq!(valves("today the MR is mild"), mr(Severity::Mild));
        assert_eq!(valves("MR remains moderate"), mr(Severity::Moderate));
        // Not the conjunction.
        assert!(valves("as is mild").is_empty());
        let as_ = |s| vec![(Valve::Aortic, Lesion::Stenosis, Some(s))];
        assert_eq!(valves("Severe symptomatic AS, for TAVI"), as_(Severity::Severe));
        // A grade straight after the abbreviation that ends the item: "TR mild.", "AS moderate,".
        assert_eq!(valves("TR mild."), [(Valve::Tricuspid, Lesion::Regurgitation, Some(Severity::Mild))]);
        assert_eq!(valves("AS moderate, AV peak 3.4 m/s"), as_(Severity::Moderate));
        // A grade that begins another item is not this one's.
        assert_eq!(valves("TR mild LVH"), [(Valve::Tricuspid, Lesion::Regurgitation, None)]);
    }

    #[test]
    fn magnetic_resonance_is_no_valve_lesion() {
        for sentence in
            ["Cardiac MR: LVEF 33%", "Stress MR showed no ischaemia", "MR imaging of the heart", "CMR and MRI"]
        {
            assert!(valves(sentence).is_empty(), "{sentence}");
        }
        assert_eq!(valves("Mild MR."), [(Valve::Mitral, Lesion::Regurgitation, Some(Severity::Mild))]);
    }

    #[test]
    fn a_valve_named_once_for_the_lesions_after_it() {
        assert_eq!(
            valves("Bicuspid aortic valve with moderate stenosis (mean gradient 28 mmHg) and mild regurgitation."),
            [
                (Valve::Aortic, Lesion::Stenosis, Some(Severity::Moderate)),
                (Valve::Aortic, Lesion::Regurgitation, Some(Severity::Mild))
            ]
        );
        // An artery's stenosis, or a lesion in the next clause, is not the valve's.
        assert!(valves("Aortic valve with mild calcification; severe stenosis of the LAD").is_empty());
        assert!(valves("Aortic valve with mild calcification and moderate stenosis of the proximal LAD.").is_empty());
    }

    #[test]
    fn a_jet_measured_and_a_misspelt_grade() {
        use Severity::Severe;
        assert_eq!(
            valves("Severe TR with dilated RV, TR Vmax 3.6 m/s."),
            [(Valve::Tricuspid, Lesion::Regurgitation, Some(Severe))]
        );
        assert!(valves("Access: right radial 6F, TR band applied.").is_empty());
        assert_eq!(
            valves("Moderate TR, peak gradient 40 mmHg."),
            [(Valve::Tricuspid, Lesion::Regurgitation, Some(Severity::Moderate))]
        );
        assert_eq!(valves("Sever MR, flail P2 segment."), [(Valve::Mitral, Lesion::Regurgitation, Some(Severe))]);
        assert_eq!(valves("TR with RV dilatation."), [(Valve::Tricuspid, Lesion::Regurgitation, None)]);
    }
}
