//! Drug intolerances: a cardiovascular drug (or class) and a reaction in the same clause,
//! linked by a cue ("stopped atorvastatin due to myalgia", "cough on ramipril", "ACE inhibitor
//! cough", "atorvastatin without myalgia"), or a drug with an explicit intolerance word and no
//! reaction ("statin intolerant"). Other drugs (antibiotics, contrast) are left to the record's
//! AllergyIntolerance resources: twin-fhir records a note's intolerance only when no structured
//! allergy names its drug class, and an agent with no cardiovascular class would be recorded
//! once per note that mentions it.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::words::{phrase_at, phrase_at_exact, Lexicon, Matcher, Word};
use super::Candidate;
use crate::context::Categories;
use crate::fact::{Fact, Reaction};

/// Cardiovascular agents and classes, as written → the name we keep.
const DRUGS: &[(&str, &str)] = &[
    ("atorvastatin", "atorvastatin"),
    ("simvastatin", "simvastatin"),
    ("rosuvastatin", "rosuvastatin"),
    ("pravastatin", "pravastatin"),
    ("fluvastatin", "fluvastatin"),
    ("statin", "statin"),
    ("ezetimibe", "ezetimibe"),
    ("bempedoic acid", "bempedoic acid"),
    ("fenofibrate", "fenofibrate"),
    ("ramipril", "ramipril"),
    ("lisinopril", "lisinopril"),
    ("perindopril", "perindopril"),
    ("enalapril", "enalapril"),
    ("ace inhibitor", "ace_inhibitor"),
    ("ace i", "ace_inhibitor"),
    ("acei", "ace_inhibitor"),
    ("losartan", "losartan"),
    ("candesartan", "candesartan"),
    ("valsartan", "valsartan"),
    ("irbesartan", "irbesartan"),
    ("telmisartan", "telmisartan"),
    ("arb", "arb"),
    ("sacubitril valsartan", "sacubitril/valsartan"),
    ("entresto", "sacubitril/valsartan"),
    ("amlodipine", "amlodipine"),
    ("felodipine", "felodipine"),
    ("nifedipine", "nifedipine"),
    ("lercanidipine", "lercanidipine"),
    ("diltiazem", "diltiazem"),
    ("verapamil", "verapamil"),
    ("calcium channel blocker", "calcium_channel_blocker"),
    ("ccb", "calcium_channel_blocker"),
    ("bisoprolol", "bisoprolol"),
    ("metoprolol", "metoprolol"),
    ("atenolol", "atenolol"),
    ("carvedilol", "carvedilol"),
    ("nebivolol", "nebivolol"),
    ("propranolol", "propranolol"),
    ("beta blocker", "beta_blocker"),
    ("indapamide", "indapamide"),
    ("bendroflumethiazide", "bendroflumethiazide"),
    ("chlortalidone", "chlortalidone"),
    ("hydrochlorothiazide", "hydrochlorothiazide"),
    ("hctz", "hydrochlorothiazide"),
    ("bfz", "bendroflumethiazide"),
    ("thiazide", "thiazide"),
    ("furosemide", "furosemide"),
    ("bumetanide", "bumetanide"),
    ("spironolactone", "spironolactone"),
    ("eplerenone", "eplerenone"),
    ("dapagliflozin", "dapagliflozin"),
    ("empagliflozin", "empagliflozin"),
    ("doxazosin", "doxazosin"),
    ("hydralazine", "hydralazine"),
    ("ivabradine", "ivabradine"),
    ("digoxin", "digoxin"),
    ("amiodarone", "amiodarone"),
    ("isosorbide mononitrate", "isosorbide mononitrate"),
    ("nicorandil", "nicorandil"),
    ("aspirin", "aspirin"),
    ("clopidogrel", "clopidogrel"),
    ("ticagrelor", "ticagrelor"),
    ("prasugrel", "prasugrel"),
    ("warfarin", "warfarin"),
    ("apixaban", "apixaban"),
    ("rivaroxaban", "rivaroxaban"),
    ("edoxaban", "edoxaban"),
    ("dabigatran", "dabigatran"),
];

