//! A polygenic risk score for coronary disease from a genomics report's Observation.
//!
//! The HL7 Genomics Reporting IG (STU2) profiles variants, haplotypes and genotypes but has no
//! profile or LOINC code for a polygenic score, so CardioTwin reads one documented local coding:
//!
//! - `Observation.code`: `urn:cardiotwin:genomics|cad-polygenic-score`.
//! - The value, either as components (same system) `z-score` (a `valueQuantity`, standard
//!   deviations) and/or `percentile` (a `valueQuantity`, 0–100), or as the Observation's own
//!   `valueQuantity` with UCUM unit `{SD}` (a z-score) or `%` (a percentile).
//! - Component `ancestry`: the genetic ancestry the score was computed for, as a 1000 Genomes
//!   super-population code (`EUR`, `AFR`, `EAS`, `SAS`, `AMR`) in a `valueCodeableConcept`, or
//!   its name as text or `valueString`.
//! - Component `score-name` (`valueString`), or else `Observation.method`: which score (`metaGRS`,
//!   `GPS_CAD`); the published calibration is chosen by it.
//!
//! A score without ancestry or without a value is kept (the explanation shows it and says why
//! it was not applied); a value we cannot read (a percentile outside 0–100, an unknown unit) is
//! a problem named with the resource, and the score is kept without it.

use serde_json::Value;
use time::Date;

use twin_engine::record::Source;
use twin_engine::risk::genomic::{Ancestry, PolygenicScore, ScoreValue};

/// The local code system of the polygenic-score Observation and its components.
pub const GENOMICS_SYSTEM: &str = "urn:cardiotwin:genomics";
/// `Observation.code` of a polygenic risk score for coronary disease.
pub const CAD_POLYGENIC_SCORE: &str = "cad-polygenic-score";

/// Whether `resource` (FHIR JSON) is a polygenic-score Observation in the coding above.
pub fn is_polygenic_score(resource: &Value) -> bool {
    resource.get("resourceType").and_then(Value::as_str) == Some("Observation")
        && has_code(resource.get("code"), CAD_POLYGENIC_SCORE)
}

/// What reading a polygenic-score Observation gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// Entered in error or cancelled: left out, as every such Observation is.
    Withdrawn,
    /// The score (possibly without a value or ancestry), with what could not be read, in words.
    Score(PolygenicScore, Vec<String>),
    /// Unusable (no date), and why.
    Unusable(String),
}

