//! What several of twin-app's test files need: the committed demo cohort.
// Each test file compiles this module on its own and uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The committed demo cohort's folder.
pub fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo")
}

/// Its bundles, in file-name order.
pub fn demo_files() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(demo_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// A session on the demo cohort (no cache), and its first patient's id.
pub fn demo_session() -> (twin_app::session::Session, String) {
    use twin_app::session::{NoArgs, Session, SessionConfig};
    let session = Session::new(SessionConfig { demo_dir: Some(demo_dir()), data_dir: None });
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
