//! Errors that stop a whole bundle from being read. Messages never quote the data.

/// Why a bundle could not be harmonised at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// The text is not JSON.
    #[error("not valid JSON at line {line}, column {column}: {reason}")]
    NotJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What kind of JSON error.
        reason: String,
    },
    /// JSON, but not a FHIR resource.
    #[error("not a FHIR resource (no resourceType)")]
    NotFhir,
    /// A FHIR resource, but not a Bundle.
    #[error("a FHIR {found} resource, not a Bundle")]
    NotABundle {
        /// The resourceType found.
        found: String,
    },
    /// A Bundle whose structure is broken.
    #[error("malformed Bundle: {reason}")]
    Malformed {
        /// What is broken.
        reason: String,
    },
    /// No usable Patient resource.
    #[error("the Bundle holds no valid Patient resource")]
    NoPatient,
    /// More than one Patient, and none chosen: merging them would mix two people's records.
    #[error("the Bundle holds {n} different patients; choose one to import (cache import --patient ID) rather than mixing their records")]
    SeveralPatients {
        /// How many distinct Patient ids.
        n: usize,
    },
    /// The chosen Patient is not in the Bundle.
    #[error("the chosen patient is not in this Bundle")]
    PatientNotInBundle,
    /// The text is larger than any real record.
    #[error("the file is {} MB, above the {} MB limit for one patient's record", bytes / 1_000_000, limit / 1_000_000)]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
}

/// The resource type to name in a message: a FHIR type name as is, anything else (which may be
/// text a person typed, even a name) not echoed.
pub(crate) fn resource_type_for_message(found: &str) -> String {
    let looks_like_type = !found.is_empty()
        && found.len() <= 40
        && found.starts_with(|c: char| c.is_ascii_uppercase())
        && found.chars().all(|c| c.is_ascii_alphanumeric());
    if looks_like_type && found.parse::<fhir_sdk::r4b::resources::ResourceType>().is_ok() {
        found.to_string()
    } else {
        "(unknown type)".to_string()
    }
}

/// A parser's or converter's message with every quoted value replaced, so no data from the
/// record (a name in a wrong field, a free-text unit) reaches a message or a log.
pub fn scrub(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quote: Option<char> = None;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None if matches!(c, '`' | '\'' | '"') => {
                out.push(c);
                quote = Some(c);
            }
            None => out.push(c),
        }
    }
    if quote.is_some() {
        out.push('…');
    }
    // Unquoted values follow a colon in some parsers' messages ("Unknown value: <text>"); what
    // comes before the colon says what kind of problem it is.
    let structured = ["invalid type", "invalid value", "invalid length"].iter().any(|p| out.starts_with(p));
    match out.split_once(": ") {
        Some((head, _)) if !structured => head.to_string(),
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_do_not_reach_messages() {
        assert_eq!(
            scrub("unknown variant `John Smith`, expected one of `male`"),
            "unknown variant `…`, expected one of `…`"
        );
        assert_eq!(scrub("unit 'Jane Doe mg' is not known for LDL-C"), "unit '…' is not known for LDL-C");
        assert_eq!(scrub("Unknown value: Zebediah Quartermaine"), "Unknown value");
        assert_eq!(scrub("invalid type: string \"Jane\", expected f64"), "invalid type: string \"…\", expected f64");
        assert_eq!(resource_type_for_message("Observation"), "Observation");
        assert_eq!(resource_type_for_message("Smith"), "(unknown type)");
        assert_eq!(resource_type_for_message("Jane Doe 1970-01-01"), "(unknown type)");
    }
}
