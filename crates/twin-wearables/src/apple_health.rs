//! Apple Health's `export.xml` → daily summaries and home BP readings, streamed.
//!
//! Exports reach gigabytes, so the file is never held: quick-xml reads one element at a time
//! through a fixed buffer, and each `Record` is folded into a per-day, per-device total at once.
//! Memory grows with days × devices × metrics (a few thousand entries for years of data), never
//! with the file.
//!
//! # What is read
//! - `HKQuantityTypeIdentifierStepCount` → steps per day (sum).
//! - `HKQuantityTypeIdentifierRestingHeartRate` → resting heart rate per day (mean).
//! - `HKQuantityTypeIdentifierHeartRate` → heart rate per day (mean).
//! - `HKQuantityTypeIdentifierHeartRateVariabilitySDNN` → HRV (SDNN) per day (mean).
//! - `HKQuantityTypeIdentifierOxygenSaturation` → SpO₂ per day (mean; Apple writes a fraction).
//! - `HKCategoryTypeIdentifierSleepAnalysis`, the asleep values (core, deep, REM, unspecified;
//!   not "in bed" or "awake") → hours asleep per night, the night being the morning it ended
//!   (a segment ending at 18:00 or later counts to the next morning).
//! - `HKCorrelationTypeIdentifierBloodPressure` (its systolic and diastolic `Record`s) → one
//!   home BP reading each. The same pressures also appear as stand-alone `Record`s in an export;
//!   those are not read, so no reading counts twice.
//!
//! # One device per day
//! A phone and a watch both count steps, and their records overlap. Adding them would double
//! the day, so each day's value comes from one device: the one with the largest total (steps,
//! sleep) or the most samples (the means). That device is the Observation's `device`.
//!
//! # A file that stops early
//! What was complete before the break is kept; the summary of the metric and day being read
//! when the file stopped is dropped (it may hold only part of the day), and
//! [`AppleHealthImport::stopped`] says where and why.

use std::collections::HashMap;
use std::fmt;
use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use time::{Date, Duration, Month, PrimitiveDateTime, Time, UtcOffset};

use crate::observations::{daily_observation, home_bp_observation, BpReading, DailySummary, Metric, Provenance};

/// Why an export could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum AppleHealthError {
    /// The file could not be opened or read.
    #[error("could not read the export: {0}")]
    Io(#[from] std::io::Error),
    /// It is not an Apple Health export.
    #[error("not an Apple Health export.xml: {0}")]
    NotAnExport(String),
}

/// Where reading stopped in a file that ended early or broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoppedAt {
    /// Line (1-based) where reading stopped.
    pub line: u64,
    /// Byte offset where reading stopped.
    pub byte: u64,
    /// Why, in plain words.
    pub reason: String,
}

impl fmt::Display for StoppedAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stopped at line {} / byte {}: {}", self.line, self.byte, self.reason)
    }
}

/// What an export gave.
#[derive(Debug, Clone, PartialEq)]
pub struct AppleHealthImport {
    /// One summary per metric and day, sorted by metric then day.
    pub daily: Vec<DailySummary>,
    /// Blood-pressure readings, in file order.
    pub bp_readings: Vec<BpReading>,
    /// `Record` elements of the types above that were used.
    pub n_records_used: u64,
    /// Records of those types set aside (a value that is not a number or not plausible, a date
    /// that cannot be read).
    pub n_records_set_aside: u64,
    /// Where reading stopped, when the file ended early or broke; `None` for a whole file.
    pub stopped: Option<StoppedAt>,
}

impl AppleHealthImport {
    /// The FHIR Observations: one per daily summary, one home BP panel per reading.
    pub fn to_observations(&self, prov: &Provenance) -> Vec<serde_json::Value> {
        let daily = self.daily.iter().map(|s| daily_observation(s, prov));
        daily.chain(self.bp_readings.iter().map(|r| home_bp_observation(r, prov))).collect()
    }
}

/// A per-day, per-device total.
#[derive(Debug, Clone, Copy, Default)]
struct Total {
    sum: f64,
    n: u64,
}

