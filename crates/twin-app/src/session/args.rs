//! Every command's arguments and answers: the transport types the screens send and receive
//! (camelCase JSON, TypeScript generated from them).

use super::*;

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

// The race and region choices live with the settings that default them.
pub use crate::settings::{RaceChoice, RegionChoice};

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

/// The fields every ensemble run takes (simulate, compare, heatmap): which patient, the ensemble,
/// the record's context and the job to watch it by. The JSON stays flat (each command's own
/// fields beside these); the use cases read them through this one view.
#[derive(Debug, Clone, Copy)]
pub struct RunTarget<'a> {
    /// Patient id.
    pub id: &'a str,
    /// Ensemble size, horizon and seed.
    pub ensemble: &'a EnsembleOptions,
    /// Race, region, SDI for the event model.
    pub context: &'a RiskContext,
    /// The caller's job id, if it watches the run.
    pub job: Option<&'a str>,
}

/// A command that runs an ensemble.
pub trait EnsembleRun {
    /// Its shared fields.
    fn target(&self) -> RunTarget<'_>;
}

macro_rules! ensemble_run {
    ($($args:ty),*) => {$(
        impl EnsembleRun for $args {
            fn target(&self) -> RunTarget<'_> {
                RunTarget { id: &self.id, ensemble: &self.ensemble, context: &self.context, job: self.job.as_deref() }
            }
        }
    )*};
}

ensemble_run!(SimulateArgs, CompareArgs, HeatmapArgs);

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
    /// The name of the saved scenario this one replaces (an edit, which may rename it); without
    /// it, a name already saved is refused.
    #[serde(default)]
    #[ts(optional)]
    pub replace: Option<String>,
}

/// One of a patient's saved scenarios, by name.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScenarioNameArgs {
    /// Patient id.
    pub id: String,
    /// The saved scenario's name.
    pub name: String,
}

/// Scenarios to check against a patient's regimen today.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckScenariosArgs {
    /// Patient id.
    pub id: String,
    /// The scenarios (a builder's draft, or the saved list).
    pub scenarios: Vec<ScenarioFile>,
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
    /// The consultation day (ISO date): the timeline's "now".
    pub as_of: String,
    /// The patient's BP and LDL-C targets, as the suggestion derives them, for target lines and
    /// "above target" flags.
    pub targets: crate::suggest::TargetsView,
    /// The reference range of each measurement held that has one, for abnormal flags.
    pub reference_ranges: Vec<crate::overview::ReferenceRangeView>,
    /// Home (self-measured) BP beside the office series: the protocol mean and its verdict
    /// against 135/85; absent when the record holds no home readings.
    pub home_bp: Option<crate::overview::HomeBpView>,
}

/// The decision log and whether its chain verifies.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditLog {
    /// Entries, oldest first.
    pub entries: Vec<AuditView>,
    /// Attempts to file a decision's summary in an EHR, oldest first (entries of the same chain).
    pub write_backs: Vec<crate::summary::WriteBackLogView>,
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
    /// Fetch the whole record even when it is held from this EHR (otherwise only what changed
    /// since the last fetch is asked for).
    #[serde(default)]
    #[ts(optional)]
    pub full: Option<bool>,
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
    pub(super) fn config(&self) -> Result<twin_engine::suggest::SearchConfig, AppError> {
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
    /// Why: required for every choice (the log records why a plan was taken, changed or not).
    #[serde(default)]
    #[ts(optional)]
    pub reason: Option<String>,
    /// What was changed (required to modify): the edited scenario, as JSON text or words.
    #[serde(default)]
    #[ts(optional)]
    pub modification: Option<String>,
    /// An id the screen makes for this decision (letters, digits, `-`, `_`; at most 128): the
    /// decision is recorded once under it, however often it is sent (a double click, a retry).
    #[serde(default)]
    #[ts(optional)]
    pub decision_id: Option<String>,
}
