//! Whether a fact is negated, historical, hypothetical, or about someone else: ConText.
//!
//! The algorithm is ConText (Harkema H, Dowling JN, Thornblade T, Chapman WW. ConText: an
//! algorithm for determining negation, experiencer, and temporal status from clinical reports.
//! J Biomed Inform 2009;42(5):839–851), which extends NegEx (Chapman WW, Bridewell W, Hanbury P,
//! Cooper GF, Buchanan BG. A simple algorithm for identifying negated findings and diseases in
//! discharge summaries. J Biomed Inform 2001;34(5):301–310): a trigger term opens a scope that runs
//! forward (or, for post-triggers such as "ruled out", backward) to the end of the sentence or to
//! a termination term ("but", "however", ";"); a pseudo-trigger ("no change", "could not
//! tolerate") looks like a trigger and is not one. The trigger lists below are our own, written
//! for cardiology letters and echo reports; they are not copied from any published lexicon.

use std::sync::LazyLock;

use regex::Regex;

/// Who a fact is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Experiencer {
    /// The patient.
    #[default]
    Patient,
    /// Someone else (a relative, a partner).
    Other,
}

/// The context a fact was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Context {
    /// Stated as absent ("no chest pain", "aortic stenosis ruled out").
    pub negated: bool,
    /// Stated as past ("history of syncope", "previous EF 25% in 2021").
    pub historical: bool,
    /// Stated as possible or conditional ("if chest pain recurs").
    pub hypothetical: bool,
    /// Who it is about.
    pub experiencer: Experiencer,
}

impl Context {
    /// Whether the fact is a present, affirmed fact about the patient: only these feed the
    /// record; the others are shown with their context.
    pub fn is_affirmed_patient(&self) -> bool {
        !self.negated && !self.historical && !self.hypothetical && self.experiencer == Experiencer::Patient
    }
}

/// Which context categories a fact type takes. Smoking status carries its own negation and
/// time ("non-smoker", "ex-smoker"), and an intolerance is by nature in the past, so those
/// categories are switched off for them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Categories {
    pub negation: bool,
    pub history: bool,
    /// A measured value (an EF figure, a NYHA class, a BP reading) is not an item of a
    /// negated list: in "no palpitations, EF 57%" the "no" ends at the comma. A finding word
    /// stays in the list ("no chest pain, dyspnoea or LVSD").
    pub measured: bool,
}

impl Categories {
    pub const ALL: Self = Self { negation: true, history: true, measured: false };
    pub const MEASURED: Self = Self { negation: true, history: true, measured: true };
    pub const SMOKING: Self = Self { negation: false, history: false, measured: false };
    pub const INTOLERANCE: Self = Self { negation: true, history: false, measured: false };
}

/// Which way a trigger's scope runs from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Forward,
    Backward,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Negation,
    History,
    Hypothetical,
    Other,
}

struct Trigger {
    category: Category,
    direction: Direction,
    pattern: Regex,
    /// A date's backward scope ends at a comma: in "LVEF 41%, previously 28% in 2019" the
    /// year dates the second figure, not the first.
    backward_stops_at_comma: bool,
}

fn trigger(category: Category, direction: Direction, alternatives: &str) -> Trigger {
    let pattern = Regex::new(&format!(r"\b(?:{alternatives})\b")).expect("trigger patterns are valid");
    Trigger { category, direction, pattern, backward_stops_at_comma: false }
}

/// A month, written out or in its usual abbreviation ("March", "Mar", "Sept").
const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
/// A year of the last or this century.
const YEAR: &str = r"(?:19|20)\d\d";
/// A month and year in figures ("on TTE 5/2025"): how a letter cites an earlier study, so it
/// marks history. The extractor has no "today" and cannot tell a past date from a future one;
/// it takes the date as past, because a letter's future dates are appointments, which rarely
/// share a sentence with a finding (the same choice as for "in 2019"). A full day/month/year
/// ("Echo 01/11/2026: EF 34%") is a report's own header date, the day of the study being
/// reported, so it is not a history cue ([`PSEUDO_HISTORY`] sets it aside). "24/26" (a dose, a
/// BP) needs a four-digit year to be a date.
const NUMERIC_DATE: &str = r"\d{1,2}/(?:19|20)\d\d";
/// A test whose result a year dates ("echo 2017: EF 55%").
const STUDY: &str =
    r"(?:echo(?:cardiogram)?|tte|toe|tee|cmr|mri|ct|ctca|muga|angiogram|angiography|scan|study|ecg|holter)";

