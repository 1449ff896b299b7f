//! The scenario file format (JSON), documented in docs/SCENARIOS.md, and its conversion to the
//! engine's [`Scenario`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use twin_engine::drugs::{DoseLevel, DrugClass};
use twin_engine::progression::scenario::{Intervention, Revascularisation, Scenario};

use crate::error::{AppError, ErrorCode};

/// A scenario as written in a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Name shown to people.
    pub name: String,
    /// Changes to the current plan.
    #[serde(default)]
    pub interventions: Vec<InterventionFile>,
}

/// Drug classes a scenario may start or stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClassFile {
    /// ACE inhibitor.
    AceInhibitor,
    /// ARB.
    Arb,
    /// Calcium-channel blocker.
    #[serde(alias = "ccb")]
    CalciumChannelBlocker,
    /// Thiazide.
    Thiazide,
    /// Beta-blocker.
    BetaBlocker,
    /// MRA.
    Mra,
    /// Statin.
    Statin,
    /// Ezetimibe.
    Ezetimibe,
    /// PCSK9 inhibitor.
    Pcsk9Inhibitor,
    /// Non-dihydropyridine calcium-channel blocker (verapamil, diltiazem).
    NonDihydropyridineCcb,
}

impl ClassFile {
    /// The file form of an engine class, for the classes a scenario may start or stop.
    pub fn of(class: DrugClass) -> Option<ClassFile> {
        use DrugClass as D;
        Some(match class {
            D::AceInhibitor => ClassFile::AceInhibitor,
            D::Arb => ClassFile::Arb,
            D::CalciumChannelBlocker => ClassFile::CalciumChannelBlocker,
            D::NonDihydropyridineCcb => ClassFile::NonDihydropyridineCcb,
            D::Thiazide => ClassFile::Thiazide,
            D::BetaBlocker => ClassFile::BetaBlocker,
            D::Mra => ClassFile::Mra,
            D::Statin => ClassFile::Statin,
            D::Ezetimibe => ClassFile::Ezetimibe,
            D::Pcsk9Inhibitor => ClassFile::Pcsk9Inhibitor,
            _ => return None,
        })
    }
}

impl From<DoseLevel> for DoseFile {
    fn from(d: DoseLevel) -> Self {
        match d {
            DoseLevel::Half => DoseFile::Half,
            DoseLevel::Standard => DoseFile::Standard,
            DoseLevel::Double => DoseFile::Double,
        }
    }
}

impl InterventionFile {
    /// The file form of an engine intervention, for the interventions the suggestion search and
    /// the heatmap make (drug changes, adherence, lifestyle, falls by size); `None` for the rest.
    pub fn of(i: &Intervention) -> Option<InterventionFile> {
        use InterventionFile as F;
        Some(match i {
            Intervention::StartDrug { class, dose, start_month, adherence } => F::StartDrug {
                class: ClassFile::of(*class)?,
                dose: (*dose).into(),
                start_month: *start_month,
                adherence: *adherence,
            },
            Intervention::StopDrug { class, month } => F::StopDrug { class: ClassFile::of(*class)?, month: *month },
            Intervention::ChangeDose { class, dose, month } => {
                F::ChangeDose { class: ClassFile::of(*class)?, dose: (*dose).into(), month: *month }
            }
            Intervention::SodiumReduction { start_month } => F::SodiumReduction { start_month: *start_month },
            Intervention::DashDiet { start_month } => F::DashDiet { start_month: *start_month },
            Intervention::Exercise { minutes_per_week, start_month } => {
                F::Exercise { minutes_per_week: *minutes_per_week, start_month: *start_month }
            }
            Intervention::Adherence { level, start_month } => F::Adherence { level: *level, start_month: *start_month },
            Intervention::LowerSbp { mmhg, start_month } => F::LowerSbp { mmhg: *mmhg, start_month: *start_month },
            Intervention::LowerLdl { fraction, start_month } => {
                F::LowerLdl { fraction: *fraction, start_month: *start_month }
            }
            _ => return None,
        })
    }
}

impl From<ClassFile> for DrugClass {
    fn from(c: ClassFile) -> Self {
        match c {
            ClassFile::AceInhibitor => DrugClass::AceInhibitor,
            ClassFile::Arb => DrugClass::Arb,
            ClassFile::CalciumChannelBlocker => DrugClass::CalciumChannelBlocker,
            ClassFile::Thiazide => DrugClass::Thiazide,
            ClassFile::BetaBlocker => DrugClass::BetaBlocker,
            ClassFile::Mra => DrugClass::Mra,
            ClassFile::Statin => DrugClass::Statin,
            ClassFile::Ezetimibe => DrugClass::Ezetimibe,
            ClassFile::Pcsk9Inhibitor => DrugClass::Pcsk9Inhibitor,
            ClassFile::NonDihydropyridineCcb => DrugClass::NonDihydropyridineCcb,
        }
    }
}

