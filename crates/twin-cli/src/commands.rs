//! Each command: a few lines over `twin-app`'s use cases.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use twin_app::scenario_file::{self, ScenarioFile};
use twin_app::session::{CompareArgs, PatientArgs, RiskArgs, Session, SessionConfig, SimulateArgs};
use twin_app::{cache, demo, risk, twin};

use crate::flags::{AuditCommand, CacheCommand, Cli, Command, DecisionArg, ExportFormat, Format};
use crate::output::{
    print_as, write_audit_text, write_bench_text, write_cache_list_text, write_comparison_text, write_coverage_text,
    write_fetch_text, write_heatmap_bench_text, write_heatmap_text, write_projection_text, write_risk_text,
    write_suggestion_text, write_summary_text, write_twin_text,
};
use crate::{serve, AuditBroken};

/// Runs the command line.
///
/// # Errors
/// What the use case returned, with context; [`AuditBroken`] for a broken log (exit 3).
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let data_dir = cli.data_dir.clone();
    let store = || cache::data_dir(data_dir.as_deref()).and_then(|dir| cache::open_store(&dir));
    let as_of = match cli.as_of.clone().or_else(|| std::env::var("CARDIOTWIN_AS_OF").ok()) {
        Some(text) => Some(twin_app::patients::parse_as_of(&text)?),
        None => None,
    };
    // The CLI's session opens one bundle file per command.
    let session = Session::new(SessionConfig { as_of, ..SessionConfig::default() });
    let today = session.today();
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
            let request = twin_app::ehr::FetchRequest {
                fhir: &fhir,
                client_id: &client_id,
                token_file: token_file.as_deref(),
                patient: &patient,
            };
            let report = runtime.block_on(twin_app::ehr::fetch_into_cache(&store, request, progress, ctrl_c, today));
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
        }
        Command::Cache(command) => {
            let store = store()?;
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
        }
        Command::Audit(command) => {
            let store = match (store(), &command) {
                // An older copy of the folder put back: for `verify` that is a broken log.
                (Err(e), AuditCommand::Verify { .. }) if e.code == twin_app::ErrorCode::Tampered => {
                    return Err(AuditBroken { seq: 0, problem: e.message }.into())
                }
                (store, _) => store?,
            };
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
                cache::stress_put(&store, &text, &prefix, i)?;
                writeln!(stdout, "put {prefix}-{i}")?;
                stdout.flush()?;
                let seq = cache::stress_audit(&store, &prefix, i)?;
                writeln!(stdout, "audit {seq}")?;
                stdout.flush()?;
            }
        }
        Command::DemoCohort { seed, out } => {
            let written = demo::write_demo_cohort(seed, &out)?;
            println!("wrote {} synthetic patients to {}", written.len(), out.display());
        }
        Command::Patient { bundle, format } => {
            let id = session.open_file(&bundle)?;
            print_as(format, &session.cmd_patient_summary(PatientArgs { id })?, write_summary_text)?;
        }
        Command::Simulate { bundle, scenario, ensemble, format } => {
            let scenario = match &scenario {
                Some(path) => scenario_file::read_scenario_file(path)?,
                None => ScenarioFile::current_treatment(),
            };
            if let Some(b) = &ensemble.backend {
                session.set_backend(twin_app::compute::BackendChoice::parse(b)?);
            }
            let id = session.open_file(&bundle)?;
            let args =
                SimulateArgs { id, scenario, ensemble: ensemble.options(), context: ensemble.context(), job: None };
            print_as(format, &session.cmd_simulate(args)?, write_projection_text)?;
        }
        Command::Suggest { bundle, members, seed, region, format } => {
            let id = session.open_file(&bundle)?;
            let args = twin_app::session::SuggestArgs {
                id,
                context: crate::flags::region_context(region),
                members: Some(members),
                seed: Some(seed),
                alternatives: None,
            };
            print_as(format, &session.cmd_suggest(args)?, write_suggestion_text)?;
        }
        Command::Compare { bundle, scenarios, ensemble, format } => {
            if scenarios.len() < 2 {
                anyhow::bail!("compare needs at least two --scenario (use `current` for current treatment)");
            }
            let scenarios = scenarios.iter().map(|s| load_scenario(s)).collect::<Result<Vec<_>, _>>()?;
            if let Some(b) = &ensemble.backend {
                session.set_backend(twin_app::compute::BackendChoice::parse(b)?);
            }
            let id = session.open_file(&bundle)?;
            let args =
                CompareArgs { id, scenarios, ensemble: ensemble.options(), context: ensemble.context(), job: None };
            print_as(format, &session.cmd_compare(args)?, write_comparison_text)?;
        }
        Command::Serve { port, demo_dir, ui_dir } => {
            let data_dir = cache::data_dir(data_dir.as_deref()).ok();
            serve::run(serve::ServeOptions {
                port,
                session: twin_app::session::SessionConfig {
                    demo_dir: Some(demo_dir.unwrap_or_else(demo::default_demo_dir)),
                    data_dir,
                    as_of,
                },
                ui_dir: ui_dir.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist")),
            })?;
        }
        Command::Bench { suite, format, .. } if suite == "heatmap" => {
            let demo = twin_app::patients::PatientFolder::new(demo::default_demo_dir());
            print_as(format, &twin_app::bench::heatmap_suite(&demo)?, write_heatmap_bench_text)?;
        }
        Command::Bench { harmonise, fhir, patient, suite, format } => {
            if suite != "engine" {
                anyhow::bail!("unknown suite '{suite}': use engine or heatmap");
            }
            let demo = twin_app::patients::PatientFolder::new(demo::default_demo_dir());
            let target = fhir.zip(patient).map(|(fhir, patient)| twin_app::bench::FetchTarget { fhir, patient });
            let report = twin_app::bench::run(&demo, harmonise.as_deref(), target.as_ref())?;
            print_as(format, &report, write_bench_text)?;
        }
        Command::Heatmap { bundle, x, y, grid, members, months, seed, backend, list_axes, region, format } => {
            use twin_app::heatmap::{Axis, AxisSpec};
            if list_axes {
                for a in Axis::ALL {
                    let (lo, hi) = a.limits();
                    println!("{:<10} {} ({}), {lo}–{hi}", a.key(), a.label(), a.unit());
                }
                return Ok(());
            }
            if let Some(b) = backend {
                session.set_backend(twin_app::compute::BackendChoice::parse(&b)?);
            }
            let spec = |text: &str| -> anyhow::Result<AxisSpec> {
                let parts: Vec<&str> = text.split(':').collect();
                let [axis, from, to] = parts.as_slice() else {
                    anyhow::bail!("an axis is AXIS:FROM:TO, e.g. sbp:0:30; got '{text}'")
                };
                let number =
                    |v: &str| v.parse::<f64>().map_err(|_| anyhow::anyhow!("'{v}' in '{text}' is not a number"));
                Ok(AxisSpec { axis: Axis::parse(axis)?, from: number(from)?, to: number(to)? })
            };
            let Some(bundle) = bundle else { anyhow::bail!("--bundle is required") };
            let args = twin_app::session::HeatmapArgs {
                id: session.open_file(&bundle)?,
                x: spec(&x)?,
                y: spec(&y)?,
                grid,
                ensemble: twin_app::session::EnsembleOptions { months, members, seed },
                context: crate::flags::region_context(region),
                job: None,
            };
            print_as(format, &session.cmd_heatmap(args)?, write_heatmap_text)?;
        }
        Command::Train { out, seed, quick, format } => {
            let summary = twin_app::ml::train(&out, seed, quick)?;
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
            })?;
        }
        Command::Evaluate { models, quick, bundles, format } => {
            let dir = models.unwrap_or_else(twin_app::ml::default_models_dir);
            let reports = twin_app::ml::evaluate(&dir, quick, bundles.as_deref())?;
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
            })?;
        }
        Command::Coverage { first_seed, last_seed, members, format } => {
            if first_seed < 2 || last_seed < first_seed || members < 20 {
                return Err(twin_app::error::AppError::new(
                    twin_app::error::ErrorCode::Validation,
                    "seeds must run from 2 upwards (seed 1 is the committed demo cohort) and members be at least 20",
                )
                .into());
            }
            let seeds: Vec<u32> = (first_seed..=last_seed).collect();
            print_as(format, &twin_app::coverage::check(&seeds, members), write_coverage_text)?;
        }
        Command::Twin { bundle, format, .. } => {
            let view = match bundle {
                Some(bundle) => session.cmd_twin(PatientArgs { id: session.open_file(&bundle)? })?,
                None => twin::reference_twin(),
            };
            print_as(format, &view, write_twin_text)?;
        }
        Command::Risk(args) => {
            let report = match &args.bundle {
                Some(bundle) => {
                    session.cmd_risk(RiskArgs { id: session.open_file(bundle)?, context: args.context() })?
                }
                None => risk::assess_values(&args.values()?),
            };
            print_as(args.format, &report, write_risk_text)?;
        }
    }
    Ok(())
}

/// A scenario named on the command line: a file, or `current` for current treatment.
fn load_scenario(spec: &str) -> Result<ScenarioFile, twin_app::AppError> {
    if spec == "current" {
        Ok(ScenarioFile::current_treatment())
    } else {
        scenario_file::read_scenario_file(Path::new(spec))
    }
}
