//! What the CLI's integration tests share: running the built `cardiotwin` on a data folder with
//! the consultation day pinned, its output as one text, and whether a keychain is there.

#![allow(dead_code)] // each test file uses its own subset

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

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

/// A running `cardiotwin serve` on a free loopback port with "today" pinned, killed when the
/// test ends (passed or not). Each test file adds the requests it needs in its own `impl`.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `serve` on `data_dir` with the UI from `ui_dir` and reads its address line.
    pub fn start(data_dir: &Path, ui_dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cardiotwin"))
            .args(["serve", "--port", "0", "--as-of", twin_test_support::CONSULTATION_DAY_TEXT])
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--ui-dir")
            .arg(ui_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start cardiotwin serve");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("serve's stdout"))
            .read_line(&mut first)
            .expect("serve prints its address");
        let address = first
            .trim()
            .strip_prefix("CardioTwin serving http://127.0.0.1:")
            .unwrap_or_else(|| panic!("unexpected first line from serve: {first}"));
        let (port, token) = address.split_once("/#token=").expect("port and token");
        Server { port: port.parse().expect("a port"), token: token.to_string(), child }
    }
}

/// A home monitor's CSV: a week (21–27 Nov 2026) of duplicate morning and evening readings at
/// 141/84 before the consultation day, the first day 15/15 higher (as first days are).
pub fn week_csv() -> String {
    let mut csv = String::from("Date,Time,Systolic (mmHg),Diastolic (mmHg),Pulse (bpm)\n");
    for day in 21..=27 {
        let extra = if day == 21 { 15 } else { 0 };
        for time in ["07:05", "07:07", "21:10", "21:12"] {
            csv.push_str(&format!("2026-11-{day},{time},{},{},68\n", 141 + extra, 84 + extra));
        }
    }
    csv
}
