//! Pass 2: one bucket's patients through the twin, written as one Parquet part.
//!
//! A part is published whole (a temporary file, then a rename) and never rewritten: a bucket
//! whose part exists is done, so a rerun after Ctrl-C, or a retried cluster task, does no work
//! twice. Each part carries what it was computed with (seed, ensemble, day, engine, scenarios);
//! a part of another run is refused rather than mixed in.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use rayon::prelude::*;

use twin_engine::progression::scenario::Scenario;

use crate::error::PanelError;
use crate::partition::{bucket_path, read_manifest};
use crate::patient::{rows_for_patient, SkipReason};
use crate::rows::{self, PanelRow};
use crate::scenario::{PanelOptions, PanelScenario};

/// Key of a part's (and the result's) metadata: what the rows were computed with.
pub(crate) const FINGERPRINT_KEY: &str = "cardiotwin.panel.fingerprint";
/// Key of a part's metadata: skip counts per reason code (JSON).
pub(crate) const SKIPS_KEY: &str = "cardiotwin.panel.skips";
/// Rows per record batch (and so per page run) in parts and results.
pub(crate) const BATCH_ROWS: usize = 8192;

/// The part of `bucket` in `work`.
pub fn part_path(work: &Path, bucket: u32) -> PathBuf {
    work.join("parts").join(format!("{bucket:05}.parquet"))
}

/// Pass 2, one bucket: harmonise each patient exactly as a fetched record, run every scenario
/// with seeds from (run seed, patient id, scenario name), suggest, and write the bucket's rows
/// to `work/parts/NNNNN.parquet` through a temporary file and an atomic rename. A part that
/// already exists is left as it is (resume; a retried task never writes twice). Returns the
/// part's path.
///
/// # Errors
/// Options out of range; no scenario, or two of one name; the work folder not partitioned, or
/// its part for this bucket written by another run; I/O.
pub fn run_bucket(
    work: &Path,
    bucket: u32,
    scenarios: &[PanelScenario],
    opts: &PanelOptions,
) -> Result<PathBuf, PanelError> {
    run_bucket_with(work, bucket, scenarios, opts, &|| ())
}

/// As [`run_bucket`], calling `on_patient` as each patient is done (progress).
pub(crate) fn run_bucket_with(
    work: &Path,
    bucket: u32,
    scenarios: &[PanelScenario],
    opts: &PanelOptions,
    on_patient: &(dyn Fn() + Sync),
) -> Result<PathBuf, PanelError> {
    opts.check()?;
    let engine = check_scenarios(scenarios)?;
    let manifest = read_manifest(work)?;
    if bucket >= manifest.buckets {
        return Err(PanelError::Options(format!("bucket {bucket} is not one of the {} buckets", manifest.buckets)));
    }
    let fingerprint = opts.fingerprint(scenarios);
    let path = part_path(work, bucket);
    if path.exists() {
        let theirs = read_part_meta(&path)?.0;
        if theirs != fingerprint {
            return Err(PanelError::WorkMismatch {
                path,
                reason: "this part was computed with other scenarios, seed, ensemble, day or engine".into(),
            });
        }
        return Ok(path);
    }
    let source = bucket_path(work, bucket);
    let text = fs::read_to_string(&source).map_err(|e| PanelError::io(&source, &e))?;
    // Each line is `<patient id>\t<resource JSON>` (see `partition`); grouped by patient, in
    // export order within a patient.
    let mut patients: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for line in text.lines() {
        if let Some((id, json)) = line.split_once('\t') {
            patients.entry(id).or_default().push(json);
        }
    }
    let pairs: Vec<(PanelScenario, Scenario)> = scenarios.iter().cloned().zip(engine).collect();
    let per_patient: Vec<Vec<PanelRow>> = patients
        .par_iter()
        .map(|(id, lines)| {
            let rows = rows_for_patient(id, lines, &pairs, opts);
            on_patient();
            rows
        })
        .collect();
    let mut skips: BTreeMap<String, u64> = BTreeMap::new();
    for rows in &per_patient {
        count_skips(rows, &mut skips);
    }
    let mut rows: Vec<PanelRow> = per_patient.into_iter().flatten().collect();
    rows.sort_by(|a, b| a.key().cmp(&b.key()));
    let dir = work.join("parts");
    fs::create_dir_all(&dir).map_err(|e| PanelError::io(&dir, &e))?;
    let skips = serde_json::to_string(&skips).unwrap_or_default();
    write_rows(&path, rows.into_iter(), &[(FINGERPRINT_KEY, fingerprint), (SKIPS_KEY, skips)])?;
    Ok(path)
}

