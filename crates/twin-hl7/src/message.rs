//! One ORU^R01 message read into its results, or refused with the reason.
//!
//! The structure (fields, repetitions, components, escape sequences) is read by the
//! `hl7-parser` crate. That crate stops silently at a line it cannot read as a segment and drops
//! the rest of the message, so every line is checked here first: a message with an unreadable
//! segment is refused whole, naming the segment, rather than imported in part.
//!
//! Errors name the message by its control id (MSH-10) and segments by number and type; they
//! never repeat a name, an identifier or a value, which may be a patient's.

use hl7_parser::message::{Field, Segment, Separators};
use hl7_parser::Message;

use crate::codes::{is_loinc_system, is_valid_loinc, CodeTable, Loinc};
use crate::frame::RawMessage;
use crate::timestamp::fhir_date_time;

/// How a message is named in reports: by its control id, else by its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageLabel {
    /// MSH-10.
    ControlId(String),
    /// 1-based position in the file, for a message without MSH-10.
    Position(usize),
}

impl std::fmt::Display for MessageLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MessageLabel::ControlId(id) => write!(f, "message {id}"),
            MessageLabel::Position(n) => write!(f, "message #{n} in the file (no control id)"),
        }
    }
}

/// A segment that could not be used, or a message refused whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Hl7Error {
    /// One segment is wrong; `fatal` says whether the whole message was refused for it.
    #[error("{message}, segment {segment} ({name}): {reason}")]
    Segment {
        /// Which message.
        message: MessageLabel,
        /// 1-based segment number in the message (MSH is 1).
        segment: usize,
        /// The segment's type, or `unreadable`.
        name: String,
        /// What is wrong, in words.
        reason: String,
    },
    /// The message as a whole cannot be used.
    #[error("{message}: {reason}")]
    Message {
        /// Which message.
        message: MessageLabel,
        /// What is wrong, in words.
        reason: String,
    },
}

/// A patient identifier from PID-3 (CX: id, assigning authority, identifier type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientIdentifier {
    /// CX.1.
    pub value: String,
    /// CX.4 (namespace id, else universal id), if sent.
    pub authority: Option<String>,
    /// CX.5 (e.g. `MR`), if sent.
    pub kind: Option<String>,
}

/// OBX-11, the result status (HL7 table 0085).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultStatus {
    /// `F`: final.
    Final,
    /// `C`: a correction replacing the earlier result of the same test in the same order.
    Corrected,
    /// `P`, `R` or `S`: preliminary, not yet verified, or partial.
    Preliminary,
    /// `W` or `D`: the earlier result was wrong or is deleted; it replaces the earlier one so
    /// the record no longer reads it.
    EnteredInError,
}

impl ResultStatus {
    /// FHIR's Observation.status for it.
    pub fn fhir(self) -> &'static str {
        match self {
            ResultStatus::Final => "final",
            ResultStatus::Corrected => "corrected",
            ResultStatus::Preliminary => "preliminary",
            ResultStatus::EnteredInError => "entered-in-error",
        }
    }
}

/// OBX-5 as read for its value type (OBX-2).
#[derive(Debug, Clone, PartialEq)]
pub enum ResultValue {
    /// NM, or SN with at most a comparator: a number, with FHIR's comparator (`<`, `<=`, `>=`, `>`).
    Number {
        /// The number as sent.
        value: f64,
        /// The comparator, if any.
        comparator: Option<&'static str>,
    },
    /// ST, TX, FT, SN ranges and ratios: words, escape sequences decoded.
    Text(String),
    /// CE, CWE, CNE: a coded answer.
    Coded {
        /// The code.
        code: String,
        /// Its words.
        text: String,
    },
}

