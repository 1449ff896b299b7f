//! The GPU executor against the CPU reference on every demo patient, on a real adapter
//! (lavapipe, software Vulkan, where the machine has no GPU: `scripts/test` installs it).
//!
//! Tolerance: 1e-4 relative, plus 1e-6 absolute for values near 0 (f32 on the GPU against f64
//! here; the reasoning is in twin-gpu's crate docs).

mod common;

use common::demo_files;

use twin_app::compute::{BackendChoice, Compute};
use twin_app::heatmap::{heatmap, Axis, AxisSpec, Grid};
use twin_engine::drugs::{DoseLevel, DrugClass};
use twin_engine::progression::backend::{project_bands, BackendError, CpuBackend, Draws, EnsembleBackend, RunError};
use twin_engine::progression::scenario::{Intervention, Revascularisation, Scenario};
use twin_engine::progression::{Baseline, EnsembleConfig, FlatPlan, RunControl};
use twin_engine::twin::{self, Context, Twin};

fn demo_twins() -> Vec<(String, Twin)> {
    demo_files()
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            let record = twin_fhir::harmonise::harmonise_bundle_text(&text).unwrap().record;
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            (name, twin::build(&record, twin_synth::DEMO_AS_OF, Context::default(), 10).unwrap())
        })
        .collect()
}

fn close(gpu: f64, cpu: f64) -> bool {
    (gpu.is_nan() && cpu.is_nan()) || (gpu - cpu).abs() <= 1e-4 * cpu.abs() + 1e-6
}

/// Everything a scenario can do at once: drugs started, changed and stopped, adherence,
/// lifestyle, quitting and a procedure, at staggered months.
fn busy_scenario(b: &Baseline) -> Scenario {
    let mut interventions = vec![
        Intervention::StartDrug {
            class: DrugClass::Ezetimibe,
            dose: DoseLevel::Standard,
            start_month: 1,
            adherence: 0.9,
            persistence: Default::default(),
        },
        Intervention::Adherence { level: 0.7, start_month: 6 },
        Intervention::SodiumReduction { start_month: 0 },
        Intervention::Exercise { minutes_per_week: 90.0, start_month: 2 },
        Intervention::WeightChange { kg: -4.0, start_month: 0, over_months: 9 },
        Intervention::SmokingCessation { month: 4 },
        Intervention::Procedure { kind: Revascularisation::Pci, month: 12 },
    ];
    if let Some(d) = b.current_drugs.first() {
        interventions.push(Intervention::ChangeDose { class: d.class, dose: DoseLevel::Double, month: 3 });
    }
    if let Some(d) = b.current_drugs.get(1) {
        interventions.push(Intervention::StopDrug { class: d.class, month: 24 });
    }
    Scenario::fixed("busy", interventions)
}

fn gpu() -> Compute {
    Compute::choose(BackendChoice::Gpu).expect("a Vulkan adapter (install mesa-vulkan-drivers for lavapipe)")
}

#[test]
fn every_demo_patients_projection_agrees_on_the_gpu() {
    let (gpu, cpu) = (gpu(), Compute::choose(BackendChoice::Cpu).unwrap());
    let config = EnsembleConfig { months: 120, members: 400, seed: 9 };
    for (name, twin) in demo_twins() {
        let b = &twin.baseline;
        for scenario in [Scenario::current_treatment(), busy_scenario(b)] {
            let control = RunControl::default();
            let run = |c: &Compute| {
                c.run(&control, |backend| project_bands(backend, b, &scenario, &config, &[12], &control)).unwrap()
            };
            let ((on_gpu, ran), (on_cpu, _)) = (run(&gpu), run(&cpu));
            if b.heart_failure.is_some() {
                // The kernel projects CV events only: the device hands heart failure back.
                assert!(ran.contains("heart-failure outcomes run on the CPU"), "{ran}");
                continue;
            }
            assert!(ran.starts_with("GPU"), "{ran}");
            for (g, c) in on_gpu.bands.iter().zip(&on_cpu.bands) {
                for m in 0..=120 {
                    for (x, y) in [(g.p5[m], c.p5[m]), (g.p50[m], c.p50[m]), (g.p95[m], c.p95[m])] {
                        assert!(close(x, y), "{name} {}: {:?} month {m}: GPU {x} CPU {y}", scenario.name, g.output);
                    }
                }
            }
        }
    }
}

