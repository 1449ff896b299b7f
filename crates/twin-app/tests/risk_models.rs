//! The model meant for each patient, on the demo cohort and on records built to show it:
//! SMART2 for established atherosclerotic disease (and only it drives projected event risk),
//! MAGGIC for heart failure (prognosis; projections then show no event risk and say why),
//! SCORE2-Diabetes for type 2 diabetes in an ESC region, PREVENT otherwise.

use std::path::PathBuf;

use serde_json::{json, Value};
use twin_app::commands::dispatch;
use twin_app::session::{Session, SessionConfig};

use twin_test_support::{bundle_patient_id as patient_id, demo_bundle as demo};

/// A session over `bundle` alone, and the patient's id.
fn open(bundle: &Value) -> (Session, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.json"), bundle.to_string()).unwrap();
    let session = Session::new(SessionConfig {
        demo_dir: Some(PathBuf::from(dir.path())),
        data_dir: None,
        as_of: Some(twin_test_support::CONSULTATION_DAY),
    });
    (session, patient_id(bundle), dir)
}

fn call(s: &Session, command: &str, args: Value) -> Value {
    dispatch(s, command, args).unwrap_or_else(|e| panic!("{command}: {e}"))
}

fn current(s: &Session, id: &str, context: Value) -> Value {
    call(
        s,
        "simulate",
        json!({ "id": id, "context": context, "scenario": { "name": "current", "interventions": [] },
                "ensemble": { "months": 120, "members": 200, "seed": 1 } }),
    )
}

fn without(bundle: &Value, loinc: &str) -> Value {
    let mut b = bundle.clone();
    b["entry"]
        .as_array_mut()
        .unwrap()
        .retain(|e| e["resource"]["code"]["coding"].as_array().is_none_or(|c| c.iter().all(|c| c["code"] != loinc)));
    b
}

/// Post-PCI (02) and post-CABG (11): SMART2, and SMART2 alone drives the projection.
#[test]
fn coronary_patients_get_smart2_and_it_drives_their_projection() {
    for (file, expected) in [("02-post-pci-coronary-disease.json", 0.123), ("11-post-cabg-diabetes.json", 0.270)] {
        let (s, id, _dir) = open(&demo(file));
        let r = call(&s, "risk", json!({ "id": id }));
        assert_eq!(r["selected"]["key"], "smart2", "{file}");
        let v = r["smart2"]["recurrent_10y"]["value"].as_f64().unwrap();
        assert!((v - expected).abs() < 0.0005, "{file}: {v}");
        assert!(r["selected"]["why"].as_str().unwrap().contains("established atherosclerotic disease"));
        assert!(r["smart2"]["recurrent_10y"]["source"].as_str().unwrap().contains("Hageman SHJ"), "cited in the JSON");
        let p = current(&s, &id, json!({}));
        assert!(p["eventModel"].as_str().unwrap().starts_with("SMART2"), "{file}: {}", p["eventModel"]);
        assert_eq!(p["hasEventModel"], true, "{file}");
    }
}

/// A CABG patient's SMART2 needs CRP: without it the projection has no event model and says
/// which input is missing, rather than falling back to a primary-prevention equation.
#[test]
fn without_crp_smart2_names_it_and_nothing_stands_in() {
    let (s, id, _dir) = open(&without(&demo("11-post-cabg-diabetes.json"), "30522-7"));
    let r = call(&s, "risk", json!({ "id": id }));
    assert_eq!(r["smart2"]["recurrent_10y"]["value"], Value::Null);
    assert!(r["smart2"]["recurrent_10y"]["reason"].as_str().unwrap().contains("C-reactive protein"));
    let p = current(&s, &id, json!({}));
    let model = p["eventModel"].as_str().unwrap();
    assert!(model.starts_with("no event model applies") && model.contains("C-reactive protein"), "{model}");
    assert_eq!(p["hasEventModel"], false, "the UI reads the flag, not the sentence");
}

