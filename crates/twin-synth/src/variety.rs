//! How one training patient departs from the textbook patient of its sketch.
//!
//! The demo cohort is textbook: every drug acts with exactly the effect size the engine uses
//! (`twin_engine::drugs`), every dose is taken unless refills say otherwise, and SBP drifts the
//! same 0.6 mmHg a year in everyone. A model trained on that world can only learn noise around
//! the engine's own formula. The learned model's cohort ([`crate::generate_varied`]) therefore
//! gives each patient hidden traits the engine does not know, drawn from a random stream of its
//! own so the textbook cohort's bytes never change:
//!
//! - **Responder type**: the BP and LDL-C effects of every drug are scaled by a per-patient
//!   factor. The BP factor's spread is of the size the engine's own response prior takes (true
//!   between-person SD of the BP response about 0.31 of its mean: Bell KJL et al., Hypertension
//!   2010;56:533-9); LDL-C responses spread widely too (after high-intensity statin, LDL-C fell
//!   by 50% or more in about half of JUPITER's participants and barely at all in about a tenth:
//!   Ridker PM et al., Eur Heart J 2016;37:1373-9). The spreads below are the generator's
//!   assumptions, chosen to be of that order, not estimates.
//! - **Hidden adherence**: a share of patients take only part of their doses and nothing in the
//!   record says so (about half of patients stop or interrupt antihypertensives within a year:
//!   Vrijens B et al., BMJ 2008;336:1114-7). The engine sees only the drug's smaller effect.
//! - **Seen adherence**: another share have gaps in refills on every drug, written as dispensing
//!   records the engine can read.
//! - **Drift**: the yearly SBP drift varies between patients around the textbook 0.6 mmHg.
//! - **Wearable history**: some patients sync a wrist tracker for two weeks every six months
//!   over the last three years; its resting heart rate follows their beta-blockade.
//!
//! All of it is synthetic; none of it is an engine parameter.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::Distribution;

use crate::sampling::normal;

/// One patient's hidden traits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Variety {
    /// Multiplier on every drug's BP fall (1 = the engine's effect size).
    pub bp_response: f64,
    /// Multiplier on every drug's fractional LDL-C fall (1 = the engine's effect size).
    pub ldl_response: f64,
    /// Share of prescribed doses actually taken, unrecorded (1 = all).
    pub taken: f64,
    /// Every drug is dispensed with gaps, and the dispensing is recorded.
    pub refill_gaps: bool,
    /// SBP drift with age, mmHg per year.
    pub sbp_drift_per_year: f64,
    /// Two weeks of wearable data every six months over the last three years, resting heart
    /// rate lowered by beta-blockade (the textbook cohort has one month at the end, blind to it).
    pub wearable_history: bool,
}

/// Log-normal SD of the BP responder factor (generator assumption; Bell et al. 2010's relative
/// SD is 0.31).
const BP_RESPONSE_LOG_SD: f64 = 0.35;
/// Log-normal SD of the LDL-C responder factor (generator assumption).
const LDL_RESPONSE_LOG_SD: f64 = 0.25;
/// Share of patients who take only part of their doses without a record of it.
const HIDDEN_ADHERENCE_SHARE: f64 = 0.3;
/// Share of patients whose every drug is refilled with gaps, on record.
const REFILL_GAPS_SHARE: f64 = 0.15;
/// SD between patients of the yearly SBP drift, mmHg per year.
const DRIFT_SD: f64 = 1.0;
/// Share of patients with a wearable history.
const WEARABLE_SHARE: f64 = 0.3;

impl Variety {
    /// The demo cohort's patient: the engine's effect sizes, every dose taken, textbook drift.
    pub const TEXTBOOK: Self = Self {
        bp_response: 1.0,
        ldl_response: 1.0,
        taken: 1.0,
        refill_gaps: false,
        sbp_drift_per_year: 0.6,
        wearable_history: false,
    };

    /// Draws one patient's traits.
    pub fn draw(rng: &mut ChaCha8Rng) -> Self {
        let log_normal = |rng: &mut ChaCha8Rng, sd: f64| normal(sd).sample(rng).exp();
        let bp_response = log_normal(rng, BP_RESPONSE_LOG_SD).clamp(0.25, 2.5);
        let ldl_response = log_normal(rng, LDL_RESPONSE_LOG_SD).clamp(0.3, 1.5);
        let taken = if rng.random_bool(HIDDEN_ADHERENCE_SHARE) { rng.random_range(0.3..0.9) } else { 1.0 };
        let refill_gaps = rng.random_bool(REFILL_GAPS_SHARE);
        let sbp_drift_per_year = Self::TEXTBOOK.sbp_drift_per_year + normal(DRIFT_SD).sample(rng);
        let wearable_history = rng.random_bool(WEARABLE_SHARE);
        Self { bp_response, ldl_response, taken, refill_gaps, sbp_drift_per_year, wearable_history }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn draws_spread_around_the_textbook() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let draws: Vec<Variety> = (0..4000).map(|_| Variety::draw(&mut rng)).collect();
        let n = draws.len() as f64;
        let share = |f: &dyn Fn(&Variety) -> bool| draws.iter().filter(|v| f(v)).count() as f64 / n;
        let median_bp = {
            let mut v: Vec<f64> = draws.iter().map(|d| d.bp_response).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        assert!((median_bp - 1.0).abs() < 0.05, "median BP response {median_bp}");
        assert!((share(&|v| v.taken < 1.0) - HIDDEN_ADHERENCE_SHARE).abs() < 0.03);
        assert!((share(&|v| v.refill_gaps) - REFILL_GAPS_SHARE).abs() < 0.03);
        assert!((share(&|v| v.wearable_history) - WEARABLE_SHARE).abs() < 0.03);
        assert!(share(&|v| v.bp_response < 0.8) > 0.15 && share(&|v| v.bp_response > 1.25) > 0.15);
        let mean_drift = draws.iter().map(|d| d.sbp_drift_per_year).sum::<f64>() / n;
        assert!((mean_drift - 0.6).abs() < 0.1, "mean drift {mean_drift}");
    }
}
