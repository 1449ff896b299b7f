//! A consultation session: the patients opened so far, harmonised once, and the whole use cases
//! the screens call. The desktop shell, `cardiotwin serve` and the CLI hold one [`Session`] and
//! reach it through [`crate::commands::dispatch`], so a click never re-parses a bundle.
//!
//! This file holds the session's state (opened patients, the store, today's twins and hindcasts);
//! the rooms beside it hold the rest:
//! - [`args`]: every command's arguments and answers (transport types, camelCase);
//! - `jobs`: long runs, their progress and cancel;
//! - `records`: the patient list, summaries, timelines and imports;
//! - `scenarios`: saved scenarios (save, edit, duplicate, delete) and the builder's choices and
//!   checks against today's regimen;
//! - `runs`: the twin, risk, projections, comparisons, heatmaps and suggestions;
//! - `decisions`: the decision log and its export;
//! - `keychain`: whether the keychain and the sealed data folder can be used now;
//! - `connections`: settings, EHR connections, sign-in and fetch;
//! - `preferences`: the clinician's preferences and where they feed the use cases;
//! - `patient_view`: what the patient view shows, as the clinician chose it;
//! - `summary`: filing the clinician summary in the EHR.

mod args;
mod connections;
mod decisions;
mod hl7;
mod home;
mod jobs;
mod keychain;
mod panels;
mod patient_view;
mod preferences;
mod records;
mod runs;
mod scenarios;
mod summary;

pub use args::*;
pub use hl7::ImportHl7Args;
use jobs::{Job, Work};
pub use keychain::{KeychainState, KeychainStatus};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use twin_engine::progression::scenario::Scenario;
use twin_engine::progression::EnsembleConfig;
use twin_engine::progression::RunControl;
use twin_engine::record::MeasurementKind;
use twin_engine::risk::{Race, Region};
use twin_engine::twin::Twin;
use twin_fhir::Harmonised;
use twin_store::audit::Decision;
use twin_store::cache::Snapshot;
use twin_store::Store;

use crate::cache::{self, AuditCheck, AuditView};
use crate::compute::{BackendChoice, Compute};
use crate::error::{AppError, ErrorCode};
use crate::hindcast::PersonalHindcast;
use crate::json::{CodedItem, MedicationView, PatientList, PatientListItem, PatientOrigin, PatientSummary, Series};
use crate::patients::{wall_clock_today, PatientFolder};
use crate::risk::{RecordOverrides, RiskReport};
use crate::scenario_file::ScenarioFile;
use crate::simulate::{Comparison, Projection};
use crate::suggest::SuggestionView;
use crate::twin::TwinView;

/// Largest ensemble a screen may ask for: 100,000 members, as the CLI allows.
pub const MAX_MEMBERS: usize = 100_000;
/// Longest horizon, months (50 years).
pub const MAX_MONTHS: u32 = 600;
/// Largest bundle accepted for import, bytes. The largest Synthea lifetimes seen are about 5 MB;
/// 64 MB leaves room for long real records while refusing files that would exhaust memory.
pub const MAX_BUNDLE_BYTES: usize = twin_fhir::MAX_BUNDLE_BYTES;
/// The answer for a patient id in neither the demo set nor the offline cache.
pub const NO_SUCH_PATIENT: &str = "no patient with this id in the demo set or the offline cache";
/// Scenarios a comparison may hold side by side.
pub const MAX_COMPARED: usize = 4;

/// A patient opened in this session.
struct Opened {
    harmonised: Arc<Harmonised>,
    origin: PatientOrigin,
    cached_days_ago: Option<f64>,
    /// The Patient's identifiers (`system|value`), once read: the list shows one row per person
    /// ([`crate::patients::one_row_per_person`]).
    identifiers: Option<Vec<String>>,
}

/// Where the session finds patients and keeps what it writes.
#[derive(Debug, Clone, Default)]
pub struct SessionConfig {
    /// Folder of demo bundles; `None` for none.
    pub demo_dir: Option<PathBuf>,
    /// Data folder (offline cache, audit log, saved scenarios); `None` for no cache.
    pub data_dir: Option<PathBuf>,
    /// The consultation's day: ages, active medications, staleness and the projection's month 0
    /// are computed for it. `None` reads the wall clock (the desktop app); tests and reproducible
    /// CLI runs pin it (`--as-of`, `CARDIOTWIN_AS_OF`).
    pub as_of: Option<time::Date>,
}

