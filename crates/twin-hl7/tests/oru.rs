//! ORU^R01 messages in the shapes labs send them: versions 2.3 and 2.5.1, plain files and MLLP
//! frames, `\r`, `\n` and `\r\n` segment ends, escape sequences, repeating OBX, NTE lines,
//! corrections, local codes, bad segments in the middle of a batch and the wrong patient.

use serde_json::Value;
use twin_hl7::message::{Hl7Error, ResultStatus, ResultValue};
use twin_hl7::observation::observations;
use twin_hl7::{patient, read_batch, Batch, CodeTable, OruMessage};

const LIPIDS_251: &str = include_str!("messages/v251_lipids.hl7");
const LOCAL_23: &str = include_str!("messages/v23_local_codes.hl7");

fn read(text: &str) -> Batch {
    read_batch(text, &CodeTable::new())
}

fn only(batch: &Batch) -> &OruMessage {
    assert_eq!(batch.messages.len(), 1, "{:?}", batch.messages);
    batch.messages[0].as_ref().expect("the message reads")
}

fn all_observations(batch: &Batch, patient_id: &str) -> Vec<Value> {
    observations(batch.messages.iter().flatten().flat_map(|m| m.results.iter().map(move |r| (m, r))), patient_id)
}

/// An ORU^R01 2.5.1 message around `obx` lines (segments joined with `\r`).
fn oru(control_id: &str, mrn: &str, filler: &str, obx: &[&str]) -> String {
    let mut lines = vec![
        format!("MSH|^~\\&|LAB|NORTHGATE|CT|CLINIC|20261110083000||ORU^R01^ORU_R01|{control_id}|P|2.5.1"),
        format!("PID|1||{mrn}^^^NGH^MR||ROE^RICHARD||19610101|M"),
        format!("OBR|1|P-{filler}|{filler}|24331-1^Lipid panel^LN|||20261109"),
    ];
    lines.extend(obx.iter().map(|s| (*s).to_string()));
    lines.join("\r") + "\r"
}

#[test]
fn a_251_lipid_panel_reads_with_units_flags_dates_and_notes() {
    let batch = read(LIPIDS_251);
    let message = only(&batch);
    assert_eq!(message.control_id, "NG-1001");
    assert_eq!(message.version, "2.5.1");
    assert_eq!(message.sending_facility, "NORTHGATE LAB");
    let ids: Vec<&str> = message.patient_identifiers.iter().map(|i| i.value.as_str()).collect();
    assert_eq!(ids, ["MRN-7731", "99-445-12"]);
    assert_eq!(message.patient_identifiers[0].authority.as_deref(), Some("NGH"));
    assert_eq!(message.results.len(), 4);
    assert!(message.problems.is_empty(), "{:?}", message.problems);

    let ldl = &message.results[2];
    assert_eq!(ldl.loinc.code, "13457-7");
    assert_eq!(ldl.value, ResultValue::Number { value: 3.9, comparator: None });
    assert_eq!(ldl.unit.as_deref(), Some("mmol/L"));
    assert_eq!(ldl.abnormal_flags, ["H"]);
    assert_eq!(ldl.status, ResultStatus::Final);
    assert_eq!(ldl.effective, "2026-11-10T07:45:00+00:00", "OBR-7 when OBX-14 is empty");
    assert_eq!(ldl.notes, ["Fasting 12 h\nFriedewald: TG & HDL from same sample"]);

    let obs = all_observations(&batch, "pat-1");
    assert_eq!(obs.len(), 4);
    let ldl = &obs[2];
    assert_eq!(ldl["resourceType"], "Observation");
    assert_eq!(ldl["status"], "final");
    assert_eq!(ldl["meta"]["source"], "hl7v2:NG-1001");
    assert_eq!(ldl["subject"]["reference"], "Patient/pat-1");
    assert_eq!(ldl["code"]["coding"][0]["system"], "http://loinc.org");
    assert_eq!(ldl["code"]["coding"][0]["code"], "13457-7");
    assert_eq!(ldl["valueQuantity"]["value"], 3.9);
    assert_eq!(ldl["valueQuantity"]["code"], "mmol/L");
    assert_eq!(ldl["valueQuantity"]["system"], "http://unitsofmeasure.org");
    assert_eq!(ldl["interpretation"][0]["coding"][0]["code"], "H");
    assert_eq!(ldl["referenceRange"][0]["text"], "<3.0");
    assert_eq!(ldl["identifier"][0]["value"], "NG-1001/OBX-3");
    assert_eq!(ldl["performer"][0]["display"], "NORTHGATE LAB");
    assert_eq!(ldl["note"][0]["text"], "Fasting 12 h\nFriedewald: TG & HDL from same sample");
    assert_eq!(obs[0]["effectiveDateTime"], "2026-11-10T07:45:00+00:00");
    let ids: std::collections::BTreeSet<&str> = obs.iter().filter_map(|o| o["id"].as_str()).collect();
    assert_eq!(ids.len(), 4, "each test of the order has its own id");
}

