//! Many scenarios of one patient at once, for the risk heatmap: each cell is a scenario, and
//! only its event risk at the horizon is kept (median and 5–95% band), so memory grows with the
//! cells, not with members × months.
//!
//! Common random numbers: every cell uses the same members' draws, generated once, so
//! neighbouring cells differ by their interventions and not by sampling noise. The member step
//! is every projection's ([`super::run_member`]), asked only for the event risk
//! ([`member_event_risk`]).

use rayon::prelude::*;
use std::sync::atomic::Ordering;

use super::{
    member_draws, member_event_risk, quantile, Baseline, Cancelled, EnsembleConfig, Plan, RunControl, Scenario,
};

/// One cell's event risk at the horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellRisk {
    /// 5th percentile over members.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// The event risk at `config.months` of each scenario, in order; NaN where the patient has no
/// event model. `control` counts finished cells and can stop the run.
///
/// # Errors
/// [`Cancelled`] when `control` was cancelled before the last cell finished.
pub fn event_risk_cells(
    baseline: &Baseline,
    scenarios: &[Scenario],
    config: &EnsembleConfig,
    control: &RunControl,
) -> Result<Vec<CellRisk>, Cancelled> {
    let months = config.months;
    let draws: Vec<Vec<f64>> =
        (0..config.members).into_par_iter().map(|member| member_draws(config.seed, member, months)).collect();
    let cells: Vec<Option<CellRisk>> = scenarios
        .par_iter()
        .map(|scenario| {
            if control.is_cancelled() {
                return None;
            }
            let plan = Plan::for_months(baseline, scenario, months);
            let mut risks: Vec<f64> = draws.iter().map(|d| member_event_risk(baseline, &plan, d, months)).collect();
            let cell = CellRisk {
                p5: quantile(&mut risks, 0.05),
                p50: quantile(&mut risks, 0.5),
                p95: quantile(&mut risks, 0.95),
            };
            control.done.fetch_add(1, Ordering::Relaxed);
            Some(cell)
        })
        .collect();
    cells.into_iter().collect::<Option<Vec<_>>>().ok_or(Cancelled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progression::scenario::Intervention;
    use crate::progression::{run_ensemble, summarise, Output};

    fn cell(sbp: f64, ldl: f64) -> Scenario {
        Scenario {
            name: format!("{sbp}/{ldl}"),
            interventions: vec![
                Intervention::LowerSbp { mmhg: sbp, start_month: 0 },
                Intervention::LowerLdl { fraction: ldl, start_month: 0 },
            ],
        }
    }

    /// A cell is exactly the projection of its scenario: the same members, the same step.
    #[test]
    fn a_cell_is_the_projection_of_its_scenario() {
        let b = crate::progression::tests::baseline();
        let config = EnsembleConfig { months: 60, members: 200, seed: 7 };
        let cells = event_risk_cells(&b, &[cell(10.0, 0.3)], &config, &RunControl::default()).unwrap();
        let bands = summarise(&run_ensemble(&b, &cell(10.0, 0.3), &config));
        let risk = bands.iter().find(|x| x.output == Output::EventRisk).unwrap();
        assert_eq!((cells[0].p5, cells[0].p50, cells[0].p95), (risk.p5[60], risk.p50[60], risk.p95[60]));
    }

    /// More lowering, less risk, cell by cell (common random numbers keep the order exact).
    #[test]
    fn risk_falls_monotonically_across_the_grid() {
        let b = crate::progression::tests::baseline();
        let config = EnsembleConfig { months: 120, members: 100, seed: 1 };
        let grid: Vec<Scenario> =
            [0.0, 10.0, 20.0].iter().flat_map(|s| [0.0, 0.25, 0.5].map(move |l| cell(*s, l))).collect();
        let cells = event_risk_cells(&b, &grid, &config, &RunControl::default()).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let here = cells[i * 3 + j].p50;
                if j < 2 {
                    assert!(cells[i * 3 + j + 1].p50 < here, "more LDL-C lowering lowers risk");
                }
                if i < 2 {
                    assert!(cells[(i + 1) * 3 + j].p50 < here, "more SBP lowering lowers risk");
                }
            }
        }
    }

    #[test]
    fn a_cancelled_grid_stops() {
        let b = crate::progression::tests::baseline();
        let control = RunControl::default();
        control.cancel();
        let config = EnsembleConfig { months: 12, members: 10, seed: 1 };
        assert_eq!(event_risk_cells(&b, &[cell(0.0, 0.0)], &config, &control), Err(Cancelled));
    }
}
