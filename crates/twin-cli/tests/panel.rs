//! `cardiotwin panel` as a user runs it: the demo cohort written as a bulk folder, a run stopped
//! with Ctrl-C (a real SIGINT) and resumed, against an uninterrupted run.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use twin_test_support::{demo_dir, CONSULTATION_DAY_TEXT};

fn cardiotwin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cardiotwin"));
    c.args(["--as-of", CONSULTATION_DAY_TEXT]);
    c
}

fn panel(input: &Path, out: &Path, work: &Path) -> Command {
    let mut c = cardiotwin();
    c.arg("panel").arg("--in").arg(input).args(["--scenario", "current", "--members", "150", "--buckets", "12"]);
    c.args(["--threads", "1"]).arg("--out").arg(out).arg("--work").arg(work);
    c
}

#[test]
fn ctrl_c_stops_cleanly_and_the_rerun_resumes_to_the_same_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("bulk");
    let made = cardiotwin().arg("bulk-from-bundles").arg("--bundles").arg(demo_dir()).arg("--out").arg(&input).output();
    let made = made.unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));

    // Uninterrupted.
    let (whole, whole_work) = (tmp.path().join("whole.parquet"), tmp.path().join("whole-work"));
    let run = panel(&input, &whole, &whole_work).output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains("wrote 12 rows for 12 patients"), "{stdout}");
    assert!(String::from_utf8_lossy(&run.stderr).contains("patients/s"), "progress on stderr");

    // Stopped at the first progress line, then rerun.
    let (resumed, work) = (tmp.path().join("resumed.parquet"), tmp.path().join("work"));
    let mut child = panel(&input, &resumed, &work).stderr(Stdio::piped()).stdout(Stdio::null()).spawn().unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 && !line.contains("patients/s") {
        line.clear();
    }
    let interrupt = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(interrupt.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "a stopped run says so in its exit status");
    assert!(rest.contains("run the same command again to resume"), "{rest}");
    assert!(!resumed.exists(), "no result from a stopped run");
    let parts: Vec<_> = std::fs::read_dir(work.join("parts")).unwrap().filter_map(Result::ok).collect();
    assert!(!parts.is_empty() && parts.len() < 12, "{} of 12 parts done when stopped", parts.len());
    assert!(parts.iter().all(|p| p.path().extension().is_some_and(|x| x == "parquet")), "no half-written part");

    let rerun = panel(&input, &resumed, &work).output().unwrap();
    assert!(rerun.status.success(), "{}", String::from_utf8_lossy(&rerun.stderr));
    assert!(String::from_utf8_lossy(&rerun.stderr).contains("done earlier"), "the rerun resumes");
    assert_eq!(twin_panel::read_panel(&resumed).unwrap(), twin_panel::read_panel(&whole).unwrap());
}

#[test]
fn bad_input_is_a_plain_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.parquet");
    let run = panel(tmp.path(), &out, &tmp.path().join("w")).output().unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("no .ndjson files"));
    let missing = tmp.path().join("missing.json");
    let mut c = cardiotwin();
    c.arg("panel").arg("--in").arg(tmp.path()).arg("--scenario").arg(&missing).arg("--out").arg(&out);
    let run = c.output().unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("missing.json"));
}
