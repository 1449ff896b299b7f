//! The scenario file format (JSON), documented in docs/SCENARIOS.md, and its conversion to the
//! engine's [`Scenario`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use twin_engine::drugs::{DoseLevel, DrugClass};
use twin_engine::progression::scenario::{Intervention, Persistence, Revascularisation, Scenario};
use twin_engine::progression::strategy::{
    Rung, Strategy, StrategyError, TargetRule, DEFAULT_BP_SEQUENCE, DEFAULT_LDL_SEQUENCE, LDL_TARGET_RANGE_MMOL,
};
use twin_engine::units::CHOLESTEROL_MG_DL_PER_MMOL_L;

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
    /// A treat-to-target strategy: the drugs are then the strategy's, added at reviews (the
    /// interventions may only be lifestyle, smoking and procedures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub strategy: Option<StrategyFile>,
    /// The clinician's notes on it (at most [`MAX_NOTES_CHARS`] characters); not used by the
    /// projection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub notes: Option<String>,
}

/// Longest scenario name a patient's saved list takes, in characters: it fits a table's caption
/// and a chart's legend (the heatmap and the decision screen cut their names to it too).
pub const MAX_NAME_CHARS: usize = 80;
/// Longest note on a saved scenario, in characters.
pub const MAX_NOTES_CHARS: usize = 2000;
/// Latest month a change may start: the longest horizon a projection runs (50 years; the
/// session's `MAX_MONTHS`, tested equal: this module is below the session's).
pub const MAX_CHANGE_MONTH: u32 = 600;
/// Months over which a weight change is reached.
pub const WEIGHT_OVER_MONTHS_RANGE: (u32, u32) = (1, 120);
/// A treat-to-target strategy as written in a file (docs/SCENARIOS.md): an SBP target, an
/// LDL-C target (mg/dL), or both, each with its review interval and the classes added in turn.
/// Fields are camelCase (as in trial specs); the snake_case spellings are accepted too.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StrategyFile {
    /// Treat while office SBP is at or above this, mmHg (90–180).
    #[serde(default, alias = "sbp_target", skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sbp_target: Option<f64>,
    /// Months between BP reviews (at least two weeks); needed with `sbpTarget`.
    #[serde(default, alias = "review_months", skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub review_months: Option<f64>,
    /// BP-lowering classes added in this order (default: the engine's `DEFAULT_BP_SEQUENCE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sequence: Option<Vec<ClassFile>>,
    /// Treat while LDL-C is at or above this, mg/dL.
    #[serde(default, alias = "ldl_target_mg_dl", skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ldl_target_mg_dl: Option<f64>,
    /// Months between LDL-C reviews (at least two weeks); needed with `ldlTargetMgDl`.
    #[serde(default, alias = "ldl_review_months", skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ldl_review_months: Option<f64>,
    /// Lipid-lowering classes added in this order (default: the engine's `DEFAULT_LDL_SEQUENCE`).
    #[serde(default, alias = "ldl_sequence", skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ldl_sequence: Option<Vec<ClassFile>>,
    /// A plan's exact BP steps, one per review above target (a plan of care writes them; they
    /// replace the generic rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ladder: Option<Vec<RungFile>>,
    /// A plan's exact LDL-C steps, as `ladder`.
    #[serde(default, alias = "ldl_ladder", skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ldl_ladder: Option<Vec<RungFile>>,
}

/// One planned step of a strategy's ladder.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum RungFile {
    /// Raise a class taken to `dose`.
    Raise {
        /// Class.
        class: ClassFile,
        /// New dose.
        dose: DoseFile,
    },
    /// Add a class at `dose`.
    Add {
        /// Class.
        class: ClassFile,
        /// Dose.
        dose: DoseFile,
    },
}

impl From<RungFile> for Rung {
    fn from(r: RungFile) -> Self {
        match r {
            RungFile::Raise { class, dose } => Rung::Raise(class.into(), dose.into()),
            RungFile::Add { class, dose } => Rung::Add(class.into(), dose.into()),
        }
    }
}

