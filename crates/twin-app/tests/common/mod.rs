//! What several of twin-app's test files need: sessions on the committed demo cohort, on the
//! pinned consultation day.
// Each test file compiles this module on its own and uses a part of it.
#![allow(dead_code)]

use std::path::PathBuf;

#[allow(unused_imports)] // each test file uses some of them
pub use twin_test_support::{demo_dir, demo_file, demo_files, CONSULTATION_DAY};

/// A session reading `demo_dir` and caching in `data_dir`, on [`CONSULTATION_DAY`].
pub fn session_on(demo_dir: Option<PathBuf>, data_dir: Option<PathBuf>) -> twin_app::session::Session {
    use twin_app::session::{Session, SessionConfig};
    Session::new(SessionConfig { demo_dir, data_dir, as_of: Some(CONSULTATION_DAY) })
}

/// A session on the demo cohort (no cache), and its first patient's id.
pub fn demo_session() -> (twin_app::session::Session, String) {
    use twin_app::session::NoArgs;
    let session = session_on(Some(demo_dir()), None);
    let id = session.cmd_list_patients(NoArgs {}).unwrap().patients[0].id.clone();
    (session, id)
}

/// Patient `id` projected under today's treatment for `months` with `members` (seed 1).
pub fn current_treatment(
    session: &twin_app::session::Session,
    id: &str,
    months: u32,
    members: u32,
) -> twin_app::simulate::Projection {
    session
        .cmd_simulate(twin_app::session::SimulateArgs {
            id: id.to_string(),
            scenario: twin_app::scenario_file::ScenarioFile::current_treatment(),
            ensemble: twin_app::session::EnsembleOptions { months, members, seed: 1 },
            context: Default::default(),
            job: None,
        })
        .unwrap()
}
