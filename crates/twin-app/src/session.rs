//! A consultation session: the patients opened so far, harmonised once, and the whole use cases
//! the screens call. The desktop shell, `cardiotwin serve` and the CLI hold one [`Session`] and
//! reach it through [`crate::commands::dispatch`], so a click never re-parses a bundle.

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
use crate::patients::{today, PatientFolder};
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
/// Scenarios a comparison may hold side by side.
pub const MAX_COMPARED: usize = 4;

/// A patient opened in this session.
struct Opened {
    harmonised: Arc<Harmonised>,
    origin: PatientOrigin,
    cached_days_ago: Option<f64>,
}

/// Where the session finds patients and keeps what it writes.
#[derive(Debug, Clone, Default)]
pub struct SessionConfig {
    /// Folder of demo bundles; `None` for none.
    pub demo_dir: Option<PathBuf>,
    /// Data folder (offline cache, audit log, saved scenarios); `None` for no cache.
    pub data_dir: Option<PathBuf>,
}

/// The patients opened so far and the store, shared by every screen.
pub struct Session {
    config: SessionConfig,
    opened: Mutex<HashMap<String, Opened>>,
    demo_listed: Mutex<bool>,
    store: Mutex<Option<Arc<Store>>>,
    /// Today's twins, by patient, context and horizon: a scenario edit re-runs only the ensemble.
    twins: Mutex<HashMap<String, Arc<Twin>>>,
    /// Each patient's personal hindcast, by patient: the same for every scenario.
    hindcasts: Mutex<HashMap<String, Arc<PersonalHindcast>>>,
    /// Long runs by the job id the screen gave them, for progress and cancel.
    jobs: Mutex<HashMap<String, Job>>,
    /// How an EHR sign-in reaches the clinician's browser (the desktop shell and `serve` open the
    /// system browser; tests drive the page themselves).
    browser: Mutex<Option<BrowserOpener>>,
    /// Which executor runs ensembles (`CARDIOTWIN_BACKEND`, else auto).
    backend: Mutex<BackendChoice>,
}

/// Opens an address in the clinician's browser.
pub type BrowserOpener = Arc<dyn Fn(&url::Url) -> Result<(), String> + Send + Sync>;

/// A long run: how far it has got, and its control. Ensembles count members in `control`; an EHR
/// fetch counts searches in `steps`.
struct Job {
    total: usize,
    control: Arc<RunControl>,
    steps: Option<Arc<Mutex<(usize, usize)>>>,
    /// A heatmap's finished cells (medians), row-major, as they come.
    cells: Arc<Mutex<Vec<Option<f64>>>>,
}

