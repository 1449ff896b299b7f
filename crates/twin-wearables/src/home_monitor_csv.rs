//! A home BP monitor's CSV export → readings.
//!
//! # The columns (documented in `docs/HOME-DATA.md`)
//! A header line, then one reading per line; comma- or semicolon-separated (the header decides),
//! fields optionally in double quotes. Names are matched without case, spaces around them, or a
//! unit in brackets ("Systolic (mmHg)" is "systolic"):
//!
//! | column    | required | also accepted                                          | format |
//! |-----------|----------|--------------------------------------------------------|--------|
//! | date      | yes¹     | `day`, `measurement date`                              | `YYYY-MM-DD` or `YYYY/MM/DD` |
//! | time      | no       | `measurement time`                                     | `HH:MM` or `HH:MM:SS`, 24-hour |
//! | datetime¹ | —        | `date/time`, `date time`, `measured at`, `timestamp`   | date and time in one, space or `T` between |
//! | systolic  | yes      | `sys`, `systolic pressure`, `sbp`                      | mmHg, a number |
//! | diastolic | yes      | `dia`, `diastolic pressure`, `dbp`                     | mmHg, a number |
//! | pulse     | no       | `heart rate`, `pulse rate`, `hr`, `pul`                | beats/min, a number |
//!
//! ¹ `date` or `datetime`. Other columns (comments, arrhythmia flags) are ignored. Day/month
//! orders like `03/04/2026` are refused: which is the day cannot be known.
//!
//! Any bad line refuses the whole file, with every bad line named (up to [`MAX_LINE_ERRORS`]):
//! half a file imported would look like a complete week.

use time::{Date, Month, Time};

use crate::observations::BpReading;

/// How many bad lines an error lists before it says "and N more".
pub const MAX_LINE_ERRORS: usize = 20;

/// Why a CSV file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CsvError {
    /// The file is empty.
    #[error("the file is empty; expected a header line (date,time,systolic,diastolic,pulse)")]
    Empty,
    /// A required column is missing from the header.
    #[error("the header has no {column} column (found: {found}); see docs/HOME-DATA.md for the accepted names")]
    MissingColumn {
        /// The column wanted.
        column: &'static str,
        /// The header's names.
        found: String,
    },
    /// Lines that could not be read.
    #[error("{} line(s) could not be read, nothing was imported: {}", .lines.len() + .more, describe(.lines, *.more))]
    BadLines {
        /// Line number (1-based, the header is line 1) and reason.
        lines: Vec<(usize, String)>,
        /// Bad lines beyond those listed.
        more: usize,
    },
    /// The header is there but no reading follows.
    #[error("the file has a header but no readings")]
    NoReadings,
}

fn describe(lines: &[(usize, String)], more: usize) -> String {
    let mut text = lines.iter().map(|(n, why)| format!("line {n}: {why}")).collect::<Vec<_>>().join("; ");
    if more > 0 {
        text.push_str(&format!("; and {more} more"));
    }
    text
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Date,
    Time,
    DateTime,
    Systolic,
    Diastolic,
    Pulse,
}

fn column_of(name: &str) -> Option<Column> {
    let mut name = name.trim().trim_matches('"').trim().to_ascii_lowercase();
    if let Some(open) = name.find(['(', '[']) {
        name.truncate(open);
    }
    Some(match name.trim() {
        "date" | "day" | "measurement date" => Column::Date,
        "time" | "measurement time" => Column::Time,
        "datetime" | "date/time" | "date time" | "measured at" | "timestamp" => Column::DateTime,
        "systolic" | "sys" | "systolic pressure" | "sbp" => Column::Systolic,
        "diastolic" | "dia" | "diastolic pressure" | "dbp" => Column::Diastolic,
        "pulse" | "heart rate" | "pulse rate" | "hr" | "pul" => Column::Pulse,
        _ => return None,
    })
}

