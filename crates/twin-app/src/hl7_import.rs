//! Lab results from HL7 v2 ORU^R01 messages (a file from a lab interface, plain or MLLP-framed)
//! into the records the workstation holds.
//!
//! twin-hl7 reads the messages and maps each result to LOINC (directly, or through the user's
//! local code table, [`code_table`]); each message goes to the held patient its PID-3 names
//! (or, when the clinician chose the patient, must name that patient, else it is refused); the
//! results join the record through [`crate::record_merge::merge_resources`], the one merge, so a
//! correction replaces the result it corrects. Nothing is filed under a patient the message does
//! not name, and every message, segment or result not filed is in the report, in words.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use time::Date;
use ts_rs::TS;
use twin_hl7::observation::OBX_IDENTIFIER_SYSTEM;
use twin_hl7::{patient, CodeTable, OruMessage};
use twin_store::Store;

use crate::error::{AppError, ErrorCode};

/// The local code table's file name in the data folder (format: `twin_hl7::codes`).
pub const CODE_TABLE_FILE: &str = "hl7-codes.csv";
/// Largest HL7 file read, bytes: the same bound as a bundle (10,000 ORU messages are about 6 MB).
pub const MAX_HL7_BYTES: usize = twin_fhir::MAX_BUNDLE_BYTES;

/// What an import did, for the clinician and for tests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Hl7ImportReport {
    /// Messages in the file.
    pub messages: usize,
    /// Messages refused whole (each named in `problems`).
    pub refused_messages: usize,
    /// Results new to a record.
    pub imported: usize,
    /// Results that replaced one the record held (corrections, results sent again).
    pub replaced: usize,
    /// Results not filed: a bad OBX segment, or a test no table maps (`unknownCodes`).
    pub skipped: usize,
    /// OBX segments with no result to file (cancelled `X`, or pending `I`, `N`, `O`, `U`).
    pub without_result: usize,
    /// The patients whose records changed, by id.
    pub patients: Vec<String>,
    /// Local codes no table maps, with how many results each had.
    pub unknown_codes: Vec<UnknownCodeCount>,
    /// Every message, segment or result not filed, and why, in words (no patient data).
    pub problems: Vec<String>,
    /// Where local codes were mapped from, in words.
    pub code_table: String,
}

/// A local code no table maps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnknownCodeCount {
    /// OBX-3.3, the coding system as sent.
    pub system: String,
    /// OBX-3.1.
    pub code: String,
    /// Results sent with it.
    pub results: usize,
}

/// The local code table: `hl7-codes.csv` in the data folder when there is one, then `extra`
/// (the CLI's `--codes FILE`); a code in both must map to the same LOINC. Returns the table and
/// where it came from, in words.
///
/// # Errors
/// [`ErrorCode::Io`] when a named file cannot be read; [`ErrorCode::Validation`] for a row that
/// cannot be used, naming the file and line.
pub fn code_table(data_dir: Option<&Path>, extra: Option<&Path>) -> Result<(CodeTable, String), AppError> {
    let mut table = CodeTable::new();
    let mut sources = Vec::new();
    let in_data_dir = data_dir.map(|d| d.join(CODE_TABLE_FILE)).filter(|p| p.is_file());
    for path in in_data_dir.iter().map(|p| p.as_path()).chain(extra) {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let text = std::fs::read_to_string(path)
            .map_err(|e| AppError::new(ErrorCode::Io, format!("could not read the code table {name}: {e}")))?;
        table.extend_from(&text).map_err(|e| AppError::new(ErrorCode::Validation, format!("{name}: {e}")))?;
        sources.push(name);
    }
    let words = if sources.is_empty() {
        format!("no local code table ({CODE_TABLE_FILE} in the data folder); LOINC-coded results only")
    } else {
        format!("{} ({} local codes)", sources.join(" + "), table.len())
    };
    Ok((table, words))
}

/// The text of an HL7 file: UTF-8, else ISO 8859-1 (the character set HL7 v2 feeds most often
/// declare in MSH-18; every byte is a character, so nothing is lost or refused).
pub fn text_of(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    }
}

/// A held patient a message may be about.
struct Candidate {
    id: String,
    identifiers: Vec<String>,
    /// Observations the record holds that correct or retract an earlier result.
    amended: std::collections::HashSet<String>,
}

