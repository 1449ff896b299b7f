//! Each command: one function, a few lines over `twin-app`. What the app does too goes through
//! the session's use cases (the `cmd_*` methods the desktop app and `serve` reach through the
//! registry); what only the command line does (sign-in and fetch with a token file, deleting
//! cached patients, recording a decision by hand, `serve`) calls `twin-app`'s functions; and
//! developer tooling (`bench`, `coverage`, `train`, `evaluate`, `store-stress`, `demo-cohort`)
//! calls `twin-devtools`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use twin_app::error::{AppError, ErrorCode};
use twin_app::scenario_file::{self, ScenarioFile};
use twin_app::session::{
    CompareArgs, HeatmapArgs, NoArgs, PatientArgs, RiskArgs, Session, SessionConfig, SimulateArgs, SuggestArgs,
};
use twin_app::{cache, demo, risk, twin};

use crate::flags::{
    self, AuditCommand, CacheCommand, Cli, Command, DecisionArg, EnsembleArgs, ExportFormat, Format, RegionArg,
};
use crate::output::{
    print_as, write_audit_text, write_bench_text, write_cache_list_text, write_comparison_text, write_coverage_text,
    write_fetch_text, write_heatmap_bench_text, write_heatmap_text, write_projection_text, write_risk_text,
    write_suggestion_text, write_summary_text, write_trial_text, write_twin_text,
};
use crate::{serve, AuditBroken};

/// Runs the command line.
///
/// # Errors
/// What the use case returned, with context; [`AuditBroken`] for a broken log (exit 3).
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let as_of = match cli.as_of.clone().or_else(|| std::env::var("CARDIOTWIN_AS_OF").ok()) {
        Some(text) => Some(twin_app::patients::parse_as_of(&text)?),
        None => None,
    };
    let data_dir = cache::data_dir(cli.data_dir.as_deref());
    // The CLI's session opens one bundle file per command, and the offline store in the data
    // folder for the commands that use it.
    let session = Session::new(SessionConfig { demo_dir: None, data_dir: data_dir.as_ref().ok().cloned(), as_of });
    let ctx = Ctx { session, data_dir };
    match cli.command {
        Command::Login { fhir, client_id, launch } => login(&fhir, &client_id, launch.as_deref()),
        Command::Fetch { fhir, patient, token_file, client_id, full, format } => {
            let request = twin_app::ehr::FetchRequest {
                fhir: &fhir,
                client_id: &client_id,
                token_file: token_file.as_deref(),
                patient: &patient,
                full,
            };
            fetch(&ctx, request, format)
        }
        Command::Export(args) => crate::export::run(args),
        Command::Panel(args) => crate::panel::run(&args, as_of),
        Command::BulkFromBundles { bundles, out } => crate::panel::bulk_from_bundles(&bundles, &out),
        Command::Cache(command) => cache(&ctx, command),
        Command::Import { hl7, home_bp, apple_health, device, patient, codes, format } => {
            use crate::import_home::HomeSource;
            match (hl7, home_bp, apple_health) {
                (Some(hl7), _, _) => {
                    crate::import_hl7::run(ctx.stored()?, &hl7, patient.as_deref(), codes.as_deref(), format)
                }
                (None, Some(csv), _) => crate::import_home::run(
                    ctx.stored()?,
                    HomeSource::HomeBpCsv(&csv, &device),
                    patient.as_deref(),
                    format,
                ),
                (None, None, Some(xml)) => {
                    crate::import_home::run(ctx.stored()?, HomeSource::AppleHealth(&xml), patient.as_deref(), format)
                }
                (None, None, None) => anyhow::bail!("name a file: --hl7, --home-bp or --apple-health"),
            }
        }
        Command::Audit(command) => audit(&ctx, command),
        Command::StoreStress { bundle, prefix } => store_stress(&ctx, &bundle, &prefix),
        Command::DemoCohort { seed, out } => demo_cohort(seed, &out),
        Command::Patient { bundle, format } => patient(&ctx.session, &bundle, format),
        Command::Simulate { bundle, scenario, ensemble, format } => {
            simulate(&ctx.session, &bundle, scenario.as_deref(), &ensemble, format)
        }
        Command::Suggest { bundle, members, seed, region, format } => {
            suggest(&ctx.session, &bundle, members, seed, region, format)
        }
        Command::Compare { bundle, scenarios, ensemble, format } => {
            compare(&ctx.session, &bundle, &scenarios, &ensemble, format)
        }
        Command::Serve { port, demo_dir, ui_dir } => serve(&ctx.session, port, demo_dir, ui_dir),
        Command::Bench { harmonise, fhir, patient, suite, format } => {
            bench(harmonise.as_deref(), fhir.zip(patient), &suite, format)
        }
        Command::Heatmap(args) => heatmap(&ctx.session, args),
        Command::Train { out, seed, quick, format } => train(&out, seed, quick, format),
        Command::Evaluate { models, quick, bundles, format } => evaluate(models, quick, bundles.as_deref(), format),
        Command::Trial { spec, participants, format } => {
            print_as(format, &twin_app::trial::run_file(&spec, participants)?, write_trial_text)
        }
        Command::Coverage { first_seed, last_seed, members, format } => {
            coverage(first_seed, last_seed, members, format)
        }
        Command::Twin { bundle, format, .. } => twin(&ctx.session, bundle.as_deref(), format),
        Command::Risk(args) => risk(&ctx.session, &args),
    }
}