impl RungFile {
    /// The file form of an engine rung; `None` for a class the file cannot name.
    pub fn of(r: Rung) -> Option<Self> {
        Some(match r {
            Rung::Raise(c, d) => RungFile::Raise { class: ClassFile::of(c)?, dose: d.into() },
            Rung::Add(c, d) => RungFile::Add { class: ClassFile::of(c)?, dose: d.into() },
        })
    }
}

impl StrategyFile {
    /// The file form of an engine strategy (LDL-C back in mg/dL).
    pub fn of(s: &Strategy) -> Self {
        let classes = |v: &[DrugClass]| v.iter().filter_map(|c| ClassFile::of(*c)).collect::<Vec<_>>();
        let rungs =
            |r: &TargetRule| (!r.ladder.is_empty()).then(|| r.ladder.iter().filter_map(|x| RungFile::of(*x)).collect());
        StrategyFile {
            sbp_target: s.sbp.as_ref().map(|r| r.below),
            review_months: s.sbp.as_ref().map(|r| r.review_months),
            sequence: s.sbp.as_ref().map(|r| classes(&r.sequence)),
            ldl_target_mg_dl: s.ldl.as_ref().map(|r| (r.below * CHOLESTEROL_MG_DL_PER_MMOL_L).round()),
            ldl_review_months: s.ldl.as_ref().map(|r| r.review_months),
            ldl_sequence: s.ldl.as_ref().map(|r| classes(&r.sequence)),
            ladder: s.sbp.as_ref().and_then(rungs),
            ldl_ladder: s.ldl.as_ref().and_then(rungs),
        }
    }
}

/// The file's name of a strategy field, for errors.
fn field(name: &str) -> String {
    format!("strategy.{name}")
}

impl StrategyFile {
    /// The engine's strategy, checked; errors name the file (`origin`) and the field.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`]: no target, a target out of range, a review interval under two
    /// weeks or missing, an empty sequence, or a class that does not act on its target.
    pub fn to_strategy(&self, origin: &str) -> Result<Strategy, AppError> {
        let bad =
            |name: &str, why: String| AppError::new(ErrorCode::Validation, format!("{origin}: {}: {why}", field(name)));
        let sbp = Self::rule(
            self.sbp_target,
            self.review_months,
            self.sequence.as_deref(),
            &DEFAULT_BP_SEQUENCE,
            ["sbpTarget", "reviewMonths", "sequence"],
            |v| v,
            origin,
        )?;
        if let Some(mg_dl) = self.ldl_target_mg_dl {
            let (lo, hi) = LDL_TARGET_RANGE_MMOL;
            if !mg_dl.is_finite() || !(lo..=hi).contains(&(mg_dl / CHOLESTEROL_MG_DL_PER_MMOL_L)) {
                return Err(bad(
                    "ldlTargetMgDl",
                    format!(
                        "an LDL-C target must be {:.0}–{:.0} mg/dL ({lo}–{hi} mmol/L), got {mg_dl} mg/dL",
                        (lo * CHOLESTEROL_MG_DL_PER_MMOL_L).ceil(),
                        (hi * CHOLESTEROL_MG_DL_PER_MMOL_L).floor()
                    ),
                ));
            }
        }
        let ldl = Self::rule(
            self.ldl_target_mg_dl,
            self.ldl_review_months,
            self.ldl_sequence.as_deref(),
            &DEFAULT_LDL_SEQUENCE,
            ["ldlTargetMgDl", "ldlReviewMonths", "ldlSequence"],
            |mg_dl| mg_dl / CHOLESTEROL_MG_DL_PER_MMOL_L,
            origin,
        )?;
        let with = |rule: Option<TargetRule>, ladder: &Option<Vec<RungFile>>| {
            rule.map(|mut r| {
                r.ladder = ladder.iter().flatten().map(|x| Rung::from(*x)).collect();
                r
            })
        };
        let strategy = Strategy { sbp: with(sbp, &self.ladder), ldl: with(ldl, &self.ldl_ladder) };
        strategy.validate().map_err(|e| AppError::new(ErrorCode::Validation, format!("{origin}: strategy: {e}")))?;
        Ok(strategy)
    }

