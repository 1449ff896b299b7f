//! The risk heatmap: 10-year event risk (median, 5–95% band) over a grid of two intervention
//! axes, each cell a scenario the clinician can open in the comparison. A target axis (SBP or
//! LDL-C) makes each cell a treat-to-target strategy; strategies run on the CPU.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use twin_engine::progression::grid::{event_risk_cells, CellRisk};

use crate::compute::Compute;
use twin_engine::progression::scenario::{Intervention, Scenario};
use twin_engine::progression::{EnsembleConfig, RunControl};
use twin_engine::twin::Twin;

use crate::error::{AppError, ErrorCode};
use crate::scenario_file::{InterventionFile, ScenarioFile, StrategyFile};
use twin_engine::progression::strategy::{LDL_TARGET_RANGE_MMOL, SBP_TARGET_RANGE};
use twin_engine::units::CHOLESTEROL_MG_DL_PER_MMOL_L;

/// Months between reviews of a target axis's strategies: quarterly, the usual interval of
/// follow-up visits once treatment is under way.
pub const TARGET_REVIEW_MONTHS: u32 = 3;

/// What an axis varies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Axis {
    /// SBP lowering, mmHg (at a pretreatment SBP of 154; scaled like a drug's effect).
    SbpLowering,
    /// LDL-C lowering, %.
    LdlLowering,
    /// Adherence to today's drugs, %.
    Adherence,
    /// Aerobic exercise, minutes per week.
    Exercise,
    /// A treat-to-target strategy's SBP target, mmHg (reviewed every
    /// [`TARGET_REVIEW_MONTHS`], the engine's default sequence).
    SbpTarget,
    /// A treat-to-target strategy's LDL-C target, mg/dL (as [`Axis::SbpTarget`]).
    LdlTarget,
}

impl Axis {
    /// Every axis, for `--list-axes` and the screen's pickers.
    pub const ALL: [Axis; 6] =
        [Axis::SbpLowering, Axis::LdlLowering, Axis::Adherence, Axis::Exercise, Axis::SbpTarget, Axis::LdlTarget];

    /// Its name on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Axis::SbpLowering => "sbp",
            Axis::LdlLowering => "ldl",
            Axis::Adherence => "adherence",
            Axis::Exercise => "exercise",
            Axis::SbpTarget => "sbp-target",
            Axis::LdlTarget => "ldl-target",
        }
    }

    /// Its label.
    pub fn label(self) -> &'static str {
        match self {
            Axis::SbpLowering => "SBP lowering",
            Axis::LdlLowering => "LDL-C lowering",
            Axis::Adherence => "Adherence to today's drugs",
            Axis::Exercise => "Aerobic exercise",
            Axis::SbpTarget => "SBP target (treat to target, 3-monthly reviews)",
            Axis::LdlTarget => "LDL-C target (treat to target, 3-monthly reviews)",
        }
    }

    /// Its unit.
    pub fn unit(self) -> &'static str {
        match self {
            Axis::SbpLowering => "mmHg",
            Axis::LdlLowering | Axis::Adherence => "%",
            Axis::Exercise => "min/week",
            Axis::SbpTarget => "mmHg",
            Axis::LdlTarget => "mg/dL",
        }
    }

    /// The range it may span.
    pub fn limits(self) -> (f64, f64) {
        match self {
            Axis::SbpLowering => (0.0, 40.0),
            Axis::LdlLowering => (0.0, 80.0),
            Axis::Adherence => (0.0, 100.0),
            Axis::Exercise => (0.0, 300.0),
            Axis::SbpTarget => SBP_TARGET_RANGE,
            Axis::LdlTarget => {
                let (lo, hi) = LDL_TARGET_RANGE_MMOL;
                ((lo * CHOLESTEROL_MG_DL_PER_MMOL_L).ceil(), (hi * CHOLESTEROL_MG_DL_PER_MMOL_L).floor())
            }
        }
    }

    /// Parses a command-line key.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] naming the known axes.
    pub fn parse(key: &str) -> Result<Axis, AppError> {
        Axis::ALL.into_iter().find(|a| a.key() == key).ok_or_else(|| {
            let known: Vec<&str> = Axis::ALL.iter().map(|a| a.key()).collect();
            AppError::new(ErrorCode::Validation, format!("unknown axis '{key}': use one of {}", known.join(", ")))
        })
    }

    /// Whether its cells are treat-to-target strategies.
    pub fn is_target(self) -> bool {
        matches!(self, Axis::SbpTarget | Axis::LdlTarget)
    }

    /// Whether it changes today's drugs by amount (a strategy chooses the drugs itself, so the
    /// two cannot share a cell).
    fn sets_drugs(self) -> bool {
        matches!(self, Axis::SbpLowering | Axis::LdlLowering | Axis::Adherence)
    }

    /// Adds this axis's target at `value` to `strategy`; false for an axis that is not a target.
    fn add_target(self, value: f64, strategy: &mut StrategyFile) -> bool {
        let review = Some(f64::from(TARGET_REVIEW_MONTHS));
        match self {
            Axis::SbpTarget => {
                strategy.sbp_target = Some(value);
                strategy.review_months = review;
            }
            Axis::LdlTarget => {
                strategy.ldl_target_mg_dl = Some(value);
                strategy.ldl_review_months = review;
            }
            _ => return false,
        }
        true
    }

    /// The intervention at `value` on this axis; `None` where it changes nothing (and for a
    /// target axis, whose cells are strategies).
    fn intervention(self, value: f64) -> Option<Intervention> {
        match self {
            Axis::SbpLowering => (value > 0.0).then_some(Intervention::LowerSbp { mmhg: value, start_month: 0 }),
            Axis::LdlLowering => {
                (value > 0.0).then_some(Intervention::LowerLdl { fraction: value / 100.0, start_month: 0 })
            }
            Axis::Adherence => Some(Intervention::Adherence { level: value / 100.0, start_month: 0 }),
            Axis::Exercise => {
                (value > 0.0).then_some(Intervention::Exercise { minutes_per_week: value, start_month: 0 })
            }
            Axis::SbpTarget | Axis::LdlTarget => None,
        }
    }

    fn describe(self, value: f64) -> String {
        match self {
            // No lowering reads as words, not "−0".
            Axis::SbpLowering if value.round() == 0.0 => "no SBP lowering".to_string(),
            Axis::LdlLowering if value.round() == 0.0 => "no LDL-C lowering".to_string(),
            Axis::SbpLowering => format!("SBP −{value:.0} mmHg"),
            Axis::LdlLowering => format!("LDL-C −{value:.0}%"),
            Axis::Adherence => format!("adherence {value:.0}%"),
            Axis::Exercise => format!("exercise {value:.0} min/week"),
            Axis::SbpTarget => format!("SBP < {value:.0} mmHg"),
            Axis::LdlTarget => format!("LDL-C < {value:.0} mg/dL"),
        }
    }
}

