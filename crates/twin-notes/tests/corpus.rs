//! Precision and recall per fact type on the labelled synthetic corpus.
//!
//! `cargo test -p twin-notes --test corpus -- --nocapture` prints the tables that
//! docs/VALIDATION.md ("Facts from notes") quotes. `corpus/dev.tsv` is what the rules were tuned
//! on; `corpus/test.tsv` was written before the rules and is the held-out figure. A fact counts
//! as found only when its type, value and context all match the label.
//! `corpus/dev2.tsv` was written by a second author who had not read the rules and was first a
//! blind set; after that one measurement (kept in docs/VALIDATION.md) the rules were tuned on
//! it, so it is a tuning set now, scored beside `dev.tsv`.
//! `corpus/dev3.tsv` was `blind2.tsv`, written by a third hand after that tuning; it was measured
//! blind once (kept in docs/VALIDATION.md) and then tuned on, so it is a tuning set too.
//! `corpus/dev4.tsv` was `blind3.tsv`, written by a fourth hand who read neither the rules, the
//! tests nor the other corpora; it was scored blind once (kept in docs/VALIDATION.md) and then
//! tuned on. `corpus/dev5.tsv` was `blind4.tsv`, by a fifth hand, scored blind once (kept in
//! docs/VALIDATION.md) and then tuned on; `corpus/dev6.tsv` was `blind5.tsv`, by a sixth hand, and
//! `corpus/dev7.tsv` was `blind6.tsv`, by a seventh hand, the same way; `corpus/dev8.tsv` and
//! `corpus/dev9.tsv` were `blind7.tsv` and `blind8.tsv`, by an eighth and a ninth hand, scored
//! blind once with the rules frozen at ffc7250 (kept in docs/VALIDATION.md) and then tuned on.
//! `corpus/dev10.tsv` and `corpus/dev11.tsv` were `blind9.tsv` and `blind10.tsv`, by a tenth and an
//! eleventh hand, scored blind once with the rules frozen at 88c0499 (kept in docs/VALIDATION.md)
//! and then tuned on. `corpus/blind11.tsv` and `corpus/blind12.tsv`, by new hands, are being
//! written; the lead wires them into `blind_set_report` once complete and scores them once with
//! the rules frozen.

use std::collections::BTreeMap;

use twin_notes::{
    extract, EfBand, EfMethod, Experiencer, Fact, Found, LvefValue, Reaction, Severity, SmokingStatus, Symptom,
};

/// Counts for one fact type.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    true_positive: usize,
    false_positive: usize,
    false_negative: usize,
}

impl Tally {
    fn precision(self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_positive)
    }
    fn recall(self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_negative)
    }
    fn f1(self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// `(text, expected labels)` for each non-comment line.
fn corpus(tsv: &str) -> Vec<(String, Vec<String>)> {
    tsv.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let (text, labels) = line.split_once('\t').unwrap_or((line, ""));
            let labels = labels.split(';').map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
            (text.to_string(), labels)
        })
        .collect()
}

/// A found fact in the corpus's label syntax (corpus/README.md).
fn label(found: &Found) -> String {
    let mut out = match &found.fact {
        Fact::Lvef { value, method, .. } => {
            let value = match value {
                LvefValue::Point(v) => v.to_string(),
                LvefValue::Range { low, high } => format!("{low}-{high}"),
                LvefValue::Below(v) => format!("<{v}"),
                LvefValue::Above(v) => format!(">{v}"),
                LvefValue::Band(band) => format!(
                    "band:{}",
                    match band {
                        EfBand::Normal => "normal",
                        EfBand::MildlyReduced => "mildly_reduced",
                        EfBand::ModeratelyReduced => "moderately_reduced",
                        EfBand::SeverelyReduced => "severely_reduced",
                        EfBand::MildlyToModeratelyReduced => "mildly_to_moderately_reduced",
                        EfBand::ModeratelyToSeverelyReduced => "moderately_to_severely_reduced",
                        EfBand::Reduced => "reduced",
                    }
                ),
            };
            let method = method.map(|m| match m {
                EfMethod::Simpson => "@simpson",
                EfMethod::Visual => "@visual",
                EfMethod::Teichholz => "@teichholz",
                EfMethod::Mri => "@mri",
                EfMethod::Muga => "@muga",
            });
            format!("lvef={value}{}", method.unwrap_or(""))
        }
        Fact::Nyha { from, to } if from == to => format!("nyha={from}"),
        Fact::Nyha { from, to } => format!("nyha={from}-{to}"),
        Fact::Valve { valve, lesion, severity } => {
            let (valve, lesion) = (valve.name(), lesion.name());
            match severity {
                Some(s) => format!("valve={valve}.{lesion}.{}", severity_label(*s)),
                None => format!("valve={valve}.{lesion}"),
            }
        }
        Fact::Lvh { severity: Some(s) } => format!("lvh={}", severity_label(*s)),
        Fact::Lvh { severity: None } => "lvh".to_string(),
        Fact::Smoking(s) => format!(
            "smoking={}",
            match s {
                SmokingStatus::Current => "current",
                SmokingStatus::Former => "former",
                SmokingStatus::Never => "never",
            }
        ),
        Fact::HomeBp { sbp, dbp } => format!("homebp={sbp}/{dbp}"),
        Fact::Symptom(s) => format!(
            "symptom={}",
            match s {
                Symptom::Dyspnoea => "dyspnoea",
                Symptom::ChestPain => "chest_pain",
                Symptom::Oedema => "oedema",
                Symptom::Syncope => "syncope",
            }
        ),
        Fact::Intolerance { agent, reaction } => format!("intolerance={agent}/{}", reaction_label(*reaction)),
    };
    let context = found.context;
    for (on, suffix) in [
        (context.negated, "!neg"),
        (context.historical, "!hist"),
        (context.hypothetical, "!hyp"),
        (context.experiencer == Experiencer::Other, "!other"),
    ] {
        if on {
            out.push_str(suffix);
        }
    }
    out
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Trivial => "trivial",
        Severity::TrivialToMild => "trivial-mild",
        Severity::Mild => "mild",
        Severity::MildToModerate => "mild-moderate",
        Severity::Moderate => "moderate",
        Severity::ModerateToSevere => "moderate-severe",
        Severity::Severe => "severe",
    }
}