    /// One target's rule, checked alone so that an error names its field.
    fn rule(
        target: Option<f64>,
        review: Option<f64>,
        sequence: Option<&[ClassFile]>,
        default: &[DrugClass],
        [target_name, review_name, sequence_name]: [&str; 3],
        to_engine: impl Fn(f64) -> f64,
        origin: &str,
    ) -> Result<Option<TargetRule>, AppError> {
        let bad =
            |name: &str, why: String| AppError::new(ErrorCode::Validation, format!("{origin}: {}: {why}", field(name)));
        let Some(target) = target else {
            if review.is_some() || sequence.is_some() {
                let name = if review.is_some() { review_name } else { sequence_name };
                return Err(bad(name, format!("given without a target: add {}", field(target_name))));
            }
            return Ok(None);
        };
        let Some(review_months) = review else {
            return Err(bad(
                review_name,
                format!("a target needs its review interval in months (with {})", field(target_name)),
            ));
        };
        let rule = TargetRule {
            below: to_engine(target),
            review_months,
            sequence: sequence.map_or_else(|| default.to_vec(), |s| s.iter().copied().map(DrugClass::from).collect()),
            ladder: Vec::new(),
        };
        let alone = if target_name == "sbpTarget" {
            Strategy { sbp: Some(rule.clone()), ldl: None }
        } else {
            Strategy { sbp: None, ldl: Some(rule.clone()) }
        };
        alone.validate().map_err(|e| {
            let name = match e {
                StrategyError::Target(_) | StrategyError::NoTarget => target_name,
                StrategyError::Review(..) => review_name,
                StrategyError::Sequence(_) => sequence_name,
            };
            bad(name, e.to_string())
        })?;
        Ok(Some(rule))
    }
}

/// A strategy in words for tables and explanations, LDL-C in mg/dL as the file gives it (and
/// mmol/L): "SBP < 130 mmHg, reviewed every 3 months, adding in turn ACE inhibitor → …"; the
/// sequences only when `sequences`.
pub fn strategy_words(s: &Strategy, sequences: bool) -> String {
    let months = |m: f64| {
        if (m - m.round()).abs() < 1e-9 {
            format!("{m:.0}")
        } else {
            format!("{m:.1}")
        }
    };
    let sequence = |r: &TargetRule| {
        if sequences {
            format!(", adding in turn {}", r.sequence.iter().map(|c| c.label()).collect::<Vec<_>>().join(" → "))
        } else {
            String::new()
        }
    };
    let mut parts = Vec::new();
    if let Some(r) = &s.sbp {
        parts.push(format!(
            "SBP < {:.0} mmHg, reviewed every {} months{}",
            r.below,
            months(r.review_months),
            sequence(r)
        ));
    }
    if let Some(r) = &s.ldl {
        parts.push(format!(
            "LDL-C < {:.0} mg/dL ({:.1} mmol/L), reviewed every {} months{}",
            r.below * CHOLESTEROL_MG_DL_PER_MMOL_L,
            r.below,
            months(r.review_months),
            sequence(r)
        ));
    }
    parts.join("; ")
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
    /// Alpha-blocker (doxazosin).
    AlphaBlocker,
    /// Centrally acting antihypertensive (methyldopa).
    CentrallyActing,
    /// Inclisiran (PCSK9 siRNA).
    Inclisiran,
    /// Bempedoic acid.
    BempedoicAcid,
    /// ARNI (sacubitril/valsartan).
    Arni,
    /// SGLT2 inhibitor.
    Sglt2Inhibitor,
    /// Ivabradine.
    Ivabradine,
    /// Loop diuretic.
    LoopDiuretic,
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
            D::AlphaBlocker => ClassFile::AlphaBlocker,
            D::CentrallyActing => ClassFile::CentrallyActing,
            D::Inclisiran => ClassFile::Inclisiran,
            D::BempedoicAcid => ClassFile::BempedoicAcid,
            D::Arni => ClassFile::Arni,
            D::Sglt2Inhibitor => ClassFile::Sglt2Inhibitor,
            D::Ivabradine => ClassFile::Ivabradine,
            D::LoopDiuretic => ClassFile::LoopDiuretic,
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
            Intervention::StartDrug { class, dose, start_month, adherence, persistence } => F::StartDrug {
                class: ClassFile::of(*class)?,
                dose: (*dose).into(),
                start_month: *start_month,
                adherence: *adherence,
                persistence: (*persistence).into(),
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
            ClassFile::AlphaBlocker => DrugClass::AlphaBlocker,
            ClassFile::CentrallyActing => DrugClass::CentrallyActing,
            ClassFile::Inclisiran => DrugClass::Inclisiran,
            ClassFile::BempedoicAcid => DrugClass::BempedoicAcid,
            ClassFile::Arni => DrugClass::Arni,
            ClassFile::Sglt2Inhibitor => DrugClass::Sglt2Inhibitor,
            ClassFile::Ivabradine => DrugClass::Ivabradine,
            ClassFile::LoopDiuretic => DrugClass::LoopDiuretic,
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

/// Whether a started drug is projected as people in practice keep taking one (`real_world`, the
/// default: about half stop within a year, Vrijens 2008) or as prescribed (`as_prescribed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PersistenceFile {
    /// The share still taking it falls over time, and its effect with it.
    #[default]
    RealWorld,
    /// Taken for as long as the scenario runs.
    AsPrescribed,
}

impl<'de> Deserialize<'de> for PersistenceFile {
    /// Refuses anything else in words that name the field (serde's own message for an unknown
    /// variant does not say which field it was).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        match value.as_str() {
            Some("real_world") => Ok(PersistenceFile::RealWorld),
            Some("as_prescribed") => Ok(PersistenceFile::AsPrescribed),
            _ => Err(serde::de::Error::custom(format!(
                "persistence must be \"real_world\" or \"as_prescribed\", not {value}"
            ))),
        }
    }
}

