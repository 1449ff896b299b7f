//! The model's contract: shapes, determinism for a seed, training lowers the loss, weights
//! round-trip through safetensors, and wrong or missing files are refused in words.

use candle_core::{DType, Device};
use candle_nn::{VarBuilder, VarMap};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use twin_ml::features::{Example, MAX_TOKENS, N_FORECASTS, TOKEN_WIDTH};
use twin_ml::model::{batch, Config, SeqModel};
use twin_ml::{train, LearnedModel, MlError, TrainOptions};

/// Examples whose residual depends on their tokens (a learnable signal), with some targets
/// missing, as real records have.
fn examples(n: usize, seed: u64) -> Vec<Example> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let len = rng.random_range(4..MAX_TOKENS);
            let tokens: Vec<f32> = (0..len * TOKEN_WIDTH).map(|_| rng.random_range(-1.0..1.0)).collect();
            let signal: f64 = tokens.iter().step_by(TOKEN_WIDTH).map(|v| f64::from(*v)).sum::<f64>() / len as f64;
            let mut observed = [None; N_FORECASTS];
            for (i, o) in observed.iter_mut().enumerate() {
                if rng.random_bool(0.7) {
                    *o = Some(140.0 + 20.0 * (3.0 * signal + 0.1 * i as f64) + rng.random_range(-2.0..2.0));
                }
            }
            Example { tokens, len, engine: [140.0; N_FORECASTS], last: [140.0; 4], observed, sex: None, age: 60.0 }
        })
        .collect()
}

#[test]
fn forward_gives_a_mean_and_variance_per_forecast() {
    let vars = VarMap::new();
    let model = SeqModel::new(Config::standard(), VarBuilder::from_varmap(&vars, DType::F32, &Device::Cpu)).unwrap();
    let data = examples(3, 1);
    let refs: Vec<&Example> = data.iter().collect();
    let (tokens, valid) = batch(&refs, &Device::Cpu).unwrap();
    assert_eq!(tokens.dims(), &[3, MAX_TOKENS, TOKEN_WIDTH]);
    let (mean, log_var) = model.forward(&tokens, &valid).unwrap();
    assert_eq!(mean.dims(), &[3, N_FORECASTS]);
    assert_eq!(log_var.dims(), &[3, N_FORECASTS]);
}

fn quick(seed: u64) -> TrainOptions {
    TrainOptions { seed, epochs: 4, batch: 32, learning_rate: 3e-3 }
}

#[test]
fn training_lowers_the_loss_and_is_the_same_for_a_seed() {
    let (train_set, held) = (examples(160, 2), examples(48, 3));
    let a = train(&train_set, &held, quick(7), 160, "test", &mut |_, _, _| {}).unwrap();
    let losses = &a.meta().loss_by_epoch;
    assert!(losses.last().unwrap() < &(losses[0] * 0.8), "{losses:?}");
    let held_losses = &a.meta().validation_loss_by_epoch;
    assert!(held_losses.last().unwrap() < &held_losses[0], "{held_losses:?}");
    let b = train(&train_set, &held, quick(7), 160, "test", &mut |_, _, _| {}).unwrap();
    assert_eq!(a.meta().loss_by_epoch, b.meta().loss_by_epoch, "the same seed gives the same run");
    let refs: Vec<&Example> = held.iter().collect();
    assert_eq!(a.predict(&refs).unwrap(), b.predict(&refs).unwrap());
    let c = train(&train_set, &held, TrainOptions { epochs: 1, ..quick(8) }, 160, "test", &mut |_, _, _| {}).unwrap();
    assert_ne!(a.meta().loss_by_epoch[0], c.meta().loss_by_epoch[0], "another seed, another run");

    // Sampled trajectories: the held-out errors' correlation joins the horizons into paths.
    let r = &a.meta().residual_correlation;
    assert_eq!(r.len(), N_FORECASTS * N_FORECASTS);
    assert!((0..N_FORECASTS).all(|i| r[i * N_FORECASTS + i] == 1.0));
    assert!(r.iter().all(|c| (-1.0..=1.0).contains(c)));
    let forecast = a.predict(&refs[..1]).unwrap().remove(0);
    let paths = a.sample_paths(&forecast, 20, 1).expect("a model trained with a held-out set samples paths");
    assert_eq!(paths.len(), 20);
    assert!(paths.iter().flatten().all(|v| v.is_finite()));
    assert_eq!(Some(paths), b.sample_paths(&forecast, 20, 1), "seeded");
}

#[test]
fn weights_round_trip_and_bad_files_are_refused() {
    let data = examples(32, 4);
    let model = train(&data, &[], TrainOptions { epochs: 1, ..quick(1) }, 32, "test", &mut |_, _, _| {}).unwrap();
    let dir = tempfile::tempdir().unwrap();
    model.save(dir.path()).unwrap();
    let loaded = LearnedModel::load(dir.path()).unwrap();
    let refs: Vec<&Example> = data.iter().collect();
    assert_eq!(model.predict(&refs).unwrap(), loaded.predict(&refs).unwrap());
    let forecast = loaded.predict(&refs[..1]).unwrap().remove(0);
    assert!(loaded.sample_paths(&forecast, 5, 1).is_none(), "no held-out set, no error correlation, no paths");

    let empty = tempfile::tempdir().unwrap();
    let missing = LearnedModel::load(empty.path()).unwrap_err();
    assert!(matches!(missing, MlError::Missing(_)));
    assert!(missing.to_string().contains("mechanistic model alone"));

    // A description made for other features.
    let meta = std::fs::read_to_string(dir.path().join(twin_ml::META_FILE)).unwrap();
    std::fs::write(
        dir.path().join(twin_ml::META_FILE),
        meta.replace(&format!("\"tokenWidth\": {TOKEN_WIDTH}"), "\"tokenWidth\": 7"),
    )
    .unwrap();
    assert!(matches!(LearnedModel::load(dir.path()).unwrap_err(), MlError::Mismatch(..)));

    // Weights of another shape.
    std::fs::write(dir.path().join(twin_ml::META_FILE), meta.replace("\"dModel\": 48", "\"dModel\": 32")).unwrap();
    let e = LearnedModel::load(dir.path()).unwrap_err();
    assert!(matches!(e, MlError::Mismatch(..)), "{e}");
}
