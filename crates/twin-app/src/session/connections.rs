//! Settings and the EHR: saved connections, the stale-data limits (and the freshness of a record's
//! inputs under them), the server's status, sign-in, and fetching a patient into the cache.

use super::*;

use twin_engine::twin::StaleLimits;

use crate::freshness::{FreshnessView, StaleLimitsView};

impl Session {
    pub(super) fn data_dir(&self) -> Result<&Path, AppError> {
        self.config
            .data_dir
            .as_deref()
            .ok_or_else(|| AppError::new(ErrorCode::Store, "no data folder is configured, so nothing can be saved"))
    }

    fn connections(&self) -> Result<Vec<crate::settings::EhrConnection>, AppError> {
        crate::saved::connections(&*self.store()?, self.data_dir()?)
    }

    pub(super) fn connection(&self, name: &str) -> Result<crate::settings::EhrConnection, AppError> {
        self.connections()?
            .into_iter()
            .find(|c| c.name == name)
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("no saved EHR connection is called '{name}'")))
    }

    /// The stale-data limits: the saved ones, else the defaults (with why, when saved ones could
    /// not be read). A data folder that does not exist yet holds none, and is not created here:
    /// the store is opened only when it is open already or its folder exists.
    pub(crate) fn stale_limits(&self) -> (StaleLimits, Option<String>) {
        let open = lock(&self.store).clone();
        let store = match open {
            Some(store) => store,
            None => match self.config.data_dir.as_deref() {
                Some(dir) if dir.is_dir() => match self.store() {
                    Ok(store) => store,
                    Err(e) => return (StaleLimits::default(), Some(defaults_because(&e))),
                },
                _ => return (StaleLimits::default(), None),
            },
        };
        match crate::saved::stale_limits(&store) {
            Ok(saved) => (saved.unwrap_or_default(), None),
            Err(e) => (StaleLimits::default(), Some(defaults_because(&e))),
        }
    }

    /// How old `record`'s inputs are on the consultation day, under the stale-data limits.
    pub(crate) fn freshness(&self, record: &twin_engine::record::PatientRecord) -> FreshnessView {
        let (limits, note) = self.stale_limits();
        FreshnessView { note, ..FreshnessView::of(record, self.today(), &limits) }
    }

    /// The data folder, the saved EHR connections, the compute backend and the stale-data limits.
    ///
    /// # Errors
    /// The connections or the limits cannot be read.
    pub fn cmd_settings(&self, _: NoArgs) -> Result<crate::settings::SettingsView, AppError> {
        let (connections, saved_limits) = match self.config.data_dir {
            Some(_) => {
                let store = self.store()?;
                // Damaged limits must not lock the clinician out of the screen that replaces them.
                (self.connections()?, crate::saved::stale_limits(&store).map_err(|e| defaults_because(&e)))
            }
            None => (Vec::new(), Ok(None)),
        };
        let (saved_limits, stale_limits_problem) = match saved_limits {
            Ok(saved) => (saved, None),
            Err(problem) => (None, Some(problem)),
        };
        let (preferences, preferences_saved, preferences_problem) = self.preferences();
        Ok(crate::settings::SettingsView {
            data_dir: self.config.data_dir.as_ref().map(|d| d.display().to_string()),
            connections,
            compute: self.compute().map_or_else(|e| e.to_string(), |c| c.describe()),
            version: env!("CARGO_PKG_VERSION").to_string(),
            stale_limits: saved_limits.unwrap_or_default().into(),
            stale_limits_default: StaleLimits::default().into(),
            stale_limits_saved: saved_limits.is_some(),
            stale_limits_problem,
            targets: preferences.guidelines.targets(),
            preferences,
            preferences_saved,
            preferences_problem,
        })
    }

    /// Saves the stale-data limits (months per kind of reading); later answers flag inputs by them.
    ///
    /// # Errors
    /// A limit under 1 or over 120 months; no data folder; the store cannot be written.
    pub fn cmd_save_stale_limits(&self, limits: StaleLimitsView) -> Result<crate::settings::SettingsView, AppError> {
        limits.checked()?;
        self.data_dir()?;
        crate::saved::save_stale_limits(&*self.store()?, limits)?;
        self.cmd_settings(NoArgs {})
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
        let mut all = self.connections()?;
        all.retain(|x| x.name != c.name);
        all.push(c);
        all.sort_by(|a, b| a.name.cmp(&b.name));
        crate::saved::save_connections(&*self.store()?, &all)?;
        self.cmd_settings(NoArgs {})
    }

    /// Removes a saved EHR connection.
    ///
    /// # Errors
    /// No such connection; the file cannot be written.
    pub fn cmd_remove_connection(&self, a: ConnectionArgs) -> Result<crate::settings::SettingsView, AppError> {
        let mut all = self.connections()?;
        let before = all.len();
        all.retain(|x| x.name != a.name);
        if all.len() == before {
            return Err(AppError::new(ErrorCode::NotFound, format!("no saved EHR connection is called '{}'", a.name)));
        }
        crate::saved::save_connections(&*self.store()?, &all)?;
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
        let today = self.today();
        let steps = Arc::new(Mutex::new((0, 0)));
        let control = a.job.as_deref().map(|job| self.register_job(Some(job), Work::Steps(Arc::clone(&steps))));
        let sink = Arc::clone(&steps);
        let progress: Arc<dyn Fn(crate::ehr::Progress) + Send + Sync> =
            Arc::new(move |p| *lock(&sink) = (p.searches_done, p.searches_total));
        let stop = async move {
            match control {
                Some(control) => {
                    while !control.is_cancelled() {
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    }
                }
                None => std::future::pending().await,
            }
        };
        let request = crate::ehr::FetchRequest {
            fhir: &c.fhir_base,
            client_id: &c.client_id,
            token_file: None,
            patient: &a.patient,
            full: a.full.unwrap_or(false),
        };
        let held = lock(&self.fetched).get(&a.patient).cloned();
        let result =
            runtime()?.block_on(crate::ehr::fetch_record(&store, request, held.as_ref(), progress, stop, today));
        self.end_job(a.job.as_deref());
        let outcome = result?;
        // The record as the fetch stored it is held as it is: not read back and harmonised again,
        // and it stands for the record before the next fetch.
        if let Some(stored) = outcome.stored {
            let harmonised = self.remember(stored.harmonised, PatientOrigin::Cache, Some(0.0));
            let held = crate::ehr::HeldRecord { harmonised, fetched_at: stored.fetched_at };
            lock(&self.fetched).insert(a.patient.clone(), held);
        }
        Ok(outcome.report)
    }
}

/// The note an answer carries when the saved limits could not be read (no PHI: store errors name
/// no patient).
fn defaults_because(e: &AppError) -> String {
    format!("the stale-data limits saved in Settings could not be read ({e}); the defaults are used")
}
