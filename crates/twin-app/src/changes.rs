//! What changed in a patient's record since the last fetch, for the overview's "since the last
//! fetch" line: new readings per measure, a laboratory result's latest value old → new, drugs
//! started, stopped or changed in dose, and new conditions and procedures.
//!
//! It compares the record before a fetch with the record after it (both harmonised, as
//! [`crate::record_merge::Merged`] holds them), so it says what the clinician will see, whatever
//! the EHR sent: a resource sent again unchanged changes nothing. Values stay in the engine's
//! units; the screen says them in the clinician's (the cholesterol unit of Settings).
//!
//! The list is kept sealed with the record (an extension on its stored Bundle, see
//! [`twin_fhir::incremental::CHANGES_EXTENSION`]) until the next fetch replaces it.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;
use twin_engine::record::{MeasurementKind as K, Medication, PatientRecord};

/// Measures whose news is their latest value (old → new), not a count of readings: the
/// laboratory's and the echo's.
const LATEST_VALUE_KINDS: [K; 14] = [
    K::TotalCholesterol,
    K::LdlCholesterol,
    K::HdlCholesterol,
    K::Triglycerides,
    K::Hba1c,
    K::Creatinine,
    K::Egfr,
    K::Potassium,
    K::Sodium,
    K::Lvef,
    K::Uacr,
    K::Crp,
    K::NtProBnp,
    K::Bnp,
];

/// What changed between two fetches of one patient.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Changes {
    /// When the record was fetched before (RFC 3339, the workstation's clock).
    pub since: String,
    /// New readings of measures counted by reading (BP, heart rate, weight, wearables), in
    /// display order.
    pub readings: Vec<NewReadings>,
    /// Laboratory and echo results whose latest value changed.
    pub results: Vec<LatestChange>,
    /// Drugs started, stopped or changed in dose.
    pub medications: Vec<MedicationChange>,
    /// New conditions, by name.
    pub conditions: Vec<String>,
    /// New procedures, by name.
    pub procedures: Vec<String>,
}

/// How many new readings of one measure arrived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewReadings {
    /// The measure's key (`sbp` stands for blood pressure).
    pub key: String,
    /// Its name for people ("BP" for blood pressure).
    pub label: String,
    /// New readings.
    pub count: usize,
}

/// A result's latest value before and after, in the engine's unit for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LatestChange {
    /// The measure's key.
    pub key: String,
    /// Its name for people.
    pub label: String,
    /// The unit of `before` and `after`.
    pub unit: String,
    /// The latest value before the fetch; `None` when this is the first.
    pub before: Option<f64>,
    /// The latest value now.
    pub after: f64,
    /// When the latest value was measured (ISO date).
    pub date: String,
}

/// A drug's change, by its name (agent where known).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "change", rename_all = "camelCase")]
pub enum MedicationChange {
    /// A drug that was not taken is now.
    Started {
        /// The drug.
        name: String,
    },
    /// A drug that was taken is not any more.
    Stopped {
        /// The drug.
        name: String,
    },
    /// The same drug at another daily dose.
    DoseChanged {
        /// The drug.
        name: String,
        /// Daily dose before, mg.
        before: f64,
        /// Daily dose now, mg.
        after: f64,
    },
}

impl Changes {
    /// What changed from `before` to `after` (the same patient, before and after a fetch) as the
    /// consultation on `today` sees it; `since` is when `before` was fetched.
    pub fn between(before: &PatientRecord, after: &PatientRecord, since: &str, today: Date) -> Changes {
        Changes {
            since: since.to_string(),
            readings: new_readings(before, after),
            results: latest_changes(before, after),
            medications: medication_changes(before, after, today),
            conditions: new_items(
                before.conditions.iter().map(|c| c.source.resource.as_str()),
                after
                    .conditions
                    .iter()
                    .map(|c| (c.source.resource.as_str(), c.kind.map_or(&*c.display, |k| k.label()))),
            ),
            procedures: new_items(
                before.procedures.iter().map(|p| p.source.resource.as_str()),
                after.procedures.iter().map(|p| (p.source.resource.as_str(), p.display.as_str())),
            ),
        }
    }

    /// Whether nothing the clinician would see changed.
    pub fn is_empty(&self) -> bool {
        self.readings.is_empty()
            && self.results.is_empty()
            && self.medications.is_empty()
            && self.conditions.is_empty()
            && self.procedures.is_empty()
    }
}

/// What the overview shows of the last fetch: the changes it brought, if the record was fetched
/// from an EHR while it was already held.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WhatChanged {
    /// What the last fetch changed; `None` when the record was never fetched over a held one.
    pub changes: Option<Changes>,
}

