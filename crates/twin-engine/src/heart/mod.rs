//! The beat-scale heart: a time-varying-elastance left ventricle with mitral and aortic valves,
//! ejecting into a three-element windkessel, filled from a compliant venous/atrial reservoir, in
//! a closed loop (blood volume is conserved).
//!
//! # Equations (pressures mmHg, volumes mL, flows mL/s, time s)
//! - LV: P_lv = E(t)·(V_lv − V₀), E(t) = E_min + (E_max − E_min)·e(t), with e(t) the normalised
//!   double-Hill activation of Stergiopulos 1996 (α₁ = 0.303, α₂ = 0.508 of the cardiac period,
//!   n₁ = 1.32, n₂ = 21.9), scaled so max e = 1.
//! - Aortic valve and windkessel: Q_ao = max(0, P_lv − P_c)/(R_av + Z_c); aortic pressure
//!   P_ao = P_c + Z_c·Q_ao; dP_c/dt = (Q_ao − Q_p)/C; peripheral flow Q_p = (P_c − P_v)/R.
//! - Venous/atrial reservoir: P_v = V_v/C_v (stressed volume); mitral flow
//!   Q_mv = max(0, P_v − P_lv)/R_mv.
//! - dV_lv/dt = Q_mv − Q_ao; dV_v/dt = Q_p − Q_mv.
//!
//! Ideal diodes with small resistances model the valves. Integrated with classical RK4 at a fixed
//! step of T/500 until the state at beat onset repeats (periodic steady state).
//!
//! # Invariants
//! Stressed volume V_lv − V₀ + C·P_c + V_v is constant over time (checked in tests).
//!
//! # References
//! 1. Suga H, Sagawa K, Shoukas AA. Load independence of the instantaneous pressure-volume ratio
//!    of the canine left ventricle. Circ Res 1973;32:314-322. doi:10.1161/01.RES.32.3.314
//! 2. Stergiopulos N, Meister JJ, Westerhof N. Determinants of stroke volume and systolic and
//!    diastolic aortic pressure. Am J Physiol 1996;270:H2050-H2059 — elastance shape (e(t)).
//! 3. Stergiopulos N, Westerhof BE, Westerhof N. Total arterial inertance as the fourth element
//!    of the windkessel model. Am J Physiol 1999;276:H81-H88 — three-element windkessel values.
//! 4. Smith BW, Chase JG, Nokes RI, Shaw GM, Wake G. Minimal haemodynamic system model including
//!    ventricular interaction and valve dynamics. Med Eng Phys 2004;26:131-139 — closed-loop
//!    structure and adult parameter magnitudes.

pub mod calibrate;

/// Parameters of the beat-scale model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeartParams {
    /// Heart rate, beats/min.
    pub heart_rate: f64,
    /// End-systolic elastance (contractility), mmHg/mL.
    pub e_max: f64,
    /// End-diastolic elastance (stiffness), mmHg/mL.
    pub e_min: f64,
    /// Unstressed LV volume, mL.
    pub v0: f64,
    /// Peripheral resistance, mmHg·s/mL.
    pub resistance: f64,
    /// Arterial compliance, mL/mmHg.
    pub compliance: f64,
    /// Characteristic impedance of the aorta, mmHg·s/mL.
    pub zc: f64,
    /// Venous/atrial compliance, mL/mmHg.
    pub venous_compliance: f64,
    /// Stressed blood volume of the loop, mL.
    pub stressed_volume: f64,
    /// Aortic valve resistance, mmHg·s/mL.
    pub r_aortic_valve: f64,
    /// Mitral valve resistance, mmHg·s/mL.
    pub r_mitral_valve: f64,
}

impl HeartParams {
    /// A healthy adult at rest, HR 70.
    ///
    /// Magnitudes from Smith 2004 [4] and Stergiopulos 1999 [3] (total peripheral resistance
    /// about 1.0 mmHg·s/mL, total arterial compliance about 1.5 mL/mmHg, characteristic impedance
    /// about 0.05 mmHg·s/mL; E_max 2–3 mmHg/mL, E_min about 0.06 mmHg/mL, V₀ about 10 mL),
    /// tuned within those ranges so the model gives 120/80 mmHg, SV about 70 mL and EF about 60%
    /// (the textbook adult; see docs/VALIDATION.md for the figures it gives).
    pub fn reference_adult() -> Self {
        Self {
            heart_rate: 70.0,
            e_max: 2.6,
            e_min: 0.06,
            v0: 10.0,
            resistance: 1.0,
            compliance: 1.6,
            zc: 0.05,
            venous_compliance: 15.0,
            stressed_volume: 355.0,
            r_aortic_valve: 0.003,
            r_mitral_valve: 0.006,
        }
    }

    /// Cardiac period, s.
    pub fn period(&self) -> f64 {
        60.0 / self.heart_rate
    }
}

