//! The event model behind projected event risk: annual hazards from the validated equation meant
//! for the patient ([`crate::risk::selection`]), or none, with the reason, where none is.

use crate::progression::heart_failure::{self, HeartFailureBaseline};
use crate::risk::selection::{population, Population};
use crate::risk::{maggic, pce, prevent, score2, score2_diabetes, smart2, NotComputed, RiskEstimate, RiskInputs};

/// Annual hazards over the horizon, with the equation that gave them.
#[derive(Debug, Clone, PartialEq)]
pub struct EventModel {
    /// Annual hazard for each projection year (year 0 is today); empty when no equation of CV
    /// events applies (heart failure's outcomes are computed member by member instead).
    pub annual_hazard: Vec<f64>,
    /// The equation, or why there is none.
    pub name: String,
    /// What a reader should know (age limits, PREVENT model chosen).
    pub notes: Vec<String>,
    /// What the projected event risk is a probability of.
    pub outcome: EventOutcome,
}

/// What the projected event risk ([`crate::progression::Output::EventRisk`]) is a probability
/// of, and over what horizon the screens read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventOutcome {
    /// A major cardiovascular event, read at 10 years; also where no model applies.
    CardiovascularEvents,
    /// Death from any cause in heart failure, with a first HF hospitalisation beside it, read at
    /// 1 and 3 years (MAGGIC's horizon).
    HeartFailure,
}

impl EventOutcome {
    /// The horizon the screens read the risk at, years.
    pub fn horizon_years(self) -> u32 {
        match self {
            EventOutcome::CardiovascularEvents => 10,
            EventOutcome::HeartFailure => heart_failure::HORIZON_YEARS,
        }
    }

    /// The outcome in words ("major cardiovascular event", "death from any cause").
    pub fn words(self) -> &'static str {
        match self {
            EventOutcome::CardiovascularEvents => "major cardiovascular event",
            EventOutcome::HeartFailure => "death from any cause",
        }
    }
}

impl EventModel {
    /// Whether a model of the outcome applies (else the projected event risk is missing).
    pub fn applies(&self) -> bool {
        !self.annual_hazard.is_empty() || self.outcome == EventOutcome::HeartFailure
    }
}

/// The event model of a record with heart failure: death from any cause from MAGGIC, and a first
/// HF hospitalisation beside it, both moved by the trial effects of HF therapy
/// ([`heart_failure`]); or, when MAGGIC cannot be computed, none, with the reason.
pub fn heart_failure_model(maggic: Result<maggic::Inputs, NotComputed>) -> (EventModel, Option<HeartFailureBaseline>) {
    let x = match maggic.and_then(|x| maggic::score(&x).map(|_| x)) {
        Ok(x) => x,
        Err(reason) => {
            let model = EventModel {
                annual_hazard: Vec::new(),
                name: format!(
                    "no outcome model applies: heart failure is on record, and MAGGIC, which the heart-failure \
                     outcomes start from, is not estimated ({})",
                    reason.describe()
                ),
                notes: Vec::new(),
                outcome: EventOutcome::CardiovascularEvents,
            };
            return (model, None);
        }
    };
    let reduced_ef = x.ejection_fraction <= crate::progression::effects::HFREF_LVEF_MAX;
    let mut notes = vec![format!(
        "MAGGIC is validated to {} years: heart-failure outcomes are read at 1 and {} years",
        heart_failure::HORIZON_YEARS,
        heart_failure::HORIZON_YEARS
    )];
    notes.push(
        "first HF hospitalisation: MAGGIC's death hazard times the ratio of first HF hospitalisations to deaths \
         in the control arms of PARADIGM-HF, DAPA-HF and EMPEROR-Reduced (no validated score of HF \
         hospitalisation runs on a routine record)"
            .to_string(),
    );
    if !reduced_ef {
        notes.push(
            "EF above 40 %: only SGLT2 inhibitors change the projected outcomes (DELIVER, EMPEROR-Preserved); \
             other classes have no trial effect on them here"
                .to_string(),
        );
    }
    let model = EventModel {
        annual_hazard: Vec::new(),
        name: "MAGGIC death from any cause, with the trial effects of heart-failure therapy".to_string(),
        notes,
        outcome: EventOutcome::HeartFailure,
    };
    (model, Some(HeartFailureBaseline { maggic: x, reduced_ef }))
}