static TRIGGERS: LazyLock<Vec<Trigger>> = LazyLock::new(|| {
    use Category::*;
    use Direction::*;
    vec![
        trigger(
            Negation,
            Forward,
            r"no|not|denies|denied|denying|without|negative for|free of|absence of|nil|neither|nor|never had",
        ),
        // "Chest pain-free since PCI", "chest pain free since stenting".
        trigger(Negation, Backward, r"denied|not present|absent|ruled out|excluded|not seen|not found|free"),
        // ": none", ": nil", ": no" close a list field ("Chest pain: none").
        Trigger {
            category: Negation,
            direction: Backward,
            pattern: Regex::new(r":\s*(?:none|nil|no|absent|negative)\b").expect("valid"),
            backward_stops_at_comma: false,
        },
        trigger(History, Forward, r"history of|hx of|h/o|previous|previously|prev|prior|past|formerly"),
        // A date: "in 2019", "in March 2025", "(2019)", "12 March 2025". The future dates a
        // letter holds (appointments) rarely share a sentence with a finding.
        Trigger {
            backward_stops_at_comma: true,
            ..trigger(
                History,
                Both,
                &format!(
                    r"at diagnosis|in (?:(?:early|late|mid)[\s-]+)?(?:{MONTH}\s+)?{YEAR}|(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{MONTH}\s+{YEAR}|(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|few|several|many|some)[\s-](?:years?|yrs?|months?|mths?|mo|weeks?|wks?|days?) ago|on admission|at (?:the time of )?admission|(?:at|on) (?:(?:his|her|first|initial) )?(?:presentation|entry)|at the time|at that time|last (?:year|yr|month|winter|summer|spring|autumn)|(?:at|on|in) (?:the|his|her) {YEAR}|(?:at|on|from) (?:(?:the|his|her) )?last (?:clinic|visit|review|appointment|contact|echo(?:cardiogram)?|scan|study|assessment|admission)|{NUMERIC_DATE}|pre-(?:op|operative(?:ly)?|operation|implant(?:ation)?|chemo(?:therapy)?|transplant|tavi|tavr|pci|cabg|crt|icd|treatment|therapy|procedure|admission|ablation|surgery|mi|infarct)"
                ),
            )
        },
        // A bracketed year, for whatever it follows or precedes: "Prior TTE (2019) reported …",
        // "Echocardiogram (Cape Town, 2019): EF 25%" (a place before the comma).
        Trigger {
            category: History,
            direction: Both,
            pattern: Regex::new(&format!(r"\((?:(?:[a-z]+\s+){{0,2}}[a-z]+,\s+|[a-z]+\s+)?(?:{MONTH}\s+)?{YEAR}\)"))
                .expect("valid"),
            backward_stops_at_comma: true,
        },
        // A dated study: "Echo 2017: EF 55%"; a dated event: "Implanted 2020 for LVEF 25%"; the
        // last study ("last echo EF 45%"); a state after an event ("LVEF post-MI was 40%").
        trigger(History, Forward, &format!(r"{STUDY}\s+(?:(?:of|from|in|dated)\s+)?(?:{MONTH}\s+)?{YEAR}")),
        // A report "dated" a full date, or a figure "on echo" of a full date, is an earlier
        // study cited ("echo report dated 12/03/2024: EF 30-35%"), unlike a report's own header date (corpus/README.md).
        Trigger {
            backward_stops_at_comma: true,
            ..trigger(
                History,
                Both,
                &format!(r"(?:dated|on\s+(?:the\s+)?{STUDY})\s+\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}"),
            )
        },
        // The lowest or the starting value of a course: "Nadir EF 18%", "baseline EF 65%, now
        // 52%", "MUGA (baseline, pre-trastuzumab): LVEF 62%"; "NYHA II at baseline" after it.
        trigger(History, Forward, r"nadir|baseline"),
        Trigger { backward_stops_at_comma: true, ..trigger(History, Backward, r"at baseline") },
        // A value at discharge, said from later: "his discharge LVEF was 40%".
        // ("At discharge NYHA class II" in a discharge summary is the state it reports.)
        trigger(History, Forward, r"(?:his|her|their|the)\s+discharge\s+(?:lv\s*ef|lvef|ef|ejection\s+fraction|nyha)"),
        // A diagnosis dated after its figures: "HFrEF (EF 30%) diagnosed 2021". A comma ends
        // it, so "EF 35%, ICD implanted 2020" keeps today's figure.
        Trigger {
            backward_stops_at_comma: true,
            ..trigger(History, Backward, &format!(r"diagnosed\s+(?:in\s+)?(?:{MONTH}\s+)?{YEAR}"))
        },
        trigger(
            History,
            Forward,
            &format!(
                r"(?:implanted|diagnosed|admitted|performed|inserted|operated|started)\s+(?:in\s+)?(?:{MONTH}\s+)?{YEAR}|last\s+{STUDY}|post-[a-z]+\s+(?:was|were|had\s+been)"
            ),
        ),
        // "Previously" after the fact, closing its clause: "LV function was severely impaired
        // previously but has now recovered". Before a figure ("41%, previously 28%") it looks
        // forward only, as above.
        Trigger {
            category: History,
            direction: Backward,
            pattern: Regex::new(r"\b(?:previously|in the past)\s*(?:$|[,;.)]|\b(?:but|and|however|although|though)\b)")
                .expect("valid"),
            backward_stops_at_comma: false,
        },
        // "Before amlodipine was started": what precedes it is the state before a treatment.
        trigger(
            History,
            Backward,
            r"before\s+(?:[a-z/-]+\s+){1,3}(?:was|were)\s+(?:started|commenced|initiated|introduced|added)|(?:before|prior\s+to)\s+(?:starting|commencing|initiating|initiation\s+of|treatment|surgery|chemo(?:therapy)?|radiotherapy|(?:the|his|her|this|that|its)\s+(?:operation|surgery|transplant|transplantation|cabg|pci|tavi|crt|valve\s+replacement|admission|implant|infarct|mi|diagnosis|pregnancy|illness|procedure))|before\s+(?:he|she)\s+(?:died|passed\s+away)",
        ),
        trigger(History, Backward, r"resolved|settled"),
        trigger(
            Hypothetical,
            Forward,
            r"if|should|would(?:\s+(?:probably|likely|possibly|then))?\s+(?:be|need|have|require|expect|anticipate)|in case of|in the event of|watch for|look out for|warned about|risk of|unless|rule out|r/o|may develop|might|(?:the|our|my) (?:goal|aim|target) is|ideally|(?:would|should|we'd|i'd) like|were\s+(?:he|she|they|the\s+patient)\s+to",
        ),
        // A trial's inclusion criterion or target population states who may enter, not the
        // patient's finding (corpus/README.md: inclusion criteria are `!hyp`).
        trigger(
            Hypothetical,
            Forward,
            r"inclusion(?:\s+criteri(?:on|a))?|target\s+population|eligibility(?:\s+criteri(?:on|a))?",
        ),
        // An expected course: "Expect NYHA class to improve to I-II after valve repair".
        trigger(Hypothetical, Forward, r"expect(?:ed|s)?\s+(?:[a-z]+\s+){0,3}?to"),
        // A field that states an aim: "Target: EF > 50% after 6 months of therapy".
        Trigger {
            category: Hypothetical,
            direction: Forward,
            pattern: Regex::new(r"\b(?:goal|aim|target)\s*:").expect("valid"),
            backward_stops_at_comma: false,
        },
        trigger(
            Other,
            Forward,
            r"father|mother|brother|sister|siblings?|son|daughter|wife|husband|hubby|spouse|partner|uncle|aunt|grandfather|grandmother|parents?|family history|fhx?",
        ),
    ]
});

