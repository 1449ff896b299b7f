//! Opening patients from FHIR bundle files, listing a folder of them, and one list row per person.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use time::Date;
use twin_fhir::Harmonised;

use crate::error::{AppError, ErrorCode};
use crate::json::{PatientListItem, PatientOrigin};

/// The wall clock's date (UTC). Only the app's default: a session computes ages, active
/// medications and staleness for its own as-of day ([`crate::session::SessionConfig::as_of`]),
/// which tests and the CLI pin so results do not change with the date they run on.
pub fn wall_clock_today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

/// Reads an as-of date written `YYYY-MM-DD`.
///
/// # Errors
/// [`ErrorCode::Validation`] naming what was given.
pub fn parse_as_of(text: &str) -> Result<Date, AppError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), format).map_err(|_| {
        AppError::new(ErrorCode::Validation, format!("'{text}' is not a date: write the as-of day as YYYY-MM-DD"))
    })
}

/// Reads and harmonises one bundle file.
///
/// # Errors
/// [`ErrorCode::NotFound`]/[`ErrorCode::Io`] when the file cannot be read,
/// [`ErrorCode::Validation`] when it is not a FHIR Bundle with a Patient. The message names the
/// file and the problem, never its contents.
pub fn open_bundle(path: &Path) -> Result<Harmonised, AppError> {
    let text = read_bundle_file(path)?;
    twin_fhir::harmonise_bundle_text(&text)
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("{}: {e}", path.display())))
}

/// Reads a bundle file, refusing one above [`twin_fhir::MAX_BUNDLE_BYTES`] before reading it
/// (a 231 MB file once took 6 GB of memory to parse).
///
/// # Errors
/// [`ErrorCode::Validation`] for a file over the limit; I/O errors naming the file.
pub fn read_bundle_file(path: &Path) -> Result<String, AppError> {
    let size = std::fs::metadata(path).map_err(|e| AppError::io(path, &e))?.len();
    if size > twin_fhir::MAX_BUNDLE_BYTES as u64 {
        return Err(AppError::new(
            ErrorCode::Validation,
            format!(
                "{}: the file is {} MB, above the {} MB limit for one patient's record; it was not read",
                path.display(),
                size / 1_000_000,
                twin_fhir::MAX_BUNDLE_BYTES / 1_000_000
            ),
        ));
    }
    std::fs::read_to_string(path).map_err(|e| AppError::io(path, &e))
}

/// A harmonised record with its Patient's identifiers ([`patient_identifiers`]).
pub type Identified = (Harmonised, Vec<String>);

/// A folder of bundle files (`*.json`), such as the demo cohort.
#[derive(Debug, Clone)]
pub struct PatientFolder {
    dir: PathBuf,
}

impl PatientFolder {
    /// The folder at `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn files(&self) -> Result<Vec<PathBuf>, AppError> {
        let entries = std::fs::read_dir(&self.dir).map_err(|e| AppError::io(&self.dir, &e))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        Ok(files)
    }

    /// The largest bundle file in the folder (for benchmarks).
    ///
    /// # Errors
    /// When the folder cannot be read or holds no bundle.
    pub fn largest_file(&self) -> Result<PathBuf, AppError> {
        self.files()?
            .into_iter()
            .max_by_key(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("no bundles in {}", self.dir.display())))
    }

    /// Every readable bundle in the folder, harmonised, in file order, and one error per file
    /// that could not be read.
    ///
    /// # Errors
    /// When the folder itself cannot be read.
    pub fn open_all(&self) -> Result<(Vec<Harmonised>, Vec<AppError>), AppError> {
        let (opened, unreadable) = self.open_all_identified()?;
        Ok((opened.into_iter().map(|(h, _)| h).collect(), unreadable))
    }

    /// As [`Self::open_all`], each record with its Patient's identifiers
    /// ([`patient_identifiers`]), so the list can tell a copy held elsewhere for the same person.
    ///
    /// # Errors
    /// When the folder itself cannot be read.
    pub fn open_all_identified(&self) -> Result<(Vec<Identified>, Vec<AppError>), AppError> {
        let (mut opened, mut unreadable) = (Vec::new(), Vec::new());
        for file in self.files()? {
            let harmonised = read_bundle_file(&file).and_then(|text| {
                twin_fhir::harmonise_bundle_text(&text)
                    .map(|h| {
                        let identifiers = patient_identifiers(&text, &h.record.id);
                        (h, identifiers)
                    })
                    .map_err(|e| AppError::new(ErrorCode::Validation, format!("{}: {e}", file.display())))
            });
            match harmonised {
                Ok(h) => opened.push(h),
                Err(e) => unreadable.push(e),
            }
        }
        Ok((opened, unreadable))
    }
}