/// What the last fetch of `patient_id` changed, as kept with its record in `store`.
///
/// # Errors
/// Store errors other than an unknown patient; a record whose kept list no longer reads.
pub fn held(store: &twin_store::Store, patient_id: &str) -> Result<WhatChanged, crate::error::AppError> {
    use crate::error::{AppError, ErrorCode};
    let snapshot = match store.get_snapshot(patient_id) {
        Ok(s) => s,
        Err(twin_store::StoreError::NotFound) => return Ok(WhatChanged::default()),
        Err(e) => return Err(e.into()),
    };
    let bundle: serde_json::Value = serde_json::from_str(&snapshot.bundle_json)
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("the held record is not JSON: {e}")))?;
    let changes = twin_fhir::incremental::meta_extension(&bundle, twin_fhir::incremental::CHANGES_EXTENSION)
        .map(|text| {
            serde_json::from_str(text).map_err(|e| {
                AppError::new(ErrorCode::Validation, format!("what the last fetch changed no longer reads: {e}"))
            })
        })
        .transpose()?;
    Ok(WhatChanged { changes })
}

/// A sample's identity: its source resource, day and value (one resource may hold several).
fn sample_keys(record: &PatientRecord, kind: K) -> HashSet<(String, Date, u64)> {
    record.series(kind).iter().map(|s| (s.source.resource.clone(), s.date, s.value.to_bits())).collect()
}

fn new_readings(before: &PatientRecord, after: &PatientRecord) -> Vec<NewReadings> {
    K::ALL
        .into_iter()
        // A BP reading is a systolic and a diastolic value: counted once, by the systolic.
        .filter(|k| *k != K::Dbp && !LATEST_VALUE_KINDS.contains(k))
        .filter_map(|kind| {
            let held = sample_keys(before, kind);
            let count = after
                .series(kind)
                .iter()
                .filter(|s| !held.contains(&(s.source.resource.clone(), s.date, s.value.to_bits())))
                .count();
            let label = if kind == K::Sbp { "BP".to_string() } else { kind.label().to_string() };
            (count > 0).then(|| NewReadings { key: kind.key().to_string(), label, count })
        })
        .collect()
}

fn latest_changes(before: &PatientRecord, after: &PatientRecord) -> Vec<LatestChange> {
    LATEST_VALUE_KINDS
        .into_iter()
        .filter_map(|kind| {
            let now = after.latest(kind)?;
            let was = before.latest(kind);
            let same = was.is_some_and(|w| w.date == now.date && w.value == now.value && w.source == now.source);
            (!same).then(|| LatestChange {
                key: kind.key().to_string(),
                label: kind.label().to_string(),
                unit: kind.canonical_unit().symbol().to_string(),
                before: was.map(|w| w.value),
                after: now.value,
                date: crate::words::iso_date(now.date),
            })
        })
        .collect()
}

/// A drug's name: its agent where the record knows it, else the prescription's text.
fn drug_name(m: &Medication) -> String {
    m.agent.clone().unwrap_or_else(|| m.display.clone())
}

/// Drugs taken on `today` by name, with their daily dose (the first prescription's, when one drug
/// has several at once).
fn taken(record: &PatientRecord, today: Date) -> BTreeMap<String, Option<f64>> {
    let mut taken = BTreeMap::new();
    for m in record.active_medications(today) {
        taken.entry(drug_name(m)).or_insert(m.daily_dose_mg);
    }
    taken
}

fn medication_changes(before: &PatientRecord, after: &PatientRecord, today: Date) -> Vec<MedicationChange> {
    let (was, now) = (taken(before, today), taken(after, today));
    let mut changes = Vec::new();
    for (name, dose) in &now {
        match was.get(name) {
            None => changes.push(MedicationChange::Started { name: name.clone() }),
            Some(old) => {
                if let (Some(old), Some(new)) = (old, dose) {
                    if (old - new).abs() > 1e-9 {
                        changes.push(MedicationChange::DoseChanged { name: name.clone(), before: *old, after: *new });
                    }
                }
            }
        }
    }
    changes.extend(
        was.keys().filter(|n| !now.contains_key(*n)).map(|name| MedicationChange::Stopped { name: name.clone() }),
    );
    changes
}

