//! The patient's own response to treatment, learned from their record.
//!
//! A response factor ρ scales the published (population-average) effect: ρ = 1 is the average
//! patient, ρ = 0.5 half the effect.
//!
//! **Priors from trial variability.** For BP, the true between-person SD of the SBP response to
//! ACE-inhibitor regimens was 2.6 mmHg in 28,281 patients of 7 placebo-controlled trials (Bell et
//! al., Hypertension 2010;56:533, BPLTTC individual data); most of the apparent variation in a
//! patient's response (SD 15 mmHg) was day-to-day noise. Against Law 2003's 8.5 mmHg
//! standard-dose ACE-inhibitor effect that is a relative SD of 0.31, taken here for every class
//! (an extrapolation, stated). So the BP prior is N(1, 0.31²): a patient's apparent response
//! moves the factor only as far as clean, repeated readings justify. For LDL-C, VOYAGER's
//! individual data (Karlson BW et al., Eur Heart J Cardiovasc Pharmacother 2016;2:212; 32,258
//! patients on atorvastatin, rosuvastatin or simvastatin) put the SD of the percentage LDL-C
//! reduction at 12.8–17.9 points, e.g. 55.5% (SD 14.8) on rosuvastatin 40 mg: about 0.3 of the
//! mean effect. That observed spread includes measurement noise and missed doses, so it bounds
//! the true between-person spread from above; the LDL-C prior is N(1, 0.3²).
//!
//! **Bounds.** The factor's mean is kept within [`RHO_BOUNDS`] and each ensemble member's draw
//! too: beyond half or one and a half times the trial effect, a learned response is more
//! likely an artefact (a changed device, an unrecorded drug) than a person.
//! Each past drug start with readings before and after is one noisy observation of ρ:
//!
//!   observed fall Δ = mean(before) − mean(after) − expected drift,
//!   expected fall e = published effect for that drug, dose and adherence,
//!   Δ = ρ·e + ε,  ε ~ N(0, σ²/n_before + σ²/n_after),
//!
//! and a scalar Kalman update gives the posterior: K = P·e/(e²P + R), μ ← μ + K(Δ − μe),
//! P ← (1 − Ke)P. Observations are folded in date order; the posterior after the last one is
//! the response the projections sample from. Recalibration need not rerun it: a start's
//! evidence reads only the readings in a window around it, so once the window has ended before
//! the last reading, no later reading can change it. `twin::ResponseFilter` holds the posterior
//! after those closed starts and folds only the open ones onto it when new readings arrive (the
//! same numbers as from the prior, in the same order); a back-dated reading or a changed
//! medication sends it back to the prior.

/// Relative SD of the true between-person BP response (Bell et al. 2010: 2.6 / 8.5 mmHg).
pub const BP_PRIOR_SD: f64 = 2.6 / 8.5;

/// Relative SD of the between-person LDL-C response (VOYAGER, Karlson 2016: about 15 points of
/// a 50% reduction).
pub const LDL_PRIOR_SD: f64 = 0.3;

/// The range a response factor (mean, and each member's draw) is kept within.
pub const RHO_BOUNDS: (f64, f64) = (0.5, 1.5);

/// A Gaussian belief about a response factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Belief {
    /// Mean.
    pub mean: f64,
    /// Variance.
    pub variance: f64,
    /// Observations folded in.
    pub n_updates: usize,
}

impl Belief {
    /// The LDL-C prior: N(1, 0.3²), from VOYAGER (module docs).
    pub fn prior() -> Self {
        Self { mean: 1.0, variance: LDL_PRIOR_SD * LDL_PRIOR_SD, n_updates: 0 }
    }

    /// The BP prior: N(1, 0.31²), from Bell et al. 2010 (module docs).
    pub fn bp_prior() -> Self {
        Self { mean: 1.0, variance: BP_PRIOR_SD * BP_PRIOR_SD, n_updates: 0 }
    }

