//! The learned part of the twin: a small transformer over the patient's observation and
//! treatment sequence ([`features`]) that forecasts the residual between what the engine's
//! mechanistic projection says and the readings that follow (SBP, DBP, LDL-C and heart rate at
//! 1, 3, 6 and 12 months), as a mean and a variance. The hybrid forecast is the engine's mean
//! plus the learned residual, with the learned variance.
//!
//! Trained on synthetic patients only ([`train`]); the model card (`models/MODEL_CARD.md`) gives
//! its measured errors and limits. Decision support: no clinical accuracy is claimed.

pub mod eval;
pub mod features;
pub mod model;
pub mod sample;

use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use candle_core::{DType, Device, Tensor};
use candle_nn::{AdamW, Optimizer, ParamsAdamW, VarBuilder, VarMap};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use serde::{Deserialize, Serialize};

use features::{scale, Example, HORIZONS, N_FORECASTS, TARGETS};
use model::{Config, SeqModel};

/// The weights' file name in the models folder.
pub const WEIGHTS_FILE: &str = "ct-seq.safetensors";
/// The description's file name.
pub const META_FILE: &str = "ct-seq.json";

/// What went wrong with the model, in words a clinician's IT can act on.
#[derive(Debug, thiserror::Error)]
pub enum MlError {
    /// No weights where they should be.
    #[error(
        "no learned model at {0}: the app runs on the mechanistic model alone (train one with `cardiotwin train`)"
    )]
    Missing(String),
    /// Weights made for another build's features or shape.
    #[error("the learned model at {0} does not match this version's features ({1}): the app runs on the mechanistic model alone; retrain with `cardiotwin train`")]
    Mismatch(String, String),
    /// A file that could not be read or written.
    #[error("the learned model's file {0}: {1}")]
    Io(String, String),
    /// A numerical failure.
    #[error("the learned model failed: {0}")]
    Tensor(#[from] candle_core::Error),
    /// Nothing to train on.
    #[error("no training examples")]
    NoData,
}

/// How the weights were made, saved beside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelMeta {
    /// The model's shape.
    pub config: Config,
    /// Seed of initialisation and shuffling.
    pub seed: u64,
    /// Epochs run.
    pub epochs: usize,
    /// Training examples and patients.
    pub train_examples: usize,
    /// Patients behind them.
    pub train_patients: usize,
    /// Wall time, seconds.
    pub train_seconds: f64,
    /// Mean training loss per epoch (Gaussian negative log-likelihood, normalised units).
    pub loss_by_epoch: Vec<f64>,
    /// Held-out loss per epoch (empty without a held-out set).
    pub validation_loss_by_epoch: Vec<f64>,
    /// How the training data were made.
    pub data: String,
    /// Correlation of the held-out standardised errors between forecasts (target-major,
    /// row-major `N_FORECASTS²`), for sampling whole trajectories ([`sample`]); empty when
    /// there was no held-out set.
    #[serde(default)]
    pub residual_correlation: Vec<f64>,
}

/// Training settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainOptions {
    /// Seed of initialisation and shuffling.
    pub seed: u64,
    /// Passes over the data.
    pub epochs: usize,
    /// Examples per step.
    pub batch: usize,
    /// AdamW learning rate.
    pub learning_rate: f64,
}

impl TrainOptions {
    /// The shipped model's settings.
    pub fn standard(seed: u64) -> Self {
        Self { seed, epochs: 40, batch: 64, learning_rate: 2e-3 }
    }
}

/// One forecast: per target and horizon (target-major), the engine's mean, the learned
/// residual, and the hybrid's mean and SD.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// The engine's mean projection.
    pub engine: [f64; N_FORECASTS],
    /// What the model adds to it.
    pub residual: [f64; N_FORECASTS],
    /// SD of a reading around the hybrid mean.
    pub sd: [f64; N_FORECASTS],
}

impl Forecast {
    /// The hybrid mean of forecast `i`.
    pub fn mean(&self, i: usize) -> f64 {
        self.engine[i] + self.residual[i]
    }

