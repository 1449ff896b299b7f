//! The inputs heart-failure and AF care need: natriuretic peptides, QRS duration, rhythm, left
//! bundle-branch block, NYHA class as a condition, LVEF from echo reports, and the ARNI's dose.

use serde_json::{json, Value};
use twin_engine::drugs::{DoseLevel, DrugClass};
use twin_engine::record::{ConditionKind, MeasurementKind as K, NyhaClass, Rhythm};
use twin_fhir::{harmonise_bundle, Harmonised};

const LOINC: &str = "http://loinc.org";
const SNOMED: &str = "http://snomed.info/sct";

fn patient() -> Value {
    json!({ "resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "1959-02-01",
            "name": [{ "family": "Test", "given": ["Hal"] }] })
}

fn concept(system: &str, code: &str, display: &str) -> Value {
    json!({ "coding": [{ "system": system, "code": code, "display": display }], "text": display })
}

fn obs(id: &str, loinc: &str, date: &str) -> Value {
    json!({ "resourceType": "Observation", "id": id, "status": "final",
            "code": concept(LOINC, loinc, loinc),
            "subject": { "reference": "Patient/p1" }, "effectiveDateTime": date })
}

fn quantity(id: &str, loinc: &str, value: f64, unit: &str) -> Value {
    let mut o = obs(id, loinc, "2025-03-01");
    o["valueQuantity"] = json!({ "value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit });
    o
}

fn coded(id: &str, loinc: &str, date: &str, snomed: &str, display: &str) -> Value {
    let mut o = obs(id, loinc, date);
    o["valueCodeableConcept"] = concept(SNOMED, snomed, display);
    o
}

fn harmonise(resources: Vec<Value>) -> Harmonised {
    let entries: Vec<Value> = std::iter::once(patient()).chain(resources).map(|r| json!({ "resource": r })).collect();
    harmonise_bundle(json!({ "resourceType": "Bundle", "type": "collection", "entry": entries })).expect("bundle")
}

fn values(h: &Harmonised, kind: K) -> Vec<f64> {
    h.record.series(kind).iter().map(|s| s.value).collect()
}

#[test]
fn natriuretic_peptides_map_and_convert_by_their_own_molar_masses() {
    let h = harmonise(vec![
        quantity("nt-pg", "33762-6", 1450.0, "pg/mL"),
        quantity("nt-ngl", "83107-3", 2100.0, "ng/L"),
        quantity("nt-pmol", "33763-4", 100.0, "pmol/L"),
        quantity("bnp-pg", "30934-4", 320.0, "pg/mL"),
        quantity("bnp-pmol", "42637-9", 100.0, "pmol/L"),
    ]);
    assert!(h.problems.is_empty() && h.unmapped.is_empty(), "{:?} {:?}", h.problems, h.unmapped);
    let mut nt = values(&h, K::NtProBnp);
    nt.sort_by(f64::total_cmp);
    assert_eq!(nt.len(), 3);
    assert!((nt[0] - 845.7).abs() < 1e-9, "100 pmol/L of NT-proBNP is 845.7 pg/mL: {nt:?}");
    assert_eq!(&nt[1..], [1450.0, 2100.0]);
    let mut bnp = values(&h, K::Bnp);
    bnp.sort_by(f64::total_cmp);
    assert!((bnp[0] - 320.0).abs() < 1e-9 && (bnp[1] - 346.4).abs() < 1e-9, "{bnp:?}");
    assert_eq!(K::NtProBnp.canonical_unit().symbol(), "pg/mL");
}

#[test]
fn a_natriuretic_peptide_in_an_unknown_unit_is_a_problem_naming_the_resource() {
    let h = harmonise(vec![
        quantity("nt-odd", "33762-6", 1.45, "mg/dL"),
        quantity("bnp-odd", "30934-4", 320.0, "U/mL"),
        quantity("nt-ok", "33762-6", 1450.0, "pg/mL"),
    ]);
    let named: Vec<(&str, &str)> = h.problems.iter().map(|p| (p.resource.as_str(), p.reason.as_str())).collect();
    assert_eq!(named.len(), 2, "{named:?}");
    assert_eq!(named[0].0, "Observation/nt-odd");
    assert!(named[0].1.contains("mg/dL") && named[0].1.contains("NT-proBNP"), "{}", named[0].1);
    assert_eq!(named[1].0, "Observation/bnp-odd");
    assert!(named[1].1.contains("U/mL") && named[1].1.contains("BNP"), "{}", named[1].1);
    assert_eq!(values(&h, K::NtProBnp), [1450.0]);
    assert!(values(&h, K::Bnp).is_empty());
}

#[test]
fn implausible_peptides_and_qrs_are_set_aside() {
    let h = harmonise(vec![
        quantity("nt-huge", "33762-6", 250_000.0, "pg/mL"),
        quantity("bnp-zero", "30934-4", 0.5, "pg/mL"),
        quantity("qrs-in-s", "8633-0", 0.152, "ms"),
    ]);
    assert_eq!(h.problems.len(), 3, "{:?}", h.problems);
    assert!(h.problems.iter().all(|p| p.reason.contains("outside the possible range")), "{:?}", h.problems);
    assert!(h.record.series(K::NtProBnp).is_empty() && h.record.series(K::QrsDuration).is_empty());
}

#[test]
fn qrs_duration_is_read_in_milliseconds() {
    let h = harmonise(vec![quantity("qrs-ms", "8633-0", 152.0, "ms"), quantity("qrs-s", "8633-0", 0.096, "s")]);
    assert!(h.problems.is_empty(), "{:?}", h.problems);
    let mut qrs = values(&h, K::QrsDuration);
    qrs.sort_by(f64::total_cmp);
    assert!((qrs[0] - 96.0).abs() < 1e-9 && (qrs[1] - 152.0).abs() < 1e-9, "{qrs:?}");
}

#[test]
fn rhythm_observations_map_sinus_af_and_flutter() {
    let h = harmonise(vec![
        coded("r1", "8884-9", "2024-01-10", "426783006", "Sinus rhythm"),
        coded("r2", "8884-9", "2025-02-10", "49436004", "Atrial fibrillation"),
        coded("r3", "8884-9", "2025-06-10", "5370000", "Atrial flutter"),
        coded("r4", "8884-9", "2023-06-10", "251170000", "Ventricular bigeminy"),
    ]);
    let rhythms: Vec<(String, Rhythm, String)> =
        h.record.rhythm.iter().map(|(d, r, s)| (d.to_string(), *r, s.resource.clone())).collect();
    assert_eq!(
        rhythms,
        [
            ("2023-06-10".to_string(), Rhythm::Other, "Observation/r4".to_string()),
            ("2024-01-10".to_string(), Rhythm::Sinus, "Observation/r1".to_string()),
            ("2025-02-10".to_string(), Rhythm::AtrialFibrillation, "Observation/r2".to_string()),
            ("2025-06-10".to_string(), Rhythm::AtrialFlutter, "Observation/r3".to_string()),
        ]
    );
    assert_eq!(h.record.latest_rhythm().map(|r| r.1), Some(Rhythm::AtrialFlutter));
    // The rhythm we do not map is kept as "other" and counted, never dropped.
    assert_eq!(h.unmapped.len(), 1, "{:?}", h.unmapped);
    assert!(h.unmapped.keys().next().is_some_and(|k| k.contains("251170000")));
    // AF on an ECG is a rhythm, not a diagnosis.
    assert!(!h.record.has_ever(ConditionKind::AtrialFibrillation));
}

#[test]
fn an_ecg_impression_gives_the_rhythm_and_a_left_bundle_branch_block() {
    let h = harmonise(vec![
        coded("ecg-af", "8601-7", "2025-04-02", "49436004", "Atrial fibrillation"),
        coded("ecg-lbbb", "8601-7", "2025-05-02", "164909002", "Left bundle branch block"),
        coded("ecg-lbbb-earlier", "8601-7", "2024-05-02", "164909002", "Left bundle branch block"),
    ]);
    assert!(h.problems.is_empty() && h.unmapped.is_empty(), "{:?} {:?}", h.problems, h.unmapped);
    assert_eq!(h.record.rhythm.len(), 1);
    assert_eq!(h.record.rhythm[0].1, Rhythm::AtrialFibrillation);
    let lbbb: Vec<_> =
        h.record.conditions.iter().filter(|c| c.kind == Some(ConditionKind::LeftBundleBranchBlock)).collect();
    assert_eq!(lbbb.len(), 1, "one condition for repeated ECG findings");
    assert_eq!(lbbb[0].onset.map(|d| d.to_string()).as_deref(), Some("2024-05-02"), "since the first ECG");
    assert_eq!(lbbb[0].source.resource, "Observation/ecg-lbbb-earlier");
    assert!(h.record.has_active(ConditionKind::LeftBundleBranchBlock));
}

#[test]
fn a_twelve_lead_ecg_panel_gives_qrs_rhythm_and_morphology() {
    let mut panel = obs("ecg-1", "34534-8", "2026-05-24");
    panel["category"] = json!([{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "procedure" }] }]);
    panel["component"] = json!([
        { "code": concept(LOINC, "8633-0", "QRS duration"),
          "valueQuantity": { "value": 152, "unit": "ms", "system": "http://unitsofmeasure.org", "code": "ms" } },
        { "code": concept(LOINC, "8884-9", "Heart rate rhythm"), "valueCodeableConcept": concept(SNOMED, "426783006", "Sinus rhythm") },
        { "code": concept(LOINC, "8601-7", "EKG impression"), "valueCodeableConcept": concept(SNOMED, "164909002", "Left bundle branch block") },
        { "code": concept(LOINC, "8625-6", "P-R interval"),
          "valueQuantity": { "value": 180, "unit": "ms", "system": "http://unitsofmeasure.org", "code": "ms" } },
    ]);
    let h = harmonise(vec![panel]);
    assert!(h.problems.is_empty() && h.unmapped.is_empty(), "{:?} {:?}", h.problems, h.unmapped);
    assert_eq!(values(&h, K::QrsDuration), [152.0]);
    assert_eq!(h.record.series(K::QrsDuration)[0].source.resource, "Observation/ecg-1");
    assert_eq!(h.record.rhythm.iter().map(|r| r.1).collect::<Vec<_>>(), [Rhythm::Sinus]);
    assert!(h.record.has_active(ConditionKind::LeftBundleBranchBlock));
}

