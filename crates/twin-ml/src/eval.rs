//! The model card's figures: on held-out patients, RMSE per target and horizon for the learned
//! hybrid against two baselines (the last reading carried forward; the engine alone), the
//! hybrid's 90% interval coverage, and an "SBP ≥ 160 mmHg within 6 months" alert's sensitivity
//! and specificity, overall, by sex and by age band.

use serde::Serialize;
use twin_engine::record::Sex;

use crate::features::{Example, HORIZONS, N_FORECASTS, TARGETS};
use crate::{LearnedModel, MlError};

/// z of a two-sided 90% normal interval.
pub const Z90: f64 = 1.644_854;
/// The alert's threshold, mmHg (ESC 2024 grade 2 hypertension starts at 160).
pub const ALERT_SBP: f64 = 160.0;

/// One target at one horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorRow {
    /// Target (`sbp`, `dbp`, `ldl_cholesterol`, `heart_rate`).
    pub target: String,
    /// Months after the cut.
    pub horizon_months: u32,
    /// Held-out readings.
    pub n: usize,
    /// RMSE of the last reading carried forward.
    pub rmse_last_value: f64,
    /// RMSE of the engine's mean projection.
    pub rmse_engine: f64,
    /// RMSE of the hybrid (engine + learned residual).
    pub rmse_hybrid: f64,
    /// Share of readings inside the hybrid's 90% interval.
    pub coverage90: f64,
}

/// The alert in one group of patients.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertRow {
    /// Who.
    pub group: String,
    /// Examples with a reading in the 6 months.
    pub n: usize,
    /// Of them, with a reading ≥ 160.
    pub positives: usize,
    /// Alerted among positives (None without positives).
    pub sensitivity: Option<f64>,
    /// Not alerted among negatives.
    pub specificity: Option<f64>,
}

/// Everything the model card reports for one evaluation set.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvalReport {
    /// Which data.
    pub data: String,
    /// Examples (patient × cut).
    pub examples: usize,
    /// Per target and horizon.
    pub errors: Vec<ErrorRow>,
    /// The SBP alert: predicted when the hybrid mean at 1, 3 or 6 months is ≥ 160; true when a
    /// reading at those horizons is.
    pub alert: Vec<AlertRow>,
}

/// Evaluates `model` on `examples` (`data` says what they are).
///
/// # Errors
/// Tensor failures.
pub fn evaluate(model: &LearnedModel, examples: &[Example], data: &str) -> Result<EvalReport, MlError> {
    let refs: Vec<&Example> = examples.iter().collect();
    // An empty group (a trait no held-out patient drew) is a report of zeros, not a tensor error.
    let forecasts = if refs.is_empty() { Vec::new() } else { model.predict(&refs)? };
    let mut errors = Vec::new();
    for i in 0..N_FORECASTS {
        let (t, h) = (i / HORIZONS.len(), i % HORIZONS.len());
        let (mut n, mut last, mut engine, mut hybrid, mut inside) = (0usize, 0.0, 0.0, 0.0, 0usize);
        for (e, f) in examples.iter().zip(&forecasts) {
            let Some(y) = e.observed[i] else { continue };
            n += 1;
            last += (y - e.last[t]).powi(2);
            engine += (y - f.engine[i]).powi(2);
            hybrid += (y - f.mean(i)).powi(2);
            inside += usize::from(f.covers(i, y));
        }
        let rmse = |s: f64| if n == 0 { f64::NAN } else { (s / n as f64).sqrt() };
        errors.push(ErrorRow {
            target: TARGETS[t].0.key().to_string(),
            horizon_months: HORIZONS[h],
            n,
            rmse_last_value: rmse(last),
            rmse_engine: rmse(engine),
            rmse_hybrid: rmse(hybrid),
            coverage90: if n == 0 { f64::NAN } else { inside as f64 / n as f64 },
        });
    }
    let within_six: Vec<usize> = (0..HORIZONS.len()).filter(|h| HORIZONS[*h] <= 6).collect();
    let cases: Vec<(&Example, bool, bool)> = examples
        .iter()
        .zip(&forecasts)
        .filter_map(|(e, f)| {
            let seen: Vec<f64> = within_six.iter().filter_map(|&h| e.observed[h]).collect();
            if seen.is_empty() {
                return None;
            }
            let truth = seen.iter().any(|v| *v >= ALERT_SBP);
            let alert = within_six.iter().any(|&h| f.mean(h) >= ALERT_SBP);
            Some((e, truth, alert))
        })
        .collect();
    let group = |name: &str, keep: &dyn Fn(&Example) -> bool| {
        let sub: Vec<_> = cases.iter().filter(|(e, _, _)| keep(e)).collect();
        let positives = sub.iter().filter(|c| c.1).count();
        let negatives = sub.len() - positives;
        let share = |k: usize, of: usize| (of > 0).then(|| k as f64 / of as f64);
        AlertRow {
            group: name.into(),
            n: sub.len(),
            positives,
            sensitivity: share(sub.iter().filter(|c| c.1 && c.2).count(), positives),
            specificity: share(sub.iter().filter(|c| !c.1 && !c.2).count(), negatives),
        }
    };
    let alert = vec![
        group("all", &|_| true),
        group("women", &|e| e.sex == Some(Sex::Female)),
        group("men", &|e| e.sex == Some(Sex::Male)),
        group("under 65", &|e| e.age < 65.0),
        group("65 and over", &|e| e.age >= 65.0),
    ];
    Ok(EvalReport { data: data.into(), examples: examples.len(), errors, alert })
}