const REACTIONS: &[(&str, Reaction)] = &[
    ("muscle aches", Reaction::Myalgia),
    ("muscle ache", Reaction::Myalgia),
    ("muscle pain", Reaction::Myalgia),
    ("muscle cramps", Reaction::Myalgia),
    // Bare "aches" only counts when a cue links it to a drug ("simvastatin (aches)").
    ("aches", Reaction::Myalgia),
    // A patient's words: "made my legs ache", "aching legs".
    ("legs ache", Reaction::Myalgia),
    ("leg ache", Reaction::Myalgia),
    ("legs aching", Reaction::Myalgia),
    ("aching legs", Reaction::Myalgia),
    ("aching muscles", Reaction::Myalgia),
    ("myalgia", Reaction::Myalgia),
    ("dry cough", Reaction::Cough),
    ("cough", Reaction::Cough),
    ("angioedema", Reaction::Angioedema),
    ("angio oedema", Reaction::Angioedema),
    ("angio edema", Reaction::Angioedema),
    ("rash", Reaction::Rash),
    ("hyperkalaemia", Reaction::Hyperkalaemia),
    ("hyperkalemia", Reaction::Hyperkalaemia),
    ("high potassium", Reaction::Hyperkalaemia),
    ("raised potassium", Reaction::Hyperkalaemia),
    // The ward abbreviation: "Spironolactone stopped - hyperK (K 6.1)".
    ("hyperk", Reaction::Hyperkalaemia),
    ("hypotension", Reaction::Hypotension),
    ("low blood pressure", Reaction::Hypotension),
    ("low bp", Reaction::Hypotension),
    ("bradycardia", Reaction::Bradycardia),
    ("ankle swelling", Reaction::AnkleOedema),
    ("ankle oedema", Reaction::AnkleOedema),
    ("ankle edema", Reaction::AnkleOedema),
    ("swollen ankles", Reaction::AnkleOedema),
    ("leg swelling", Reaction::AnkleOedema),
    ("oedema", Reaction::AnkleOedema),
    ("edema", Reaction::AnkleOedema),
    ("nausea", Reaction::GiUpset),
    ("diarrhoea", Reaction::GiUpset),
    ("diarrhea", Reaction::GiUpset),
    ("dyspepsia", Reaction::GiUpset),
    ("gi upset", Reaction::GiUpset),
    ("constipation", Reaction::GiUpset),
    ("dizziness", Reaction::Dizziness),
    ("dizzy", Reaction::Dizziness),
    ("light headedness", Reaction::Dizziness),
    ("lightheadedness", Reaction::Dizziness),
    ("lightheaded", Reaction::Dizziness),
    ("light headed", Reaction::Dizziness),
    ("gout", Reaction::Gout),
    ("fatigue", Reaction::Fatigue),
    ("tiredness", Reaction::Fatigue),
    ("lethargy", Reaction::Fatigue),
    ("exhausted", Reaction::Fatigue),
    ("tired", Reaction::Fatigue),
    ("washed out", Reaction::Fatigue),
    ("exhaustion", Reaction::Fatigue),
    ("bleeding", Reaction::Bleeding),
    ("gi bleed", Reaction::Bleeding),
    ("bleed", Reaction::Bleeding),
    ("headache", Reaction::Headache),
    ("flushing", Reaction::Flushing),
    ("acute kidney injury", Reaction::Renal),
    ("aki", Reaction::Renal),
    ("rise in creatinine", Reaction::Renal),
    ("raised creatinine", Reaction::Renal),
    ("creatinine rise", Reaction::Renal),
    ("worsening renal function", Reaction::Renal),
    ("gynaecomastia", Reaction::Gynaecomastia),
    ("gynecomastia", Reaction::Gynaecomastia),
    ("breast tenderness", Reaction::Gynaecomastia),
    ("breast enlargement", Reaction::Gynaecomastia),
    ("hyponatraemia", Reaction::Hyponatraemia),
    ("hyponatremia", Reaction::Hyponatraemia),
    ("low sodium", Reaction::Hyponatraemia),
    // A fall written as the event: "stopped after her sodium fell to 126".
    ("sodium fell", Reaction::Hyponatraemia),
    ("sodium dropped", Reaction::Hyponatraemia),
    ("fall in sodium", Reaction::Hyponatraemia),
    ("drop in sodium", Reaction::Hyponatraemia),
    ("bronchospasm", Reaction::Bronchospasm),
    ("wheezing", Reaction::Bronchospasm),
    ("wheeze", Reaction::Bronchospasm),
];

