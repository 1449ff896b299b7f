//! LVEF: numbers after an ejection-fraction keyword ("improved from 30 to 45%" is 45, not a
//! range), follow-on numbers after a figure or a band ("now improved to 45%", "previously
//! 28%", "has now recovered to 52%"), and qualitative bands of LV systolic function ("mildly
//! reduced LV function", "severe LV systolic dysfunction", "mild-to-moderately impaired LV",
//! "LVEF normal"). "Heart failure with reduced ejection fraction" is a diagnosis and is not read
//! as a measurement.
//!
//! Report layouts: a flattened table row ("LVEF | 35 | %"), a fraction ("LVEF 0.38" is 38 %), an
//! arrow between two figures ("35% → 50%", the first earlier), a second figure with its own
//! method ("33% (visual), 31% (Simpson's)") and a bracketed band after a figure ("55% (normal)").
//!
//! A method belongs to its own figure ("Biplane EF 41%; 3D EF 44%": the 3D figure has none); an
//! LVEF with no method of its own takes an MRI or MUGA study its sentence or paragraph reports
//! ([`study_named`], applied in `crate::extract`).
//!
//! Approximate figures ("est. 40-45%", "approx. 30%", "~35%", "about 40%") are read with the
//! marker kept on the fact, so a screen can say the figure was an estimate. The keyword
//! "ejection fraction" is typo-tolerant: either word may be one edit off ("ejection fracton"),
//! not both.

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::words::{tokens, within_one_edit};
use super::Candidate;
use crate::fact::{EfBand, EfMethod, Fact, LvefValue};

/// The exact keywords.
static KEYWORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:lv\s*ef|lvef|levf|ef|ejection\s+fraction)\b").expect("valid"));

/// After a keyword: up to 40 characters that are not a figure or a stop (an abbreviated
/// approximate marker such as "est." may hold a full stop), then the figure.
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^(?P<gap>(?:[^.;%\d]|\b(?:est|approx|appr|ca|c|recov|prev)\.|\b[23]d\b|\b(?:19|20)\d\d\b|\b\d{1,2}\s*(?:%\s*)?points?\b){0,40}?)
        (?P<cmp><=|>=|<|>|≤|≥|less\s+than|greater\s+than|more\s+than|below|above|under|over|at\s+least)?\s*
        (?P<a>\d{1,2})(?:\.\d)?
        (?:\s*%?\s*(?:-|–|—|to|(?P<and>and))\s*(?P<b>\d{1,2})(?:\.\d)?)?
        \s*(?:\|\s*)?(?:%|percent\b|per\s+cent\b|pct\b)
        (?:\s+or\s+(?:(?P<or_below>less|lower|below|under)|(?P<or_above>more|greater|higher|above|over))\b)?",
    )
    .expect("valid")
});

/// A gap that ends in "between": "and" then joins two figures into a range.
static BETWEEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bbetween\s*$").expect("valid"));

/// A gap that ends in "from": the two figures after it are a change ("from 30 to 45%").
static CHANGE_FROM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bfrom\s*$").expect("valid"));

/// A fraction after the keyword, as echo and MRI software print it ("LVEF 0.38 by MRI"): read
/// as a percent (0.38 is 38 %). Only 0.05–0.90 is plausible, and a `%` after it would make it
/// something else, so the figure must not be followed by one.
static FRACTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<gap>[^.;%\d]{0,15}?)0\.(?P<a>\d{1,2})\b(?P<after>\s*%)?").expect("valid"));

/// A figure with no `%` after an approximate word ("EF ~45 visually", "the EF at about 60", "an
/// ejection fraction around 30"): with the hedge a bare two-digit number is the EF. A unit
/// after it makes it something else ([`BARE_UNIT`]).
static BARE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?P<gap>[^.;%\d]{0,25}?)(?P<a>\d{2})\b").expect("valid"));
/// A bare figure right after the keyword, as quick notes and patients write it ("EF 35.", "EF
/// 60, no RWMA", "Ef 45-50", "my EF is 40 now", "if her EF falls below 35"): only the keyword,
/// a colon or one linking verb between them, so a number further on is not taken for the EF.
static BARE_TIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<gap>\s*[:=]?\s*(?:(?:is|was|of|falls?|drops?)\s+)?)(?P<cmp>(?:below|under|<|>)\s*)?(?P<a>\d{2})(?:\s*[-–]\s*(?P<b>\d{2}))?\b")
        .expect("valid")
});
/// What may follow a bare figure: the clause ends, or a word that dates or qualifies it ("EF is
/// 40 now", "below 35 despite meds"). Anything else ("EF 45 and stable", "EF 12 months ago")
/// leaves the number unread.
static BARE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:$|[.,;:)!?]|(?:now|today|currently|despite|on|by)\b)").expect("valid"));
static BARE_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s*(?:mm|cm|ms|ml|bpm|kg|mmhg|mg|min|s\b|/|[-–]|\.\d|,\d|x\b)|\.\d)").expect("valid")
});

/// A figure in words with its unit, as dictated letters write it ("an ejection fraction of
/// approximately forty percent", "EF thirty-five per cent"): tens from ten to ninety, with an
/// optional five.
static WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<gap>[^.;%\d]{0,25}?)\b(?P<tens>ten|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?P<five>five))?(?:\s+(?:to|-)\s+(?P<tens2>ten|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?P<five2>five))?)?\s*(?:%|percent\b|per\s+cent\b)")
        .expect("valid")
});

/// An arrow after a figure: a change, the first figure earlier, the second now ("LVEF 35% →
/// 50%"). A bracketed date may stand before the arrow and a few words after it, so a sequence
/// reads link by link: "20% (2017) -> recovered to 55% (2019) -> 50% today".
static ARROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\(\s*[^()]{1,20}\)\s*|(?:on|in|by)\s+(?:[a-z]+\s+){0,2}(?:\d{1,2}/)?(?:19|20)\d\d\s*)?(?:→|->|=>|⇒|➔)\s*(?:[a-z]+\s+){0,3}?(?P<a>\d{1,2})\s*%").expect("valid")
});

/// A band word right after a figure, in brackets or closing the clause after a comma: "LVEF
/// 55-60% (normal)", "EF 35-40% (mildly-moderately impaired)", "EF 35 %, moderately reduced.".
/// The report states both; the corpus convention counts two facts, after a comma too ("LVEF 60
/// %, normal.", "35%, which is moderately reduced").
static BRACKETED_BAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*(?:\(\s*(?P<band>normal|preserved|{GRADE}\s+{IMPAIRED}|{IMPAIRED})\s*\)|,\s*(?:which\s+is\s+)?(?P<tail>normal|preserved|{GRADE}\s+{IMPAIRED}|{IMPAIRED})\s*(?:$|[.;,]))"
    ))
    .expect("valid")
});

/// A second figure with its own method after a comma: "33% (visual), 31% (Simpson's biplane)".
static FOLLOW_METHOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[,;]\s*(?:and\s+)?(?P<figure>(?P<a>\d{1,2})(?:\s*%?\s*[-–](?P<b>\d{1,2}))?\s*%)\s*(?:\(\s*|by\s+|on\s+)(?:simpson|biplane|visual|eyeball|teic|mri|cmr|muga|3d|echo|tte)",
    )
    .expect("valid")
});

