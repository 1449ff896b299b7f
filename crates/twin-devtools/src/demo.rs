//! Writing the synthetic demo cohort to disk (`cardiotwin demo-cohort`). The app finds the
//! written cohort through `twin_app::demo::default_demo_dir`.

use std::path::{Path, PathBuf};

use twin_app::error::AppError;

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