/// One OBX whose test maps to LOINC.
#[derive(Debug, Clone, PartialEq)]
pub struct LabResult {
    /// 1-based segment number of the OBX in its message.
    pub segment: usize,
    /// OBX-1, the set id.
    pub set_id: String,
    /// What identifies the same test of the same order in a later correction: sending facility,
    /// filler order number (OBR-3, else placer OBR-2), OBX-3 system and code, OBX-4 sub-id.
    pub result_key: String,
    /// The test in LOINC.
    pub loinc: Loinc,
    /// OBX-3 as the lab sent it (system, code, words), kept as provenance.
    pub sent_code: (String, String, String),
    /// OBX-5.
    pub value: ResultValue,
    /// OBX-6.1 as written, if any.
    pub unit: Option<String>,
    /// OBX-7.
    pub reference_range: Option<String>,
    /// OBX-8, each repetition.
    pub abnormal_flags: Vec<String>,
    /// OBX-11.
    pub status: ResultStatus,
    /// OBX-14, else OBR-7, as a FHIR date or dateTime.
    pub effective: String,
    /// NTE-3 of the NTE segments after this OBX, escape sequences decoded.
    pub notes: Vec<String>,
}

/// A local code that no table maps, as sent (OBX-3.3, OBX-3.1).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnknownCode {
    /// OBX-3.3.
    pub system: String,
    /// OBX-3.1.
    pub code: String,
}

/// A message read: who it is about, its results, and what in it could not be used.
#[derive(Debug, Clone, PartialEq)]
pub struct OruMessage {
    /// MSH-10.
    pub control_id: String,
    /// MSH-4.
    pub sending_facility: String,
    /// MSH-12.
    pub version: String,
    /// PID-3, each repetition.
    pub patient_identifiers: Vec<PatientIdentifier>,
    /// Results whose test maps to LOINC, in message order.
    pub results: Vec<LabResult>,
    /// OBX segments whose test maps to nothing we know.
    pub unknown_codes: Vec<UnknownCode>,
    /// OBX segments with status X (test cancelled) or with no result yet (I, N, O, U).
    pub without_result: usize,
    /// OBX segments that could not be used; the other results of the message are.
    pub problems: Vec<Hl7Error>,
}

impl OruMessage {
    /// How the message is named in reports.
    pub fn label(&self) -> MessageLabel {
        MessageLabel::ControlId(self.control_id.clone())
    }
}

/// The HL7 versions read: ORU^R01 and OBX are the same in these for what is read here.
const VERSIONS: [&str; 5] = ["2.3", "2.3.1", "2.4", "2.5", "2.5.1"];

/// Reads one message.
///
/// # Errors
/// [`Hl7Error`] when the message as a whole cannot be used: an unreadable segment, not ORU^R01,
/// a version outside 2.3–2.5.1, no control id, no patient identifier.
pub fn read_message(raw: &RawMessage, codes: &CodeTable) -> Result<OruMessage, Hl7Error> {
    let position = MessageLabel::Position(raw.position);
    for (idx, line) in raw.segments.iter().enumerate() {
        if !is_segment_line(line) {
            return Err(Hl7Error::Segment {
                message: control_id_of(&raw.segments[0]).map(MessageLabel::ControlId).unwrap_or(position),
                segment: idx + 1,
                name: "unreadable".into(),
                reason: "does not start with a three-character segment name; the message was not imported".into(),
            });
        }
    }
    let text = raw.segments.join("\r");
    let parsed = Message::parse(&text)
        .map_err(|_| Hl7Error::Message { message: position.clone(), reason: "could not be read as HL7 v2".into() })?;
    let label = match parsed.segment("MSH").and_then(|s| s.field(10)).map(|f| decode(&parsed.separators, f.raw_value()))
    {
        Some(id) if !id.trim().is_empty() => MessageLabel::ControlId(id.trim().to_string()),
        _ => {
            return Err(Hl7Error::Message {
                message: position,
                reason: "has no message control id (MSH-10), so its results could not be traced; not imported".into(),
            })
        }
    };
    if parsed.segments.len() != raw.segments.len() {
        return Err(Hl7Error::Segment {
            message: label,
            segment: parsed.segments.len() + 1,
            name: "unreadable".into(),
            reason: "could not be read; the message was not imported".into(),
        });
    }
    Reader { codes, separators: parsed.separators, label }.read(&parsed)
}

/// A segment line: three upper-case letters or digits, then the field separator (or nothing).
fn is_segment_line(line: &str) -> bool {
    let bytes = line.as_bytes();
    bytes.len() >= 3
        && bytes[..3].iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && bytes.get(3).is_none_or(|b| !b.is_ascii_alphanumeric())
}

