//! The formulary's pharmacology reaches the projections: verapamil/diltiazem slow the projected
//! heart rate (less than a beta-blocker), alpha-blockers and methyldopa lower projected BP, and
//! inclisiran and bempedoic acid lower projected LDL-C, in the sizes `drugs` cites.

use twin_engine::drugs::{DoseLevel, DrugClass};
use twin_engine::progression::backend::{project_bands, CpuBackend};
use twin_engine::progression::response::Belief;
use twin_engine::progression::scenario::{Intervention, Persistence, Scenario};
use twin_engine::progression::{Baseline, EnsembleConfig, Output, RunControl, Spread};

fn baseline() -> Baseline {
    Baseline {
        age: 60.0,
        female: true,
        sbp: (150.0, 3.0),
        dbp: (90.0, 2.0),
        heart_rate: 78.0,
        ldl: (3.6, 0.2),
        hdl: 1.3,
        weight: 75.0,
        egfr: Some(80.0),
        lvef: 60.0,
        ef_per_log_map: -20.0,
        ef_per_log_compliance: 5.0,
        ef_per_log_heart_rate: -2.0,
        stroke_volume: 70.0,
        sv_per_log_map: -30.0,
        sv_per_log_compliance: 6.0,
        sv_per_log_heart_rate: -25.0,
        smoker: false,
        smoking_log_hr: 0.44,
        current_drugs: Vec::new(),
        bp_response: Belief::prior(),
        ldl_response: Belief::prior(),
        annual_hazard: (0..3).map(|_| 0.01).collect(),
        heart_failure: None,
        spread: Spread { heart_rate: 3.0, hdl_cv: 0.05, weight: 1.0, egfr_cv: 0.05, lvef: 4.0 },
    }
}

/// Median of `output` at month 12 with `class` started today at standard dose, taken as
/// prescribed (full adherence, no one stopping).
fn at_a_year(class: Option<DrugClass>, output: Output) -> f64 {
    let interventions = class
        .map(|class| Intervention::StartDrug {
            class,
            dose: DoseLevel::Standard,
            start_month: 0,
            adherence: 1.0,
            persistence: Persistence::AsPrescribed,
        })
        .into_iter()
        .collect();
    let scenario = Scenario { name: "one drug".into(), interventions, strategy: None };
    let config = EnsembleConfig { months: 12, members: 400, seed: 3 };
    let bands = project_bands(&CpuBackend, &baseline(), &scenario, &config, &[], &RunControl::default())
        .expect("projects")
        .bands;
    bands.iter().find(|b| b.output == output).map(|b| b.p50[12]).expect("the output is projected")
}

#[test]
fn verapamil_and_diltiazem_slow_the_projected_heart_rate_less_than_a_beta_blocker() {
    let none = at_a_year(None, Output::HeartRate);
    let non_dhp = none - at_a_year(Some(DrugClass::NonDihydropyridineCcb), Output::HeartRate);
    let beta = none - at_a_year(Some(DrugClass::BetaBlocker), Output::HeartRate);
    let dhp = none - at_a_year(Some(DrugClass::CalciumChannelBlocker), Output::HeartRate);
    assert!(non_dhp > 2.0 && non_dhp < beta, "verapamil/diltiazem {non_dhp:.1} bpm, beta-blocker {beta:.1}");
    assert!(dhp.abs() < 1.0, "amlodipine leaves heart rate alone: {dhp:.1}");
}

#[test]
fn alpha_blockers_and_methyldopa_lower_projected_bp() {
    let none = at_a_year(None, Output::Sbp);
    for class in [DrugClass::AlphaBlocker, DrugClass::CentrallyActing] {
        let fall = none - at_a_year(Some(class), Output::Sbp);
        assert!(fall > 3.0, "{class:?}: {fall:.1} mmHg");
    }
}

#[test]
fn inclisiran_and_bempedoic_acid_lower_projected_ldl_in_their_order() {
    let none = at_a_year(None, Output::Ldl);
    let inclisiran = 1.0 - at_a_year(Some(DrugClass::Inclisiran), Output::Ldl) / none;
    let bempedoic = 1.0 - at_a_year(Some(DrugClass::BempedoicAcid), Output::Ldl) / none;
    assert!(inclisiran > 0.35 && inclisiran < 0.6, "inclisiran {inclisiran:.2}");
    assert!(bempedoic > 0.1 && bempedoic < 0.25, "bempedoic acid {bempedoic:.2}");
}
