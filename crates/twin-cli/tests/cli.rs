//! The `cardiotwin` binary as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cardiotwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cardiotwin")).args(args).output().expect("run cardiotwin")
}

fn demo(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo").join(file)
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
