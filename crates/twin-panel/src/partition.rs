//! Pass 1: a FHIR Bulk Data folder (one NDJSON file per resource type, as `$export` writes
//! them) streamed into bucket files that each hold whole patients.
//!
//! Memory stays bounded whatever the export's size: one line at a time is read (a line longer
//! than [`MAX_LINE_BYTES`] is skipped and counted), and each bucket has one small write buffer.
//! A resource goes to the bucket of the patient it is about (`subject` or `patient`, as
//! `Patient/<id>`), so pass 2 can harmonise a bucket's patients without looking elsewhere.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::PanelError;

/// The longest NDJSON line read, bytes: one resource. Real resources are kilobytes; a
/// DocumentReference with an embedded PDF can be a few megabytes.
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;
/// Most buckets a run may have (each holds an open file while partitioning).
pub const MAX_BUCKETS: u32 = 4096;
/// Malformed lines listed by file and line in the summary; beyond this only counted.
pub const MAX_LISTED_PROBLEMS: usize = 100;
/// Write buffer per bucket while partitioning.
const BUCKET_BUFFER: usize = 16 * 1024;
const MANIFEST: &str = "partition.json";

/// A line that could not be used: where, and why (never its contents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineProblem {
    /// The NDJSON file's name.
    pub file: String,
    /// 1-based line number.
    pub line: u64,
    /// Why, in plain words.
    pub reason: String,
}

/// What pass 1 read and where it put it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionSummary {
    /// Buckets written.
    pub buckets: u32,
    /// NDJSON files read.
    pub files: usize,
    /// Resources put in a bucket.
    pub resources: u64,
    /// Patient resources among them, per bucket (for progress).
    pub patients_per_bucket: Vec<u64>,
    /// Lines that could not be used (each skipped; the run goes on).
    pub malformed: u64,
    /// The first [`MAX_LISTED_PROBLEMS`] of them, by file and line.
    pub malformed_listed: Vec<LineProblem>,
    /// Resources about no single patient (Practitioner, Organization, …), by type: not used.
    pub not_about_a_patient: BTreeMap<String, u64>,
    /// Whether the work folder already held this partition (nothing was read again).
    #[serde(skip)]
    pub reused: bool,
    /// The input it was made from (names, sizes, modification times).
    pub input: String,
}

impl PartitionSummary {
    /// Patients in all buckets.
    pub fn patients(&self) -> u64 {
        self.patients_per_bucket.iter().sum()
    }
}

/// The bucket file of `bucket` in `work`.
pub(crate) fn bucket_path(work: &Path, bucket: u32) -> PathBuf {
    work.join("buckets").join(format!("{bucket:05}.ndjson"))
}

/// The partition's manifest in `work`, when pass 1 finished there.
///
/// # Errors
/// [`PanelError::NotPartitioned`]; an unreadable manifest.
pub(crate) fn read_manifest(work: &Path) -> Result<PartitionSummary, PanelError> {
    let path = work.join(MANIFEST);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(PanelError::NotPartitioned(work.into())),
        Err(e) => return Err(PanelError::io(&path, &e)),
    };
    serde_json::from_str(&text)
        .map_err(|e| PanelError::WorkMismatch { path, reason: format!("not a partition manifest ({e})") })
}