fn reaction_label(r: Reaction) -> &'static str {
    match r {
        Reaction::Myalgia => "myalgia",
        Reaction::Cough => "cough",
        Reaction::Angioedema => "angioedema",
        Reaction::Rash => "rash",
        Reaction::Hyperkalaemia => "hyperkalaemia",
        Reaction::Hypotension => "hypotension",
        Reaction::Bradycardia => "bradycardia",
        Reaction::AnkleOedema => "ankle_oedema",
        Reaction::GiUpset => "gi_upset",
        Reaction::Dizziness => "dizziness",
        Reaction::Gout => "gout",
        Reaction::Fatigue => "fatigue",
        Reaction::Bleeding => "bleeding",
        Reaction::Headache => "headache",
        Reaction::Flushing => "flushing",
        Reaction::Renal => "renal",
        Reaction::Gynaecomastia => "gynaecomastia",
        Reaction::Hyponatraemia => "hyponatraemia",
        Reaction::Bronchospasm => "bronchospasm",
        Reaction::Unspecified => "unspecified",
    }
}

fn kind_of(label: &str) -> String {
    label.split(['=', '!']).next().unwrap_or(label).to_string()
}

/// Scores a corpus; prints the table and each miss.
fn evaluate(name: &str, tsv: &str) -> BTreeMap<String, Tally> {
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let items = corpus(tsv);
    println!("\n{name}: {} sentences", items.len());
    for (text, expected) in &items {
        let mut missing = expected.clone();
        let mut extra = Vec::new();
        for found in extract(text) {
            assert!(text.is_char_boundary(found.span.start) && text.is_char_boundary(found.span.end));
            assert!(found.sentence.start <= found.span.start && found.span.end <= found.sentence.end);
            let got = label(&found);
            match missing.iter().position(|e| *e == got) {
                Some(idx) => {
                    missing.remove(idx);
                    tallies.entry(kind_of(&got)).or_default().true_positive += 1;
                }
                None => extra.push(got),
            }
        }
        for got in &extra {
            tallies.entry(kind_of(got)).or_default().false_positive += 1;
        }
        for want in &missing {
            tallies.entry(kind_of(want)).or_default().false_negative += 1;
        }
        if !extra.is_empty() || !missing.is_empty() {
            println!("  MISS {text:?}: extra {extra:?}, missing {missing:?}");
        }
    }
    println!("| fact type | TP | FP | FN | precision | recall | F1 |");
    println!("|---|---|---|---|---|---|---|");
    let mut all = Tally::default();
    for (kind, t) in &tallies {
        println!(
            "| {kind} | {} | {} | {} | {:.2} | {:.2} | {:.2} |",
            t.true_positive,
            t.false_positive,
            t.false_negative,
            t.precision(),
            t.recall(),
            t.f1()
        );
        all.true_positive += t.true_positive;
        all.false_positive += t.false_positive;
        all.false_negative += t.false_negative;
    }
    println!(
        "| all | {} | {} | {} | {:.2} | {:.2} | {:.2} |",
        all.true_positive,
        all.false_positive,
        all.false_negative,
        all.precision(),
        all.recall(),
        all.f1()
    );
    tallies
}

