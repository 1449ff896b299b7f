//! `cardiotwin panel`: a population run on this machine (twin-panel's passes on rayon), with
//! progress on stderr and Ctrl-C that stops cleanly; and `bulk-from-bundles`, which writes a
//! folder of Bundles as the NDJSON folder `panel` reads.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use twin_panel::{LocalRun, PanelOptions, PanelScenario, PanelSummary, PartitionSummary, Progress, SkipReason};

use crate::flags::{Format, PanelArgs};

/// How often progress is printed.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);
/// Malformed lines printed by file and line (the summary lists more).
const PRINTED_PROBLEMS: usize = 10;

/// Runs `panel`.
///
/// # Errors
/// A scenario file that cannot be used; what a pass returned (stopped by Ctrl-C included: the
/// message says the rerun resumes).
pub fn run(args: &PanelArgs, as_of: Option<time::Date>) -> anyhow::Result<()> {
    let scenarios = args.scenarios.iter().map(|s| PanelScenario::parse(s)).collect::<Result<Vec<_>, _>>()?;
    let opts = PanelOptions {
        seed: args.seed,
        members: args.members,
        months: args.months,
        as_of: as_of.unwrap_or_else(twin_app::patients::wall_clock_today),
        guidelines: twin_app::settings::GuidelineSet::from_code(&args.guidelines)
            .ok_or_else(|| anyhow::anyhow!("--guidelines must be esc or acc-aha, not '{}'", args.guidelines))?,
    };
    let work = args.work.clone().unwrap_or_else(|| default_work(&args.out));
    let run = LocalRun {
        in_dir: args.input.clone(),
        work: work.clone(),
        out: args.out.clone(),
        buckets: args.buckets,
        scenarios,
        opts,
    };
    let stop = Arc::new(AtomicBool::new(false));
    watch_ctrl_c(Arc::clone(&stop));
    let last = Mutex::new(Instant::now());
    let progress = |p: Progress| {
        let mut last = last.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.elapsed() >= PROGRESS_EVERY || p.done == p.total {
            *last = Instant::now();
            eprintln!("{}", progress_line(&p));
        }
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.threads.unwrap_or(0)).build()?;
    let summary = pool.install(|| twin_panel::run_local(&run, &stop, &print_partition, &progress))?;
    if args.work.is_none() {
        // The default work folder is this run's scratch space (it holds copies of the export).
        let _ = std::fs::remove_dir_all(&work);
    }
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
        Format::Text => print_summary(&summary),
    }
    Ok(())
}

/// `bulk-from-bundles`.
///
/// # Errors
/// A file that is not a Bundle; I/O.
pub fn bulk_from_bundles(bundles: &Path, out: &Path) -> anyhow::Result<()> {
    let written = twin_panel::bundles::bundles_to_bulk(bundles, out)?;
    let n: u64 = written.resources.values().sum();
    println!(
        "wrote {n} resources of {} bundles to {} ({} NDJSON files)",
        written.bundles,
        out.display(),
        written.resources.len()
    );
    Ok(())
}

/// `results.parquet` → `results.parquet.work`.
fn default_work(out: &Path) -> PathBuf {
    let mut name = out.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".work");
    out.with_file_name(name)
}

/// Sets `stop` on the first Ctrl-C (SIGINT); a second one ends the process at once.
fn watch_ctrl_c(stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
        rt.block_on(async {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop.store(true, Ordering::SeqCst);
                eprintln!(
                    "panel: stopping — the buckets in flight finish and are kept; run the same command to resume"
                );
            }
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("panel: stopped at once; finished buckets are kept");
                std::process::exit(130);
            }
        });
    });
}

fn print_partition(p: &PartitionSummary) {
    let how = if p.reused { "already partitioned" } else { "partitioned" };
    eprintln!(
        "panel: {how}: {} patients, {} resources from {} files into {} buckets; {} malformed lines skipped",
        p.patients(),
        p.resources,
        p.files,
        p.buckets,
        p.malformed
    );
}

fn progress_line(p: &Progress) -> String {
    let left = p.left().map_or_else(|| "time left unknown".to_string(), |d| format!("about {} left", words(d)));
    let earlier = if p.resumed > 0 { format!(" (+{} done earlier)", p.resumed) } else { String::new() };
    format!("panel: {}/{} patients{earlier}, {:.2} patients/s, {left}", p.done, p.total, p.rate())
}

fn words(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

fn print_summary(s: &PanelSummary) {
    println!(
        "wrote {} rows for {} patients to {} (PHI: keep it as the export is kept)",
        s.rows,
        s.patients,
        s.out.display()
    );
    if s.skipped.is_empty() {
        println!("skipped: none");
    }
    for (code, n) in &s.skipped {
        let (words, per) = match SkipReason::from_code(code) {
            Some(r) => (r.words(), if r.per_scenario() { "patient × scenario" } else { "patients" }),
            None => ("", "rows"),
        };
        println!("skipped {n} {per}: {code} ({words})");
    }
    if s.malformed_lines > 0 {
        println!("malformed lines skipped: {}", s.malformed_lines);
        for p in s.malformed_listed.iter().take(PRINTED_PROBLEMS) {
            println!("  {}:{}: {}", p.file, p.line, p.reason);
        }
    }
    for (kind, n) in &s.not_about_a_patient {
        println!("not about one patient, not used: {n} {kind}");
    }
}

/// Lets the app's `openPanel` read panel results through twin-panel (the worklist).
pub fn register_worklist_reader() {
    twin_app::worklist::set_reader(twin_panel::worklist::reader());
}
