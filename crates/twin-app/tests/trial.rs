//! In-silico trials from their spec files: every shipped spec runs and answers in the issue's
//! shape, and a bad spec is refused with the field named.

use std::path::PathBuf;

use twin_app::trial::{run_file, TrialSpec};

fn spec(name: &str) -> PathBuf {
    twin_app::demo::trials_dir().join(name)
}

fn spec_text(name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(spec(name)).expect("a shipped spec")).expect("JSON")
}

/// SPRINT, HOPE-3 (BP) and JUPITER run from `assets/trials/` (a smaller cohort here; the full
/// size is the benchmark's): arms in the spec's order with the figures the issue names, the
/// hazard ratio with its interval, and one verdict per published figure.
#[test]
fn every_shipped_spec_runs_and_answers_per_arm_with_verdicts() {
    for name in ["sprint.json", "hope3-bp.json", "jupiter.json", "ctt-statin.json"] {
        let a = run_file(&spec(name), Some(3000)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let json = serde_json::to_value(&a).unwrap();
        let spec = spec_text(name);
        let arms = json["arms"].as_array().unwrap();
        assert_eq!(arms.len(), spec["arms"].as_array().unwrap().len(), "{name}");
        for (ours, theirs) in arms.iter().zip(spec["arms"].as_array().unwrap()) {
            assert_eq!(ours["name"], theirs["name"], "{name}: arms keep the spec's order");
            for key in ["sbpAt12Months", "ldlAt12MonthsMgDl", "drugsAt12Months"] {
                assert!(ours[key]["mean"].is_number() && ours[key]["sd"].is_number(), "{name}: {key}");
            }
            assert!(ours["eventsPer100PersonYears"]["estimate"].is_number(), "{name}");
            assert!(ours["cumulativeIncidence"].as_f64().is_some_and(|q| (0.0..=1.0).contains(&q)), "{name}");
        }
        let hr = &json["hazardRatio"];
        let (est, low, high) =
            (hr["estimate"].as_f64().unwrap(), hr["low"].as_f64().unwrap(), hr["high"].as_f64().unwrap());
        assert!(low < est && est < high, "{name}: {hr}");
        let published = spec["published"].as_object().unwrap();
        let figures: usize =
            published.iter().map(|(_, v)| if v.is_array() { v.as_array().unwrap().len() } else { 1 }).sum();
        assert_eq!(json["verdicts"].as_array().unwrap().len(), figures, "{name}: one verdict per published figure");
        assert!(json["disclaimer"].as_str().unwrap().contains("synthetic"));
    }
}

/// SPRINT's intensive arm reaches a lower SBP with more drugs than its standard arm, and fewer
/// events: the strategies titrate member by member.
#[test]
fn sprint_intensive_lowers_sbp_with_more_drugs() {
    let a = run_file(&spec("sprint.json"), Some(4000)).unwrap();
    let (intensive, standard) = (&a.arms[0], &a.arms[1]);
    assert!(intensive.sbp_at12_months.mean < standard.sbp_at12_months.mean - 10.0);
    assert!(intensive.drugs_at12_months.mean > standard.drugs_at12_months.mean);
    assert!(a.hazard_ratio.unwrap().estimate < 1.0);
}

fn refused(text: &str) -> String {
    let spec = TrialSpec::parse(text, "t.json").and_then(|s| s.to_trial("t.json", None));
    spec.err().map(|e| e.to_string()).unwrap_or_default()
}

/// Unknown fields, impossible values, an unknown outcome, too many participants, and bad
/// strategies are refused, each naming the field.
#[test]
fn bad_specs_are_refused_naming_the_field() {
    let good = spec_text("sprint.json");
    let with = |path: &[&str], value: serde_json::Value| {
        let mut v = good.clone();
        let mut at = &mut v;
        for key in &path[..path.len() - 1] {
            at = at.get_mut(*key).unwrap_or_else(|| panic!("{key}"));
        }
        at[path[path.len() - 1]] = value;
        v.to_string()
    };
    assert!(refused(&good.to_string()).is_empty(), "the shipped spec is valid");
    let cases: [(&[&str], serde_json::Value, &str); 9] = [
        (&["population", "height"], 170.into(), "unknown field `height`"),
        (&["population", "sbp", "sd"], (-1.0).into(), "population.sbp.sd"),
        (&["population", "female"], 1.5.into(), "population.female"),
        (&["population", "sbp", "min"], 190.into(), "population.sbp: min 190 is above max 180"),
        (&["outcome"], "death".into(), "unknown variant `death`"),
        (&["participants"], 1_000_001.into(), "participants"),
        (&["arms", "0", "strategy", "sbpTarget"], 85.into(), "sbpTarget"),
        (&["arms", "0", "strategy", "reviewMonths"], 0.25.into(), "reviewMonths"),
        (&["arms", "0", "strategy", "sequence"], serde_json::json!([]), "sequence"),
    ];
    for (path, value, expect) in cases {
        let text = if path[0] == "arms" {
            let mut v = good.clone();
            v["arms"][0]["strategy"][path[3]] = value.clone();
            v.to_string()
        } else {
            with(path, value.clone())
        };
        let err = refused(&text);
        assert!(err.contains(expect), "{path:?} = {value}: {err}");
        assert!(err.starts_with("t.json"), "the file is named: {err}");
    }
}
