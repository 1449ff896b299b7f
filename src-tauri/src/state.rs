//! What the desktop app holds while it runs: one consultation session.

use std::sync::Arc;

use std::path::PathBuf;

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
        // The consultation is today, by the wall clock (`as_of: None`).
        let config =
            SessionConfig { demo_dir: Some(demo_dir()), data_dir: twin_app::cache::data_dir(None).ok(), as_of: None };
        let session = Session::new(config);
        // EHR sign-in opens the system browser; the loopback redirect brings the clinician back.
        session.set_browser(Arc::new(|url: &url::Url| open::that(url.as_str()).map_err(|e| e.to_string())));
        // The worklist opens panel results through twin-panel's reader.
        twin_app::worklist::set_reader(twin_panel::worklist::reader());
        Self { session: Arc::new(session) }
    }
}

/// The demo cohort: `CARDIOTWIN_DEMO_DIR`, else the one an installed package carries (the
/// bundler puts resources in `/usr/lib/CardioTwin/`, beside `/usr/bin`), else the repository's.
fn demo_dir() -> PathBuf {
    if std::env::var_os("CARDIOTWIN_DEMO_DIR").is_some() {
        return default_demo_dir();
    }
    let bundled = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|bin| bin.join("../lib/CardioTwin/demo")))
        .filter(|d| d.is_dir());
    bundled.unwrap_or_else(default_demo_dir)
}
