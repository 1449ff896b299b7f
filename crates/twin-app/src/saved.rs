//! What the clinician saves besides the cache: each patient's scenarios (a plan of care, PHI), the
//! EHR connections and the stale-data limits. All are sealed by twin-store ([`Store::put_plans`],
//! [`Store::put_setting`]); this module holds their JSON shape and the one-time move out of the
//! plain-JSON files earlier versions wrote.
//!
//! Earlier versions kept `scenarios/<sha256(id)>.json` (an unsalted hash, so a list of candidate
//! ids revealed whose plans were there) and `connections.json` in clear. Each is read once,
//! sealed into the store and removed; the `scenarios/` folder goes when it is empty.
//!
//! A patient's scenarios are a list edited a whole at a time (read, change, seal), so the edits
//! ([`save_scenario`], [`delete_scenario`], [`duplicate_scenario`]) take one lock: two screens
//! saving at once cannot lose each other's scenario. Names are unique per patient (ignoring case
//! and surrounding spaces): a new scenario never silently replaces another; replacing one is
//! asked for by name.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use twin_store::documents::Setting;
use twin_store::Store;

use crate::error::{AppError, ErrorCode};
use crate::freshness::StaleLimitsView;
use crate::patient_view::ChosenView;
use crate::scenario_file::{ScenarioFile, MAX_NAME_CHARS, MAX_NOTES_CHARS};
use crate::settings::EhrConnection;

/// The plain-JSON connections file earlier versions wrote in the data folder.
const LEGACY_CONNECTIONS: &str = "connections.json";
/// The plain-JSON scenarios folder earlier versions wrote in the data folder.
const LEGACY_SCENARIOS: &str = "scenarios";

/// Patient `id`'s saved scenarios, oldest first (moving an earlier version's plain file in first).
///
/// # Errors
/// Store errors; saved scenarios that no longer parse.
pub fn scenarios(store: &Store, data_dir: &Path, id: &str) -> Result<Vec<ScenarioFile>, AppError> {
    migrate_scenarios(store, data_dir, id)?;
    sealed_scenarios(store, id)
}

/// A patient's sealed plans document: the saved scenarios and, once the clinician has chosen it,
/// what the patient view shows. Earlier versions sealed the bare list of scenarios; it reads as
/// a document with no patient-view choice.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlansDocument {
    scenarios: Vec<ScenarioFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    patient_view: Option<ChosenView>,
}

/// What the store holds for patient `id` (nothing saved: an empty document).
fn sealed_document(store: &Store, id: &str) -> Result<PlansDocument, AppError> {
    let Some(bytes) = store.get_plans(id)? else { return Ok(PlansDocument::default()) };
    let unreadable = |e: serde_json::Error| {
        AppError::new(ErrorCode::Validation, format!("this patient's saved plans do not parse: {e}"))
    };
    if bytes.first() == Some(&b'[') {
        return Ok(PlansDocument {
            scenarios: serde_json::from_slice(&bytes).map_err(unreadable)?,
            patient_view: None,
        });
    }
    serde_json::from_slice(&bytes).map_err(unreadable)
}

fn seal_document(store: &Store, id: &str, document: &PlansDocument) -> Result<(), AppError> {
    let bytes = serde_json::to_vec(document)
        .map_err(|e| AppError::new(ErrorCode::Store, format!("the saved plans could not be written: {e}")))?;
    Ok(store.put_plans(id, &bytes)?)
}

/// What the store holds for patient `id` (none saved: empty).
fn sealed_scenarios(store: &Store, id: &str) -> Result<Vec<ScenarioFile>, AppError> {
    Ok(sealed_document(store, id)?.scenarios)
}

/// Replaces patient `id`'s saved scenarios (what the patient view shows is kept).
///
/// # Errors
/// Store errors.
pub fn save_scenarios(store: &Store, id: &str, scenarios: &[ScenarioFile]) -> Result<(), AppError> {
    let document = PlansDocument { scenarios: scenarios.to_vec(), ..sealed_document(store, id)? };
    seal_document(store, id, &document)
}