/// An explicit intolerance word: enough on its own, with or without a reaction.
static STRONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:intoleran(?:t|ce)|(?:not|unable\s+to)\s+tolerate[ds]?|not\s+tolerated|allerg(?:y|ic))\b")
        .expect("valid")
});
/// A word that links a drug and a reaction written next to each other, or a dash or colon
/// straight after the drug, as allergy lists write it ("Apixaban – heavy menstrual bleeding").
/// "Without" links too:
/// "tolerating atorvastatin without myalgia" is a negated intolerance (ConText negates it).
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(|^\s*(?:–|—|:|-\s)|\b(?:due\s+to|d/t|because\s+of|owing\s+to|secondary\s+to|caused|causes|causing|made|makes|gave|gives|induced|on|with|without|from|after|stopped|discontinued|ceased|withdrawn|felt)\b")
        .expect("valid")
});
/// A drug about to be given is not the one not tolerated: "Statin intolerance - will trial
/// ezetimibe"; "switched to candesartan".
static PLANNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:trial|try|start|starting|commence|commencing|add|adding|switch(?:ed)?\s+to|swap(?:ped)?\s+to|change(?:d)?\s+to)\s+(?:(?:a|an|low[\s-]dose)\s+)?$")
        .expect("valid")
});
/// What joins two reactions of one drug: "headache and flushing", "cough, rash", "dizziness and
/// symptomatic hypotension" (a grade or kind word may stand before the second).
static COORDINATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:,|/|\band\b|\bor\b|,\s*and\b)\s*(?:(?:symptomatic|severe|marked|significant|postural|orthostatic|mild|troublesome|persistent)\s+)?$")
        .expect("valid")
});
/// Words between the drug and the reaction beyond which they are not linked.
const MAX_GAP_WORDS: usize = 6;
/// An explicit cause carries the link further, over a dose change ("Bisoprolol was reduced to
/// 2.5 mg because of symptomatic bradycardia").
const MAX_CAUSAL_GAP_WORDS: usize = 10;
static CAUSAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:due\s+to|d/t|because\s+of|owing\s+to|secondary\s+to|on\s+account\s+of)\b").expect("valid")
});

struct Hit<T> {
    value: T,
    range: Range<usize>,
    words: Range<usize>,
}

static DRUG_WORDS: LazyLock<Lexicon<&'static str>> = LazyLock::new(|| Lexicon::new(DRUGS));
static REACTION_WORDS: LazyLock<Lexicon<Reaction>> = LazyLock::new(|| Lexicon::new(REACTIONS));