/// The names of items (by source resource) that `after` holds and `before` did not, each once.
fn new_items<'a>(
    before: impl Iterator<Item = &'a str>,
    after: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<String> {
    let held: HashSet<&str> = before.collect();
    let mut seen = HashMap::new();
    for (resource, name) in after.filter(|(resource, _)| !held.contains(resource)) {
        seen.entry(name.to_string()).or_insert(resource);
    }
    let mut names: Vec<String> = seen.into_keys().collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use twin_engine::drugs::DrugClass;
    use twin_engine::record::{Condition, ConditionKind, Demographics, Sample, Source};

    fn sample(day: Date, value: f64, id: &str) -> Sample {
        Sample { date: day, value, source: Source { resource: format!("Observation/{id}") } }
    }

    fn drug(agent: &str, mg: f64, start: Date, end: Option<Date>, id: &str) -> Medication {
        Medication {
            class: Some(DrugClass::CalciumChannelBlocker),
            agent: Some(agent.into()),
            code: String::new(),
            display: format!("{agent} {mg} mg"),
            daily_dose_mg: Some(mg),
            dose_level: None,
            start: Some(start),
            end,
            adherence: None,
            source: Source { resource: format!("MedicationRequest/{id}") },
        }
    }

    fn held() -> PatientRecord {
        let demographics = Demographics { name: "Test".into(), birth_date: None, sex: None };
        let mut r = PatientRecord::new("p", demographics);
        r.push_sample(K::Sbp, sample(date!(2026 - 06 - 01), 150.0, "bp1"));
        r.push_sample(K::Dbp, sample(date!(2026 - 06 - 01), 92.0, "bp1"));
        r.push_sample(K::LdlCholesterol, sample(date!(2026 - 06 - 01), 3.1, "ldl1"));
        r.medications.push(drug("ramipril", 5.0, date!(2025 - 01 - 01), None, "m1"));
        r.medications.push(drug("atorvastatin", 20.0, date!(2025 - 01 - 01), None, "m2"));
        r.medications.push(drug("bisoprolol", 5.0, date!(2025 - 01 - 01), None, "m3"));
        r
    }

    #[test]
    fn new_readings_results_and_drugs_are_named_once_each() {
        let before = held();
        let mut after = held();
        for (i, day) in [date!(2026 - 11 - 01), date!(2026 - 11 - 10), date!(2026 - 11 - 20)].into_iter().enumerate() {
            after.push_sample(K::Sbp, sample(day, 140.0, &format!("new{i}")));
            after.push_sample(K::Dbp, sample(day, 85.0, &format!("new{i}")));
        }
        after.push_sample(K::LdlCholesterol, sample(date!(2026 - 11 - 20), 2.4, "ldl2"));
        after.push_sample(K::Hba1c, sample(date!(2026 - 11 - 20), 6.1, "a1c"));
        after.medications.push(drug("amlodipine", 5.0, date!(2026 - 11 - 25), None, "m4"));
        after.medications[0] = drug("ramipril", 10.0, date!(2025 - 01 - 01), None, "m1");
        after.medications[2] = drug("bisoprolol", 5.0, date!(2025 - 01 - 01), Some(date!(2026 - 11 - 15)), "m3");
        after.conditions.push(Condition {
            kind: Some(ConditionKind::Hypertension),
            code: "38341003".into(),
            display: "Hypertension".into(),
            onset: None,
            active: true,
            source: Source { resource: "Condition/c1".into() },
        });

        let changes = Changes::between(&before, &after, "2026-06-02T10:00:00Z", date!(2026 - 12 - 01));
        assert_eq!(changes.readings, vec![NewReadings { key: "sbp".into(), label: "BP".into(), count: 3 }]);
        assert_eq!(changes.results.len(), 2);
        let ldl = &changes.results[0];
        assert_eq!(
            (ldl.key.as_str(), ldl.before, ldl.after, ldl.unit.as_str()),
            ("ldl_cholesterol", Some(3.1), 2.4, "mmol/L")
        );
        assert_eq!((changes.results[1].key.as_str(), changes.results[1].before), ("hba1c", None));
        assert_eq!(
            changes.medications,
            vec![
                MedicationChange::Started { name: "amlodipine".into() },
                MedicationChange::DoseChanged { name: "ramipril".into(), before: 5.0, after: 10.0 },
                MedicationChange::Stopped { name: "bisoprolol".into() },
            ]
        );
        assert_eq!(changes.conditions, vec![ConditionKind::Hypertension.label().to_string()]);
        assert!(!changes.is_empty());
    }

    #[test]
    fn the_same_record_sent_again_changes_nothing() {
        let changes = Changes::between(&held(), &held(), "2026-06-02T10:00:00Z", date!(2026 - 12 - 01));
        assert!(changes.is_empty(), "{changes:?}");
        assert_eq!(changes.since, "2026-06-02T10:00:00Z");
    }

    #[test]
    fn a_corrected_result_with_the_same_date_shows_as_a_change() {
        let before = held();
        let mut after = held();
        after.measurements.get_mut(&K::LdlCholesterol).unwrap()[0].value = 3.3;
        let changes = Changes::between(&before, &after, "t", date!(2026 - 12 - 01));
        assert_eq!(changes.results[0].before, Some(3.1));
        assert_eq!(changes.results[0].after, 3.3);
        assert!(changes.readings.is_empty());
    }

    #[test]
    fn travels_as_tagged_json() {
        let json =
            serde_json::to_value(MedicationChange::DoseChanged { name: "ramipril".into(), before: 5.0, after: 10.0 })
                .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"change": "doseChanged", "name": "ramipril", "before": 5.0, "after": 10.0})
        );
    }
}
