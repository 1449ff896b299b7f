//! A scenario's plan flattened to per-month rows of numbers: everything the member step reads
//! that is the same for every member. Both executors read this one form, so the CPU step
//! ([`super::run_member`]) and the GPU kernel (`twin-gpu`) compute from the same inputs.
//!
//! A row holds [`MONTH_FIELDS`] numbers (named in [`field`]), then one (acting now, acting
//! today) pair per LDL-C-lowering term.

use super::strategy::Strategy;
use super::{fx, Baseline, CurrentDrug, Plan, Scenario, SMOKING_TAU_MONTHS};

/// Where each number sits in a month's row.
pub mod field {
    /// Drug-induced SBP change from today, at response factor 1 and Law's pretreatment SBP.
    pub const DRUG_SBP: usize = 0;
    /// Drug-induced DBP change from today, as [`DRUG_SBP`].
    pub const DRUG_DBP: usize = 1;
    /// Lifestyle SBP change, before the member's lifestyle factor.
    pub const LIFE_SBP: usize = 2;
    /// Lifestyle DBP change, as [`LIFE_SBP`].
    pub const LIFE_DBP: usize = 3;
    /// Weight change planned, kg, before the member's lifestyle factor.
    pub const WEIGHT: usize = 4;
    /// Drug-induced heart-rate change, bpm.
    pub const HEART_RATE: usize = 5;
    /// Factor on the event hazard from stopping smoking (1 when not stopping).
    pub const SMOKING: usize = 6;
    /// 1 once a revascularisation has happened, else 0.
    pub const REVASCULARISED: usize = 7;
    /// SBP drift with age since today, mmHg (by age and sex; none with a reduced EF).
    pub const SBP_AGEING: usize = 8;
    /// DBP drift with age since today, mmHg (as [`SBP_AGEING`]).
    pub const DBP_AGEING: usize = 9;
    /// Arterial compliance relative to today.
    pub const COMPLIANCE: usize = 10;
    /// Baseline event hazard of this month (0 at month 0).
    pub const HAZARD: usize = 11;
    /// BP-lowering drug classes taken this month under the plan (before a strategy's steps).
    pub const BP_DRUGS: usize = 12;
    /// The first of the heart-failure therapies' exposure changes from today, one per therapy in
    /// [`crate::progression::heart_failure::THERAPIES`] order (1 = taken in full, from none).
    pub const HF_EXPOSURE: usize = 13;

    /// Every field with its name, for a kernel's generated header.
    pub const NAMED: [(&str, usize); super::MONTH_FIELDS] = [
        ("DRUG_SBP", DRUG_SBP),
        ("DRUG_DBP", DRUG_DBP),
        ("LIFE_SBP", LIFE_SBP),
        ("LIFE_DBP", LIFE_DBP),
        ("WEIGHT", WEIGHT),
        ("HEART_RATE", HEART_RATE),
        ("SMOKING", SMOKING),
        ("REVASCULARISED", REVASCULARISED),
        ("SBP_AGEING", SBP_AGEING),
        ("DBP_AGEING", DBP_AGEING),
        ("COMPLIANCE", COMPLIANCE),
        ("HAZARD", HAZARD),
        ("BP_DRUGS", BP_DRUGS),
        ("HF_ACE_INHIBITOR", HF_EXPOSURE),
        ("HF_ARB", HF_EXPOSURE + 1),
        ("HF_ARNI", HF_EXPOSURE + 2),
        ("HF_BETA_BLOCKER", HF_EXPOSURE + 3),
        ("HF_MRA", HF_EXPOSURE + 4),
        ("HF_SGLT2_INHIBITOR", HF_EXPOSURE + 5),
        ("HF_IVABRADINE", HF_EXPOSURE + 6),
    ];
}

/// Numbers in a row before the LDL-C terms.
pub const MONTH_FIELDS: usize = 13 + super::heart_failure::N_THERAPIES;

/// A compiled plan over months `0..=months`.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatPlan {
    months: u32,
    ldl_terms: usize,
    rows: Vec<f64>,
    strategy: Option<Strategy>,
    /// What each member takes when a strategy starts titrating: today's drugs with the
    /// scenario's own drug changes applied (a plan's first step).
    strategy_start: Vec<CurrentDrug>,
}