/// Looks like a negation trigger but is not one (NegEx's pseudo-negations, and their like); the
/// RV "free wall" frees nothing.
/// "Not increased his bisoprolol as he felt exhausted" and "not on ACEi d/t angioedema" deny a
/// dose or a drug, not the reaction that is the reason.
/// "Not for ICD: EF > 35%" declines a treatment; the finding after it is the reason, not denied.
/// "No further" is one only before a plan ("no further investigation"); before a finding it
/// negates it ("no further chest pain since PCI").
static PSEUDO_NEGATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:free\s+wall|no change|no significant change|no further (?:investigations?|tests?|testing|work-?up|action|follow-?up|treatment|change|imaging|intervention)|not only|no increase|not necessarily|(?:could|did|does|would) not tolerate|without (?:treatment|therapy|intervention)|not tolerated|(?:no|not) (?:less|more|greater|lower|higher) than|not (?:increased|uptitrated|up-titrated|titrated)|not on (?:[a-z/-]+ ){1,2}(?:due to|d/t|because of|owing to)|not\s+(?:a\s+candidate\s+)?for\s+(?:an?\s+)?(?:icd|crt(?:-[dp])?|surgery|tavi|pci|cabg|transplant|lvad|resuscitation))\b",
    )
    .expect("valid")
});

/// Looks like a history trigger but is not one: someone else's condition ("family history
/// of"), a comparison that says the finding still holds ("EF 35%, as previously"; "better than
/// previously"), a date that starts a period running to now ("no chest pain since his PCI in
/// 2021"), a report's own full date ("Echo 01/11/2026: …", see [`NUMERIC_DATE`]), or the
/// length of a complaint that still goes on ("a six-month history of breathlessness"), or a
/// recent period that runs to now ("home readings over the past week average 146/88"), or a
/// visit held now before an event, named as the note's heading ("Pre-op assessment:",
/// "Pre-TAVI:", "pre-treatment review"): what it records is the state today.
static PSEUDO_HISTORY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\bfamily history of\b|\b(?:as|than)\s+(?:[a-z]+\s+)?previously\b|\bsince\s+(?:[a-z/'-]+\s+){{0,4}}?(?:in\s+)?(?:{MONTH}\s+)?{YEAR}\b|\bsince\s+(?:\(?{YEAR}\)?)|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b|\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|few)[\s-](?:day|week|month|year)s?[\s-](?:history|hx)\s+of\b|\b(?:over|in|during|for)\s+the\s+past\s+(?:few\s+|two\s+|2\s+)?(?:days?|weeks?|fortnight)\b|\bpre-?[a-z]+\s+(?:assessment|review|clinic|work-?up|evaluation|visit|consultation)\b|^(?:[a-z-]+\s+)?pre-?[a-z]+\s*:"
    ))
    .expect("valid")
});

