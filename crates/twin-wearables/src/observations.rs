//! The FHIR R4 Observations both importers write: a home BP panel per reading, and one daily
//! (or nightly) summary per wearable metric. Each names the device that measured it
//! (`Observation.device.display`) and the file it came from (`meta.source`), and has an id
//! derived from its content, so importing the same file again replaces instead of duplicating.

use serde_json::{json, Value};
use time::{Date, Time, UtcOffset};

/// LOINC's system URI.
const LOINC: &str = "http://loinc.org";
/// UCUM's system URI.
const UCUM: &str = "http://unitsofmeasure.org";
/// FHIR's observation-category code system.
const CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
/// Our own code system for wearable summaries that LOINC has no code for. The twin does not
/// read these; they are kept in the record, with their device, for the clinician.
pub const WEARABLE_SYSTEM: &str = "urn:cardiotwin:wearable";

/// Where a set of Observations came from, written into each.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The patient they belong to (`Patient/<id>`).
    pub patient_id: String,
    /// `meta.source`, e.g. `home-bp-csv:readings.csv` (a file name, no directory).
    pub source: String,
}

/// One self-measured BP reading, as the importers read it.
#[derive(Debug, Clone, PartialEq)]
pub struct BpReading {
    /// Local date.
    pub date: Date,
    /// Local time of day, where known.
    pub time: Option<Time>,
    /// The device's offset from UTC, where known (a CSV does not say; see `home_monitor_csv`).
    pub offset: Option<UtcOffset>,
    /// Systolic, mmHg.
    pub systolic: f64,
    /// Diastolic, mmHg.
    pub diastolic: f64,
    /// Pulse, beats per minute, where measured.
    pub pulse: Option<f64>,
    /// The device, as the source names it.
    pub device: String,
}

/// The home BP panel (LOINC 85354-9 with 8480-6 and 8462-4, and 8867-4 for the pulse), marked
/// self-measured in `method` and naming its `device`: both make the record read it as a home
/// reading, never an office one.
pub fn home_bp_observation(reading: &BpReading, prov: &Provenance) -> Value {
    let effective = date_time_text(reading.date, reading.time, reading.offset);
    let id =
        stable_id("homebp", &[&effective, &reading.device, &format!("{}/{}", reading.systolic, reading.diastolic)]);
    let mut components = vec![
        component("8480-6", "Systolic blood pressure", reading.systolic, "mmHg", "mm[Hg]"),
        component("8462-4", "Diastolic blood pressure", reading.diastolic, "mmHg", "mm[Hg]"),
    ];
    if let Some(pulse) = reading.pulse {
        components.push(component("8867-4", "Heart rate", pulse, "beats/minute", "/min"));
    }
    json!({
        "resourceType": "Observation",
        "id": id,
        "meta": { "source": prov.source },
        "status": "final",
        "category": [category("vital-signs", "Vital Signs")],
        "code": {
            "coding": [{ "system": LOINC, "code": "85354-9", "display": "Blood pressure panel with all children optional" }],
            "text": "Home blood pressure"
        },
        "method": { "text": "Self-measured blood pressure at home" },
        "subject": { "reference": format!("Patient/{}", prov.patient_id) },
        "effectiveDateTime": effective,
        "device": { "display": reading.device },
        "component": components
    })
}

/// A daily (or nightly) wearable summary: the metric, the day, the value with its unit, the
/// device and how many samples went into it.
#[derive(Debug, Clone, PartialEq)]
pub struct DailySummary {
    /// What it measures.
    pub metric: Metric,
    /// The local day (for sleep: the morning the night ended).
    pub date: Date,
    /// The value, in [`Metric::unit`].
    pub value: f64,
    /// Samples summarised.
    pub n_samples: u64,
    /// The device (source) the value is from.
    pub device: String,
}

/// The wearable metrics we summarise per day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// Steps in the day (sum).
    Steps,
    /// Resting heart rate (mean of the day's values).
    RestingHeartRate,
    /// Heart rate, mean of the day's samples.
    HeartRateMean,
    /// Heart-rate variability, SDNN, mean of the day's values.
    HrvSdnn,
    /// Oxygen saturation, mean of the day's samples.
    OxygenSaturation,
    /// Hours asleep in the night that ended that morning.
    SleepHours,
}

impl Metric {
    /// The code (system, code, display): LOINC where LOINC has one, else [`WEARABLE_SYSTEM`].
    ///
    /// LOINC 41950-7 "Number of steps in 24 hour Measured", 40443-4 "Heart rate --resting",
    /// 80404-7 "R-R interval.standard deviation (Heart rate variability)", 59408-5 "Oxygen
    /// saturation in Arterial blood by Pulse oximetry", 93832-4 "Sleep duration". The day's mean
    /// heart rate has no LOINC code of its own (8867-4 is a single heart rate, which the record
    /// reads as a clinic value), so it keeps ours.
    pub fn code(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Metric::Steps => (LOINC, "41950-7", "Number of steps in 24 hour Measured"),
            Metric::RestingHeartRate => (LOINC, "40443-4", "Heart rate --resting"),
            Metric::HeartRateMean => (WEARABLE_SYSTEM, "heart-rate-daily-mean", "Heart rate, daily mean (wearable)"),
            Metric::HrvSdnn => (LOINC, "80404-7", "R-R interval.standard deviation (Heart rate variability)"),
            Metric::OxygenSaturation => (LOINC, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
            Metric::SleepHours => (LOINC, "93832-4", "Sleep duration"),
        }
    }