#[test]
fn a_23_message_with_newlines_maps_local_codes_through_the_table_and_names_the_rest() {
    let without_table = read(LOCAL_23);
    let message = only(&without_table);
    assert_eq!(message.version, "2.3");
    // Potassium carries its LOINC as OBX-3's alternate identifier; the rest are local only.
    let loinc: Vec<&str> = message.results.iter().map(|r| r.loinc.code.as_str()).collect();
    assert_eq!(loinc, ["2823-3"]);
    let unknown: Vec<String> =
        without_table.unknown_codes().iter().map(|(c, n)| format!("{}^{} x{n}", c.system, c.code)).collect();
    assert_eq!(unknown, ["L^COMM x1", "L^CREA x1", "L^GLU x1"]);

    let table = CodeTable::parse("system,code,loinc,description\nL,CREA,2160-0,Creatinine\nL,COMM,48767-8\n").unwrap();
    let batch = read_batch(LOCAL_23, &table);
    let message = only(&batch);
    let loinc: Vec<&str> = message.results.iter().map(|r| r.loinc.code.as_str()).collect();
    assert_eq!(loinc, ["2823-3", "2160-0", "48767-8"]);
    assert_eq!(batch.unknown_codes().len(), 1, "glucose is still unknown, never guessed");
    let creatinine = &message.results[1];
    assert_eq!(creatinine.effective, "2026-11-05");
    // ST with \F\ and \S\: the separators come back as text.
    assert_eq!(message.results[2].value, ResultValue::Text("Sample slightly haemolysed | repeat if K ^ 5.5".into()));
    let obs = all_observations(&batch, "p");
    assert_eq!(obs[1]["valueQuantity"]["code"], "mg/dL", "MG/DL is written as UCUM");
    assert_eq!(obs[1]["valueQuantity"]["unit"], "MG/DL", "and kept as written");
    assert_eq!(obs[1]["code"]["coding"][1]["code"], "CREA", "the local code is kept beside the LOINC");
    assert_eq!(obs[0]["valueQuantity"]["code"], "meq/L");
}

#[test]
fn every_escape_sequence_decodes() {
    let text = oru("E1", "M1", "F1", &[r"OBX|1|TX|48767-8^Comment^LN||a\F\b\S\c\T\d\R\e\E\f\.br\g||||||F"]);
    let batch = read(&text);
    assert_eq!(only(&batch).results[0].value, ResultValue::Text("a|b^c&d~e\\f\ng".into()));
}

#[test]
fn mllp_frames_with_crlf_and_a_correction_that_replaces_the_earlier_result() {
    let first = oru("C-1", "M1", "FL-1", &["OBX|1|NM|13457-7^LDL^LN||4.2|mmol/L||H|||F"]);
    let corrected = oru("C-2", "M1", "FL-1", &["OBX|1|NM|13457-7^LDL^LN||3.2|mmol/L||H|||C"]);
    let cancelled = oru("C-3", "M1", "FL-2", &["OBX|1|NM|2160-0^Creat^LN||||||||X"]);
    let framed: String =
        [first, corrected, cancelled].iter().map(|m| format!("\u{0b}{}\u{1c}\r", m.replace('\r', "\r\n"))).collect();
    let batch = read(&framed);
    assert_eq!(batch.messages.len(), 3);
    assert!(batch.messages.iter().all(Result::is_ok), "{:?}", batch.messages);
    assert_eq!(batch.messages[2].as_ref().unwrap().without_result, 1, "X is counted, not filed");
    let obs = all_observations(&batch, "p");
    assert_eq!(obs.len(), 1, "the correction replaces the result it corrects");
    assert_eq!(obs[0]["status"], "corrected");
    assert_eq!(obs[0]["valueQuantity"]["value"], 3.2);
    assert_eq!(obs[0]["meta"]["source"], "hl7v2:C-2");

    // The same correction in another batch gets the same id, so the record merge replaces it.
    let alone = read(&oru("C-1", "M1", "FL-1", &["OBX|1|NM|13457-7^LDL^LN||4.2|mmol/L||H|||F"]));
    assert_eq!(all_observations(&alone, "p")[0]["id"], obs[0]["id"]);

    // A final result that arrives after its correction does not undo it.
    let reordered = read(
        &[
            oru("C-2", "M1", "FL-1", &["OBX|1|NM|13457-7^LDL^LN||3.2|mmol/L||H|||C"]),
            oru("C-1", "M1", "FL-1", &["OBX|1|NM|13457-7^LDL^LN||4.2|mmol/L||H|||F"]),
        ]
        .concat(),
    );
    assert_eq!(all_observations(&reordered, "p")[0]["valueQuantity"]["value"], 3.2);
}