/// Looks like a relative as the experiencer but names who reported the patient's symptom:
/// "his wife reports that he gets breathless". The patient must follow the reporting verb, so
/// "his father noted to have LVH" and "her mother felt faint" stay someone else's.
static PSEUDO_OTHER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:wife|husband|partner|daughter|son|mother|father|sister|brother|parents?|family|relatives?|carer)\s+(?:reports?|reported|says|said|notes?|noted|noticed|has\s+noticed|states?|stated|describes?|described|tells|told|thinks|thought|mentions?|mentioned|observed|witnessed|confirms|confirmed|is\s+concerned|was\s+concerned)\s+(?:that\s+)?(?:he|she|his|her|the\s+patient|pt)\b",
    )
    .expect("valid")
});

/// Ends a trigger's scope; so does a screening verdict after a dash ("Inclusion: NYHA II–IV –
/// MET (NYHA III)": what follows is the patient's own finding).
static TERMINATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r";|[-–—]\s*(?:not\s+)?met\b|\b(?:but|however|although|though|except|apart from|aside from|whereas|which|now|currently|today|and (?:he|she|they) (?:has|have|is|are|was|remains|remained))\b")
        .expect("valid")
});

/// Ends a history scope only: a change to a new state ("previously NYHA III, improved to NYHA
/// II"; "compared to the prior study, the EF has decreased from 50% to 40%"; "from 28% (Dec
/// 2024) to 44%": the dated bracket does not reach past "to" and a new figure; "on admission
/// NYHA IV, at discharge NYHA III": a discharge summary's discharge state is the one it reports;
/// "last TTE (Jan 2026) LVEF 38%, NYHA II": a study's date dates its figures, and the NYHA
/// class after a comma is the patient's state at the visit). A hypothesis or a negation runs on through it ("if the EF improved to 50%").
static HISTORY_TERMINATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:improved|improving|recovered|recovering|deteriorated|worsened|progressed|increased|decreased|fallen|fell|dropped|risen|rose|reduced|deterioration|improvement|recovery|fall|drop|rise|decline)\s+(?:to|from)\b|\bcompared\s+(?:with|to)\b|\b(?:vs|versus)\b|\bto\s+\d|\b(?:at|on)\s+discharge\b|\bdischarged\b|,\s*nyha\b",
    )
    .expect("valid")
});

/// Says the fact just before it holds now: "NYHA III (2019), NYHA II (2024), NYHA I today".
static PRESENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:today|now|currently|at present|nowadays)\b").expect("valid"));

/// Ends a negation scope only: a graded or normal item after a comma asserts a finding ("no LVH,
/// mild AR"; "no syncope, mild SOB on hills"; "no inducible ischaemia, normal LV function"); a
/// grade is not said of what is absent. A dash between words
/// after a negated phrase starts what the writer concludes from it ("denies any limitation -
/// NYHA I").
static NEGATION_TERMINATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r",\s*(?:and\s+)?(?:trivial|trace|mild|moderate|severe|normal|minimal|slight)\b|[a-z]\s+[-–—]\s+[a-z]")
        .expect("valid")
});

/// A clause with its own subject: "… and he is now …".
static NEW_CLAUSE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:and|but|while|whereas)\s+(?:he|she|they|it|the\s+patient)\b").expect("valid"));

/// A figure or a roman class: after "now", the value that holds now.
static NEW_VALUE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d|\b(?:i|ii|iii|iv)\b").expect("valid"));

/// A trigger found in a sentence, after pseudo-triggers were set aside.
struct Hit {
    category: Category,
    direction: Direction,
    range: std::ops::Range<usize>,
    backward_stops_at_comma: bool,
}

/// The triggers and termination terms of one sentence, found once and asked for each fact.
pub(crate) struct SentenceContext {
    hits: Vec<Hit>,
    terminations: Vec<usize>,
    history_terminations: Vec<usize>,
    negation_terminations: Vec<usize>,
    commas: Vec<usize>,
    /// Where a bracket opens: a date inside brackets with a figure of its own ("Known LVSD
    /// (EF 30% in 2021)") dates that figure, not what stands before the bracket.
    opens: Vec<usize>,
    present: Vec<usize>,
    sentence: String,
}

impl SentenceContext {
    /// Finds the triggers in `sentence` (ASCII-lower-cased).
    pub(crate) fn new(sentence: &str) -> Self {
        let pseudo_negation: Vec<_> = PSEUDO_NEGATION.find_iter(sentence).map(|m| m.range()).collect();
        let pseudo_history: Vec<_> = PSEUDO_HISTORY.find_iter(sentence).map(|m| m.range()).collect();
        let pseudo_other: Vec<_> = PSEUDO_OTHER.find_iter(sentence).map(|m| m.range()).collect();
        let mut hits = Vec::new();
        for trigger in TRIGGERS.iter() {
            let pseudo: &[std::ops::Range<usize>] = match trigger.category {
                Category::Negation => &pseudo_negation,
                Category::History => &pseudo_history,
                Category::Other => &pseudo_other,
                Category::Hypothetical => &[],
            };
            for found in trigger.pattern.find_iter(sentence) {
                let range = found.range();
                if !pseudo.iter().any(|p| p.start <= range.start && range.end <= p.end) {
                    hits.push(Hit {
                        category: trigger.category,
                        direction: trigger.direction,
                        range,
                        backward_stops_at_comma: trigger.backward_stops_at_comma,
                    });
                }
            }
        }
        let terminations = TERMINATION.find_iter(sentence).map(|m| m.start()).collect();
        let history_terminations = HISTORY_TERMINATION.find_iter(sentence).map(|m| m.start()).collect();
        let negation_terminations = NEGATION_TERMINATION.find_iter(sentence).map(|m| m.start()).collect();
        let commas = sentence.match_indices(',').map(|(idx, _)| idx).collect();
        let opens = sentence.match_indices('(').map(|(idx, _)| idx).collect();
        let present = PRESENT.find_iter(sentence).map(|m| m.start()).collect();
        Self {
            hits,
            terminations,
            history_terminations,
            negation_terminations,
            commas,
            opens,
            present,
            sentence: sentence.to_string(),
        }
    }