#[test]
fn left_bundle_branch_block_as_a_condition_by_snomed_or_icd10() {
    let cond = |id: &str, system: &str, code: &str| {
        json!({ "resourceType": "Condition", "id": id, "subject": { "reference": "Patient/p1" },
                "code": concept(system, code, "Left bundle branch block"), "onsetDateTime": "2022-01-01" })
    };
    for (system, code) in [(SNOMED, "164909002"), ("http://hl7.org/fhir/sid/icd-10-cm", "I44.7")] {
        let h = harmonise(vec![cond("c1", system, code)]);
        assert!(h.record.has_active(ConditionKind::LeftBundleBranchBlock), "{system}|{code}");
        assert!(h.unmapped.is_empty(), "{:?}", h.unmapped);
    }
}

#[test]
fn nyha_class_recorded_as_a_condition_feeds_the_functional_class() {
    let cond = |id: &str, code: &str, date: Option<&str>| {
        let mut c = json!({ "resourceType": "Condition", "id": id, "subject": { "reference": "Patient/p1" },
                            "code": concept(SNOMED, code, "New York Heart Association Classification") });
        if let Some(d) = date {
            c["recordedDate"] = json!(d);
        }
        c
    };
    let h = harmonise(vec![
        cond("n3", "420913000", Some("2025-09-01")),
        cond("n2", "421704003", Some("2024-09-01")),
        cond("n-undated", "422293003", None),
    ]);
    let classes: Vec<(String, NyhaClass)> =
        h.record.functional_class.iter().map(|(d, c, _)| (d.to_string(), *c)).collect();
    assert_eq!(classes, [("2024-09-01".into(), NyhaClass::Ii), ("2025-09-01".into(), NyhaClass::Iii)]);
    assert!(h.record.conditions.is_empty(), "an assessment, not a diagnosis");
    assert!(h.unmapped.is_empty(), "{:?}", h.unmapped);
    assert_eq!(h.problems.len(), 1);
    assert_eq!(h.problems[0].resource, "Condition/n-undated");
}