    /// The 5th and 95th percentiles of a reading for forecast `i`.
    pub fn interval90(&self, i: usize) -> (f64, f64) {
        let (mean, half) = (self.mean(i), eval::Z90 * self.sd[i]);
        (mean - half, mean + half)
    }

    /// Whether `reading` falls inside the 90% interval of forecast `i`.
    pub fn covers(&self, i: usize, reading: f64) -> bool {
        (reading - self.mean(i)).abs() <= eval::Z90 * self.sd[i]
    }
}

/// A loaded or trained model.
pub struct LearnedModel {
    model: SeqModel,
    vars: VarMap,
    meta: ModelMeta,
    /// Cholesky factor of `meta.residual_correlation`, when it has one.
    chol: Option<Vec<f64>>,
}

impl std::fmt::Debug for LearnedModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LearnedModel").field("meta", &self.meta).finish_non_exhaustive()
    }
}

/// The device the model runs on: with the `cuda` feature, NVIDIA device 0 when one is present
/// (`CARDIOTWIN_ML_DEVICE=cpu` keeps it on the CPU); otherwise the CPU.
pub fn device() -> &'static Device {
    static DEVICE: OnceLock<Device> = OnceLock::new();
    DEVICE.get_or_init(|| {
        #[cfg(feature = "cuda")]
        if std::env::var("CARDIOTWIN_ML_DEVICE").as_deref() != Ok("cpu") {
            if let Ok(cuda) = Device::new_cuda(0) {
                return cuda;
            }
        }
        Device::Cpu
    })
}

/// [`device`] in words.
pub fn device_name() -> &'static str {
    if device().is_cuda() {
        "CUDA device 0"
    } else {
        "CPU"
    }
}

/// Fills every tensor with seeded values: weights N(0, 1/fan-in), norms' weights 1, biases 0.
/// (candle cannot seed its CPU generator, so initialisation is done here.)
fn seeded_init(vars: &VarMap, seed: u64) -> Result<(), MlError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let data = vars.data().lock().map_err(|_| MlError::Io("weights".into(), "lock poisoned".into()))?;
    let mut names: Vec<&String> = data.keys().collect();
    names.sort();
    for name in names {
        let var = &data[name];
        let dims = var.dims().to_vec();
        let n: usize = dims.iter().product();
        let values: Vec<f32> = if name.ends_with("weight") && dims.len() == 2 {
            let normal = Normal::new(0.0, (1.0 / dims[1] as f64).sqrt())
                .map_err(|e| MlError::Io(name.clone(), e.to_string()))?;
            (0..n).map(|_| normal.sample(&mut rng) as f32).collect()
        } else if name.ends_with("weight") {
            vec![1.0; n]
        } else {
            vec![0.0; n]
        };
        var.set(&Tensor::from_vec(values, dims, device())?)?;
    }
    Ok(())
}

/// Gaussian negative log-likelihood of the observed residuals, over those present.
fn loss(mean: &Tensor, log_var: &Tensor, target: &Tensor, present: &Tensor) -> candle_core::Result<Tensor> {
    let err = (target - mean)?.sqr()?;
    let nll = ((log_var + (err / log_var.exp()?)?)? * 0.5)?;
    let total = (nll * present)?.sum_all()?;
    total / present.sum_all()?.to_scalar::<f32>()?.max(1.0) as f64
}

fn targets(examples: &[&Example]) -> candle_core::Result<(Tensor, Tensor)> {
    let mut y = Vec::with_capacity(examples.len() * N_FORECASTS);
    let mut present = Vec::with_capacity(examples.len() * N_FORECASTS);
    for e in examples {
        for i in 0..N_FORECASTS {
            let r = e.residual(i);
            y.push(r.unwrap_or(0.0) as f32);
            present.push(f32::from(u8::from(r.is_some())));
        }
    }
    let shape = (examples.len(), N_FORECASTS);
    Ok((Tensor::from_vec(y, shape, device())?, Tensor::from_vec(present, shape, device())?))
}

