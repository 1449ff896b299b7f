//! No demo patient gets a projection a cardiologist would call implausible, under today's
//! treatment or the changes a consultation tries. The limits, in the order checked (also in
//! docs/VALIDATION.md §9):
//!
//! - every month, 5–95% band: SBP 80–230 mmHg, heart rate 40–130 bpm, LDL-C 0.3–15 mmol/L,
//!   eGFR ≥ 0, LVEF 10–80%, weight within ±25% of today;
//! - median SBP ≥ 95 mmHg under any change that lowers it;
//! - adding one BP drug lowers median SBP at 12 months by at most 20 mmHg; the lifestyle bundle
//!   (salt, DASH, 150 min/week exercise, 5 kg lost) by at most 25;
//! - stopping every BP drug raises median SBP by at most 45 mmHg, and to no more than 15 mmHg
//!   above the highest SBP in the record;
//! - stopping every lipid drug leaves median LDL-C at most 15% above the highest LDL-C in the
//!   record (untreated levels are in it);
//! - 10-year event risk (median) at most 80%.

mod common;

use common::demo_files;

use twin_engine::drugs::{DoseLevel, DrugClass};
use twin_engine::progression::scenario::{Intervention, Scenario};
use twin_engine::progression::{run_ensemble, summarise, Band, EnsembleConfig, Output};
use twin_engine::record::MeasurementKind as K;
use twin_engine::twin::{self, Context};

fn band(bands: &[Band], output: Output) -> &Band {
    bands.iter().find(|b| b.output == output).unwrap()
}

#[test]
fn no_demo_patient_gets_an_implausible_projection() {
    let today = twin_synth::DEMO_AS_OF;
    let config = EnsembleConfig { months: 120, members: 150, seed: 1 };
    let mut failures = Vec::new();
    for file in demo_files() {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let record =
            twin_fhir::harmonise::harmonise_bundle_text(&std::fs::read_to_string(&file).unwrap()).unwrap().record;
        let twin = twin::build(&record, today, Context::default(), 10).unwrap();
        let b = &twin.baseline;
        let max_of = |k: K| record.series(k).iter().map(|s| s.value).fold(f64::NAN, f64::max);
        let taken: Vec<DrugClass> = b.current_drugs.iter().map(|d| d.class).collect();
        let stop = |pick: fn(DrugClass) -> bool| {
            taken.iter().filter(|c| pick(**c)).map(|&class| Intervention::StopDrug { class, month: 0 }).collect()
        };
        let add_bp = [DrugClass::CalciumChannelBlocker, DrugClass::Thiazide, DrugClass::Arb].into_iter().find(|c| {
            // An ARB is not added on top of an ACE inhibitor (dual RAS blockade).
            let dual_ras = *c == DrugClass::Arb && taken.contains(&DrugClass::AceInhibitor);
            !taken.contains(c) && !dual_ras
        });
        let statin = if taken.contains(&DrugClass::Statin) {
            Intervention::ChangeDose { class: DrugClass::Statin, dose: DoseLevel::Double, month: 0 }
        } else {
            Intervention::StartDrug {
                class: DrugClass::Statin,
                dose: DoseLevel::Double,
                start_month: 0,
                adherence: 1.0,
                persistence: Default::default(),
            }
        };
        let mut scenarios: Vec<(&str, Vec<Intervention>)> = vec![
            ("current", vec![]),
            ("stop BP drugs", stop(DrugClass::lowers_bp)),
            (
                "stop lipid drugs",
                stop(|c| matches!(c, DrugClass::Statin | DrugClass::Ezetimibe | DrugClass::Pcsk9Inhibitor)),
            ),
            ("high-intensity statin", vec![statin]),
            (
                "lifestyle",
                vec![
                    Intervention::SodiumReduction { start_month: 0 },
                    Intervention::DashDiet { start_month: 0 },
                    Intervention::Exercise { minutes_per_week: 150.0, start_month: 0 },
                    Intervention::WeightChange { kg: -5.0, start_month: 0, over_months: 12 },
                ],
            ),
            ("half adherence", vec![Intervention::Adherence { level: 0.5, start_month: 0 }]),
        ];
        if let Some(class) = add_bp {
            scenarios.push((
                "add a BP drug",
                vec![Intervention::StartDrug {
                    class,
                    dose: DoseLevel::Standard,
                    start_month: 0,
                    adherence: 1.0,
                    persistence: Default::default(),
                }],
            ));
        }
        let current = summarise(&run_ensemble(b, &Scenario::current_treatment(), &config));
        let sbp_now = band(&current, Output::Sbp).p50[12];
        for (label, interventions) in scenarios {
            let scenario = Scenario::fixed(label, interventions);
            let bands = summarise(&run_ensemble(b, &scenario, &config));
            let mut fail = |what: String| failures.push(format!("{name} / {label}: {what}"));
            let within = |o: Output, lo: f64, hi: f64| {
                let x = band(&bands, o);
                (0..=120).find(|&m| x.p5[m] < lo || x.p95[m] > hi).map(|m| (m, x.p5[m], x.p95[m]))
            };
            for (o, lo, hi) in [
                (Output::Sbp, 80.0, 230.0),
                (Output::HeartRate, 40.0, 130.0),
                (Output::Ldl, 0.3, 15.0),
                (Output::Lvef, 10.0, 80.0),
                (Output::Weight, b.weight * 0.75, b.weight * 1.25),
            ] {
                if let Some((m, p5, p95)) = within(o, lo, hi) {
                    fail(format!("{o:?} at month {m}: {p5:.1}–{p95:.1} outside {lo:.1}–{hi:.1}"));
                }
            }
            if b.egfr.is_some() && band(&bands, Output::Egfr).p5.iter().any(|v| *v < 0.0) {
                fail("eGFR below 0".into());
            }
            let sbp = band(&bands, Output::Sbp);
            if sbp.p50.iter().any(|v| *v < 95.0) {
                fail(format!("median SBP below 95 ({:.1})", sbp.p50.iter().copied().fold(f64::INFINITY, f64::min)));
            }
            let change = sbp.p50[12] - sbp_now;
            match label {
                "add a BP drug" if change < -20.0 => fail(format!("one drug lowers SBP by {:.1}", -change)),
                "lifestyle" if change < -25.0 => fail(format!("lifestyle lowers SBP by {:.1}", -change)),
                "stop BP drugs" if change > 45.0 || sbp.p50[12] > max_of(K::Sbp) + 15.0 => fail(format!(
                    "stopping raises SBP by {change:.1} to {:.1} (record max {:.1})",
                    sbp.p50[12],
                    max_of(K::Sbp)
                )),
                _ => {}
            }
            let ldl = band(&bands, Output::Ldl).p50[12];
            if label == "stop lipid drugs" && ldl > 1.15 * max_of(K::LdlCholesterol) {
                fail(format!("LDL-C {ldl:.2} above the record's highest {:.2} by > 15%", max_of(K::LdlCholesterol)));
            }
            // Heart-failure outcomes (death from any cause) are read at MAGGIC's 3 years.
            let at = if b.heart_failure.is_some() { 36 } else { 120 };
            let risk = band(&bands, Output::EventRisk).p50[at];
            if risk.is_finite() && risk > 0.8 {
                fail(format!("event risk {:.0}% at month {at}", risk * 100.0));
            }
        }
    }
    assert!(failures.is_empty(), "implausible projections:\n{}", failures.join("\n"));
}
