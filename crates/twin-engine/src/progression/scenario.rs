//! Scenarios: what is changed, and when, relative to the patient's current treatment.

use crate::drugs::{DoseLevel, DrugClass};
use crate::progression::CurrentDrug;

/// A procedure with an effect on event risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revascularisation {
    /// Percutaneous coronary intervention.
    Pci,
    /// Coronary artery bypass grafting.
    Cabg,
}

/// DBP fall per mmHg of SBP fall for a regimen given by its SBP effect: 5.5/9.1, the ratio of
/// Law 2003's average standard-dose falls (BMJ 2003;326:1427, Table 2).
pub const DBP_PER_SBP: f64 = 5.5 / 9.1;

/// Share of doses taken that a scenario may set (adherence): 0–1.
pub const ADHERENCE_RANGE: (f64, f64) = (0.0, 1.0);
/// Aerobic exercise a scenario may set, minutes a week. The effect is linear up to 150 min/week
/// and flat above it (Cornelissen VA, Smart NA. J Am Heart Assoc 2013;2:e004473); more than 600
/// (ten hours a week) is no consultation's plan.
pub const EXERCISE_RANGE_MIN_PER_WEEK: (f64, f64) = (0.0, 600.0);
/// Weight change a scenario may set, kg. The effect is about 1 mmHg per kg (Neter JE et al.
/// Hypertension 2003;42:878), from trials whose losses were mostly under 15 kg; beyond 30 kg
/// that straight line is not evidence.
pub const WEIGHT_CHANGE_RANGE_KG: (f64, f64) = (-30.0, 30.0);

/// Whether a newly started drug is projected as people in practice keep taking one, or as
/// prescribed. Drugs already on record are not subject to it: their adherence is the record's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Persistence {
    /// The share still taking it falls over time ([`super::effects::persistence_share`]:
    /// Vrijens 2008, about half stop within a year), and the drug's effect with it. The default.
    #[default]
    RealWorld,
    /// Taken for as long as the scenario runs.
    AsPrescribed,
}

impl Persistence {
    /// Share of patients still taking the drug `months` after it started.
    pub fn share(self, months: f64) -> f64 {
        match self {
            Persistence::RealWorld => super::effects::persistence_share(months),
            Persistence::AsPrescribed => 1.0,
        }
    }
}

/// One change to the current plan. Months count from today (month 0).
#[derive(Debug, Clone, PartialEq)]
pub enum Intervention {
    /// Start a drug class not taken now (a class taken now is titrated with
    /// [`Intervention::ChangeDose`]; starting it again is refused by [`Scenario::check_against`]).
    StartDrug {
        /// Class.
        class: DrugClass,
        /// Dose level.
        dose: DoseLevel,
        /// Month it starts.
        start_month: u32,
        /// Share of doses taken while it is taken, 0–1.
        adherence: f64,
        /// Whether people stop taking it over time ([`Persistence::RealWorld`]) or not.
        persistence: Persistence,
    },
    /// Raise or lower the dose of a class the patient takes now (adherence unchanged).
    ChangeDose {
        /// Class.
        class: DrugClass,
        /// New dose level.
        dose: DoseLevel,
        /// Month of the change.
        month: u32,
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
    /// Lower SBP by `mmhg`, by whatever regimen achieves it: the risk heatmap's intensity axis.
    /// The figure is at Law 2003's standard pretreatment pressure (154 mmHg) and is scaled, as a
    /// drug's effect is, by the pressure it starts from and the patient's BP response; DBP falls
    /// by [`DBP_PER_SBP`] of it.
    LowerSbp {
        /// SBP fall, mmHg (0–60).
        mmhg: f64,
        /// Month it starts.
        start_month: u32,
    },
    /// Lower LDL-C by `fraction` (0–0.9), by whatever regimen achieves it, scaled by the patient's
    /// LDL-C response as a drug is.
    LowerLdl {
        /// Fraction lowered.
        fraction: f64,
        /// Month it starts.
        start_month: u32,
    },
}

impl Intervention {
    /// The month it starts or happens (months count from today).
    pub fn month(&self) -> u32 {
        match self {
            Intervention::StartDrug { start_month: m, .. }
            | Intervention::Adherence { start_month: m, .. }
            | Intervention::SodiumReduction { start_month: m }
            | Intervention::DashDiet { start_month: m }
            | Intervention::Exercise { start_month: m, .. }
            | Intervention::WeightChange { start_month: m, .. }
            | Intervention::LowerSbp { start_month: m, .. }
            | Intervention::LowerLdl { start_month: m, .. }
            | Intervention::ChangeDose { month: m, .. }
            | Intervention::StopDrug { month: m, .. }
            | Intervention::SmokingCessation { month: m }
            | Intervention::Procedure { month: m, .. } => *m,
        }
    }

