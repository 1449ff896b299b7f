//! Scenarios: what is changed, and when, relative to the patient's current treatment.

use crate::drugs::{DoseLevel, DrugClass};

/// A procedure with an effect on event risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revascularisation {
    /// Percutaneous coronary intervention.
    Pci,
    /// Coronary artery bypass grafting.
    Cabg,
}

/// One change to the current plan. Months count from today (month 0).
#[derive(Debug, Clone, PartialEq)]
pub enum Intervention {
    /// Start a drug class (or raise it, if already taken, to `dose`).
    StartDrug {
        /// Class.
        class: DrugClass,
        /// Dose level.
        dose: DoseLevel,
        /// Month it starts.
        start_month: u32,
        /// Share of doses taken, 0–1.
        adherence: f64,
    },
    /// Stop a class the patient takes now.
    StopDrug {
        /// Class.
        class: DrugClass,
        /// Month it stops.
        month: u32,
    },
    /// Change adherence to every current drug.
    Adherence {
        /// Share of doses taken, 0–1.
        level: f64,
        /// From month.
        start_month: u32,
    },
    /// Modest salt reduction (about 4.4 g/day).
    SodiumReduction {
        /// From month.
        start_month: u32,
    },
    /// The DASH diet.
    DashDiet {
        /// From month.
        start_month: u32,
    },
    /// Aerobic exercise.
    Exercise {
        /// Minutes per week.
        minutes_per_week: f64,
        /// From month.
        start_month: u32,
    },
    /// Weight change (negative for loss), reached linearly over `over_months`.
    WeightChange {
        /// kg.
        kg: f64,
        /// From month.
        start_month: u32,
        /// Months to reach it.
        over_months: u32,
    },
    /// Stop smoking.
    SmokingCessation {
        /// Month.
        month: u32,
    },
    /// Revascularisation.
    Procedure {
        /// Which.
        kind: Revascularisation,
        /// Month.
        month: u32,
    },
}

impl Intervention {
    /// A short label for tables and explanations.
    pub fn label(&self) -> String {
        match self {
            Intervention::StartDrug { class, dose, start_month, adherence } => format!(
                "start {} ({} dose, {:.0}% adherence) at month {start_month}",
                class.label(),
                dose.label(),
                adherence * 100.0
            ),
            Intervention::StopDrug { class, month } => format!("stop {} at month {month}", class.label()),
            Intervention::Adherence { level, start_month } => {
                format!("adherence {:.0}% from month {start_month}", level * 100.0)
            }
            Intervention::SodiumReduction { start_month } => format!("salt reduction from month {start_month}"),
            Intervention::DashDiet { start_month } => format!("DASH diet from month {start_month}"),
            Intervention::Exercise { minutes_per_week, start_month } => {
                format!("{minutes_per_week:.0} min/week aerobic exercise from month {start_month}")
            }
            Intervention::WeightChange { kg, start_month, over_months } => {
                format!("weight change {kg:+.1} kg over {over_months} months from month {start_month}")
            }
            Intervention::SmokingCessation { month } => format!("stop smoking at month {month}"),
            Intervention::Procedure { kind, month } => {
                let name = match kind {
                    Revascularisation::Pci => "PCI",
                    Revascularisation::Cabg => "CABG",
                };
                format!("{name} at month {month}")
            }
        }
    }

    /// Checks values a user could get wrong.
    ///
    /// # Errors
    /// A message naming the bad value.
    pub fn validate(&self) -> Result<(), String> {
        let share = |v: f64, what: &str| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(format!("{what} must be between 0 and 1, got {v}"))
            }
        };
        match self {
            Intervention::StartDrug { adherence, .. } => share(*adherence, "adherence"),
            Intervention::Adherence { level, .. } => share(*level, "adherence"),
            Intervention::Exercise { minutes_per_week, .. } if !(0.0..=2000.0).contains(minutes_per_week) => {
                Err(format!("exercise minutes per week must be 0–2000, got {minutes_per_week}"))
            }
            Intervention::WeightChange { kg, .. } if !(-60.0..=60.0).contains(kg) => {
                Err(format!("weight change must be within ±60 kg, got {kg}"))
            }
            _ => Ok(()),
        }
    }
}

/// A named set of interventions. The empty scenario is "current treatment, unchanged".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    /// Name for people.
    pub name: String,
    /// Changes, in any order.
    pub interventions: Vec<Intervention>,
}

impl Scenario {
    /// Current treatment, unchanged.
    pub fn current_treatment() -> Self {
        Self { name: "current treatment".into(), interventions: Vec::new() }
    }
}
