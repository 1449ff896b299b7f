//! `cardiotwin`: CardioTwin without a window. Parses arguments, calls `twin-app`, prints.
//!
//! Exit codes: 0 success; 1 the command failed (a file could not be read or is not a usable
//! FHIR Bundle, the cache is locked, a write failed), with one line on stderr saying what and
//! why; 2 the command line is invalid (clap's usage error); 3 `audit verify` found the log broken.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod serve;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};

use twin_app::json::PatientSummary;
use twin_app::risk::{RecordOverrides, RiskFigure, RiskReport};
use twin_app::simulate::{Comparison, OutputKey, Projection};
use twin_app::twin::TwinView;
use twin_app::{cache, demo, patients, risk, scenario_file, simulate, twin};
use twin_engine::progression::scenario::Scenario;
use twin_engine::progression::EnsembleConfig;
use twin_engine::record::Sex;
use twin_engine::risk::{Race, Region, RiskInputs};
use twin_engine::units::{CHOLESTEROL_MG_DL_PER_MMOL_L, UACR_MG_G_PER_MG_MMOL};

/// CardioTwin: a cardiovascular digital twin for decision support. Not a diagnosis; the
/// clinician decides. Demo data is synthetic.
#[derive(Debug, Parser)]
#[command(name = "cardiotwin", version, about)]
struct Cli {
    /// Data directory of the offline cache and audit log (default: CARDIOTWIN_DATA_DIR, else the
    /// platform's data directory).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum CacheCommand {
    /// Imports a FHIR Bundle file into the encrypted cache.
    Import {
        /// The bundle.
        #[arg(long)]
        bundle: PathBuf,
    },
    /// Lists cached patients with how long ago each was fetched.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Shows a cached patient's harmonised record.
    Show {
        /// Patient id.
        id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Deletes a cached patient.
    Delete {
        /// Patient id.
        id: String,
    },
    /// Deletes every cached patient (the audit log is kept).
    PurgeAll,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DecisionArg {
    Accepted,
    Modified,
    Declined,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    Fhir,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Records a decision about a suggestion.
    Record {
        /// Patient id.
        #[arg(long)]
        patient: String,
        /// What was suggested or simulated.
        #[arg(long)]
        suggestion: String,
        /// The decision.
        #[arg(long, value_enum)]
        decision: DecisionArg,
        /// Why (required for modified and declined).
        #[arg(long)]
        reason: Option<String>,
        /// What was changed (required for modified).
        #[arg(long)]
        modification: Option<String>,
        /// Who decided (default: the login name).
        #[arg(long)]
        user: Option<String>,
        /// The inputs the suggestion was computed from (hashed into the entry).
        #[arg(long, default_value = "")]
        inputs: String,
    },
    /// Lists the log.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Checks the hash chain; exits 0 only when intact.
    Verify {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Exports the log.
    Export {
        /// Export format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Fhir)]
        format: ExportFormat,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serves the app to a browser on this machine: the built UI at `/`, the use cases under
    /// `/api/` behind a token printed in the first line (`CardioTwin serving URL#token=…`).
    Serve {
        /// Port on 127.0.0.1; 0 picks a free one.
        #[arg(long, default_value_t = 8765)]
        port: u16,
        /// Folder of demo bundles (default: CARDIOTWIN_DEMO_DIR, else the bundled cohort).
        #[arg(long)]
        demo_dir: Option<PathBuf>,
        /// The built UI (default: the repository's ui/dist).
        #[arg(long)]
        ui_dir: Option<PathBuf>,
    },
    /// Writes the synthetic demo cohort: one FHIR R4 transaction Bundle per patient.
    DemoCohort {
        /// Seed of the generator; the same seed gives the same bytes.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder to write into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// Prints a patient's harmonised record from a FHIR Bundle file.
    Patient {
        /// A FHIR R4 Bundle (JSON) holding one patient.
        #[arg(long)]
        bundle: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Event risk by the validated equations (PCE, PREVENT, SCORE2), from values or a record.
    Risk(RiskArgs),
    /// Projects the patient's twin forward under a scenario (default: current treatment).
    Simulate {
        /// The patient's FHIR Bundle.
        #[arg(long)]
        bundle: PathBuf,
        /// Scenario file (JSON, see docs/SCENARIOS.md); omit for current treatment.
        #[arg(long)]
        scenario: Option<PathBuf>,
        #[command(flatten)]
        ensemble: EnsembleArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Compares scenarios side by side; each later one against the first.
    Compare {
        /// The patient's FHIR Bundle.
        #[arg(long)]
        bundle: PathBuf,
        /// Scenario files, two or more (use `current` for current treatment).
        #[arg(long = "scenario", required = true, num_args = 1)]
        scenarios: Vec<String>,
        #[command(flatten)]
        ensemble: EnsembleArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Signs in to an EHR over SMART-on-FHIR in the system browser; the refresh token goes to the
    /// OS keychain.
    Login {
        /// FHIR base URL.
        #[arg(long)]
        fhir: String,
        /// Client id registered with the EHR.
        #[arg(long, default_value = twin_app::ehr::DEFAULT_CLIENT_ID)]
        client_id: String,
        /// EHR launch context (`launch` parameter), for EHR launch.
        #[arg(long)]
        launch: Option<String>,
    },
    /// Fetches a patient from an EHR into the offline cache and prints the harmonised record.
    Fetch {
        /// FHIR base URL.
        #[arg(long)]
        fhir: String,
        /// Patient id.
        #[arg(long)]
        patient: String,
        /// A file holding a bearer token (tests, service accounts); otherwise the sign-in from `login`.
        #[arg(long)]
        token_file: Option<PathBuf>,
        /// Client id (for refreshing the sign-in).
        #[arg(long, default_value = twin_app::ehr::DEFAULT_CLIENT_ID)]
        client_id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The encrypted offline patient cache.
    #[command(subcommand)]
    Cache(CacheCommand),
    /// The decision (override) log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Writes patients and audit entries in a loop, acknowledging each durable write on stdout
    /// (used by the crash-safety test, which kills it).
    #[command(hide = true)]
    StoreStress {
        /// A demo bundle to import repeatedly under new ids.
        #[arg(long)]
        bundle: PathBuf,
        /// Prefix of the generated patient ids.
        #[arg(long, default_value = "stress")]
        prefix: String,
    },
    /// Measures the engine's speed on this machine against its targets (use a release build).
    Bench {
        /// Time harmonising this bundle (default: the largest demo bundle).
        #[arg(long)]
        harmonise: Option<PathBuf>,
        /// Also time fetching `--patient` from this FHIR server.
        #[arg(long, requires = "patient")]
        fhir: Option<String>,
        /// Patient to fetch.
        #[arg(long, requires = "fhir")]
        patient: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The beat-scale heart: the reference adult, or calibrated to a patient's record.
    Twin {
        /// The reference adult (HR 70).
        #[arg(long, conflicts_with = "bundle", required_unless_present = "bundle")]
        reference: bool,
        /// Calibrate to this patient's FHIR Bundle.
        #[arg(long)]
        bundle: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Debug, Args)]
struct EnsembleArgs {
    /// Months to project.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=600))]
    months: u32,
    /// Ensemble members.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    members: u64,
    /// Seed; the same seed gives the same projection.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Race group for the PCE fallback of the event model.
    #[arg(long, value_enum)]
    race: Option<RaceArg>,
    /// ESC risk region for the SCORE2 fallback of the event model.
    #[arg(long, value_enum)]
    region: Option<RegionArg>,
    /// Social Deprivation Index decile of the patient's residence, 1 (least) to 10 (most
    /// deprived), for the PREVENT event model.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=10))]
    sdi_decile: Option<u8>,
}

impl EnsembleArgs {
    fn config(&self) -> EnsembleConfig {
        EnsembleConfig { months: self.months, members: self.members as usize, seed: self.seed }
    }

    fn overrides(&self) -> RecordOverrides {
        RecordOverrides { race: self.race.map(race), region: self.region.map(region), sdi_decile: self.sdi_decile }
    }

    /// Today's twin from the record, with the event model's hazards over the horizon.
    fn baseline(
        &self,
        record: &twin_engine::record::PatientRecord,
    ) -> anyhow::Result<(twin_engine::progression::Baseline, String, Vec<String>)> {
        Ok(simulate::baseline_from_record(record, patients::today(), self.overrides(), self.months.div_ceil(12))?)
    }
}

fn race(r: RaceArg) -> Race {
    match r {
        RaceArg::White => Race::White,
        RaceArg::Black => Race::Black,
        RaceArg::Other => Race::Other,
    }
}

fn region(r: RegionArg) -> Region {
    match r {
        RegionArg::Low => Region::Low,
        RegionArg::Moderate => Region::Moderate,
        RegionArg::High => Region::High,
        RegionArg::VeryHigh => Region::VeryHigh,
    }
}

fn load_scenario(spec: &str) -> anyhow::Result<Scenario> {
    Ok(if spec == "current" { Scenario::current_treatment() } else { scenario_file::read_scenario(Path::new(spec))? })
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SexArg {
    Female,
    Male,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RaceArg {
    White,
    Black,
    Other,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RegionArg {
    Low,
    Moderate,
    High,
    VeryHigh,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum UacrUnits {
    #[value(name = "mg/g")]
    MgG,
    #[value(name = "mg/mmol")]
    MgMmol,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CholesterolUnits {
    #[value(name = "mg/dl")]
    MgDl,
    #[value(name = "mmol/l")]
    MmolL,
}

#[derive(Debug, Args)]
struct RiskArgs {
    /// Read the latest values from this patient's FHIR Bundle instead of the flags below.
    #[arg(long, conflicts_with_all = ["age", "sex", "tc", "hdl", "sbp", "bp_treated", "smoker", "diabetes", "egfr", "bmi", "statin", "hba1c", "uacr"])]
    bundle: Option<PathBuf>,
    /// Age in years.
    #[arg(long, required_unless_present = "bundle")]
    age: Option<f64>,
    /// Sex.
    #[arg(long, value_enum, required_unless_present = "bundle")]
    sex: Option<SexArg>,
    /// Race group (Pooled Cohort Equations; others use the white equations).
    #[arg(long, value_enum)]
    race: Option<RaceArg>,
    /// Total cholesterol, in --units.
    #[arg(long, required_unless_present = "bundle")]
    tc: Option<f64>,
    /// HDL cholesterol, in --units.
    #[arg(long, required_unless_present = "bundle")]
    hdl: Option<f64>,
    /// Systolic blood pressure, mmHg.
    #[arg(long, required_unless_present = "bundle")]
    sbp: Option<f64>,
    /// On blood-pressure-lowering treatment.
    #[arg(long, action = clap::ArgAction::Set, required_unless_present = "bundle")]
    bp_treated: Option<bool>,
    /// Current smoker.
    #[arg(long, action = clap::ArgAction::Set, required_unless_present = "bundle")]
    smoker: Option<bool>,
    /// Diabetes.
    #[arg(long, action = clap::ArgAction::Set, required_unless_present = "bundle")]
    diabetes: Option<bool>,
    /// eGFR, mL/min/1.73 m² (PREVENT).
    #[arg(long)]
    egfr: Option<f64>,
    /// BMI, kg/m² (PREVENT heart failure).
    #[arg(long)]
    bmi: Option<f64>,
    /// On a statin (PREVENT).
    #[arg(long, action = clap::ArgAction::Set)]
    statin: Option<bool>,
    /// ESC risk region (SCORE2).
    #[arg(long, value_enum)]
    region: Option<RegionArg>,
    /// HbA1c, % (NGSP); selects PREVENT's HbA1c model.
    #[arg(long)]
    hba1c: Option<f64>,
    /// Urine albumin/creatinine ratio, in --uacr-units; selects PREVENT's UACR model.
    #[arg(long)]
    uacr: Option<f64>,
    /// Units of --uacr.
    #[arg(long, value_enum, default_value = "mg/g")]
    uacr_units: UacrUnits,
    /// Social Deprivation Index decile of the patient's residence, 1 (least) to 10 (most
    /// deprived); selects PREVENT's full model. Also with --bundle.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=10))]
    sdi_decile: Option<u8>,
    /// Units of --tc and --hdl.
    #[arg(long, value_enum, default_value = "mg/dl")]
    units: CholesterolUnits,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

impl RiskArgs {
    fn overrides(&self) -> RecordOverrides {
        RecordOverrides { race: self.race.map(race), region: self.region.map(region), sdi_decile: self.sdi_decile }
    }

    /// The inputs from flags; clap has already required the core ones when there is no bundle.
    fn inputs(&self) -> anyhow::Result<RiskInputs> {
        let need = |v: Option<f64>, flag: &str| v.with_context(|| format!("--{flag} is required without --bundle"));
        let to_mmol = |v: f64| match self.units {
            CholesterolUnits::MgDl => v / CHOLESTEROL_MG_DL_PER_MMOL_L,
            CholesterolUnits::MmolL => v,
        };
        let overrides = self.overrides();
        Ok(RiskInputs {
            age: need(self.age, "age")?,
            sex: match self.sex.context("--sex is required without --bundle")? {
                SexArg::Female => Sex::Female,
                SexArg::Male => Sex::Male,
            },
            race: overrides.race,
            total_cholesterol: to_mmol(need(self.tc, "tc")?),
            hdl_cholesterol: to_mmol(need(self.hdl, "hdl")?),
            sbp: need(self.sbp, "sbp")?,
            bp_treated: self.bp_treated.context("--bp-treated is required without --bundle")?,
            smoker: self.smoker.context("--smoker is required without --bundle")?,
            diabetes: self.diabetes.context("--diabetes is required without --bundle")?,
            egfr: self.egfr,
            bmi: self.bmi,
            statin: self.statin,
            region: overrides.region,
            hba1c: self.hba1c,
            uacr: self.uacr.map(|v| match self.uacr_units {
                UacrUnits::MgG => v,
                UacrUnits::MgMmol => v * UACR_MG_G_PER_MG_MMOL,
            }),
            sdi_decile: overrides.sdi_decile,
        })
    }
}

fn main() -> ExitCode {
    // A panic is a bug; the user gets one plain line, not a stack trace.
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("cardiotwin: internal error{location}; please report it (no patient data was written)");
    }));
    let cli = Cli::parse();
    match run(cli) {
        Err(e) if e.downcast_ref::<AuditBroken>().is_some() => {
            eprintln!("cardiotwin: {e:#}");
            ExitCode::from(3)
        }
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`cardiotwin ... | head`) is the reader's choice, not a failure.
        Err(e) if e.chain().any(is_broken_pipe) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cardiotwin: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let pipe = Some(std::io::ErrorKind::BrokenPipe);
    e.downcast_ref::<std::io::Error>().map(std::io::Error::kind) == pipe
        || e.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind) == pipe
}

/// The audit log failed verification (exit code 3).
#[derive(Debug, thiserror::Error)]
#[error("audit log broken at entry {seq}: {problem}")]
struct AuditBroken {
    seq: u64,
    problem: String,
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let data_dir = cli.data_dir.clone();
    let store = || -> anyhow::Result<twin_store::Store> {
        let dir = cache::data_dir(data_dir.as_deref())?;
        Ok(cache::open_store(&dir)?)
    };
    match cli.command {
        Command::Login { fhir, client_id, launch } => {
            let runtime = tokio::runtime::Runtime::new().context("starting the network runtime")?;
            let result = runtime.block_on(twin_app::ehr::login(&fhir, &client_id, launch.as_deref(), |url| {
                eprintln!("Opening the browser to sign in (if it does not open, visit the address the EHR shows).");
                open::that(url.as_str()).map_err(|e| e.to_string())
            }))?;
            let patient = result.patient.as_deref().map(|p| format!(", patient in context: {p}")).unwrap_or_default();
            println!(
                "signed in to {}{patient}; refresh token stored in the keychain: {}",
                result.fhir, result.refresh_token_stored
            );
        }
        Command::Fetch { fhir, patient, token_file, client_id, format } => {
            let store = store()?;
            let runtime = tokio::runtime::Runtime::new().context("starting the network runtime")?;
            let report = runtime.block_on(async {
                let base = url::Url::parse(&fhir).with_context(|| format!("'{fhir}' is not a URL"))?;
                let credentials = twin_app::ehr::credentials(&base, &client_id, token_file.as_deref()).await?;
                let cancel = twin_fhir::fetch::Cancel::default();
                let ctrl_c = cancel.clone();
                tokio::spawn(async move {
                    if tokio::signal::ctrl_c().await.is_ok() {
                        ctrl_c.cancel();
                    }
                });
                let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
                let progress = std::sync::Arc::new(move |p: twin_fhir::fetch::Progress| {
                    if tty {
                        eprint!("\r{} resources, {}/{} searches", p.resources, p.searches_done, p.searches_total);
                    }
                });
                let report =
                    twin_app::ehr::fetch_patient(&store, &fhir, &patient, credentials, progress, &cancel).await;
                if tty {
                    eprintln!();
                }
                anyhow::Ok(report?)
            })?;
            print_as(format, &report, write_fetch_text)?;
            if !report.missing.is_empty() {
                anyhow::bail!(
                    "the record is incomplete: {} searches failed (listed above); it was not cached",
                    report.missing.len()
                );
            }
        }
        Command::Cache(command) => {
            let store = store()?;
            match command {
                CacheCommand::Import { bundle } => {
                    let id = cache::import_bundle(&store, &bundle)?;
                    println!("cached patient {id}");
                }
                CacheCommand::List { format } => print_as(format, &cache::list_cached(&store)?, write_cache_list_text)?,
                CacheCommand::Show { id, format } => {
                    print_as(format, &cache::show_cached(&store, &id)?, |out, s| write_summary_text(out, s))?
                }
                CacheCommand::Delete { id } => {
                    if store.delete_snapshot(&id).map_err(twin_app::AppError::from)? {
                        println!("deleted cached patient {id}");
                    } else {
                        anyhow::bail!("no cached patient with id '{id}'");
                    }
                }
                CacheCommand::PurgeAll => {
                    let n = store.purge_patients().map_err(twin_app::AppError::from)?;
                    println!("deleted {n} cached patients; the audit log is kept");
                }
            }
        }
        Command::Audit(command) => {
            let store = store()?;
            match command {
                AuditCommand::Record { patient, suggestion, decision, reason, modification, user, inputs } => {
                    let decision = match decision {
                        DecisionArg::Accepted => cache::parse_decision("accepted")?,
                        DecisionArg::Modified => cache::parse_decision("modified")?,
                        DecisionArg::Declined => cache::parse_decision("declined")?,
                    };
                    let user = user.or_else(|| std::env::var("USER").ok()).unwrap_or_else(|| "unknown".into());
                    let entry = cache::record_decision(
                        &store,
                        cache::DecisionInput {
                            user,
                            patient_id: patient,
                            suggestion,
                            decision,
                            modification,
                            reason,
                            inputs,
                        },
                    )?;
                    println!("recorded decision {} ({})", entry.seq, entry.decision);
                }
                AuditCommand::List { format } => print_as(format, &cache::list_audit(&store)?, write_audit_text)?,
                AuditCommand::Verify { format } => {
                    let check = cache::verify_audit(&store)?;
                    print_as(format, &check, |out, c| {
                        if c.intact {
                            writeln!(out, "audit log intact: {} entries", c.n_good)
                        } else {
                            writeln!(
                                out,
                                "audit log BROKEN at entry {}: {}",
                                c.first_bad_seq.unwrap_or(0),
                                c.problem.as_deref().unwrap_or("")
                            )
                        }
                    })?;
                    if !check.intact {
                        return Err(AuditBroken {
                            seq: check.first_bad_seq.unwrap_or(0),
                            problem: check.problem.unwrap_or_default(),
                        }
                        .into());
                    }
                }
                AuditCommand::Export { format: ExportFormat::Fhir } => {
                    print_as(Format::Json, &cache::export_audit_fhir(&store)?, |_, _| Ok(()))?
                }
            }
        }
        Command::StoreStress { bundle, prefix } => {
            let store = store()?;
            let text = std::fs::read_to_string(&bundle).with_context(|| format!("reading {}", bundle.display()))?;
            let mut stdout = std::io::stdout().lock();
            for i in 0u64.. {
                let snapshot = twin_store::cache::Snapshot {
                    patient_id: format!("{prefix}-{i}"),
                    display_name: format!("Stress {i}"),
                    source: "stress".into(),
                    fetched_at: cache::now_rfc3339(),
                    bundle_json: text.clone(),
                    summary_json: "{}".into(),
                };
                store.put_snapshot(&snapshot).map_err(twin_app::AppError::from)?;
                writeln!(stdout, "put {prefix}-{i}")?;
                stdout.flush()?;
                let entry = cache::record_decision(
                    &store,
                    cache::DecisionInput {
                        user: "stress".into(),
                        patient_id: format!("{prefix}-{i}"),
                        suggestion: "stress".into(),
                        decision: cache::parse_decision("declined")?,
                        modification: None,
                        reason: Some("stress test".into()),
                        inputs: String::new(),
                    },
                )?;
                writeln!(stdout, "audit {}", entry.seq)?;
                stdout.flush()?;
            }
        }
        Command::DemoCohort { seed, out } => {
            let written = demo::write_demo_cohort(seed, &out)?;
            println!("wrote {} synthetic patients to {}", written.len(), out.display());
        }
        Command::Patient { bundle, format } => {
            let summary = patients::summarise_bundle(&bundle, patients::today())?;
            let mut stdout = std::io::stdout().lock();
            match format {
                Format::Json => {
                    serde_json::to_writer_pretty(&mut stdout, &summary).context("writing JSON to stdout")?;
                    writeln!(stdout)?;
                }
                Format::Text => write_summary_text(&mut stdout, &summary)?,
            }
        }
        Command::Simulate { bundle, scenario, ensemble, format } => {
            let record = patients::open_bundle(&bundle)?.record;
            let scenario = match &scenario {
                Some(path) => scenario_file::read_scenario(path)?,
                None => Scenario::current_treatment(),
            };
            let config = ensemble.config();
            let (baseline, model, notes) = ensemble.baseline(&record)?;
            let (projection, _) = simulate::project(&record.id, &baseline, &model, &notes, &scenario, &config);
            print_as(format, &projection, write_projection_text)?;
        }
        Command::Compare { bundle, scenarios, ensemble, format } => {
            if scenarios.len() < 2 {
                anyhow::bail!("compare needs at least two --scenario (use `current` for current treatment)");
            }
            let record = patients::open_bundle(&bundle)?.record;
            let scenarios = scenarios.iter().map(|s| load_scenario(s)).collect::<anyhow::Result<Vec<_>>>()?;
            let (baseline, model, notes) = ensemble.baseline(&record)?;
            let comparison = simulate::compare(&record.id, &baseline, &model, &notes, &scenarios, &ensemble.config());
            print_as(format, &comparison, write_comparison_text)?;
        }
        Command::Serve { port, demo_dir, ui_dir } => {
            let data_dir = cache::data_dir(data_dir.as_deref()).ok();
            serve::run(serve::ServeOptions {
                port,
                session: twin_app::session::SessionConfig {
                    demo_dir: Some(demo_dir.unwrap_or_else(demo::default_demo_dir)),
                    data_dir,
                },
                ui_dir: ui_dir.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist")),
            })?;
        }
        Command::Bench { harmonise, fhir, patient, format } => {
            let demo = twin_app::patients::PatientFolder::new(demo::default_demo_dir());
            let target = fhir.zip(patient).map(|(fhir, patient)| twin_app::bench::FetchTarget { fhir, patient });
            let report = twin_app::bench::run(&demo, harmonise.as_deref(), target.as_ref())?;
            print_as(format, &report, write_bench_text)?;
        }
        Command::Twin { bundle, format, .. } => {
            let view = match bundle {
                Some(bundle) => twin::patient_twin(&patients::open_bundle(&bundle)?.record)?.0,
                None => twin::reference_twin(),
            };
            let mut stdout = std::io::stdout().lock();
            match format {
                Format::Json => {
                    serde_json::to_writer_pretty(&mut stdout, &view).context("writing JSON to stdout")?;
                    writeln!(stdout)?;
                }
                Format::Text => write_twin_text(&mut stdout, &view)?,
            }
        }
        Command::Risk(args) => {
            let report = match &args.bundle {
                Some(bundle) => {
                    let harmonised = patients::open_bundle(bundle)?;
                    let (inputs, used) =
                        risk::inputs_from_record(&harmonised.record, patients::today(), args.overrides())?;
                    risk::assess(&inputs, used)
                }
                None => risk::assess(&args.inputs()?, Vec::new()),
            };
            let mut stdout = std::io::stdout().lock();
            match args.format {
                Format::Json => {
                    serde_json::to_writer_pretty(&mut stdout, &report).context("writing JSON to stdout")?;
                    writeln!(stdout)?;
                }
                Format::Text => write_risk_text(&mut stdout, &report)?,
            }
        }
    }
    Ok(())
}

fn write_summary_text(out: &mut dyn Write, s: &PatientSummary) -> std::io::Result<()> {
    let age = s.age.map_or_else(|| "age unknown".to_string(), |a| format!("{a} y"));
    writeln!(out, "{} ({}, {}, born {})", s.name, s.sex, age, s.birth_date.as_deref().unwrap_or("?"))?;
    if s.synthetic {
        writeln!(out, "SYNTHETIC test patient")?;
    }
    if let Some(smoking) = &s.smoking {
        writeln!(out, "Smoking: {smoking}")?;
    }
    writeln!(out, "\nLatest measurements")?;
    for v in &s.latest {
        writeln!(out, "  {:<32} {:>8.1} {:<14} {}  (n={})", v.label, v.value, v.unit, v.date, v.count)?;
    }
    writeln!(out, "\nActive medications")?;
    for m in &s.active_medications {
        let class = m.class.as_deref().unwrap_or("unmapped");
        let dose = m.daily_dose_mg.map(|d| format!("{d} mg/day")).unwrap_or_default();
        let adherence = m.adherence.map(|a| format!(", {:.0}% of days covered", a * 100.0)).unwrap_or_default();
        writeln!(out, "  {} [{class}] {dose} since {}{adherence}", m.display, m.start.as_deref().unwrap_or("?"))?;
    }
    writeln!(out, "\nConditions")?;
    for c in &s.conditions {
        writeln!(out, "  {} (since {})", c.label, c.date.as_deref().unwrap_or("?"))?;
    }
    if !s.procedures.is_empty() {
        writeln!(out, "\nProcedures")?;
        for p in &s.procedures {
            writeln!(out, "  {} ({})", p.label, p.date.as_deref().unwrap_or("?"))?;
        }
    }
    if !s.problems.is_empty() {
        writeln!(out, "\n{} resources could not be used:", s.problems.len())?;
        for p in &s.problems {
            writeln!(out, "  {}: {}", p.resource, p.reason)?;
        }
    }
    let unmapped: usize = s.unmapped.values().sum();
    if unmapped > 0 {
        writeln!(out, "\n{unmapped} coded items not mapped ({} distinct codes)", s.unmapped.len())?;
    }
    Ok(())
}

fn write_risk_text(out: &mut impl Write, r: &RiskReport) -> std::io::Result<()> {
    let rows: [(&str, &RiskFigure); 8] = [
        ("PCE 10-year ASCVD", &r.pce.ascvd_10y),
        ("PREVENT 10-year CVD", &r.prevent.cvd_10y),
        ("PREVENT 10-year ASCVD", &r.prevent.ascvd_10y),
        ("PREVENT 10-year heart failure", &r.prevent.hf_10y),
        ("PREVENT 30-year CVD", &r.prevent.cvd_30y),
        ("PREVENT 30-year ASCVD", &r.prevent.ascvd_30y),
        ("PREVENT 30-year heart failure", &r.prevent.hf_30y),
        ("SCORE2 10-year CVD", &r.score2.cvd_10y),
    ];
    for (label, figure) in rows {
        match (figure.value, &figure.reason) {
            (Some(v), _) => writeln!(out, "{label:<32} {:>5.1}%", v * 100.0)?,
            (None, Some(reason)) => writeln!(out, "{label:<32}     —  ({reason})")?,
            (None, None) => writeln!(out, "{label:<32}     —")?,
        }
    }
    writeln!(out, "PREVENT {}", r.prevent.model_label)?;
    for note in &r.prevent.cvd_10y.notes {
        writeln!(out, "  note: {note}")?;
    }
    if !r.inputs.is_empty() {
        writeln!(out, "\nInputs")?;
        for i in &r.inputs {
            let when = i.date.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
            writeln!(out, "  {:<32} {}{when}", i.name, i.value)?;
        }
    }
    writeln!(out, "\n{}", r.caveat)
}

fn write_twin_text(out: &mut impl Write, t: &TwinView) -> std::io::Result<()> {
    let h = &t.hemodynamics;
    writeln!(out, "Heart twin: {}", t.subject)?;
    writeln!(
        out,
        "  BP {:.0}/{:.0} mmHg (MAP {:.0}), HR {:.0}, EDV {:.0} mL, ESV {:.0} mL, SV {:.0} mL, EF {:.0}%, CO {:.1} L/min",
        h.sbp, h.dbp, h.map, h.heart_rate, h.edv, h.esv, h.stroke_volume, h.ejection_fraction, h.cardiac_output
    )?;
    writeln!(out, "\nParameters")?;
    for p in &t.params {
        let interval = match (p.low90, p.high90) {
            (Some(lo), Some(hi)) => format!("  (90% {lo:.3}–{hi:.3})"),
            _ => String::new(),
        };
        writeln!(out, "  {:<18} {:>9.3} {}{interval}", p.name, p.value, p.unit)?;
    }
    if !t.fit.is_empty() {
        writeln!(out, "\nFit (model − measured)")?;
        for f in &t.fit {
            writeln!(
                out,
                "  {:<6} measured {:>6.1} ± {:.1} (n={}), residual {:+.2}",
                f.name, f.measured, f.sd, f.n_readings, f.residual
            )?;
        }
        writeln!(out, "  {} iterations, {} model solves", t.n_iterations, t.n_solves)?;
    }
    Ok(())
}

/// Prints `value` as JSON, or as text through `text`.
fn print_as<T: serde::Serialize>(
    format: Format,
    value: &T,
    text: fn(&mut dyn Write, &T) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut stdout, value).context("writing JSON to stdout")?;
            writeln!(stdout)?;
        }
        Format::Text => text(&mut stdout, value)?,
    }
    Ok(())
}

fn band_at(p: &Projection, output: OutputKey, month: usize) -> Option<(f64, f64, f64)> {
    let b = p.outputs.iter().find(|b| b.output == output)?;
    Some((*b.p50.get(month)?, *b.p5.get(month)?, *b.p95.get(month)?))
}

fn write_projection_text(out: &mut dyn Write, p: &Projection) -> std::io::Result<()> {
    writeln!(out, "Scenario: {} ({} members, seed {})", p.scenario, p.members, p.seed)?;
    for i in &p.interventions {
        writeln!(out, "  - {i}")?;
    }
    writeln!(out, "Event model: {}", p.event_model)?;
    writeln!(
        out,
        "BP response factor {:.2} ± {:.2} (learned from {} drug starts)",
        p.bp_response.mean, p.bp_response.sd, p.bp_response.n_updates
    )?;
    writeln!(out, "\n{:<12} {:>22} {:>22} {:>22}", "month", "SBP mmHg", "LDL-C mmol/L", "event risk %")?;
    let months = p.months as usize;
    for month in [0, 6, 12, 24, 60, 120].into_iter().filter(|m| *m <= months) {
        let cell = |o: OutputKey, scale: f64| {
            band_at(p, o, month).filter(|b| b.0.is_finite()).map_or("—".to_string(), |(m, lo, hi)| {
                format!("{:.1} ({:.1}–{:.1})", m * scale, lo * scale, hi * scale)
            })
        };
        writeln!(
            out,
            "{month:<12} {:>22} {:>22} {:>22}",
            cell(OutputKey::Sbp, 1.0),
            cell(OutputKey::Ldl, 1.0),
            cell(OutputKey::EventRisk, 100.0)
        )?;
    }
    for n in &p.notes {
        writeln!(out, "Note: {n}")?;
    }
    writeln!(out, "Median (5–95% band). Projections are decision support, not a prognosis.")
}

fn write_comparison_text(out: &mut dyn Write, c: &Comparison) -> std::io::Result<()> {
    for p in &c.projections {
        write_projection_text(out, p)?;
        writeln!(out)?;
    }
    for d in &c.differences {
        writeln!(out, "'{}' against '{}'", d.scenario, d.against)?;
        for s in &d.explanation {
            writeln!(out, "  {s}")?;
        }
    }
    Ok(())
}

fn write_bench_text(out: &mut dyn Write, r: &twin_app::bench::BenchReport) -> std::io::Result<()> {
    writeln!(out, "{} threads, {} build", r.threads, if r.optimised { "release" } else { "debug (not comparable)" })?;
    for f in &r.figures {
        writeln!(
            out,
            "{:<52} {:>9.3} ms  target {:>7.1} ms  ratio {:>6.2}",
            f.name, f.median_ms, f.target_ms, f.ratio
        )?;
    }
    Ok(())
}

fn write_cache_list_text(out: &mut dyn Write, l: &cache::CacheList) -> std::io::Result<()> {
    for p in &l.patients {
        writeln!(
            out,
            "{:<16} {:<28} fetched {} ({:.1} days ago) from {}",
            p.id, p.name, p.fetched_at, p.age_days, p.source
        )?;
    }
    if l.patients.is_empty() {
        writeln!(out, "the cache is empty")?;
    }
    for q in &l.quarantined {
        writeln!(out, "quarantined: {q}")?;
    }
    Ok(())
}

fn write_audit_text(out: &mut dyn Write, entries: &Vec<cache::AuditView>) -> std::io::Result<()> {
    for e in entries {
        let reason = e.reason.as_deref().map(|r| format!(" — {r}")).unwrap_or_default();
        writeln!(out, "{:>5} {} {} {} {}: {}{reason}", e.seq, e.time, e.user, e.patient_id, e.decision, e.suggestion)?;
    }
    Ok(())
}

fn write_fetch_text(out: &mut dyn Write, r: &twin_app::ehr::FetchReport) -> std::io::Result<()> {
    write_summary_text(out, &r.summary)?;
    writeln!(out, "\nResources received ({} pages)", r.n_pages)?;
    for (kind, n) in &r.summary.resource_counts {
        writeln!(out, "  {kind:<24} {n}")?;
    }
    for (code, n) in &r.summary.unmapped {
        writeln!(out, "  unmapped: {code} × {n}")?;
    }
    for m in &r.missing {
        writeln!(out, "MISSING {}: {}", m.search, m.reason)?;
    }
    writeln!(out, "{}", if r.cached { "written to the offline cache" } else { "not cached (incomplete)" })
}
