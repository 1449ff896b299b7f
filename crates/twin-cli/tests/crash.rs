//! Crash safety: a child process imports patients and appends audit entries in a loop and is
//! killed with SIGKILL at pseudo-random moments; after every kill the store must open, every write
//! the child acknowledged must be there and decrypt, and the audit chain must verify.
//!
//! Needs the real keychain (see twin-store's keychain tests); `scripts/test` provides it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use twin_store::secrets::Keychain;
use twin_store::Store;

const ROUNDS: u32 = 100;

#[test]
fn killed_mid_write_loses_nothing_acknowledged() {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        assert!(
            std::env::var_os("CARDIOTWIN_REQUIRE_KEYCHAIN").is_none(),
            "no D-Bus session: run through scripts/test"
        );
        eprintln!("no D-Bus session: crash test not run (scripts/test runs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bundle = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/07-smoker-high-ldl.json");
    let mut seed: u64 = 0x5eed;
    let (mut puts_acknowledged, mut audits_acknowledged, mut lost, mut failed_opens) = (0usize, 0u64, 0usize, 0usize);
    let started = Instant::now();
    for round in 0..ROUNDS {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let kill_after = Duration::from_millis(30 + (seed >> 33) % 220);
        let mut child = Command::new(env!("CARGO_BIN_EXE_cardiotwin"))
            .env("CARDIOTWIN_AS_OF", twin_test_support::CONSULTATION_DAY_TEXT)
            .args(["--data-dir", dir.path().to_str().unwrap(), "store-stress", "--bundle", bundle.to_str().unwrap()])
            .args(["--prefix", &format!("r{round}")])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the writer");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        std::thread::sleep(kill_after);
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        reader.join().unwrap();
        let acknowledged: Vec<String> = rx.try_iter().collect();

        let store = match Store::open(dir.path(), std::sync::Arc::new(Keychain)) {
            Ok(s) => s,
            Err(e) => {
                failed_opens += 1;
                eprintln!("round {round}: the store did not open after a kill: {e}");
                continue;
            }
        };
        for line in &acknowledged {
            if let Some(id) = line.strip_prefix("put ") {
                puts_acknowledged += 1;
                if store.get_snapshot(id).is_err() {
                    lost += 1;
                }
            } else if let Some(seq) = line.strip_prefix("audit ") {
                audits_acknowledged = audits_acknowledged.max(seq.parse().unwrap());
            }
        }
        let check = store.verify_audit().unwrap();
        assert!(check.intact(), "round {round}: audit chain broken: {:?}", check.first_bad);
        assert!(check.n_good >= audits_acknowledged, "round {round}: acknowledged audit entries lost");
        let (_, corrupt) = store.list().unwrap();
        assert!(corrupt.is_empty(), "round {round}: corrupt records after a kill");
    }
    let store = Store::open(dir.path(), std::sync::Arc::new(Keychain)).unwrap();
    let n_patients = store.list().unwrap().0.len();
    eprintln!(
        "crash test: {ROUNDS} rounds in {:.1} s; {puts_acknowledged} acknowledged patient writes, {audits_acknowledged} acknowledged audit entries; \
         {n_patients} patients stored; lost {lost}; failed opens {failed_opens}",
        started.elapsed().as_secs_f64()
    );
    assert_eq!((lost, failed_opens), (0, 0));
}