/// Dose: half/standard/double; for statins also low/moderate/high intensity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum DoseFile {
    /// Half the standard dose (statins: low intensity).
    #[serde(alias = "low")]
    Half,
    /// Standard dose (statins: moderate intensity).
    #[default]
    #[serde(alias = "moderate")]
    Standard,
    /// Twice the standard dose (statins: high intensity).
    #[serde(alias = "high")]
    Double,
}

impl From<DoseFile> for DoseLevel {
    fn from(d: DoseFile) -> Self {
        match d {
            DoseFile::Half => DoseLevel::Half,
            DoseFile::Standard => DoseLevel::Standard,
            DoseFile::Double => DoseLevel::Double,
        }
    }
}

/// Procedures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureFile {
    /// PCI / stent.
    Pci,
    /// CABG.
    Cabg,
}

fn one() -> f64 {
    1.0
}

/// One intervention, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum InterventionFile {
    /// Start (or change the dose of) a drug class.
    StartDrug {
        /// Class.
        class: ClassFile,
        /// Dose.
        #[serde(default)]
        dose: DoseFile,
        /// Month it starts.
        #[serde(default)]
        start_month: u32,
        /// Share of doses taken, 0–1.
        #[serde(default = "one")]
        adherence: f64,
    },
    /// Raise or lower the dose of a class taken now.
    ChangeDose {
        /// Class.
        class: ClassFile,
        /// New dose.
        dose: DoseFile,
        /// Month of the change.
        #[serde(default)]
        month: u32,
    },
    /// Stop a current class.
    StopDrug {
        /// Class.
        class: ClassFile,
        /// Month.
        #[serde(default)]
        month: u32,
    },
    /// Adherence to all current drugs.
    Adherence {
        /// Share of doses taken, 0–1.
        level: f64,
        /// From month.
        #[serde(default)]
        start_month: u32,
    },
    /// Salt reduction.
    SodiumReduction {
        /// From month.
        #[serde(default)]
        start_month: u32,
    },
    /// DASH diet.
    DashDiet {
        /// From month.
        #[serde(default)]
        start_month: u32,
    },
    /// Aerobic exercise.
    Exercise {
        /// Minutes per week.
        minutes_per_week: f64,
        /// From month.
        #[serde(default)]
        start_month: u32,
    },
    /// Weight change (negative = loss).
    WeightChange {
        /// kg.
        kg: f64,
        /// From month.
        #[serde(default)]
        start_month: u32,
        /// Months to reach it.
        #[serde(default = "twelve")]
        over_months: u32,
    },
    /// Lower SBP by a given amount, by whatever regimen achieves it (the risk heatmap's axis).
    LowerSbp {
        /// mmHg, at a pretreatment SBP of 154 mmHg (0–60).
        mmhg: f64,
        /// From month.
        #[serde(default)]
        start_month: u32,
    },
    /// Lower LDL-C by a given share, by whatever regimen achieves it (the risk heatmap's axis).
    LowerLdl {
        /// Share lowered, 0–0.9.
        fraction: f64,
        /// From month.
        #[serde(default)]
        start_month: u32,
    },
    /// Stop smoking.
    SmokingCessation {
        /// Month.
        #[serde(default)]
        month: u32,
    },
    /// Revascularisation.
    Procedure {
        /// Which.
        kind: ProcedureFile,
        /// Month.
        #[serde(default)]
        month: u32,
    },
}

fn twelve() -> u32 {
    12
}

impl From<InterventionFile> for Intervention {
    fn from(i: InterventionFile) -> Self {
        use InterventionFile as F;
        match i {
            F::StartDrug { class, dose, start_month, adherence } => {
                Intervention::StartDrug { class: class.into(), dose: dose.into(), start_month, adherence }
            }
            F::ChangeDose { class, dose, month } => {
                Intervention::ChangeDose { class: class.into(), dose: dose.into(), month }
            }
            F::StopDrug { class, month } => Intervention::StopDrug { class: class.into(), month },
            F::Adherence { level, start_month } => Intervention::Adherence { level, start_month },
            F::SodiumReduction { start_month } => Intervention::SodiumReduction { start_month },
            F::DashDiet { start_month } => Intervention::DashDiet { start_month },
            F::Exercise { minutes_per_week, start_month } => Intervention::Exercise { minutes_per_week, start_month },
            F::WeightChange { kg, start_month, over_months } => {
                Intervention::WeightChange { kg, start_month, over_months }
            }
            F::SmokingCessation { month } => Intervention::SmokingCessation { month },
            F::LowerSbp { mmhg, start_month } => Intervention::LowerSbp { mmhg, start_month },
            F::LowerLdl { fraction, start_month } => Intervention::LowerLdl { fraction, start_month },
            F::Procedure { kind, month } => Intervention::Procedure {
                kind: match kind {
                    ProcedureFile::Pci => Revascularisation::Pci,
                    ProcedureFile::Cabg => Revascularisation::Cabg,
                },
                month,
            },
        }
    }
}