impl Job {
    fn new(total: usize) -> Self {
        Self { total, control: Arc::default(), steps: None, cells: Arc::default() }
    }
}

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
        lock(&self.opened).insert(h.record.id.clone(), Opened { harmonised: Arc::clone(&h), origin, cached_days_ago });
        h
    }

    fn load_demo(&self) -> Result<Vec<AppError>, AppError> {
        let mut listed = lock(&self.demo_listed);
        let Some(dir) = self.config.demo_dir.as_deref() else { return Ok(Vec::new()) };
        if *listed {
            return Ok(Vec::new());
        }
        let (patients, unreadable) = PatientFolder::new(dir).open_all()?;
        for h in patients {
            self.remember(h, PatientOrigin::Demo, None);
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
                        let known = lock(&self.opened).get(&c.id).is_some_and(|o| o.origin == PatientOrigin::Cache);
                        if known {
                            continue;
                        }
                        match store.get_snapshot(&c.id).map_err(AppError::from).and_then(|s| harmonise_snapshot(&s)) {
                            Ok(h) => {
                                self.remember(h, PatientOrigin::Cache, Some(c.age_days));
                            }
                            Err(e) => unreadable.push(e),
                        }
                    }
                    unreadable.extend(list.quarantined.into_iter().map(|q| {
                        AppError::new(ErrorCode::Store, format!("a damaged cache record was set aside: {q}"))
                    }));
                }
                Err(e) => cache_problem = Some(e),
            }
        }
        let day = today();
        let opened = lock(&self.opened);
        let mut patients: Vec<PatientListItem> = opened
            .values()
            .map(|o| {
                let mut item = PatientListItem::from_record(&o.harmonised.record, day);
                item.origin = o.origin;
                item.cached_days_ago = o.cached_days_ago;
                item
            })
            .collect();
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
            let store = self.store()?;
            match store.get_snapshot(id) {
                Ok(snapshot) => return Ok(self.remember(harmonise_snapshot(&snapshot)?, PatientOrigin::Cache, None)),
                Err(twin_store::StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        // The id comes from the screen, not from a record: naming it leaks nothing new.
        Err(AppError::new(ErrorCode::NotFound, "no such patient in the demo cohort or the offline cache"))
    }

    /// Opens a bundle file into the session (for the CLI); returns the patient's id.
    ///
    /// # Errors
    /// As [`crate::patients::open_bundle`].
    pub fn open_file(&self, path: &Path) -> Result<String, AppError> {
        let h = crate::patients::open_bundle(path)?;
        Ok(self.remember(h, PatientOrigin::File, None).record.id.clone())
    }

    /// Today's twin of patient `id` with event hazards for `years`, built once per session.
    ///
    /// # Errors
    /// Not found; a record that lacks what the twin needs.
    pub fn twin(&self, id: &str, context: RecordOverrides, years: u32) -> Result<Arc<Twin>, AppError> {
        let key = format!("{id}\u{0}{context:?}\u{0}{years}");
        if let Some(twin) = lock(&self.twins).get(&key) {
            return Ok(Arc::clone(twin));
        }
        let h = self.patient(id)?;
        let twin = Arc::new(twin_engine::twin::build(&h.record, today(), context, years)?);
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
        let h = Arc::new(crate::hindcast::personal(record, today()));
        lock(&self.hindcasts).insert(id.to_string(), Arc::clone(&h));
        Ok(h)
    }

    /// Drops what was computed from patient `id`'s record (twins, hindcast): a record opened
    /// again or fetched anew may hold new readings.
    fn forget_derived(&self, id: &str) {
        let prefix = format!("{id}\u{0}");
        lock(&self.twins).retain(|key, _| !key.starts_with(&prefix));
        lock(&self.hindcasts).remove(id);
    }

    /// Registers a run of `total` members under `job` (a run without a job id cannot be watched);
    /// a cancel that arrived before the run started is kept.
    fn start_job(&self, job: Option<&str>, total: usize) -> Arc<RunControl> {
        let Some(job) = job else { return Arc::new(RunControl::default()) };
        let mut jobs = lock(&self.jobs);
        let entry = jobs.entry(job.to_string()).or_insert_with(|| Job::new(total));
        entry.total = total;
        Arc::clone(&entry.control)
    }

    fn end_job(&self, job: Option<&str>) {
        if let Some(job) = job {
            lock(&self.jobs).remove(job);
        }
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
        let h = cache::import_bundle_text(&store, bundle_json, file_name, file_name, patient)?;
        let h = self.remember(h, PatientOrigin::Cache, Some(0.0));
        let mut item = PatientListItem::from_record(&h.record, today());
        item.origin = PatientOrigin::Cache;
        item.cached_days_ago = Some(0.0);
        Ok(item)
    }

    /// Saved scenarios of patient `id`, oldest first.
    ///
    /// # Errors
    /// I/O errors reading the data folder; a saved file that no longer parses.
    pub fn saved_scenarios(&self, id: &str) -> Result<Vec<ScenarioFile>, AppError> {
        let path = self.scenario_path(id)?;
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                AppError::new(ErrorCode::Validation, format!("{}: saved scenarios do not parse: {e}", path.display()))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(AppError::io(&path, &e)),
        }
    }

    /// Saves (or replaces, by name) a scenario for patient `id`; returns the saved list.
    ///
    /// # Errors
    /// An invalid scenario; I/O errors writing the data folder.
    pub fn save_scenario(&self, id: &str, scenario: ScenarioFile) -> Result<Vec<ScenarioFile>, AppError> {
        scenario.to_scenario("the scenario")?;
        self.patient(id)?;
        let mut saved = self.saved_scenarios(id)?;
        saved.retain(|s| s.name != scenario.name);
        saved.push(scenario);
        let path = self.scenario_path(id)?;
        let text = serde_json::to_string_pretty(&saved).map_err(|e| AppError::new(ErrorCode::Io, e.to_string()))?;
        write_atomically(&path, text.as_bytes())?;
        Ok(saved)
    }

    /// One file per patient, named by a hash of the id so the folder listing names nobody.
    fn scenario_path(&self, id: &str) -> Result<PathBuf, AppError> {
        use sha2::{Digest, Sha256};
        let dir = self
            .config
            .data_dir
            .as_deref()
            .ok_or_else(|| AppError::new(ErrorCode::Store, "no data folder is configured to save scenarios in"))?
            .join("scenarios");
        let digest = Sha256::digest(id.as_bytes());
        let name: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        Ok(dir.join(format!("{name}.json")))
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

/// Writes a file in the data folder: the folder private to the user (0700), the file too (0600),
/// replaced by a rename so a crash leaves the old or the new one.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        builder.mode(0o700);
        options.mode(0o600);
    }
    builder.create(dir).map_err(|e| AppError::io(dir, &e))?;
    let tmp = path.with_extension("json.tmp");
    let mut file = options.open(&tmp).map_err(|e| AppError::io(&tmp, &e))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|e| AppError::io(&tmp, &e))?;
    std::fs::rename(&tmp, path).map_err(|e| AppError::io(path, &e))
}