    /// The belief with its mean held within [`RHO_BOUNDS`]; `true` when it had to be moved.
    pub fn bounded(self) -> (Self, bool) {
        let mean = self.mean.clamp(RHO_BOUNDS.0, RHO_BOUNDS.1);
        (Self { mean, ..self }, mean != self.mean)
    }

    /// SD.
    pub fn sd(&self) -> f64 {
        self.variance.sqrt()
    }

    /// Folds in one observation: `observed` fall, `expected` fall at ρ = 1, and the observation's
    /// noise variance. Returns the updated belief; an uninformative observation (expected ≈ 0)
    /// leaves it unchanged.
    pub fn update(self, observed: f64, expected: f64, noise_variance: f64) -> Self {
        if expected.abs() < 1e-9 || !observed.is_finite() || noise_variance <= 0.0 {
            return self;
        }
        let gain = self.variance * expected / (expected * expected * self.variance + noise_variance);
        Self {
            mean: self.mean + gain * (observed - self.mean * expected),
            variance: (1.0 - gain * expected) * self.variance,
            n_updates: self.n_updates + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wide belief, N(1, 0.5²), to see the update's arithmetic.
    fn wide() -> Belief {
        Belief { mean: 1.0, variance: 0.25, n_updates: 0 }
    }

    #[test]
    fn a_clear_non_response_pulls_the_factor_down_and_narrows_it() {
        // Expected a 10 mmHg fall, saw 2, with noise SD 3 mmHg.
        let post = wide().update(2.0, 10.0, 9.0);
        // K = 0.25·10/(100·0.25 + 9) = 0.0735; mean 1 + K(2 − 10) = 0.41; variance (1 − 10K)·0.25.
        assert!((post.mean - 0.4118).abs() < 1e-3, "{post:?}");
        assert!((post.variance - 0.0662).abs() < 1e-3);
        assert_eq!(post.n_updates, 1);
    }

    #[test]
    fn noisy_observations_move_it_little_and_order_does_not_matter() {
        let noisy = Belief::prior().update(20.0, 10.0, 400.0);
        assert!(noisy.mean < 1.3);
        let ab = Belief::prior().update(6.0, 10.0, 16.0).update(12.0, 8.0, 25.0);
        let ba = Belief::prior().update(12.0, 8.0, 25.0).update(6.0, 10.0, 16.0);
        assert!((ab.mean - ba.mean).abs() < 1e-12 && (ab.variance - ba.variance).abs() < 1e-12);
    }

    #[test]
    fn the_bp_prior_shrinks_an_extreme_apparent_response() {
        // Patient 03's pattern: falls of 2.3× the expected, each with 2–3 readings either side.
        let noise = 12.0f64.powi(2) * (1.0 / 3.0 + 1.0 / 2.0);
        let wide = wide().update(19.6, 8.5, noise).update(21.0, 9.0, noise);
        let trial = Belief::bp_prior().update(19.6, 8.5, noise).update(21.0, 9.0, noise);
        assert!(trial.mean < wide.mean && trial.mean < 1.5, "{trial:?} vs {wide:?}");
        let (bounded, moved) = Belief { mean: 2.33, variance: 0.07, n_updates: 2 }.bounded();
        assert_eq!((bounded.mean, moved), (1.5, true));
    }

    /// VOYAGER's spread: a high-intensity statin's 49.5% spans 25–74% (5th–95th) at the prior,
    /// as VOYAGER's observed 55.5 ± 1.645 × 14.8% on rosuvastatin 40 mg spans 31–80%; not 6–90%.
    #[test]
    fn the_ldl_prior_spans_what_voyager_saw() {
        let p = Belief::prior();
        let (lo, hi) = (p.mean - 1.645 * p.sd(), p.mean + 1.645 * p.sd());
        assert!((0.495 * lo - 0.25).abs() < 0.01 && (0.495 * hi - 0.74).abs() < 0.01, "{lo} {hi}");
    }

    #[test]
    fn uninformative_observations_change_nothing() {
        assert_eq!(Belief::prior().update(3.0, 0.0, 4.0), Belief::prior());
    }
}