/// Reads a home monitor's CSV text. `device` names the monitor (the file does not).
///
/// # Errors
/// [`CsvError`] naming the header's problem or every bad line.
pub fn parse_home_bp_csv(text: &str, device: &str) -> Result<Vec<BpReading>, CsvError> {
    let mut lines = text.lines().enumerate().map(|(idx, line)| (idx + 1, line.trim_start_matches('\u{feff}')));
    let (_, header) = lines.by_ref().find(|(_, l)| !l.trim().is_empty()).ok_or(CsvError::Empty)?;
    let delimiter = if header.contains(';') && !header.contains(',') { ';' } else { ',' };
    let names = split_fields(header, delimiter);
    let position = |col: Column| names.iter().position(|n| column_of(n) == Some(col));
    let found = names.iter().map(|n| n.trim()).collect::<Vec<_>>().join(", ");
    let date_col = match (position(Column::Date), position(Column::DateTime)) {
        (Some(d), _) => DateColumns::Separate { date: d, time: position(Column::Time) },
        (None, Some(dt)) => DateColumns::Combined(dt),
        (None, None) => return Err(CsvError::MissingColumn { column: "date", found }),
    };
    let systolic =
        position(Column::Systolic).ok_or(CsvError::MissingColumn { column: "systolic", found: found.clone() })?;
    let diastolic = position(Column::Diastolic).ok_or(CsvError::MissingColumn { column: "diastolic", found })?;
    let pulse = position(Column::Pulse);

    let mut readings = Vec::new();
    let mut bad = Vec::new();
    let mut n_bad = 0;
    for (line_no, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let fields = split_fields(line, delimiter);
        match read_line(&fields, date_col, systolic, diastolic, pulse, device) {
            Ok(r) => readings.push(r),
            Err(why) => {
                n_bad += 1;
                if bad.len() < MAX_LINE_ERRORS {
                    bad.push((line_no, why));
                }
            }
        }
    }
    if n_bad > 0 {
        let more = n_bad - bad.len();
        return Err(CsvError::BadLines { lines: bad, more });
    }
    if readings.is_empty() {
        return Err(CsvError::NoReadings);
    }
    Ok(readings)
}

#[derive(Debug, Clone, Copy)]
enum DateColumns {
    Separate { date: usize, time: Option<usize> },
    Combined(usize),
}

fn read_line(
    fields: &[String],
    date_col: DateColumns,
    systolic: usize,
    diastolic: usize,
    pulse: Option<usize>,
    device: &str,
) -> Result<BpReading, String> {
    let field = |idx: usize, name: &str| -> Result<&str, String> {
        fields.get(idx).map(|f| f.trim()).filter(|f| !f.is_empty()).ok_or_else(|| format!("no {name}"))
    };
    let (date, time) = match date_col {
        DateColumns::Separate { date, time } => {
            // Some apps (Withings) write the date and time into their "Date" column.
            let (day, time_in_date) = parse_date_time(field(date, "date")?)?;
            let time = match time.and_then(|t| fields.get(t)).map(|t| t.trim()).filter(|t| !t.is_empty()) {
                Some(t) => Some(parse_time(t)?),
                None => time_in_date,
            };
            (day, time)
        }
        DateColumns::Combined(idx) => parse_date_time(field(idx, "date and time")?)?,
    };
    let systolic = pressure(field(systolic, "systolic")?, "systolic", 50.0, 300.0)?;
    let diastolic = pressure(field(diastolic, "diastolic")?, "diastolic", 20.0, 200.0)?;
    if diastolic >= systolic {
        return Err(format!("diastolic {diastolic} is not below systolic {systolic} (columns swapped?)"));
    }
    let pulse = match pulse.and_then(|p| fields.get(p)).map(|p| p.trim()).filter(|p| !p.is_empty()) {
        Some(p) => Some(pressure(p, "pulse", 20.0, 300.0)?),
        None => None,
    };
    Ok(BpReading { date, time, offset: None, systolic, diastolic, pulse, device: device.to_string() })
}

/// A number within the plausible range of the engine's BP and heart-rate kinds (see
/// `twin_engine::units::MeasurementKind::plausible_range`).
fn pressure(text: &str, name: &str, lo: f64, hi: f64) -> Result<f64, String> {
    let value: f64 = text.parse().map_err(|_| format!("{name} '{text}' is not a number"))?;
    if !(lo..=hi).contains(&value) {
        return Err(format!("{name} {value} is outside {lo}–{hi}"));
    }
    Ok(value)
}

/// A date, or a date and time with a space or `T` between.
fn parse_date_time(text: &str) -> Result<(Date, Option<Time>), String> {
    match text.split_once([' ', 'T']) {
        Some((d, t)) => Ok((parse_date(d)?, Some(parse_time(t.trim())?))),
        None => Ok((parse_date(text)?, None)),
    }
}

fn parse_date(text: &str) -> Result<Date, String> {
    let parts: Vec<&str> = text.trim().split(['-', '/']).collect();
    let refuse = || format!("date '{text}' is not YYYY-MM-DD");
    let [y, m, d] = parts.as_slice() else { return Err(refuse()) };
    if y.len() != 4 {
        return Err(format!("date '{text}' is not YYYY-MM-DD (day and month order cannot be told apart)"));
    }
    let (y, m, d): (i32, u8, u8) =
        (y.parse().map_err(|_| refuse())?, m.parse().map_err(|_| refuse())?, d.parse().map_err(|_| refuse())?);
    let month = Month::try_from(m).map_err(|_| format!("date '{text}' has no month {m}"))?;
    Date::from_calendar_date(y, month, d).map_err(|_| format!("date '{text}' does not exist"))
}