fn harmonise_snapshot(s: &Snapshot) -> Result<Harmonised, AppError> {
    twin_fhir::harmonise_bundle_text(&s.bundle_json)
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("a cached record no longer reads: {e}")))
}

// ---- Command arguments and results (transport types) ----

/// No arguments.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

/// One patient.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatientArgs {
    /// Patient id.
    pub id: String,
}

/// One measurement of one patient.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeriesArgs {
    /// Patient id.
    pub id: String,
    /// Measurement key, e.g. `sbp`.
    pub key: String,
}

/// Race group for the Pooled Cohort Equations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RaceChoice {
    /// White.
    White,
    /// Black (African American).
    Black,
    /// Other: the PCE use the white equations.
    Other,
}

/// ESC risk region for SCORE2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RegionChoice {
    /// Low-risk countries.
    Low,
    /// Moderate.
    Moderate,
    /// High.
    High,
    /// Very high.
    VeryHigh,
}

/// What the record does not say but the clinician may.
#[derive(Debug, Clone, Copy, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RiskContext {
    /// Race group for the PCE.
    #[serde(default)]
    #[ts(optional)]
    pub race: Option<RaceChoice>,
    /// ESC region for SCORE2.
    #[serde(default)]
    #[ts(optional)]
    pub region: Option<RegionChoice>,
    /// Social Deprivation Index decile, 1–10, for PREVENT.
    #[serde(default)]
    #[ts(optional)]
    pub sdi_decile: Option<u8>,
}

impl RiskContext {
    /// As the engine's overrides.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] for an SDI decile outside 1–10.
    pub fn overrides(&self) -> Result<RecordOverrides, AppError> {
        if let Some(d) = self.sdi_decile.filter(|d| !(1..=10).contains(d)) {
            return Err(AppError::new(ErrorCode::Validation, format!("the SDI decile must be 1–10, not {d}")));
        }
        Ok(RecordOverrides {
            race: self.race.map(|r| match r {
                RaceChoice::White => Race::White,
                RaceChoice::Black => Race::Black,
                RaceChoice::Other => Race::Other,
            }),
            region: self.region.map(|r| match r {
                RegionChoice::Low => Region::Low,
                RegionChoice::Moderate => Region::Moderate,
                RegionChoice::High => Region::High,
                RegionChoice::VeryHigh => Region::VeryHigh,
            }),
            sdi_decile: self.sdi_decile,
        })
    }
}

/// Risk for one patient.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RiskArgs {
    /// Patient id.
    pub id: String,
    /// Race, region, SDI.
    #[serde(default)]
    pub context: RiskContext,
}

/// Ensemble size and horizon.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnsembleOptions {
    /// Months to project (1–600).
    pub months: u32,
    /// Members (1–100,000).
    pub members: u32,
    /// Seed: the same seed gives the same projection.
    pub seed: u32,
}

impl EnsembleOptions {
    /// As the engine's configuration.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] outside the limits.
    pub fn config(&self) -> Result<EnsembleConfig, AppError> {
        if !(1..=MAX_MONTHS).contains(&self.months) {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!("the horizon must be 1–{MAX_MONTHS} months, not {}", self.months),
            ));
        }
        if !(1..=MAX_MEMBERS).contains(&(self.members as usize)) {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!("the ensemble must have 1–{MAX_MEMBERS} members, not {}", self.members),
            ));
        }
        Ok(EnsembleConfig { months: self.months, members: self.members as usize, seed: u64::from(self.seed) })
    }
}

/// One scenario projected.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SimulateArgs {
    /// Patient id.
    pub id: String,
    /// The scenario (no interventions: current treatment).
    pub scenario: ScenarioFile,
    /// Ensemble.
    pub ensemble: EnsembleOptions,
    /// Race, region, SDI for the event model.
    #[serde(default)]
    pub context: RiskContext,
    /// An id the caller picks, to watch the run with `jobProgress` and stop it with `cancelJob`.
    #[serde(default)]
    #[ts(optional)]
    pub job: Option<String>,
}

/// Scenarios side by side; the first is the reference.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CompareArgs {
    /// Patient id.
    pub id: String,
    /// Two to four scenarios.
    pub scenarios: Vec<ScenarioFile>,
    /// Ensemble.
    pub ensemble: EnsembleOptions,
    /// Race, region, SDI for the event model.
    #[serde(default)]
    pub context: RiskContext,
    /// An id the caller picks, to watch the run with `jobProgress` and stop it with `cancelJob`.
    #[serde(default)]
    #[ts(optional)]
    pub job: Option<String>,
}