/// A blood-pressure correlation being read.
#[derive(Debug)]
struct PendingBp {
    date: Date,
    time: Time,
    offset: UtcOffset,
    device: u32,
    systolic: Option<f64>,
    diastolic: Option<f64>,
}

/// What a `Record` element is, by its `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RecordType {
    Quantity(Metric),
    Sleep,
    Systolic,
    Diastolic,
}

fn record_type(type_name: &str) -> Option<RecordType> {
    let name = type_name
        .strip_prefix("HKQuantityTypeIdentifier")
        .or_else(|| type_name.strip_prefix("HKCategoryTypeIdentifier"))?;
    Some(match name {
        "StepCount" => RecordType::Quantity(Metric::Steps),
        "RestingHeartRate" => RecordType::Quantity(Metric::RestingHeartRate),
        "HeartRate" => RecordType::Quantity(Metric::HeartRateMean),
        "HeartRateVariabilitySDNN" => RecordType::Quantity(Metric::HrvSdnn),
        "OxygenSaturation" => RecordType::Quantity(Metric::OxygenSaturation),
        "SleepAnalysis" => RecordType::Sleep,
        "BloodPressureSystolic" => RecordType::Systolic,
        "BloodPressureDiastolic" => RecordType::Diastolic,
        _ => return None,
    })
}

/// The values a living adult's device can record; outside them a record is an error and set
/// aside. Ours, as wide as [`twin_engine`]'s plausible ranges for the same kinds (SpO₂ from 50 %:
/// pulse oximeters are not validated below about 70 %, and lower readings are artefacts).
fn plausible(metric: Metric, value: f64) -> bool {
    let (lo, hi) = match metric {
        Metric::Steps => (0.0, 100_000.0),
        Metric::RestingHeartRate | Metric::HeartRateMean => (20.0, 300.0),
        Metric::HrvSdnn => (1.0, 500.0),
        Metric::OxygenSaturation => (50.0, 100.0),
        Metric::SleepHours => (0.0, 24.0),
    };
    value.is_finite() && (lo..=hi).contains(&value)
}

/// The running state of one read.
#[derive(Default)]
struct Folder {
    devices: Vec<String>,
    device_idx: HashMap<String, Vec<(String, u32)>>,
    totals: HashMap<(Metric, Date, u32), Total>,
    bp_readings: Vec<BpReading>,
    pending_bp: Option<PendingBp>,
    last_folded: Option<(Metric, Date)>,
    n_used: u64,
    n_set_aside: u64,
}

impl Folder {
    /// The index of the device `sourceName` + the `name:` inside `device`, interned.
    fn device(&mut self, source_name: &str, device_attr: Option<&str>) -> u32 {
        let model = device_attr.and_then(device_name).unwrap_or("");
        if let Some(known) = self.device_idx.get(source_name) {
            if let Some((_, idx)) = known.iter().find(|(m, _)| m == model) {
                return *idx;
            }
        }
        let source =
            quick_xml::escape::unescape(source_name).map_or_else(|_| source_name.to_string(), |s| s.into_owned());
        let display = if model.is_empty() || model == source { source } else { format!("{source} ({model})") };
        let idx = self.devices.len() as u32;
        self.devices.push(display);
        self.device_idx.entry(source_name.to_string()).or_default().push((model.to_string(), idx));
        idx
    }

    fn fold(&mut self, metric: Metric, date: Date, device: u32, value: f64) {
        let total = self.totals.entry((metric, date, device)).or_default();
        total.sum += value;
        total.n += 1;
        self.last_folded = Some((metric, date));
        self.n_used += 1;
    }