#[test]
fn repeating_obx_with_sub_ids_and_nte_between_them_stay_apart() {
    let text = oru(
        "R1",
        "M1",
        "FL-7",
        &[
            "OBX|1|NM|2823-3^Potassium^LN|1|5.9|mmol/L|3.5-5.1|HH|||F|||20261109080000",
            "NTE|1||Haemolysed sample",
            "NTE|2||Repeat requested",
            "OBX|2|NM|2823-3^Potassium^LN|2|4.6|mmol/L|3.5-5.1|N|||F|||20261109093000",
            "OBX|3|SN|4548-4^HbA1c^LN||<^4.0|%||L~A|||F",
            "OBX|4|SN|2160-0^Creat^LN||^1^-^3|mg/dL|||||F",
        ],
    );
    let batch = read(&text);
    let message = only(&batch);
    assert!(message.problems.is_empty(), "{:?}", message.problems);
    assert_eq!(message.results[0].notes, ["Haemolysed sample", "Repeat requested"]);
    assert!(message.results[1].notes.is_empty());
    assert_eq!(message.results[2].value, ResultValue::Number { value: 4.0, comparator: Some("<") });
    assert_eq!(message.results[2].abnormal_flags, ["L", "A"]);
    assert_eq!(message.results[3].value, ResultValue::Text("1-3".into()), "a range is not one value");
    let obs = all_observations(&batch, "p");
    assert_eq!(obs.len(), 4);
    assert_ne!(obs[0]["id"], obs[1]["id"], "OBX-4 sub-ids keep the two potassium results apart");
    assert_eq!(obs[0]["interpretation"][0]["coding"][0]["code"], "HH");
    assert_eq!(obs[2]["valueQuantity"]["comparator"], "<");
    assert_eq!(obs[0]["effectiveDateTime"], "2026-11-09", "a time with no zone is kept as its date");
}

#[test]
fn a_bad_segment_costs_its_message_and_the_rest_of_the_batch_reads() {
    let good = oru("B-1", "M1", "F1", &["OBX|1|NM|13457-7^LDL^LN||3.1|mmol/L|||||F"]);
    let mut broken = oru("B-2", "M1", "F2", &["OBX|1|NM|13457-7^LDL^LN||3.3|mmol/L|||||F"]);
    broken.push_str("this line is free text a sender let through\rOBX|2|NM|2085-9^HDL^LN||1.2|mmol/L||||F\r");
    let last = oru("B-3", "M1", "F3", &["OBX|1|NM|2085-9^HDL^LN||1.4|mmol/L|||||F"]);
    let batch = read(&[good, broken, last].concat());
    assert_eq!(batch.messages.len(), 3);
    assert!(batch.messages[0].is_ok() && batch.messages[2].is_ok());
    let err = batch.messages[1].as_ref().unwrap_err();
    assert_eq!(err.to_string(), "message B-2, segment 5 (unreadable): does not start with a three-character segment name; the message was not imported");
    assert_eq!(all_observations(&batch, "p").len(), 2);
}

#[test]
fn a_bad_obx_costs_only_itself_and_is_named() {
    let text = oru(
        "O-1",
        "M1",
        "F1",
        &[
            "OBX|1|NM|13457-7^LDL^LN||3,4|mmol/L|||||F",
            "OBX|2|NM|2085-9^HDL^LN||1.2|mmol/L|||||F",
            "OBX|3|NM|2093-3^TC^LN||5.1|mmol/L|||||F|||2026-11-09",
            "OBX|4|NM|13457-8^LDL^LN||3.1|mmol/L|||||F",
            "OBX|5|NM|2571-8^TG^LN||1.1|mmol/L|||||Q",
        ],
    );
    let batch = read(&text);
    let message = only(&batch);
    assert_eq!(message.results.len(), 1);
    let problems: Vec<String> = message.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "message O-1, segment 4 (OBX): OBX-5 is not a number for a numeric (NM) result",
            "message O-1, segment 6 (OBX): OBX-14 is not an HL7 date and time (YYYYMMDD[HHMM[SS]][+ZZZZ])",
            "message O-1, segment 7 (OBX): OBX-3 is marked LN but is not a LOINC code (its check digit does not match)",
            "message O-1, segment 8 (OBX): OBX-11 result status 'Q' is not one of HL7 table 0085",
        ]
    );
}

