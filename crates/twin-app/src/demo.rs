//! Where the synthetic demo cohort is found (`twin-devtools` writes it).

use std::path::{Path, PathBuf};

/// The folder of in-silico trial specs shipped in the repository (`assets/trials`).
pub fn trials_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/trials")
}

/// The folder of demo bundles shipped in the repository (`assets/demo`), unless
/// `CARDIOTWIN_DEMO_DIR` names another.
pub fn default_demo_dir() -> PathBuf {
    std::env::var_os("CARDIOTWIN_DEMO_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo"))
}