    /// A short label for tables and explanations.
    pub fn label(&self) -> String {
        match self {
            Intervention::StartDrug { class, dose, start_month, adherence, persistence } => format!(
                "start {} ({} dose, {:.0}% adherence{}) at month {start_month}",
                class.label(),
                dose.label(),
                adherence * 100.0,
                match persistence {
                    Persistence::RealWorld => "",
                    Persistence::AsPrescribed => ", taken as prescribed",
                }
            ),
            Intervention::ChangeDose { class, dose, month } => {
                format!("change {} to {} dose at month {month}", class.label(), dose.label())
            }
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
            Intervention::LowerSbp { mmhg, start_month } => {
                format!("lower SBP by {mmhg:.0} mmHg from month {start_month}")
            }
            Intervention::LowerLdl { fraction, start_month } => {
                format!("lower LDL-C by {:.0}% from month {start_month}", fraction * 100.0)
            }
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
        let within = |v: f64, (lo, hi): (f64, f64)| (lo..=hi).contains(&v);
        let share = |v: f64, what: &str| {
            if within(v, ADHERENCE_RANGE) {
                Ok(())
            } else {
                Err(format!("{what} must be between 0 and 1, got {v}"))
            }
        };
        let (ex_lo, ex_hi) = EXERCISE_RANGE_MIN_PER_WEEK;
        let kg_hi = WEIGHT_CHANGE_RANGE_KG.1;
        match self {
            Intervention::StartDrug { adherence, .. } => share(*adherence, "adherence"),
            Intervention::Adherence { level, .. } => share(*level, "adherence"),
            Intervention::Exercise { minutes_per_week, .. }
                if !within(*minutes_per_week, EXERCISE_RANGE_MIN_PER_WEEK) =>
            {
                Err(format!("exercise minutes per week must be {ex_lo}–{ex_hi}, got {minutes_per_week}"))
            }
            Intervention::WeightChange { kg, .. } if !within(*kg, WEIGHT_CHANGE_RANGE_KG) => {
                Err(format!("weight change must be within ±{kg_hi} kg, got {kg}"))
            }
            Intervention::LowerSbp { mmhg, .. } if !(0.0..=60.0).contains(mmhg) => {
                Err(format!("an SBP fall must be 0–60 mmHg, got {mmhg}"))
            }
            Intervention::LowerLdl { fraction, .. } if !(0.0..=0.9).contains(fraction) => {
                Err(format!("an LDL-C fall must be 0–90%, got {:.0}%", fraction * 100.0))
            }
            _ => Ok(()),
        }
    }
}

/// A named set of interventions, and optionally a treat-to-target strategy that adds drugs at
/// reviews member by member ([`super::strategy`]). The empty scenario is "current treatment,
/// unchanged".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    /// Name for people.
    pub name: String,
    /// Changes, in any order.
    pub interventions: Vec<Intervention>,
    /// A treat-to-target strategy; with one, the drugs are the strategy's (the interventions
    /// may only be lifestyle, smoking and procedures: [`Scenario::check_against`]).
    pub strategy: Option<super::strategy::Strategy>,
}

impl Scenario {
    /// Current treatment, unchanged.
    pub fn current_treatment() -> Self {
        Self { name: "current treatment".into(), interventions: Vec::new(), strategy: None }
    }

    /// A fixed list of changes.
    pub fn fixed(name: impl Into<String>, interventions: Vec<Intervention>) -> Self {
        Self { name: name.into(), interventions, strategy: None }
    }

    /// Checks the strategy alone (its targets, reviews and sequence, and that drug changes beside
    /// it are a plan's first step), without today's drugs: what a scenario file can be checked
    /// for before a patient is chosen.
    ///
    /// # Errors
    /// A message naming the bad value.
    pub fn check_strategy(&self) -> Result<(), String> {
        if let Some(strategy) = &self.strategy {
            strategy.validate().map_err(|e| e.to_string())?;
            // A plan of care (a strategy with its ladder) carries its first step as drug changes
            // at month 0 or 1; any other strategy chooses the drugs itself.
            let plan = [&strategy.sbp, &strategy.ldl].iter().any(|r| r.as_ref().is_some_and(|r| !r.ladder.is_empty()));
            if let Some(i) = self.interventions.iter().filter(|i| !(plan && i.month() <= 1)).find(|i| {
                matches!(
                    i,
                    Intervention::StartDrug { .. }
                        | Intervention::ChangeDose { .. }
                        | Intervention::StopDrug { .. }
                        | Intervention::Adherence { .. }
                        | Intervention::LowerSbp { .. }
                        | Intervention::LowerLdl { .. }
                )
            }) {
                return Err(format!(
                    "a treat-to-target strategy chooses the drugs itself: \"{}\" cannot be part of it (keep lifestyle, smoking and procedures)",
                    i.label()
                ));
            }
        }
        Ok(())
    }