/// One long run, by the id its caller gave it.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobArgs {
    /// The job id.
    pub job: String,
}

/// How far a long run has got.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobProgress {
    /// Whether it is still running (or was cancelled and is winding down).
    pub running: bool,
    /// Ensemble members finished.
    pub done: usize,
    /// Members in all.
    pub total: usize,
    /// A heatmap's finished cells so far (median event risk, row-major; `null` where the
    /// patient has no event model), so the screen can draw rows as they finish. Empty for
    /// other runs.
    pub cells: Vec<Option<f64>>,
}

/// A bundle to import.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportArgs {
    /// The file's name, for messages.
    pub file_name: String,
    /// The FHIR Bundle as JSON text.
    pub bundle_json: String,
    /// Which Patient to import, by id, when the Bundle holds several.
    #[serde(default)]
    #[ts(optional)]
    pub patient: Option<String>,
}

/// A scenario to save for a patient.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SaveScenarioArgs {
    /// Patient id.
    pub id: String,
    /// The scenario.
    pub scenario: ScenarioFile,
}

/// Everything on one time axis: measured series, medications as periods, conditions and
/// procedures as dated markers.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    /// Patient id.
    pub id: String,
    /// Every measurement kind the record holds, in the engine's order.
    pub series: Vec<Series>,
    /// Every medication, current and past, with its period and dose.
    pub medications: Vec<MedicationView>,
    /// Conditions, with onset where known.
    pub conditions: Vec<CodedItem>,
    /// Procedures, with dates.
    pub procedures: Vec<CodedItem>,
}

/// The decision log and whether its chain verifies.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditLog {
    /// Entries, oldest first.
    pub entries: Vec<AuditView>,
    /// The chain check.
    pub check: AuditCheck,
}

/// The decision log as a FHIR R4 Bundle of AuditEvent and Provenance resources, as text, for
/// the clinician to save or send to the EHR.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditExport {
    /// The Bundle, JSON text.
    pub bundle: String,
    /// Entries exported.
    pub entries: usize,
}

/// A risk heatmap over two intervention axes.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HeatmapArgs {
    /// Patient id.
    pub id: String,
    /// Columns.
    pub x: crate::heatmap::AxisSpec,
    /// Rows.
    pub y: crate::heatmap::AxisSpec,
    /// Cells a side (2–32).
    pub grid: u32,
    /// Members per cell, months (the risk is at the last) and seed.
    pub ensemble: EnsembleOptions,
    /// Race, region, SDI for the event model.
    #[serde(default)]
    pub context: RiskContext,
    /// Job id for progress (cells done) and cancel.
    #[serde(default)]
    #[ts(optional)]
    pub job: Option<String>,
}

/// Names a saved EHR connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConnectionArgs {
    /// The connection's name.
    pub name: String,
}

/// Fetch a patient over a saved connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EhrFetchArgs {
    /// The connection's name.
    pub name: String,
    /// The patient's id in that EHR.
    pub patient: String,
    /// Job id for progress and cancel.
    #[serde(default)]
    #[ts(optional)]
    pub job: Option<String>,
}

/// Whether an EHR answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EhrStatus {
    /// Whether its FHIR server answered.
    pub online: bool,
    /// What happened, in plain words.
    pub message: String,
}

// ---- The use cases ----

impl Session {
    /// The patient list.
    ///
    /// # Errors
    /// As [`Session::list_patients`].
    pub fn cmd_list_patients(&self, _: NoArgs) -> Result<PatientList, AppError> {
        self.list_patients()
    }

    /// The summary of one patient.
    ///
    /// # Errors
    /// Not found.
    pub fn cmd_patient_summary(&self, a: PatientArgs) -> Result<PatientSummary, AppError> {
        Ok(PatientSummary::from_harmonised(&*self.patient(&a.id)?, today()))
    }

    /// One measurement's history.
    ///
    /// # Errors
    /// Not found; an unknown key.
    pub fn cmd_series(&self, a: SeriesArgs) -> Result<Series, AppError> {
        let kind = crate::json::measurement_from_key(&a.key)?;
        Ok(Series::from_samples(kind, self.patient(&a.id)?.record.series(kind)))
    }

