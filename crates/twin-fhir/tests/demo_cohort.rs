//! The committed demo cohort: valid FHIR R4 as fhir-sdk reads it, reproducible from its seed,
//! covering the clinical stories it promises, with drug effects visible in the data.

use fhir_sdk::r4b::resources::{Bundle, Resource};
use time::{Date, Duration};
use twin_engine::record::{ConditionKind, MeasurementKind as K, PatientRecord};
use twin_fhir::harmonise_bundle_text;

/// The seed the committed bundles were written with (see assets/demo/README.md).
const DEMO_SEED: u64 = 1;

use twin_test_support::{demo_dir, demo_files};

fn record(slug: &str) -> PatientRecord {
    let path = demo_dir().join(format!("{slug}.json"));
    let text = std::fs::read_to_string(&path).expect("demo file");
    harmonise_bundle_text(&text).expect("harmonises").record
}

#[test]
fn regenerating_with_the_seed_gives_the_committed_bytes() {
    let generated = twin_synth::generate(DEMO_SEED);
    let files = demo_files();
    assert_eq!(generated.len(), files.len(), "one committed file per generated patient");
    for bundle in generated {
        let committed = std::fs::read_to_string(demo_dir().join(&bundle.file_name)).expect("committed bundle");
        assert!(
            committed == bundle.json,
            "{} differs from a fresh `cardiotwin demo-cohort --seed {DEMO_SEED}`",
            bundle.file_name
        );
    }
}

#[test]
fn every_bundle_is_valid_fhir_r4_as_read_by_fhir_sdk() {
    let files = demo_files();
    assert!(files.len() >= 12);
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        // The whole bundle, strictly typed: any invalid resource fails the parse.
        let bundle: Bundle = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut n_patients = 0;
        for entry in bundle.entry.iter().flatten() {
            if let Some(Resource::Patient(p)) = &entry.resource {
                n_patients += 1;
                let tags: Vec<_> =
                    p.meta.iter().flat_map(|m| m.tag.iter().flatten()).filter_map(|t| t.code.clone()).collect();
                assert!(tags.iter().any(|t| t == "HTEST"), "{}: Patient must be tagged synthetic", file.display());
            }
        }
        assert_eq!(n_patients, 1, "{}", file.display());
        let h = harmonise_bundle_text(&text).expect("harmonises");
        assert!(h.problems.is_empty(), "{}: {:?}", file.display(), h.problems);
        assert!(h.unmapped.is_empty(), "{}: {:?}", file.display(), h.unmapped);
        assert!(h.record.synthetic);
    }
}

/// Every medication of the demo cohort is a formulary agent, at a dose on its ladder and not above
/// its maximum, read at the dose level the formulary gives it.
#[test]
fn every_demo_medication_is_a_formulary_agent_on_its_ladder() {
    use twin_engine::formulary;
    let mut n = 0;
    for file in demo_files() {
        let h = harmonise_bundle_text(&std::fs::read_to_string(&file).expect("read")).expect("harmonises");
        for m in &h.record.medications {
            let name = m.agent.as_deref().unwrap_or_else(|| panic!("{}: {} has no agent", file.display(), m.display));
            let agent = formulary::agent_by_name(name).unwrap_or_else(|| panic!("{name} is in the formulary"));
            assert_eq!(m.class, Some(agent.class), "{name}");
            let mg = m.daily_dose_mg.unwrap_or_else(|| panic!("{}: {name} has a dose", file.display()));
            assert!(formulary::rung(agent, mg).is_some(), "{name} {mg} mg a day is on its ladder");
            assert!(!formulary::is_above_max(agent, mg), "{name} {mg} mg a day");
            assert_eq!(m.dose_level, formulary::dose_level(agent, mg), "{name} {mg} mg");
            n += 1;
        }
    }
    assert!(n >= 30, "{n} medications");
}

fn years_of_history(r: &PatientRecord) -> f64 {
    let dates: Vec<Date> = r.series(K::Sbp).iter().map(|s| s.date).collect();
    let (first, last) = (dates.first().copied().expect("bp"), dates.last().copied().expect("bp"));
    (last - first).whole_days() as f64 / 365.25
}