#[test]
fn lvef_from_an_echo_report_is_read_however_the_report_carries_it() {
    // An imaging Observation the report references as a resource of its own.
    let mut own = quantity("lvef-own", "18043-0", 35.0, "%");
    own["category"] = json!([{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "imaging" }] }]);
    own["effectiveDateTime"] = json!("2024-02-01");
    let referencing = json!({ "resourceType": "DiagnosticReport", "id": "echo-1", "status": "final",
        "code": concept(LOINC, "34552-0", "Cardiac 2D echo panel"), "subject": { "reference": "Patient/p1" },
        "effectiveDateTime": "2024-02-01", "result": [{ "reference": "Observation/lvef-own" }] });
    // An Observation contained in the report, without a subject of its own.
    let containing = json!({ "resourceType": "DiagnosticReport", "id": "echo-2", "status": "final",
        "code": concept(LOINC, "34552-0", "Cardiac 2D echo panel"), "subject": { "reference": "Patient/p1" },
        "effectiveDateTime": "2025-02-01", "result": [{ "reference": "#lvef" }],
        "contained": [{ "resourceType": "Observation", "id": "lvef", "status": "final",
            "code": concept(LOINC, "8806-2", "Left ventricular Ejection fraction by 2D echo"),
            "effectiveDateTime": "2025-02-01",
            "valueQuantity": { "value": 33, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%" } }] });
    // An echo panel Observation with the LVEF as a component.
    let mut panel = obs("echo-panel", "34552-0", "2026-02-01");
    panel["component"] = json!([{ "code": concept(LOINC, "10230-1", "Left ventricular Ejection fraction"),
        "valueQuantity": { "value": 31, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%" } }]);
    let h = harmonise(vec![referencing, own, containing, panel]);
    assert!(h.problems.is_empty() && h.unmapped.is_empty(), "{:?} {:?}", h.problems, h.unmapped);
    let lvef: Vec<(f64, String)> =
        h.record.series(K::Lvef).iter().map(|s| (s.value, s.source.resource.clone())).collect();
    assert_eq!(
        lvef,
        [
            (35.0, "Observation/lvef-own".to_string()),
            (33.0, "DiagnosticReport/echo-2#lvef".to_string()),
            (31.0, "Observation/echo-panel".to_string()),
        ]
    );
}

#[test]
fn a_contained_observation_of_another_patient_is_excluded() {
    let report = json!({ "resourceType": "DiagnosticReport", "id": "echo-x", "status": "final",
        "code": concept(LOINC, "34552-0", "Cardiac 2D echo panel"), "subject": { "reference": "Patient/p1" },
        "result": [{ "reference": "#lvef" }],
        "contained": [{ "resourceType": "Observation", "id": "lvef", "status": "final",
            "subject": { "reference": "Patient/other" },
            "code": concept(LOINC, "10230-1", "LVEF"), "effectiveDateTime": "2025-02-01",
            "valueQuantity": { "value": 33, "unit": "%", "code": "%" } }] });
    let h = harmonise(vec![report]);
    assert!(h.record.series(K::Lvef).is_empty());
    assert_eq!(h.problems.len(), 1);
    assert_eq!(h.problems[0].resource, "DiagnosticReport/echo-x#lvef");
}

fn arni_request(id: &str, dose: Value, per_day: u32) -> Value {
    json!({ "resourceType": "MedicationRequest", "id": id, "status": "active", "intent": "order",
        "subject": { "reference": "Patient/p1" }, "authoredOn": "2025-01-01",
        "medicationCodeableConcept": { "coding": [{ "system": "http://www.nlm.nih.gov/research/umls/rxnorm",
            "display": "sacubitril 97 MG / valsartan 103 MG Oral Tablet" }],
            "text": "sacubitril 97 MG / valsartan 103 MG Oral Tablet" },
        "dosageInstruction": [{ "timing": { "repeat": { "frequency": per_day, "period": 1, "periodUnit": "d" } },
            "doseAndRate": [{ "doseQuantity": dose }] }] })
}

#[test]
fn sacubitril_valsartan_97_103_twice_daily_is_400_mg_a_day() {
    let one_tablet = json!({ "value": 1, "unit": "tablet", "system": "http://unitsofmeasure.org", "code": "{tablet}" });
    let in_mg_of_sacubitril = json!({ "value": 97, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg" });
    let in_total_mg = json!({ "value": 200, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg" });
    let unitless = json!({ "value": 1 });
    for (i, dose) in [one_tablet, in_mg_of_sacubitril, in_total_mg, unitless].into_iter().enumerate() {
        let h = harmonise(vec![arni_request(&format!("rx{i}"), dose.clone(), 2)]);
        assert!(h.problems.is_empty(), "{:?}", h.problems);
        let m = &h.record.medications[0];
        assert_eq!(m.class, Some(DrugClass::Arni), "{dose}");
        assert_eq!(m.agent.as_deref(), Some("sacubitril"));
        assert_eq!(m.daily_dose_mg, Some(400.0), "{dose}: 97/103 mg twice daily is 400 mg a day of the ARNI");
        assert_eq!(m.dose_level, Some(DoseLevel::Double), "the target dose, twice the standard 200 mg a day");
    }
    // No structured dose: one tablet of the named strength at each administration.
    let mut bare = arni_request("rx-bare", json!({}), 2);
    bare["dosageInstruction"][0].as_object_mut().expect("dosage").remove("doseAndRate");
    let h = harmonise(vec![bare]);
    assert_eq!(h.record.medications[0].daily_dose_mg, Some(400.0));
    // 24/26 mg and 49/51 mg twice daily, by brand or generic name with the strengths joined.
    for (text, daily) in
        [("Entresto 24/26 mg film-coated tablets", 100.0), ("sacubitril/valsartan 49/51 mg tablet", 200.0)]
    {
        let mut request = arni_request("rx-named", json!({ "value": 1, "unit": "tablet" }), 2);
        request["medicationCodeableConcept"] = json!({ "text": text });
        let h = harmonise(vec![request]);
        assert_eq!(h.record.medications[0].class, Some(DrugClass::Arni), "{text}");
        assert_eq!(h.record.medications[0].daily_dose_mg, Some(daily), "{text}");
    }
}

#[test]
fn a_tablet_count_is_multiplied_by_the_named_strength_and_the_frequency() {
    let request = json!({ "resourceType": "MedicationRequest", "id": "rx", "status": "active", "intent": "order",
        "subject": { "reference": "Patient/p1" }, "authoredOn": "2025-01-01",
        "medicationCodeableConcept": { "text": "Metoprolol succinate 50 MG Extended Release Oral Tablet" },
        "dosageInstruction": [{ "timing": { "repeat": { "frequency": 2, "period": 1, "periodUnit": "d" } },
            "doseAndRate": [{ "doseQuantity": { "value": 2, "unit": "tablets" } }] }] });
    let h = harmonise(vec![request]);
    assert_eq!(h.record.medications[0].daily_dose_mg, Some(200.0));
}

/// The demo cohort's heart-failure patient (03) and AF patient (09) carry what this file reads.
#[test]
fn the_demo_heart_failure_and_af_patients_carry_the_markers() {
    let read = |slug: &str| {
        let text = std::fs::read_to_string(twin_test_support::demo_file(&format!("{slug}.json"))).expect("demo file");
        twin_fhir::harmonise_bundle_text(&text).expect("harmonises")
    };
    let hf = read("03-heart-failure-reduced-ef");
    assert!(hf.problems.is_empty() && hf.unmapped.is_empty(), "{:?} {:?}", hf.problems, hf.unmapped);
    let nt: Vec<f64> = values(&hf, K::NtProBnp);
    assert!(nt.len() >= 5, "{nt:?}");
    assert!(nt.windows(2).all(|w| w[1] < w[0]), "NT-proBNP falls on treatment: {nt:?}");
    assert_eq!((nt[0], nt[nt.len() - 1]), (2100.0, 1450.0));
    let last_nt = hf.record.latest(K::NtProBnp).expect("NT-proBNP").date;
    let last_creatinine = hf.record.latest(K::Creatinine).expect("creatinine").date;
    assert_eq!(last_nt, last_creatinine, "the last NT-proBNP is drawn with the latest labs");
    assert_eq!(values(&hf, K::QrsDuration), [152.0]);
    assert_eq!(hf.record.latest_rhythm().map(|r| r.1), Some(Rhythm::Sinus));
    assert!(hf.record.has_active(ConditionKind::LeftBundleBranchBlock));
    assert_eq!(hf.record.functional_class.last().map(|c| c.1), Some(NyhaClass::Ii));

    let af = read("09-atrial-fibrillation");
    assert!(af.problems.is_empty() && af.unmapped.is_empty(), "{:?} {:?}", af.problems, af.unmapped);
    assert_eq!(af.record.latest_rhythm().map(|r| r.1), Some(Rhythm::AtrialFibrillation));
    assert_eq!(values(&af, K::QrsDuration), [96.0]);
    assert!(!af.record.has_active(ConditionKind::LeftBundleBranchBlock));
    assert!(af.record.series(K::NtProBnp).is_empty());
}