fn parse_time(text: &str) -> Result<Time, String> {
    let refuse = || format!("time '{text}' is not HH:MM or HH:MM:SS");
    let parts: Vec<&str> = text.split(':').collect();
    let number = |s: &str| s.parse::<u8>().map_err(|_| refuse());
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (number(h)?, number(m)?, 0),
        [h, m, s] => (number(h)?, number(m)?, number(s)?),
        _ => return Err(refuse()),
    };
    Time::from_hms(h, m, s).map_err(|_| refuse())
}

/// Splits a line on `delimiter`, honouring double quotes (a doubled quote inside is one quote).
fn split_fields(line: &str, delimiter: char) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, time};

    #[test]
    fn the_documented_columns_are_read() {
        let text = "date,time,systolic,diastolic,pulse\n2026-11-21,07:05,142,88,71\n2026-11-21,21:10,138,86,\n";
        let readings = parse_home_bp_csv(text, "Omron M3").unwrap();
        assert_eq!(readings.len(), 2);
        assert_eq!((readings[0].date, readings[0].time), (date!(2026 - 11 - 21), Some(time!(7:05))));
        assert_eq!((readings[0].systolic, readings[0].diastolic, readings[0].pulse), (142.0, 88.0, Some(71.0)));
        assert_eq!(readings[1].pulse, None);
        assert_eq!(readings[0].device, "Omron M3");
    }

    #[test]
    fn monitor_app_headers_with_units_quotes_and_semicolons_are_read() {
        let omron = "\"Date\",\"Time\",\"Systolic (mmHg)\",\"Diastolic (mmHg)\",\"Pulse (bpm)\",\"Notes\"\n\
                     \"2026/11/21\",\"07:05\",\"142\",\"88\",\"71\",\"after coffee, \"\"rushed\"\"\"\n";
        assert_eq!(parse_home_bp_csv(omron, "m").unwrap()[0].systolic, 142.0);
        let withings = "Date;Heart rate;Systolic;Diastolic;Comments\n2026-11-21 07:05:09;70;131;84;\n";
        let r = &parse_home_bp_csv(withings, "m").unwrap()[0];
        assert_eq!((r.time, r.pulse), (Some(time!(7:05:09)), Some(70.0)));
        let iso = "Measured at,SYS,DIA\n2026-11-21T19:30,120,80\n";
        assert_eq!(parse_home_bp_csv(iso, "m").unwrap()[0].time, Some(time!(19:30)));
    }

    #[test]
    fn bad_lines_are_named_by_number_and_nothing_is_returned() {
        let text = "date,time,systolic,diastolic\n2026-11-21,07:05,142,88\n03/04/2026,07:00,140,90\n\
                    2026-11-22,07:00,abc,90\n2026-11-23,25:00,140,90\n2026-11-24,07:00,80,120\n";
        let err = parse_home_bp_csv(text, "m").unwrap_err();
        let CsvError::BadLines { lines, more } = &err else { panic!("{err}") };
        assert_eq!(lines.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [3, 4, 5, 6]);
        assert_eq!(*more, 0);
        let message = err.to_string();
        for part in ["line 3: date '03/04/2026'", "line 4: systolic 'abc'", "line 5: time '25:00'", "columns swapped"] {
            assert!(message.contains(part), "{message}");
        }
    }

    #[test]
    fn a_missing_column_or_no_readings_is_said_plainly() {
        let err = parse_home_bp_csv("date,time,sys,pulse\n2026-11-21,07:00,140,70\n", "m").unwrap_err();
        assert!(err.to_string().contains("no diastolic column"), "{err}");
        assert_eq!(parse_home_bp_csv("date,sys,dia\n\n", "m"), Err(CsvError::NoReadings));
        assert_eq!(parse_home_bp_csv("", "m"), Err(CsvError::Empty));
    }

    #[test]
    fn many_bad_lines_are_counted_beyond_the_listed_ones() {
        let mut text = String::from("date,sys,dia\n");
        for _ in 0..25 {
            text.push_str("2026-13-01,140,90\n");
        }
        let err = parse_home_bp_csv(&text, "m").unwrap_err();
        assert!(err.to_string().starts_with("25 line(s)") && err.to_string().ends_with("and 5 more"), "{err}");
    }
}
