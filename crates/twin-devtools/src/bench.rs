//! `cardiotwin bench`: the engine's speed on this machine, against the targets in the issue
//! tracker, printed as ratios (target ÷ measured; ≥ 1 meets the target). Not a test: speed is
//! reported, never asserted.

use std::time::Instant;

use serde::Serialize;

use twin_engine::heart::calibrate::calibrate;
use twin_engine::progression::scenario::Scenario;
use twin_engine::progression::strategy::{Strategy, TargetRule, DEFAULT_BP_SEQUENCE};
use twin_engine::progression::{run_ensemble, summarise, EnsembleConfig};
use twin_engine::record::Sex;
use twin_engine::risk::{pce, prevent, score2, Race, Region, RiskInputs};

use twin_app::error::AppError;
use twin_app::patients::{wall_clock_today as today, PatientFolder};
use twin_app::risk::RecordOverrides;
use twin_app::simulate::baseline_from_record;

/// One measured figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BenchFigure {
    /// What was measured.
    pub name: String,
    /// Median time of the repetitions, ms.
    pub median_ms: f64,
    /// Target, ms.
    pub target_ms: f64,
    /// target ÷ measured (≥ 1 meets the target).
    pub ratio: f64,
    /// Repetitions.
    pub repetitions: usize,
}

/// All figures, with the machine they were measured on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BenchReport {
    /// Logical CPUs rayon used.
    pub threads: usize,
    /// Whether this binary was built with optimisations (debug figures are not comparable).
    pub optimised: bool,
    /// Figures.
    pub figures: Vec<BenchFigure>,
}

fn median_ms(repetitions: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..repetitions)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The patient the single-patient figures time: demo patient 01 (uncontrolled hypertension),
/// else the first.
fn reference_record(records: &[twin_engine::record::PatientRecord]) -> Option<&twin_engine::record::PatientRecord> {
    records.iter().find(|r| r.id == "ct-demo-01").or(records.first())
}

fn figure(name: &str, target_ms: f64, repetitions: usize, f: impl FnMut()) -> BenchFigure {
    let median_ms = median_ms(repetitions, f);
    BenchFigure { name: name.into(), median_ms, target_ms, ratio: target_ms / median_ms, repetitions }
}

/// A FHIR server and patient to time a fetch against.
#[derive(Debug, Clone)]
pub struct FetchTarget {
    /// FHIR base URL.
    pub fhir: String,
    /// Patient id.
    pub patient: String,
}

