//! What the CLI's integration tests share: running the built `cardiotwin` on a data folder with
//! the consultation day pinned, its output as one text, and whether a keychain is there.

#![allow(dead_code)] // each test file uses its own subset

use std::path::Path;
use std::process::{Command, Output};

/// Runs `cardiotwin --data-dir DATA ARGS…` with "today" pinned to the consultation day.
pub fn cardiotwin(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cardiotwin"))
        .env("CARDIOTWIN_AS_OF", twin_test_support::CONSULTATION_DAY_TEXT)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("run cardiotwin")
}

/// Standard output then standard error, for assertions and failure messages.
pub fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr)
}

/// Whether a D-Bus session (and so the test keyring `scripts/test` starts) is there. Without one
/// the `what` tests are skipped with a line saying so, unless `CARDIOTWIN_REQUIRE_KEYCHAIN` says
/// they must run.
pub fn keychain(what: &str) -> bool {
    let ok = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    if !ok {
        assert!(
            std::env::var_os("CARDIOTWIN_REQUIRE_KEYCHAIN").is_none(),
            "no D-Bus session: run through scripts/test"
        );
        eprintln!("no D-Bus session: {what} tests not run (scripts/test runs them)");
    }
    ok
}