#[test]
fn corpus_is_large_enough() {
    let n = corpus(include_str!("../corpus/dev.tsv")).len() + corpus(include_str!("../corpus/test.tsv")).len();
    assert!(n >= 150, "the issue asks for at least 150 labelled sentences, have {n}");
}

/// Every set the rules were tuned on or held out from, scored and asserted on: its name in the
/// assertion, its heading in the printed table, and its text. (The blind sets are printed by
/// [`blind_set_report`] and never asserted on.)
const SCORED_SETS: [(&str, &str, &str); 12] = [
    ("dev", "dev (tuned on)", include_str!("../corpus/dev.tsv")),
    ("dev2", "dev2 (second author; blind once, then tuned on)", include_str!("../corpus/dev2.tsv")),
    ("dev3", "dev3 (third author; blind once, then tuned on)", include_str!("../corpus/dev3.tsv")),
    ("dev4", "dev4 (fourth author; blind once, then tuned on)", include_str!("../corpus/dev4.tsv")),
    ("dev5", "dev5 (fifth author; blind once, then tuned on)", include_str!("../corpus/dev5.tsv")),
    ("dev6", "dev6 (sixth author; blind once, then tuned on)", include_str!("../corpus/dev6.tsv")),
    ("dev7", "dev7 (seventh author; blind once, then tuned on)", include_str!("../corpus/dev7.tsv")),
    ("dev8", "dev8 (eighth author; blind once, then tuned on)", include_str!("../corpus/dev8.tsv")),
    ("dev9", "dev9 (ninth author; blind once, then tuned on)", include_str!("../corpus/dev9.tsv")),
    ("dev10", "dev10 (tenth author; blind once, then tuned on)", include_str!("../corpus/dev10.tsv")),
    ("dev11", "dev11 (eleventh author; blind once, then tuned on)", include_str!("../corpus/dev11.tsv")),
    ("test", "held-out test", include_str!("../corpus/test.tsv")),
];

#[test]
fn held_out_scores() {
    // Every table is printed before any assertion, as docs/VALIDATION.md quotes them.
    let scored: Vec<_> = SCORED_SETS.iter().map(|(set, heading, tsv)| (*set, evaluate(heading, tsv))).collect();
    for (set, tallies) in &scored {
        for kind in ["lvef", "nyha"] {
            let f1 = tallies.get(kind).copied().unwrap_or_default().f1();
            assert!(f1 >= 0.9, "{set} F1 for {kind} is {f1:.2}; the issue's target is 0.9");
        }
    }
}

/// The fact types and context suffixes of the label syntax (corpus/README.md).
const KINDS: [&str; 8] = ["lvef", "nyha", "valve", "lvh", "smoking", "homebp", "symptom", "intolerance"];
const SUFFIXES: [&str; 4] = ["neg", "hist", "hyp", "other"];

/// Asserts every line of a corpus is `text<TAB>labels` and every label is in the syntax, so a
/// malformed label shows up as a failure rather than as a silent miss in the table.
fn assert_parses(name: &str, tsv: &str) {
    for (line_idx, line) in tsv.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty()) {
        let line_no = line_idx + 1;
        let (text, labels) = line.split_once('\t').unwrap_or_else(|| panic!("{name}:{line_no}: no tab: {line:?}"));
        assert!(!text.trim().is_empty() && !labels.contains('\t'), "{name}:{line_no}: one text, one label field");
        for label in labels.split(';').map(str::trim).filter(|l| !l.is_empty()) {
            let mut parts = label.split('!');
            let fact = parts.next().unwrap_or_default();
            let kind = kind_of(fact);
            assert!(KINDS.contains(&kind.as_str()), "{name}:{line_no}: unknown fact type in {label:?}");
            assert!(kind == fact || fact.len() > kind.len() + 1, "{name}:{line_no}: empty value in {label:?}");
            for suffix in parts {
                assert!(SUFFIXES.contains(&suffix), "{name}:{line_no}: unknown context {suffix:?} in {label:?}");
            }
        }
    }
}

#[test]
fn every_corpus_parses() {
    for (set, _, tsv) in SCORED_SETS {
        assert_parses(&format!("{set}.tsv"), tsv);
    }
}

/// The blind measurement: a set written by a hand that has not seen the rules, printed and
/// never asserted on (an assertion would invite tuning the rules or the labels until it passes).
#[test]
fn blind_set_report() {
    for (name, tsv) in [
        ("blind11 (twelfth author; not seen the rules; never tuned on)", include_str!("../corpus/blind11.tsv")),
        ("blind12 (thirteenth author; not seen the rules; never tuned on)", include_str!("../corpus/blind12.tsv")),
    ] {
        assert!(tsv.lines().any(|l| l.starts_with("# complete:")), "{name}: its header should say it is complete");
        assert_parses(name, tsv);
        evaluate(name, tsv);
    }
}
