//! `cardiotwin import --hl7` as a user runs it: a real sealed store in a temporary data folder
//! with the real keychain, a demo patient imported first, then HL7 v2 ORU^R01 files from a lab
//! (MLLP-framed and plain, a correction, a local code, the wrong patient, a bad segment), and
//! the record read back.
//!
//! Needs a D-Bus session with a keyring (what `scripts/test` sets up); without one the test says
//! so and passes.

mod common;

use common::{cardiotwin, keychain, text};
use std::path::Path;
use std::process::Output;

use serde_json::Value;

const PATIENT: &str = "ct-demo-02";
/// The demo patient's identifier (`urn:cardiotwin:demo`), as the lab sends it in PID-3.
const MRN: &str = "02-post-pci-coronary-disease";

/// One ORU^R01 v2.5.1 message for `mrn` with `obx` lines, MLLP-framed.
fn framed(control_id: &str, mrn: &str, obx: &[&str]) -> String {
    let mut segments = vec![
        format!("MSH|^~\\&|LIS|NORTHGATE LAB|CT|CLINIC|20261120101500||ORU^R01^ORU_R01|{control_id}|P|2.5.1|||AL|NE"),
        format!("PID|1||{mrn}^^^DEMO^MR||TEST^PATIENT||19580312|F"),
        "OBR|1|PL-1|FL-2026-1120|24331-1^Lipid panel^LN|||202611200745+0000".to_string(),
    ];
    segments.extend(obx.iter().map(|s| (*s).to_string()));
    format!("\u{0b}{}\r\u{1c}\r", segments.join("\r"))
}

