//! Safety limits on suggested drugs, each with its source. A rule either **excludes** a
//! candidate (it is never suggested, and the clinician sees why) or **flags** it (suggested
//! with the caution shown).

use std::collections::BTreeSet;

use crate::drugs::DrugClass as D;
use crate::record::{ConditionKind as C, MeasurementKind as K, PatientRecord};

/// What a rule does to a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Never suggested.
    Exclude,
    /// Suggested with the caution shown.
    Flag,
}

/// Which rule: the closed list the checks dispatch on, so a rule cannot be listed without a
/// check (the match in [`SafetyFacts::check`] is exhaustive) or misspelt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleId {
    /// A class the record lists an allergy or intolerance to.
    Allergy,
    /// ACE inhibitor with ARB.
    AceiArb,
    /// RAAS blockade or MRA with high potassium or low eGFR.
    PotassiumEgfr,
    /// Non-dihydropyridine CCB in HFrEF.
    NonDhpHfref,
    /// Beta-blocker with bradycardia or high-grade AV block.
    BetaBlockerBradycardia,
    /// Statin with active liver disease.
    StatinLiver,
    /// ACE inhibitor, ARB or statin in pregnancy.
    Pregnancy,
}

impl RuleId {
    /// The rule's stable code, as the screens, the CLI and the decision log show it.
    pub fn code(self) -> &'static str {
        match self {
            RuleId::Allergy => "allergy",
            RuleId::AceiArb => "acei-arb",
            RuleId::PotassiumEgfr => "potassium-egfr",
            RuleId::NonDhpHfref => "non-dhp-hfref",
            RuleId::BetaBlockerBradycardia => "beta-blocker-bradycardia",
            RuleId::StatinLiver => "statin-liver",
            RuleId::Pregnancy => "pregnancy",
        }
    }
}

/// One safety rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Which rule.
    pub id: RuleId,
    /// The rule in plain words.
    pub text: &'static str,
    /// Where it comes from.
    pub source: &'static str,
    /// Exclude or flag.
    pub verdict: Verdict,
    /// The classes it concerns.
    pub classes: &'static [D],
}

/// Every rule the search applies.
pub const RULES: &[Rule] = &[
    Rule {
        id: RuleId::Allergy,
        text: "no drug of a class the record lists an allergy or intolerance to",
        source: "the record's AllergyIntolerance resources",
        verdict: Verdict::Exclude,
        classes: &[
            D::AceInhibitor, D::Arb, D::CalciumChannelBlocker, D::NonDihydropyridineCcb, D::Thiazide,
            D::BetaBlocker, D::Mra, D::Statin, D::Ezetimibe, D::Pcsk9Inhibitor,
        ],
    },
    Rule {
        id: RuleId::AceiArb,
        text: "never an ACE inhibitor and an ARB together",
        source: "ONTARGET (Yusuf et al., N Engl J Med 2008;358:1547); ESC/ESH 2018 §7.5.1 (class III)",
        verdict: Verdict::Exclude,
        classes: &[D::AceInhibitor, D::Arb],
    },
    Rule {
        id: RuleId::PotassiumEgfr,
        text: "ACE inhibitor, ARB or MRA with potassium above 5.0 mmol/L or eGFR below 30: flagged",
        source: "ACC/AHA 2017 §8.1.6 (monitor K+ and creatinine); ESC 2021 heart failure guideline (McDonagh et al., Eur Heart J 2021;42:3599), MRA cautions: K+ > 5.0 mmol/L, eGFR < 30",
        verdict: Verdict::Flag,
        classes: &[D::AceInhibitor, D::Arb, D::Mra],
    },
    Rule {
        id: RuleId::NonDhpHfref,
        text: "no non-dihydropyridine calcium-channel blocker with heart failure with reduced ejection fraction",
        source: "AHA/ACC/HFSA 2022 heart failure guideline (Heidenreich et al., Circulation 2022;145:e895), §7.3.8: harmful (class 3)",
        verdict: Verdict::Exclude,
        classes: &[D::NonDihydropyridineCcb],
    },
    Rule {
        id: RuleId::BetaBlockerBradycardia,
        text: "no beta-blocker with resting heart rate below 55/min or second- or third-degree AV block",
        source: "ESC/ESH 2018 Table 20 (contraindications: 2nd/3rd-degree AV block; marked bradycardia)",
        verdict: Verdict::Exclude,
        classes: &[D::BetaBlocker],
    },
    Rule {
        id: RuleId::StatinLiver,
        text: "no statin with active liver disease",
        source: "ACC/AHA 2018 cholesterol guideline (Grundy et al., Circulation 2019;139:e1082), statin safety; statin labels (contraindicated in active liver disease)",
        verdict: Verdict::Exclude,
        classes: &[D::Statin],
    },
    Rule {
        id: RuleId::Pregnancy,
        text: "no ACE inhibitor, ARB or statin in pregnancy",
        source: "ACC/AHA 2017 §10.2.2 (ACE inhibitors and ARBs contraindicated in pregnancy); ACC/AHA 2018 cholesterol guideline (stop statins in pregnancy)",
        verdict: Verdict::Exclude,
        classes: &[D::AceInhibitor, D::Arb, D::Statin],
    },
];