    fn record(&mut self, e: &BytesStart<'_>) {
        let mut kind = None;
        let (mut source, mut device, mut start, mut end, mut value, mut unit) = (None, None, None, None, None, None);
        for attr in e.attributes().with_checks(false).flatten() {
            let v = attr.value;
            match attr.key.0 {
                "type" => match record_type(&v) {
                    Some(k) => kind = Some(k),
                    None => return,
                },
                "sourceName" => source = Some(v),
                "device" => device = Some(v),
                "startDate" => start = Some(v),
                "endDate" => end = Some(v),
                "value" => value = Some(v),
                "unit" => unit = Some(v),
                _ => {}
            }
        }
        let Some(kind) = kind else { return };
        let device = self.device(source.as_deref().unwrap_or("(unnamed source)"), device.as_deref());
        match kind {
            RecordType::Systolic | RecordType::Diastolic => {
                // Only inside a correlation: the stand-alone copies are skipped (module docs).
                let number = value.as_deref().and_then(|v| v.parse::<f64>().ok());
                match (&mut self.pending_bp, number) {
                    (Some(bp), Some(n)) if kind == RecordType::Systolic => bp.systolic = Some(n),
                    (Some(bp), Some(n)) => bp.diastolic = Some(n),
                    (Some(_), None) => self.n_set_aside += 1,
                    (None, _) => {}
                }
            }
            RecordType::Sleep => {
                let asleep = value.as_deref().is_some_and(|v| v.starts_with("HKCategoryValueSleepAnalysisAsleep"));
                if !asleep {
                    return;
                }
                let span = start.as_deref().and_then(date_time).zip(end.as_deref().and_then(date_time));
                match span {
                    Some((from, to)) if to.2 >= from.2 => {
                        let hours = (to.2 - from.2).as_seconds_f64() / 3600.0;
                        let night = if to.1.hour() >= 18 { to.0 + Duration::days(1) } else { to.0 };
                        self.fold(Metric::SleepHours, night, device, hours);
                    }
                    _ => self.n_set_aside += 1,
                }
            }
            RecordType::Quantity(metric) => {
                let date = start.as_deref().and_then(|s| s.get(..10)).and_then(iso_date);
                let number = value.as_deref().and_then(|v| v.parse::<f64>().ok());
                // Apple keeps SpO₂ as a fraction with unit "%".
                let number = match (metric, number) {
                    (Metric::OxygenSaturation, Some(n)) if n <= 1.0 && unit.as_deref() == Some("%") => Some(n * 100.0),
                    (_, n) => n,
                };
                match (date, number) {
                    (Some(date), Some(n)) if plausible(metric, n) => self.fold(metric, date, device, n),
                    _ => self.n_set_aside += 1,
                }
            }
        }
    }

    fn correlation_start(&mut self, e: &BytesStart<'_>) {
        let (mut is_bp, mut source, mut device, mut start) = (false, None, None, None);
        for attr in e.attributes().with_checks(false).flatten() {
            match attr.key.0 {
                "type" => is_bp = attr.value == "HKCorrelationTypeIdentifierBloodPressure",
                "sourceName" => source = Some(attr.value),
                "device" => device = Some(attr.value),
                "startDate" => start = Some(attr.value),
                _ => {}
            }
        }
        if !is_bp {
            return;
        }
        let device = self.device(source.as_deref().unwrap_or("(unnamed source)"), device.as_deref());
        match start.as_deref().and_then(date_time) {
            Some((date, time, at)) => {
                self.pending_bp =
                    Some(PendingBp { date, time, offset: at.offset(), device, systolic: None, diastolic: None })
            }
            None => self.n_set_aside += 1,
        }
    }

    fn correlation_end(&mut self) {
        let Some(bp) = self.pending_bp.take() else { return };
        match (bp.systolic, bp.diastolic) {
            (Some(s), Some(d)) if (50.0..=300.0).contains(&s) && (20.0..=200.0).contains(&d) && d < s => {
                self.n_used += 1;
                self.bp_readings.push(BpReading {
                    date: bp.date,
                    time: Some(bp.time),
                    offset: Some(bp.offset),
                    systolic: s,
                    diastolic: d,
                    pulse: None,
                    device: self.devices[bp.device as usize].clone(),
                });
            }
            _ => self.n_set_aside += 1,
        }
    }

