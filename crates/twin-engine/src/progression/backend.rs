//! Where an ensemble runs. [`EnsembleBackend`] is the seam: the rayon path here ([`CpuBackend`])
//! and `twin-gpu`'s WGSL kernel execute the same member step ([`super::run_member`]) over the
//! same [`FlatPlan`]s and the same seeded [`Draws`]. The drivers ([`project_bands`],
//! [`super::grid::event_risk_cells`]) are written once, on top of the seam.
//!
//! **Memory.** [`project_bands`] runs members in batches of about [`BATCH_MEMBER_MONTHS`]
//! member-months and keeps, per batch, only its bands and the few months a comparison pairs, so
//! memory is bounded by the batch, not by members × months. With one batch (every ensemble up to
//! 8,665 members at 120 months) the bands are the exact ensemble quantiles; with several, each
//! band is the member-weighted mean of the batches' quantiles. That estimator is consistent; its
//! bias is of order 1/batch size (under 1/1,700 of the band's spread at 600 months), far below the
//! Monte Carlo error of the band itself.

use std::ops::Range;
use std::sync::atomic::Ordering;

use rayon::prelude::*;

use super::{
    effects as fx, flat, member_draws, member_event_risk, n_draws, response, run_member, summarise, Band, Baseline,
    Cancelled, Ensemble, EnsembleConfig, FlatPlan, Output, RunControl, Scenario, BPLTTC_SBP_STEP_MMHG, DBP_WALK_SHARE,
    EGFR_SLOPE_SD, HDL_WALK_SD, HEART_RATE_DRIFT_SD, LDL_WALK_SD, LIFESTYLE_FACTOR_SD, LVEF_BOUNDS,
    MAP_PULSE_PRESSURE_DIVISOR, MIN_HEART_RATE, MIN_LDL_FOR_CV, MIN_MAP, ML_PER_LITRE, N_LATER_SCALARS, N_OUTPUTS,
    N_SCALAR_DRAWS, SBP_WALK_SD, WEIGHT_WALK_SD,
};
use crate::drugs;

/// The seeded standard-normal draws of a run of consecutive members (see
/// [`super::member_draws`]): the same numbers whichever backend consumes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Draws {
    months: u32,
    members: Range<usize>,
    per_member: usize,
    values: Vec<f64>,
}

impl Draws {
    /// The draws of `members` for a `months`-month run with `seed` (generated in parallel).
    pub fn generate(seed: u64, members: Range<usize>, months: u32) -> Self {
        let per_member = n_draws(months);
        let values = members.clone().into_par_iter().flat_map_iter(|m| member_draws(seed, m, months)).collect();
        Self { months, members, per_member, values }
    }

    /// Members held.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether no member is held.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Draws per member.
    pub fn per_member(&self) -> usize {
        self.per_member
    }

    /// Months the draws cover.
    pub fn months(&self) -> u32 {
        self.months
    }

    /// The `i`-th held member's draws.
    pub fn member(&self, i: usize) -> &[f64] {
        &self.values[i * self.per_member..(i + 1) * self.per_member]
    }

    /// Every held member's draws, member-major.
    pub fn values(&self) -> &[f64] {
        &self.values
    }
}

/// A backend that could not finish: the caller may run the same work on the CPU.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    /// The device went away (driver reset, unplugged, lost).
    #[error("the GPU was lost during the run ({0})")]
    DeviceLost(String),
    /// The device could not hold the run.
    #[error("the GPU ran out of memory ({0})")]
    OutOfMemory(String),
    /// Anything else the device reported.
    #[error("the GPU could not run the ensemble ({0})")]
    Failed(String),
}

/// Why a run gave no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    /// Stopped on request.
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
    /// The backend failed.
    #[error(transparent)]
    Backend(#[from] BackendError),
}

/// An executor of the member step.
pub trait EnsembleBackend: Send + Sync {
    /// What runs, in words ("CPU (2 threads, rayon)", "GPU: NVIDIA H200 (Vulkan)").
    fn describe(&self) -> String;

    /// How many heatmap cells to hand over per call: fewer give finer progress and cancel.
    fn cells_per_call(&self, members: usize, months: u32) -> usize;

    /// The event risk at the plans' last month of every member under every plan, plan-major
    /// (`plans.len() × draws.len()`). Every plan covers `draws.months()` months.
    ///
    /// # Errors
    /// [`BackendError`] when the device fails.
    fn event_risks(&self, baseline: &Baseline, plans: &[FlatPlan], draws: &Draws) -> Result<Vec<f64>, BackendError>;

