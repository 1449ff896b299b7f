//! Treat-to-target strategies through the command registry: in the scenario file, compared with
//! current treatment, saved sealed and read back, and as a heatmap axis. On the pinned
//! consultation day ([`twin_test_support::CONSULTATION_DAY`]).

mod common;

use serde_json::{json, Value};
use twin_app::commands::dispatch;
use twin_app::session::{NoArgs, Session};
use twin_app::ErrorCode;

fn call(s: &Session, command: &str, args: Value) -> Value {
    dispatch(s, command, args).unwrap_or_else(|e| panic!("{command}: {e}"))
}

/// Demo patient 01, the uncontrolled hypertensive on lisinopril alone.
fn walter(s: &Session) -> String {
    let list = s.cmd_list_patients(NoArgs {}).unwrap();
    list.patients.into_iter().find(|p| p.name == "Walter Brennan").expect("demo patient 01").id
}

fn current() -> Value {
    json!({ "name": "Current treatment", "interventions": [] })
}

/// The shipped example, `assets/scenarios/sbp-target-130.json`.
fn sbp_target_130() -> Value {
    let path = twin_test_support::workspace_root().join("assets/scenarios/sbp-target-130.json");
    let text = std::fs::read_to_string(&path).expect("the example strategy");
    twin_app::scenario_file::parse_scenario(&text, "sbp-target-130.json").expect("the example parses");
    serde_json::from_str(&text).unwrap()
}

fn difference<'a>(d: &'a Value, output: &str, month: u64) -> &'a Value {
    d["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["output"] == output && x["month"] == month)
        .unwrap_or_else(|| panic!("no {output} difference at month {month}"))
}

fn band<'a>(p: &'a Value, output: &str) -> &'a Value {
    p["outputs"].as_array().unwrap().iter().find(|o| o["output"] == output).unwrap_or_else(|| panic!("no {output}"))
}

/// Treating to SBP < 130 mmHg against lisinopril alone: achieved SBP lower, more BP-lowering
/// classes, event risk lower; the explanation gives the strategy's effect as a whole, and it ran
/// on the CPU with words that do not read as a failure.
#[test]
fn an_sbp_target_lowers_bp_and_risk_with_more_drugs_than_current_treatment() {
    let (s, _) = common::demo_session();
    let id = walter(&s);
    let c = call(
        &s,
        "compare",
        json!({ "id": id, "scenarios": [current(), sbp_target_130()],
                "ensemble": { "months": 120, "members": 300, "seed": 1 } }),
    );
    let d = &c["differences"][0];
    let sbp = difference(d, "sbp", 12)["median"].as_f64().unwrap();
    assert!(sbp < -5.0, "the strategy lowers SBP at a year: {sbp}");
    let drugs = difference(d, "bp_drugs", 12);
    assert!(drugs["median"].as_f64().unwrap() >= 1.0, "it adds at least one class by a year: {drugs}");
    assert!(drugs["p5"].as_f64().unwrap() >= 0.0, "it never takes one away: {drugs}");
    let risk = difference(d, "event_risk", 120);
    assert!(risk["median"].as_f64().unwrap() < 0.0, "event risk lower at 10 years: {risk}");
    assert_eq!(risk["contrast"]["toTreat"], true, "{risk}");

    let (reference, strategy) = (&c["projections"][0], &c["projections"][1]);
    assert_eq!(band(reference, "bp_drugs")["p50"][12].as_f64(), Some(1.0), "lisinopril alone");
    let at_year = band(strategy, "bp_drugs")["p50"][12].as_f64().unwrap();
    assert!(at_year >= 2.0, "a median of {at_year} classes at a year");
    assert!(band(strategy, "sbp")["p50"][12].as_f64() < band(reference, "sbp")["p50"][12].as_f64());
    let labels = strategy["interventions"].as_array().unwrap();
    assert!(labels[0].as_str().unwrap().starts_with("Treat to target: SBP < 130 mmHg, reviewed every 3 months"));
    assert_eq!(strategy["learned"]["available"], false, "the learned model reads fixed plans only");
    assert!(strategy["learned"]["note"].as_str().unwrap().contains("treat-to-target"));
    let backend = strategy["backend"].as_str().unwrap();
    assert!(backend.starts_with("CPU") && !backend.contains("failed"), "{backend}");

    // Attribution: the strategy is one change, as a whole; nothing is left as "interaction".
    let shares = d["shares"].as_array().unwrap();
    assert!(
        shares
            .iter()
            .all(|x| x["intervention"].as_str().unwrap().starts_with("the treat-to-target strategy as a whole")),
        "{shares:?}"
    );
    let explanation: Vec<&str> = d["explanation"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
    let said = explanation.join(" ");
    for words in [
        "is a treat-to-target strategy (SBP < 130 mmHg",
        "effect is the strategy's as a whole",
        "After 1 year, ",
        "% of simulated courses have systolic BP below 130 mmHg, on ",
        " BP-lowering drug classes in at least 90% of them",
        "After 5 years, ",
        "more BP-lowering drug classes than 'Current treatment'",
        "systolic BP",
        "comes from the treat-to-target strategy as a whole",
    ] {
        assert!(said.contains(words), "'{words}' missing from {explanation:#?}");
    }
}

/// Lifestyle beside a strategy: each is credited alone and what they share (diet lowers BP, so
/// the strategy adds fewer drugs) is the interaction; drugs beside a strategy are refused.
#[test]
fn lifestyle_beside_a_strategy_is_attributed_and_drugs_are_refused() {
    let (s, _) = common::demo_session();
    let id = walter(&s);
    let mut with_salt = sbp_target_130();
    with_salt["name"] = json!("Target 130 and salt reduction");
    with_salt["interventions"] = json!([{ "type": "sodium_reduction", "start_month": 0 }]);
    let c = call(
        &s,
        "compare",
        json!({ "id": id, "scenarios": [current(), with_salt],
                "ensemble": { "months": 60, "members": 200, "seed": 1 } }),
    );
    let names: Vec<&str> =
        c["differences"][0]["shares"].as_array().unwrap().iter().map(|x| x["intervention"].as_str().unwrap()).collect();
    assert!(names.iter().any(|n| n.starts_with("the treat-to-target strategy as a whole")), "{names:?}");
    assert!(
        names.iter().any(|n| n.to_lowercase().contains("salt") || n.to_lowercase().contains("sodium")),
        "{names:?}"
    );

    let mut with_drug = sbp_target_130();
    with_drug["interventions"] = json!([{ "type": "start_drug", "class": "thiazide" }]);
    let e = dispatch(
        &s,
        "simulate",
        json!({ "id": id, "scenario": with_drug, "ensemble": { "months": 12, "members": 100, "seed": 1 } }),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(e.message.contains("treat-to-target strategy chooses the drugs itself"), "{}", e.message);
    let bad = json!({ "name": "x", "strategy": { "sbpTarget": 85, "reviewMonths": 3 } });
    let e = dispatch(
        &s,
        "simulate",
        json!({ "id": id, "scenario": bad, "ensemble": { "months": 12, "members": 100, "seed": 1 } }),
    )
    .unwrap_err();
    assert!(e.message.starts_with("the scenario: strategy.sbpTarget: "), "{}", e.message);
}

/// A strategy saved for a patient comes back as written, in a new session, sealed on disk.
#[test]
fn a_strategy_is_saved_sealed_and_read_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = common::session_on(Some(common::demo_dir()), Some(dir.path().to_path_buf()));
    let id = walter(&s);
    let strategy = json!({ "name": "Targets", "interventions": [],
        "strategy": { "sbpTarget": 125.0, "reviewMonths": 2.0, "sequence": ["arb", "thiazide", "calcium_channel_blocker"],
                      "ldlTargetMgDl": 70.0, "ldlReviewMonths": 3.0 } });
    let saved = call(&s, "saveScenario", json!({ "id": id, "scenario": strategy }));
    assert_eq!(saved[0], strategy);
    let again = common::session_on(Some(common::demo_dir()), Some(dir.path().to_path_buf()));
    assert_eq!(call(&again, "savedScenarios", json!({ "id": id }))[0], strategy);
    for path in twin_test_support::files_under(dir.path()) {
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(9).any(|w| w == b"sbpTarget"), "{} holds the plan in clear", path.display());
    }
    let empty = json!({ "name": "x", "strategy": { "sbpTarget": 130, "reviewMonths": 3, "sequence": [] } });
    let e = dispatch(&s, "saveScenario", json!({ "id": id, "scenario": empty })).unwrap_err();
    assert!(e.message.contains("strategy.sequence") && e.message.contains("empty"), "{}", e.message);
}