/// Imports the ORU^R01 messages in `text` into the held records: into `patient`'s when given
/// (messages naming anyone else are refused), else into the record of the held patient each
/// message's PID-3 names. `source` names the file, for the record's source list. Returns the
/// report and each changed record, harmonised again, for the session to hold.
///
/// # Errors
/// [`ErrorCode::Validation`] for text over [`MAX_HL7_BYTES`] or with no MSH segment;
/// [`ErrorCode::NotFound`] when `patient` is not held; store errors.
pub fn import_hl7_text(
    store: &Store,
    text: &str,
    source: &str,
    codes: (&CodeTable, String),
    patient: Option<&str>,
    today: Date,
) -> Result<(Hl7ImportReport, Vec<twin_fhir::Harmonised>), AppError> {
    if text.len() > MAX_HL7_BYTES {
        return Err(AppError::new(
            ErrorCode::Validation,
            format!("the file is larger than {} MB; CardioTwin does not import it", MAX_HL7_BYTES / 1_000_000),
        ));
    }
    let batch = twin_hl7::read_batch(text, codes.0);
    if batch.messages.is_empty() {
        return Err(AppError::new(ErrorCode::Validation, "the file holds no HL7 v2 message (no MSH segment)"));
    }
    let candidates = match patient {
        Some(id) => vec![candidate(store, id)?],
        None => held_patients(store)?,
    };
    let mut report = Hl7ImportReport { messages: batch.messages.len(), code_table: codes.1, ..Default::default() };
    if batch.stray_lines > 0 {
        report
            .problems
            .push(format!("{} line(s) before the first MSH segment belong to no message; ignored", batch.stray_lines));
    }
    report.unknown_codes = batch
        .unknown_codes()
        .into_iter()
        .map(|(c, n)| UnknownCodeCount { system: c.system, code: c.code, results: n })
        .collect();
    // Messages grouped by the patient they go to, in file order.
    let mut routed: Vec<(&Candidate, Vec<&OruMessage>)> = Vec::new();
    for message in &batch.messages {
        let message = match message {
            Ok(m) => m,
            Err(e) => {
                report.refused_messages += 1;
                report.problems.push(e.to_string());
                continue;
            }
        };
        let matching: Vec<&Candidate> =
            candidates.iter().filter(|c| patient::is_about(message, &c.id, &c.identifiers)).collect();
        let target = match (matching.as_slice(), patient) {
            ([one], _) => *one,
            ([], Some(_)) => {
                report.refused_messages += 1;
                report.problems.push(format!(
                    "{}: its patient identifiers (PID-3) are not the chosen patient's; not imported, so no result is filed under another patient",
                    message.label()
                ));
                continue;
            }
            ([], None) => {
                report.refused_messages += 1;
                report.problems.push(format!(
                    "{}: no patient held in the offline cache has its patient identifiers (PID-3); not imported (import or fetch the patient first)",
                    message.label()
                ));
                continue;
            }
            (_, _) => {
                report.refused_messages += 1;
                report.problems.push(format!(
                    "{}: its patient identifiers (PID-3) match {} held patients; not imported (choose the patient)",
                    message.label(),
                    matching.len()
                ));
                continue;
            }
        };
        report.skipped += message.problems.len() + message.unknown_codes.len();
        report.without_result += message.without_result;
        report.problems.extend(message.problems.iter().map(ToString::to_string));
        match routed.iter_mut().find(|(c, _)| c.id == target.id) {
            Some((_, messages)) => messages.push(message),
            None => routed.push((target, vec![message])),
        }
    }
    let mut merged_records = Vec::new();
    for (held, messages) in routed {
        let patient_id = held.id.as_str();
        let mut observations = twin_hl7::observation::observations(
            messages.iter().flat_map(|m| m.results.iter().map(move |r| (*m, r))),
            patient_id,
        );
        // A result sent again after its correction was filed does not undo the correction.
        observations.retain(|o| {
            let undoes = twin_hl7::observation::would_undo_a_correction(o, &held.amended);
            if undoes {
                report.skipped += 1;
                report.problems.push(format!(
                    "message {}: the record holds a correction of this result; the earlier result was not filed over it",
                    obx_of(o).unwrap_or_default()
                ));
            }
            !undoes
        });
        if observations.is_empty() {
            continue;
        }
        let where_from: Vec<(String, String)> =
            observations.iter().filter_map(|o| Some((id_of(o)?, obx_of(o)?))).collect();
        let merged =
            crate::record_merge::merge_resources(store, patient_id, observations, &format!("hl7:{source}"), today)?;
        report.imported += merged.counts.added;
        report.replaced += merged.counts.replaced;
        // Results the record could not read (an unknown unit, an implausible value) say so.
        for problem in &merged.harmonised.problems {
            let Some((_, obx)) = where_from.iter().find(|(id, _)| problem.resource == format!("Observation/{id}"))
            else {
                continue;
            };
            report.problems.push(format!("message {obx}: filed, but the record does not use it: {}", problem.reason));
        }
        report.patients.push(patient_id.to_string());
        merged_records.push(merged.harmonised);
    }
    Ok((report, merged_records))
}

fn id_of(observation: &Value) -> Option<String> {
    observation.get("id")?.as_str().map(str::to_owned)
}

/// `<MSH-10>/OBX-<set id>` from the Observation's identifiers.
fn obx_of(observation: &Value) -> Option<String> {
    observation
        .get("identifier")?
        .as_array()?
        .iter()
        .find(|i| i.get("system").and_then(Value::as_str) == Some(OBX_IDENTIFIER_SYSTEM))?
        .get("value")?
        .as_str()
        .map(str::to_owned)
}

fn candidate(store: &Store, id: &str) -> Result<Candidate, AppError> {
    let snapshot = store.get_snapshot(id).map_err(|e| match e {
        twin_store::StoreError::NotFound => {
            AppError::new(ErrorCode::NotFound, "no patient with this id in the offline cache; import or fetch it first")
        }
        e => e.into(),
    })?;
    let bundle: Value = serde_json::from_str(&snapshot.bundle_json)
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("the held record is not JSON: {e}")))?;
    Ok(Candidate {
        id: id.to_string(),
        identifiers: patient::held_identifiers(&bundle, id),
        amended: twin_hl7::observation::amended_ids(&bundle),
    })
}

fn held_patients(store: &Store) -> Result<Vec<Candidate>, AppError> {
    let listed = crate::cache::list_cached(store)?;
    listed.patients.iter().map(|p| candidate(store, &p.id)).collect()
}