/// A second figure with its method before it: "EF by eye 40-45%, by Simpson's 38%".
static FOLLOW_METHOD_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[,;]\s*(?:and\s+)?(?:by|on|with|using)\s+(?:simpson|biplane|visual|eye|eyeball|teic|mri|cmr|muga|3d)[a-z']*\s+(?:[a-z']+\s+)?(?P<figure>(?P<a>\d{1,2})(?:\s*%?\s*[-–](?P<b>\d{1,2}))?\s*%)",
    )
    .expect("valid")
});

/// A word that marks a figure as approximate.
static APPROXIMATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"~|≈|\b(?:est|estimated?|approx|approximately|appr|about|around|roughly|circa|ca|c)\b").expect("valid")
});

/// A later figure in the same sentence that continues the story, after an EF figure or an LV
/// function word: a change ("…, now improved to 45%", "has now recovered to 52%") or an earlier
/// value ("LVEF 41%, previously 28%"). A range is kept ("previously 45-50%"); "from 30 to 45%"
/// is not a range, so "to" does not join one here.
static FOLLOW_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:now|today|currently|previously|previous|prev|prior|formerly|was|is|to|improved|improving|recovered|recovering|increased|decreased|reduced|fallen|fell|dropped|rose|risen|deteriorated|vs|versus|(?P<from>from|compared\s+(?:with|to)|nadir|baseline))\b\.?[^.;%\d]{0,20}?(?P<figure>(?P<a>\d{1,2})(?:\s*%?\s*[-–](?P<b>\d{1,2}))?\s*%)",
    )
    .expect("valid")
});

/// Words just before a follow-on figure that make it the earlier one: "down from", "compared with".
static EARLIER_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:from|compared\s+(?:with|to))\s*$").expect("valid"));

/// Words right after a figure that place it before now: "60% at baseline", "60% by 3D echo before
/// doxorubicin", "58% pre-chemo". (A bracketed date or a method may stand between.)
static EARLIER_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\([^()]{0,20}\)\s*)?(?:(?:by|on)\s+(?:[a-z0-9']+\s+){1,3}?)?(?:at\s+baseline|before\s+(?:starting\s+|the\s+)?[a-z]{3,}|pre-?(?:treatment|chemo\w*|op)\b)")
        .expect("valid")
});

/// A date right after a figure ("35% in Jan-2021", "42% in 06/2023", "20-25% on TTE 2019"): with a
/// later figure said to hold now ([`LATER_NOW`]), the dated one is earlier.
static DATED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:in|on)\s+(?:[a-z]+\s+)?(?:[a-z]{3,9}[\s-]+)?(?:\d{1,2}/)?(?:19|20)\d\d\b").expect("valid")
});
static LATER_NOW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d\s*%\s*(?:today|now|currently|at\s+present)\b|\b(?:today|now|currently)\s+(?:is\s+)?\d{1,2}\s*%")
        .expect("valid")
});

/// Whether the figure ending at `end` is dated and a later figure in the sentence holds now.
fn dated_before_now(sentence: &str, end: usize) -> bool {
    DATED_AFTER.find(&sentence[end..]).is_some_and(|date| LATER_NOW.is_match(&sentence[end + date.end()..]))
}

/// A later figure said to hold now, after a comma: "LVEF 45% on MUGA in 2022, 50% today".
static FOLLOW_NOW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:[,;]\s*|\s+and\s+)(?P<figure>(?P<a>\d{1,2})(?:\s*%?\s*[-–](?P<b>\d{1,2}))?\s*%)\s+(?:today|now|currently|at\s+present|in\s+(?:[a-z]{3,9}[\s-]+)?(?:\d{1,2}/)?(?:19|20)\d\d)\b",
    )
    .expect("valid")
});

/// What else a percentage near a follow-on figure may be: a stenosis, a saturation, HbA1c.
static OTHER_PERCENTAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:stenos\w*|occlu\w*|narrow\w*|sats?|saturations?|spo2|o2|hba1c|burden|lad|rca|lcx|cx|graft)\b")
        .expect("valid")
});

/// A grade, or a range of two grades ("mild-to-moderately", "moderate to severe").
/// The grade words' common typos that drop an "e" are grades too ("severly", "moderatly", "mildy").
/// "Markedly" and "grossly" impaired are severe.
const GRADE: &str = r"(?:mild(?:l?y)?|moderate?(?:ly)?|mod\.?|severe?(?:ly)?|sev\.?|marked(?:ly)?|gross(?:ly)?)(?:(?:\s*[-–—/]\s*(?:to\s*[-–—]\s*)?|\s+to\s+)(?:mild(?:l?y)?|moderate?(?:ly)?|mod\.?|severe?(?:ly)?|sev\.?))?";
/// "function" and its common typos ("fucntion", "funtion", "fuction", "functon").
const FUNCTION: &str = r"(?:function|fucntion|funtion|fuction|functon|funciton|fn)";
const IMPAIRED: &str = r"(?:reduced|impaired|depressed|decreased)";
/// Words for a normal LV: "low normal" and "at the lower limit of normal" are still normal (ASE/EACVI
/// 2015 chamber quantification: normal LVEF 52–72 % in men, 54–74 % in women; a low-normal
/// figure is inside that range); "LVEF normalised" says it is normal now.
const NORMAL: &str =
    r"(?:normali[sz]ed|normal|good|preserved|(?:at\s+(?:the\s+)?)?(?:lower\s+limit\s+of|low[\s-]?)\s*normal)";
/// What a structural word list may hold before "systolic function" ("normal LV size, wall
/// thickness and systolic function").
const STRUCTURE: &str =
    r"(?:size|dimensions|cavity\s+size|wall\s+thickness|thickness|wall\s+motion|volumes?)\s*(?:,\s*(?:and\s+)?|and\s+)";

/// "<band> LV (size, … and) (systolic) function" and "LV (systolic) function (is) <band>".
static BAND_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?P<band>normal|good|preserved|{GRADE}\s+{IMPAIRED}|{IMPAIRED}|poor)\s+(?:(?:(?:lv|left\s+ventricular|biventricular)\s+)?(?:systolic\s+)?(?:{STRUCTURE})*(?:systolic\s+)?{FUNCTION}|lvsf)\b"
    ))
    .expect("valid")
});
static BAND_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?:lv|left\s+ventricular)\s+(?:systolic\s+)?{FUNCTION}|lvsf|systolic\s+{FUNCTION})(?:\s*[:–-]\s*|\s+(?:is|was|appears|remains|has)\s+(?:now\s+|no\s+longer\s+|not\s+)?|\s+)(?P<band>{NORMAL}|{GRADE}\s+{IMPAIRED}|{IMPAIRED}|poor)\b"
    ))
    .expect("valid")
});
/// "(severe) LV (systolic) dysfunction / impairment" and "(mild) LVSD": the noun forms, graded
/// or not. The LV must be named, so "RV systolic dysfunction" and "diastolic dysfunction" are
/// not read.
static BAND_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?P<band>{GRADE})\s+)?(?:(?:lv|left\s+ventricular)\s+(?:systolic\s+)?(?:dysfunction|impairment)|lvsd)\b"
    ))
    .expect("valid")
});