    /// The overview timeline.
    ///
    /// # Errors
    /// Not found.
    pub fn cmd_timeline(&self, a: PatientArgs) -> Result<Timeline, AppError> {
        let h = self.patient(&a.id)?;
        let summary = PatientSummary::from_harmonised(&h, today());
        let series = MeasurementKind::ALL
            .into_iter()
            .filter(|k| !h.record.series(*k).is_empty())
            .map(|k| Series::from_samples(k, h.record.series(k)))
            .collect();
        let mut medications = summary.active_medications;
        medications.extend(summary.past_medications);
        medications.sort_by(|a, b| a.start.cmp(&b.start));
        let conditions = crate::json::all_conditions(&h.record);
        Ok(Timeline { id: h.record.id.clone(), series, medications, conditions, procedures: summary.procedures })
    }

    /// The calibrated heart.
    ///
    /// # Errors
    /// A record without BP or heart rate.
    pub fn cmd_twin(&self, a: PatientArgs) -> Result<TwinView, AppError> {
        let mut view = crate::twin::patient_twin(&self.patient(&a.id)?.record)?.0;
        view.hindcast = Some((*self.hindcast(&a.id)?).clone());
        Ok(view)
    }

    /// Every risk equation, with contributions and sentences.
    ///
    /// # Errors
    /// A record without the core inputs.
    pub fn cmd_risk(&self, a: RiskArgs) -> Result<RiskReport, AppError> {
        let h = self.patient(&a.id)?;
        crate::risk::assess_record(&h.record, today(), a.context.overrides()?)
    }

    /// One scenario projected with bands.
    ///
    /// # Errors
    /// An invalid scenario or ensemble; a record that lacks what projections need.
    pub fn cmd_simulate(&self, a: SimulateArgs) -> Result<Projection, AppError> {
        let config = a.ensemble.config()?;
        let scenario = a.scenario.to_scenario("the scenario")?;
        let twin = self.twin(&a.id, a.context.overrides()?, config.months.div_ceil(12))?;
        check_against_today(&scenario, &twin, "the scenario")?;
        let compute = self.compute()?;
        let control = self.start_job(a.job.as_deref(), config.members);
        let result = crate::simulate::project(&a.id, &twin, &scenario, &config, &compute, &control);
        self.end_job(a.job.as_deref());
        let mut projection = result?.0;
        projection.learned = crate::ml::learned_view(&self.patient(&a.id)?.record, today(), &scenario, &twin.baseline);
        projection.hindcast = (*self.hindcast(&a.id)?).clone();
        Ok(projection)
    }

