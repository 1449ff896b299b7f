//! What the desktop app holds while it runs: one consultation session.

use std::sync::Arc;

use twin_app::demo::default_demo_dir;
use twin_app::session::{Session, SessionConfig};

/// Shared app state.
pub struct AppState {
    /// The demo cohort (`CARDIOTWIN_DEMO_DIR`, or the repository's `assets/demo`) and the data
    /// folder (`CARDIOTWIN_DATA_DIR`, or the platform's).
    pub session: Arc<Session>,
}

impl AppState {
    /// State configured from the environment.
    pub fn from_env() -> Self {
        let config =
            SessionConfig { demo_dir: Some(default_demo_dir()), data_dir: twin_app::cache::data_dir(None).ok() };
        let session = Session::new(config);
        // EHR sign-in opens the system browser; the loopback redirect brings the clinician back.
        session.set_browser(Arc::new(|url: &url::Url| open::that(url.as_str()).map_err(|e| e.to_string())));
        Self { session: Arc::new(session) }
    }
}