/// The band with the keyword: "LVEF normal", "EF now normal", "EF: severely reduced", "preserved LVEF"; "EF is no
/// longer reduced" is the band, negated by its "no".
static KEYWORD_THEN_BAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:lv\s*ef|lvef|ef|ejection\s+fraction)(?:\s*[:–-]\s*|\s+(?:is|was|appears|remains)\s+(?:no\s+longer\s+)?|\s+(?:now\s+)?)(?P<band>{NORMAL}|{GRADE}\s+{IMPAIRED}|{IMPAIRED}|poor)\b"
    ))
    .expect("valid")
});
static BAND_THEN_KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?P<band>normal|good|preserved|{GRADE}\s+{IMPAIRED}|{IMPAIRED}|poor)\s+(?:(?:lv|left\s+ventricular)\s+)?(?:lv\s*ef|lvef|ef|ejection\s+fraction)\b"
    ))
    .expect("valid")
});
/// A band said of an EF that was not measured: "EF not calculated; qualitatively normal",
/// "visually moderately impaired". Read only when the sentence names the EF or LV function.
static QUALITATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?P<how>qualitatively|visually|by\s+eye)\s+(?:estimated\s+(?:as\s+|at\s+)?)?(?P<band>{NORMAL}|{GRADE}\s+{IMPAIRED}|{IMPAIRED})\b"
    ))
    .expect("valid")
});
static NAMES_EF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:lv\s*ef|lvef|ef|ejection\s+fraction|lv\s+(?:systolic\s+)?function|lvsf)\b").expect("valid")
});

/// "Heart failure with reduced ejection fraction" names a diagnosis, not a measurement.
static DIAGNOSIS_BEFORE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bfailure\s+with\s*$").expect("valid"));
/// "Moderately impaired LV." with nothing after the chamber: its function; so is a report's
/// "LV moderately impaired, EF ~35-40%" (a graded word, closing its clause). ("Impaired LV
/// relaxation" is diastolic, so a word after "LV" stops the match.)
/// A band whose figure follows in brackets: "moderately impaired (EF 35-40%)", "Systolic
/// function: mildly reduced (EF 45%)". The corpus convention counts the band and the figure.
static BAND_THEN_BRACKETED_EF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b(?P<band>{NORMAL}|{GRADE}\s+{IMPAIRED}|{IMPAIRED}|poor)\s*\(\s*(?:lv\s*ef|lvef|ef)\b"))
        .expect("valid")
});
/// Right-ventricular function, which a bare "systolic function" after it belongs to.
static RIGHT_VENTRICLE_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:rv|right\s+ventricular|rvsf)\s*$").expect("valid"));
static BAND_CHAMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b(?P<band>{GRADE}\s+{IMPAIRED}|{IMPAIRED}|poor)\s+(?:lv|left\s+ventricle)(?:\s*(?:$|[.,;:()])|\s+with\s+(?:an?\s+)?(?:lv\s*ef|lvef|ef|ejection))|\b(?:lv|left\s+ventricle)\s+(?P<after>{GRADE}\s+{IMPAIRED})\s*(?:$|[.,;:(])"))
        .expect("valid")
});

static METHOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:(?P<simpson>simpson'?s?|biplane|method\s+of\s+discs|mod\s*bp)|(?P<visual>visual(?:ly)?|eyeball(?:ed|ing)?|by\s+eye)|(?P<teichholz>teic?h?h?olz|teich\b)|(?P<mri>mri|cmr|cardiac\s+magnetic|cardiac\s+mr\b|mr\s+imaging)|(?P<muga>muga|radionuclide))")
        .expect("valid")
});

/// A study named in a sentence: an MRI or MUGA report gives its method to the LVEF it states
/// ([`study_method`]); an echo names no one method (Simpson's, visual and 3D are all echo).
static STUDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:(?P<mri>cmr|mri|cardiac\s+mr|cardiac\s+magnetic|mr\s+imaging)|(?P<muga>muga|radionuclide)|(?P<echo>echo\w*|tte|toe|tee|transthoracic|trans-?o?esophageal))\b")
        .expect("valid")
});

/// What a sentence says of the study its LVEF comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StudyNamed {
    /// No study named: a report's later sentence ("Stress perfusion CMR: no inducible
    /// ischaemia. LV systolic function normal.") keeps the study of the one before.
    None,
    /// One kind of study, and the method it implies (none for echo).
    One(Option<EfMethod>),
    /// Several kinds ("CMR 44% vs 50% by echo"): no sentence-wide method.
    Several,
}

/// The study the sentence names ([`StudyNamed`]).
pub(crate) fn study_named(sentence: &str) -> StudyNamed {
    let mut kinds = STUDY.captures_iter(sentence).map(|caps| {
        if caps.name("mri").is_some() {
            Some(EfMethod::Mri)
        } else if caps.name("muga").is_some() {
            Some(EfMethod::Muga)
        } else {
            None
        }
    });
    let Some(first) = kinds.next() else { return StudyNamed::None };
    if kinds.all(|kind| kind == first) {
        StudyNamed::One(first)
    } else {
        StudyNamed::Several
    }
}

/// A keyword found in the sentence, and whether it was matched through a typo.
struct Keyword {
    range: Range<usize>,
    typo: bool,
}