/// MSH-10 read straight from the MSH line, for naming a message that does not parse.
fn control_id_of(msh: &str) -> Option<String> {
    let separator = msh.chars().nth(3)?;
    let id = msh.split(separator).nth(9)?.trim();
    (!id.is_empty() && id.len() <= 50 && id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .then(|| id.to_string())
}

fn decode(separators: &Separators, raw: &str) -> String {
    separators.decode(raw).to_string()
}

/// The order an OBX belongs to (the latest OBR before it).
#[derive(Default)]
struct Order {
    filler_number: String,
    observed_at: Option<String>,
}

struct Reader<'c> {
    codes: &'c CodeTable,
    separators: Separators,
    label: MessageLabel,
}

impl Reader<'_> {
    fn component(&self, segment: &Segment, field: usize, component: usize) -> String {
        segment
            .field(field)
            .and_then(|f| f.component(component))
            .map(|c| decode(&self.separators, c.raw_value()).trim().to_string())
            .unwrap_or_default()
    }

    fn whole_message(&self, reason: impl Into<String>) -> Hl7Error {
        Hl7Error::Message { message: self.label.clone(), reason: reason.into() }
    }

    fn segment_error(&self, idx: usize, name: &str, reason: impl Into<String>) -> Hl7Error {
        Hl7Error::Segment { message: self.label.clone(), segment: idx + 1, name: name.into(), reason: reason.into() }
    }

    fn read(&self, parsed: &Message) -> Result<OruMessage, Hl7Error> {
        let msh = &parsed.segments[0];
        let (kind, event) = (self.component(msh, 9, 1), self.component(msh, 9, 2));
        if kind != "ORU" || event != "R01" {
            let sent = if kind.is_empty() { "no message type".to_string() } else { format!("{kind}^{event}") };
            return Err(self.whole_message(format!("is {sent}, not a lab result (ORU^R01); not imported")));
        }
        let version = self.component(msh, 12, 1);
        if !VERSIONS.contains(&version.as_str()) {
            return Err(self.whole_message(format!(
                "HL7 version '{}' is not read (2.3 to 2.5.1 are); not imported",
                version.chars().take(8).collect::<String>()
            )));
        }
        let facility = match self.component(msh, 4, 1) {
            f if f.is_empty() => self.component(msh, 4, 2),
            f => f,
        };
        let pids: Vec<usize> =
            parsed.segments.iter().enumerate().filter(|(_, s)| s.name == "PID").map(|(i, _)| i).collect();
        let pid = match pids.as_slice() {
            [] => return Err(self.whole_message("has no patient (PID) segment; not imported")),
            [one] => &parsed.segments[*one],
            [_, second, ..] => {
                return Err(self.segment_error(
                    *second,
                    "PID",
                    "a second patient in one message is not read; send one patient per message. Not imported",
                ))
            }
        };
        let patient_identifiers = self.patient_identifiers(pid.field(3));
        if patient_identifiers.is_empty() {
            return Err(self.whole_message("has no patient identifier (PID-3); not imported"));
        }
        let mut message = OruMessage {
            control_id: match &self.label {
                MessageLabel::ControlId(id) => id.clone(),
                MessageLabel::Position(n) => n.to_string(),
            },
            sending_facility: facility,
            version,
            patient_identifiers,
            results: Vec::new(),
            unknown_codes: Vec::new(),
            without_result: 0,
            problems: Vec::new(),
        };
        let mut order = Order::default();
        // Whether the latest OBX became a result, so the NTEs after it attach to it.
        let mut last_obx_kept = false;
        for (idx, segment) in parsed.segments.iter().enumerate() {
            match segment.name {
                "OBR" => {
                    last_obx_kept = false;
                    order = self.order(idx, segment).unwrap_or_else(|e| {
                        message.problems.push(e);
                        Order::default()
                    });
                }
                "OBX" => {
                    last_obx_kept = false;
                    match self.result(idx, segment, &order, &message.sending_facility) {
                        Ok(Obx::Result(result)) => {
                            message.results.push(*result);
                            last_obx_kept = true;
                        }
                        Ok(Obx::Unknown(code)) => message.unknown_codes.push(code),
                        Ok(Obx::NoResult) => message.without_result += 1,
                        Err(e) => message.problems.push(e),
                    }
                }
                "NTE" if last_obx_kept => {
                    let note: Vec<String> = segment
                        .field(3)
                        .map(|f| f.repeats().map(|r| decode(&self.separators, r.raw_value())).collect())
                        .unwrap_or_default();
                    let note = note.join("\n").replace('\r', "\n");
                    if let (Some(result), false) = (message.results.last_mut(), note.trim().is_empty()) {
                        result.notes.push(note.trim().to_string());
                    }
                }
                _ => {}
            }
        }
        Ok(message)
    }

    fn patient_identifiers(&self, field: Option<&Field>) -> Vec<PatientIdentifier> {
        let Some(field) = field else { return Vec::new() };
        field
            .repeats()
            .filter_map(|r| {
                let part = |n: usize| {
                    r.component(n)
                        .map(|c| decode(&self.separators, c.raw_value()).trim().to_string())
                        .filter(|s| !s.is_empty())
                };
                let authority = part(4).map(|a| a.split(self.separators.subcomponent).next().unwrap_or("").to_string());
                Some(PatientIdentifier {
                    value: part(1)?,
                    authority: authority.filter(|a| !a.is_empty()),
                    kind: part(5),
                })
            })
            .collect()
    }

    fn order(&self, idx: usize, obr: &Segment) -> Result<Order, Hl7Error> {
        let filler = self.component(obr, 3, 1);
        let filler_number = if filler.is_empty() { self.component(obr, 2, 1) } else { filler };
        let observed = self.component(obr, 7, 1);
        let observed_at = if observed.is_empty() {
            None
        } else {
            Some(fhir_date_time(&observed).map_err(|e| self.segment_error(idx, "OBR", format!("OBR-7 {e}")))?)
        };
        Ok(Order { filler_number, observed_at })
    }

    fn result(&self, idx: usize, obx: &Segment, order: &Order, facility: &str) -> Result<Obx, Hl7Error> {
        let error = |reason: String| self.segment_error(idx, "OBX", reason);
        let status = match self.component(obx, 11, 1).as_str() {
            "F" => ResultStatus::Final,
            "C" => ResultStatus::Corrected,
            "P" | "R" | "S" => ResultStatus::Preliminary,
            "W" | "D" => ResultStatus::EnteredInError,
            "X" | "I" | "N" | "O" | "U" => return Ok(Obx::NoResult),
            "" => return Err(error("OBX-11 (result status) is empty".into())),
            other => {
                return Err(error(format!(
                    "OBX-11 result status '{}' is not one of HL7 table 0085",
                    other.chars().take(3).collect::<String>()
                )))
            }
        };
        let (code, text, system) = (self.component(obx, 3, 1), self.component(obx, 3, 2), self.component(obx, 3, 3));
        let (alt_code, alt_text, alt_system) =
            (self.component(obx, 3, 4), self.component(obx, 3, 5), self.component(obx, 3, 6));
        if code.is_empty() && alt_code.is_empty() {
            return Err(error("OBX-3 (which test) is empty".into()));
        }
        let loinc = if is_loinc_system(&system) {
            if !is_valid_loinc(&code) {
                return Err(error(
                    "OBX-3 is marked LN but is not a LOINC code (its check digit does not match)".into(),
                ));
            }
            Some(Loinc { code: code.clone(), display: Some(text.clone()).filter(|t| !t.is_empty()) })
        } else if is_loinc_system(&alt_system) && is_valid_loinc(&alt_code) {
            Some(Loinc { code: alt_code.clone(), display: Some(alt_text).filter(|t| !t.is_empty()) })
        } else {
            self.codes.lookup(&system, &code).or_else(|| self.codes.lookup(&alt_system, &alt_code)).cloned()
        };
        let Some(loinc) = loinc else {
            return Ok(Obx::Unknown(UnknownCode { system, code }));
        };
        let value = self.value(obx).map_err(error)?;
        let unit = Some(self.component(obx, 6, 1)).filter(|u| !u.is_empty());
        let effective = match self.component(obx, 14, 1) {
            ts if ts.is_empty() => order.observed_at.clone().ok_or_else(|| {
                error("has no date: neither OBX-14 nor its order's OBR-7 says when it was observed".into())
            })?,
            ts => fhir_date_time(&ts).map_err(|e| error(format!("OBX-14 {e}")))?,
        };
        let abnormal_flags = obx
            .field(8)
            .map(|f| {
                f.repeats()
                    .map(|r| decode(&self.separators, r.raw_value()).trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let sub_id = self.component(obx, 4, 1);
        let result_key = format!("{facility}|{}|{system}^{code}|{sub_id}", order.filler_number);
        Ok(Obx::Result(Box::new(LabResult {
            segment: idx + 1,
            set_id: self.component(obx, 1, 1),
            result_key,
            loinc,
            sent_code: (system, code, text),
            value,
            unit,
            reference_range: Some(self.component(obx, 7, 1)).filter(|r| !r.is_empty()),
            abnormal_flags,
            status,
            effective,
            notes: Vec::new(),
        })))
    }

    fn value(&self, obx: &Segment) -> Result<ResultValue, String> {
        let value_type = self.component(obx, 2, 1);
        let field = obx.field(5);
        let repeats: Vec<&str> = field.map(|f| f.repeats().map(|r| r.raw_value()).collect()).unwrap_or_default();
        if repeats.iter().all(|r| r.trim().is_empty()) {
            return Err("OBX-5 (the result) is empty".into());
        }
        let first = || field.and_then(|f| f.repeat(1));
        let part = |n: usize| {
            first()
                .and_then(|r| r.component(n))
                .map(|c| decode(&self.separators, c.raw_value()).trim().to_string())
                .unwrap_or_default()
        };
        match value_type.as_str() {
            "NM" => {
                if repeats.len() > 1 {
                    return Err("OBX-5 repeats for a numeric (NM) result".into());
                }
                let number = parse_number(&part(1)).ok_or("OBX-5 is not a number for a numeric (NM) result")?;
                Ok(ResultValue::Number { value: number, comparator: None })
            }
            "SN" => {
                let (comparator, number, separator) = (part(1), part(2), part(3));
                let comparator = match comparator.as_str() {
                    "" | "=" => None,
                    "<" => Some("<"),
                    "<=" => Some("<="),
                    ">" => Some(">"),
                    ">=" => Some(">="),
                    "<>" => return Ok(ResultValue::Text(format!("<> {number}"))),
                    _ => return Err("OBX-5's comparator is not one of > < >= <= = <>".into()),
                };
                if !separator.is_empty() {
                    // A range (1-3) or a ratio (1:128) has no single value: kept as words.
                    let text = format!("{}{number}{separator}{}", comparator.unwrap_or(""), part(4));
                    return Ok(ResultValue::Text(text));
                }
                let number = parse_number(&number).ok_or("OBX-5 is not a structured number (SN)")?;
                Ok(ResultValue::Number { value: number, comparator })
            }
            "CE" | "CWE" | "CNE" => Ok(ResultValue::Coded { code: part(1), text: part(2) }),
            "ST" | "TX" | "FT" => {
                let words: Vec<String> = repeats.iter().map(|r| decode(&self.separators, r)).collect();
                Ok(ResultValue::Text(words.join("\n").replace('\r', "\n")))
            }
            "" => Err("OBX-2 (value type) is empty".into()),
            other => Err(format!(
                "OBX-2 value type '{}' is not read (NM, SN, ST, TX, FT, CE, CWE, CNE are)",
                other.chars().take(3).collect::<String>()
            )),
        }
    }
}

/// What an OBX became.
enum Obx {
    Result(Box<LabResult>),
    Unknown(UnknownCode),
    NoResult,
}

/// An HL7 NM: optional sign, digits, optional decimal point (HL7 v2.5.1 §2.A.47); no exponent,
/// no thousands separator, no decimal comma.
fn parse_number(text: &str) -> Option<f64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let well_formed = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit());
    if !well_formed {
        return None;
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_hl7_writes_them() {
        assert_eq!(parse_number("3.1"), Some(3.1));
        assert_eq!(parse_number("+.5"), Some(0.5));
        assert_eq!(parse_number("-2"), Some(-2.0));
        assert_eq!(parse_number("4."), Some(4.0));
        for bad in ["3,1", "1e3", "", ".", "high", "1.2.3", "NaN"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn segment_lines() {
        assert!(is_segment_line("OBX|1"));
        assert!(is_segment_line("ZP1|"));
        assert!(is_segment_line("NTE"));
        assert!(!is_segment_line("obx|1"));
        assert!(!is_segment_line("OBXX|1"));
        assert!(!is_segment_line("patient was fasting"));
    }
}