    /// One summary per metric and day, from the device with the largest total (sums) or the
    /// most samples (means).
    fn finish(self, stopped: Option<StoppedAt>) -> AppleHealthImport {
        let incomplete = if stopped.is_some() { self.last_folded } else { None };
        let mut best: HashMap<(Metric, Date), (u32, Total)> = HashMap::new();
        for ((metric, date, device), total) in self.totals {
            if Some((metric, date)) == incomplete {
                continue;
            }
            let summed = matches!(metric, Metric::Steps | Metric::SleepHours);
            let better = |held: &(u32, Total)| {
                let (a, b) = if summed { (total.sum, held.1.sum) } else { (total.n as f64, held.1.n as f64) };
                a > b || (a == b && device < held.0)
            };
            match best.get(&(metric, date)) {
                Some(held) if !better(held) => {}
                _ => {
                    best.insert((metric, date), (device, total));
                }
            }
        }
        let mut daily: Vec<DailySummary> = best
            .into_iter()
            .filter_map(|((metric, date), (device, total))| {
                let summed = matches!(metric, Metric::Steps | Metric::SleepHours);
                let value = if summed { total.sum } else { total.sum / total.n as f64 };
                // A night's segments from one device can overlap (watch and in-bed apps): cap it.
                plausible(metric, value).then(|| DailySummary {
                    metric,
                    date,
                    value,
                    n_samples: total.n,
                    device: self.devices[device as usize].clone(),
                })
            })
            .collect();
        daily.sort_by_key(|d| (d.metric, d.date));
        AppleHealthImport {
            daily,
            bp_readings: self.bp_readings,
            n_records_used: self.n_used,
            n_records_set_aside: self.n_set_aside,
            stopped,
        }
    }
}

/// The `name:` inside Apple's device description (`<<HKDevice: 0x…>, name:Apple Watch, …>`).
fn device_name(device: &str) -> Option<&str> {
    let rest = &device[device.find("name:")? + 5..];
    let name = rest.split([',', '>']).next()?.trim();
    (!name.is_empty()).then_some(name)
}

/// `YYYY-MM-DD`.
fn iso_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i32 = text[..4].parse().ok()?;
    let month: u8 = text[5..7].parse().ok()?;
    let day: u8 = text[8..10].parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// Apple's `YYYY-MM-DD HH:MM:SS ±HHMM`: the local date and time as written, and the instant.
fn date_time(text: &str) -> Option<(Date, Time, time::OffsetDateTime)> {
    let date = iso_date(text.get(..10)?)?;
    let clock = text.get(11..19)?;
    let h: u8 = clock.get(..2)?.parse().ok()?;
    let m: u8 = clock.get(3..5)?.parse().ok()?;
    let s: u8 = clock.get(6..8)?.parse().ok()?;
    let time = Time::from_hms(h, m, s).ok()?;
    let zone = text.get(20..25)?;
    let sign: i8 = match zone.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let zh: i8 = zone.get(1..3)?.parse().ok()?;
    let zm: i8 = zone.get(3..5)?.parse().ok()?;
    let offset = UtcOffset::from_hms(sign * zh, sign * zm, 0).ok()?;
    Some((date, time, PrimitiveDateTime::new(date, time).assume_offset(offset)))
}

/// Reads an export from `source` (buffered; pass a `BufReader` over the file).
///
/// # Errors
/// [`AppleHealthError::NotAnExport`] when the file does not open with `<HealthData>`;
/// [`AppleHealthError::Io`] when reading fails before anything was read. A file that breaks
/// later is not an error: what was complete is returned with [`AppleHealthImport::stopped`].
pub fn read_export(source: impl BufRead) -> Result<AppleHealthImport, AppleHealthError> {
    let mut reader = Reader::from_reader(source);
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut folder = Folder::default();
    let mut open: Vec<String> = Vec::new();
    let mut seen_root = false;
    let mut n_newlines: u64 = 0;
    let stopped = loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => {
                let byte = reader.error_position();
                if !seen_root {
                    return Err(match e {
                        quick_xml::Error::Io(io) => {
                            AppleHealthError::Io(std::io::Error::new(io.kind(), io.to_string()))
                        }
                        other => AppleHealthError::NotAnExport(format!("at byte {byte}: {other}")),
                    });
                }
                break Some(StoppedAt { line: n_newlines + 1, byte, reason: format!("the XML breaks off: {e}") });
            }
        };
        n_newlines += event.bytes().filter(|b| *b == b'\n').count() as u64;
        match event {
            Event::Start(e) => {
                let name = e.name().0;
                if !seen_root {
                    if name != "HealthData" {
                        return Err(AppleHealthError::NotAnExport(format!(
                            "the first element is <{name}>, not <HealthData>"
                        )));
                    }
                    seen_root = true;
                }
                match name {
                    "Record" => folder.record(&e),
                    "Correlation" => folder.correlation_start(&e),
                    _ => {}
                }
                open.push(name.to_string());
            }
            Event::Empty(e) => match e.name().0 {
                "Record" => folder.record(&e),
                "HealthData" if !seen_root => return Ok(folder.finish(None)),
                name if !seen_root => {
                    return Err(AppleHealthError::NotAnExport(format!(
                        "the first element is <{name}>, not <HealthData>"
                    )))
                }
                _ => {}
            },
            Event::End(e) => {
                if e.name().0 == "Correlation" {
                    folder.correlation_end();
                }
                open.pop();
            }
            Event::Eof => {
                if !seen_root {
                    return Err(AppleHealthError::NotAnExport("no <HealthData> element".into()));
                }
                break open.last().map(|inside| StoppedAt {
                    line: n_newlines + 1,
                    byte: reader.buffer_position(),
                    reason: format!("the file ends inside <{inside}> (cut short in copying or export?)"),
                });
            }
            _ => {}
        }
    };
    // A correlation cut off mid-way is not a reading.
    folder.pending_bp = None;
    Ok(folder.finish(stopped))
}

