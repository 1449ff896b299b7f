//! The one list of commands. The desktop shell's IPC, `cardiotwin serve`'s `/api/` routes and
//! the UI's `Backend` all go through [`dispatch`]; the UI's `Commands` type is generated from
//! the same list ([`typescript_commands`]), so the three cannot drift apart.

use serde::de::DeserializeOwned;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};
use crate::session::Session;

fn parse_args<A: DeserializeOwned>(command: &str, args: serde_json::Value) -> Result<A, AppError> {
    // `null` (no body) means "no arguments".
    let args = if args.is_null() { serde_json::Value::Object(serde_json::Map::new()) } else { args };
    serde_json::from_value(args).map_err(|e| {
        AppError::new(
            ErrorCode::Validation,
            format!("{command}: invalid arguments: {}", twin_fhir::error::scrub(&e.to_string())),
        )
    })
}

fn to_json<R: Serialize>(result: R) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(result).map_err(|e| AppError::new(ErrorCode::Io, format!("could not encode the answer: {e}")))
}

macro_rules! commands {
    ($( $name:ident ($args:ty) -> $result:ty = $method:ident; )*) => {
        /// Every command name, in registry order.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];

        /// Runs `command` with its JSON arguments on `session`, answering JSON.
        ///
        /// # Errors
        /// [`ErrorCode::NotFound`] for an unknown command, [`ErrorCode::Validation`] for
        /// arguments that do not parse, and whatever the use case returns.
        pub fn dispatch(session: &Session, command: &str, args: serde_json::Value) -> Result<serde_json::Value, AppError> {
            match command {
                $( stringify!($name) => to_json(session.$method(parse_args::<$args>(command, args)?)?), )*
                _ => Err(AppError::new(ErrorCode::NotFound, format!("unknown command '{command}'"))),
            }
        }

        /// The `Commands` map the UI's `Backend` is typed by, and the list of names, in
        /// TypeScript (the argument and result types are declared by
        /// [`crate::typescript::typescript_declarations`]).
        pub fn typescript_commands() -> String {
            let mut out = String::new();
            out.push_str("\n/** Every command: its arguments and its answer. Generated from twin-app's registry. */\nexport interface Commands {\n");
            $(
                out.push_str(&format!("  {}: {{ args: {}; result: {} }};\n", stringify!($name), <$args as TS>::name(), <$result as TS>::name()));
            )*
            out.push_str("}\n\nexport const COMMAND_NAMES = [\n");
            $( out.push_str(&format!("  '{}',\n", stringify!($name))); )*
            out.push_str("] as const;\n");
            out
        }
    };
}

use crate::builder::{ScenarioCheck, ScenarioOptions};
use crate::cache::AuditView;
use crate::changes::WhatChanged;
use crate::ehr::{FetchReport, LoginResult};
use crate::freshness::StaleLimitsView;
use crate::heatmap::HeatmapView;
use crate::hl7_import::Hl7ImportReport;
use crate::json::{PatientList, PatientListItem, PatientSummary, Series};
use crate::patient_view::{ChoosePatientViewArgs, PatientViewState};
use crate::risk::RiskReport;
use crate::scenario_file::ScenarioFile;
use crate::session::ImportHl7Args;
use crate::session::{
    AuditExport, AuditLog, CompareArgs, ConnectionArgs, DecideArgs, EhrFetchArgs, EhrStatus, HeatmapArgs, ImportArgs,
    JobArgs, JobProgress, KeychainStatus, NoArgs, PatientArgs, RiskArgs, SaveScenarioArgs, SeriesArgs, SimulateArgs,
    SuggestArgs, Timeline,
};
use crate::session::{CheckScenariosArgs, ScenarioNameArgs};
use crate::settings::{EhrConnection, Preferences, SettingsView};
use crate::simulate::{Comparison, Projection};
use crate::suggest::SuggestionView;
use crate::summary::{WriteBackArgs, WriteBackView};
use crate::twin::TwinView;
use crate::worklist::{OpenPanelArgs, Worklist};

commands! {
    listPatients(NoArgs) -> PatientList = cmd_list_patients;
    patientSummary(PatientArgs) -> PatientSummary = cmd_patient_summary;
    series(SeriesArgs) -> Series = cmd_series;
    timeline(PatientArgs) -> Timeline = cmd_timeline;
    changesSinceFetch(PatientArgs) -> WhatChanged = cmd_changes_since_fetch;
    twin(PatientArgs) -> TwinView = cmd_twin;
    risk(RiskArgs) -> RiskReport = cmd_risk;
    simulate(SimulateArgs) -> Projection = cmd_simulate;
    compare(CompareArgs) -> Comparison = cmd_compare;
    heatmap(HeatmapArgs) -> HeatmapView = cmd_heatmap;
    importBundle(ImportArgs) -> PatientListItem = cmd_import_bundle;
    importHl7(ImportHl7Args) -> Hl7ImportReport = cmd_import_hl7;
    savedScenarios(PatientArgs) -> Vec<ScenarioFile> = cmd_saved_scenarios;
    saveScenario(SaveScenarioArgs) -> Vec<ScenarioFile> = cmd_save_scenario;
    deleteScenario(ScenarioNameArgs) -> Vec<ScenarioFile> = cmd_delete_scenario;
    duplicateScenario(ScenarioNameArgs) -> Vec<ScenarioFile> = cmd_duplicate_scenario;
    scenarioOptions(PatientArgs) -> ScenarioOptions = cmd_scenario_options;
    checkScenarios(CheckScenariosArgs) -> Vec<ScenarioCheck> = cmd_check_scenarios;
    auditLog(NoArgs) -> AuditLog = cmd_audit_log;
    exportAudit(NoArgs) -> AuditExport = cmd_export_audit;
    suggest(SuggestArgs) -> SuggestionView = cmd_suggest;
    decideSuggestion(DecideArgs) -> AuditView = cmd_decide_suggestion;
    keychainStatus(NoArgs) -> KeychainStatus = cmd_keychain_status;
    settings(NoArgs) -> SettingsView = cmd_settings;
    saveConnection(EhrConnection) -> SettingsView = cmd_save_connection;
    removeConnection(ConnectionArgs) -> SettingsView = cmd_remove_connection;
    saveStaleLimits(StaleLimitsView) -> SettingsView = cmd_save_stale_limits;
    savePreferences(Preferences) -> SettingsView = cmd_save_preferences;
    ehrStatus(ConnectionArgs) -> EhrStatus = cmd_ehr_status;
    ehrSignIn(ConnectionArgs) -> LoginResult = cmd_ehr_sign_in;
    ehrFetch(EhrFetchArgs) -> FetchReport = cmd_ehr_fetch;
    jobProgress(JobArgs) -> JobProgress = cmd_job_progress;
    cancelJob(JobArgs) -> JobProgress = cmd_cancel_job;
    patientView(PatientArgs) -> PatientViewState = cmd_patient_view;
    choosePatientView(ChoosePatientViewArgs) -> PatientViewState = cmd_choose_patient_view;
    ehrWriteBack(WriteBackArgs) -> WriteBackView = cmd_ehr_write_back;
    openPanel(OpenPanelArgs) -> Worklist = cmd_open_panel;
}