/// Numerical settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolverConfig {
    /// Steps per beat.
    pub steps_per_beat: usize,
    /// Most beats before giving up on periodic steady state.
    pub max_beats: usize,
    /// Steady state when LV volume at beat onset changes by less than this, mL.
    pub tolerance_ml: f64,
    /// Samples of the PV loop kept from the last beat.
    pub n_loop_samples: usize,
}

impl Default for SolverConfig {
    fn default() -> Self {
        Self { steps_per_beat: 500, max_beats: 60, tolerance_ml: 0.01, n_loop_samples: 100 }
    }
}

/// State at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeartState {
    /// LV volume, mL.
    pub v_lv: f64,
    /// Windkessel capacitor pressure, mmHg.
    pub p_c: f64,
    /// Venous/atrial stressed volume, mL.
    pub v_v: f64,
}

/// What one steady beat gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Hemodynamics {
    /// Systolic aortic pressure, mmHg.
    pub sbp: f64,
    /// Diastolic aortic pressure, mmHg.
    pub dbp: f64,
    /// Mean aortic pressure, mmHg.
    pub map: f64,
    /// End-diastolic volume, mL.
    pub edv: f64,
    /// End-systolic volume, mL.
    pub esv: f64,
    /// Stroke volume, mL.
    pub stroke_volume: f64,
    /// Ejection fraction, %.
    pub ejection_fraction: f64,
    /// Cardiac output, L/min.
    pub cardiac_output: f64,
    /// Beats integrated to reach steady state.
    pub n_beats: usize,
    /// Whether steady state was reached within `max_beats`.
    pub converged: bool,
    /// PV loop of the last beat: (volume mL, LV pressure mmHg, aortic pressure mmHg).
    pub loop_samples: Vec<(f64, f64, f64)>,
    /// State at the onset of the last beat (to warm-start the next solve).
    pub onset_state: HeartState,
}

/// The double-Hill activation shape, unnormalised (Stergiopulos 1996 [2]).
fn activation_raw(phase: f64) -> f64 {
    let a = (phase / 0.303).powf(1.32);
    let b = (phase / 0.508).powf(21.9);
    (a / (1.0 + a)) * (1.0 / (1.0 + b))
}

/// Normalisation so that max e(t) = 1 (the peak of the shape above, found once numerically).
fn activation_peak() -> f64 {
    (0..=2000).map(|i| activation_raw(f64::from(i) / 2000.0)).fold(0.0, f64::max)
}

struct Model {
    p: HeartParams,
    peak: f64,
}

impl Model {
    fn elastance(&self, t: f64) -> f64 {
        let phase = (t / self.p.period()).fract();
        self.p.e_min + (self.p.e_max - self.p.e_min) * activation_raw(phase) / self.peak
    }

    /// Returns (dV_lv, dP_c, dV_v) and the aortic and LV pressures.
    fn derivatives(&self, t: f64, s: &HeartState) -> ([f64; 3], f64, f64) {
        let p = &self.p;
        let p_lv = self.elastance(t) * (s.v_lv - p.v0);
        let p_v = s.v_v / p.venous_compliance;
        let q_ao = ((p_lv - s.p_c) / (p.r_aortic_valve + p.zc)).max(0.0);
        let q_mv = ((p_v - p_lv) / p.r_mitral_valve).max(0.0);
        let q_p = (s.p_c - p_v) / p.resistance;
        let p_ao = s.p_c + p.zc * q_ao;
        ([q_mv - q_ao, (q_ao - q_p) / p.compliance, q_p - q_mv], p_ao, p_lv)
    }

    fn step(&self, t: f64, dt: f64, s: &HeartState) -> HeartState {
        let add = |s: &HeartState, d: &[f64; 3], h: f64| HeartState {
            v_lv: s.v_lv + h * d[0],
            p_c: s.p_c + h * d[1],
            v_v: s.v_v + h * d[2],
        };
        let (k1, _, _) = self.derivatives(t, s);
        let (k2, _, _) = self.derivatives(t + dt / 2.0, &add(s, &k1, dt / 2.0));
        let (k3, _, _) = self.derivatives(t + dt / 2.0, &add(s, &k2, dt / 2.0));
        let (k4, _, _) = self.derivatives(t + dt, &add(s, &k3, dt));
        let combine = |i: usize| (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]) / 6.0;
        add(s, &[combine(0), combine(1), combine(2)], dt)
    }
}

/// A starting state that spreads the stressed volume plausibly over the loop.
pub fn initial_state(p: &HeartParams) -> HeartState {
    let p_c = 90.0;
    let v_lv = 120.0;
    let v_v = (p.stressed_volume - (v_lv - p.v0) - p.compliance * p_c).max(1.0);
    HeartState { v_lv, p_c, v_v }
}