/// Reads an export file.
///
/// # Errors
/// As [`read_export`], and [`AppleHealthError::Io`] when the file cannot be opened.
pub fn read_export_file(path: &std::path::Path) -> Result<AppleHealthImport, AppleHealthError> {
    let file = std::fs::File::open(path)?;
    read_export(std::io::BufReader::with_capacity(1 << 20, file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, time};

    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE HealthData [\n<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation)*)>\n]>\n<HealthData locale=\"en_GB\">\n <ExportDate value=\"2026-11-30 09:00:00 +0000\"/>\n";
    const WATCH: &str = "sourceName=\"Jane&apos;s Apple Watch\" device=\"&lt;&lt;HKDevice: 0x1&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch&gt;\"";

    fn steps(source: &str, day: &str, value: u32) -> String {
        format!(" <Record type=\"HKQuantityTypeIdentifierStepCount\" sourceName=\"{source}\" unit=\"count\" startDate=\"{day} 10:00:00 +0100\" endDate=\"{day} 10:10:00 +0100\" value=\"{value}\"/>\n")
    }

    #[test]
    fn steps_take_one_device_per_day_and_bp_comes_from_correlations_only() {
        let mut xml = String::from(HEAD);
        xml += &steps("iPhone", "2026-11-20", 4000);
        xml += &steps("iPhone", "2026-11-20", 3000);
        xml += &steps("Watch", "2026-11-20", 6500);
        xml += " <Record type=\"HKQuantityTypeIdentifierBloodPressureSystolic\" sourceName=\"Omron\" unit=\"mmHg\" startDate=\"2026-11-20 07:00:00 +0100\" endDate=\"2026-11-20 07:00:00 +0100\" value=\"131\"/>\n";
        xml += &format!(" <Correlation type=\"HKCorrelationTypeIdentifierBloodPressure\" {WATCH} startDate=\"2026-11-20 07:00:00 +0100\" endDate=\"2026-11-20 07:00:00 +0100\">\n  <Record type=\"HKQuantityTypeIdentifierBloodPressureSystolic\" {WATCH} unit=\"mmHg\" startDate=\"2026-11-20 07:00:00 +0100\" endDate=\"2026-11-20 07:00:00 +0100\" value=\"131\"/>\n  <Record type=\"HKQuantityTypeIdentifierBloodPressureDiastolic\" {WATCH} unit=\"mmHg\" startDate=\"2026-11-20 07:00:00 +0100\" endDate=\"2026-11-20 07:00:00 +0100\" value=\"83\"/>\n </Correlation>\n");
        xml += "</HealthData>\n";
        let import = read_export(xml.as_bytes()).unwrap();
        assert_eq!(import.stopped, None);
        assert_eq!(import.daily.len(), 1);
        assert_eq!((import.daily[0].value, import.daily[0].device.as_str()), (7000.0, "iPhone"));
        assert_eq!(import.bp_readings.len(), 1, "the stand-alone systolic record is not a second reading");
        let bp = &import.bp_readings[0];
        assert_eq!((bp.systolic, bp.diastolic, bp.time), (131.0, 83.0, Some(time!(7:00))));
        assert_eq!(bp.device, "Jane's Apple Watch (Apple Watch)");
    }

    #[test]
    fn sleep_counts_asleep_segments_to_the_morning_they_end() {
        let mut xml = String::from(HEAD);
        for (from, to, value) in [
            ("2026-11-19 23:00:00 +0000", "2026-11-20 02:00:00 +0000", "AsleepCore"),
            ("2026-11-20 02:00:00 +0000", "2026-11-20 06:30:00 +0000", "AsleepDeep"),
            ("2026-11-19 22:30:00 +0000", "2026-11-20 07:00:00 +0000", "InBed"),
            ("2026-11-20 19:00:00 +0000", "2026-11-20 20:00:00 +0000", "AsleepUnspecified"),
        ] {
            xml += &format!(" <Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" sourceName=\"Watch\" startDate=\"{from}\" endDate=\"{to}\" value=\"HKCategoryValueSleepAnalysis{value}\"/>\n");
        }
        xml += "</HealthData>";
        let import = read_export(xml.as_bytes()).unwrap();
        let nights: Vec<(Date, f64)> = import.daily.iter().map(|d| (d.date, d.value)).collect();
        assert_eq!(nights, [(date!(2026 - 11 - 20), 7.5), (date!(2026 - 11 - 21), 1.0)]);
    }

    #[test]
    fn a_cut_file_keeps_complete_days_and_says_where_it_stopped() {
        let mut xml = String::from(HEAD);
        xml += &steps("iPhone", "2026-11-20", 4000);
        xml += &steps("iPhone", "2026-11-21", 3000);
        xml += &steps("iPhone", "2026-11-21", 3000);
        let cut = xml.len() - 40;
        let import = read_export(&xml.as_bytes()[..cut]).unwrap();
        let stopped = import.stopped.clone().unwrap();
        assert_eq!(stopped.line, 9, "the third Record's line");
        assert!(stopped.to_string().starts_with("stopped at line 9 / byte"), "{stopped}");
        let days: Vec<Date> = import.daily.iter().map(|d| d.date).collect();
        assert_eq!(days, [date!(2026 - 11 - 20)], "the 21st was being read when the file stopped: dropped");
        // Cut between elements: the file ends inside <HealthData>.
        let import = read_export(xml.as_bytes()).unwrap();
        assert!(import.stopped.unwrap().reason.contains("ends inside <HealthData>"));
    }

    #[test]
    fn other_files_are_refused_plainly() {
        let err = read_export("<html><body/></html>".as_bytes()).unwrap_err();
        assert!(err.to_string().contains("not <HealthData>"), "{err}");
        let err = read_export("just text".as_bytes()).unwrap_err();
        assert!(err.to_string().contains("no <HealthData>"), "{err}");
    }

    #[test]
    fn spo2_fractions_become_percent_and_bad_values_are_set_aside() {
        let mut xml = String::from(HEAD);
        xml += " <Record type=\"HKQuantityTypeIdentifierOxygenSaturation\" sourceName=\"W\" unit=\"%\" startDate=\"2026-11-20 03:00:00 +0000\" endDate=\"2026-11-20 03:00:00 +0000\" value=\"0.96\"/>\n";
        xml += " <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"W\" unit=\"count/min\" startDate=\"2026-11-20 03:00:00 +0000\" endDate=\"2026-11-20 03:00:00 +0000\" value=\"abc\"/>\n";
        xml += " <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"W\" unit=\"count/min\" startDate=\"2026-11-20 03:00:00 +0000\" endDate=\"2026-11-20 03:00:00 +0000\" value=\"900\"/>\n";
        xml += "</HealthData>";
        let import = read_export(xml.as_bytes()).unwrap();
        assert_eq!(import.daily.len(), 1);
        assert!((import.daily[0].value - 96.0).abs() < 1e-9);
        assert_eq!((import.n_records_used, import.n_records_set_aside), (1, 2));
    }
}