    /// Every member's trajectory under `plan`, member-major, `(months + 1) × N_OUTPUTS` each;
    /// members finished are added to `control`.
    ///
    /// # Errors
    /// [`RunError::Cancelled`] when `control` is cancelled; [`RunError::Backend`] when the device
    /// fails.
    fn trajectories(
        &self,
        baseline: &Baseline,
        plan: &FlatPlan,
        draws: &Draws,
        control: &RunControl,
    ) -> Result<Vec<f64>, RunError>;
}

/// The reference executor: every core, through rayon, in f64.
#[derive(Debug, Clone, Copy, Default)]
pub struct CpuBackend;

impl EnsembleBackend for CpuBackend {
    fn describe(&self) -> String {
        format!("CPU ({} threads, rayon)", rayon::current_num_threads())
    }

    /// A 32-cell heatmap row per call: progress and cancel move row by row.
    fn cells_per_call(&self, _members: usize, _months: u32) -> usize {
        32
    }

    fn event_risks(&self, baseline: &Baseline, plans: &[FlatPlan], draws: &Draws) -> Result<Vec<f64>, BackendError> {
        let n = draws.len();
        Ok((0..plans.len() * n)
            .into_par_iter()
            .map(|i| member_event_risk(baseline, &plans[i / n], draws.member(i % n)))
            .collect())
    }

    fn trajectories(
        &self,
        baseline: &Baseline,
        plan: &FlatPlan,
        draws: &Draws,
        control: &RunControl,
    ) -> Result<Vec<f64>, RunError> {
        let stride = (plan.months() as usize + 1) * N_OUTPUTS;
        let mut values = vec![0.0; draws.len() * stride];
        values.par_chunks_mut(stride).enumerate().for_each(|(i, chunk)| {
            if control.is_cancelled() {
                return;
            }
            run_member(baseline, plan, draws.member(i), chunk);
            control.done.fetch_add(1, Ordering::Relaxed);
        });
        if control.is_cancelled() {
            return Err(Cancelled.into());
        }
        Ok(values)
    }
}

/// Member-months per batch of [`project_bands`] (8 MB of f64 per output).
pub const BATCH_MEMBER_MONTHS: usize = 1 << 20;

/// Members per batch of a `months`-month projection.
pub fn members_per_batch(months: u32) -> usize {
    (BATCH_MEMBER_MONTHS / (months as usize + 1)).max(64)
}

/// A projection, summarised: the bands of every output, and every member's outputs at the
/// months kept for paired comparisons.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Median and 5–95% band of each output, month by month.
    pub bands: Vec<Band>,
    /// Months kept per member.
    pub kept_months: Vec<u32>,
    /// `members × kept_months × N_OUTPUTS`, member-major.
    kept: Vec<f64>,
}

impl Summary {
    /// Member `member`'s `output` at the `k`-th kept month.
    pub fn kept(&self, member: usize, k: usize, output: Output) -> f64 {
        self.kept[(member * self.kept_months.len() + k) * N_OUTPUTS + output.index()]
    }
}

/// Projects `scenario` on `backend` in batches of [`members_per_batch`] members, keeping the
/// bands and each member's outputs at `keep_months` (months past the horizon are dropped).
///
/// # Errors
/// [`RunError::Cancelled`] when `control` is cancelled; [`RunError::Backend`] when the backend
/// fails (nothing is kept; run it again on another backend).
pub fn project_bands(
    backend: &dyn EnsembleBackend,
    baseline: &Baseline,
    scenario: &Scenario,
    config: &EnsembleConfig,
    keep_months: &[u32],
    control: &RunControl,
) -> Result<Summary, RunError> {
    project_in_batches(backend, baseline, scenario, config, keep_months, control, members_per_batch(config.months))
}