/// Adds one patient's skips to `counts`: a patient skipped as a whole counts once; a scenario
/// skipped for a patient counts once per scenario.
fn count_skips(rows: &[PanelRow], counts: &mut BTreeMap<String, u64>) {
    let mut whole: Option<&str> = None;
    for row in rows {
        let Some(code) = row.skip_reason.as_deref() else { continue };
        match SkipReason::from_code(code) {
            Some(r) if r.per_scenario() => *counts.entry(code.to_string()).or_default() += 1,
            _ => whole = Some(code),
        }
    }
    if let Some(code) = whole {
        *counts.entry(code.to_string()).or_default() += 1;
    }
}

/// The scenarios as the engine's, checked: at least one, no two of one name.
pub(crate) fn check_scenarios(scenarios: &[PanelScenario]) -> Result<Vec<Scenario>, PanelError> {
    if scenarios.is_empty() {
        return Err(PanelError::Options(
            "a panel needs at least one scenario (`current` for today's treatment)".into(),
        ));
    }
    for (i, s) in scenarios.iter().enumerate() {
        if scenarios[..i].iter().any(|t| t.name == s.name) {
            return Err(PanelError::Scenario { name: s.name.clone(), reason: "two scenarios have this name".into() });
        }
    }
    scenarios.iter().map(PanelScenario::engine).collect()
}

/// Writes `rows` (already sorted) to `path` whole, with `meta` in the file's metadata.
pub(crate) fn write_rows(
    path: &Path,
    rows: impl Iterator<Item = PanelRow>,
    meta: &[(&str, String)],
) -> Result<(), PanelError> {
    let tmp = crate::atomic::temporary(path);
    let result = (|| {
        let file = File::create(&tmp).map_err(|e| PanelError::io(&tmp, &e))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_key_value_metadata(Some(meta.iter().map(|(k, v)| KeyValue::new(k.to_string(), v.clone())).collect()))
            .build();
        let mut writer =
            ArrowWriter::try_new(file, rows::schema(), Some(props)).map_err(|e| PanelError::part(&tmp, e))?;
        let mut batch = Vec::with_capacity(BATCH_ROWS);
        let flush = |batch: &mut Vec<PanelRow>, writer: &mut ArrowWriter<File>| -> Result<(), PanelError> {
            if !batch.is_empty() {
                let b = rows::to_batch(batch).map_err(|e| PanelError::part(&tmp, e))?;
                writer.write(&b).map_err(|e| PanelError::part(&tmp, e))?;
                batch.clear();
            }
            Ok(())
        };
        for row in rows {
            batch.push(row);
            if batch.len() == BATCH_ROWS {
                flush(&mut batch, &mut writer)?;
            }
        }
        flush(&mut batch, &mut writer)?;
        writer.close().map_err(|e| PanelError::part(&tmp, e))?;
        crate::atomic::publish(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A part's (or result's) fingerprint and skip counts.
pub(crate) fn read_part_meta(path: &Path) -> Result<(String, BTreeMap<String, u64>), PanelError> {
    let file = File::open(path).map_err(|e| PanelError::io(path, &e))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| PanelError::part(path, e))?;
    let meta = builder.metadata().file_metadata().key_value_metadata().cloned().unwrap_or_default();
    let get = |key: &str| meta.iter().find(|kv| kv.key == key).and_then(|kv| kv.value.clone());
    let fingerprint = get(FINGERPRINT_KEY).ok_or_else(|| PanelError::part(path, "it carries no panel fingerprint"))?;
    let skips = match get(SKIPS_KEY) {
        Some(text) => serde_json::from_str(&text).map_err(|e| PanelError::part(path, e))?,
        None => BTreeMap::new(),
    };
    Ok((fingerprint, skips))
}

/// Every row of a part or result file, in file order, batch by batch.
///
/// # Errors
/// A file that is not a panel result.
pub(crate) fn read_rows(path: &Path) -> Result<impl Iterator<Item = Result<Vec<PanelRow>, PanelError>>, PanelError> {
    let file = File::open(path).map_err(|e| PanelError::io(path, &e))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.with_batch_size(BATCH_ROWS).build())
        .map_err(|e| PanelError::part(path, e))?;
    let path = path.to_path_buf();
    Ok(reader.map(move |batch| {
        let batch = batch.map_err(|e| PanelError::part(&path, e))?;
        rows::from_batch(&batch).map_err(|e| PanelError::part(&path, e))
    }))
}