/// One axis of a heatmap request.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AxisSpec {
    /// What it varies.
    pub axis: Axis,
    /// First value.
    pub from: f64,
    /// Last value.
    pub to: f64,
}

impl AxisSpec {
    fn values(&self, n: usize) -> Vec<f64> {
        (0..n).map(|i| self.from + (self.to - self.from) * i as f64 / (n - 1) as f64).collect()
    }

    fn checked(self, which: &str) -> Result<Self, AppError> {
        let (lo, hi) = self.axis.limits();
        let ok = |v: f64| v.is_finite() && (lo..=hi).contains(&v);
        if !ok(self.from) || !ok(self.to) || self.from == self.to {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!(
                    "the {which} axis ({}) must run between two different values within {lo}–{hi} {}",
                    self.axis.label(),
                    self.axis.unit()
                ),
            ));
        }
        Ok(self)
    }
}

/// An axis as answered.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AxisView {
    /// What it varies.
    pub axis: Axis,
    /// Label.
    pub label: String,
    /// Unit.
    pub unit: String,
    /// The values, one per column (x) or row (y).
    pub values: Vec<f64>,
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HeatmapCell {
    /// Median event risk at the horizon (fraction); `null` without an event model.
    pub p50: Option<f64>,
    /// 5th percentile.
    pub p5: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// The cell's regimen in words.
    pub regimen: String,
    /// The cell as a scenario, to open in the comparison.
    pub scenario: ScenarioFile,
}

/// The heatmap.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HeatmapView {
    /// Columns.
    pub x: AxisView,
    /// Rows.
    pub y: AxisView,
    /// Cells, row-major (row = y value, column = x value).
    pub cells: Vec<HeatmapCell>,
    /// Months projected (the risk is at the last).
    pub months: u32,
    /// Members per cell.
    pub members: usize,
    /// The event model behind the risk, or why there is none.
    pub event_model: String,
    /// What the risk is a probability of (in heart failure: death from any cause at 3 years).
    pub outcome: crate::json::OutcomeView,
    /// What a reader should know about the axes for this patient: in heart failure, BP and LDL-C
    /// lowering do not move death (only heart-failure therapy, and adherence to it, do).
    pub note: Option<String>,
    /// Which backend ran, and why.
    pub backend: String,
    /// Time taken, ms.
    pub elapsed_ms: f64,
}

/// The grid asked for: two axes and the cells a side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    /// Columns.
    pub x: AxisSpec,
    /// Rows.
    pub y: AxisSpec,
    /// Cells a side (2–32).
    pub size: usize,
}

