//! Many scenarios of one patient at once, for the risk heatmap: each cell is a scenario, and
//! only its event risk at the horizon is kept (median and 5–95% band), so memory grows with the
//! cells, not with members × months.
//!
//! Common random numbers: every cell uses the same members' draws, generated once, so
//! neighbouring cells differ by their interventions and not by sampling noise. The member step
//! is every projection's, asked only for the event risk ([`super::member_event_risk`]), on
//! whichever [`EnsembleBackend`] is given.

use std::sync::atomic::Ordering;

use rayon::prelude::*;

use super::backend::{Draws, EnsembleBackend, RunError};
use super::{quantile, Baseline, Cancelled, EnsembleConfig, FlatPlan, RunControl, Scenario};

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
/// event model. `control` counts finished cells and can stop the run; `on_cells` is given each
/// finished run of cells (its first index and the cells) as it finishes, so a screen can fill
/// rows in as they come.
///
/// # Errors
/// [`RunError::Cancelled`] when `control` was cancelled before the last cell finished;
/// [`RunError::Backend`] when the backend failed.
pub fn event_risk_cells(
    backend: &dyn EnsembleBackend,
    baseline: &Baseline,
    scenarios: &[Scenario],
    config: &EnsembleConfig,
    control: &RunControl,
    on_cells: &mut dyn FnMut(usize, &[CellRisk]),
) -> Result<Vec<CellRisk>, RunError> {
    let months = config.months;
    let draws = Draws::generate(config.seed, 0..config.members, months);
    let per_call = backend.cells_per_call(config.members, months).max(1);
    let mut cells = Vec::with_capacity(scenarios.len());
    for chunk in scenarios.chunks(per_call) {
        if control.is_cancelled() {
            return Err(Cancelled.into());
        }
        let plans: Vec<FlatPlan> = chunk.par_iter().map(|s| FlatPlan::new(baseline, s, months)).collect();
        let mut risks = backend.event_risks(baseline, &plans, &draws)?;
        let first = cells.len();
        cells.extend(risks.chunks_mut(draws.len().max(1)).map(|member_risks| CellRisk {
            p5: quantile(member_risks, 0.05),
            p50: quantile(member_risks, 0.5),
            p95: quantile(member_risks, 0.95),
        }));
        control.done.fetch_add(chunk.len(), Ordering::Relaxed);
        on_cells(first, &cells[first..]);
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progression::backend::CpuBackend;
    use crate::progression::scenario::Intervention;
    use crate::progression::{run_ensemble, summarise, Output};

    fn cell(sbp: f64, ldl: f64) -> Scenario {
        Scenario {
            name: format!("{sbp}/{ldl}"),
            interventions: vec![
                Intervention::LowerSbp { mmhg: sbp, start_month: 0 },
                Intervention::LowerLdl { fraction: ldl, start_month: 0 },
            ],
            strategy: None,
        }
    }

    fn cells(
        b: &Baseline,
        grid: &[Scenario],
        config: &EnsembleConfig,
        control: &RunControl,
    ) -> Result<Vec<CellRisk>, RunError> {
        event_risk_cells(&CpuBackend, b, grid, config, control, &mut |_, _| {})
    }

    /// A cell is exactly the projection of its scenario: the same members, the same step.
    #[test]
    fn a_cell_is_the_projection_of_its_scenario() {
        let b = crate::progression::tests::baseline();
        let config = EnsembleConfig { months: 60, members: 200, seed: 7 };
        let cells = cells(&b, &[cell(10.0, 0.3)], &config, &RunControl::default()).unwrap();
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
        let cells = cells(&b, &grid, &config, &RunControl::default()).unwrap();
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

    /// Rows are handed over as they finish, in order, and add up to the grid.
    #[test]
    fn finished_cells_arrive_in_order() {
        let b = crate::progression::tests::baseline();
        let config = EnsembleConfig { months: 12, members: 20, seed: 1 };
        let grid: Vec<Scenario> = (0..70).map(|i| cell(f64::from(i), 0.0)).collect();
        let mut seen = Vec::new();
        let all = event_risk_cells(&CpuBackend, &b, &grid, &config, &RunControl::default(), &mut |first, part| {
            seen.push((first, part.len()));
        })
        .unwrap();
        assert_eq!(seen, vec![(0, 32), (32, 32), (64, 6)]);
        assert_eq!(all.len(), 70);
    }

    #[test]
    fn a_cancelled_grid_stops() {
        let b = crate::progression::tests::baseline();
        let control = RunControl::default();
        control.cancel();
        let config = EnsembleConfig { months: 12, members: 10, seed: 1 };
        assert_eq!(cells(&b, &[cell(0.0, 0.0)], &config, &control), Err(RunError::Cancelled(Cancelled)));
    }
}
