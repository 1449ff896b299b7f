//! The event model behind projected event risk: annual hazards from the first validated
//! equation that applies to the patient.

use crate::risk::{pce, prevent, score2, RiskEstimate, RiskInputs};

/// Annual hazards over the horizon, with the equation that gave them.
#[derive(Debug, Clone, PartialEq)]
pub struct EventModel {
    /// Annual hazard for each projection year (year 0 is today); empty when no model applies.
    pub annual_hazard: Vec<f64>,
    /// The equation, or why there is none.
    pub name: String,
    /// What a reader should know (age limits, PREVENT model chosen).
    pub notes: Vec<String>,
}

/// Annual event hazard per projection year from the first equation that applies: PREVENT
/// 10-year CVD, else PCE, else SCORE2. A 10-year risk r gives the constant annual hazard
/// −ln(1 − r)/10; each year uses the patient's age that year, capped at the equation's
/// validated maximum (PREVENT and PCE 79, SCORE2-OP 89).
pub fn annual_hazards(inputs: &RiskInputs, years: u32) -> EventModel {
    type Equation = (&'static str, fn(&RiskInputs) -> RiskEstimate, f64);
    let equations: [Equation; 3] = [
        ("PREVENT 10-year total CVD", |x| prevent::risk(x, prevent::Outcome::Cvd, prevent::Horizon::TenYears), 79.0),
        ("PCE 10-year hard ASCVD", pce::ascvd_10y, 79.0),
        ("SCORE2 10-year CVD", score2::cvd_10y, 89.0),
    ];
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
                        let age = inputs.age + f64::from(y);
                        let x = RiskInputs { age: age.min(max_age), ..inputs.clone() };
                        let r10 = equation(&x).risk.unwrap_or(0.0).clamp(0.0, 0.999);
                        -(1.0 - r10).ln() / 10.0
                    })
                    .collect();
                return EventModel { annual_hazard, name: name.to_string(), notes };
            }
            Err(reason) => reasons.push(format!("{name}: {}", reason.describe())),
        }
    }
    EventModel {
        annual_hazard: Vec::new(),
        name: format!("no event model applies ({})", reasons.join("; ")),
        notes: Vec::new(),
    }
}
