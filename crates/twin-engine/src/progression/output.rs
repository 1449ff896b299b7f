//! What a projection computes each month: a type, with its unit and label, so no caller keys
//! outputs by string or by bare index.

/// One projected output. The discriminant is the output's slot in each month's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Output {
    /// Office systolic BP, mmHg.
    Sbp = 0,
    /// Office diastolic BP, mmHg.
    Dbp = 1,
    /// Resting heart rate, bpm.
    HeartRate = 2,
    /// LDL cholesterol, mmol/L.
    Ldl = 3,
    /// HDL cholesterol, mmol/L.
    Hdl = 4,
    /// Weight, kg.
    Weight = 5,
    /// eGFR, mL/min/1.73 m².
    Egfr = 6,
    /// Arterial stiffness relative to today (1 = today).
    Stiffness = 7,
    /// LV ejection fraction, %.
    Lvef = 8,
    /// Cumulative probability of the event model's outcome since today: a major cardiovascular
    /// event, or, in heart failure, death from any cause ([`super::heart_failure`]).
    EventRisk = 9,
    /// Cardiac output, L/min.
    CardiacOutput = 10,
    /// BP-lowering drug classes taken (a treat-to-target strategy adds them member by member).
    BpDrugs = 11,
    /// Cumulative probability of a first hospitalisation for heart failure since today (heart
    /// failure only; death competing).
    HfHospitalisation = 12,
}

/// Outputs per month.
pub const N_OUTPUTS: usize = Output::ALL.len();

impl Output {
    /// Every output, in slot order.
    pub const ALL: [Output; 13] = [
        Output::Sbp,
        Output::Dbp,
        Output::HeartRate,
        Output::Ldl,
        Output::Hdl,
        Output::Weight,
        Output::Egfr,
        Output::Stiffness,
        Output::Lvef,
        Output::EventRisk,
        Output::CardiacOutput,
        Output::BpDrugs,
        Output::HfHospitalisation,
    ];

    /// Slot in each month's row.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Machine key, as in JSON and scenario files.
    pub fn key(self) -> &'static str {
        match self {
            Output::Sbp => "sbp",
            Output::Dbp => "dbp",
            Output::HeartRate => "heart_rate",
            Output::Ldl => "ldl",
            Output::Hdl => "hdl",
            Output::Weight => "weight",
            Output::Egfr => "egfr",
            Output::Stiffness => "stiffness",
            Output::Lvef => "lvef",
            Output::EventRisk => "event_risk",
            Output::CardiacOutput => "cardiac_output",
            Output::BpDrugs => "bp_drugs",
            Output::HfHospitalisation => "hf_hospitalisation",
        }
    }

    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            Output::Sbp => "Systolic BP",
            Output::Dbp => "Diastolic BP",
            Output::HeartRate => "Heart rate",
            Output::Ldl => "LDL cholesterol",
            Output::Hdl => "HDL cholesterol",
            Output::Weight => "Weight",
            Output::Egfr => "eGFR",
            Output::Stiffness => "Arterial stiffness",
            Output::Lvef => "LVEF",
            Output::EventRisk => "Major CV event risk (cumulative)",
            Output::CardiacOutput => "Cardiac output",
            Output::BpDrugs => "BP-lowering drugs",
            Output::HfHospitalisation => "HF hospitalisation risk (cumulative)",
        }
    }

    /// Unit symbol.
    pub fn unit(self) -> &'static str {
        match self {
            Output::Sbp | Output::Dbp => "mmHg",
            Output::HeartRate => "bpm",
            Output::Ldl | Output::Hdl => "mmol/L",
            Output::Weight => "kg",
            Output::Egfr => "mL/min/1.73m²",
            Output::Stiffness => "relative to today",
            Output::Lvef => "%",
            Output::EventRisk => "probability",
            Output::CardiacOutput => "L/min",
            Output::BpDrugs => "classes",
            Output::HfHospitalisation => "probability",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_follow_the_order_of_all() {
        for (i, o) in Output::ALL.iter().enumerate() {
            assert_eq!(o.index(), i);
        }
    }
}
