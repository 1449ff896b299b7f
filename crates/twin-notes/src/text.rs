//! Plain words for a found fact, as a screen shows it ("LVEF 35–40 % (Simpson's biplane)",
//! "no chest pain", "severe aortic stenosis — family member").

use crate::context::{Context, Experiencer};
use crate::fact::{EfBand, EfMethod, Fact, LvefValue, Reaction, Severity, SmokingStatus, Symptom};

/// The fact in plain words, with its context.
pub fn describe(fact: &Fact, context: &Context) -> String {
    let mut text = match fact {
        // "no atorvastatin not tolerated" would read badly: say what was tolerated.
        Fact::Intolerance { agent, reaction } if context.negated => {
            let agent = agent.replace('_', " ");
            match reaction_words(*reaction) {
                Some(reaction) => format!("{agent} tolerated (no {reaction})"),
                None => format!("{agent} tolerated"),
            }
        }
        _ if context.negated => format!("no {}", fact_words(fact)),
        _ => fact_words(fact),
    };
    let mut notes = Vec::new();
    if context.historical {
        notes.push("in the past");
    }
    if context.hypothetical {
        notes.push("hypothetical");
    }
    if context.experiencer == Experiencer::Other {
        notes.push("someone else");
    }
    if !notes.is_empty() {
        text = format!("{text} ({})", notes.join(", "));
    }
    text
}

fn fact_words(fact: &Fact) -> String {
    match fact {
        Fact::Lvef { value, method, approximate } => {
            let value = match value {
                LvefValue::Point(v) => format!("{v} %"),
                LvefValue::Range { low, high } => format!("{low}–{high} %"),
                LvefValue::Below(v) => format!("< {v} %"),
                LvefValue::Above(v) => format!("> {v} %"),
                LvefValue::Band(band) => {
                    let (low, high) = band.range();
                    let word = match band {
                        EfBand::Normal => "normal",
                        EfBand::MildlyReduced => "mildly reduced",
                        EfBand::ModeratelyReduced => "moderately reduced",
                        EfBand::SeverelyReduced => "severely reduced",
                        EfBand::MildlyToModeratelyReduced => "mildly to moderately reduced",
                        EfBand::ModeratelyToSeverelyReduced => "moderately to severely reduced",
                        EfBand::Reduced => "reduced",
                    };
                    if matches!(band, EfBand::Reduced) {
                        // Ungraded: below 50 % covers HFmrEF (41–49 %) and HFrEF (≤ 40 %), whose
                        // treatments differ (ESC 2021), so the grade is said to be unknown.
                        format!("{word}, grade not stated (below {} %: HFmrEF or HFrEF)", high + 1)
                    } else {
                        format!("{word} (read as {low}–{high} %)")
                    }
                }
            };
            let method = method.map(|m| match m {
                EfMethod::Simpson => " (Simpson's biplane)",
                EfMethod::Visual => " (visual estimate)",
                EfMethod::Teichholz => " (Teichholz)",
                EfMethod::Mri => " (cardiac MRI)",
                EfMethod::Muga => " (MUGA)",
            });
            let about = if *approximate { "about " } else { "" };
            format!("LVEF {about}{value}{}", method.unwrap_or(""))
        }
        Fact::Nyha { from, to } if from == to => format!("NYHA {from}"),
        Fact::Nyha { from, to } => format!("NYHA {from}–{to}"),
        Fact::Valve { valve, lesion, severity } => {
            let (valve, lesion) = (valve.name(), lesion.name());
            match severity {
                Some(s) => format!("{} {valve} {lesion}", severity_words(*s)),
                None => format!("{valve} {lesion}"),
            }
        }
        Fact::Lvh { severity: Some(s) } => format!("{} LV hypertrophy", severity_words(*s)),
        Fact::Lvh { severity: None } => "LV hypertrophy".to_string(),
        Fact::Smoking(status) => match status {
            SmokingStatus::Current => "current smoker",
            SmokingStatus::Former => "former smoker",
            SmokingStatus::Never => "never smoked",
        }
        .to_string(),
        Fact::HomeBp { sbp, dbp } => format!("home BP {sbp}/{dbp} mmHg"),
        Fact::Symptom(symptom) => match symptom {
            Symptom::Dyspnoea => "breathlessness",
            Symptom::ChestPain => "chest pain",
            Symptom::Oedema => "oedema",
            Symptom::Syncope => "syncope",
        }
        .to_string(),
        Fact::Intolerance { agent, reaction } => {
            let agent = agent.replace('_', " ");
            match reaction_words(*reaction) {
                Some(reaction) => format!("{agent} not tolerated ({reaction})"),
                None => format!("{agent} not tolerated"),
            }
        }
    }
}

fn severity_words(severity: Severity) -> &'static str {
    match severity {
        Severity::Trivial => "trivial",
        Severity::TrivialToMild => "trivial to mild",
        Severity::Mild => "mild",
        Severity::MildToModerate => "mild to moderate",
        Severity::Moderate => "moderate",
        Severity::ModerateToSevere => "moderate to severe",
        Severity::Severe => "severe",
    }
}

fn reaction_words(reaction: Reaction) -> Option<&'static str> {
    Some(match reaction {
        Reaction::Myalgia => "myalgia",
        Reaction::Cough => "cough",
        Reaction::Angioedema => "angioedema",
        Reaction::Rash => "rash",
        Reaction::Hyperkalaemia => "hyperkalaemia",
        Reaction::Hypotension => "hypotension",
        Reaction::Bradycardia => "bradycardia",
        Reaction::AnkleOedema => "ankle oedema",
        Reaction::GiUpset => "gastrointestinal upset",
        Reaction::Dizziness => "dizziness",
        Reaction::Gout => "gout",
        Reaction::Fatigue => "fatigue",
        Reaction::Bleeding => "bleeding",
        Reaction::Headache => "headache",
        Reaction::Flushing => "flushing",
        Reaction::Renal => "kidney injury",
        Reaction::Gynaecomastia => "gynaecomastia",
        Reaction::Hyponatraemia => "hyponatraemia",
        Reaction::Bronchospasm => "bronchospasm",
        Reaction::Unspecified => return None,
    })
}