/// Parses and validates a scenario given as JSON text; `origin` names it in errors.
///
/// # Errors
/// [`ErrorCode::Validation`] with the line, column and what serde or validation found.
pub fn parse_scenario(text: &str, origin: &str) -> Result<Scenario, AppError> {
    let file: ScenarioFile = serde_json::from_str(text)
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("{origin}: not a valid scenario: {e}")))?;
    file.to_scenario(origin)
}

/// Reads a scenario file without converting it (the transport form the use cases take).
///
/// # Errors
/// An I/O error naming the file, or what serde found.
pub fn read_scenario_file(path: &std::path::Path) -> Result<ScenarioFile, AppError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| AppError::io(path, &e))?;
    let file: ScenarioFile = serde_json::from_str(&text)
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("{origin}: not a valid scenario: {e}")))?;
    file.to_scenario(&origin)?;
    Ok(file)
}

impl ScenarioFile {
    /// Current treatment, unchanged (no interventions), named as the engine names it.
    pub fn current_treatment() -> Self {
        Self { name: Scenario::current_treatment().name, interventions: Vec::new() }
    }

    /// The engine's scenario, each intervention validated; `origin` names it in errors.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] for an empty name or an intervention out of range.
    pub fn to_scenario(&self, origin: &str) -> Result<Scenario, AppError> {
        if self.name.trim().is_empty() {
            return Err(AppError::new(ErrorCode::Validation, format!("{origin}: a scenario needs a name")));
        }
        let interventions: Vec<Intervention> = self.interventions.iter().cloned().map(Intervention::from).collect();
        for i in &interventions {
            i.validate().map_err(|e| AppError::new(ErrorCode::Validation, format!("{origin}: {e}")))?;
        }
        Ok(Scenario { name: self.name.clone(), interventions })
    }
}

/// Reads and parses a scenario file.
///
/// # Errors
/// As [`parse_scenario`], or an I/O error naming the file.
pub fn read_scenario(path: &std::path::Path) -> Result<Scenario, AppError> {
    let text = std::fs::read_to_string(path).map_err(|e| AppError::io(path, &e))?;
    parse_scenario(&text, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_with_defaults() {
        let s = parse_scenario(
            r#"{"name": "all", "interventions": [
                {"type": "start_drug", "class": "ccb", "adherence": 0.8},
                {"type": "start_drug", "class": "statin", "dose": "high"},
                {"type": "stop_drug", "class": "thiazide", "month": 6},
                {"type": "adherence", "level": 0.6},
                {"type": "sodium_reduction"}, {"type": "dash_diet", "start_month": 2},
                {"type": "exercise", "minutes_per_week": 90},
                {"type": "weight_change", "kg": -5},
                {"type": "smoking_cessation"}, {"type": "procedure", "kind": "pci", "month": 1}
            ]}"#,
            "test",
        )
        .unwrap();
        assert_eq!(s.interventions.len(), 10);
        assert_eq!(
            s.interventions[1],
            Intervention::StartDrug {
                class: DrugClass::Statin,
                dose: DoseLevel::Double,
                start_month: 0,
                adherence: 1.0
            }
        );
    }

    #[test]
    fn mistakes_are_named() {
        let e =
            parse_scenario(r#"{"name": "x", "interventions": [{"type": "start_drug", "class": "aspirin"}]}"#, "a.json")
                .unwrap_err();
        assert!(
            e.message.starts_with("a.json: not a valid scenario") && e.message.contains("aspirin"),
            "{}",
            e.message
        );
        let e = parse_scenario(r#"{"name": "x", "interventions": [{"type": "adherence", "level": 1.5}]}"#, "b.json")
            .unwrap_err();
        assert!(e.message.contains("between 0 and 1"), "{}", e.message);
        let e = parse_scenario(r#"{"name": "x", "extra": 1}"#, "c.json").unwrap_err();
        assert!(e.message.contains("extra"), "{}", e.message);
    }
}
