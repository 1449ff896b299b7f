//! HL7 v2 lab results (ORU^R01, versions 2.3 to 2.5.1) as FHIR R4 Observations.
//!
//! [`read_batch`] takes a file's text (plain, `\r`, `\n` or `\r\n` segment ends, MLLP frames,
//! batch envelopes; [`frame`]), reads each message ([`message`]: MSH, PID, OBR, OBX, NTE; escape
//! sequences decoded by the `hl7-parser` crate), maps each OBX's test to LOINC, directly or
//! through the user's local [`CodeTable`] ([`codes`]), and returns every message read or refused
//! with the reason. [`patient::is_about`] checks a message's PID-3 against the held patient, and
//! [`observation::observations`] turns the results into Observation JSON with provenance and
//! stable ids, so a corrected result replaces the one it corrects when the record merges them.
//!
//! A bad segment costs only its message (an unreadable line) or only itself (a bad OBX); the
//! rest of the batch is read. Errors name the message control id and the segment, never a
//! patient's name, identifier or value. The crate does no I/O.
#![deny(missing_docs)]

pub mod codes;
pub mod frame;
pub mod message;
pub mod observation;
pub mod patient;
pub mod timestamp;
pub mod units;

pub use codes::{CodeTable, CodeTableError};
pub use message::{Hl7Error, LabResult, OruMessage, UnknownCode};

/// Every message of a file, read or refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// In file order.
    pub messages: Vec<Result<OruMessage, Hl7Error>>,
    /// Non-blank lines before the first MSH, which belong to no message.
    pub stray_lines: usize,
}

impl Batch {
    /// The local codes no table maps, with how many results each had, most frequent first.
    pub fn unknown_codes(&self) -> Vec<(UnknownCode, usize)> {
        let mut counts: std::collections::BTreeMap<&UnknownCode, usize> = std::collections::BTreeMap::new();
        for message in self.messages.iter().flatten() {
            for code in &message.unknown_codes {
                *counts.entry(code).or_default() += 1;
            }
        }
        let mut list: Vec<(UnknownCode, usize)> = counts.into_iter().map(|(c, n)| (c.clone(), n)).collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list
    }
}

/// Reads every message in `text`, mapping tests through `codes`.
pub fn read_batch(text: &str, codes: &CodeTable) -> Batch {
    let (raw, stray_lines) = frame::split_messages(text);
    let messages = raw.iter().map(|m| message::read_message(m, codes)).collect();
    Batch { messages, stray_lines }
}
