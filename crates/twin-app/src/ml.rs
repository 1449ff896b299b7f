//! The learned model's use cases: where the shipped weights live, and the hybrid forecast
//! attached to each projection and personal hindcast. Training and evaluation are developer
//! tooling, in `twin-devtools`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Serialize;
use time::Date;
use ts_rs::TS;

use twin_engine::progression::scenario::Scenario;
use twin_engine::progression::Baseline;
use twin_engine::record::PatientRecord;
use twin_engine::twin;
use twin_ml::features::{self, Example, HORIZONS, TARGETS};
use twin_ml::LearnedModel;

/// Where the shipped weights live: `CARDIOTWIN_MODELS_DIR`, else those an installed package
/// carries (`/usr/lib/CardioTwin/models`, beside `/usr/bin`), else the repository's `models/`.
pub fn default_models_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARDIOTWIN_MODELS_DIR") {
        return PathBuf::from(dir);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|bin| bin.join("../lib/CardioTwin/models")))
        .filter(|d| d.join(twin_ml::WEIGHTS_FILE).is_file())
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"))
}

/// The process's model, loaded once: the reason it is absent, when it is.
fn shipped() -> &'static Result<LearnedModel, String> {
    static MODEL: OnceLock<Result<LearnedModel, String>> = OnceLock::new();
    MODEL.get_or_init(|| LearnedModel::load(&default_models_dir()).map_err(|e| e.to_string()))
}

/// The shipped model's forecast of `record` on `day` under `planned`, on the twin `baseline`,
/// with the model and the example it read; or why there is none (`missing` when the record
/// lacks what the model reads).
fn shipped_forecast(
    record: &PatientRecord,
    day: Date,
    planned: &Scenario,
    baseline: &Baseline,
    missing: &str,
) -> Result<(&'static LearnedModel, Example, twin_ml::Forecast), String> {
    let model = shipped().as_ref().map_err(Clone::clone)?;
    let example = features::example_with(record, day, planned, baseline).ok_or_else(|| missing.to_string())?;
    let forecast = model
        .predict(&[&example])
        .map_err(|e| e.to_string())?
        .pop()
        .ok_or_else(|| "the learned model gave no forecast".to_string())?;
    Ok((model, example, forecast))
}

/// Trajectories sampled per forecast: enough to show the spread as lines, few enough to read.
const SAMPLED_PATHS: usize = 20;
/// Seed of the sampled paths.
const SAMPLE_SEED: u64 = 1;

/// One target at one horizon of the hybrid forecast.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LearnedRow {
    /// Target (`sbp`, `dbp`, `ldl_cholesterol`, `heart_rate`).
    pub target: String,
    /// Months from today.
    pub horizon_months: u32,
    /// The engine's mean.
    pub engine: f64,
    /// What the learned model adds.
    pub residual: f64,
    /// Engine + residual.
    pub hybrid: f64,
    /// 5th and 95th percentiles of a reading around the hybrid.
    pub lo: f64,
    /// 95th percentile.
    pub hi: f64,
}

/// The learned part of a projection, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LearnedView {
    /// Whether a learned model ran.
    pub available: bool,
    /// What it is, or why it did not run.
    pub note: String,
    /// The forecast, when it ran.
    pub rows: Vec<LearnedRow>,
    /// Sampled trajectories: each lists a reading per row of `rows`, in the same order (target,
    /// then horizon). The same draws under every scenario, so paths pair across scenarios.
    pub samples: Vec<Vec<f64>>,
}