/// HFrEF (03): MAGGIC as the chart scores it; the projection's outcome is death from any cause
/// (MAGGIC's, under unchanged treatment at 1 and 3 years) with a first HF hospitalisation beside
/// it; without what MAGGIC needs, no outcome model, with the reason.
#[test]
fn heart_failure_gets_maggic_and_projects_death_and_hospitalisation() {
    let (s, id, _dir) = open(&demo("03-heart-failure-reduced-ef.json"));
    let r = call(&s, "risk", json!({ "id": id }));
    assert_eq!(r["selected"]["key"], "maggic");
    let m = &r["maggic"];
    assert_eq!(m["score"], 19, "{m}");
    assert_eq!((m["death_1y"].as_f64(), m["death_3y"].as_f64()), (Some(0.093), Some(0.227)));
    let nyha = m["points"].as_array().unwrap().iter().find(|p| p["factor"] == "NYHA class").unwrap();
    assert_eq!(nyha["points"], 2, "NYHA II from the record");
    assert!(m["source"].as_str().unwrap().contains("Pocock SJ"));
    let p = current(&s, &id, json!({}));
    let model = p["eventModel"].as_str().unwrap();
    assert!(model.starts_with("MAGGIC death from any cause"), "{model}");
    assert_eq!(p["hasEventModel"], true);
    assert_eq!(p["outcome"]["kind"], "heart_failure");
    assert_eq!(p["outcome"]["horizonYears"], 3);
    let median = |key: &str, month: usize| {
        let band = p["outputs"].as_array().unwrap().iter().find(|b| b["output"] == key).unwrap();
        band["p50"][month].as_f64().unwrap()
    };
    // Members draw EF and SBP from how well today is known, so the median sits near MAGGIC's own
    // figures (score 19: 9.3 % and 22.7 %), not on them.
    let (d1, d3) = (median("event_risk", 12), median("event_risk", 36));
    assert!((d1 - 0.093).abs() < 0.02 && (d3 - 0.227).abs() < 0.04, "{d1} {d3}");
    let h3 = median("hf_hospitalisation", 36);
    assert!(h3 > 0.1 && h3 < d3, "a first HF hospitalisation, death competing: {h3}");
    // Without a NYHA class on record MAGGIC names what it lacks, and no outcome is projected.
    let (s, id, _dir) = open(&without(&demo("03-heart-failure-reduced-ef.json"), "88020-3"));
    let r = call(&s, "risk", json!({ "id": id }));
    assert_eq!(r["maggic"]["score"], Value::Null);
    assert!(r["maggic"]["reason"].as_str().unwrap().contains("NYHA class"));
    let p = current(&s, &id, json!({}));
    let model = p["eventModel"].as_str().unwrap();
    assert!(model.starts_with("no outcome model applies") && model.contains("NYHA class"), "{model}");
    assert_eq!(p["hasEventModel"], false);
}

/// Type 2 diabetes with CKD (04): 70 today, so SCORE2-OP (which includes diabetes) once an ESC
/// region is chosen; the same record five years younger gets SCORE2-Diabetes, with the age at
/// diagnosis from the record. Either then drives the projection; without a region, PREVENT.
#[test]
fn diabetes_gets_the_escs_diabetes_models_in_an_esc_region() {
    let bundle = demo("04-type2-diabetes-ckd3.json");
    let (s, id, _dir) = open(&bundle);
    let plain = call(&s, "risk", json!({ "id": id }));
    assert_eq!(plain["selected"]["key"], "prevent");
    assert!(plain["selected"]["why"].as_str().unwrap().contains("SCORE2-Diabetes"), "says how to get it");
    let r = call(&s, "risk", json!({ "id": id, "context": { "region": "moderate" } }));
    assert_eq!(r["selected"]["key"], "score2", "{}", r["selected"]);
    assert!(r["score2"]["cvd_10y"]["value"].as_f64().is_some(), "SCORE2-OP counts diabetes");
    let p = current(&s, &id, json!({ "region": "moderate" }));
    assert!(p["eventModel"].as_str().unwrap().starts_with("SCORE2-OP"), "{}", p["eventModel"]);

    let mut younger = bundle.clone();
    for e in younger["entry"].as_array_mut().unwrap() {
        if e["resource"]["resourceType"] == "Patient" {
            let born = e["resource"]["birthDate"].as_str().unwrap().to_string();
            let year: i32 = born[..4].parse().unwrap();
            e["resource"]["birthDate"] = json!(format!("{}{}", year + 5, &born[4..]));
        }
    }
    let (s, id, _dir) = open(&younger);
    let r = call(&s, "risk", json!({ "id": id, "context": { "region": "moderate" } }));
    assert_eq!(r["selected"]["key"], "score2Diabetes");
    let v = r["score2Diabetes"]["cvd_10y"]["value"].as_f64().expect("computed");
    assert!((0.05..0.6).contains(&v), "{v}");
    assert_eq!(r["score2"]["cvd_10y"]["value"], Value::Null, "SCORE2 itself is not for diabetes under 70");
    let onset = r["inputs"].as_array().unwrap().iter().find(|i| i["name"] == "age at diabetes diagnosis");
    assert!(onset.is_some(), "the age at diagnosis is listed with its source");
    let p = current(&s, &id, json!({ "region": "moderate" }));
    assert!(p["eventModel"].as_str().unwrap().starts_with("SCORE2-Diabetes"), "{}", p["eventModel"]);
}

