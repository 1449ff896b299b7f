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
}

impl Categories {
    pub const ALL: Self = Self { negation: true, history: true };
    pub const SMOKING: Self = Self { negation: false, history: false };
    pub const INTOLERANCE: Self = Self { negation: true, history: false };
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
}

fn trigger(category: Category, direction: Direction, alternatives: &str) -> Trigger {
    let pattern = Regex::new(&format!(r"\b(?:{alternatives})\b")).expect("trigger patterns are valid");
    Trigger { category, direction, pattern }
}

static TRIGGERS: LazyLock<Vec<Trigger>> = LazyLock::new(|| {
    use Category::*;
    use Direction::*;
    vec![
        trigger(
            Negation,
            Forward,
            r"no|not|denies|denied|denying|without|negative for|free of|absence of|nil|neither|nor|never had",
        ),
        trigger(Negation, Backward, r"denied|not present|absent|ruled out|excluded|not seen|not found"),
        // ": none", ": nil", ": no" close a list field ("Chest pain: none").
        Trigger {
            category: Negation,
            direction: Backward,
            pattern: Regex::new(r":\s*(?:none|nil|no|absent|negative)\b").expect("valid"),
        },
        trigger(History, Forward, r"history of|hx of|h/o|previous|previously|prior|past|formerly"),
        trigger(
            History,
            Both,
            r"at diagnosis|in (?:19|20)\d\d|(?:\d+|one|two|three|four|five|six|ten|several|many) (?:years?|months?) ago",
        ),
        trigger(History, Backward, r"resolved|settled"),
        trigger(
            Hypothetical,
            Forward,
            r"if|should|in case of|in the event of|watch for|look out for|warned about|risk of|unless|rule out|r/o|may develop|might",
        ),
        trigger(
            Other,
            Forward,
            r"father|mother|brother|sister|siblings?|son|daughter|wife|husband|partner|uncle|aunt|grandfather|grandmother|parents?|family history|fhx?",
        ),
    ]
});

/// Looks like a negation trigger but is not one (NegEx's pseudo-negations, and their like).
static PSEUDO_NEGATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:no change|no significant change|no further|not only|no increase|not necessarily|(?:could|did|does|would) not tolerate|not tolerated)\b",
    )
    .expect("valid")
});

/// Looks like a history trigger but names someone else's condition.
static PSEUDO_HISTORY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bfamily history of\b").expect("valid"));

/// Ends a trigger's scope.
static TERMINATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r";|\b(?:but|however|although|though|except|apart from|aside from|whereas|which|now|currently|today)\b")
        .expect("valid")
});

/// A trigger found in a sentence, after pseudo-triggers were set aside.
struct Hit {
    category: Category,
    direction: Direction,
    range: std::ops::Range<usize>,
}

/// The triggers and termination terms of one sentence, found once and asked for each fact.
pub(crate) struct SentenceContext {
    hits: Vec<Hit>,
    terminations: Vec<usize>,
}

impl SentenceContext {
    /// Finds the triggers in `sentence` (ASCII-lower-cased).
    pub(crate) fn new(sentence: &str) -> Self {
        let pseudo_negation: Vec<_> = PSEUDO_NEGATION.find_iter(sentence).map(|m| m.range()).collect();
        let pseudo_history: Vec<_> = PSEUDO_HISTORY.find_iter(sentence).map(|m| m.range()).collect();
        let mut hits = Vec::new();
        for trigger in TRIGGERS.iter() {
            let pseudo: &[std::ops::Range<usize>] = match trigger.category {
                Category::Negation => &pseudo_negation,
                Category::History => &pseudo_history,
                Category::Hypothetical | Category::Other => &[],
            };
            for found in trigger.pattern.find_iter(sentence) {
                let range = found.range();
                if !pseudo.iter().any(|p| p.start <= range.start && range.end <= p.end) {
                    hits.push(Hit { category: trigger.category, direction: trigger.direction, range });
                }
            }
        }
        let terminations = TERMINATION.find_iter(sentence).map(|m| m.start()).collect();
        Self { hits, terminations }
    }

    /// The context of the fact at `span` (byte offsets into the sentence).
    pub(crate) fn of(&self, span: std::ops::Range<usize>, categories: Categories) -> Context {
        // A termination at the fact's own first word ("now improved to 45%") ends the scope too.
        let blocked = |from: usize, to: usize| self.terminations.iter().any(|&t| t >= from && t <= to);
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
            let forward = hit.range.end <= span.start && !blocked(hit.range.end, span.start);
            let backward = hit.range.start >= span.end && !blocked(span.end, hit.range.start);
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
        context
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
    }

    #[test]
    fn pseudo_triggers_do_not_negate() {
        assert!(!of("could not tolerate bisoprolol because of bradycardia", "bradycardia").negated);
        assert!(!of("no change in chest pain", "chest pain").negated);
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
}