/// A rule that fired for a candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Rule,
    /// The class it fired for.
    pub class: D,
    /// What in the record made it fire, in plain words (resource ids, values of the record's own
    /// measurements; no names).
    pub because: String,
}

/// The record's facts the rules read, gathered once.
#[derive(Debug, Clone, PartialEq)]
pub struct SafetyFacts {
    allergies: Vec<(D, String)>,
    potassium: Option<f64>,
    egfr: Option<f64>,
    hfref: Option<String>,
    heart_rate: Option<f64>,
    av_block: bool,
    liver_disease: bool,
    pregnant: bool,
}

impl SafetyFacts {
    /// The facts in `record`.
    pub fn of(record: &PatientRecord) -> Self {
        let lvef = record.latest(K::Lvef).map(|s| s.value);
        let hfref = if record.has_active(C::HeartFailureReducedEf) {
            Some("heart failure with reduced EF on record".to_string())
        } else {
            lvef.filter(|ef| *ef <= 40.0).map(|ef| format!("LVEF {ef:.0}%"))
        };
        Self {
            allergies: record
                .allergies
                .iter()
                .filter_map(|a| a.class.map(|c| (c, format!("{} ({})", a.display, a.source.resource))))
                .collect(),
            potassium: record.latest(K::Potassium).map(|s| s.value),
            egfr: record.latest(K::Egfr).map(|s| s.value),
            hfref,
            heart_rate: record.latest(K::HeartRate).map(|s| s.value),
            av_block: record.has_active(C::HighGradeAvBlock),
            liver_disease: record.has_active(C::LiverDisease),
            pregnant: record.has_active(C::Pregnancy),
        }
    }

    /// What `rule` finds for `class` when the regimen afterwards holds `regimen`.
    fn fires(&self, rule: &Rule, class: D, regimen: &BTreeSet<D>) -> Option<String> {
        match rule.id {
            RuleId::Allergy => {
                self.allergies.iter().find(|(c, _)| *c == class).map(|(_, what)| format!("allergy: {what}"))
            }
            RuleId::AceiArb => (regimen.contains(&D::AceInhibitor) && regimen.contains(&D::Arb))
                .then(|| "the regimen would hold both an ACE inhibitor and an ARB".to_string()),
            RuleId::PotassiumEgfr => {
                let k = self.potassium.filter(|k| *k > 5.0).map(|k| format!("potassium {k:.1} mmol/L"));
                let e = self.egfr.filter(|e| *e < 30.0).map(|e| format!("eGFR {e:.0}"));
                let why: Vec<String> = k.into_iter().chain(e).collect();
                (!why.is_empty()).then(|| why.join(", "))
            }
            RuleId::NonDhpHfref => self.hfref.clone(),
            RuleId::BetaBlockerBradycardia => {
                if self.av_block {
                    Some("second- or third-degree AV block on record".into())
                } else {
                    self.heart_rate.filter(|hr| *hr < 55.0).map(|hr| format!("resting heart rate {hr:.0}/min"))
                }
            }
            RuleId::StatinLiver => self.liver_disease.then(|| "active liver disease on record".into()),
            RuleId::Pregnancy => self.pregnant.then(|| "pregnancy on record".into()),
        }
    }

    /// Every finding for the `changed` classes (added or titrated) of a regimen that afterwards
    /// holds `regimen`, and the rules checked and passed.
    pub fn check(&self, changed: &[D], regimen: &BTreeSet<D>) -> (Vec<Finding>, Vec<&'static Rule>) {
        let mut findings = Vec::new();
        let mut passed = Vec::new();
        for rule in RULES {
            let mut fired = false;
            for class in changed.iter().filter(|c| rule.classes.contains(c)) {
                if let Some(because) = self.fires(rule, *class, regimen) {
                    // A rule about the combination (ACE inhibitor with ARB) is said once.
                    if !findings.iter().any(|f: &Finding| f.rule.id == rule.id && f.because == because) {
                        findings.push(Finding { rule, class: *class, because });
                    }
                    fired = true;
                }
            }
            if !fired && changed.iter().any(|c| rule.classes.contains(c)) {
                passed.push(rule);
            }
        }
        (findings, passed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_listed_once_with_a_distinct_code_and_a_source() {
        let all = [
            RuleId::Allergy,
            RuleId::AceiArb,
            RuleId::PotassiumEgfr,
            RuleId::NonDhpHfref,
            RuleId::BetaBlockerBradycardia,
            RuleId::StatinLiver,
            RuleId::Pregnancy,
        ];
        for id in all {
            assert_eq!(RULES.iter().filter(|r| r.id == id).count(), 1, "{id:?} listed once");
        }
        assert_eq!(RULES.len(), all.len());
        let codes: BTreeSet<&str> = RULES.iter().map(|r| r.id.code()).collect();
        assert_eq!(codes.len(), RULES.len(), "codes are distinct");
        assert!(RULES.iter().all(|r| !r.source.is_empty() && !r.classes.is_empty()));
    }
}