fn latest(data: &Path, key: &str) -> Value {
    let out = cardiotwin(data, &["cache", "show", PATIENT, "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out));
    let summary: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    summary["latest"].as_array().expect("latest").iter().find(|l| l["key"] == key).cloned().unwrap_or(Value::Null)
}

fn report(out: &Output) -> Value {
    assert!(out.status.success(), "{}", text(out));
    serde_json::from_slice(&out.stdout).expect("the report is JSON")
}

#[test]
fn lab_results_join_the_held_record_and_a_correction_replaces_them() {
    if !keychain("HL7 import") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let bundle = twin_test_support::demo_file("02-post-pci-coronary-disease.json");
    let out = cardiotwin(&data, &["cache", "import", "--bundle", bundle.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));

    let codes = dir.path().join("codes.csv");
    std::fs::write(&codes, "system,code,loinc,description\nL,CREA,2160-0,Creatinine\n").unwrap();
    let batch = [
        framed(
            "NG-1",
            MRN,
            &[
                "OBX|1|NM|13457-7^LDL Cholesterol (calc)^LN||1.4|mmol/L|<1.4|N|||F",
                "NTE|1|L|Fasting\\.br\\Friedewald",
                "OBX|2|NM|CREA^Creatinine^L||1.1|mg/dL|0.6-1.2|N|||F",
                "OBX|3|NM|GLU^Glucose^L||102|mg/dL|70-99|H|||F",
            ],
        ),
        framed("NG-2", "SOMEONE-ELSE", &["OBX|1|NM|13457-7^LDL^LN||4.9|mmol/L|||||F"]),
        framed("NG-3", MRN, &["OBX|1|NM|2085-9^HDL^LN||1.2|mmol/L|||||F", "free text where a segment should be"]),
    ]
    .concat();
    let file = dir.path().join("results.hl7");
    std::fs::write(&file, &batch).unwrap();
    let args = ["import", "--hl7", file.to_str().unwrap(), "--patient", PATIENT, "--codes", codes.to_str().unwrap()];
    let first = report(&cardiotwin(&data, &[&args[..], &["--format", "json"]].concat()));
    assert_eq!(first["messages"], 3);
    assert_eq!(first["imported"], 2, "{first}");
    assert_eq!(first["replaced"], 0);
    assert_eq!(first["skipped"], 1, "glucose has no mapping");
    assert_eq!(first["refusedMessages"], 2);
    assert_eq!(first["unknownCodes"][0]["code"], "GLU");
    let problems: Vec<&str> = first["problems"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("message NG-2: its patient identifiers (PID-3) are not the chosen patient's")),
        "{problems:?}"
    );
    assert!(problems.contains(&"message NG-3, segment 5 (unreadable): does not start with a three-character segment name; the message was not imported"), "{problems:?}");
    assert!(
        problems.iter().all(|p| !p.contains("SOMEONE-ELSE") && !p.contains("TEST")),
        "no patient data: {problems:?}"
    );

    let ldl = latest(&data, "ldl_cholesterol");
    assert_eq!(ldl["value"], 1.4, "{ldl}");
    assert_eq!(ldl["date"], "2026-11-20");
    let creatinine = latest(&data, "creatinine");
    assert_eq!(creatinine["date"], "2026-11-20", "the local code mapped through --codes: {creatinine}");

    // The lab corrects the LDL-C: same order, same test, OBX-11 = C. Plain file, \n line ends.
    let correction = framed("NG-4", MRN, &["OBX|1|NM|13457-7^LDL Cholesterol (calc)^LN||1.9|mmol/L|<1.4|H|||C"])
        .replace(['\u{0b}', '\u{1c}'], "")
        .replace('\r', "\n");
    std::fs::write(&file, correction).unwrap();
    // Without --patient the message goes to the held patient its PID-3 names.
    let second = report(&cardiotwin(&data, &["import", "--hl7", file.to_str().unwrap(), "--format", "json"]));
    assert_eq!((second["imported"].as_u64(), second["replaced"].as_u64()), (Some(0), Some(1)), "{second}");
    assert_eq!(second["patients"][0], PATIENT);
    assert_eq!(latest(&data, "ldl_cholesterol")["value"], 1.9, "the corrected value replaced the first");

    // The text report says the same in words.
    let words = cardiotwin(&data, &["import", "--hl7", file.to_str().unwrap()]);
    assert!(
        text(&words).contains("1 message(s) read: 0 result(s) imported, 1 replaced an earlier result"),
        "{}",
        text(&words)
    );

    // The original file sent again, with glucose now in the data folder's code table: the LDL-C
    // does not undo its correction, glucose is filed, creatinine replaces itself.
    std::fs::write(data.join("hl7-codes.csv"), "L,GLU,2345-7,Glucose\n").unwrap();
    std::fs::write(&file, &batch).unwrap();
    let third = report(&cardiotwin(&data, &[&args[..], &["--format", "json"]].concat()));
    assert_eq!(
        (third["imported"].as_u64(), third["replaced"].as_u64(), third["skipped"].as_u64()),
        (Some(1), Some(1), Some(1)),
        "{third}"
    );
    assert_eq!(third["codeTable"], "hl7-codes.csv + codes.csv (2 local codes)");
    assert!(third["problems"].as_array().unwrap().iter().any(|p| {
        p
        == "message NG-1/OBX-1: the record holds a correction of this result; the earlier result was not filed over it"
    }));
    assert_eq!(latest(&data, "ldl_cholesterol")["value"], 1.9, "the correction stands");

    // Nothing of the results lies in clear in the data folder.
    for path in twin_test_support::files_under(&data).into_iter().filter(|p| !p.ends_with("hl7-codes.csv")) {
        let bytes = std::fs::read(&path).unwrap();
        let clear = String::from_utf8_lossy(&bytes);
        assert!(
            !clear.contains("hl7v2:NG-1") && !clear.contains("13457-7"),
            "{} holds results in clear",
            path.display()
        );
    }
}

#[test]
fn a_file_whose_messages_name_nobody_held_files_nothing_and_fails() {
    if !keychain("HL7 import") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let bundle = twin_test_support::demo_file("02-post-pci-coronary-disease.json");
    assert!(cardiotwin(&data, &["cache", "import", "--bundle", bundle.to_str().unwrap()]).status.success());
    let file = dir.path().join("other.hl7");
    std::fs::write(&file, framed("X-1", "NOBODY-HERE", &["OBX|1|NM|13457-7^LDL^LN||2.0|mmol/L|||||F"])).unwrap();
    let out = cardiotwin(&data, &["import", "--hl7", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let all = text(&out);
    assert!(
        all.contains("message X-1: no patient held in the offline cache has its patient identifiers (PID-3)"),
        "{all}"
    );
    assert!(all.contains("no result from other.hl7 was filed"), "{all}");
    assert!(!all.contains("NOBODY-HERE"), "{all}");

    let empty = dir.path().join("empty.hl7");
    std::fs::write(&empty, "not an HL7 file\n").unwrap();
    let out = cardiotwin(&data, &["import", "--hl7", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("the file holds no HL7 v2 message (no MSH segment)"), "{}", text(&out));
}