/// What every command runs with.
struct Ctx {
    /// The session: the bundle files the command names, and the offline store.
    session: Session,
    /// The data folder (`--data-dir`, else `CARDIOTWIN_DATA_DIR`, else the platform's), or why
    /// there is none.
    data_dir: Result<PathBuf, AppError>,
}

impl Ctx {
    /// The session with its offline store open, or why the store cannot be opened (no data
    /// folder, the keychain away, a folder put back from an older copy).
    fn stored(&self) -> Result<&Session, AppError> {
        self.data_dir.as_ref().map_err(Clone::clone)?;
        self.session.store()?;
        Ok(&self.session)
    }
}

/// `login`: SMART-on-FHIR sign-in in the system browser.
fn login(fhir: &str, client_id: &str, launch: Option<&str>) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("starting the network runtime")?;
    let result = runtime.block_on(twin_app::ehr::login(fhir, client_id, launch, |url| {
        eprintln!("Opening the browser to sign in (if it does not open, visit the address the EHR shows).");
        open::that(url.as_str()).map_err(|e| e.to_string())
    }))?;
    let patient = result.patient.as_deref().map(|p| format!(", patient in context: {p}")).unwrap_or_default();
    println!(
        "signed in to {}{patient}; refresh token stored in the keychain: {}",
        result.fhir, result.refresh_token_stored
    );
    Ok(())
}

/// `fetch`: a patient from an EHR into the offline cache (a token file or the `login` sign-in).
fn fetch(ctx: &Ctx, request: twin_app::ehr::FetchRequest<'_>, format: Format) -> anyhow::Result<()> {
    let session = ctx.stored()?;
    let store = session.store()?;
    let runtime = tokio::runtime::Runtime::new().context("starting the network runtime")?;
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let progress = std::sync::Arc::new(move |p: twin_app::ehr::Progress| {
        if tty {
            eprint!("\r{} resources, {}/{} searches", p.resources, p.searches_done, p.searches_total);
        }
    });
    // Ctrl-C stops the fetch; where no signal can be watched, nothing stops it.
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let report = runtime.block_on(twin_app::ehr::fetch_into_cache(&store, request, progress, ctrl_c, session.today()));
    if tty {
        eprintln!();
    }
    let report = report?;
    print_as(format, &report, write_fetch_text)?;
    if !report.missing.is_empty() {
        anyhow::bail!(
            "the record is incomplete: {} searches failed (listed above); it was not cached",
            report.missing.len()
        );
    }
    Ok(())
}

/// `cache`: the encrypted offline patient cache.
fn cache(ctx: &Ctx, command: CacheCommand) -> anyhow::Result<()> {
    let session = ctx.stored()?;
    let store = session.store()?;
    let today = session.today();
    match command {
        CacheCommand::Import { bundle, patient } => {
            let id = cache::import_bundle(&store, &bundle, patient.as_deref(), today)?;
            println!("cached patient {id}");
        }
        CacheCommand::List { format } => print_as(format, &cache::list_cached(&store)?, write_cache_list_text)?,
        CacheCommand::Show { id, format } => {
            print_as(format, &cache::show_cached(&store, &id, today)?, |out, s| write_summary_text(out, s))?
        }
        CacheCommand::Delete { id } => {
            if cache::delete_cached(&store, &id)? {
                println!("deleted cached patient {id}");
            } else {
                anyhow::bail!("no cached patient with that id");
            }
        }
        CacheCommand::PurgeAll => {
            let n = cache::purge_cached(&store)?;
            println!("deleted {n} cached patients; the audit log is kept");
        }
    }
    Ok(())
}