pub(crate) fn find(sentence: &str, out: &mut Vec<Candidate>) {
    // Where each figure read after a keyword lies, so a follow-on does not read it twice.
    let mut figures: Vec<Range<usize>> = Vec::new();
    for keyword in keywords(sentence) {
        if figures.last().is_some_and(|last| keyword.range.start < last.end) {
            continue;
        }
        let Some(caps) = FIGURE.captures(&sentence[keyword.range.end..]) else {
            if let Some(span) = unpercented(sentence, &keyword, out) {
                figures.push(span);
            }
            continue;
        };
        let Some(value) = numeric_value(&caps) else { continue };
        let figure = caps.get(0).expect("match");
        let span = keyword.range.start..keyword.range.end + figure.end();
        let floor = figures.last().map_or(0, |f| f.end);
        let method = method_near(sentence, floor, span.start, span.end);
        let gap_end = caps.name("gap").map_or(0, |gap| gap.end());
        let approximate = caps.name("gap").is_some_and(|gap| APPROXIMATE.is_match(gap.as_str()));
        let confidence = if keyword.typo { 0.7 } else { 0.95 };
        // ConText judges the figure, so a trigger between keyword and figure counts: "LVEF
        // previously reported as 45-50%".
        let at = keyword.range.end + gap_end..span.end;
        figures.push(span.clone());
        let arrow = ARROW.captures(&sentence[span.end..]);
        let candidate = Candidate::new(Fact::Lvef { value, method, approximate }, span.clone(), confidence).measured();
        // "35% → 50%": the figure before the arrow is the earlier one; so is "60% at baseline".
        let earlier =
            arrow.is_some() || EARLIER_AFTER.is_match(&sentence[span.end..]) || dated_before_now(sentence, span.end);
        out.push(if earlier { candidate.past() } else { candidate }.context_at(at.clone()));
        // Each later figure of a chain is earlier than the next; the last one holds now.
        let (mut link_end, mut next) = (span.end, arrow);
        while let Some(arrow) = next {
            let later = arrow.name("a").expect("group");
            let Some(v) = later.as_str().parse::<u8>().ok().filter(|v| (5..=90).contains(v)) else { break };
            let later_at = link_end + later.start()..link_end + arrow.get(0).expect("match").end();
            next = ARROW.captures(&sentence[later_at.end..]);
            let fact = Fact::Lvef { value: LvefValue::Point(v), method: None, approximate: false };
            figures.push(later_at.clone());
            let candidate = Candidate::new(fact, later_at.clone(), 0.9).measured();
            out.push(if next.is_some() { candidate.past() } else { candidate }.context_at(later_at.clone()));
            link_end = later_at.end;
        }
        let band = BRACKETED_BAND.captures(&sentence[span.end..]);
        if let Some(words) = band.as_ref().and_then(|band| band.name("band").or_else(|| band.name("tail"))) {
            let fact = Fact::Lvef { value: LvefValue::Band(band_of(words.as_str())), method: None, approximate: false };
            let band_at = span.end + words.start()..span.end + words.end();
            out.push(Candidate::new(fact, band_at, 0.85).context_at(at));
        }
        // "Improved from 25% to 42%": the figure it changed from is the earlier one.
        let change = caps.name("gap").is_some_and(|gap| CHANGE_FROM.is_match(gap.as_str()));
        if let (true, Some(first), Some(_)) = (change, caps.name("a"), caps.name("b")) {
            if let Some(earlier) = first.as_str().parse::<u8>().ok().filter(|v| (5..=90).contains(v)) {
                let at = keyword.range.end + first.start()..keyword.range.end + first.end();
                let fact = Fact::Lvef { value: LvefValue::Point(earlier), method: None, approximate: false };
                out.push(Candidate::new(fact, at.clone(), 0.8).measured().past().context_at(at));
            }
        }
    }
    let mut first_end = figures.first().map(|f| f.end);
    let patterns = [
        &*BAND_BEFORE,
        &*BAND_AFTER,
        &*BAND_NOUN,
        &*KEYWORD_THEN_BAND,
        &*BAND_THEN_KEYWORD,
        &*BAND_CHAMBER,
        &*BAND_THEN_BRACKETED_EF,
    ];
    for pattern in patterns {
        for caps in pattern.captures_iter(sentence) {
            let whole = caps.get(0).expect("match");
            let before = &sentence[..whole.start()];
            if DIAGNOSIS_BEFORE.is_match(before) || RIGHT_VENTRICLE_BEFORE.is_match(before) {
                continue;
            }
            let band =
                caps.name("band").or_else(|| caps.name("after")).map_or(EfBand::Reduced, |m| band_of(m.as_str()));
            let confidence = if band == EfBand::Reduced { 0.75 } else { 0.85 };
            first_end = Some(first_end.map_or(whole.end(), |end| end.min(whole.end())));
            let candidate = Candidate::new(
                Fact::Lvef { value: LvefValue::Band(band), method: None, approximate: false },
                whole.range(),
                confidence,
            );
            // "EF is no longer reduced", "LV function is not impaired": ConText judges the band
            // word, so the "no" or "not" negates it.
            let negated_inside = whole.as_str().contains("no longer") || whole.as_str().contains(" not ");
            out.push(match caps.name("band").filter(|_| negated_inside) {
                Some(words) => candidate.context_at(words.range()),
                None => candidate,
            });
        }
    }
    if NAMES_EF.is_match(sentence) {
        for caps in QUALITATIVE.captures_iter(sentence) {
            let whole = caps.get(0).expect("match");
            let band = band_of(caps.name("band").expect("group").as_str());
            let method = (caps.name("how").expect("group").as_str() != "qualitatively").then_some(EfMethod::Visual);
            let fact = Fact::Lvef { value: LvefValue::Band(band), method, approximate: false };
            out.push(Candidate::new(fact, whole.range(), 0.8));
        }
    }
    if let Some(after) = first_end {
        follow_ons(sentence, after, &figures, out);
    }
}

/// A figure after the keyword that has no `%`: a fraction ("LVEF 0.38"), a bare number after
/// an approximate word ("EF ~45 visually"), or a figure in words ("forty percent"). Returns
/// where it lies.
fn unpercented(sentence: &str, keyword: &Keyword, out: &mut Vec<Candidate>) -> Option<Range<usize>> {
    let rest = &sentence[keyword.range.end..];
    let (caps, value, approximate) = match FRACTION.captures(rest).filter(|c| c.name("after").is_none()) {
        Some(caps) => {
            let digits = caps.name("a")?.as_str();
            let v: u8 = digits.parse().ok()?;
            let value = if digits.len() == 1 { v * 10 } else { v };
            (caps, LvefValue::Point(value), false)
        }
        None if WORDS.is_match(rest) => {
            let caps = WORDS.captures(rest)?;
            let low = in_words(caps.name("tens")?.as_str(), caps.name("five").is_some());
            // "forty to forty five per cent" is a range, as "40-45%" is.
            let value = match caps.name("tens2") {
                Some(tens2) => {
                    let high = in_words(tens2.as_str(), caps.name("five2").is_some());
                    (high > low).then_some(LvefValue::Range { low, high })?
                }
                None => LvefValue::Point(low),
            };
            let approximate = caps.name("gap").is_some_and(|gap| APPROXIMATE.is_match(gap.as_str()));
            (caps, value, approximate)
        }
        None => match BARE.captures(rest).filter(|caps| {
            caps.name("gap").is_some_and(|gap| APPROXIMATE.is_match(gap.as_str()))
                && caps.get(0).is_some_and(|whole| !BARE_UNIT.is_match(&rest[whole.end()..]))
        }) {
            Some(caps) => {
                let value = LvefValue::Point(caps.name("a")?.as_str().parse().ok()?);
                (caps, value, true)
            }
            None => {
                let caps = BARE_TIGHT.captures(rest).filter(|_| !keyword.typo)?;
                let after = &rest[caps.get(0)?.end()..];
                if BARE_UNIT.is_match(after) || !BARE_END.is_match(after) {
                    return None;
                }
                let a: u8 = caps.name("a")?.as_str().parse().ok()?;
                let value = match (caps.name("b"), caps.name("cmp").map(|c| c.as_str().trim())) {
                    (Some(b), _) => {
                        let b: u8 = b.as_str().parse().ok()?;
                        (b > a && b <= 90).then_some(LvefValue::Range { low: a, high: b })?
                    }
                    (None, Some("below" | "under" | "<")) => LvefValue::Below(a),
                    (None, Some(_)) => LvefValue::Above(a),
                    (None, None) => LvefValue::Point(a),
                };
                (caps, value, false)
            }
        },
    };
    let low = match value {
        LvefValue::Point(v) | LvefValue::Below(v) | LvefValue::Above(v) | LvefValue::Range { low: v, .. } => v,
        LvefValue::Band(_) => return None,
    };
    if !(5..=90).contains(&low) {
        return None;
    }
    let whole = caps.get(0)?;
    let span = keyword.range.start..keyword.range.end + whole.end();
    let method = method_near(sentence, 0, span.start, span.end);
    let at = keyword.range.end + caps.name("gap").map_or(0, |g| g.end())..span.end;
    let fact = Fact::Lvef { value, method, approximate };
    let confidence = if keyword.typo { 0.65 } else { 0.85 };
    out.push(Candidate::new(fact, span.clone(), confidence).measured().context_at(at));
    Some(span)
}

