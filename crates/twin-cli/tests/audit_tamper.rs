//! The audit log under the attacks of the trust issue, through the CLI and the real keychain: a
//! log cut at an entry, a flipped byte, and an older copy of the data folder put back all make
//! `audit verify` exit 3 and name what is missing. (Before, a cut log passed with exit 0.)

mod common;

use common::{cardiotwin, keychain};
use std::path::Path;

fn record(data: &Path, n: u32) {
    for i in 0..n {
        let out = cardiotwin(
            data,
            &["audit", "record", "--patient", "p1", "--suggestion", &format!("s{i}"), "--decision", "accepted"],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

fn verify(data: &Path) -> (Option<i32>, String) {
    let out = cardiotwin(data, &["audit", "verify"]);
    (out.status.code(), String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr))
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

#[test]
fn cutting_flipping_or_rolling_back_the_log_exits_3() {
    if !keychain("audit tamper") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    record(&data, 10);
    let old = dir.path().join("old");
    copy_dir(&data, &old);
    record(&data, 10);
    assert_eq!(verify(&data).0, Some(0));

    // Cut at entry 11.
    let cut = dir.path().join("cut");
    copy_dir(&data, &cut);
    for seq in 11..=20 {
        std::fs::remove_file(cut.join("audit").join(format!("{seq:016}.rec"))).unwrap();
    }
    let (code, text) = verify(&cut);
    assert_eq!(code, Some(3), "{text}");
    assert!(text.contains("entries 11–20 are missing"), "{text}");

    // One flipped byte in entry 7.
    let flipped = dir.path().join("flipped");
    copy_dir(&data, &flipped);
    let path = flipped.join("audit").join(format!("{:016}.rec", 7));
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[40] ^= 1;
    std::fs::write(&path, bytes).unwrap();
    let (code, text) = verify(&flipped);
    assert_eq!(code, Some(3), "{text}");
    assert!(text.contains("entry 7"), "{text}");

    // The older copy (10 entries) put back in place of the current folder.
    std::fs::remove_dir_all(&data).unwrap();
    copy_dir(&old, &data);
    let (code, text) = verify(&data);
    assert_eq!(code, Some(3), "{text}");
    assert!(text.contains("entries 11–20 are missing"), "{text}");
}
