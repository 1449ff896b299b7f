//! The store under damage and contention, on real files: one flipped byte anywhere costs at most
//! the record it touches, and two processes' worth of writers lose nothing.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use twin_store::audit::{Decision, NewEntry};
use twin_store::cache::Snapshot;
use twin_store::secrets::MemorySecrets;
use twin_store::{Store, StoreError};

const PATIENTS: [&str; 4] = ["p-a", "p-b", "p-c", "p-d"];
const ENTRIES: u64 = 6;

fn snapshot(id: &str) -> Snapshot {
    Snapshot {
        patient_id: id.into(),
        display_name: format!("Damage {id}"),
        source: "test".into(),
        fetched_at: "2026-11-22T10:00:00Z".into(),
        bundle_json: format!("{{\"resourceType\":\"Bundle\",\"id\":\"{id}\",\"pad\":\"{}\"}}", "y".repeat(3000)),
        summary_json: "{}".into(),
    }
}

fn entry(i: u64) -> NewEntry {
    NewEntry {
        user: "dr.test".into(),
        user_role: None,
        user_identifier: None,
        patient_id: "p-a".into(),
        suggestion: format!("suggestion {i}"),
        decision: Decision::Accepted,
        modification: None,
        reason: None,
        engine_version: "test".into(),
        model_version: "none".into(),
        inputs_hash: "0".into(),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Flips one byte at the start, the middle and the end of every file of a populated store, each
/// in a fresh copy, and checks what survives: the store opens; every patient not in the flipped
/// file reads back; a damaged patient is reported and set aside; any flip in the log's entries
/// fails `verify` at that entry (exit 3 in the CLI); a flip in a doubled header costs nothing.
#[test]
fn one_flipped_byte_anywhere_costs_at_most_the_record_it_touches() {
    let secrets = Arc::new(MemorySecrets::default());
    let pristine = tempfile::tempdir().unwrap();
    {
        let store = Store::open(pristine.path(), secrets.clone()).unwrap();
        for id in PATIENTS {
            store.put_snapshot(&snapshot(id)).unwrap();
        }
        for i in 1..=ENTRIES {
            store.append_audit(entry(i), "2026-11-22T10:00:00Z").unwrap();
        }
    }
    let (mut flips, mut patients_lost, mut log_flips_caught) = (0, 0, 0);
    for file in twin_test_support::files_under(pristine.path()) {
        let rel = file.strip_prefix(pristine.path()).unwrap().to_path_buf();
        let len = std::fs::metadata(&file).unwrap().len() as usize;
        if len == 0 {
            continue; // the lock file holds no bytes
        }
        for at in [0, len / 2, len - 1] {
            let work = tempfile::tempdir().unwrap();
            copy_dir(pristine.path(), work.path());
            let target = work.path().join(&rel);
            let mut bytes = std::fs::read(&target).unwrap();
            bytes[at] ^= 0x5a;
            std::fs::write(&target, &bytes).unwrap();
            flips += 1;
            let what = format!("{} byte {at}", rel.display());

            let store = Store::open(work.path(), secrets.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
            let in_patients = rel.starts_with("patients");
            let (listed, damaged) = store.list().unwrap_or_else(|e| panic!("{what}: {e}"));
            let mut readable = 0;
            for id in PATIENTS {
                match store.get_snapshot(id) {
                    Ok(s) => {
                        assert_eq!(s, snapshot(id), "{what}");
                        readable += 1;
                    }
                    Err(StoreError::Corrupt { .. }) | Err(StoreError::NotFound) if in_patients => {}
                    Err(e) => panic!("{what}: patient {id}: {e}"),
                }
            }
            let lost = PATIENTS.len() - readable;
            assert!(lost <= usize::from(in_patients), "{what}: {lost} patients lost");
            assert_eq!(listed.len() + damaged.len(), PATIENTS.len(), "{what}: every record is listed or reported");
            patients_lost += lost;

            let check = store.verify_audit().unwrap_or_else(|e| panic!("{what}: {e}"));
            if rel.starts_with("audit") {
                let seq: u64 = rel.file_stem().unwrap().to_str().unwrap().parse().unwrap();
                assert_eq!(check.first_bad.as_ref().map(|b| b.0), Some(seq), "{what}");
                assert_eq!(store.audit_entries().unwrap().len() as u64, ENTRIES - 1, "{what}: the others stay");
                log_flips_caught += 1;
            } else {
                assert!(check.intact(), "{what}: {:?}", check.first_bad);
            }
        }
    }
    eprintln!("byte flips: {flips} survived; patients lost {patients_lost} (each in its own flipped file); audit flips caught {log_flips_caught}");
    assert_eq!(log_flips_caught, 3 * ENTRIES as usize);
}

/// Two stores on one folder (as the app and the CLI are), writing at once: every write lands,
/// in order, and the log's chain holds.
#[test]
fn two_writers_on_one_folder_lose_nothing() {
    let secrets = Arc::new(MemorySecrets::default());
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path(), secrets.clone()).unwrap());
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let (dir, secrets) = (dir.path().to_path_buf(), secrets.clone());
            std::thread::spawn(move || {
                let store = Store::open(&dir, secrets).unwrap();
                for i in 0..45 {
                    store.put_snapshot(&snapshot(&format!("w{w}-{i}"))).unwrap();
                    store.append_audit(entry(i), "2026-11-22T10:00:00Z").unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let store = Store::open(dir.path(), secrets).unwrap();
    assert_eq!(store.list().unwrap().0.len(), 90);
    let check = store.verify_audit().unwrap();
    assert!(check.intact(), "{:?}", check.first_bad);
    assert_eq!(check.n_good, 90);
}

/// Held by another process past the wait: a plain sentence, and nothing written.
#[test]
fn a_folder_held_elsewhere_says_so_plainly() {
    let secrets = Arc::new(MemorySecrets::default());
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), secrets).unwrap();
    let holder = std::fs::OpenOptions::new().write(true).open(dir.path().join("store.lock")).unwrap();
    holder.lock().unwrap();
    let started = Instant::now();
    let err = store.put_snapshot(&snapshot("p-a")).unwrap_err();
    assert!(started.elapsed() >= Duration::from_secs(4), "it waits before giving up");
    assert!(matches!(err, StoreError::Busy));
    assert_eq!(
        err.to_string(),
        "CardioTwin is busy in another window (the data folder is in use); try again in a moment"
    );
    holder.unlock().unwrap();
    assert!(store.list().unwrap().0.is_empty());
    store.put_snapshot(&snapshot("p-a")).unwrap();
}
