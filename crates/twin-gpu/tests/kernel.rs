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
        female: false,
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
        heart_failure: None,
        spread: Spread { heart_rate: 3.0, hdl_cv: 0.05, weight: 1.0, egfr_cv: 0.05, lvef: 4.0 },
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
                persistence: Default::default(),
            },
            Intervention::StartDrug {
                class: DrugClass::BetaBlocker,
                dose: DoseLevel::Standard,
                start_month: 0,
                adherence: 1.0,
                persistence: Default::default(),
            },
            Intervention::SmokingCessation { month: 3 },
            Intervention::DashDiet { start_month: 0 },
            Intervention::WeightChange { kg: -6.0, start_month: 0, over_months: 12 },
        ],
        strategy: None,
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

/// The classes the formulary added (alpha-blockers, methyldopa, inclisiran, bempedoic acid) and
/// the heart-rate effect of verapamil/diltiazem reach the kernel through the plan rows alone.
#[test]
fn the_kernel_projects_the_new_classes_as_the_cpu_does() {
    let gpu = gpu();
    let b = baseline();
    let start = |class, start_month| Intervention::StartDrug {
        class,
        dose: DoseLevel::Standard,
        start_month,
        adherence: 1.0,
        persistence: Default::default(),
    };
    let scenario = Scenario {
        name: "new classes".into(),
        interventions: vec![
            start(DrugClass::NonDihydropyridineCcb, 0),
            start(DrugClass::AlphaBlocker, 1),
            start(DrugClass::CentrallyActing, 2),
            start(DrugClass::Inclisiran, 0),
            start(DrugClass::BempedoicAcid, 3),
        ],
        strategy: None,
    };
    let config = EnsembleConfig { months: 36, members: 300, seed: 5 };
    let on_gpu = project_bands(&gpu, &b, &scenario, &config, &[], &RunControl::default()).unwrap();
    let on_cpu = project_bands(&CpuBackend, &b, &scenario, &config, &[], &RunControl::default()).unwrap();
    for (g, c) in on_gpu.bands.iter().zip(&on_cpu.bands) {
        for m in 0..=36 {
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
                strategy: None,
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

/// Numbers the kernel may write out itself: arithmetic, not physiology. Every clinical or
/// physiological number comes from the engine through the generated header's `K_*` constants.
const ALLOWED_LITERALS: [(&str, &str); 6] = [
    ("0.0", "zero"),
    ("1.0", "one"),
    ("0.5", "the threshold of a 0/1 flag, and 1/2 in the series of 1 - exp(-h)"),
    ("12.0", "months per year"),
    ("0u", "an index"),
    ("1u", "an index: the second of a pair, or the next draw"),
];

/// Numbers allowed only inside one function: the numerics of `risk_of`'s series.
const ALLOWED_IN_FUNCTION: [(&str, &str, &str); 2] =
    [("risk_of", "1e-3", "where the series takes over"), ("risk_of", "6.0", "3!, in the series of 1 - exp(-h)")];

/// Integer offsets into a member's draws (`d + 2u` … `d + 7u`, `later + 2u` … `later + 4u`),
/// the draw layout the CPU step reads with the same indices; `2u` also counts the two walks.
const ALLOWED_INDICES: std::ops::RangeInclusive<u32> = 0..=7;

/// The kernel's code with comments (line and nested block) blanked out, line by line.
fn code_lines(src: &str) -> Vec<String> {
    let mut depth = 0usize;
    src.lines()
        .map(|line| {
            let (mut code, mut rest) = (String::new(), line);
            while !rest.is_empty() {
                if depth > 0 {
                    match (rest.find("/*"), rest.find("*/")) {
                        (Some(open), close) if close.is_none_or(|c| open < c) => {
                            depth += 1;
                            rest = &rest[open + 2..];
                        }
                        (_, Some(close)) => {
                            depth -= 1;
                            rest = &rest[close + 2..];
                        }
                        _ => rest = "",
                    }
                } else if rest.starts_with("//") {
                    rest = "";
                } else if rest.starts_with("/*") {
                    depth += 1;
                    rest = &rest[2..];
                } else {
                    let c = rest.chars().next().unwrap_or(' ');
                    code.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
            code
        })
        .collect()
}

/// The numeric literals of a line of WGSL. Identifiers (`vec3`, `_pad0`) are skipped, and so
/// are attributes' arguments (`@binding(2)`, `@workgroup_size(64)`): layout, not numbers.
fn literals(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '@' {
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            if chars.get(i) == Some(&'(') {
                while i < chars.len() && chars[i] != ')' {
                    i += 1;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let start = i;
            while i < chars.len() {
                let d = chars[i];
                let exponent_sign = (d == '+' || d == '-') && matches!(chars[i - 1], 'e' | 'E');
                if d.is_ascii_alphanumeric() || d == '.' || d == '_' || exponent_sign {
                    i += 1;
                } else {
                    break;
                }
            }
            found.push(chars[start..i].iter().collect());
        } else {
            i += 1;
        }
    }
    found
}

#[test]
fn the_kernel_has_no_bare_physiological_literal() {
    let src = include_str!("../src/kernel.wgsl");
    let mut function = String::new();
    let mut bare = Vec::new();
    for (n, code) in code_lines(src).iter().enumerate() {
        if let Some(rest) = code.trim_start().strip_prefix("fn ") {
            function = rest.split('(').next().unwrap_or("").trim().to_string();
        }
        for literal in literals(code) {
            let index = literal.strip_suffix('u').and_then(|x| x.parse::<u32>().ok());
            let allowed = ALLOWED_LITERALS.iter().any(|(l, _)| *l == literal)
                || ALLOWED_IN_FUNCTION.iter().any(|(f, l, _)| *f == function && *l == literal)
                || index.is_some_and(|i| ALLOWED_INDICES.contains(&i));
            if !allowed {
                bare.push(format!("kernel.wgsl:{}: {literal} in `{}`", n + 1, code.trim()));
            }
        }
    }
    assert!(
        bare.is_empty(),
        "bare numbers in the kernel; name them in twin-engine and export them through \
         step_constants() as K_*:\n{}",
        bare.join("\n")
    );
}

#[test]
fn the_literal_scan_sees_what_it_should() {
    let lines = code_lines("let a = 0.6 * b; // 85.0\n/* 5.0 /* 30.0 */\n 1e-3 */ let c = vec3<f32>(1e-6, 2u);");
    assert_eq!(lines[0].trim(), "let a = 0.6 * b;");
    assert_eq!(lines[1].trim(), "");
    assert_eq!(literals(&lines[2]), ["1e-6", "2u"]);
    assert_eq!(literals("x = 1.5e+3f + .25 - _pad0 + K_RHO_LOW"), ["1.5e+3f", ".25"]);
    assert_eq!(literals("@group(0) @binding(4) var<storage> out: array<f32, 9>;"), ["9"]);
}
