//! Whole sampled trajectories from a forecast: the model gives a mean and an SD per target and
//! horizon, and these join them into paths with the correlation its errors had on held-out
//! patients (a reading above the mean at 3 months tends to be above it at 6). Without that
//! correlation, independent draws per horizon would zig-zag in a way no patient does.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::features::N_FORECASTS;
use crate::Forecast;

/// Pairs of forecasts seen together fewer times than this get correlation 0 (too few to estimate).
const MIN_PAIRS: usize = 30;

/// Shrinkage toward the identity tried in turn until the matrix is positive definite (pairwise
/// estimates need not be).
const SHRINKAGE_STEP: f64 = 0.05;

/// The correlation between forecasts' standardised errors, `(reading − mean) ÷ SD`, over
/// `pairs` of (forecast, readings): Pearson per pair of forecasts over the examples where both
/// have a reading, shrunk toward the identity until positive definite. Row-major,
/// `N_FORECASTS × N_FORECASTS`.
pub fn correlation(pairs: &[(Forecast, [Option<f64>; N_FORECASTS])]) -> Vec<f64> {
    let z: Vec<[Option<f64>; N_FORECASTS]> = pairs
        .iter()
        .map(|(f, observed)| {
            std::array::from_fn(|i| observed[i].map(|v| (v - f.mean(i)) / f.sd[i]).filter(|z| z.is_finite()))
        })
        .collect();
    let n = N_FORECASTS;
    let mut r = vec![0.0; n * n];
    for i in 0..n {
        r[i * n + i] = 1.0;
        for j in 0..i {
            let both: Vec<(f64, f64)> = z.iter().filter_map(|row| Some((row[i]?, row[j]?))).collect();
            let c = if both.len() < MIN_PAIRS { 0.0 } else { pearson(&both) };
            r[i * n + j] = c;
            r[j * n + i] = c;
        }
    }
    let mut lambda = 0.0;
    loop {
        let shrunk: Vec<f64> =
            r.iter().enumerate().map(|(k, &c)| if k / n == k % n { 1.0 } else { (1.0 - lambda) * c }).collect();
        if cholesky(&shrunk, n).is_some() || lambda >= 1.0 {
            return shrunk;
        }
        lambda += SHRINKAGE_STEP;
    }
}

fn pearson(xy: &[(f64, f64)]) -> f64 {
    let n = xy.len() as f64;
    let (mx, my) = (xy.iter().map(|p| p.0).sum::<f64>() / n, xy.iter().map(|p| p.1).sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xy {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx).powi(2);
        syy += (y - my).powi(2);
    }
    let c = sxy / (sxx * syy).sqrt();
    if c.is_finite() {
        c.clamp(-1.0, 1.0)
    } else {
        0.0
    }
}

/// The lower Cholesky factor of the symmetric `n × n` matrix `a` (row-major); `None` when it is
/// not positive definite.
pub fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    if a.len() != n * n {
        return None;
    }
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            if i == j {
                let d = a[i * n + i] - s;
                if d <= 1e-9 || !d.is_finite() {
                    return None;
                }
                l[i * n + j] = d.sqrt();
            } else {
                l[i * n + j] = (a[i * n + j] - s) / l[j * n + j];
            }
        }
    }
    Some(l)
}

/// `count` sampled trajectories around `forecast`: mean + SD × (L z) with `L` the Cholesky factor
/// of the error correlation and `z` standard normal, seeded. Each path is target-major, like the
/// forecast.
pub fn paths(forecast: &Forecast, chol: &[f64], count: usize, seed: u64) -> Vec<[f64; N_FORECASTS]> {
    let n = N_FORECASTS;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count)
        .map(|_| {
            let z: [f64; N_FORECASTS] = std::array::from_fn(|_| StandardNormal.sample(&mut rng));
            std::array::from_fn(|i| {
                let correlated: f64 = (0..=i).map(|k| chol[i * n + k] * z[k]).sum();
                forecast.mean(i) + forecast.sd[i] * correlated
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_reproduces_the_matrix_and_refuses_an_indefinite_one() {
        let a = [4.0, 2.0, 0.6, 2.0, 2.0, 0.5, 0.6, 0.5, 3.0];
        let l = cholesky(&a, 3).expect("positive definite");
        for i in 0..3 {
            for j in 0..3 {
                let back: f64 = (0..3).map(|k| l[i * 3 + k] * l[j * 3 + k]).sum();
                assert!((back - a[i * 3 + j]).abs() < 1e-12);
            }
        }
        assert!(cholesky(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
    }

    #[test]
    fn sampled_paths_have_the_forecast_mean_sd_and_correlation() {
        let forecast = Forecast {
            engine: std::array::from_fn(|i| 100.0 + i as f64),
            residual: [1.0; N_FORECASTS],
            sd: std::array::from_fn(|i| 1.0 + i as f64 / 10.0),
        };
        let n = N_FORECASTS;
        let mut r = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                r[i * n + j] = if i == j { 1.0 } else { 0.6 };
            }
        }
        let chol = cholesky(&r, n).expect("positive definite");
        let draws = paths(&forecast, &chol, 20_000, 3);
        let (a, b) = (2, 3);
        let count = draws.len() as f64;
        let mean: [f64; N_FORECASTS] = std::array::from_fn(|i| draws.iter().map(|p| p[i]).sum::<f64>() / count);
        let sd: [f64; N_FORECASTS] =
            std::array::from_fn(|i| (draws.iter().map(|p| (p[i] - mean[i]).powi(2)).sum::<f64>() / count).sqrt());
        assert!((mean[a] - forecast.mean(a)).abs() < 0.05);
        assert!((sd[b] / forecast.sd[b] - 1.0).abs() < 0.03);
        let cov = draws.iter().map(|p| (p[a] - mean[a]) * (p[b] - mean[b])).sum::<f64>() / count;
        assert!((cov / (sd[a] * sd[b]) - 0.6).abs() < 0.03);
        assert_eq!(paths(&forecast, &chol, 5, 3), paths(&forecast, &chol, 5, 3), "seeded");
    }

    #[test]
    fn pairwise_estimates_are_made_positive_definite() {
        // Readings that never coincide leave every correlation at 0: the identity.
        let f = Forecast { engine: [0.0; N_FORECASTS], residual: [0.0; N_FORECASTS], sd: [1.0; N_FORECASTS] };
        let pairs: Vec<_> = (0..100)
            .map(|k| {
                let mut obs = [None; N_FORECASTS];
                obs[k % N_FORECASTS] = Some(k as f64 / 50.0 - 1.0);
                (f.clone(), obs)
            })
            .collect();
        let r = correlation(&pairs);
        assert!(cholesky(&r, N_FORECASTS).is_some());
        assert!(r.iter().enumerate().all(|(k, &c)| if k / N_FORECASTS == k % N_FORECASTS {
            c == 1.0
        } else {
            c == 0.0
        }));
    }
}