/// Reads a polygenic-score Observation; `name` is its `Observation/<id>` label.
pub fn read(resource: &Value, name: &str) -> Reading {
    if matches!(resource.get("status").and_then(Value::as_str), Some("entered-in-error" | "cancelled")) {
        return Reading::Withdrawn;
    }
    let Some(date) = observation_date(resource) else {
        return Reading::Unusable("polygenic score has no date (effective or issued)".into());
    };
    let mut problems = Vec::new();
    let components: Vec<&Value> = resource.get("component").and_then(Value::as_array).into_iter().flatten().collect();
    let component = |code: &str| components.iter().copied().find(|c| has_code(c.get("code"), code));

    let mut value = None;
    if let Some(q) = component("z-score").and_then(|c| c.get("valueQuantity")) {
        value = read_number(q, "z-score", &mut problems).map(ScoreValue::ZScore);
    }
    if value.is_none() {
        if let Some(q) = component("percentile").and_then(|c| c.get("valueQuantity")) {
            value = read_percentile(q, &mut problems);
        }
    }
    if value.is_none() {
        if let Some(q) = resource.get("valueQuantity") {
            match q.get("code").or_else(|| q.get("unit")).and_then(Value::as_str) {
                Some("{SD}" | "SD") => value = read_number(q, "z-score", &mut problems).map(ScoreValue::ZScore),
                Some("%") => value = read_percentile(q, &mut problems),
                other => problems.push(format!(
                    "polygenic score value has unit “{}”; expected {{SD}} (a z-score) or % (a percentile)",
                    other.unwrap_or("none")
                )),
            }
        }
    }

    let ancestry = component("ancestry").and_then(|c| {
        let concept = c.get("valueCodeableConcept");
        let coded = concept
            .and_then(|v| v.get("coding"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find_map(|coding| coding.get("code").or_else(|| coding.get("display")).and_then(Value::as_str));
        let text = concept.and_then(|v| v.get("text")).and_then(Value::as_str);
        coded.or(text).or_else(|| c.get("valueString").and_then(Value::as_str)).filter(|t| !t.trim().is_empty())
    });

    let score_name = component("score-name")
        .and_then(|c| c.get("valueString").and_then(Value::as_str))
        .or_else(|| {
            let method = resource.get("method")?;
            method.get("text").and_then(Value::as_str).or_else(|| {
                method
                    .get("coding")?
                    .as_array()?
                    .iter()
                    .find_map(|c| c.get("display").or_else(|| c.get("code")).and_then(Value::as_str))
            })
        })
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("unnamed score");

    Reading::Score(
        PolygenicScore {
            name: score_name.to_string(),
            value,
            ancestry: ancestry.map(Ancestry::parse),
            date,
            source: Source { resource: name.to_string() },
        },
        problems,
    )
}

fn has_code(concept: Option<&Value>, code: &str) -> bool {
    concept.and_then(|c| c.get("coding")).and_then(Value::as_array).into_iter().flatten().any(|coding| {
        coding.get("system").and_then(Value::as_str) == Some(GENOMICS_SYSTEM)
            && coding.get("code").and_then(Value::as_str) == Some(code)
    })
}

fn read_number(quantity: &Value, what: &str, problems: &mut Vec<String>) -> Option<f64> {
    match quantity.get("value").and_then(Value::as_f64) {
        Some(v) if v.is_finite() => Some(v),
        _ => {
            problems.push(format!("polygenic score {what} has no numeric value"));
            None
        }
    }
}

fn read_percentile(quantity: &Value, problems: &mut Vec<String>) -> Option<ScoreValue> {
    let p = read_number(quantity, "percentile", problems)?;
    if p > 0.0 && p < 100.0 {
        Some(ScoreValue::Percentile(p))
    } else {
        problems.push(format!("polygenic score percentile {p} is outside 0–100 (exclusive); not used"));
        None
    }
}

/// `effectiveDateTime`, the start of `effectivePeriod`, or `issued`: the calendar date.
fn observation_date(resource: &Value) -> Option<Date> {
    let text = resource
        .get("effectiveDateTime")
        .or_else(|| resource.get("effectivePeriod").and_then(|p| p.get("start")))
        .or_else(|| resource.get("effectiveInstant"))
        .or_else(|| resource.get("issued"))
        .and_then(Value::as_str)?;
    let day = text.get(..10)?;
    Date::parse(day, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn observation(components: Value) -> Value {
        json!({
            "resourceType": "Observation", "id": "prs", "status": "final",
            "code": { "coding": [{ "system": GENOMICS_SYSTEM, "code": CAD_POLYGENIC_SCORE }] },
            "subject": { "reference": "Patient/p" },
            "effectiveDateTime": "2026-05-04",
            "component": components
        })
    }

    fn component(code: &str, value: Value) -> Value {
        let mut c = json!({ "code": { "coding": [{ "system": GENOMICS_SYSTEM, "code": code }] } });
        if let (Some(c), Some(v)) = (c.as_object_mut(), value.as_object()) {
            c.extend(v.clone());
        }
        c
    }

    fn score(resource: &Value) -> (PolygenicScore, Vec<String>) {
        match read(resource, "Observation/prs") {
            Reading::Score(s, problems) => (s, problems),
            other => panic!("expected a score, got {other:?}"),
        }
    }

    #[test]
    fn reads_name_percentile_and_ancestry() {
        let o = observation(json!([
            component("score-name", json!({ "valueString": "metaGRS" })),
            component("percentile", json!({ "valueQuantity": { "value": 82, "unit": "%" } })),
            component("ancestry", json!({ "valueCodeableConcept": { "coding": [{ "code": "EUR" }] } })),
        ]));
        assert!(is_polygenic_score(&o));
        let (s, problems) = score(&o);
        assert_eq!(s.name, "metaGRS");
        assert_eq!(s.value, Some(ScoreValue::Percentile(82.0)));
        assert_eq!(s.ancestry, Some(Ancestry::European));
        assert_eq!(s.date, time::macros::date!(2026 - 05 - 04));
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_z_score_is_preferred_and_a_bare_value_is_read_by_its_unit() {
        let o = observation(json!([
            component("z-score", json!({ "valueQuantity": { "value": 1.3 } })),
            component("percentile", json!({ "valueQuantity": { "value": 90 } })),
        ]));
        assert_eq!(score(&o).0.value, Some(ScoreValue::ZScore(1.3)));
        let mut bare = observation(json!([]));
        bare["valueQuantity"] =
            json!({ "value": 97.5, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%" });
        assert_eq!(score(&bare).0.value, Some(ScoreValue::Percentile(97.5)));
    }

    #[test]
    fn missing_ancestry_and_bad_values_keep_the_score_with_the_reason() {
        let o = observation(json!([component("percentile", json!({ "valueQuantity": { "value": 140 } }))]));
        let (s, problems) = score(&o);
        assert_eq!(s.ancestry, None);
        assert_eq!(s.value, None);
        assert_eq!(s.name, "unnamed score");
        assert!(problems[0].contains("outside 0–100"), "{problems:?}");
        let mut unit = observation(json!([]));
        unit["valueQuantity"] = json!({ "value": 3.2, "unit": "points" });
        assert!(score(&unit).1[0].contains("“points”"));
    }

    #[test]
    fn other_observations_and_withdrawn_ones_are_told_apart() {
        assert!(!is_polygenic_score(&json!({
            "resourceType": "Observation", "code": { "coding": [{ "system": "http://loinc.org", "code": "8480-6" }] }
        })));
        let mut o = observation(json!([]));
        o["status"] = json!("entered-in-error");
        assert_eq!(read(&o, "Observation/prs"), Reading::Withdrawn);
        let mut undated = observation(json!([]));
        undated.as_object_mut().map(|m| m.remove("effectiveDateTime"));
        assert!(matches!(read(&undated, "Observation/prs"), Reading::Unusable(_)));
    }
}
