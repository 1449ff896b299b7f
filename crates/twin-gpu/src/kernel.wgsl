// The engine's member step (twin-engine progression::step_member) in WGSL, in f32.
// The header before this text is generated from the engine: P_* index the baseline's numbers,
// K_* are the step's constants, F_* index a month's row of the flattened plan, O_* the outputs.
// Change the two together; the twin-gpu tests compare them on every demo patient.
//
// NaN is not portable in WGSL, so an output the patient lacks (eGFR without a value, event
// risk without an event model) is written as 0 and the host puts NaN back.

struct Dims {
    members: u32,
    plans: u32,
    months: u32,
    stride: u32,
    ldl_terms: u32,
    per_member: u32,
    _pad0: u32,
    _pad1: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> plans: array<f32>;
@group(0) @binding(3) var<storage, read> draws: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

fn remaining(fraction: f32, rho: f32) -> f32 {
    return max(1.0 - min(fraction * rho, K_LDL_TERM_MAX_FRACTION), K_LDL_TERM_MIN_REMAINING);
}

// 1 - exp(-h) without losing the digits of a small h (f32 has 24 bits; a month's hazard can be
// 1e-5): the series below 1e-3, where its error is under 1e-10 relative.
fn risk_of(h: f32) -> f32 {
    if (h < 1e-3) {
        return h * (1.0 - h * (0.5 - h / 6.0));
    }
    return 1.0 - exp(-h);
}

fn step(member: u32, plan: u32, write: bool) -> f32 {
    let d = member * dims.per_member;
    let n_months = dims.months + 1u;
    let bp_rho = clamp(params[P_BP_RHO_MEAN] + params[P_BP_RHO_SD] * draws[d], K_RHO_LOW, K_RHO_HIGH);
    let ldl_rho = clamp(params[P_LDL_RHO_MEAN] + params[P_LDL_RHO_SD] * draws[d + 1u], K_RHO_LOW, K_RHO_HIGH);
    let sbp0 = params[P_SBP_MEAN] + params[P_SBP_SD] * draws[d + 2u];
    let dbp0 = params[P_DBP_MEAN] + params[P_DBP_SD] * draws[d + 2u];
    let ldl0 = params[P_LDL_MEAN] * exp(params[P_LDL_SD] / max(params[P_LDL_MEAN], K_MIN_LDL_FOR_CV) * draws[d + 3u]);
    let ln_rr_ldl = K_CTT_LN_MID + K_CTT_LOG_SD * draws[d + 4u];
    let ln_hr_bp = K_BPLTTC_LN_MID + K_BPLTTC_LOG_SD * draws[d + 5u];
    let hr_revasc = exp(K_REVASC_LN_MID + K_REVASC_LOG_SD * draws[d + 6u]);
    let lifestyle = max(1.0 + K_LIFESTYLE_FACTOR_SD * draws[d + 7u], 0.0);
    let pretreatment = clamp(1.0 + K_PRETREATMENT_SLOPE * (sbp0 - K_PRETREATMENT_SBP), K_PRETREATMENT_LOW, K_PRETREATMENT_HIGH);
    let map0 = dbp0 + (sbp0 - dbp0) / K_MAP_PULSE_PRESSURE_DIVISOR;
    let has_event_model = params[P_HAS_EVENT_MODEL] > 0.5;
    let later = d + N_SCALAR_DRAWS + 2u * n_months;
    let heart_rate0 = params[P_HEART_RATE] + params[P_SPREAD_HEART_RATE] * draws[later];
    let hdl0 = params[P_HDL] * exp(params[P_SPREAD_HDL_CV] * draws[later + 1u]);
    let weight0 = params[P_WEIGHT] + params[P_SPREAD_WEIGHT] * draws[later + 2u];
    let egfr0 = params[P_EGFR] * exp(params[P_SPREAD_EGFR_CV] * draws[later + 3u]);
    let egfr_decline = K_EGFR_DECLINE + K_EGFR_SLOPE_SD * draws[later + 4u];
    let walks = later + N_LATER_SCALARS;
    let tail = walks + 2u * n_months;
    let lvef0 = params[P_LVEF] + params[P_SPREAD_LVEF] * draws[tail];
    let heart_rate_drift = K_HEART_RATE_DRIFT_SD * draws[tail + 1u];
    var walk_sbp = 0.0;
    var walk_ldl = 0.0;
    var walk_hdl = 0.0;
    var walk_weight = 0.0;
    var cumulative_hazard = 0.0;
    let plan_base = plan * n_months * dims.stride;
    for (var month = 0u; month < n_months; month++) {
        let t = plan_base + month * dims.stride;
        let treat_s = bp_rho * pretreatment * plans[t + F_DRUG_SBP] + plans[t + F_LIFE_SBP] * lifestyle;
        let treat_d = bp_rho * pretreatment * plans[t + F_DRUG_DBP] + plans[t + F_LIFE_DBP] * lifestyle;
        let sbp = sbp0 + treat_s + plans[t + F_SBP_AGEING] + walk_sbp;
        let dbp = dbp0 + treat_d + plans[t + F_DBP_AGEING] + K_DBP_WALK_SHARE * walk_sbp;
        var ratio = 1.0;
        for (var k = 0u; k < dims.ldl_terms; k++) {
            let term = t + MONTH_FIELDS + 2u * k;
            ratio = ratio * remaining(plans[term], ldl_rho) / remaining(plans[term + 1u], ldl_rho);
        }
        let ldl = ldl0 * ratio * exp(walk_ldl);
        if (month > 0u && has_event_model) {
            let sbp_deviation = sbp - params[P_SBP_MEAN] - plans[t + F_SBP_AGEING];
            let ldl_fall = params[P_LDL_MEAN] - ldl;
            var hazard = plans[t + F_HAZARD] * exp(ln_rr_ldl * ldl_fall - ln_hr_bp * sbp_deviation / K_BPLTTC_SBP_STEP);
            hazard = hazard * plans[t + F_SMOKING];
            if (plans[t + F_REVASCULARISED] > 0.5) {
                hazard = hazard * hr_revasc;
            }
            cumulative_hazard = cumulative_hazard + hazard;
        }
        walk_sbp = walk_sbp + K_SBP_WALK_SD * draws[d + N_SCALAR_DRAWS + month];
        walk_ldl = walk_ldl + K_LDL_WALK_SD * draws[d + N_SCALAR_DRAWS + n_months + month];
        if (write) {
            let compliance = plans[t + F_COMPLIANCE];
            let map = dbp + (sbp - dbp) / K_MAP_PULSE_PRESSURE_DIVISOR;
            let years = f32(month) / 12.0;
            let heart_rate = max(heart_rate0 + plans[t + F_HEART_RATE] + heart_rate_drift * years, K_MIN_HEART_RATE);
            let log_map = log(max(map, K_MIN_MAP) / max(map0, K_MIN_MAP));
            let log_compliance = log(compliance);
            let log_hr = log(heart_rate / max(heart_rate0, K_MIN_HEART_RATE));
            let lvef = lvef0 + params[P_EF_PER_LOG_MAP] * log_map
                + params[P_EF_PER_LOG_COMPLIANCE] * log_compliance + params[P_EF_PER_LOG_HEART_RATE] * log_hr;
            let stroke_volume = params[P_STROKE_VOLUME] + params[P_SV_PER_LOG_MAP] * log_map
                + params[P_SV_PER_LOG_COMPLIANCE] * log_compliance + params[P_SV_PER_LOG_HEART_RATE] * log_hr;
            let o = (member * n_months + month) * N_OUTPUTS;
            out[o + O_SBP] = sbp;
            out[o + O_DBP] = dbp;
            out[o + O_HEART_RATE] = heart_rate;
            out[o + O_LDL] = ldl;
            out[o + O_HDL] = hdl0 * exp(walk_hdl);
            out[o + O_WEIGHT] = weight0 + plans[t + F_WEIGHT] * lifestyle + walk_weight;
            out[o + O_EGFR] = max(egfr0 - egfr_decline * years, 0.0);
            out[o + O_STIFFNESS] = 1.0 / compliance;
            out[o + O_LVEF] = clamp(lvef, K_LVEF_LOW, K_LVEF_HIGH);
            out[o + O_EVENT_RISK] = risk_of(cumulative_hazard);
            out[o + O_CARDIAC_OUTPUT] = heart_rate * max(stroke_volume, 0.0) / K_ML_PER_LITRE;
            out[o + O_BP_DRUGS] = plans[t + F_BP_DRUGS];
            walk_hdl = walk_hdl + K_HDL_WALK_SD * draws[walks + month];
            walk_weight = walk_weight + K_WEIGHT_WALK_SD * draws[walks + n_months + month];
        }
    }
    return risk_of(cumulative_hazard);
}

// One invocation per (member, plan): the event risk at the last month.
@compute @workgroup_size(64)
fn event_risk(@builtin(global_invocation_id) id: vec3<u32>) {
    if (id.x >= dims.members || id.y >= dims.plans) {
        return;
    }
    out[id.y * dims.members + id.x] = step(id.x, id.y, false);
}

// One invocation per member of the first plan: every output at every month.
@compute @workgroup_size(64)
fn trajectories(@builtin(global_invocation_id) id: vec3<u32>) {
    if (id.x >= dims.members) {
        return;
    }
    _ = step(id.x, 0u, true);
}