/// What the clinician chose to show patient `id`; `None` until they choose.
///
/// # Errors
/// Store errors; a sealed document that does not parse.
pub fn patient_view(store: &Store, id: &str) -> Result<Option<ChosenView>, AppError> {
    Ok(sealed_document(store, id)?.patient_view)
}

/// Seals what the clinician chose to show patient `id`, beside their saved scenarios.
///
/// # Errors
/// Store errors; a sealed document that does not parse (it is not written over).
pub fn save_patient_view(store: &Store, id: &str, chosen: &ChosenView) -> Result<(), AppError> {
    let _held = EDITS.lock().unwrap_or_else(PoisonError::into_inner);
    let document = PlansDocument { patient_view: Some(chosen.clone()), ..sealed_document(store, id)? };
    seal_document(store, id, &document)
}

/// Held while a patient's saved list is read, changed and sealed again.
static EDITS: Mutex<()> = Mutex::new(());

/// Reads patient `id`'s list, lets `change` edit it, and seals the result, under [`EDITS`].
fn edit(
    store: &Store,
    data_dir: &Path,
    id: &str,
    change: impl FnOnce(&mut Vec<ScenarioFile>) -> Result<(), AppError>,
) -> Result<Vec<ScenarioFile>, AppError> {
    let _held = EDITS.lock().unwrap_or_else(PoisonError::into_inner);
    let mut list = scenarios(store, data_dir, id)?;
    let before = list.clone();
    change(&mut list)?;
    if list != before {
        save_scenarios(store, id, &list)?;
    }
    Ok(list)
}