    /// Two to four scenarios side by side, the first as the reference.
    ///
    /// # Errors
    /// Fewer than two or more than four scenarios; as [`Session::cmd_simulate`].
    pub fn cmd_compare(&self, a: CompareArgs) -> Result<Comparison, AppError> {
        if !(2..=MAX_COMPARED).contains(&a.scenarios.len()) {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!("a comparison needs 2–{MAX_COMPARED} scenarios, not {}", a.scenarios.len()),
            ));
        }
        let config = a.ensemble.config()?;
        let scenarios: Vec<Scenario> = a
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| s.to_scenario(&format!("scenario {}", i + 1)))
            .collect::<Result<_, _>>()?;
        let twin = self.twin(&a.id, a.context.overrides()?, config.months.div_ceil(12))?;
        for (i, s) in scenarios.iter().enumerate() {
            check_against_today(s, &twin, &format!("scenario {}", i + 1))?;
        }
        let compute = self.compute()?;
        let control = self.start_job(a.job.as_deref(), config.members * scenarios.len());
        let result = crate::simulate::compare(&a.id, &twin, &scenarios, &config, &compute, &control);
        self.end_job(a.job.as_deref());
        let mut comparison = result?;
        let record = &self.patient(&a.id)?.record;
        let hindcast = self.hindcast(&a.id)?;
        for (projection, scenario) in comparison.projections.iter_mut().zip(&scenarios) {
            projection.learned = crate::ml::learned_view(record, today(), scenario, &twin.baseline);
            projection.hindcast = (*hindcast).clone();
        }
        Ok(comparison)
    }

    /// How far a long run has got.
    ///
    /// # Errors
    /// None today; a job that is not running answers `running: false`.
    pub fn cmd_job_progress(&self, a: JobArgs) -> Result<JobProgress, AppError> {
        let jobs = lock(&self.jobs);
        Ok(match jobs.get(&a.job) {
            Some(Job { steps: Some(steps), .. }) => {
                let (done, total) = *lock(steps);
                JobProgress { running: true, done, total, cells: Vec::new() }
            }
            Some(j) => {
                JobProgress { running: true, done: j.control.done(), total: j.total, cells: lock(&j.cells).clone() }
            }
            None => JobProgress { running: false, done: 0, total: 0, cells: Vec::new() },
        })
    }

    /// Stops a long run after the members in flight; its caller gets a "cancelled" error.
    ///
    /// # Errors
    /// None today.
    pub fn cmd_cancel_job(&self, a: JobArgs) -> Result<JobProgress, AppError> {
        let mut jobs = lock(&self.jobs);
        let job = jobs.entry(a.job).or_insert_with(|| Job::new(0));
        job.control.cancel();
        Ok(JobProgress { running: true, done: job.control.done(), total: job.total, cells: Vec::new() })
    }

    /// Imports a bundle into the offline cache.
    ///
    /// # Errors
    /// As [`Session::import_bundle`].
    pub fn cmd_import_bundle(&self, a: ImportArgs) -> Result<PatientListItem, AppError> {
        self.import_bundle(&a.bundle_json, &a.file_name, a.patient.as_deref())
    }

    /// Saved scenarios.
    ///
    /// # Errors
    /// As [`Session::saved_scenarios`].
    pub fn cmd_saved_scenarios(&self, a: PatientArgs) -> Result<Vec<ScenarioFile>, AppError> {
        self.saved_scenarios(&a.id)
    }

    /// Saves a scenario.
    ///
    /// # Errors
    /// As [`Session::save_scenario`].
    pub fn cmd_save_scenario(&self, a: SaveScenarioArgs) -> Result<Vec<ScenarioFile>, AppError> {
        self.save_scenario(&a.id, a.scenario)
    }

    /// The decision log with its verification.
    ///
    /// # Errors
    /// The store cannot be opened.
    pub fn cmd_audit_log(&self, _: NoArgs) -> Result<AuditLog, AppError> {
        let store = self.store()?;
        Ok(AuditLog { entries: cache::list_audit(&store)?, check: cache::verify_audit(&store)? })
    }

    /// The decision log as FHIR AuditEvent and Provenance resources.
    ///
    /// # Errors
    /// The store cannot be opened or read.
    pub fn cmd_export_audit(&self, _: NoArgs) -> Result<AuditExport, AppError> {
        let store = self.store()?;
        let bundle = cache::export_audit_fhir(&store)?;
        let entries = cache::list_audit(&store)?.len();
        let bundle = serde_json::to_string_pretty(&bundle)
            .map_err(|e| AppError::new(ErrorCode::Io, format!("the audit bundle could not be written: {e}")))?;
        Ok(AuditExport { bundle, entries })
    }

    fn data_dir(&self) -> Result<&Path, AppError> {
        self.config
            .data_dir
            .as_deref()
            .ok_or_else(|| AppError::new(ErrorCode::Store, "no data folder is configured, so nothing can be saved"))
    }

    fn connection(&self, name: &str) -> Result<crate::settings::EhrConnection, AppError> {
        crate::settings::load(self.data_dir()?)?
            .into_iter()
            .find(|c| c.name == name)
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("no saved EHR connection is called '{name}'")))
    }

    /// The data folder, the saved EHR connections and the compute backend.
    ///
    /// # Errors
    /// The connections file cannot be read.
    pub fn cmd_settings(&self, _: NoArgs) -> Result<crate::settings::SettingsView, AppError> {
        let connections = match self.config.data_dir.as_deref() {
            Some(dir) => crate::settings::load(dir)?,
            None => Vec::new(),
        };
        Ok(crate::settings::SettingsView {
            data_dir: self.config.data_dir.as_ref().map(|d| d.display().to_string()),
            connections,
            compute: self.compute().map_or_else(|e| e.to_string(), |c| c.describe()),
            version: env!("CARGO_PKG_VERSION").to_string(),
        })
    }

    /// Saves an EHR connection (replacing one of the same name).
    ///
    /// # Errors
    /// An invalid connection; no data folder; the file cannot be written.
    pub fn cmd_save_connection(
        &self,
        c: crate::settings::EhrConnection,
    ) -> Result<crate::settings::SettingsView, AppError> {
        let c = c.checked()?;
        let dir = self.data_dir()?;
        let mut all = crate::settings::load(dir)?;
        all.retain(|x| x.name != c.name);
        all.push(c);
        all.sort_by(|a, b| a.name.cmp(&b.name));
        crate::settings::save(dir, &all)?;
        self.cmd_settings(NoArgs {})
    }

    /// Removes a saved EHR connection.
    ///
    /// # Errors
    /// No such connection; the file cannot be written.
    pub fn cmd_remove_connection(&self, a: ConnectionArgs) -> Result<crate::settings::SettingsView, AppError> {
        let dir = self.data_dir()?;
        let mut all = crate::settings::load(dir)?;
        let before = all.len();
        all.retain(|x| x.name != a.name);
        if all.len() == before {
            return Err(AppError::new(ErrorCode::NotFound, format!("no saved EHR connection is called '{}'", a.name)));
        }
        crate::settings::save(dir, &all)?;
        self.cmd_settings(NoArgs {})
    }

    /// Whether the EHR's FHIR server answers now (offline otherwise: cached patients still work).
    ///
    /// # Errors
    /// No such connection.
    pub fn cmd_ehr_status(&self, a: ConnectionArgs) -> Result<EhrStatus, AppError> {
        let c = self.connection(&a.name)?;
        let metadata = format!("{}/metadata", c.fhir_base.trim_end_matches('/'));
        let answer = runtime()?.block_on(async {
            let http = twin_fhir::fetch::http_client(std::time::Duration::from_secs(5))
                .map_err(|e| AppError::new(ErrorCode::FhirUnavailable, e.to_string()))?;
            Ok::<_, AppError>(http.get(&metadata).send().await.map(|r| r.status()))
        })?;
        Ok(match answer {
            Ok(status) if status.is_success() || status.as_u16() == 401 => {
                EhrStatus { online: true, message: format!("{} answers", c.name) }
            }
            Ok(status) => EhrStatus { online: false, message: format!("{} answered HTTP {status}", c.name) },
            Err(_) => EhrStatus {
                online: false,
                message: format!("{} cannot be reached: working offline; cached patients are still available", c.name),
            },
        })
    }

    /// Signs in to a saved EHR over SMART-on-FHIR in the clinician's browser; the refresh token
    /// goes to the OS keychain.
    ///
    /// # Errors
    /// No such connection; no way to open a browser; the sign-in refused or timed out.
    pub fn cmd_ehr_sign_in(&self, a: ConnectionArgs) -> Result<crate::ehr::LoginResult, AppError> {
        let c = self.connection(&a.name)?;
        let opener = lock(&self.browser).clone().ok_or_else(|| {
            AppError::new(ErrorCode::FhirAuth, "this window cannot open a browser for the sign-in; use the desktop app")
        })?;
        runtime()?.block_on(crate::ehr::login(&c.fhir_base, &c.client_id, None, |url| opener(url)))
    }

    /// Fetches a patient over a saved connection into the encrypted cache, with progress (searches
    /// done) and cancel through `job`.
    ///
    /// # Errors
    /// No such connection or data folder; not signed in or refused; nothing could be fetched;
    /// cancelled.
    pub fn cmd_ehr_fetch(&self, a: EhrFetchArgs) -> Result<crate::ehr::FetchReport, AppError> {
        let c = self.connection(&a.name)?;
        let store = self.store()?;
        let steps = Arc::new(Mutex::new((0, 0)));
        let control = a.job.as_deref().map(|job| {
            let mut jobs = lock(&self.jobs);
            let entry = jobs.entry(job.to_string()).or_insert_with(|| Job::new(0));
            entry.steps = Some(Arc::clone(&steps));
            Arc::clone(&entry.control)
        });
        let cancel = crate::ehr::Cancel::default();
        let sink = Arc::clone(&steps);
        let progress: Arc<dyn Fn(crate::ehr::Progress) + Send + Sync> =
            Arc::new(move |p| *lock(&sink) = (p.searches_done, p.searches_total));
        let result = runtime()?.block_on(async {
            let base = url::Url::parse(&c.fhir_base)
                .map_err(|_| AppError::new(ErrorCode::Validation, "the saved FHIR base is not a web address"))?;
            let credentials = crate::ehr::credentials(&base, &c.client_id, None).await?;
            let watcher = control.clone().map(|control| {
                let cancel = cancel.clone();
                tokio::spawn(async move {
                    while !control.is_cancelled() {
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    }
                    cancel.cancel();
                })
            });
            let report =
                crate::ehr::fetch_patient(&store, &c.fhir_base, &a.patient, credentials, progress, &cancel).await;
            if let Some(w) = watcher {
                w.abort();
            }
            report
        });
        self.end_job(a.job.as_deref());
        if cancel.is_cancelled() {
            return Err(AppError::new(
                ErrorCode::Cancelled,
                "the fetch was cancelled; nothing was written to the cache",
            ));
        }
        let report = result?;
        if report.cached {
            lock(&self.opened).remove(&report.summary.id);
            self.forget_derived(&report.summary.id);
        }
        Ok(report)
    }

    /// The risk heatmap: event risk at the horizon over a grid of two intervention axes, with the
    /// same members in every cell.
    ///
    /// # Errors
    /// Invalid axes, grid or ensemble; a record that lacks what the twin needs; cancelled.
    pub fn cmd_heatmap(&self, a: HeatmapArgs) -> Result<crate::heatmap::HeatmapView, AppError> {
        let config = a.ensemble.config()?;
        if config.members > 5000 {
            return Err(AppError::new(ErrorCode::Validation, "a heatmap takes at most 5000 members per cell"));
        }
        let twin = self.twin(&a.id, a.context.overrides()?, config.months.div_ceil(12))?;
        let cells = (a.grid as usize).pow(2);
        let compute = self.compute()?;
        let control = self.start_job(a.job.as_deref(), cells);
        let finished = a.job.as_deref().and_then(|j| lock(&self.jobs).get(j).map(|j| Arc::clone(&j.cells)));
        // Indexed by `first`, so a run handed to the CPU after a GPU failure starts over cleanly.
        let mut on_cells = |first: usize, part: &[twin_engine::progression::grid::CellRisk]| {
            if let Some(f) = &finished {
                let mut cells = lock(f);
                cells.truncate(first);
                cells.extend(part.iter().map(|c| c.p50.is_finite().then_some(c.p50)));
            }
        };
        let grid = crate::heatmap::Grid { x: a.x, y: a.y, size: a.grid as usize };
        let result = crate::heatmap::heatmap(&twin, grid, &config, &compute, &control, &mut on_cells);
        self.end_job(a.job.as_deref());
        result
    }

    /// The treatment suggestion for a patient: the simplest regimen reaching the guideline
    /// targets, within the safety limits.
    ///
    /// # Errors
    /// Not found; a record that lacks what the twin needs; settings out of range.
    pub fn cmd_suggest(&self, a: SuggestArgs) -> Result<SuggestionView, AppError> {
        let config = a.config()?;
        let h = self.patient(&a.id)?;
        let twin = self.twin(&a.id, a.context.overrides()?, config.risk_years)?;
        let alternatives = a.alternatives.unwrap_or(10).min(500) as usize;
        Ok(crate::suggest::suggest(&a.id, &h.record, &twin, today(), config, alternatives))
    }

    /// Records the clinician's decision on a suggestion, with its full content, in the audit log.
    ///
    /// # Errors
    /// A missing reason (modify, decline) or modification; the store cannot be opened.
    pub fn cmd_decide_suggestion(&self, a: DecideArgs) -> Result<AuditView, AppError> {
        let store = self.store()?;
        let h = self.patient(&a.id)?;
        let suggestion: serde_json::Value = serde_json::from_str(&a.suggestion_json)
            .map_err(|_| AppError::new(ErrorCode::Validation, "the suggestion to record is not JSON"))?;
        let decision = match a.decision {
            DecisionChoice::Accepted => Decision::Accepted,
            DecisionChoice::Modified => Decision::Modified,
            DecisionChoice::Declined => Decision::Declined,
        };
        let user = std::env::var("USER").unwrap_or_else(|_| "clinician".into());
        cache::record_decision(
            &store,
            cache::DecisionInput {
                user,
                patient_id: a.id.clone(),
                suggestion: a.suggestion_json.clone(),
                decision,
                modification: a.modification,
                reason: a.reason,
                inputs: format!(
                    "{:?}\n{}",
                    h.record,
                    suggestion.get("settings").map(ToString::to_string).unwrap_or_default()
                ),
            },
        )
    }
}

