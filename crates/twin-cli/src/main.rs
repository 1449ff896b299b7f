//! `cardiotwin`: CardioTwin without a window. Parses arguments (`flags`), runs one use case of
//! `twin-app` or one developer tool of `twin-devtools` (`commands`), prints (`output`); `serve`
//! is the same app for a browser.
//!
//! Exit codes: 0 success; 1 the command failed (a file could not be read or is not a usable
//! FHIR Bundle, the cache is locked, a write failed), with one line on stderr saying what and
//! why; 2 the command line is invalid (clap's usage error); 3 `audit verify` found the log broken.

mod commands;
mod export;
mod flags;
mod import_hl7;
mod import_home;
mod output;
mod panel;
mod serve;
mod serve_upload;

use std::process::ExitCode;

use clap::Parser;

use commands::run;
use flags::Cli;

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
pub struct AuditBroken {
    pub seq: u64,
    pub problem: String,
}