/// Whether two names are the same scenario's to a reader: ignoring case and outer spaces.
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// A name as saved: trimmed, not empty, at most [`MAX_NAME_CHARS`] characters, not "current
/// treatment" (the comparison's reference).
///
/// # Errors
/// [`ErrorCode::Validation`], saying which.
pub fn check_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    let n_chars = name.chars().count();
    if name.is_empty() {
        return Err(AppError::new(ErrorCode::Validation, "a scenario needs a name"));
    }
    if n_chars > MAX_NAME_CHARS {
        return Err(AppError::new(
            ErrorCode::Validation,
            format!("a scenario's name may be at most {MAX_NAME_CHARS} characters; this one has {n_chars}"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::new(ErrorCode::Validation, "a scenario's name is one line of text"));
    }
    if same_name(name, &ScenarioFile::current_treatment().name) {
        return Err(AppError::new(
            ErrorCode::Validation,
            "\"Current treatment\" is the comparison's reference: choose another name",
        ));
    }
    Ok(name.to_string())
}

/// Notes as saved: trimmed, `None` when empty, at most [`MAX_NOTES_CHARS`] characters.
fn check_notes(notes: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(notes) = notes.map(str::trim).filter(|n| !n.is_empty()) else { return Ok(None) };
    let n_chars = notes.chars().count();
    if n_chars > MAX_NOTES_CHARS {
        return Err(AppError::new(
            ErrorCode::Validation,
            format!("notes may be at most {MAX_NOTES_CHARS} characters; these have {n_chars}"),
        ));
    }
    Ok(Some(notes.to_string()))
}

fn not_saved(name: &str) -> AppError {
    AppError::new(ErrorCode::NotFound, format!("no saved scenario is named \"{}\"", name.trim()))
}

/// Saves `scenario` for patient `id` (name and notes trimmed and checked; the caller checks the
/// rest): a new one at the end of the list, or, with `replace`, in place of the saved one of
/// that name (which it may rename). A name another saved scenario has is refused, unless that
/// one is exactly this scenario (saving the same twice is one scenario).
///
/// # Errors
/// [`ErrorCode::Validation`] for a bad name or notes, or a name already taken;
/// [`ErrorCode::NotFound`] when `replace` names no saved scenario; store errors.
pub fn save_scenario(
    store: &Store,
    data_dir: &Path,
    id: &str,
    scenario: ScenarioFile,
    replace: Option<&str>,
) -> Result<Vec<ScenarioFile>, AppError> {
    let scenario =
        ScenarioFile { name: check_name(&scenario.name)?, notes: check_notes(scenario.notes.as_deref())?, ..scenario };
    edit(store, data_dir, id, |list| {
        let slot = match replace {
            Some(old) => Some(list.iter().position(|s| same_name(&s.name, old)).ok_or_else(|| not_saved(old))?),
            None => None,
        };
        let taken = list.iter().enumerate().find(|(n, s)| Some(*n) != slot && same_name(&s.name, &scenario.name));
        if let Some((_, other)) = taken {
            if slot.is_none() && *other == scenario {
                return Ok(());
            }
            return Err(AppError::new(
                ErrorCode::Validation,
                format!(
                    "a scenario named \"{}\" is already saved for this patient: choose another name, or replace that one",
                    other.name
                ),
            ));
        }
        match slot {
            Some(n) => list[n] = scenario,
            None => list.push(scenario),
        }
        Ok(())
    })
}

/// Deletes patient `id`'s saved scenario named `name`.
///
/// # Errors
/// [`ErrorCode::NotFound`] when none is; store errors.
pub fn delete_scenario(store: &Store, data_dir: &Path, id: &str, name: &str) -> Result<Vec<ScenarioFile>, AppError> {
    edit(store, data_dir, id, |list| {
        let n = list.iter().position(|s| same_name(&s.name, name)).ok_or_else(|| not_saved(name))?;
        list.remove(n);
        Ok(())
    })
}

/// Saves a copy of patient `id`'s scenario `name` just after it, as "<name> (copy)" (then
/// "(copy 2)", …), the name cut to fit [`MAX_NAME_CHARS`].
///
/// # Errors
/// [`ErrorCode::NotFound`] when no scenario is named so; store errors.
pub fn duplicate_scenario(store: &Store, data_dir: &Path, id: &str, name: &str) -> Result<Vec<ScenarioFile>, AppError> {
    edit(store, data_dir, id, |list| {
        let n = list.iter().position(|s| same_name(&s.name, name)).ok_or_else(|| not_saved(name))?;
        let original = list[n].clone();
        let copy_name = (1..)
            .map(|k| copy_name(&original.name, k))
            .find(|candidate| !list.iter().any(|s| same_name(&s.name, candidate)))
            .unwrap_or_default();
        list.insert(n + 1, ScenarioFile { name: copy_name, ..original });
        Ok(())
    })
}

/// "<name> (copy)" for the first copy, "<name> (copy k)" after, within [`MAX_NAME_CHARS`].
fn copy_name(name: &str, k: usize) -> String {
    let suffix = if k == 1 { " (copy)".to_string() } else { format!(" (copy {k})") };
    let room = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
    let stem: String = name.trim().chars().take(room).collect();
    format!("{}{suffix}", stem.trim_end())
}

/// The saved EHR connections (moving an earlier version's plain file in first).
///
/// # Errors
/// Store errors; a sealed list that does not parse.
pub fn connections(store: &Store, data_dir: &Path) -> Result<Vec<EhrConnection>, AppError> {
    migrate_connections(store, data_dir)?;
    match store.get_setting(Setting::EhrConnections)? {
        Some(bytes) => serde_json::from_slice(&bytes)
            .map_err(|_| AppError::new(ErrorCode::Validation, "the saved EHR connections are not readable")),
        None => Ok(Vec::new()),
    }
}

/// Replaces the saved EHR connections.
///
/// # Errors
/// Store errors.
pub fn save_connections(store: &Store, connections: &[EhrConnection]) -> Result<(), AppError> {
    let bytes = serde_json::to_vec(connections)
        .map_err(|e| AppError::new(ErrorCode::Store, format!("the connections could not be written: {e}")))?;
    Ok(store.put_setting(Setting::EhrConnections, &bytes)?)
}

/// The stale-data limits saved on this workstation; `None` when never saved.
///
/// # Errors
/// Store errors; a sealed setting that does not parse or holds a limit out of range.
pub fn stale_limits(store: &Store) -> Result<Option<twin_engine::twin::StaleLimits>, AppError> {
    let unreadable = || AppError::new(ErrorCode::Validation, "the saved stale-data limits are not readable");
    match store.get_setting(Setting::StaleLimits)? {
        Some(bytes) => {
            let view: StaleLimitsView = serde_json::from_slice(&bytes).map_err(|_| unreadable())?;
            view.checked().map(Some).map_err(|_| unreadable())
        }
        None => Ok(None),
    }
}

/// Replaces the stale-data limits (checked first).
///
/// # Errors
/// A limit under 1 or over 120 months; store errors.
pub fn save_stale_limits(store: &Store, limits: StaleLimitsView) -> Result<(), AppError> {
    limits.checked()?;
    let bytes = serde_json::to_vec(&limits)
        .map_err(|e| AppError::new(ErrorCode::Store, format!("the limits could not be written: {e}")))?;
    Ok(store.put_setting(Setting::StaleLimits, &bytes)?)
}

/// Where an earlier version kept patient `id`'s scenarios.
fn legacy_scenario_path(data_dir: &Path, id: &str) -> PathBuf {
    let digest = Sha256::digest(id.as_bytes());
    let name: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    data_dir.join(LEGACY_SCENARIOS).join(format!("{name}.json"))
}

fn migrate_scenarios(store: &Store, data_dir: &Path, id: &str) -> Result<(), AppError> {
    let path = legacy_scenario_path(data_dir, id);
    let Some(text) = read_legacy(&path)? else { return Ok(()) };
    let mut legacy: Vec<ScenarioFile> = serde_json::from_str(&text).map_err(|e| {
        AppError::new(ErrorCode::Validation, format!("{}: saved scenarios do not parse: {e}", path.display()))
    })?;
    // Scenarios saved since (sealed) win over the plain file's of the same name; sealed plans
    // that do not read stop the move rather than being written over.
    let mut merged = sealed_scenarios(store, id)?;
    legacy.retain(|l| !merged.iter().any(|m| m.name == l.name));
    legacy.append(&mut merged);
    save_scenarios(store, id, &legacy)?;
    remove_legacy(&path)?;
    // The folder goes with its last file (an error here only leaves an empty folder).
    let _ = std::fs::remove_dir(data_dir.join(LEGACY_SCENARIOS));
    Ok(())
}

fn migrate_connections(store: &Store, data_dir: &Path) -> Result<(), AppError> {
    let path = data_dir.join(LEGACY_CONNECTIONS);
    let Some(text) = read_legacy(&path)? else { return Ok(()) };
    let legacy: Vec<EhrConnection> = serde_json::from_str(&text).map_err(|_| {
        AppError::new(ErrorCode::Validation, format!("{LEGACY_CONNECTIONS} in the data folder is not readable"))
    })?;
    if store.get_setting(Setting::EhrConnections)?.is_none() {
        save_connections(store, &legacy)?;
    }
    remove_legacy(&path)
}

fn read_legacy(path: &Path) -> Result<Option<String>, AppError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(AppError::io(path, &e)),
    }
}

