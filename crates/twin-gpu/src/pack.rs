//! The engine's inputs as the kernel reads them: f32 arrays, and the WGSL header of indices and
//! constants generated from the engine, so the kernel and the CPU step share one table.

use std::fmt::Write;

use twin_engine::progression::backend::{baseline_params, param, step_constants, Draws, DRAW_LAYOUT};
use twin_engine::progression::flat::{field, MONTH_FIELDS};
use twin_engine::progression::{Baseline, FlatPlan, Output, N_OUTPUTS};

/// The kernel's `Dims` uniform.
#[repr(C)]
#[derive(Debug, Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
pub struct Dims {
    members: u32,
    plans: u32,
    months: u32,
    stride: u32,
    ldl_terms: u32,
    per_member: u32,
    pad: [u32; 2],
}

impl Dims {
    pub fn new(members: usize, plans: usize, months: u32, ldl_terms: usize, per_member: usize) -> Self {
        let u = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        Self {
            members: u(members),
            plans: u(plans),
            months,
            stride: u(stride(ldl_terms)),
            ldl_terms: u(ldl_terms),
            per_member: u(per_member),
            pad: [0; 2],
        }
    }
}

/// Numbers per month's row with `ldl_terms` LDL-C terms.
pub fn stride(ldl_terms: usize) -> usize {
    MONTH_FIELDS + 2 * ldl_terms
}

/// `plans`, each padded to `ldl_terms` terms with (0, 0): a term that removes nothing, so its
/// factor in the LDL-C ratio is exactly 1.
pub fn plans(plans: &[FlatPlan], ldl_terms: usize) -> Vec<f32> {
    let stride = stride(ldl_terms);
    let mut out = Vec::with_capacity(plans.iter().map(|p| (p.months() as usize + 1) * stride).sum());
    for plan in plans {
        for month in 0..=plan.months() as usize {
            let row = plan.row(month);
            out.extend(row.iter().map(|x| *x as f32));
            out.extend(std::iter::repeat_n(0.0, stride - row.len()));
        }
    }
    out
}

pub fn params(baseline: &Baseline) -> Vec<f32> {
    baseline_params(baseline).into_iter().map(|x| x as f32).collect()
}

pub fn draws(draws: &Draws) -> Vec<f32> {
    draws.values().iter().map(|x| *x as f32).collect()
}

/// Trajectories back in f64, with NaN where the patient lacks the output (see the kernel).
pub fn restore_missing(baseline: &Baseline, values: Vec<f32>, n_outputs: usize) -> Vec<f64> {
    let no_egfr = baseline.egfr.is_none();
    let no_event_model = baseline.annual_hazard.is_empty();
    // The kernel projects CV events only; heart-failure outcomes run on the CPU.
    let hf = Output::HfHospitalisation.index();
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let o = i % n_outputs;
            if (no_egfr && o == Output::Egfr.index()) || (no_event_model && o == Output::EventRisk.index()) || o == hf {
                f64::NAN
            } else {
                f64::from(v)
            }
        })
        .collect()
}

/// "HeartRate" → "HEART_RATE".
fn upper_snake(name: &str) -> String {
    let mut s = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            s.push('_');
        }
        s.push(c.to_ascii_uppercase());
    }
    s
}

/// The kernel's WGSL: the generated header, then `kernel.wgsl`.
pub fn kernel_source() -> String {
    let mut h = String::from("// Generated from twin-engine by twin-gpu::pack; do not edit.\n");
    for (name, i) in param::NAMED {
        let _ = writeln!(h, "const P_{name}: u32 = {i}u;");
    }
    for (name, v) in step_constants() {
        let _ = writeln!(h, "const K_{name}: f32 = {:?};", v as f32);
    }
    for (name, i) in field::NAMED {
        let _ = writeln!(h, "const F_{name}: u32 = {i}u;");
    }
    for o in Output::ALL {
        let _ = writeln!(h, "const O_{}: u32 = {}u;", upper_snake(&format!("{o:?}")), o.index());
    }
    let _ = writeln!(h, "const N_OUTPUTS: u32 = {N_OUTPUTS}u;");
    let _ = writeln!(h, "const MONTH_FIELDS: u32 = {MONTH_FIELDS}u;");
    let _ = writeln!(h, "const N_SCALAR_DRAWS: u32 = {}u;", DRAW_LAYOUT.0);
    let _ = writeln!(h, "const N_LATER_SCALARS: u32 = {}u;", DRAW_LAYOUT.1);
    h + include_str!("kernel.wgsl")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_wgsl_constants() {
        assert_eq!(upper_snake("HeartRate"), "HEART_RATE");
        let src = kernel_source();
        assert!(src.contains("const O_EVENT_RISK: u32 = 9u;"));
        assert!(src.contains("const K_RHO_LOW: f32 = 0.5;"));
        assert!(src.contains("const K_DBP_WALK_SHARE: f32 = 0.6;"));
        assert!(src.contains("const K_LVEF_HIGH: f32 = 85.0;"));
        assert!(src.contains("const F_HAZARD: u32 = 11u;"));
    }
}