impl FlatPlan {
    /// Compiles `scenario` against today's drugs for `months` months.
    pub fn new(baseline: &Baseline, scenario: &Scenario, months: u32) -> Self {
        let plan = Plan::new(baseline, scenario);
        let hypertensive = baseline.sbp.0 >= fx::HYPERTENSIVE_SBP;
        let quit = plan.quit_month().filter(|_| baseline.smoker);
        let revascularised = plan.revascularisation_month();
        // BP drifts with age by age and sex, but not with a reduced ejection fraction, where it
        // tends to fall instead and is held ([`fx::HFREF_LVEF_MAX`]).
        let drifts = if baseline.lvef <= fx::HFREF_LVEF_MAX { 0.0 } else { 1.0 };
        // A term acting the same now as today at every month (a lipid drug left alone, any
        // other class's zero) cancels from the LDL-C ratio; dropping it saves the member step
        // two divisions a month.
        let all_terms: Vec<Vec<(f64, f64)>> = (0..=months).map(|m| plan.ldl_terms(f64::from(m))).collect();
        let moving: Vec<usize> = (0..all_terms.first().map_or(0, Vec::len))
            .filter(|&k| all_terms.iter().any(|t| t[k].0 != t[k].1))
            .collect();
        let ldl_terms = moving.len();
        let mut rows = Vec::with_capacity((months as usize + 1) * (MONTH_FIELDS + 2 * ldl_terms));
        for month in 0..=months {
            let m = f64::from(month);
            let years = m / 12.0;
            let (drug_s, drug_d) = plan.drug_bp_change(m);
            let (life_s, life_d, dw) = plan.lifestyle_change(m, hypertensive);
            let smoking = match quit {
                Some(q) if m > q => (-baseline.smoking_log_hr * (1.0 - (-(m - q) / SMOKING_TAU_MONTHS).exp())).exp(),
                _ => 1.0,
            };
            let hazard = if month == 0 || baseline.annual_hazard.is_empty() {
                0.0
            } else {
                let year = ((m - 1.0) / 12.0) as usize;
                baseline.annual_hazard[year.min(baseline.annual_hazard.len() - 1)] / 12.0
            };
            rows.extend_from_slice(&[
                drug_s,
                drug_d,
                life_s,
                life_d,
                dw,
                plan.drug_heart_rate_change(m),
                smoking,
                if revascularised.is_some_and(|r| m > r) { 1.0 } else { 0.0 },
                drifts * fx::sbp_ageing(baseline.age, years, baseline.female),
                drifts * fx::dbp_ageing(baseline.age, years),
                (1.0 - fx::COMPLIANCE_LOSS_PER_YEAR).powf(years),
                hazard,
                plan.bp_drugs(m),
            ]);
            rows.extend_from_slice(&plan.heart_failure_exposure(m));
            for &k in &moving {
                let (now, today) = all_terms[month as usize][k];
                rows.extend_from_slice(&[now, today]);
            }
        }
        let strategy_start = if scenario.strategy.is_some() { plan.regimen_after_changes() } else { Vec::new() };
        Self { months, ldl_terms, rows, strategy: scenario.strategy.clone(), strategy_start }
    }

    /// What each member takes when the strategy starts titrating.
    pub fn strategy_start(&self) -> &[CurrentDrug] {
        &self.strategy_start
    }

    /// The treat-to-target strategy each member follows on top of the rows, if any: members then
    /// differ in their drugs, which the rows cannot hold, so only the CPU step runs them.
    pub fn strategy(&self) -> Option<&Strategy> {
        self.strategy.as_ref()
    }

    /// Months projected (rows are months `0..=months`).
    pub fn months(&self) -> u32 {
        self.months
    }

    /// LDL-C-lowering terms per row.
    pub fn ldl_terms(&self) -> usize {
        self.ldl_terms
    }

    /// Numbers per row.
    pub fn stride(&self) -> usize {
        MONTH_FIELDS + 2 * self.ldl_terms
    }

    /// Month `month`'s row.
    pub fn row(&self, month: usize) -> &[f64] {
        let stride = self.stride();
        &self.rows[month * stride..(month + 1) * stride]
    }

    /// Month `month`'s (acting now, acting today) LDL-C terms.
    pub fn ldl(&self, month: usize) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.row(month)[MONTH_FIELDS..].chunks_exact(2).map(|p| (p[0], p[1]))
    }
}

/// Most of LDL-C one lowering term can remove, at the member's response factor: 95%. A guard,
/// ours: a 90% fall asked for (the most a scenario may ask, [`super::scenario`]) at a response
/// factor above 1.06 (up to 1.5, [`super::response::RHO_BOUNDS`]) would otherwise remove all of
/// it, or more, leaving a zero or negative share (and a zero divisor in [`ldl_ratio`]).
pub const LDL_TERM_MAX_FRACTION: f64 = 0.95;
/// Least share of LDL-C one term leaves: 5%, the complement of [`LDL_TERM_MAX_FRACTION`], and
/// the share a NaN fraction falls back to.
pub const LDL_TERM_MIN_REMAINING: f64 = 0.05;

/// LDL-C relative to today from a row's terms, with response factor `rho`: each term's share
/// of LDL-C remaining now over the share remaining today (a term can remove at most
/// [`LDL_TERM_MAX_FRACTION`]).
pub fn ldl_ratio(terms: impl Iterator<Item = (f64, f64)>, rho: f64) -> f64 {
    let remaining = |f: f64| (1.0 - (f * rho).min(LDL_TERM_MAX_FRACTION)).max(LDL_TERM_MIN_REMAINING);
    terms.fold(1.0, |acc, (now, today)| acc * remaining(now) / remaining(today))
}
