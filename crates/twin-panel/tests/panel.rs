//! The three passes on real files: the demo cohort written as a FHIR Bulk Data folder, with
//! faults added beside it; results read back from the Parquet file.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;

use twin_app::settings::GuidelineSet;
use twin_panel::bundles::bundles_to_bulk;
use twin_panel::{finish, partition, read_panel, run_bucket, PanelError, PanelOptions, PanelScenario};
use twin_test_support::{demo_dir, CONSULTATION_DAY};

fn opts() -> PanelOptions {
    PanelOptions { seed: 7, members: 100, months: 120, as_of: CONSULTATION_DAY, guidelines: GuidelineSet::Esc }
}

fn scenarios(dir: &Path) -> Vec<PanelScenario> {
    let file = dir.join("amlodipine.json");
    fs::write(&file, r#"{"name": "amlodipine", "interventions": [{"type": "start_drug", "class": "ccb"}]}"#).unwrap();
    vec![PanelScenario::current(), PanelScenario::from_file(&file).unwrap()]
}

/// Runs every bucket on a pool of `threads` threads, then finishes.
fn run_all(input: &Path, work: &Path, out: &Path, buckets: u32, threads: usize, s: &[PanelScenario]) {
    run_all_with(input, work, out, buckets, threads, s, &opts());
}

fn run_all_with(
    input: &Path,
    work: &Path,
    out: &Path,
    buckets: u32,
    threads: usize,
    s: &[PanelScenario],
    o: &PanelOptions,
) {
    partition(input, work, buckets).unwrap();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| {
        for b in (0..buckets).rev() {
            run_bucket(work, b, s, o).unwrap();
        }
    });
    finish(work, out).unwrap();
}

#[test]
fn plans_follow_the_guideline_set_chosen_and_each_row_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("bulk");
    bundles_to_bulk(&demo_dir(), &input).unwrap();
    let s = [PanelScenario::current()];
    let acc_aha = PanelOptions { guidelines: GuidelineSet::AccAha, members: 50, ..opts() };
    let esc = PanelOptions { members: 50, ..opts() };
    let (a, e) = (tmp.path().join("acc.parquet"), tmp.path().join("esc.parquet"));
    run_all_with(&input, &tmp.path().join("work-a"), &a, 2, 2, &s, &acc_aha);
    run_all_with(&input, &tmp.path().join("work-e"), &e, 2, 2, &s, &esc);
    let (a, e) = (read_panel(&a).unwrap(), read_panel(&e).unwrap());
    assert!(a.iter().all(|r| r.plan_guidelines.as_deref() == Some("accAha")), "{a:?}");
    assert!(e.iter().all(|r| r.plan_guidelines.as_deref() == Some("esc")));
    let differ = a.iter().zip(&e).filter(|(a, e)| a.plan_first_step != e.plan_first_step).count();
    assert!(differ >= 1, "ESC and ACC/AHA targets differ for some demo patient's first step");
    // A part run under one set is not taken for the other's.
    let work = tmp.path().join("work-a");
    assert!(matches!(run_bucket(&work, 0, &s, &esc), Err(PanelError::WorkMismatch { .. })));
}

fn append(path: &Path, lines: &[&str]) {
    let mut f = OpenOptions::new().append(true).create(true).open(path).unwrap();
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
}

#[test]
fn rows_do_not_depend_on_buckets_or_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("bulk");
    bundles_to_bulk(&demo_dir(), &input).unwrap();
    let s = scenarios(tmp.path());
    let (a, b) = (tmp.path().join("a.parquet"), tmp.path().join("b.parquet"));
    run_all(&input, &tmp.path().join("work-a"), &a, 3, 1, &s);
    run_all(&input, &tmp.path().join("work-b"), &b, 7, 2, &s);
    let rows = read_panel(&a).unwrap();
    assert_eq!(rows, read_panel(&b).unwrap());
    assert_eq!(fs::read(&a).unwrap(), fs::read(&b).unwrap(), "same run, same bytes");
    // Any subset reproduces its rows: one patient alone, in one bucket, gives the same values.
    let one = tmp.path().join("one");
    fs::create_dir_all(&one).unwrap();
    fs::copy(demo_dir().join("07-smoker-high-ldl.json"), one.join("07.json")).unwrap();
    let one_input = tmp.path().join("one-bulk");
    bundles_to_bulk(&one, &one_input).unwrap();
    let alone = tmp.path().join("alone.parquet");
    run_all(&one_input, &tmp.path().join("work-one"), &alone, 1, 2, &s);
    let subset: Vec<_> = rows.iter().filter(|r| r.patient_id == "ct-demo-07").cloned().collect();
    assert_eq!(read_panel(&alone).unwrap(), subset);
    // Every demo patient × both scenarios, sorted by (patient, scenario).
    assert_eq!(rows.len(), 24);
    assert!(rows.windows(2).all(|w| w[0].key() < w[1].key()));
    let current: Vec<_> = rows.iter().filter(|r| r.scenario == "current").collect();
    assert!(current.iter().all(|r| r.skip_reason.is_none() && r.sbp12_mmhg.is_some() && r.plan_first_step.is_some()));
    let with_risk = current.iter().filter(|r| r.risk_pct.is_some()).count();
    assert!(with_risk >= 10, "an event model applies to most demo patients, not {with_risk}");
    for r in rows.iter().filter_map(|r| r.risk_pct) {
        assert!(r.p5 <= r.median && r.median <= r.p95 && (0.0..=100.0).contains(&r.median));
    }
    // Risk is read at the outcome model's own horizon: 10 years for the CV equations, MAGGIC's
    // 3 years for Miguel's death in heart failure (22.7 % on every screen), never past it.
    for r in current.iter().filter(|r| r.risk_pct.is_some()) {
        let hf = r.patient_id == "ct-demo-03";
        assert_eq!(r.risk_years, Some(if hf { 3 } else { 10 }), "{}", r.patient_id);
    }
    let miguel = current.iter().find(|r| r.patient_id == "ct-demo-03").and_then(|r| r.risk_pct).unwrap();
    assert!((18.0..28.0).contains(&miguel.median), "MAGGIC 3-year death, not {}", miguel.median);
    // Amlodipine lowers SBP and risk against today's treatment where it applies; where a CCB is
    // already taken the scenario is skipped with the reason, never silently.
    for r in rows.iter().filter(|r| r.scenario == "amlodipine") {
        match r.skip_reason.as_deref() {
            Some(code) => assert_eq!(code, "scenario_not_applicable"),
            None => assert!(r.risk_diff_pct.is_none_or(|d| d.median <= 0.0)),
        }
    }
}