/// Primary prevention (01) stays with PREVENT; adding peripheral artery disease and a CRP moves
/// the same person to SMART2.
#[test]
fn a_new_atherosclerotic_diagnosis_moves_a_patient_to_smart2() {
    let mut bundle = demo("01-uncontrolled-hypertension.json");
    let id = patient_id(&bundle);
    let (s, _, _dir) = open(&bundle);
    assert_eq!(call(&s, "risk", json!({ "id": id }))["selected"]["key"], "prevent");
    let subject = json!({ "reference": format!("Patient/{id}") });
    for resource in [
        json!({ "resourceType": "Condition", "id": "pad", "subject": subject,
            "clinicalStatus": { "coding": [{ "code": "active" }] }, "onsetDateTime": "2024-03-01",
            "code": { "coding": [{ "system": "http://snomed.info/sct", "code": "399957001" }] } }),
        json!({ "resourceType": "Observation", "id": "crp", "status": "final", "subject": subject,
            "effectiveDateTime": "2026-10-01", "valueQuantity": { "value": 0.4, "code": "mg/dL" },
            "code": { "coding": [{ "system": "http://loinc.org", "code": "1988-5" }] } }),
    ] {
        bundle["entry"].as_array_mut().unwrap().push(json!({ "resource": resource }));
    }
    let (s, _, _dir) = open(&bundle);
    let r = call(&s, "risk", json!({ "id": id }));
    assert_eq!(r["selected"]["key"], "smart2");
    assert!(r["selected"]["why"].as_str().unwrap().contains("peripheral artery disease"));
    assert!(r["smart2"]["recurrent_10y"]["value"].as_f64().is_some(), "{}", r["smart2"]);
    let crp = r["inputs"].as_array().unwrap().iter().find(|i| i["name"] == "C-reactive protein").unwrap();
    assert!(crp["value"].as_str().unwrap().starts_with("4.00 mg/L"), "0.4 mg/dL is 4 mg/L: {crp}");
    assert!(r["notApplicable"].as_str().unwrap().contains("peripheral artery disease"));
}

/// With risk factors frozen at today's values, the event model's first ten years give back the
/// selected equation's own 10-year risk for every demo patient that has one (within 5 %
/// relative, the bound; exact unless the equation's age cap falls inside the decade).
/// The equations carry their cohorts' ageing over those ten years; projecting year by year at
/// age + 1, + 2, … counted it twice (PREVENT at 58–67 compounded to 15.3 % against 12.4 %).
#[test]
fn the_event_model_gives_back_the_equations_ten_year_risk_with_risk_factors_frozen() {
    use twin_engine::risk::{pce, prevent, score2, score2_diabetes, smart2};
    use twin_engine::twin::{self, Context};
    let mut checked = 0;
    for file in twin_test_support::demo_files() {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let record =
            twin_fhir::harmonise::harmonise_bundle_text(&std::fs::read_to_string(&file).unwrap()).unwrap().record;
        let twin = twin::build(&record, twin_test_support::CONSULTATION_DAY, Context::default(), 10).unwrap();
        let model = &twin.event_model;
        if model.annual_hazard.is_empty() {
            continue;
        }
        let x = &twin.risk_inputs;
        let equation = if model.name.starts_with("PREVENT") {
            prevent::risk(x, prevent::Outcome::Cvd, prevent::Horizon::TenYears)
        } else if model.name.starts_with("PCE") {
            pce::ascvd_10y(x)
        } else if model.name.starts_with("SCORE2-Diabetes") {
            score2_diabetes::cvd_10y(x)
        } else if model.name.starts_with("SCORE2") {
            score2::cvd_10y(x)
        } else if model.name.starts_with("SMART2") {
            smart2::recurrent_10y(x)
        } else {
            panic!("{name}: unknown event model {}", model.name)
        };
        let equation = equation.risk.unwrap();
        let cumulative: f64 = model.annual_hazard[..10].iter().sum();
        let projected = 1.0 - (-cumulative).exp();
        assert!(
            (projected / equation - 1.0).abs() < 0.05,
            "{name}: {} projects {:.1}% over ten years with frozen risk factors, the equation says {:.1}%",
            model.name,
            projected * 100.0,
            equation * 100.0
        );
        checked += 1;
    }
    assert!(checked >= 8, "most demo patients have an event model ({checked})");
}