/// The SBP-target axis: each cell a strategy (on the CPU), risk rising with the target, the cell
/// projecting through `simulate` to the same median; refused beside an axis that sets drugs.
#[test]
fn the_heatmap_has_an_sbp_target_axis_whose_cells_are_strategies() {
    let (s, _) = common::demo_session();
    let id = walter(&s);
    let ensemble = json!({ "months": 120, "members": 150, "seed": 1 });
    let h = call(
        &s,
        "heatmap",
        json!({ "id": id, "grid": 4, "ensemble": ensemble,
                "x": { "axis": "sbpTarget", "from": 120, "to": 150 },
                "y": { "axis": "exercise", "from": 0, "to": 150 } }),
    );
    assert_eq!(h["x"]["values"], json!([120.0, 130.0, 140.0, 150.0]));
    assert_eq!(h["x"]["unit"], "mmHg");
    let cells = h["cells"].as_array().unwrap();
    let p50 = |r: usize, c: usize| cells[r * 4 + c]["p50"].as_f64().unwrap();
    for r in 0..4 {
        assert!(p50(r, 0) < p50(r, 3), "a lower target, a lower risk: {} against {}", p50(r, 0), p50(r, 3));
    }
    let corner = &cells[0];
    assert_eq!(corner["scenario"]["strategy"], json!({ "sbpTarget": 120.0, "reviewMonths": 3.0 }));
    assert_eq!(corner["regimen"], "SBP < 120 mmHg, exercise 0 min/week");
    assert!(h["backend"].as_str().unwrap().starts_with("CPU"));
    let p = call(&s, "simulate", json!({ "id": id, "scenario": corner["scenario"], "ensemble": ensemble }));
    assert_eq!(band(&p, "event_risk")["p50"][120].as_f64(), corner["p50"].as_f64(), "the cell is its strategy");

    let e = dispatch(
        &s,
        "heatmap",
        json!({ "id": id, "grid": 4, "ensemble": ensemble,
                "x": { "axis": "sbpTarget", "from": 120, "to": 150 },
                "y": { "axis": "ldlLowering", "from": 0, "to": 60 } }),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(e.message.contains("chooses the drugs itself"), "{}", e.message);
    let e = dispatch(
        &s,
        "heatmap",
        json!({ "id": id, "grid": 4, "ensemble": ensemble,
                "x": { "axis": "sbpTarget", "from": 80, "to": 150 }, "y": { "axis": "exercise", "from": 0, "to": 150 } }),
    )
    .unwrap_err();
    assert!(e.message.contains("90–180 mmHg"), "{}", e.message);
}