/// Runs the benchmarks on the demo cohort in `demo`, plus harmonisation of `harmonise_file`
/// (default: the largest demo bundle) and, when given, a fetch from a FHIR server.
///
/// # Errors
/// When the demo folder cannot be read, or the fetch target fails.
pub fn run(
    demo: &PatientFolder,
    harmonise_file: Option<&std::path::Path>,
    fetch: Option<&FetchTarget>,
) -> Result<BenchReport, AppError> {
    let records: Vec<_> = demo.open_all()?.0.into_iter().map(|h| h.record).collect();
    let targets: Vec<_> =
        records.iter().filter_map(|r| twin_engine::twin::calibration_targets(r).ok().map(|t| t.targets)).collect();
    let mut figures = Vec::new();
    let n_targets = targets.len().max(1) as f64;
    let mut calibration = figure("calibration per patient (demo cohort mean)", 50.0, 5, || {
        for t in &targets {
            std::hint::black_box(calibrate(t));
        }
    });
    calibration.median_ms /= n_targets;
    calibration.ratio = calibration.target_ms / calibration.median_ms;
    figures.push(calibration);

    if let Some(record) = reference_record(&records) {
        let (baseline, _, _) = baseline_from_record(record, today(), RecordOverrides::default(), 10)?;
        let config = EnsembleConfig { months: 120, members: 1000, seed: 1 };
        figures.push(figure("one scenario, 1000 members × 120 months (CPU)", 20.0, 20, || {
            std::hint::black_box(run_ensemble(&baseline, &Scenario::current_treatment(), &config));
        }));
        figures.push(figure("the same, with median and 5–95% bands of 12 outputs", 20.0, 20, || {
            let ensemble = run_ensemble(&baseline, &Scenario::current_treatment(), &config);
            std::hint::black_box(summarise(&ensemble));
        }));
        // A treat-to-target strategy (the risk issue: under twice the fixed regimen's time).
        let fixed = figure("fixed regimen, for the strategy's target", 1.0, 20, || {
            std::hint::black_box(run_ensemble(&baseline, &Scenario::current_treatment(), &config));
        });
        let strategy = Scenario {
            name: "SBP < 130, reviewed every 3 months".into(),
            interventions: Vec::new(),
            strategy: Some(Strategy {
                sbp: Some(TargetRule {
                    below: 130.0,
                    review_months: 3.0,
                    sequence: DEFAULT_BP_SEQUENCE.to_vec(),
                    ladder: Vec::new(),
                }),
                ldl: None,
            }),
        };
        figures.push(figure(
            "treat-to-target strategy, 1000 members × 120 months (target: 2 × the fixed regimen)",
            2.0 * fixed.median_ms,
            20,
            || {
                std::hint::black_box(run_ensemble(&baseline, &strategy, &config));
            },
        ));
    }

    // Heart-failure outcomes (the HF issue): MAGGIC per member and the therapy effects each
    // month, against the same 20 ms a projection of 1000 members × 120 months has.
    if let Some(record) = records.iter().find(|r| twin_engine::twin::has_heart_failure(r)) {
        let (baseline, _, _) = baseline_from_record(record, today(), RecordOverrides::default(), 10)?;
        if baseline.heart_failure.is_some() {
            let config = EnsembleConfig { months: 120, members: 1000, seed: 1 };
            figures.push(figure(
                &format!("heart-failure outcomes, 1000 members × 120 months (CPU, {})", record.id),
                20.0,
                20,
                || {
                    std::hint::black_box(run_ensemble(&baseline, &Scenario::current_treatment(), &config));
                },
            ));
        }
    }

    // The in-silico SPRINT (the risk issue: 9,361 participants, both arms, 39 months, < 5 s).
    let sprint = twin_app::demo::trials_dir().join("sprint.json");
    if sprint.exists() {
        figures.push(figure("in-silico SPRINT: 9,361 participants, 2 arms, 39 months", 5000.0, 3, || {
            std::hint::black_box(twin_app::trial::run_file(&sprint, None).ok());
        }));
    }

    // The learned model (the model issue: < 10 ms per patient forecast on CPU): the tokens built
    // from the record and one forward pass; the engine's twin it corrects is timed above.
    if let (Ok(model), Some(record)) =
        (twin_ml::LearnedModel::load(&twin_app::ml::default_models_dir()), reference_record(&records))
    {
        let scenario = Scenario::current_treatment();
        if let Some(mut example) = twin_ml::features::example(record, today(), &scenario) {
            figures.push(figure(
                &format!(
                    "learned model: one patient's forecast (tokens + forward pass + 20 sampled paths, {})",
                    twin_ml::device_name()
                ),
                10.0,
                50,
                || {
                    let (tokens, len) =
                        twin_ml::features::encode(record, today(), &scenario, record.demographics.sex, example.age);
                    example.tokens = tokens;
                    example.len = len;
                    let forecast = model.predict(&[&example]).ok().and_then(|mut f| f.pop());
                    std::hint::black_box(forecast.and_then(|f| model.sample_paths(&f, 20, 1)));
                },
            ));
        }
    }

    // The personal hindcast (our own target: under 1 s, so the first projection of a patient,
    // which computes it, is not held up): the twin rebuilt a year back, 400 members × 12 months,
    // and the learned model's hindcast.
    if let Some(record) = reference_record(&records) {
        figures.push(figure(
            "personal hindcast: one patient (twin a year back + ensemble + learned)",
            1000.0,
            5,
            || {
                std::hint::black_box(twin_app::hindcast::personal(record, today()));
            },
        ));
    }

    // The suggestion search (the suggestion issue: < 1 s per patient on 2 cores), default
    // settings, every demo patient; the slowest patient is the figure that must meet it.
    let twins: Vec<_> = records
        .iter()
        .filter_map(|r| twin_engine::twin::build(r, today(), RecordOverrides::default(), 10).ok().map(|t| (r, t)))
        .collect();
    let mut slowest: Option<BenchFigure> = None;
    let mut total_ms = 0.0;
    for (record, twin) in &twins {
        let f = figure(&format!("plan of care for {} (default search)", record.id), 1000.0, 3, || {
            let targets = twin_engine::suggest::targets_for(record, today(), &twin.risk_inputs);
            std::hint::black_box(twin_engine::suggest::plan::plan_care(
                record,
                today(),
                &twin.baseline,
                &twin.risk_inputs,
                targets,
                twin_engine::suggest::SearchConfig::default(),
            ));
        });
        total_ms += f.median_ms;
        if slowest.as_ref().is_none_or(|s| f.median_ms > s.median_ms) {
            slowest = Some(f);
        }
    }
    if let Some(mut f) = slowest {
        f.name = format!("plan of care, slowest demo patient ({})", f.name.trim_start_matches("plan of care for "));
        figures.push(f);
        let mean = total_ms / twins.len() as f64;
        figures.push(BenchFigure {
            name: "plan of care, demo cohort mean per patient".into(),
            median_ms: mean,
            target_ms: 1000.0,
            ratio: 1000.0 / mean,
            repetitions: 3,
        });
    }

    let people: Vec<RiskInputs> = (0..1_000_000)
        .map(|i| RiskInputs {
            age: 40.0 + f64::from(i % 40),
            sex: if i % 2 == 0 { Sex::Female } else { Sex::Male },
            race: Some(Race::White),
            total_cholesterol: 4.0 + f64::from(i % 30) / 10.0,
            hdl_cholesterol: 1.0 + f64::from(i % 10) / 10.0,
            sbp: 110.0 + f64::from(i % 60),
            bp_treated: i % 3 == 0,
            smoker: i % 5 == 0,
            diabetes: i % 7 == 0,
            egfr: Some(60.0 + f64::from(i % 40)),
            bmi: Some(22.0 + f64::from(i % 15)),
            statin: Some(i % 4 == 0),
            region: Some(Region::Moderate),
            hba1c: None,
            uacr: None,
            sdi_decile: None,
            crp: None,
            ascvd: None,
            diabetes_onset_age: None,
        })
        .collect();
    // No target is set by the tracker for this one; 1 s per million is ours.
    figures.push(figure("PCE + PREVENT CVD + SCORE2, per million patients", 1000.0, 3, || {
        use rayon::prelude::*;
        let sum: f64 = people
            .par_iter()
            .map(|x| {
                pce::ascvd_10y(x).risk.unwrap_or(0.0)
                    + prevent::risk(x, prevent::Outcome::Cvd, prevent::Horizon::TenYears).risk.unwrap_or(0.0)
                    + score2::cvd_10y(x).risk.unwrap_or(0.0)
            })
            .sum();
        std::hint::black_box(sum);
    }));
    let file = match harmonise_file {
        Some(f) => f.to_path_buf(),
        None => demo.largest_file()?,
    };
    let text = std::fs::read_to_string(&file).map_err(|e| AppError::io(&file, &e))?;
    let n_resources = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("entry").and_then(serde_json::Value::as_array).map(Vec::len))
        .unwrap_or(0);
    figures.push(figure(&format!("harmonise a bundle of {n_resources} resources (parse + map)"), 50.0, 10, || {
        std::hint::black_box(twin_fhir::harmonise_bundle_text(&text).ok());
    }));
    if let Some(target) = fetch {
        let runtime =
            tokio::runtime::Runtime::new().map_err(|e| AppError::new(twin_app::ErrorCode::Io, e.to_string()))?;
        let base =
            url::Url::parse(&target.fhir).map_err(|e| AppError::new(twin_app::ErrorCode::Validation, e.to_string()))?;
        let client = std::sync::Arc::new(
            twin_fhir::fetch::FhirClient::new(
                base,
                twin_fhir::fetch::Credentials::None,
                twin_fhir::fetch::FetchConfig::default(),
            )
            .map_err(|e| AppError::new(twin_app::ErrorCode::FhirUnavailable, e.to_string()))?,
        );
        let mut n_fetched = 0;
        let mut fetch_figure = figure("fetch + harmonise one patient from the FHIR server", 2000.0, 5, || {
            let fetched = runtime.block_on(client.fetch_patient(
                &target.patient,
                &twin_fhir::fetch::Cancel::default(),
                std::sync::Arc::new(|_| {}),
            ));
            n_fetched = fetched.resources.len();
            std::hint::black_box(twin_fhir::harmonise_resources(fetched.resources).ok());
        });
        fetch_figure.name = format!("fetch + harmonise one patient ({n_fetched} resources) from the FHIR server");
        figures.push(fetch_figure);
        figures.extend(incremental_fetch_figures(&runtime, target)?);
    }
    Ok(BenchReport { threads: rayon::current_num_threads(), optimised: !cfg!(debug_assertions), figures })
}

