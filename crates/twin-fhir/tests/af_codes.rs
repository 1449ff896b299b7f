//! The condition codes HAS-BLED reads beside the ones already mapped: a bleeding history or
//! predisposition, and alcohol excess (Pisters et al., Chest 2010).

use serde_json::json;
use twin_engine::record::ConditionKind as C;
use twin_fhir::codes::{icd10_condition, snomed_condition};
use twin_fhir::harmonise_bundle;

#[test]
fn snomed_and_icd10_codes_of_bleeding_and_alcohol_excess_map() {
    for (code, kind) in [
        ("131148009", C::BleedingHistory),
        ("74474003", C::BleedingHistory),
        ("64779008", C::BleedingHistory),
        ("15167005", C::AlcoholExcess),
        ("7200002", C::AlcoholExcess),
        ("66590003", C::AlcoholExcess),
        ("86933000", C::AlcoholExcess),
        ("228279004", C::AlcoholExcess),
    ] {
        assert_eq!(snomed_condition(code), Some(kind), "SNOMED {code}");
    }
    for (code, kind) in [
        ("K92.2", C::BleedingHistory),
        ("K92.0", C::BleedingHistory),
        ("R58", C::BleedingHistory),
        ("D68.0", C::BleedingHistory),
        ("D66", C::BleedingHistory),
        ("D68.32", C::BleedingHistory),
        ("F10.10", C::AlcoholExcess),
        ("F10.20", C::AlcoholExcess),
    ] {
        assert_eq!(icd10_condition(code), Some(kind), "ICD-10 {code}");
    }
    // Controls: a cerebral haemorrhage is HAS-BLED's stroke, not its bleeding; thrombophilia is no
    // bleeding predisposition; alcohol intoxication alone is not excess use; light drinking is not.
    assert_eq!(snomed_condition("274100004"), None);
    assert_eq!(icd10_condition("D68.51"), None, "factor V Leiden");
    assert_eq!(icd10_condition("D68.61"), None, "antiphospholipid syndrome");
    assert_eq!(icd10_condition("F10.0"), None);
    assert_eq!(snomed_condition("228277002"), None, "light drinker");
    assert_eq!(icd10_condition("K92.9"), None, "disease of the digestive system, unspecified");
}

#[test]
fn a_resolved_gi_bleed_is_kept_as_a_history() {
    let bundle = json!({ "resourceType": "Bundle", "type": "collection", "entry": [
        { "resource": { "resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "1950-05-01" } },
        { "resource": { "resourceType": "Condition", "id": "gi",
            "clinicalStatus": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "resolved" }] },
            "code": { "coding": [{ "system": "http://snomed.info/sct", "code": "74474003" }] },
            "subject": { "reference": "Patient/p1" }, "onsetDateTime": "2021-04-01" } },
    ] });
    let h = harmonise_bundle(bundle).expect("bundle");
    assert!(h.record.has_ever(C::BleedingHistory), "a history counts");
    assert!(!h.record.has_active(C::BleedingHistory));
}