fn project_in_batches(
    backend: &dyn EnsembleBackend,
    baseline: &Baseline,
    scenario: &Scenario,
    config: &EnsembleConfig,
    keep_months: &[u32],
    control: &RunControl,
    batch: usize,
) -> Result<Summary, RunError> {
    let plan = FlatPlan::new(baseline, scenario, config.months);
    let n_months = config.months as usize + 1;
    let kept_months: Vec<u32> = keep_months.iter().copied().filter(|m| *m <= config.months).collect();
    let mut bands: Vec<Band> = Output::ALL
        .iter()
        .map(|&output| Band { output, p5: vec![0.0; n_months], p50: vec![0.0; n_months], p95: vec![0.0; n_months] })
        .collect();
    let mut kept = Vec::with_capacity(config.members * kept_months.len() * N_OUTPUTS);
    for start in (0..config.members).step_by(batch) {
        if control.is_cancelled() {
            return Err(Cancelled.into());
        }
        let end = (start + batch).min(config.members);
        let draws = Draws::generate(config.seed, start..end, config.months);
        let ensemble = Ensemble {
            months: config.months,
            members: end - start,
            values: backend.trajectories(baseline, &plan, &draws, control)?,
        };
        let weight = (end - start) as f64 / config.members as f64;
        for (sum, part) in bands.iter_mut().zip(summarise(&ensemble)) {
            for (total, value) in [(&mut sum.p5, part.p5), (&mut sum.p50, part.p50), (&mut sum.p95, part.p95)] {
                total.iter_mut().zip(value).for_each(|(t, v)| *t += weight * v);
            }
        }
        for member in 0..ensemble.members {
            for &month in &kept_months {
                kept.extend(Output::ALL.iter().map(|&o| ensemble.get(member, month as usize, o)));
            }
        }
    }
    Ok(Summary { bands, kept_months, kept })
}

/// The baseline as the numbers a kernel reads, in the order of [`param`]'s indices.
pub fn baseline_params(b: &Baseline) -> Vec<f64> {
    let flag = |x: bool| if x { 1.0 } else { 0.0 };
    let mut v = vec![0.0; param::COUNT];
    v[param::SBP_MEAN] = b.sbp.0;
    v[param::SBP_SD] = b.sbp.1;
    v[param::DBP_MEAN] = b.dbp.0;
    v[param::DBP_SD] = b.dbp.1;
    v[param::LDL_MEAN] = b.ldl.0;
    v[param::LDL_SD] = b.ldl.1;
    v[param::HEART_RATE] = b.heart_rate;
    v[param::HDL] = b.hdl;
    v[param::WEIGHT] = b.weight;
    v[param::EGFR] = b.egfr.unwrap_or(0.0);
    v[param::HAS_EGFR] = flag(b.egfr.is_some());
    v[param::LVEF] = b.lvef;
    v[param::EF_PER_LOG_MAP] = b.ef_per_log_map;
    v[param::EF_PER_LOG_COMPLIANCE] = b.ef_per_log_compliance;
    v[param::EF_PER_LOG_HEART_RATE] = b.ef_per_log_heart_rate;
    v[param::STROKE_VOLUME] = b.stroke_volume;
    v[param::SV_PER_LOG_MAP] = b.sv_per_log_map;
    v[param::SV_PER_LOG_COMPLIANCE] = b.sv_per_log_compliance;
    v[param::SV_PER_LOG_HEART_RATE] = b.sv_per_log_heart_rate;
    v[param::BP_RHO_MEAN] = b.bp_response.mean;
    v[param::BP_RHO_SD] = b.bp_response.sd();
    v[param::LDL_RHO_MEAN] = b.ldl_response.mean;
    v[param::LDL_RHO_SD] = b.ldl_response.sd();
    v[param::HAS_EVENT_MODEL] = flag(!b.annual_hazard.is_empty());
    v[param::SPREAD_HEART_RATE] = b.spread.heart_rate;
    v[param::SPREAD_HDL_CV] = b.spread.hdl_cv;
    v[param::SPREAD_WEIGHT] = b.spread.weight;
    v[param::SPREAD_EGFR_CV] = b.spread.egfr_cv;
    v[param::SPREAD_LVEF] = b.spread.lvef;
    v
}