/// The hybrid forecast of `record` today under `scenario`, from the shipped model, on the
/// projection's own twin (`baseline`).
pub fn learned_view(record: &PatientRecord, today: Date, scenario: &Scenario, baseline: &Baseline) -> LearnedView {
    let none = |note: String| LearnedView { available: false, note, rows: Vec::new(), samples: Vec::new() };
    if scenario.strategy.is_some() {
        // Its features are a fixed plan of treatment; a strategy's drugs differ member by member.
        return none(
            "the learned model reads a fixed plan of treatment, and a treat-to-target strategy's drugs differ from one \
             simulated patient to the next; the mechanistic projection alone is shown"
                .into(),
        );
    }
    let missing =
        "the learned model needs SBP, DBP, LDL-C and heart rate readings; the mechanistic model alone is shown";
    let (model, _, forecast) = match shipped_forecast(record, today, scenario, baseline, missing) {
        Ok(f) => f,
        Err(why) => return none(why),
    };
    let rows = (0..features::N_FORECASTS)
        .map(|i| {
            let (lo, hi) = forecast.interval90(i);
            LearnedRow {
                target: TARGETS[i / HORIZONS.len()].0.key().to_string(),
                horizon_months: HORIZONS[i % HORIZONS.len()],
                engine: forecast.engine[i],
                residual: forecast.residual[i],
                hybrid: forecast.mean(i),
                lo,
                hi,
            }
        })
        .collect();
    let samples = model
        .sample_paths(&forecast, SAMPLED_PATHS, SAMPLE_SEED)
        .map(|paths| paths.iter().map(|p| p.to_vec()).collect())
        .unwrap_or_default();
    let meta = model.meta();
    LearnedView {
        available: true,
        note: format!(
            "learned residual from a transformer trained on {} synthetic patients (seed {}); not clinically validated, and on records unlike its training data (Synthea) it did worse than the engine alone (figures in the model card that ships with CardioTwin)",
            meta.train_patients, meta.seed
        ),
        rows,
        samples,
    }
}

/// The hybrid's hindcast of one target, on the readings nearest its horizons. Declared beside
/// [`hybrid_hindcast`], which fills it, so that `ml` need not name [`crate::hindcast`].
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HybridHindcastRow {
    /// Target (`sbp`, `dbp`, `ldl_cholesterol`, `heart_rate`).
    pub target: String,
    /// Horizons (1, 3, 6, 12 months) with a reading near them.
    pub points: usize,
    /// Mean |reading − engine mean| on those readings.
    pub engine_abs_error: f64,
    /// Mean |reading − hybrid mean|.
    pub hybrid_abs_error: f64,
    /// Readings inside the hybrid's 90% interval.
    pub hybrid_inside: usize,
}

/// The hybrid's part of a personal hindcast ([`crate::hindcast::personal`]): the shipped model
/// given `record` as it stood on `cut`, the treatment actually given after it and the twin of
/// that day (`baseline`), set against the readings nearest its horizons; with what it is, or why
/// it is absent.
pub fn hybrid_hindcast(record: &PatientRecord, cut: Date, baseline: &Baseline) -> (Vec<HybridHindcastRow>, String) {
    let planned = twin::treatment_after(record, cut);
    let missing = "the learned model needs SBP, DBP, LDL-C and heart rate readings before the cut";
    let (_, example, forecast) = match shipped_forecast(record, cut, &planned, baseline, missing) {
        Ok(f) => f,
        Err(why) => return (Vec::new(), why),
    };
    let rows = TARGETS
        .iter()
        .enumerate()
        .filter_map(|(t, (kind, _))| {
            let seen: Vec<(usize, f64)> = (0..HORIZONS.len())
                .filter_map(|h| {
                    let i = t * HORIZONS.len() + h;
                    example.observed[i].map(|v| (i, v))
                })
                .collect();
            if seen.is_empty() {
                return None;
            }
            let n = seen.len() as f64;
            Some(HybridHindcastRow {
                target: kind.key().to_string(),
                points: seen.len(),
                engine_abs_error: seen.iter().map(|&(i, v)| (v - forecast.engine[i]).abs()).sum::<f64>() / n,
                hybrid_abs_error: seen.iter().map(|&(i, v)| (v - forecast.mean(i)).abs()).sum::<f64>() / n,
                hybrid_inside: seen.iter().filter(|&&(i, v)| forecast.covers(i, v)).count(),
            })
        })
        .collect();
    (
        rows,
        "the learned residual added to the same twin's mean, on the reading nearest each of 1, 3, 6 and 12 months"
            .into(),
    )
}