#[test]
fn the_cohort_covers_the_promised_stories() {
    let records: Vec<PatientRecord> = demo_files()
        .iter()
        .map(|f| harmonise_bundle_text(&std::fs::read_to_string(f).expect("read")).expect("ok").record)
        .collect();
    for r in &records {
        let years = years_of_history(r);
        assert!((2.5..=10.5).contains(&years), "{}: {years} years", r.id);
        for kind in [K::Sbp, K::Dbp, K::HeartRate, K::Weight, K::Bmi, K::LdlCholesterol, K::Hba1c, K::Creatinine] {
            assert!(!r.series(kind).is_empty(), "{}: no {kind}", r.id);
        }
        assert!(r.smoking_status().is_some(), "{}", r.id);
    }
    let has = |k: ConditionKind| records.iter().filter(|r| r.has_condition(k)).count();
    assert!(has(ConditionKind::HeartFailureReducedEf) >= 1);
    assert!(has(ConditionKind::Type2Diabetes) >= 1 && has(ConditionKind::ChronicKidneyDiseaseStage3) >= 1);
    assert!(has(ConditionKind::CoronaryArteryDisease) >= 2);
    assert!(has(ConditionKind::IsolatedSystolicHypertension) >= 1);
    let wearables = records.iter().filter(|r| r.series(K::Steps).len() >= 28).count();
    assert_eq!(wearables, 3);
    let hf = record("03-heart-failure-reduced-ef");
    let ef = hf.latest(K::Lvef).expect("echo").value;
    assert!((28.0..=38.0).contains(&ef), "HFrEF LVEF {ef}");
    let poor = record("08-poor-adherence");
    assert!(poor.medications.iter().all(|m| m.adherence.is_some_and(|a| a < 0.8)), "refill gaps give PDC < 80%");
    // UACR yearly where diabetes or CKD is followed, in mg/g and (patient 12) mg/mmol, all read
    // as mg/g: a mg/mmol figure read as mg/g would put her near 7 mg/g, not at her 60 mg/g.
    for (slug, around) in
        [("04-type2-diabetes-ckd3", 85.0), ("11-post-cabg-diabetes", 40.0), ("12-resistant-hypertension", 60.0)]
    {
        let uacr = record(slug);
        let series = uacr.series(K::Uacr);
        assert!(series.len() >= 5, "{slug}: {} UACR results", series.len());
        let geometric_mean = (series.iter().map(|s| s.value.ln()).sum::<f64>() / series.len() as f64).exp();
        assert!((around / 2.0..around * 2.0).contains(&geometric_mean), "{slug}: UACR {geometric_mean:.0} mg/g");
    }
    let healthy = record("05-healthy-45");
    assert!(healthy.medications.is_empty() && healthy.demographics.age_on(twin_synth::DEMO_AS_OF) == Some(45));
}

/// Mean of a series over [from, to).
fn mean_between(r: &PatientRecord, kind: K, from: Date, to: Date) -> f64 {
    let values: Vec<f64> = r.series(kind).iter().filter(|s| s.date >= from && s.date < to).map(|s| s.value).collect();
    assert!(!values.is_empty(), "{}: no {kind} between {from} and {to}", r.id);
    values.iter().sum::<f64>() / values.len() as f64
}

#[test]
fn drug_starts_move_the_numbers_by_the_cited_amounts() {
    // Statin: rosuvastatin 20 mg (high intensity, ≥50%) started 18 months before the end.
    let smoker = record("07-smoker-high-ldl");
    let start = smoker.medications[0].start.expect("start");
    let before = mean_between(&smoker, K::LdlCholesterol, start - Duration::days(1200), start);
    let after = mean_between(&smoker, K::LdlCholesterol, start + Duration::days(60), start + Duration::days(800));
    let fall = 1.0 - after / before;
    assert!((0.35..0.65).contains(&fall), "LDL-C fall after a high-intensity statin: {fall:.2}");

    // Spironolactone added to three drugs a year before the end: PATHWAY-2's 8.7 mmHg, blurred by
    // visit-to-visit noise (SD 6 mmHg over about four visits each side).
    let resistant = record("12-resistant-hypertension");
    let spiro = resistant.medications.iter().find(|m| m.agent.as_deref() == Some("spironolactone")).expect("spiro");
    let start = spiro.start.expect("start");
    let before = mean_between(&resistant, K::Sbp, start - Duration::days(400), start);
    let after = mean_between(&resistant, K::Sbp, start + Duration::days(30), start + Duration::days(400));
    assert!((2.0..16.0).contains(&(before - after)), "SBP fall after spironolactone: {:.1}", before - after);
}

/// The learned model's cohort (`generate_varied`) is read like any record: no problems, no
/// unmapped codes, and the traits the engine may see are there to see (refills on record
/// beyond the poor-adherence sketch; wearable days years before the end).
#[test]
fn the_varied_training_cohort_harmonises_cleanly() {
    let (mut gaps_elsewhere, mut early_wearable) = (0, 0);
    for seed in 2..=6 {
        for bundle in twin_synth::generate_varied(seed) {
            let h =
                harmonise_bundle_text(&bundle.json).unwrap_or_else(|e| panic!("seed {seed} {}: {e}", bundle.file_name));
            assert!(h.problems.is_empty(), "seed {seed} {}: {:?}", bundle.file_name, h.problems);
            assert!(h.unmapped.is_empty(), "seed {seed} {}: {:?}", bundle.file_name, h.unmapped);
            assert!(h.record.synthetic);
            let r = h.record;
            if !bundle.file_name.starts_with("08") && r.medications.iter().any(|m| m.adherence.is_some()) {
                gaps_elsewhere += 1;
            }
            let end = r.series(K::Sbp).last().expect("bp").date;
            if r.series(K::WearableRestingHeartRate).first().is_some_and(|s| (end - s.date).whole_days() > 365) {
                early_wearable += 1;
            }
        }
    }
    // 60 patients: about 15% with refill gaps and 30% with a wearable history.
    assert!(gaps_elsewhere >= 3, "{gaps_elsewhere} patients with refills on record outside sketch 08");
    assert!(early_wearable >= 8, "{early_wearable} patients with wearable data over a year old");
}