    /// Checks the scenario against today's drugs: a class taken now is not "started" again (it
    /// would silently replace its dose; patient 12's "add amlodipine 5 mg" on 10 mg raised SBP),
    /// and a dose change or stop needs a class that is taken at that month.
    ///
    /// # Errors
    /// A message naming the class and what to do instead.
    pub fn check_against(&self, current: &[CurrentDrug]) -> Result<(), String> {
        self.check_strategy()?;
        let mut events: Vec<(u32, usize, &Intervention)> = self
            .interventions
            .iter()
            .enumerate()
            .filter_map(|(n, i)| match i {
                Intervention::StartDrug { start_month: m, .. }
                | Intervention::ChangeDose { month: m, .. }
                | Intervention::StopDrug { month: m, .. } => Some((*m, n, i)),
                _ => None,
            })
            .collect();
        events.sort_by_key(|(m, n, _)| (*m, *n));
        let mut taken: Vec<(DrugClass, DoseLevel)> = current.iter().map(|d| (d.class, d.dose)).collect();
        for (month, _, i) in events {
            match i {
                Intervention::StartDrug { class, dose, .. } => {
                    if let Some((_, now)) = taken.iter().find(|(c, _)| c == class) {
                        return Err(format!(
                            "{} is already taken ({} dose) at month {month}: use \"change dose\" to titrate it, or stop it first",
                            class.label(),
                            now.label()
                        ));
                    }
                    taken.push((*class, *dose));
                }
                Intervention::ChangeDose { class, dose, .. } => match taken.iter_mut().find(|(c, _)| c == class) {
                    Some((_, now)) => *now = *dose,
                    None => {
                        return Err(format!(
                            "{} is not taken at month {month}, so its dose cannot change: start it instead",
                            class.label()
                        ))
                    }
                },
                Intervention::StopDrug { class, .. } => {
                    if !taken.iter().any(|(c, _)| c == class) {
                        return Err(format!(
                            "{} is not taken at month {month}, so it cannot be stopped",
                            class.label()
                        ));
                    }
                    taken.retain(|(c, _)| c != class);
                }
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on_amlodipine_10() -> Vec<CurrentDrug> {
        vec![CurrentDrug { class: DrugClass::CalciumChannelBlocker, dose: DoseLevel::Double, adherence: 1.0 }]
    }

    fn scenario(interventions: Vec<Intervention>) -> Scenario {
        Scenario::fixed("t", interventions)
    }

    #[test]
    fn starting_a_class_already_taken_is_refused_and_titration_is_explicit() {
        let start = Intervention::StartDrug {
            class: DrugClass::CalciumChannelBlocker,
            dose: DoseLevel::Standard,
            start_month: 0,
            adherence: 1.0,
            persistence: Persistence::RealWorld,
        };
        let err = scenario(vec![start.clone()]).check_against(&on_amlodipine_10()).unwrap_err();
        assert!(err.contains("already taken (double dose)") && err.contains("change dose"), "{err}");
        let lower =
            Intervention::ChangeDose { class: DrugClass::CalciumChannelBlocker, dose: DoseLevel::Standard, month: 0 };
        assert!(scenario(vec![lower]).check_against(&on_amlodipine_10()).is_ok());
        let raise_untaken = Intervention::ChangeDose { class: DrugClass::Thiazide, dose: DoseLevel::Double, month: 3 };
        assert!(scenario(vec![raise_untaken])
            .check_against(&on_amlodipine_10())
            .unwrap_err()
            .contains("start it instead"));
        // Stopping first, then starting again later, is a real plan.
        let stop = Intervention::StopDrug { class: DrugClass::CalciumChannelBlocker, month: 0 };
        let restart = Intervention::StartDrug {
            class: DrugClass::CalciumChannelBlocker,
            dose: DoseLevel::Half,
            start_month: 6,
            adherence: 1.0,
            persistence: Persistence::RealWorld,
        };
        assert!(scenario(vec![restart, stop]).check_against(&on_amlodipine_10()).is_ok());
        assert!(scenario(vec![start]).check_against(&[]).is_ok());
    }
}