#[test]
fn messages_that_are_not_oru_r01_in_a_read_version_are_refused_whole() {
    let adt = "MSH|^~\\&|ADT|H|||20261101||ADT^A01|A-1|P|2.5.1\rPID|1||M1\r";
    let v27 = "MSH|^~\\&|LAB|H|||20261101||ORU^R01|V-1|P|2.7\rPID|1||M1\r";
    let no_id = "MSH|^~\\&|LAB|H|||20261101||ORU^R01||P|2.5.1\rPID|1||M1\r";
    let no_pid = "MSH|^~\\&|LAB|H|||20261101||ORU^R01|N-1|P|2.5.1\rOBR|1\r";
    let two = "MSH|^~\\&|LAB|H|||20261101||ORU^R01|T-1|P|2.4\rPID|1||M1\rOBR|1\rPID|2||M2\r";
    let batch = read(&[adt, v27, no_id, no_pid, two].concat());
    let errors: Vec<String> = batch.messages.iter().map(|m| m.as_ref().unwrap_err().to_string()).collect();
    assert_eq!(
        errors,
        [
            "message A-1: is ADT^A01, not a lab result (ORU^R01); not imported",
            "message V-1: HL7 version '2.7' is not read (2.3 to 2.5.1 are); not imported",
            "message #3 in the file (no control id): has no message control id (MSH-10), so its results could not be traced; not imported",
            "message N-1: has no patient (PID) segment; not imported",
            "message T-1, segment 4 (PID): a second patient in one message is not read; send one patient per message. Not imported",
        ]
    );
}

#[test]
fn the_wrong_patient_is_recognised_and_errors_carry_no_patient_data() {
    let text = oru("W-1", "MRN-555", "F1", &["OBX|1|NM|13457-7^LDL^LN||abc|mmol/L|||||F"]);
    let batch = read(&text);
    let message = only(&batch);
    assert!(patient::is_about(message, "p-1", &["MRN-555".to_string()]));
    assert!(patient::is_about(message, "MRN-555", &[]), "the patient id itself may be sent in PID-3");
    assert!(!patient::is_about(message, "p-1", &["MRN-556".to_string()]));
    for problem in &message.problems {
        let text = problem.to_string();
        for phi in ["MRN-555", "ROE", "RICHARD", "19610101", "abc"] {
            assert!(!text.contains(phi), "{text} names {phi}");
        }
    }
    assert!(matches!(message.problems[0], Hl7Error::Segment { segment: 4, .. }));
}

#[test]
fn hostile_input_never_panics() {
    let fixed = [
        "MSH",
        "MSH|",
        "MSH|^",
        "MSH|^~\\&",
        "MSH|^~\\&|||||||ORU^R01|1|P|2.5.1\rPID|1||\u{e9}\u{1F600}\rOBX|\u{0}",
        "\u{0b}\u{1c}\r",
        "MSH\u{0b}",
        "MSHX|",
        "MSH|^~\\&|||||||ORU^R01|1|P|2.5.1\rOBX|1|NM|13457-7^^LN||1|mmol/L|||||F|||20261301",
        "MSH|^~\\&|||||||ORU^R01|1|P|2.5.1\rPID|1||M\rOBX|1|SN|13457-7^^LN||>=^^:^|mmol/L|||||F|||2026\\",
    ];
    // A small linear congruential generator: the same cases on every run.
    let alphabet: Vec<char> = "MSHPIDOBXRNTE|^~\\&\r\n\u{0b}\u{1c}0123456789.+-<>=LNFCX \u{e9}".chars().collect();
    let mut state: u64 = 42;
    let mut next = move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let header = "MSH|^~\\&|L|F|||20261101||ORU^R01|Z|P|2.5.1\rPID|1||M\rOBR|1||F|||20261101\r";
    let mut cases: Vec<String> = fixed.iter().map(|s| (*s).to_string()).collect();
    for _ in 0..3000 {
        let len = next() % 80;
        let noise: String = (0..len).map(|_| alphabet[next() % alphabet.len()]).collect();
        cases.push(format!("{header}OBX|{noise}"));
        cases.push(noise);
    }
    for case in &cases {
        let batch = read(case);
        let _ = all_observations(&batch, "p");
    }
}