impl From<PersistenceFile> for Persistence {
    fn from(p: PersistenceFile) -> Self {
        match p {
            PersistenceFile::RealWorld => Persistence::RealWorld,
            PersistenceFile::AsPrescribed => Persistence::AsPrescribed,
        }
    }
}

impl From<Persistence> for PersistenceFile {
    fn from(p: Persistence) -> Self {
        match p {
            Persistence::RealWorld => PersistenceFile::RealWorld,
            Persistence::AsPrescribed => PersistenceFile::AsPrescribed,
        }
    }
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
        /// Share of doses taken while it is taken, 0–1.
        #[serde(default = "one")]
        adherence: f64,
        /// Whether people stop taking it over time (`real_world`, the default) or not.
        #[serde(default)]
        persistence: PersistenceFile,
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

impl InterventionFile {
    /// The month the change takes effect.
    pub fn month(&self) -> u32 {
        use InterventionFile as F;
        match self {
            F::StartDrug { start_month, .. }
            | F::Adherence { start_month, .. }
            | F::SodiumReduction { start_month }
            | F::DashDiet { start_month }
            | F::Exercise { start_month, .. }
            | F::WeightChange { start_month, .. }
            | F::LowerSbp { start_month, .. }
            | F::LowerLdl { start_month, .. } => *start_month,
            F::ChangeDose { month, .. }
            | F::StopDrug { month, .. }
            | F::SmokingCessation { month }
            | F::Procedure { month, .. } => *month,
        }
    }