/// Indices of [`baseline_params`].
pub mod param {
    #![allow(missing_docs)]
    pub const SBP_MEAN: usize = 0;
    pub const SBP_SD: usize = 1;
    pub const DBP_MEAN: usize = 2;
    pub const DBP_SD: usize = 3;
    pub const LDL_MEAN: usize = 4;
    pub const LDL_SD: usize = 5;
    pub const HEART_RATE: usize = 6;
    pub const HDL: usize = 7;
    pub const WEIGHT: usize = 8;
    pub const EGFR: usize = 9;
    pub const HAS_EGFR: usize = 10;
    pub const LVEF: usize = 11;
    pub const EF_PER_LOG_MAP: usize = 12;
    pub const EF_PER_LOG_COMPLIANCE: usize = 13;
    pub const EF_PER_LOG_HEART_RATE: usize = 14;
    pub const STROKE_VOLUME: usize = 15;
    pub const SV_PER_LOG_MAP: usize = 16;
    pub const SV_PER_LOG_COMPLIANCE: usize = 17;
    pub const SV_PER_LOG_HEART_RATE: usize = 18;
    pub const BP_RHO_MEAN: usize = 19;
    pub const BP_RHO_SD: usize = 20;
    pub const LDL_RHO_MEAN: usize = 21;
    pub const LDL_RHO_SD: usize = 22;
    pub const HAS_EVENT_MODEL: usize = 23;
    pub const SPREAD_HEART_RATE: usize = 24;
    pub const SPREAD_HDL_CV: usize = 25;
    pub const SPREAD_WEIGHT: usize = 26;
    pub const SPREAD_EGFR_CV: usize = 27;
    pub const SPREAD_LVEF: usize = 28;
    pub const COUNT: usize = 29;

    /// Every index with its name, for a kernel's generated header.
    pub const NAMED: [(&str, usize); COUNT] = [
        ("SBP_MEAN", SBP_MEAN),
        ("SBP_SD", SBP_SD),
        ("DBP_MEAN", DBP_MEAN),
        ("DBP_SD", DBP_SD),
        ("LDL_MEAN", LDL_MEAN),
        ("LDL_SD", LDL_SD),
        ("HEART_RATE", HEART_RATE),
        ("HDL", HDL),
        ("WEIGHT", WEIGHT),
        ("EGFR", EGFR),
        ("HAS_EGFR", HAS_EGFR),
        ("LVEF", LVEF),
        ("EF_PER_LOG_MAP", EF_PER_LOG_MAP),
        ("EF_PER_LOG_COMPLIANCE", EF_PER_LOG_COMPLIANCE),
        ("EF_PER_LOG_HEART_RATE", EF_PER_LOG_HEART_RATE),
        ("STROKE_VOLUME", STROKE_VOLUME),
        ("SV_PER_LOG_MAP", SV_PER_LOG_MAP),
        ("SV_PER_LOG_COMPLIANCE", SV_PER_LOG_COMPLIANCE),
        ("SV_PER_LOG_HEART_RATE", SV_PER_LOG_HEART_RATE),
        ("BP_RHO_MEAN", BP_RHO_MEAN),
        ("BP_RHO_SD", BP_RHO_SD),
        ("LDL_RHO_MEAN", LDL_RHO_MEAN),
        ("LDL_RHO_SD", LDL_RHO_SD),
        ("HAS_EVENT_MODEL", HAS_EVENT_MODEL),
        ("SPREAD_HEART_RATE", SPREAD_HEART_RATE),
        ("SPREAD_HDL_CV", SPREAD_HDL_CV),
        ("SPREAD_WEIGHT", SPREAD_WEIGHT),
        ("SPREAD_EGFR_CV", SPREAD_EGFR_CV),
        ("SPREAD_LVEF", SPREAD_LVEF),
    ];
}

