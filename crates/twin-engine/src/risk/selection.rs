//! Which equation is meant for this patient, and why, by the populations the equations were
//! derived in (ESC 2021 prevention guideline, Visseren et al., Eur Heart J 2021;42:3227, Figure 6
//! and §3.2; ESC 2023 diabetes guideline, Marx et al., Eur Heart J 2023;44:4043; ESC 2021 heart
//! failure guideline, McDonagh et al., Eur Heart J 2021;42:3599).

use super::RiskInputs;

/// The population a patient belongs to, as far as the equations are concerned. Earlier variants
/// win: a patient with coronary disease and diabetes is in the established-disease population.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Population {
    /// Established atherosclerotic disease (coronary, cerebrovascular, peripheral, AAA).
    EstablishedAscvd,
    /// Heart failure without established atherosclerotic disease.
    HeartFailure,
    /// Type 2 diabetes, no established cardiovascular disease.
    Diabetes,
    /// None of the above: primary prevention.
    Primary,
}

/// The equations this app can compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// SMART2, 10-year recurrent events.
    Smart2,
    /// MAGGIC, 1- and 3-year mortality.
    Maggic,
    /// SCORE2-Diabetes, 10-year CVD.
    Score2Diabetes,
    /// SCORE2-OP, 10-year CVD from age 70 (diabetes included).
    Score2Op,
    /// PREVENT, 10-year total CVD.
    Prevent,
}

impl Model {
    /// A stable machine name.
    pub fn key(self) -> &'static str {
        match self {
            Model::Smart2 => "smart2",
            Model::Maggic => "maggic",
            Model::Score2Diabetes => "score2Diabetes",
            Model::Score2Op => "score2",
            Model::Prevent => "prevent",
        }
    }

    /// The name people use.
    pub fn label(self) -> &'static str {
        match self {
            Model::Smart2 => "SMART2",
            Model::Maggic => "MAGGIC",
            Model::Score2Diabetes => "SCORE2-Diabetes",
            Model::Score2Op => "SCORE2-OP",
            Model::Prevent => "PREVENT",
        }
    }
}

/// The model meant for a patient, and the reason in plain words.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// Who the patient is.
    pub population: Population,
    /// The model meant for them.
    pub model: Model,
    /// Why, in plain words.
    pub why: String,
}

/// Who the patient is.
pub fn population(x: &RiskInputs, heart_failure: bool) -> Population {
    if x.ascvd.is_some() {
        Population::EstablishedAscvd
    } else if heart_failure {
        Population::HeartFailure
    } else if x.diabetes {
        Population::Diabetes
    } else {
        Population::Primary
    }
}

/// The model meant for the patient.
pub fn choose(x: &RiskInputs, heart_failure: bool) -> Choice {
    let population = population(x, heart_failure);
    let (model, why) = match (population, x.ascvd) {
        (Population::EstablishedAscvd, Some(h)) => {
            let found: Vec<&str> = [
                (h.coronary, "coronary disease"),
                (h.cerebrovascular, "cerebrovascular disease"),
                (h.peripheral, "peripheral artery disease"),
                (h.aortic_aneurysm, "an abdominal aortic aneurysm"),
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, what)| *what)
            .collect();
            let mut why = format!(
                "{} on record: established atherosclerotic disease, for which the ESC recommends SMART2 (recurrent \
                 events); PCE, PREVENT and SCORE2 were derived in people without it and do not apply",
                found.join(" and ")
            );
            if heart_failure {
                why.push_str("; heart failure is also on record, and MAGGIC gives its prognosis (mortality)");
            }
            (Model::Smart2, why)
        }
        (Population::HeartFailure, _) => (
            Model::Maggic,
            "heart failure on record: MAGGIC gives 1- and 3-year mortality. No validated model of cardiovascular \
             events applies (PCE, PREVENT and SCORE2 exclude heart failure; SMART2 needs atherosclerotic disease), so \
             projections show no event risk"
                .to_string(),
        ),
        (Population::Diabetes, _) if x.region.is_some() && x.age >= 70.0 => (
            Model::Score2Op,
            "type 2 diabetes at 70 or over without cardiovascular disease, ESC risk region given: SCORE2-OP, which \
             includes diabetes (ESC 2023)"
                .to_string(),
        ),
        (Population::Diabetes, _) if x.region.is_some() => (
            Model::Score2Diabetes,
            "type 2 diabetes without cardiovascular disease, ESC risk region given: SCORE2-Diabetes (ESC 2023)"
                .to_string(),
        ),
        (Population::Diabetes, _) => (
            Model::Prevent,
            "type 2 diabetes without cardiovascular disease: PREVENT (which includes diabetes and HbA1c); choose an ESC \
             risk region for SCORE2-Diabetes"
                .to_string(),
        ),
        _ => (Model::Prevent, "no cardiovascular disease on record: primary prevention, PREVENT".to_string()),
    };
    Choice { population, model, why }
}
