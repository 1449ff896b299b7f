//! What the clinician saves besides the cache: each patient's scenarios (a plan of care, PHI), the
//! EHR connections and the stale-data limits. All are sealed by twin-store ([`Store::put_plans`],
//! [`Store::put_setting`]); this module holds their JSON shape and the one-time move out of the
//! plain-JSON files earlier versions wrote.
//!
//! Earlier versions kept `scenarios/<sha256(id)>.json` (an unsalted hash, so a list of candidate
//! ids revealed whose plans were there) and `connections.json` in clear. Each is read once,
//! sealed into the store and removed; the `scenarios/` folder goes when it is empty.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use twin_store::documents::Setting;
use twin_store::Store;

use crate::error::{AppError, ErrorCode};
use crate::freshness::StaleLimitsView;
use crate::scenario_file::ScenarioFile;
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

/// What the store holds for patient `id` (none saved: empty).
fn sealed_scenarios(store: &Store, id: &str) -> Result<Vec<ScenarioFile>, AppError> {
    match store.get_plans(id)? {
        Some(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            AppError::new(ErrorCode::Validation, format!("this patient's saved scenarios do not parse: {e}"))
        }),
        None => Ok(Vec::new()),
    }
}

/// Replaces patient `id`'s saved scenarios.
///
/// # Errors
/// Store errors.
pub fn save_scenarios(store: &Store, id: &str, scenarios: &[ScenarioFile]) -> Result<(), AppError> {
    let bytes = serde_json::to_vec(scenarios)
        .map_err(|e| AppError::new(ErrorCode::Store, format!("the scenarios could not be written: {e}")))?;
    Ok(store.put_plans(id, &bytes)?)
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