/// Integrates beats from `start` until periodic steady state and returns the last beat.
pub fn simulate(params: &HeartParams, config: &SolverConfig, start: Option<HeartState>) -> Hemodynamics {
    let model = Model { p: *params, peak: activation_peak() };
    let period = params.period();
    let dt = period / config.steps_per_beat as f64;
    // A warm start from another parameter set carries that set's blood volume: refill the venous
    // reservoir so the loop holds this set's stressed volume.
    let mut state = match start {
        Some(s) => HeartState {
            v_v: (params.stressed_volume - (s.v_lv - params.v0) - params.compliance * s.p_c).max(1.0),
            ..s
        },
        None => initial_state(params),
    };
    let mut n_beats = 0;
    loop {
        let onset = state;
        let beat = run_beat(&model, &mut state, dt, config);
        n_beats += 1;
        let converged = (state.v_lv - onset.v_lv).abs() < config.tolerance_ml
            && (state.p_c - onset.p_c).abs() < config.tolerance_ml;
        if converged || n_beats >= config.max_beats {
            let mut h = beat;
            h.n_beats = n_beats;
            h.converged = converged;
            h.onset_state = state;
            h.cardiac_output = h.stroke_volume * params.heart_rate / 1000.0;
            return h;
        }
    }
}

fn run_beat(model: &Model, state: &mut HeartState, dt: f64, config: &SolverConfig) -> Hemodynamics {
    let n = config.steps_per_beat;
    let sample_every = (n / config.n_loop_samples.max(1)).max(1);
    let (mut sbp, mut dbp, mut sum_p) = (f64::MIN, f64::MAX, 0.0);
    let (mut edv, mut esv) = (f64::MIN, f64::MAX);
    let mut loop_samples = Vec::with_capacity(config.n_loop_samples + 1);
    for i in 0..n {
        let t = i as f64 * dt;
        let (_, p_ao, p_lv) = model.derivatives(t, state);
        sbp = sbp.max(p_ao);
        dbp = dbp.min(p_ao);
        sum_p += p_ao;
        edv = edv.max(state.v_lv);
        esv = esv.min(state.v_lv);
        if i % sample_every == 0 {
            loop_samples.push((state.v_lv, p_lv, p_ao));
        }
        *state = model.step(t, dt, state);
    }
    let stroke_volume = edv - esv;
    Hemodynamics {
        sbp,
        dbp,
        map: sum_p / n as f64,
        edv,
        esv,
        stroke_volume,
        ejection_fraction: 100.0 * stroke_volume / edv,
        cardiac_output: 0.0,
        n_beats: 0,
        converged: false,
        loop_samples,
        onset_state: *state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference adult meets the textbook figures the issue sets: 120/80 ± 5 mmHg,
    /// SV 70 mL ± 10%, EF 55–65%, CO 4.5–5.5 L/min.
    #[test]
    fn reference_adult_is_a_normal_adult() {
        let h = simulate(&HeartParams::reference_adult(), &SolverConfig::default(), None);
        assert!(h.converged, "steady state in {} beats", h.n_beats);
        assert!((h.sbp - 120.0).abs() <= 5.0, "SBP {}", h.sbp);
        assert!((h.dbp - 80.0).abs() <= 5.0, "DBP {}", h.dbp);
        assert!((h.stroke_volume - 70.0).abs() <= 7.0, "SV {}", h.stroke_volume);
        assert!((55.0..=65.0).contains(&h.ejection_fraction), "EF {}", h.ejection_fraction);
        assert!((4.5..=5.5).contains(&h.cardiac_output), "CO {}", h.cardiac_output);
    }

    #[test]
    fn stressed_volume_is_conserved() {
        let p = HeartParams::reference_adult();
        let model = Model { p, peak: activation_peak() };
        let mut s = initial_state(&p);
        let total = |s: &HeartState| s.v_lv - p.v0 + p.compliance * s.p_c + s.v_v;
        let before = total(&s);
        let dt = p.period() / 500.0;
        for i in 0..5000 {
            s = model.step(i as f64 * dt, dt, &s);
        }
        assert!((total(&s) - before).abs() < 1e-6, "{} vs {before}", total(&s));
    }

    #[test]
    fn weaker_contractility_lowers_ef_and_stiffer_arteries_widen_pulse_pressure() {
        let config = SolverConfig::default();
        let base = simulate(&HeartParams::reference_adult(), &config, None);
        let weak = simulate(&HeartParams { e_max: 0.8, ..HeartParams::reference_adult() }, &config, None);
        assert!(weak.ejection_fraction < base.ejection_fraction - 10.0);
        let stiff = simulate(&HeartParams { compliance: 0.8, ..HeartParams::reference_adult() }, &config, None);
        assert!(stiff.sbp - stiff.dbp > base.sbp - base.dbp + 10.0);
    }
}