fn remove_legacy(path: &Path) -> Result<(), AppError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(AppError::io(path, &e)),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use twin_store::secrets::MemorySecrets;

    use super::*;
    use crate::settings::DEFAULT_SCOPES;

    fn store(dir: &Path) -> Store {
        Store::open(dir, Arc::new(MemorySecrets::default())).unwrap()
    }

    fn connection() -> EhrConnection {
        EhrConnection {
            name: "Clinic".into(),
            fhir_base: "https://ehr.example.org/fhir".into(),
            client_id: "cardiotwin".into(),
            scopes: DEFAULT_SCOPES.into(),
        }
    }

    fn all_bytes(dir: &Path) -> Vec<u8> {
        twin_test_support::files_under(dir).iter().flat_map(|p| std::fs::read(p).unwrap()).collect()
    }

    fn salt(name: &str) -> ScenarioFile {
        ScenarioFile {
            name: name.into(),
            interventions: vec![crate::scenario_file::InterventionFile::SodiumReduction { start_month: 0 }],
            ..ScenarioFile::current_treatment()
        }
    }

    fn names(list: &[ScenarioFile]) -> Vec<&str> {
        list.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn a_taken_name_is_refused_unless_replacing_and_the_same_scenario_saves_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let d = dir.path();
        save_scenario(&store, d, "p", salt("Statin 80 %"), None).unwrap();
        let other = ScenarioFile { interventions: vec![], ..salt("statin 80 % ") };
        let e = save_scenario(&store, d, "p", other.clone(), None).unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(e.message.contains("\"Statin 80 %\" is already saved") && e.message.contains("replace"), "{e}");
        assert_eq!(scenarios(&store, d, "p").unwrap(), vec![salt("Statin 80 %")], "nothing was overwritten");
        // The very same scenario again (a double click) is one scenario, not an error.
        assert_eq!(save_scenario(&store, d, "p", salt("Statin 80 %"), None).unwrap().len(), 1);
        // Replacing it, asked for by name, keeps its place and may rename it.
        save_scenario(&store, d, "p", salt("Second"), None).unwrap();
        let renamed = ScenarioFile { name: "Statin 80 %, 20 % adherence".into(), ..other };
        let list = save_scenario(&store, d, "p", renamed.clone(), Some("STATIN 80 %")).unwrap();
        assert_eq!(names(&list), ["Statin 80 %, 20 % adherence", "Second"]);
        let e = save_scenario(&store, d, "p", salt("Second"), Some("Statin 80 %, 20 % adherence")).unwrap_err();
        assert!(e.message.contains("already saved"), "a rename onto another saved name: {e}");
        let e = save_scenario(&store, d, "p", salt("x"), Some("never saved")).unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound, "{e}");
        assert_eq!(scenarios(&store, d, "p").unwrap(), vec![renamed, salt("Second")]);
    }

    #[test]
    fn names_and_notes_are_trimmed_and_limited() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let d = dir.path();
        let long = "é".repeat(MAX_NAME_CHARS + 1);
        let e = save_scenario(&store, d, "p", salt(&long), None).unwrap_err();
        assert!(e.message.contains("at most 80 characters; this one has 81"), "{e}");
        for bad in ["", "   ", "Current treatment", "two\nlines"] {
            let e = save_scenario(&store, d, "p", salt(bad), None).unwrap_err();
            assert_eq!(e.code, ErrorCode::Validation, "{bad:?}: {e}");
        }
        // Eighty characters (not bytes) are fine.
        let eighty = "é".repeat(MAX_NAME_CHARS);
        let notes = ScenarioFile {
            notes: Some("  Patient prefers once-daily pills.  ".into()),
            ..salt(&format!("  {eighty} "))
        };
        let list = save_scenario(&store, d, "p", notes, None).unwrap();
        assert_eq!(list[0].name, eighty);
        assert_eq!(list[0].notes.as_deref(), Some("Patient prefers once-daily pills."));
        let too_long = ScenarioFile { notes: Some("x".repeat(MAX_NOTES_CHARS + 1)), ..salt("n") };
        assert!(save_scenario(&store, d, "p", too_long, None).unwrap_err().message.contains("notes may be at most"));
        let blank = ScenarioFile { notes: Some("  ".into()), ..salt("blank notes") };
        assert_eq!(save_scenario(&store, d, "p", blank, None).unwrap()[1].notes, None, "blank notes are none");
    }

    #[test]
    fn delete_and_duplicate_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let d = dir.path();
        for n in ["A", "B"] {
            save_scenario(&store, d, "p", salt(n), None).unwrap();
        }
        assert_eq!(names(&duplicate_scenario(&store, d, "p", "a").unwrap()), ["A", "A (copy)", "B"]);
        assert_eq!(names(&duplicate_scenario(&store, d, "p", "A").unwrap()), ["A", "A (copy 2)", "A (copy)", "B"]);
        let long = "x".repeat(MAX_NAME_CHARS);
        save_scenario(&store, d, "p", salt(&long), None).unwrap();
        let list = duplicate_scenario(&store, d, "p", &long).unwrap();
        let copy = &list.last().unwrap().name;
        assert!(copy.ends_with(" (copy)") && copy.chars().count() == MAX_NAME_CHARS, "{copy}");
        assert_eq!(duplicate_scenario(&store, d, "p", "C").unwrap_err().code, ErrorCode::NotFound);

        let list = delete_scenario(&store, d, "p", "A (copy 2)").unwrap();
        assert_eq!(names(&list[..3]), ["A", "A (copy)", "B"]);
        assert_eq!(delete_scenario(&store, d, "p", "A (copy 2)").unwrap_err().code, ErrorCode::NotFound);
        assert_eq!(scenarios(&store, d, "p").unwrap(), list, "deleted on disk");
        assert!(scenarios(&store, d, "other").unwrap().is_empty(), "per patient");
    }

    #[test]
    fn edits_at_the_same_time_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(store(dir.path()));
        let threads: Vec<_> = (0..8)
            .map(|k| {
                let (store, d) = (Arc::clone(&store), dir.path().to_path_buf());
                std::thread::spawn(move || save_scenario(&store, &d, "p", salt(&format!("S{k}")), None).unwrap())
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(scenarios(&store, dir.path(), "p").unwrap().len(), 8);
    }

    #[test]
    fn connections_round_trip_sealed() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        assert!(connections(&store, dir.path()).unwrap().is_empty());
        save_connections(&store, &[connection()]).unwrap();
        assert_eq!(connections(&store, dir.path()).unwrap(), vec![connection()]);
        let bytes = all_bytes(dir.path());
        assert!(!bytes.windows(15).any(|w| w == b"ehr.example.org"), "the connection is in clear on disk");
    }

    #[test]
    fn stale_limits_round_trip_sealed_and_bad_ones_are_not_saved() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        assert_eq!(stale_limits(&store).unwrap(), None, "never saved");
        let six = StaleLimitsView { blood_pressure_months: 6, lipids_months: 24, egfr_months: 12, hba1c_months: 3 };
        save_stale_limits(&store, six).unwrap();
        assert_eq!(stale_limits(&store).unwrap().map(StaleLimitsView::from), Some(six));
        let e = save_stale_limits(&store, StaleLimitsView { lipids_months: 0, ..six }).unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation, "{e}");
        assert_eq!(stale_limits(&store).unwrap().map(StaleLimitsView::from), Some(six), "the bad one was not saved");
        store.put_setting(Setting::StaleLimits, br#"{"bloodPressureMonths": 0}"#).unwrap();
        assert!(stale_limits(&store).is_err(), "a damaged setting is reported, not read as the defaults");
    }

    #[test]
    fn an_earlier_versions_plain_files_are_sealed_once_then_removed() {
        let dir = tempfile::tempdir().unwrap();
        let legacy = ScenarioFile { name: "Add amlodipine".into(), ..ScenarioFile::current_treatment() };
        let path = legacy_scenario_path(dir.path(), "pat-1");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, serde_json::to_string(&[&legacy]).unwrap()).unwrap();
        std::fs::write(dir.path().join(LEGACY_CONNECTIONS), serde_json::to_string(&[connection()]).unwrap()).unwrap();

        let store = store(dir.path());
        assert_eq!(scenarios(&store, dir.path(), "pat-1").unwrap(), vec![legacy.clone()]);
        assert_eq!(connections(&store, dir.path()).unwrap(), vec![connection()]);
        assert!(!dir.path().join(LEGACY_SCENARIOS).exists(), "the plain scenarios folder is removed");
        assert!(!dir.path().join(LEGACY_CONNECTIONS).exists(), "the plain connections file is removed");
        let bytes = all_bytes(dir.path());
        assert!(!bytes.windows(10).any(|w| w == b"amlodipine"), "a plan of care is in clear on disk");
        // Once moved, the store holds them: reading again gives the same.
        assert_eq!(scenarios(&store, dir.path(), "pat-1").unwrap(), vec![legacy]);
        assert!(scenarios(&store, dir.path(), "someone-else").unwrap().is_empty());
    }

    #[test]
    fn sealed_plans_that_do_not_read_are_not_written_over_by_the_move() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        store.put_plans("pat-2", b"not the JSON we wrote").unwrap();
        let path = legacy_scenario_path(dir.path(), "pat-2");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, serde_json::to_string(&[ScenarioFile::current_treatment()]).unwrap()).unwrap();
        let e = scenarios(&store, dir.path(), "pat-2").unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation, "{e}");
        assert!(!e.message.contains("pat-2"), "no patient id in the message: {e}");
        assert_eq!(store.get_plans("pat-2").unwrap().as_deref(), Some(&b"not the JSON we wrote"[..]), "kept");
        assert!(path.exists(), "the plain file stays until the move can finish");
    }
}
