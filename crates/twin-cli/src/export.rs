//! `cardiotwin export`: a FHIR Bulk Data download signed in with SMART Backend Services, and
//! the signing key's commands (`keygen`, `key-import`, `jwks`). Progress goes to stderr, the
//! result to stdout.

use std::io::Write;

use anyhow::Context;

use twin_app::bulk::{self, ExportLevel, ExportOptions, ExportStep, ExportSummary};

use crate::flags::{ExportArgs, ExportKeyCommand};
use crate::output::print_as;

/// Runs `export` or one of its key commands.
///
/// # Errors
/// What `twin-app` returned, with context.
pub fn run(args: ExportArgs) -> anyhow::Result<()> {
    let secrets = bulk::keychain();
    if let Some(command) = args.key {
        let jwks = match command {
            ExportKeyCommand::Keygen { replace } => bulk::keygen(secrets, replace)?,
            ExportKeyCommand::KeyImport { pem, replace } => bulk::import_key(secrets, &pem, replace)?,
            ExportKeyCommand::Jwks => bulk::jwks(secrets)?,
        };
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut stdout, &jwks).context("writing the JWKS to stdout")?;
        writeln!(stdout)?;
        eprintln!("Register this public key set (JWKS) with the EHR for your client id; the private key stays in the keychain.");
        return Ok(());
    }
    let (Some(fhir), Some(out)) = (args.fhir.as_deref(), args.out.as_deref()) else {
        anyhow::bail!("export needs --fhir URL and --out DIR");
    };
    let level = match (args.group, args.all_patients) {
        (Some(group), _) => ExportLevel::Group(group),
        (None, true) => ExportLevel::AllPatients,
        (None, false) => ExportLevel::System,
    };
    let options = ExportOptions { fhir, client_id: &args.client_id, level, types: args.types, since: args.since, out };
    let runtime = tokio::runtime::Runtime::new().context("starting the network runtime")?;
    let summary = runtime.block_on(bulk::export(secrets, options, &print_step))?;
    print_as(args.format, &summary, write_export_text)
}

fn print_step(step: ExportStep) {
    match step {
        ExportStep::KickedOff => eprintln!("export started on the server"),
        ExportStep::Waiting { progress, wait, slow_down } => {
            let why = if slow_down { "the server asked to slow down" } else { "the server is preparing the files" };
            let progress = progress.map(|p| format!(" ({p})")).unwrap_or_default();
            eprintln!("{why}{progress}; asking again in {} s", wait.as_secs().max(1));
        }
        ExportStep::Ready { n_files } => eprintln!("export ready: {n_files} files to download"),
        ExportStep::Retrying { file, from_byte } if from_byte > 0 => {
            eprintln!("{file}: connection lost; going on from byte {from_byte}")
        }
        ExportStep::Retrying { file, .. } => eprintln!("{file}: connection lost; trying again"),
        ExportStep::Downloaded { file, n_resources } => eprintln!("{file}: {n_resources} resources"),
        _ => {}
    }
}

fn write_export_text(out: &mut dyn Write, s: &ExportSummary) -> std::io::Result<()> {
    writeln!(out, "Bulk Data export into {} (data as of {})", s.folder, s.transaction_time)?;
    for f in &s.files {
        let note = match (f.is_error_file, f.resumed) {
            (true, _) => "  (the server's messages about the export)",
            (false, true) => "  (resumed after a dropped connection)",
            _ => "",
        };
        writeln!(out, "  {:<36} {:>9} resources {:>12} bytes{note}", f.name, f.n_resources, f.bytes)?;
    }
    if s.n_sign_ins > 1 {
        writeln!(out, "signed in {} times (the access token expired on the way and was renewed)", s.n_sign_ins)?;
    }
    match &s.not_deleted {
        None => writeln!(out, "the server's copy was deleted"),
        Some(why) => writeln!(out, "the server did not confirm deleting its copy ({why}); it expires on its own"),
    }?;
    writeln!(out, "next: cardiotwin panel --in {} …  (an update later: --since {})", s.folder, s.transaction_time)
}