impl LearnedModel {
    /// Loads the model in `dir`.
    ///
    /// # Errors
    /// [`MlError::Missing`] without the files; [`MlError::Mismatch`] when they were made for
    /// other features or another shape.
    pub fn load(dir: &Path) -> Result<Self, MlError> {
        let (weights, meta_path) = (dir.join(WEIGHTS_FILE), dir.join(META_FILE));
        if !weights.exists() || !meta_path.exists() {
            return Err(MlError::Missing(dir.display().to_string()));
        }
        let text = std::fs::read_to_string(&meta_path)
            .map_err(|e| MlError::Io(meta_path.display().to_string(), e.to_string()))?;
        let meta: ModelMeta = serde_json::from_str(&text)
            .map_err(|e| MlError::Mismatch(meta_path.display().to_string(), format!("unreadable description: {e}")))?;
        if !meta.config.fits_this_build() {
            return Err(MlError::Mismatch(
                weights.display().to_string(),
                "token width, length or outputs differ".into(),
            ));
        }
        let mut vars = VarMap::new();
        let model = SeqModel::new(meta.config.clone(), VarBuilder::from_varmap(&vars, DType::F32, device()))?;
        vars.load(&weights).map_err(|e| MlError::Mismatch(weights.display().to_string(), e.to_string()))?;
        let chol = sample::cholesky(&meta.residual_correlation, N_FORECASTS);
        Ok(Self { model, vars, meta, chol })
    }

    /// Writes the weights and their description into `dir`.
    ///
    /// # Errors
    /// [`MlError::Io`] when the folder cannot be written.
    pub fn save(&self, dir: &Path) -> Result<(), MlError> {
        std::fs::create_dir_all(dir).map_err(|e| MlError::Io(dir.display().to_string(), e.to_string()))?;
        self.vars.save(dir.join(WEIGHTS_FILE)).map_err(|e| MlError::Io(WEIGHTS_FILE.into(), e.to_string()))?;
        let text =
            serde_json::to_string_pretty(&self.meta).map_err(|e| MlError::Io(META_FILE.into(), e.to_string()))?;
        std::fs::write(dir.join(META_FILE), text + "\n").map_err(|e| MlError::Io(META_FILE.into(), e.to_string()))
    }

    /// How it was made.
    pub fn meta(&self) -> &ModelMeta {
        &self.meta
    }

    /// `count` trajectories sampled around `forecast` with the held-out error correlation,
    /// seeded; `None` when the model has no correlation (trained without a held-out set).
    pub fn sample_paths(&self, forecast: &Forecast, count: usize, seed: u64) -> Option<Vec<[f64; N_FORECASTS]>> {
        self.chol.as_deref().map(|l| sample::paths(forecast, l, count, seed))
    }

    /// Estimates the error correlation on `held` (examples not trained on) and keeps it.
    ///
    /// # Errors
    /// Tensor failures.
    pub fn fit_correlation(&mut self, held: &[Example]) -> Result<(), MlError> {
        let refs: Vec<&Example> = held.iter().collect();
        let forecasts = self.predict(&refs)?;
        let pairs: Vec<_> = forecasts.into_iter().zip(held).map(|(f, e)| (f, e.observed)).collect();
        self.meta.residual_correlation = if pairs.is_empty() { Vec::new() } else { sample::correlation(&pairs) };
        self.chol = sample::cholesky(&self.meta.residual_correlation, N_FORECASTS);
        Ok(())
    }

    /// Forecasts for `examples`, in order.
    ///
    /// # Errors
    /// Tensor failures.
    pub fn predict(&self, examples: &[&Example]) -> Result<Vec<Forecast>, MlError> {
        let mut out = Vec::with_capacity(examples.len());
        for chunk in examples.chunks(256) {
            let (tokens, valid) = model::batch(chunk, device())?;
            let (mean, log_var) = self.model.forward(&tokens, &valid)?;
            let (mean, log_var) = (mean.to_vec2::<f32>()?, log_var.to_vec2::<f32>()?);
            for ((e, m), v) in chunk.iter().zip(mean).zip(log_var) {
                let mut f = Forecast { engine: e.engine, residual: [0.0; N_FORECASTS], sd: [0.0; N_FORECASTS] };
                for i in 0..N_FORECASTS {
                    f.residual[i] = f64::from(m[i]) * scale(i);
                    f.sd[i] = (f64::from(v[i]) / 2.0).exp() * scale(i);
                }
                out.push(f);
            }
        }
        Ok(out)
    }
}

