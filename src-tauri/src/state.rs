//! What the desktop app holds while it runs.

use twin_app::demo::default_demo_dir;
use twin_app::patients::PatientFolder;

/// Shared app state: where patients come from.
pub struct AppState {
    /// The folder of demo bundles (`CARDIOTWIN_DEMO_DIR`, or the repository's `assets/demo`).
    pub demo: PatientFolder,
}

impl AppState {
    /// State configured from the environment.
    pub fn from_env() -> Self {
        Self { demo: PatientFolder::new(default_demo_dir()) }
    }
}