    /// Checks each value against what a scenario may say, naming the field as the file names it:
    /// the month ([`MAX_CHANGE_MONTH`]) and a weight change's months ([`WEIGHT_OVER_MONTHS_RANGE`])
    /// here, the rest as the engine does ([`Intervention::validate`]: adherence, exercise and
    /// weight within the engine's ranges, a number that is not finite refused).
    ///
    /// # Errors
    /// A message naming the field, its limits and the value found.
    pub fn check(&self) -> Result<(), String> {
        use InterventionFile as F;
        let month = self.month();
        if month > MAX_CHANGE_MONTH {
            let field = match self {
                F::ChangeDose { .. } | F::StopDrug { .. } | F::SmokingCessation { .. } | F::Procedure { .. } => "month",
                _ => "start_month",
            };
            return Err(format!("{field} must be 0–{MAX_CHANGE_MONTH}, got {month}"));
        }
        if let F::WeightChange { over_months, .. } = self {
            let (lo, hi) = WEIGHT_OVER_MONTHS_RANGE;
            if !(lo..=hi).contains(over_months) {
                return Err(format!("over_months must be {lo}–{hi}, got {over_months}"));
            }
        }
        Intervention::from(self.clone()).validate()
    }
}

impl From<InterventionFile> for Intervention {
    fn from(i: InterventionFile) -> Self {
        use InterventionFile as F;
        match i {
            F::StartDrug { class, dose, start_month, adherence, persistence } => Intervention::StartDrug {
                class: class.into(),
                dose: dose.into(),
                start_month,
                adherence,
                persistence: persistence.into(),
            },
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
        Self { name: Scenario::current_treatment().name, interventions: Vec::new(), strategy: None, notes: None }
    }

    /// The file form of an engine scenario named `name` (interventions outside the file's
    /// vocabulary are left out).
    pub fn of_scenario(scenario: &Scenario, name: String) -> Self {
        Self {
            name,
            interventions: scenario.interventions.iter().filter_map(InterventionFile::of).collect(),
            strategy: scenario.strategy.as_ref().map(StrategyFile::of),
            notes: None,
        }
    }

    /// The engine's scenario, each intervention validated; `origin` names it in errors.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] for an empty name, an intervention out of range, or a strategy
    /// that does not check (or beside drug changes).
    pub fn to_scenario(&self, origin: &str) -> Result<Scenario, AppError> {
        if self.name.trim().is_empty() {
            return Err(AppError::new(ErrorCode::Validation, format!("{origin}: a scenario needs a name")));
        }
        for (n, i) in self.interventions.iter().enumerate() {
            i.check().map_err(|e| AppError::new(ErrorCode::Validation, format!("{origin}: change {}: {e}", n + 1)))?;
        }
        let interventions: Vec<Intervention> = self.interventions.iter().cloned().map(Intervention::from).collect();
        let strategy = self.strategy.as_ref().map(|s| s.to_strategy(origin)).transpose()?;
        let scenario = Scenario { name: self.name.clone(), interventions, strategy };
        // The strategy's own checks; today's drugs are checked when the scenario meets a patient.
        scenario.check_strategy().map_err(|e| AppError::new(ErrorCode::Validation, format!("{origin}: {e}")))?;
        Ok(scenario)
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
                adherence: 1.0,
                persistence: Persistence::RealWorld,
            }
        );
    }