    /// The context of the fact at `span` (byte offsets into the sentence).
    pub(crate) fn of(&self, span: std::ops::Range<usize>, categories: Categories) -> Context {
        // A termination at the fact's own first word ("now improved to 45%") ends the scope too.
        let within = |points: &[usize], from: usize, to: usize| points.iter().any(|&t| t >= from && t <= to);
        let mut context = Context::default();
        for hit in &self.hits {
            let wanted = match hit.category {
                Category::Negation => categories.negation,
                Category::History => categories.history,
                Category::Hypothetical | Category::Other => true,
            };
            // A trigger inside the fact's own words ("non-smoker") is the fact's business.
            if !wanted || (hit.range.start < span.end && span.start < hit.range.end) {
                continue;
            }
            let blocked = |from: usize, to: usize| {
                within(&self.terminations, from, to)
                    || (hit.category == Category::History && within(&self.history_terminations, from, to))
                    || (hit.category == Category::Negation && within(&self.negation_terminations, from, to))
            };
            let list_ends = hit.category == Category::Negation && categories.measured;
            let forward = hit.range.end <= span.start
                && !(blocked(hit.range.end, span.start)
                    || self.bracket_closes(hit.range.end, span.start)
                    || (list_ends && within(&self.commas, hit.range.end, span.start)));
            let backward = hit.range.start >= span.end
                && !blocked(span.end, hit.range.start)
                && !(hit.backward_stops_at_comma
                    && (within(&self.commas, span.end, hit.range.start)
                        || self.bracket_with_figure(span.end, hit.range.start)));
            let applies = match hit.direction {
                Direction::Forward => forward,
                Direction::Backward => backward,
                Direction::Both => forward || backward,
            };
            if applies {
                match hit.category {
                    Category::Negation => context.negated = true,
                    Category::History => context.historical = true,
                    Category::Hypothetical => context.hypothetical = true,
                    Category::Other => context.experiencer = Experiencer::Other,
                }
            }
        }
        if context.historical && self.said_to_hold_now(span.end) {
            context.historical = false;
        }
        context
    }

    /// Whether a bracket the trigger stands in closes in `from..to`: a trigger inside brackets
    /// reaches no further than them ("HFrEF (EF 25-30% on TTE 5/2025), HTN, … worsening DOE").
    /// A bracket that closes on a colon qualifies a heading, which runs on into the field
    /// ("MUGA scan (baseline, pre-trastuzumab): LVEF 62%").
    fn bracket_closes(&self, from: usize, to: usize) -> bool {
        let bytes = self.sentence.as_bytes();
        match bytes[from..to].iter().position(|&b| b == b'(' || b == b')') {
            Some(at) if bytes[from + at] == b')' => !self.sentence[from + at + 1..].trim_start().starts_with(':'),
            _ => false,
        }
    }

    /// Whether a bracket opens in `from..to` and holds a figure or a roman class before `to`
    /// ("NYHA II (was class III in 2023)": the year dates the bracket's class only).
    fn bracket_with_figure(&self, from: usize, to: usize) -> bool {
        self.opens
            .iter()
            .filter(|&&open| open >= from && open < to)
            .any(|&open| NEW_VALUE.is_match(&self.sentence[open..to]))
    }