/// The patients opened so far and the store, shared by every screen.
pub struct Session {
    config: SessionConfig,
    opened: Mutex<HashMap<String, Opened>>,
    demo_listed: Mutex<bool>,
    store: Mutex<Option<Arc<Store>>>,
    /// Today's twins, by patient, context and horizon: a scenario edit re-runs only the ensemble.
    twins: Mutex<HashMap<TwinKey, Arc<Twin>>>,
    /// Each patient's personal hindcast, by patient: the same for every scenario.
    hindcasts: Mutex<HashMap<String, Arc<PersonalHindcast>>>,
    /// What each patient's last twin learned by filtering (BP levels, response posterior): kept
    /// when the record changes, so the next twin updates it with the new readings alone.
    learned: Mutex<HashMap<String, twin_engine::twin::Learned>>,
    /// Each patient's record as this session's last EHR fetch stored it, by the id fetched.
    fetched: Mutex<HashMap<String, crate::ehr::HeldRecord>>,
    /// Long runs by the job id the screen gave them, for progress and cancel.
    jobs: Mutex<HashMap<String, Job>>,
    /// How an EHR sign-in reaches the clinician's browser (the desktop shell and `serve` open the
    /// system browser; tests drive the page themselves).
    browser: Mutex<Option<BrowserOpener>>,
    /// Which executor runs ensembles (`CARDIOTWIN_BACKEND`, else auto).
    backend: Mutex<BackendChoice>,
}

/// What a twin is built from besides the record: the twin cache's key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct TwinKey {
    id: String,
    context: RecordOverrides,
    years: u32,
}

