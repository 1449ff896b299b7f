//! `cardiotwin`: CardioTwin without a window. Parses arguments, calls `twin-app`, prints.
//!
//! Exit codes: 0 success; 1 the command failed (a file could not be read or is not a usable
//! FHIR Bundle, a write failed), with one line on stderr saying which file and why; 2 the
//! command line is invalid (clap's usage error).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use twin_app::json::PatientSummary;
use twin_app::{demo, patients};

/// CardioTwin: a cardiovascular digital twin for decision support. Not a diagnosis; the
/// clinician decides. Demo data is synthetic.
#[derive(Debug, Parser)]
#[command(name = "cardiotwin", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
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
}

fn main() -> ExitCode {
    // A panic is a bug; the user gets one plain line, not a stack trace.
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("cardiotwin: internal error{location}; please report it (no patient data was written)");
    }));
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`cardiotwin ... | head`) is the reader's choice, not a failure.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cardiotwin: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
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
    }
    Ok(())
}

fn write_summary_text(out: &mut impl Write, s: &PatientSummary) -> std::io::Result<()> {
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