    /// The unit as (display, UCUM code).
    pub fn unit(self) -> (&'static str, &'static str) {
        match self {
            Metric::Steps => ("steps", "{steps}"),
            Metric::RestingHeartRate | Metric::HeartRateMean => ("beats/minute", "/min"),
            Metric::HrvSdnn => ("ms", "ms"),
            Metric::OxygenSaturation => ("%", "%"),
            Metric::SleepHours => ("h", "h"),
        }
    }

    /// A short stable name, used in ids.
    pub fn key(self) -> &'static str {
        match self {
            Metric::Steps => "steps",
            Metric::RestingHeartRate => "resting-hr",
            Metric::HeartRateMean => "hr-mean",
            Metric::HrvSdnn => "hrv-sdnn",
            Metric::OxygenSaturation => "spo2",
            Metric::SleepHours => "sleep",
        }
    }

    fn category(self) -> (&'static str, &'static str) {
        match self {
            Metric::Steps | Metric::SleepHours => ("activity", "Activity"),
            _ => ("vital-signs", "Vital Signs"),
        }
    }
}

/// The Observation of one daily summary. The id is the metric and the day (one value per day and
/// metric, whichever device it came from), so a later, longer export replaces the earlier day.
pub fn daily_observation(summary: &DailySummary, prov: &Provenance) -> Value {
    let (system, code, display) = summary.metric.code();
    let (unit, unit_code) = summary.metric.unit();
    let (cat_code, cat_display) = summary.metric.category();
    let day = summary.date.to_string();
    let value = if summary.metric == Metric::Steps { summary.value.round() } else { round2(summary.value) };
    json!({
        "resourceType": "Observation",
        "id": format!("wear-{}-{}", summary.metric.key(), day),
        "meta": { "source": prov.source },
        "status": "final",
        "category": [category(cat_code, cat_display)],
        "code": { "coding": [{ "system": system, "code": code, "display": display }], "text": display },
        "subject": { "reference": format!("Patient/{}", prov.patient_id) },
        "effectiveDateTime": day,
        "device": { "display": summary.device },
        "valueQuantity": { "value": value, "unit": unit, "system": UCUM, "code": unit_code },
        "note": [{ "text": format!("Summary of {} sample(s) from the device's export", summary.n_samples) }]
    })
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn category(code: &str, display: &str) -> Value {
    json!({ "coding": [{ "system": CATEGORY, "code": code, "display": display }] })
}

fn component(code: &str, display: &str, value: f64, unit: &str, ucum: &str) -> Value {
    json!({
        "code": { "coding": [{ "system": LOINC, "code": code, "display": display }] },
        "valueQuantity": { "value": value, "unit": unit, "system": UCUM, "code": ucum }
    })
}

/// A FHIR `dateTime`: the date alone, or with the time and its offset. FHIR requires an offset
/// with a time; where the source gives none the local clock time is written as `+00:00` (the
/// record reads only the clock time, for morning and evening).
fn date_time_text(date: Date, time: Option<Time>, offset: Option<UtcOffset>) -> String {
    let Some(time) = time else { return date.to_string() };
    let offset = offset.unwrap_or(UtcOffset::UTC);
    let (h, m, _) = offset.as_hms();
    let sign = if offset.is_negative() { '-' } else { '+' };
    format!(
        "{date}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        time.hour(),
        time.minute(),
        time.second(),
        h.unsigned_abs(),
        m.unsigned_abs()
    )
}

/// `prefix-` and 16 hex digits of FNV-1a over the parts: stable across runs and platforms
/// (a FHIR id allows 64 characters of `[A-Za-z0-9\-\.]`).
fn stable_id(prefix: &str, parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{prefix}-{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, offset, time};

    fn prov() -> Provenance {
        Provenance { patient_id: "p1".into(), source: "home-bp-csv:r.csv".into() }
    }

    #[test]
    fn a_reading_becomes_a_self_measured_panel_with_its_device_and_a_stable_id() {
        let reading = BpReading {
            date: date!(2026 - 11 - 21),
            time: Some(time!(7:05)),
            offset: Some(offset!(+1)),
            systolic: 142.0,
            diastolic: 88.0,
            pulse: Some(71.0),
            device: "Omron M3".into(),
        };
        let obs = home_bp_observation(&reading, &prov());
        assert_eq!(obs["code"]["coding"][0]["code"], "85354-9");
        assert_eq!(obs["effectiveDateTime"], "2026-11-21T07:05:00+01:00");
        assert_eq!(obs["device"]["display"], "Omron M3");
        assert_eq!(obs["component"][0]["code"]["coding"][0]["code"], "8480-6");
        assert_eq!(obs["component"][1]["valueQuantity"]["value"], 88.0);
        assert_eq!(obs["id"], home_bp_observation(&reading, &prov())["id"], "the same reading, the same id");
        let other = BpReading { systolic: 141.0, ..reading };
        assert_ne!(obs["id"], home_bp_observation(&other, &prov())["id"]);
    }

    #[test]
    fn a_negative_offset_is_written_with_its_sign() {
        assert_eq!(
            date_time_text(date!(2026 - 01 - 02), Some(time!(21:30)), Some(offset!(-5:30))),
            "2026-01-02T21:30:00-05:30"
        );
        assert_eq!(date_time_text(date!(2026 - 01 - 02), None, None), "2026-01-02");
    }
}
