//! Small builders for the FHIR R4 JSON the generator writes.
//!
//! Kept separate from the cohort definitions so the clinical content reads as clinical content.

use serde_json::{json, Value};
use time::Date;

/// LOINC's system URI.
pub const LOINC: &str = "http://loinc.org";
/// SNOMED CT's system URI.
pub const SNOMED: &str = "http://snomed.info/sct";
/// ICD-10-CM's system URI.
pub const ICD10CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
/// RxNorm's system URI.
pub const RXNORM: &str = "http://www.nlm.nih.gov/research/umls/rxnorm";
/// UCUM's system URI.
pub const UCUM: &str = "http://unitsofmeasure.org";
/// Observation category code system.
pub const OBS_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";

/// `YYYY-MM-DD`.
pub fn date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// A Coding.
pub fn coding(system: &str, code: &str, display: &str) -> Value {
    json!({ "system": system, "code": code, "display": display })
}

/// A CodeableConcept with one coding.
pub fn concept(system: &str, code: &str, display: &str) -> Value {
    json!({ "coding": [coding(system, code, display)], "text": display })
}

/// A UCUM Quantity; `decimals` fixes the rounding so output bytes are stable.
pub fn quantity(value: f64, decimals: u32, ucum: &str, unit: &str) -> Value {
    json!({ "value": round(value, decimals), "unit": unit, "system": UCUM, "code": ucum })
}

/// Rounds to `decimals` places; whole numbers are written as integers.
pub fn round(value: f64, decimals: u32) -> Value {
    let factor = 10f64.powi(decimals as i32);
    let rounded = (value * factor).round() / factor;
    if decimals == 0 {
        json!(rounded as i64)
    } else {
        json!(rounded)
    }
}

/// An Observation category.
pub fn category(code: &str) -> Value {
    let display = match code {
        "vital-signs" => "Vital Signs",
        "laboratory" => "Laboratory",
        "imaging" => "Imaging",
        "activity" => "Activity",
        "social-history" => "Social History",
        "survey" => "Survey",
        "procedure" => "Procedure",
        _ => code,
    };
    json!([{ "coding": [coding(OBS_CATEGORY, code, display)] }])
}

/// A transaction entry that PUTs the resource under its own id.
pub fn put_entry(resource: Value) -> Value {
    let kind = resource["resourceType"].as_str().unwrap_or_default().to_string();
    let id = resource["id"].as_str().unwrap_or_default().to_string();
    json!({
        "fullUrl": format!("https://demo.cardiotwin.invalid/fhir/{kind}/{id}"),
        "resource": resource,
        "request": { "method": "PUT", "url": format!("{kind}/{id}") }
    })
}