/// The figures after `after` that continue an EF statement ([`FOLLOW_ON`]), skipping those a
/// keyword already read. A follow-on takes a method written after it ("now 35% by Simpson's"),
/// not the first figure's.
fn follow_ons(sentence: &str, after: usize, figures: &[Range<usize>], out: &mut Vec<Candidate>) {
    let mut seen = figures.to_vec();
    let rest = &sentence[after..];
    let patterns = [&*FOLLOW_ON, &*FOLLOW_NOW, &*FOLLOW_METHOD, &*FOLLOW_METHOD_BEFORE];
    for caps in patterns.into_iter().flat_map(|p| p.captures_iter(rest)) {
        let whole = caps.get(0).expect("match");
        let figure = caps.name("figure").expect("group");
        let at = after + figure.start()..after + figure.end();
        if seen.iter().any(|f| f.start < at.end && at.start < f.end) {
            continue;
        }
        seen.push(at.clone());
        let parse = |name| caps.name(name).and_then(|m| m.as_str().parse::<u8>().ok());
        let plausible = |v: &u8| (5..=90).contains(v);
        let value = match (parse("a").filter(plausible), caps.name("b").map(|_| parse("b").filter(plausible))) {
            (Some(a), None) => LvefValue::Point(a),
            (Some(a), Some(Some(b))) if b > a => LvefValue::Range { low: a, high: b },
            _ => continue,
        };
        let span = after + whole.start()..at.end;
        let near = floor_char(sentence, span.start.saturating_sub(20))
            ..floor_char(sentence, (span.end + 15).min(sentence.len()));
        if OTHER_PERCENTAGE.is_match(&sentence[near]) {
            continue;
        }
        let to = floor_char(sentence, (span.end + 40).min(sentence.len()));
        let method = method_in(&sentence[span.start..to]);
        let candidate = Candidate::new(Fact::Lvef { value, method, approximate: false }, span, 0.8).measured();
        // "Down from 45%": the figure it came from is the earlier one.
        // An earlier match word may take the gap ("58% today, down from 64%"), so the words just
        // before the figure are asked too.
        let came_from = caps.name("from").is_some()
            || EARLIER_BEFORE.is_match(&rest[whole.start()..figure.start()])
            || EARLIER_AFTER.is_match(&sentence[at.end..])
            || dated_before_now(sentence, at.end);
        let candidate = if came_from { candidate.past() } else { candidate };
        out.push(candidate.context_at(at));
    }
}

/// The keywords in the sentence, in order: the exact ones, and "ejection fraction" with one of
/// its two words one edit off (a typo).
fn keywords(sentence: &str) -> Vec<Keyword> {
    let mut out: Vec<Keyword> =
        KEYWORD.find_iter(sentence).map(|m| Keyword { range: m.range(), typo: false }).collect();
    let words = tokens(sentence);
    for pair in words.windows(2) {
        let (first, second) = (&pair[0], &pair[1]);
        if !sentence[first.range.end..second.range.start].trim().is_empty() {
            continue;
        }
        let exact = (first.text == "ejection", second.text == "fraction");
        let typo = match exact {
            (true, true) => false,
            (true, false) => within_one_edit(second.text, "fraction"),
            (false, true) => within_one_edit(first.text, "ejection"),
            (false, false) => false,
        };
        if typo {
            out.push(Keyword { range: first.range.start..second.range.end, typo: true });
        }
    }
    out.sort_by_key(|k| k.range.start);
    out
}

/// A figure in words: the tens word, plus five when "five" follows a round ten.
fn in_words(tens: &str, five: bool) -> u8 {
    let tens = match tens {
        "ten" => 10,
        "fifteen" => 15,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        _ => 90,
    };
    if five && tens % 10 == 0 {
        tens + 5
    } else {
        tens
    }
}

/// The figure, if it is a plausible LVEF (5–90 %; a range low to high).
fn numeric_value(caps: &Captures<'_>) -> Option<LvefValue> {
    let a: u8 = caps.name("a")?.as_str().parse().ok()?;
    // "and" joins a range only after "between" ("estimated between 35 and 40 per cent").
    if caps.name("and").is_some() && !caps.name("gap").is_some_and(|gap| BETWEEN.is_match(gap.as_str())) {
        return None;
    }
    let b: Option<u8> = caps.name("b").and_then(|m| m.as_str().parse().ok());
    let plausible = |v: u8| (5..=90).contains(&v);
    // "Improved from 30 to 45%" is a change, not a range: the figure now is the second.
    let change = caps.name("gap").is_some_and(|gap| CHANGE_FROM.is_match(gap.as_str()));
    if let (true, Some(b)) = (change, b) {
        return (plausible(a) && plausible(b)).then_some(LvefValue::Point(b));
    }
    if !plausible(a) || b.is_some_and(|b| !plausible(b) || b < a) {
        return None;
    }
    // A bound written after the figure ("35% or less", "50% or above") is the same bound as
    // "≤ 35%" and "≥ 50%" (corpus/README.md: bounds have two forms only).
    let cmp = caps
        .name("cmp")
        .map(|m| m.as_str())
        .or_else(|| caps.name("or_below").map(|_| "<").or_else(|| caps.name("or_above").map(|_| ">")));
    Some(match (cmp, b) {
        (_, Some(b)) if b > a => LvefValue::Range { low: a, high: b },
        (Some(c), _) if c.starts_with(['<', '≤']) || c.starts_with("less") || c == "below" || c == "under" => {
            LvefValue::Below(a)
        }
        (Some(_), _) => LvefValue::Above(a),
        (None, _) => LvefValue::Point(a),
    })
}

/// The method named within 50 bytes before the keyword or 40 after the figure, in the figure's
/// own stretch: not before `floor` (the end of the figure before it) nor across a semicolon, so
/// in "Biplane EF 41%; 3D EF 44%" the second figure has no method.
fn method_near(sentence: &str, floor: usize, start: usize, end: usize) -> Option<EfMethod> {
    let from = floor_char(sentence, start.saturating_sub(50)).max(floor);
    let from = sentence[from..start].rfind(';').map_or(from, |idx| from + idx + 1);
    let to = floor_char(sentence, (end + 40).min(sentence.len()));
    let to = sentence[end..to].find(';').map_or(to, |idx| end + idx);
    method_in(&sentence[from..to])
}

