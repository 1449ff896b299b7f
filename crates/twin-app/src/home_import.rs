//! Home and wearable data into a held record: a home BP monitor's CSV export, or an Apple Health
//! `export.xml`. `twin-wearables` reads the file into FHIR Observations that name their device;
//! [`crate::record_merge::merge_resources`] adds them to the patient's sealed record. The report
//! says what arrived, what was set aside, where a cut-short export stopped, and the home BP
//! protocol mean the record now gives.

use std::collections::BTreeSet;
use std::io::{BufReader, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;
use twin_store::Store;
use twin_wearables::{AppleHealthError, BpReading, DailySummary, Metric, Provenance};

use crate::error::{AppError, ErrorCode};
use crate::overview::{home_bp_view, HomeBpView};

/// The largest home-monitor CSV read, bytes: a year of four readings a day is about 60 kB, so a
/// file past 16 MiB is not a monitor's export (and is not read into memory).
pub const MAX_CSV_BYTES: u64 = 16 * 1024 * 1024;

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

/// The kind of file, as the screens name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum HomeFileKind {
    /// A home BP monitor's CSV export.
    HomeBpCsv,
    /// An Apple Health `export.xml` (not the `export.zip` around it: see docs/HOME-DATA.md).
    AppleHealth,
}

/// A home-data file to import for the patient on screen (the upload's query, or the desktop's
/// arguments beside a path).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportHomeArgs {
    /// The patient the readings are filed under. A file does not say whose it is, so the screen
    /// names the patient on screen and asks the clinician to confirm first.
    pub patient: String,
    /// The file's name, for the record's source list.
    pub file_name: String,
    /// CSV or Apple Health.
    pub kind: HomeFileKind,
    /// The monitor's name for a CSV ("Omron M3"); the file does not say it.
    #[serde(default)]
    #[ts(optional)]
    pub device: Option<String>,
}

impl ImportHomeArgs {
    /// The file kind, with the CSV's device ("home BP monitor (CSV export)", as the CLI, when none was named).
    pub fn file(&self) -> HomeFile<'_> {
        match self.kind {
            HomeFileKind::HomeBpCsv => HomeFile::HomeBpCsv {
                device: self
                    .device
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .unwrap_or("home BP monitor (CSV export)"),
            },
            HomeFileKind::AppleHealth => HomeFile::AppleHealth,
        }
    }
}

/// How much of one measure arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HomeMeasureCount {
    /// For people: "home BP", "steps", "resting heart rate", …
    pub measure: String,
    /// Readings (BP) or daily summaries (wearable measures).
    pub readings: usize,
    /// Days they cover.
    pub days: usize,
    /// First day (ISO).
    pub first_day: String,
    /// Last day (ISO).
    pub last_day: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
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
    /// Each measure that arrived, with its readings and days.
    pub measures: Vec<HomeMeasureCount>,
    /// The devices the readings came from, as the file names them.
    pub devices: Vec<String>,
    /// Observations new to the record.
    pub added: usize,
    /// Observations that replaced one from an earlier import of the same data.
    pub replaced: usize,
    /// Records of the export set aside (unreadable or impossible values).
    #[ts(type = "number")]
    pub set_aside: u64,
    /// Where a cut-short export stopped ("stopped at line N / byte N: why"); absent for a whole file.
    pub stopped: Option<String>,
    /// The home BP the record now shows (protocol mean or why there is none).
    pub home_bp: Option<HomeBpView>,
}

/// Imports `path` into the held record of `patient` (or of the only patient held).
///
/// # Errors
/// As [`import_home_reader`]; [`ErrorCode::Validation`] when the file cannot be opened, or when
/// no patient is named and the cache does not hold exactly one.
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
    let opened = std::fs::File::open(path)
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("could not read {file_name}: {e}")))?;
    import_home_reader(store, opened, &file_name, file, &patient_id, today)
}

