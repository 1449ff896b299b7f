//! `cardiotwin import --home-bp FILE.csv [--device NAME]` and `cardiotwin import --apple-health
//! export.xml`: home BP readings and wearable data into a held (sealed) record, through the
//! session's `import_home_file` use case. Prints what arrived, where a cut-short export stopped,
//! and the home BP the record now shows.

use std::io::Write;
use std::path::Path;

use twin_app::home_import::{HomeFile, HomeImportReport};
use twin_app::session::Session;

use crate::flags::Format;
use crate::output::print_as;

/// Which file the command line named.
pub enum HomeSource<'a> {
    /// `--home-bp FILE.csv`, with the monitor's name from `--device`.
    HomeBpCsv(&'a Path, &'a str),
    /// `--apple-health export.xml`.
    AppleHealth(&'a Path),
}

/// Runs the import and prints the report.
pub fn run(session: &Session, source: HomeSource<'_>, patient: Option<&str>, format: Format) -> anyhow::Result<()> {
    let report = match source {
        HomeSource::HomeBpCsv(path, device) => {
            session.import_home_file(path, HomeFile::HomeBpCsv { device }, patient)?
        }
        HomeSource::AppleHealth(path) => session.import_home_file(path, HomeFile::AppleHealth, patient)?,
    };
    print_as(format, &report, write_report_text)
}

/// The report in words.
pub fn write_report_text(out: &mut dyn Write, r: &HomeImportReport) -> std::io::Result<()> {
    writeln!(
        out,
        "{}: {} BP reading(s), {} daily summaries → patient {}: {} observation(s) added, {} replaced",
        r.source, r.bp_readings, r.daily_summaries, r.patient, r.added, r.replaced
    )?;
    for m in &r.measures {
        writeln!(out, "  {}: {} over {} day(s), {} to {}", m.measure, m.readings, m.days, m.first_day, m.last_day)?;
    }
    if !r.devices.is_empty() {
        writeln!(out, "from: {}", r.devices.join(", "))?;
    }
    if r.set_aside > 0 {
        writeln!(out, "{} record(s) set aside (unreadable or impossible values)", r.set_aside)?;
    }
    if let Some(stopped) = &r.stopped {
        writeln!(out, "the export is incomplete: {stopped}; what came before was imported")?;
    }
    let Some(home) = r.home_bp.as_ref() else { return Ok(()) };
    match (&home.mean, &home.no_mean_reason) {
        (Some(m), _) => writeln!(
            out,
            "home BP {:.0}/{:.0} mmHg ({} days {}–{}, {} readings: {} morning, {} evening; first day {} dropped): \
             {} the home threshold 135/85",
            m.systolic,
            m.diastolic,
            m.n_days,
            m.first_day,
            m.last_day,
            m.n_readings,
            m.n_morning,
            m.n_evening,
            m.dropped_day,
            if m.at_or_above_threshold { "at or above" } else { "below" }
        )?,
        (None, Some(why)) => writeln!(out, "no home BP mean: {why}")?,
        (None, None) => {}
    }
    Ok(())
}
