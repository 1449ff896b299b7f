//! The shipped learned model (`models/`): it loads, and it beats carrying the last reading
//! forward on held-out synthetic patients; and the model card's figures on Synthea lifetimes.

use std::path::{Path, PathBuf};

use twin_devtools::ml;

fn models() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
}

#[test]
fn the_shipped_model_beats_the_last_value_on_held_out_patients() {
    let reports = ml::evaluate(&models(), true, None).expect("the shipped model loads");
    let held = &reports[0];
    assert!(held.examples >= 12, "{} examples", held.examples);
    // Pooled over targets and horizons, each RMSE in units of its target's scale.
    let pooled = |pick: fn(&twin_ml::eval::ErrorRow) -> f64| {
        let rows: Vec<_> = held.errors.iter().filter(|e| e.n > 0).collect();
        let scale = |t: &str| match t {
            "sbp" => 20.0,
            "dbp" => 12.0,
            "ldl_cholesterol" => 1.0,
            _ => 12.0,
        };
        rows.iter().map(|e| (pick(e) / scale(&e.target)).powi(2) * e.n as f64).sum::<f64>()
            / rows.iter().map(|e| e.n as f64).sum::<f64>()
    };
    let (last, hybrid) = (pooled(|e| e.rmse_last_value), pooled(|e| e.rmse_hybrid));
    assert!(hybrid < last, "hybrid {hybrid:.4} against last value {last:.4}");
}

/// The model card's second table on records nobody here wrote: the Synthea lifetimes that
/// `scripts/test` generates (`CARDIOTWIN_SYNTHEA_BUNDLES`) go through harmonisation, the twin
/// and the model, and the figures come out (printed, not judged: the card reports that the
/// hybrid does worse than the engine there).
#[test]
fn the_model_is_evaluated_on_synthea_lifetimes() {
    let Some(dir) = std::env::var_os("CARDIOTWIN_SYNTHEA_BUNDLES").map(PathBuf::from) else {
        assert!(std::env::var_os("CARDIOTWIN_REQUIRE_SERVERS").is_none(), "CARDIOTWIN_SYNTHEA_BUNDLES is not set");
        return;
    };
    let reports = ml::evaluate(&models(), true, Some(&dir)).expect("the shipped model loads");
    let synthea = reports.last().expect("reports");
    assert!(synthea.data.starts_with("FHIR bundles"), "{}", synthea.data);
    assert!(synthea.examples > 0, "no Synthea record made an example");
    let rows: Vec<_> = synthea.errors.iter().filter(|e| e.n > 0).collect();
    assert!(!rows.is_empty());
    for e in rows {
        assert!(e.rmse_engine.is_finite() && e.rmse_hybrid.is_finite() && e.rmse_last_value.is_finite(), "{e:?}");
        eprintln!(
            "synthea {} at {} months (n {}): last value {:.2}, engine {:.2}, hybrid {:.2}",
            e.target, e.horizon_months, e.n, e.rmse_last_value, e.rmse_engine, e.rmse_hybrid
        );
    }
}
