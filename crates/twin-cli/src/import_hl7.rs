//! `cardiotwin import --hl7 FILE`: lab results from HL7 v2 ORU^R01 messages into the held
//! (sealed) records, through the session's `import_hl7` use case. Prints what arrived and every
//! message, segment or result not filed; fails (exit 1) when the file held messages but no
//! result was filed.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use twin_app::hl7_import::{text_of, Hl7ImportReport};
use twin_app::session::Session;

use crate::flags::Format;
use crate::output::print_as;

/// Runs the import and prints the report.
pub fn run(
    session: &Session,
    file: &Path,
    patient: Option<&str>,
    codes: Option<&Path>,
    format: Format,
) -> anyhow::Result<()> {
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "hl7".into());
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let report = session.import_hl7(&text_of(bytes), &name, patient, codes)?;
    print_as(format, &report, write_report_text)?;
    if report.imported + report.replaced == 0 && (report.refused_messages > 0 || !report.problems.is_empty()) {
        anyhow::bail!("no result from {name} was filed (the reasons are listed above)");
    }
    Ok(())
}

/// The report in words.
pub fn write_report_text(out: &mut dyn Write, r: &Hl7ImportReport) -> std::io::Result<()> {
    writeln!(
        out,
        "{} message(s) read: {} result(s) imported, {} replaced an earlier result, {} skipped, {} without a result (cancelled or pending); {} message(s) refused",
        r.messages, r.imported, r.replaced, r.skipped, r.without_result, r.refused_messages
    )?;
    if !r.patients.is_empty() {
        writeln!(out, "records updated: {}", r.patients.join(", "))?;
    }
    writeln!(out, "local codes: {}", r.code_table)?;
    if !r.unknown_codes.is_empty() {
        writeln!(out, "tests with no LOINC mapping (add them to the code table):")?;
        for c in &r.unknown_codes {
            writeln!(out, "  {}^{}: {} result(s)", c.system, c.code, c.results)?;
        }
    }
    for problem in &r.problems {
        writeln!(out, "  {problem}")?;
    }
    Ok(())
}