#[test]
fn every_demo_patients_heatmap_agrees_on_the_gpu() {
    let (gpu, cpu) = (gpu(), Compute::choose(BackendChoice::Cpu).unwrap());
    let config = EnsembleConfig { months: 120, members: 300, seed: 4 };
    let x = AxisSpec { axis: Axis::SbpLowering, from: 0.0, to: 30.0 };
    let y = AxisSpec { axis: Axis::Adherence, from: 50.0, to: 100.0 };
    for (name, twin) in demo_twins() {
        let grid = Grid { x, y, size: 5 };
        let on = |c: &Compute| heatmap(&twin, grid, &config, c, &RunControl::default(), &mut |_, _| {}).unwrap();
        let (g, c) = (on(&gpu), on(&cpu));
        if twin.baseline.heart_failure.is_some() {
            assert!(g.backend.contains("heart-failure outcomes run on the CPU by design"), "{}", g.backend);
            continue;
        }
        assert!(g.backend.starts_with("GPU") && c.backend.starts_with("CPU"));
        for (gc, cc) in g.cells.iter().zip(&c.cells) {
            for (a, b) in [(gc.p5, cc.p5), (gc.p50, cc.p50), (gc.p95, cc.p95)] {
                let (a, b) = (a.unwrap_or(f64::NAN), b.unwrap_or(f64::NAN));
                assert!(close(a, b), "{name} {}: GPU {a} CPU {b}", gc.regimen);
            }
        }
    }
}

/// A device that fails on every call, standing in for a GPU lost or out of memory mid-run.
struct Failing;

impl EnsembleBackend for Failing {
    fn describe(&self) -> String {
        "GPU: failing".into()
    }
    fn cells_per_call(&self, _: usize, _: u32) -> usize {
        8
    }
    fn event_risks(&self, _: &Baseline, _: &[FlatPlan], _: &Draws) -> Result<Vec<f64>, BackendError> {
        Err(BackendError::DeviceLost("the driver reset".into()))
    }
    fn trajectories(&self, _: &Baseline, _: &FlatPlan, _: &Draws, c: &RunControl) -> Result<Vec<f64>, RunError> {
        c.add_done(3);
        Err(BackendError::OutOfMemory("4 GB asked".into()).into())
    }
}

static FAILING: Failing = Failing;

#[test]
fn a_device_that_fails_mid_run_hands_the_run_to_the_cpu_and_says_so() {
    let (_, twin) = demo_twins().swap_remove(0);
    let b = &twin.baseline;
    let config = EnsembleConfig { months: 60, members: 200, seed: 2 };
    let compute = Compute::with_device(&FAILING, "a test device");
    let control = RunControl::default();
    let scenario = Scenario::current_treatment();
    let (summary, ran) = compute.run(&control, |be| project_bands(be, b, &scenario, &config, &[], &control)).unwrap();
    assert!(ran.contains("after the GPU failed: the GPU ran out of memory (4 GB asked)"), "{ran}");
    assert_eq!(control.done(), 200, "the count restarts for the CPU's run");
    let reference = project_bands(&CpuBackend, b, &scenario, &config, &[], &RunControl::default()).unwrap();
    assert_eq!(summary.bands, reference.bands);

    let x = AxisSpec { axis: Axis::SbpLowering, from: 0.0, to: 20.0 };
    let y = AxisSpec { axis: Axis::LdlLowering, from: 0.0, to: 40.0 };
    let mut arrived = Vec::new();
    let map = heatmap(&twin, Grid { x, y, size: 3 }, &config, &compute, &RunControl::default(), &mut |first, part| {
        arrived.push((first, part.len()));
    })
    .unwrap();
    assert_eq!(arrived, vec![(0, 9)], "only the CPU's cells arrive; the failed device gave none");
    assert!(map.backend.contains("after the GPU failed: the GPU was lost during the run (the driver reset)"));
}

#[test]
fn the_session_runs_where_it_is_told_and_says_where() {
    let (session, id) = common::demo_session();
    let simulate = || common::current_treatment(&session, &id, 24, 100);
    session.set_backend(BackendChoice::Gpu);
    let on_gpu = simulate();
    assert!(on_gpu.backend.starts_with("GPU: "), "{}", on_gpu.backend);
    session.set_backend(BackendChoice::Cpu);
    let on_cpu = simulate();
    assert!(on_cpu.backend.starts_with("CPU ("), "{}", on_cpu.backend);
    assert_eq!(on_gpu.outputs.len(), on_cpu.outputs.len());
}