fn scan<T: Copy>(words: &[Word<'_>], lexicon: &Lexicon<T>, matcher: Matcher) -> Vec<Hit<T>> {
    let mut out = Vec::new();
    let mut idx = 0;
    while idx < words.len() {
        match lexicon.at(words, idx, matcher) {
            Some((hit, value)) => {
                let last = idx + hit.n_words - 1;
                out.push(Hit { value, range: words[idx].range.start..words[last].range.end, words: idx..last + 1 });
                idx += hit.n_words;
            }
            None => idx += 1,
        }
    }
    out
}

/// Intolerances in the sentence; returns the byte ranges of the reactions it used.
pub(crate) fn find(sentence: &str, words: &[Word<'_>], out: &mut Vec<Candidate>) -> Vec<Range<usize>> {
    // Drug names must be exact: one edit turns "statin" into "station".
    let drugs = scan(words, &DRUG_WORDS, phrase_at_exact);
    if drugs.is_empty() {
        return Vec::new();
    }
    let reactions = scan(words, &REACTION_WORDS, phrase_at);
    let mut consumed = Vec::new();
    for drug in &drugs {
        // A drug about to be given is not the one not tolerated: "… on spironolactone and was
        // switched to eplerenone".
        if PLANNED.is_match(&sentence[..drug.range.start]) {
            continue;
        }
        let clause = clause_around(sentence, drug.range.clone());
        let strong = STRONG.is_match(&sentence[clause.clone()]);
        let linked = reactions
            .iter()
            .filter(|r| clause.start <= r.range.start && r.range.end <= clause.end)
            .filter_map(|r| {
                let gap_words = if r.words.start >= drug.words.end {
                    r.words.start - drug.words.end
                } else {
                    drug.words.start.saturating_sub(r.words.end)
                };
                let gap = if r.range.start >= drug.range.end {
                    drug.range.end..r.range.start
                } else {
                    r.range.end..drug.range.start
                };
                let gap_text = &sentence[gap];
                let adjacent = gap_words == 0 && r.range.start >= drug.range.end;
                // A comma ends the link, except a thousands comma in a figure ("CK 2,400").
                let clause_comma = gap_text.match_indices(',').any(|(i, _)| {
                    let digit = |b: Option<&u8>| b.is_some_and(u8::is_ascii_digit);
                    !(digit(gap_text.as_bytes().get(i.wrapping_sub(1))) && digit(gap_text.as_bytes().get(i + 1)))
                });
                let cue = LINK.is_match(gap_text) && !clause_comma;
                let max_gap = if cue && CAUSAL.is_match(gap_text) { MAX_CAUSAL_GAP_WORDS } else { MAX_GAP_WORDS };
                (gap_words <= max_gap && (strong || cue || adjacent)).then_some((gap_words, r))
            })
            .min_by_key(|(gap, _)| *gap)
            .map(|(_, r)| r);
        match linked {
            Some(reaction) => {
                let span = drug.range.start.min(reaction.range.start)..drug.range.end.max(reaction.range.end);
                // A reaction written after the drug is where the context is judged, so a
                // trigger between them ("atorvastatin without myalgia", "with no cough") counts.
                let context_at = (reaction.range.start >= drug.range.end).then(|| reaction.range.clone());
                push(out, drug.value, reaction.value, span, context_at, 0.85);
                consumed.push(reaction.range.clone());
                // Reactions listed after it ("headache and flushing") belong to the same drug.
                let mut last = reaction.range.clone();
                let later =
                    reactions.iter().filter(|r| r.range.start >= reaction.range.end && r.range.end <= clause.end);
                for next in later {
                    if !COORDINATION.is_match(&sentence[last.end..next.range.start]) {
                        break;
                    }
                    let span = drug.range.start.min(next.range.start)..drug.range.end.max(next.range.end);
                    let context_at = (next.range.start >= drug.range.end).then(|| next.range.clone());
                    push(out, drug.value, next.value, span, context_at, 0.8);
                    consumed.push(next.range.clone());
                    last = next.range.clone();
                }
            }
            None if strong => push(out, drug.value, Reaction::Unspecified, drug.range.clone(), None, 0.75),
            None => {}
        }
    }
    consumed
}

fn push(
    out: &mut Vec<Candidate>,
    agent: &str,
    reaction: Reaction,
    span: Range<usize>,
    context_at: Option<Range<usize>>,
    confidence: f32,
) {
    let mut candidate = Candidate::new(Fact::Intolerance { agent: agent.to_string(), reaction }, span, confidence);
    candidate.categories = Categories::INTOLERANCE;
    candidate.context_at = context_at;
    out.push(candidate);
}

/// The clause (between semicolons) that holds `range`.
fn clause_around(sentence: &str, range: Range<usize>) -> Range<usize> {
    let start = sentence[..range.start].rfind(';').map_or(0, |i| i + 1);
    let end = sentence[range.end..].find(';').map_or(sentence.len(), |i| range.end + i);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::words::tokens;

    fn intolerances(sentence: &str) -> Vec<(String, Reaction)> {
        let mut out = Vec::new();
        find(sentence, &tokens(sentence), &mut out);
        out.into_iter()
            .map(|c| match c.fact {
                Fact::Intolerance { agent, reaction } => (agent, reaction),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    fn pair(agent: &str, reaction: Reaction) -> (String, Reaction) {
        (agent.to_string(), reaction)
    }

    #[test]
    fn allergy_list_lines_and_several_reactions() {
        assert_eq!(intolerances("apixaban – heavy menstrual bleeding"), [pair("apixaban", Reaction::Bleeding)]);
        assert_eq!(intolerances("ccbs: ankle oedema"), [pair("calcium_channel_blocker", Reaction::AnkleOedema)]);
        assert_eq!(
            intolerances("nifedipine – headache and flushing"),
            [pair("nifedipine", Reaction::Headache), pair("nifedipine", Reaction::Flushing)]
        );
        assert_eq!(intolerances("felt exhausted on bisoprolol"), [pair("bisoprolol", Reaction::Fatigue)]);
        assert_eq!(
            intolerances("candesartan stopped after a rise in creatinine to 190"),
            [pair("candesartan", Reaction::Renal)]
        );
        // A dash elsewhere links nothing, and a reaction after a comma is not listed with it.
        assert!(intolerances("ramipril 5 mg - review in clinic; headache since the fall").is_empty());
        assert_eq!(intolerances("ramipril – cough, breathless on hills"), [pair("ramipril", Reaction::Cough)]);
    }

    #[test]
    fn more_links_and_reaction_words() {
        assert_eq!(
            intolerances("nifedipine gave her terrible headaches and flushing"),
            [pair("nifedipine", Reaction::Headache), pair("nifedipine", Reaction::Flushing)]
        );
        assert_eq!(intolerances("not on acei d/t angioedema"), [pair("ace_inhibitor", Reaction::Angioedema)]);
        assert_eq!(intolerances("angio-oedema with candesartan"), [pair("candesartan", Reaction::Angioedema)]);
        assert_eq!(
            intolerances("intolerant of amlodipine (swollen ankles) and simvastatin (aches)"),
            [pair("amlodipine", Reaction::AnkleOedema), pair("simvastatin", Reaction::Myalgia)]
        );
        assert_eq!(
            intolerances("bisoprolol as he felt exhausted on the higher dose"),
            [pair("bisoprolol", Reaction::Fatigue)]
        );
        // A thousands comma in a figure does not end the link; a clause comma does.
        assert_eq!(
            intolerances("atorvastatin stopped - ck 2,400 with muscle pain"),
            [pair("atorvastatin", Reaction::Myalgia)]
        );
        assert!(intolerances("atorvastatin stopped 2 weeks ago, now with headache").is_empty());
    }

    #[test]
    fn causes_written_as_events_and_in_patients_words() {
        use Reaction::*;
        assert_eq!(
            intolerances("indapamide was stopped after her sodium fell to 126."),
            [pair("indapamide", Hyponatraemia)]
        );
        assert_eq!(
            intolerances("bisoprolol was reduced to 2.5 mg because of symptomatic bradycardia (hr 42)."),
            [pair("bisoprolol", Bradycardia)]
        );
        // Without a stated cause the same distance is too far to link.
        assert!(intolerances("bisoprolol was reduced to 2.5 mg at the clinic and he had bradycardia").is_empty());
        assert_eq!(
            intolerances("entresto caused dizziness and symptomatic hypotension at the higher dose."),
            [pair("sacubitril/valsartan", Dizziness), pair("sacubitril/valsartan", Hypotension)]
        );
        assert_eq!(intolerances("hctz -> gout flare; avoid thiazides."), [pair("hydrochlorothiazide", Gout)]);
        assert_eq!(
            intolerances("reluctant to uptitrate bisoprolol - felt very tired on 5mg"),
            [pair("bisoprolol", Fatigue)]
        );
        assert_eq!(
            intolerances("has had statins before but stopped them - 'made my legs ache'."),
            [pair("statin", Myalgia)]
        );
    }

    #[test]
    fn a_drug_switched_to_is_not_the_one_not_tolerated() {
        assert_eq!(
            intolerances("he developed gynaecomastia on spironolactone and was switched to eplerenone."),
            [pair("spironolactone", Reaction::Gynaecomastia)]
        );
    }

    #[test]
    fn hyperk_and_lightheadedness_are_reactions() {
        assert_eq!(
            intolerances("spironolactone stopped - hyperk (k 6.1)."),
            [("spironolactone".to_string(), Reaction::Hyperkalaemia)]
        );
        assert_eq!(
            intolerances("entresto caused lightheadedness."),
            [("sacubitril/valsartan".to_string(), Reaction::Dizziness)]
        );
        // The word alone, with no drug, is no intolerance.
        assert!(intolerances("hyperk on the last bloods").is_empty());
    }
}