/// One risk per patient on every surface: the equation the risk explanation shows, the
/// projection of current treatment (`simulate`, 10 years), the current-treatment cell of the
/// heatmap and the suggestion's baseline are the same number (within 5% relative, the Monte
/// Carlo and risk-factor spread of the ensembles), for every demo patient with an event model.
#[test]
fn risk_simulate_heatmap_and_suggest_give_one_risk_per_patient() {
    let mut checked = 0;
    for file in twin_test_support::demo_files() {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let bundle: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let (s, id, _dir) = open(&bundle);
        let projection = call(
            &s,
            "simulate",
            json!({ "id": id, "scenario": { "name": "current", "interventions": [] },
                    "ensemble": { "months": 120, "members": 1000, "seed": 1 } }),
        );
        if projection["hasEventModel"] != true {
            continue;
        }
        let model = projection["eventModel"].as_str().unwrap();
        let risk = call(&s, "risk", json!({ "id": id }));
        // Heart failure: MAGGIC's 3-year death, read at 3 years on every surface.
        let at = if model.starts_with("MAGGIC") { 36 } else { 120 };
        let equation = if model.starts_with("MAGGIC") {
            &risk["maggic"]["death_3y"]
        } else if model.starts_with("PREVENT") {
            &risk["prevent"]["cvd_10y"]
        } else if model.starts_with("PCE") {
            &risk["pce"]["ascvd_10y"]
        } else if model.starts_with("SMART2") {
            &risk["smart2"]["recurrent_10y"]
        } else if model.starts_with("SCORE2-Diabetes") {
            &risk["score2Diabetes"]["cvd_10y"]
        } else {
            &risk["score2"]["cvd_10y"]
        };
        let equation = equation
            .as_f64()
            .or(equation["value"].as_f64())
            .unwrap_or_else(|| panic!("{name}: {model} on the risk screen"));
        let band = projection["outputs"].as_array().unwrap().iter().find(|o| o["output"] == "event_risk").unwrap();
        let simulated = band["p50"][at].as_f64().unwrap();
        let heatmap = call(
            &s,
            "heatmap",
            json!({ "id": id, "x": { "axis": "sbpLowering", "from": 0.0, "to": 20.0 }, "y": { "axis": "ldlLowering", "from": 0.0, "to": 40.0 },
                    "grid": 2, "ensemble": { "months": 120, "members": 1000, "seed": 1 } }),
        );
        let cell = heatmap["cells"][0]["p50"].as_f64().unwrap();
        let mut surfaces = vec![("simulate", simulated), ("heatmap", cell)];
        let suggestion = call(&s, "suggest", json!({ "id": id }));
        let ranked = suggestion["suggestion"]
            .as_object()
            .into_iter()
            .chain(suggestion["alternatives"].as_array().into_iter().flatten().filter_map(Value::as_object));
        if let Some(r) = ranked.filter_map(|c| c.get("risk")).find(|r| r.is_object()) {
            surfaces.push(("suggest", r["current"].as_f64().unwrap() / 100.0));
        }
        for (surface, value) in surfaces {
            assert!(
                (value / equation - 1.0).abs() < 0.05,
                "{name}: {surface} says {:.1}% under current treatment, the risk screen's {model} {:.1}%",
                value * 100.0,
                equation * 100.0
            );
        }
        checked += 1;
    }
    assert!(checked >= 8, "most demo patients have an event model ({checked})");
}
