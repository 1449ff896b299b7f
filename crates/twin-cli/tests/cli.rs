//! The `cardiotwin` binary as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cardiotwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cardiotwin"))
        .env("CARDIOTWIN_AS_OF", twin_test_support::CONSULTATION_DAY_TEXT)
        .args(args)
        .output()
        .expect("run cardiotwin")
}

fn demo(file: &str) -> PathBuf {
    twin_test_support::demo_file(file)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn patient_json_prints_the_harmonised_record() {
    let file = demo("02-post-pci-coronary-disease.json");
    let out = cardiotwin(&["patient", "--bundle", file.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["id"], "ct-demo-02");
    assert_eq!(v["synthetic"], true);
    let latest = v["latest"].as_array().expect("latest");
    let ldl = latest.iter().find(|l| l["key"] == "ldl_cholesterol").expect("LDL");
    assert_eq!(ldl["unit"], "mmol/L");
    assert!(ldl["date"].as_str().is_some_and(|d| d.len() == 10));
    let meds: Vec<&str> =
        v["activeMedications"].as_array().unwrap().iter().filter_map(|m| m["agent"].as_str()).collect();
    assert!(meds.contains(&"atorvastatin") && meds.contains(&"aspirin"), "{meds:?}");
    assert!(!meds.contains(&"clopidogrel"), "clopidogrel was stopped after a year of DAPT");
    let conditions: Vec<&str> =
        v["conditions"].as_array().unwrap().iter().filter_map(|c| c["label"].as_str()).collect();
    assert!(conditions.contains(&"Coronary artery disease"));
}

#[test]
fn patient_text_is_readable() {
    let file = demo("03-heart-failure-reduced-ef.json");
    let out = cardiotwin(&["patient", "--bundle", file.to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("SYNTHETIC"));
    assert!(text.contains("LV ejection fraction"));
    assert!(text.contains("Heart failure with reduced EF"));
}

#[test]
fn bad_files_get_one_line_and_a_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let truncated = dir.path().join("truncated.json");
    let full = std::fs::read_to_string(demo("01-uncontrolled-hypertension.json")).unwrap();
    std::fs::write(&truncated, &full[..full.len() / 2]).unwrap();
    let not_fhir = dir.path().join("not-fhir.json");
    std::fs::write(&not_fhir, "{\"name\": \"x\"}").unwrap();
    let binary = dir.path().join("binary.json");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x12]).unwrap();
    let missing = dir.path().join("missing.json");
    for (file, expect) in [
        (&truncated, "truncated"),
        (&not_fhir, "not a FHIR resource"),
        (&binary, "not UTF-8"),
        (&missing, "no such file"),
    ] {
        let out = cardiotwin(&["patient", "--bundle", file.to_str().unwrap(), "--format", "json"]);
        assert_eq!(out.status.code(), Some(1), "{}", file.display());
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.contains(file.file_name().unwrap().to_str().unwrap()), "names the file: {err}");
        assert!(err.contains(expect), "says what is wrong: {err}");
        assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn demo_cohort_writes_the_committed_bundles() {
    let dir = tempfile::tempdir().unwrap();
    let out = cardiotwin(&["demo-cohort", "--seed", "1", "--out", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut n = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let written = std::fs::read(&path).unwrap();
        let committed = std::fs::read(demo(path.file_name().unwrap().to_str().unwrap())).unwrap();
        assert!(written == committed, "{}", path.display());
        n += 1;
    }
    assert_eq!(n, 12);
}

#[test]
fn usage_errors_exit_2() {
    let out = cardiotwin(&["patient"]);
    assert_eq!(out.status.code(), Some(2));
}

fn risk_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["risk", "--format", "json"];
    all.extend_from_slice(args);
    let out = cardiotwin(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn risk_reproduces_the_pce_worked_example_from_the_command_line() {
    for (sex, race, published) in
        [("female", "white", 0.021), ("female", "black", 0.030), ("male", "white", 0.053), ("male", "black", 0.061)]
    {
        let v = risk_json(&[
            "--age",
            "55",
            "--sex",
            sex,
            "--race",
            race,
            "--tc",
            "213",
            "--hdl",
            "50",
            "--sbp",
            "120",
            "--bp-treated",
            "false",
            "--smoker",
            "false",
            "--diabetes",
            "false",
        ]);
        let pce = v["pce"]["ascvd_10y"]["value"].as_f64().expect("a value");
        assert!((pce - published).abs() < 0.0015, "{sex} {race}: {pce}");
        // Without eGFR, PREVENT names what it lacks rather than guessing.
        assert!(v["prevent"]["cvd_10y"]["value"].is_null());
        assert!(v["prevent"]["cvd_10y"]["reason"].as_str().unwrap().contains("eGFR"));
        assert!(v["score2"]["cvd_10y"]["reason"].as_str().unwrap().contains("region"));
    }
}

#[test]
fn risk_out_of_range_is_null_with_a_reason_and_mmol_units_work() {
    let v = risk_json(&[
        "--age",
        "85",
        "--sex",
        "male",
        "--race",
        "white",
        "--tc",
        "5.5",
        "--hdl",
        "1.3",
        "--units",
        "mmol/l",
        "--sbp",
        "140",
        "--bp-treated",
        "true",
        "--smoker",
        "true",
        "--diabetes",
        "false",
        "--egfr",
        "70",
        "--bmi",
        "27",
        "--statin",
        "false",
        "--region",
        "high",
    ]);
    assert!(v["pce"]["ascvd_10y"]["value"].is_null());
    assert!(v["pce"]["ascvd_10y"]["reason"].as_str().unwrap().contains("age 85.0 years is outside"));
    let score2 = v["score2"]["cvd_10y"]["value"].as_f64().expect("SCORE2-OP covers 85");
    assert!((0.0..=1.0).contains(&score2));
    let contributions = v["score2"]["cvd_10y"]["contributions"].as_array().unwrap();
    assert!(contributions.iter().any(|c| c["factor"] == "smoking"));
}

#[test]
fn risk_from_a_bundle_uses_the_latest_values_with_dates() {
    let file = demo("07-smoker-high-ldl.json");
    let v = risk_json(&["--bundle", file.to_str().unwrap(), "--race", "white", "--region", "low"]);
    for key in ["cvd_10y", "ascvd_10y", "hf_10y"] {
        let x = v["prevent"][key]["value"].as_f64().unwrap_or_else(|| panic!("{key}: {}", v["prevent"][key]));
        assert!((0.0..=1.0).contains(&x));
    }
    let inputs = v["inputs"].as_array().unwrap();
    let sbp = inputs.iter().find(|i| i["name"] == "Systolic BP").expect("SBP input");
    assert!(sbp["date"].as_str().is_some() && sbp["source"].as_str().unwrap().starts_with("Observation/"));
    let smoker = inputs.iter().find(|i| i["name"] == "current smoker").unwrap();
    assert_eq!(smoker["value"], "yes");
}

/// The PREVENT paper's worked woman (Supplemental Table S25) with HbA1c and UACR given on the
/// command line: `preventr`'s expected figures for its HbA1c and UACR models, UACR given in
/// mg/mmol, and an out-of-range HbA1c set aside with a note.
/// Patient 09 (atrial fibrillation): the risk text carries CHA₂DS₂-VA 2, CHA₂DS₂-VASc 3 and
/// HAS-BLED 1 with each item's input, and says the event equations leave atrial fibrillation out.
#[test]
fn risk_text_shows_the_atrial_fibrillation_scores() {
    let file = demo("09-atrial-fibrillation.json");
    let out = cardiotwin(&["risk", "--bundle", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    for line in ["CHA₂DS₂-VA     2 of 8", "CHA₂DS₂-VASc   3 of 9", "HAS-BLED       1 of 9"] {
        assert!(text.contains(line), "{line}: {text}");
    }
    assert!(text.contains("(systolic BP: 133 mmHg, 2026-03-31, Observation/"), "{text}");
    assert!(text.contains("oral anticoagulation is recommended (ESC 2024, class I)"), "{text}");
    assert!(text.contains("not modelled in the projected event risk"), "{text}");
    let other = cardiotwin(&["risk", "--bundle", demo("01-uncontrolled-hypertension.json").to_str().unwrap()]);
    assert!(!String::from_utf8(other.stdout).unwrap().contains("CHA₂DS₂-VA"), "no AF, no AF scores");
}

#[test]
fn risk_uses_prevent_hba1c_and_uacr_models_from_flags() {
    let woman = [
        "--age",
        "50",
        "--sex",
        "female",
        "--tc",
        "200",
        "--hdl",
        "45",
        "--sbp",
        "160",
        "--bp-treated",
        "true",
        "--smoker",
        "false",
        "--diabetes",
        "true",
        "--egfr",
        "90",
        "--bmi",
        "35",
        "--statin",
        "false",
    ];
    let with = |extra: &[&str]| risk_json(&[&woman[..], extra].concat());
    let base = with(&[]);
    assert_eq!(base["prevent"]["model"], "base");
    assert!((base["prevent"]["cvd_10y"]["value"].as_f64().unwrap() - 0.147).abs() < 0.0005);

    let a1c = with(&["--hba1c", "9.2"]);
    assert_eq!(a1c["prevent"]["model"], "hba1c");
    assert!((a1c["prevent"]["hf_10y"]["value"].as_f64().unwrap() - 0.107).abs() < 0.0005);
    let contributions = a1c["prevent"]["cvd_10y"]["contributions"].as_array().unwrap();
    assert!(contributions.iter().any(|c| c["factor"] == "HbA1c" && c["value"].as_f64().unwrap() > 0.0));

    // 92 mg/g is 10.41 mg/mmol.
    let uacr = with(&["--uacr", "10.407", "--uacr-units", "mg/mmol"]);
    assert_eq!(uacr["prevent"]["model"], "uacr");
    assert!((uacr["prevent"]["cvd_30y"]["value"].as_f64().unwrap() - 0.565).abs() < 0.0005);

    let set_aside = with(&["--hba1c", "17", "--uacr", "92"]);
    assert_eq!(set_aside["prevent"]["model"], "uacr");
    let notes = set_aside["prevent"]["cvd_10y"]["notes"].as_array().unwrap();
    assert!(notes[0].as_str().unwrap().contains("HbA1c 17"), "{notes:?}");

    let out =
        cardiotwin(&[&["risk"][..], &woman[..], &["--hba1c", "9.2", "--uacr", "92", "--sdi-decile", "2"]].concat());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("PREVENT full model") && text.contains("17.4%"), "{text}");
    assert_eq!(cardiotwin(&[&["risk"][..], &woman[..], &["--sdi-decile", "11"]].concat()).status.code(), Some(2));
}

#[test]
fn risk_from_a_bundle_reads_uacr_and_hba1c() {
    // Mass units (mg/g) and molar units (mg/mmol) bundles.
    for (file, model) in [("04-type2-diabetes-ckd3.json", "full"), ("12-resistant-hypertension.json", "full")] {
        let path = demo(file);
        let v = risk_json(&["--bundle", path.to_str().unwrap()]);
        assert_eq!(v["prevent"]["model"], model, "{file}");
        let uacr = v["inputs"].as_array().unwrap().iter().find(|i| i["name"] == "Urine albumin/creatinine ratio");
        assert!(uacr.is_some_and(|u| u["value"].as_str().unwrap().ends_with("mg/g")), "{file}");
    }
}

#[test]
fn risk_without_required_values_is_a_usage_error() {
    let out = cardiotwin(&["risk", "--age", "55"]);
    assert_eq!(out.status.code(), Some(2));
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let out = cardiotwin(args);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn scenario(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/scenarios").join(file).to_str().unwrap().to_string()
}

#[test]
fn twin_reference_and_calibrated_patients() {
    let v = json_of(&["twin", "--reference", "--format", "json"]);
    let h = &v["hemodynamics"];
    assert!((h["sbp"].as_f64().unwrap() - 120.0).abs() <= 5.0);
    assert!(v["pvLoop"]["volume"].as_array().unwrap().len() >= 50);
    // Every demo patient: BP within 2 mmHg, EF within 2 points, and the model's cardiac output
    // within half an SD of the population prior (a prior, not a reading: 0 readings).
    for file in [
        "01-uncontrolled-hypertension.json",
        "03-heart-failure-reduced-ef.json",
        "06-isolated-systolic-hypertension.json",
        "11-post-cabg-diabetes.json",
    ] {
        let path = demo(file);
        let v = json_of(&["twin", "--bundle", path.to_str().unwrap(), "--format", "json"]);
        for fit in v["fit"].as_array().unwrap() {
            let residual = fit["residual"].as_f64().unwrap();
            if fit["name"] == "cardiac_output_prior" {
                assert!(residual.abs() < 0.5 * fit["sd"].as_f64().unwrap() && fit["nReadings"] == 0, "{file}: {fit}");
            } else {
                assert!(residual.abs() < 2.0, "{file}: {fit}");
            }
        }
        let co = v["hemodynamics"]["cardiacOutput"].as_f64().unwrap();
        assert!((4.0..8.0).contains(&co), "{file}: cardiac output {co}");
    }
    let file = demo("03-heart-failure-reduced-ef.json");
    let v = json_of(&["twin", "--bundle", file.to_str().unwrap(), "--format", "json"]);
    let e_max = v["params"].as_array().unwrap().iter().find(|p| p["name"] == "e_max").unwrap();
    assert!(e_max["low90"].as_f64().unwrap() < e_max["value"].as_f64().unwrap());
}

#[test]
fn simulate_prints_bands_and_is_reproducible() {
    let file = demo("07-smoker-high-ldl.json");
    let args = [
        "simulate",
        "--bundle",
        file.to_str().unwrap(),
        "--months",
        "24",
        "--members",
        "200",
        "--seed",
        "3",
        "--format",
        "json",
    ];
    let a = json_of(&args);
    let b = json_of(&args);
    assert_eq!(a, b, "same seed, same projection");
    let outputs = a["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 13);
    let co = outputs.iter().find(|o| o["output"] == "cardiac_output").expect("cardiac output");
    assert_eq!(co["unit"], "L/min");
    for band in outputs {
        let (p5, p50, p95) =
            (band["p5"].as_array().unwrap(), band["p50"].as_array().unwrap(), band["p95"].as_array().unwrap());
        assert_eq!(p50.len(), 25);
        if let (Some(lo), Some(mid), Some(hi)) = (p5[24].as_f64(), p50[24].as_f64(), p95[24].as_f64()) {
            assert!(lo <= mid && mid <= hi, "{}", band["output"]);
        }
    }
    assert_eq!(a["eventModel"], "PREVENT 10-year total CVD");
}

#[test]
fn compare_reports_differences_shares_and_sentences() {
    let file = demo("01-uncontrolled-hypertension.json");
    let v = json_of(&[
        "compare",
        "--bundle",
        file.to_str().unwrap(),
        "--scenario",
        "current",
        "--scenario",
        &scenario("add-amlodipine-80.json"),
        "--members",
        "300",
        "--format",
        "json",
    ]);
    let diff = &v["differences"][0];
    let sbp_at = |month: u32| {
        diff["differences"].as_array().unwrap().iter().find(|d| d["month"] == month && d["output"] == "sbp").unwrap()
    };
    // Amlodipine standard dose (Law 2003: 8.8 mmHg) at 80% adherence: about 7 mmHg, scaled by the
    // patient's response factor, and by the share still taking a new drug (real-world persistence,
    // the scenario file's default: Vrijens 2008), so smaller at five years than at six months.
    let (early, sbp_5y) = (sbp_at(6)["median"].as_f64().unwrap(), sbp_at(60));
    let median = sbp_5y["median"].as_f64().unwrap();
    assert!((-10.0..-3.0).contains(&early), "{early}");
    assert!((-8.0..-2.0).contains(&median) && median > early, "{early} then {median}");
    assert!(sbp_5y["p5"].as_f64().unwrap() < median && median < sbp_5y["p95"].as_f64().unwrap());
    let shares = diff["shares"].as_array().unwrap();
    assert!(shares.iter().any(|s| s["intervention"].as_str().unwrap().contains("Calcium-channel blocker")));
    assert!(diff["explanation"].as_array().unwrap().len() >= 2);
}

#[test]
fn bad_scenarios_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"name": "x", "interventions": [{"type": "start_drug", "class": "ccb", "adherence": 2}]}"#)
        .unwrap();
    let file = demo("01-uncontrolled-hypertension.json");
    let out = cardiotwin(&["simulate", "--bundle", file.to_str().unwrap(), "--scenario", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("bad.json") && err.contains("between 0 and 1"), "{err}");
}

#[test]
fn suggest_prints_the_plan_its_evidence_and_is_reproducible() {
    let file = demo("01-uncontrolled-hypertension.json");
    let args = ["suggest", "--bundle", file.to_str().unwrap(), "--members", "200", "--format", "json"];
    let first = cardiotwin(&args);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(first.stdout, cardiotwin(&args).stdout, "same seed, same plan");
    let v: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert!(["suggested", "noneReaches"].contains(&v["outcome"].as_str().unwrap()));
    // The issue's schema: plan steps with month, changes (action, agent, drugClass, doseMg),
    // checks and why; alerts; targets with their sources; exclusions with their rule.
    let plan = v["plan"].as_array().unwrap();
    assert!(plan.len() >= 2, "a first step and reviews");
    assert_eq!(plan[0]["month"], 0);
    let change = plan[0]["changes"].as_array().unwrap().iter().find(|c| c["drugClass"].is_string()).unwrap();
    assert!(change["action"].is_string() && change["agent"].is_string() && change["doseMg"].is_number(), "{change}");
    assert!(plan[0]["checks"].is_array() && plan[0]["why"].is_string());
    assert!(v["alerts"].is_array() && v["excluded"].is_array());
    assert!(v["targets"]["bpSource"].as_str().unwrap().contains("ESC"));
    assert!(v["targets"]["ldlReason"].as_str().unwrap().contains("ESC/EAS 2019"));
    assert!(v["suggestion"]["risk"]["reduction"].as_f64().unwrap() > 0.0);
    let text = cardiotwin(&["suggest", "--bundle", file.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Plan:") && text.contains("Why:") && text.contains("lisinopril"), "{text}");
    // Heart failure alone: no statin indication, no BP or lipid change, and it says why.
    let hf = demo("03-heart-failure-reduced-ef.json");
    let out = cardiotwin(&["suggest", "--bundle", hf.to_str().unwrap(), "--members", "200", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["statin"]["indicated"], false, "{}", v["statin"]["reason"]);
    // Post-CABG: SMART2 drives the event risk, and the plan lowers it.
    let cabg = demo("11-post-cabg-diabetes.json");
    let out = cardiotwin(&["suggest", "--bundle", cabg.to_str().unwrap(), "--members", "200", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["suggestion"]["risk"]["reduction"].as_f64().unwrap() > 0.0, "{}", v["suggestion"]["risk"]);
}

/// An as-of day that is not a date is refused in words, before anything is computed.
#[test]
fn a_bad_as_of_day_is_named_and_refused() {
    let out = cardiotwin(&[
        "--as-of",
        "2026-13-40",
        "patient",
        "--bundle",
        demo("01-uncontrolled-hypertension.json").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("'2026-13-40' is not a date: write the as-of day as YYYY-MM-DD"), "{stderr}");
}

#[test]
fn answers_built_on_a_record_print_the_stale_inputs_with_what_to_re_measure() {
    // A data folder that does not exist: no saved limits, the defaults, and nothing created.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("not-yet");
    let file = demo("01-uncontrolled-hypertension.json");
    let stale_bp =
        "STALE blood pressure: last measured 2026-03-25, 8 months ago (limit 3): re-measure office or home BP";
    let stale_ldl =
        "STALE LDL cholesterol: last measured 2025-07-11, 17 months ago (limit 12): repeat the lipid profile";
    for command in [&["twin"][..], &["risk"], &["patient"], &["simulate", "--months", "12", "--members", "50"]] {
        let args =
            [&["--data-dir", data.to_str().unwrap()][..], command, &["--bundle", file.to_str().unwrap()]].concat();
        let out = cardiotwin(&args);
        assert!(out.status.success(), "{command:?}: {}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("model calibrated to readings up to 2026-03-25 (8 months before 2026-12-01)."),
            "{command:?}: {text}"
        );
        assert!(text.contains(stale_bp) && text.contains(stale_ldl), "{command:?}: {text}");
        assert!(
            !text.contains("Note: the stale-data limits"),
            "{command:?}: the defaults apply without a note: {text}"
        );
    }
    assert!(!data.exists(), "reading the limits does not create a data folder");
}
