//! Criterion benches of the engine's hot paths. Targets (from the issue tracker): calibration
//! < 50 ms per patient; one scenario of 1000 members × 120 months < 20 ms on 2 cores.
//! Run: `cargo bench -p twin-engine`. Figures go in docs/BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion};

use twin_engine::drugs::{DoseLevel, DrugClass};
use twin_engine::heart::calibrate::{calibrate, population_cardiac_output, Targets};
use twin_engine::heart::{simulate, HeartParams, SolverConfig};
use twin_engine::progression::response::Belief;
use twin_engine::progression::scenario::Scenario;
use twin_engine::progression::{run_ensemble, summarise, Baseline, CurrentDrug, EnsembleConfig, Spread};
use twin_engine::record::Sex;
use twin_engine::risk::{pce, prevent, score2, Race, Region, RiskInputs};

fn baseline() -> Baseline {
    Baseline {
        age: 60.0,
        female: false,
        sbp: (158.0, 4.0),
        dbp: (94.0, 2.5),
        heart_rate: 74.0,
        ldl: (3.6, 0.2),
        hdl: 1.2,
        weight: 90.0,
        egfr: Some(80.0),
        lvef: 60.0,
        ef_per_log_map: -20.0,
        ef_per_log_compliance: 5.0,
        ef_per_log_heart_rate: -2.0,
        stroke_volume: 70.0,
        sv_per_log_map: -30.0,
        sv_per_log_compliance: 6.0,
        sv_per_log_heart_rate: -25.0,
        smoker: true,
        smoking_log_hr: 0.44,
        current_drugs: vec![CurrentDrug { class: DrugClass::AceInhibitor, dose: DoseLevel::Standard, adherence: 1.0 }],
        bp_response: Belief::prior(),
        ldl_response: Belief::prior(),
        annual_hazard: vec![0.015; 11],
        heart_failure: None,
        spread: Spread::NONE,
    }
}

fn benches(c: &mut Criterion) {
    c.bench_function("heart: one steady-state solve (reference adult)", |b| {
        b.iter(|| simulate(&HeartParams::reference_adult(), &SolverConfig::default(), None))
    });
    let hypertensive = Targets {
        heart_rate: 76.0,
        sbp: (162.0, 4.6),
        dbp: (98.0, 2.9),
        ef: None,
        edv: None,
        cardiac_output: Some(population_cardiac_output(1.9, false)),
    };
    let hfref = Targets {
        heart_rate: 72.0,
        sbp: (112.0, 4.6),
        dbp: (70.0, 2.9),
        ef: Some((33.0, 5.0)),
        edv: None,
        cardiac_output: Some(population_cardiac_output(1.9, true)),
    };
    c.bench_function("calibrate: hypertension, BP only", |b| b.iter(|| calibrate(&hypertensive)));
    c.bench_function("calibrate: HFrEF, BP + EF", |b| b.iter(|| calibrate(&hfref)));
    let b0 = baseline();
    let config = EnsembleConfig { months: 120, members: 1000, seed: 1 };
    c.bench_function("ensemble: 1000 members x 120 months", |b| {
        b.iter(|| run_ensemble(&b0, &Scenario::current_treatment(), &config))
    });
    let ensemble = run_ensemble(&b0, &Scenario::current_treatment(), &config);
    c.bench_function("ensemble: bands of 11 outputs x 121 months", |b| b.iter(|| summarise(&ensemble)));
    let x = RiskInputs {
        age: 55.0,
        sex: Sex::Female,
        race: Some(Race::White),
        total_cholesterol: 5.5,
        hdl_cholesterol: 1.3,
        sbp: 130.0,
        bp_treated: false,
        smoker: false,
        diabetes: false,
        egfr: Some(90.0),
        bmi: Some(27.0),
        statin: Some(false),
        region: Some(Region::Moderate),
        hba1c: None,
        uacr: None,
        sdi_decile: None,
        crp: None,
        ascvd: None,
        diabetes_onset_age: None,
    };
    c.bench_function("risk: PCE + PREVENT CVD + SCORE2, one patient", |b| {
        b.iter(|| {
            (
                pce::ascvd_10y(&x).risk,
                prevent::risk(&x, prevent::Outcome::Cvd, prevent::Horizon::TenYears).risk,
                score2::cvd_10y(&x).risk,
            )
        })
    });
}

criterion_group! {
    name = engine;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = benches
}
criterion_main!(engine);