/// `audit`: the decision log; `verify` fails with [`AuditBroken`] when the chain is broken.
fn audit(ctx: &Ctx, command: AuditCommand) -> anyhow::Result<()> {
    let session = match (ctx.stored(), &command) {
        // An older copy of the folder put back: for `verify` that is a broken log.
        (Err(e), AuditCommand::Verify { .. }) if e.code == ErrorCode::Tampered => {
            return Err(AuditBroken { seq: 0, problem: e.message }.into())
        }
        (session, _) => session?,
    };
    match command {
        AuditCommand::Record { patient, suggestion, decision, reason, modification, user, inputs } => {
            let decision = match decision {
                DecisionArg::Accepted => cache::parse_decision("accepted")?,
                DecisionArg::Modified => cache::parse_decision("modified")?,
                DecisionArg::Declined => cache::parse_decision("declined")?,
            };
            let user = user.or_else(|| std::env::var("USER").ok()).unwrap_or_else(|| "unknown".into());
            let store = session.store()?;
            let entry = cache::record_decision(
                &store,
                cache::DecisionInput {
                    user: twin_app::identity::Clinician::named(user),
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
        AuditCommand::List { format } => {
            print_as(format, &session.cmd_audit_log(NoArgs {})?.entries, write_audit_text)?
        }
        AuditCommand::Verify { format } => {
            let check = session.cmd_audit_log(NoArgs {})?.check;
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
            // The FHIR Bundle, pretty-printed JSON.
            let export = session.cmd_export_audit(NoArgs {})?;
            writeln!(std::io::stdout().lock(), "{}", export.bundle).context("writing JSON to stdout")?;
        }
    }
    Ok(())
}

/// `store-stress`: the crash-safety test's load, until killed.
fn store_stress(ctx: &Ctx, bundle: &Path, prefix: &str) -> anyhow::Result<()> {
    let store = ctx.stored()?.store()?;
    let text = std::fs::read_to_string(bundle).with_context(|| format!("reading {}", bundle.display()))?;
    let mut stdout = std::io::stdout().lock();
    for i in 0u64.. {
        twin_devtools::stress::stress_put(&store, &text, prefix, i)?;
        writeln!(stdout, "put {prefix}-{i}")?;
        stdout.flush()?;
        let seq = twin_devtools::stress::stress_audit(&store, prefix, i)?;
        writeln!(stdout, "audit {seq}")?;
        stdout.flush()?;
    }
    Ok(())
}

/// `demo-cohort`: writes the synthetic demo cohort.
fn demo_cohort(seed: u64, out: &Path) -> anyhow::Result<()> {
    let written = twin_devtools::demo::write_demo_cohort(seed, out)?;
    println!("wrote {} synthetic patients to {}", written.len(), out.display());
    Ok(())
}

/// `patient`: the harmonised record of a bundle file.
fn patient(session: &Session, bundle: &Path, format: Format) -> anyhow::Result<()> {
    let id = session.open_file(bundle)?;
    print_as(format, &session.cmd_patient_summary(PatientArgs { id })?, write_summary_text)
}

/// `simulate`: one scenario projected with bands.
fn simulate(
    session: &Session,
    bundle: &Path,
    scenario: Option<&Path>,
    ensemble: &EnsembleArgs,
    format: Format,
) -> anyhow::Result<()> {
    let scenario = match scenario {
        Some(path) => scenario_file::read_scenario_file(path)?,
        None => ScenarioFile::current_treatment(),
    };
    if let Some(b) = &ensemble.backend {
        session.set_backend(twin_app::compute::BackendChoice::parse(b)?);
    }
    let id = session.open_file(bundle)?;
    let args = SimulateArgs { id, scenario, ensemble: ensemble.options(), context: ensemble.context(), job: None };
    print_as(format, &session.cmd_simulate(args)?, write_projection_text)
}

/// `suggest`: the simplest change of treatment that reaches the targets.
fn suggest(
    session: &Session,
    bundle: &Path,
    members: u32,
    seed: u32,
    region: Option<RegionArg>,
    format: Format,
) -> anyhow::Result<()> {
    let id = session.open_file(bundle)?;
    let args = SuggestArgs {
        id,
        context: flags::region_context(region),
        members: Some(members),
        seed: Some(seed),
        alternatives: None,
    };
    print_as(format, &session.cmd_suggest(args)?, write_suggestion_text)
}

/// `compare`: scenarios side by side.
fn compare(
    session: &Session,
    bundle: &Path,
    scenarios: &[String],
    ensemble: &EnsembleArgs,
    format: Format,
) -> anyhow::Result<()> {
    if scenarios.len() < 2 {
        anyhow::bail!("compare needs at least two --scenario (use `current` for current treatment)");
    }
    let scenarios = scenarios.iter().map(|s| load_scenario(s)).collect::<Result<Vec<_>, _>>()?;
    if let Some(b) = &ensemble.backend {
        session.set_backend(twin_app::compute::BackendChoice::parse(b)?);
    }
    let id = session.open_file(bundle)?;
    let args = CompareArgs { id, scenarios, ensemble: ensemble.options(), context: ensemble.context(), job: None };
    print_as(format, &session.cmd_compare(args)?, write_comparison_text)
}

/// `serve`: the app for a browser, on this session's data folder and day.
fn serve(session: &Session, port: u16, demo_dir: Option<PathBuf>, ui_dir: Option<PathBuf>) -> anyhow::Result<()> {
    serve::run(serve::ServeOptions {
        port,
        session: SessionConfig {
            demo_dir: Some(demo_dir.unwrap_or_else(demo::default_demo_dir)),
            ..session.config().clone()
        },
        ui_dir: ui_dir.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist")),
    })
}

/// `bench`: the engine's (or the heatmap's) speed on this machine.
fn bench(harmonise: Option<&Path>, fetch: Option<(String, String)>, suite: &str, format: Format) -> anyhow::Result<()> {
    let demo = twin_app::patients::PatientFolder::new(demo::default_demo_dir());
    match suite {
        "heatmap" => print_as(format, &twin_devtools::bench::heatmap_suite(&demo)?, write_heatmap_bench_text),
        "engine" => {
            let target = fetch.map(|(fhir, patient)| twin_devtools::bench::FetchTarget { fhir, patient });
            let report = twin_devtools::bench::run(&demo, harmonise, target.as_ref())?;
            print_as(format, &report, write_bench_text)
        }
        _ => anyhow::bail!("unknown suite '{suite}': use engine or heatmap"),
    }
}

/// `heatmap`: event risk over two intervention axes, or the list of axes.
fn heatmap(session: &Session, a: flags::HeatmapArgs) -> anyhow::Result<()> {
    use twin_app::heatmap::{Axis, AxisSpec};
    if a.list_axes {
        for axis in Axis::ALL {
            let (lo, hi) = axis.limits();
            println!("{:<10} {} ({}), {lo}–{hi}", axis.key(), axis.label(), axis.unit());
        }
        return Ok(());
    }
    if let Some(b) = a.backend {
        session.set_backend(twin_app::compute::BackendChoice::parse(&b)?);
    }
    let spec = |text: &str| -> anyhow::Result<AxisSpec> {
        let parts: Vec<&str> = text.split(':').collect();
        let [axis, from, to] = parts.as_slice() else {
            anyhow::bail!("an axis is AXIS:FROM:TO, e.g. sbp:0:30; got '{text}'")
        };
        let number = |v: &str| v.parse::<f64>().map_err(|_| anyhow::anyhow!("'{v}' in '{text}' is not a number"));
        Ok(AxisSpec { axis: Axis::parse(axis)?, from: number(from)?, to: number(to)? })
    };
    let Some(bundle) = a.bundle else { anyhow::bail!("--bundle is required") };
    let args = HeatmapArgs {
        id: session.open_file(&bundle)?,
        x: spec(&a.x)?,
        y: spec(&a.y)?,
        grid: a.grid,
        ensemble: twin_app::session::EnsembleOptions { months: a.months, members: a.members, seed: a.seed },
        context: flags::region_context(a.region),
        job: None,
    };
    print_as(a.format, &session.cmd_heatmap(args)?, write_heatmap_text)
}

/// `train`: the learned model on a synthetic cohort.
fn train(out: &Path, seed: u64, quick: bool, format: Format) -> anyhow::Result<()> {
    let summary = twin_devtools::ml::train(out, seed, quick)?;
    print_as(format, &summary, |o, s| {
        writeln!(
            o,
            "trained on {} patients ({} examples), {} held out; {:.0} s ({:.1} s per epoch); weights in {}",
            s.train_patients, s.train_examples, s.held_out_patients, s.seconds, s.seconds_per_epoch, s.out
        )?;
        writeln!(
            o,
            "loss by epoch: {:?}",
            s.loss_by_epoch.iter().map(|l| (l * 1000.0).round() / 1000.0).collect::<Vec<_>>()
        )?;
        writeln!(
            o,
            "held-out loss: {:?}",
            s.validation_loss_by_epoch.iter().map(|l| (l * 1000.0).round() / 1000.0).collect::<Vec<_>>()
        )
    })
}

/// `evaluate`: the model card's figures.
fn evaluate(models: Option<PathBuf>, quick: bool, bundles: Option<&Path>, format: Format) -> anyhow::Result<()> {
    let dir = models.unwrap_or_else(twin_app::ml::default_models_dir);
    let reports = twin_devtools::ml::evaluate(&dir, quick, bundles)?;
    print_as(format, &reports, |o, reports| {
        for r in reports {
            writeln!(o, "{}: {} examples", r.data, r.examples)?;
            writeln!(
                o,
                "{:<16} {:>6} {:>5} {:>10} {:>10} {:>10} {:>8}",
                "target", "months", "n", "last value", "engine", "hybrid", "cover90"
            )?;
            for e in &r.errors {
                writeln!(
                    o,
                    "{:<16} {:>6} {:>5} {:>10.2} {:>10.2} {:>10.2} {:>7.1}%",
                    e.target,
                    e.horizon_months,
                    e.n,
                    e.rmse_last_value,
                    e.rmse_engine,
                    e.rmse_hybrid,
                    e.coverage90 * 100.0
                )?;
            }
            for a in &r.alert {
                let pct = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{:.0}%", v * 100.0));
                writeln!(
                    o,
                    "SBP ≥ 160 alert, {:<12} n {:>4}, positives {:>4}, sensitivity {:>5}, specificity {:>5}",
                    a.group,
                    a.n,
                    a.positives,
                    pct(a.sensitivity),
                    pct(a.specificity)
                )?;
            }
        }
        Ok(())
    })
}

/// `coverage`: the projection bands against held-out synthetic follow-up.
fn coverage(first_seed: u32, last_seed: u32, members: usize, format: Format) -> anyhow::Result<()> {
    if first_seed < 2 || last_seed < first_seed || members < 20 {
        return Err(AppError::new(
            ErrorCode::Validation,
            "seeds must run from 2 upwards (seed 1 is the committed demo cohort) and members be at least 20",
        )
        .into());
    }
    let seeds: Vec<u32> = (first_seed..=last_seed).collect();
    print_as(format, &twin_devtools::coverage::check(&seeds, members), write_coverage_text)
}

/// `twin`: the beat-scale heart, the reference adult or a patient's.
fn twin(session: &Session, bundle: Option<&Path>, format: Format) -> anyhow::Result<()> {
    let view = match bundle {
        Some(bundle) => session.cmd_twin(PatientArgs { id: session.open_file(bundle)? })?,
        None => twin::reference_twin(),
    };
    print_as(format, &view, write_twin_text)
}

/// `risk`: every risk equation, from a record or from values given as flags.
fn risk(session: &Session, args: &flags::RiskArgs) -> anyhow::Result<()> {
    let report = match &args.bundle {
        Some(bundle) => session.cmd_risk(RiskArgs { id: session.open_file(bundle)?, context: args.context() })?,
        None => risk::assess_values(&args.values()?),
    };
    print_as(args.format, &report, write_risk_text)
}

/// A scenario named on the command line: a file, or `current` for current treatment.
fn load_scenario(spec: &str) -> Result<ScenarioFile, twin_app::AppError> {
    if spec == "current" {
        Ok(ScenarioFile::current_treatment())
    } else {
        scenario_file::read_scenario_file(Path::new(spec))
    }
}
