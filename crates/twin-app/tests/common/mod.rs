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

/// Whether a Secret Service keyring is reachable (a D-Bus session). Without one the tests that
/// need it say so and pass, unless `CARDIOTWIN_REQUIRE_KEYCHAIN` (set by scripts/test) demands it.
pub fn keychain_available(what: &str) -> bool {
    let available = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    if !available {
        assert!(
            std::env::var_os("CARDIOTWIN_REQUIRE_KEYCHAIN").is_none(),
            "CARDIOTWIN_REQUIRE_KEYCHAIN is set but there is no D-Bus session: run through scripts/test"
        );
        eprintln!("no D-Bus session: the {what} test is not run (scripts/test runs it)");
    }
    available
}

/// A command's answer through the app's dispatcher; a refusal fails the test, naming the command.
pub fn call(s: &twin_app::session::Session, command: &str, args: serde_json::Value) -> serde_json::Value {
    twin_app::commands::dispatch(s, command, args).unwrap_or_else(|e| panic!("{command}: {e}"))
}

/// The uncontrolled hypertensive of the demo cohort (assets/demo/01-…): on lisinopril alone.
pub fn walter(s: &twin_app::session::Session) -> String {
    let list = call(s, "listPatients", serde_json::json!({}));
    list["patients"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "Walter Brennan"))
        .and_then(|p| p["id"].as_str())
        .expect("Walter Brennan in the demo cohort")
        .to_string()
}
