//! What the workspace's test suites share, so each does not write its own: where the committed
//! demo cohort lives, the day the tests' consultations take place, and starting the real servers
//! some tests talk to ([`servers`]: the FHIR server and the SMART rig).
//!
//! A dev-dependency only: no product crate may depend on it (`architecture.rs` checks).

use std::path::{Path, PathBuf};

pub mod servers;

use time::macros::date;
use time::Date;

/// The consultation day every test computes for (ages, active medications, staleness, month 0).
///
/// Pinned so no result depends on the date a test runs on: the demo cohort is written as of
/// 2026-06-30 (`twin_synth::DEMO_AS_OF`), and the expected figures in the tests were set on
/// 2026-12-01. Pass it to `SessionConfig::as_of`, or as `--as-of` / `CARDIOTWIN_AS_OF` to the
/// `cardiotwin` binary ([`CONSULTATION_DAY_TEXT`]).
pub const CONSULTATION_DAY: Date = date!(2026 - 12 - 01);

/// [`CONSULTATION_DAY`] as the command line takes it.
pub const CONSULTATION_DAY_TEXT: &str = "2026-12-01";

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The committed demo cohort's folder.
pub fn demo_dir() -> PathBuf {
    workspace_root().join("assets/demo")
}

/// One demo bundle's path, e.g. `demo_file("01-uncontrolled-hypertension.json")`.
pub fn demo_file(name: &str) -> PathBuf {
    demo_dir().join(name)
}

/// One demo bundle's JSON, e.g. `demo_bundle("03-heart-failure-reduced-ef.json")`, to edit into
/// a test's own copy.
///
/// # Panics
/// When the file is missing or not JSON (a broken checkout, not a test outcome).
pub fn demo_bundle(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(demo_file(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The id of the Patient in a bundle's JSON.
///
/// # Panics
/// When the bundle holds no Patient with an id.
pub fn bundle_patient_id(bundle: &serde_json::Value) -> String {
    bundle["entry"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["resource"]["resourceType"] == "Patient")
        .and_then(|e| e["resource"]["id"].as_str())
        .expect("a Patient with an id")
        .to_string()
}

/// The demo bundles, in file-name order.
///
/// # Panics
/// When the folder cannot be read (a broken checkout: the tests cannot run).
pub fn demo_files() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(demo_dir())
        .expect("the demo cohort's folder (assets/demo)")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// Every file below `dir` (recursively), sorted: what a test reads to check what the store left
/// on disk.
///
/// # Panics
/// When the folder cannot be read.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a readable folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pinned_day_reads_as_the_text_the_cli_takes() {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        assert_eq!(Date::parse(CONSULTATION_DAY_TEXT, format).unwrap(), CONSULTATION_DAY);
        assert_eq!(demo_files().len(), 12, "the committed demo cohort holds twelve patients");
    }
}
