//! A folder of transaction or collection Bundles (the demo cohort, Synthea's output) written as
//! a FHIR Bulk Data folder: one NDJSON file per resource type, references between entries
//! (`urn:uuid:…` full URLs) rewritten to `Type/id` as a server's `$export` writes them.
//! For tests and demonstrations; a real export needs none of this.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

use serde_json::Value;

use crate::error::PanelError;

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkWritten {
    /// Bundles read.
    pub bundles: usize,
    /// Resources written, by type.
    pub resources: BTreeMap<String, u64>,
}

/// Writes every `*.json` Bundle of `bundle_dir` (by name) into `out` as NDJSON per type.
///
/// # Errors
/// A file that is not a Bundle (named); I/O.
pub fn bundles_to_bulk(bundle_dir: &Path, out: &Path) -> Result<BulkWritten, PanelError> {
    let mut files: Vec<_> = fs::read_dir(bundle_dir)
        .map_err(|e| PanelError::io(bundle_dir, &e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    fs::create_dir_all(out).map_err(|e| PanelError::io(out, &e))?;
    let mut writers: HashMap<String, BufWriter<File>> = HashMap::new();
    let mut written = BulkWritten::default();
    for path in &files {
        let text = fs::read_to_string(path).map_err(|e| PanelError::io(path, &e))?;
        let bundle: Value = serde_json::from_str(&text)
            .map_err(|e| PanelError::Io { path: path.clone(), reason: format!("not JSON: {e}") })?;
        let Some(entries) = bundle.get("entry").and_then(Value::as_array) else {
            return Err(PanelError::Io { path: path.clone(), reason: "not a Bundle with entries".into() });
        };
        let mut local: HashMap<String, String> = HashMap::new();
        for e in entries {
            let (Some(url), Some(kind), Some(id)) = (
                e.get("fullUrl").and_then(Value::as_str),
                e.pointer("/resource/resourceType").and_then(Value::as_str),
                e.pointer("/resource/id").and_then(Value::as_str),
            ) else {
                continue;
            };
            local.insert(url.to_string(), format!("{kind}/{id}"));
        }
        for e in entries {
            let Some(mut resource) = e.get("resource").cloned() else { continue };
            let Some(kind) = resource.get("resourceType").and_then(Value::as_str).map(str::to_string) else { continue };
            rewrite_references(&mut resource, &local);
            let writer = match writers.get_mut(&kind) {
                Some(w) => w,
                None => {
                    let file = out.join(format!("{kind}.ndjson"));
                    let w = File::create(&file).map(BufWriter::new).map_err(|e| PanelError::io(&file, &e))?;
                    writers.entry(kind.clone()).or_insert(w)
                }
            };
            let line = serde_json::to_string(&resource).unwrap_or_default();
            writeln!(writer, "{line}").map_err(|e| PanelError::io(out, &e))?;
            *written.resources.entry(kind).or_default() += 1;
        }
        written.bundles += 1;
    }
    for (kind, w) in writers {
        let file = out.join(format!("{kind}.ndjson"));
        w.into_inner().map_err(|e| PanelError::io(&file, e.error()))?;
    }
    Ok(written)
}

/// Every `reference` naming another entry of the Bundle by its full URL, as `Type/id`.
fn rewrite_references(value: &mut Value, local: &HashMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(s) if key == "reference" => {
                        if let Some(r) = local.get(s.as_str()) {
                            *s = r.clone();
                        }
                    }
                    _ => rewrite_references(v, local),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_references(v, local)),
        _ => {}
    }
}
