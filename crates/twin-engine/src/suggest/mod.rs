//! The treatment suggestion: a plan of care a cardiologist would sign ([`plan`]), built from the
//! guideline targets ([`targets`]), the indications ([`indications`]) and the whole-regimen safety
//! rules ([`safety`]), each plan projected with the twin member by member. ESC is the default;
//! [`guideline`] holds the ACC/AHA rules the plan search follows when that set is chosen.
//!
//! A drug a plan starts is projected as prescribed ([`SUGGESTION_PERSISTENCE`] says why).
//! Lifestyle steps wane as in any projection ([`crate::progression::effects::SODIUM_KEPT`] and
//! the rest).

pub mod af_care;
pub mod guideline;
pub mod heart_failure;
pub mod indications;
pub mod plan;
pub mod safety;
pub mod start_dose;
pub mod targets;

use time::Date;

use crate::progression::scenario::Persistence;
use crate::record::PatientRecord;
pub use guideline::Guideline;
pub use targets::{targets_for, RiskCategory, Targets};

/// How a drug the search starts is projected: as prescribed, not with real-world persistence
/// (the default of a scenario, [`Persistence::RealWorld`]). The target check asks whether a
/// regimen, taken, reaches the targets; persistence is a share of people, applied to every
/// member alike, so under it each new drug would count for 71% of itself at 6 months and the
/// search would answer people stopping a drug by adding another or raising a dose (on the demo
/// cohort it did: high- instead of moderate-intensity statin, an extra step, a regimen that
/// reached its targets no longer doing so), and it would favour lifestyle steps, which wane
/// later. The event-risk reduction of a suggestion is therefore also "if taken as prescribed";
/// its scenario file says so (`as_prescribed`), so opening it in a comparison gives the same
/// numbers, and switching it to real world there shows the smaller expected benefit.
pub const SUGGESTION_PERSISTENCE: Persistence = Persistence::AsPrescribed;

/// How the plan search runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchConfig {
    /// Ensemble members per plan.
    pub members: usize,
    /// Seed: the same seed gives the same plans.
    pub seed: u64,
    /// Share of members at target (at [`plan::CHECK_MONTHS`]) that counts as reaching it: 0.8,
    /// ours (four courses in five; the clinician sees the share).
    pub probability: f64,
    /// Years over which the event-risk reduction is given.
    pub risk_years: u32,
    /// Months after which a BP reading is old: the clinician's limit from Settings (the stale-
    /// inputs notice's), so the plan's "confirm before intensifying" and white-coat checks judge
    /// a reading as the notice beside them does. Default [`crate::twin::BLOOD_PRESSURE_LIMIT_MONTHS`].
    pub bp_fresh_months: u32,
}

impl Default for SearchConfig {
    fn default() -> Self {
        Self {
            members: 400,
            seed: 1,
            probability: 0.8,
            risk_years: 10,
            bp_fresh_months: crate::twin::BLOOD_PRESSURE_LIMIT_MONTHS,
        }
    }
}

/// Event risk over `risk_years` under a plan, against today's treatment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskChange {
    /// Median risk under today's treatment, %.
    pub current: f64,
    /// Median risk under the candidate, %.
    pub candidate: f64,
    /// Median absolute reduction, percentage points (member by member).
    pub reduction: f64,
    /// 5th percentile of the reduction.
    pub reduction_p05: f64,
    /// 95th percentile of the reduction.
    pub reduction_p95: f64,
}

/// The SCORE2 / SCORE2-OP 10-year risk (%) used for the LDL-C category, where it applies.
///
/// # Errors
/// Why SCORE2 gives no figure (age outside 40–89, no risk region), in plain words.
pub fn score2_percent(inputs: &crate::risk::RiskInputs) -> Result<f64, String> {
    crate::risk::score2::cvd_10y(inputs).risk.map(|r| r * 100.0).map_err(|e| e.describe())
}

/// Targets for `record` on `today` under `guideline` ([`targets::targets_under`]).
pub fn targets_under(
    guideline: Guideline,
    record: &PatientRecord,
    today: Date,
    inputs: &crate::risk::RiskInputs,
) -> Targets {
    targets::targets_under(guideline, record, today, inputs)
}
