//! Pass 3: every part merged into one Parquet file, rows sorted by (patient id, scenario),
//! with the run's skip counts. Parts are each sorted, so the merge streams: memory holds one
//! batch per part, whatever the number of patients.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::PanelError;
use crate::partition::{read_manifest, LineProblem};
use crate::parts::{part_path, read_part_meta, read_rows, write_rows, FINGERPRINT_KEY};
use crate::rows::PanelRow;

/// Key of the result's metadata: the [`PanelSummary`] as JSON.
pub const SUMMARY_KEY: &str = "cardiotwin.panel.summary";

/// What a finished panel holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelSummary {
    /// The result file.
    pub out: PathBuf,
    /// Rows written (patients × scenarios).
    pub rows: u64,
    /// Patients in the result (projected or skipped).
    pub patients: u64,
    /// Skips per reason code: patients skipped as a whole once each, a scenario that does not
    /// apply once per patient and scenario.
    pub skipped: BTreeMap<String, u64>,
    /// NDJSON lines that could not be used (each skipped; the run went on).
    pub malformed_lines: u64,
    /// The first of them, by file and line.
    pub malformed_listed: Vec<LineProblem>,
    /// Resources about no single patient, by type: not used.
    pub not_about_a_patient: BTreeMap<String, u64>,
}

/// Pass 3: every part, rows sorted by (patient id, scenario), into one Parquet file (atomic),
/// with the skip counts per reason. Same input and options → byte-identical rows and values,
/// whatever ran the buckets (rayon here, Ray tasks there).
///
/// # Errors
/// Not partitioned; a bucket not done; parts of different runs; I/O.
pub fn finish(work: &Path, out: &Path) -> Result<PanelSummary, PanelError> {
    let manifest = read_manifest(work)?;
    let parts: Vec<PathBuf> = (0..manifest.buckets).map(|b| part_path(work, b)).collect();
    let done = parts.iter().filter(|p| p.exists()).count();
    if done < parts.len() {
        return Err(PanelError::Incomplete { done, total: parts.len() });
    }
    let mut fingerprint: Option<String> = None;
    let mut skipped: BTreeMap<String, u64> = BTreeMap::new();
    for part in &parts {
        let (theirs, skips) = read_part_meta(part)?;
        match &fingerprint {
            Some(f) if *f != theirs => {
                return Err(PanelError::WorkMismatch {
                    path: part.clone(),
                    reason: "parts of different runs (scenarios, seed, ensemble, day or engine) are in one folder"
                        .into(),
                })
            }
            _ => fingerprint = Some(theirs),
        }
        for (code, n) in skips {
            *skipped.entry(code).or_default() += n;
        }
    }
    let mut merged = Merge::open(&parts)?;
    // Counted as the rows stream by; the summary goes in the file's footer, written last.
    let counts = std::cell::Cell::new((0u64, 0u64));
    let mut last_patient = String::new();
    let mut failure = None;
    let rows = std::iter::from_fn(|| match merged.next() {
        Ok(Some(row)) => {
            let (n, p) = counts.get();
            let new_patient = row.patient_id != last_patient;
            if new_patient {
                last_patient.clone_from(&row.patient_id);
            }
            counts.set((n + 1, p + u64::from(new_patient)));
            Some(row)
        }
        Ok(None) => None,
        Err(e) => {
            failure = Some(e);
            None
        }
    });
    let mut summary = PanelSummary {
        out: out.to_path_buf(),
        rows: 0,
        patients: 0,
        skipped,
        malformed_lines: manifest.malformed,
        malformed_listed: manifest.malformed_listed,
        not_about_a_patient: manifest.not_about_a_patient,
    };
    // The footer holds the counts that are known before the rows (skips, malformed lines);
    // rows and patients are counted from the file by whoever reads it.
    // Without the path, so the same run written to two places is byte for byte the same.
    let footer = serde_json::to_string(&PanelSummary { out: PathBuf::new(), ..summary.clone() }).unwrap_or_default();
    write_rows(out, rows, &[(FINGERPRINT_KEY, fingerprint.unwrap_or_default()), (SUMMARY_KEY, footer)])?;
    if let Some(e) = failure {
        let _ = std::fs::remove_file(out);
        return Err(e);
    }
    (summary.rows, summary.patients) = counts.get();
    Ok(summary)
}

/// A k-way merge of sorted parts: the heap holds each part's next key.
struct Merge {
    cursors: Vec<Cursor>,
    heap: BinaryHeap<Reverse<(String, String, usize)>>,
}

/// One part, read batch by batch, with its next row.
struct Cursor {
    batches: Box<dyn Iterator<Item = Result<Vec<PanelRow>, PanelError>>>,
    rows: std::vec::IntoIter<PanelRow>,
    head: Option<PanelRow>,
}

impl Cursor {
    fn advance(&mut self) -> Result<(), PanelError> {
        loop {
            if let Some(row) = self.rows.next() {
                self.head = Some(row);
                return Ok(());
            }
            match self.batches.next() {
                Some(batch) => self.rows = batch?.into_iter(),
                None => {
                    self.head = None;
                    return Ok(());
                }
            }
        }
    }
}

impl Merge {
    fn open(parts: &[PathBuf]) -> Result<Self, PanelError> {
        let mut merge = Self { cursors: Vec::with_capacity(parts.len()), heap: BinaryHeap::new() };
        for (i, part) in parts.iter().enumerate() {
            let mut cursor = Cursor { batches: Box::new(read_rows(part)?), rows: Vec::new().into_iter(), head: None };
            cursor.advance()?;
            if let Some(row) = &cursor.head {
                merge.heap.push(Reverse((row.patient_id.clone(), row.scenario.clone(), i)));
            }
            merge.cursors.push(cursor);
        }
        Ok(merge)
    }

    fn next(&mut self) -> Result<Option<PanelRow>, PanelError> {
        let Some(Reverse((_, _, i))) = self.heap.pop() else { return Ok(None) };
        let cursor = &mut self.cursors[i];
        let row = cursor.head.take();
        cursor.advance()?;
        if let Some(next) = &cursor.head {
            self.heap.push(Reverse((next.patient_id.clone(), next.scenario.clone(), i)));
        }
        Ok(row)
    }
}
