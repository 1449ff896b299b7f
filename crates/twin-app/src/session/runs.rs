//! Use cases that run the twin: its calibrated state, event risk, projections, comparisons, the
//! heatmap and the treatment suggestion.

use super::*;

impl Session {
    /// The calibrated heart.
    ///
    /// # Errors
    /// A record without BP or heart rate.
    pub fn cmd_twin(&self, a: PatientArgs) -> Result<TwinView, AppError> {
        let record = &self.patient(&a.id)?.record;
        let mut view = crate::twin::patient_twin(record)?.0;
        view.hindcast = Some((*self.hindcast(&a.id)?).clone());
        view.freshness = Some(self.freshness(record));
        Ok(view)
    }

    /// Every risk equation, with contributions and sentences.
    ///
    /// # Errors
    /// A record without the core inputs.
    pub fn cmd_risk(&self, a: RiskArgs) -> Result<RiskReport, AppError> {
        let h = self.patient(&a.id)?;
        let report = crate::risk::assess_record(&h.record, self.today(), self.overrides(&a.context)?)?;
        Ok(crate::risk::RiskReport { freshness: Some(self.freshness(&h.record)), ..report })
    }

    /// One scenario projected with bands.
    ///
    /// # Errors
    /// An invalid scenario or ensemble; a record that lacks what projections need.
    pub fn cmd_simulate(&self, a: SimulateArgs) -> Result<Projection, AppError> {
        let scenario = a.scenario.to_scenario("the scenario")?;
        let run = self.start_run(a.target(), |c| Ok(c.members))?;
        check_against_today(&scenario, &run.twin, "the scenario")?;
        let mut projection =
            crate::simulate::project(&a.id, &run.twin, &scenario, &run.config, &run.compute, &run.control)?.0;
        projection.learned =
            crate::ml::learned_view(&self.patient(&a.id)?.record, self.today(), &scenario, &run.twin.baseline);
        projection.hindcast = (*self.hindcast(&a.id)?).clone();
        projection.freshness = Some(self.freshness(&self.patient(&a.id)?.record));
        Ok(projection)
    }

    /// Two to four scenarios side by side, the first as the reference.
    ///
    /// # Errors
    /// Fewer than two or more than four scenarios; as [`Session::cmd_simulate`].
    pub fn cmd_compare(&self, a: CompareArgs) -> Result<Comparison, AppError> {
        if !(2..=MAX_COMPARED).contains(&a.scenarios.len()) {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!("a comparison needs 2–{MAX_COMPARED} scenarios, not {}", a.scenarios.len()),
            ));
        }
        let scenarios: Vec<Scenario> = a
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| s.to_scenario(&format!("scenario {}", i + 1)))
            .collect::<Result<_, _>>()?;
        let run = self.start_run(a.target(), |c| Ok(c.members * scenarios.len()))?;
        for (i, s) in scenarios.iter().enumerate() {
            check_against_today(s, &run.twin, &format!("scenario {}", i + 1))?;
        }
        let mut comparison =
            crate::simulate::compare(&a.id, &run.twin, &scenarios, &run.config, &run.compute, &run.control)?;
        let record = &self.patient(&a.id)?.record;
        let hindcast = self.hindcast(&a.id)?;
        let freshness = self.freshness(record);
        for (projection, scenario) in comparison.projections.iter_mut().zip(&scenarios) {
            projection.learned = crate::ml::learned_view(record, self.today(), scenario, &run.twin.baseline);
            projection.hindcast = (*hindcast).clone();
            projection.freshness = Some(freshness.clone());
        }
        Ok(comparison)
    }

    /// The risk heatmap: event risk at the horizon over a grid of two intervention axes, with the
    /// same members in every cell.
    ///
    /// # Errors
    /// Invalid axes, grid or ensemble; a record that lacks what the twin needs; cancelled.
    pub fn cmd_heatmap(&self, a: HeatmapArgs) -> Result<crate::heatmap::HeatmapView, AppError> {
        let run = self.start_run(a.target(), |c| {
            if c.members > 5000 {
                return Err(AppError::new(ErrorCode::Validation, "a heatmap takes at most 5000 members per cell"));
            }
            Ok((a.grid as usize).pow(2))
        })?;
        let finished = a.job.as_deref().and_then(|j| lock(&self.jobs).get(j).map(|j| Arc::clone(&j.cells)));
        // Indexed by `first`, so a run handed to the CPU after a GPU failure starts over cleanly.
        let mut on_cells = |first: usize, part: &[twin_engine::progression::grid::CellRisk]| {
            if let Some(f) = &finished {
                let mut cells = lock(f);
                cells.truncate(first);
                cells.extend(part.iter().map(|c| c.p50.is_finite().then_some(c.p50)));
            }
        };
        let grid = crate::heatmap::Grid { x: a.x, y: a.y, size: a.grid as usize };
        crate::heatmap::heatmap(&run.twin, grid, &run.config, &run.compute, &run.control, &mut on_cells)
    }

    /// The treatment suggestion for a patient: the simplest regimen reaching the guideline
    /// targets, within the safety limits.
    ///
    /// # Errors
    /// Not found; a record that lacks what the twin needs; settings out of range.
    pub fn cmd_suggest(&self, a: SuggestArgs) -> Result<SuggestionView, AppError> {
        // BP readings are judged old by the clinician's limit, as the stale-inputs notice does.
        let config =
            twin_engine::suggest::SearchConfig { bp_fresh_months: self.stale_limits().0.blood_pressure, ..a.config()? };
        let h = self.patient(&a.id)?;
        let twin = self.twin(&a.id, self.overrides(&a.context)?, config.risk_years)?;
        let alternatives = a.alternatives.unwrap_or(10).min(500) as usize;
        // The guideline set chosen in Settings (ESC unless ACC/AHA was chosen).
        let guideline = self.preferences().0.guidelines.into();
        let view =
            crate::suggest::suggest_under(guideline, &a.id, &h.record, &twin, self.today(), config, alternatives);
        Ok(crate::suggest::SuggestionView { freshness: Some(self.freshness(&h.record)), ..view })
    }
}