/// Pass 1: streams every `*.ndjson` file of `in_dir` (by name) into `buckets` files under
/// `work/buckets`, each resource to its patient's bucket by a stable hash of the patient id.
/// A folder already partitioned from the same input into the same number of buckets is reused.
///
/// # Errors
/// No input files; a folder partitioned from another input or into another number of buckets;
/// I/O. Malformed lines are not errors: they are counted and listed by file and line.
pub fn partition(in_dir: &Path, work: &Path, buckets: u32) -> Result<PartitionSummary, PanelError> {
    if !(1..=MAX_BUCKETS).contains(&buckets) {
        return Err(PanelError::Options(format!("buckets must be 1–{MAX_BUCKETS}, not {buckets}")));
    }
    let files = ndjson_files(in_dir)?;
    let input = fingerprint(&files)?;
    match read_manifest(work) {
        Ok(done) if done.input == input && done.buckets == buckets => {
            return Ok(PartitionSummary { reused: true, ..done })
        }
        Ok(done) if done.input != input => {
            return Err(PanelError::WorkMismatch {
                path: work.into(),
                reason: "it was partitioned from another input folder (or the files changed since)".into(),
            })
        }
        Ok(done) => {
            return Err(PanelError::WorkMismatch {
                path: work.into(),
                reason: format!("it was partitioned into {} buckets, not {buckets}", done.buckets),
            })
        }
        Err(PanelError::NotPartitioned(_)) => {}
        Err(e) => return Err(e),
    }
    // A partition stopped part-way left incomplete buckets: start them over.
    let dir = work.join("buckets");
    if dir.exists() {
        fs::remove_dir_all(&dir).map_err(|e| PanelError::io(&dir, &e))?;
    }
    fs::create_dir_all(&dir).map_err(|e| PanelError::io(&dir, &e))?;
    let mut writers = (0..buckets)
        .map(|b| {
            let path = bucket_path(work, b);
            File::create(&path)
                .map(|f| BufWriter::with_capacity(BUCKET_BUFFER, f))
                .map_err(|e| PanelError::io(&path, &e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut summary = PartitionSummary {
        buckets,
        files: files.len(),
        resources: 0,
        patients_per_bucket: vec![0; buckets as usize],
        malformed: 0,
        malformed_listed: Vec::new(),
        not_about_a_patient: BTreeMap::new(),
        reused: false,
        input,
    };
    let mut line = Vec::new();
    for path in &files {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let file = File::open(path).map_err(|e| PanelError::io(path, &e))?;
        let mut reader = BufReader::with_capacity(256 * 1024, file);
        let mut number = 0u64;
        loop {
            let read =
                read_line_capped(&mut reader, &mut line, MAX_LINE_BYTES).map_err(|e| PanelError::io(path, &e))?;
            number += 1;
            let text = match read {
                LineRead::End => break,
                LineRead::TooLong => {
                    summary.problem(&name, number, format!("longer than {} MB", MAX_LINE_BYTES / 1_000_000));
                    continue;
                }
                LineRead::Line => match std::str::from_utf8(trim_line(&line)) {
                    Ok(text) => text,
                    Err(_) => {
                        summary.problem(&name, number, "not valid UTF-8 text".into());
                        continue;
                    }
                },
            };
            if text.trim().is_empty() {
                continue;
            }
            match route(text) {
                Ok(Route::Patient { id, is_patient }) => {
                    let bucket = bucket_of(&id, buckets);
                    let w = &mut writers[bucket as usize];
                    let path = bucket_path(work, bucket);
                    writeln!(w, "{id}\t{text}").map_err(|e| PanelError::io(&path, &e))?;
                    summary.resources += 1;
                    if is_patient {
                        summary.patients_per_bucket[bucket as usize] += 1;
                    }
                }
                Ok(Route::Unattached(kind)) => *summary.not_about_a_patient.entry(kind).or_default() += 1,
                Err(reason) => summary.problem(&name, number, reason),
            }
        }
    }
    for (b, w) in writers.into_iter().enumerate() {
        let path = bucket_path(work, b as u32);
        w.into_inner()
            .map_err(|e| PanelError::io(&path, e.error()))?
            .sync_all()
            .map_err(|e| PanelError::io(&path, &e))?;
    }
    let text = serde_json::to_string_pretty(&summary).map_err(|e| PanelError::Options(e.to_string()))?;
    crate::atomic::write(&work.join(MANIFEST), text.as_bytes())?;
    Ok(summary)
}

impl PartitionSummary {
    fn problem(&mut self, file: &str, line: u64, reason: String) {
        self.malformed += 1;
        if self.malformed_listed.len() < MAX_LISTED_PROBLEMS {
            self.malformed_listed.push(LineProblem { file: file.to_string(), line, reason });
        }
    }
}

/// The `*.ndjson` files of `dir`, by name.
fn ndjson_files(dir: &Path) -> Result<Vec<PathBuf>, PanelError> {
    let entries = fs::read_dir(dir).map_err(|e| PanelError::io(dir, &e))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| PanelError::io(dir, &e))?.path();
        if path.is_file() && path.extension().is_some_and(|x| x == "ndjson") {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(PanelError::NoInput(dir.into()));
    }
    Ok(files)
}

/// Names, sizes and modification times of the input: a changed export is noticed.
fn fingerprint(files: &[PathBuf]) -> Result<String, PanelError> {
    let mut out = Vec::new();
    for path in files {
        let meta = fs::metadata(path).map_err(|e| PanelError::io(path, &e))?;
        let modified =
            meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        out.push(format!("{name}:{}:{modified}", meta.len()));
    }
    Ok(out.join(";"))
}

/// The bucket of a patient: FNV-1a (64-bit) of the id, modulo the bucket count. Stable across
/// machines, runs and versions (it is written out here, not taken from `std`'s hasher).
pub fn bucket_of(patient: &str, buckets: u32) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in patient.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h % u64::from(buckets.max(1))) as u32
}

#[derive(Debug)]
enum LineRead {
    End,
    Line,
    TooLong,
}

/// Reads one line into `buf` (without keeping more than `cap` bytes of it); a longer line is
/// read to its end and dropped.
fn read_line_capped(reader: &mut impl BufRead, buf: &mut Vec<u8>, cap: usize) -> std::io::Result<LineRead> {
    buf.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(match (any, too_long) {
                (false, _) => LineRead::End,
                (true, true) => LineRead::TooLong,
                (true, false) => LineRead::Line,
            });
        }
        any = true;
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let used = chunk.len();
        if !too_long {
            if buf.len() + used > cap + 1 {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        reader.consume(used);
        if done {
            return Ok(if too_long { LineRead::TooLong } else { LineRead::Line });
        }
    }
}

fn trim_line(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Where a resource goes.
#[derive(Debug)]
enum Route {
    /// To this patient's bucket.
    Patient { id: String, is_patient: bool },
    /// Nowhere: it is about no single patient (its type, for the count).
    Unattached(String),
}

/// Only what routing needs; serde skips the rest of the line (still checking it is JSON).
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "resourceType")]
    resource_type: Option<String>,
    id: Option<String>,
    subject: Option<ReferenceProbe>,
    patient: Option<ReferenceProbe>,
}