type Equation = (&'static str, fn(&RiskInputs) -> RiskEstimate, f64);

/// Years since the first atherosclerotic diagnosis beyond which SMART2 is not extrapolated.
const SMART2_MAX_YEARS: f64 = 30.0;

/// Annual event hazard per projection year from the equation meant for the patient:
/// - established atherosclerotic disease: SMART2 (recurrent MI, stroke, vascular death), and no
///   other, since the primary-prevention equations would understate the risk;
/// - heart failure alone: none (MAGGIC predicts death and does not respond to treatment the way
///   a projection needs), said plainly;
/// - type 2 diabetes: SCORE2-Diabetes (to 69) or SCORE2-OP (from 70) first when an ESC region is
///   given, else PREVENT, PCE, then those;
/// - otherwise PREVENT 10-year total CVD, else PCE, else SCORE2.
///
/// A 10-year risk r gives the constant annual hazard −ln(1 − r)/10 over the ten years it is
/// about. The equation's 10-year risk already carries its derivation cohort's ageing (and average
/// course of risk factors) over those ten years, so recomputing it at age + 1, + 2, … for each year
/// counted that ageing twice: the projected 10-year risk under unchanged treatment ran 25–30 %
/// (relative) above the equation. Each ten-year window therefore takes the hazard of the risk
/// the equation gives at the window's start: years 0–9 today's, years 10–19 the risk at age + 10
/// (and, for SMART2, ten more years since diagnosis), capped at the equation's validated maximum
/// age. The projection's 10-year risk with frozen risk factors is then the equation's own.
pub fn annual_hazards(inputs: &RiskInputs, heart_failure: bool, years: u32) -> EventModel {
    let equations: Vec<Equation> = match population(inputs, heart_failure) {
        Population::EstablishedAscvd => vec![("SMART2 10-year recurrent events", smart2::recurrent_10y, 80.0)],
        Population::HeartFailure => {
            return EventModel {
                annual_hazard: Vec::new(),
                name: "no event model applies: heart failure is on record, and no validated equation of \
                       cardiovascular events covers it (PCE, PREVENT and SCORE2 exclude it; SMART2 needs \
                       atherosclerotic disease); MAGGIC's mortality is shown under risk"
                    .to_string(),
                notes: Vec::new(),
                outcome: EventOutcome::CardiovascularEvents,
            };
        }
        Population::Diabetes => {
            let mut v: Vec<Equation> = vec![
                ("PREVENT 10-year total CVD", prevent_cvd, 79.0),
                ("PCE 10-year hard ASCVD", pce::ascvd_10y, 79.0),
            ];
            // The ESC's models for diabetes: SCORE2-Diabetes to 69, SCORE2-OP from 70. With an
            // ESC region given they come first.
            let esc: [Equation; 2] = [
                ("SCORE2-Diabetes 10-year CVD", score2_diabetes::cvd_10y, 69.0),
                ("SCORE2-OP 10-year CVD", score2::cvd_10y, 89.0),
            ];
            if inputs.region.is_some() {
                v.splice(0..0, esc);
            } else {
                v.extend(esc);
            }
            v
        }
        Population::Primary => vec![
            ("PREVENT 10-year total CVD", prevent_cvd, 79.0),
            ("PCE 10-year hard ASCVD", pce::ascvd_10y, 79.0),
            ("SCORE2 10-year CVD", score2::cvd_10y, 89.0),
        ],
    };
    let mut reasons = Vec::new();
    for (name, equation, max_age) in equations {
        let today = equation(inputs);
        match today.risk {
            Ok(_) => {
                let mut notes = today.notes;
                if name.starts_with("PREVENT") {
                    notes.push(format!("event model: PREVENT {}", prevent::select(inputs).model.label()));
                }
                if inputs.age + f64::from(years) > max_age {
                    notes.push(format!(
                        "{name} is validated to age {max_age}; later years use the age-{max_age} hazard"
                    ));
                }
                let annual_hazard = (0..=years)
                    .map(|y| {
                        let x = in_year(inputs, y - y % 10, max_age);
                        let r10 = equation(&x).risk.unwrap_or(0.0).clamp(0.0, 0.999);
                        -(1.0 - r10).ln() / 10.0
                    })
                    .collect();
                return EventModel {
                    annual_hazard,
                    name: name.to_string(),
                    notes,
                    outcome: EventOutcome::CardiovascularEvents,
                };
            }
            Err(reason) => reasons.push(format!("{name}: {}", reason.describe())),
        }
    }
    EventModel {
        annual_hazard: Vec::new(),
        name: format!("no event model applies ({})", reasons.join("; ")),
        notes: Vec::new(),
        outcome: EventOutcome::CardiovascularEvents,
    }
}

fn prevent_cvd(x: &RiskInputs) -> RiskEstimate {
    prevent::risk(x, prevent::Outcome::Cvd, prevent::Horizon::TenYears)
}

/// The inputs `y` years on: older (capped at the equation's maximum) and, for SMART2, further
/// from the first diagnosis (capped at [`SMART2_MAX_YEARS`]).
fn in_year(inputs: &RiskInputs, y: u32, max_age: f64) -> RiskInputs {
    let later = f64::from(y);
    let ascvd = inputs.ascvd.map(|h| smart2::AscvdHistory {
        years_since_first: h.years_since_first.map(|t| (t + later).min(SMART2_MAX_YEARS)),
        ..h
    });
    RiskInputs { age: (inputs.age + later).min(max_age), ascvd, ..inputs.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Sex;

    /// PREVENT's test person (a man) without diabetes, at `age`.
    fn inputs(age: f64) -> RiskInputs {
        RiskInputs { age, diabetes: false, ..crate::risk::prevent::tests::person(Sex::Male) }
    }

    /// Heart failure: MAGGIC's inputs give the outcome model; one outside MAGGIC's range (an EF
    /// of 0.5 %) or a missing one gives none, "not estimated", naming the input.
    #[test]
    fn heart_failure_outside_maggics_range_is_not_estimated_and_says_why() {
        let x = crate::progression::heart_failure::tests::miguel().maggic;
        let (model, hf) = heart_failure_model(Ok(x));
        assert!(model.applies() && hf.is_some_and(|h| h.reduced_ef), "{}", model.name);
        assert_eq!(model.outcome.horizon_years(), 3);
        let (model, hf) = heart_failure_model(Ok(maggic::Inputs { ejection_fraction: 0.5, ..x }));
        assert!(!model.applies() && hf.is_none());
        assert!(model.name.contains("not estimated") && model.name.contains("ejection fraction"), "{}", model.name);
        let (model, _) = heart_failure_model(Err(NotComputed::Missing { input: "NYHA class" }));
        assert!(!model.applies() && model.name.contains("NYHA class"), "{}", model.name);
        let (preserved, hf) = heart_failure_model(Ok(maggic::Inputs { ejection_fraction: 55.0, ..x }));
        assert!(hf.is_some_and(|h| !h.reduced_ef));
        assert!(preserved.notes.iter().any(|n| n.contains("only SGLT2 inhibitors")), "{:?}", preserved.notes);
    }

    /// With risk factors frozen, the event model's first ten years give back the equation's own
    /// 10-year risk, and the next ten the equation's risk ten years older: no ageing counted twice.
    #[test]
    fn ten_years_of_hazard_give_back_the_equations_ten_year_risk() {
        for age in [45.0, 58.0, 66.0] {
            let x = inputs(age);
            let model = annual_hazards(&x, false, 20);
            let first: f64 = model.annual_hazard[..10].iter().sum();
            let equation = prevent_cvd(&x).risk.unwrap();
            assert!(model.name.starts_with("PREVENT"), "{}", model.name);
            assert!(((1.0 - (-first).exp()) - equation).abs() < 1e-12, "age {age}: {first} against {equation}");
            let second: f64 = model.annual_hazard[10..20].iter().sum();
            let older = prevent_cvd(&inputs(age + 10.0)).risk.unwrap();
            assert!(((1.0 - (-second).exp()) - older).abs() < 1e-12, "age {age}: the second decade");
            assert!(second > first, "the hazard still rises with age, a decade at a time");
        }
    }
}
