//! Home and wearable data into a held record: a home BP monitor's CSV export, or an Apple Health
//! `export.xml`. `twin-wearables` reads the file into FHIR Observations that name their device;
//! [`crate::record_merge::merge_resources`] adds them to the patient's sealed record. The report
//! says what arrived, what was set aside, where a cut-short export stopped, and the home BP
//! protocol mean the record now gives.

use std::path::Path;

use serde::Serialize;
use time::Date;
use twin_store::Store;
use twin_wearables::{AppleHealthError, Provenance};

use crate::error::{AppError, ErrorCode};
use crate::overview::{home_bp_view, HomeBpView};

/// What kind of file to import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeFile<'a> {
    /// A home BP monitor's CSV export; `device` names the monitor (the file does not).
    HomeBpCsv {
        /// The monitor, e.g. "Omron M3".
        device: &'a str,
    },
    /// An Apple Health `export.xml` (streamed; may be gigabytes).
    AppleHealth,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HomeImportReport {
    /// The patient the data joined.
    pub patient: String,
    /// `home-bp-csv:<file>` or `apple-health:<file>`.
    pub source: String,
    /// Blood-pressure readings read.
    pub bp_readings: usize,
    /// Daily wearable summaries made (steps, heart rate, HRV, SpO₂, sleep).
    pub daily_summaries: usize,
    /// Observations new to the record.
    pub added: usize,
    /// Observations that replaced one from an earlier import of the same data.
    pub replaced: usize,
    /// Records of the export set aside (unreadable or impossible values).
    pub set_aside: u64,
    /// Where a cut-short export stopped ("stopped at line N / byte N: why"); absent for a whole file.
    pub stopped: Option<String>,
    /// The home BP the record now shows (protocol mean or why there is none).
    pub home_bp: Option<HomeBpView>,
}

/// Imports `path` into the held record of `patient` (or of the only patient held).
///
/// # Errors
/// [`ErrorCode::Validation`] when the file cannot be read or parsed (a CSV's bad lines are each
/// named; nothing is merged then), when no patient is named and the cache does not hold exactly
/// one, or when the file held nothing usable; [`ErrorCode::NotFound`] for a patient not held;
/// store errors.
pub fn import_home_file(
    store: &Store,
    path: &Path,
    file: HomeFile<'_>,
    patient: Option<&str>,
    today: Date,
) -> Result<(HomeImportReport, twin_fhir::Harmonised), AppError> {
    let patient_id = match patient {
        Some(id) => id.to_string(),
        None => only_patient(store)?,
    };
    let file_name = path.file_name().map_or_else(|| "file".to_string(), |n| n.to_string_lossy().into_owned());
    let (source, resources, bp_readings, daily_summaries, set_aside, stopped) = match file {
        HomeFile::HomeBpCsv { device } => {
            let source = format!("home-bp-csv:{file_name}");
            let text = std::fs::read_to_string(path)
                .map_err(|e| AppError::new(ErrorCode::Validation, format!("could not read {file_name}: {e}")))?;
            let readings = twin_wearables::parse_home_bp_csv(&text, device)
                .map_err(|e| AppError::new(ErrorCode::Validation, format!("{file_name}: {e}")))?;
            let prov = Provenance { patient_id: patient_id.clone(), source: source.clone() };
            let resources =
                readings.iter().map(|r| twin_wearables::observations::home_bp_observation(r, &prov)).collect();
            (source, resources, readings.len(), 0, 0, None)
        }
        HomeFile::AppleHealth => {
            let source = format!("apple-health:{file_name}");
            let import = twin_wearables::read_export_file(path).map_err(|e| match e {
                AppleHealthError::Io(io) => {
                    AppError::new(ErrorCode::Validation, format!("could not read {file_name}: {io}"))
                }
                other => AppError::new(ErrorCode::Validation, format!("{file_name}: {other}")),
            })?;
            let prov = Provenance { patient_id: patient_id.clone(), source: source.clone() };
            let resources = import.to_observations(&prov);
            let stopped = import.stopped.as_ref().map(ToString::to_string);
            (source, resources, import.bp_readings.len(), import.daily.len(), import.n_records_set_aside, stopped)
        }
    };
    if resources.is_empty() {
        let why = stopped.map(|s| format!(" ({s})")).unwrap_or_default();
        return Err(AppError::new(ErrorCode::Validation, format!("{file_name} held nothing to import{why}")));
    }
    let merged = crate::record_merge::merge_resources(store, &patient_id, resources, &source, today)?;
    let report = HomeImportReport {
        patient: patient_id,
        source,
        bp_readings,
        daily_summaries,
        added: merged.counts.added,
        replaced: merged.counts.replaced,
        set_aside,
        stopped,
        home_bp: home_bp_view(&merged.harmonised.record, today),
    };
    Ok((report, merged.harmonised))
}

fn only_patient(store: &Store) -> Result<String, AppError> {
    let listed = crate::cache::list_cached(store)?;
    match listed.patients.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(AppError::new(ErrorCode::Validation, "no patient is held; import or fetch the patient first")),
        _ => Err(AppError::new(
            ErrorCode::Validation,
            format!("{} patients are held; name the one the readings belong to (--patient)", listed.patients.len()),
        )),
    }
}
