//! The kernel on a real adapter (lavapipe where there is no GPU) against the CPU reference, on
//! a hand-made patient. The demo cohort's comparison is in twin-app's `gpu` test.

use twin_engine::drugs::{DoseLevel, DrugClass};
use twin_engine::progression::backend::{project_bands, CpuBackend, EnsembleBackend};
use twin_engine::progression::grid::event_risk_cells;
use twin_engine::progression::response::Belief;
use twin_engine::progression::scenario::{Intervention, Scenario};
use twin_engine::progression::{Baseline, CurrentDrug, EnsembleConfig, RunControl, Spread};
use twin_gpu::{AdapterChoice, GpuBackend};

fn baseline() -> Baseline {
    Baseline {
        age: 63.0,
        sbp: (156.0, 4.0),
        dbp: (92.0, 2.5),
        heart_rate: 72.0,
        ldl: (3.4, 0.2),
        hdl: 1.1,
        weight: 88.0,
        egfr: Some(74.0),
        lvef: 58.0,
        ef_per_log_map: -20.0,
        ef_per_log_compliance: 5.0,
        ef_per_log_heart_rate: -2.0,
        stroke_volume: 70.0,
        sv_per_log_map: -30.0,
        sv_per_log_compliance: 6.0,
        sv_per_log_heart_rate: -25.0,
        smoker: true,
        smoking_log_hr: 0.44,
        current_drugs: vec![CurrentDrug { class: DrugClass::AceInhibitor, dose: DoseLevel::Standard, adherence: 0.9 }],
        bp_response: Belief::prior(),
        ldl_response: Belief::prior(),
        annual_hazard: (0..11).map(|y| 0.012 + 0.001 * f64::from(y)).collect(),
        spread: Spread { heart_rate: 3.0, hdl_cv: 0.05, weight: 1.0, egfr_cv: 0.05 },
    }
}

fn gpu() -> GpuBackend {
    GpuBackend::new(AdapterChoice::Any).expect("a Vulkan adapter (install mesa-vulkan-drivers for lavapipe)")
}

fn close(gpu: f64, cpu: f64) -> bool {
    (gpu.is_nan() && cpu.is_nan()) || (gpu - cpu).abs() <= 1e-4 * cpu.abs() + 1e-6
}

#[test]
fn the_kernel_projects_what_the_cpu_projects() {
    let gpu = gpu();
    let b = baseline();
    let scenario = Scenario {
        name: "everything".into(),
        interventions: vec![
            Intervention::StartDrug {
                class: DrugClass::Statin,
                dose: DoseLevel::Double,
                start_month: 2,
                adherence: 0.8,
            },
            Intervention::StartDrug {
                class: DrugClass::BetaBlocker,
                dose: DoseLevel::Standard,
                start_month: 0,
                adherence: 1.0,
            },
            Intervention::SmokingCessation { month: 3 },
            Intervention::DashDiet { start_month: 0 },
            Intervention::WeightChange { kg: -6.0, start_month: 0, over_months: 12 },
        ],
    };
    let config = EnsembleConfig { months: 120, members: 500, seed: 11 };
    let control = RunControl::default();
    let on_gpu = project_bands(&gpu, &b, &scenario, &config, &[], &control).unwrap();
    assert_eq!(control.done(), 500);
    let on_cpu = project_bands(&CpuBackend, &b, &scenario, &config, &[], &RunControl::default()).unwrap();
    for (g, c) in on_gpu.bands.iter().zip(&on_cpu.bands) {
        for m in 0..=120 {
            for (x, y) in [(g.p5[m], c.p5[m]), (g.p50[m], c.p50[m]), (g.p95[m], c.p95[m])] {
                assert!(close(x, y), "{:?} month {m}: GPU {x} CPU {y}", g.output);
            }
        }
    }
}

#[test]
fn the_kernel_gives_the_cpus_heatmap() {
    let gpu = gpu();
    let b = baseline();
    let grid: Vec<Scenario> = (0..6)
        .flat_map(|i| {
            (0..5).map(move |j| Scenario {
                name: format!("{i}/{j}"),
                interventions: vec![
                    Intervention::LowerSbp { mmhg: 4.0 * f64::from(i), start_month: 0 },
                    Intervention::LowerLdl { fraction: 0.1 * f64::from(j), start_month: 0 },
                ],
            })
        })
        .collect();
    let config = EnsembleConfig { months: 120, members: 300, seed: 2 };
    let run = |backend: &dyn EnsembleBackend| {
        event_risk_cells(backend, &b, &grid, &config, &RunControl::default(), &mut |_, _| {}).unwrap()
    };
    for (g, c) in run(&gpu).iter().zip(run(&CpuBackend)) {
        assert!(close(g.p5, c.p5) && close(g.p50, c.p50) && close(g.p95, c.p95), "{g:?} vs {c:?}");
    }
}

#[test]
fn a_hardware_only_request_says_what_it_found() {
    // On a machine with only lavapipe this is refused, in words; with a GPU it opens.
    match GpuBackend::new(AdapterChoice::Hardware) {
        Ok(g) => assert!(g.adapter().hardware),
        Err(e) => assert!(e.to_string().contains("no hardware GPU") || e.to_string().contains("no GPU adapter")),
    }
}