/// The patient held in a sealed store (in a scratch folder, keys in memory), then fetched again
/// as the workstation does it: only what changed (`_lastUpdated`), merged onto the record the
/// last fetch stored (held, as the session holds it), sealed, and today's twin rebuilt
/// (calibration included) from the merged record the fetch hands over. The server is only read: with nothing new on it, the figure is the cost
/// every later fetch of a patient carries.
fn incremental_fetch_figures(
    runtime: &tokio::runtime::Runtime,
    target: &FetchTarget,
) -> Result<Vec<BenchFigure>, AppError> {
    const REPETITIONS: usize = 7;
    let scratch = std::env::temp_dir().join(format!("cardiotwin-bench-incremental-{}", std::process::id()));
    let secrets = std::sync::Arc::new(twin_store::secrets::MemorySecrets::default());
    let store = twin_store::Store::open(&scratch, secrets)?;
    let request = twin_app::ehr::FetchRequest {
        fhir: &target.fhir,
        client_id: twin_app::ehr::DEFAULT_CLIENT_ID,
        token_file: None,
        patient: &target.patient,
        full: false,
    };
    // As the session does it: the record the last fetch stored is held and stands for the record
    // before the next fetch; today's twin is rebuilt with what the last one learned.
    let fetch = |held: Option<&twin_app::ehr::HeldRecord>| -> Result<twin_app::ehr::HeldRecord, AppError> {
        let outcome = runtime.block_on(twin_app::ehr::fetch_record(
            &store,
            request,
            held,
            std::sync::Arc::new(|_| {}),
            std::future::pending(),
            today(),
        ))?;
        let stored = outcome.stored.ok_or_else(|| {
            AppError::new(twin_app::ErrorCode::FhirUnavailable, "the fetch was incomplete, so nothing was stored")
        })?;
        Ok(twin_app::ehr::HeldRecord {
            harmonised: std::sync::Arc::new(stored.harmonised),
            fetched_at: stored.fetched_at,
        })
    };
    let result = (|| {
        let mut held = fetch(None)?;
        let mut learned = twin_engine::twin::build(&held.harmonised.record, today(), Default::default(), 10)?.learned;
        let (mut fetching, mut recalibrating, mut both) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..REPETITIONS {
            let start = Instant::now();
            held = fetch(Some(&held))?;
            let fetched = start.elapsed().as_secs_f64() * 1000.0;
            let (twin, _) =
                twin_engine::twin::rebuild(&held.harmonised.record, today(), Default::default(), 10, &learned)?;
            let total = start.elapsed().as_secs_f64() * 1000.0;
            learned = std::hint::black_box(twin).learned;
            fetching.push(fetched);
            recalibrating.push(total - fetched);
            both.push(total);
        }
        let median = |mut times: Vec<f64>| {
            times.sort_by(f64::total_cmp);
            times[times.len() / 2]
        };
        let row = |name: &str, target_ms: f64, times: Vec<f64>| {
            let median_ms = median(times);
            BenchFigure {
                name: name.into(),
                median_ms,
                target_ms,
                ratio: target_ms / median_ms,
                repetitions: REPETITIONS,
            }
        };
        Ok(vec![
            row("  of which: fetch only what changed (nothing new), merge onto the held record, seal", 300.0, fetching),
            row(
                "  of which: recalibrate (today's twin rebuilt from the merged record the fetch hands over)",
                300.0,
                recalibrating,
            ),
            row(
                "incremental fetch (nothing new) + merge + seal + recalibrate one held patient from the FHIR server",
                300.0,
                both,
            ),
        ])
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// One executor's time on a heatmap.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeatmapTiming {
    /// What ran, as the run reported it.
    pub backend: String,
    /// Cells a side.
    pub grid: usize,
    /// Members per cell.
    pub members: usize,
    /// Months.
    pub months: u32,
    /// Median time of the repetitions, ms (after one warm-up run).
    pub median_ms: f64,
    /// Member-months per second.
    pub member_months_per_s: f64,
    /// Repetitions.
    pub repetitions: usize,
}

/// `cardiotwin bench --suite heatmap`: the heatmap on the CPU and on a GPU, their
/// ratio, and how time grows with members, months and cells.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeatmapBench {
    /// Logical CPUs rayon used.
    pub threads: usize,
    /// Whether this binary was built with optimisations.
    pub optimised: bool,
    /// The 32 × 32 × 1000 × 120 heatmap on the CPU.
    pub cpu: HeatmapTiming,
    /// The same on a GPU, when there is one.
    pub gpu: Option<HeatmapTiming>,
    /// Whether that GPU is real hardware (a software adapter's figure is not a GPU's).
    pub gpu_is_hardware: bool,
    /// Why there is no GPU figure.
    pub gpu_missing: Option<String>,
    /// CPU time ÷ GPU time (how many times faster the GPU was).
    pub gpu_speedup: Option<f64>,
    /// 2 s (the CPU target on 2 cores) ÷ the CPU time; ≥ 1 meets it.
    pub cpu_target_ratio: f64,
    /// 0.1 s (the datacentre-GPU target) ÷ the GPU time; ≥ 1 meets it.
    pub gpu_target_ratio: Option<f64>,
    /// Smaller heatmaps, one dimension varied at a time, on each executor.
    pub scaling: Vec<HeatmapTiming>,
}

/// Runs the heatmap suite on demo patient 01.
///
/// # Errors
/// When the demo folder cannot be read or the patient lacks what the twin needs.
pub fn heatmap_suite(demo: &PatientFolder) -> Result<HeatmapBench, AppError> {
    use twin_app::compute::{BackendChoice, Compute};
    use twin_app::heatmap::{Axis, AxisSpec};
    let records: Vec<_> = demo.open_all()?.0.into_iter().map(|h| h.record).collect();
    let record = reference_record(&records)
        .ok_or_else(|| AppError::new(twin_app::ErrorCode::NotFound, "the demo folder has no patients"))?;
    let twin = twin_engine::twin::build(record, today(), RecordOverrides::default(), 10)?;
    let time = |compute: &Compute, grid: usize, members: usize, months: u32, repetitions: usize| {
        let config = EnsembleConfig { months, members, seed: 1 };
        let x = AxisSpec { axis: Axis::SbpLowering, from: 0.0, to: 30.0 };
        let y = AxisSpec { axis: Axis::LdlLowering, from: 0.0, to: 60.0 };
        let control = twin_engine::progression::RunControl::default();
        let grid = twin_app::heatmap::Grid { x, y, size: grid };
        let run = || twin_app::heatmap::heatmap(&twin, grid, &config, compute, &control, &mut |_, _| {});
        let backend = run()?.backend;
        let mut times = Vec::with_capacity(repetitions);
        for _ in 0..repetitions {
            let start = Instant::now();
            std::hint::black_box(run()?);
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let median_ms = times[times.len() / 2];
        let member_months = (grid.size * grid.size * members) as f64 * f64::from(months);
        Ok::<_, AppError>(HeatmapTiming {
            backend,
            grid: grid.size,
            members,
            months,
            median_ms,
            member_months_per_s: member_months / (median_ms / 1000.0),
            repetitions,
        })
    };
    let scale = |compute: &Compute, out: &mut Vec<HeatmapTiming>| -> Result<(), AppError> {
        for (grid, members, months) in [
            (16, 250, 120),
            (16, 500, 120),
            (16, 1000, 120),
            (16, 500, 60),
            (16, 500, 240),
            (8, 500, 120),
            (32, 500, 120),
        ] {
            out.push(time(compute, grid, members, months, 3)?);
        }
        Ok(())
    };
    let cpu_compute = Compute::choose(BackendChoice::Cpu)?;
    let cpu = time(&cpu_compute, 32, 1000, 120, 5)?;
    let mut scaling = Vec::new();
    scale(&cpu_compute, &mut scaling)?;
    let (gpu, gpu_is_hardware, gpu_missing) = match Compute::choose(BackendChoice::Gpu) {
        Ok(compute) => {
            let hardware = twin_gpu::adapters().first().is_some_and(|a| a.hardware);
            let figure = time(&compute, 32, 1000, 120, 5)?;
            scale(&compute, &mut scaling)?;
            (Some(figure), hardware, None)
        }
        Err(e) => (None, false, Some(e.to_string())),
    };
    let gpu_speedup = gpu.as_ref().map(|g| cpu.median_ms / g.median_ms);
    let gpu_target_ratio = gpu.as_ref().map(|g| 100.0 / g.median_ms);
    Ok(HeatmapBench {
        threads: rayon::current_num_threads(),
        optimised: !cfg!(debug_assertions),
        cpu_target_ratio: 2000.0 / cpu.median_ms,
        cpu,
        gpu,
        gpu_is_hardware,
        gpu_missing,
        gpu_speedup,
        gpu_target_ratio,
        scaling,
    })
}