/// Mean loss over `examples` (no gradient).
fn mean_loss(model: &SeqModel, examples: &[&Example]) -> Result<f64, MlError> {
    let (mut sum, mut n) = (0.0, 0usize);
    for chunk in examples.chunks(256) {
        let (tokens, valid) = model::batch(chunk, device())?;
        let (y, present) = targets(chunk)?;
        let (mean, log_var) = model.forward(&tokens, &valid)?;
        let k = present.sum_all()?.to_scalar::<f32>()? as usize;
        sum += f64::from(loss(&mean, &log_var, &y, &present)?.to_scalar::<f32>()?) * k as f64;
        n += k;
    }
    Ok(if n == 0 { f64::NAN } else { sum / n as f64 })
}

/// Trains a model on `train`, reporting the held-out loss on `validation` each epoch (and each
/// finished epoch to `on_epoch`: its number, training loss, held-out loss).
/// `patients` and `data` describe the training set for the model's description.
///
/// # Errors
/// [`MlError::NoData`] without examples; tensor failures.
pub fn train(
    train: &[Example],
    validation: &[Example],
    options: TrainOptions,
    patients: usize,
    data: &str,
    on_epoch: &mut dyn FnMut(usize, f64, Option<f64>),
) -> Result<LearnedModel, MlError> {
    if train.is_empty() {
        return Err(MlError::NoData);
    }
    let started = Instant::now();
    let config = Config::standard();
    let vars = VarMap::new();
    let model = SeqModel::new(config.clone(), VarBuilder::from_varmap(&vars, DType::F32, device()))?;
    seeded_init(&vars, options.seed)?;
    let mut optimiser = AdamW::new(
        vars.all_vars(),
        ParamsAdamW { lr: options.learning_rate, weight_decay: 1e-4, ..ParamsAdamW::default() },
    )?;
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed ^ 0x5EED);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let held: Vec<&Example> = validation.iter().collect();
    let (mut loss_by_epoch, mut validation_loss_by_epoch) = (Vec::new(), Vec::new());
    for _ in 0..options.epochs {
        order.shuffle(&mut rng);
        let (mut sum, mut steps) = (0.0, 0usize);
        for chunk in order.chunks(options.batch) {
            let batch: Vec<&Example> = chunk.iter().map(|&i| &train[i]).collect();
            let (tokens, valid) = model::batch(&batch, device())?;
            let (y, present) = targets(&batch)?;
            let (mean, log_var) = model.forward(&tokens, &valid)?;
            let l = loss(&mean, &log_var, &y, &present)?;
            optimiser.backward_step(&l)?;
            sum += f64::from(l.to_scalar::<f32>()?);
            steps += 1;
        }
        loss_by_epoch.push(sum / steps.max(1) as f64);
        if !held.is_empty() {
            // NaN when no held-out example has a reading; JSON has no NaN, so it is left out.
            validation_loss_by_epoch.extend(Some(mean_loss(&model, &held)?).filter(|l| l.is_finite()));
        }
        let epoch = loss_by_epoch.len();
        on_epoch(epoch, loss_by_epoch[epoch - 1], validation_loss_by_epoch.get(epoch - 1).copied());
    }
    let meta = ModelMeta {
        config,
        seed: options.seed,
        epochs: options.epochs,
        train_examples: train.len(),
        train_patients: patients,
        train_seconds: started.elapsed().as_secs_f64(),
        loss_by_epoch,
        validation_loss_by_epoch,
        data: data.to_string(),
        residual_correlation: Vec::new(),
    };
    let mut learned = LearnedModel { model, vars, meta, chol: None };
    learned.fit_correlation(validation)?;
    Ok(learned)
}

/// Labels of the forecasts, target-major ("sbp at 6 months").
pub fn forecast_labels() -> Vec<(String, u32)> {
    TARGETS.iter().flat_map(|(k, _)| HORIZONS.iter().map(move |h| (k.key().to_string(), *h))).collect()
}
