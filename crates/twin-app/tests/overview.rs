//! The overview's additions to the timeline on the demo cohort: the targets are the suggestion's
//! own, and each measurement held gets its reference range with a source.

mod common;

use twin_app::session::{PatientArgs, SuggestArgs};
use twin_test_support::{bundle_patient_id, demo_bundle};

fn timeline_and_suggestion(bundle: &str) -> (twin_app::session::Timeline, twin_app::suggest::SuggestionView) {
    let session = common::session_on(Some(common::demo_dir()), None);
    let id = bundle_patient_id(&demo_bundle(bundle));
    let timeline = session.cmd_timeline(PatientArgs { id: id.clone() }).unwrap();
    let suggestion = session
        .cmd_suggest(SuggestArgs {
            id,
            context: Default::default(),
            members: Some(50),
            seed: None,
            alternatives: Some(1),
        })
        .unwrap();
    (timeline, suggestion)
}

#[test]
fn the_timeline_carries_the_suggestions_targets() {
    for bundle in ["01-uncontrolled-hypertension.json", "03-heart-failure-reduced-ef.json"] {
        let (timeline, suggestion) = timeline_and_suggestion(bundle);
        assert_eq!(timeline.targets, suggestion.targets, "{bundle}");
        assert!(timeline.targets.sbp_below <= 140.0 && timeline.targets.ldl_below_mmol <= 3.0, "{bundle}");
    }
}

#[test]
fn each_lab_held_gets_a_sourced_range_and_blood_pressure_none() {
    let session = common::session_on(Some(common::demo_dir()), None);
    let id = bundle_patient_id(&demo_bundle("03-heart-failure-reduced-ef.json"));
    let timeline = session.cmd_timeline(PatientArgs { id }).unwrap();
    let range = |key: &str| timeline.reference_ranges.iter().find(|r| r.key == key);
    let potassium = range("potassium").expect("potassium range");
    assert_eq!((potassium.low, potassium.high), (Some(3.5), Some(5.3)));
    assert_eq!(range("nt_probnp").and_then(|r| r.high), Some(125.0));
    assert_eq!(range("lvef").and_then(|r| r.low), Some(50.0));
    assert!(range("sbp").is_none(), "BP is read against the target");
    assert!(range("uacr").is_none(), "only measurements the record holds");
    for r in &timeline.reference_ranges {
        assert!(timeline.series.iter().any(|s| s.key == r.key), "{}", r.key);
        assert!(!r.source.is_empty(), "{}", r.key);
    }
    let json = serde_json::to_value(&timeline).unwrap();
    assert!(json["referenceRanges"].is_array() && json["targets"]["sbpBelow"].is_number());
}
