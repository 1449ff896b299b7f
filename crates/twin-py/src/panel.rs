//! The panel's three passes (twin-panel), for `cardiotwin.panel_batch` and the Ray runner: each
//! a plain function over paths, so a Ray task needs nothing but a bucket number to do its part.
//! Summaries travel as JSON text (the Python side parses them).

use std::path::PathBuf;

use pyo3::prelude::*;

use twin_app::settings::GuidelineSet;
use twin_panel::{PanelError, PanelOptions, PanelScenario};

use crate::errors::raise;

/// A panel error as `CardioTwinError` (code `validation` for what the caller can fix in the
/// arguments, `io` for files).
fn panel_error(py: Python<'_>, e: &PanelError) -> PyErr {
    let code = match e {
        PanelError::Io { .. } => "io",
        PanelError::NoInput(_) | PanelError::NotPartitioned(_) => "notFound",
        _ => "validation",
    };
    raise(py, &e.to_string(), code)
}

fn to_json(py: Python<'_>, value: &impl serde::Serialize) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| raise(py, &format!("could not encode the summary: {e}"), "io"))
}

/// The scenarios named as the command line names them (`current`, or a scenario file's path),
/// each checked.
fn scenarios(specs: &[String]) -> Result<Vec<PanelScenario>, PanelError> {
    specs.iter().map(|s| PanelScenario::parse(s)).collect()
}

fn options(seed: u64, members: usize, months: u32, as_of: &str, guidelines: &str) -> Result<PanelOptions, PanelError> {
    let as_of = twin_app::patients::parse_as_of(as_of).map_err(|e| PanelError::Options(e.message))?;
    let guidelines = GuidelineSet::from_code(guidelines)
        .ok_or_else(|| PanelError::Options(format!("guidelines must be 'esc' or 'accAha', not '{guidelines}'")))?;
    let options = PanelOptions { seed, members, months, as_of, guidelines };
    options.check()?;
    Ok(options)
}

/// Checks the scenarios and options before a run starts (so a cluster is not started for a
/// typo); answers the scenarios' names.
#[pyfunction]
#[pyo3(signature = (scenario_specs, seed, members, months, as_of, guidelines = "esc"))]
pub fn check_run(
    py: Python<'_>,
    scenario_specs: Vec<String>,
    seed: u64,
    members: usize,
    months: u32,
    as_of: &str,
    guidelines: &str,
) -> PyResult<Vec<String>> {
    py.detach(|| {
        options(seed, members, months, as_of, guidelines)?;
        Ok(scenarios(&scenario_specs)?.into_iter().map(|s| s.name).collect())
    })
    .map_err(|e: PanelError| panel_error(py, &e))
}

/// Pass 1: a FHIR Bulk Data folder into `buckets` bucket files under `work` (reused when already
/// done for the same input). Answers the partition summary (JSON, with `reused`).
#[pyfunction]
pub fn partition(py: Python<'_>, in_dir: PathBuf, work: PathBuf, buckets: u32) -> PyResult<String> {
    let summary = py.detach(|| twin_panel::partition(&in_dir, &work, buckets)).map_err(|e| panel_error(py, &e))?;
    let mut json =
        serde_json::to_value(&summary).map_err(|e| raise(py, &format!("could not encode the summary: {e}"), "io"))?;
    if let Some(fields) = json.as_object_mut() {
        fields.insert("reused".into(), summary.reused.into());
    }
    to_json(py, &json)
}

/// Pass 2, one bucket: its part, written once (atomic rename; an existing part is kept).
/// Answers the part's path.
#[pyfunction]
#[pyo3(signature = (work, bucket, scenario_specs, seed, members, months, as_of, guidelines = "esc"))]
#[allow(clippy::too_many_arguments)] // The command line's settings, flat, as a Ray task passes them.
pub fn run_bucket(
    py: Python<'_>,
    work: PathBuf,
    bucket: u32,
    scenario_specs: Vec<String>,
    seed: u64,
    members: usize,
    months: u32,
    as_of: &str,
    guidelines: &str,
) -> PyResult<PathBuf> {
    py.detach(|| {
        let options = options(seed, members, months, as_of, guidelines)?;
        twin_panel::run_bucket(&work, bucket, &scenarios(&scenario_specs)?, &options)
    })
    .map_err(|e| panel_error(py, &e))
}

/// Pass 3: every part into one Parquet file at `out`, rows sorted by patient and scenario.
/// Answers the run's summary (JSON).
#[pyfunction]
pub fn finish(py: Python<'_>, work: PathBuf, out: PathBuf) -> PyResult<String> {
    let summary = py.detach(|| twin_panel::finish(&work, &out)).map_err(|e| panel_error(py, &e))?;
    to_json(py, &summary)
}

/// The bucket count `cardiotwin panel` takes for `in_dir` when none is given (one per 32 MB of
/// NDJSON, at least 16).
#[pyfunction]
pub fn default_buckets(py: Python<'_>, in_dir: PathBuf) -> PyResult<u32> {
    py.detach(|| twin_panel::run::default_buckets(&in_dir)).map_err(|e| panel_error(py, &e))
}

/// A skip reason's words and whether it counts per patient × scenario (else per patient), for
/// the summary as `cardiotwin panel` prints it; `None` for a code this build does not know.
#[pyfunction]
pub fn skip_reason(code: &str) -> Option<(&'static str, bool)> {
    twin_panel::SkipReason::from_code(code).map(|r| (r.words(), r.per_scenario()))
}