/// Computes the heatmap for a twin: `grid.size` × `grid.size` cells, handing each finished run
/// of cells to `on_cells` (first index, cells) as it comes.
///
/// # Errors
/// [`ErrorCode::Validation`] for the same axis twice, a range out of limits or a grid outside
/// 2–32; [`ErrorCode::Cancelled`] when stopped.
pub fn heatmap(
    twin: &Twin,
    grid: Grid,
    config: &EnsembleConfig,
    compute: &Compute,
    control: &RunControl,
    on_cells: &mut dyn FnMut(usize, &[CellRisk]),
) -> Result<HeatmapView, AppError> {
    let (x, y, grid) = (grid.x.checked("x")?, grid.y.checked("y")?, grid.size);
    if x.axis == y.axis {
        return Err(AppError::new(ErrorCode::Validation, "the two axes must vary different things"));
    }
    for (target, other) in [(x.axis, y.axis), (y.axis, x.axis)] {
        if target.is_target() && other.sets_drugs() {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!(
                    "the {} axis makes each cell a treat-to-target strategy, which chooses the drugs itself: pair it \
                     with exercise or the other target, not with {}",
                    target.label(),
                    other.label()
                ),
            ));
        }
    }
    if !(2..=32).contains(&grid) {
        return Err(AppError::new(ErrorCode::Validation, "the grid must be 2–32 cells a side"));
    }
    let (xs, ys) = (x.values(grid), y.values(grid));
    let mut scenarios = Vec::with_capacity(grid * grid);
    let mut regimens = Vec::with_capacity(grid * grid);
    let mut strategies = Vec::with_capacity(grid * grid);
    for yv in &ys {
        for xv in &xs {
            let regimen = format!("{}, {}", x.axis.describe(*xv), y.axis.describe(*yv));
            let interventions: Vec<Intervention> =
                [x.axis.intervention(*xv), y.axis.intervention(*yv)].into_iter().flatten().collect();
            let mut file = StrategyFile::default();
            let targets = x.axis.add_target(*xv, &mut file) | y.axis.add_target(*yv, &mut file);
            let strategy = targets.then_some(file);
            let mut scenario = Scenario::fixed(regimen.clone(), interventions);
            scenario.strategy = strategy.as_ref().map(|s| s.to_strategy("the heatmap")).transpose()?;
            scenarios.push(scenario);
            strategies.push(strategy);
            regimens.push(regimen);
        }
    }
    // Heart-failure outcomes are read at MAGGIC's horizon, whatever horizon was asked for.
    let outcome = crate::json::OutcomeView::of(&twin.event_model);
    let flat = |a: Axis| {
        matches!(a, Axis::SbpLowering | Axis::LdlLowering | Axis::Exercise | Axis::SbpTarget | Axis::LdlTarget)
    };
    let note = (outcome.hospitalisation && (flat(x.axis) || flat(y.axis))).then(|| {
        "Heart failure: the outcome is death from any cause at 3 years, which in this model moves only with \
         heart-failure therapy and adherence to it (trial effects); lowering BP or LDL-C, exercise and targets \
         leave it unchanged along their axis. Compare heart-failure plans on the decision screen."
            .to_string()
    });
    let config = &match twin.event_model.outcome {
        twin_engine::twin::EventOutcome::HeartFailure => {
            EnsembleConfig { months: outcome.horizon_years * 12, ..*config }
        }
        twin_engine::twin::EventOutcome::CardiovascularEvents => *config,
    };
    let started = std::time::Instant::now();
    let compute = compute.for_scenarios(&twin.baseline, &scenarios);
    let (risks, backend) = compute
        .run(control, |b| event_risk_cells(b, &twin.baseline, &scenarios, config, control, &mut *on_cells))
        .map_err(|_| AppError::new(ErrorCode::Cancelled, "the heatmap was cancelled"))?;
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let finite = |v: f64| v.is_finite().then_some(v);
    let cells = scenarios
        .iter()
        .zip(regimens)
        .zip(strategies)
        .zip(risks)
        .map(|(((scenario, regimen), strategy), r)| HeatmapCell {
            p50: finite(r.p50),
            p5: finite(r.p5),
            p95: finite(r.p95),
            scenario: ScenarioFile {
                name: regimen.chars().take(80).collect(),
                interventions: scenario.interventions.iter().filter_map(InterventionFile::of).collect(),
                strategy,
                notes: None,
            },
            regimen,
        })
        .collect();
    let view = |s: AxisSpec, values: Vec<f64>| AxisView {
        axis: s.axis,
        label: s.axis.label().into(),
        unit: s.axis.unit().into(),
        values,
    };
    Ok(HeatmapView {
        x: view(x, xs),
        y: view(y, ys),
        cells,
        months: config.months,
        members: config.members,
        event_model: twin.event_model.name.clone(),
        outcome,
        note,
        backend,
        elapsed_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::Axis;

    #[test]
    fn no_lowering_reads_as_words_not_minus_zero() {
        assert_eq!(Axis::SbpLowering.describe(0.0), "no SBP lowering");
        assert_eq!(Axis::LdlLowering.describe(0.2), "no LDL-C lowering");
        assert_eq!(Axis::SbpLowering.describe(12.9), "SBP −13 mmHg");
        assert_eq!(Axis::LdlLowering.describe(60.0), "LDL-C −60%");
    }
}