#[test]
fn faults_are_counted_by_reason_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("bulk");
    let one = tmp.path().join("one");
    fs::create_dir_all(&one).unwrap();
    fs::copy(demo_dir().join("01-uncontrolled-hypertension.json"), one.join("01.json")).unwrap();
    bundles_to_bulk(&one, &input).unwrap();
    let observations = input.join("Observation.ndjson");
    let n_before = fs::read_to_string(&observations).unwrap().lines().count();
    append(
        &observations,
        &[
            r#"{"resourceType": "Observation", "subject": {"reference": "Patient/ct-demo-01"}"#,
            r#"{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{"reference":"Patient/ghost"},"valueQuantity":{"value":70,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}"#,
        ],
    );
    append(
        &input.join("Patient.ndjson"),
        &[
            r#"{"resourceType":"Patient","id":"no-birth","gender":"female"}"#,
            r#"{"resourceType":"Patient","id":"twice","gender":"female","birthDate":"1950-01-01"}"#,
            r#"{"resourceType":"Patient","id":"twice","gender":"male","birthDate":"1971-05-05"}"#,
            r#"{"resourceType":"Patient","id":"no-bp","gender":"male","birthDate":"1960-02-02"}"#,
        ],
    );
    append(&input.join("Practitioner.ndjson"), &[r#"{"resourceType":"Practitioner","id":"dr"}"#]);
    let work = tmp.path().join("work");
    let out = tmp.path().join("out.parquet");
    let s = vec![PanelScenario::current()];
    let parted = partition(&input, &work, 4).unwrap();
    assert_eq!(parted.malformed, 1);
    let problem = &parted.malformed_listed[0];
    assert_eq!((problem.file.as_str(), problem.line), ("Observation.ndjson", n_before as u64 + 1));
    assert!(problem.reason.contains("not valid JSON"), "{}", problem.reason);
    assert_eq!(parted.not_about_a_patient.get("Practitioner"), Some(&1));
    for b in 0..4 {
        run_bucket(&work, b, &s, &opts()).unwrap();
    }
    let summary = finish(&work, &out).unwrap();
    let count = |code: &str| summary.skipped.get(code).copied().unwrap_or(0);
    assert_eq!(count("no_patient_resource"), 1);
    assert_eq!(count("no_birth_date_or_sex"), 1);
    assert_eq!(count("identity_conflict"), 1);
    assert_eq!(count("no_blood_pressure"), 1);
    assert_eq!((summary.patients, summary.rows, summary.malformed_lines), (5, 5, 1));
    let rows = read_panel(&out).unwrap();
    let real = rows.iter().find(|r| r.patient_id == "ct-demo-01").unwrap();
    assert!(real.skip_reason.is_none() && real.risk_pct.is_some());
    let ghost = rows.iter().find(|r| r.patient_id == "ghost").unwrap();
    assert_eq!(ghost.skip_reason.as_deref(), Some("no_patient_resource"));
    // The plain words say what, never the record's contents.
    assert!(!rows.iter().filter_map(|r| r.skip_detail.as_deref()).any(|d| d.contains("1950") || d.contains("1971")));
}

#[test]
fn a_done_part_is_kept_and_a_foreign_one_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("bulk");
    let one = tmp.path().join("one");
    fs::create_dir_all(&one).unwrap();
    fs::copy(demo_dir().join("05-healthy-45.json"), one.join("05.json")).unwrap();
    bundles_to_bulk(&one, &input).unwrap();
    let work = tmp.path().join("work");
    let s = vec![PanelScenario::current()];
    assert!(matches!(run_bucket(&work, 0, &s, &opts()), Err(PanelError::NotPartitioned(_))));
    partition(&input, &work, 1).unwrap();
    assert!(partition(&input, &work, 1).unwrap().reused, "the same input is not read twice");
    assert!(matches!(partition(&input, &work, 2), Err(PanelError::WorkMismatch { .. })));
    assert!(matches!(finish(&work, &tmp.path().join("x.parquet")), Err(PanelError::Incomplete { done: 0, total: 1 })));
    let part = run_bucket(&work, 0, &s, &opts()).unwrap();
    let bytes = fs::read(&part).unwrap();
    let modified = fs::metadata(&part).unwrap().modified().unwrap();
    assert_eq!(run_bucket(&work, 0, &s, &opts()).unwrap(), part);
    assert_eq!(fs::metadata(&part).unwrap().modified().unwrap(), modified, "a done part is not written again");
    assert_eq!(fs::read(&part).unwrap(), bytes);
    let other = PanelOptions { seed: 8, ..opts() };
    assert!(matches!(run_bucket(&work, 0, &s, &other), Err(PanelError::WorkMismatch { .. })));
    // No temporary file is left beside the part.
    let left: Vec<_> = fs::read_dir(part.parent().unwrap()).unwrap().filter_map(Result::ok).collect();
    assert_eq!(left.len(), 1);
}
