//! Writing the synthetic demo cohort to disk.

use std::path::{Path, PathBuf};

use crate::error::AppError;

/// The folder of demo bundles shipped in the repository (`assets/demo`), unless
/// `CARDIOTWIN_DEMO_DIR` names another.
pub fn default_demo_dir() -> PathBuf {
    std::env::var_os("CARDIOTWIN_DEMO_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo"))
}

/// Generates the demo cohort from `seed` and writes one bundle per patient into `out`,
/// creating it if needed. Returns the paths written, in order.
///
/// # Errors
/// An [`AppError`] naming the path when the folder cannot be created or a file written.
pub fn write_demo_cohort(seed: u64, out: &Path) -> Result<Vec<PathBuf>, AppError> {
    std::fs::create_dir_all(out).map_err(|e| AppError::io(out, &e))?;
    twin_synth::generate(seed)
        .into_iter()
        .map(|bundle| {
            let path = out.join(&bundle.file_name);
            std::fs::write(&path, bundle.json).map_err(|e| AppError::io(&path, &e))?;
            Ok(path)
        })
        .collect()
}