/// Imports a home-data file read from `source` (a file, or an upload as it streams in) into the
/// held record of `patient_id`. A CSV is read whole (at most [`MAX_CSV_BYTES`]); an Apple Health
/// export is parsed as it is read, never held in memory.
///
/// # Errors
/// [`ErrorCode::Validation`] when the file cannot be read or parsed (a CSV's bad lines are each
/// named; nothing is merged then), when reading failed part-way (an upload cut off: nothing is
/// merged), or when the file held nothing usable; [`ErrorCode::NotFound`] for a patient not held;
/// store errors.
pub fn import_home_reader(
    store: &Store,
    source: impl Read,
    file_name: &str,
    file: HomeFile<'_>,
    patient_id: &str,
    today: Date,
) -> Result<(HomeImportReport, twin_fhir::Harmonised), AppError> {
    let invalid = |why: String| AppError::new(ErrorCode::Validation, why);
    // Before reading a byte: an export may take minutes to parse.
    match store.get_index(patient_id) {
        Err(twin_store::StoreError::NotFound) => {
            return Err(AppError::new(
                ErrorCode::NotFound,
                "this patient's record is not in the offline cache (a demo patient, or one not yet fetched or \
                 imported): home readings join a held record; import or fetch the record first",
            ))
        }
        held => {
            held?;
        }
    }
    let mut source = Watched { inner: source, failed: None };
    let (source_name, resources, bp, daily, set_aside, stopped) = match file {
        HomeFile::HomeBpCsv { device } => {
            let source_name = format!("home-bp-csv:{file_name}");
            let mut bytes = Vec::new();
            (&mut source)
                .take(MAX_CSV_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| invalid(format!("could not read {file_name}: {e}")))?;
            if bytes.len() as u64 > MAX_CSV_BYTES {
                return Err(invalid(format!(
                    "{file_name} is larger than {} MiB: not a home monitor's CSV export (an Apple Health export is \
                     imported as Apple Health)",
                    MAX_CSV_BYTES >> 20
                )));
            }
            let text = String::from_utf8(bytes).map_err(|_| {
                invalid(format!("{file_name} is not a text file: expected a home monitor's CSV export"))
            })?;
            let readings =
                twin_wearables::parse_home_bp_csv(&text, device).map_err(|e| invalid(format!("{file_name}: {e}")))?;
            let prov = Provenance { patient_id: patient_id.to_string(), source: source_name.clone() };
            let resources =
                readings.iter().map(|r| twin_wearables::observations::home_bp_observation(r, &prov)).collect();
            (source_name, resources, readings, Vec::new(), 0, None)
        }
        HomeFile::AppleHealth => {
            let source_name = format!("apple-health:{file_name}");
            let import =
                twin_wearables::read_export(BufReader::with_capacity(1 << 20, &mut source)).map_err(|e| match e {
                    AppleHealthError::Io(io) => invalid(format!("could not read {file_name}: {io}")),
                    other => invalid(format!("{file_name}: {other}")),
                })?;
            if let Some(why) = source.failed.take() {
                // A cut-off upload is not a truncated export: the rest exists, so nothing is filed.
                return Err(invalid(format!(
                    "{file_name} could not be read to its end ({why}); nothing was imported: try again"
                )));
            }
            let prov = Provenance { patient_id: patient_id.to_string(), source: source_name.clone() };
            let resources = import.to_observations(&prov);
            let stopped = import.stopped.as_ref().map(ToString::to_string);
            (source_name, resources, import.bp_readings, import.daily, import.n_records_set_aside, stopped)
        }
    };
    if resources.is_empty() {
        let why = stopped.map(|s| format!(" ({s})")).unwrap_or_default();
        return Err(invalid(format!("{file_name} held no blood pressure or daily wearable readings to import{why}")));
    }
    let merged = crate::record_merge::merge_resources(store, patient_id, resources, &source_name, today)?;
    let report = HomeImportReport {
        patient: patient_id.to_string(),
        source: source_name,
        bp_readings: bp.len(),
        daily_summaries: daily.len(),
        measures: measure_counts(&bp, &daily),
        devices: bp
            .iter()
            .map(|r| &r.device)
            .chain(daily.iter().map(|d| &d.device))
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        added: merged.counts.added,
        replaced: merged.counts.replaced,
        set_aside,
        stopped,
        home_bp: home_bp_view(&merged.harmonised.record, today),
    };
    Ok((report, merged.harmonised))
}

/// Each measure's readings, days and span: home BP first, then the wearable measures.
fn measure_counts(bp: &[BpReading], daily: &[DailySummary]) -> Vec<HomeMeasureCount> {
    let count = |measure: &str, dates: Vec<Date>| {
        let days: BTreeSet<Date> = dates.iter().copied().collect();
        let (first, last) = (days.first()?, days.last()?);
        Some(HomeMeasureCount {
            measure: measure.to_string(),
            readings: dates.len(),
            days: days.len(),
            first_day: first.to_string(),
            last_day: last.to_string(),
        })
    };
    let metrics: BTreeSet<Metric> = daily.iter().map(|d| d.metric).collect();
    count("home BP", bp.iter().map(|r| r.date).collect())
        .into_iter()
        .chain(
            metrics.into_iter().filter_map(|m| {
                count(metric_label(m), daily.iter().filter(|d| d.metric == m).map(|d| d.date).collect())
            }),
        )
        .collect()
}

/// A wearable measure for people.
fn metric_label(m: Metric) -> &'static str {
    match m {
        Metric::Steps => "steps (daily total)",
        Metric::RestingHeartRate => "resting heart rate",
        Metric::HeartRateMean => "heart rate (daily mean)",
        Metric::HrvSdnn => "heart-rate variability (SDNN)",
        Metric::OxygenSaturation => "oxygen saturation",
        Metric::SleepHours => "sleep",
    }
}

/// A reader that remembers its first error: the XML reader turns a read error after the root
/// element into "the export stops here", which for a cut-off upload would file half a file.
struct Watched<R> {
    inner: R,
    failed: Option<String>,
}

impl<R: Read> Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).inspect_err(|e| {
            self.failed.get_or_insert_with(|| e.to_string());
        })
    }
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