#[derive(Deserialize)]
struct ReferenceProbe {
    reference: Option<String>,
}

fn route(text: &str) -> Result<Route, String> {
    let probe: Probe = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => format!("not a FHIR resource's shape (column {})", e.column()),
        _ => format!("not valid JSON (column {})", e.column()),
    })?;
    let Some(kind) = probe.resource_type else { return Err("not a FHIR resource (no resourceType)".into()) };
    let kind_for_count = type_for_count(&kind);
    if kind == "Patient" {
        let id = probe.id.ok_or("a Patient without an id")?;
        if !is_fhir_id(&id) {
            return Err("a Patient whose id is not a FHIR id (letters, digits, '-', '.'; at most 64)".into());
        }
        return Ok(Route::Patient { id, is_patient: true });
    }
    let reference = probe.subject.or(probe.patient).and_then(|r| r.reference);
    match reference.as_deref().map(patient_of_reference) {
        Some(Some(id)) if is_fhir_id(id) => Ok(Route::Patient { id: id.to_string(), is_patient: false }),
        Some(Some(_)) => Err(format!("a {kind_for_count} whose patient reference is not a FHIR id")),
        _ => Ok(Route::Unattached(kind_for_count)),
    }
}

/// The patient id a reference names: `Patient/<id>`, an absolute URL ending so, either with
/// `/_history/<version>`. Anything else (`urn:uuid:…`, a Group) names no patient here: a bulk
/// export writes relative references.
fn patient_of_reference(reference: &str) -> Option<&str> {
    let unversioned = reference.split("/_history/").next().unwrap_or(reference);
    let (head, id) = unversioned.rsplit_once('/')?;
    let is_patient = head == "Patient" || (head.contains("://") && head.ends_with("/Patient"));
    is_patient.then_some(id)
}

/// A resource type to count under: a FHIR type's spelling as is, anything else (which may be
/// text a person typed) not echoed.
fn type_for_count(kind: &str) -> String {
    let looks_like_type = (1..=40).contains(&kind.len())
        && kind.starts_with(|c: char| c.is_ascii_uppercase())
        && kind.chars().all(|c| c.is_ascii_alphanumeric());
    if looks_like_type {
        kind.to_string()
    } else {
        "(unknown type)".to_string()
    }
}

/// FHIR's id: 1–64 of `A-Z a-z 0-9 - .`.
fn is_fhir_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_patients() {
        assert_eq!(patient_of_reference("Patient/abc"), Some("abc"));
        assert_eq!(patient_of_reference("https://ehr.example/fhir/Patient/abc/_history/2"), Some("abc"));
        assert_eq!(patient_of_reference("Group/abc"), None);
        assert_eq!(patient_of_reference("urn:uuid:1234"), None);
    }

    #[test]
    fn lines_are_routed_or_refused_with_a_reason() {
        assert!(matches!(
            route(r#"{"resourceType":"Patient","id":"p1"}"#),
            Ok(Route::Patient { is_patient: true, .. })
        ));
        assert!(matches!(
            route(r#"{"resourceType":"Observation","subject":{"reference":"Patient/p1"}}"#),
            Ok(Route::Patient { is_patient: false, .. })
        ));
        assert!(matches!(route(r#"{"resourceType":"Practitioner","id":"d"}"#), Ok(Route::Unattached(_))));
        assert!(route(r#"{"resourceType":"Observation""#).unwrap_err().contains("not valid JSON"));
        assert!(route(r#"{"id":"x"}"#).unwrap_err().contains("no resourceType"));
        assert!(route(r#"{"resourceType":"Patient","id":"a b"}"#).is_err());
        assert!(route(r#"{"resourceType":"Observation","subject":"Patient/p1"}"#).is_err());
    }

    #[test]
    fn long_lines_are_dropped_whole() {
        let text = format!("{}\nshort\n", "x".repeat(100));
        let mut reader = BufReader::with_capacity(8, text.as_bytes());
        let mut buf = Vec::new();
        assert!(matches!(read_line_capped(&mut reader, &mut buf, 10).unwrap(), LineRead::TooLong));
        assert!(matches!(read_line_capped(&mut reader, &mut buf, 10).unwrap(), LineRead::Line));
        assert_eq!(trim_line(&buf), b"short");
        assert!(matches!(read_line_capped(&mut reader, &mut buf, 10).unwrap(), LineRead::End));
    }

    #[test]
    fn buckets_are_stable() {
        assert_eq!(bucket_of("p1", 1), 0);
        assert_eq!(bucket_of("p1", 16), bucket_of("p1", 16));
        assert!((0..100).map(|i| bucket_of(&format!("p{i}"), 4)).collect::<std::collections::BTreeSet<_>>().len() == 4);
    }
}