/// The business identifiers of Patient `patient_id` in a FHIR Bundle's JSON text, each written
/// `system|value` (a value without a system is kept as `|value`; blank values are dropped): the
/// same person held under two resource ids (a demo bundle re-imported with new ids, a record
/// fetched from a server that assigned its own) shares them. Empty when the text is not JSON or
/// holds no such Patient.
pub fn patient_identifiers(bundle_text: &str, patient_id: &str) -> Vec<String> {
    use serde_json::Value;
    let Ok(bundle) = serde_json::from_str::<Value>(bundle_text) else { return Vec::new() };
    let entries = bundle.get("entry").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut identifiers: Vec<String> = entries
        .iter()
        .filter_map(|e| e.get("resource"))
        .filter(|r| r.get("resourceType").and_then(Value::as_str) == Some("Patient"))
        .filter(|r| r.get("id").and_then(Value::as_str) == Some(patient_id))
        .flat_map(|r| r.get("identifier").and_then(Value::as_array).cloned().unwrap_or_default())
        .filter_map(|i| {
            let value = i.get("value").and_then(Value::as_str).map(str::trim).filter(|v| !v.is_empty())?;
            let system = i.get("system").and_then(Value::as_str).unwrap_or_default();
            Some(format!("{system}|{value}"))
        })
        .collect();
    identifiers.sort();
    identifiers.dedup();
    identifiers
}

/// The patient list with one row per person: a demo patient who shares an identifier with a
/// held (cached) record is that person's held copy's row, not a second one (the held copy is
/// what the clinician imported, fetched or added results to, so it wins, and its row says it is
/// held and how stale). Two held records are never merged here: only the bundled demo copy
/// gives way. `rows` pairs each row with its Patient's identifiers (`system|value`).
pub fn one_row_per_person(rows: Vec<(PatientListItem, &[String])>) -> Vec<PatientListItem> {
    let held: HashSet<&str> = rows
        .iter()
        .filter(|(item, _)| item.origin == PatientOrigin::Cache)
        .flat_map(|(_, identifiers)| identifiers.iter().map(String::as_str))
        .collect();
    rows.into_iter()
        .filter(|(item, identifiers)| {
            item.origin != PatientOrigin::Demo || !identifiers.iter().any(|i| held.contains(i.as_str()))
        })
        .map(|(item, _)| item)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, origin: PatientOrigin) -> PatientListItem {
        PatientListItem {
            id: id.into(),
            name: "Walter Brennan".into(),
            sex: "male".into(),
            age: Some(58),
            conditions: Vec::new(),
            synthetic: true,
            last_seen: None,
            origin,
            cached_days_ago: (origin == PatientOrigin::Cache).then_some(0.0),
        }
    }

    #[test]
    fn a_demo_row_gives_way_to_the_held_copy_of_the_same_person_only() {
        let demo_ids = ["urn:cardiotwin:demo|01".to_string()];
        let other_ids = ["urn:cardiotwin:demo|02".to_string()];
        let rows = vec![
            (row("ct-demo-01", PatientOrigin::Demo), &demo_ids[..]),
            (row("ct-home-01", PatientOrigin::Cache), &demo_ids[..]),
            (row("ct-demo-02", PatientOrigin::Demo), &other_ids[..]),
        ];
        let ids: Vec<String> = one_row_per_person(rows).into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["ct-home-01", "ct-demo-02"]);
        // Two held records sharing an identifier are both listed (not merged here), and a
        // record with no identifiers is never dropped.
        let rows = vec![
            (row("a", PatientOrigin::Cache), &demo_ids[..]),
            (row("b", PatientOrigin::Cache), &demo_ids[..]),
            (row("c", PatientOrigin::Demo), &[][..]),
        ];
        assert_eq!(one_row_per_person(rows).len(), 3);
    }

    #[test]
    fn identifiers_are_the_chosen_patients_with_their_system() {
        let bundle = r#"{"resourceType": "Bundle", "entry": [
            {"resource": {"resourceType": "Patient", "id": "p1",
              "identifier": [{"system": "urn:mrn", "value": "MRN-1"}, {"value": "X-9"}, {"value": "  "}]}},
            {"resource": {"resourceType": "Patient", "id": "p2", "identifier": [{"value": "MRN-2"}]}}
        ]}"#;
        assert_eq!(patient_identifiers(bundle, "p1"), ["urn:mrn|MRN-1", "|X-9"]);
        assert!(patient_identifiers(bundle, "p3").is_empty());
        assert!(patient_identifiers("not json", "p1").is_empty());
    }
}