/// Opens an address in the clinician's browser.
pub type BrowserOpener = Arc<dyn Fn(&url::Url) -> Result<(), String> + Send + Sync>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere while holding the lock leaves plain data behind; keep serving it.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Session {
    /// A new session; nothing is read until asked.
    pub fn new(config: SessionConfig) -> Self {
        Self {
            config,
            opened: Mutex::new(HashMap::new()),
            demo_listed: Mutex::new(false),
            store: Mutex::new(None),
            twins: Mutex::new(HashMap::new()),
            hindcasts: Mutex::new(HashMap::new()),
            learned: Mutex::new(HashMap::new()),
            fetched: Mutex::new(HashMap::new()),
            jobs: Mutex::new(HashMap::new()),
            browser: Mutex::new(None),
            backend: Mutex::new(BackendChoice::from_env().unwrap_or_default()),
        }
    }

    /// Chooses the executor for later ensembles.
    pub fn set_backend(&self, choice: BackendChoice) {
        *lock(&self.backend) = choice;
    }

    /// The executor for a run, resolved against this machine's adapters.
    ///
    /// # Errors
    /// `gpu` asked for on a machine without any adapter.
    pub fn compute(&self) -> Result<Compute, AppError> {
        Compute::choose(*lock(&self.backend))
    }

    /// Says how to open the clinician's browser for an EHR sign-in.
    pub fn set_browser(&self, opener: BrowserOpener) {
        *lock(&self.browser) = Some(opener);
    }

    /// The day this session computes ages, active medications and projections for.
    pub fn today(&self) -> time::Date {
        self.config.as_of.unwrap_or_else(wall_clock_today)
    }

    /// The configuration.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    /// The offline store, opened on first use and kept open.
    ///
    /// # Errors
    /// [`ErrorCode::Store`] when no data folder is configured; [`ErrorCode::StoreLocked`] when the
    /// keychain is away or holds no matching key.
    pub fn store(&self) -> Result<Arc<Store>, AppError> {
        let mut slot = lock(&self.store);
        if let Some(store) = slot.as_ref() {
            return Ok(Arc::clone(store));
        }
        let dir = self.config.data_dir.as_deref().ok_or_else(|| {
            AppError::new(ErrorCode::Store, "no data folder is configured, so there is no offline cache")
        })?;
        let store = Arc::new(cache::open_store(dir)?);
        *slot = Some(Arc::clone(&store));
        Ok(store)
    }

    fn remember(&self, h: Harmonised, origin: PatientOrigin, cached_days_ago: Option<f64>) -> Arc<Harmonised> {
        let h = Arc::new(h);
        self.forget_derived(&h.record.id);
        let mut opened = lock(&self.opened);
        // A refreshed record keeps the identifiers read for its id.
        let identifiers = opened.get(&h.record.id).and_then(|o| o.identifiers.clone());
        opened.insert(h.record.id.clone(), Opened { harmonised: Arc::clone(&h), origin, cached_days_ago, identifiers });
        h
    }

    /// Notes patient `id`'s identifiers, read from its bundle text.
    fn identify(&self, id: &str, bundle_json: &str) {
        if let Some(o) = lock(&self.opened).get_mut(id) {
            o.identifiers = Some(crate::patients::patient_identifiers(bundle_json, id));
        }
    }

    fn load_demo(&self) -> Result<Vec<AppError>, AppError> {
        let mut listed = lock(&self.demo_listed);
        let Some(dir) = self.config.demo_dir.as_deref() else { return Ok(Vec::new()) };
        if *listed {
            return Ok(Vec::new());
        }
        let (patients, unreadable) = PatientFolder::new(dir).open_all_identified()?;
        for (h, identifiers) in patients {
            let id = self.remember(h, PatientOrigin::Demo, None).record.id.clone();
            if let Some(o) = lock(&self.opened).get_mut(&id) {
                o.identifiers = Some(identifiers);
            }
        }
        *listed = true;
        Ok(unreadable)
    }

    /// Every patient the clinician can open: the demo cohort and the offline cache, with how
    /// stale each cached one is. A cache that cannot be opened is reported beside the list, not
    /// instead of it.
    ///
    /// # Errors
    /// When the demo folder itself cannot be read.
    pub fn list_patients(&self) -> Result<PatientList, AppError> {
        let mut unreadable = self.load_demo()?;
        let mut cache_problem = None;
        if self.config.data_dir.is_some() {
            match self.store().and_then(|s| cache::list_cached(&s).map(|l| (s, l))) {
                Ok((store, list)) => {
                    for c in list.patients {
                        let (known, identified) = lock(&self.opened)
                            .get(&c.id)
                            .filter(|o| o.origin == PatientOrigin::Cache)
                            .map_or((false, false), |o| (true, o.identifiers.is_some()));
                        if known && identified {
                            continue;
                        }
                        let snapshot = match store.get_snapshot(&c.id) {
                            Ok(s) => s,
                            Err(e) => {
                                unreadable.push(e.into());
                                continue;
                            }
                        };
                        if !known {
                            match harmonise_snapshot(&snapshot) {
                                Ok(h) => {
                                    self.remember(h, PatientOrigin::Cache, Some(c.age_days));
                                }
                                Err(e) => {
                                    unreadable.push(e);
                                    continue;
                                }
                            }
                        }
                        self.identify(&c.id, &snapshot.bundle_json);
                    }
                    unreadable.extend(list.quarantined.into_iter().map(|q| {
                        AppError::new(ErrorCode::Store, format!("a damaged cache record was set aside: {q}"))
                    }));
                }
                Err(e) => cache_problem = Some(e),
            }
        }
        let day = self.today();
        let opened = lock(&self.opened);
        let rows: Vec<(PatientListItem, &[String])> = opened
            .values()
            .map(|o| {
                let mut item = PatientListItem::from_record(&o.harmonised.record, day);
                item.origin = o.origin;
                item.cached_days_ago = o.cached_days_ago;
                (item, o.identifiers.as_deref().unwrap_or_default())
            })
            .collect();
        let mut patients = crate::patients::one_row_per_person(rows);
        patients.sort_by(|a, b| (a.origin, &a.name, &a.id).cmp(&(b.origin, &b.name, &b.id)));
        Ok(PatientList { patients, unreadable, cache_problem })
    }

    /// The harmonised record of patient `id`, from memory, the demo folder or the cache.
    ///
    /// # Errors
    /// [`ErrorCode::NotFound`] when no source holds that patient.
    pub fn patient(&self, id: &str) -> Result<Arc<Harmonised>, AppError> {
        if let Some(o) = lock(&self.opened).get(id) {
            return Ok(Arc::clone(&o.harmonised));
        }
        self.load_demo()?;
        if let Some(o) = lock(&self.opened).get(id) {
            return Ok(Arc::clone(&o.harmonised));
        }
        if self.config.data_dir.is_some() {
            // An id in neither the demo set nor an openable cache is not found; that the cache
            // could not be searched is said beside it, not instead of it (a keychain error for a
            // mistyped address would send the clinician after the wrong problem).
            let store = self.store().map_err(|e| {
                AppError::new(
                    ErrorCode::NotFound,
                    format!("no patient with this id in the demo set; the offline cache could not be searched ({e})"),
                )
            })?;
            match store.get_snapshot(id) {
                Ok(snapshot) => {
                    let h = self.remember(harmonise_snapshot(&snapshot)?, PatientOrigin::Cache, None);
                    self.identify(id, &snapshot.bundle_json);
                    return Ok(h);
                }
                Err(twin_store::StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::new(ErrorCode::NotFound, NO_SUCH_PATIENT))
    }

    /// Opens a bundle file into the session (for the CLI); returns the patient's id.
    ///
    /// # Errors
    /// As [`crate::patients::open_bundle`].
    pub fn open_file(&self, path: &Path) -> Result<String, AppError> {
        let h = crate::patients::open_bundle(path)?;
        Ok(self.remember(h, PatientOrigin::File, None).record.id.clone())
    }

    /// Opens a bundle's JSON text into the session (for the Python package, which is handed
    /// text, not files); returns the patient's id.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] for text over [`MAX_BUNDLE_BYTES`] or not a FHIR Bundle with a
    /// Patient.
    pub fn open_text(&self, bundle_json: &str) -> Result<String, AppError> {
        if bundle_json.len() > MAX_BUNDLE_BYTES {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!("the bundle is larger than {} MB; it was not read", MAX_BUNDLE_BYTES / 1_000_000),
            ));
        }
        let h = twin_fhir::harmonise_bundle_text(bundle_json)
            .map_err(|e| AppError::new(ErrorCode::Validation, format!("the bundle: {e}")))?;
        Ok(self.remember(h, PatientOrigin::File, None).record.id.clone())
    }

    /// Today's twin of patient `id` with event hazards for `years`, built once per session.
    ///
    /// # Errors
    /// Not found; a record that lacks what the twin needs.
    pub fn twin(&self, id: &str, context: RecordOverrides, years: u32) -> Result<Arc<Twin>, AppError> {
        let key = TwinKey { id: id.to_string(), context, years };
        if let Some(twin) = lock(&self.twins).get(&key) {
            return Ok(Arc::clone(twin));
        }
        let h = self.patient(id)?;
        // Exact either way: the filters update only where that gives the from-scratch answer.
        let previous = lock(&self.learned).get(id).cloned();
        let twin = match previous {
            Some(previous) => twin_engine::twin::rebuild(&h.record, self.today(), context, years, &previous)?.0,
            None => twin_engine::twin::build(&h.record, self.today(), context, years)?,
        };
        lock(&self.learned).insert(id.to_string(), twin.learned.clone());
        let twin = Arc::new(twin);
        lock(&self.twins).insert(key, Arc::clone(&twin));
        Ok(twin)
    }

    /// Patient `id`'s personal hindcast, computed once per session.
    ///
    /// # Errors
    /// [`ErrorCode::NotFound`] for an unknown patient.
    pub fn hindcast(&self, id: &str) -> Result<Arc<PersonalHindcast>, AppError> {
        if let Some(h) = lock(&self.hindcasts).get(id) {
            return Ok(Arc::clone(h));
        }
        let record = &self.patient(id)?.record;
        let h = Arc::new(crate::hindcast::personal(record, self.today()));
        lock(&self.hindcasts).insert(id.to_string(), Arc::clone(&h));
        Ok(h)
    }

    /// Drops what was computed from patient `id`'s record (twins, hindcast): a record opened
    /// again or fetched anew may hold new readings.
    fn forget_derived(&self, id: &str) {
        lock(&self.twins).retain(|key, _| key.id != id);
        lock(&self.hindcasts).remove(id);
    }

    /// Imports a FHIR bundle (its JSON text) into the offline cache and opens it.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] for a file that is too large or not a bundle with a Patient;
    /// store errors.
    pub fn import_bundle(
        &self,
        bundle_json: &str,
        file_name: &str,
        patient: Option<&str>,
    ) -> Result<PatientListItem, AppError> {
        if bundle_json.len() > MAX_BUNDLE_BYTES {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!("the file is larger than {} MB; CardioTwin does not import it", MAX_BUNDLE_BYTES / 1_000_000),
            ));
        }
        let store = self.store()?;
        let h = cache::import_bundle_text(&store, bundle_json, file_name, file_name, patient, self.today())?;
        let h = self.remember(h, PatientOrigin::Cache, Some(0.0));
        self.identify(&h.record.id, bundle_json);
        let mut item = PatientListItem::from_record(&h.record, self.today());
        item.origin = PatientOrigin::Cache;
        item.cached_days_ago = Some(0.0);
        Ok(item)
    }
}

/// A scenario that starts a drug already taken (or changes or stops one not taken) is refused,
/// saying what to do instead.
fn check_against_today(scenario: &Scenario, twin: &Twin, origin: &str) -> Result<(), AppError> {
    scenario
        .check_against(&twin.baseline.current_drugs)
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("{origin}: {e}")))
}

/// A runtime for one network command (commands are synchronous; `serve` runs them off its
/// own runtime's threads).
fn runtime() -> Result<tokio::runtime::Runtime, AppError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::new(ErrorCode::Io, format!("the network runtime could not start: {e}")))
}

fn harmonise_snapshot(s: &Snapshot) -> Result<Harmonised, AppError> {
    twin_fhir::harmonise_bundle_text(&s.bundle_json)
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("a cached record no longer reads: {e}")))
}
