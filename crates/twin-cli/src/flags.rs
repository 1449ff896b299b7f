//! The command line: every subcommand and flag (clap), and their conversion into `twin-app`'s
//! inputs. Nothing here computes; `commands` runs them and `output` prints.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use twin_app::risk::{CholesterolUnit, RecordOverrides, RiskValues, SexChoice, UacrUnit};
use twin_app::session::{EnsembleOptions, RaceChoice, RegionChoice, RiskContext};

/// CardioTwin: a cardiovascular digital twin for decision support. Not a diagnosis; the
/// clinician decides. Demo data is synthetic.
#[derive(Debug, Parser)]
#[command(name = "cardiotwin", version, about)]
pub struct Cli {
    /// Data directory of the offline cache and audit log (default: CARDIOTWIN_DATA_DIR, else the
    /// platform's data directory).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// The consultation's day, YYYY-MM-DD: ages, active medications and projections are computed
    /// for it (default: CARDIOTWIN_AS_OF, else today). Pin it for results that do not change
    /// with the date they are run on.
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Imports a FHIR Bundle file into the encrypted cache.
    Import {
        /// The bundle.
        #[arg(long)]
        bundle: PathBuf,
        /// Which Patient to import, by id, when the Bundle holds several.
        #[arg(long)]
        patient: Option<String>,
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
pub enum DecisionArg {
    Accepted,
    Modified,
    Declined,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Fhir,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
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
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
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
    /// Suggests the simplest change of treatment that reaches the guideline BP and LDL-C targets,
    /// within safety limits, by simulating candidates with the twin. Decision support: the
    /// clinician decides (record it with `audit record`).
    Suggest {
        /// The patient's FHIR Bundle.
        #[arg(long)]
        bundle: PathBuf,
        /// Ensemble members per candidate.
        #[arg(long, default_value_t = 400)]
        members: u32,
        /// Seed; the same seed gives the same suggestion.
        #[arg(long, default_value_t = 1)]
        seed: u32,
        /// ESC risk region, for SCORE2 and so the LDL-C risk category (ESC/EAS 2019).
        #[arg(long, value_enum)]
        region: Option<RegionArg>,
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
        /// Fetch the whole record even when the patient is held from this server (otherwise only
        /// what changed since the last fetch is asked for).
        #[arg(long)]
        full: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Downloads a FHIR Bulk Data export (a clinic's panel) into a folder, signing in with SMART
    /// Backend Services (the key in the keychain: `export keygen`); `cardiotwin panel` reads it.
    Export(ExportArgs),
    /// Runs the twin over a population: a FHIR Bulk Data folder (NDJSON) in, one Parquet row per
    /// patient × scenario out (risk, difference against today's treatment, SBP and LDL-C at 12
    /// months, the suggested plan's first step, alerts, stale inputs, skips with their reason).
    /// The result and the work folder hold PHI. Ctrl-C stops cleanly; the same command resumes.
    Panel(PanelArgs),
    /// Writes a folder of FHIR Bundles (the demo cohort, Synthea's output) as a FHIR Bulk Data
    /// folder, one NDJSON file per resource type, for `panel`.
    BulkFromBundles {
        /// Folder of Bundle files (`*.json`).
        #[arg(long)]
        bundles: PathBuf,
        /// Folder to write the NDJSON files into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// The encrypted offline patient cache.
    #[command(subcommand)]
    Cache(CacheCommand),
    /// Imports lab results from HL7 v2 ORU^R01 messages (v2.3-2.5.1, plain or MLLP-framed) into
    /// the held records. Tests map by LOINC, or by the local code table (hl7-codes.csv in the
    /// data folder, and --codes). Exit 1 when the file held messages but no result was filed.
    ///
    /// Or home and wearable data into a held record: `--home-bp FILE.csv` (a home monitor's
    /// export; columns in docs/HOME-DATA.md) or `--apple-health export.xml` (streamed; a cut-short
    /// export imports what is complete and says where it stopped).
    Import {
        /// The HL7 v2 file.
        #[arg(long, value_name = "FILE", required_unless_present_any = ["home_bp", "apple_health"], conflicts_with_all = ["home_bp", "apple_health"])]
        hl7: Option<PathBuf>,
        /// A home BP monitor's CSV export (date,time,systolic,diastolic,pulse).
        #[arg(long, value_name = "FILE", conflicts_with = "apple_health")]
        home_bp: Option<PathBuf>,
        /// An Apple Health export.xml.
        #[arg(long, value_name = "FILE")]
        apple_health: Option<PathBuf>,
        /// The home monitor that took the --home-bp readings (its provenance in the record).
        #[arg(long, default_value = "home BP monitor (CSV export)")]
        device: String,
        /// The held patient the results are for; every message's PID-3 must name it. Without it,
        /// each message goes to the held patient its PID-3 names.
        #[arg(long)]
        patient: Option<String>,
        /// A local code table (CSV: system,code,loinc[,description]) besides the data folder's.
        #[arg(long, value_name = "FILE")]
        codes: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
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
        /// `engine` (the default: calibration, projections, suggestions, risk equations,
        /// harmonising) or `heatmap` (the 32 × 32 × 1000 × 120 heatmap on the CPU and on a GPU,
        /// and how its time grows).
        #[arg(long, default_value = "engine")]
        suite: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The risk heatmap: 10-year event risk (median and 5–95% band) over two intervention axes.
    Heatmap(HeatmapArgs),
    /// Trains the learned model (twin-ml) on a synthetic cohort and writes its weights.
    Train {
        /// Folder for `ct-seq.safetensors` and `ct-seq.json`.
        #[arg(long, default_value = "models")]
        out: PathBuf,
        /// Seed of initialisation and shuffling.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A small cohort and 4 epochs (tests), not the shipped model.
        #[arg(long)]
        quick: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The learned model's card figures on held-out synthetic patients (and `--bundles`).
    Evaluate {
        /// Folder of the weights (default: `CARDIOTWIN_MODELS_DIR`, else the repository's `models/`).
        #[arg(long)]
        models: Option<PathBuf>,
        /// Evaluate on the small cohort `train --quick` used.
        #[arg(long)]
        quick: bool,
        /// Also evaluate on the FHIR bundles in this folder (e.g. Synthea lifetimes), reported separately.
        #[arg(long)]
        bundles: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Runs an in-silico trial: a published trial's population, drawn from its baseline table, through its arms
    /// (scenarios or treat-to-target strategies), with the published figures and a verdict beside ours
    /// (specs in assets/trials/, format in docs/SCENARIOS.md)
    Trial {
        /// The trial spec (JSON).
        #[arg(long)]
        spec: PathBuf,
        /// Participants to draw (default: the spec's), at most 1,000,000.
        #[arg(long)]
        participants: Option<usize>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Checks the projection bands against held-out synthetic follow-up (docs/VALIDATION.md §9).
    Coverage {
        /// First and last generator seed (seed 1 is the committed cohort and is skipped).
        #[arg(long, default_value_t = 2)]
        first_seed: u32,
        /// Last generator seed.
        #[arg(long, default_value_t = 11)]
        last_seed: u32,
        /// Ensemble members per hindcast.
        #[arg(long, default_value_t = 400)]
        members: usize,
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
pub struct HeatmapArgs {
    /// The patient's FHIR Bundle.
    #[arg(long, required_unless_present = "list_axes")]
    pub bundle: Option<PathBuf>,
    /// Columns, AXIS:FROM:TO (see --list-axes).
    #[arg(long, default_value = "sbp:0:30")]
    pub x: String,
    /// Rows, AXIS:FROM:TO.
    #[arg(long, default_value = "ldl:0:60")]
    pub y: String,
    /// Cells a side.
    #[arg(long, default_value_t = 32)]
    pub grid: u32,
    /// Members per cell.
    #[arg(long, default_value_t = 1000)]
    pub members: u32,
    /// Months (the risk is at the last).
    #[arg(long, default_value_t = 120)]
    pub months: u32,
    /// Seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u32,
    /// Where the cells run: `auto` (a hardware GPU if there is one, else the CPU), `cpu`, or
    /// `gpu` (any adapter, software Vulkan included). Default: `CARDIOTWIN_BACKEND`, else auto.
    #[arg(long)]
    pub backend: Option<String>,
    /// Lists the axes and their units.
    #[arg(long)]
    pub list_axes: bool,
    /// ESC risk region, for SCORE2 and SCORE2-Diabetes.
    #[arg(long, value_enum)]
    pub region: Option<RegionArg>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct EnsembleArgs {
    /// Months to project.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=600))]
    pub months: u32,
    /// Ensemble members.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub members: u32,
    /// Seed; the same seed gives the same projection.
    #[arg(long, default_value_t = 1)]
    pub seed: u32,
    /// Race group for the PCE fallback of the event model.
    #[arg(long, value_enum)]
    pub race: Option<RaceArg>,
    /// ESC risk region for the SCORE2 fallback of the event model.
    #[arg(long, value_enum)]
    pub region: Option<RegionArg>,
    /// Social Deprivation Index decile of the patient's residence, 1 (least) to 10 (most
    /// deprived), for the PREVENT event model.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=10))]
    pub sdi_decile: Option<u8>,
    /// Where the ensemble runs: `auto` (a hardware GPU if there is one, else the CPU), `cpu`,
    /// or `gpu` (any adapter, software Vulkan included). Default: `CARDIOTWIN_BACKEND`, else auto.
    #[arg(long)]
    pub backend: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SexArg {
    Female,
    Male,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RaceArg {
    White,
    Black,
    Other,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RegionArg {
    Low,
    Moderate,
    High,
    VeryHigh,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum UacrUnits {
    #[value(name = "mg/g")]
    MgG,
    #[value(name = "mg/mmol")]
    MgMmol,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CholesterolUnits {
    #[value(name = "mg/dl")]
    MgDl,
    #[value(name = "mmol/l")]
    MmolL,
}

#[derive(Debug, Args)]
pub struct RiskArgs {
    /// Read the latest values from this patient's FHIR Bundle instead of the flags below.
    #[arg(long, conflicts_with_all = ["age", "sex", "tc", "hdl", "sbp", "bp_treated", "smoker", "diabetes", "egfr", "bmi", "statin", "hba1c", "uacr"])]
    pub bundle: Option<PathBuf>,
    /// Age in years.
    #[arg(long, required_unless_present = "bundle")]
    pub age: Option<f64>,
    /// Sex.
    #[arg(long, value_enum, required_unless_present = "bundle")]
    pub sex: Option<SexArg>,
    /// Race group (Pooled Cohort Equations; others use the white equations).
    #[arg(long, value_enum)]
    pub race: Option<RaceArg>,
    /// Total cholesterol, in --units.
    #[arg(long, required_unless_present = "bundle")]
    pub tc: Option<f64>,
    /// HDL cholesterol, in --units.
    #[arg(long, required_unless_present = "bundle")]
    pub hdl: Option<f64>,
    /// Systolic blood pressure, mmHg.
    #[arg(long, required_unless_present = "bundle")]
    pub sbp: Option<f64>,
    /// On blood-pressure-lowering treatment.
    #[arg(long, action = clap::ArgAction::Set, required_unless_present = "bundle")]
    pub bp_treated: Option<bool>,
    /// Current smoker.
    #[arg(long, action = clap::ArgAction::Set, required_unless_present = "bundle")]
    pub smoker: Option<bool>,
    /// Diabetes.
    #[arg(long, action = clap::ArgAction::Set, required_unless_present = "bundle")]
    pub diabetes: Option<bool>,
    /// eGFR, mL/min/1.73 m² (PREVENT).
    #[arg(long)]
    pub egfr: Option<f64>,
    /// BMI, kg/m² (PREVENT heart failure).
    #[arg(long)]
    pub bmi: Option<f64>,
    /// On a statin (PREVENT).
    #[arg(long, action = clap::ArgAction::Set)]
    pub statin: Option<bool>,
    /// ESC risk region (SCORE2).
    #[arg(long, value_enum)]
    pub region: Option<RegionArg>,
    /// HbA1c, % (NGSP); selects PREVENT's HbA1c model.
    #[arg(long)]
    hba1c: Option<f64>,
    /// Urine albumin/creatinine ratio, in --uacr-units; selects PREVENT's UACR model.
    #[arg(long)]
    pub uacr: Option<f64>,
    /// Units of --uacr.
    #[arg(long, value_enum, default_value = "mg/g")]
    pub uacr_units: UacrUnits,
    /// Social Deprivation Index decile of the patient's residence, 1 (least) to 10 (most
    /// deprived); selects PREVENT's full model. Also with --bundle.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=10))]
    pub sdi_decile: Option<u8>,
    /// Units of --tc and --hdl.
    #[arg(long, value_enum, default_value = "mg/dl")]
    pub units: CholesterolUnits,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl EnsembleArgs {
    /// Ensemble size, horizon and seed.
    pub fn options(&self) -> EnsembleOptions {
        EnsembleOptions { months: self.months, members: self.members, seed: self.seed }
    }

    /// Race, region and SDI for the event model.
    pub fn context(&self) -> RiskContext {
        context(self.race, self.region, self.sdi_decile)
    }
}

/// The risk context with only the ESC region set.
pub fn region_context(region: Option<RegionArg>) -> RiskContext {
    context(None, region, None)
}

fn context(race: Option<RaceArg>, region: Option<RegionArg>, sdi_decile: Option<u8>) -> RiskContext {
    RiskContext {
        race: race.map(|r| match r {
            RaceArg::White => RaceChoice::White,
            RaceArg::Black => RaceChoice::Black,
            RaceArg::Other => RaceChoice::Other,
        }),
        region: region.map(|r| match r {
            RegionArg::Low => RegionChoice::Low,
            RegionArg::Moderate => RegionChoice::Moderate,
            RegionArg::High => RegionChoice::High,
            RegionArg::VeryHigh => RegionChoice::VeryHigh,
        }),
        sdi_decile,
    }
}

impl RiskArgs {
    /// Race, region and SDI.
    pub fn context(&self) -> RiskContext {
        context(self.race, self.region, self.sdi_decile)
    }

    /// The values from flags; clap has already required the core ones when there is no bundle.
    pub fn values(&self) -> anyhow::Result<RiskValues> {
        use anyhow::Context;
        let need = |v: Option<f64>, flag: &str| v.with_context(|| format!("--{flag} is required without --bundle"));
        let context: RecordOverrides = self.context().overrides()?;
        Ok(RiskValues {
            age: need(self.age, "age")?,
            sex: match self.sex.context("--sex is required without --bundle")? {
                SexArg::Female => SexChoice::Female,
                SexArg::Male => SexChoice::Male,
            },
            total_cholesterol: need(self.tc, "tc")?,
            hdl_cholesterol: need(self.hdl, "hdl")?,
            cholesterol_unit: match self.units {
                CholesterolUnits::MgDl => CholesterolUnit::MgPerDl,
                CholesterolUnits::MmolL => CholesterolUnit::MmolPerL,
            },
            sbp: need(self.sbp, "sbp")?,
            bp_treated: self.bp_treated.context("--bp-treated is required without --bundle")?,
            smoker: self.smoker.context("--smoker is required without --bundle")?,
            diabetes: self.diabetes.context("--diabetes is required without --bundle")?,
            egfr: self.egfr,
            bmi: self.bmi,
            statin: self.statin,
            hba1c: self.hba1c,
            uacr: self.uacr,
            uacr_unit: match self.uacr_units {
                UacrUnits::MgG => UacrUnit::MgPerG,
                UacrUnits::MgMmol => UacrUnit::MgPerMmol,
            },
            context,
        })
    }
}

/// `export`: a Bulk Data download, or (with a subcommand) the signing key.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub key: Option<ExportKeyCommand>,
    /// FHIR base URL.
    #[arg(long, required = true)]
    pub fhir: Option<String>,
    /// Client id registered with the EHR for Backend Services.
    #[arg(long, default_value = twin_app::ehr::DEFAULT_CLIENT_ID)]
    pub client_id: String,
    /// Export the members of this Group (a clinic's panel); default: the whole system.
    #[arg(long, conflicts_with = "all_patients")]
    pub group: Option<String>,
    /// Export every patient (`Patient/$export`) instead of the whole system.
    #[arg(long)]
    pub all_patients: bool,
    /// Resource types to export, comma-separated (`_type`); default: all.
    #[arg(long = "type", value_delimiter = ',')]
    pub types: Vec<String>,
    /// Only resources changed since this FHIR instant (`_since`), e.g. the last export's time.
    #[arg(long)]
    pub since: Option<String>,
    /// The folder to download into (made if missing): `<Type>.ndjson` files and `manifest.json`.
    #[arg(long, required = true)]
    pub out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// The Backend Services signing key, kept in the OS keychain.
#[derive(Debug, Subcommand)]
pub enum ExportKeyCommand {
    /// Makes a new P-384 signing key, keeps it in the keychain, prints its public JWKS to
    /// register with the EHR.
    Keygen {
        /// Replace the key already there (EHRs that registered it must be given the new one).
        #[arg(long)]
        replace: bool,
    },
    /// Keeps a P-384 key from a PKCS#8 PEM file in the keychain and prints its public JWKS.
    KeyImport {
        /// The PEM file (`-----BEGIN PRIVATE KEY-----`).
        pem: PathBuf,
        /// Replace the key already there.
        #[arg(long)]
        replace: bool,
    },
    /// Prints the public JWKS of the key in the keychain again.
    Jwks,
}

/// `panel`: the population run on this machine.
#[derive(Debug, Args)]
pub struct PanelArgs {
    /// The FHIR Bulk Data folder (Patient.ndjson, Observation.ndjson, …).
    #[arg(long = "in", value_name = "DIR")]
    pub input: PathBuf,
    /// A scenario: `current` (today's treatment) or a scenario file (docs/SCENARIOS.md); repeat
    /// for each. Every scenario is compared with today's treatment.
    #[arg(long = "scenario", required = true)]
    pub scenarios: Vec<String>,
    /// The result, a Parquet file (PHI: keep it where the export may be kept).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The work folder: buckets and finished parts, kept for a rerun to resume (default: the
    /// result's name with `.work`; removed after a finished run unless given).
    #[arg(long, value_name = "DIR")]
    pub work: Option<PathBuf>,
    /// Buckets (default: one per 32 MB of input, at least 16).
    #[arg(long)]
    pub buckets: Option<u32>,
    /// The run's seed; each patient's and scenario's is derived from it.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Ensemble members per scenario.
    #[arg(long, default_value_t = 1000)]
    pub members: usize,
    /// Months projected (at least 120: the rows report 10-year risk).
    #[arg(long, default_value_t = 120)]
    pub months: u32,
    /// Whose targets the suggested plans aim at: `esc` (ESC 2024 hypertension, ESC/EAS 2019
    /// lipids) or `acc-aha` (2017 ACC/AHA blood pressure, 2018 AHA/ACC cholesterol), as in the
    /// app's settings. Each row records it.
    #[arg(long, default_value = "esc", value_parser = ["esc", "acc-aha"])]
    pub guidelines: String,
    /// Threads (default: every core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}