    /// Whether "today", "now" or "currently" follows the fact in its clause (before a comma,
    /// semicolon or colon, and before any other history trigger) with no new value after it:
    /// the fact holds now.
    fn said_to_hold_now(&self, after: usize) -> bool {
        let clause_end = self.sentence[after..].find([',', ';', ':']).map_or(usize::MAX, |idx| after + idx);
        // "His discharge LVEF was 40% and he is now asymptomatic": a new subject's "now" is its own.
        let clause_end =
            NEW_CLAUSE.find(&self.sentence[after..]).map_or(clause_end, |m| clause_end.min(after + m.start()));
        let clause_end = clause_end.min(self.sentence.len());
        self.present.iter().copied().filter(|&p| p >= after && p < clause_end).any(|p| {
            // "Previous EF 25% now 40%": a new value after the word is what holds now.
            let later_value = NEW_VALUE.is_match(&self.sentence[p..clause_end]);
            !later_value
                && !self
                    .hits
                    .iter()
                    .any(|h| h.category == Category::History && h.range.start >= after && h.range.start < p)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(sentence: &str, fact: &str) -> Context {
        let start = sentence.find(fact).expect("fact in sentence");
        SentenceContext::new(sentence).of(start..start + fact.len(), Categories::ALL)
    }

    #[test]
    fn negation_runs_to_a_termination_term() {
        assert!(of("no chest pain, dyspnoea or oedema", "oedema").negated);
        assert!(!of("no chest pain but dyspnoea on exertion", "dyspnoea").negated);
        assert!(!of("no dyspnoea; reports chest pain", "chest pain").negated);
        assert!(of("syncope ruled out", "syncope").negated);
        assert!(of("chest pain: none", "chest pain").negated);
        // A graded item after a comma is asserted.
        assert!(!of("no lvh, mild ar, trivial tr", "trivial tr").negated);
        assert!(!of("no chest pain, no syncope, mild sob on hills", "mild sob").negated);
        assert!(of("no chest pain, no syncope, mild sob on hills", "syncope").negated);
        assert!(of("no mild or moderate ar", "moderate ar").negated);
    }

    #[test]
    fn pseudo_triggers_do_not_negate() {
        assert!(!of("could not tolerate bisoprolol because of bradycardia", "bradycardia").negated);
        assert!(!of("no change in chest pain", "chest pain").negated);
        assert!(!of("i have not increased his bisoprolol as he felt exhausted", "exhausted").negated);
        assert!(!of("not on acei d/t angioedema", "angioedema").negated);
        assert!(of("not on acei and no angioedema", "angioedema").negated);
        // A spaced dash after the negated phrase ends its scope; a hyphen in a word does not.
        assert!(!of("patient denies any limitation - nyha i", "nyha i").negated);
        assert!(of("denies chest pain or pre-syncope", "pre-syncope").negated);
        // A recent period that runs to now is not the past.
        assert!(!of("home readings over the past week average 146/88", "146/88").historical);
        // Who confirms the patient's change is not its experiencer.
        assert_eq!(
            of("his wife confirms that he has stopped smoking", "stopped smoking").experiencer,
            Experiencer::Patient
        );
    }

    #[test]
    fn history_hypothesis_and_experiencer() {
        assert!(of("previous ef 25% in 2021", "ef 25%").historical);
        assert!(!of("previously nyha iii, now class ii", "class ii").historical);
        assert!(of("return if chest pain recurs", "chest pain").hypothetical);
        let father = of("family history: father with lvh", "lvh");
        assert_eq!(father.experiencer, Experiencer::Other);
        assert!(!father.historical);
        assert!(of("chest pain", "chest pain").is_affirmed_patient());
    }

    fn measured(sentence: &str, fact: &str) -> Context {
        let start = sentence.find(fact).expect("fact in sentence");
        SentenceContext::new(sentence).of(start..start + fact.len(), Categories::MEASURED)
    }

    #[test]
    fn dates_mark_the_past_within_their_clause() {
        assert!(of("echo 2017: ef 55%; echo today: ef 38%", "ef 55%").historical);
        assert!(!of("echo 2017: ef 55%; echo today: ef 38%", "ef 38%").historical);
        assert!(of("she had a blackout while driving in march 2025", "blackout").historical);
        assert!(of("prior tte (2019) reported moderate ar", "moderate ar").historical);
        assert!(of("ef 30% (june 2019)", "ef 30%").historical);
        // The year dates the later figure, not the one before the comma.
        assert!(!of("lvef 41%, previously 28% in 2019", "lvef 41%").historical);
        assert!(of("lvef 41%, previously 28% in 2019", "28%").historical);
        // "Since" starts a period that runs to now.
        assert!(!of("no chest pain since his pci in 2021", "chest pain").historical);
        assert!(!of("no syncope since 2019", "syncope").historical);
    }

    #[test]
    fn more_ways_to_say_past_present_and_possible() {
        assert!(measured("ef was 40% on the last echo", "40%").historical);
        assert!(measured("a scan some years ago showed an ef of about 30%", "30%").historical);
        assert!(measured("lvef 52% (cmr, 2023)", "52%").historical);
        assert!(measured("was nyha iv on admission, now nyha ii", "nyha iv").historical);
        assert!(!measured("was nyha iv on admission, now nyha ii", "nyha ii").historical);
        assert!(of("her father was nyha iv before his transplant", "nyha iv").historical);
        // A present word after the fact, in its clause, holds it now.
        assert!(!measured("nyha iii (2019), nyha ii (2024), nyha i today", "nyha i ").historical);
        assert!(measured("nyha iii (2019), nyha ii (2024), nyha i today", "nyha ii ").historical);
        assert!(measured("ef 30% in 2019 and now 45%", "30%").historical);
        assert!(measured("previous ef 25% now 40%", "25%").historical);
        assert!(measured("previously nyha iii now ii", "nyha iii").historical);
        // A date inside a bracket with its own figure does not reach out of the bracket.
        assert!(!of("known lvsd (ef 30% in 2021)", "lvsd").historical);
        assert!(of("known lvsd (ef 30% in 2021)", "30%").historical);
        assert!(of("lvsd (echo in 2019)", "lvsd").historical);
        let would = measured("the ejection fraction would need to be <35% for an icd", "<35%");
        assert!(would.hypothetical);
        let untreated = measured("without treatment he would probably be nyha iv", "nyha iv");
        assert!(untreated.hypothetical && !untreated.negated);
    }

    #[test]
    fn previously_after_the_fact_and_changes_of_state() {
        assert!(
            of("lv function was severely impaired previously but has now recovered", "severely impaired").historical
        );
        assert!(!of("ef 35%, as previously", "ef 35%").historical);
        assert!(!of("as previously noted, ef 35%", "ef 35%").historical);
        assert!(!of("previously nyha iii, improved to nyha ii after crt", "nyha ii after").historical);
        assert!(of("previously nyha iii, improved to nyha ii after crt", "nyha iii").historical);
        // A change does not end a hypothesis.
        assert!(of("if the ef improved to 50%", "50%").hypothetical);
        assert!(of("home bp was 165/100 before amlodipine was started", "165/100").historical);
        assert!(!of("breathless before reaching the top of the stairs", "breathless").historical);
    }

    #[test]
    fn a_measured_value_is_no_item_of_a_negated_list() {
        assert!(!measured("ex smoker, nyha i, no palpitations, ef 57% on tte", "ef 57%").negated);
        assert!(measured("not nyha iv", "nyha iv").negated);
        assert!(of("no chest pain, dyspnoea or lvsd", "lvsd").negated);
        assert!(!of("lvef of no less than 50%", "50%").negated);
    }

    #[test]
    fn a_relative_who_reports_is_not_the_experiencer() {
        assert_eq!(of("his wife reports that he gets breathless", "breathless").experiencer, Experiencer::Patient);
        assert_eq!(of("his wife has breathlessness", "breathlessness").experiencer, Experiencer::Other);
        assert_eq!(of("father noted to have lvh", "lvh").experiencer, Experiencer::Other);
    }

    #[test]
    fn last_season_that_time_a_dated_study_and_a_goal() {
        assert!(of("nyha class iiib at his worst last winter", "nyha class iiib").historical);
        assert!(of("echo last month reported an lvef of 55%", "55%").historical);
        assert!(of("ef at that time 20%", "20%").historical);
        assert!(of("ef preserved on the 2024 echo", "ef preserved").historical);
        assert!(of("at the 2022 review he was nyha ii", "nyha ii").historical);
        assert!(of("the goal is to get him back to nyha class i", "nyha class i").hypothetical);
        // "Last week" is how a complaint that still matters is dated: current.
        assert!(!of("syncope at the bus stop last week", "syncope").historical);
        // A comparison ends a history scope: "last year" dates the 25 %, not the 42 %.
        assert!(!of("lvef of 42% compared with 25% last year", "42%").historical);
        // A year inside brackets with a class of its own dates that class only.
        assert!(!of("nyha class ii (was class iii in 2023)", "nyha class ii").historical);
    }

    #[test]
    fn relative_times_events_and_numeric_dates() {
        for (sentence, fact) in [
            ("ef 35%, was 25% six months ago", "25%"),
            ("echo 2 yrs ago ef 35%", "35%"),
            ("ef was 22% pre-implant", "22%"),
            ("her lvef post-mi was 40%", "40%"),
            ("her ef was 55% before chemotherapy", "55%"),
            ("he was nyha i-ii before this admission", "nyha i-ii"),
            ("ef 25% and lbbb, nyha iii at the time", "nyha iii"),
            ("nyha 2 today (was nyha 3 at last contact)", "nyha 3"),
            ("hfref (ef 25-30% on tte 5/2025)", "ef 25-30%"),
            ("implanted 2020 for lvef 25%", "lvef 25%"),
        ] {
            assert!(measured(sentence, fact).historical, "{sentence}");
        }
        // A report's own full date, a complaint's length, and what follows a bracket are not
        // history; a new clause with its own subject ends the scope.
        assert!(!measured("echo 01/11/2026: ef 34%", "34%").historical);
        assert!(!of("a six-month history of breathlessness", "breathlessness").historical);
        assert!(!of("hfref (ef 30% on tte 5/2025), presents with worsening doe", "doe").historical);
        assert!(!of("her lvef post-mi was 40% and she has remained free of angina", "angina").historical);
        assert!(!of("breathless before reaching the top of the stairs", "breathless").historical);
        assert!(of("would expect him to be nyha i", "nyha i").hypothetical);
        assert!(of("no further chest pain since pci", "chest pain").negated);
        assert!(!of("no further investigation of the chest pain is needed", "chest pain").negated);
    }

    #[test]
    fn dated_diagnoses_studies_and_values_at_discharge() {
        assert!(of("hfref (ef 30%) diagnosed 2021.", "30%").historical);
        assert!(!of("ef 35%, diagnosed 2021 with af", "35%").historical);
        assert!(of("compared with cmr of 2021 (ef 45%), there has been deterioration to ef 36%", "45%").historical);
        assert!(!of("compared with cmr of 2021 (ef 45%), there has been deterioration to ef 36%", "36%").historical);
        assert!(of("his discharge lvef was 40% and he is now asymptomatic", "40%").historical);
        assert!(!of("at discharge nyha class ii", "ii").historical);
        assert!(of("nyha-iv at presentation 2023, now class ii", "iv").historical);
        assert!(!of("nyha-iv at presentation 2023, now class ii", "class ii").historical);
    }

    #[test]
    fn aims_and_conditionals_are_hypothetical() {
        assert!(of("target: ef > 50% after 6 months of therapy", "50%").hypothetical);
        assert!(!of("targeted therapy started; ef 40%", "40%").hypothetical);
        assert!(of("were she to deteriorate to class iii, add hydralazine", "class iii").hypothetical);
        assert!(!of("she was to see the nurse; nyha ii", "nyha ii").hypothetical);
    }

    #[test]
    fn a_pre_event_visit_heading_is_now_and_a_spouse_is_someone_else() {
        assert!(!of("pre-op assessment: echo shows normal lv systolic function", "normal lv").historical);
        assert!(!of("pre-tavi: nyha iii, cfs 5", "nyha iii").historical);
        assert!(!of("cardio-oncology pre-treatment review: lvef 62% (3d)", "lvef 62%").historical);
        // A pre-event state said later stays in the past.
        assert!(of("the pre-treatment lvef was 62%", "lvef was 62%").historical);
        assert_eq!(of("hubby has hf with ef 20%", "ef 20%").experiencer, Experiencer::Other);
        assert!(of("ideally would like the ef > 50%", "ef > 50%").hypothetical);
        assert!(!of("she would walk 2 miles, ef 50%", "ef 50%").hypothetical);
    }

    #[test]
    fn a_change_from_one_figure_to_another_ends_a_history_scope() {
        let sentence = "compared to the prior study of 02/2024, the ef has decreased from 50% to 40%";
        assert!(!of(sentence, "40%").historical);
        // Without the change the figure stays in the prior study's scope.
        assert!(of("the prior study of 02/2024 had an ef of 50%", "50%").historical);
    }

    #[test]
    fn seventh_round_cues_of_past_and_possible() {
        // A place before a bracketed year; "was III in 2023" is no place.
        assert!(of("echocardiogram (cape town, 2019): ef 25%", "ef 25%").historical);
        assert!(!measured("nyha ii (was iii in 2023)", "nyha ii").historical);
        // A study "dated" or "on echo" a full date is cited; a report's own header date is not.
        assert!(measured("echo report dated 12/03/2024: ef 30-35%", "30-35%").historical);
        assert!(measured("hfref (lvef 30% on echo 14/08/2025), nyha ii", "30%").historical);
        assert!(!measured("echo 01/11/2026: ef 34%", "34%").historical);
        // The lowest or starting value of a course; "now" ends it.
        assert!(measured("nadir ef 18% during the admission", "18%").historical);
        assert!(measured("nyha ii at baseline", "nyha ii").historical);
        assert!(!measured("baseline ef 65%, now 52%", "52%").historical);
        assert!(!measured("ef 45% on the baseline-corrected strain", "45%").historical);
        // A discharge state, and a NYHA class after a dated study's figures, hold at the visit.
        assert!(!measured("on admission nyha iv, at discharge nyha iii", "nyha iii").historical);
        assert!(measured("on admission nyha iv, at discharge nyha iii", "nyha iv").historical);
        assert!(!measured("last tte (jan 2026) lvef 38%, nyha ii", "nyha ii").historical);
        assert!(measured("last tte (jan 2026) lvef 38%, nyha ii", "38%").historical);
        // An inclusion criterion is hypothetical until the verdict after a dash.
        assert!(of("inclusion: nyha class ii-iv at screening - met (nyha iii)", "ii-iv").hypothetical);
        assert!(!of("inclusion: nyha class ii-iv at screening - met (nyha iii)", "nyha iii").hypothetical);
        assert!(!of("target organ damage: lvh", "lvh").hypothetical);
        // A normal item after a comma is asserted; a bracket closing on a colon heads a field.
        assert!(!of("no inducible ischaemia, normal lv function", "normal lv").negated);
        assert!(of("no ischaemia or normal-looking scar", "scar").negated);
        assert!(measured("muga scan (baseline, pre-trastuzumab): lvef 62%", "62%").historical);
        assert!(!measured("muga (baseline 2019) lvef 62% today", "62%").historical);
        assert!(!measured("not for icd: ef > 35% on repeat cmr", "35%").negated);
        assert!(of("not for icd. no syncope", "syncope").negated);
        assert!(of("expect nyha class to improve to i-ii", "i-ii").hypothetical);
        assert!(of("chest pain-free since pci", "chest pain").negated);
        assert!(!of("severe tr, rv free wall hypokinesis", "severe tr").negated);
        assert!(!of("no chest pain, minimal exertional breathlessness", "breathlessness").negated);
        assert!(of("no chest pain or breathlessness", "breathlessness").negated);
        assert!(!of("as expected, ef 35%", "ef 35%").hypothetical);
    }
}