/// The first method named in `window`, or else a method word one edit off ("visaul",
/// "simspon"): a method word is long enough that one edit does not reach another word.
fn method_in(window: &str) -> Option<EfMethod> {
    let Some(caps) = METHOD.captures(window) else {
        let typo = [("visual", EfMethod::Visual), ("simpson", EfMethod::Simpson), ("biplane", EfMethod::Simpson)];
        return tokens(window).iter().find_map(|word| {
            typo.iter().find(|(name, _)| within_one_edit(word.text, name)).map(|(_, method)| *method)
        });
    };
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

/// The band a grade (or grade range) with an impairment word names; "normal", "good" and
/// "preserved" are normal, an ungraded impairment word is [`EfBand::Reduced`].
fn band_of(words: &str) -> EfBand {
    let (mild, moderate, severe) = (
        words.contains("mild"),
        words.contains("mod"),
        words.contains("sev") || words.contains("marked") || words.contains("gross"),
    );
    match (mild, moderate, severe) {
        (true, true, _) => EfBand::MildlyToModeratelyReduced,
        (_, true, true) => EfBand::ModeratelyToSeverelyReduced,
        (true, _, _) => EfBand::MildlyReduced,
        (_, true, _) => EfBand::ModeratelyReduced,
        (_, _, true) => EfBand::SeverelyReduced,
        _ if words.contains("normal") || matches!(words, "good" | "preserved") => EfBand::Normal,
        _ => EfBand::Reduced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lvefs(sentence: &str) -> Vec<(LvefValue, Option<EfMethod>, bool)> {
        let mut out = Vec::new();
        find(sentence, &mut out);
        out.into_iter()
            .filter_map(|c| match c.fact {
                Fact::Lvef { value, method, approximate } => Some((value, method, approximate)),
                _ => None,
            })
            .collect()
    }

    /// Each LVEF value and whether its rule marked it as the earlier one.
    fn points(sentence: &str) -> Vec<(LvefValue, bool)> {
        let mut out = Vec::new();
        find(sentence, &mut out);
        out.into_iter()
            .filter_map(|c| match c.fact {
                Fact::Lvef { value, .. } => Some((value, c.past)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn figures_in_words_other_units_and_a_year_before_the_figure() {
        assert_eq!(lvefs("ejection fraction of approximately forty percent"), [(LvefValue::Point(40), None, true)]);
        assert_eq!(lvefs("ef thirty-five per cent"), [(LvefValue::Point(35), None, false)]);
        assert!(lvefs("ef forty minutes after").is_empty());
        assert_eq!(lvefs("ejection fraction 63 pct"), [(LvefValue::Point(63), None, false)]);
        assert_eq!(lvefs("ef on cmr in 2023 was 27%"), [(LvefValue::Point(27), Some(EfMethod::Mri), false)]);
        // A year is no figure: "EF 2019" alone gives nothing.
        assert!(lvefs("ef 2019 report").is_empty());
    }

    #[test]
    fn more_follow_on_figures() {
        let p = |v| LvefValue::Point(v);
        // The dated figure before one that holds now is the earlier one.
        assert_eq!(points("ef improved from 20% in 2021 to 38% now"), [(p(20), true), (p(38), false)]);
        assert_eq!(points("lvef 45 % (prev. 30 %)"), [(p(45), false), (p(30), false)]);
        assert_eq!(points("lvef of 42% compared with 25% last year"), [(p(42), false), (p(25), true)]);
        assert_eq!(points("muga lvef 58% today, down from 64%"), [(p(58), false), (p(64), true)]);
        assert_eq!(
            points("lvef was 28% in 2019 and 35% in 2022 and is 46% today"),
            [(p(28), true), (p(46), false), (p(35), true)]
        );
        // Another percentage after "to" is not an EF.
        assert_eq!(points("ef 35%, stenosis up to 70%"), [(p(35), false)]);
    }

    #[test]
    fn lvsf_and_a_state_that_holds_now() {
        let band = |b| (LvefValue::Band(b), None, false);
        assert_eq!(lvefs("moderately impaired lvsf."), [band(EfBand::ModeratelyReduced)]);
        assert_eq!(lvefs("lvsf mildly impaired"), [band(EfBand::MildlyReduced)]);
        assert_eq!(lvefs("his lv function is now normal"), [band(EfBand::Normal)]);
    }

    #[test]
    fn approximate_markers_keep_the_figure_and_say_so() {
        for sentence in ["lvef est. 40-45%", "ef approx. 40-45 %", "lvef ~40-45%", "ef about 40-45%", "ef c. 40-45%"] {
            assert_eq!(lvefs(sentence), [(LvefValue::Range { low: 40, high: 45 }, None, true)], "{sentence}");
        }
        assert_eq!(lvefs("lvef 40-45%"), [(LvefValue::Range { low: 40, high: 45 }, None, false)]);
        assert_eq!(lvefs("lvef 40%-45%"), [(LvefValue::Range { low: 40, high: 45 }, None, false)]);
    }

    #[test]
    fn either_keyword_word_may_be_one_edit_off() {
        for sentence in ["ejection fracton 50%", "ejection fraciton 50%", "ejectoin fraction 50%"] {
            assert_eq!(lvefs(sentence), [(LvefValue::Point(50), None, false)], "{sentence}");
        }
        // Both words off is too far from the keyword.
        assert!(lvefs("ejectoin fracton 50%").is_empty());
        assert!(lvefs("injection fraction 50%").is_empty());
    }

    #[test]
    fn function_words_and_ranges_of_grades() {
        let band = |b| (LvefValue::Band(b), None, false);
        assert_eq!(lvefs("severe lv systolic dysfunction"), [band(EfBand::SeverelyReduced)]);
        assert_eq!(lvefs("moderate lv impairment"), [band(EfBand::ModeratelyReduced)]);
        assert_eq!(lvefs("known lvsd"), [band(EfBand::Reduced)]);
        assert_eq!(
            lvefs("mild-to-moderately impaired lv systolic function"),
            [band(EfBand::MildlyToModeratelyReduced)]
        );
        assert_eq!(lvefs("lv function: moderately to severely reduced"), [band(EfBand::ModeratelyToSeverelyReduced)]);
        assert_eq!(lvefs("normal lv size, wall thickness and systolic function"), [band(EfBand::Normal)]);
        assert_eq!(lvefs("lvef normal"), [band(EfBand::Normal)]);
        assert_eq!(lvefs("ef: severely reduced"), [band(EfBand::SeverelyReduced)]);
        assert_eq!(lvefs("mildly reduced ejection fraction"), [band(EfBand::MildlyReduced)]);
        assert_eq!(lvefs("moderately impaired lv."), [band(EfBand::ModeratelyReduced)]);
        assert!(lvefs("heart failure with reduced ejection fraction").is_empty());
        assert!(lvefs("impaired lv relaxation").is_empty());
        // Another chamber, or diastole, is not the LVEF.
        assert!(lvefs("rv systolic dysfunction").is_empty());
        assert!(lvefs("grade 1 lv diastolic dysfunction").is_empty());
        assert!(lvefs("normal lv size and severely impaired systolic function")
            .iter()
            .all(|f| f.0 != LvefValue::Band(EfBand::Normal)));
    }

    #[test]
    fn follow_on_figures_after_a_figure_or_a_band() {
        let point = |v| (LvefValue::Point(v), None, false);
        assert_eq!(
            lvefs("biplane simpson's lvef 41%, previously 28% in 2019"),
            [(LvefValue::Point(41), Some(EfMethod::Simpson), false), point(28)]
        );
        assert_eq!(
            lvefs("lv function was severely impaired previously but has now recovered to 52% on 3d echo"),
            [(LvefValue::Band(EfBand::SeverelyReduced), None, false), point(52)]
        );
        assert_eq!(
            lvefs("lvef 30%, previously 45-50%"),
            [point(30), (LvefValue::Range { low: 45, high: 50 }, None, false)]
        );
        // A figure a keyword read is not read twice, and "from 30 to 45%" is no range.
        assert_eq!(
            lvefs("mildly impaired lv function, now lvef 45%"),
            [point(45), (LvefValue::Band(EfBand::MildlyReduced), None, false)]
        );
        // The figure a change started from is read too, as an earlier value.
        assert_eq!(lvefs("lvef improved from 30 to 45%"), [point(45), point(30)]);
        assert_eq!(lvefs("ef fell from 45% to 30%"), [point(30), point(45)]);
        let mut out = Vec::new();
        find("ef 35% (simpson's), down from 45%", &mut out);
        assert_eq!(out.iter().map(|c| c.past).collect::<Vec<_>>(), [false, true]);
        // A figure said to hold now, and one compared against.
        assert_eq!(lvefs("lvef 45% on muga in 2022, 50% today by echo")[1], point(50));
        assert_eq!(lvefs("lvef by cmr 44% vs 50% by echo")[1].0, LvefValue::Point(50));
        // Another percentage is not the EF.
        assert_eq!(lvefs("normal lv function, lad stenosis now 70%"), [(LvefValue::Band(EfBand::Normal), None, false)]);
    }

    #[test]
    fn cardiac_mr_is_the_method() {
        assert_eq!(lvefs("cardiac mr: lvef 33%"), [(LvefValue::Point(33), Some(EfMethod::Mri), false)]);
    }

    #[test]
    fn table_rows_fractions_and_bare_hedged_figures() {
        let point = |v, m| (LvefValue::Point(v), m, false);
        assert_eq!(lvefs("lvef | 35 | %"), [point(35, None)]);
        assert_eq!(lvefs("lvef (biplane simpson) | 41 | % | ref >52"), [point(41, Some(EfMethod::Simpson))]);
        assert_eq!(lvefs("lvef (3d) | 44 | %"), [point(44, None)]);
        assert_eq!(lvefs("ef 0.55 on muga"), [point(55, Some(EfMethod::Muga))]);
        assert_eq!(lvefs("lvef 0.4"), [point(40, None)]);
        assert_eq!(lvefs("ef about 40 visually"), [(LvefValue::Point(40), Some(EfMethod::Visual), true)]);
        // A fraction with a percent sign, an implausible fraction, a bare figure with no hedge or
        // with a unit are not the EF.
        assert!(lvefs("ef 0.02").is_empty());
        assert!(lvefs("ef 45 and stable").is_empty());
        assert!(lvefs("ef around 12 mm").is_empty());
        assert!(lvefs("lvef | 35 | mm").is_empty());
    }

    #[test]
    fn arrows_second_methods_and_bracketed_bands() {
        let mut out = Vec::new();
        find("lvef 35% -> 50% after crt", &mut out);
        let read: Vec<_> = out.iter().map(|c| (c.fact.clone(), c.past)).collect();
        let point = |v| Fact::Lvef { value: LvefValue::Point(v), method: None, approximate: false };
        assert_eq!(read, [(point(35), true), (point(50), false)]);
        assert_eq!(
            lvefs("lvef: 33% (visual), 31% (simpson's biplane)"),
            [
                (LvefValue::Point(33), Some(EfMethod::Visual), false),
                (LvefValue::Point(31), Some(EfMethod::Simpson), false)
            ]
        );
        assert_eq!(lvefs("lvef 60% (normal)")[1].0, LvefValue::Band(EfBand::Normal));
        assert_eq!(
            lvefs("ef 35-40% (mildly-moderately impaired)")[1].0,
            LvefValue::Band(EfBand::MildlyToModeratelyReduced)
        );
        // A bracket that is no band adds nothing; a typo of "function" keeps the band.
        assert_eq!(lvefs("lvef 60% (visual)").len(), 1);
        assert_eq!(lvefs("good lv fucntion"), [(LvefValue::Band(EfBand::Normal), None, false)]);
        assert_eq!(lvefs("moderately impaired lv with ef around 40%")[1].0, LvefValue::Band(EfBand::ModeratelyReduced));
        assert!(lvefs("impaired lv with dilated atria").is_empty());
    }

    #[test]
    fn bounds_with_or_equal_and_typos_of_grade_words() {
        assert_eq!(lvefs("ejection fraction >= 50%"), [(LvefValue::Above(50), None, false)]);
        assert_eq!(lvefs("ef <= 35%"), [(LvefValue::Below(35), None, false)]);
        assert_eq!(lvefs("ef 50%"), [(LvefValue::Point(50), None, false)]);
        let band = |b| (LvefValue::Band(b), None, false);
        assert_eq!(lvefs("severly impaired lv function."), [band(EfBand::SeverelyReduced)]);
        assert_eq!(lvefs("moderatly reduced lv systolic function"), [band(EfBand::ModeratelyReduced)]);
        // A longer word that starts like a grade is no grade.
        assert_eq!(lvefs("severity of lv dysfunction unclear"), [band(EfBand::Reduced)]);
    }

    #[test]
    fn an_impairment_after_a_figure_and_a_comma_is_a_band() {
        assert_eq!(
            lvefs("ef 35 %, moderatly reduced."),
            [(LvefValue::Point(35), None, false), (LvefValue::Band(EfBand::ModeratelyReduced), None, false)]
        );
        // "Normal" after a comma is a band too (corpus/README.md: a band word and a figure are
        // two facts; dev.tsv was relabelled to it).
        assert_eq!(
            lvefs("lvef 60 %, normal."),
            [(LvefValue::Point(60), None, false), (LvefValue::Band(EfBand::Normal), None, false)]
        );
    }

    #[test]
    fn low_normal_and_qualitative_bands() {
        let normal = (LvefValue::Band(EfBand::Normal), None, false);
        assert_eq!(lvefs("left ventricular systolic function is at the lower limit of normal."), [normal]);
        assert_eq!(lvefs("lv function low-normal"), [normal]);
        assert_eq!(lvefs("ef not calculated; qualitatively normal."), [normal]);
        assert_eq!(
            lvefs("lvef not formally calculated in af; visually moderately impaired."),
            [(LvefValue::Band(EfBand::ModeratelyReduced), Some(EfMethod::Visual), false)]
        );
        // "Borderline low" is no band, and a qualitative word with no EF named is another chamber's.
        assert_eq!(
            lvefs("global lv function: borderline low, ef 50-55%"),
            [(LvefValue::Range { low: 50, high: 55 }, None, false)]
        );
        assert!(lvefs("rv size qualitatively normal").is_empty());
    }

    #[test]
    fn a_method_belongs_to_its_own_figure() {
        assert_eq!(
            lvefs("biplane ef 41%; 3d ef 44%."),
            [(LvefValue::Point(41), Some(EfMethod::Simpson), false), (LvefValue::Point(44), None, false)]
        );
        assert_eq!(lvefs("lvef: 45% (visaul)"), [(LvefValue::Point(45), Some(EfMethod::Visual), false)]);
        assert_eq!(lvefs("lvef: 45% (usual views)"), [(LvefValue::Point(45), None, false)]);
        assert_eq!(
            lvefs("ef by eye 40-45%, by simpson's 38%."),
            [
                (LvefValue::Range { low: 40, high: 45 }, Some(EfMethod::Visual), false),
                (LvefValue::Point(38), Some(EfMethod::Simpson), false)
            ]
        );
        // A figure after a comma with no method before it is not read as a second EF.
        assert_eq!(lvefs("lvef 45%, on aspirin 75 mg"), [(LvefValue::Point(45), None, false)]);
    }

    #[test]
    fn a_chain_of_arrows_reads_link_by_link() {
        let p = |v| LvefValue::Point(v);
        assert_eq!(
            points("prior ef 20% (2017) -> recovered to 55% (2019) -> 50% today."),
            [(p(20), true), (p(55), true), (p(50), false)]
        );
        // An arrow to no figure changes nothing.
        assert_eq!(points("ef 35% -> refer to hf clinic"), [(p(35), false)]);
    }

    #[test]
    fn the_study_a_sentence_names() {
        assert_eq!(study_named("cardiac mr confirms severe ar with lvef 53%"), StudyNamed::One(Some(EfMethod::Mri)));
        assert_eq!(study_named("muga scan: lvef 41%"), StudyNamed::One(Some(EfMethod::Muga)));
        assert_eq!(study_named("tte today: ef 50%"), StudyNamed::One(None));
        assert_eq!(study_named("lvef by cmr 44% vs 50% by echo"), StudyNamed::Several);
        assert_eq!(study_named("lv systolic function normal"), StudyNamed::None);
    }

    #[test]
    fn a_bare_figure_right_after_the_keyword() {
        let p = LvefValue::Point;
        assert_eq!(points("ef 35. nyha 2."), [(p(35), false)]);
        assert_eq!(points("ef 60, no rwma, rvsp 30"), [(p(60), false)]);
        assert_eq!(points("tte: ef 45-50, mild lvh"), [(LvefValue::Range { low: 45, high: 50 }, false)]);
        assert_eq!(points("my ef is 40 now"), [(p(40), false)]);
        assert_eq!(points("if her ef falls below 35 despite meds"), [(LvefValue::Below(35), false)]);
        // A number further on, or with a unit or a time after it, is not the EF.
        assert!(points("ef not measured, rvsp 30").is_empty());
        assert!(points("ef 12 months ago was normal").iter().all(|(v, _)| *v != p(12)));
        assert!(points("ef 55 ms").is_empty());
    }

    #[test]
    fn abbreviated_and_marked_grades_and_bare_systolic_function() {
        let band = |b| (LvefValue::Band(b), None, false);
        assert_eq!(lvefs("lv function: mod impaired."), [band(EfBand::ModeratelyReduced)]);
        assert_eq!(lvefs("ef mod reduced."), [band(EfBand::ModeratelyReduced)]);
        assert!(lvefs("sev. impaired lv fn").contains(&band(EfBand::SeverelyReduced)));
        assert!(lvefs("the lvef was markedly reduced").contains(&band(EfBand::SeverelyReduced)));
        assert!(lvefs("systolic function normal, ef 64%.").contains(&band(EfBand::Normal)));
        // The right ventricle's systolic function is not the LV's; "mod" alone grades nothing.
        assert!(lvefs("rv systolic function normal").is_empty());
        assert!(lvefs("mod mr").is_empty());
    }

    #[test]
    fn a_band_beside_a_bracketed_or_trailing_figure() {
        let band = |b| (LvefValue::Band(b), None, false);
        assert!(lvefs("lv mildly dilated, moderately impaired (ef 35-40%).").contains(&band(EfBand::ModeratelyReduced)));
        assert!(lvefs("your ef is 35%, which is moderately reduced.").contains(&band(EfBand::ModeratelyReduced)));
        assert!(lvefs("lvef 60 %, normal.").contains(&band(EfBand::Normal)));
        // A word after the comma that goes on to name something else is not a band.
        assert!(!lvefs("lvef 60 %, normal rv").contains(&band(EfBand::Normal)));
        assert!(!lvefs("severely impaired (rv) function").iter().any(|(v, ..)| matches!(v, LvefValue::Band(_))));
    }

    #[test]
    fn methods_teich_and_mod_bp_and_a_typo_keyword() {
        assert_eq!(lvefs("ef(teich) 38%"), [(LvefValue::Point(38), Some(EfMethod::Teichholz), false)]);
        assert_eq!(lvefs("ef(mod bp) 31%"), [(LvefValue::Point(31), Some(EfMethod::Simpson), false)]);
        assert_eq!(lvefs("levf 35% on echo"), [(LvefValue::Point(35), None, false)]);
        // "Mod" before a lesion is no method.
        assert_eq!(lvefs("ef 40%. mod mr"), [(LvefValue::Point(40), None, false)]);
    }

    #[test]
    fn earlier_figures_by_words_after_them_and_by_points() {
        let p = LvefValue::Point;
        assert_eq!(points("lvef 53% vs 60% at baseline"), [(p(53), false), (p(60), true)]);
        assert_eq!(points("ef was 60% by 3d echo before doxorubicin and is 50% today")[0], (p(60), true));
        assert_eq!(points("lvef recov. to 52% (nadir 28% aug 2023)"), [(p(52), false), (p(28), true)]);
        assert_eq!(points("lvef 30-35% by mri, 25% by echo")[1], (p(25), false));
        assert_eq!(points("if ef drops by >10 points to below 53%"), [(LvefValue::Below(53), false)]);
        assert_eq!(
            points("ef 20-25% on tte 2019 -> 50% on tte 2026"),
            [(LvefValue::Range { low: 20, high: 25 }, true), (p(50), false)]
        );
        // A figure with nothing after it is not made earlier.
        assert_eq!(points("lvef 53% vs 60%"), [(p(53), false), (p(60), false)]);
        assert_eq!(points("ef 35% before"), [(p(35), false)]);
    }

    #[test]
    fn an_lvef_normalised_is_normal() {
        assert!(lvefs("lvef normalised (58%), nyha i").contains(&(LvefValue::Band(EfBand::Normal), None, false)));
        // "Abnormal" is not normal.
        assert!(!lvefs("ef abnormal").contains(&(LvefValue::Band(EfBand::Normal), None, false)));
    }

    #[test]
    fn dated_figures_before_one_that_holds_now_are_earlier() {
        let p = LvefValue::Point;
        let mut found = points("lvef was 35% in jan-2021, 42% in 06/2023 and is 50% today.");
        found.sort_by_key(|(v, _)| format!("{v:?}"));
        assert_eq!(found, [(p(35), true), (p(42), true), (p(50), false)]);
        // A dated figure with nothing said to hold now is left to its context.
        assert!(points("lvef 35% in jan-2021, 42% in 06/2023").iter().all(|(_, past)| !past));
    }

    #[test]
    fn no_longer_reduced_is_the_band() {
        let reduced = (LvefValue::Band(EfBand::Reduced), None, false);
        assert!(lvefs("ef is no longer reduced, now 55-60%.").contains(&reduced));
        assert!(lvefs("lv function is no longer impaired").contains(&reduced));
        // "No longer" before something else is no band.
        assert!(!lvefs("ef is no longer measured").contains(&reduced));
    }

    #[test]
    fn seventh_round_bounds_ranges_and_bands() {
        assert_eq!(points("if ef remains 35% or less at 40 days"), [(LvefValue::Below(35), false)]);
        assert_eq!(points("resume if lvef recovers to 50% or above"), [(LvefValue::Above(50), false)]);
        assert_eq!(points("ef 35% or so"), [(LvefValue::Point(35), false)]);
        assert_eq!(
            points("ef estimated between 35 and 40 per cent"),
            [(LvefValue::Range { low: 35, high: 40 }, false)]
        );
        assert!(!points("ef 35 and 40% last year").contains(&(LvefValue::Range { low: 35, high: 40 }, false)));
        let band = |b| (LvefValue::Band(b), None, false);
        assert!(lvefs("grossly impaired lv function").contains(&band(EfBand::SeverelyReduced)));
        assert!(lvefs("lv function has normalised").contains(&band(EfBand::Normal)));
        assert!(lvefs("lv function is not impaired").contains(&band(EfBand::Reduced)));
        assert!(lvefs("ef now normal").contains(&band(EfBand::Normal)));
        assert!(lvefs("lv moderately impaired, ef ~35-40% by eye").contains(&band(EfBand::ModeratelyReduced)));
        assert!(lvefs("lv impaired relaxation").is_empty());
        assert!(lvefs("lv moderately dilated").is_empty());
        assert_eq!(
            points("ef estimated at forty to forty five per cent"),
            [(LvefValue::Range { low: 40, high: 45 }, false)]
        );
        assert_eq!(points("ef estimated at forty five per cent"), [(LvefValue::Point(45), false)]);
    }
}