    #[test]
    fn persistence_defaults_to_real_world_and_a_bad_value_names_the_field() {
        let s = parse_scenario(
            r#"{"name": "p", "interventions": [
                {"type": "start_drug", "class": "arb", "persistence": "as_prescribed"},
                {"type": "start_drug", "class": "statin", "persistence": "real_world"}
            ]}"#,
            "test",
        )
        .unwrap();
        let persistence = |i: &Intervention| match i {
            Intervention::StartDrug { persistence, .. } => Some(*persistence),
            _ => None,
        };
        assert_eq!(persistence(&s.interventions[0]), Some(Persistence::AsPrescribed));
        assert_eq!(persistence(&s.interventions[1]), Some(Persistence::RealWorld));
        // The engine's form and back, and the written form.
        let file = InterventionFile::of(&s.interventions[0]).unwrap();
        assert_eq!(Intervention::from(file.clone()), s.interventions[0]);
        assert!(serde_json::to_string(&file).unwrap().contains(r#""persistence":"as_prescribed""#));
        let e = parse_scenario(
            r#"{"name": "x", "interventions": [{"type": "start_drug", "class": "arb", "persistence": "mostly"}]}"#,
            "d.json",
        )
        .unwrap_err();
        assert!(
            e.message.starts_with("d.json: not a valid scenario")
                && e.message.contains("persistence must be \"real_world\" or \"as_prescribed\", not \"mostly\""),
            "{}",
            e.message
        );
        let e = parse_scenario(
            r#"{"name": "x", "interventions": [{"type": "start_drug", "class": "arb", "persistence": 1}]}"#,
            "e.json",
        )
        .unwrap_err();
        assert!(e.message.contains("persistence must be") && e.message.contains("not 1"), "{}", e.message);
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

    /// Each number out of what a scenario may say is refused, naming the change and the field.
    #[test]
    fn values_out_of_range_name_the_change_and_the_field() {
        let refused = |change: &str, words: &str| {
            let text = format!(r#"{{"name": "x", "interventions": [{{"type": "dash_diet"}}, {change}]}}"#);
            let e = parse_scenario(&text, "v.json").expect_err(change);
            assert_eq!(e.code, ErrorCode::Validation);
            assert!(
                e.message.starts_with("v.json: change 2: ") && e.message.contains(words),
                "{change}: {}",
                e.message
            );
        };
        refused(r#"{"type": "exercise", "minutes_per_week": 601}"#, "exercise minutes per week must be 0–600");
        refused(r#"{"type": "exercise", "minutes_per_week": -5}"#, "0–600");
        refused(r#"{"type": "weight_change", "kg": -31}"#, "within ±30 kg");
        refused(r#"{"type": "weight_change", "kg": -5, "over_months": 0}"#, "over_months must be 1–120");
        refused(r#"{"type": "adherence", "level": 1e9}"#, "between 0 and 1");
        refused(r#"{"type": "smoking_cessation", "month": 601}"#, "month must be 0–600");
        refused(r#"{"type": "sodium_reduction", "start_month": 1000}"#, "start_month must be 0–600");
        let e = parse_scenario(
            r#"{"name": "x", "interventions": [{"type": "exercise", "minutes_per_week": "abc"}]}"#,
            "w.json",
        )
        .unwrap_err();
        assert!(e.message.starts_with("w.json: not a valid scenario"), "{}", e.message);
        // The ends of each range are fine.
        parse_scenario(
            r#"{"name": "x", "interventions": [{"type": "exercise", "minutes_per_week": 600},
                {"type": "weight_change", "kg": -30, "over_months": 120, "start_month": 600}]}"#,
            "ok.json",
        )
        .unwrap();
    }

    fn strategy_of(text: &str) -> Result<Scenario, AppError> {
        parse_scenario(&format!(r#"{{"name": "target", "strategy": {text}}}"#), "s.json")
    }

    /// The trial spec's shape (camelCase, sequences defaulting to the engine's), the snake_case
    /// spellings, and LDL-C in mg/dL converted with the engine's factor.
    #[test]
    fn strategies_parse_with_the_engines_defaults() {
        let s = strategy_of(r#"{"sbpTarget": 120, "reviewMonths": 1}"#).unwrap();
        let strategy = s.strategy.expect("a strategy");
        let rule = strategy.sbp.expect("an SBP rule");
        assert_eq!((rule.below, rule.review_months), (120.0, 1.0));
        assert_eq!(rule.sequence, DEFAULT_BP_SEQUENCE.to_vec());
        assert!(strategy.ldl.is_none());
        let snake = strategy_of(r#"{"sbp_target": 120, "review_months": 1}"#).unwrap();
        assert_eq!(snake.strategy.unwrap().sbp.unwrap(), rule);

        let both = strategy_of(
            r#"{"sbpTarget": 130, "reviewMonths": 3, "sequence": ["arb", "thiazide"],
                "ldlTargetMgDl": 70, "ldlReviewMonths": 6}"#,
        )
        .unwrap()
        .strategy
        .unwrap();
        assert_eq!(both.sbp.unwrap().sequence, vec![DrugClass::Arb, DrugClass::Thiazide]);
        let ldl = both.ldl.unwrap();
        assert!((ldl.below - 70.0 / CHOLESTEROL_MG_DL_PER_MMOL_L).abs() < 1e-12, "{}", ldl.below);
        assert_eq!((ldl.review_months, ldl.sequence), (6.0, DEFAULT_LDL_SEQUENCE.to_vec()));

        // Lifestyle beside a strategy is kept; the file round-trips as written.
        let text = r#"{"name": "t", "interventions": [{"type": "sodium_reduction", "start_month": 0}],
            "strategy": {"sbpTarget": 130, "reviewMonths": 3, "ldlTargetMgDl": 70, "ldlReviewMonths": 3,
                         "ldlSequence": ["statin", "ezetimibe"]}}"#;
        let file: ScenarioFile = serde_json::from_str(text).unwrap();
        let scenario = file.to_scenario("t.json").unwrap();
        assert_eq!(scenario.interventions.len(), 1);
        let again: ScenarioFile = serde_json::from_str(&serde_json::to_string(&file).unwrap()).unwrap();
        assert_eq!(again, file);
        assert_eq!(again.to_scenario("t.json").unwrap(), scenario);
        // A scenario without one writes no `strategy` at all (files of earlier versions read).
        let plain = serde_json::to_string(&ScenarioFile::current_treatment()).unwrap();
        assert!(!plain.contains("strategy"), "{plain}");
    }

    /// Each bad strategy is refused with the file and the field named, in the engine's words.
    #[test]
    fn bad_strategies_are_refused_naming_the_field() {
        let refused = |text: &str, field: &str, words: &str| {
            let e = strategy_of(text).expect_err(text);
            assert_eq!(e.code, ErrorCode::Validation);
            assert!(e.message.starts_with("s.json: "), "{}", e.message);
            assert!(e.message.contains(field) && e.message.contains(words), "{text}: {}", e.message);
        };
        refused(r#"{"sbpTarget": 85, "reviewMonths": 3}"#, "strategy.sbpTarget", "90–180 mmHg");
        refused(r#"{"sbpTarget": 185, "reviewMonths": 3}"#, "strategy.sbpTarget", "90–180 mmHg");
        refused(r#"{"sbpTarget": 130, "reviewMonths": 0.3}"#, "strategy.reviewMonths", "two weeks");
        refused(r#"{"sbpTarget": 130}"#, "strategy.reviewMonths", "review interval");
        refused(r#"{"sbpTarget": 130, "reviewMonths": 3, "sequence": []}"#, "strategy.sequence", "empty");
        refused(
            r#"{"sbpTarget": 130, "reviewMonths": 3, "sequence": ["statin"]}"#,
            "strategy.sequence",
            "does not lower",
        );
        refused(r#"{"sbpTarget": 130, "reviewMonths": 1e9}"#, "strategy.reviewMonths", "at most 24 months");
        refused(r#"{"reviewMonths": 3}"#, "strategy.reviewMonths", "without a target");
        refused(r#"{}"#, "strategy", "needs an SBP target, an LDL-C target, or both");
        refused(r#"{"ldlTargetMgDl": 10, "ldlReviewMonths": 3}"#, "strategy.ldlTargetMgDl", "mg/dL");
        refused(r#"{"ldlTargetMgDl": 70, "ldlReviewMonths": 0.2}"#, "strategy.ldlReviewMonths", "two weeks");
        refused(
            r#"{"ldlTargetMgDl": 70, "ldlReviewMonths": 3, "ldlSequence": ["thiazide"]}"#,
            "strategy.ldlSequence",
            "does not lower",
        );
        refused(r#"{"sbpTarget": 130, "reviewMonth": 3}"#, "reviewMonth", "unknown field");
        let drug = parse_scenario(
            r#"{"name": "x", "strategy": {"sbpTarget": 130, "reviewMonths": 3},
                "interventions": [{"type": "start_drug", "class": "thiazide"}]}"#,
            "d.json",
        )
        .unwrap_err();
        assert!(drug.message.starts_with("d.json: ") && drug.message.contains("treat-to-target"), "{}", drug.message);
    }
}