/// The member step's constants by name, for a kernel's generated header, so a second executor
/// cannot drift from the cited values in [`super::effects`] and the module's assumptions.
pub fn step_constants() -> Vec<(&'static str, f64)> {
    let log_sd = |(_, low, high): (f64, f64, f64)| fx::log_sd_from_ci(low, high);
    vec![
        ("RHO_LOW", response::RHO_BOUNDS.0),
        ("RHO_HIGH", response::RHO_BOUNDS.1),
        ("CTT_LN_MID", fx::CTT_RR_PER_MMOL.0.ln()),
        ("CTT_LOG_SD", log_sd(fx::CTT_RR_PER_MMOL)),
        ("BPLTTC_LN_MID", fx::BPLTTC_HR_PER_5_MMHG.0.ln()),
        ("BPLTTC_LOG_SD", log_sd(fx::BPLTTC_HR_PER_5_MMHG)),
        ("REVASC_LN_MID", fx::REVASCULARISATION_HR.0.ln()),
        ("REVASC_LOG_SD", log_sd(fx::REVASCULARISATION_HR)),
        ("LIFESTYLE_FACTOR_SD", LIFESTYLE_FACTOR_SD),
        ("PRETREATMENT_SLOPE", drugs::PRETREATMENT_SLOPE_PER_MMHG),
        ("PRETREATMENT_SBP", drugs::LAW_PRETREATMENT_SBP),
        ("PRETREATMENT_LOW", drugs::BP_EFFECT_SCALE_BOUNDS.0),
        ("PRETREATMENT_HIGH", drugs::BP_EFFECT_SCALE_BOUNDS.1),
        ("SBP_WALK_SD", SBP_WALK_SD),
        ("LDL_WALK_SD", LDL_WALK_SD),
        ("HDL_WALK_SD", HDL_WALK_SD),
        ("WEIGHT_WALK_SD", WEIGHT_WALK_SD),
        ("EGFR_DECLINE", fx::EGFR_DECLINE_PER_YEAR),
        ("EGFR_SLOPE_SD", EGFR_SLOPE_SD),
        ("MIN_HEART_RATE", MIN_HEART_RATE),
        ("HEART_RATE_DRIFT_SD", HEART_RATE_DRIFT_SD),
        ("DBP_WALK_SHARE", DBP_WALK_SHARE),
        ("BPLTTC_SBP_STEP", BPLTTC_SBP_STEP_MMHG),
        ("MAP_PULSE_PRESSURE_DIVISOR", MAP_PULSE_PRESSURE_DIVISOR),
        ("MIN_MAP", MIN_MAP),
        ("LVEF_LOW", LVEF_BOUNDS.0),
        ("LVEF_HIGH", LVEF_BOUNDS.1),
        ("ML_PER_LITRE", ML_PER_LITRE),
        ("MIN_LDL_FOR_CV", MIN_LDL_FOR_CV),
        ("LDL_TERM_MAX_FRACTION", flat::LDL_TERM_MAX_FRACTION),
        ("LDL_TERM_MIN_REMAINING", flat::LDL_TERM_MIN_REMAINING),
    ]
}

/// Draws before the SBP walk, and scalars after the LDL-C walk (see [`super::member_draws`]).
pub const DRAW_LAYOUT: (usize, usize) = (N_SCALAR_DRAWS, N_LATER_SCALARS);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progression::{run_ensemble, tests::baseline};

    /// One batch: exactly the ensemble's own bands, and kept months are the members' values.
    #[test]
    fn one_batch_gives_the_ensembles_bands() {
        let b = baseline();
        let config = EnsembleConfig { months: 24, members: 300, seed: 3 };
        let s = Scenario::current_treatment();
        let summary = project_bands(&CpuBackend, &b, &s, &config, &[12, 99], &RunControl::default()).unwrap();
        let ensemble = run_ensemble(&b, &s, &config);
        assert_eq!(summary.bands, summarise(&ensemble));
        assert_eq!(summary.kept_months, vec![12]);
        assert_eq!(summary.kept(17, 0, Output::Sbp), ensemble.get(17, 12, Output::Sbp));
    }

    /// Several batches: the merged bands stay within the Monte Carlo error of the exact ones.
    #[test]
    fn batched_bands_agree_with_the_exact_quantiles() {
        let b = baseline();
        let config = EnsembleConfig { months: 120, members: 2000, seed: 5 };
        assert_eq!(members_per_batch(600), 1744);
        let s = Scenario::current_treatment();
        let control = RunControl::default();
        let summary = project_in_batches(&CpuBackend, &b, &s, &config, &[], &control, 500).unwrap();
        assert_eq!(control.done(), 2000);
        let exact = summarise(&run_ensemble(&b, &s, &config));
        for (merged, exact) in summary.bands.iter().zip(&exact) {
            for m in [12, 60, 120] {
                let spread = (exact.p95[m] - exact.p5[m]).max(1e-9);
                for (x, y) in
                    [(merged.p5[m], exact.p5[m]), (merged.p50[m], exact.p50[m]), (merged.p95[m], exact.p95[m])]
                {
                    if x.is_nan() && y.is_nan() {
                        continue; // not projected for this patient
                    }
                    assert!((x - y).abs() < 0.03 * spread, "{:?} month {m}: {x} vs {y}", merged.output);
                }
            }
        }
    }

    #[test]
    fn a_cancelled_projection_stops() {
        let control = RunControl::default();
        control.cancel();
        let config = EnsembleConfig { months: 12, members: 10, seed: 1 };
        let r = project_bands(&CpuBackend, &baseline(), &Scenario::current_treatment(), &config, &[], &control);
        assert_eq!(r, Err(RunError::Cancelled(Cancelled)));
    }
}
