//! LVEF: numbers after an ejection-fraction keyword, follow-on numbers ("now improved to 45%"),
//! and qualitative bands of LV systolic function ("mildly reduced LV function").

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::Candidate;
use crate::fact::{EfBand, EfMethod, Fact, LvefValue};

/// A keyword, up to 40 characters of words that are not a figure or a stop, then the figure.
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \b(?:lv\s*ef|lvef|ef|ejection\s+fraction)\b
        [^.;%\d]{0,40}?
        (?P<cmp><|>|≤|≥|less\s+than|greater\s+than|more\s+than|below|above|under|over)?\s*
        (?P<a>\d{1,2})(?:\.\d)?
        (?:\s*(?:-|–|—|to)\s*(?P<b>\d{1,2})(?:\.\d)?)?
        \s*(?:%|percent\b|per\s+cent\b)",
    )
    .expect("valid")
});

/// A later figure in the same sentence that continues the story ("…, now improved to 45%").
static FOLLOW_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:now|today|currently|improved|increased|decreased|fallen|dropped)\b[^.;%\d]{0,20}?(?P<a>\d{1,2})\s*%",
    )
    .expect("valid")
});

const BAND_WORDS: &str = r"(?P<band>normal|good|preserved|(?:mildly|mild)\s+(?:reduced|impaired|depressed)|(?:moderately|moderate)\s+(?:reduced|impaired|depressed)|(?:severely|severe)\s+(?:reduced|impaired|depressed)|reduced|impaired|depressed|poor)";
const FUNCTION: &str =
    r"(?:(?:lv|left\s+ventricular|biventricular)\s+)?(?:systolic\s+)?(?:size\s+and\s+)?(?:systolic\s+)?function";

/// "<band> LV (systolic) function" and "LV (systolic) function (is) <band>".
static BAND_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\b{BAND_WORDS}\s+{FUNCTION}\b")).expect("valid"));
static BAND_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:lv|left\s+ventricular)\s+(?:systolic\s+)?function\s+(?:is\s+|was\s+|appears\s+)?{BAND_WORDS}\b"
    ))
    .expect("valid")
});

static METHOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<simpson>simpson'?s?|biplane|method\s+of\s+discs)|(?P<visual>visual(?:ly)?|eyeball(?:ed)?)|(?P<teichholz>teichholz)|(?P<mri>mri|cmr|cardiac\s+magnetic)|(?P<muga>muga|radionuclide)")
        .expect("valid")
});

pub(crate) fn find(sentence: &str, out: &mut Vec<Candidate>) {
    let mut last_end = None;
    for caps in NUMERIC.captures_iter(sentence) {
        let whole = caps.get(0).expect("match");
        if let Some(value) = numeric_value(&caps) {
            let method = method_near(sentence, whole.start(), whole.end());
            out.push(Candidate::new(Fact::Lvef { value, method }, whole.range(), 0.95));
            last_end = Some(whole.end());
        }
    }
    if let Some(after) = last_end {
        for caps in FOLLOW_ON.captures_iter(&sentence[after..]) {
            let whole = caps.get(0).expect("match");
            let a = caps.name("a").and_then(|m| m.as_str().parse::<u8>().ok());
            if let Some(value) = a.filter(|v| (5..=90).contains(v)).map(LvefValue::Point) {
                let span = after + whole.start()..after + whole.end();
                let method = method_near(sentence, span.start, span.end);
                out.push(Candidate::new(Fact::Lvef { value, method }, span, 0.8));
            }
        }
    }
    for pattern in [&*BAND_BEFORE, &*BAND_AFTER] {
        for caps in pattern.captures_iter(sentence) {
            let whole = caps.get(0).expect("match");
            let Some(band) = caps.name("band").map(|m| band_of(m.as_str())) else { continue };
            let confidence = if band == EfBand::Reduced { 0.75 } else { 0.85 };
            out.push(Candidate::new(
                Fact::Lvef { value: LvefValue::Band(band), method: None },
                whole.range(),
                confidence,
            ));
        }
    }
}

/// The figure, if it is a plausible LVEF (5–90 %; a range low to high).
fn numeric_value(caps: &Captures<'_>) -> Option<LvefValue> {
    let a: u8 = caps.name("a")?.as_str().parse().ok()?;
    let b: Option<u8> = caps.name("b").and_then(|m| m.as_str().parse().ok());
    let plausible = |v: u8| (5..=90).contains(&v);
    if !plausible(a) || b.is_some_and(|b| !plausible(b) || b < a) {
        return None;
    }
    let cmp = caps.name("cmp").map(|m| m.as_str());
    Some(match (cmp, b) {
        (_, Some(b)) if b > a => LvefValue::Range { low: a, high: b },
        (Some(c), _) if c.starts_with(['<', '≤']) || c.starts_with("less") || c == "below" || c == "under" => {
            LvefValue::Below(a)
        }
        (Some(_), _) => LvefValue::Above(a),
        (None, _) => LvefValue::Point(a),
    })
}

/// The method named within 50 bytes before the keyword or 40 after the figure.
fn method_near(sentence: &str, start: usize, end: usize) -> Option<EfMethod> {
    let from = floor_char(sentence, start.saturating_sub(50));
    let to = floor_char(sentence, (end + 40).min(sentence.len()));
    let window = &sentence[from..to];
    let caps = METHOD.captures(window)?;
    let names = [
        ("simpson", EfMethod::Simpson),
        ("visual", EfMethod::Visual),
        ("teichholz", EfMethod::Teichholz),
        ("mri", EfMethod::Mri),
        ("muga", EfMethod::Muga),
    ];
    names.iter().find(|(name, _)| caps.name(name).is_some()).map(|(_, method)| *method)
}

fn floor_char(text: &str, mut idx: usize) -> usize {
    while !text.is_char_boundary(idx) {
        idx -= 1;
    }
    idx
}

fn band_of(words: &str) -> EfBand {
    if words.starts_with("mild") {
        EfBand::MildlyReduced
    } else if words.starts_with("moderate") {
        EfBand::ModeratelyReduced
    } else if words.starts_with("sever") {
        EfBand::SeverelyReduced
    } else if matches!(words, "normal" | "good" | "preserved") {
        EfBand::Normal
    } else {
        EfBand::Reduced
    }
}