/// Settings of a suggestion search.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SuggestArgs {
    /// Patient id.
    pub id: String,
    /// What the record does not say.
    #[serde(default)]
    pub context: RiskContext,
    /// Members per candidate (default 400).
    #[serde(default)]
    #[ts(optional)]
    pub members: Option<u32>,
    /// Seed (default 1).
    #[serde(default)]
    #[ts(optional)]
    pub seed: Option<u32>,
    /// Alternatives to return (default 10, at most 500).
    #[serde(default)]
    #[ts(optional)]
    pub alternatives: Option<u32>,
}

impl SuggestArgs {
    fn config(&self) -> Result<twin_engine::suggest::SearchConfig, AppError> {
        let mut config = twin_engine::suggest::SearchConfig::default();
        if let Some(m) = self.members {
            if !(50..=20_000).contains(&m) {
                return Err(AppError::new(ErrorCode::Validation, "members per candidate must be 50–20,000"));
            }
            config.members = m as usize;
        }
        if let Some(seed) = self.seed {
            config.seed = u64::from(seed);
        }
        Ok(config)
    }
}

/// A decision on a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DecisionChoice {
    /// Taken as suggested.
    Accepted,
    /// Taken with changes.
    Modified,
    /// Not taken.
    Declined,
}

/// The clinician's decision on a suggestion.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecideArgs {
    /// Patient id.
    pub id: String,
    /// The suggestion as shown (the `suggest` answer, as JSON text): recorded in full.
    pub suggestion_json: String,
    /// The decision.
    pub decision: DecisionChoice,
    /// Why (required to modify or decline).
    #[serde(default)]
    #[ts(optional)]
    pub reason: Option<String>,
    /// What was changed (required to modify): the edited scenario, as JSON text or words.
    #[serde(default)]
    #[ts(optional)]
    pub modification: Option<String>,
}
